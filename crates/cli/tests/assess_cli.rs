//! End-to-end tests of `upperback assess` and `upperback kb`: bad input exits 2 with one
//! line naming the problem; good input gives the contract's JSON.

use std::io::Write;

mod common;
use common::{assert_bad_input, upperback};

fn answers_file(content: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(content.as_bytes()).unwrap();
    file
}

/// A copy of the shipped knowledge folder with `file` replaced by `content`.
fn knowledge_with(file: &str, content: &str) -> tempfile::TempDir {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../knowledge");
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, copy.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(copy.path().join(file), content).unwrap();
    copy
}

/// `upperback assess --json ARGS`, which must succeed: the finding `id` of its result.
fn assessed_finding(args: &[&str], id: &str) -> serde_json::Value {
    let mut all = vec!["assess", "--json"];
    all.extend_from_slice(args);
    let output = upperback(&all, None);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{id} not in {result}"))
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
fn an_emergency_department_report_says_what_to_do_if_it_gets_worse() {
    let output = upperback(
        &["assess", "--answers", "-"],
        Some(r#"{"upper_back_spasm": true, "significant_trauma": true}"#),
    );
    assert_eq!(output.status.code(), Some(0));
    let report = String::from_utf8(output.stdout).unwrap();
    let level = upperback_core::KnowledgeBase::embedded()
        .level_info(upperback_core::TriageLevel::EmergencyDepartment);
    assert!(report.contains(&level.label.to_uppercase()), "{report}");
    let if_worse = level.if_worse.as_deref().expect("the level's if_worse");
    assert!(report.contains(if_worse), "{report}");
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

#[test]
fn text_is_read_with_spans_and_triggers() {
    let text = "spasm between my shoulder blades since Monday, no fever";
    let output = upperback(
        &[
            "assess",
            "--text",
            text,
            "--json",
            "--now",
            "2026-11-25T09:00:00Z",
        ],
        None,
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let finding = |id: &str| {
        result["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} not in {result}"))
    };
    let fever = finding("fever");
    assert_eq!(fever["status"], "absent");
    assert_eq!(fever["origin"], "text");
    assert_eq!(fever["evidence"][0]["text"], "fever");
    assert_eq!(fever["trigger"]["kind"], "negation");
    assert_eq!(fever["trigger"]["text"], "no");
    let chars: Vec<char> = text.chars().collect();
    let start = fever["evidence"][0]["start"].as_u64().unwrap() as usize;
    let end = fever["evidence"][0]["end"].as_u64().unwrap() as usize;
    assert_eq!(chars[start..end].iter().collect::<String>(), "fever");
    assert_eq!(finding("upper_back_spasm")["status"], "present");
    assert_eq!(finding("location")["value"], "between_shoulder_blades");
    // Wednesday 25 November: Monday was two days ago.
    assert_eq!(finding("duration_hours")["value"], 48.0);
}

#[test]
fn text_file_and_standard_input_are_read() {
    let file = answers_file("I can't control my bladder and my upper back is in spasm");
    let output = upperback(
        &[
            "assess",
            "--text-file",
            file.path().to_str().unwrap(),
            "--json",
        ],
        None,
    );
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["triage"]["level"], "ambulance");
    let output = upperback(
        &["assess", "--text-file", "-", "--json"],
        Some("sudden tearing pain between my shoulder blades"),
    );
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["triage"]["level"], "ambulance");
}

#[test]
fn an_explicit_answer_overrides_the_text_and_says_so() {
    let output = upperback(
        &[
            "assess",
            "--text",
            "spasm and a fever",
            "--answers",
            "-",
            "--json",
        ],
        Some(r#"{"fever": false}"#),
    );
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let fever = result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "fever")
        .unwrap()
        .clone();
    assert_eq!(fever["status"], "absent");
    assert_eq!(fever["origin"], "answer");
    assert!(fever["note"]
        .as_str()
        .unwrap()
        .contains("overrides what the text said"));
    assert_eq!(result["triage"]["level"], "self_care");
}

#[test]
fn readable_report_shows_what_was_understood() {
    let output = upperback(
        &[
            "assess",
            "--text",
            "Spasm after golf. No fever. I had numbnes last year.",
        ],
        None,
    );
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(report.contains("What I understood"), "{report}");
    assert!(report.contains("✓ upper back spasm"), "{report}");
    assert!(report.contains("✗ fever — you said no"), "{report}");
    assert!(report.contains("numbness — in the past"), "{report}");
}

#[test]
fn empty_whitespace_and_over_long_text_exit_2() {
    assert_bad_input(
        &upperback(&["assess", "--text", ""], None),
        &["text is empty"],
    );
    assert_bad_input(
        &upperback(&["assess", "--text", "  \n "], None),
        &["text is empty"],
    );
    let long = "spasm ".repeat(2000);
    assert_bad_input(
        &upperback(&["assess", "--text-file", "-"], Some(&long)),
        &["12000 characters", "limit is 10000"],
    );
    assert_bad_input(
        &upperback(&["assess", "--text-file", "/nonexistent/words.txt"], None),
        &["cannot read text file"],
    );
}

#[test]
fn bad_now_exits_2() {
    assert_bad_input(
        &upperback(&["assess", "--text", "spasm", "--now", "monday"], None),
        &["--now `monday`", "RFC 3339"],
    );
}

#[test]
fn context_command_follows_its_contract() {
    let tsv = "id\tconcept\tsentence\tneg\ttemp\texp\n\
               1\tfever\tNo fever today.\tNegated\tRecent\tPatient\n\
               2\tstenosis\tHis father had spinal stenosis.\tAffirmed\tHistorical\tOther\n\
               3\tcough\tThe patient is well.\tAffirmed\tRecent\tPatient\n";
    let output = upperback(&["context", "--tsv", "-"], Some(tsv));
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "1\tNegated\tRecent\tPatient");
    assert!(
        lines[1].starts_with("2\tAffirmed\t") && lines[1].ends_with("\tOther"),
        "{stdout}"
    );
    assert_eq!(lines[2], "3\tAffirmed\tRecent\tPatient");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("1 of 3 rows"), "{stderr}");
}

