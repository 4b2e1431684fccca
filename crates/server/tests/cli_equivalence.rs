//! The assessment over HTTP equals the CLI's (`upperback assess --json --now …`) for the
//! same input, field for field, apart from the `id` the server adds.
//!
//! The `upperback` binary belongs to another package, so Cargo does not build it for this
//! test on its own (`CARGO_BIN_EXE_upperback` exists only in the CLI's tests). It is looked
//! for next to this test's `deps` folder, where `cargo test --workspace` (CI, the README's
//! test command) has just built it. When it is missing, or older than a source file of the
//! workspace (so possibly stale: `cargo test -p upperback-server` alone does not rebuild
//! it), the test says so and passes without comparing — or fails, when
//! `UPPERBACK_TEST_NO_SKIP` is set (CI).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use common::{client, TestServer};
use serde_json::{json, Value};

const NOW: &str = "2026-11-24T09:00:00+01:00";

fn cli_binary() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    // target/<profile>/deps/cli_equivalence-<hash> → target/<profile>/upperback
    let profile_dir = exe
        .parent()
        .and_then(|p| p.parent())
        .ok_or("no target folder")?;
    let binary = profile_dir.join(format!("upperback{}", std::env::consts::EXE_SUFFIX));
    let built = std::fs::metadata(&binary)
        .and_then(|m| m.modified())
        .map_err(|_| format!("{} is not built", binary.display()))?;
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut newest = None;
    for dir in ["crates", "knowledge"] {
        newest_source(&workspace.join(dir), &mut newest);
    }
    match newest {
        Some((time, path)) if time > built => Err(format!(
            "{} is older than {} (rebuild it: cargo build -p upperback-cli)",
            binary.display(),
            path.display()
        )),
        _ => Ok(binary),
    }
}

/// The most recently modified source file (Rust, TOML, CSS, JavaScript) under `dir`, skipping
/// what the binary is not built from.
fn newest_source(dir: &Path, newest: &mut Option<(SystemTime, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            // Tests, benches and the test-only crate are not part of the binary.
            if !["tests", "target", "benches", "testkit"].contains(&name.to_str().unwrap_or("")) {
                newest_source(&path, newest);
            }
        } else if path
            .extension()
            .is_some_and(|e| e == "rs" || e == "toml" || e == "css" || e == "js")
        {
            if let Ok(time) = entry.metadata().and_then(|m| m.modified()) {
                if newest.as_ref().is_none_or(|(t, _)| time > *t) {
                    *newest = Some((time, path));
                }
            }
        }
    }
}

struct Case {
    name: &'static str,
    text: Option<&'static str>,
    answers: Option<Value>,
    age: Option<f64>,
    sex: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "text only",
            text: Some("A spasm between my shoulder blades since Monday after golf. No fever, no chest pain. I sit 9 hours a day."),
            answers: None,
            age: None,
            sex: None,
        },
        Case {
            name: "answers only",
            text: None,
            answers: Some(json!({"upper_back_spasm": true, "fever": false, "duration_hours": 96, "location": "between_shoulder_blades", "improving": null})),
            age: None,
            sex: None,
        },
        Case {
            name: "text, answers, age and sex",
            text: Some("Knot in my upper back for 3 days, worse after sitting, lots of stress at work. No numbness."),
            answers: Some(json!({"home_care_tried": true, "improving": false})),
            age: Some(52.0),
            sex: Some("female"),
        },
        Case {
            name: "an answer overrides the text",
            text: Some("Spasm between my shoulder blades, and a fever since yesterday. I'm 40."),
            answers: Some(json!({"fever": false, "age": 41})),
            age: Some(45.0),
            sex: Some("male"),
        },
        Case {
            name: "emergency in the text",
            text: Some("Sudden tearing pain between my shoulder blades and I feel faint and sweaty."),
            answers: None,
            age: Some(67.0),
            sex: None,
        },
        Case {
            name: "someone else, with hedges and history",
            text: Some("My mom, 72, has a spasm in her mid back. She might have a fever. She had cancer years ago."),
            answers: None,
            age: None,
            sex: None,
        },
    ]
}

#[tokio::test]
async fn http_equals_cli() {
    let binary = match cli_binary() {
        Ok(binary) => binary,
        Err(why) => {
            upperback_testkit::skip(&format!("{why}; cargo test --workspace builds it fresh"));
            return;
        }
    };
    let server = TestServer::start().await;
    let c = client();
    let dir = tempfile::tempdir().unwrap();
    for case in cases() {
        let mut command = Command::new(&binary);
        command.args(["assess", "--json", "--now", NOW]);
        let mut body = serde_json::Map::new();
        body.insert("now".into(), json!(NOW));
        if let Some(text) = case.text {
            command.args(["--text", text]);
            body.insert("text".into(), json!(text));
        }
        if let Some(answers) = &case.answers {
            let path = dir.path().join("answers.json");
            std::fs::write(&path, answers.to_string()).unwrap();
            command.arg("--answers").arg(&path);
            body.insert("answers".into(), answers.clone());
        }
        if let Some(age) = case.age {
            command.args(["--age", &age.to_string()]);
            body.insert("age".into(), json!(age));
        }
        if let Some(sex) = case.sex {
            command.args(["--sex", sex]);
            body.insert("sex".into(), json!(sex));
        }
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "{}: the CLI failed: {}",
            case.name,
            String::from_utf8_lossy(&output.stderr)
        );
        let cli: Value = serde_json::from_slice(&output.stdout).unwrap();

        let response = c
            .post(server.url("/api/v1/assessments"))
            .body(Value::Object(body).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{}", case.name);
        let mut http: Value = response.json().await.unwrap();
        assert!(http["id"].is_string());
        http.as_object_mut().unwrap().remove("id");
        assert_eq!(http, cli, "{}: HTTP and CLI differ", case.name);
    }
}
