//! Group commit for assessments.
//!
//! Every `put_assessment` becomes a [`Job`] sent over a bounded channel to one writer task.
//! The writer takes the first job, then every job already waiting (up to `max_batch`); while
//! the previous batch's transaction is still committing it keeps gathering (so the next batch
//! is ready the moment the database is free), and if the previous transaction held more than
//! one write — there is concurrency — it also waits up to `max_wait` for more to arrive. Each
//! batch is written in ONE transaction (one at a time), and only after its commit has
//! returned is each caller answered through its oneshot. A failed
//! batch answers every caller with the error, except that a batch refused by the database
//! (a constraint, say an owner erased meanwhile) is retried one write per transaction, so
//! that one bad write does not fail its neighbours.
//!
//! Under a single sequential writer there is no waiting at all (each write is its own
//! transaction, as fast as the disk syncs); under concurrency, the writes that arrive while a
//! transaction is syncing ride on the next one, so one fsync serves many writes.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use uuid::Uuid;

use crate::types::{self, NewAssessment, StoreStats, StoredAssessmentRef};
use crate::{AssessmentId, StoreError};

/// How the writer groups assessments into transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupCommitConfig {
    /// At most this many writes in one transaction (1 turns group commit off).
    pub max_batch: usize,
    /// How long to wait for more writes once concurrency has been seen.
    pub max_wait: Duration,
    /// Writes waiting for the writer before callers wait to hand theirs over.
    pub queue: usize,
}

impl Default for GroupCommitConfig {
    fn default() -> Self {
        GroupCommitConfig {
            max_batch: 512,
            // No lingering by default: the writes that arrive while a transaction commits
            // already make the next batch, and waiting longer only delays it. Measured with
            // the throughput example (SQLite, ~0.6 ms per fsync), 16 / 64 / 128 writers:
            // 2 ms of lingering 4,100 / 12,900 / 22,500 assessments/s, none 14,000–15,200 /
            // 20,800–21,700 / 21,800–24,400.
            max_wait: Duration::ZERO,
            queue: 8192,
        }
    }
}

/// An assessment ready to insert: validated, serialised, id and time assigned.
#[derive(Debug, Clone)]
pub(crate) struct AssessmentRow {
    pub id: Uuid,
    pub owner: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub level: String,
    pub urgency: i16,
    pub kb_version: String,
    pub kb_digest: String,
    pub input: String,
    /// The result's JSON text; empty once moved into `compressed`.
    pub result: String,
    /// The result as a zstd frame and the id of its dictionary (SQLite only, see
    /// `compression`).
    pub compressed: Option<(i64, Vec<u8>)>,
}

impl AssessmentRow {
    /// Runs in the caller's task, so that serialising spreads over the cores and the writer
    /// only binds.
    pub fn prepare(new: NewAssessment) -> Result<AssessmentRow, StoreError> {
        let urgency = types::urgency(&new.level).ok_or_else(|| {
            StoreError::invalid(format!("level must be one of {}", types::LEVELS.join(", ")))
        })?;
        types::check_text("kb_version", &new.kb_version)?;
        types::check_text("kb_digest", &new.kb_digest)?;
        Ok(AssessmentRow {
            // Time-ordered (v7: 48 bits of milliseconds, 74 random bits): each new id goes at
            // the end of the primary key's index instead of into a random page of it, which
            // a commit would then write (and a checkpoint copy) whole. Measured on the HTTP
            // bench: 45.9 → 36.6 KB written per assessment. Still unguessable.
            id: Uuid::now_v7(),
            owner: new.owner.map(|a| a.0),
            created_at: types::now_micros(),
            level: new.level,
            urgency,
            kb_version: new.kb_version,
            kb_digest: new.kb_digest,
            input: serde_json::to_string(&new.input)?,
            // Already JSON text: kept as is, without a copy.
            result: Box::<str>::from(new.result).into_string(),
            compressed: None,
        })
    }

    pub fn stored_ref(&self) -> StoredAssessmentRef {
        StoredAssessmentRef {
            id: AssessmentId(self.id),
            created_at: self.created_at,
        }
    }
}

/// A backend's way to write a batch in one transaction.
#[async_trait]
pub(crate) trait BatchSink: Send + Sync + 'static {
    /// Writes every row in one transaction: all or none.
    async fn write_batch(&self, rows: &[AssessmentRow]) -> Result<(), sqlx::Error>;
}

struct Job {
    row: AssessmentRow,
    reply: oneshot::Sender<Result<(), StoreError>>,
}

#[derive(Default)]
struct Counters {
    written: AtomicU64,
    transactions: AtomicU64,
    largest: AtomicU64,
    errors: AtomicU64,
}

/// The handle callers use; the writer task runs until every handle is dropped.
pub(crate) struct GroupCommitter {
    tx: mpsc::Sender<Job>,
    counters: Arc<Counters>,
}

