//! The 72-hour follow-up rule of the diary (`shared/clinical/care.md`, "Follow-up rule"): if
//! the pain is not clearly better after 72 hours of home care, see a clinician.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::types::{CheckIn, Episode};

/// Hours after the start of an episode when the follow-up falls due.
pub const FOLLOW_UP_HOURS: i64 = 72;

/// The level an overdue follow-up asks for.
pub const FOLLOW_UP_LEVEL: &str = "within_days";

/// Where an episode stands with the follow-up rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// `started_at` + 72 hours.
    pub due_at: DateTime<Utc>,
    /// See [`follow_up`].
    pub overdue: bool,
    /// `Some("within_days")` when overdue, `None` otherwise.
    pub level: Option<String>,
}

/// The follow-up rule, exactly:
///
/// Only check-ins at or before `now` count (a check-in dated in the future is ignored). The
/// episode is **overdue** when all three hold:
///
/// 1. **time**: `now` is strictly more than 72 hours after `started_at` (at exactly 72 hours
///    it is due, not yet overdue);
/// 2. **home care was tried**: at least one counted check-in lists some home care;
/// 3. **not relieved**: the latest counted check-in (greatest `at`; on a tie the one stored
///    last) reports `improving: false`. Without any check-in nothing says it is better, but
///    rule 2 then fails: with no home care reported the rule does not apply, and the care plan
///    still says to see someone if it is not better.
///
/// When overdue, `level` is `within_days` (see a clinician within a few days; the red-flag
/// rules of an assessment may ask for more). The function is pure: same input, same output.
pub fn follow_up(episode: &Episode, check_ins: &[CheckIn], now: DateTime<Utc>) -> FollowUp {
    let due_at = episode.started_at + Duration::hours(FOLLOW_UP_HOURS);
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
        level: overdue.then(|| FOLLOW_UP_LEVEL.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{CheckInId, EpisodeId};

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
        let at72 = follow_up(&ep, &cis, t(72, 0));
        assert_eq!(at72.due_at, t(72, 0));
        assert!(!at72.overdue);
        assert_eq!(at72.level, None);
        let after = follow_up(&ep, &cis, t(72, 1));
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
        assert!(!follow_up(&ep, &better, now).overdue);
        let no_care = vec![check_in(&ep, t(24, 0), false, &[])];
        assert!(!follow_up(&ep, &no_care, now).overdue);
        assert!(!follow_up(&ep, &[], now).overdue);
        // Worse again after being better: the latest check-in decides.
        let relapse = vec![
            check_in(&ep, t(24, 0), true, &["ice"]),
            check_in(&ep, t(80, 0), false, &[]),
        ];
        assert!(follow_up(&ep, &relapse, now).overdue);
    }

    #[test]
    fn future_check_ins_do_not_count() {
        let ep = episode();
        let cis = vec![
            check_in(&ep, t(24, 0), false, &["heat"]),
            check_in(&ep, t(200, 0), true, &[]),
        ];
        assert!(follow_up(&ep, &cis, t(100, 0)).overdue);
        assert!(!follow_up(&ep, &cis, t(201, 0)).overdue);
    }
}
