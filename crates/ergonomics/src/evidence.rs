//! Feeding a score into an assessment: ROSA ≥ 5 or RULA ≥ 5 makes `poor_workstation`
//! present (origin `ergonomics`), and the changes that would lower the score most become
//! the posture advice of the care plan.

use upperback_core::{Evidence, KnowledgeBase, Observation, Origin, ToolAdvice, Value};

use crate::{poor_workstation, Improvement, RosaResult, RulaResult};

/// The finding a workstation score speaks to.
pub const FINDING: &str = "poor_workstation";

/// A scored workstation or posture, as the assessment sees it.
#[derive(Debug, Clone, Copy)]
pub struct ScoredWorkstation<'a> {
    /// `ROSA` or `RULA` (also the source key of the advice).
    pub method: &'a str,
    /// ROSA final score or RULA grand score.
    pub score: u8,
    /// The changes that would lower the score most, best first.
    pub improvements: &'a [Improvement],
}

impl<'a> From<&'a RosaResult> for ScoredWorkstation<'a> {
    fn from(result: &'a RosaResult) -> Self {
        ScoredWorkstation {
            method: "ROSA",
            score: result.score,
            improvements: &result.improvements,
        }
    }
}

impl<'a> From<&'a RulaResult> for ScoredWorkstation<'a> {
    fn from(result: &'a RulaResult) -> Self {
        ScoredWorkstation {
            method: "RULA",
            score: result.score,
            improvements: &result.improvements,
        }
    }
}

/// Records the score in the evidence. A poor score (≥ 5) makes `poor_workstation` present
/// with the fixes as advice; an acceptable one makes it absent unless another score already
/// found it poor (a measured workstation outweighs a description of it).
pub fn add_to_evidence(kb: &KnowledgeBase, evidence: &mut Evidence, scored: ScoredWorkstation) {
    let Some(finding) = kb.finding_id(FINDING) else {
        return;
    };
    let poor = poor_workstation(scored.score);
    let already_poor = evidence
        .get(finding)
        .is_some_and(|o| o.origin == Origin::Ergonomics && o.value == Value::Present);
    if !poor && already_poor {
        return;
    }
    evidence.set(
        finding,
        Observation {
            value: if poor { Value::Present } else { Value::Absent },
            origin: Origin::Ergonomics,
            spans: Vec::new(),
            trigger: None,
            note: Some(format!(
                "{} score {} ({})",
                scored.method,
                scored.score,
                if poor { "change needed" } else { "acceptable" }
            )),
        },
    );
    if poor {
        for (i, improvement) in scored.improvements.iter().enumerate() {
            evidence.add_advice(ToolAdvice {
                finding,
                id: format!(
                    "{}_fix_{}_{}",
                    scored.method.to_lowercase(),
                    i + 1,
                    improvement.problem
                ),
                text: improvement.text.clone(),
                source: scored.method.to_string(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use upperback_core::{assess, Status};

    const POOR: &str = r#"{
      "chair": {"seat_height": "too_low_or_high", "seat_height_flags": {"not_adjustable": true},
                "seat_depth": "too_long_or_short", "armrests": "too_high_or_low",
                "armrest_flags": {"not_adjustable": true}, "back_support": "no_lumbar_or_wrong_angle",
                "hours_per_day": 6, "longest_stretch_minutes": 90},
      "monitor": {"position": "too_low", "flags": {"glare": true}, "hours_per_day": 6, "longest_stretch_minutes": 90},
      "telephone": {"position": "ok", "flags": {"no_hands_free": true}, "hours_per_day": 2, "longest_stretch_minutes": 20},
      "mouse": {"position": "reaching", "flags": {"pinch_grip": true}, "hours_per_day": 6, "longest_stretch_minutes": 90},
      "keyboard": {"position": "wrists_extended", "flags": {"wrists_deviated": true}, "hours_per_day": 6, "longest_stretch_minutes": 90}
    }"#;

    #[test]
    fn a_poor_workstation_is_present_and_its_fixes_reach_the_care_plan() {
        let kb = KnowledgeBase::embedded();
        let result = crate::rosa::score(&crate::parse_rosa(POOR).unwrap());
        assert_eq!(result.score, 5);
        let mut evidence = kb
            .parse_answers(
                r#"{"screen_work": true, "worse_after_sitting": true, "sitting_hours_per_day": 9}"#,
            )
            .unwrap();
        add_to_evidence(kb, &mut evidence, (&result).into());
        let finding = kb.finding_id(FINDING).unwrap();
        assert_eq!(evidence.status(finding), Status::Present);
        assert_eq!(evidence.get(finding).unwrap().origin, Origin::Ergonomics);
        let assessment = assess(kb, &evidence);
        let posture: Vec<&str> = assessment
            .care_plan
            .advice
            .iter()
            .filter(|a| a.cause == Some("postural_strain") && a.source == "ROSA")
            .map(|a| a.text)
            .collect();
        assert!(!posture.is_empty());
        assert_eq!(
            posture,
            result.advice.iter().map(String::as_str).collect::<Vec<_>>()
        );
    }

    #[test]
    fn an_acceptable_workstation_is_absent_without_advice() {
        let kb = KnowledgeBase::embedded();
        let scored = ScoredWorkstation {
            method: "RULA",
            score: 3,
            improvements: &[],
        };
        let mut evidence = Evidence::new(kb);
        add_to_evidence(kb, &mut evidence, scored);
        assert_eq!(
            evidence.status(kb.finding_id(FINDING).unwrap()),
            Status::Absent
        );
        assert!(evidence.advice().is_empty());
    }
}
