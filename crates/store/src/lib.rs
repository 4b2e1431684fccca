//! Persistence: one store trait, two backends (embedded SQLite by default, PostgreSQL to scale out).
//!
//! - [`Store`] is the one trait the server and the CLI program against (`Arc<dyn Store>`).
//! - [`SqliteStore`]: a file in the user's data directory ([`default_path`]), WAL journal,
//!   `synchronous=FULL`, foreign keys on; one person or a small clinic on one machine.
//! - [`PostgresStore`]: several stateless `upperback serve` replicas sharing one PostgreSQL
//!   (or PostgreSQL-compatible) database. Ids are random UUIDs made by the caller's process,
//!   every invariant is a constraint in the schema, every multi-statement change is a
//!   transaction, and migrations take PostgreSQL's advisory lock, so replicas can start
//!   together.
//! - [`open`] chooses by URL: `sqlite://PATH`, `postgres://…` / `postgresql://…`, `memory`.
//!
//! Both backends apply their versioned migrations (`migrations/sqlite`, `migrations/postgres`)
//! when opened. An assessment write is answered only once its transaction has committed;
//! concurrent writes share transactions (group commit, see [`GroupCommitConfig`]).
//!
//! Isolation lives in the queries: every read takes a [`Viewer`] and the `WHERE` clause says
//! what that viewer may see; what it may not see is "not found", never "forbidden".
//!
//! ```no_run
//! # async fn demo() -> Result<(), upperback_store::StoreError> {
//! use upperback_store::{open, NewAssessment, Viewer};
//! let store = open("memory").await?;
//! let stored = store
//!     .put_assessment(NewAssessment {
//!         owner: None,
//!         input: serde_json::json!({"text": "spasm between my shoulder blades"}),
//!         result: serde_json::value::to_raw_value(&serde_json::json!({
//!             "triage": {"level": "self_care"}
//!         }))?,
//!         level: "self_care".into(),
//!         kb_version: "0.1.0".into(),
//!         kb_digest: "sha256:…".into(),
//!     })
//!     .await?;
//! let back = store.get_assessment(Viewer::Local, stored.id).await?;
//! assert!(back.is_some());
//! # Ok(()) }
//! ```

pub mod auth;
pub mod chart;
mod compression;
mod error;
mod follow_up;
mod group;
mod postgres;
mod sqlite;
mod types;

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

pub use auth::TokenHash;
pub use error::{Source, StoreError};
pub use follow_up::{follow_up, FollowUp, FollowUpRule, FollowUpRuleError};
pub use group::GroupCommitConfig;
pub use postgres::PostgresStore;
/// The type of an assessment's result: JSON text kept as is.
pub use serde_json::value::RawValue;
pub use sqlite::SqliteStore;
pub use types::{
    normalize_email, now_micros, urgency, Account, AccountId, AssessmentId, AssessmentSummary,
    CheckIn, CheckInId, Credentials, Episode, EpisodeDetail, EpisodeId, NewAssessment, NewCheckIn,
    NewEpisode, QueueItem, Role, Share, StoreStats, StoredAssessment, StoredAssessmentRef, Viewer,
    LEVELS, MAX_EMAIL, MAX_ITEMS, MAX_TEXT,
};

/// The format name written into every export.
pub const EXPORT_FORMAT: &str = "upperback-export/1";

