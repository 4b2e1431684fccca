//! Every document the crate emits is well-formed FHIR JSON in the ways the external
//! validators do not all check: no empty arrays, objects or strings, no nulls, ids that fit
//! FHIR's id pattern. (The full validation runs in `tools/validate-fhir.sh`.)

use serde_json::Value;
use upperback_core::{assess, Evidence, KnowledgeBase};
use upperback_fhir::{bundle, questionnaire, questionnaire_response};

fn check(value: &Value, path: &str, problems: &mut Vec<String>) {
    match value {
        Value::Null => problems.push(format!("{path}: null")),
        Value::String(s) if s.trim().is_empty() => problems.push(format!("{path}: empty string")),
        Value::Array(items) if items.is_empty() => problems.push(format!("{path}: empty array")),
        Value::Object(map) if map.is_empty() => problems.push(format!("{path}: empty object")),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check(item, &format!("{path}[{i}]"), problems);
            }
        }
        Value::Object(map) => {
            for (key, inner) in map {
                if key == "id" {
                    let id = inner.as_str().unwrap_or_default();
                    let ok = (1..=64).contains(&id.len())
                        && id
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
                    if !ok {
                        problems.push(format!("{path}.id: `{id}` is not a FHIR id"));
                    }
                }
                check(inner, &format!("{path}.{key}"), problems);
            }
        }
        _ => {}
    }
}

fn assert_clean(name: &str, value: &Value) {
    let mut problems = Vec::new();
    check(value, name, &mut problems);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn documents_have_no_empty_elements() {
    let kb = KnowledgeBase::embedded();
    assert_clean("questionnaire", &questionnaire(kb));
    let empty = Evidence::new(kb);
    assert_clean("empty response", &questionnaire_response(kb, &empty));
    assert_clean("empty bundle", &bundle(kb, &assess(kb, &empty), "x"));
    for answers in [
        r#"{"upper_back_spasm": true, "chest_pain": true, "age": 61, "sex": "male"}"#,
        r#"{"upper_back_spasm": true, "fever": false, "chills": false, "duration_hours": 120, "improving": false, "home_care_tried": true}"#,
        r#"{"screen_work": true, "poor_workstation": true, "sitting_hours_per_day": 10, "location": "top_of_shoulders", "pain_severity": 4}"#,
        r#"{"age": 15}"#,
    ] {
        let evidence = kb.parse_answers(answers).unwrap();
        assert_clean(answers, &bundle(kb, &assess(kb, &evidence), answers));
        assert_clean(answers, &questionnaire_response(kb, &evidence));
    }
}
