//! The request bodies as the OpenAPI document states them: exactly what the handlers accept
//! (`required`, `additionalProperties: false`, ranges, lengths, the knowledge base's finding
//! ids and values), so that a client generated from the document sends nothing the server
//! refuses. schemathesis checks the two against each other (`tools/schemathesis.sh`).
//!
//! Each body is a type named in the handler's `request_body`; its schema is written here as
//! JSON Schema, from the same constants the handlers check against. What no schema can
//! state is said in the operation's description (a password's strength, an interview answer
//! that must suit the current question).

use std::borrow::Cow;

use serde_json::{json, Map, Value};
use upperback_core::{FindingKind, KnowledgeBase};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::input::AssessmentRequest;

/// A schema written as JSON. The documents below are fixed, so a failure is a programming
/// error, caught by the tests.
fn schema(value: Value) -> RefOr<Schema> {
    serde_json::from_value(value).expect("a request schema fits the OpenAPI model")
}

/// A date and time (RFC 3339), as the handlers parse it.
fn date_time(description: &str) -> Value {
    json!({"type": "string", "format": "date-time", "description": description})
}

/// An email address as the store accepts it: `local@domain`, no space or control character.
fn email(description: &str) -> Value {
    json!({
        "type": "string",
        "maxLength": upperback_store::MAX_EMAIL,
        "pattern": r"^\s*[^\s@\x00-\x1f\x7f-\x9f]+@[^\s@\x00-\x1f\x7f-\x9f]+\s*$",
        "description": description,
    })
}

/// A short free text as the store keeps it (no NUL character).
fn short_text(description: &str) -> Value {
    json!({
        "type": "string",
        "maxLength": upperback_store::MAX_TEXT,
        "pattern": r"^[^\x00]*$",
        "description": description,
    })
}

fn nullable(mut schema: Value) -> Value {
    if let Some(kind) = schema.get("type").cloned() {
        schema["type"] = json!([kind, "null"]);
    }
    if let Some(values) = schema.get_mut("enum").and_then(Value::as_array_mut) {
        values.push(Value::Null);
    }
    schema
}

/// A bound as JSON: `120`, not `120.0` (as the OpenAPI model writes it).
fn whole_or_not(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

/// The value an answer about `id` takes (null: "don't know").
fn answer_schema(kb: &KnowledgeBase, id: &str) -> Value {
    let Some(finding) = kb.findings.iter().find(|f| f.id == id) else {
        return json!({});
    };
    let schema = match &finding.kind {
        FindingKind::Bool => json!({"type": "boolean"}),
        FindingKind::Number { unit, min, max } => json!({
            "type": "number", "minimum": whole_or_not(*min), "maximum": whole_or_not(*max),
            "description": format!("{} ({unit})", finding.meaning),
        }),
        FindingKind::Choice { choices } => json!({"type": "string", "enum": choices}),
    };
    let mut schema = nullable(schema);
    if schema.get("description").is_none() {
        schema["description"] = json!(finding.meaning);
    }
    schema
}

/// Structured answers: every finding of the knowledge base, by id.
fn answers_schema(kb: &KnowledgeBase) -> Value {
    let properties: Map<String, Value> = kb
        .findings
        .iter()
        .map(|f| (f.id.clone(), answer_schema(kb, &f.id)))
        .collect();
    json!({
        "type": ["object", "null"],
        "additionalProperties": false,
        "properties": properties,
        "description": "Structured answers, finding id → value: true/false, a number in its range, one of its choices, or null for \"don't know\". An answer wins over what the text says.",
    })
}

impl PartialSchema for AssessmentRequest {
    fn schema() -> RefOr<Schema> {
        schema(assessment_request())
    }
}

/// The members of an assessment request, each optional.
fn assessment_fields() -> Value {
    let kb = KnowledgeBase::embedded();
    let mut age = answer_schema(kb, "age");
    age["description"] = json!("Age in years (same as the answer `age`).");
    let mut sex = answer_schema(kb, "sex");
    sex["description"] = json!("Same as the answer `sex`.");
    let rosa = json!({"oneOf": [{"$ref": "#/components/schemas/RosaInput"}, {"type": "null"}]});
    let rula = json!({"oneOf": [{"$ref": "#/components/schemas/RulaInput"}, {"type": "null"}]});
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "text": {
                "type": ["string", "null"],
                "maxLength": upperback_nlu::MAX_TEXT_CHARS,
                "description": "The person's own words.",
            },
            "answers": answers_schema(kb),
            "age": age,
            "sex": sex,
            "now": nullable(date_time("An extra of this server: the reference time for relative expressions such as \"since Monday\"; default: the server's clock. Makes a result reproducible.")),
            "workstation": {
                "type": ["object", "null"],
                "additionalProperties": false,
                "properties": {"rosa": rosa, "rula": rula},
                "description": "A workstation score, the inputs of POST /api/v1/ergonomics/rosa|rula. A score of 5 or more makes `poor_workstation` present (origin `ergonomics`); an explicit answer still wins.",
            },
        },
    })
}

