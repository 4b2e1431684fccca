//! The follow-up rule of the diary (`shared/clinical/care.md`, "Follow-up rule"): if the pain
//! is not clearly better after the knowledge base's follow-up hours (72 in care.toml) of home
//! care, see a clinician. The hours and the level an overdue follow-up asks for are clinical
//! data, so callers pass them in as a [`FollowUpRule`] built from the knowledge base; this
//! crate holds no such number or level.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::types::{CheckIn, Episode};

/// When the follow-up falls due (a time after the start of an episode, kept to the second),
/// and the triage level an overdue one asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowUpRule {
    after: Duration,
    level: &'static str,
}

/// Why the knowledge base's follow-up data cannot be a follow-up rule.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum FollowUpRuleError {
    #[error("follow-up after {0} hours: must be a finite number of hours, at least one second")]
    OutOfRange(f64),
    #[error(
        "follow-up level: must be a triage level id (care.toml `[follow_up] level`), not empty"
    )]
    EmptyLevel,
}

impl FollowUpRule {
    /// The rule for `hours` after the start (the knowledge base's `follow_up_after_hours`),
    /// rounded to the second (finer than any diary entry, and exact for whole minutes), whose
    /// overdue result asks for `level` (the knowledge base's `follow_up_level`, e.g.
    /// `within_days`). Level ids are the core's fixed `TriageLevel` names, hence `'static`,
    /// which keeps the rule `Copy`.
    pub fn new(hours: f64, level: &'static str) -> Result<Self, FollowUpRuleError> {
        let seconds = (hours * 3600.0).round();
        // `as` saturates, so the range check must come first.
        let after = (seconds >= 1.0 && seconds < i64::MAX as f64)
            .then(|| Duration::try_seconds(seconds as i64))
            .flatten()
            .ok_or(FollowUpRuleError::OutOfRange(hours))?;
        if level.trim().is_empty() {
            return Err(FollowUpRuleError::EmptyLevel);
        }
        Ok(Self { after, level })
    }

    /// The triage level id an overdue follow-up asks for ([`FollowUp::level`]).
    pub fn level(&self) -> &'static str {
        self.level
    }

    /// The time after the start of an episode when the follow-up falls due.
    pub fn after(&self) -> Duration {
        self.after
    }

    /// [`Self::after`] in hours, for axes and texts.
    pub fn hours(&self) -> f64 {
        self.after.num_seconds() as f64 / 3600.0
    }
}

/// Where an episode stands with the follow-up rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// `started_at` + the rule's hours (the latest time there is, should that overflow).
    pub due_at: DateTime<Utc>,
    /// See [`follow_up`].
    pub overdue: bool,
    /// The rule's level (e.g. `Some("within_days")`) when overdue, `None` otherwise.
    pub level: Option<String>,
}

