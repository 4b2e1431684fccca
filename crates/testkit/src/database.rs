//! A database of a test's own, for tests on both backends: a SQLite file in a temporary
//! directory, or a PostgreSQL database `upperback_test_<random>` made through the admin URL
//! (`UPPERBACK_TEST_PG`, default `postgres://postgres@127.0.0.1:5432/postgres`) and dropped
//! when the [`TestDb`] is dropped — also when the test panics.
//!
//! When PostgreSQL cannot be reached, [`TestDb::new`] prints one line and answers `None` (the
//! test then passes without running), unless `UPPERBACK_TEST_PG_REQUIRED` is set (CI): then it
//! panics.
//!
//! The caller runs inside a Tokio runtime with the timer enabled (`#[tokio::test]`).

use std::time::Duration;

use sqlx::{Connection, PgConnection};

/// Which backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

impl Kind {
    /// The store's own name for it (`Store::kind`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Sqlite => "sqlite",
            Kind::Postgres => "postgres",
        }
    }
}

/// The PostgreSQL URL the test databases are made through.
pub fn admin_url() -> String {
    std::env::var("UPPERBACK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// A database for one test, removed when dropped.
pub struct TestDb {
    /// What `--database` / `open_store` / `upperback_store::open` takes.
    pub url: String,
    pub kind: Kind,
    /// Kept for its `Drop` (the SQLite file goes with it).
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl TestDb {
    /// A fresh database (SQLite: `upperback.db` in a temporary directory); `None` (after
    /// printing why) when PostgreSQL cannot be reached.
    pub async fn new(kind: Kind) -> Option<TestDb> {
        TestDb::with_sqlite_file(kind, "upperback.db").await
    }

    /// As [`TestDb::new`], the SQLite file at `relative` inside the temporary directory (its
    /// folders are not made: the store is expected to make them).
    pub async fn with_sqlite_file(kind: Kind, relative: &str) -> Option<TestDb> {
        match kind {
            Kind::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite://{}", dir.path().join(relative).display());
                Some(TestDb {
                    url,
                    kind,
                    _dir: Some(dir),
                    pg_name: None,
                })
            }
            Kind::Postgres => {
                let admin = admin_url();
                let connected =
                    tokio::time::timeout(Duration::from_secs(5), PgConnection::connect(&admin))
                        .await;
                let mut conn = match connected {
                    Ok(Ok(conn)) => conn,
                    Ok(Err(e)) => return unreachable_pg(&admin, &e.to_string()),
                    Err(_) => return unreachable_pg(&admin, "no answer within 5 s"),
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
                    kind,
                    _dir: None,
                    pg_name: Some(name),
                })
            }
        }
    }
}

impl TestDb {
    /// PostgreSQL only: refuses new connections to this database and ends the open ones (an
    /// outage, as a server using it sees one), or allows them again.
    pub async fn refuse_connections(&self, refuse: bool) {
        self.alter_and_reconnect(&format!("ALLOW_CONNECTIONS {}", !refuse))
            .await;
    }

    /// PostgreSQL only: makes this database's new sessions read-only (a database that
    /// answers but cannot commit, as on a full disk) and ends the open ones, or undoes it.
    pub async fn read_only(&self, read_only: bool) {
        let on = if read_only { "on" } else { "off" };
        self.alter_and_reconnect(&format!("SET default_transaction_read_only = {on}"))
            .await;
    }

    /// `ALTER DATABASE <this one> <change>`, then the open sessions are ended so that the
    /// store's next connections see the change.
    async fn alter_and_reconnect(&self, change: &str) {
        let name = self
            .pg_name
            .as_deref()
            .expect("altering the database is for PostgreSQL test databases");
        let mut conn = PgConnection::connect(&admin_url())
            .await
            .expect("the admin connection");
        for sql in [
            format!("ALTER DATABASE {name} {change}"),
            format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
            ),
        ] {
            sqlx::query(&sql)
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        let _ = conn.close().await;
    }

    /// Runs `sql` on this database behind the store's back, as a damaged file or a careless
    /// operator would (binding `id` as `?1` / `$1`).
    pub async fn tamper(&self, sql: &str, id: &str) {
        let id = uuid::Uuid::parse_str(id).expect("an id");
        let done = match self.kind {
            Kind::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url)
                    .await
                    .expect("a second connection to the SQLite file");
                sqlx::query(sql).bind(id).execute(&mut conn).await.map(drop)
            }
            Kind::Postgres => {
                let mut conn = PgConnection::connect(&self.url)
                    .await
                    .expect("a second connection");
                sqlx::query(sql).bind(id).execute(&mut conn).await.map(drop)
            }
        };
        done.expect("the tampering statement");
    }
}

fn unreachable_pg(admin: &str, why: &str) -> Option<TestDb> {
    // CI sets this so that a missing server fails instead of skipping.
    if std::env::var_os("UPPERBACK_TEST_PG_REQUIRED").is_some() {
        panic!(
            "PostgreSQL is not reachable at {admin} ({why}) and UPPERBACK_TEST_PG_REQUIRED is set"
        );
    }
    println!(
        "skipping the PostgreSQL test: PostgreSQL is not reachable at {admin} ({why}); \
         set UPPERBACK_TEST_PG to an admin URL, or UPPERBACK_TEST_PG_REQUIRED to fail instead"
    );
    None
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.pg_name.take() else {
            return;
        };
        // Drop may run inside the test's runtime (which cannot block on itself): the
        // database is dropped from a thread of its own, with a small runtime of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async {
                let mut conn = PgConnection::connect(&admin_url()).await.ok()?;
                // FORCE: a server (or a killed one's leftovers) may still be connected.
                let done = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await
                    .ok();
                let _ = conn.close().await;
                done
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(_))) {
            eprintln!("warning: could not drop a test database; drop upperback_test_* by hand");
        }
    }
}
