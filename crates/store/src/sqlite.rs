//! The embedded backend: one SQLite file (WAL journal, `synchronous=FULL`, foreign keys on).
//!
//! Reads go through a small pool of connections (WAL lets them run beside a writer). Writes
//! are serialised inside the process by one lock and run as `BEGIN IMMEDIATE` transactions,
//! so that two writers never deadlock on a lock upgrade; another process writing the same file
//! (the CLI while the server runs) is waited for up to the busy timeout. Assessment batches
//! (group commit) are written on a connection of their own, whose page cache stays warm;
//! statement journals are kept in memory (`temp_store=MEMORY`: they only serve a rollback).

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
use serde_json::Value;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Connection, Row, Sqlite, SqliteConnection, Transaction};
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::compression::{self, Dictionaries};
use crate::group::{AssessmentRow, BatchSink, GroupCommitConfig, GroupCommitter};
use crate::types::{self, *};
use crate::{
    build_export, check_new_check_in, check_new_episode, check_password_hash, readable, row_id,
    viewer_parts, Store, StoreError, TokenHash,
};

const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The page size of a database this store creates.
const NEW_PAGE_SIZE: u32 = 8192;

/// The embedded SQLite store.
pub struct SqliteStore {
    pool: SqlitePool,
    write_lock: Arc<Mutex<()>>,
    group: GroupCommitter,
    path: Option<PathBuf>,
    /// What the group commit writes with (its connection, the checkpointer), shared.
    sink: Arc<Sink>,
    dictionaries: Dictionaries,
}

struct Sink {
    pool: SqlitePool,
    write_lock: Arc<Mutex<()>>,
    checkpoint: Option<Arc<Checkpointer>>,
    /// The connection the assessment batches are written on (a file database): one of their
    /// own, so that its page cache stays warm. A connection of the pool finds its cache stale
    /// (and reads the pages again) whenever another connection has committed since it last
    /// ran, which with a pool of four is nearly every batch. `None` in memory, where another
    /// connection would be another database; `Some(None)` once the store is closed.
    writer: Option<Arc<Mutex<Option<SqliteConnection>>>>,
}

/// The page cache of the assessment writer's own connection, in KiB (SQLite's default is
/// 2 MiB): the interior pages of the tables and indexes and the recently written leaves.
const WRITER_CACHE_KIB: i64 = 16 * 1024;

/// A batch of `rows` assessments as one command: its whole transaction,
/// `BEGIN IMMEDIATE; INSERT INTO assessments … VALUES (…), (…), …; COMMIT`. The connection
/// runs its statements on a thread of its own, and each command is a round trip to it (a
/// wake-up of that thread, a reply back): one per batch rather than one per statement.
/// One prepared statement per batch size, kept in the connection's statement cache.
fn batch_sql(rows: usize) -> String {
    // Anonymous `?` parameters: nothing to look up by name when binding.
    let mut sql = String::with_capacity(160 + rows * 30);
    sql.push_str(
        "BEGIN IMMEDIATE; INSERT INTO assessments \
         (id, owner_id, created_at, level, urgency, kb_version, kb_digest, input, result, \
          result_zstd, result_dictionary) \
         VALUES ",
    );
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }
    sql.push_str("; COMMIT");
    sql
}

/// `(journal_mode, synchronous, foreign_keys)` of a connection.
async fn connection_settings(
    conn: &mut SqliteConnection,
) -> Result<(String, i64, bool), StoreError> {
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await?;
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await?;
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await?;
    Ok((journal, sync, fk == 1))
}

/// Writes the rows in one transaction, as one command ([`batch_sql`]): all or none. The
/// answer is `Ok` only once the `COMMIT` has returned. On an error the transaction, if still
/// open (a refused `INSERT`, a failed `COMMIT`), is rolled back, so that the connection is
/// clean for the next batch.
async fn write_rows(
    conn: &mut SqliteConnection,
    rows: &[AssessmentRow],
) -> Result<(), sqlx::Error> {
    let sql = batch_sql(rows.len());
    let mut q = sqlx::query(&sql);
    for r in rows {
        q = q
            .bind(r.id)
            .bind(r.owner)
            .bind(r.created_at.timestamp_micros())
            .bind(&r.level)
            .bind(r.urgency)
            .bind(&r.kb_version)
            .bind(&r.kb_digest)
            .bind(&r.input)
            .bind(r.compressed.is_none().then_some(r.result.as_str()))
            .bind(r.compressed.as_ref().map(|(_, frame)| frame.as_slice()))
            .bind(r.compressed.as_ref().map(|(dictionary, _)| *dictionary));
    }
    match q.execute(&mut *conn).await {
        Ok(_) => Ok(()),
        Err(e) => {
            // (An error of its own when no transaction is open: nothing to undo then.)
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            Err(e)
        }
    }
}

