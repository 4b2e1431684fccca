//! Contributing causes: each an independent log-odds model over known findings.

use serde::Serialize;

use crate::evidence::{Evidence, Status};
use crate::knowledge::KnowledgeBase;

/// How one known finding moved one cause.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CauseEvidence<'kb> {
    pub finding: &'kb str,
    /// `present` or `absent` as the evidence test saw it (a number passing its threshold is
    /// `present`).
    pub status: Status,
    /// The likelihood ratio applied: above 1 raised the odds, below 1 lowered them.
    pub likelihood_ratio: f64,
    /// For numeric and choice findings: the test, e.g. `>= 6`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<&'kb str>,
}

/// One contributing cause, its probability and the evidence that moved it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CauseResult<'kb> {
    pub id: &'kb str,
    pub name: &'kb str,
    /// Posterior probability in [0, 1], rounded to 4 decimals.
    pub probability: f64,
    pub prior: f64,
    /// Strongest first.
    pub evidence: Vec<CauseEvidence<'kb>>,
    /// `expert` when the numbers are expert estimates awaiting clinical review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<&'kb str>,
    pub source: &'kb str,
}

/// Rounds to 4 decimals so results are stable and readable; clamped into [0, 1].
pub(crate) fn round_probability(p: f64) -> f64 {
    ((p * 10_000.0).round() / 10_000.0).clamp(0.0, 1.0)
}

/// Ranks every cause: posterior odds = prior odds × Π likelihood ratios of known findings;
/// unknown findings leave the odds unchanged. Highest probability first; ties keep the
/// knowledge-base order.
pub fn rank_causes<'kb>(kb: &'kb KnowledgeBase, evidence: &Evidence) -> Vec<CauseResult<'kb>> {
    let mut results: Vec<CauseResult> = kb
        .causes
        .iter()
        .map(|cause| {
            let mut log_odds = (cause.prior / (1.0 - cause.prior)).ln();
            let mut moved = Vec::new();
            let mut trace = Vec::new();
            for lr in &cause.evidence {
                let status = match (&lr.test, evidence.status(lr.finding)) {
                    (_, Status::Unknown) => continue,
                    (None, status) => status,
                    (Some(test), _) => {
                        trace.clear();
                        if test.evaluate(evidence, &mut trace) {
                            Status::Present
                        } else {
                            Status::Absent
                        }
                    }
                };
                let ratio = if status == Status::Present {
                    lr.lr_present
                } else {
                    lr.lr_absent
                };
                if ratio == 1.0 {
                    continue;
                }
                log_odds += ratio.ln();
                moved.push(CauseEvidence {
                    finding: &kb.finding(lr.finding).id,
                    status,
                    likelihood_ratio: ratio,
                    when: lr.when.as_deref(),
                });
            }
            moved.sort_by(|a, b| {
                b.likelihood_ratio
                    .ln()
                    .abs()
                    .total_cmp(&a.likelihood_ratio.ln().abs())
            });
            let probability = 1.0 / (1.0 + (-log_odds).exp());
            CauseResult {
                id: &cause.id,
                name: &cause.name,
                probability: round_probability(probability),
                prior: cause.prior,
                evidence: moved,
                estimate: cause.estimate.as_deref(),
                source: &cause.source,
            }
        })
        .collect();
    results.sort_by(|a, b| b.probability.total_cmp(&a.probability));
    results
}