/// The body of `POST /api/v1/assessments`: something to assess.
fn assessment_request() -> Value {
    json!({
        "description": "What a person gives to be assessed: at least one of text (not blank), answers, age, sex or workstation.",
        "allOf": [
            assessment_fields(),
            {
                "anyOf": [
                    {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "pattern": r"\S"}}},
                    {"type": "object", "required": ["answers"], "properties": {"answers": {"type": "object"}}},
                    {"type": "object", "required": ["age"], "properties": {"age": {"type": "number"}}},
                    {"type": "object", "required": ["sex"], "properties": {"sex": {"type": "string"}}},
                    {"type": "object", "required": ["workstation"], "properties": {"workstation": {"type": "object"}}},
                ],
            },
        ],
    })
}

impl ToSchema for AssessmentRequest {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("AssessmentRequest")
    }
}

/// Declares a request body type whose schema is the JSON Schema `$schema`.
macro_rules! request_body {
    ($(#[$meta:meta])* $name:ident => $schema:expr) => {
        $(#[$meta])*
        pub struct $name;

        impl $name {
            /// The schema, as written.
            fn source() -> Value {
                $schema
            }
        }

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                schema($name::source())
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

request_body! {
    /// `POST /api/v1/interviews`: where to start from (every member optional; no body at all
    /// starts from nothing).
    InterviewStart => assessment_fields()
}

request_body! {
    /// `POST /api/v1/accounts` and `POST /api/v1/sessions`.
    Credentials => json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["email", "password"],
        "properties": {
            "email": email("The account's email (compared without case)."),
            "password": {
                "type": "string",
                "minLength": upperback_store::auth::MIN_PASSWORD_CHARS,
                "description": "At least 12 characters and, for a new account, hard to guess (zxcvbn score 3 of 4), at most 1024 bytes.",
            },
        },
    })
}

request_body! {
    /// `POST /api/v1/assessments/{id}/share`.
    ShareRequest => json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["clinician"],
        "properties": {"clinician": email("The clinician's account email.")},
    })
}

request_body! {
    /// `POST /api/v1/interviews/{id}/answers`.
    InterviewAnswer => json!({
        "description": "An answer to the current question (`answer`; null is \"don't know\"), or `back: true` to go back one question.",
        "allOf": [
            {
                "type": "object",
                "additionalProperties": false,
                "required": ["question"],
                "properties": {
                    "question": {"type": "string", "description": "The id of the current question."},
                    "answer": {"type": ["boolean", "number", "string", "array", "null"], "items": {"type": "string"}, "description": "true/false, a number, a choice, a list of finding ids (a checklist), or null for \"don't know\", as the question asks."},
                    "back": {"type": "boolean", "description": "An extra of this server: go back one question."},
                },
            },
            {
                "anyOf": [
                    {"type": "object", "required": ["answer"]},
                    {"type": "object", "required": ["back"], "properties": {"back": {"type": "boolean", "enum": [true]}}},
                ],
            },
        ],
    })
}

