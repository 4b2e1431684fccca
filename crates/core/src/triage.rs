//! Triage: the level of urgency, by explicit red-flag rules.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::evidence::{Evidence, Status};
use crate::knowledge::KnowledgeBase;

/// How urgently the person should get help. Ordered: `SelfCare` < … < `Ambulance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum TriageLevel {
    #[serde(rename = "self_care")]
    SelfCare,
    #[serde(rename = "within_days")]
    WithinDays,
    #[serde(rename = "within_24_hours")]
    Within24Hours,
    #[serde(rename = "emergency_department")]
    EmergencyDepartment,
    #[serde(rename = "ambulance")]
    Ambulance,
}

impl TriageLevel {
    /// Every level, least urgent first.
    pub const ALL: [TriageLevel; 5] = [
        TriageLevel::SelfCare,
        TriageLevel::WithinDays,
        TriageLevel::Within24Hours,
        TriageLevel::EmergencyDepartment,
        TriageLevel::Ambulance,
    ];

    /// The contract's id of the level, e.g. `within_24_hours`.
    pub fn as_str(self) -> &'static str {
        match self {
            TriageLevel::SelfCare => "self_care",
            TriageLevel::WithinDays => "within_days",
            TriageLevel::Within24Hours => "within_24_hours",
            TriageLevel::EmergencyDepartment => "emergency_department",
            TriageLevel::Ambulance => "ambulance",
        }
    }

    /// 0 for self-care up to 4 for ambulance.
    pub fn rank(self) -> usize {
        self as usize
    }

    /// Ambulance or emergency department: the person must go now.
    pub fn is_emergency(self) -> bool {
        self >= TriageLevel::EmergencyDepartment
    }
}

impl fmt::Display for TriageLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TriageLevel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TriageLevel::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown triage level `{s}`; expected one of ambulance, emergency_department, within_24_hours, within_days, self_care"
                )
            })
    }
}

/// A rule that fired, with the findings that made it fire.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiredRule<'kb> {
    pub id: &'kb str,
    pub level: TriageLevel,
    /// Known findings that satisfied the condition.
    pub findings: Vec<&'kb str>,
    /// Findings whose *unknown* status satisfied an `is not` test (e.g. "improving is not
    /// yes"): the rule fired because they were not ruled out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_ruled_out: Vec<&'kb str>,
    pub condition: &'kb str,
    pub why: &'kb str,
    pub source: &'kb str,
}

/// Whether every red flag has been screened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Screening {
    /// Every red flag is known, present or absent.
    Complete,
    /// Some red flag is unknown: a level below an emergency holds only if none of the
    /// unchecked warning signs applies.
    Partial,
}

/// The triage part of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriageResult<'kb> {
    pub level: TriageLevel,
    /// Every rule that fired, highest level first.
    pub fired_rules: Vec<FiredRule<'kb>>,
    /// Red-flag findings still unknown: not screened, never assumed absent.
    pub unscreened_red_flags: Vec<&'kb str>,
    /// `complete` when no red flag is unscreened, else `partial`.
    pub screening: Screening,
}

/// Evaluates every rule. The level is the maximum over fired rules (self-care with none).
pub fn triage<'kb>(kb: &'kb KnowledgeBase, evidence: &Evidence) -> TriageResult<'kb> {
    let mut fired_rules = Vec::new();
    let mut trace = Vec::new();
    for rule in &kb.rules {
        trace.clear();
        if rule.condition.evaluate(evidence, &mut trace) {
            let named = |unknown: bool| {
                trace
                    .iter()
                    .filter(move |(_, status)| (*status == Status::Unknown) == unknown)
                    .map(|(f, _)| kb.finding(*f).id.as_str())
                    .collect()
            };
            fired_rules.push(FiredRule {
                id: &rule.id,
                level: rule.level,
                findings: named(false),
                not_ruled_out: named(true),
                condition: &rule.condition_text,
                why: &rule.why,
                source: &rule.source,
            });
        }
    }
    // Stable: within a level, rules keep their knowledge-base order.
    fired_rules.sort_by_key(|rule| std::cmp::Reverse(rule.level));
    let level = fired_rules
        .first()
        .map(|r| r.level)
        .unwrap_or(TriageLevel::SelfCare);
    let unscreened_red_flags: Vec<&str> = kb
        .findings
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            f.red_flag && evidence.status(crate::knowledge::FindingId(*i as u16)) == Status::Unknown
        })
        .map(|(_, f)| f.id.as_str())
        .collect();
    TriageResult {
        level,
        screening: if unscreened_red_flags.is_empty() {
            Screening::Complete
        } else {
            Screening::Partial
        },
        fired_rules,
        unscreened_red_flags,
    }
}
