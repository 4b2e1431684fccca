//! Property test, the sequel of `random_bodies.rs` (assessments, interviews and their forms):
//! random bodies sent to every other endpoint that takes a body never get a 5xx. Each answer
//! carries the security headers; the errors of the API, FHIR and CDS Hooks endpoints are
//! problem details (`application/problem+json`) whose `"status"` is the answer's.
//!
//! Bodies: raw bytes, random JSON (recursive, with each endpoint's own keys), "near-valid"
//! JSON (a valid body from the other tests with one member, at any depth, replaced by a random
//! value or by another of its type, removed, or one unknown member added), random forms and
//! near-valid forms (one value replaced, one pair removed or added).
//!
//! - Local mode over the memory store: `POST /api/v1/ergonomics/rula` and `/rosa`,
//!   `/fhir/QuestionnaireResponse/$assess` (as `application/json`, and as
//!   `application/fhir+json` with `Accept: application/fhir+json`, which answers a Bundle),
//!   `/cds-services/upperback-triage`, the `/workstation` form; accounts and sessions (404).
//! - Local mode over SQLite (the default store; the diary works without accounts): episodes
//!   and check-ins, through the API and the forms.
//! - `--multi-user` over SQLite, one person registered and signed in once (Argon2 is slow on
//!   purpose): accounts, sessions, sharing, episodes and check-ins with the person's token,
//!   and without a working one (401, never a 5xx); the web forms (sign in, register,
//!   episodes, check-ins, share) with the session cookie (and the forms' anti-forgery token) and
//!   without. `DELETE /api/v1/me` and signing out are not sent: they would erase the shared
//!   fixtures.

mod common;

use std::sync::OnceLock;

use chrono::{Duration, Local, SecondsFormat, Utc};
use common::{TestServer, ANA, DOCTOR, DOCTOR_PASSWORD, PASSWORD};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};
use upperback_server::ServerConfig;

const JSON: &str = "application/json";
const FHIR: &str = "application/fhir+json";
const FORM: &str = "application/x-www-form-urlencoded";

/// The servers and what was made on them once.
struct Fixtures {
    /// Local mode over the memory store, as `TestServer::start()`.
    local: TestServer,
    /// Local mode over a SQLite file, and one episode in its diary.
    diary: TestServer,
    diary_episode: String,
    /// `--multi-user` over a SQLite file.
    multi: TestServer,
    /// Ana's bearer token, her session cookie (`upperback_session=…`, from the sign-in
    /// form), one assessment and one episode of hers.
    token: String,
    cookie: String,
    assessment: String,
    episode: String,
    _dirs: [tempfile::TempDir; 2],
}

struct Shared {
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
    fixtures: Fixtures,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let client = common::client();
        let fixtures = runtime.block_on(fixtures(&client));
        Shared {
            runtime,
            client,
            fixtures,
        }
    })
}

