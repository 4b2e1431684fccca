//! `upperback fhir questionnaire`, `assess --questionnaire-response` and `assess --format fhir`.

use std::io::Write;
use std::process::Output;

use upperback_core::KnowledgeBase;

mod common;

fn upperback(args: &[&str], stdin: &str) -> Output {
    common::upperback(args, Some(stdin))
}

const ANSWERS: &str = r#"{"upper_back_spasm": true, "swinging_sport": true, "fever": false,
  "duration_hours": 96, "improving": false, "home_care_tried": true, "age": 52, "sex": "female",
  "location": "between_shoulder_blades", "numbness": true}"#;

#[test]
fn questionnaire_names_the_knowledge_base_version() {
    let output = upperback(&["fhir", "questionnaire"], "");
    assert_eq!(output.status.code(), Some(0));
    let q: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(q["resourceType"], "Questionnaire");
    assert_eq!(q["version"], KnowledgeBase::embedded().version.as_str());
    assert!(q["url"].as_str().unwrap().starts_with("https://"));
}

#[test]
fn a_questionnaire_response_gives_the_same_assessment_as_answers() {
    let kb = KnowledgeBase::embedded();
    let evidence = kb.parse_answers(ANSWERS).unwrap();
    let response = upperback_fhir::questionnaire_response(kb, &evidence);
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(response.to_string().as_bytes()).unwrap();
    let from_answers = upperback(&["assess", "--answers", "-", "--json"], ANSWERS);
    let from_response = upperback(
        &[
            "assess",
            "--questionnaire-response",
            file.path().to_str().unwrap(),
            "--json",
        ],
        "",
    );
    assert_eq!(
        from_response.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&from_response.stderr)
    );
    assert_eq!(from_answers.stdout, from_response.stdout);
    let result: serde_json::Value = serde_json::from_slice(&from_response.stdout).unwrap();
    assert_eq!(result["triage"]["level"], "within_24_hours");
}

#[test]
fn a_bad_questionnaire_response_exits_2_naming_the_item() {
    let bad = r#"{"resourceType": "QuestionnaireResponse", "status": "completed",
      "item": [{"linkId": "fevr", "answer": [{"valueBoolean": true}]}]}"#;
    let output = upperback(&["assess", "--questionnaire-response", "-", "--json"], bad);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("fevr"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1);
    let output = upperback(&["assess", "--questionnaire-response", "-"], "{not json");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn format_fhir_prints_a_collection_bundle() {
    let output = upperback(&["assess", "--answers", "-", "--format", "fhir"], ANSWERS);
    assert_eq!(output.status.code(), Some(0));
    let bundle: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    let types: Vec<&str> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["resource"]["resourceType"].as_str().unwrap())
        .collect();
    for needed in ["Observation", "RiskAssessment", "CarePlan"] {
        assert!(types.contains(&needed), "{types:?}");
    }
    let again = upperback(&["assess", "--answers", "-", "--format", "fhir"], ANSWERS);
    assert_eq!(
        output.stdout, again.stdout,
        "the same input gives the same Bundle"
    );
}
