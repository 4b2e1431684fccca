//! Accuracy of the context engine on the development half of the NegEx / ConText test set
//! (`shared/data/context/negex-dev.tsv`, see `shared/data/README.md`).
//!
//! Gold "possible" findings are labelled Affirmed in this file, and the engine's uncertain findings are
//! not negated, so the two line up. "Family member" counts as Other.

use std::collections::HashMap;

use upperback_nlu::context::ContextEngine;

/// Thresholds the engine must keep on the development half (medspaCy 1.3.1 scores 0.976 / 0.942 /
/// 0.915 / 0.999 here).
const MIN_NEGATION_ACCURACY: f64 = 0.9966;
const MIN_NEGATION_F1: f64 = 0.99;
const MIN_TEMPORALITY_ACCURACY: f64 = 0.966;
const MIN_EXPERIENCER_ACCURACY: f64 = 0.9999;

#[test]
fn negex_dev_accuracy() {
    let Some(text) = upperback_testkit::read_shared("data/context/negex-dev.tsv") else {
        return;
    };

    let mut gold: HashMap<String, (String, String, String)> = HashMap::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.len() >= 6, "gold row has fewer than 6 columns: {line}");
        let experiencer = if cols[5].trim() == "Patient" {
            "Patient"
        } else {
            "Other"
        };
        gold.insert(
            cols[0].to_string(),
            (
                cols[3].trim().to_string(),
                cols[4].trim().to_string(),
                experiencer.to_string(),
            ),
        );
    }

    let mut out = Vec::new();
    let summary = ContextEngine::embedded()
        .run_tsv(text.as_bytes(), &mut out)
        .expect("run_tsv on the dev set");
    assert_eq!(summary.rows, gold.len());
    let out = String::from_utf8(out).expect("UTF-8 output");

    let (mut neg_ok, mut temp_ok, mut exp_ok) = (0usize, 0usize, 0usize);
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut lines = 0usize;
    for line in out.lines() {
        lines += 1;
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "output line: {line}");
        let (neg, temp, exp) = gold.get(cols[0]).expect("output id is a gold id");
        neg_ok += usize::from(cols[1] == neg);
        temp_ok += usize::from(cols[2] == temp);
        exp_ok += usize::from(cols[3] == exp);
        match (cols[1] == "Negated", neg == "Negated") {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            (false, false) => {}
        }
    }
    assert_eq!(lines, gold.len(), "one output line per data row");

    let n = lines as f64;
    let negation_accuracy = neg_ok as f64 / n;
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let temporality_accuracy = temp_ok as f64 / n;
    let experiencer_accuracy = exp_ok as f64 / n;

    println!(
        "negex-dev.tsv: {lines} rows, {} concepts not found",
        summary.concepts_not_found
    );
    println!(
        "negation accuracy {negation_accuracy:.4} (precision {precision:.3}, recall {recall:.3}, F1 {f1:.4})"
    );
    println!("temporality accuracy {temporality_accuracy:.4}");
    println!("experiencer accuracy {experiencer_accuracy:.4}");

    assert!(
        negation_accuracy >= MIN_NEGATION_ACCURACY,
        "negation accuracy {negation_accuracy:.4}"
    );
    assert!(f1 >= MIN_NEGATION_F1, "negation F1 {f1:.4}");
    assert!(
        temporality_accuracy >= MIN_TEMPORALITY_ACCURACY,
        "temporality accuracy {temporality_accuracy:.4}"
    );
    assert!(
        experiencer_accuracy >= MIN_EXPERIENCER_ACCURACY,
        "experiencer accuracy {experiencer_accuracy:.4}"
    );
}
