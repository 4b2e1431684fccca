//! Request bodies → checked input → evidence. This is the server's one place where a
//! person's words, structured answers, age and sex become evidence, in the same order and
//! with the same meaning as `upperback assess` (a test compares the two).
//!
//! Every failure is a [`Problem`]: malformed JSON or invalid UTF-8 → 400, a body that is not
//! an object, an unknown or mistyped field, an unknown finding, a value out of range, or a
//! text over 10,000 characters → 422 naming the field.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};
use upperback_core::{Evidence, InputError, KnowledgeBase, Observation};
use upperback_nlu::{Mention, ReadError, Reader, Reading, MAX_TEXT_CHARS};

use crate::problem::{Kind, Problem};
use crate::view::UnderstoodView;

/// The largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A request body read whole (at most [`MAX_BODY_BYTES`]), with problems instead of axum's
/// plain-text rejections.
pub struct Body(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Bytes::from_request(req, state).await {
            Ok(bytes) => Ok(Body(bytes)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(Problem::new(
                    Kind::TooLarge,
                    format!("the body is larger than {} KiB", MAX_BODY_BYTES / 1024),
                ))
            }
            Err(_) => Err(Problem::new(
                Kind::BadRequest,
                "the body could not be read completely",
            )),
        }
    }
}

/// A JSON object body.
pub struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Body(bytes) = Body::from_request(req, state).await?;
        parse_object(&bytes).map(JsonObject)
    }
}

/// Parses a body that must be a JSON object.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, Problem> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Problem::malformed(
            "the body is empty; send a JSON object such as {\"text\": \"…\"}",
        ));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        // serde_json's messages name a position and a reason, never the input itself.
        Problem::malformed(format!("the body is not valid JSON: {e}"))
    })?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(Problem::field(
            "",
            format!(
                "the body must be a JSON object such as {{\"text\": \"…\"}}, not {}",
                type_name(&other)
            ),
        )),
    }
}

/// "a string", "a number", … for messages (the engine's wording).
pub use upperback_core::json_type_name as type_name;

/// Rejects fields other than `allowed`, naming the first unknown one.
pub fn only_fields(map: &Map<String, Value>, allowed: &[&str]) -> Result<(), Problem> {
    if let Some(unknown) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(Problem::field(
            unknown.clone(),
            format!("unknown field; the fields are {}", allowed.join(", ")),
        ));
    }
    Ok(())
}

/// What a person gives to be assessed (the body of `POST /api/v1/assessments` and of
/// `POST /api/v1/interviews`).
/// Its OpenAPI schema is in [`crate::request_schemas`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssessmentRequest {
    /// The person's own words, at most 10,000 characters.
    pub text: Option<String>,
    /// Structured answers, finding id → value: true/false, a number, a choice string, or
    /// null for "don't know". An answer wins over what the text says.
    pub answers: Option<Map<String, Value>>,
    /// Age in years (same as the answer `age`).
    pub age: Option<Value>,
    /// female, male or other (same as the answer `sex`).
    pub sex: Option<Value>,
    /// An extra of this server: the reference time (RFC 3339) for relative expressions such
    /// as "since Monday"; default: the server's clock. Makes a result reproducible.
    pub now: Option<DateTime<FixedOffset>>,
    /// A workstation score: `{"rosa": {…}}` and/or `{"rula": {…}}`, the inputs of
    /// `POST /api/v1/ergonomics/rosa|rula`. A score of 5 or more makes `poor_workstation`
    /// present (origin `ergonomics`); an explicit answer still wins.
    pub workstation: Option<Value>,
}

impl AssessmentRequest {
    /// The input as kept with a result: what was given, and the time the text was read
    /// with (so that "what I understood" can be read again the same way).
    pub fn to_input(&self, now: DateTime<FixedOffset>) -> Value {
        let mut input = Map::new();
        if let Some(text) = &self.text {
            input.insert("text".into(), Value::String(text.clone()));
        }
        if let Some(answers) = &self.answers {
            input.insert("answers".into(), Value::Object(answers.clone()));
        }
        if let Some(age) = &self.age {
            input.insert("age".into(), age.clone());
        }
        if let Some(sex) = &self.sex {
            input.insert("sex".into(), sex.clone());
        }
        if let Some(workstation) = &self.workstation {
            input.insert("workstation".into(), workstation.clone());
        }
        input.insert("now".into(), Value::String(now.to_rfc3339()));
        Value::Object(input)
    }
}

