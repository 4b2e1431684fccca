//! The scale-out backend: PostgreSQL (or a PostgreSQL-compatible database), shared by several
//! stateless `upperback serve` replicas.
//!
//! Nothing is kept in the process that another replica would need: ids are random UUIDs, the
//! rules are constraints, changes of several statements are transactions, and a batch of
//! assessments is one multi-row `INSERT … SELECT FROM UNNEST(…)` (one statement, so one
//! transaction, whatever the batch size).

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
use serde_json::Value;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::types::Json;
use sqlx::Row;
use uuid::Uuid;

use crate::group::{AssessmentRow, BatchSink, GroupCommitConfig, GroupCommitter};
use crate::types::{self, *};
use crate::{
    build_export, check_new_check_in, check_new_episode, check_password_hash, readable, row_id,
    viewer_parts, Store, StoreError, TokenHash,
};

/// The PostgreSQL store.
pub struct PostgresStore {
    pool: PgPool,
    group: GroupCommitter,
}

struct Sink {
    pool: PgPool,
}

#[async_trait]
impl BatchSink for Sink {
    async fn write_batch(&self, rows: &[AssessmentRow]) -> Result<(), sqlx::Error> {
        let n = rows.len();
        let mut ids = Vec::with_capacity(n);
        let mut owners = Vec::with_capacity(n);
        let mut created = Vec::with_capacity(n);
        let mut levels = Vec::with_capacity(n);
        let mut urgencies = Vec::with_capacity(n);
        let mut versions = Vec::with_capacity(n);
        let mut digests = Vec::with_capacity(n);
        let mut inputs = Vec::with_capacity(n);
        let mut results = Vec::with_capacity(n);
        for r in rows {
            ids.push(r.id);
            owners.push(r.owner);
            created.push(r.created_at);
            levels.push(r.level.as_str());
            urgencies.push(r.urgency);
            versions.push(r.kb_version.as_str());
            digests.push(r.kb_digest.as_str());
            inputs.push(r.input.as_str());
            results.push(r.result.as_str());
        }
        sqlx::query(
            "INSERT INTO assessments \
             (id, owner_id, created_at, level, urgency, kb_version, kb_digest, input, result) \
             SELECT t.id, t.owner_id, t.created_at, t.level, t.urgency, t.kb_version, \
                    t.kb_digest, t.input::json, t.result::json \
             FROM UNNEST($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[], $5::int2[], \
                         $6::text[], $7::text[], $8::text[], $9::text[]) \
               AS t(id, owner_id, created_at, level, urgency, kb_version, kb_digest, input, result)",
        )
        .bind(ids)
        .bind(owners)
        .bind(created)
        .bind(levels)
        .bind(urgencies)
        .bind(versions)
        .bind(digests)
        .bind(inputs)
        .bind(results)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

fn string_list(v: Value) -> Result<Vec<String>, StoreError> {
    Ok(serde_json::from_value(v)?)
}

fn severity(v: i16) -> Result<u8, StoreError> {
    u8::try_from(v).map_err(|_| StoreError::internal_msg("a severity out of range"))
}

const ASSESSMENT_COLUMNS: &str =
    "a.id, a.owner_id, a.created_at, a.level, a.kb_version, a.kb_digest, a.input, a.result";

fn assessment(row: &PgRow) -> Result<StoredAssessment, StoreError> {
    Ok(StoredAssessment {
        id: AssessmentId(row.try_get("id")?),
        owner: row.try_get::<Option<Uuid>, _>("owner_id")?.map(AccountId),
        created_at: row.try_get("created_at")?,
        level: row.try_get("level")?,
        kb_version: row.try_get("kb_version")?,
        kb_digest: row.try_get("kb_digest")?,
        input: row.try_get("input")?,
        // The column is `json`: PostgreSQL keeps the text as given, and it comes back as is.
        result: row.try_get::<Json<Box<RawValue>>, _>("result")?.0,
    })
}

const ACCOUNT_COLUMNS: &str = "acc.id, acc.email, acc.role, acc.created_at";

fn account(row: &PgRow) -> Result<Account, StoreError> {
    Ok(Account {
        id: AccountId(row.try_get("id")?),
        email: row.try_get("email")?,
        role: Role::parse(row.try_get("role")?)?,
        created_at: row.try_get("created_at")?,
    })
}

/// The viewer's episodes, newest start first, at most `$3` of them (NULL: all); `$1`, `$2`
/// as [`viewer_parts`] gives them.
const NEWEST_EPISODES: &str = "($1::int2 = 0 OR e.owner_id = $2) \
     ORDER BY e.started_at DESC, e.created_at DESC, e.id DESC LIMIT $3";

/// The viewer's newest `limit` episodes (None: all), newest start first: the one query behind
/// [`Store::episodes`] and [`Store::episode_details`].
async fn newest_episodes<'e, E>(
    executor: E,
    viewer: Viewer,
    limit: Option<i64>,
) -> Result<Vec<Episode>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Postgres>,
{
    let (kind, acc) = viewer_parts(viewer);
    sqlx::query(&format!(
        "SELECT {EPISODE_COLUMNS} FROM episodes e WHERE {NEWEST_EPISODES}"
    ))
    .bind(kind)
    .bind(acc)
    .bind(limit)
    .fetch_all(executor)
    .await?
    .iter()
    .map(episode)
    .collect()
}

/// The check-ins of [`newest_episodes`] (same viewer and limit), oldest first.
async fn check_ins_of_newest_episodes<'e, E>(
    executor: E,
    viewer: Viewer,
    limit: Option<i64>,
) -> Result<Vec<CheckIn>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Postgres>,
{
    let (kind, acc) = viewer_parts(viewer);
    sqlx::query(&format!(
        "SELECT {CHECK_IN_COLUMNS} FROM check_ins c WHERE c.episode_id IN \
         (SELECT e.id FROM episodes e WHERE {NEWEST_EPISODES}) \
         ORDER BY c.at, c.created_at, c.id"
    ))
    .bind(kind)
    .bind(acc)
    .bind(limit)
    .fetch_all(executor)
    .await?
    .iter()
    .map(check_in)
    .collect()
}

