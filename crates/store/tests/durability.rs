//! Every acknowledged write survives SIGKILL.
//!
//! The test re-runs its own binary as a child process (`durability_child_process`, which does
//! nothing unless `UPPERBACK_STORE_DURABILITY_CHILD` names a database). The child writes
//! assessments through the store as fast as it can, from several tasks, and prints each id
//! once `put_assessment` has answered. The parent reads those lines, kills the child with
//! SIGKILL mid-stream, reopens the same database, and reads every printed id back. Run on
//! SQLite (a file) and on PostgreSQL.

mod common;

use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use upperback_store::{AssessmentId, Viewer};

use common::{assessment, test_db, Kind};

const CHILD_ENV: &str = "UPPERBACK_STORE_DURABILITY_CHILD";
const CHILD_TEST: &str = "durability_child_process";
/// Acknowledged writes to see before the kill.
const ACKS_BEFORE_KILL: usize = 1500;

/// The child's body; passes at once in a normal test run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn durability_child_process() {
    let Ok(url) = std::env::var(CHILD_ENV) else {
        return;
    };
    let store = upperback_store::open(&url).await.expect("child: open");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<AssessmentId>();
    for w in 0..32 {
        let (store, tx) = (store.clone(), tx.clone());
        tokio::spawn(async move {
            let mut i = 0usize;
            loop {
                let level = upperback_store::LEVELS[(w + i) % 5];
                let stored = store
                    .put_assessment(assessment(None, level))
                    .await
                    .expect("child: write");
                // Acknowledged: only now may it be reported.
                if tx.send(stored.id).is_err() {
                    return;
                }
                i += 1;
            }
        });
    }
    drop(tx);
    let mut out = std::io::stdout();
    while let Some(id) = rx.recv().await {
        writeln!(out, "ACK {id}").expect("child: stdout");
        out.flush().expect("child: flush");
    }
}

async fn survives_sigkill(kind: Kind) {
    let Some(db) = test_db(kind).await else {
        return;
    };
    let exe = std::env::current_exe().expect("test binary");
    let mut child = tokio::process::Command::new(exe)
        .args([CHILD_TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &db.url)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn the child");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut acked: Vec<AssessmentId> = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(120), async {
        while acked.len() < ACKS_BEFORE_KILL {
            match lines.next_line().await.expect("read the child") {
                Some(line) => {
                    if let Some(id) = line.strip_prefix("ACK ") {
                        acked.push(id.parse().expect("an id"));
                    }
                }
                None => panic!("the child ended before being killed"),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the child was too slow");
    // SIGKILL, mid-stream: the child is writing as fast as it can.
    child.start_kill().expect("SIGKILL");
    let status = child.wait().await.expect("wait");
    assert!(!status.success());
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "killed by SIGKILL");
    }
    // Whatever it printed before dying was acknowledged too.
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(id) = line.strip_prefix("ACK ") {
            if let Ok(id) = id.parse() {
                acked.push(id);
            }
        }
    }

    let store = upperback_store::open(&db.url).await.expect("reopen");
    let mut missing = Vec::new();
    for id in &acked {
        if store
            .get_assessment(Viewer::Local, *id)
            .await
            .expect("read")
            .is_none()
        {
            missing.push(*id);
        }
    }
    let stored = store
        .assessments(Viewer::Local, u32::MAX)
        .await
        .expect("list")
        .len();
    println!(
        "{:?}: {} acknowledged before SIGKILL, {} rows after reopening, {} missing",
        kind,
        acked.len(),
        stored,
        missing.len()
    );
    drop(store);
    drop(db);
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    assert!(stored >= acked.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_acknowledged_writes_survive_sigkill() {
    survives_sigkill(Kind::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_acknowledged_writes_survive_sigkill() {
    survives_sigkill(Kind::Postgres).await;
}