/// "What I understood" from a kept input: its text read again with its `now`.
pub fn understood_from_input(kb: &KnowledgeBase, input: &Value) -> Option<UnderstoodView> {
    let text = input.get("text")?.as_str()?;
    let now = input
        .get("now")
        .and_then(Value::as_str)
        .and_then(|n| DateTime::parse_from_rfc3339(n).ok());
    let reading = Reader::embedded().read(kb, text, now.as_ref()).ok()?;
    Some(
        Words {
            about: reading.about,
            mentions: reading.mentions,
        }
        .view(),
    )
}

/// The fields of [`AssessmentRequest`].
pub const ASSESSMENT_FIELDS: [&str; 6] = ["text", "answers", "age", "sex", "now", "workstation"];

impl AssessmentRequest {
    /// Checks each field's type; unknown fields are refused so that a misspelt field is
    /// never silently ignored.
    pub fn from_object(map: &Map<String, Value>) -> Result<AssessmentRequest, Problem> {
        only_fields(map, &ASSESSMENT_FIELDS)?;
        let mut request = AssessmentRequest::default();
        for (key, value) in map {
            if value.is_null() {
                continue;
            }
            match key.as_str() {
                "text" => match value {
                    Value::String(s) => request.text = Some(s.clone()),
                    other => {
                        return Err(Problem::field(
                            "text",
                            format!(
                                "must be a string (your own words), not {}",
                                type_name(other)
                            ),
                        ))
                    }
                },
                "answers" => match value {
                    Value::Object(answers) => request.answers = Some(answers.clone()),
                    other => return Err(Problem::field(
                        "answers",
                        format!(
                            "must be an object mapping finding ids to values, e.g. {{\"fever\": false}}, not {}",
                            type_name(other)
                        ),
                    )),
                },
                "age" => request.age = Some(value.clone()),
                "sex" => request.sex = Some(value.clone()),
                "workstation" => {
                    request.workstation = Some(crate::ergonomics::check_workstation(value)?)
                }
                "now" => {
                    let parsed = value
                        .as_str()
                        .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
                    match parsed {
                        Some(now) => request.now = Some(now),
                        None => {
                            return Err(Problem::field(
                                "now",
                                "must be an RFC 3339 time such as \"2026-11-24T09:00:00Z\"",
                            ))
                        }
                    }
                }
                _ => unreachable!("only_fields checked the keys"),
            }
        }
        if let Some(text) = &request.text {
            let chars = text.chars().count();
            if chars > MAX_TEXT_CHARS {
                return Err(Problem::field(
                    "text",
                    format!("is {chars} characters long; the limit is {MAX_TEXT_CHARS}"),
                ));
            }
            if text.trim().is_empty() {
                // An empty text box says nothing; it is not an error when other input is
                // given (a web form always sends the field).
                request.text = None;
            }
        }
        Ok(request)
    }

    /// True when nothing at all was given.
    pub fn is_empty(&self) -> bool {
        self.text.is_none()
            && self.answers.is_none()
            && self.age.is_none()
            && self.sex.is_none()
            && self.workstation.is_none()
    }
}

/// What the reader made of the person's words (the reading without its evidence), kept for
/// "what I understood".
#[derive(Debug, Clone)]
pub struct Words {
    /// Set when the text was about someone else.
    pub about: Option<String>,
    pub mentions: Vec<Mention>,
}

impl Words {
    /// As JSON (`{"about", "mentions"}`), the form the store keeps.
    pub fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Json<'a> {
            about: &'a Option<String>,
            mentions: &'a [Mention],
        }
        let mut out = Vec::with_capacity(256 + 256 * self.mentions.len());
        let json = Json {
            about: &self.about,
            mentions: &self.mentions,
        };
        if serde_json::to_writer(&mut out, &json).is_err() {
            return String::from("{\"about\":null,\"mentions\":[]}");
        }
        String::from_utf8(out).unwrap_or_default()
    }

    /// For a page.
    pub fn view(&self) -> UnderstoodView {
        serde_json::from_str(&self.to_json()).unwrap_or_default()
    }
}

/// Evidence ready for the engine, and what was read from the text.
pub struct Prepared {
    pub evidence: Evidence,
    pub words: Option<Words>,
    /// The reference time the text was read with.
    pub now: DateTime<FixedOffset>,
}

/// The field of an answers error: `answers.<finding id>`.
fn answers_problem(error: InputError) -> Problem {
    let id = match &error {
        InputError::UnknownFinding { id, .. }
        | InputError::WrongType { id, .. }
        | InputError::OutOfRange { id, .. }
        | InputError::UnknownChoice { id, .. } => Some(id.clone()),
        InputError::MalformedJson(_) | InputError::NotAnObject => None,
    };
    match id {
        Some(id) => Problem::field(format!("answers.{id}"), error.to_string()),
        None => Problem::field("answers", error.to_string()),
    }
}

