//! The logs (JSON, via tracing) never contain the person's text, even at the most verbose
//! level, even for bad input, on the memory store and on the SQLite store.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{client, TestServer};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_never_hold_the_text() {
    let captured = Captured::default();
    tracing_subscriber::fmt()
        .json()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .init();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("logs.db").display());
    let database = upperback_server::open_store(Some(&url)).await.unwrap();
    let servers = [
        TestServer::start().await,
        TestServer::with_store(common::unlimited(), database.clone()).await,
    ];
    let c = client();
    let marker = "zebracorn";
    for server in &servers {
        let text = format!("My {marker} back spasm, no fever, {marker}.");
        let bodies = [
            serde_json::json!({ "text": text }).to_string(),
            serde_json::json!({ "text": text, "answers": { marker: true } }).to_string(),
            serde_json::json!({ "text": text, "age": marker }).to_string(),
            format!("{{\"text\": \"{marker}"),
        ];
        for body in &bodies {
            c.post(server.url("/api/v1/assessments"))
                .body(body.clone())
                .send()
                .await
                .unwrap();
            c.post(server.url("/api/v1/interviews"))
                .body(body.clone())
                .send()
                .await
                .unwrap();
        }
        c.post(server.url("/assess"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", common::form_cookie(None))
            .body(common::with_form_token(format!(
                "text={marker}+spasm&age={marker}"
            )))
            .send()
            .await
            .unwrap();
        c.get(server.url(&format!("/nothing?q={marker}")))
            .send()
            .await
            .unwrap();
    }
    drop(servers);
    database.close().await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).to_string();
    assert!(
        logs.contains("\"route\":\"/api/v1/assessments\""),
        "requests are logged: {logs}"
    );
    for line in logs.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("every log line is JSON");
    }
    assert!(
        !logs.contains(marker),
        "the text leaked into the logs:\n{logs}"
    );
}