const EPISODE_COLUMNS: &str =
    "e.id, e.owner_id, e.created_at, e.started_at, e.location, e.severity, e.triggers, e.assessment_id";

fn episode(row: &PgRow) -> Result<Episode, StoreError> {
    Ok(Episode {
        id: EpisodeId(row.try_get("id")?),
        owner: row.try_get::<Option<Uuid>, _>("owner_id")?.map(AccountId),
        created_at: row.try_get("created_at")?,
        started_at: row.try_get("started_at")?,
        location: row.try_get("location")?,
        severity: row
            .try_get::<Option<i16>, _>("severity")?
            .map(severity)
            .transpose()?,
        triggers: string_list(row.try_get("triggers")?)?,
        assessment: row
            .try_get::<Option<Uuid>, _>("assessment_id")?
            .map(AssessmentId),
    })
}

const CHECK_IN_COLUMNS: &str =
    "c.id, c.episode_id, c.created_at, c.at, c.severity, c.improving, c.home_care";

fn check_in(row: &PgRow) -> Result<CheckIn, StoreError> {
    Ok(CheckIn {
        id: CheckInId(row.try_get("id")?),
        episode: EpisodeId(row.try_get("episode_id")?),
        created_at: row.try_get("created_at")?,
        at: row.try_get("at")?,
        severity: severity(row.try_get("severity")?)?,
        improving: row.try_get("improving")?,
        home_care: string_list(row.try_get("home_care")?)?,
    })
}

impl PostgresStore {
    /// Connects (`postgres://user:password@host:port/database`) and applies the migrations.
    pub async fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        PostgresStore::connect_with(url, GroupCommitConfig::default()).await
    }

    /// [`PostgresStore::connect`] with a group commit configuration.
    pub async fn connect_with(
        url: &str,
        group_commit: GroupCommitConfig,
    ) -> Result<PostgresStore, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|_| StoreError::invalid("the PostgreSQL URL is not valid"))?
            .application_name("upperback")
            // An answer means committed and flushed, whatever the server's default says.
            .options([("synchronous_commit", "on")]);
        let pool = PgPoolOptions::new()
            .max_connections(8)
            // A database that does not answer is an outage, answered 503 at once; waiting
            // longer only turns it into a slow request that times out.
            .acquire_timeout(Duration::from_millis(1500))
            .connect_with(options)
            .await?;
        // Takes PostgreSQL's advisory lock: replicas starting together apply them once.
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        let sink = Arc::new(Sink { pool: pool.clone() });
        Ok(PostgresStore {
            pool,
            group: GroupCommitter::start(sink, group_commit),
        })
    }
}

