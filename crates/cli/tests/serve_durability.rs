//! An acknowledged assessment survives SIGKILL of the real server, over HTTP, on both
//! backends.
//!
//! The test starts the `upperback` binary (`serve --database URL`), has 16 clients POST
//! assessments as fast as the server answers, and records every id answered 200 with its
//! triage level. Once it has seen at least [`ACKS_BEFORE_KILL`] and at least 1.5 s have
//! passed, it kills the server with SIGKILL while requests are in flight, starts it again on
//! the same database, and reads every recorded id back: each must answer 200 with the same
//! level. On a SQLite file and on a PostgreSQL database of the test's own (skipped with a
//! line when PostgreSQL does not answer, unless `UPPERBACK_TEST_PG_REQUIRED` is set).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use upperback_testkit::database::{Kind, TestDb};

/// Concurrent clients.
const CLIENTS: usize = 16;
/// Acknowledged writes to see before the kill (and at least `MIN_RUN`).
const ACKS_BEFORE_KILL: usize = 300;
const MIN_RUN: Duration = Duration::from_millis(1500);

/// Texts of different urgency, so that a level read back is known to be this id's own.
const TEXTS: [(&str, &str); 2] = [
    ("mild stiffness between my shoulder blades", "self_care"),
    ("tearing chest pain spreading to my back", "ambulance"),
];

/// The `upperback serve` child process, killed (SIGKILL) and reaped when dropped.
struct Server {
    child: Child,
    base: String,
    stderr: PathBuf,
}

