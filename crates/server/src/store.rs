//! Where assessments are kept once made, behind one trait so that the embedded database of
//! the persistence work (and, later, accounts and episodes) can replace the memory store
//! without touching the handlers.
//!
//! The trait is deliberately small: put, get, and a health check. Accounts, sharing and the
//! diary need a database: [`Store::database`] hands the persistence crate's store to those
//! handlers, and the memory store has none (its server runs in local mode, without a diary).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::Value;
use upperback_store::{AccountId, Viewer};
use uuid::Uuid;

/// An assessment to keep.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    /// The account it belongs to; `None` in local mode.
    pub owner: Option<AccountId>,
    /// What the person gave (text, answers, age, sex) and the `now` the text was read
    /// with: enough to read the text again for "what I understood".
    pub input: Value,
    /// The assessment result of the contract, as JSON text, without an `"id"`.
    pub result: Box<upperback_store::RawValue>,
    /// The triage level id (e.g. `ambulance`), kept apart so that a store can index it.
    pub level: &'static str,
}

impl NewAssessment {
    /// Bytes held, roughly: what the memory store counts against its byte bound.
    fn size(&self) -> usize {
        self.result.get().len() + self.input.to_string().len() + 96
    }
}

/// A kept assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAssessment {
    /// Chosen by the store, with enough random bits (v4 in memory, v7 in a database) that
    /// ids cannot be guessed from one another.
    pub id: Uuid,
    /// The account it belongs to; `None` in local mode.
    pub owner: Option<AccountId>,
    pub created_at: DateTime<Utc>,
    pub level: String,
    pub input: Value,
    /// The result, without `"id"`.
    pub result_json: String,
}

/// Why a store could not do something. Never shown to a client as is: the handlers answer
/// a generic 503 problem and log this.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("the store is unavailable: {0}")]
    Unavailable(String),
    /// A stored record that does not read back (a damaged row): a 500 for it, logged with
    /// its id; trying again will not help.
    #[error("{0}")]
    Unreadable(String),
}

/// The assessments store, as the server sees it. Implementations must be cheap to call
/// concurrently. The persistence crate's stores (SQLite, PostgreSQL) come in through
/// [`DatabaseStore`]; accounts, sharing and episodes (the multi-user work) will add methods
/// with default implementations, so a store written now keeps compiling.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Keeps an assessment; answers with its id once it is kept (for a database: committed).
    async fn put_assessment(
        &self,
        assessment: NewAssessment,
    ) -> Result<(Uuid, DateTime<Utc>), StoreError>;
    /// The assessment with this id, if kept and this viewer may see it (the rules of
    /// [`Viewer`]: their own, or shared with a clinician; everything under `Local`).
    async fn get_assessment(
        &self,
        viewer: Viewer,
        id: Uuid,
    ) -> Result<Option<StoredAssessment>, StoreError>;
    /// True when the store answers (`/healthz`).
    async fn healthy(&self) -> bool;
    /// Called once when the server stops, after the last request.
    async fn close(&self) {}
    /// A short name for logs, e.g. `memory` or `sqlite`.
    fn kind(&self) -> &'static str;
    /// How many assessments are held, when cheap to know.
    fn len_hint(&self) -> Option<usize> {
        None
    }
    /// The persistence crate's store behind this one, for accounts, sessions, sharing and the
    /// diary; `None` for the memory store.
    fn database(&self) -> Option<Arc<dyn upperback_store::Store>> {
        None
    }
}

/// The default bound on the number of assessments kept in memory.
pub const DEFAULT_MAX_ENTRIES: usize = 100_000;
/// The default bound on the bytes kept in memory (about 256 MiB).
pub const DEFAULT_MAX_BYTES: usize = 256 * 1024 * 1024;

struct Entry {
    created_at: DateTime<Utc>,
    assessment: NewAssessment,
    size: usize,
}

