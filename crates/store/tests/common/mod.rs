//! Backends for the tests: a SQLite file in a temporary directory (in a folder the store must
//! make), or a PostgreSQL database of its own, dropped at the end (`upperback_testkit::database`:
//! `UPPERBACK_TEST_PG` names the admin URL; unreachable, the PostgreSQL tests print a line and
//! pass, unless `UPPERBACK_TEST_PG_REQUIRED` is set (CI), when they fail).

#![allow(dead_code)]

use std::future::Future;
use std::sync::Arc;

use serde_json::json;
use upperback_store::{AccountId, NewAssessment, Store};
pub use upperback_testkit::database::{Kind, TestDb};

/// A database for one test, removed when dropped; `None` (after printing why) when PostgreSQL
/// cannot be reached. SQLite's file is in a folder not made yet: opening must make it.
pub async fn test_db(kind: Kind) -> Option<TestDb> {
    TestDb::with_sqlite_file(kind, "nested/upperback.db").await
}

/// Runs `case` against a fresh store of this kind; the database is removed afterwards, even
/// when the case panics (dropping the [`TestDb`]).
pub async fn run<F, Fut>(kind: Kind, case: F)
where
    F: FnOnce(Arc<dyn Store>) -> Fut,
    Fut: Future<Output = ()>,
{
    let Some(db) = test_db(kind).await else {
        return;
    };
    let store = upperback_store::open(&db.url)
        .await
        .expect("open the store");
    assert_eq!(store.kind(), kind.name());
    case(store).await;
    drop(db);
}

/// An assessment of this level, with a result shaped like the contract's.
pub fn assessment(owner: Option<AccountId>, level: &str) -> NewAssessment {
    NewAssessment {
        owner,
        input: json!({"text": "spasm between my shoulder blades since Monday, no fever", "age": 41}),
        result: serde_json::value::to_raw_value(&json!({
            "triage": {"level": level, "fired_rules": [], "unscreened_red_flags": ["chest_pain"]},
            "causes": [{"id": "postural_strain", "probability": 0.61, "evidence": []}],
            "findings": [{"id": "fever", "status": "absent", "value": null, "origin": "text",
                          "evidence": [{"start": 47, "end": 55, "text": "no fever"}]}],
            "care_plan": {"summary": "Most spasms settle within days.", "advice": [],
                          "watch_for": [], "follow_up": {"after_hours": 72, "text": "…"}},
            "knowledge_base": {"version": "0.1.0", "digest": "sha256:abc"}
        }))
        .unwrap(),
        level: level.to_string(),
        kb_version: "0.1.0".to_string(),
        kb_digest: "sha256:abc".to_string(),
    }
}
