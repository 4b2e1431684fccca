//! FHIR R4, CDS Hooks, ergonomics scoring and the workstation form, on a real server on a
//! random loopback port.

mod common;

use common::{client, get_json, problem, TestServer};
use serde_json::{json, Value};

/// A typist at a desk (RULA input); also an example for `upperback ergo rula --input`.
const TYPIST: &str = include_str!("../../../docs/examples/rula-typist.json");

/// A poor workstation (ROSA input); also an example for `upperback ergo rosa --input`.
const POOR_ROSA: &str = include_str!("../../../docs/examples/rosa-poor-workstation.json");

const FHIR: &str = "application/fhir+json";

fn cds_request(name: &str) -> Value {
    let path = format!(
        "{}/../fhir/tests/data/cds/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect("a sample request")).expect("JSON")
}

fn response_ok() -> Value {
    json!({
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [
            {"linkId": "chest_pain", "answer": [{"valueBoolean": true}]},
        ],
    })
}

#[tokio::test]
async fn questionnaire_response_is_assessed_and_stored() {
    let server = TestServer::start().await;
    let http = client();
    let response = http
        .post(server.url("/fhir/QuestionnaireResponse/$assess"))
        .header("content-type", FHIR)
        .body(response_ok().to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["triage"]["level"], "ambulance");
    let id = body["id"].as_str().unwrap();
    assert_eq!(location, format!("/api/v1/assessments/{id}"));
    // The same as the JSON API with those answers.
    let api: Value = http
        .post(server.url("/api/v1/assessments"))
        .json(&json!({"answers": {"chest_pain": true}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api["triage"], body["triage"]);
    assert_eq!(api["causes"], body["causes"]);
    // Stored.
    let stored = get_json(&http, &server.url(&location)).await;
    assert_eq!(stored["id"], id);

    // In FHIR when asked.
    let response = http
        .post(server.url("/fhir/QuestionnaireResponse/$assess"))
        .header("content-type", FHIR)
        .header("accept", FHIR)
        .body(response_ok().to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], FHIR);
    let bundle: Value = response.json().await.unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
}

#[tokio::test]
async fn questionnaire_response_errors() {
    let server = TestServer::start().await;
    let http = client();
    let bad = json!({
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [{"linkId": "chest_pian", "answer": [{"valueBoolean": true}]}],
    });
    let response = http
        .post(server.url("/fhir/QuestionnaireResponse/$assess"))
        .header("content-type", FHIR)
        .body(bad.to_string())
        .send()
        .await
        .unwrap();
    let body = problem(response, 422).await;
    assert!(
        body["detail"].as_str().unwrap().contains("chest_pian"),
        "{body}"
    );
    assert_eq!(body["field"], "item.chest_pian");

    let response = http
        .post(server.url("/fhir/QuestionnaireResponse/$assess"))
        .header("content-type", FHIR)
        .body("{\"resourceType\": ")
        .send()
        .await
        .unwrap();
    problem(response, 400).await;
}

#[tokio::test]
async fn assessments_in_fhir_when_asked() {
    let server = TestServer::start().await;
    let http = client();
    let response = http
        .post(server.url("/api/v1/assessments"))
        .header("accept", FHIR)
        .json(&json!({"text": "Spasm between my shoulder blades since Monday, no fever.", "answers": {"chest_pain": false}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], FHIR);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let bundle: Value = response.json().await.unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");

    let response = http
        .get(server.url(&location))
        .header("accept", FHIR)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], FHIR);
    let again: Value = response.json().await.unwrap();
    assert_eq!(again, bundle, "the stored assessment gives the same Bundle");

    // Without the Accept: the JSON.
    let response = http.get(server.url(&location)).send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "application/json");
    // Errors stay problems.
    let response = http
        .get(server.url("/api/v1/assessments/00000000-0000-4000-8000-000000000000"))
        .header("accept", FHIR)
        .send()
        .await
        .unwrap();
    problem(response, 404).await;
}

#[tokio::test]
async fn questionnaire_is_served() {
    let server = TestServer::start().await;
    let response = client()
        .get(server.url("/fhir/Questionnaire/upperback-interview"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], FHIR);
    let questionnaire: Value = response.json().await.unwrap();
    assert_eq!(questionnaire["resourceType"], "Questionnaire");
    assert_eq!(questionnaire["id"], "upperback-interview");
    let search = get_json(&client(), &server.url("/fhir/Questionnaire")).await;
    assert_eq!(search["type"], "searchset");
    assert_eq!(search["entry"][0]["resource"], questionnaire);
}

