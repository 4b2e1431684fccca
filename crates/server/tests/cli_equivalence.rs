//! The assessment over HTTP equals the CLI's (`upperback assess --json --now …`) for the
//! same input, field for field, apart from the `id` the server adds.
//!
//! The `upperback` binary belongs to another package, so Cargo does not build it for this
//! test on its own (`CARGO_BIN_EXE_upperback` exists only in the CLI's tests). It is looked
//! for next to this test's `deps` folder, where `cargo test --workspace` (CI, the README's
//! test command) has just built it; when it is missing (`cargo test -p upperback-server`
//! alone) the test says so and passes without comparing.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{client, TestServer};
use serde_json::{json, Value};

const NOW: &str = "2026-11-24T09:00:00+01:00";

fn cli_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    // target/<profile>/deps/cli_equivalence-<hash> → target/<profile>/upperback
    let profile_dir = exe.parent()?.parent()?;
    let binary = profile_dir.join(format!("upperback{}", std::env::consts::EXE_SUFFIX));
    binary.is_file().then_some(binary)
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
    let Some(binary) = cli_binary() else {
        println!("skipping: the upperback binary is not built next to this test (cargo test --workspace builds it)");
        return;
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