/// A time `hours` from now, as RFC 3339.
fn at(hours: i64) -> String {
    (Utc::now() + Duration::hours(hours)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A time `hours` from now as a `datetime-local` field's value, on the server's clock.
fn local_input(hours: i64) -> String {
    (Local::now() + Duration::hours(hours))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// `POST` a JSON body (with a bearer token); the answer's JSON, which must have `status`.
async fn post_json(
    client: &reqwest::Client,
    url: String,
    token: Option<&str>,
    body: Value,
    status: u16,
) -> Value {
    let mut request = client.post(&url).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the server answers");
    assert_eq!(response.status().as_u16(), status, "{url}");
    response.json().await.expect("JSON")
}

async fn sqlite(dir: &tempfile::TempDir) -> std::sync::Arc<dyn upperback_server::Store> {
    let url = format!("sqlite://{}", dir.path().join("x.db").display());
    upperback_server::open_store(Some(&url))
        .await
        .expect("open the store")
}

async fn fixtures(client: &reqwest::Client) -> Fixtures {
    let local = TestServer::start().await;

    let diary_dir = tempfile::tempdir().unwrap();
    let diary = TestServer::with_store(common::unlimited(), sqlite(&diary_dir).await).await;
    let episode = post_json(
        client,
        diary.url("/api/v1/episodes"),
        None,
        json!({"started_at": at(-3), "severity": 4}),
        201,
    )
    .await;
    let diary_episode = episode["id"].as_str().expect("an id").to_string();

    let multi_dir = tempfile::tempdir().unwrap();
    let store = sqlite(&multi_dir).await;
    let multi = TestServer::with_store(
        ServerConfig {
            multi_user: true,
            ..common::unlimited()
        },
        store.clone(),
    )
    .await;
    let credentials = json!({"email": ANA, "password": PASSWORD});
    post_json(
        client,
        multi.url("/api/v1/accounts"),
        None,
        credentials.clone(),
        201,
    )
    .await;
    let hash = upperback_store::auth::hash_password(DOCTOR_PASSWORD).expect("a hash");
    store
        .database()
        .expect("a database store")
        .create_account(DOCTOR, &hash, upperback_store::Role::Clinician)
        .await
        .expect("a clinician");
    let session = post_json(
        client,
        multi.url("/api/v1/sessions"),
        None,
        credentials,
        200,
    )
    .await;
    let token = session["token"].as_str().expect("a token").to_string();
    // The web pages' session: the cookie the sign-in form sets.
    let response = client
        .post(multi.url("/sign-in"))
        .header("content-type", FORM)
        .header("cookie", common::form_cookie(None))
        .body(common::with_form_token(
            form_urlencoded::Serializer::new(String::new())
                .extend_pairs([("email", ANA), ("password", PASSWORD)])
                .finish(),
        ))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 303);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("upperback_session="), "{cookie}");
    let assessment = post_json(
        client,
        multi.url("/api/v1/assessments"),
        Some(&token),
        json!({"text": "mild stiffness between my shoulder blades"}),
        200,
    )
    .await;
    let assessment = assessment["id"].as_str().expect("an id").to_string();
    let episode = post_json(
        client,
        multi.url("/api/v1/episodes"),
        Some(&token),
        json!({
            "started_at": at(-2),
            "location": "between_shoulder_blades",
            "severity": 6,
            "triggers": ["desk work"],
            "assessment": assessment,
        }),
        201,
    )
    .await;
    let episode = episode["id"].as_str().expect("an id").to_string();
    Fixtures {
        local,
        diary,
        diary_episode,
        multi,
        token,
        cookie,
        assessment,
        episode,
        _dirs: [diary_dir, multi_dir],
    }
}

/// The errors of these paths are problem details; the others are web pages.
fn answers_problems(path: &str) -> bool {
    ["/api/", "/fhir/", "/cds-services/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// The start of a body, for a failure's message.
fn preview(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned()
}

/// POSTs a body with these headers; checks the answer; returns the status.
fn send(server: &TestServer, path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> u16 {
    let shared = shared();
    shared.runtime.block_on(async {
        let mut request = shared.client.post(server.url(path));
        let mut cookie = None;
        for (name, value) in headers {
            if *name == "cookie" {
                cookie = Some(*value);
            } else {
                request = request.header(*name, *value);
            }
        }
        // A form is sent as a browser sends it, with its anti-forgery token.
        let is_form = headers.contains(&("content-type", FORM));
        if is_form {
            request = request.header("cookie", common::form_cookie(cookie));
        } else if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let sent = if is_form {
            common::with_form_token(&body)
        } else {
            body.clone()
        };
        let response = request.body(sent).send().await.expect("the server answers");
        let status = response.status().as_u16();
        assert!(
            status < 500,
            "{path} answered {status} to {:?}",
            preview(&body)
        );
        assert!(
            response.headers().contains_key("content-security-policy"),
            "{path}: no CSP"
        );
        if answers_problems(path) && status >= 400 {
            assert_eq!(
                response.headers()["content-type"],
                "application/problem+json",
                "{path} answered {status}"
            );
            let problem: Value = response.json().await.expect("problem JSON");
            assert_eq!(problem["status"], status, "{path}: {problem}");
        }
        status
    })
}

fn to_bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

// ---- valid bodies (from clinic.rs, multi_user.rs, web_accounts.rs and the FHIR test data) ----

/// A typist at a desk (RULA input); also an example for `upperback ergo rula --input`.
const TYPIST: &str = include_str!("../../../docs/examples/rula-typist.json");

/// A poor workstation (ROSA input); also an example for `upperback ergo rosa --input`.
const POOR_ROSA: &str = include_str!("../../../docs/examples/rosa-poor-workstation.json");

fn typist() -> Value {
    serde_json::from_str(TYPIST).unwrap()
}

fn poor_rosa() -> Value {
    serde_json::from_str(POOR_ROSA).unwrap()
}

/// Two QuestionnaireResponses: one answer (clinic.rs), and groups with every answer type
/// (crates/fhir/tests/questionnaire.rs).
fn questionnaire_responses() -> [Value; 2] {
    [
        json!({
            "resourceType": "QuestionnaireResponse",
            "status": "completed",
            "item": [{"linkId": "chest_pain", "answer": [{"valueBoolean": true}]}],
        }),
        json!({
            "resourceType": "QuestionnaireResponse",
            "status": "completed",
            "item": [
                {"linkId": "q-red-flags-heart", "item": [
                    {"linkId": "chest_pain", "answer": [{"valueBoolean": false}]},
                    {"linkId": "fainting", "answer": [{"valueBoolean": false}]},
                    {"linkId": "tearing_pain"}
                ]},
                {"linkId": "duration_hours", "answer": [{"valueDecimal": 96}]},
                {"linkId": "age", "answer": [{"valueInteger": 52}]},
                {"linkId": "location", "answer": [{"valueCoding": {"system": "https://upperback.example/fhir/CodeSystem/location", "code": "between_shoulder_blades"}}]},
                {"linkId": "more-details", "item": [
                    {"linkId": "sex", "answer": [{"valueCoding": {"system": "http://hl7.org/fhir/administrative-gender", "code": "female"}}]},
                    {"linkId": "upper_back_spasm", "answer": [{"valueBoolean": true}]}
                ]}
            ],
        }),
    ]
}

/// The CDS Hooks requests of crates/fhir/tests/data/cds.
fn cds_requests() -> &'static [Value] {
    static REQUESTS: OnceLock<Vec<Value>> = OnceLock::new();
    REQUESTS.get_or_init(|| {
        let dir = format!("{}/../fhir/tests/data/cds", env!("CARGO_MANIFEST_DIR"));
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .expect("the CDS samples")
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        let requests: Vec<Value> = paths
            .iter()
            .map(|path| {
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).expect("JSON")
            })
            .collect();
        assert!(requests.len() >= 5, "{dir}");
        requests
    })
}

/// The ROSA and RULA forms (tests/common).
fn workstation_forms() -> [Vec<(&'static str, &'static str)>; 2] {
    [
        common::POOR_ROSA_FORM.to_vec(),
        common::TYPIST_RULA_FORM.to_vec(),
    ]
}

fn episode_body(assessment: Option<&str>) -> Value {
    let mut body = json!({
        "started_at": at(-2),
        "location": "between_shoulder_blades",
        "severity": 6,
        "triggers": ["desk work", "golf"],
    });
    if let Some(id) = assessment {
        body["assessment"] = json!(id);
    }
    body
}

fn check_in_body() -> Value {
    json!({"at": at(-1), "severity": 5, "improving": true, "home_care": ["heat", "stretches"]})
}

fn episode_form(assessment: Option<&str>) -> Vec<(String, String)> {
    let mut pairs = vec![
        ("started_at".to_string(), local_input(-5)),
        ("location".into(), "between_shoulder_blades".into()),
        ("severity".into(), "6".into()),
        ("triggers".into(), "desk work, golf".into()),
    ];
    if let Some(id) = assessment {
        pairs.push(("assessment".into(), id.to_string()));
    }
    pairs
}

fn check_in_form() -> Vec<(String, String)> {
    [
        ("at", local_input(-1).as_str()),
        ("severity", "4"),
        ("improving", "yes"),
        ("home_care", "heat"),
        ("home_care", "gentle stretches"),
        ("home_care_other", "new pillow"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

// ---- strategies ----

const RULA_KEYS: &[&str] = &[
    "upper_arm",
    "lower_arm",
    "wrist",
    "arm_static_or_repeated",
    "arm_load",
    "neck",
    "trunk",
    "legs_supported",
    "neck_trunk_static_or_repeated",
    "neck_trunk_load",
    "flexion_deg",
    "shoulder_raised",
    "abducted",
    "supported",
    "across_midline_or_out_to_side",
    "bent_from_midline",
    "twist",
    "kg",
    "pattern",
    "twisted",
    "side_bent",
    "well_supported",
    "",
];

const ROSA_KEYS: &[&str] = &[
    "chair",
    "monitor",
    "telephone",
    "mouse",
    "keyboard",
    "seat_height",
    "seat_height_flags",
    "seat_depth",
    "seat_depth_flags",
    "armrests",
    "armrest_flags",
    "back_support",
    "back_support_flags",
    "not_adjustable",
    "position",
    "flags",
    "glare",
    "no_hands_free",
    "pinch_grip",
    "wrists_deviated",
    "hours_per_day",
    "longest_stretch_minutes",
    "",
];

const FHIR_KEYS: &[&str] = &[
    "resourceType",
    "status",
    "item",
    "linkId",
    "answer",
    "valueBoolean",
    "valueInteger",
    "valueDecimal",
    "valueCoding",
    "valueString",
    "valueQuantity",
    "system",
    "code",
    "questionnaire",
    "text",
    "",
];

const CDS_KEYS: &[&str] = &[
    "hook",
    "hookInstance",
    "fhirServer",
    "context",
    "patientId",
    "userId",
    "prefetch",
    "patient",
    "observations",
    "conditions",
    "resourceType",
    "entry",
    "resource",
    "code",
    "coding",
    "system",
    "valueBoolean",
    "valueQuantity",
    "value",
    "birthDate",
    "gender",
    "effectiveDateTime",
    "clinicalStatus",
    "",
];

const ACCOUNT_KEYS: &[&str] = &["email", "password", "clinician", ""];

const DIARY_KEYS: &[&str] = &[
    "started_at",
    "severity",
    "location",
    "triggers",
    "assessment",
    "at",
    "improving",
    "home_care",
    "",
];

/// Strings the endpoints know (or nearly).
const WORDS: &[&str] = &[
    "",
    " ",
    "between_shoulder_blades",
    "female",
    "male",
    "chest_pain",
    "q-red-flags-heart",
    "patient-view",
    "order-select",
    "QuestionnaireResponse",
    "Patient",
    "Observation",
    "Condition",
    "Bundle",
    "searchset",
    "completed",
    "http://snomed.info/sct",
    "https://upperback.example/fhir/CodeSystem/finding",
    "upper_back_spasm",
    "1961-03-02",
    "2026-11-24T09:00:00Z",
    "2026-11-24T09:00:00+14:00",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "+262143-12-31T23:59:59Z",
    "2026-11-24",
    "intermittent",
    "mid_range",
    "ok",
    "too_low",
    "reaching",
    "00000000-0000-0000-0000-000000000000",
    ANA,
    "ANA@EXAMPLE.ORG",
    DOCTOR,
    PASSWORD,
    "a@b",
    "desk work",
    "heat",
];

fn key(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(keys).prop_map(str::to_string),
        1 => ".{0,12}",
    ]
}

fn json_value(keys: &'static [&'static str]) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        (-400.0f64..400.0).prop_map(|n| json!(n)),
        (-3i64..30).prop_map(|n| json!(n)),
        ".{0,40}".prop_map(Value::String),
        proptest::sample::select(WORDS).prop_map(|s| Value::String(s.to_string())),
        proptest::sample::select(keys).prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 48, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key(keys), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Mostly an object (what every endpoint wants), sometimes any value.
fn json_body(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => json_value(keys),
        3 => proptest::collection::btree_map(key(keys), json_value(keys), 0..8)
            .prop_map(|m| Value::Object(m.into_iter().collect())),
    ]
}

#[derive(Debug, Clone, Copy)]
enum Edit {
    /// By any value.
    Replace,
    /// By another of the same type (a number by a number, a string by a string, a boolean
    /// by its opposite), to get past the type checks to the ranges and the lookups.
    Nudge,
    Remove,
    Add,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => Just(Edit::Replace),
        4 => Just(Edit::Nudge),
        2 => Just(Edit::Remove),
        1 => Just(Edit::Add),
    ]
}

fn json_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        (-400.0f64..400.0).prop_map(|n| json!(n)),
        (-3i64..30).prop_map(|n| json!(n)),
        proptest::sample::select(vec![0.5, -0.0, 1e308, -1e308, 5e-324, 10.000001, 8784.0])
            .prop_map(|n| json!(n)),
    ]
}

