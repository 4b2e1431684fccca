//! Where assessments are kept once made, behind one trait so that the embedded database of
//! the persistence work (and, later, accounts and episodes) can replace the memory store
//! without touching the handlers.
//!
//! The trait is deliberately small: put, get, and a health check. What a later store adds
//! (the owning account, sharing with a clinician, episodes and check-ins) goes into new
//! methods with default implementations that say "not supported", so a store written now
//! keeps compiling.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One stored assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAssessment {
    /// Random (v4), so ids cannot be guessed from one another.
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    /// The triage level id (e.g. `ambulance`), kept apart so a store can index it (the
    /// clinician queue of the multi-user work sorts by it).
    pub level: String,
    /// The assessment result of the contract, as JSON, including its `"id"`.
    pub result_json: String,
    /// "What I understood" from the person's text, as JSON (`{"about", "mentions"}`), for the
    /// result page; `None` when there was no text.
    pub understood_json: Option<String>,
}

impl StoredAssessment {
    /// Bytes held, roughly: what the memory store counts against its byte bound.
    pub fn size(&self) -> usize {
        self.result_json.len() + self.understood_json.as_ref().map_or(0, String::len) + 96
    }
}

/// Why a store could not do something. Never shown to a client as is: the handlers answer
/// a generic 503 problem and log this.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("the store is unavailable: {0}")]
    Unavailable(String),
}

/// The assessments store. Implementations must be cheap to call concurrently.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Keeps an assessment. An id already present is replaced.
    async fn put_assessment(&self, assessment: StoredAssessment) -> Result<(), StoreError>;
    /// The assessment with this id, if kept.
    async fn get_assessment(&self, id: Uuid) -> Result<Option<StoredAssessment>, StoreError>;
    /// True when the store answers (`/healthz`).
    async fn healthy(&self) -> bool;
    /// A short name for logs and `/metrics`, e.g. `memory`.
    fn kind(&self) -> &'static str;
    /// How many assessments are held, when cheap to know.
    fn len_hint(&self) -> Option<usize> {
        None
    }
}

/// The default bound on the number of assessments kept in memory.
pub const DEFAULT_MAX_ENTRIES: usize = 100_000;
/// The default bound on the bytes kept in memory (about 256 MiB).
pub const DEFAULT_MAX_BYTES: usize = 256 * 1024 * 1024;

#[derive(Default)]
struct Inner {
    map: HashMap<Uuid, StoredAssessment>,
    /// Insertion order, oldest first, for eviction.
    order: VecDeque<Uuid>,
    bytes: usize,
}

/// Assessments in memory, bounded by count and by bytes: when full, the oldest go first.
/// Nothing survives a restart.
pub struct MemoryStore {
    inner: Mutex<Inner>,
    max_entries: usize,
    max_bytes: usize,
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::new(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES)
    }
}

impl MemoryStore {
    /// A store that keeps at most `max_entries` assessments and about `max_bytes` bytes.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        MemoryStore {
            inner: Mutex::new(Inner::default()),
            max_entries: max_entries.max(1),
            max_bytes: max_bytes.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the map inconsistent in a way that
        // matters (every mutation is a single insert or remove), so poisoning is ignored.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn put_assessment(&self, assessment: StoredAssessment) -> Result<(), StoreError> {
        let mut inner = self.lock();
        let size = assessment.size();
        if let Some(old) = inner.map.remove(&assessment.id) {
            inner.bytes -= old.size();
            inner.order.retain(|id| *id != old.id);
        }
        while !inner.order.is_empty()
            && (inner.map.len() >= self.max_entries || inner.bytes + size > self.max_bytes)
        {
            if let Some(oldest) = inner.order.pop_front() {
                if let Some(old) = inner.map.remove(&oldest) {
                    inner.bytes -= old.size();
                }
            }
        }
        inner.order.push_back(assessment.id);
        inner.bytes += size;
        inner.map.insert(assessment.id, assessment);
        Ok(())
    }

    async fn get_assessment(&self, id: Uuid) -> Result<Option<StoredAssessment>, StoreError> {
        Ok(self.lock().map.get(&id).cloned())
    }

    async fn healthy(&self) -> bool {
        true
    }

    fn kind(&self) -> &'static str {
        "memory"
    }

    fn len_hint(&self) -> Option<usize> {
        Some(self.lock().map.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(n: usize) -> StoredAssessment {
        StoredAssessment {
            id: Uuid::new_v4(),
            created_at: Utc::now(),
            level: "self_care".into(),
            result_json: format!("{{\"n\":{n}}}"),
            understood_json: None,
        }
    }

    #[tokio::test]
    async fn keeps_and_finds() {
        let store = MemoryStore::default();
        let a = item(1);
        store.put_assessment(a.clone()).await.unwrap();
        assert_eq!(store.get_assessment(a.id).await.unwrap(), Some(a));
        assert_eq!(store.get_assessment(Uuid::new_v4()).await.unwrap(), None);
        assert!(store.healthy().await);
    }

    #[tokio::test]
    async fn evicts_the_oldest_when_full() {
        let store = MemoryStore::new(3, usize::MAX);
        let items: Vec<_> = (0..5).map(item).collect();
        for i in &items {
            store.put_assessment(i.clone()).await.unwrap();
        }
        assert_eq!(store.len_hint(), Some(3));
        assert_eq!(store.get_assessment(items[0].id).await.unwrap(), None);
        assert_eq!(store.get_assessment(items[1].id).await.unwrap(), None);
        assert!(store.get_assessment(items[4].id).await.unwrap().is_some());
    }

    #[tokio::test]
    async fn bounded_by_bytes() {
        let one = item(0).size();
        let store = MemoryStore::new(1000, one * 2);
        let items: Vec<_> = (0..4).map(item).collect();
        for i in &items {
            store.put_assessment(i.clone()).await.unwrap();
        }
        assert_eq!(store.len_hint(), Some(2));
        assert!(store.get_assessment(items[3].id).await.unwrap().is_some());
    }

    #[tokio::test]
    async fn replacing_an_id_does_not_double_count() {
        let store = MemoryStore::new(2, usize::MAX);
        let a = item(1);
        store.put_assessment(a.clone()).await.unwrap();
        store.put_assessment(a.clone()).await.unwrap();
        let b = item(2);
        store.put_assessment(b.clone()).await.unwrap();
        assert!(store.get_assessment(a.id).await.unwrap().is_some());
        assert!(store.get_assessment(b.id).await.unwrap().is_some());
    }
}
