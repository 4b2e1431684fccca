//! The records the store keeps, and the ids that name them.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;
use uuid::Uuid;

use crate::StoreError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new random id (UUID v4: 122 random bits, so ids cannot be guessed from one
            /// another and several replicas never collide).
            pub fn random() -> Self {
                $name(Uuid::new_v4())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = StoreError;
            /// Parses the hyphenated (or simple) UUID form; anything else is `NotFound`, the
            /// answer an HTTP handler gives for an id in a path that names nothing.
            fn from_str(s: &str) -> Result<Self, StoreError> {
                Uuid::parse_str(s).map($name).map_err(|_| StoreError::NotFound)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                $name(id)
            }
        }
    };
}

id_type!(
    /// An account (a person or a clinician).
    AccountId
);
id_type!(
    /// A stored assessment.
    AssessmentId
);
id_type!(
    /// A diary episode.
    EpisodeId
);
id_type!(
    /// A check-in of an episode.
    CheckInId
);

/// Who is asking. Every read (and every write to an existing record) takes one, and the
/// backends put the rule into the query itself, so a caller cannot forget it.
///
/// | viewer | assessments | episodes and check-ins |
/// | --- | --- | --- |
/// | `Local` | all | all |
/// | `Person(a)` | owned by `a` | owned by `a` |
/// | `Clinician(c)` | owned by `c`, or shared with `c` | owned by `c` |
///
/// `Local` is the single-person local mode (no accounts, loopback only): the database file is
/// that person's own, so they read everything in it. Under `Local`, `export` and `erase` cover
/// the records that belong to no account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "account", rename_all = "snake_case")]
pub enum Viewer {
    Local,
    Person(AccountId),
    Clinician(AccountId),
}

impl Viewer {
    /// The viewer for an authenticated account of this role.
    pub fn for_account(account: &Account) -> Viewer {
        match account.role {
            Role::Person => Viewer::Person(account.id),
            Role::Clinician => Viewer::Clinician(account.id),
        }
    }

    /// The account acting, `None` in local mode.
    pub fn account(self) -> Option<AccountId> {
        match self {
            Viewer::Local => None,
            Viewer::Person(a) | Viewer::Clinician(a) => Some(a),
        }
    }
}

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Keeps their own assessments and diary, shares assessments with clinicians.
    Person,
    /// Made on the server's machine (`upperback admin add-clinician`); reads what was shared
    /// with them, through the queue.
    Clinician,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Person => "person",
            Role::Clinician => "clinician",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<Role, StoreError> {
        match s {
            "person" => Ok(Role::Person),
            "clinician" => Ok(Role::Clinician),
            _ => Err(StoreError::internal_msg(format!(
                "unknown role `{s}` in the database"
            ))),
        }
    }
}

/// The five triage levels of the contract, least urgent first; the store keeps each
/// assessment's level beside its result so that the clinician queue can sort on it.
pub const LEVELS: [&str; 5] = [
    "self_care",
    "within_days",
    "within_24_hours",
    "emergency_department",
    "ambulance",
];

/// 0 for `self_care` up to 4 for `ambulance`; `None` for anything else.
pub fn urgency(level: &str) -> Option<i16> {
    LEVELS.iter().position(|l| *l == level).map(|p| p as i16)
}

/// An assessment to keep: what went in, what came out, and the knowledge base that said it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewAssessment {
    /// The owning account; `None` in local mode.
    pub owner: Option<AccountId>,
    /// The input as received (text, answers, age, sex, …).
    pub input: Value,
    /// The assessment result of the contract, as JSON text (valid by construction: see
    /// [`RawValue::from_string`] and [`serde_json::value::to_raw_value`]). It is stored as
    /// these very bytes, neither parsed nor written again, and read back the same.
    pub result: Box<RawValue>,
    /// The triage level id of the result (one of [`LEVELS`]).
    pub level: String,
    pub kb_version: String,
    /// `sha256:…`
    pub kb_digest: String,
}

/// What `put_assessment` answers once the assessment is committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAssessmentRef {
    pub id: AssessmentId,
    pub created_at: DateTime<Utc>,
}

/// A stored assessment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredAssessment {
    pub id: AssessmentId,
    pub owner: Option<AccountId>,
    /// When it was stored (microsecond precision on every backend).
    pub created_at: DateTime<Utc>,
    pub level: String,
    pub kb_version: String,
    pub kb_digest: String,
    pub input: Value,
    /// The result as kept: the JSON text given to `put_assessment`, byte for byte (it
    /// serialises as that JSON, e.g. in the export).
    pub result: Box<RawValue>,
}

/// A line of a person's history: an assessment without its input and result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentSummary {
    pub id: AssessmentId,
    pub created_at: DateTime<Utc>,
    pub level: String,
    pub kb_version: String,
}

/// An account, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: AccountId,
    /// Normalised: trimmed and lower-case.
    pub email: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

/// An account and its password hash (a PHC string, Argon2id), for signing in.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub account: Account,
    pub password_hash: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("account", &self.account)
            .field("password_hash", &"<redacted>")
            .finish()
    }
}

/// A clinician's queue entry: a shared assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub assessment_id: AssessmentId,
    pub owner: AccountId,
    pub owner_email: String,
    pub level: String,
    pub created_at: DateTime<Utc>,
    pub shared_at: DateTime<Utc>,
    pub kb_version: String,
}