#[test]
fn context_of_a_missing_file_exits_2() {
    assert_bad_input(
        &upperback(&["context", "--tsv", "/nonexistent.tsv"], None),
        &["cannot read TSV file"],
    );
}

#[test]
fn kb_check_also_checks_the_lexicon() {
    let broken = knowledge_with(
        "lexicon.toml",
        "[[term]]\nfinding = \"fevr\"\nsays = [\"hot\"]\nsource = \"spec\"\n",
    );
    let output = upperback(&["kb", "check", broken.path().to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("lexicon.toml: entry for `fevr`: unknown finding `fevr`"),
        "{stdout}"
    );
}

#[test]
fn kb_check_checks_frames_idioms_and_clauses_naming_the_entry() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../knowledge");
    let check = |file: &str, content: &str| {
        let broken = knowledge_with(file, content);
        let output = upperback(&["kb", "check", broken.path().to_str().unwrap()], None);
        assert_eq!(output.status.code(), Some(1), "{file} should be refused");
        String::from_utf8_lossy(&output.stdout).to_string()
    };
    let frame = |finding: &str, sites: &str, source: &str| {
        format!("[[frame]]\nfinding = \"{finding}\"\nsites = [{sites}]\nqualities = [\"tight\"]\n{source}\n")
    };
    let out = check(
        "frames.toml",
        &frame("chest_ache", "\"chest\"", "source = \"spec\""),
    );
    assert!(
        out.contains("frames.toml: frame 1 (`chest_ache`): unknown finding `chest_ache`"),
        "{out}"
    );
    let out = check("frames.toml", &frame("chest_pain", "", "source = \"spec\""));
    assert!(
        out.contains("frames.toml: frame 1 (`chest_pain`): `sites` is empty"),
        "{out}"
    );
    let out = check("frames.toml", &frame("chest_pain", "\"chest\"", ""));
    assert!(
        out.contains("frames.toml: frame 1 (`chest_pain`): has no `source`"),
        "{out}"
    );
    let out = check(
        "idioms.toml",
        "[[idiom]]\nsays = [\"chest pain\"]\nmeans = \"x\"\nsource = \"expert\"\n",
    );
    assert!(
        out.contains("idioms.toml: idiom 1 (\"chest pain\")"),
        "{out}"
    );
    let clauses = std::fs::read_to_string(format!("{dir}/clauses.toml")).unwrap();
    let out = check(
        "clauses.toml",
        &clauses.replacen("max_words = 3", "max_words = 0", 1),
    );
    assert!(
        out.contains("clauses.toml: [double_negation] `max_words`"),
        "{out}"
    );
    let out = check(
        "possible_red_flags.toml",
        "[[system]]\nid = \"chest\"\nwords = [\"chest\"]\nred_flags = [\"tight_chest_muscles\"]\nsource = \"expert\"\n",
    );
    assert!(
        out.contains("possible_red_flags.toml: system 1 (\"chest\"): `tight_chest_muscles` is not a red flag"),
        "{out}"
    );
}

#[test]
fn a_text_may_begin_with_a_dash() {
    let fever = assessed_finding(
        &["--text", "- spasm between my shoulder blades\n- fever: no"],
        "fever",
    );
    assert_eq!(fever["status"], "absent");
    let output = upperback(&["assess", "--text", "-"], Some("spasm since yesterday"));
    assert_eq!(
        output.status.code(),
        Some(0),
        "`-` still reads standard input"
    );
}

/// The readable report of `assess ARGS`, with the knowledge base's digest blanked (it
/// changes with every edit of `knowledge/`).
fn report(args: &[&str]) -> String {
    let mut all = vec!["assess", "--now", "2026-03-04T10:00:00+00:00"];
    all.extend_from_slice(args);
    let output = upperback(&all, None);
    assert_eq!(output.status.code(), Some(0));
    let report = String::from_utf8(output.stdout).unwrap();
    report
        .lines()
        .map(|line| match line.find("sha256:") {
            Some(at) => format!("{}sha256:…)", &line[..at]),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_partly_screened_result_never_shows_a_plain_self_care_banner() {
    let report = report(&[
        "--text",
        "Upper back spasm after golf yesterday, and something's not right in my chest.",
    ]);
    let level = upperback_core::KnowledgeBase::embedded()
        .level_info(upperback_core::TriageLevel::SelfCare)
        .label
        .to_uppercase();
    assert!(
        !report.lines().any(|l| l.trim() == level),
        "a plain self-care banner:\n{report}"
    );
    insta::assert_snapshot!(report);
}

#[test]
fn an_emergency_report_is_short_and_ends_with_its_banner() {
    let report = report(&[
        "--text",
        "Upper back spasm, and since an hour a crushing pressure in the middle of my chest.",
    ]);
    let last = report.lines().last().unwrap();
    assert!(last.starts_with("CALL AN AMBULANCE"), "{report}");
    for absent in ["What may be contributing", "Not checked", "Follow-up"] {
        assert!(!report.contains(absent), "{absent}:\n{report}");
    }
    insta::assert_snapshot!(report);
}