fn text(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        proptest::sample::select(WORDS).prop_map(str::to_string),
        proptest::sample::select(keys).prop_map(str::to_string),
    ]
}

/// One change to a valid JSON body: a member (at any depth) replaced (by any value, or by
/// one of the same type) or removed, or a member added to the top-level object.
#[derive(Debug, Clone)]
struct Mutation {
    at: Index,
    edit: Edit,
    key: String,
    value: Value,
    number: Value,
    text: String,
}

fn mutation(keys: &'static [&'static str]) -> impl Strategy<Value = Mutation> {
    (
        any::<Index>(),
        edit(),
        key(keys),
        json_value(keys),
        json_number(),
        text(keys),
    )
        .prop_map(|(at, edit, key, value, number, text)| Mutation {
            at,
            edit,
            key,
            value,
            number,
            text,
        })
}

/// JSON pointers of every member and element under `value`.
fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    };
    for (name, child) in children {
        let pointer = format!("{at}/{name}");
        out.push(pointer.clone());
        pointers(child, &pointer, out);
    }
}

impl Mutation {
    fn apply(&self, valid: &Value) -> Value {
        let mut body = valid.clone();
        let mut all = Vec::new();
        pointers(valid, "", &mut all);
        if all.is_empty() {
            return self.value.clone();
        }
        let pointer = &all[self.at.index(all.len())];
        match self.edit {
            Edit::Replace => {
                if let Some(slot) = body.pointer_mut(pointer) {
                    *slot = self.value.clone();
                }
            }
            Edit::Nudge => {
                if let Some(slot) = body.pointer_mut(pointer) {
                    *slot = match slot {
                        Value::Number(_) => self.number.clone(),
                        Value::String(_) => Value::String(self.text.clone()),
                        Value::Bool(b) => Value::Bool(!*b),
                        _ => self.value.clone(),
                    };
                }
            }
            Edit::Remove => {
                let (parent, last) = pointer.rsplit_once('/').expect("a pointer");
                let last = last.replace("~1", "/").replace("~0", "~");
                match body.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.remove(&last);
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(i) = last.parse::<usize>() {
                            items.remove(i);
                        }
                    }
                    _ => {}
                }
            }
            Edit::Add => {
                if let Value::Object(map) = &mut body {
                    map.insert(self.key.clone(), self.value.clone());
                }
            }
        }
        body
    }

    fn body(&self, valid: &Value) -> Vec<u8> {
        to_bytes(&self.apply(valid))
    }
}