/// A share of an assessment, as its owner sees it (in the export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub assessment_id: AssessmentId,
    pub clinician_email: String,
    pub shared_at: DateTime<Utc>,
}

/// A diary episode to start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEpisode {
    pub started_at: DateTime<Utc>,
    /// Where it hurts, in the person's words or a location choice id (at most 200 characters).
    pub location: Option<String>,
    /// 0–10.
    pub severity: Option<u8>,
    /// What set it off (at most 32, each at most 200 characters).
    #[serde(default)]
    pub triggers: Vec<String>,
    /// An assessment of the same owner this episode started from.
    pub assessment: Option<AssessmentId>,
}

/// A diary episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    pub id: EpisodeId,
    pub owner: Option<AccountId>,
    pub created_at: DateTime<Utc>,
    pub started_at: DateTime<Utc>,
    pub location: Option<String>,
    pub severity: Option<u8>,
    pub triggers: Vec<String>,
    pub assessment: Option<AssessmentId>,
}

/// A check-in to add to an episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCheckIn {
    pub at: DateTime<Utc>,
    /// 0–10.
    pub severity: u8,
    /// Is it getting better?
    pub improving: bool,
    /// What was tried since the last check-in (heat, ice, rest, stretches, pain relief, …); at
    /// most 32 items, each at most 200 characters.
    #[serde(default)]
    pub home_care: Vec<String>,
}

/// A check-in of an episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    pub id: CheckInId,
    pub episode: EpisodeId,
    pub created_at: DateTime<Utc>,
    pub at: DateTime<Utc>,
    pub severity: u8,
    pub improving: bool,
    pub home_care: Vec<String>,
}

/// An episode with its check-ins, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpisodeDetail {
    pub episode: Episode,
    pub check_ins: Vec<CheckIn>,
}

impl EpisodeDetail {
    /// The follow-up rule (the knowledge base's hours) at `now` (see [`crate::follow_up`]).
    pub fn follow_up(&self, rule: crate::FollowUpRule, now: DateTime<Utc>) -> crate::FollowUp {
        crate::follow_up(&self.episode, &self.check_ins, rule, now)
    }

    /// Each episode with its check-ins, in the episodes' order; `check_ins` (of these
    /// episodes, oldest first) keep their order within each episode.
    pub(crate) fn join(episodes: Vec<Episode>, check_ins: Vec<CheckIn>) -> Vec<EpisodeDetail> {
        let mut details: Vec<EpisodeDetail> = episodes
            .into_iter()
            .map(|episode| EpisodeDetail {
                episode,
                check_ins: Vec::new(),
            })
            .collect();
        let position: std::collections::HashMap<EpisodeId, usize> = details
            .iter()
            .enumerate()
            .map(|(i, d)| (d.episode.id, i))
            .collect();
        for check_in in check_ins {
            if let Some(&i) = position.get(&check_in.episode) {
                details[i].check_ins.push(check_in);
            }
        }
        details
    }
}

/// Counters of the group commit, for `/metrics` and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StoreStats {
    /// Assessments committed.
    pub assessments_written: u64,
    /// Transactions that committed them.
    pub assessment_transactions: u64,
    /// The largest number of assessments committed in one transaction.
    pub largest_batch: u64,
    /// Assessment writes answered with an error.
    pub assessment_errors: u64,
}

/// Limits the store enforces on free-text fields: characters of a text, items of a list,
/// bytes of an email address.
pub const MAX_TEXT: usize = 200;
pub const MAX_ITEMS: usize = 32;
pub const MAX_EMAIL: usize = 254;

pub(crate) fn check_text(field: &str, s: &str) -> Result<(), StoreError> {
    if s.contains('\0') {
        return Err(StoreError::invalid(format!(
            "{field} contains a NUL character"
        )));
    }
    if s.chars().count() > MAX_TEXT {
        return Err(StoreError::invalid(format!(
            "{field} is longer than {MAX_TEXT} characters"
        )));
    }
    Ok(())
}

pub(crate) fn check_list(field: &str, items: &[String]) -> Result<(), StoreError> {
    if items.len() > MAX_ITEMS {
        return Err(StoreError::invalid(format!(
            "{field} has more than {MAX_ITEMS} items"
        )));
    }
    for item in items {
        check_text(field, item)?;
    }
    Ok(())
}

pub(crate) fn check_severity(field: &str, s: u8) -> Result<(), StoreError> {
    if s > 10 {
        return Err(StoreError::invalid(format!("{field} must be from 0 to 10")));
    }
    Ok(())
}

/// Trimmed and lower-cased; refuses what cannot be an address.
pub fn normalize_email(email: &str) -> Result<String, StoreError> {
    let e = email.trim().to_lowercase();
    let ok = e.len() <= MAX_EMAIL
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        && match e.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty() && !domain.is_empty() && !domain.contains('@')
            }
            None => false,
        };
    if ok {
        Ok(e)
    } else {
        Err(StoreError::invalid("email is not a valid address"))
    }
}

/// Now, truncated to microseconds: the precision every backend keeps, so that what a write
/// answers equals what a read gives back.
pub fn now_micros() -> DateTime<Utc> {
    truncate_micros(Utc::now())
}

pub(crate) fn truncate_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}