#[async_trait]
impl Store for PostgresStore {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    fn stats(&self) -> StoreStats {
        self.group.stats()
    }

    async fn healthy(&self) -> bool {
        // A write, committed: a database that answers but cannot commit (a full disk,
        // read-only) is not healthy.
        let probe = sqlx::query(
            "INSERT INTO health_probe (id, at) VALUES (1, $1) \
             ON CONFLICT (id) DO UPDATE SET at = EXCLUDED.at",
        )
        .bind(now_micros().timestamp_micros())
        .execute(&self.pool);
        matches!(
            tokio::time::timeout(Duration::from_secs(1), probe).await,
            Ok(Ok(_))
        )
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    async fn put_assessment(&self, new: NewAssessment) -> Result<StoredAssessmentRef, StoreError> {
        let row = AssessmentRow::prepare(new)?;
        let stored = row.stored_ref();
        self.group.submit(row).await?;
        Ok(stored)
    }

    async fn get_assessment(
        &self,
        viewer: Viewer,
        id: AssessmentId,
    ) -> Result<Option<StoredAssessment>, StoreError> {
        let (kind, acc) = viewer_parts(viewer);
        let row = sqlx::query(&format!(
            "SELECT {ASSESSMENT_COLUMNS} FROM assessments a WHERE a.id = $1 AND ( \
               $2::int2 = 0 OR a.owner_id = $3 OR ($2::int2 = 2 AND EXISTS ( \
                 SELECT 1 FROM shares s WHERE s.assessment_id = a.id AND s.clinician_id = $3)))"
        ))
        .bind(id.0)
        .bind(kind)
        .bind(acc)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref()
            .map(|row| assessment(row).map_err(|e| StoreError::unreadable("assessment", id.0, e)))
            .transpose()
    }

    async fn assessments(
        &self,
        viewer: Viewer,
        limit: u32,
    ) -> Result<Vec<AssessmentSummary>, StoreError> {
        let (kind, acc) = viewer_parts(viewer);
        sqlx::query(
            "SELECT a.id, a.created_at, a.level, a.kb_version FROM assessments a \
             WHERE $1::int2 = 0 OR a.owner_id = $2 \
             ORDER BY a.created_at DESC, a.id DESC LIMIT $3",
        )
        .bind(kind)
        .bind(acc)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(AssessmentSummary {
                id: AssessmentId(r.try_get("id")?),
                created_at: r.try_get("created_at")?,
                level: r.try_get("level")?,
                kb_version: r.try_get("kb_version")?,
            })
        })
        .collect()
    }

    async fn create_account(
        &self,
        email: &str,
        password_hash: &str,
        role: Role,
    ) -> Result<Account, StoreError> {
        let email = normalize_email(email)?;
        check_password_hash(password_hash)?;
        let acc = Account {
            id: AccountId::random(),
            email,
            role,
            created_at: now_micros(),
        };
        let res = sqlx::query(
            "INSERT INTO accounts (id, email, role, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(acc.id.0)
        .bind(&acc.email)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(acc.created_at)
        .execute(&self.pool)
        .await;
        match res {
            Ok(_) => Ok(acc),
            Err(e) if StoreError::is_unique_violation(&e) => Err(StoreError::EmailTaken),
            Err(e) => Err(e.into()),
        }
    }

    async fn account_by_email(&self, email: &str) -> Result<Option<Credentials>, StoreError> {
        let Ok(email) = normalize_email(email) else {
            return Ok(None);
        };
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, acc.password_hash FROM accounts acc WHERE acc.email = $1"
        ))
        .bind(email)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Credentials {
                account: account(&r)?,
                password_hash: r.try_get("password_hash")?,
            })
        })
        .transpose()
    }

    async fn account(&self, id: AccountId) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts acc WHERE acc.id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(account).transpose()
    }

    async fn create_session(
        &self,
        token: &TokenHash,
        account: AccountId,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let res = sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&token.0[..])
        .bind(account.0)
        .bind(now_micros())
        .bind(types::truncate_micros(expires_at))
        .execute(&self.pool)
        .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if StoreError::is_foreign_key_violation(&e) => Err(StoreError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    async fn session(&self, token: &TokenHash) -> Result<Option<Account>, StoreError> {
        // The replica's clock, not the database's: all replicas should run NTP anyway, and
        // the tests can then reason about expiry without the database's clock.
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM sessions s JOIN accounts acc ON acc.id = s.account_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2"
        ))
        .bind(&token.0[..])
        .bind(Utc::now())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(account).transpose()
    }

    async fn delete_session(&self, token: &TokenHash) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&token.0[..])
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn purge_expired_sessions(&self) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(Utc::now())
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    async fn share(
        &self,
        owner: AccountId,
        assessment: AssessmentId,
        clinician_email: &str,
    ) -> Result<(), StoreError> {
        let Ok(email) = normalize_email(clinician_email) else {
            return Err(StoreError::NotFound);
        };
        let res = sqlx::query(
            "INSERT INTO shares (assessment_id, clinician_id, shared_at) \
             SELECT a.id, c.id, $4 FROM assessments a, accounts c \
             WHERE a.id = $1 AND a.owner_id = $2 AND c.email = $3 AND c.role = 'clinician' \
             ON CONFLICT (clinician_id, assessment_id) DO NOTHING",
        )
        .bind(assessment.0)
        .bind(owner.0)
        .bind(&email)
        .bind(now_micros())
        .execute(&self.pool)
        .await;
        let inserted = match res {
            Ok(r) => r.rows_affected(),
            // Erased between the SELECT and the INSERT.
            Err(e) if StoreError::is_foreign_key_violation(&e) => return Err(StoreError::NotFound),
            Err(e) => return Err(e.into()),
        };
        if inserted == 0 {
            let exists = sqlx::query(
                "SELECT 1 FROM shares s JOIN assessments a ON a.id = s.assessment_id \
                 JOIN accounts c ON c.id = s.clinician_id \
                 WHERE a.id = $1 AND a.owner_id = $2 AND c.email = $3",
            )
            .bind(assessment.0)
            .bind(owner.0)
            .bind(&email)
            .fetch_optional(&self.pool)
            .await?
            .is_some();
            if !exists {
                return Err(StoreError::NotFound);
            }
        }
        Ok(())
    }

    async fn unshare(
        &self,
        owner: AccountId,
        assessment: AssessmentId,
        clinician_email: &str,
    ) -> Result<(), StoreError> {
        let Ok(email) = normalize_email(clinician_email) else {
            return Err(StoreError::NotFound);
        };
        let n = sqlx::query(
            "DELETE FROM shares WHERE assessment_id = $1 \
             AND assessment_id IN (SELECT id FROM assessments WHERE owner_id = $2) \
             AND clinician_id IN (SELECT id FROM accounts WHERE email = $3)",
        )
        .bind(assessment.0)
        .bind(owner.0)
        .bind(&email)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn queue(&self, clinician: AccountId) -> Result<Vec<QueueItem>, StoreError> {
        sqlx::query(
            "SELECT a.id, a.owner_id, o.email, a.level, a.created_at, s.shared_at, a.kb_version \
             FROM shares s \
             JOIN accounts c ON c.id = s.clinician_id AND c.role = 'clinician' \
             JOIN assessments a ON a.id = s.assessment_id \
             JOIN accounts o ON o.id = a.owner_id \
             WHERE s.clinician_id = $1 \
             ORDER BY a.urgency DESC, a.created_at ASC, a.id ASC",
        )
        .bind(clinician.0)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(QueueItem {
                assessment_id: AssessmentId(r.try_get("id")?),
                owner: AccountId(r.try_get("owner_id")?),
                owner_email: r.try_get("email")?,
                level: r.try_get("level")?,
                created_at: r.try_get("created_at")?,
                shared_at: r.try_get("shared_at")?,
                kb_version: r.try_get("kb_version")?,
            })
        })
        .collect()
    }

    async fn export(&self, viewer: Viewer) -> Result<Value, StoreError> {
        let owner = viewer.account().map(|a| a.0);
        // One snapshot for every query of the export.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        let acc = match owner {
            Some(id) => {
                let row = sqlx::query(&format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM accounts acc WHERE acc.id = $1"
                ))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                match row {
                    Some(r) => Some(account(&r)?),
                    None => return Err(StoreError::NotFound),
                }
            }
            None => None,
        };
        let assessments = sqlx::query(&format!(
            "SELECT {ASSESSMENT_COLUMNS} FROM assessments a \
             WHERE a.owner_id IS NOT DISTINCT FROM $1 ORDER BY a.created_at, a.id"
        ))
        .bind(owner)
        .fetch_all(&mut *tx)
        .await?;
        let mut unreadable = Vec::new();
        let assessments = readable(
            &assessments,
            "assessment",
            row_id,
            assessment,
            &mut unreadable,
        );
        let shares = sqlx::query(
            "SELECT s.assessment_id, c.email, s.shared_at FROM shares s \
             JOIN assessments a ON a.id = s.assessment_id \
             JOIN accounts c ON c.id = s.clinician_id \
             WHERE a.owner_id IS NOT DISTINCT FROM $1 ORDER BY s.shared_at, c.email",
        )
        .bind(owner)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| {
            Ok(Share {
                assessment_id: AssessmentId(r.try_get("assessment_id")?),
                clinician_email: r.try_get("email")?,
                shared_at: r.try_get("shared_at")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let episodes = sqlx::query(&format!(
            "SELECT {EPISODE_COLUMNS} FROM episodes e WHERE e.owner_id IS NOT DISTINCT FROM $1 \
             ORDER BY e.started_at, e.created_at, e.id"
        ))
        .bind(owner)
        .fetch_all(&mut *tx)
        .await?;
        let episodes = readable(&episodes, "episode", row_id, episode, &mut unreadable);
        let check_ins = sqlx::query(&format!(
            "SELECT {CHECK_IN_COLUMNS} FROM check_ins c JOIN episodes e ON e.id = c.episode_id \
             WHERE e.owner_id IS NOT DISTINCT FROM $1 ORDER BY c.at, c.created_at, c.id"
        ))
        .bind(owner)
        .fetch_all(&mut *tx)
        .await?;
        let check_ins = readable(&check_ins, "check-in", row_id, check_in, &mut unreadable);
        tx.commit().await?;
        build_export(acc, assessments, shares, episodes, check_ins, unreadable)
    }

    async fn erase(&self, viewer: Viewer) -> Result<(), StoreError> {
        let owner = viewer.account().map(|a| a.0);
        let mut tx = self.pool.begin().await?;
        if let Some(id) = owner {
            // Locks the account row: a concurrent write for it waits, then fails its
            // foreign key.
            let exists = sqlx::query("SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
            if !exists {
                return Err(StoreError::NotFound);
            }
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM shares WHERE clinician_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        for sql in [
            "DELETE FROM shares WHERE assessment_id IN \
               (SELECT id FROM assessments WHERE owner_id IS NOT DISTINCT FROM $1)",
            "DELETE FROM check_ins WHERE episode_id IN \
               (SELECT id FROM episodes WHERE owner_id IS NOT DISTINCT FROM $1)",
            "DELETE FROM episodes WHERE owner_id IS NOT DISTINCT FROM $1",
            "DELETE FROM assessments WHERE owner_id IS NOT DISTINCT FROM $1",
        ] {
            sqlx::query(sql).bind(owner).execute(&mut *tx).await?;
        }
        if let Some(id) = owner {
            sqlx::query("DELETE FROM accounts WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn create_episode(
        &self,
        owner: Option<AccountId>,
        new: NewEpisode,
    ) -> Result<Episode, StoreError> {
        check_new_episode(&new)?;
        let ep = Episode {
            id: EpisodeId::random(),
            owner,
            created_at: now_micros(),
            started_at: types::truncate_micros(new.started_at),
            location: new.location,
            severity: new.severity,
            triggers: new.triggers,
            assessment: new.assessment,
        };
        let (kind, acc) = viewer_parts(owner.map_or(Viewer::Local, Viewer::Person));
        // One statement: the row is inserted only when the linked assessment (if any) is one
        // the owner may see.
        let res = sqlx::query(
            "INSERT INTO episodes \
             (id, owner_id, created_at, started_at, location, severity, triggers, assessment_id) \
             SELECT $1, $2, $3, $4, $5, $6, $7::json, $8 \
             WHERE $8::uuid IS NULL OR EXISTS (SELECT 1 FROM assessments \
               WHERE id = $8 AND ($9::int2 = 0 OR owner_id = $10))",
        )
        .bind(ep.id.0)
        .bind(owner.map(|a| a.0))
        .bind(ep.created_at)
        .bind(ep.started_at)
        .bind(&ep.location)
        .bind(ep.severity.map(i16::from))
        .bind(serde_json::to_string(&ep.triggers)?)
        .bind(ep.assessment.map(|a| a.0))
        .bind(kind)
        .bind(acc)
        .execute(&self.pool)
        .await;
        match res {
            Ok(r) if r.rows_affected() == 1 => Ok(ep),
            Ok(_) => Err(StoreError::NotFound),
            Err(e) if StoreError::is_foreign_key_violation(&e) => Err(StoreError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    async fn add_check_in(
        &self,
        viewer: Viewer,
        episode_id: EpisodeId,
        new: NewCheckIn,
    ) -> Result<CheckIn, StoreError> {
        check_new_check_in(&new)?;
        let ci = CheckIn {
            id: CheckInId::random(),
            episode: episode_id,
            created_at: now_micros(),
            at: types::truncate_micros(new.at),
            severity: new.severity,
            improving: new.improving,
            home_care: new.home_care,
        };
        let (kind, acc) = viewer_parts(viewer);
        let started: Option<DateTime<Utc>> = sqlx::query_scalar(
            "SELECT started_at FROM episodes WHERE id = $1 AND ($2::int2 = 0 OR owner_id = $3)",
        )
        .bind(episode_id.0)
        .bind(kind)
        .bind(acc)
        .fetch_optional(&self.pool)
        .await?;
        let Some(started) = started else {
            return Err(StoreError::NotFound);
        };
        if ci.at < started {
            return Err(StoreError::invalid("at is before the episode started"));
        }
        let res = sqlx::query(
            "INSERT INTO check_ins (id, episode_id, created_at, at, severity, improving, home_care) \
             VALUES ($1, $2, $3, $4, $5, $6, $7::json)",
        )
        .bind(ci.id.0)
        .bind(episode_id.0)
        .bind(ci.created_at)
        .bind(ci.at)
        .bind(i16::from(ci.severity))
        .bind(ci.improving)
        .bind(serde_json::to_string(&ci.home_care)?)
        .execute(&self.pool)
        .await;
        match res {
            Ok(_) => Ok(ci),
            // The episode was erased meanwhile.
            Err(e) if StoreError::is_foreign_key_violation(&e) => Err(StoreError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    async fn episode(
        &self,
        viewer: Viewer,
        id: EpisodeId,
    ) -> Result<Option<EpisodeDetail>, StoreError> {
        let (kind, acc) = viewer_parts(viewer);
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query(&format!(
            "SELECT {EPISODE_COLUMNS} FROM episodes e \
             WHERE e.id = $1 AND ($2::int2 = 0 OR e.owner_id = $3)"
        ))
        .bind(id.0)
        .bind(kind)
        .bind(acc)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let ep = episode(&row)?;
        let check_ins = sqlx::query(&format!(
            "SELECT {CHECK_IN_COLUMNS} FROM check_ins c WHERE c.episode_id = $1 \
             ORDER BY c.at, c.created_at, c.id"
        ))
        .bind(id.0)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(check_in)
        .collect::<Result<Vec<_>, _>>()?;
        tx.commit().await?;
        Ok(Some(EpisodeDetail {
            episode: ep,
            check_ins,
        }))
    }

    async fn episodes(&self, viewer: Viewer) -> Result<Vec<Episode>, StoreError> {
        newest_episodes(&self.pool, viewer, None).await
    }

    async fn episode_details(
        &self,
        viewer: Viewer,
        limit: usize,
    ) -> Result<Vec<EpisodeDetail>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // One snapshot for both reads: the check-ins are those of the episodes listed.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        let episodes = newest_episodes(&mut *tx, viewer, Some(limit)).await?;
        let check_ins = check_ins_of_newest_episodes(&mut *tx, viewer, Some(limit)).await?;
        tx.commit().await?;
        Ok(EpisodeDetail::join(episodes, check_ins))
    }
}