/// Form values: text, bytes (percent-encoded), and what the forms expect (or nearly).
fn form_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        ".{0,30}".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..30),
        proptest::sample::select(vec![
            "",
            " ",
            "on",
            "yes",
            "no",
            "rosa",
            "rula",
            "ok",
            "too_low",
            "intermittent",
            "between_shoulder_blades",
            "2026-11-24T09:00",
            "2026-11-24 09:00",
            "2026-11-24T09:00:00Z",
            "2026-03-29T02:30",
            "9999-12-31T23:59",
            "1899-12-31T23:59",
            "262143-12-31T23:59",
            "0",
            "10",
            "11",
            "-1",
            "1e308",
            "NaN",
            "18446744073709551616",
            "desk work, golf",
            ",,,",
            "heat",
            ANA,
            DOCTOR,
            PASSWORD,
            DOCTOR_PASSWORD,
            "00000000-0000-0000-0000-000000000000",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
    ]
}

/// `application/x-www-form-urlencoded`, the bytes percent-encoded but for letters and digits.
fn encode(pairs: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            body.push(b'&');
        }
        percent_encode(k.as_bytes(), &mut body);
        body.push(b'=');
        percent_encode(v, &mut body);
    }
    body
}

fn percent_encode(bytes: &[u8], out: &mut Vec<u8>) {
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() {
            out.push(byte);
        } else {
            out.extend_from_slice(format!("%{byte:02X}").as_bytes());
        }
    }
}