/// The follow-up rule, exactly:
///
/// Only check-ins at or before `now` count (a check-in dated in the future is ignored). The
/// episode is **overdue** when all three hold:
///
/// 1. **time**: `now` is strictly later than `started_at` + `rule.after()` (the knowledge
///    base's follow-up hours, 72 in care.toml; at exactly that time it is due, not yet overdue);
/// 2. **home care was tried**: at least one counted check-in lists some home care;
/// 3. **not relieved**: the latest counted check-in (greatest `at`; on a tie the one stored
///    last) reports `improving: false`. Without any check-in nothing says it is better, but
///    rule 2 then fails: with no home care reported the rule does not apply, and the care plan
///    still says to see someone if it is not better.
///
/// When overdue, `level` is the rule's level (the knowledge base's, `within_days`: see a
/// clinician within a few days; the red-flag rules of an assessment may ask for more). The
/// function is pure: same input, same output.
pub fn follow_up(
    episode: &Episode,
    check_ins: &[CheckIn],
    rule: FollowUpRule,
    now: DateTime<Utc>,
) -> FollowUp {
    let due_at = episode
        .started_at
        .checked_add_signed(rule.after())
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let counted = check_ins.iter().filter(|c| c.at <= now);
    let home_care_tried = counted.clone().any(|c| !c.home_care.is_empty());
    let latest = counted.max_by(|a, b| {
        a.at.cmp(&b.at)
            .then(a.created_at.cmp(&b.created_at))
            .then(a.id.cmp(&b.id))
    });
    let not_relieved = latest.is_some_and(|c| !c.improving);
    let overdue = now > due_at && home_care_tried && not_relieved;
    FollowUp {
        due_at,
        overdue,
        level: overdue.then(|| rule.level().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{CheckInId, EpisodeId};

    fn rule(hours: f64) -> FollowUpRule {
        FollowUpRule::new(hours, "within_days").unwrap()
    }

    /// The rule of care.toml today.
    fn r72() -> FollowUpRule {
        rule(72.0)
    }

    fn t(h: i64, m: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap()
            + Duration::hours(h)
            + Duration::minutes(m)
    }

    fn episode() -> Episode {
        Episode {
            id: EpisodeId::random(),
            owner: None,
            created_at: t(0, 0),
            started_at: t(0, 0),
            location: None,
            severity: Some(6),
            triggers: vec![],
            assessment: None,
        }
    }

    fn check_in(ep: &Episode, at: DateTime<Utc>, improving: bool, care: &[&str]) -> CheckIn {
        CheckIn {
            id: CheckInId::random(),
            episode: ep.id,
            created_at: at,
            at,
            severity: 5,
            improving,
            home_care: care.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn boundaries() {
        let ep = episode();
        let cis = vec![check_in(&ep, t(24, 0), false, &["heat"])];
        let at72 = follow_up(&ep, &cis, r72(), t(72, 0));
        assert_eq!(at72.due_at, t(72, 0));
        assert!(!at72.overdue);
        assert_eq!(at72.level, None);
        let after = follow_up(&ep, &cis, r72(), t(72, 1));
        assert!(after.overdue);
        assert_eq!(after.level.as_deref(), Some("within_days"));
    }

    #[test]
    fn improving_or_no_home_care_is_not_overdue() {
        let ep = episode();
        let now = t(100, 0);
        let better = vec![
            check_in(&ep, t(24, 0), false, &["heat"]),
            check_in(&ep, t(60, 0), true, &[]),
        ];
        assert!(!follow_up(&ep, &better, r72(), now).overdue);
        let no_care = vec![check_in(&ep, t(24, 0), false, &[])];
        assert!(!follow_up(&ep, &no_care, r72(), now).overdue);
        assert!(!follow_up(&ep, &[], r72(), now).overdue);
        // Worse again after being better: the latest check-in decides.
        let relapse = vec![
            check_in(&ep, t(24, 0), true, &["ice"]),
            check_in(&ep, t(80, 0), false, &[]),
        ];
        assert!(follow_up(&ep, &relapse, r72(), now).overdue);
    }

    #[test]
    fn future_check_ins_do_not_count() {
        let ep = episode();
        let cis = vec![
            check_in(&ep, t(24, 0), false, &["heat"]),
            check_in(&ep, t(200, 0), true, &[]),
        ];
        assert!(follow_up(&ep, &cis, r72(), t(100, 0)).overdue);
        assert!(!follow_up(&ep, &cis, r72(), t(201, 0)).overdue);
    }

    #[test]
    fn another_rule_moves_due_at_and_overdue() {
        let ep = episode();
        let cis = vec![check_in(&ep, t(24, 0), false, &["heat"])];
        let at48 = follow_up(&ep, &cis, rule(48.0), t(48, 0));
        assert_eq!(at48.due_at, t(48, 0));
        assert!(!at48.overdue);
        let after48 = follow_up(&ep, &cis, rule(48.0), t(48, 1));
        assert!(after48.overdue);
        assert_eq!(after48.level.as_deref(), Some("within_days"));
        // The level is the rule's, whatever it is.
        let sooner = FollowUpRule::new(48.0, "within_24_hours").unwrap();
        assert_eq!(
            follow_up(&ep, &cis, sooner, t(48, 1)).level.as_deref(),
            Some("within_24_hours")
        );
        // The same moment under the 72-hour rule is not yet overdue.
        assert!(!follow_up(&ep, &cis, r72(), t(48, 1)).overdue);
        // Fractions of an hour keep their minutes.
        assert_eq!(rule(1.5).after(), Duration::minutes(90));
        assert_eq!(rule(72.0).hours(), 72.0);
    }

    #[test]
    fn hours_that_are_no_time_are_refused() {
        for hours in [0.0, -1.0, 0.0001, f64::NAN, f64::INFINITY, 1e300] {
            assert!(
                FollowUpRule::new(hours, "within_days").is_err(),
                "{hours} hours"
            );
        }
        assert_eq!(
            FollowUpRule::new(72.0, " "),
            Err(FollowUpRuleError::EmptyLevel)
        );
        // A rule that runs past the end of time still answers.
        let ep = episode();
        let f = follow_up(&ep, &[], rule(2e12), t(0, 0));
        assert!(!f.overdue);
    }
}
