//! FHIR R4 and CDS Hooks for clinics:
//!
//! - `GET /fhir/Questionnaire/upperback-interview` (and `GET /fhir/Questionnaire`, a
//!   searchset Bundle of the one Questionnaire): the interview as an R4 Questionnaire;
//! - `POST /fhir/QuestionnaireResponse/$assess`: a QuestionnaireResponse → the assessment,
//!   stored like `POST /api/v1/assessments`; a Bundle when `Accept` asks for FHIR;
//! - `Accept: application/fhir+json` on `POST /api/v1/assessments` and
//!   `GET /api/v1/assessments/{id}`: the result as an R4 Bundle ([`fhir_when_asked`]);
//! - `GET /cds-services` and `POST /cds-services/upperback-triage`: CDS Hooks 2.0, the
//!   `patient-view` hook; the card links to the stored result page on this server.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use upperback_core::{
    assess, Evidence, FindingKind, KnowledgeBase, Observation, Origin, ToolAdvice,
};

use crate::api::{json, with_location};
use crate::input::{self, AssessmentRequest, Body};
use crate::problem::{Kind, Problem};
use crate::AppState;

/// The FHIR JSON media type.
pub const FHIR_JSON: &str = "application/fhir+json";

/// Whether the request's `Accept` asks for FHIR JSON.
pub fn wants_fhir(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let media = item.split(';').next().unwrap_or("").trim();
            media.eq_ignore_ascii_case(FHIR_JSON)
        })
}

/// A FHIR JSON response.
pub fn fhir(status: StatusCode, value: &Value) -> Response {
    let mut response = (
        status,
        serde_json::to_string(value).unwrap_or_else(|_| "{}".into()),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(FHIR_JSON));
    response
}

/// Known findings as the JSON API's `answers` (finding id → true/false, number or choice).
pub fn evidence_to_answers(kb: &KnowledgeBase, evidence: &Evidence) -> Map<String, Value> {
    let mut answers = Map::new();
    for (id, observation) in evidence.known() {
        let finding = kb.finding(id);
        let value = match (&observation.value, &finding.kind) {
            (upperback_core::Value::Present, _) => Value::Bool(true),
            (upperback_core::Value::Absent, _) => Value::Bool(false),
            (upperback_core::Value::Number(n), _) => match serde_json::Number::from_f64(*n) {
                Some(n) => Value::Number(n),
                None => continue,
            },
            (upperback_core::Value::Choice(c), FindingKind::Choice { choices }) => {
                match choices.get(*c as usize) {
                    Some(choice) => Value::String(choice.clone()),
                    None => continue,
                }
            }
            _ => continue,
        };
        answers.insert(finding.id.clone(), value);
    }
    answers
}

/// Answers read from a FHIR document, as the request the JSON API would take, read now.
fn answers_now(answers: Map<String, Value>) -> AssessmentRequest {
    AssessmentRequest {
        answers: Some(answers),
        now: Some(chrono::Local::now().fixed_offset()),
        ..AssessmentRequest::default()
    }
}

/// Assesses evidence read from a FHIR document as the JSON API assesses the same answers,
/// stores it, and gives the stored id with the evidence the stored result came from.
async fn assess_answers(
    state: &AppState,
    owner: Option<upperback_store::AccountId>,
    answers: Map<String, Value>,
) -> Result<(uuid::Uuid, String, Evidence), Problem> {
    let request = answers_now(answers);
    let kept = state.assess_and_store(owner, &request).await?;
    // Deterministic: the same request (with its `now`) gives the same evidence again.
    let prepared = input::prepare(state.kb(), &request)?;
    Ok((kept.id, kept.json, prepared.evidence))
}

fn fhir_problem(error: &upperback_fhir::FhirError) -> Problem {
    use upperback_fhir::FhirError as E;
    let link_id = match error {
        E::UnknownLinkId { link_id, .. }
        | E::DuplicateAnswer { link_id }
        | E::TooManyAnswers { link_id, .. }
        | E::AnsweredGroup { link_id }
        | E::WrongAnswerType { link_id, .. }
        | E::InvalidAnswer { link_id, .. } => Some(format!("item.{link_id}")),
        E::Malformed { field, .. } => Some(field.clone()),
        _ => None,
    };
    Problem {
        field: link_id,
        ..Problem::new(Kind::InvalidField, error.to_string())
    }
}