request_body! {
    /// `POST /api/v1/episodes`.
    NewEpisodeRequest => json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["started_at"],
        "properties": {
            "started_at": date_time("When the episode started."),
            "location": nullable(short_text("Where it hurts, e.g. between_shoulder_blades.")),
            "severity": {"type": ["integer", "null"], "minimum": 0, "maximum": 10, "description": "How bad, 0 to 10."},
            "triggers": {
                "type": ["array", "null"],
                "maxItems": upperback_store::MAX_ITEMS,
                "items": short_text("A trigger, e.g. desk work."),
            },
            "assessment": {"type": ["string", "null"], "format": "uuid", "description": "The id of an assessment of the caller's to link."},
        },
    })
}

request_body! {
    /// `POST /api/v1/episodes/{id}/check-ins`.
    NewCheckInRequest => json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["severity", "improving"],
        "properties": {
            "at": nullable(date_time("When (default: now).")),
            "severity": {"type": "integer", "minimum": 0, "maximum": 10, "description": "How bad now, 0 to 10."},
            "improving": {"type": "boolean", "description": "Is it getting better?"},
            "home_care": {
                "type": ["array", "null"],
                "maxItems": upperback_store::MAX_ITEMS,
                "items": short_text("What was tried, e.g. heat."),
            },
        },
    })
}

request_body! {
    /// `POST /cds-services/upperback-triage`: a CDS Hooks 2.0 `patient-view` request (the
    /// members the service reads; CDS Hooks' others, such as `fhirServer`, are allowed).
    CdsPatientViewRequest => json!({
        "type": "object",
        "required": ["hook", "hookInstance", "context"],
        "properties": {
            "hook": {"type": "string", "enum": [upperback_fhir::CDS_HOOK]},
            "hookInstance": {"type": "string", "pattern": r"\S", "description": "The EHR's id of this call."},
            "context": {
                "type": "object",
                "required": ["patientId"],
                "properties": {"patientId": {"type": "string", "pattern": r"\S"}},
            },
            "prefetch": {
                "type": ["object", "null"],
                "description": "FHIR resources by prefetch key (Patient, Observations, Conditions); null for what the EHR could not fetch.",
                "additionalProperties": {
                    "oneOf": [
                        {"type": "null"},
                        {"type": "object", "required": ["resourceType"], "properties": {"resourceType": {"type": "string"}}},
                    ],
                },
            },
        },
    })
}

request_body! {
    /// A web page's form (`application/x-www-form-urlencoded`), as the page sends it.
    WebForm => json!({
        "type": "object",
        "required": [crate::csrf::FIELD],
        "properties": {
            crate::csrf::FIELD: {
                "type": "string",
                "description": "The anti-forgery token: the value of the `upperback_form` cookie that the page set. A form without it is refused (403 /problems/form-token).",
            },
        },
        "additionalProperties": {"type": "string"},
        "description": "The form's fields, as the page renders them (see the operation's description).",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every schema survives the OpenAPI model whole: nothing written here is dropped.
    #[test]
    fn schemas_keep_everything_written() {
        let kb = KnowledgeBase::embedded();
        let sources = [
            Credentials::source(),
            ShareRequest::source(),
            InterviewAnswer::source(),
            NewEpisodeRequest::source(),
            NewCheckInRequest::source(),
            WebForm::source(),
            CdsPatientViewRequest::source(),
            InterviewStart::source(),
            assessment_request(),
        ];
        for source in sources {
            let modelled = serde_json::to_value(schema(source.clone())).unwrap();
            assert_eq!(modelled, source);
        }
        // The knowledge base's findings are the answers' properties.
        let request = assessment_request();
        let answers = &request["allOf"][0]["properties"]["answers"]["properties"];
        assert_eq!(answers.as_object().unwrap().len(), kb.findings.len());
        assert_eq!(answers["fever"]["type"], json!(["boolean", "null"]));
        assert!(request["allOf"][0]["properties"]["sex"]["enum"]
            .as_array()
            .unwrap()
            .contains(&Value::Null));
    }
}
