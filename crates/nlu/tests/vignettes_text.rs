//! Vignettes read from their text (with age and sex as given), scored as
//! `../shared/tools/eval_vignettes.py --mode text` scores them: the level, emergencies
//! under-triaged, and precision / recall / F1 over the labelled yes/no findings.
//!
//! - the shared development sets (`dev.jsonl` and `dev2.jsonl`, together);
//! - the independently written vignettes kept in `tests/data/vignettes/`: written from the
//!   clinical specification alone by writers who never saw the reader, split at random into a
//!   half used while changing the reader (`independent_tune.jsonl`) and a half measured only
//!   once, at the end of that work (`independent_holdout.jsonl`). Both now guard against a
//!   regression at the figures measured then;
//! - a second blind set written the same way a session later (`second_blind_tune.jsonl`,
//!   `second_blind_holdout.jsonl`, 70 each, split by id), guarded the same way;
//! - a third blind set (`third_blind_tune.jsonl`, odd ids, 72; `third_blind_holdout.jsonl`,
//!   even ids, 68), written in many voices the session after, guarded the same way;
//! - a fourth blind set (`fourth_blind_tune.jsonl`, odd ids, 72; `fourth_blind_holdout.jsonl`,
//!   even ids, 72), written the session after that, guarded the same way.
//!
//! Once measured and reported, a held-out half is an example like the others: later work
//! reads it, and its floor rises to what the reader then reaches.

use std::collections::BTreeSet;

use serde_json::Value;
use upperback_core::{assess, FindingKind, KnowledgeBase, Observation, Status, TriageLevel};
use upperback_nlu::Reader;

/// How a set was read.
#[derive(Debug, Default)]
struct Score {
    vignettes: usize,
    level_exact: usize,
    emergencies_under_triaged: usize,
    true_positives: usize,
    false_positives: usize,
    false_negatives: usize,
    misses: Vec<String>,
}

impl Score {
    fn level_exact_share(&self) -> f64 {
        self.level_exact as f64 / self.vignettes as f64
    }

    fn f1(&self) -> f64 {
        let tp = self.true_positives as f64;
        let precision = tp / (tp + self.false_positives as f64);
        let recall = tp / (tp + self.false_negatives as f64);
        2.0 * precision * recall / (precision + recall)
    }

    fn report(&self, name: &str) {
        eprintln!(
            "{name}: level exact {}/{} ({:.1} %), emergencies under-triaged {}, findings F1 {:.3}",
            self.level_exact,
            self.vignettes,
            100.0 * self.level_exact_share(),
            self.emergencies_under_triaged,
            self.f1()
        );
        for miss in &self.misses {
            eprintln!("  {miss}");
        }
    }
}

