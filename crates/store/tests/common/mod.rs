//! Backends for the tests: a SQLite file in a temporary directory, or a PostgreSQL database
//! of its own (`upperback_test_<random>`, made through the `postgres` database and dropped at
//! the end). PostgreSQL: `UPPERBACK_TEST_PG` (an admin URL) or
//! `postgres://postgres@127.0.0.1:5432/postgres`. Unreachable, the PostgreSQL tests print a
//! line and pass, unless `UPPERBACK_TEST_PG_REQUIRED` is set (CI), when they fail.

#![allow(dead_code)]

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use serde_json::json;
use sqlx::{Connection, PgConnection};
use upperback_store::{AccountId, NewAssessment, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

pub fn admin_url() -> String {
    std::env::var("UPPERBACK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// A database for one test; `finish` removes it.
pub struct TestDb {
    pub url: String,
    dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl TestDb {
    /// `None` (after printing why) when PostgreSQL cannot be reached.
    pub async fn new(kind: Kind) -> Option<TestDb> {
        match kind {
            Kind::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!(
                    "sqlite://{}",
                    dir.path().join("nested/upperback.db").display()
                );
                Some(TestDb {
                    url,
                    dir: Some(dir),
                    pg_name: None,
                })
            }
            Kind::Postgres => {
                let admin = admin_url();
                let conn =
                    tokio::time::timeout(Duration::from_secs(5), PgConnection::connect(&admin))
                        .await;
                let mut conn = match conn {
                    Ok(Ok(c)) => c,
                    _ => {
                        // CI sets this so that a missing server fails instead of skipping.
                        if std::env::var_os("UPPERBACK_TEST_PG_REQUIRED").is_some() {
                            panic!("PostgreSQL not reachable at {admin} (UPPERBACK_TEST_PG_REQUIRED is set)");
                        }
                        println!("skipping: PostgreSQL not reachable at 127.0.0.1:5432");
                        return None;
                    }
                };
                let name = format!("upperback_test_{}", uuid::Uuid::new_v4().simple());
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("CREATE DATABASE");
                let _ = conn.close().await;
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
                Some(TestDb {
                    url: format!("{base}/{name}"),
                    dir: None,
                    pg_name: Some(name),
                })
            }
        }
    }

    pub async fn finish(self) {
        if let Some(name) = &self.pg_name {
            if let Ok(mut conn) = PgConnection::connect(&admin_url()).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await;
                let _ = conn.close().await;
            }
        }
        drop(self.dir);
    }
}

/// Runs `case` against a fresh store of this kind, then removes the database, even when the
/// case panics.
pub async fn run<F, Fut>(kind: Kind, case: F)
where
    F: FnOnce(Arc<dyn Store>) -> Fut,
    Fut: Future<Output = ()>,
{
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let outcome = AssertUnwindSafe(async {
        let store = upperback_store::open(&db.url)
            .await
            .expect("open the store");
        assert_eq!(
            store.kind(),
            match kind {
                Kind::Sqlite => "sqlite",
                Kind::Postgres => "postgres",
            }
        );
        case(store).await;
    })
    .catch_unwind()
    .await;
    db.finish().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
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
