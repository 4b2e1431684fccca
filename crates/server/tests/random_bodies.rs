//! Property test: random bodies (raw bytes, JSON-ish values, form-ish pairs) sent to every
//! endpoint that takes a body never get a 5xx, and API errors are always problem details.

mod common;

use std::sync::OnceLock;

use common::TestServer;
use proptest::prelude::*;
use serde_json::{json, Value};

struct Shared {
    runtime: tokio::runtime::Runtime,
    server: TestServer,
    client: reqwest::Client,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(TestServer::start());
        Shared {
            runtime,
            server,
            client: common::client(),
        }
    })
}

/// Sends a body; checks the answer; returns the status.
fn send(path: &str, content_type: &str, body: Vec<u8>) -> u16 {
    let shared = shared();
    shared.runtime.block_on(async {
        let mut request = shared
            .client
            .post(shared.server.url(path))
            .header("content-type", content_type);
        // A form is sent as a browser sends it, with its anti-forgery token.
        if content_type == "application/x-www-form-urlencoded" {
            request = request
                .header("cookie", common::form_cookie(None))
                .body(common::with_form_token(body));
        } else {
            request = request.body(body);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        assert!(status < 500, "{path} answered {status}");
        assert!(response.headers().contains_key("content-security-policy"));
        if path.starts_with("/api/") && status >= 400 {
            assert_eq!(
                response.headers()["content-type"],
                "application/problem+json"
            );
            let problem: Value = response.json().await.expect("problem JSON");
            assert_eq!(problem["status"], status);
        }
        status
    })
}

/// A fresh interview to answer.
fn interview() -> (String, String) {
    let shared = shared();
    shared.runtime.block_on(async {
        let state: Value = shared
            .client
            .post(shared.server.url("/api/v1/interviews"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        (
            state["id"].as_str().unwrap().to_string(),
            state["question"]["id"].as_str().unwrap().to_string(),
        )
    })
}

const KEYS: [&str; 16] = [
    "text",
    "answers",
    "age",
    "sex",
    "now",
    "question",
    "answer",
    "back",
    "fever",
    "chest_pain",
    "duration_hours",
    "location",
    "pain_severity",
    "q-red-flags-heart",
    "",
    "x",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(KEYS.to_vec()).prop_map(str::to_string),
        1 => ".{0,12}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        (-5.0f64..200.0).prop_map(|n| json!(n)),
        ".{0,40}".prop_map(Value::String),
        proptest::sample::select(vec![
            "between_shoulder_blades",
            "female",
            "2026-11-24T09:00:00Z",
            "chest_pain",
            "spasm between my shoulder blades, no fever",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn form_body() -> impl Strategy<Value = Vec<u8>> {
    let form_key = proptest::sample::select(vec![
        "text", "location", "age", "sex", "question", "action", "answer", "item", "none", "zz",
    ]);
    let value = prop_oneof![
        ".{0,30}".prop_map(|s| s.into_bytes()),
        proptest::collection::vec(any::<u8>(), 0..30),
        proptest::sample::select(vec![
            "answer",
            "dont_know",
            "back",
            "yes",
            "no",
            "chest_pain",
            "between_shoulder_blades",
            "3 days",
            "1e308",
            "NaN",
            "-1",
            "q-red-flags-heart",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
    ];
    proptest::collection::vec((form_key, value), 0..8).prop_map(|pairs| {
        let mut body = Vec::new();
        for (i, (k, v)) in pairs.into_iter().enumerate() {
            if i > 0 {
                body.push(b'&');
            }
            body.extend_from_slice(k.as_bytes());
            body.push(b'=');
            for byte in v {
                if byte.is_ascii_alphanumeric() {
                    body.push(byte);
                } else {
                    body.extend_from_slice(format!("%{byte:02X}").as_bytes());
                }
            }
        }
        body
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_bytes_never_get_a_5xx(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        send("/api/v1/assessments", "application/json", body.clone());
        send("/api/v1/interviews", "application/json", body.clone());
        let (id, _) = interview();
        send(&format!("/api/v1/interviews/{id}/answers"), "application/json", body.clone());
        send("/assess", "application/x-www-form-urlencoded", body.clone());
        send("/interview", "application/x-www-form-urlencoded", body.clone());
        send(&format!("/interview/{id}"), "application/x-www-form-urlencoded", body);
    }

    #[test]
    fn random_json_never_gets_a_5xx(value in json_value()) {
        let body = serde_json::to_vec(&value).unwrap();
        send("/api/v1/assessments", "application/json", body.clone());
        send("/api/v1/interviews", "application/json", body.clone());
        let (id, _) = interview();
        send(&format!("/api/v1/interviews/{id}/answers"), "application/json", body);
    }

    #[test]
    fn random_requests_never_get_a_5xx(
        text in proptest::option::of(".{0,300}"),
        answers in proptest::collection::btree_map(key(), json_value(), 0..5),
        age in json_value(),
        sex in json_value(),
        answer in json_value(),
    ) {
        let body = json!({"text": text, "answers": answers, "age": age, "sex": sex});
        send("/api/v1/assessments", "application/json", body.to_string().into_bytes());
        let (id, question) = interview();
        let body = json!({"question": question, "answer": answer});
        send(&format!("/api/v1/interviews/{id}/answers"), "application/json", body.to_string().into_bytes());
    }

    #[test]
    fn random_forms_never_get_a_5xx(body in form_body()) {
        send("/assess", "application/x-www-form-urlencoded", body.clone());
        send("/interview", "application/x-www-form-urlencoded", body.clone());
        let (id, question) = interview();
        let mut answer = format!("question={question}&").into_bytes();
        answer.extend_from_slice(&body);
        send(&format!("/interview/{id}"), "application/x-www-form-urlencoded", answer);
    }
}
