//! The server on the persistence crate's embedded SQLite store (the default of `upperback
//! serve`): results are kept across a restart, and "what I understood" is read again from
//! the kept input.

mod common;

use common::{client, get_json, get_text, unlimited, TestServer};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assessments_survive_a_restart_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("upperback.db").display());
    let c = client();

    let store = upperback_server::open_store(Some(&url)).await.unwrap();
    assert_eq!(store.kind(), "sqlite");
    let server = TestServer::with_store(unlimited(), store.clone()).await;
    let response = c
        .post(server.url("/api/v1/assessments"))
        .body(
            json!({
                "text": "Spasm between my shoulder blades since Monday, no fever.",
                "age": 40,
                "now": "2026-11-24T09:00:00Z"
            })
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let made: Value = response.json().await.unwrap();
    let id = made["id"].as_str().unwrap().to_string();
    let health = c.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    // An interview's result is kept too.
    let state: Value = c
        .post(server.url("/api/v1/interviews"))
        .body(r#"{"text": "back spasm"}"#)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let answered: Value = c
        .post(server.url(&format!(
            "/api/v1/interviews/{}/answers",
            state["id"].as_str().unwrap()
        )))
        .body(json!({"question": state["question"]["id"], "answer": ["tearing_pain"]}).to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answered["result"]["triage"]["level"], "ambulance");
    let interview_result = answered["result"]["id"].as_str().unwrap().to_string();
    drop(server);
    store.close().await;
    drop(store);

    // Open the same file again: everything is still there.
    let store = upperback_server::open_store(Some(&url)).await.unwrap();
    let server = TestServer::with_store(unlimited(), store.clone()).await;
    let again = get_json(&c, &server.url(&format!("/api/v1/assessments/{id}"))).await;
    assert_eq!(again, made);
    let kept = get_json(
        &c,
        &server.url(&format!("/api/v1/assessments/{interview_result}")),
    )
    .await;
    assert_eq!(kept["triage"]["level"], "ambulance");
    // The result page reads the kept words again.
    let page = get_text(&c, &server.url(&format!("/result/{id}"))).await;
    assert!(page.contains("What I understood"), "{page}");
    assert!(page.contains("“since Monday”"), "{page}");
    assert!(
        page.contains("banner caution"),
        "a partly screened result is never plainly green"
    );
    drop(server);
    store.close().await;
}