#[derive(Default)]
struct Inner {
    map: HashMap<Uuid, Entry>,
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
        // Every mutation is a single insert or remove, so a panic elsewhere while holding the
        // lock cannot leave the map inconsistent: poisoning is ignored.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn put_assessment(
        &self,
        assessment: NewAssessment,
    ) -> Result<(Uuid, DateTime<Utc>), StoreError> {
        let id = Uuid::new_v4();
        let created_at = Utc::now();
        let size = assessment.size();
        let mut inner = self.lock();
        while !inner.order.is_empty()
            && (inner.map.len() >= self.max_entries || inner.bytes + size > self.max_bytes)
        {
            if let Some(oldest) = inner.order.pop_front() {
                if let Some(old) = inner.map.remove(&oldest) {
                    inner.bytes -= old.size;
                }
            }
        }
        inner.order.push_back(id);
        inner.bytes += size;
        inner.map.insert(
            id,
            Entry {
                created_at,
                assessment,
                size,
            },
        );
        Ok((id, created_at))
    }

    async fn get_assessment(
        &self,
        viewer: Viewer,
        id: Uuid,
    ) -> Result<Option<StoredAssessment>, StoreError> {
        // Without sharing, the memory store's rule is simply "your own" (all under `Local`).
        let visible = |owner: Option<AccountId>| match viewer {
            Viewer::Local => true,
            Viewer::Person(a) | Viewer::Clinician(a) => owner == Some(a),
        };
        let inner = self.lock();
        Ok(inner
            .map
            .get(&id)
            .filter(|entry| visible(entry.assessment.owner))
            .map(|entry| StoredAssessment {
                id,
                owner: entry.assessment.owner,
                created_at: entry.created_at,
                level: entry.assessment.level.to_string(),
                input: entry.assessment.input.clone(),
                result_json: entry.assessment.result.get().to_string(),
            }))
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

/// A store of the persistence crate (embedded SQLite, PostgreSQL) behind the server's trait.
pub struct DatabaseStore {
    inner: Arc<dyn upperback_store::Store>,
    kb_version: String,
    kb_digest: String,
}

impl DatabaseStore {
    pub fn new(inner: Arc<dyn upperback_store::Store>) -> DatabaseStore {
        let kb = upperback_core::KnowledgeBase::embedded();
        DatabaseStore {
            inner,
            kb_version: kb.version.clone(),
            kb_digest: kb.digest.clone(),
        }
    }
}

fn unavailable(error: upperback_store::StoreError) -> StoreError {
    let detail = format!("{error}: {:?}", std::error::Error::source(&error));
    match error {
        upperback_store::StoreError::Unreadable { .. } => StoreError::Unreadable(detail),
        _ => StoreError::Unavailable(detail),
    }
}

#[async_trait]
impl Store for DatabaseStore {
    async fn put_assessment(
        &self,
        assessment: NewAssessment,
    ) -> Result<(Uuid, DateTime<Utc>), StoreError> {
        // Handed over as the JSON text it is (not parsed into a tree, not written again):
        // the database keeps these bytes.
        let result = assessment.result;
        let stored = self
            .inner
            .put_assessment(upperback_store::NewAssessment {
                owner: assessment.owner,
                input: assessment.input,
                result,
                level: assessment.level.to_string(),
                kb_version: self.kb_version.clone(),
                kb_digest: self.kb_digest.clone(),
            })
            .await
            .map_err(unavailable)?;
        Ok((stored.id.0, stored.created_at))
    }

    async fn get_assessment(
        &self,
        viewer: Viewer,
        id: Uuid,
    ) -> Result<Option<StoredAssessment>, StoreError> {
        match self
            .inner
            .get_assessment(viewer, upperback_store::AssessmentId(id))
            .await
        {
            Ok(Some(stored)) => Ok(Some(StoredAssessment {
                id,
                owner: stored.owner,
                created_at: stored.created_at,
                level: stored.level,
                input: stored.input,
                result_json: Box::<str>::from(stored.result).into_string(),
            })),
            Ok(None) | Err(upperback_store::StoreError::NotFound) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    async fn healthy(&self) -> bool {
        self.inner.healthy().await
    }

    async fn close(&self) {
        self.inner.close().await;
    }

    fn kind(&self) -> &'static str {
        self.inner.kind()
    }

    fn database(&self) -> Option<Arc<dyn upperback_store::Store>> {
        Some(self.inner.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(n: usize) -> NewAssessment {
        NewAssessment {
            owner: None,
            input: serde_json::json!({ "n": n }),
            result: upperback_store::RawValue::from_string(format!("{{\"n\":{n}}}")).unwrap(),
            level: "self_care",
        }
    }

    #[tokio::test]
    async fn keeps_and_finds() {
        let store = MemoryStore::default();
        let (id, _) = store.put_assessment(item(1)).await.unwrap();
        let back = store
            .get_assessment(Viewer::Local, id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(back.result_json, "{\"n\":1}");
        assert_eq!(back.input, serde_json::json!({ "n": 1 }));
        assert_eq!(back.level, "self_care");
        assert_eq!(
            store
                .get_assessment(Viewer::Local, Uuid::new_v4())
                .await
                .unwrap(),
            None
        );
        assert!(store.healthy().await);
    }

    #[tokio::test]
    async fn evicts_the_oldest_when_full() {
        let store = MemoryStore::new(3, usize::MAX);
        let mut ids = Vec::new();
        for n in 0..5 {
            ids.push(store.put_assessment(item(n)).await.unwrap().0);
        }
        assert_eq!(store.len_hint(), Some(3));
        assert_eq!(
            store.get_assessment(Viewer::Local, ids[0]).await.unwrap(),
            None
        );
        assert_eq!(
            store.get_assessment(Viewer::Local, ids[1]).await.unwrap(),
            None
        );
        assert!(store
            .get_assessment(Viewer::Local, ids[4])
            .await
            .unwrap()
            .is_some());
    }

    #[tokio::test]
    async fn bounded_by_bytes() {
        let one = item(0).size();
        let store = MemoryStore::new(1000, one * 2);
        let mut ids = Vec::new();
        for n in 0..4 {
            ids.push(store.put_assessment(item(n)).await.unwrap().0);
        }
        assert_eq!(store.len_hint(), Some(2));
        assert!(store
            .get_assessment(Viewer::Local, ids[3])
            .await
            .unwrap()
            .is_some());
    }

    #[tokio::test]
    async fn a_database_store_keeps_and_finds() {
        let inner = upperback_store::open("memory").await.unwrap();
        let store = DatabaseStore::new(inner);
        let kb = upperback_core::KnowledgeBase::embedded();
        let evidence = kb.parse_answers(r#"{"chest_pain": true}"#).unwrap();
        let result_json = upperback_core::assess(kb, &evidence).to_json();
        let (id, _) = store
            .put_assessment(NewAssessment {
                owner: None,
                input: serde_json::json!({"answers": {"chest_pain": true}}),
                result: upperback_store::RawValue::from_string(result_json.clone()).unwrap(),
                level: "ambulance",
            })
            .await
            .unwrap();
        let back = store
            .get_assessment(Viewer::Local, id)
            .await
            .unwrap()
            .unwrap();
        // The same JSON value (a database may not keep the order of the members).
        let value = |json: &str| serde_json::from_str::<Value>(json).unwrap();
        assert_eq!(value(&back.result_json), value(&result_json));
        assert_eq!(back.level, "ambulance");
        assert_eq!(
            store
                .get_assessment(Viewer::Local, Uuid::new_v4())
                .await
                .unwrap(),
            None
        );
        assert!(store.healthy().await);
        store.close().await;
    }
}
