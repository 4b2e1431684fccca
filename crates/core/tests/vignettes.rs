//! The development vignettes of `../shared/data/vignettes/dev.jsonl`, given as structured
//! answers (their labelled present / absent findings, values, age and sex), must give exactly
//! the expected triage level and fired rules, and the expected top cause where one is given.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::{json, Map, Value};
use upperback_core::{assess, KnowledgeBase};

fn vignettes_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/vignettes/dev.jsonl")
}

/// The vignette's labels as a structured-answers object.
fn answers_of(vignette: &Value) -> Value {
    let expected = &vignette["expected"];
    let values = expected["values"].as_object().cloned().unwrap_or_default();
    let mut answers = Map::new();
    for id in expected["present"].as_array().unwrap() {
        let id = id.as_str().unwrap();
        // Numeric findings are labelled present with their number in `values`.
        if !values.contains_key(id) {
            answers.insert(id.to_string(), json!(true));
        }
    }
    for id in expected["absent"].as_array().unwrap() {
        answers.insert(id.as_str().unwrap().to_string(), json!(false));
    }
    for (id, value) in values {
        answers.insert(id, value);
    }
    if !vignette["age"].is_null() {
        answers.insert("age".into(), vignette["age"].clone());
    }
    if !vignette["sex"].is_null() {
        answers.insert("sex".into(), vignette["sex"].clone());
    }
    Value::Object(answers)
}

#[test]
fn dev_vignettes_as_structured_answers() {
    let path = vignettes_path();
    let Ok(content) = std::fs::read_to_string(&path) else {
        eprintln!(
            "skipping: {} not found (the shared data folder ../shared is absent)",
            path.display()
        );
        return;
    };
    let kb = KnowledgeBase::embedded();
    let mut failures = Vec::new();
    let mut count = 0;
    for line in content.lines().filter(|l| !l.trim().is_empty()) {
        count += 1;
        let vignette: Value = serde_json::from_str(line).expect("vignette is JSON");
        let id = vignette["id"].as_str().unwrap();
        let evidence = kb
            .answers_from_json(&answers_of(&vignette))
            .unwrap_or_else(|e| panic!("{id}: labels are not valid answers: {e}"));
        let result = assess(kb, &evidence);
        let expected = &vignette["expected"];
        if result.triage.level.as_str() != expected["triage"].as_str().unwrap() {
            failures.push(format!(
                "{id}: level {} expected {}",
                result.triage.level, expected["triage"]
            ));
        }
        let fired: BTreeSet<&str> = result.triage.fired_rules.iter().map(|r| r.id).collect();
        let expected_rules: BTreeSet<&str> = expected["fired_rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        if fired != expected_rules {
            failures.push(format!("{id}: fired {fired:?} expected {expected_rules:?}"));
        }
        if let Some(top) = expected["top_cause"].as_str() {
            if result.causes[0].id != top {
                failures.push(format!(
                    "{id}: top cause {} ({}) expected {top}",
                    result.causes[0].id, result.causes[0].probability
                ));
            }
        }
    }
    assert_eq!(count, 30, "dev.jsonl should hold 30 vignettes");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
