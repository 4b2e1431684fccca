//! Round trip: for every dev vignette of `../shared/data/vignettes/dev.jsonl`, a
//! QuestionnaireResponse built from its labels (present → true, absent → false, values, age,
//! sex) gives the expected triage level, and exactly the assessment the same labels give as
//! structured answers (`--answers`).

use serde_json::{json, Map, Value};
use upperback_core::{assess, FindingKind, KnowledgeBase};
use upperback_fhir::{evidence_from_questionnaire_response, questionnaire_response};

/// A flat QuestionnaireResponse, written by hand from the labels (not by the library).
fn hand_built_response(kb: &KnowledgeBase, answers: &Map<String, Value>) -> Value {
    let items: Vec<Value> = answers
        .iter()
        .map(|(id, value)| {
            let finding = kb.finding(kb.finding_id(id).expect("labelled finding exists"));
            let answer = match (&finding.kind, value) {
                (FindingKind::Bool, Value::Bool(b)) => json!({"valueBoolean": b}),
                (FindingKind::Number { .. }, Value::Number(n)) if n.is_i64() => {
                    json!({"valueInteger": n})
                }
                (FindingKind::Number { .. }, Value::Number(n)) => json!({"valueDecimal": n}),
                (FindingKind::Choice { .. }, Value::String(s)) => json!({"valueCoding": {
                    "system": format!("https://upperback.example/fhir/CodeSystem/{id}"),
                    "code": s,
                }}),
                other => panic!("unexpected label {other:?}"),
            };
            json!({"linkId": id, "answer": [answer]})
        })
        .collect();
    json!({
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "https://upperback.example/fhir/Questionnaire/upperback-interview",
        "status": "completed",
        "item": items,
    })
}

#[test]
fn every_dev_vignette_round_trips_through_a_questionnaire_response() {
    let Some(vignettes) = upperback_testkit::dev_vignettes() else {
        return;
    };
    let kb = KnowledgeBase::embedded();
    let mut failures = Vec::new();
    for vignette in &vignettes {
        let id = vignette["id"].as_str().unwrap();
        let expected_level = vignette["expected"]["triage"].as_str().unwrap();
        let answers = upperback_testkit::labels_as_answers(vignette);
        let from_answers = kb
            .answers_from_json(&Value::Object(answers.clone()))
            .unwrap_or_else(|e| panic!("{id}: labels are not valid answers: {e}"));
        let qr = hand_built_response(kb, &answers);
        let evidence =
            evidence_from_questionnaire_response(kb, &qr).unwrap_or_else(|e| panic!("{id}: {e}"));
        let result = assess(kb, &evidence);
        if result.triage.level.as_str() != expected_level {
            failures.push(format!(
                "{id}: level {} expected {expected_level}",
                result.triage.level
            ));
        }
        // The same assessment as --answers, byte for byte.
        if result.to_json() != assess(kb, &from_answers).to_json() {
            failures.push(format!(
                "{id}: differs from the structured-answers assessment"
            ));
        }
        // The library's own (grouped) response reads back to the same evidence.
        let grouped = questionnaire_response(kb, &evidence);
        match evidence_from_questionnaire_response(kb, &grouped) {
            Ok(back) if back == evidence => {}
            Ok(_) => failures.push(format!("{id}: grouped response reads back differently")),
            Err(e) => failures.push(format!("{id}: grouped response rejected: {e}")),
        }
    }
    assert_eq!(vignettes.len(), 30, "dev.jsonl should hold 30 vignettes");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
