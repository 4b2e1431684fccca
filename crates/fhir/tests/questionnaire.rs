//! The interview as a Questionnaire, and reading QuestionnaireResponses back.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use upperback_core::{assess, FindingKind, KnowledgeBase, Status};
use upperback_fhir::{
    evidence_from_questionnaire_response, questionnaire, questionnaire_response, FhirError,
};

/// Every item that carries a finding, by linkId, with its parent group's linkId (if any).
fn leaf_items(q: &Value) -> BTreeMap<String, (Value, Option<String>)> {
    let mut out = BTreeMap::new();
    for item in q["item"].as_array().unwrap() {
        if item["type"] == "group" {
            for child in item["item"].as_array().unwrap() {
                let id = child["linkId"].as_str().unwrap().to_string();
                let previous = out.insert(
                    id.clone(),
                    (
                        child.clone(),
                        Some(item["linkId"].as_str().unwrap().to_string()),
                    ),
                );
                assert!(previous.is_none(), "linkId {id} appears twice");
            }
        } else {
            let id = item["linkId"].as_str().unwrap().to_string();
            assert!(
                out.insert(id.clone(), (item.clone(), None)).is_none(),
                "linkId {id} twice"
            );
        }
    }
    out
}

#[test]
fn one_item_per_finding_with_its_type() {
    let kb = KnowledgeBase::embedded();
    let q = questionnaire(kb);
    assert_eq!(q["resourceType"], "Questionnaire");
    assert_eq!(q["status"], "active");
    assert_eq!(
        q["url"],
        "https://upperback.example/fhir/Questionnaire/upperback-interview"
    );
    assert_eq!(q["version"], kb.version.as_str());
    let items = leaf_items(&q);
    let ids: Vec<&str> = kb.findings.iter().map(|f| f.id.as_str()).collect();
    let mut linked: Vec<&str> = items.keys().map(String::as_str).collect();
    let mut expected = ids.clone();
    linked.sort();
    expected.sort();
    assert_eq!(linked, expected, "linkIds must be exactly the finding ids");
    for finding in &kb.findings {
        let (item, _) = &items[&finding.id];
        let codes = item["code"].as_array().unwrap();
        assert_eq!(
            codes[0]["system"],
            "https://upperback.example/fhir/CodeSystem/finding"
        );
        assert_eq!(codes[0]["code"], finding.id.as_str());
        match &finding.kind {
            FindingKind::Bool => assert_eq!(item["type"], "boolean", "{}", finding.id),
            FindingKind::Number { .. } => {
                let t = item["type"].as_str().unwrap();
                assert!(t == "integer" || t == "decimal", "{}: {t}", finding.id);
            }
            FindingKind::Choice { choices } => {
                assert_eq!(item["type"], "choice");
                let options: Vec<&str> = item["answerOption"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|o| o["valueCoding"]["code"].as_str().unwrap())
                    .collect();
                assert_eq!(
                    options,
                    choices.iter().map(String::as_str).collect::<Vec<_>>()
                );
                for o in item["answerOption"].as_array().unwrap() {
                    assert_eq!(
                        o["valueCoding"]["system"],
                        format!("https://upperback.example/fhir/CodeSystem/{}", finding.id)
                    );
                }
            }
        }
    }
    assert_eq!(items["age"].0["type"], "integer");
    assert_eq!(items["pain_severity"].0["type"], "integer");
    assert_eq!(items["duration_hours"].0["type"], "decimal");
    assert_eq!(items["sex"].0["type"], "choice");
    assert_eq!(items["location"].0["type"], "choice");
    // SNOMED CT where codes.toml maps one.
    assert!(items["fever"].0["code"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["system"] == "http://snomed.info/sct" && c["code"] == "386661006"));
    // Checklists are groups with the checklist's text.
    assert_eq!(items["chest_pain"].1.as_deref(), Some("q-red-flags-heart"));
}

