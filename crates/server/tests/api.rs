//! Every endpoint of the JSON API, on a real server on a random loopback port.

mod common;

use common::{
    assert_security_headers, client, get_json, get_text, problem, TestServer, WEB_PAGE_OPERATIONS,
};
use serde_json::{json, Value};

const NOW: &str = "2026-11-24T09:00:00Z";

#[tokio::test]
async fn healthz_says_ok() {
    let server = TestServer::start().await;
    let response = client().get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_security_headers(&response);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"status": "ok"})
    );
}

#[tokio::test]
async fn metrics_in_prometheus_format() {
    let server = TestServer::start().await;
    let c = client();
    c.post(server.url("/api/v1/assessments"))
        .body(r#"{"answers": {"upper_back_spasm": true, "chest_pain": true}}"#)
        .send()
        .await
        .unwrap();
    let response = c.get(server.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_security_headers(&response);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = response.text().await.unwrap();
    assert!(
        text.contains("# TYPE upperback_http_requests_total counter"),
        "{text}"
    );
    assert!(text.contains(r#"route="/api/v1/assessments""#), "{text}");
    assert!(
        text.contains(r#"upperback_assessments_total{level="ambulance"} 1"#),
        "{text}"
    );
    assert!(text.contains("upperback_http_request_duration_seconds_bucket"));
    assert!(text.contains("upperback_stored_assessments 1"), "{text}");
}

/// On a database, `/metrics` shows its group commit; the result is kept compressed and
/// reads back the same.
#[tokio::test]
async fn metrics_show_the_database_group_commit() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("metrics.db").display());
    let store = upperback_server::open_store(Some(&url)).await.unwrap();
    let server = TestServer::with_store(common::unlimited(), store).await;
    let c = client();
    let mut answers = Vec::new();
    for _ in 0..3 {
        let response = c
            .post(server.url("/api/v1/assessments"))
            .header("content-type", "application/json")
            .body(r#"{"text": "A spasm between my shoulder blades since Monday, no fever."}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        answers.push(response.json::<Value>().await.unwrap());
    }
    let text = get_text(&c, &server.url("/metrics")).await;
    assert!(
        text.contains("upperback_store_assessments_written 3"),
        "{text}"
    );
    assert!(
        text.contains("upperback_store_assessment_errors 0"),
        "{text}"
    );
    let transactions = text
        .lines()
        .find_map(|l| l.strip_prefix("upperback_store_assessment_transactions "))
        .and_then(|n| n.parse::<u64>().ok())
        .expect("a transaction count");
    assert!((1..=3).contains(&transactions), "{text}");
    for answer in answers {
        let id = answer["id"].as_str().unwrap();
        let back = get_json(&c, &server.url(&format!("/api/v1/assessments/{id}"))).await;
        assert_eq!(back, answer);
    }
}

#[tokio::test]
async fn assessment_is_made_stored_and_read_back() {
    let server = TestServer::start().await;
    let c = client();
    let response = c
        .post(server.url("/api/v1/assessments"))
        .header("content-type", "application/json")
        .body(
            json!({
                "text": "A spasm between my shoulder blades since Monday after golf. No fever, no chest pain.",
                "answers": {"improving": true},
                "age": 45,
                "sex": "female",
                "now": NOW
            })
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_security_headers(&response);
    assert_eq!(response.headers()["content-type"], "application/json");
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let body: Value = response.json().await.unwrap();
    let id = body["id"].as_str().unwrap();
    assert_eq!(location, format!("/api/v1/assessments/{id}"));
    assert_eq!(body["triage"]["level"], "self_care");
    assert_eq!(body["causes"].as_array().unwrap().len(), 5);
    assert!(body["knowledge_base"]["digest"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    let fever = body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "fever")
        .unwrap();
    assert_eq!(fever["status"], "absent");
    assert_eq!(fever["origin"], "text");
    let duration = body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "duration_hours")
        .unwrap();
    assert_eq!(
        duration["value"], 24.0,
        "since Monday, seen from Tuesday 9:00"
    );

    let again = c.get(server.url(&location)).send().await.unwrap();
    assert_eq!(again.status(), 200);
    assert_security_headers(&again);
    assert_eq!(again.json::<Value>().await.unwrap(), body);
}

#[tokio::test]
async fn unknown_assessment_is_404() {
    let server = TestServer::start().await;
    let c = client();
    for path in [
        "/api/v1/assessments/4a3e70cb-b017-4d63-8f18-c4a962a9f22a",
        "/api/v1/assessments/not-an-id",
        "/api/v1/assessments/%FF%FE",
    ] {
        let body = problem(c.get(server.url(path)).send().await.unwrap(), 404).await;
        assert_eq!(body["type"], "/problems/not-found");
    }
}

#[tokio::test]
async fn knowledge_base_has_version_digest_findings_rules_causes() {
    let server = TestServer::start().await;
    let response = client()
        .get(server.url("/api/v1/knowledge-base"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_security_headers(&response);
    let kb: Value = response.json().await.unwrap();
    assert!(kb["version"].is_string());
    assert!(kb["digest"].as_str().unwrap().starts_with("sha256:"));
    assert!(kb["findings"].as_array().unwrap().len() > 20);
    assert!(!kb["rules"].as_array().unwrap().is_empty());
    assert_eq!(kb["causes"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn openapi_lists_every_path() {
    let server = TestServer::start().await;
    let response = client()
        .get(server.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_security_headers(&response);
    let doc: Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let api = [
        ("/api/v1/assessments", "post"),
        ("/api/v1/assessments/{id}", "get"),
        ("/api/v1/interviews", "post"),
        ("/api/v1/interviews/{id}", "get"),
        ("/api/v1/interviews/{id}/answers", "post"),
        ("/api/v1/knowledge-base", "get"),
        ("/api/v1/openapi.json", "get"),
        ("/healthz", "get"),
        ("/metrics", "get"),
        ("/", "get"),
        ("/assess", "post"),
        ("/interview", "post"),
        ("/interview/{id}", "get"),
        ("/interview/{id}", "post"),
        ("/result/{id}", "get"),
        ("/static/{name}", "get"),
        ("/problems/{kind}", "get"),
        ("/api/v1/ergonomics/rula", "post"),
        ("/api/v1/ergonomics/rosa", "post"),
        ("/fhir/Questionnaire", "get"),
        ("/fhir/Questionnaire/upperback-interview", "get"),
        ("/fhir/QuestionnaireResponse/$assess", "post"),
        ("/cds-services", "get"),
        ("/cds-services/upperback-triage", "post"),
        ("/workstation", "get"),
        ("/workstation", "post"),
        ("/api/v1/accounts", "post"),
        ("/api/v1/sessions", "post"),
        ("/api/v1/sessions/current", "delete"),
        ("/api/v1/me", "get"),
        ("/api/v1/me", "delete"),
        ("/api/v1/me/export", "get"),
        ("/api/v1/assessments/{id}/share", "post"),
        ("/api/v1/queue", "get"),
        ("/api/v1/episodes", "get"),
        ("/api/v1/episodes", "post"),
        ("/api/v1/episodes/{id}", "get"),
        ("/api/v1/episodes/{id}/check-ins", "post"),
        ("/api/v1/episodes/{id}/chart.svg", "get"),
    ];
    let tested: Vec<(&str, &str)> = api.into_iter().chain(WEB_PAGE_OPERATIONS).collect();
    for &(path, method) in &tested {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is not in the OpenAPI document"
        );
    }
    let listed: std::collections::BTreeSet<&str> = tested.iter().map(|(p, _)| *p).collect();
    let documented: std::collections::BTreeSet<&str> = paths.keys().map(String::as_str).collect();
    assert_eq!(
        documented, listed,
        "a path is documented but not listed (and tested) here"
    );
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for schema in ["AssessmentRequest", "AssessmentView", "Problem"] {
        assert!(schemas.contains_key(schema), "{schema}");
    }
}

/// Answers a question the way a person without red flags would.
fn calm_answer(question: &Value) -> Value {
    let finding = question["finding"].as_str().unwrap_or("");
    match question["kind"].as_str().unwrap() {
        "checklist" => json!([]),
        "yes_no" => json!(matches!(finding, "improving" | "home_care_tried")),
        "number" => match finding {
            "duration_hours" => json!(24),
            "age" => json!(35),
            "pain_severity" => json!(4),
            _ => json!(question["min"].as_f64().unwrap_or(0.0)),
        },
        "choice" => question["choices"][0].clone(),
        other => panic!("unknown kind {other}"),
    }
}

#[tokio::test]
async fn interview_to_self_care() {
    let server = TestServer::start().await;
    let c = client();
    let response = c
        .post(server.url("/api/v1/interviews"))
        .body(
            json!({"text": "Spasm between my shoulder blades after golf.", "now": NOW}).to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_security_headers(&response);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let mut state: Value = response.json().await.unwrap();
    let id = state["id"].as_str().unwrap().to_string();
    assert_eq!(location, format!("/api/v1/interviews/{id}"));
    let mut asked = 0;
    while state["type"] == "question" {
        assert!(state["progress"]["asked"].is_number());
        let answer = calm_answer(&state["question"]);
        let response = c
            .post(server.url(&format!("/api/v1/interviews/{id}/answers")))
            .body(json!({"question": state["question"]["id"], "answer": answer}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_security_headers(&response);
        state = response.json().await.unwrap();
        asked += 1;
        assert!(asked < 30, "the interview does not end");
    }
    assert_eq!(state["type"], "result");
    assert_eq!(state["id"], id.as_str());
    assert_eq!(state["asked"], asked);
    let result = &state["result"];
    assert_eq!(result["triage"]["level"], "self_care");
    assert_eq!(result["triage"]["unscreened_red_flags"], json!([]));
    // The result is stored, and the interview remembers it.
    let stored = get_json(
        &c,
        &server.url(&format!(
            "/api/v1/assessments/{}",
            result["id"].as_str().unwrap()
        )),
    )
    .await;
    assert_eq!(&stored, result);
    let response = c
        .get(server.url(&format!("/api/v1/interviews/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap(), state);
    // Nothing more to answer.
    let body = problem(
        c.post(server.url(&format!("/api/v1/interviews/{id}/answers")))
            .body(r#"{"question": "q-red-flags-heart", "answer": null}"#)
            .send()
            .await
            .unwrap(),
        409,
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("over"));
}

#[tokio::test]
async fn interview_emergency_ends_at_once_and_answers_are_checked() {
    let server = TestServer::start().await;
    let c = client();
    let start: Value = c
        .post(server.url("/api/v1/interviews"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = start["id"].as_str().unwrap();
    let question = start["question"]["id"].as_str().unwrap();
    assert_eq!(question, "q-red-flags-heart");
    let answers = server.url(&format!("/api/v1/interviews/{id}/answers"));

    // Not the current question → 409.
    let body = problem(
        c.post(&answers)
            .body(r#"{"question": "q-age", "answer": 40}"#)
            .send()
            .await
            .unwrap(),
        409,
    )
    .await;
    assert!(body["detail"]
        .as_str()
        .unwrap()
        .contains("q-red-flags-heart"));
    // The wrong kind of answer → 422 naming the field.
    let body = problem(
        c.post(&answers)
            .body(json!({"question": question, "answer": "yes"}).to_string())
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(body["field"], "answer");
    let body = problem(
        c.post(&answers)
            .body(json!({"question": question, "answer": ["knee_pain"]}).to_string())
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(body["field"], "answer");
    // Missing or mistyped members.
    let body = problem(
        c.post(&answers)
            .body(r#"{"answer": []}"#)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(body["field"], "question");
    let body = problem(
        c.post(&answers)
            .body(json!({"question": question}).to_string())
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(body["field"], "answer");
    let body = problem(
        c.post(&answers)
            .body(json!({"question": question, "answr": []}).to_string())
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(body["field"], "answr");
    // Nothing to go back to yet.
    problem(
        c.post(&answers)
            .body(json!({"question": question, "back": true}).to_string())
            .send()
            .await
            .unwrap(),
        409,
    )
    .await;

    // Chest pain: an emergency ends the interview at once.
    let response = c
        .post(&answers)
        .body(json!({"question": question, "answer": ["chest_pain"]}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let state: Value = response.json().await.unwrap();
    assert_eq!(state["type"], "result");
    assert_eq!(state["result"]["triage"]["level"], "ambulance");
    assert!(state["result"]["id"].is_string());
}

#[tokio::test]
async fn interview_goes_back_and_starts_from_text() {
    let server = TestServer::start().await;
    let c = client();
    // Red flags the text denied are still asked, marked with the words they were read from.
    let start: Value = c
        .post(server.url("/api/v1/interviews"))
        .body(json!({"text": "Upper back spasm. No chest pain, no shortness of breath, no tearing pain, I did not faint, no sweating, no pain in my jaw or arm, no coughing blood, no tummy pain.", "age": 30}).to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = start["id"].as_str().unwrap();
    let first = start["question"]["id"].as_str().unwrap().to_string();
    assert_eq!(first, "q-red-flags-heart", "{start}");
    let chest = start["question"]["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["finding"] == "chest_pain"))
        .expect("chest pain is still asked");
    assert_eq!(chest["from_text"]["status"], "absent", "{start}");
    assert_eq!(chest["from_text"]["words"], "No chest pain", "{start}");
    let answers = server.url(&format!("/api/v1/interviews/{id}/answers"));
    let next: Value = c
        .post(&answers)
        .body(json!({"question": first, "answer": null}).to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(next["progress"]["asked"], 1);
    let back: Value = c
        .post(&answers)
        .body(json!({"question": next["question"]["id"], "back": true}).to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(back["question"]["id"], first.as_str());
    assert_eq!(back["progress"]["asked"], 0);
}

#[tokio::test]
async fn unknown_interview_is_404() {
    let server = TestServer::start().await;
    let c = client();
    problem(
        c.get(server.url("/api/v1/interviews/4a3e70cb-b017-4d63-8f18-c4a962a9f22a"))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    problem(
        c.post(server.url("/api/v1/interviews/nope/answers"))
            .body(r#"{"question": "q", "answer": null}"#)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
}

#[tokio::test]
async fn interview_start_checks_its_body() {
    let server = TestServer::start().await;
    let c = client();
    let body = problem(
        c.post(server.url("/api/v1/interviews"))
            .body(r#"{"age": "old"}"#)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(body["field"], "age");
    problem(
        c.post(server.url("/api/v1/interviews"))
            .body("{nope")
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    // No body, or JSON `null`, starts from nothing.
    for body in ["", " null "] {
        let response = c
            .post(server.url("/api/v1/interviews"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{body:?}");
    }
}

#[tokio::test]
async fn interview_states_are_the_documented_schema_and_read_back_the_text() {
    // Every state the interview API answers reads back as the OpenAPI document's
    // `InterviewStateView`, unknown fields refused: the document cannot drift from it.
    use upperback_server::view::InterviewStateView;
    let server = TestServer::start().await;
    let c = client();
    let text = "Upper back spasm, no fever. My bladder feels different. \
                Since an hour a crushing pressure behind my breastbone.";
    let mut state: Value = c
        .post(server.url("/api/v1/interviews"))
        .body(json!({"text": text, "age": 50}).to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = state["id"].as_str().unwrap().to_string();
    let mut seen = Vec::new();
    for _ in 0..30 {
        let view: InterviewStateView =
            serde_json::from_value(state.clone()).unwrap_or_else(|e| panic!("{e}: {state}"));
        let Some(question) = view.question else {
            break;
        };
        seen.push(question.id.clone());
        let answer = match question.kind.as_str() {
            "checklist" => json!([]),
            "yes_no" => json!(false),
            "number" => json!(24),
            _ => Value::Null,
        };
        state = c
            .post(server.url(&format!("/api/v1/interviews/{id}/answers")))
            .body(json!({"question": question.id, "answer": answer}).to_string())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    }
    assert_eq!(state["type"], "result", "{state}");
    // Asked first what the words may have described, then the reading confirmed, then
    // the checklists.
    assert_eq!(seen[0], "q-possible-bowel_bladder_dysfunction", "{seen:?}");
    assert_eq!(seen[1], "q-confirm-chest_pain", "{seen:?}");
    assert!(seen.contains(&"q-red-flags-heart".to_string()), "{seen:?}");
    assert_eq!(
        state["result"]["triage"]["screening"], "complete",
        "{state}"
    );
    assert_eq!(state["result"]["possible_red_flags"], json!([]), "{state}");
}

/// Half-sent and silent connections: the server keeps answering others, closes them once
/// their header time is up, and stops on shutdown within its deadline however many are
/// open. (Loopback only; a few hundred connections for a few seconds.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_silent_connections_are_closed_and_do_not_block_shutdown() {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = upperback_server::app(
        common::unlimited(),
        std::sync::Arc::new(upperback_server::MemoryStore::default()),
    );
    let limits = upperback_server::ConnectionLimits {
        header_read_timeout: Duration::from_secs(2),
        shutdown_deadline: Duration::from_secs(2),
        ..upperback_server::ConnectionLimits::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(upperback_server::serve_with_limits(
        listener,
        app,
        async move {
            let _ = stopped.await;
        },
        limits,
    ));
    let mut slow = Vec::new();
    for i in 0..300 {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        if i % 2 == 0 {
            // Part of a request head, never finished.
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .await
                .unwrap();
        }
        slow.push(stream);
    }
    let http = client();
    let response = tokio::time::timeout(
        Duration::from_secs(2),
        http.get(format!("http://{addr}/healthz")).send(),
    )
    .await
    .expect("/healthz answers beside 300 slow connections")
    .unwrap();
    assert_eq!(response.status(), 200);
    // Their header time is up: the server has closed every one of them.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for stream in &mut slow {
        let mut buffer = [0u8; 512];
        let read = tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buffer))
            .await
            .expect("closed, not left hanging");
        // Closed (0 bytes), reset, or a 408 before closing.
        if let Ok(n) = read {
            assert!(n == 0 || buffer.starts_with(b"HTTP/1.1 408"), "{n}");
        }
    }
    // A connection that is silent when shutdown starts does not hold it up.
    let _silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("shutdown ends within its deadline")
        .unwrap()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// What the OpenAPI document says of bodies matches what is sent: the episode list is an
/// array, a finding's value a number, a string or null, and the interview's body optional.
#[tokio::test]
async fn the_openapi_document_describes_what_is_sent() {
    let server = TestServer::start().await;
    let doc = get_json(&client(), &server.url("/api/v1/openapi.json")).await;
    let episodes = &doc["paths"]["/api/v1/episodes"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    assert_eq!(episodes["type"], "array", "{episodes}");
    let value = &doc["components"]["schemas"]["FindingView"]["properties"]["value"];
    let types: Vec<&str> = value["oneOf"]
        .as_array()
        .unwrap_or_else(|| panic!("{value}"))
        .iter()
        .map(|t| t["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["number", "string", "null"]);
    let interview = &doc["paths"]["/api/v1/interviews"]["post"]["requestBody"];
    assert_ne!(interview["required"], true, "{interview}");
    // The layers' answers are documented on every operation they can reach.
    let assess = &doc["paths"]["/api/v1/assessments"]["post"]["responses"];
    for status in [
        "400", "401", "403", "408", "413", "415", "422", "429", "503",
    ] {
        assert!(
            assess.get(status).is_some(),
            "POST /api/v1/assessments lacks {status}"
        );
    }
    let health = &doc["paths"]["/healthz"]["get"]["responses"];
    assert!(
        health.get("429").is_none() && health.get("401").is_none(),
        "{health}"
    );
    // And what is sent: a finding's value as a number.
    let result: Value = client()
        .post(server.url("/api/v1/assessments"))
        .json(&json!({"answers": {"pain_severity": 6}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let severity = result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "pain_severity")
        .unwrap();
    assert!(severity["value"].is_number(), "{severity}");
}
