//! The JSON API under `/api/v1`, `/healthz` and `/metrics`.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use uuid::Uuid;

use crate::input::{only_fields, AssessmentRequest, JsonObject};
use crate::interviews::{apply, state_json, Reply, Session};
use crate::problem::Problem;
use crate::view::{AssessmentView, InterviewStateView};
use crate::{AppState, Caller};

/// A JSON response.
pub fn json(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A value serialised as a JSON response (500 if it cannot be serialised).
pub(crate) fn json_of<T: serde::Serialize + ?Sized>(
    status: StatusCode,
    value: &T,
) -> Result<Response, Problem> {
    let body = serde_json::to_string(value).map_err(|_| Problem::internal())?;
    Ok(json(status, body))
}

/// The response with a `Location` header (left out if `location` is not a header value).
pub(crate) fn with_location(mut response: Response, location: &str) -> Response {
    if let Ok(location) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// An id from the path; anything that is not a UUID (even invalid UTF-8) is simply not found.
pub(crate) fn path_id(id: &Result<Path<String>, PathRejection>) -> Option<Uuid> {
    id.as_ref()
        .ok()
        .and_then(|Path(id)| Uuid::parse_str(id).ok())
}

pub(crate) fn parse_id(
    id: &Result<Path<String>, PathRejection>,
    what: &str,
) -> Result<Uuid, Problem> {
    path_id(id).ok_or_else(|| Problem::not_found(what))
}

fn nothing_to_assess() -> Problem {
    Problem::field(
        "text",
        "nothing to assess: give \"text\" (your own words) and/or \"answers\"",
    )
}

/// Assess text and/or structured answers.
///
/// The result is the assessment object of the contract, with the `id` it is stored under.
#[utoipa::path(
    post,
    path = "/api/v1/assessments",
    tag = "assessments",
    request_body(content = AssessmentRequest, description = "What the person says and answers; at least one of text, answers, age, sex."),
    responses(
        (status = 200, description = "The assessment, stored", body = AssessmentView,
         headers(("Location" = String, description = "Where the stored assessment can be read again"))),
        (status = 400, description = "Malformed JSON or invalid UTF-8", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong; `field` names it", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_assessment(
    State(state): State<AppState>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> Result<Response, Problem> {
    let request = AssessmentRequest::from_object(&body)?;
    if request.is_empty() {
        return Err(nothing_to_assess());
    }
    let kept = state.assess_and_store(caller.owner(), &request).await?;
    Ok(with_location(
        json(StatusCode::OK, kept.json),
        &format!("/api/v1/assessments/{}", kept.id),
    ))
}

/// A stored assessment.
#[utoipa::path(
    get,
    path = "/api/v1/assessments/{id}",
    tag = "assessments",
    params(("id" = String, Path, description = "The assessment's id")),
    responses(
        (status = 200, description = "The stored assessment", body = AssessmentView),
        (status = 404, description = "No assessment with this id", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_assessment(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Problem> {
    let id = parse_id(&id, "assessment")?;
    match state.store().get_assessment(caller.viewer, id).await {
        Ok(Some(stored)) => Ok(json(
            StatusCode::OK,
            crate::with_id(stored.id, &stored.result_json),
        )),
        Ok(None) => Err(Problem::not_found("assessment")),
        Err(e) => Err(crate::outage::read_failed(&e, "reading an assessment")),
    }
}

/// Start an interview.
///
/// Answers `201` with the first question, or with the result at once when there is nothing
/// to ask (e.g. the answers already settle every red flag and an emergency). What the text
/// said of a red flag is still put to the person: a red flag read as present is read back
/// (`q-confirm-…`), one read as absent is shown in its checklist with the words
/// (`from_text`), and words that may describe one are asked first (`q-possible-…`).
#[utoipa::path(
    post,
    path = "/api/v1/interviews",
    tag = "interviews",
    request_body(content = Option<crate::request_schemas::InterviewStart>, description = "Optional starting point: text, answers, age, sex (all optional); an empty body starts from nothing."),
    responses(
        (status = 201, description = "The interview: `{id, type: question, question, progress}` or `{id, type: result, result, asked}`", body = InterviewStateView,
         headers(("Location" = String, description = "The interview's address"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_interview(
    State(state): State<AppState>,
    caller: Caller,
    crate::layers::ClientAddress(client): crate::layers::ClientAddress,
    crate::input::Body(body): crate::input::Body,
) -> Result<Response, Problem> {
    // An empty body (or JSON `null`) is an interview from nothing.
    let request = if body.iter().all(u8::is_ascii_whitespace) || body.trim_ascii() == b"null" {
        AssessmentRequest::default()
    } else {
        AssessmentRequest::from_object(&crate::input::parse_object(&body)?)?
    };
    let (id, session) = state
        .start_interview(caller.owner(), client, &request)
        .await?;
    let session = session.lock().await;
    Ok(with_location(
        json(StatusCode::CREATED, state_json(id, &session)),
        &format!("/api/v1/interviews/{id}"),
    ))
}

/// The caller's interview named by the path (with its id), or 404.
fn find_interview(
    state: &AppState,
    caller: &Caller,
    id: &Result<Path<String>, PathRejection>,
) -> Result<(Uuid, Arc<tokio::sync::Mutex<Session>>), Problem> {
    let id = parse_id(id, "interview")?;
    let session = state
        .interviews()
        .get(id, caller.owner())
        .ok_or_else(|| Problem::not_found("interview"))?;
    Ok((id, session))
}

/// The interview's current state: the question being asked, or the result.
#[utoipa::path(
    get,
    path = "/api/v1/interviews/{id}",
    tag = "interviews",
    params(("id" = String, Path, description = "The interview's id")),
    responses(
        (status = 200, description = "The current question or the result", body = InterviewStateView),
        (status = 404, description = "No interview with this id (or it expired)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_interview(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Problem> {
    let (id, session) = find_interview(&state, &caller, &id)?;
    let session = session.lock().await;
    Ok(json(StatusCode::OK, state_json(id, &session)))
}

/// Answer the current question.
///
/// Body: `{"question": "<question id>", "answer": <value>}` — `null` is "don't know". An
/// extra of this server: `{"question": "<id>", "back": true}` goes back one question.
#[utoipa::path(
    post,
    path = "/api/v1/interviews/{id}/answers",
    tag = "interviews",
    params(("id" = String, Path, description = "The interview's id")),
    request_body(content = crate::request_schemas::InterviewAnswer, description = "`{\"question\": \"q-…\", \"answer\": true | false | number | \"choice\" | [\"finding ids\"] | null}`; the answer must suit the current question (422 otherwise)"),
    responses(
        (status = 200, description = "The next question, or the result (with the stored assessment's id)", body = InterviewStateView),
        (status = 404, description = "No interview with this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not the current question, or the interview is over", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The answer is not of the question's kind", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn answer_interview(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    JsonObject(body): JsonObject,
) -> Result<Response, Problem> {
    let (id, session) = find_interview(&state, &caller, &id)?;
    only_fields(&body, &["question", "answer", "back"])?;
    let question = match body.get("question") {
        Some(Value::String(q)) => q.clone(),
        Some(other) => {
            return Err(Problem::field(
                "question",
                format!(
                    "must be the id of the current question, not {}",
                    crate::input::type_name(other)
                ),
            ))
        }
        None => {
            return Err(Problem::field(
                "question",
                "is missing: give the id of the question you answer",
            ))
        }
    };
    let reply = match (body.get("back"), body.get("answer")) {
        (Some(Value::Bool(true)), _) => Reply::Back,
        (Some(Value::Bool(false)) | None, Some(answer)) => Reply::Answer(answer.clone()),
        (Some(Value::Bool(false)) | None, None) => {
            return Err(Problem::field(
                "answer",
                "is missing: give the answer (null for \"don't know\")",
            ))
        }
        (Some(other), _) => {
            return Err(Problem::field(
                "back",
                format!(
                    "must be true or false, not {}",
                    crate::input::type_name(other)
                ),
            ))
        }
    };
    let mut session = session.lock().await;
    if reply == Reply::Back {
        // Going back must name the question being shown, so a stale client cannot undo
        // an answer it has not seen.
        let current = session.interview.current().map(|q| q.id.to_string());
        if current.is_some() && current.as_deref() != Some(question.as_str()) {
            return Err(Problem::new(
                crate::problem::Kind::Conflict,
                format!(
                    "question `{question}` is not the current one; the current question is `{}`",
                    current.unwrap_or_default()
                ),
            ));
        }
    }
    apply(&mut session, &question, &reply)?;
    state.finish_if_done(&mut session).await?;
    Ok(json(StatusCode::OK, state_json(id, &session)))
}

/// The knowledge base: version, digest, findings, rules, causes, care and questions.
#[utoipa::path(
    get,
    path = "/api/v1/knowledge-base",
    tag = "knowledge base",
    responses((status = 200, description = "The knowledge base in use", body = Object))
)]
pub async fn knowledge_base(State(state): State<AppState>) -> Response {
    json(StatusCode::OK, state.knowledge_base_json().to_string())
}

/// This OpenAPI document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "OpenAPI 3 description of every endpoint", body = Object))
)]
pub async fn openapi(State(state): State<AppState>) -> Response {
    json(StatusCode::OK, state.openapi_json().to_string())
}

/// Health: `{"status": "ok"}` when the store answers, 503 otherwise.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "meta",
    responses(
        (status = 200, description = "The server and its store answer, and the store can commit a write (probed at most once a second)", body = Object, example = json!({"status": "ok"})),
        (status = 503, description = "The store does not answer, or cannot commit a write (a full disk)", body = Object, example = json!({"status": "unavailable"})),
    )
)]
pub async fn healthz(State(state): State<AppState>) -> Response {
    if state.healthy().await {
        json(StatusCode::OK, r#"{"status":"ok"}"#.to_string())
    } else {
        json(
            StatusCode::SERVICE_UNAVAILABLE,
            r#"{"status":"unavailable"}"#.to_string(),
        )
    }
}

/// Prometheus metrics.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "meta",
    responses(
        (status = 200, description = "Prometheus text format", body = String, content_type = "text/plain; version=0.0.4"),
        (status = 401, description = "A metrics token is configured and the request does not carry it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`--multi-user` without a metrics token: metrics are off", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    if let Err(problem) = state.may_read_metrics(&headers) {
        return problem.into_response();
    }
    state.refresh_gauges();
    let mut response = (StatusCode::OK, state.metrics().render()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// Starts a session from a request; shared by the API and the web page.
pub(crate) fn new_session(
    state: &AppState,
    request: &AssessmentRequest,
) -> Result<Session, Problem> {
    let prepared = crate::input::prepare(state.kb(), request)?;
    let input = request.to_input(prepared.now);
    Ok(Session::new(state.kb(), prepared, input))
}