#[test]
fn follow_ups_have_enable_when() {
    let kb = KnowledgeBase::embedded();
    let q = questionnaire(kb);
    let items = leaf_items(&q);
    let mut follow_ups = 0;
    for question in kb.interview.questions.iter() {
        let Some(text) = &question.enable_when_text else {
            continue;
        };
        follow_ups += 1;
        // The enableWhen sits on the item (or on the checklist's group).
        let finding = &kb.finding(question.findings[0]).id;
        let (item, group) = &items[finding];
        let carrier = match group {
            Some(g) => q["item"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["linkId"] == g.as_str())
                .unwrap()
                .clone(),
            None => item.clone(),
        };
        let when = carrier["enableWhen"]
            .as_array()
            .unwrap_or_else(|| panic!("{} (`{text}`) has no enableWhen", question.id));
        for w in when {
            let target = w["question"].as_str().unwrap();
            assert!(
                items.contains_key(target),
                "enableWhen names unknown {target}"
            );
            assert!(w["operator"].is_string());
        }
        if text.contains('|') {
            assert_eq!(carrier["enableBehavior"], "any", "{}", question.id);
            assert_eq!(when.len(), text.split('|').count());
        } else if text.contains('&') {
            assert_eq!(carrier["enableBehavior"], "all", "{}", question.id);
        } else {
            assert_eq!(when.len(), 1);
        }
    }
    assert!(follow_ups >= 4, "the interview has follow-up questions");
    let home_care = &items["home_care_tried"].0["enableWhen"][0];
    assert_eq!(
        home_care,
        &json!({"question": "duration_hours", "operator": ">", "answerDecimal": 72.0})
    );
    let recurrent = &items["recurrent_episodes"].0["enableWhen"][0];
    assert_eq!(
        recurrent,
        &json!({"question": "age", "operator": ">=", "answerInteger": 50})
    );
}

#[test]
fn questionnaire_is_deterministic() {
    let kb = KnowledgeBase::embedded();
    assert_eq!(questionnaire(kb).to_string(), questionnaire(kb).to_string());
}

fn response(items: Value) -> Value {
    json!({"resourceType": "QuestionnaireResponse", "status": "completed", "item": items})
}

fn error(items: Value) -> String {
    let kb = KnowledgeBase::embedded();
    evidence_from_questionnaire_response(kb, &response(items))
        .unwrap_err()
        .to_string()
}

#[test]
fn answers_read_like_structured_answers() {
    let kb = KnowledgeBase::embedded();
    let qr = response(json!([
        {"linkId": "q-red-flags-heart", "item": [
            {"linkId": "chest_pain", "answer": [{"valueBoolean": false}]},
            {"linkId": "fainting", "answer": [{"valueBoolean": false}]},
            {"linkId": "tearing_pain"}
        ]},
        {"linkId": "duration_hours", "answer": [{"valueDecimal": 96}]},
        {"linkId": "age", "answer": [{"valueInteger": 52}]},
        {"linkId": "location", "answer": [{"valueCoding": {"system": "https://upperback.example/fhir/CodeSystem/location", "code": "between_shoulder_blades"}}]},
        {"linkId": "more-details", "item": [
            {"linkId": "sex", "answer": [{"valueCoding": {"system": "http://hl7.org/fhir/administrative-gender", "code": "female"}}]},
            {"linkId": "upper_back_spasm", "answer": [{"valueBoolean": true}]}
        ]}
    ]));
    let from_fhir = evidence_from_questionnaire_response(kb, &qr).unwrap();
    let from_answers = kb
        .parse_answers(
            r#"{"chest_pain": false, "fainting": false, "duration_hours": 96, "age": 52,
                "location": "between_shoulder_blades", "sex": "female", "upper_back_spasm": true}"#,
        )
        .unwrap();
    assert_eq!(from_fhir, from_answers);
    assert_eq!(
        assess(kb, &from_fhir).to_json(),
        assess(kb, &from_answers).to_json()
    );
    // An item without an answer is unknown, never "no".
    let tearing = kb.finding_id("tearing_pain").unwrap();
    assert_eq!(from_fhir.status(tearing), Status::Unknown);
}

#[test]
fn built_response_reads_back_to_the_same_evidence() {
    let kb = KnowledgeBase::embedded();
    let evidence = kb
        .parse_answers(
            r#"{"fever": true, "chills": false, "duration_hours": 30.5, "age": 70, "sex": "other",
                "location": "mid_back", "pain_severity": 7, "muscle_knot": true, "started_during_activity": false}"#,
        )
        .unwrap();
    let qr = questionnaire_response(kb, &evidence);
    assert_eq!(
        qr["questionnaire"],
        format!(
            "https://upperback.example/fhir/Questionnaire/upperback-interview|{}",
            kb.version
        )
    );
    assert_eq!(
        evidence_from_questionnaire_response(kb, &qr).unwrap(),
        evidence
    );
}