fn form_body(keys: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec((key(keys), form_value()), 0..10).prop_map(|pairs| encode(&pairs))
}

/// One change to a valid form: a value replaced, a pair removed, or a pair added.
#[derive(Debug, Clone)]
struct FormMutation {
    at: Index,
    edit: Edit,
    key: String,
    value: Vec<u8>,
}

fn form_mutation(keys: &'static [&'static str]) -> impl Strategy<Value = FormMutation> {
    (any::<Index>(), edit(), key(keys), form_value()).prop_map(|(at, edit, key, value)| {
        FormMutation {
            at,
            edit,
            key,
            value,
        }
    })
}

impl FormMutation {
    fn body(&self, valid: &[(String, String)]) -> Vec<u8> {
        let mut pairs: Vec<(String, Vec<u8>)> = valid
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().into_bytes()))
            .collect();
        if pairs.is_empty() {
            pairs.push((self.key.clone(), self.value.clone()));
            return encode(&pairs);
        }
        let i = self.at.index(pairs.len());
        match self.edit {
            Edit::Replace | Edit::Nudge => pairs[i].1 = self.value.clone(),
            Edit::Remove => {
                pairs.remove(i);
            }
            Edit::Add => pairs.insert(i, (self.key.clone(), self.value.clone())),
        }
        encode(&pairs)
    }
}