/// Where assessments, accounts, sessions, shares and the diary are kept.
///
/// Every method is safe to call concurrently. Errors: [`StoreError::NotFound`] also covers
/// "exists but not yours"; `Display` of an error is safe to show a client.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// `sqlite` or `postgres`, for logs and `/metrics`.
    fn kind(&self) -> &'static str;

    /// Group commit counters.
    fn stats(&self) -> StoreStats;

    /// True when the database answers a trivial query within a second (`/healthz`).
    async fn healthy(&self) -> bool;

    /// Shuts down cleanly, after the last request: checkpoints SQLite's WAL into the database
    /// file and closes the connections. Every write acknowledged before is durable whether or
    /// not this runs; calls after it fail with `Unavailable`.
    async fn close(&self) {}

    /// Keeps results compressed with this dictionary from now on: zstd primed with
    /// `bytes`, the text results mostly repeat (the server gives the knowledge base as
    /// JSON, then the result for no evidence). Every dictionary given is kept, so rows
    /// written with an earlier one still read back byte for byte. SQLite only; PostgreSQL compresses large values itself
    /// (TOAST), and this does nothing there.
    async fn use_result_dictionary(&self, bytes: &[u8]) -> Result<(), StoreError> {
        let _ = bytes;
        Ok(())
    }

    /// Whether [`Store::use_result_dictionary`] does anything here, so that a caller builds
    /// the dictionary only for a store that uses it.
    fn compresses_results(&self) -> bool {
        false
    }

    // ---- assessments ----

    /// Keeps an assessment; answers once it is committed (durable). The id is the store's own
    /// (time-ordered, with 74 random bits: it cannot be guessed).
    /// `Invalid` for an unknown level; `NotFound` when the owner account does not exist.
    async fn put_assessment(&self, new: NewAssessment) -> Result<StoredAssessmentRef, StoreError>;

    /// The assessment, if this viewer may see it (see [`Viewer`]).
    async fn get_assessment(
        &self,
        viewer: Viewer,
        id: AssessmentId,
    ) -> Result<Option<StoredAssessment>, StoreError>;

    /// The viewer's own assessments (all of them under `Local`), newest first, at most
    /// `limit`.
    async fn assessments(
        &self,
        viewer: Viewer,
        limit: u32,
    ) -> Result<Vec<AssessmentSummary>, StoreError>;

    // ---- accounts and sessions ----

    /// A new account. The email is normalised ([`normalize_email`]); `EmailTaken` when it
    /// exists already (whatever its case). `password_hash` is a PHC string
    /// ([`auth::hash_password`]).
    async fn create_account(
        &self,
        email: &str,
        password_hash: &str,
        role: Role,
    ) -> Result<Account, StoreError>;

    /// The account and its password hash, for signing in.
    async fn account_by_email(&self, email: &str) -> Result<Option<Credentials>, StoreError>;

    /// The account with this id.
    async fn account(&self, id: AccountId) -> Result<Option<Account>, StoreError>;

    /// Keeps a session: the hash of its token, its account, when it stops working.
    async fn create_session(
        &self,
        token: &TokenHash,
        account: AccountId,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The account of a live session; `None` when unknown, deleted or expired.
    async fn session(&self, token: &TokenHash) -> Result<Option<Account>, StoreError>;

    /// Ends a session (logout). Ending an unknown session is not an error.
    async fn delete_session(&self, token: &TokenHash) -> Result<(), StoreError>;

    /// Deletes expired sessions; how many.
    async fn purge_expired_sessions(&self) -> Result<u64, StoreError>;

    // ---- sharing and the clinician queue ----

    /// Lets the clinician with this email read the owner's assessment. `NotFound` when the
    /// assessment is not the owner's or the email is not a clinician's (the two are not told
    /// apart). Sharing twice is not an error.
    async fn share(
        &self,
        owner: AccountId,
        assessment: AssessmentId,
        clinician_email: &str,
    ) -> Result<(), StoreError>;

    /// Takes a share back. `NotFound` when there was no such share of the owner's.
    async fn unshare(
        &self,
        owner: AccountId,
        assessment: AssessmentId,
        clinician_email: &str,
    ) -> Result<(), StoreError>;

    /// The assessments shared with this clinician: most urgent level first (ambulance,
    /// emergency_department, within_24_hours, within_days, self_care), then oldest first.
    async fn queue(&self, clinician: AccountId) -> Result<Vec<QueueItem>, StoreError>;

    // ---- export and erase ----

    /// Everything of the viewer's, as one JSON document (`format`: [`EXPORT_FORMAT`]):
    /// `account` (without the password hash; `null` under `Local`), `assessments` (with input
    /// and result), `shares` (of the viewer's assessments), `episodes` (each with its
    /// `check_ins`). Under `Local`: the records that belong to no account.
    async fn export(&self, viewer: Viewer) -> Result<Value, StoreError>;

    /// Erases, in one transaction, everything of the viewer's: assessments, the shares of
    /// them and with them, episodes and check-ins, sessions, and the account itself. Under
    /// `Local`: the records that belong to no account. `NotFound` when the account does not
    /// exist.
    async fn erase(&self, viewer: Viewer) -> Result<(), StoreError>;

    // ---- the diary ----

    /// Starts an episode. `assessment`, when given, must be one the owner may see (`NotFound`
    /// otherwise).
    async fn create_episode(
        &self,
        owner: Option<AccountId>,
        new: NewEpisode,
    ) -> Result<Episode, StoreError>;

    /// Adds a check-in to an episode the viewer owns (any under `Local`). `NotFound` for
    /// another's episode; `Invalid` for a check-in dated before the episode started.
    async fn add_check_in(
        &self,
        viewer: Viewer,
        episode: EpisodeId,
        new: NewCheckIn,
    ) -> Result<CheckIn, StoreError>;

    /// The episode with its check-ins (oldest first), if the viewer owns it (any under
    /// `Local`). Its follow-up: [`EpisodeDetail::follow_up`].
    async fn episode(
        &self,
        viewer: Viewer,
        id: EpisodeId,
    ) -> Result<Option<EpisodeDetail>, StoreError>;

    /// The viewer's episodes (all under `Local`), newest start first.
    async fn episodes(&self, viewer: Viewer) -> Result<Vec<Episode>, StoreError>;

    /// The viewer's newest `limit` episodes (as [`Store::episodes`] orders them), each with
    /// its check-ins (oldest first): one consistent read, not one per episode.
    async fn episode_details(
        &self,
        viewer: Viewer,
        limit: usize,
    ) -> Result<Vec<EpisodeDetail>, StoreError>;
}

