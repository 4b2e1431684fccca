//! Safety invariants of the engine, over arbitrary evidence.

use proptest::prelude::*;
use upperback_core::{
    assess, Evidence, FindingId, FindingKind, KnowledgeBase, Observation, Status, Value,
};

/// Arbitrary evidence: each finding unknown, or known with a value of its kind. Numbers are
/// drawn around the thresholds the rules use as well as across the whole range.
fn evidence_strategy() -> impl Strategy<Value = Evidence> {
    let kb = KnowledgeBase::embedded();
    let n = kb.findings.len();
    prop::collection::vec((0u8..4, 0.0f64..1.0, 0u16..8), n).prop_map(move |draws| {
        let mut evidence = Evidence::new(kb);
        for (i, (state, fraction, pick)) in draws.into_iter().enumerate() {
            let id = FindingId(i as u16);
            let value = match (&kb.finding(id).kind, state) {
                (_, 0) => continue,
                (FindingKind::Bool, 1 | 3) => Value::Present,
                (FindingKind::Bool, _) => Value::Absent,
                (FindingKind::Number { min, max, .. }, 1) => {
                    let near: [f64; 8] = [18.0, 45.0, 50.0, 70.0, 72.0, 73.0, 1008.0, 6.0];
                    Value::Number(near[pick as usize].clamp(*min, *max))
                }
                (FindingKind::Number { min, max, .. }, _) => {
                    Value::Number((min + fraction * (max - min)).round())
                }
                (FindingKind::Choice { choices }, _) => Value::Choice(pick % choices.len() as u16),
            };
            evidence.set(id, Observation::answer(value));
        }
        evidence
    })
}

fn red_flags() -> Vec<FindingId> {
    let kb = KnowledgeBase::embedded();
    (0..kb.findings.len())
        .map(|i| FindingId(i as u16))
        .filter(|f| kb.finding(*f).red_flag)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_red_flag_turning_present_never_lowers_the_level(evidence in evidence_strategy(), pick in 0usize..64) {
        let kb = KnowledgeBase::embedded();
        let flags = red_flags();
        let flag = flags[pick % flags.len()];
        prop_assume!(evidence.status(flag) != Status::Present);
        let before = assess(kb, &evidence).triage.level;
        let mut raised = evidence.clone();
        raised.set(flag, Observation::answer(Value::Present));
        let after = assess(kb, &raised).triage.level;
        prop_assert!(after >= before, "{} made {before} into {after}", kb.finding(flag).id);
    }

    #[test]
    fn unknown_findings_never_fire_a_rule_that_needs_them_present(evidence in evidence_strategy()) {
        let kb = KnowledgeBase::embedded();
        let result = assess(kb, &evidence);
        for rule in &result.triage.fired_rules {
            for finding in &rule.findings {
                let id = kb.finding_id(finding).unwrap();
                prop_assert_ne!(evidence.status(id), Status::Unknown, "rule {} named unknown {}", rule.id, finding);
            }
            for finding in &rule.not_ruled_out {
                let id = kb.finding_id(finding).unwrap();
                prop_assert_eq!(evidence.status(id), Status::Unknown);
            }
        }
        // Every red flag still unknown is reported as not screened.
        for flag in red_flags() {
            let listed = result.triage.unscreened_red_flags.contains(&kb.finding(flag).id.as_str());
            prop_assert_eq!(listed, evidence.status(flag) == Status::Unknown);
        }
    }

    #[test]
    fn answering_unknowns_no_never_fires_a_presence_rule(evidence in evidence_strategy()) {
        // Filling every unknown bool with "no" can only remove rules that relied on
        // presence; a rule firing afterwards that did not fire before would mean an unknown
        // had been read as something it was not.
        let kb = KnowledgeBase::embedded();
        let before: Vec<&str> = assess(kb, &evidence).triage.fired_rules.iter().map(|r| r.id).collect();
        let mut filled = evidence.clone();
        for i in 0..kb.findings.len() {
            let id = FindingId(i as u16);
            if kb.finding(id).kind == FindingKind::Bool && evidence.status(id) == Status::Unknown {
                filled.set(id, Observation::answer(Value::Absent));
            }
        }
        let after_result = assess(kb, &filled);
        for rule in after_result.triage.fired_rules {
            let uses_status_test = kb.rules.iter().find(|r| r.id == rule.id).unwrap().condition_text.contains(" is ");
            prop_assert!(before.contains(&rule.id) || uses_status_test, "rule {} appeared", rule.id);
        }
    }

    #[test]
    fn probabilities_stay_in_unit_interval(evidence in evidence_strategy()) {
        let kb = KnowledgeBase::embedded();
        let result = assess(kb, &evidence);
        prop_assert_eq!(result.causes.len(), 5);
        for cause in &result.causes {
            prop_assert!((0.0..=1.0).contains(&cause.probability));
        }
    }

    #[test]
    fn the_same_input_gives_byte_identical_json(evidence in evidence_strategy()) {
        let kb = KnowledgeBase::embedded();
        let first = assess(kb, &evidence).to_json();
        let second = assess(kb, &evidence.clone()).to_json();
        prop_assert_eq!(first, second);
    }

    #[test]
    fn causes_never_change_the_level(evidence in evidence_strategy()) {
        // Cause evidence that is not part of any rule cannot move triage.
        let kb = KnowledgeBase::embedded();
        let level = assess(kb, &evidence).triage.level;
        let mut changed = evidence.clone();
        for id in ["screen_work", "stress_anxiety", "low_fluid_intake", "heavy_lifting"] {
            changed.set(kb.finding_id(id).unwrap(), Observation::answer(Value::Present));
        }
        prop_assert_eq!(assess(kb, &changed).triage.level, level);
    }
}

#[test]
fn answer_order_does_not_change_the_json() {
    let kb = KnowledgeBase::embedded();
    let a = kb
        .parse_answers(r#"{"fever": false, "age": 40, "screen_work": true}"#)
        .unwrap();
    let b = kb
        .parse_answers(r#"{"screen_work": true, "age": 40, "fever": false}"#)
        .unwrap();
    assert_eq!(assess(kb, &a).to_json(), assess(kb, &b).to_json());
}