const WORKSTATION_FORM_KEYS: &[&str] = &[
    "method",
    "chair.seat_height",
    "chair.seat_height_flags.not_adjustable",
    "chair.seat_height_flags.insufficient_leg_room",
    "chair.seat_depth",
    "chair.armrests",
    "chair.back_support",
    "chair.hours_per_day",
    "chair.longest_stretch_minutes",
    "monitor.position",
    "monitor.flags.glare",
    "monitor.hours_per_day",
    "telephone.position",
    "mouse.position",
    "keyboard.position",
    "keyboard.longest_stretch_minutes",
    "upper_arm.flexion_deg",
    "upper_arm.shoulder_raised",
    "lower_arm.flexion_deg",
    "wrist.flexion_deg",
    "wrist.twist",
    "arm_static_or_repeated",
    "arm_load.kg",
    "arm_load.pattern",
    "neck.flexion_deg",
    "trunk.flexion_deg",
    "legs_supported",
    "neck_trunk_load.kg",
    "neck_trunk_load.pattern",
    "chair",
    ".",
    "",
];

const WEB_FORM_KEYS: &[&str] = &[
    "email",
    "password",
    "password_again",
    "started_at",
    "location",
    "severity",
    "triggers",
    "assessment",
    "at",
    "improving",
    "home_care",
    "home_care_other",
    "clinician",
    "",
];

/// What a request carries that is not a working session.
fn no_session() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    prop_oneof![
        Just(vec![]),
        Just(vec![("authorization", "Bearer garbage".to_string())]),
        Just(vec![(
            "authorization",
            format!("Bearer {}", "0".repeat(64))
        )]),
        Just(vec![("authorization", "Basic YW5hOnB3".to_string())]),
        Just(vec![(
            "cookie",
            format!("upperback_session={}", "f".repeat(64))
        )]),
        Just(vec![("cookie", "upperback_session=".to_string())]),
    ]
}

/// A request's headers: a content type and these.
fn with<'a>(content_type: &'a str, extra: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    let mut headers = vec![("content-type", content_type)];
    headers.extend(extra.iter().map(|(k, v)| (*k, v.as_str())));
    headers
}

fn bearer() -> Vec<(&'static str, String)> {
    vec![(
        "authorization",
        format!("Bearer {}", shared().fixtures.token),
    )]
}

fn cookie() -> Vec<(&'static str, String)> {
    vec![
        ("cookie", shared().fixtures.cookie.clone()),
        ("accept", "text/html".to_string()),
    ]
}

// ---- the endpoints, by server ----

/// The local server's JSON endpoints (memory store).
fn local_json(rula: Vec<u8>, rosa: Vec<u8>, fhir: Vec<u8>, cds: Vec<u8>) {
    let local = &shared().fixtures.local;
    send(
        local,
        "/api/v1/ergonomics/rula",
        &[("content-type", JSON)],
        rula,
    );
    send(
        local,
        "/api/v1/ergonomics/rosa",
        &[("content-type", JSON)],
        rosa,
    );
    let path = "/fhir/QuestionnaireResponse/$assess";
    send(local, path, &[("content-type", JSON)], fhir.clone());
    send(
        local,
        path,
        &[("content-type", FHIR), ("accept", FHIR)],
        fhir,
    );
    send(
        local,
        "/cds-services/upperback-triage",
        &[("content-type", JSON)],
        cds,
    );
}

