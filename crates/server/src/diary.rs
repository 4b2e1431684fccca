//! The diary over HTTP: episodes, check-ins, the follow-up rule (the knowledge base's hours,
//! 72 in care.toml) and the severity
//! chart (`../shared/contracts/http.md`, "Episodes"). The CLI's `upperback diary` works on
//! the same store.
//!
//! An episode is answered as its own members plus `check_ins` (oldest first) and
//! `follow_up` (`{due_at, overdue, level}` at the time of the request).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use upperback_store::{
    AssessmentId, EpisodeDetail, EpisodeId, FollowUpRule, NewCheckIn, NewEpisode,
};

use crate::accounts::store_problem;
use crate::api::{json, json_of, parse_id, with_location};
use crate::auth::Caller;
use crate::input::{only_fields, type_name, JsonObject};
use crate::problem::Problem;
use crate::AppState;

fn time_field(body: &Map<String, Value>, name: &str) -> Result<Option<DateTime<Utc>>, Problem> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => DateTime::parse_from_rfc3339(s.trim())
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| {
                Problem::field(
                    name,
                    format!("`{s}` is not a date and time such as 2026-11-24T08:30:00Z"),
                )
            }),
        Some(other) => Err(Problem::field(
            name,
            format!(
                "must be a date and time (RFC 3339) as a string, not {}",
                type_name(other)
            ),
        )),
    }
}

fn severity_field(body: &Map<String, Value>, name: &str) -> Result<Option<u8>, Problem> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        // A whole number, however it is written (`7` or `7.0`).
        Some(Value::Number(n)) => match n.as_f64() {
            Some(s) if s.fract() == 0.0 && (0.0..=10.0).contains(&s) => Ok(Some(s as u8)),
            _ => Err(Problem::field(
                name,
                format!("must be a whole number from 0 to 10, not {n}"),
            )),
        },
        Some(other) => Err(Problem::field(
            name,
            format!(
                "must be a whole number from 0 to 10, not {}",
                type_name(other)
            ),
        )),
    }
}

fn text_list(body: &Map<String, Value>, name: &str) -> Result<Vec<String>, Problem> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s.trim().to_string()),
                other => Err(Problem::field(
                    format!("{name}[{i}]"),
                    format!("must be a string, not {}", type_name(other)),
                )),
            })
            .filter(|item| !matches!(item, Ok(s) if s.is_empty()))
            .collect(),
        Some(other) => Err(Problem::field(
            name,
            format!("must be an array of strings, not {}", type_name(other)),
        )),
    }
}

/// A new episode from a request body (shared with the web page's form).
pub fn new_episode(body: &Map<String, Value>) -> Result<NewEpisode, Problem> {
    only_fields(
        body,
        &[
            "started_at",
            "location",
            "severity",
            "triggers",
            "assessment",
        ],
    )?;
    let started_at = time_field(body, "started_at")?
        .ok_or_else(|| Problem::field("started_at", "is missing: when did it start?"))?;
    let location = match body.get("location") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(other) => {
            return Err(Problem::field(
                "location",
                format!("must be a string, not {}", type_name(other)),
            ))
        }
    };
    let assessment =
        match body.get("assessment") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.parse::<AssessmentId>().map_err(|_| {
                Problem::field("assessment", format!("`{s}` is not an assessment id"))
            })?),
            Some(other) => {
                return Err(Problem::field(
                    "assessment",
                    format!("must be an assessment id, not {}", type_name(other)),
                ))
            }
        };
    Ok(NewEpisode {
        started_at,
        location,
        severity: severity_field(body, "severity")?,
        triggers: text_list(body, "triggers")?,
        assessment,
    })
}

/// A new check-in from a request body (shared with the web page's form).
pub fn new_check_in(body: &Map<String, Value>) -> Result<NewCheckIn, Problem> {
    only_fields(body, &["at", "severity", "improving", "home_care"])?;
    let at = time_field(body, "at")?.unwrap_or_else(upperback_store::now_micros);
    let severity = severity_field(body, "severity")?
        .ok_or_else(|| Problem::field("severity", "is missing: how bad is it now, 0 to 10?"))?;
    let improving = match body.get("improving") {
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(Problem::field(
                "improving",
                format!("must be true or false, not {}", type_name(other)),
            ))
        }
        None => {
            return Err(Problem::field(
                "improving",
                "is missing: is it getting better?",
            ))
        }
    };
    Ok(NewCheckIn {
        at,
        severity,
        improving,
        home_care: text_list(body, "home_care")?,
    })
}