/// Assess a FHIR R4 QuestionnaireResponse.
///
/// The response answers the Questionnaire `upperback-interview`; its answers are assessed
/// like the same `answers` sent to `POST /api/v1/assessments`, and the result is stored.
/// With `Accept: application/fhir+json` the answer is an R4 Bundle (Observations, a
/// RiskAssessment and a CarePlan), else the assessment JSON.
#[utoipa::path(
    post,
    path = "/fhir/QuestionnaireResponse/$assess",
    tag = "fhir",
    request_body(content = Object, description = "An R4 QuestionnaireResponse (application/fhir+json or application/json)", content_type = "application/fhir+json"),
    responses(
        (status = 200, description = "The assessment (JSON), or an R4 Bundle of type collection when Accept asks for application/fhir+json", body = Object,
         headers(("Location" = String, description = "Where the stored assessment can be read again"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a usable QuestionnaireResponse; the detail (and `field`) name the item's linkId", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn assess_questionnaire_response(
    State(state): State<AppState>,
    caller: crate::Caller,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Response, Problem> {
    let object = input::parse_object(&body)?;
    let value = Value::Object(object);
    let evidence = upperback_fhir::evidence_from_questionnaire_response(state.kb(), &value)
        .map_err(|e| fhir_problem(&e))?;
    let answers = evidence_to_answers(state.kb(), &evidence);
    if answers.is_empty() {
        return Err(Problem::field(
            "item",
            "the QuestionnaireResponse answers no question; nothing to assess",
        ));
    }
    let (id, result_json, evidence) = assess_answers(&state, caller.owner(), answers).await?;
    let response = if wants_fhir(&headers) {
        let assessment = assess(state.kb(), &evidence);
        fhir(
            StatusCode::OK,
            &upperback_fhir::bundle(state.kb(), &assessment, &id.to_string()),
        )
    } else {
        json(StatusCode::OK, result_json)
    };
    Ok(with_location(
        response,
        &format!("/api/v1/assessments/{id}"),
    ))
}

/// The interview as an R4 Questionnaire.
#[utoipa::path(
    get,
    path = "/fhir/Questionnaire/upperback-interview",
    tag = "fhir",
    responses((status = 200, description = "The R4 Questionnaire `upperback-interview`", body = Object, content_type = "application/fhir+json"))
)]
pub async fn questionnaire(State(state): State<AppState>) -> Response {
    fhir(StatusCode::OK, &upperback_fhir::questionnaire(state.kb()))
}

/// Every Questionnaire of this server (one): a searchset Bundle.
#[utoipa::path(
    get,
    path = "/fhir/Questionnaire",
    tag = "fhir",
    responses((status = 200, description = "A Bundle of type searchset holding the Questionnaire `upperback-interview`", body = Object, content_type = "application/fhir+json"))
)]
pub async fn questionnaires(State(state): State<AppState>) -> Response {
    let questionnaire = upperback_fhir::questionnaire(state.kb());
    fhir(
        StatusCode::OK,
        &serde_json::json!({
            "resourceType": "Bundle",
            "type": "searchset",
            "total": 1,
            "entry": [{
                "fullUrl": upperback_fhir::Codes::embedded().questionnaire_url(),
                "resource": questionnaire,
                "search": {"mode": "match"},
            }],
        }),
    )
}

/// The CDS Hooks discovery document.
#[utoipa::path(
    get,
    path = "/cds-services",
    tag = "cds hooks",
    responses((status = 200, description = "`{services: [{hook: patient-view, id: upperback-triage, prefetch, …}]}`", body = Object))
)]
pub async fn cds_discovery() -> Response {
    json(
        StatusCode::OK,
        serde_json::to_string(&upperback_fhir::cds_discovery()).unwrap_or_default(),
    )
}