#[async_trait]
impl BatchSink for Sink {
    async fn write_batch(&self, rows: &[AssessmentRow]) -> Result<(), sqlx::Error> {
        let _w = self.write_lock.lock().await;
        match &self.writer {
            Some(writer) => {
                let mut writer = writer.lock().await;
                let conn = writer.as_mut().ok_or(sqlx::Error::PoolClosed)?;
                write_rows(conn, rows).await?;
            }
            None => write_rows(&mut *self.pool.acquire().await?, rows).await?,
        }
        if let Some(c) = &self.checkpoint {
            c.wrote(rows.len());
        }
        Ok(())
    }
}

/// Checkpoints the WAL in the background, off the commit path.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses the threshold, adding
/// its copy and two fsyncs to that batch's latency; here it is turned off
/// (`wal_autocheckpoint=0`) and this task runs a PASSIVE checkpoint (which neither blocks nor
/// waits for writers) after every ~`EVERY_ROWS` assessments and at least every
/// `EVERY` when anything was written, then a second, short one under the write lock for
/// what was committed meanwhile, so that the next batch writes the WAL again from its start.
/// Should the WAL still be longer than `WAL_LIMIT_FRAMES` (readers kept the checkpoint from
/// copying everything), a RESTART checkpoint, still under the write lock, resets it.
struct Checkpointer {
    rows: std::sync::atomic::AtomicUsize,
    wake: tokio::sync::Notify,
}

impl Checkpointer {
    const EVERY_ROWS: usize = 512;
    const EVERY: Duration = Duration::from_secs(1);
    const WAL_LIMIT_FRAMES: i64 = 32_768; // 128 MiB of 4 KiB pages

    fn wrote(&self, rows: usize) {
        use std::sync::atomic::Ordering;
        let before = self.rows.fetch_add(rows.max(1), Ordering::Relaxed);
        if before < Self::EVERY_ROWS && before + rows >= Self::EVERY_ROWS {
            self.wake.notify_one();
        }
    }

    /// Runs until the store is dropped (`alive` can no longer be upgraded).
    async fn run(
        alive: std::sync::Weak<Checkpointer>,
        pool: SqlitePool,
        write_lock: Arc<Mutex<()>>,
    ) {
        use std::sync::atomic::Ordering;
        loop {
            let Some(me) = alive.upgrade() else { return };
            let _ = tokio::time::timeout(Self::EVERY, me.wake.notified()).await;
            if me.rows.swap(0, Ordering::Relaxed) == 0 {
                continue;
            }
            drop(me);
            let passive: Result<(i64, i64, i64), sqlx::Error> =
                sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
                    .fetch_one(&pool)
                    .await;
            if passive.is_ok() {
                // A second pass under the write lock copies what was committed during the
                // first (a few batches: milliseconds), so that the whole WAL is in the
                // database when the next batch begins; SQLite then writes the WAL again from
                // its start instead of appending. Without it the writer, never pausing,
                // always finds frames not yet copied, and the WAL only grows (to the limit
                // below, where a RESTART stalls every writer): measured p99 of the HTTP
                // bench 54-60 ms without, 17-18 ms with, throughput unchanged.
                let _w = write_lock.lock().await;
                let second: Result<(i64, i64, i64), sqlx::Error> =
                    sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
                        .fetch_one(&pool)
                        .await;
                // Still long (a reader kept it from copying everything): wait for the readers.
                if matches!(second, Ok((_, log, _)) if log > Self::WAL_LIMIT_FRAMES) {
                    let _ = sqlx::query("PRAGMA wal_checkpoint(RESTART)")
                        .execute(&pool)
                        .await;
                }
            }
        }
    }
}

/// Applies the migrations not yet applied.
async fn migrate(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    let migrator = sqlx::migrate!("./migrations/sqlite");
    if let Err(first) = migrator.run(&mut *conn).await {
        // Two processes opening a new file at once: the second sees the first's tables.
        tokio::time::sleep(Duration::from_millis(200)).await;
        migrator.run(&mut *conn).await.map_err(|_| first)?;
    }
    Ok(())
}