#[tokio::test]
async fn cds_hooks_discovery_and_patient_view() {
    let server = TestServer::start().await;
    let http = client();
    let response = http
        .get(server.url("/cds-services"))
        .header("origin", "https://sandbox.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let discovery: Value = response.json().await.unwrap();
    assert_eq!(discovery["services"][0]["id"], "upperback-triage");
    assert_eq!(discovery["services"][0]["hook"], "patient-view");

    // A preflight from a browser-based sandbox.
    let response = http
        .request(
            reqwest::Method::OPTIONS,
            server.url("/cds-services/upperback-triage"),
        )
        .header("origin", "https://sandbox.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(response.headers()["access-control-allow-origin"], "*");

    // With prefetch: a card that links to the stored result page on this server.
    let response = http
        .post(server.url("/cds-services/upperback-triage"))
        .json(&cds_request("ambulance-chest-pain"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cards: Value = response.json().await.unwrap();
    let card = &cards["cards"][0];
    assert_eq!(card["indicator"], "critical", "{card}");
    let url = card["links"][0]["url"].as_str().unwrap();
    let path = url
        .strip_prefix(&server.base)
        .unwrap_or_else(|| panic!("{url} is not on {}", server.base));
    assert!(path.starts_with("/result/"), "{url}");
    let page = http.get(server.url(path)).send().await.unwrap();
    assert_eq!(page.status(), 200, "{url}");

    // Without prefetch: one info card, nothing stored.
    let response = http
        .post(server.url("/cds-services/upperback-triage"))
        .json(&cds_request("no-prefetch"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cards: Value = response.json().await.unwrap();
    assert_eq!(cards["cards"][0]["indicator"], "info");
    assert!(cards["cards"][0].get("links").is_none());

    // A bad request: 400 with the reason.
    let response = http
        .post(server.url("/cds-services/upperback-triage"))
        .json(&json!({"hook": "order-select", "hookInstance": "x", "context": {"patientId": "p"}}))
        .send()
        .await
        .unwrap();
    let body = problem(response, 400).await;
    assert!(
        body["detail"].as_str().unwrap().contains("order-select"),
        "{body}"
    );
}

#[tokio::test]
async fn ergonomics_scores() {
    let server = TestServer::start().await;
    let http = client();
    let rula: Value = http
        .post(server.url("/api/v1/ergonomics/rula"))
        .header("content-type", "application/json")
        .body(TYPIST)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rula["method"], "RULA");
    assert_eq!(rula["score"], 4);
    assert_eq!(rula["action_level"], 2);
    let rosa: Value = http
        .post(server.url("/api/v1/ergonomics/rosa"))
        .header("content-type", "application/json")
        .body(POOR_ROSA)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rosa["method"], "ROSA");
    assert_eq!(rosa["score"], 5);
    assert_eq!(rosa["action_needed"], true);
    // The same output as the CLI's --json: the scorer's own JSON.
    let input = upperback_ergonomics::parse_rosa(POOR_ROSA).unwrap();
    let expected = serde_json::to_value(upperback_ergonomics::rosa::score(&input)).unwrap();
    assert_eq!(rosa, expected);

    let bad = POOR_ROSA.replace(r#""position": "too_low""#, r#""position": "sideways""#);
    let response = http
        .post(server.url("/api/v1/ergonomics/rosa"))
        .header("content-type", "application/json")
        .body(bad)
        .send()
        .await
        .unwrap();
    let body = problem(response, 422).await;
    assert_eq!(body["field"], "monitor.position");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("monitor.position"),
        "{body}"
    );
    let response = http
        .post(server.url("/api/v1/ergonomics/rula"))
        .header("content-type", "application/json")
        .body(TYPIST.replace("\"flexion_deg\": 25", "\"flexion_deg\": 250"))
        .send()
        .await
        .unwrap();
    let body = problem(response, 422).await;
    assert_eq!(body["field"], "neck.flexion_deg");
    let response = http
        .post(server.url("/api/v1/ergonomics/rula"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    problem(response, 400).await;
}

#[tokio::test]
async fn an_assessment_with_a_poor_workstation() {
    let server = TestServer::start().await;
    let http = client();
    let rosa: Value = serde_json::from_str(POOR_ROSA).unwrap();
    let response = http
        .post(server.url("/api/v1/assessments"))
        .json(&json!({
            "text": "Spasm between my shoulder blades after long days at the computer.",
            "workstation": {"rosa": rosa},
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let finding = body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "poor_workstation")
        .expect("poor_workstation");
    assert_eq!(finding["status"], "present");
    assert_eq!(finding["origin"], "ergonomics");
    assert!(body["care_plan"]["advice"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["source"] == "ROSA"));

    // An explicit answer wins over the workstation.
    let body: Value = http
        .post(server.url("/api/v1/assessments"))
        .json(&json!({"workstation": {"rosa": rosa}, "answers": {"poor_workstation": false, "upper_back_spasm": true}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let finding = body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "poor_workstation")
        .unwrap();
    assert_eq!(finding["status"], "absent");

    // A bad workstation names the field.
    let mut bad = rosa.clone();
    bad["monitor"]["position"] = json!("sideways");
    let response = http
        .post(server.url("/api/v1/assessments"))
        .json(&json!({"text": "spasm", "workstation": {"rosa": bad}}))
        .send()
        .await
        .unwrap();
    let body = problem(response, 422).await;
    assert_eq!(body["field"], "workstation.rosa.monitor.position");
}

#[tokio::test]
async fn the_workstation_form() {
    let server = TestServer::start().await;
    let http = client();
    let home = http.get(server.url("/")).send().await.unwrap();
    assert!(home.text().await.unwrap().contains("href=\"/workstation\""));
    let response = http.get(server.url("/workstation")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    common::assert_security_headers(&response);
    let page = response.text().await.unwrap();
    assert!(page.contains("name=\"chair.seat_height\""));
    assert!(page.contains("name=\"upper_arm.flexion_deg\""));
    assert!(!page.contains("<style"), "no inline style");
    assert!(!page.contains(" style="), "no inline style");
    assert!(!page.contains("<script>"), "no inline script");

    // The poor set-up, through the form.
    let mut form = common::POOR_ROSA_FORM.to_vec();
    let encoded = |form: &[(&str, &str)]| {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish()
    };
    let response = http
        .post(server.url("/workstation"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", common::form_cookie(None))
        .body(common::with_form_token(encoded(&form)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(page.contains("Score 5 out of 10"), "{page}");
    assert!(page.contains("Change needed"), "{page}");
    assert!(page.contains("What would help most"));

    // A missing answer: the form again, naming the question.
    form.retain(|(k, _)| *k != "monitor.position");
    let response = http
        .post(server.url("/workstation"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", common::form_cookie(None))
        .body(common::with_form_token(encoded(&form)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Screen position"), "{page}");

    // The typist's posture through the RULA form.
    let rula = common::TYPIST_RULA_FORM;
    let response = http
        .post(server.url("/workstation"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", common::form_cookie(None))
        .body(common::with_form_token(encoded(&rula)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(page.contains("Score 4 out of 7"), "{page}");
    assert!(page.contains("Action level 2"), "{page}");
}

#[tokio::test]
async fn the_openapi_document_lists_the_new_paths() {
    let server = TestServer::start().await;
    let doc = get_json(&client(), &server.url("/api/v1/openapi.json")).await;
    for path in [
        "/fhir/QuestionnaireResponse/$assess",
        "/fhir/Questionnaire/upperback-interview",
        "/fhir/Questionnaire",
        "/cds-services",
        "/cds-services/upperback-triage",
        "/api/v1/ergonomics/rula",
        "/api/v1/ergonomics/rosa",
        "/workstation",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is not documented");
    }
}

/// Links in cards come from the configured public address, never from a `Host` header a
/// client wrote.
#[tokio::test]
async fn card_links_use_the_public_address() {
    let server = TestServer::with_config(upperback_server::ServerConfig {
        public_url: Some("https://triage.example.org/".into()),
        ..common::unlimited()
    })
    .await;
    let response = client()
        .post(server.url("/cds-services/upperback-triage"))
        .header("host", "evil.example")
        .json(&cds_request("ambulance-chest-pain"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cards: Value = response.json().await.unwrap();
    let url = cards["cards"][0]["links"][0]["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://triage.example.org/result/"),
        "{url}"
    );
}

/// With accounts, the CDS Hooks service answers only its configured client, and stores
/// nothing that no account could read (its card says everything itself).
#[tokio::test]
async fn with_accounts_the_cds_client_must_authenticate() {
    let Some(db) =
        upperback_testkit::database::TestDb::new(upperback_testkit::database::Kind::Sqlite).await
    else {
        return;
    };
    let store = upperback_server::open_store(Some(&db.url)).await.unwrap();
    let multi_user = |cds_token: Option<&str>| upperback_server::ServerConfig {
        multi_user: true,
        cds_token: cds_token.map(str::to_string),
        ..common::unlimited()
    };
    let post = |server: &TestServer, token: Option<&str>| {
        let mut request = client()
            .post(server.url("/cds-services/upperback-triage"))
            .header("host", "evil.example")
            .json(&cds_request("ambulance-chest-pain"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let off = TestServer::with_store(multi_user(None), store.clone()).await;
    problem(post(&off, None).await.unwrap(), 404).await;
    let on = TestServer::with_store(multi_user(Some("the EHR's secret")), store.clone()).await;
    problem(post(&on, None).await.unwrap(), 401).await;
    problem(post(&on, Some("a guess")).await.unwrap(), 401).await;
    let database = store.database().unwrap();
    let stored = || database.assessments(upperback_store::Viewer::Local, 100);
    let before = stored().await.unwrap().len();
    let response = post(&on, Some("the EHR's secret")).await.unwrap();
    assert_eq!(response.status(), 200);
    let cards: Value = response.json().await.unwrap();
    let card = &cards["cards"][0];
    assert_eq!(card["indicator"], "critical", "{card}");
    assert!(
        card.get("links")
            .is_none_or(|l| l.as_array().is_none_or(Vec::is_empty)),
        "{card}"
    );
    assert_eq!(stored().await.unwrap().len(), before, "nothing stored");
}