/// This server's address for links in cards: the configured public address; else, in local
/// mode (loopback only), the address the client reached it at; with accounts and no public
/// address, none (a `Host` header is the client's to write).
fn base_url(state: &AppState, headers: &HeaderMap) -> Option<String> {
    if let Some(public) = state.public_url() {
        return Some(public.to_string());
    }
    if state.multi_user() {
        return None;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    Some(format!("http://{host}"))
}

/// The CDS Hooks `patient-view` service: triage from the patient's record.
///
/// Reads the prefetch (Patient, Observations, Conditions), assesses, stores the result and
/// answers one card whose indicator follows the triage level and which links to the stored
/// result page (`/result/{id}`). A record with no relevant finding gets one info card.
#[utoipa::path(
    post,
    path = "/cds-services/upperback-triage",
    tag = "cds hooks",
    request_body(content = crate::request_schemas::CdsPatientViewRequest, description = "A CDS Hooks 2.0 patient-view request: hook, hookInstance, context.patientId, prefetch"),
    responses(
        (status = 200, description = "`{cards: [...]}`", body = Object),
        (status = 400, description = "Not a valid patient-view request (or malformed JSON); the detail says why", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A CDS client token is configured (UPPERBACK_CDS_TOKEN) and the request does not carry it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`--multi-user` without a CDS client token: the service is off", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn cds_patient_view(
    State(state): State<AppState>,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Response, Problem> {
    state.may_call_cds(&headers)?;
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| Problem::malformed(format!("the body is not valid JSON: {e}")))?;
    let kb = state.kb();
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let request = upperback_fhir::parse_cds_request(kb, &value, Some(&today))
        .map_err(|e| Problem::new(Kind::BadRequest, e.to_string()))?;
    let cards = if request.has_clinical_findings(kb) {
        let answers = evidence_to_answers(kb, &request.evidence);
        if state.multi_user() {
            // The EHR's client is no person's account: nothing is stored that no account
            // could read back; the card says everything itself.
            let evidence = input::prepare(kb, &answers_now(answers))?.evidence;
            let assessment = assess(kb, &evidence);
            upperback_fhir::cds_cards(kb, &request, Some(&assessment), None)
        } else {
            let (id, _, evidence) = assess_answers(&state, None, answers).await?;
            let assessment = assess(kb, &evidence);
            let url = base_url(&state, &headers).map(|base| format!("{base}/result/{id}"));
            upperback_fhir::cds_cards(kb, &request, Some(&assessment), url.as_deref())
        }
    } else {
        upperback_fhir::cds_cards(kb, &request, None, None)
    };
    Ok(json(
        StatusCode::OK,
        serde_json::to_string(&cards).unwrap_or_default(),
    ))
}

/// CORS for the CDS Hooks services: any origin, as browser-based EHR sandboxes need.
pub fn cds_cors() -> tower_http::cors::CorsLayer {
    use axum::http::Method;
    tower_http::cors::CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers(tower_http::cors::Any)
}

/// The evidence behind a stored result, read back from its `findings` (values, origins,
/// notes) and the workstation advice of its care plan: assessing it gives the stored result.
pub fn evidence_from_result(kb: &KnowledgeBase, result: &Value) -> Option<Evidence> {
    let mut evidence = Evidence::new(kb);
    for report in result.get("findings")?.as_array()? {
        let id = report.get("id")?.as_str()?;
        let finding = kb.finding_id(id)?;
        let answer = match report.get("status").and_then(Value::as_str) {
            Some("present") if report["value"].is_null() => Value::Bool(true),
            Some("absent") if report["value"].is_null() => Value::Bool(false),
            _ => report.get("value")?.clone(),
        };
        let (_, value) = kb.parse_answer(id, &answer).ok()??;
        let origin = match report.get("origin").and_then(Value::as_str) {
            Some("text") => Origin::Text,
            Some("ergonomics") => Origin::Ergonomics,
            _ => Origin::Answer,
        };
        let mut observation = Observation::answer(value);
        observation.origin = origin;
        observation.note = report
            .get("note")
            .and_then(Value::as_str)
            .map(str::to_string);
        evidence.set(finding, observation);
    }
    let mut seen = std::collections::HashSet::new();
    let advice = result
        .pointer("/care_plan/advice")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for item in advice {
        let source = item.get("source").and_then(Value::as_str).unwrap_or("");
        if !matches!(source, "ROSA" | "RULA") {
            continue;
        }
        let (Some(id), Some(text), Some(finding)) = (
            item.get("id").and_then(Value::as_str),
            item.get("text").and_then(Value::as_str),
            kb.finding_id(upperback_ergonomics::evidence::FINDING),
        ) else {
            continue;
        };
        if seen.insert(id.to_string()) {
            evidence.add_advice(ToolAdvice {
                finding,
                id: id.to_string(),
                text: text.to_string(),
                source: source.to_string(),
            });
        }
    }
    Some(evidence)
}

/// `Accept: application/fhir+json` on `POST /api/v1/assessments` and
/// `GET /api/v1/assessments/{id}`: the handler's JSON result becomes an R4 Bundle (errors
/// stay problem details).
pub async fn fhir_when_asked(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !wants_fhir(request.headers()) {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Problem::internal().into_response();
    };
    let Ok(result) = serde_json::from_slice::<Value>(&bytes) else {
        return Problem::internal().into_response();
    };
    let kb = state.kb();
    let Some(evidence) = evidence_from_result(kb, &result) else {
        return Problem::new(
            Kind::BadRequest,
            "this stored assessment cannot be given as FHIR; ask for application/json",
        )
        .into_response();
    };
    let id = result
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("upperback")
        .to_string();
    let assessment = assess(kb, &evidence);
    let mut out = fhir(
        StatusCode::OK,
        &upperback_fhir::bundle(kb, &assessment, &id),
    );
    if let Some(location) = parts.headers.get(header::LOCATION) {
        out.headers_mut().insert(header::LOCATION, location.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_is_read_by_media_type() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/json;q=0.5, application/fhir+json"),
        );
        assert!(wants_fhir(&headers));
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        assert!(!wants_fhir(&headers));
    }

    #[test]
    fn a_result_reads_back_to_the_same_assessment() {
        let kb = KnowledgeBase::embedded();
        let reader = upperback_nlu::Reader::embedded();
        let reading = reader
            .read(
                kb,
                "Spasm between my shoulder blades since yesterday after a long day at the desk, no fever, age 40",
                None,
            )
            .unwrap();
        let original = assess(kb, &reading.evidence);
        let json: Value = serde_json::from_str(&original.to_json()).unwrap();
        let evidence = evidence_from_result(kb, &json).unwrap();
        let again = assess(kb, &evidence);
        assert_eq!(again.triage, original.triage);
        assert_eq!(again.causes, original.causes);
        assert_eq!(again.care_plan, original.care_plan);
    }
}