/// The person's words, then age and sex, then the structured answers (each wins over what
/// came before, and says so when it overrides the text) — the order of `upperback assess`.
pub fn prepare(kb: &KnowledgeBase, request: &AssessmentRequest) -> Result<Prepared, Problem> {
    let mut words = None;
    let now = request
        .now
        .unwrap_or_else(|| chrono::Local::now().fixed_offset());
    // What the text says, else nothing known (built only then: an `Evidence` is a slot per
    // finding of the knowledge base).
    let read = match &request.text {
        Some(text) => match Reader::embedded().read(kb, text, Some(&now)) {
            Ok(Reading {
                evidence,
                mentions,
                about,
            }) => {
                words = Some(Words { about, mentions });
                Some(evidence)
            }
            Err(ReadError::Empty) => None,
            Err(e @ ReadError::TooLong { .. }) => {
                return Err(Problem::field("text", e.to_string()));
            }
        },
        None => None,
    };
    let mut evidence = read.unwrap_or_else(|| Evidence::new(kb));
    let answers = match &request.answers {
        Some(answers) => Some(
            kb.answers_from_json(&Value::Object(answers.clone()))
                .map_err(answers_problem)?,
        ),
        None => None,
    };
    // Age and sex go in before the answers, so that an answer naming them too wins (the
    // CLI's order: text, --age/--sex, then --answers).
    for (id, value) in [("age", &request.age), ("sex", &request.sex)] {
        let Some(value) = value else { continue };
        let parsed = kb
            .parse_answer(id, value)
            .map_err(|e| Problem::field(id, e.to_string()))?;
        if let Some((finding, value)) = parsed {
            let mut answer = Evidence::new(kb);
            answer.set(finding, Observation::answer(value));
            evidence.overlay(kb, &answer);
        }
    }
    // A measured workstation outweighs the words but not an explicit answer (the CLI's
    // order: --rosa/--rula after --age/--sex, before --answers).
    if let Some(workstation) = &request.workstation {
        crate::ergonomics::add_workstation(kb, &mut evidence, workstation)?;
    }
    if let Some(answers) = &answers {
        evidence.overlay(kb, answers);
    }
    Ok(Prepared {
        evidence,
        words,
        now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(value: Value) -> Result<AssessmentRequest, Problem> {
        AssessmentRequest::from_object(value.as_object().unwrap())
    }

    #[test]
    fn fields_are_checked_by_name() {
        let e = request(json!({"txt": "hi"})).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("txt"));
        let e = request(json!({"text": 5})).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("text"));
        let e = request(json!({"answers": []})).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("answers"));
        let e = request(json!({"now": "yesterday"})).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("now"));
        let long = "a".repeat(MAX_TEXT_CHARS + 1);
        let e = request(json!({ "text": long })).unwrap_err();
        assert_eq!(e.status, 422);
        assert!(e.detail.contains("10000"));
    }

    #[test]
    fn answers_errors_name_the_finding() {
        let kb = KnowledgeBase::embedded();
        let r = request(json!({"answers": {"fevr": true}})).unwrap();
        let e = prepare(kb, &r).err().unwrap();
        assert_eq!(e.field.as_deref(), Some("answers.fevr"));
        assert!(e.detail.contains("did you mean `fever`"), "{}", e.detail);
        let r = request(json!({"answers": {"fever": "yes"}})).unwrap();
        assert_eq!(
            prepare(kb, &r).err().unwrap().field.as_deref(),
            Some("answers.fever")
        );
        let r = request(json!({"age": 500})).unwrap();
        assert_eq!(prepare(kb, &r).err().unwrap().field.as_deref(), Some("age"));
        let r = request(json!({"sex": 3})).unwrap();
        assert_eq!(prepare(kb, &r).err().unwrap().field.as_deref(), Some("sex"));
    }

    #[test]
    fn answers_win_over_text_and_say_so() {
        let kb = KnowledgeBase::embedded();
        let r = request(json!({
            "text": "Spasm between my shoulder blades, and a fever.",
            "answers": {"fever": false}
        }))
        .unwrap();
        let prepared = prepare(kb, &r).unwrap();
        let fever = kb.finding_id("fever").unwrap();
        let observation = prepared.evidence.get(fever).unwrap();
        assert_eq!(observation.value, upperback_core::Value::Absent);
        assert!(observation
            .note
            .as_deref()
            .unwrap_or("")
            .contains("overrides"));
    }

    #[test]
    fn blank_text_is_no_text() {
        let r = request(json!({"text": "   "})).unwrap();
        assert!(r.is_empty());
    }
}
