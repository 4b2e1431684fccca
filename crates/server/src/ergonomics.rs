//! Workstation and posture scoring over HTTP: `POST /api/v1/ergonomics/rula` and `/rosa`
//! (the same input and output as `upperback ergo rula|rosa --json`), and the optional
//! `"workstation"` of an assessment request, which feeds `poor_workstation` the way
//! `upperback assess --rosa/--rula` does.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};
use upperback_core::{Evidence, KnowledgeBase};
use upperback_ergonomics::{InputError, RosaResult, RulaResult};

use crate::api::json_of;
use crate::input::{only_fields, type_name, Body};
use crate::problem::{Kind, Problem};

/// An ergonomics input error as a problem: malformed JSON → 400, anything else → 422
/// naming the field (prefixed with `prefix`, e.g. `workstation.rosa`).
pub fn input_problem(error: &InputError, prefix: &str) -> Problem {
    if matches!(error, InputError::MalformedJson { .. }) {
        return Problem::malformed(format!("the body is not valid JSON: {error}"));
    }
    let field = match (prefix, error.field()) {
        ("", field) => field.to_string(),
        (prefix, "") => prefix.to_string(),
        (prefix, field) => format!("{prefix}.{field}"),
    };
    // The error's own message names the field (within the scored document).
    let detail = if prefix.is_empty() {
        error.to_string()
    } else {
        format!("{prefix}: {error}")
    };
    Problem {
        field: (!field.is_empty()).then_some(field),
        ..Problem::new(Kind::InvalidField, detail)
    }
}

fn body_text(bytes: &[u8]) -> Result<&str, Problem> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Problem::malformed(
            "the body is empty; send the posture or workstation as a JSON object",
        ));
    }
    std::str::from_utf8(bytes).map_err(|_| Problem::malformed("the body is not valid UTF-8"))
}

/// Scores a RULA posture body.
pub fn score_rula(bytes: &[u8]) -> Result<RulaResult, Problem> {
    let input =
        upperback_ergonomics::parse_rula(body_text(bytes)?).map_err(|e| input_problem(&e, ""))?;
    Ok(upperback_ergonomics::rula::score(&input))
}

/// Scores a ROSA workstation body.
pub fn score_rosa(bytes: &[u8]) -> Result<RosaResult, Problem> {
    let input =
        upperback_ergonomics::parse_rosa(body_text(bytes)?).map_err(|e| input_problem(&e, ""))?;
    Ok(upperback_ergonomics::rosa::score(&input))
}

/// Score a working posture with RULA (neck, trunk and upper limbs).
///
/// The body and the result are those of `upperback ergo rula --json`
/// (`shared/contracts/ergonomics.md`): angles in degrees, every field required.
#[utoipa::path(
    post,
    path = "/api/v1/ergonomics/rula",
    tag = "ergonomics",
    request_body(content = upperback_ergonomics::rula::RulaInput, description = "A RULA posture (angles in degrees, flexion positive)"),
    responses(
        (status = 200, description = "`{method: RULA, score, action_level, parts, table_a, table_b, score_c, score_d, advice, improvements, adjustments}`", body = Object),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is missing, of the wrong type or out of range; `field` names it (e.g. `neck.flexion_deg`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn rula(Body(body): Body) -> Result<Response, Problem> {
    let result = score_rula(&body)?;
    json_of(StatusCode::OK, &result)
}

/// Score an office workstation with ROSA.
///
/// The body and the result are those of `upperback ergo rosa --json`: chair, monitor,
/// telephone, mouse and keyboard, each with a position, flags (default false), hours per day
/// and the longest stretch in minutes.
#[utoipa::path(
    post,
    path = "/api/v1/ergonomics/rosa",
    tag = "ergonomics",
    request_body(content = upperback_ergonomics::rosa::RosaInput, description = "A ROSA checklist: chair, monitor, telephone, mouse, keyboard"),
    responses(
        (status = 200, description = "`{method: ROSA, score, action_needed, chair, monitor_telephone, mouse_keyboard, peripherals, advice, improvements, parts, durations}`", body = Object),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is missing, of the wrong type or out of range; `field` names it (e.g. `monitor.position`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn rosa(Body(body): Body) -> Result<Response, Problem> {
    let result = score_rosa(&body)?;
    json_of(StatusCode::OK, &result)
}

/// Checks the `"workstation"` member of an assessment request: an object with `rosa` and/or
/// `rula`, each a valid input. Errors name the field, e.g. `workstation.rosa.monitor.position`.
pub fn check_workstation(value: &Value) -> Result<Value, Problem> {
    let Value::Object(map) = value else {
        return Err(Problem::field(
            "workstation",
            format!(
                "must be an object such as {{\"rosa\": {{…}}}} or {{\"rula\": {{…}}}}, not {}",
                type_name(value)
            ),
        ));
    };
    only_fields(map, &["rosa", "rula"]).map_err(|p| {
        let field = format!("workstation.{}", p.field.unwrap_or_default());
        Problem::field(field, "unknown field; the fields are rosa, rula")
    })?;
    let mut checked = Map::new();
    for (key, value) in map {
        if value.is_null() {
            continue;
        }
        let text = value.to_string();
        let prefix = format!("workstation.{key}");
        match key.as_str() {
            "rosa" => {
                upperback_ergonomics::parse_rosa(&text).map_err(|e| input_problem(&e, &prefix))?;
            }
            _ => {
                upperback_ergonomics::parse_rula(&text).map_err(|e| input_problem(&e, &prefix))?;
            }
        }
        checked.insert(key.clone(), value.clone());
    }
    Ok(Value::Object(checked))
}

/// Adds a checked workstation to the evidence (ROSA, then RULA), as `upperback assess
/// --rosa/--rula` does: after the words, age and sex, before the explicit answers.
pub fn add_workstation(
    kb: &KnowledgeBase,
    evidence: &mut Evidence,
    workstation: &Value,
) -> Result<(), Problem> {
    if let Some(rosa) = workstation.get("rosa").filter(|v| !v.is_null()) {
        let input = upperback_ergonomics::parse_rosa(&rosa.to_string())
            .map_err(|e| input_problem(&e, "workstation.rosa"))?;
        let result = upperback_ergonomics::rosa::score(&input);
        upperback_ergonomics::evidence::add_to_evidence(kb, evidence, (&result).into());
    }
    if let Some(rula) = workstation.get("rula").filter(|v| !v.is_null()) {
        let input = upperback_ergonomics::parse_rula(&rula.to_string())
            .map_err(|e| input_problem(&e, "workstation.rula"))?;
        let result = upperback_ergonomics::rula::score(&input);
        upperback_ergonomics::evidence::add_to_evidence(kb, evidence, (&result).into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn workstation_errors_name_the_field() {
        let e = check_workstation(&json!({"rosa": {"chair": 1}})).unwrap_err();
        assert_eq!(e.status, 422);
        assert!(e.field.as_deref().unwrap().starts_with("workstation.rosa"));
        let e = check_workstation(&json!({"roza": {}})).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("workstation.roza"));
        let e = check_workstation(&json!([1])).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("workstation"));
    }

    #[test]
    fn malformed_is_400_and_a_bad_field_is_422() {
        assert_eq!(score_rula(b"{").unwrap_err().status, 400);
        let e = score_rula(b"{}").unwrap_err();
        assert_eq!(e.status, 422);
        assert!(e.field.is_some());
        assert!(
            e.detail.contains(e.field.as_deref().unwrap()),
            "{}",
            e.detail
        );
    }
}