/// Opens the store a `--database` value names:
///
/// - `memory` (or `sqlite::memory:`): an in-memory SQLite database, gone when dropped;
/// - `sqlite://PATH` or `sqlite:PATH` (`sqlite:///abs/path` for an absolute path), or a plain
///   path: a SQLite file, created with its directory when missing;
/// - `postgres://…` or `postgresql://…`: PostgreSQL.
///
/// Migrations are applied before it answers.
pub async fn open(database: &str) -> Result<Arc<dyn Store>, StoreError> {
    open_with(database, GroupCommitConfig::default()).await
}

/// [`open`] with a group commit configuration.
pub async fn open_with(
    database: &str,
    group_commit: GroupCommitConfig,
) -> Result<Arc<dyn Store>, StoreError> {
    let d = database.trim();
    if d == "memory" || d == "sqlite::memory:" || d == ":memory:" {
        return Ok(Arc::new(
            SqliteStore::open_in_memory_with(group_commit).await?,
        ));
    }
    if d.starts_with("postgres://") || d.starts_with("postgresql://") {
        return Ok(Arc::new(
            PostgresStore::connect_with(d, group_commit).await?,
        ));
    }
    let path = if let Some(rest) = d.strip_prefix("sqlite://") {
        rest
    } else if let Some(rest) = d.strip_prefix("sqlite:") {
        rest
    } else if d.contains("://") {
        return Err(StoreError::invalid(
            "unsupported database: use sqlite://PATH, postgres://… or memory",
        ));
    } else {
        d
    };
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() {
        return Err(StoreError::invalid("the SQLite database path is empty"));
    }
    Ok(Arc::new(SqliteStore::open_with(path, group_commit).await?))
}

/// The default database: `upperback.db` in the user's data directory (e.g.
/// `~/.local/share/upperback/upperback.db` on Linux, `~/Library/Application
/// Support/upperback/upperback.db` on macOS, `%APPDATA%\upperback\upperback.db` on Windows).
/// `None` when the platform has no data directory (no home).
pub fn default_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("upperback").join("upperback.db"))
}

