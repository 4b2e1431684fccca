//! Acceptance test of `upperback serve --multi-user` over HTTP, on both backends (a SQLite
//! file, and a PostgreSQL database of the test's own): accounts and sessions, the 401s, that
//! one person's assessments, episodes and interviews are "not found" for another, sharing with
//! a clinician and the clinician queue (most urgent first, then oldest first), the diary's
//! follow-up rule and chart, export, erase and signing out.
//!
//! The same scenario runs on each backend; the PostgreSQL run prints a line and passes when no
//! PostgreSQL answers, unless `UPPERBACK_TEST_PG_REQUIRED` is set (see
//! `upperback_testkit::database`).

mod common;

use chrono::{Duration, SecondsFormat, Utc};
use common::{client, problem, unlimited, TestServer, ANA, BEN, DOCTOR, DOCTOR_PASSWORD, PASSWORD};
use reqwest::{Method, Response};
use serde_json::{json, Value};
use upperback_server::ServerConfig;
use upperback_store::{auth, Role};
use upperback_testkit::database::{Kind, TestDb};

const MILD: &str = "mild stiffness between my shoulder blades";
const TEARING: &str = "tearing chest pain spreading to my back";

/// A client of one test server.
struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    fn new(server: &TestServer) -> Api {
        Api {
            http: client(),
            base: server.base.clone(),
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("the server answers")
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Method::GET, path, token, None).await
    }

    async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.send(Method::POST, path, token, Some(body)).await
    }

    async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Method::DELETE, path, token, None).await
    }

    /// A JSON answer with this status.
    async fn expect(&self, response: Response, status: u16) -> Value {
        let url = response.url().clone();
        assert_eq!(response.status().as_u16(), status, "{url}");
        let text = response.text().await.expect("a body");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: not JSON ({e}): {text}"))
    }

    async fn register(&self, email: &str, password: &str) -> Response {
        self.post(
            "/api/v1/accounts",
            None,
            json!({"email": email, "password": password}),
        )
        .await
    }

    async fn sign_in(&self, email: &str, password: &str) -> Response {
        self.post(
            "/api/v1/sessions",
            None,
            json!({"email": email, "password": password}),
        )
        .await
    }

    async fn token(&self, email: &str, password: &str) -> String {
        let body = self.expect(self.sign_in(email, password).await, 200).await;
        let token = body["token"].as_str().expect("a token").to_string();
        assert!(token.len() >= 32, "{token}");
        assert_eq!(body["account"]["email"], email.to_lowercase());
        token
    }

    /// A stored assessment of `text`, made by `token`'s account: its id and its level.
    async fn assess(&self, token: &str, text: &str) -> (String, String) {
        let response = self
            .post("/api/v1/assessments", Some(token), json!({"text": text}))
            .await;
        let body = self.expect(response, 200).await;
        let id = body["id"].as_str().expect("an id").to_string();
        let level = body["triage"]["level"]
            .as_str()
            .expect("a level")
            .to_string();
        (id, level)
    }

    /// Starts an episode; its id.
    async fn episode(&self, token: &str, body: Value) -> String {
        let response = self.post("/api/v1/episodes", Some(token), body).await;
        assert_eq!(response.status(), 201, "{}", response.url());
        let location = response
            .headers()
            .get("location")
            .expect("a Location")
            .to_str()
            .unwrap()
            .to_string();
        let body: Value = response.json().await.unwrap();
        let id = body["id"].as_str().expect("an id").to_string();
        assert_eq!(location, format!("/api/v1/episodes/{id}"));
        assert_eq!(body["check_ins"], json!([]));
        id
    }

    async fn status(&self, method: Method, path: &str, token: Option<&str>) -> u16 {
        self.send(method, path, token, None).await.status().as_u16()
    }
}