/// An episode with its check-ins and its follow-up under `rule` at `now`, as one JSON object.
pub fn episode_json(detail: &EpisodeDetail, rule: FollowUpRule, now: DateTime<Utc>) -> Value {
    let mut value = serde_json::to_value(&detail.episode).unwrap_or(Value::Null);
    if let Some(object) = value.as_object_mut() {
        object.insert(
            "check_ins".into(),
            serde_json::to_value(&detail.check_ins).unwrap_or(Value::Null),
        );
        object.insert(
            "follow_up".into(),
            serde_json::to_value(detail.follow_up(rule, now)).unwrap_or(Value::Null),
        );
    }
    value
}

fn episode_id(id: &Result<Path<String>, PathRejection>) -> Result<EpisodeId, Problem> {
    parse_id(id, "episode").map(EpisodeId)
}

/// The caller's episode, or 404.
pub async fn load_episode(
    state: &AppState,
    caller: &Caller,
    id: EpisodeId,
) -> Result<EpisodeDetail, Problem> {
    state
        .database()?
        .episode(caller.viewer, id)
        .await
        .map_err(|e| store_problem(e, "episode"))?
        .ok_or_else(|| Problem::not_found("episode"))
}

/// Starts an episode in the diary.
#[utoipa::path(
    post,
    path = "/api/v1/episodes",
    tag = "diary",
    request_body(content = crate::request_schemas::NewEpisodeRequest, description = "When the episode started, and optionally where, how bad, its triggers and a linked assessment"),
    responses(
        (status = 201, description = "The episode, with `check_ins` and `follow_up`", body = Object,
         headers(("Location" = String, description = "The episode's address"))),
        (status = 401, description = "No working session (--multi-user)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`assessment` is not one of the caller's", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong; `field` names it", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_episode(
    State(state): State<AppState>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> Result<Response, Problem> {
    let new = new_episode(&body)?;
    let rule = state.follow_up_rule();
    let episode = state
        .database()?
        .create_episode(caller.owner(), new)
        .await
        .map_err(|e| store_problem(e, "assessment"))?;
    let detail = EpisodeDetail {
        episode,
        check_ins: Vec::new(),
    };
    Ok(with_location(
        json(
            StatusCode::CREATED,
            episode_json(&detail, rule, Utc::now()).to_string(),
        ),
        &format!("/api/v1/episodes/{}", detail.episode.id),
    ))
}

/// Adds a check-in to one of the caller's episodes.
#[utoipa::path(
    post,
    path = "/api/v1/episodes/{id}/check-ins",
    tag = "diary",
    params(("id" = String, Path, description = "The episode's id")),
    request_body(content = crate::request_schemas::NewCheckInRequest, description = "How bad now (0-10), whether it is improving, what was tried, and when (default now)"),
    responses(
        (status = 201, description = "The check-in", body = Object),
        (status = 401, description = "No working session (--multi-user)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not one of the caller's episodes", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong (or the check-in is dated before the episode started)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn add_check_in(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    JsonObject(body): JsonObject,
) -> Result<Response, Problem> {
    let id = episode_id(&id)?;
    let new = new_check_in(&body)?;
    let check_in = state
        .database()?
        .add_check_in(caller.viewer, id, new)
        .await
        .map_err(|e| store_problem(e, "episode"))?;
    json_of(StatusCode::CREATED, &check_in)
}

/// One of the caller's episodes, its check-ins and its follow-up.
#[utoipa::path(
    get,
    path = "/api/v1/episodes/{id}",
    tag = "diary",
    params(("id" = String, Path, description = "The episode's id")),
    responses(
        (status = 200, description = "The episode with `check_ins` and `follow_up` (`{due_at, overdue, level}`: unrelieved past the knowledge base's follow-up hours (72 in care.toml) after the start despite home care → overdue, level `within_days`)", body = Object),
        (status = 401, description = "No working session (--multi-user)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not one of the caller's episodes", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_episode(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Problem> {
    let rule = state.follow_up_rule();
    let detail = load_episode(&state, &caller, episode_id(&id)?).await?;
    Ok(json(
        StatusCode::OK,
        episode_json(&detail, rule, Utc::now()).to_string(),
    ))
}

/// The caller's episodes, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/episodes",
    tag = "diary",
    responses(
        (status = 200, description = "An array of episodes (without check-ins), newest start first", body = [Object]),
        (status = 401, description = "No working session (--multi-user)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_episodes(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, Problem> {
    let episodes = state
        .database()?
        .episodes(caller.viewer)
        .await
        .map_err(|e| store_problem(e, "episode"))?;
    json_of(StatusCode::OK, &episodes)
}

/// Severity over time, as an SVG image.
#[utoipa::path(
    get,
    path = "/api/v1/episodes/{id}/chart.svg",
    tag = "diary",
    params(("id" = String, Path, description = "The episode's id")),
    responses(
        (status = 200, description = "The chart", body = String, content_type = "image/svg+xml"),
        (status = 401, description = "No working session (--multi-user)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not one of the caller's episodes", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn chart(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Problem> {
    let rule = state.follow_up_rule();
    let detail = load_episode(&state, &caller, episode_id(&id)?).await?;
    let svg = upperback_store::chart::severity_chart_svg(&detail, rule, Utc::now());
    let mut response = (StatusCode::OK, svg).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn episodes_are_read_with_their_faults_named() {
        let e = new_episode(&object(json!({
            "started_at": "2026-11-23T09:00:00+01:00",
            "severity": 6,
            "triggers": ["desk work", " "],
            "location": "between_shoulder_blades"
        })))
        .unwrap();
        assert_eq!(e.started_at.to_rfc3339(), "2026-11-23T08:00:00+00:00");
        assert_eq!(e.triggers, vec!["desk work".to_string()]);
        let field = |v: Value| new_episode(&object(v)).unwrap_err().field;
        assert_eq!(field(json!({})), Some("started_at".into()));
        assert_eq!(
            field(json!({"started_at": "monday"})),
            Some("started_at".into())
        );
        assert_eq!(
            field(json!({"started_at": "2026-11-23T09:00:00Z", "severity": 11})),
            Some("severity".into())
        );
        assert_eq!(
            field(json!({"started_at": "2026-11-23T09:00:00Z", "triggers": [1]})),
            Some("triggers[0]".into())
        );
        assert_eq!(
            field(json!({"started_at": "2026-11-23T09:00:00Z", "assessment": "x"})),
            Some("assessment".into())
        );
    }

    #[test]
    fn check_ins_need_severity_and_improving() {
        let c = new_check_in(&object(json!({
            "at": "2026-11-24T09:00:00Z", "severity": 3, "improving": true, "home_care": ["heat"]
        })))
        .unwrap();
        assert_eq!(c.severity, 3);
        assert!(c.improving);
        let field = |v: Value| new_check_in(&object(v)).unwrap_err().field;
        assert_eq!(field(json!({"improving": true})), Some("severity".into()));
        assert_eq!(field(json!({"severity": 2})), Some("improving".into()));
        assert_eq!(
            field(json!({"severity": 2, "improving": "yes"})),
            Some("improving".into())
        );
    }

    #[test]
    fn the_follow_up_hours_and_level_come_from_the_knowledge_base() {
        let kb = upperback_core::KnowledgeBase::embedded();
        let state = crate::AppState::new(
            &crate::ServerConfig::default(),
            std::sync::Arc::new(crate::store::MemoryStore::new(10, 1 << 20)),
        );
        let rule = state.follow_up_rule();
        assert_eq!(rule.hours(), kb.care.follow_up_after_hours);
        assert_eq!(rule.level(), kb.care.follow_up_level.as_str());
        let started = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let detail = EpisodeDetail {
            episode: upperback_store::Episode {
                id: EpisodeId::random(),
                owner: None,
                created_at: started,
                started_at: started,
                location: None,
                severity: Some(6),
                triggers: vec![],
                assessment: None,
            },
            check_ins: vec![],
        };
        let value = episode_json(&detail, rule, started);
        let due: DateTime<Utc> = value["follow_up"]["due_at"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let hours = (due - started).num_seconds() as f64 / 3600.0;
        assert_eq!(hours, kb.care.follow_up_after_hours);
    }
}