fn ts(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

fn from_ts(us: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_micros(us)
        .ok_or_else(|| StoreError::internal_msg("a time out of range in the database"))
}

fn json_text(s: &str) -> Result<Value, StoreError> {
    Ok(serde_json::from_str(s)?)
}

fn string_list(s: &str) -> Result<Vec<String>, StoreError> {
    Ok(serde_json::from_str(s)?)
}

fn severity(v: i64) -> Result<u8, StoreError> {
    u8::try_from(v).map_err(|_| StoreError::internal_msg("a severity out of range"))
}

const ASSESSMENT_COLUMNS: &str = "a.id, a.owner_id, a.created_at, a.level, a.kb_version, \
     a.kb_digest, a.input, a.result, a.result_zstd, a.result_dictionary";

fn assessment(
    row: &SqliteRow,
    dictionaries: &Dictionaries,
) -> Result<StoredAssessment, StoreError> {
    let result = match row.try_get::<Option<i64>, _>("result_dictionary")? {
        Some(dictionary) => {
            dictionaries.decompress(dictionary, row.try_get::<&[u8], _>("result_zstd")?)?
        }
        None => row.try_get("result")?,
    };
    Ok(StoredAssessment {
        id: AssessmentId(row.try_get("id")?),
        owner: row.try_get::<Option<Uuid>, _>("owner_id")?.map(AccountId),
        created_at: from_ts(row.try_get("created_at")?)?,
        level: row.try_get("level")?,
        kb_version: row.try_get("kb_version")?,
        kb_digest: row.try_get("kb_digest")?,
        input: json_text(row.try_get("input")?)?,
        // Checked to be JSON (not parsed into a tree), then kept as the stored bytes.
        result: RawValue::from_string(result)?,
    })
}

const ACCOUNT_COLUMNS: &str = "acc.id, acc.email, acc.role, acc.created_at";

fn account(row: &SqliteRow) -> Result<Account, StoreError> {
    Ok(Account {
        id: AccountId(row.try_get("id")?),
        email: row.try_get("email")?,
        role: Role::parse(row.try_get("role")?)?,
        created_at: from_ts(row.try_get("created_at")?)?,
    })
}

/// The viewer's episodes, newest start first, at most `?3` of them (-1: all); `?1`, `?2`
/// as [`viewer_parts`] gives them.
const NEWEST_EPISODES: &str = "(?1 = 0 OR e.owner_id = ?2) \
     ORDER BY e.started_at DESC, e.created_at DESC, e.id DESC LIMIT ?3";

/// The viewer's newest `limit` episodes (-1: all), newest start first: the one query behind
/// [`Store::episodes`] and [`Store::episode_details`].
async fn newest_episodes<'e, E>(
    executor: E,
    viewer: Viewer,
    limit: i64,
) -> Result<Vec<Episode>, StoreError>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
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
    limit: i64,
) -> Result<Vec<CheckIn>, StoreError>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
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