/// A time `hours` from now, as RFC 3339.
fn at(hours: i64) -> String {
    (Utc::now() + Duration::hours(hours)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn ids(list: &Value, member: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
        .map(|item| item[member].as_str().expect("an id").to_string())
        .collect()
}

async fn scenario(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = upperback_server::open_store(Some(&db.url))
        .await
        .expect("open the store");
    assert_eq!(store.kind(), kind.name());
    let server = TestServer::with_store(
        ServerConfig {
            multi_user: true,
            ..unlimited()
        },
        store.clone(),
    )
    .await;
    let api = Api::new(&server);

    // ---- Without --multi-user there are no accounts. ----
    {
        let local = TestServer::with_store(unlimited(), store.clone()).await;
        let local = Api::new(&local);
        problem(local.register(ANA, PASSWORD).await, 404).await;
        problem(local.sign_in(ANA, PASSWORD).await, 404).await;
    }

    // ---- Accounts and sessions. ----
    let ana = api.expect(api.register(ANA, PASSWORD).await, 201).await;
    assert_eq!(ana["email"], ANA);
    assert_eq!(ana["role"], "person");
    assert!(ana.get("password_hash").is_none(), "{ana}");
    let ben = api.expect(api.register(BEN, PASSWORD).await, 201).await;
    assert_ne!(ana["id"], ben["id"]);
    let short = problem(api.register("carl@example.org", "elevenchars").await, 422).await;
    assert_eq!(short["field"], "password", "{short}");
    // Long enough but easy to guess (NIST SP 800-63B): refused, saying why.
    for weak in [
        "            ",
        "aaaaaaaaaaaa",
        "password1234",
        "carl@example.org",
    ] {
        let weak = problem(api.register("carl@example.org", weak).await, 422).await;
        assert_eq!(weak["field"], "password", "{weak}");
        assert!(
            weak["detail"]
                .as_str()
                .unwrap()
                .contains("too easy to guess"),
            "{weak}"
        );
    }
    problem(
        api.register("ANA@Example.ORG", "another sturdy passphrase")
            .await,
        409,
    )
    .await;
    problem(api.register("not an email", PASSWORD).await, 422).await;

    let ana_token = api.token(ANA, PASSWORD).await;
    let ben_token = api.token(BEN, PASSWORD).await;
    // The email's case does not matter for signing in either.
    api.token("Ana@Example.org", PASSWORD).await;
    problem(api.sign_in(ANA, "correct horse battery!").await, 401).await;
    problem(api.sign_in("nobody@example.org", PASSWORD).await, 401).await;

    let hash = auth::hash_password(DOCTOR_PASSWORD).expect("a hash");
    store
        .database()
        .expect("a database store")
        .create_account(DOCTOR, &hash, Role::Clinician)
        .await
        .expect("a clinician");
    let doctor = api.token(DOCTOR, DOCTOR_PASSWORD).await;
    let me = api
        .expect(api.get("/api/v1/me", Some(&doctor)).await, 200)
        .await;
    assert_eq!(me["role"], "clinician");

    // ---- A person's first assessment and episode. ----
    let (a1, a1_level) = api.assess(&ana_token, MILD).await;
    assert_eq!(a1_level, "self_care", "{MILD}");
    let a1_path = format!("/api/v1/assessments/{a1}");
    let a1_as_ana = api
        .expect(api.get(&a1_path, Some(&ana_token)).await, 200)
        .await;
    assert_eq!(a1_as_ana["id"], a1.as_str());
    let e1 = api
        .episode(
            &ana_token,
            json!({
                "started_at": at(-2),
                "location": "between_shoulder_blades",
                "severity": 6,
                "triggers": ["desk work"],
                "assessment": a1,
            }),
        )
        .await;
    let e1_path = format!("/api/v1/episodes/{e1}");

    // ---- No session, or a bad one: 401 problems. ----
    let unknown_token = "0".repeat(64);
    for token in [None, Some("garbage"), Some(unknown_token.as_str())] {
        for (method, path, body) in [
            (
                Method::POST,
                "/api/v1/assessments".to_string(),
                Some(json!({"text": MILD})),
            ),
            (Method::GET, a1_path.clone(), None),
            (
                Method::POST,
                "/api/v1/episodes".to_string(),
                Some(json!({"started_at": at(-1)})),
            ),
            (Method::GET, "/api/v1/episodes".to_string(), None),
            (Method::GET, e1_path.clone(), None),
            (Method::GET, "/api/v1/queue".to_string(), None),
            (Method::GET, "/api/v1/me/export".to_string(), None),
            (Method::DELETE, "/api/v1/me".to_string(), None),
        ] {
            let response = api.send(method.clone(), &path, token, body).await;
            let body = problem(response, 401).await;
            assert!(body["detail"].as_str().is_some(), "{method} {path}: {body}");
        }
    }
    // Nothing was erased by those.
    api.expect(api.get(&a1_path, Some(&ana_token)).await, 200)
        .await;

    // ---- Another person gets "not found" for all of it. ----
    problem(api.get(&a1_path, Some(&ben_token)).await, 404).await;
    problem(api.get(&e1_path, Some(&ben_token)).await, 404).await;
    problem(
        api.post(
            &format!("{e1_path}/check-ins"),
            Some(&ben_token),
            json!({"severity": 2, "improving": true}),
        )
        .await,
        404,
    )
    .await;
    problem(
        api.get(&format!("{e1_path}/chart.svg"), Some(&ben_token))
            .await,
        404,
    )
    .await;
    // Nor may an episode of theirs point at it.
    problem(
        api.post(
            "/api/v1/episodes",
            Some(&ben_token),
            json!({"started_at": at(-1), "assessment": a1}),
        )
        .await,
        404,
    )
    .await;
    let b_episode = api
        .episode(&ben_token, json!({"started_at": at(-3), "severity": 4}))
        .await;
    let ben_episodes = api
        .expect(api.get("/api/v1/episodes", Some(&ben_token)).await, 200)
        .await;
    assert_eq!(ids(&ben_episodes, "id"), vec![b_episode.clone()]);
    // A failed check-in of theirs left nothing behind.
    let e1_now = api
        .expect(api.get(&e1_path, Some(&ana_token)).await, 200)
        .await;
    assert_eq!(e1_now["check_ins"], json!([]));

    // ---- Sharing with a clinician, and the queue. ----
    problem(api.get(&a1_path, Some(&doctor)).await, 404).await;
    let queue = api
        .expect(api.get("/api/v1/queue", Some(&doctor)).await, 200)
        .await;
    assert_eq!(queue, json!([]));
    let share = |id: &str| format!("/api/v1/assessments/{id}/share");
    let shared = api
        .post(
            &share(&a1),
            Some(&ana_token),
            json!({"clinician": "Dr.Lee@Clinic.example"}),
        )
        .await;
    assert_eq!(shared.status(), 204);
    // Sharing with a person or with nobody: no clinician has that email (422, `clinician`);
    // another's assessment: not found.
    for nobody in [BEN, "nobody@clinic.example"] {
        let unknown = problem(
            api.post(&share(&a1), Some(&ana_token), json!({"clinician": nobody}))
                .await,
            422,
        )
        .await;
        assert_eq!(unknown["field"], "clinician", "{unknown}");
        assert!(
            unknown["detail"].as_str().unwrap().contains("no clinician"),
            "{unknown}"
        );
    }
    problem(
        api.post(&share(&a1), Some(&ben_token), json!({"clinician": DOCTOR}))
            .await,
        404,
    )
    .await;
    let missing_field = problem(
        api.post(&share(&a1), Some(&ana_token), json!({})).await,
        422,
    )
    .await;
    assert_eq!(missing_field["field"], "clinician");
    // The clinician now reads what Ana reads.
    let a1_as_doctor = api
        .expect(api.get(&a1_path, Some(&doctor)).await, 200)
        .await;
    assert_eq!(a1_as_doctor, a1_as_ana);
    // …but not Ana's episodes, which are never shared.
    problem(api.get(&e1_path, Some(&doctor)).await, 404).await;

    // An urgent one made later, a second person's, and one Ana keeps to herself.
    let (a2, a2_level) = api.assess(&ana_token, TEARING).await;
    assert_eq!(a2_level, "ambulance", "{TEARING}");
    let (b1, b1_level) = api.assess(&ben_token, MILD).await;
    assert_eq!(b1_level, "self_care");
    let (a3, _) = api
        .assess(
            &ana_token,
            "spasm under my left shoulder blade after gardening",
        )
        .await;
    for (id, token) in [(&a2, &ana_token), (&b1, &ben_token)] {
        let response = api
            .post(&share(id), Some(token), json!({"clinician": DOCTOR}))
            .await;
        assert_eq!(response.status(), 204);
    }
    // Sharing twice is not an error, and does not make two queue entries.
    let again = api
        .post(&share(&a1), Some(&ana_token), json!({"clinician": DOCTOR}))
        .await;
    assert_eq!(again.status(), 204);
    let queue = api
        .expect(api.get("/api/v1/queue", Some(&doctor)).await, 200)
        .await;
    // Most urgent first; then oldest first (Ana's a1 was made before Ben's b1).
    assert_eq!(
        ids(&queue, "assessment_id"),
        vec![a2.clone(), a1.clone(), b1.clone()],
        "{queue}"
    );
    assert_eq!(queue[0]["level"], "ambulance");
    assert_eq!(queue[0]["owner_email"], ANA);
    assert_eq!(queue[1]["level"], "self_care");
    assert_eq!(queue[2]["owner_email"], BEN);
    // A person gets "not found" for the queue, never "forbidden".
    problem(api.get("/api/v1/queue", Some(&ana_token)).await, 404).await;
    problem(api.get("/api/v1/queue", Some(&ben_token)).await, 404).await;
    // Unshared assessments stay Ana's alone.
    problem(
        api.get(&format!("/api/v1/assessments/{a3}"), Some(&doctor))
            .await,
        404,
    )
    .await;
    problem(
        api.get(&format!("/api/v1/assessments/{a3}"), Some(&ben_token))
            .await,
        404,
    )
    .await;
    // Ben does not read Ana's shared assessment either.
    problem(
        api.get(&format!("/api/v1/assessments/{a2}"), Some(&ben_token))
            .await,
        404,
    )
    .await;

    // ---- Episodes: check-ins, the follow-up rule, the chart, bad bodies. ----
    let check_in = api
        .post(
            &format!("{e1_path}/check-ins"),
            Some(&ana_token),
            json!({"at": at(-1), "severity": 5, "improving": true, "home_care": ["heat"]}),
        )
        .await;
    let check_in = api.expect(check_in, 201).await;
    assert_eq!(check_in["severity"], 5);
    let e1_now = api
        .expect(api.get(&e1_path, Some(&ana_token)).await, 200)
        .await;
    assert_eq!(e1_now["id"], e1.as_str());
    assert_eq!(e1_now["assessment"], a1.as_str());
    assert_eq!(
        ids(&e1_now["check_ins"], "id"),
        vec![check_in["id"].as_str().unwrap().to_string()]
    );
    let follow_up = &e1_now["follow_up"];
    assert_eq!(follow_up["overdue"], false, "{follow_up}");
    assert_eq!(follow_up["level"], Value::Null, "{follow_up}");
    let started =
        chrono::DateTime::parse_from_rfc3339(e1_now["started_at"].as_str().unwrap()).unwrap();
    let due = chrono::DateTime::parse_from_rfc3339(follow_up["due_at"].as_str().unwrap())
        .expect("due_at is a time");
    assert_eq!(due - started, Duration::hours(72));

    // Four days in, not improving despite home care: overdue, see someone within days.
    let e2 = api
        .episode(&ana_token, json!({"started_at": at(-96), "severity": 7}))
        .await;
    let e2_path = format!("/api/v1/episodes/{e2}");
    let response = api
        .post(
            &format!("{e2_path}/check-ins"),
            Some(&ana_token),
            json!({"at": at(-24), "severity": 7, "improving": false, "home_care": ["heat", "stretches"]}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let e2_now = api
        .expect(api.get(&e2_path, Some(&ana_token)).await, 200)
        .await;
    assert_eq!(e2_now["follow_up"]["overdue"], true, "{e2_now}");
    assert_eq!(e2_now["follow_up"]["level"], "within_days", "{e2_now}");
    assert_eq!(e2_now["check_ins"].as_array().map(Vec::len), Some(1));

    let chart = api
        .get(&format!("{e2_path}/chart.svg"), Some(&ana_token))
        .await;
    assert_eq!(chart.status(), 200);
    let media_type = chart.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(media_type.starts_with("image/svg+xml"), "{media_type}");
    let svg = chart.text().await.unwrap();
    let svg = svg.trim_start();
    assert!(
        svg.starts_with("<svg") || svg.starts_with("<?xml"),
        "{svg:.80}"
    );
    assert!(svg.contains("</svg>"));

    // Ana's list: hers only, newest start first.
    let ana_episodes = api
        .expect(api.get("/api/v1/episodes", Some(&ana_token)).await, 200)
        .await;
    assert_eq!(ids(&ana_episodes, "id"), vec![e1.clone(), e2.clone()]);

    for (path, body, field) in [
        ("/api/v1/episodes".to_string(), json!({}), "started_at"),
        (
            "/api/v1/episodes".to_string(),
            json!({"started_at": "monday"}),
            "started_at",
        ),
        (
            "/api/v1/episodes".to_string(),
            json!({"started_at": at(-1), "severity": 11}),
            "severity",
        ),
        (
            "/api/v1/episodes".to_string(),
            json!({"started_at": at(-1), "triggers": "desk"}),
            "triggers",
        ),
        (
            format!("{e1_path}/check-ins"),
            json!({"severity": 11, "improving": false}),
            "severity",
        ),
        (
            format!("{e1_path}/check-ins"),
            json!({"severity": 3}),
            "improving",
        ),
        (
            format!("{e1_path}/check-ins"),
            json!({"severity": 3, "improving": "yes"}),
            "improving",
        ),
        (
            format!("{e1_path}/check-ins"),
            json!({"at": at(-48), "severity": 3, "improving": true}),
            "at",
        ),
    ] {
        let body = problem(api.post(&path, Some(&ana_token), body).await, 422).await;
        assert_eq!(body["field"], field, "{path}: {body}");
    }

    // ---- Interviews are their starter's. ----
    let interview = api
        .post(
            "/api/v1/interviews",
            Some(&ana_token),
            json!({"text": "spasm between my shoulder blades"}),
        )
        .await;
    let interview = api.expect(interview, 201).await;
    assert_eq!(interview["type"], "question", "{interview}");
    let interview_path = format!("/api/v1/interviews/{}", interview["id"].as_str().unwrap());
    let question = interview["question"]["id"].as_str().unwrap().to_string();
    problem(api.get(&interview_path, Some(&ben_token)).await, 404).await;
    problem(
        api.post(
            &format!("{interview_path}/answers"),
            Some(&ben_token),
            json!({"question": question, "answer": null}),
        )
        .await,
        404,
    )
    .await;
    problem(api.get(&interview_path, None).await, 401).await;
    // Ben's attempt changed nothing: Ana still sees her first question, and may answer it.
    let still = api
        .expect(api.get(&interview_path, Some(&ana_token)).await, 200)
        .await;
    assert_eq!(still["question"]["id"], question.as_str());
    assert_eq!(still["progress"], interview["progress"]);
    let answered = api
        .post(
            &format!("{interview_path}/answers"),
            Some(&ana_token),
            json!({"question": question, "answer": null}),
        )
        .await;
    api.expect(answered, 200).await;

    // ---- Export: all of Ana's, none of Ben's. ----
    let export = api
        .expect(api.get("/api/v1/me/export", Some(&ana_token)).await, 200)
        .await;
    assert_eq!(export["account"]["email"], ANA);
    assert!(export["account"].get("password_hash").is_none());
    let exported = ids(&export["assessments"], "id");
    for id in [&a1, &a2, &a3] {
        assert!(exported.contains(id), "{id} not in Ana's export");
    }
    assert!(!exported.contains(&b1), "Ben's assessment in Ana's export");
    let exported_episodes = ids(&export["episodes"], "id");
    assert!(exported_episodes.contains(&e1) && exported_episodes.contains(&e2));
    assert!(!exported_episodes.contains(&b_episode));
    let exported_shares = ids(&export["shares"], "assessment_id");
    assert!(exported_shares.contains(&a1) && exported_shares.contains(&a2));
    assert!(!exported_shares.contains(&b1));
    let ben_export = api
        .expect(api.get("/api/v1/me/export", Some(&ben_token)).await, 200)
        .await;
    assert_eq!(ids(&ben_export["assessments"], "id"), vec![b1.clone()]);
    assert_eq!(ids(&ben_export["episodes"], "id"), vec![b_episode.clone()]);
    // A clinician's export holds nothing that was shared with them.
    let doctor_export = api
        .expect(api.get("/api/v1/me/export", Some(&doctor)).await, 200)
        .await;
    assert_eq!(doctor_export["assessments"], json!([]), "{doctor_export}");

    // ---- Signing out ends that session only. ----
    let second = api.token(BEN, PASSWORD).await;
    assert_ne!(second, ben_token);
    let out = api.delete("/api/v1/sessions/current", Some(&second)).await;
    assert_eq!(out.status(), 204);
    problem(api.get("/api/v1/me", Some(&second)).await, 401).await;
    problem(
        api.post("/api/v1/assessments", Some(&second), json!({"text": MILD}))
            .await,
        401,
    )
    .await;
    problem(
        api.delete("/api/v1/sessions/current", Some(&second)).await,
        401,
    )
    .await;
    assert_eq!(
        api.status(Method::GET, "/api/v1/me", Some(&ben_token))
            .await,
        200
    );

    // ---- Erase: everything of Ana's goes, for everyone. ----
    let erased = api.delete("/api/v1/me", Some(&ana_token)).await;
    assert_eq!(erased.status(), 204);
    problem(api.get("/api/v1/me", Some(&ana_token)).await, 401).await;
    problem(api.get(&a1_path, Some(&ana_token)).await, 401).await;
    problem(api.sign_in(ANA, PASSWORD).await, 401).await;
    for id in [&a1, &a2, &a3] {
        problem(
            api.get(&format!("/api/v1/assessments/{id}"), Some(&doctor))
                .await,
            404,
        )
        .await;
    }
    let queue = api
        .expect(api.get("/api/v1/queue", Some(&doctor)).await, 200)
        .await;
    assert_eq!(ids(&queue, "assessment_id"), vec![b1.clone()], "{queue}");
    // Ben is untouched.
    api.expect(
        api.get(&format!("/api/v1/assessments/{b1}"), Some(&ben_token))
            .await,
        200,
    )
    .await;
    api.expect(
        api.get(&format!("/api/v1/episodes/{b_episode}"), Some(&ben_token))
            .await,
        200,
    )
    .await;
    let ben_export = api
        .expect(api.get("/api/v1/me/export", Some(&ben_token)).await, 200)
        .await;
    assert_eq!(ids(&ben_export["assessments"], "id"), vec![b1.clone()]);
    // The email is free again: a new account starts empty.
    api.expect(api.register(ANA, PASSWORD).await, 201).await;
    let new_ana = api.token(ANA, PASSWORD).await;
    problem(api.get(&a1_path, Some(&new_ana)).await, 404).await;
    let empty = api
        .expect(api.get("/api/v1/episodes", Some(&new_ana)).await, 200)
        .await;
    assert_eq!(empty, json!([]));

    drop(server);
    store.close().await;
    drop(db);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_are_isolated_over_http_on_sqlite() {
    scenario(Kind::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_are_isolated_over_http_on_postgres() {
    scenario(Kind::Postgres).await;
}

/// `--multi-user` with the tests' unlimited rate.
fn with_accounts() -> ServerConfig {
    ServerConfig {
        multi_user: true,
        ..unlimited()
    }
}

/// A server of the test's own, with `config`, over a fresh database of `kind` (`None` when
/// PostgreSQL is not there and not required).
async fn site(kind: Kind, config: ServerConfig) -> Option<(TestDb, TestServer)> {
    let db = TestDb::new(kind).await?;
    let store = upperback_server::open_store(Some(&db.url)).await.unwrap();
    let server = TestServer::with_store(config, store).await;
    Some((db, server))
}

/// One account starting far more interviews than the server keeps at once (2,000) replaces
/// only its own: another person's interview in progress goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_account_cannot_push_out_anothers_interview() {
    let Some((_db, server)) = site(Kind::Sqlite, with_accounts()).await else {
        return;
    };
    let api = Api::new(&server);
    api.expect(api.register(ANA, PASSWORD).await, 201).await;
    api.expect(api.register(BEN, PASSWORD).await, 201).await;
    let ana = api.token(ANA, PASSWORD).await;
    let ben = api.token(BEN, PASSWORD).await;
    let started = api
        .expect(
            api.post("/api/v1/interviews", Some(&ana), json!({})).await,
            201,
        )
        .await;
    let path = format!("/api/v1/interviews/{}", started["id"].as_str().unwrap());
    let mut bens = Vec::new();
    for _ in 0..2_100 {
        let response = api.post("/api/v1/interviews", Some(&ben), json!({})).await;
        bens.push(
            api.expect(response, 201).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    api.expect(api.get(&path, Some(&ana)).await, 200).await;
    // Ben's newest go on; his oldest made room for them.
    let newest = format!("/api/v1/interviews/{}", bens[2_099]);
    api.expect(api.get(&newest, Some(&ben)).await, 200).await;
    let oldest = format!("/api/v1/interviews/{}", bens[0]);
    problem(api.get(&oldest, Some(&ben)).await, 404).await;
}

/// With accounts, `/metrics` is the operator's: off without a token, 401 without the right
/// one.
#[tokio::test]
async fn metrics_need_the_operators_token_with_accounts() {
    let Some((_db, off)) = site(Kind::Sqlite, with_accounts()).await else {
        return;
    };
    let api = Api::new(&off);
    problem(api.get("/metrics", None).await, 404).await;
    let on = ServerConfig {
        metrics_token: Some("a long operator secret".into()),
        ..with_accounts()
    };
    let Some((_db, on)) = site(Kind::Sqlite, on).await else {
        return;
    };
    let api = Api::new(&on);
    problem(api.get("/metrics", None).await, 401).await;
    problem(api.get("/metrics", Some("a guess")).await, 401).await;
    let response = api.get("/metrics", Some("a long operator secret")).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("upperback_"));
}

/// PostgreSQL refusing connections is an outage: requests that need it are answered 503
/// problem+json with `Retry-After` within a second or two (not a 408 after ten), `/healthz`
/// says so, and everything works again once the database is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_is_a_quick_503_with_retry_after() {
    let Some((db, server)) = site(Kind::Postgres, unlimited()).await else {
        return;
    };
    let api = Api::new(&server);
    let assess = || api.post("/api/v1/assessments", None, json!({"text": MILD}));
    api.expect(assess().await, 200).await;
    db.refuse_connections(true).await;
    for _ in 0..3 {
        let started = std::time::Instant::now();
        let response = assess().await;
        let waited = started.elapsed();
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers()["retry-after"], "5");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        assert!(waited < std::time::Duration::from_secs(4), "{waited:?}");
    }
    assert_eq!(api.get("/healthz", None).await.status(), 503);
    db.refuse_connections(false).await;
    let mut back = false;
    for _ in 0..20 {
        if assess().await.status() == 200 {
            back = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(back, "assessments are kept again once the database is back");
    // `/healthz` keeps its last probe for a second.
    let mut healthy = false;
    for _ in 0..12 {
        if api.get("/healthz", None).await.status() == 200 {
            healthy = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(healthy, "/healthz says so again");
}

/// A password guesser: after a few wrong passwords the account's sign-ins wait (429 with
/// `Retry-After`), even with the right password; another account is not held up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_make_sign_ins_wait() {
    let Some((_db, server)) = site(Kind::Sqlite, with_accounts()).await else {
        return;
    };
    let api = Api::new(&server);
    api.expect(api.register(ANA, PASSWORD).await, 201).await;
    api.expect(api.register(BEN, PASSWORD).await, 201).await;
    for _ in 0..5 {
        problem(api.sign_in(ANA, "not her password at all").await, 401).await;
    }
    for password in ["still not her password", PASSWORD] {
        let response = api.sign_in(ANA, password).await;
        let wait: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=30).contains(&wait), "{wait}");
        problem(response, 429).await;
    }
    api.token(BEN, PASSWORD).await;
}

/// A database that answers but cannot commit (read-only, as on a full disk) is not healthy:
/// `/healthz` says 503 in its documented form, so a load balancer takes the replica out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_fails_when_the_store_cannot_commit() {
    let Some((db, server)) = site(Kind::Postgres, unlimited()).await else {
        return;
    };
    let api = Api::new(&server);
    api.expect(api.get("/healthz", None).await, 200).await;
    db.read_only(true).await;
    // The last answer is kept for a second.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let body = api.expect(api.get("/healthz", None).await, 503).await;
    assert_eq!(body, json!({"status": "unavailable"}));
    db.read_only(false).await;
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    api.expect(api.get("/healthz", None).await, 200).await;
}

/// A row that no longer reads back (a damaged file) is a 500 for its own address, logged with
/// its id; the export still holds everything else, and names what it could not read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_row_never_withholds_the_rest_of_an_export() {
    let Some((db, server)) = site(Kind::Sqlite, with_accounts()).await else {
        return;
    };
    let api = Api::new(&server);
    api.expect(api.register(ANA, PASSWORD).await, 201).await;
    let ana = api.token(ANA, PASSWORD).await;
    let (damaged, _) = api.assess(&ana, MILD).await;
    let (kept, _) = api.assess(&ana, TEARING).await;
    db.tamper(
        "UPDATE assessments SET input = 'not json', result = 'not json', \
         result_zstd = NULL, result_dictionary = NULL WHERE id = ?1",
        &damaged,
    )
    .await;
    let response = api
        .get(&format!("/api/v1/assessments/{damaged}"), Some(&ana))
        .await;
    problem(response, 500).await;
    api.expect(
        api.get(&format!("/api/v1/assessments/{kept}"), Some(&ana))
            .await,
        200,
    )
    .await;
    let export = api
        .expect(api.get("/api/v1/me/export", Some(&ana)).await, 200)
        .await;
    let ids: Vec<&str> = export["assessments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [kept.as_str()]);
    assert_eq!(export["unreadable"][0]["kind"], "assessment", "{export}");
    assert_eq!(export["unreadable"][0]["id"], damaged.as_str(), "{export}");
}