impl Server {
    fn start(database: &str, logs: &Path, name: &str) -> Server {
        let port = free_port();
        let stderr = logs.join(format!("{name}.err"));
        let child = Command::new(env!("CARGO_BIN_EXE_upperback"))
            .args([
                "serve",
                "--bind",
                &format!("127.0.0.1:{port}"),
                "--database",
                database,
                "--rate-limit",
                "1000000",
            ])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr).expect("a log file"))
            .spawn()
            .expect("upperback serve starts");
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            stderr,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Waits until `/healthz` answers 200 (the store is open and migrated).
    async fn ready(&mut self, http: &reqwest::Client) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "the server exited ({status}) before answering:\n{}",
                    self.log()
                );
            }
            if let Ok(response) = http.get(self.url("/healthz")).send().await {
                if response.status() == 200 {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "the server did not answer /healthz within 60 s:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL (`Child::kill` sends SIGKILL on Unix), then reap it.
    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        let status = self.child.wait().expect("reaped");
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(status.signal(), Some(9), "killed by SIGKILL: {status}");
        }
        #[cfg(not(unix))]
        assert!(!status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("bound").port()
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client")
}

/// What the clients saw before and around the kill.
#[derive(Default)]
struct Tally {
    /// Every id answered 200, with the level it was answered with.
    acked: Mutex<Vec<(String, String)>>,
    acked_count: AtomicUsize,
    /// Answers other than 200 before the kill (there must be none).
    refused: AtomicUsize,
    /// Requests that failed (no answer): after the kill, the ones it cut short (and any a
    /// client sent before it learnt of the kill).
    failed: AtomicUsize,
}

async fn survives_sigkill(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let logs = tempfile::tempdir().expect("a temporary directory");
    let http = client();
    let mut server = Server::start(&db.url, logs.path(), "first");
    server.ready(&http).await;

    let tally = Arc::new(Tally::default());
    let killed = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let (http, tally, killed) = (http.clone(), tally.clone(), killed.clone());
        let url = server.url("/api/v1/assessments");
        clients.push(tokio::spawn(async move {
            let mut i = c;
            while !killed.load(Ordering::SeqCst) {
                let (text, _) = TEXTS[i % TEXTS.len()];
                i += 1;
                let response = match http.post(&url).json(&json!({"text": text})).send().await {
                    Ok(response) => response,
                    Err(_) => {
                        tally.failed.fetch_add(1, Ordering::SeqCst);
                        continue;
                    }
                };
                if response.status() != 200 {
                    if !killed.load(Ordering::SeqCst) {
                        tally.refused.fetch_add(1, Ordering::SeqCst);
                    }
                    continue;
                }
                // Only a complete 200 body is an acknowledgement.
                let Ok(body) = response.json::<Value>().await else {
                    tally.failed.fetch_add(1, Ordering::SeqCst);
                    continue;
                };
                let id = body["id"].as_str().expect("an id").to_string();
                let level = body["triage"]["level"]
                    .as_str()
                    .expect("a level")
                    .to_string();
                tally.acked.lock().unwrap().push((id, level));
                tally.acked_count.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }

    // Let them write; then kill the server in the middle of it.
    let started = Instant::now();
    let deadline = started + Duration::from_secs(300);
    while started.elapsed() < MIN_RUN || tally.acked_count.load(Ordering::SeqCst) < ACKS_BEFORE_KILL
    {
        assert!(
            Instant::now() < deadline,
            "only {} acknowledged in 300 s (refused {}, failed {}):\n{}",
            tally.acked_count.load(Ordering::SeqCst),
            tally.refused.load(Ordering::SeqCst),
            tally.failed.load(Ordering::SeqCst),
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let failed_before_kill = tally.failed.load(Ordering::SeqCst);
    // Kill first, then tell the clients: the other way round, a slow kill on a busy machine
    // let every request in flight finish first, and none was cut short.
    server.kill();
    killed.store(true, Ordering::SeqCst);
    let ran_for = started.elapsed();
    for client in clients {
        client.await.expect("a client task");
    }
    let acked = std::mem::take(&mut *tally.acked.lock().unwrap());
    let in_flight = tally.failed.load(Ordering::SeqCst) - failed_before_kill;
    assert_eq!(failed_before_kill, 0, "requests failed before the kill");
    assert_eq!(tally.refused.load(Ordering::SeqCst), 0, "non-200 answers");

    // Again, on the same database: every acknowledged id is there, with its level.
    let mut again = Server::start(&db.url, logs.path(), "second");
    again.ready(&http).await;
    let acked = Arc::new(acked);
    let mut readers = Vec::new();
    for r in 0..8 {
        let (http, acked) = (http.clone(), acked.clone());
        let base = again.base.clone();
        readers.push(tokio::spawn(async move {
            let mut lost = Vec::new();
            for (id, level) in acked.iter().skip(r).step_by(8) {
                let response = http
                    .get(format!("{base}/api/v1/assessments/{id}"))
                    .send()
                    .await
                    .expect("the restarted server answers");
                if response.status() != 200 {
                    lost.push(format!("{id}: {}", response.status()));
                    continue;
                }
                let body: Value = response.json().await.expect("JSON");
                if body["id"] != id.as_str() || body["triage"]["level"] != level.as_str() {
                    lost.push(format!(
                        "{id}: read back as {} at level {}, acknowledged at {level}",
                        body["id"], body["triage"]["level"]
                    ));
                }
            }
            lost
        }));
    }
    let mut lost = Vec::new();
    for reader in readers {
        lost.extend(reader.await.expect("a reader task"));
    }
    let levels: std::collections::BTreeSet<&str> = acked.iter().map(|(_, l)| l.as_str()).collect();
    println!(
        "{}: {} acknowledged in {:.1} s by {CLIENTS} clients, {} requests cut short by the SIGKILL, \
         {} read back after restart, {} lost",
        kind.name(),
        acked.len(),
        ran_for.as_secs_f64(),
        in_flight,
        acked.len() - lost.len(),
        lost.len()
    );
    drop(again);
    drop(server);
    drop(db);
    assert!(lost.is_empty(), "acknowledged but lost: {lost:#?}");
    // The kill cut requests short: otherwise it would not have tested writes in flight.
    assert!(in_flight > 0, "no request was in flight at the SIGKILL");
    // Both texts' levels were acknowledged (each id's level is its own).
    let expected: std::collections::BTreeSet<&str> = TEXTS.iter().map(|(_, l)| *l).collect();
    assert_eq!(levels, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_acknowledged_assessments_survive_sigkill_of_the_server() {
    survives_sigkill(Kind::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_acknowledged_assessments_survive_sigkill_of_the_server() {
    survives_sigkill(Kind::Postgres).await;
}
