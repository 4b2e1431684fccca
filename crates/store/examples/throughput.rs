//! Stored assessments per second, with N concurrent writers, each write acknowledged only once
//! committed.
//!
//! ```sh
//! cargo run --release -p upperback-store --example throughput -- sqlite
//! cargo run --release -p upperback-store --example throughput -- postgres
//! cargo run --release -p upperback-store --example throughput -- sqlite --writers 1 --count 2000
//! cargo run --release -p upperback-store --example throughput -- sqlite --no-group-commit
//! ```
//!
//! Options: `--writers N` (default 64), `--count N` (default 50000), `--url URL` (a SQLite
//! path or PostgreSQL URL to use instead of a scratch database; PostgreSQL's default is a
//! database of its own made on 127.0.0.1:5432 and dropped at the end), `--no-group-commit`
//! (one transaction per write, for comparison). The payload is a real assessment of the
//! embedded knowledge base (input and result as the server stores them).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sqlx::{Connection, PgConnection};
use upperback_store::{GroupCommitConfig, NewAssessment, RawValue, Store, Viewer};

struct Args {
    backend: String,
    writers: usize,
    count: usize,
    url: Option<String>,
    group_commit: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mut args = Args {
        backend: String::new(),
        writers: 64,
        count: 50_000,
        url: None,
        group_commit: true,
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--writers" => args.writers = number(it.next())?,
            "--count" => args.count = number(it.next())?,
            "--url" => args.url = Some(it.next().ok_or("--url needs a value")?),
            "--no-group-commit" => args.group_commit = false,
            "sqlite" | "postgres" | "memory" if args.backend.is_empty() => args.backend = a,
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    if args.backend.is_empty() {
        return Err("usage: throughput sqlite|postgres|memory [--writers N] [--count N] [--url URL] [--no-group-commit]".into());
    }
    args.writers = args.writers.max(1);
    Ok(args)
}

fn number(v: Option<String>) -> Result<usize, String> {
    v.and_then(|s| s.parse().ok())
        .ok_or_else(|| "expected a number".to_string())
}

/// A real assessment from the embedded knowledge base: (input, result, level, version, digest).
fn payload() -> (Value, Box<RawValue>, String, String, String) {
    let kb = upperback_core::KnowledgeBase::embedded();
    let answers = r#"{"upper_back_spasm": true, "fever": false, "chest_pain": false,
        "duration_hours": 30, "numbness": false, "long_sitting": true, "age": 41}"#;
    let evidence = kb
        .parse_answers(answers)
        .or_else(|_| kb.parse_answers(r#"{"upper_back_spasm": true}"#))
        .expect("answers");
    let assessment = upperback_core::assess(kb, &evidence);
    let result = RawValue::from_string(assessment.to_json()).expect("json");
    let level = assessment.triage.level.as_str().to_string();
    let input = json!({
        "text": "spasm between my shoulder blades since Monday after a long day at the laptop, no fever",
        "answers": serde_json::from_str::<Value>(answers).unwrap_or(Value::Null),
    });
    (input, result, level, kb.version.clone(), kb.digest.clone())
}

#[tokio::main]
async fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let (input, result, level, version, digest) = payload();
    let bytes = input.to_string().len() + result.get().len();

    // The database.
    let scratch_dir = tempfile::tempdir().expect("temporary directory");
    let mut drop_pg: Option<(String, String)> = None;
    let url = match (args.backend.as_str(), &args.url) {
        (_, Some(u)) => u.clone(),
        ("memory", None) => "memory".to_string(),
        ("sqlite", None) => format!(
            "sqlite://{}",
            scratch_dir.path().join("throughput.db").display()
        ),
        (_, None) => {
            let admin = "postgres://postgres@127.0.0.1:5432/postgres".to_string();
            let name = format!("upperback_bench_{}", uuid::Uuid::new_v4().simple());
            let mut conn = PgConnection::connect(&admin)
                .await
                .expect("PostgreSQL at 127.0.0.1:5432");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("CREATE DATABASE");
            let _ = conn.close().await;
            drop_pg = Some((admin, name.clone()));
            format!("postgres://postgres@127.0.0.1:5432/{name}")
        }
    };
    let config = if args.group_commit {
        GroupCommitConfig::default()
    } else {
        GroupCommitConfig {
            max_batch: 1,
            ..GroupCommitConfig::default()
        }
    };
    let store: Arc<dyn Store> = upperback_store::open_with(&url, config)
        .await
        .expect("open the store");

    let new = NewAssessment {
        owner: None,
        input,
        result,
        level,
        kb_version: version,
        kb_digest: digest,
    };
    // Warm up (connections, statement caches, file growth).
    for _ in 0..50 {
        store.put_assessment(new.clone()).await.expect("write");
    }
    let before = store.stats();

    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.writers {
        let (store, next, new) = (store.clone(), next.clone(), new.clone());
        let count = args.count;
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut last = None;
            while next.fetch_add(1, Ordering::Relaxed) < count {
                let t = Instant::now();
                let stored = store.put_assessment(new.clone()).await.expect("write");
                latencies.push(t.elapsed());
                last = Some(stored.id);
            }
            (latencies, last)
        }));
    }
    let mut latencies: Vec<Duration> = Vec::with_capacity(args.count);
    let mut some_ids = Vec::new();
    for t in tasks {
        let (l, last) = t.await.expect("writer");
        latencies.extend(l);
        some_ids.extend(last);
    }
    let elapsed = start.elapsed();
    let after = store.stats();
    for id in some_ids {
        assert!(store
            .get_assessment(Viewer::Local, id)
            .await
            .expect("read")
            .is_some());
    }

    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    let n = latencies.len();
    let tx = after.assessment_transactions - before.assessment_transactions;
    println!(
        "backend {} | group commit {} | {} writers | {} assessments of {} bytes",
        store.kind(),
        if args.group_commit { "on" } else { "off" },
        args.writers,
        n,
        bytes
    );
    println!(
        "{:.0} stored assessments/s ({:.2} s); {} transactions, {:.1} writes per transaction (largest {})",
        n as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64(),
        tx,
        n as f64 / tx.max(1) as f64,
        after.largest_batch
    );
    println!(
        "latency per acknowledged write: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        pct(1.0).as_secs_f64() * 1e3
    );

    drop(store);
    if let Some((admin, name)) = drop_pg {
        if let Ok(mut conn) = PgConnection::connect(&admin).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        }
    }
}