#[test]
fn unknown_link_id_is_named() {
    let message = error(json!([{"linkId": "fevr", "answer": [{"valueBoolean": true}]}]));
    assert_eq!(
        message,
        "item `fevr` is not a question of the upperback interview (did you mean `fever`?)"
    );
    let nested = error(
        json!([{"linkId": "q-red-flags-heart", "item": [{"linkId": "chest_pian", "answer": [{"valueBoolean": true}]}]}]),
    );
    assert!(nested.contains("`chest_pian`"), "{nested}");
    let group = error(json!([{"linkId": "q-nonsense", "item": []}]));
    assert!(group.contains("`q-nonsense`"), "{group}");
}

#[test]
fn wrong_value_type_names_the_link_id() {
    let message = error(json!([{"linkId": "fever", "answer": [{"valueString": "yes"}]}]));
    assert_eq!(
        message,
        "item `fever` expects valueBoolean, got valueString"
    );
    let message = error(json!([{"linkId": "age", "answer": [{"valueBoolean": true}]}]));
    assert!(
        message.starts_with("item `age` expects valueInteger or valueDecimal"),
        "{message}"
    );
    let message = error(json!([{"linkId": "age", "answer": [{"valueInteger": 40.5}]}]));
    assert!(
        message.contains("item `age`") && message.contains("non-integer"),
        "{message}"
    );
    let message = error(json!([{"linkId": "fever", "answer": [{"valueBoolean": "true"}]}]));
    assert!(
        message.contains("item `fever`") && message.contains("a string"),
        "{message}"
    );
    let message = error(
        json!([{"linkId": "location", "answer": [{"valueCoding": {"system": "http://snomed.info/sct", "code": "123037004"}}]}]),
    );
    assert!(message.contains("item `location`"), "{message}");
    let message =
        error(json!([{"linkId": "fever", "answer": [{"valueBoolean": true, "valueInteger": 1}]}]));
    assert!(message.contains("item `fever`"), "{message}");
}

#[test]
fn out_of_range_and_unknown_choice_name_the_link_id() {
    let message = error(json!([{"linkId": "age", "answer": [{"valueInteger": 500}]}]));
    assert_eq!(
        message,
        "item `age`: finding `age` = 500 is out of range: it must be between 0 and 120 (years)"
    );
    let message = error(json!([{"linkId": "pain_severity", "answer": [{"valueDecimal": 11.5}]}]));
    assert!(message.starts_with("item `pain_severity`:"), "{message}");
    let message =
        error(json!([{"linkId": "location", "answer": [{"valueCoding": {"code": "knee"}}]}]));
    assert!(
        message.starts_with("item `location`:") && message.contains("knee"),
        "{message}"
    );
}

#[test]
fn structural_errors() {
    let kb = KnowledgeBase::embedded();
    let read = |v: Value| evidence_from_questionnaire_response(kb, &v).unwrap_err();
    assert_eq!(
        read(json!([1, 2])),
        FhirError::NotAResource {
            expected: "QuestionnaireResponse"
        }
    );
    assert!(read(json!({"resourceType": "Questionnaire"}))
        .to_string()
        .contains("got resourceType `Questionnaire`"));
    assert!(read(json!({"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "http://other.example/Questionnaire/x"}))
        .to_string()
        .contains("not the upperback interview"));
    assert!(
        read(json!({"resourceType": "QuestionnaireResponse", "status": "entered-in-error"}))
            .to_string()
            .contains("entered-in-error")
    );
    assert!(error(json!([{"answer": [{"valueBoolean": true}]}])).contains("item[0]"));
    assert_eq!(
        error(
            json!([{"linkId": "fever", "answer": [{"valueBoolean": true}, {"valueBoolean": false}]}])
        ),
        "item `fever` has 2 answers; it takes one"
    );
    assert_eq!(
        error(json!([
            {"linkId": "fever", "answer": [{"valueBoolean": true}]},
            {"linkId": "q-red-flags-infection", "item": [{"linkId": "fever", "answer": [{"valueBoolean": false}]}]}
        ])),
        "item `fever` is answered more than once"
    );
    assert_eq!(
        error(json!([{"linkId": "q-red-flags-heart", "answer": [{"valueBoolean": true}]}])),
        "item `q-red-flags-heart` is a group: answer its items, not the group"
    );
    // Messages are one line.
    assert!(!error(json!([{"linkId": "age", "answer": [{"valueInteger": 500}]}])).contains('\n'));
    // A response with no items is valid and says nothing.
    let empty = evidence_from_questionnaire_response(
        kb,
        &json!({"resourceType": "QuestionnaireResponse", "status": "in-progress", "questionnaire": format!("https://upperback.example/fhir/Questionnaire/upperback-interview|{}", kb.version)}),
    )
    .unwrap();
    assert_eq!(empty.known().count(), 0);
}
