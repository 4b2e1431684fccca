//! The development vignettes read from their text (with age and sex as given): every
//! expected triage level matches, no emergent case is under-triaged, and finding-level F1 on
//! the labelled present / absent findings is at least 0.95.

use std::collections::BTreeSet;

use upperback_core::{assess, FindingKind, KnowledgeBase, Observation, Status, TriageLevel};
use upperback_nlu::Reader;

#[test]
fn dev_vignettes_from_text() {
    let Some(vignettes) = upperback_testkit::dev_vignettes() else {
        return;
    };
    let kb = KnowledgeBase::embedded();
    let reader = Reader::embedded();
    let (mut true_positives, mut false_positives, mut false_negatives) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for vignette in &vignettes {
        let id = vignette["id"].as_str().unwrap();
        let text = vignette["text"].as_str().unwrap();
        let mut evidence = reader.read(kb, text, None).unwrap().evidence;
        for key in ["age", "sex"] {
            if !vignette[key].is_null() {
                let (finding, value) = kb.parse_answer(key, &vignette[key]).unwrap().unwrap();
                evidence.set(finding, Observation::answer(value));
            }
        }
        let result = assess(kb, &evidence);
        let expected = &vignette["expected"];
        let expected_level: TriageLevel = expected["triage"].as_str().unwrap().parse().unwrap();
        if result.triage.level != expected_level {
            failures.push(format!(
                "{id}: level {} expected {expected_level} (fired {:?})",
                result.triage.level,
                result
                    .triage
                    .fired_rules
                    .iter()
                    .map(|r| r.id)
                    .collect::<Vec<_>>()
            ));
        }
        if expected_level.is_emergency() && result.triage.level < expected_level {
            failures.push(format!("{id}: UNDER-TRIAGED an emergency"));
        }
        // Finding-level F1 over yes/no findings: a labelled status is a positive.
        let labels: BTreeSet<(String, Status)> = ["present", "absent"]
            .iter()
            .flat_map(|key| {
                let status = if *key == "present" {
                    Status::Present
                } else {
                    Status::Absent
                };
                expected[*key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(move |f| (f.as_str().unwrap().to_string(), status))
            })
            .filter(|(f, _)| {
                kb.finding_id(f)
                    .is_some_and(|id| kb.finding(id).kind == FindingKind::Bool)
            })
            .collect();
        let predicted: BTreeSet<(String, Status)> = evidence
            .known()
            .filter(|(id, _)| kb.finding(*id).kind == FindingKind::Bool)
            .map(|(id, _)| (kb.finding(id).id.clone(), evidence.status(id)))
            .collect();
        let tp = labels.intersection(&predicted).count();
        let fp: Vec<_> = predicted.difference(&labels).collect();
        let fn_: Vec<_> = labels.difference(&predicted).collect();
        if !fp.is_empty() || !fn_.is_empty() {
            eprintln!("{id}: extra {fp:?} missing {fn_:?}");
        }
        true_positives += tp;
        false_positives += fp.len();
        false_negatives += fn_.len();
    }
    let precision = true_positives as f64 / (true_positives + false_positives) as f64;
    let recall = true_positives as f64 / (true_positives + false_negatives) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall);
    eprintln!("finding-level precision {precision:.3} recall {recall:.3} F1 {f1:.3}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(f1 >= 0.95, "finding-level F1 {f1:.3} is below 0.95");
}
