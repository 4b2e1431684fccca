//! End-to-end tests of `upperback assess` and `upperback kb`: bad input exits 2 with one
//! line naming the problem; good input gives the contract's JSON.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn upperback(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_upperback"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("upperback runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn answers_file(content: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(content.as_bytes()).unwrap();
    file
}

/// Asserts exit status 2 and a single stderr line containing every `needle`.
fn assert_bad_input(output: &Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn unknown_finding_id_exits_2() {
    let file = answers_file(r#"{"fevr": true}"#);
    let output = upperback(
        &["assess", "--answers", file.path().to_str().unwrap()],
        None,
    );
    assert_bad_input(
        &output,
        &["unknown finding id `fevr`", "did you mean `fever`"],
    );
}

#[test]
fn wrong_value_type_exits_2() {
    let file = answers_file(r#"{"fever": "yes"}"#);
    let output = upperback(
        &["assess", "--answers", file.path().to_str().unwrap()],
        None,
    );
    assert_bad_input(
        &output,
        &["finding `fever`", "true, false or null", "a string"],
    );
}

#[test]
fn age_out_of_range_exits_2() {
    let output = upperback(&["assess", "--answers", "-", "--age", "500"], Some("{}"));
    assert_bad_input(&output, &["`age` = 500", "between 0 and 120"]);
    let file = answers_file(r#"{"age": 500}"#);
    let output = upperback(
        &["assess", "--answers", file.path().to_str().unwrap()],
        None,
    );
    assert_bad_input(&output, &["`age` = 500"]);
}

#[test]
fn severity_out_of_range_exits_2() {
    let output = upperback(
        &["assess", "--answers", "-"],
        Some(r#"{"pain_severity": 11}"#),
    );
    assert_bad_input(&output, &["`pain_severity` = 11", "between 0 and 10"]);
}

#[test]
fn malformed_json_exits_2() {
    let output = upperback(&["assess", "--answers", "-"], Some(r#"{"fever": tru"#));
    assert_bad_input(&output, &["not valid JSON"]);
}

#[test]
fn unreadable_file_exits_2() {
    let output = upperback(&["assess", "--answers", "/nonexistent/answers.json"], None);
    assert_bad_input(
        &output,
        &["cannot read answers file `/nonexistent/answers.json`"],
    );
}

#[test]
fn unknown_choice_and_sex_exit_2() {
    let output = upperback(&["assess", "--answers", "-", "--sex", "robot"], Some("{}"));
    assert_bad_input(&output, &["`sex`", "female, male, other"]);
}

#[test]
fn nothing_to_assess_exits_2() {
    let output = upperback(&["assess"], None);
    assert_bad_input(&output, &["nothing to assess"]);
}

#[test]
fn json_output_follows_the_contract() {
    let output = upperback(
        &["assess", "--answers", "-", "--json", "--age", "45"],
        Some(
            r#"{"upper_back_spasm": true, "swinging_sport": true, "bowel_bladder_dysfunction": true}"#,
        ),
    );
    assert_eq!(output.status.code(), Some(0));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["triage"]["level"], "ambulance");
    assert_eq!(
        result["triage"]["fired_rules"][0]["id"],
        "bowel_bladder_loss"
    );
    assert_eq!(result["causes"][0]["id"], "acute_strain");
    let findings = result["findings"].as_array().unwrap();
    let age = findings.iter().find(|f| f["id"] == "age").unwrap();
    assert_eq!(age["value"], 45.0);
    assert_eq!(age["origin"], "answer");
    assert!(result["knowledge_base"]["digest"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
}

#[test]
fn same_input_gives_byte_identical_json() {
    let input = r#"{"upper_back_spasm": true, "screen_work": true, "fever": false}"#;
    let first = upperback(&["assess", "--answers", "-", "--json"], Some(input));
    let second = upperback(&["assess", "--answers", "-", "--json"], Some(input));
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn readable_report_has_banner_causes_and_watch_list() {
    let output = upperback(
        &["assess", "--answers", "-"],
        Some(r#"{"upper_back_spasm": true, "swinging_sport": true}"#),
    );
    assert_eq!(output.status.code(), Some(0));
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(report.contains("SELF-CARE AT HOME"), "{report}");
    assert!(report.contains("Not checked:"), "{report}");
    assert!(report.contains("Acute strain or overexertion"), "{report}");
    assert!(report.contains('█'), "{report}");
    assert!(report.contains("Get help at once if"), "{report}");
    assert!(
        report.contains("not a substitute for a clinician"),
        "{report}"
    );
    assert!(
        !report.contains('\u{1b}'),
        "NO_COLOR and a pipe mean no escape codes"
    );
}

#[test]
fn kb_check_accepts_the_shipped_folder_and_names_errors() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../knowledge");
    let output = upperback(&["kb", "check", dir], None);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("ok: knowledge base"));

    let broken = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, broken.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let triage = broken.path().join("triage.toml");
    let content = std::fs::read_to_string(&triage)
        .unwrap()
        .replace("condition = \"band_rash\"", "condition = \"band_rahs\"");
    std::fs::write(&triage, content).unwrap();
    let output = upperback(&["kb", "check", broken.path().to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("triage.toml: rule `shingles_rash`"),
        "{stdout}"
    );
    assert!(stdout.contains("unknown finding `band_rahs`"), "{stdout}");
}

#[test]
fn kb_check_of_a_missing_folder_exits_2() {
    let output = upperback(&["kb", "check", "/nonexistent/knowledge"], None);
    assert_bad_input(&output, &["/nonexistent/knowledge"]);
}

#[test]
fn kb_show_prints_version_and_digest() {
    let output = upperback(&["kb", "show", "--json"], None);
    assert_eq!(output.status.code(), Some(0));
    let kb: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(kb["digest"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(kb["findings"].as_array().unwrap().len(), 69);
    let output = upperback(&["kb", "show"], None);
    assert!(String::from_utf8_lossy(&output.stdout).contains("bowel_bladder_loss"));
}
