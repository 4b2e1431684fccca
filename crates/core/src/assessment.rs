//! The assessment: triage, causes, findings and care plan, as the contract's JSON object.

use serde::Serialize;

use crate::care::{care_plan, CarePlan};
use crate::causes::{rank_causes, CauseResult};
use crate::evidence::{Evidence, Origin, Status, TextSpan, TextTrigger, Value};
use crate::knowledge::{FindingKind, KnowledgeBase};
use crate::triage::{triage, TriageResult};

/// Which knowledge base produced a result, so it can be reproduced later.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnowledgeBaseStamp<'kb> {
    pub version: &'kb str,
    pub digest: &'kb str,
}

/// A known finding as reported in the result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingReport<'a> {
    pub id: &'a str,
    pub status: Status,
    /// The number or choice of non-bool findings; `null` for bool findings.
    pub value: serde_json::Value,
    pub origin: Origin,
    /// Spans of the text it was read from.
    pub evidence: &'a [TextSpan],
    /// The context trigger that changed it, e.g. the "no" of "no fever".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger: Option<&'a TextTrigger>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
}

/// A red flag the text may have described, as the result reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PossibleRedFlagReport<'a> {
    pub finding: &'a str,
    /// The person's words that point to it.
    pub words: &'a str,
    pub start: usize,
    pub end: usize,
}

/// The whole result of an assessment (`../shared/contracts/assessment.md`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment<'a> {
    pub triage: TriageResult<'a>,
    /// Red flags the text may have described and no answer has settled. They never change
    /// the level by themselves.
    pub possible_red_flags: Vec<PossibleRedFlagReport<'a>>,
    pub causes: Vec<CauseResult<'a>>,
    pub findings: Vec<FindingReport<'a>>,
    pub care_plan: CarePlan<'a>,
    pub knowledge_base: KnowledgeBaseStamp<'a>,
    pub disclaimer: &'a str,
}

impl Assessment<'_> {
    /// The contract's JSON. Deterministic: the same evidence gives byte-identical output.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an assessment always serialises")
    }
}

/// Assesses the evidence: triage, contributing causes and care plan. Pure and deterministic.
pub fn assess<'a>(kb: &'a KnowledgeBase, evidence: &'a Evidence) -> Assessment<'a> {
    let triage = triage(kb, evidence);
    let causes = rank_causes(kb, evidence);
    let care_plan = care_plan(kb, evidence, &triage, &causes);
    let findings = evidence
        .known()
        .map(|(id, observation)| {
            let finding = kb.finding(id);
            let value = match (&observation.value, &finding.kind) {
                (Value::Number(n), _) => serde_json::Number::from_f64(*n)
                    .map(serde_json::Value::Number)
                    .unwrap_or(serde_json::Value::Null),
                (Value::Choice(c), FindingKind::Choice { choices }) => {
                    serde_json::Value::String(choices[*c as usize].clone())
                }
                _ => serde_json::Value::Null,
            };
            FindingReport {
                id: &finding.id,
                status: evidence.status(id),
                value,
                origin: observation.origin,
                evidence: &observation.spans,
                trigger: observation.trigger.as_ref(),
                note: observation.note.as_deref(),
            }
        })
        .collect();
    let possible_red_flags = evidence
        .open_possible()
        .map(|p| PossibleRedFlagReport {
            finding: &kb.finding(p.finding).id,
            words: &p.span.text,
            start: p.span.start,
            end: p.span.end,
        })
        .collect();
    Assessment {
        triage,
        possible_red_flags,
        causes,
        findings,
        care_plan,
        knowledge_base: KnowledgeBaseStamp {
            version: &kb.version,
            digest: &kb.digest,
        },
        disclaimer: &kb.disclaimer,
    }
}
