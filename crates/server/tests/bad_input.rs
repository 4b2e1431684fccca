//! Bad input never gets a 5xx: one test per kind of bad input, the limits (413, 422 for
//! long text, 429, 408), and the security headers on every kind of response.

mod common;

use std::io::{Read, Write};
use std::time::Duration;

use common::{assert_security_headers, client, problem, TestServer};
use serde_json::{json, Value};
use upperback_server::ServerConfig;

async fn post(
    server: &TestServer,
    path: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    client()
        .post(server.url(path))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn malformed_json_is_400() {
    let server = TestServer::start().await;
    for body in [
        "{",
        "{\"text\": }",
        "nope",
        "{\"text\": \"a\"} trailing",
        "",
    ] {
        let p = problem(post(&server, "/api/v1/assessments", body).await, 400).await;
        assert_eq!(p["type"], "/problems/malformed-json", "{body}");
    }
    // Deep nesting is refused by the parser's depth limit, not by a stack overflow.
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    problem(post(&server, "/api/v1/assessments", deep).await, 400).await;
}

#[tokio::test]
async fn invalid_utf8_is_400() {
    let server = TestServer::start().await;
    let mut body = b"{\"text\": \"spasm ".to_vec();
    body.extend_from_slice(&[0xff, 0xfe, 0xc3]);
    body.extend_from_slice(b"\"}");
    let p = problem(
        post(&server, "/api/v1/assessments", body.clone()).await,
        400,
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("JSON"));
    // The web form too: it is read leniently, never a 5xx.
    let response = client()
        .post(server.url("/assess"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", common::form_cookie(None))
        .body(common::with_form_token(b"text=%FF%FE\xff"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection() || response.status().is_client_error());
}

#[tokio::test]
async fn unknown_finding_is_422_naming_the_field() {
    let server = TestServer::start().await;
    let p = problem(
        post(
            &server,
            "/api/v1/assessments",
            r#"{"answers": {"fevr": true}}"#,
        )
        .await,
        422,
    )
    .await;
    assert_eq!(p["field"], "answers.fevr");
    assert_eq!(
        p["detail"],
        "answers.fevr: unknown finding id `fevr` (did you mean `fever`?)"
    );
}

#[tokio::test]
async fn wrong_type_is_422_naming_the_field() {
    let server = TestServer::start().await;
    for (body, field) in [
        (json!({"text": 42}), "text"),
        (json!({"text": ["a"]}), "text"),
        (json!({"answers": "fever"}), "answers"),
        (json!({"answers": {"fever": "yes"}}), "answers.fever"),
        (
            json!({"answers": {"duration_hours": "3 days"}}),
            "answers.duration_hours",
        ),
        (json!({"answers": {"location": "knee"}}), "answers.location"),
        (
            json!({"answers": {"pain_severity": 11}}),
            "answers.pain_severity",
        ),
        (json!({"age": "forty"}), "age"),
        (json!({"age": 500}), "age"),
        (json!({"age": -1}), "age"),
        (json!({"sex": 1}), "sex"),
        (json!({"sex": "robot"}), "sex"),
        (json!({"now": "tomorrow"}), "now"),
        (json!({"now": 5}), "now"),
        (json!({"txet": "typo"}), "txet"),
    ] {
        let p = problem(
            post(&server, "/api/v1/assessments", body.to_string()).await,
            422,
        )
        .await;
        assert_eq!(p["field"], field, "{body}: {p}");
        assert!(
            p["detail"].as_str().unwrap().starts_with(field),
            "{body}: {p}"
        );
    }
    for body in ["[]", "3", "\"text\"", "null", "true"] {
        let p = problem(post(&server, "/api/v1/assessments", body).await, 422).await;
        assert!(p["detail"].as_str().unwrap().contains("JSON object"), "{p}");
    }
    // Nothing to assess.
    for body in [r#"{}"#, r#"{"text": "   "}"#, r#"{"text": null}"#] {
        let p = problem(post(&server, "/api/v1/assessments", body).await, 422).await;
        assert_eq!(p["field"], "text");
    }
}

#[tokio::test]
async fn text_over_10000_characters_is_422() {
    let server = TestServer::start().await;
    // 10,001 characters (20,002 bytes: under the body limit).
    let text = "é".repeat(10_001);
    let p = problem(
        post(
            &server,
            "/api/v1/assessments",
            json!({ "text": text }).to_string(),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(p["field"], "text");
    assert!(p["detail"].as_str().unwrap().contains("10000"), "{p}");
    // Exactly 10,000 is fine.
    let text = format!("spasm {}", "a".repeat(10_000 - 6));
    let response = post(
        &server,
        "/api/v1/assessments",
        json!({ "text": text }).to_string(),
    )
    .await;
    assert_eq!(response.status(), 200);
    // The interview start has the same limit.
    let text = "a".repeat(10_001);
    problem(
        post(
            &server,
            "/api/v1/interviews",
            json!({ "text": text }).to_string(),
        )
        .await,
        422,
    )
    .await;
}

#[tokio::test]
async fn body_over_64_kib_is_413() {
    let server = TestServer::start().await;
    let big = format!(r#"{{"text": "{}"}}"#, "a".repeat(70 * 1024));
    // With a Content-Length.
    let p = problem(post(&server, "/api/v1/assessments", big.clone()).await, 413).await;
    assert_eq!(p["type"], "/problems/too-large");
    // Chunked, without a Content-Length.
    let addr = server.addr;
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let _ = stream.write_all(
            b"POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        );
        for chunk in big.as_bytes().chunks(4096) {
            let framed = [
                format!("{:x}\r\n", chunk.len()).into_bytes(),
                chunk.to_vec(),
                b"\r\n".to_vec(),
            ]
            .concat();
            if stream.write_all(&framed).is_err() {
                break; // the server answered and closed early: fine
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n");
        let mut answer = Vec::new();
        let mut buffer = [0u8; 4096];
        while let Ok(n) = stream.read(&mut buffer) {
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buffer[..n]);
            if answer.windows(4).any(|w| w == b"\r\n\r\n") && answer.ends_with(b"}") {
                break;
            }
        }
        String::from_utf8_lossy(&answer).to_string()
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    // The forms too.
    let response = client()
        .post(server.url("/assess"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", common::form_cookie(None))
        .body(common::with_form_token(format!(
            "text={}",
            "a".repeat(70 * 1024)
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert_security_headers(&response);
}

/// The interview endpoints take bodies too: each kind of bad input gets the same answer as on
/// the assessments, on the start and on an answer to a real interview, and the interview is
/// still there, unchanged, after all of it.
#[tokio::test]
async fn interview_bodies_are_checked_like_assessments() {
    let server = TestServer::start().await;
    let start: Value = post(&server, "/api/v1/interviews", "{}")
        .await
        .json()
        .await
        .unwrap();
    let id = start["id"].as_str().unwrap().to_string();
    let question = start["question"]["id"].as_str().unwrap().to_string();
    let answers = format!("/api/v1/interviews/{id}/answers");
    let mut invalid_utf8 = b"{\"text\": \"spasm ".to_vec();
    invalid_utf8.extend_from_slice(&[0xff, 0xfe, 0xc3]);
    invalid_utf8.extend_from_slice(b"\"}");
    let big = format!(r#"{{"text": "{}"}}"#, "a".repeat(70 * 1024));
    for path in ["/api/v1/interviews", answers.as_str()] {
        for body in ["{", "nope", "{\"question\": } "] {
            let p = problem(post(&server, path, body).await, 400).await;
            assert_eq!(p["type"], "/problems/malformed-json", "{path} {body}");
        }
        let p = problem(post(&server, path, invalid_utf8.clone()).await, 400).await;
        assert!(
            p["detail"].as_str().unwrap().contains("JSON"),
            "{path}: {p}"
        );
        let p = problem(post(&server, path, big.clone()).await, 413).await;
        assert_eq!(p["type"], "/problems/too-large", "{path}");
        for body in ["[]", "3", "null"] {
            if body == "null" && path == "/api/v1/interviews" {
                continue; // nothing to start from, as an empty body (below)
            }
            let p = problem(post(&server, path, body).await, 422).await;
            assert!(
                p["detail"].as_str().unwrap().contains("JSON object"),
                "{path} {body}: {p}"
            );
        }
    }
    // An empty body (or `null`) starts an interview from nothing (every field of the start
    // is optional); an answer must say something.
    assert_eq!(post(&server, "/api/v1/interviews", "").await.status(), 201);
    assert_eq!(
        post(&server, "/api/v1/interviews", "null").await.status(),
        201
    );
    problem(post(&server, &answers, "").await, 400).await;
    for (body, field) in [
        (json!({"text": 42}), "text"),
        (json!({"age": "forty"}), "age"),
        (json!({"sex": "robot"}), "sex"),
        (json!({"txet": "typo"}), "txet"),
    ] {
        let p = problem(
            post(&server, "/api/v1/interviews", body.to_string()).await,
            422,
        )
        .await;
        assert_eq!(p["field"], field, "{body}: {p}");
    }
    for (body, field) in [
        (json!({"answer": true}), "question"),
        (json!({"question": 7, "answer": true}), "question"),
        (json!({"question": question, "answer": "maybe"}), "answer"),
        (
            json!({"question": question, "answer": true, "extra": 1}),
            "extra",
        ),
    ] {
        let p = problem(post(&server, &answers, body.to_string()).await, 422).await;
        assert_eq!(p["field"], field, "{body}: {p}");
    }
    // A question that is not the one asked is a conflict (the interview contract), not bad input.
    problem(
        post(
            &server,
            &answers,
            json!({"question": "no_such_question", "answer": true}).to_string(),
        )
        .await,
        409,
    )
    .await;
    // An unknown interview (a well-formed answer; a malformed one is refused first, 400).
    problem(
        post(
            &server,
            "/api/v1/interviews/00000000-0000-0000-0000-000000000000/answers",
            r#"{"question": "q", "answer": null}"#,
        )
        .await,
        404,
    )
    .await;
    // Nothing was lost or changed: the same question is still the one asked.
    let now: Value = client()
        .get(server.url(&format!("/api/v1/interviews/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(now["question"]["id"], question.as_str(), "{now}");
    assert_eq!(now["progress"]["asked"], 0, "{now}");
}

#[tokio::test]
async fn unknown_ids_and_paths_are_404() {
    let server = TestServer::start().await;
    let c = client();
    for path in [
        "/api/v1/assessments/00000000-0000-0000-0000-000000000000",
        "/api/v1/interviews/00000000-0000-0000-0000-000000000000",
        "/api/v1/nothing",
        "/nothing",
        "/static/secret.txt",
        "/static/..%2F..%2FCargo.toml",
        "/problems/nope",
    ] {
        problem(c.get(server.url(path)).send().await.unwrap(), 404).await;
    }
    // A person's browser gets a page instead.
    let response = c
        .get(server.url("/result/00000000-0000-0000-0000-000000000000"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_security_headers(&response);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
}

#[tokio::test]
async fn wrong_method_is_405_problem() {
    let server = TestServer::start().await;
    let response = client()
        .delete(server.url("/api/v1/assessments"))
        .send()
        .await
        .unwrap();
    problem(response, 405).await;
}

#[tokio::test]
async fn rate_limit_is_429_with_retry_after() {
    let server = TestServer::with_config(ServerConfig {
        rate_limit_per_second: 1,
        rate_limit_burst: 3,
        ..ServerConfig::default()
    })
    .await;
    let c = client();
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let response = c
            .post(server.url("/api/v1/assessments"))
            .body(r#"{"answers": {"fever": false}}"#)
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            assert!(response.headers().contains_key("retry-after"));
            let p = problem(response, 429).await;
            assert_eq!(p["type"], "/problems/too-many-requests");
        }
    }
    assert_eq!(&statuses[..3], &[200, 200, 200], "{statuses:?}");
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");
    // Probes are not limited.
    let health = c.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test]
async fn a_body_that_never_arrives_times_out_with_408() {
    let server = TestServer::with_config(ServerConfig {
        request_timeout: Duration::from_millis(500),
        rate_limit_per_second: 1000,
        rate_limit_burst: 1000,
        ..ServerConfig::default()
    })
    .await;
    let addr = server.addr;
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
            .write_all(
                b"POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"text\":",
            )
            .unwrap();
        let mut answer = Vec::new();
        let mut buffer = [0u8; 4096];
        // Read until the headers and the small body are in.
        while let Ok(n) = stream.read(&mut buffer) {
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buffer[..n]);
            if answer.windows(4).any(|w| w == b"\r\n\r\n") && answer.ends_with(b"}") {
                break;
            }
        }
        String::from_utf8_lossy(&answer).to_string()
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(answer.contains("content-security-policy"), "{answer}");
}

#[tokio::test]
async fn every_kind_of_response_has_the_security_headers() {
    let server = TestServer::start().await;
    let c = client();
    let stored: Value = c
        .post(server.url("/api/v1/assessments"))
        .body(r#"{"answers": {"fever": false}}"#)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = stored["id"].as_str().unwrap();
    let mut responses = vec![];
    for path in [
        "/".to_string(),
        "/static/app.css".into(),
        "/static/app.js".into(),
        "/static/favicon.svg".into(),
        format!("/result/{id}"),
        format!("/api/v1/assessments/{id}"),
        "/api/v1/knowledge-base".into(),
        "/api/v1/openapi.json".into(),
        "/healthz".into(),
        "/metrics".into(),
        "/problems/invalid-field".into(),
        "/missing".into(),
    ] {
        responses.push(c.get(server.url(&path)).send().await.unwrap());
    }
    responses.push(
        c.post(server.url("/api/v1/assessments"))
            .body("{")
            .send()
            .await
            .unwrap(),
    );
    responses.push(
        c.post(server.url("/interview"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", common::form_cookie(None))
            .body(common::with_form_token("text=spasm"))
            .send()
            .await
            .unwrap(),
    );
    responses.push(c.put(server.url("/healthz")).send().await.unwrap());
    for response in &responses {
        assert_security_headers(response);
    }
    // Results are never cached; static files may be.
    assert_eq!(responses[5].headers()["cache-control"], "no-store");
    assert!(responses[1].headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("max-age"));
}
