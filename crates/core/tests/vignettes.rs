//! The development vignettes of `../shared/data/vignettes/dev.jsonl`, given as structured
//! answers (their labelled present / absent findings, values, age and sex), must give exactly
//! the expected triage level and fired rules, and the expected top cause where one is given.

use std::collections::BTreeSet;

use serde_json::Value;
use upperback_core::{assess, KnowledgeBase};

#[test]
fn dev_vignettes_as_structured_answers() {
    let Some(vignettes) = upperback_testkit::dev_vignettes() else {
        return;
    };
    let kb = KnowledgeBase::embedded();
    let mut failures = Vec::new();
    let mut count = 0;
    for vignette in &vignettes {
        count += 1;
        let id = vignette["id"].as_str().unwrap();
        let evidence = kb
            .answers_from_json(&Value::Object(upperback_testkit::labels_as_answers(
                vignette,
            )))
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