/// Opens the default database ([`default_path`]).
pub async fn open_default() -> Result<Arc<dyn Store>, StoreError> {
    let path = default_path()
        .ok_or_else(|| StoreError::invalid("no data directory: pass --database sqlite://PATH"))?;
    Ok(Arc::new(SqliteStore::open(path).await?))
}

/// How a viewer is passed to the queries: a kind (0 local, 1 person, 2 clinician) and the
/// account (NULL under local).
pub(crate) fn viewer_parts(v: Viewer) -> (i16, Option<uuid::Uuid>) {
    match v {
        Viewer::Local => (0, None),
        Viewer::Person(a) => (1, Some(a.0)),
        Viewer::Clinician(a) => (2, Some(a.0)),
    }
}

pub(crate) fn check_new_episode(new: &NewEpisode) -> Result<(), StoreError> {
    if let Some(l) = &new.location {
        types::check_text("location", l)?;
    }
    if let Some(s) = new.severity {
        types::check_severity("severity", s)?;
    }
    types::check_list("triggers", &new.triggers)
}

pub(crate) fn check_new_check_in(new: &NewCheckIn) -> Result<(), StoreError> {
    types::check_severity("severity", new.severity)?;
    types::check_list("home_care", &new.home_care)
}

pub(crate) fn check_password_hash(hash: &str) -> Result<(), StoreError> {
    if hash.is_empty() || hash.len() > 1024 || hash.contains('\0') {
        return Err(StoreError::invalid("password hash is not a PHC string"));
    }
    Ok(())
}

/// Assembles the export document.
/// A row's id, for naming a row that does not read back (both backends).
pub(crate) fn row_id<R>(row: &R) -> String
where
    R: sqlx::Row,
    for<'r> uuid::Uuid: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    &'static str: sqlx::ColumnIndex<R>,
{
    row.try_get::<uuid::Uuid, _>("id")
        .map_or_else(|_| "(no readable id)".to_string(), |id| id.to_string())
}

/// Rows of an export read one by one: what reads back, and what does not (`{"kind", "id",
/// "error"}`), so that one damaged row never withholds the rest.
pub(crate) fn readable<R, T>(
    rows: &[R],
    what: &'static str,
    id_of: impl Fn(&R) -> String,
    read: impl Fn(&R) -> Result<T, StoreError>,
    unreadable: &mut Vec<Value>,
) -> Vec<T> {
    rows.iter()
        .filter_map(|row| match read(row) {
            Ok(value) => Some(value),
            Err(error) => {
                unreadable.push(json!({
                    "kind": what,
                    "id": id_of(row),
                    "error": error.to_string(),
                }));
                None
            }
        })
        .collect()
}

pub(crate) fn build_export(
    account: Option<Account>,
    assessments: Vec<StoredAssessment>,
    shares: Vec<Share>,
    episodes: Vec<Episode>,
    check_ins: Vec<CheckIn>,
    unreadable: Vec<Value>,
) -> Result<Value, StoreError> {
    let mut by_episode: std::collections::HashMap<EpisodeId, Vec<CheckIn>> =
        std::collections::HashMap::new();
    for c in check_ins {
        by_episode.entry(c.episode).or_default().push(c);
    }
    let episodes: Vec<Value> = episodes
        .into_iter()
        .map(|e| {
            let cis = by_episode.remove(&e.id).unwrap_or_default();
            let mut v = serde_json::to_value(&e)?;
            v["check_ins"] = serde_json::to_value(cis)?;
            Ok(v)
        })
        .collect::<Result<_, serde_json::Error>>()?;
    Ok(json!({
        "format": EXPORT_FORMAT,
        "exported_at": now_micros(),
        "account": account,
        "assessments": assessments,
        "shares": shares,
        "episodes": episodes,
        "unreadable": unreadable,
    }))
}
