//! The care plan: what to do now, what to watch for, when to follow up.

use serde::Serialize;

use crate::causes::CauseResult;
use crate::evidence::{Evidence, Status};
use crate::knowledge::KnowledgeBase;
use crate::triage::{TriageLevel, TriageResult};

/// One piece of advice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdviceItem<'kb> {
    /// The cause it addresses; `null` for general advice.
    pub cause: Option<&'kb str>,
    pub id: &'kb str,
    pub text: &'kb str,
    pub source: &'kb str,
}

/// A warning sign: if it appears, get help at `level`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WatchItem<'kb> {
    pub finding: &'kb str,
    pub level: TriageLevel,
    pub text: &'kb str,
    pub source: &'kb str,
}

/// When to see a clinician if things do not improve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUp<'kb> {
    pub after_hours: f64,
    pub text: &'kb str,
    pub source: &'kb str,
}

/// The care plan of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CarePlan<'kb> {
    /// What to do now, in one or two sentences.
    pub summary: String,
    pub advice: Vec<AdviceItem<'kb>>,
    pub watch_for: Vec<WatchItem<'kb>>,
    pub follow_up: FollowUp<'kb>,
}

/// Builds the care plan from the triage result and the ranked causes.
pub fn care_plan<'kb>(
    kb: &'kb KnowledgeBase,
    evidence: &'kb Evidence,
    triage: &TriageResult<'kb>,
    causes: &[CauseResult<'kb>],
) -> CarePlan<'kb> {
    let care = &kb.care;
    let mut summary = kb.level_info(triage.level).tell.clone();
    if triage.level == TriageLevel::SelfCare && !triage.screening_complete {
        summary.push_str(&format!(
            " Some warning signs were not checked ({}); this advice assumes you do not have them.",
            triage.unscreened_red_flags.len()
        ));
    }
    let mut advice = Vec::new();
    if care.applies_to.contains(&triage.level) {
        advice.extend(care.general.iter().map(|a| AdviceItem {
            cause: None,
            id: &a.id,
            text: &a.text,
            source: &a.source,
        }));
        for result in causes.iter().filter(|c| c.probability > care.threshold) {
            let index = kb
                .causes
                .iter()
                .position(|c| c.id == result.id)
                .expect("ranked causes come from the knowledge base");
            advice.extend(care.by_cause[index].iter().map(|a| AdviceItem {
                cause: a.cause.as_deref(),
                id: &a.id,
                text: &a.text,
                source: &a.source,
            }));
            // A tool's specific fixes (e.g. the workstation changes a ROSA score calls for),
            // when its finding is present and bears on this cause.
            let cause = &kb.causes[index];
            advice.extend(
                evidence
                    .advice()
                    .iter()
                    .filter(|t| evidence.status(t.finding) == Status::Present)
                    .filter(|t| cause.evidence.iter().any(|lr| lr.finding == t.finding))
                    .map(|t| AdviceItem {
                        cause: Some(cause.id.as_str()),
                        id: &t.id,
                        text: &t.text,
                        source: &t.source,
                    }),
            );
        }
    }
    // Signs already present are in the triage result; the watch list is for new ones.
    let watch_for = care
        .watch
        .iter()
        .filter(|w| evidence.status(w.finding) != Status::Present)
        .map(|w| WatchItem {
            finding: &kb.finding(w.finding).id,
            level: w.level,
            text: &w.text,
            source: &w.source,
        })
        .collect();
    CarePlan {
        summary,
        advice,
        watch_for,
        follow_up: FollowUp {
            after_hours: care.follow_up_after_hours,
            text: &care.follow_up_text,
            source: &care.follow_up_source,
        },
    }
}