/// The diary's JSON endpoints, in local mode or (with a token) multi-user mode.
fn diary_json(
    server: &TestServer,
    episode_id: &str,
    auth: &[(&'static str, String)],
    episode: Vec<u8>,
    check_in: Vec<u8>,
) {
    send(server, "/api/v1/episodes", &with(JSON, auth), episode);
    send(
        server,
        &format!("/api/v1/episodes/{episode_id}/check-ins"),
        &with(JSON, auth),
        check_in,
    );
}

/// The diary's forms, in local mode or (with a cookie) multi-user mode.
fn diary_forms(
    server: &TestServer,
    episode_id: &str,
    auth: &[(&'static str, String)],
    episode: Vec<u8>,
    check_in: Vec<u8>,
) {
    send(server, "/episodes", &with(FORM, auth), episode);
    send(
        server,
        &format!("/episodes/{episode_id}/check-ins"),
        &with(FORM, auth),
        check_in,
    );
}

/// The multi-user server's JSON endpoints that need a session.
fn multi_json(
    auth: &[(&'static str, String)],
    share: Vec<u8>,
    episode: Vec<u8>,
    check_in: Vec<u8>,
) {
    let f = &shared().fixtures;
    send(
        &f.multi,
        &format!("/api/v1/assessments/{}/share", f.assessment),
        &with(JSON, auth),
        share,
    );
    diary_json(&f.multi, &f.episode, auth, episode, check_in);
}

/// The multi-user server's forms that need a session.
fn multi_forms(
    auth: &[(&'static str, String)],
    share: Vec<u8>,
    episode: Vec<u8>,
    check_in: Vec<u8>,
) {
    let f = &shared().fixtures;
    send(
        &f.multi,
        &format!("/result/{}/share", f.assessment),
        &with(FORM, auth),
        share,
    );
    diary_forms(&f.multi, &f.episode, auth, episode, check_in);
}

/// Registering and signing in through the API (no session needed).
fn api_credentials(auth: &[(&'static str, String)], account: Vec<u8>, session: Vec<u8>) {
    let multi = &shared().fixtures.multi;
    send(multi, "/api/v1/accounts", &with(JSON, auth), account);
    send(multi, "/api/v1/sessions", &with(JSON, auth), session);
}

/// Signing in and registering through the forms (no session needed).
fn form_credentials(auth: &[(&'static str, String)], sign_in: Vec<u8>, register: Vec<u8>) {
    let multi = &shared().fixtures.multi;
    send(multi, "/sign-in", &with(FORM, auth), sign_in);
    send(multi, "/register", &with(FORM, auth), register);
}

/// An address no account has yet.
fn fresh_email() -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("new.person.{n}@example.org")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    // ---- local mode, memory store ----

    #[test]
    fn local_random_bytes_never_get_a_5xx(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        local_json(body.clone(), body.clone(), body.clone(), body.clone());
        let local = &shared().fixtures.local;
        send(local, "/workstation", &[("content-type", FORM)], body.clone());
        // No accounts in local mode: 404 (or 400 for what is not JSON).
        send(local, "/api/v1/accounts", &[("content-type", JSON)], body.clone());
        send(local, "/api/v1/sessions", &[("content-type", JSON)], body);
    }

    #[test]
    fn local_random_json_never_gets_a_5xx(
        rula in json_body(RULA_KEYS),
        rosa in json_body(ROSA_KEYS),
        fhir in json_body(FHIR_KEYS),
        cds in json_body(CDS_KEYS),
    ) {
        local_json(to_bytes(&rula), to_bytes(&rosa), to_bytes(&fhir), to_bytes(&cds));
    }

    #[test]
    fn local_near_valid_json_never_gets_a_5xx(
        rula in mutation(RULA_KEYS),
        rosa in mutation(ROSA_KEYS),
        fhir in mutation(FHIR_KEYS),
        which in any::<Index>(),
        cds in mutation(CDS_KEYS),
    ) {
        let responses = questionnaire_responses();
        let requests = cds_requests();
        local_json(
            rula.body(&typist()),
            rosa.body(&poor_rosa()),
            fhir.body(which.get(&responses)),
            cds.body(which.get(requests)),
        );
    }

    #[test]
    fn workstation_forms_never_get_a_5xx(
        random in form_body(WORKSTATION_FORM_KEYS),
        rosa in form_mutation(WORKSTATION_FORM_KEYS),
        rula in form_mutation(WORKSTATION_FORM_KEYS),
    ) {
        let local = &shared().fixtures.local;
        let [rosa_form, rula_form] = workstation_forms();
        for body in [random, rosa.body(&owned(&rosa_form)), rula.body(&owned(&rula_form))] {
            send(local, "/workstation", &[("content-type", FORM), ("accept", "text/html")], body);
        }
    }

    // ---- local mode over SQLite: the diary without accounts ----

    #[test]
    fn diary_random_bodies_never_get_a_5xx(
        bytes in proptest::collection::vec(any::<u8>(), 0..1024),
        episode in json_body(DIARY_KEYS),
        check_in in json_body(DIARY_KEYS),
        form in form_body(WEB_FORM_KEYS),
    ) {
        let f = &shared().fixtures;
        diary_json(&f.diary, &f.diary_episode, &[], bytes.clone(), bytes.clone());
        diary_json(&f.diary, &f.diary_episode, &[], to_bytes(&episode), to_bytes(&check_in));
        diary_forms(&f.diary, &f.diary_episode, &[], bytes.clone(), bytes);
        diary_forms(&f.diary, &f.diary_episode, &[], form.clone(), form);
    }

    #[test]
    fn diary_near_valid_bodies_never_get_a_5xx(
        episode in mutation(DIARY_KEYS),
        check_in in mutation(DIARY_KEYS),
        episode_form_edit in form_mutation(WEB_FORM_KEYS),
        check_in_form_edit in form_mutation(WEB_FORM_KEYS),
    ) {
        let f = &shared().fixtures;
        diary_json(
            &f.diary,
            &f.diary_episode,
            &[],
            episode.body(&episode_body(None)),
            check_in.body(&check_in_body()),
        );
        diary_forms(
            &f.diary,
            &f.diary_episode,
            &[],
            episode_form_edit.body(&episode_form(None)),
            check_in_form_edit.body(&check_in_form()),
        );
    }

    // ---- --multi-user ----

    #[test]
    fn multi_user_random_bytes_never_get_a_5xx(
        body in proptest::collection::vec(any::<u8>(), 0..2048),
        nobody in no_session(),
    ) {
        for (api, web) in [(bearer(), cookie()), (nobody.clone(), nobody)] {
            multi_json(&api, body.clone(), body.clone(), body.clone());
            api_credentials(&api, body.clone(), body.clone());
            multi_forms(&web, body.clone(), body.clone(), body.clone());
            form_credentials(&web, body.clone(), body.clone());
        }
    }

    #[test]
    fn multi_user_random_json_never_gets_a_5xx(
        account in json_body(ACCOUNT_KEYS),
        share in json_body(ACCOUNT_KEYS),
        episode in json_body(DIARY_KEYS),
        check_in in json_body(DIARY_KEYS),
        nobody in no_session(),
    ) {
        let account = to_bytes(&account);
        for auth in [bearer(), nobody] {
            multi_json(&auth, to_bytes(&share), to_bytes(&episode), to_bytes(&check_in));
            api_credentials(&auth, account.clone(), account.clone());
        }
    }

    #[test]
    fn multi_user_near_valid_json_never_gets_a_5xx(
        share in mutation(ACCOUNT_KEYS),
        episode in mutation(DIARY_KEYS),
        check_in in mutation(DIARY_KEYS),
        fhir in mutation(FHIR_KEYS),
        which in any::<Index>(),
        nobody in no_session(),
    ) {
        let f = &shared().fixtures;
        let share = share.body(&json!({"clinician": DOCTOR}));
        let episode = episode.body(&episode_body(Some(&f.assessment)));
        let check_in = check_in.body(&check_in_body());
        for auth in [bearer(), nobody] {
            multi_json(&auth, share.clone(), episode.clone(), check_in.clone());
        }
        // An assessment from FHIR, kept for the signed-in person.
        let fhir = fhir.body(which.get(&questionnaire_responses()));
        send(&f.multi, "/fhir/QuestionnaireResponse/$assess", &with(FHIR, &bearer()), fhir);
    }

    #[test]
    fn multi_user_random_forms_never_get_a_5xx(
        body in form_body(WEB_FORM_KEYS),
        nobody in no_session(),
    ) {
        for auth in [cookie(), nobody] {
            multi_forms(&auth, body.clone(), body.clone(), body.clone());
            form_credentials(&auth, body.clone(), body.clone());
        }
    }

    #[test]
    fn multi_user_near_valid_forms_never_get_a_5xx(
        share in form_mutation(WEB_FORM_KEYS),
        episode in form_mutation(WEB_FORM_KEYS),
        check_in in form_mutation(WEB_FORM_KEYS),
        nobody in no_session(),
    ) {
        let f = &shared().fixtures;
        let share = share.body(&owned(&[("clinician", DOCTOR)]));
        let episode = episode.body(&episode_form(Some(&f.assessment)));
        let check_in = check_in.body(&check_in_form());
        for auth in [cookie(), nobody] {
            multi_forms(&auth, share.clone(), episode.clone(), check_in.clone());
        }
    }

    // The slowest: a valid email and password cost an Argon2 hash (a quarter of a second
    // in a debug build), in about four of five cases.
    #[test]
    fn near_valid_credentials_never_get_a_5xx(
        account in mutation(ACCOUNT_KEYS),
        session in mutation(ACCOUNT_KEYS),
        sign_in in form_mutation(WEB_FORM_KEYS),
        register in form_mutation(WEB_FORM_KEYS),
        new in proptest::bool::ANY,
    ) {
        // A new address for each case and each way in, so that registering can succeed
        // every time (a used address stops at 409, before an account is made).
        let [api_email, form_email] = if new {
            [fresh_email(), fresh_email()]
        } else {
            [ANA.to_string(), ANA.to_string()]
        };
        api_credentials(
            &[],
            account.body(&json!({"email": api_email, "password": PASSWORD})),
            session.body(&json!({"email": ANA, "password": PASSWORD})),
        );
        form_credentials(
            &[],
            sign_in.body(&owned(&[("email", ANA), ("password", PASSWORD)])),
            register.body(&owned(&[
                ("email", form_email.as_str()),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
            ])),
        );
    }
}