fn score(vignettes: &[Value]) -> Score {
    let kb = KnowledgeBase::embedded();
    let reader = Reader::embedded();
    let mut score = Score::default();
    for vignette in vignettes {
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
        score.vignettes += 1;
        if result.triage.level == expected_level {
            score.level_exact += 1;
        } else {
            score.misses.push(format!(
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
            score.emergencies_under_triaged += 1;
            score
                .misses
                .push(format!("{id}: UNDER-TRIAGED an emergency"));
        }
        // Yes/no findings only, as the shared scoring script counts them.
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
        score.true_positives += labels.intersection(&predicted).count();
        score.false_positives += predicted.difference(&labels).count();
        score.false_negatives += labels.difference(&predicted).count();
    }
    score
}

fn repository_set(file: &str) -> Vec<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/vignettes")
        .join(file);
    let content =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    upperback_testkit::parse_vignettes(&content, file)
}

#[test]
fn dev_vignettes_from_text() {
    let (Some(dev), Some(dev2)) = (
        upperback_testkit::shared_vignettes("dev.jsonl"),
        upperback_testkit::shared_vignettes("dev2.jsonl"),
    ) else {
        return;
    };
    let dev_only = score(&dev);
    dev_only.report("dev.jsonl");
    assert_eq!(
        dev_only.level_exact, dev_only.vignettes,
        "every dev.jsonl level"
    );
    let both: Vec<Value> = dev.into_iter().chain(dev2).collect();
    let score = score(&both);
    score.report("dev.jsonl + dev2.jsonl");
    assert_eq!(score.emergencies_under_triaged, 0);
    assert!(score.level_exact_share() >= 0.95, "level exact below 95 %");
    assert!(
        score.f1() >= 0.90,
        "findings F1 {:.3} below 0.90",
        score.f1()
    );
}

#[test]
fn independent_vignettes_tuned_on() {
    let score = score(&repository_set("independent_tune.jsonl"));
    score.report("independent_tune.jsonl");
    assert_eq!(score.emergencies_under_triaged, 0);
    assert!(score.level_exact_share() >= 0.95, "level exact below 95 %");
    assert!(
        score.f1() >= 0.80,
        "findings F1 {:.3} below 0.80",
        score.f1()
    );
}

#[test]
fn independent_vignettes_held_out() {
    let score = score(&repository_set("independent_holdout.jsonl"));
    score.report("independent_holdout.jsonl");
    // Measured once when the clause rules and frames were written (CLI: 112 of 133 levels,
    // 4 emergencies under-triaged, F1 0.780; the reader before them: 92, 16, 0.750). Read
    // since: 125, 0, 0.818 (CLI).
    assert_eq!(score.emergencies_under_triaged, 0);
    assert!(score.level_exact_share() >= 0.92, "level exact below 92 %");
    assert!(
        score.f1() >= 0.80,
        "findings F1 {:.3} below 0.80",
        score.f1()
    );
}

#[test]
fn second_blind_vignettes_tuned_on() {
    let score = score(&repository_set("second_blind_tune.jsonl"));
    score.report("second_blind_tune.jsonl");
    // Measured (CLI): 66 of 70 levels, none under-triaged, F1 0.766 (before: 59, 4, 0.751).
    assert_eq!(score.emergencies_under_triaged, 0);
    assert!(score.level_exact_share() >= 0.93, "level exact below 93 %");
    assert!(
        score.f1() >= 0.75,
        "findings F1 {:.3} below 0.75",
        score.f1()
    );
}

#[test]
fn second_blind_vignettes_held_out() {
    let score = score(&repository_set("second_blind_holdout.jsonl"));
    score.report("second_blind_holdout.jsonl");
    // Measured once (CLI): 58 of 70 levels, 5 emergencies under-triaged, F1 0.719. Read
    // since: 65, 1, 0.768 (CLI).
    assert!(
        score.emergencies_under_triaged <= 1,
        "emergencies under-triaged"
    );
    assert!(score.level_exact_share() >= 0.91, "level exact below 91 %");
    assert!(
        score.f1() >= 0.75,
        "findings F1 {:.3} below 0.75",
        score.f1()
    );
}

#[test]
fn third_blind_vignettes_tuned_on() {
    let score = score(&repository_set("third_blind_tune.jsonl"));
    score.report("third_blind_tune.jsonl");
    // Measured (CLI): 67 of 72 levels, none under-triaged, F1 0.813 (before: 56, 2, 0.778).
    assert_eq!(score.emergencies_under_triaged, 0);
    assert!(score.level_exact_share() >= 0.93, "level exact below 93 %");
    assert!(
        score.f1() >= 0.80,
        "findings F1 {:.3} below 0.80",
        score.f1()
    );
}

#[test]
fn third_blind_vignettes_held_out() {
    let score = score(&repository_set("third_blind_holdout.jsonl"));
    score.report("third_blind_holdout.jsonl");
    // Measured once (CLI): 50 of 68 levels, 5 emergencies under-triaged, F1 0.767 (the build
    // before this set's work: 49, 6, 0.748). Read since: 60, 1, 0.788 (CLI).
    assert!(
        score.emergencies_under_triaged <= 1,
        "emergencies under-triaged"
    );
    assert!(score.level_exact_share() >= 0.86, "level exact below 86 %");
    assert!(
        score.f1() >= 0.77,
        "findings F1 {:.3} below 0.77",
        score.f1()
    );
}

#[test]
fn fourth_blind_vignettes_tuned_on() {
    let score = score(&repository_set("fourth_blind_tune.jsonl"));
    score.report("fourth_blind_tune.jsonl");
    // Measured (CLI): 69 of 72 levels, 2 emergencies under-triaged, F1 0.798 (before this
    // set's work: 62, 5, 0.784).
    assert!(
        score.emergencies_under_triaged <= 2,
        "emergencies under-triaged"
    );
    assert!(score.level_exact_share() >= 0.94, "level exact below 94 %");
    assert!(
        score.f1() >= 0.78,
        "findings F1 {:.3} below 0.78",
        score.f1()
    );
}

#[test]
fn fourth_blind_vignettes_held_out() {
    let score = score(&repository_set("fourth_blind_holdout.jsonl"));
    score.report("fourth_blind_holdout.jsonl");
    // Measured once (CLI): 60 of 72 levels, 1 emergency under-triaged, F1 0.771. Short of
    // the goal (90 %, none under-triaged): these guard against a regression.
    assert!(
        score.emergencies_under_triaged <= 1,
        "emergencies under-triaged"
    );
    assert!(score.level_exact_share() >= 0.83, "level exact below 83 %");
    assert!(
        score.f1() >= 0.76,
        "findings F1 {:.3} below 0.76",
        score.f1()
    );
}