impl GroupCommitter {
    /// Starts the writer task on the current tokio runtime.
    pub fn start(sink: Arc<dyn BatchSink>, config: GroupCommitConfig) -> GroupCommitter {
        let (tx, rx) = mpsc::channel(config.queue.max(1));
        let counters = Arc::new(Counters::default());
        tokio::spawn(writer(sink, config, rx, counters.clone()));
        GroupCommitter { tx, counters }
    }

    /// Hands the row to the writer and waits until it is committed (or failed).
    pub async fn submit(&self, row: AssessmentRow) -> Result<(), StoreError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Job { row, reply })
            .await
            .map_err(|_| StoreError::unavailable_msg("the assessment writer has stopped"))?;
        answer
            .await
            .map_err(|_| StoreError::unavailable_msg("the assessment writer has stopped"))?
    }

    pub fn stats(&self) -> StoreStats {
        StoreStats {
            assessments_written: self.counters.written.load(Ordering::Relaxed),
            assessment_transactions: self.counters.transactions.load(Ordering::Relaxed),
            largest_batch: self.counters.largest.load(Ordering::Relaxed),
            assessment_errors: self.counters.errors.load(Ordering::Relaxed),
        }
    }
}

fn drain(rx: &mut mpsc::Receiver<Job>, batch: &mut Vec<Job>, max: usize) {
    while batch.len() < max {
        match rx.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
}

async fn writer(
    sink: Arc<dyn BatchSink>,
    config: GroupCommitConfig,
    mut rx: mpsc::Receiver<Job>,
    counters: Arc<Counters>,
) {
    let max = config.max_batch.max(1);
    let mut concurrent = false;
    // The transaction being committed, if any: at most one at a time, while the next batch
    // gathers.
    let mut in_flight: Option<tokio::task::JoinHandle<()>> = None;
    while let Some(first) = rx.recv().await {
        let mut batch = Vec::with_capacity(max.min(64));
        batch.push(first);
        drain(&mut rx, &mut batch, max);
        let linger = concurrent && !config.max_wait.is_zero();
        let deadline = Instant::now() + config.max_wait;
        let mut open = true;
        // Gather until the previous transaction has committed, and (under concurrency) at
        // least until the deadline; never past `max`.
        while batch.len() < max && open {
            let busy = in_flight.as_ref().is_some_and(|h| !h.is_finished());
            let waiting = linger && Instant::now() < deadline;
            if !(busy || waiting) {
                break;
            }
            tokio::select! {
                biased;
                job = rx.recv() => match job {
                    Some(job) => {
                        batch.push(job);
                        drain(&mut rx, &mut batch, max);
                    }
                    None => open = false,
                },
                _ = async {
                    match in_flight.as_mut() {
                        Some(h) if busy => { let _ = h.await; }
                        _ => std::future::pending::<()>().await,
                    }
                }, if busy => in_flight = None,
                _ = tokio::time::sleep_until(deadline), if linger && !busy => {}
            }
        }
        if let Some(h) = in_flight.take() {
            let _ = h.await;
        }
        concurrent = batch.len() > 1;
        let (sink, counters) = (sink.clone(), counters.clone());
        in_flight = Some(tokio::spawn(async move {
            commit(&*sink, batch, &counters).await;
        }));
    }
    if let Some(h) = in_flight.take() {
        let _ = h.await;
    }
}

async fn commit(sink: &dyn BatchSink, batch: Vec<Job>, counters: &Counters) {
    let (rows, replies): (Vec<AssessmentRow>, Vec<_>) =
        batch.into_iter().map(|j| (j.row, j.reply)).unzip();
    match sink.write_batch(&rows).await {
        Ok(()) => {
            counters.transactions.fetch_add(1, Ordering::Relaxed);
            counters
                .written
                .fetch_add(rows.len() as u64, Ordering::Relaxed);
            counters
                .largest
                .fetch_max(rows.len() as u64, Ordering::Relaxed);
            for reply in replies {
                let _ = reply.send(Ok(()));
            }
        }
        Err(e) if rows.len() > 1 && matches!(e, sqlx::Error::Database(_)) => {
            // Refused by the database: find the write(s) at fault, one per transaction.
            for (row, reply) in rows.iter().zip(replies) {
                let answer = match sink.write_batch(std::slice::from_ref(row)).await {
                    Ok(()) => {
                        counters.transactions.fetch_add(1, Ordering::Relaxed);
                        counters.written.fetch_add(1, Ordering::Relaxed);
                        counters.largest.fetch_max(1, Ordering::Relaxed);
                        Ok(())
                    }
                    Err(e) => {
                        counters.errors.fetch_add(1, Ordering::Relaxed);
                        Err(row_error(e))
                    }
                };
                let _ = reply.send(answer);
            }
        }
        Err(e) => {
            counters
                .errors
                .fetch_add(rows.len() as u64, Ordering::Relaxed);
            let err = row_error(e);
            for reply in replies {
                let _ = reply.send(Err(err.clone()));
            }
        }
    }
}

/// An owner that no longer exists (erased meanwhile) is `NotFound`.
fn row_error(e: sqlx::Error) -> StoreError {
    if StoreError::is_foreign_key_violation(&e) {
        StoreError::NotFound
    } else {
        e.into()
    }
}