fn episode(row: &SqliteRow) -> Result<Episode, StoreError> {
    Ok(Episode {
        id: EpisodeId(row.try_get("id")?),
        owner: row.try_get::<Option<Uuid>, _>("owner_id")?.map(AccountId),
        created_at: from_ts(row.try_get("created_at")?)?,
        started_at: from_ts(row.try_get("started_at")?)?,
        location: row.try_get("location")?,
        severity: row
            .try_get::<Option<i64>, _>("severity")?
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

fn check_in(row: &SqliteRow) -> Result<CheckIn, StoreError> {
    Ok(CheckIn {
        id: CheckInId(row.try_get("id")?),
        episode: EpisodeId(row.try_get("episode_id")?),
        created_at: from_ts(row.try_get("created_at")?)?,
        at: from_ts(row.try_get("at")?)?,
        severity: severity(row.try_get("severity")?)?,
        improving: row.try_get::<i64, _>("improving")? != 0,
        home_care: string_list(row.try_get("home_care")?)?,
    })
}

impl SqliteStore {
    /// Opens (creating when missing, with its parent directories) the database file at
    /// `path` and applies the migrations.
    pub async fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        SqliteStore::open_with(path, GroupCommitConfig::default()).await
    }

    /// [`SqliteStore::open`] with a group commit configuration.
    pub async fn open_with(
        path: impl AsRef<Path>,
        group_commit: GroupCommitConfig,
    ) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Unavailable(Arc::new(e)))?;
        }
        if !path.exists() {
            // A new database gets 8 KiB pages (an existing one keeps its own: SQLite cannot
            // change it in WAL mode). An assessment (~11 KB of JSON) then takes two pages
            // and a share of a third, not three and a share, so a batch's WAL frames, its
            // checkpoint copies and their system calls are about halved: measured 10,400 →
            // 11,300 assessments/s in the HTTP bench (16 KiB: 10,500–10,900). Set on a
            // connection of its own, which creates the file in WAL mode (that fixes the page
            // size); should another process be creating it at the same moment, whichever
            // comes first decides, and the pool below opens what is there.
            let create = SqliteConnectOptions::new()
                .filename(&path)
                .create_if_missing(true)
                .page_size(NEW_PAGE_SIZE)
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(BUSY_TIMEOUT);
            if let Ok(conn) = SqliteConnection::connect_with(&create).await {
                let _ = conn.close().await;
            }
        }
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // Checkpoints run in the background (see `Checkpointer`), not inside a commit.
            .pragma("wal_autocheckpoint", "0")
            .pragma("journal_size_limit", "67108864")
            // Statement journals (a multi-row INSERT keeps one, to undo itself alone) in
            // memory rather than in a temporary file created and deleted in every batch.
            // They only ever serve a rollback: durability is the WAL's.
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(15))
            .connect_with(options.clone())
            .await?;
        let writer = options
            .clone()
            .pragma("cache_size", format!("-{WRITER_CACHE_KIB}"));
        SqliteStore::start(pool, Some(path), group_commit, Some(writer), Some(options)).await
    }

    /// A private in-memory database (for tests and `--database memory`).
    pub async fn open_in_memory() -> Result<SqliteStore, StoreError> {
        SqliteStore::open_in_memory_with(GroupCommitConfig::default()).await
    }

    /// [`SqliteStore::open_in_memory`] with a group commit configuration.
    pub async fn open_in_memory_with(
        group_commit: GroupCommitConfig,
    ) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            .pragma("temp_store", "memory");
        // One connection, kept for ever: an in-memory database lives as long as it does.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        SqliteStore::start(pool, None, group_commit, None, None).await
    }

    async fn start(
        pool: SqlitePool,
        path: Option<PathBuf>,
        group_commit: GroupCommitConfig,
        writer: Option<SqliteConnectOptions>,
        migrations: Option<SqliteConnectOptions>,
    ) -> Result<SqliteStore, StoreError> {
        match &migrations {
            // A file: on a connection of its own, with foreign key enforcement off (see the
            // second migration), then every reference checked.
            Some(options) => {
                let mut conn =
                    SqliteConnection::connect_with(&options.clone().foreign_keys(false)).await?;
                let migrated = migrate(&mut conn).await;
                let dangling = sqlx::query("PRAGMA foreign_key_check")
                    .fetch_all(&mut conn)
                    .await;
                let _ = conn.close().await;
                migrated?;
                if !dangling?.is_empty() {
                    return Err(StoreError::internal_msg(
                        "the database holds references to rows that do not exist \
                         (PRAGMA foreign_key_check)",
                    ));
                }
            }
            // In memory the database is new (no rows to cascade from) and lives in the one
            // connection of the pool.
            None => migrate(&mut *pool.acquire().await?).await?,
        }
        if path.is_some() {
            // Whatever an earlier process left in the WAL (it never blocks a writer).
            let _ = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await;
        }
        let write_lock = Arc::new(Mutex::new(()));
        let checkpoint = path.as_ref().map(|_| {
            let c = Arc::new(Checkpointer {
                rows: Default::default(),
                wake: Default::default(),
            });
            tokio::spawn(Checkpointer::run(
                Arc::downgrade(&c),
                pool.clone(),
                write_lock.clone(),
            ));
            c
        });
        let writer = match writer {
            // Opened after the migrations, so it never holds a schema of before them.
            Some(options) => Some(Arc::new(Mutex::new(Some(
                SqliteConnection::connect_with(&options).await?,
            )))),
            None => None,
        };
        let sink = Arc::new(Sink {
            pool: pool.clone(),
            write_lock: write_lock.clone(),
            checkpoint,
            writer,
        });
        Ok(SqliteStore {
            pool,
            write_lock,
            group: GroupCommitter::start(sink.clone(), group_commit),
            path,
            sink,
            dictionaries: Dictionaries::default(),
        })
    }

    /// The database file, `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The durability settings of a connection of the pool, as SQLite reports them:
    /// `(journal_mode, synchronous, foreign_keys)`, e.g. `("wal", 2, true)` (2 = FULL). The
    /// assessment writer's own connection must report the same (an internal error if not).
    pub async fn settings(&self) -> Result<(String, i64, bool), StoreError> {
        let mut conn = self.pool.acquire().await?;
        let pool = connection_settings(&mut conn).await?;
        if let Some(writer) = &self.sink.writer {
            if let Some(conn) = writer.lock().await.as_mut() {
                if connection_settings(conn).await? != pool {
                    return Err(StoreError::internal_msg(
                        "the assessment writer's connection has other settings than the pool's",
                    ));
                }
            }
        }
        Ok(pool)
    }

    /// Loads the dictionaries these assessment rows were compressed with that this store
    /// has not met yet (another process, or an earlier run, wrote them).
    /// (Read on the pool: a row's dictionary was committed before the row.)
    async fn load_dictionaries(&self, rows: &[SqliteRow]) -> Result<(), StoreError> {
        for row in rows {
            if let Some(id) = row.try_get::<Option<i64>, _>("result_dictionary")? {
                if !self.dictionaries.knows(id) {
                    let bytes: Vec<u8> =
                        sqlx::query_scalar("SELECT bytes FROM result_dictionaries WHERE id = ?1")
                            .bind(id)
                            .fetch_one(&self.pool)
                            .await?;
                    self.dictionaries.learn(id, &bytes);
                }
            }
        }
        Ok(())
    }

    /// A write transaction: in-process writers queue on the lock, then `BEGIN IMMEDIATE`.
    async fn write<'a>(
        &'a self,
        _guard: &tokio::sync::MutexGuard<'a, ()>,
    ) -> Result<Transaction<'static, Sqlite>, StoreError> {
        if let Some(c) = &self.sink.checkpoint {
            c.wrote(1);
        }
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    async fn fetch_owned(
        &self,
        tx: &mut Transaction<'static, Sqlite>,
        owner: Option<Uuid>,
    ) -> Result<Value, StoreError> {
        let acc = match owner {
            Some(id) => {
                let row = sqlx::query(&format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM accounts acc WHERE acc.id = ?1"
                ))
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
                match row {
                    Some(r) => Some(account(&r)?),
                    None => return Err(StoreError::NotFound),
                }
            }
            None => None,
        };
        let assessments = sqlx::query(&format!(
            "SELECT {ASSESSMENT_COLUMNS} FROM assessments a WHERE a.owner_id IS ?1 \
             ORDER BY a.created_at, a.id"
        ))
        .bind(owner)
        .fetch_all(&mut **tx)
        .await?;
        self.load_dictionaries(&assessments).await?;
        let mut unreadable = Vec::new();
        let assessments = readable(
            &assessments,
            "assessment",
            row_id,
            |row| assessment(row, &self.dictionaries),
            &mut unreadable,
        );
        let shares = sqlx::query(
            "SELECT s.assessment_id, c.email, s.shared_at FROM shares s \
             JOIN assessments a ON a.id = s.assessment_id \
             JOIN accounts c ON c.id = s.clinician_id \
             WHERE a.owner_id IS ?1 ORDER BY s.shared_at, c.email",
        )
        .bind(owner)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| {
            Ok(Share {
                assessment_id: AssessmentId(r.try_get("assessment_id")?),
                clinician_email: r.try_get("email")?,
                shared_at: from_ts(r.try_get("shared_at")?)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let episodes = sqlx::query(&format!(
            "SELECT {EPISODE_COLUMNS} FROM episodes e WHERE e.owner_id IS ?1 \
             ORDER BY e.started_at, e.created_at, e.id"
        ))
        .bind(owner)
        .fetch_all(&mut **tx)
        .await?;
        let episodes = readable(&episodes, "episode", row_id, episode, &mut unreadable);
        let check_ins = sqlx::query(&format!(
            "SELECT {CHECK_IN_COLUMNS} FROM check_ins c JOIN episodes e ON e.id = c.episode_id \
             WHERE e.owner_id IS ?1 ORDER BY c.at, c.created_at, c.id"
        ))
        .bind(owner)
        .fetch_all(&mut **tx)
        .await?;
        let check_ins = readable(&check_ins, "check-in", row_id, check_in, &mut unreadable);
        build_export(acc, assessments, shares, episodes, check_ins, unreadable)
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn stats(&self) -> StoreStats {
        self.group.stats()
    }

    async fn healthy(&self) -> bool {
        // A write, committed: a database that answers but cannot commit (a full disk, a
        // read-only file) is not healthy.
        let probe = async {
            let guard = self.write_lock.lock().await;
            let mut tx = self.write(&guard).await?;
            sqlx::query(
                "INSERT INTO health_probe (id, at) VALUES (1, ?1) \
                 ON CONFLICT (id) DO UPDATE SET at = excluded.at",
            )
            .bind(ts(now_micros()))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        };
        matches!(
            tokio::time::timeout(Duration::from_secs(1), probe).await,
            Ok(Ok(()))
        )
    }

    async fn close(&self) {
        if self.path.is_some() {
            let _w = self.write_lock.lock().await;
            if let Some(writer) = &self.sink.writer {
                if let Some(conn) = writer.lock().await.take() {
                    let _ = conn.close().await;
                }
            }
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await;
        }
        self.pool.close().await;
    }

    fn compresses_results(&self) -> bool {
        true
    }

    async fn use_result_dictionary(&self, bytes: &[u8]) -> Result<(), StoreError> {
        let digest = compression::digest(bytes);
        let id: i64 = {
            let guard = self.write_lock.lock().await;
            let mut tx = self.write(&guard).await?;
            sqlx::query(
                "INSERT INTO result_dictionaries (digest, bytes) VALUES (?1, ?2) \
                 ON CONFLICT (digest) DO NOTHING",
            )
            .bind(&digest[..])
            .bind(bytes)
            .execute(&mut *tx)
            .await?;
            let id = sqlx::query_scalar("SELECT id FROM result_dictionaries WHERE digest = ?1")
                .bind(&digest[..])
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            id
        };
        self.dictionaries.set_current(id, bytes);
        Ok(())
    }

    async fn put_assessment(&self, new: NewAssessment) -> Result<StoredAssessmentRef, StoreError> {
        let mut row = AssessmentRow::prepare(new)?;
        // Compressed here, in the caller's task, so that the work spreads over the cores
        // and the single writer only binds.
        if let Some(encoder) = self.dictionaries.current() {
            let frame = encoder.compress(&row.result)?;
            row.compressed = Some((encoder.id, frame));
            row.result = String::new();
        }
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
            "SELECT {ASSESSMENT_COLUMNS} FROM assessments a WHERE a.id = ?1 AND ( \
               ?2 = 0 OR a.owner_id = ?3 OR (?2 = 2 AND EXISTS ( \
                 SELECT 1 FROM shares s WHERE s.assessment_id = a.id AND s.clinician_id = ?3)))"
        ))
        .bind(id.0)
        .bind(kind)
        .bind(acc)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        self.load_dictionaries(std::slice::from_ref(&row)).await?;
        assessment(&row, &self.dictionaries)
            .map(Some)
            .map_err(|e| StoreError::unreadable("assessment", id.0, e))
    }

    async fn assessments(
        &self,
        viewer: Viewer,
        limit: u32,
    ) -> Result<Vec<AssessmentSummary>, StoreError> {
        let (kind, acc) = viewer_parts(viewer);
        sqlx::query(
            "SELECT a.id, a.created_at, a.level, a.kb_version FROM assessments a \
             WHERE ?1 = 0 OR a.owner_id = ?2 \
             ORDER BY a.created_at DESC, a.id DESC LIMIT ?3",
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
                created_at: from_ts(r.try_get("created_at")?)?,
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
        let guard = self.write_lock.lock().await;
        let mut tx = self.write(&guard).await?;
        let res = sqlx::query(
            "INSERT INTO accounts (id, email, role, password_hash, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(acc.id.0)
        .bind(&acc.email)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(ts(acc.created_at))
        .execute(&mut *tx)
        .await;
        match res {
            Ok(_) => {}
            Err(e) if StoreError::is_unique_violation(&e) => return Err(StoreError::EmailTaken),
            Err(e) => return Err(e.into()),
        }
        tx.commit().await?;
        Ok(acc)
    }

    async fn account_by_email(&self, email: &str) -> Result<Option<Credentials>, StoreError> {
        let Ok(email) = normalize_email(email) else {
            return Ok(None);
        };
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, acc.password_hash FROM accounts acc WHERE acc.email = ?1"
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
            "SELECT {ACCOUNT_COLUMNS} FROM accounts acc WHERE acc.id = ?1"
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
        let guard = self.write_lock.lock().await;
        let mut tx = self.write(&guard).await?;
        let res = sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(&token.0[..])
        .bind(account.0)
        .bind(ts(now_micros()))
        .bind(ts(expires_at))
        .execute(&mut *tx)
        .await;
        match res {
            Ok(_) => {}
            Err(e) if StoreError::is_foreign_key_violation(&e) => return Err(StoreError::NotFound),
            Err(e) => return Err(e.into()),
        }
        tx.commit().await?;
        Ok(())
    }

    async fn session(&self, token: &TokenHash) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM sessions s JOIN accounts acc ON acc.id = s.account_id \
             WHERE s.token_hash = ?1 AND s.expires_at > ?2"
        ))
        .bind(&token.0[..])
        .bind(ts(Utc::now()))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(account).transpose()
    }

    async fn delete_session(&self, token: &TokenHash) -> Result<(), StoreError> {
        let guard = self.write_lock.lock().await;
        let mut tx = self.write(&guard).await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?1")
            .bind(&token.0[..])
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn purge_expired_sessions(&self) -> Result<u64, StoreError> {
        let guard = self.write_lock.lock().await;
        let mut tx = self.write(&guard).await?;
        let n = sqlx::query("DELETE FROM sessions WHERE expires_at <= ?1")
            .bind(ts(Utc::now()))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(n)
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
        let guard = self.write_lock.lock().await;
        let mut tx = self.write(&guard).await?;
        let inserted = sqlx::query(
            "INSERT INTO shares (assessment_id, clinician_id, shared_at) \
             SELECT a.id, c.id, ?4 FROM assessments a, accounts c \
             WHERE a.id = ?1 AND a.owner_id = ?2 AND c.email = ?3 AND c.role = 'clinician' \
             ON CONFLICT (clinician_id, assessment_id) DO NOTHING",
        )
        .bind(assessment.0)
        .bind(owner.0)
        .bind(&email)
        .bind(ts(now_micros()))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            // Already shared (fine), or nothing to share (not found).
            let exists = sqlx::query(
                "SELECT 1 FROM shares s JOIN assessments a ON a.id = s.assessment_id \
                 JOIN accounts c ON c.id = s.clinician_id \
                 WHERE a.id = ?1 AND a.owner_id = ?2 AND c.email = ?3",
            )
            .bind(assessment.0)
            .bind(owner.0)
            .bind(&email)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
            if !exists {
                return Err(StoreError::NotFound);
            }
        }
        tx.commit().await?;
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
        let guard = self.write_lock.lock().await;
        let mut tx = self.write(&guard).await?;
        let n = sqlx::query(
            "DELETE FROM shares WHERE assessment_id = ?1 \
             AND assessment_id IN (SELECT id FROM assessments WHERE owner_id = ?2) \
             AND clinician_id IN (SELECT id FROM accounts WHERE email = ?3)",
        )
        .bind(assessment.0)
        .bind(owner.0)
        .bind(&email)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    async fn queue(&self, clinician: AccountId) -> Result<Vec<QueueItem>, StoreError> {
        sqlx::query(
            "SELECT a.id, a.owner_id, o.email, a.level, a.created_at, s.shared_at, a.kb_version \
             FROM shares s \
             JOIN accounts c ON c.id = s.clinician_id AND c.role = 'clinician' \
             JOIN assessments a ON a.id = s.assessment_id \
             JOIN accounts o ON o.id = a.owner_id \
             WHERE s.clinician_id = ?1 \
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
                created_at: from_ts(r.try_get("created_at")?)?,
                shared_at: from_ts(r.try_get("shared_at")?)?,
                kb_version: r.try_get("kb_version")?,
            })
        })
        .collect()
    }

    async fn export(&self, viewer: Viewer) -> Result<Value, StoreError> {
        // One read transaction: a consistent snapshot.
        let mut tx = self.pool.begin().await?;
        let doc = self
            .fetch_owned(&mut tx, viewer.account().map(|a| a.0))
            .await?;
        tx.commit().await?;
        Ok(doc)
    }

    async fn erase(&self, viewer: Viewer) -> Result<(), StoreError> {
        let owner = viewer.account().map(|a| a.0);
        let guard = self.write_lock.lock().await;
        let mut tx = self.write(&guard).await?;
        if let Some(id) = owner {
            let exists = sqlx::query("SELECT 1 FROM accounts WHERE id = ?1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
            if !exists {
                return Err(StoreError::NotFound);
            }
            sqlx::query("DELETE FROM sessions WHERE account_id = ?1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM shares WHERE clinician_id = ?1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        for sql in [
            "DELETE FROM shares WHERE assessment_id IN \
               (SELECT id FROM assessments WHERE owner_id IS ?1)",
            "DELETE FROM check_ins WHERE episode_id IN \
               (SELECT id FROM episodes WHERE owner_id IS ?1)",
            "DELETE FROM episodes WHERE owner_id IS ?1",
            "DELETE FROM assessments WHERE owner_id IS ?1",
        ] {
            sqlx::query(sql).bind(owner).execute(&mut *tx).await?;
        }
        if let Some(id) = owner {
            sqlx::query("DELETE FROM accounts WHERE id = ?1")
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
        let guard = self.write_lock.lock().await;
        let mut tx = self.write(&guard).await?;
        if let Some(a) = ep.assessment {
            let (kind, acc) = viewer_parts(owner.map_or(Viewer::Local, Viewer::Person));
            let visible = sqlx::query(
                "SELECT 1 FROM assessments WHERE id = ?1 AND (?2 = 0 OR owner_id = ?3)",
            )
            .bind(a.0)
            .bind(kind)
            .bind(acc)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
            if !visible {
                return Err(StoreError::NotFound);
            }
        }
        let res = sqlx::query(
            "INSERT INTO episodes \
             (id, owner_id, created_at, started_at, location, severity, triggers, assessment_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .bind(ep.id.0)
        .bind(owner.map(|a| a.0))
        .bind(ts(ep.created_at))
        .bind(ts(ep.started_at))
        .bind(&ep.location)
        .bind(ep.severity.map(i64::from))
        .bind(serde_json::to_string(&ep.triggers)?)
        .bind(ep.assessment.map(|a| a.0))
        .execute(&mut *tx)
        .await;
        match res {
            Ok(_) => {}
            Err(e) if StoreError::is_foreign_key_violation(&e) => return Err(StoreError::NotFound),
            Err(e) => return Err(e.into()),
        }
        tx.commit().await?;
        Ok(ep)
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
        let guard = self.write_lock.lock().await;
        let mut tx = self.write(&guard).await?;
        let started: Option<i64> = sqlx::query_scalar(
            "SELECT started_at FROM episodes WHERE id = ?1 AND (?2 = 0 OR owner_id = ?3)",
        )
        .bind(episode_id.0)
        .bind(kind)
        .bind(acc)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(started) = started else {
            return Err(StoreError::NotFound);
        };
        if ts(ci.at) < started {
            return Err(StoreError::invalid("at is before the episode started"));
        }
        sqlx::query(
            "INSERT INTO check_ins (id, episode_id, created_at, at, severity, improving, home_care) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .bind(ci.id.0)
        .bind(episode_id.0)
        .bind(ts(ci.created_at))
        .bind(ts(ci.at))
        .bind(i64::from(ci.severity))
        .bind(i64::from(ci.improving))
        .bind(serde_json::to_string(&ci.home_care)?)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(ci)
    }

    async fn episode(
        &self,
        viewer: Viewer,
        id: EpisodeId,
    ) -> Result<Option<EpisodeDetail>, StoreError> {
        let (kind, acc) = viewer_parts(viewer);
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(&format!(
            "SELECT {EPISODE_COLUMNS} FROM episodes e \
             WHERE e.id = ?1 AND (?2 = 0 OR e.owner_id = ?3)"
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
            "SELECT {CHECK_IN_COLUMNS} FROM check_ins c WHERE c.episode_id = ?1 \
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
        newest_episodes(&self.pool, viewer, -1).await
    }

    async fn episode_details(
        &self,
        viewer: Viewer,
        limit: usize,
    ) -> Result<Vec<EpisodeDetail>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // One read transaction: the check-ins are those of the episodes listed.
        let mut tx = self.pool.begin().await?;
        let episodes = newest_episodes(&mut *tx, viewer, limit).await?;
        let check_ins = check_ins_of_newest_episodes(&mut *tx, viewer, limit).await?;
        tx.commit().await?;
        Ok(EpisodeDetail::join(episodes, check_ins))
    }
}
