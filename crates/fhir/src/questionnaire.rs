//! The interview as an R4 `Questionnaire`, and answers from a `QuestionnaireResponse`.

use std::collections::HashSet;

use serde_json::{json, Map, Value};
use upperback_core::{
    json_type_name as type_name, Condition, Evidence, FindingId, FindingKind, InputError,
    KnowledgeBase, Observation, QuestionKind, Status,
};

use crate::codes::{Codes, ADMINISTRATIVE_GENDER, UCUM};

/// The Questionnaire's logical id (and last segment of its canonical URL).
pub const QUESTIONNAIRE_ID: &str = "upperback-interview";
/// The linkId of the group holding findings that no interview question asks.
pub const MORE_DETAILS_LINK_ID: &str = "more-details";

/// Bad QuestionnaireResponse. Each message is one line naming the item (linkId) at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FhirError {
    #[error("not a FHIR resource: expected a JSON object with \"resourceType\": \"{expected}\"")]
    NotAResource { expected: &'static str },
    #[error("expected a {expected}, got resourceType `{got}`")]
    WrongResourceType { expected: &'static str, got: String },
    #[error(
        "this QuestionnaireResponse answers `{got}`, not the upperback interview `{expected}`"
    )]
    WrongQuestionnaire { got: String, expected: String },
    #[error("a QuestionnaireResponse with status `{status}` cannot be assessed")]
    UnusableStatus { status: String },
    #[error("`{field}` must be {expected}")]
    Malformed {
        field: String,
        expected: &'static str,
    },
    #[error("item {position}: `linkId` is missing or not a string")]
    MissingLinkId { position: String },
    #[error("item `{link_id}` is not a question of the upperback interview{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownLinkId {
        link_id: String,
        suggestion: Option<String>,
    },
    #[error("item `{link_id}` is answered more than once")]
    DuplicateAnswer { link_id: String },
    #[error("item `{link_id}` has {count} answers; it takes one")]
    TooManyAnswers { link_id: String, count: usize },
    #[error("item `{link_id}` is a group: answer its items, not the group")]
    AnsweredGroup { link_id: String },
    #[error("item `{link_id}` expects {expected}, got {got}")]
    WrongAnswerType {
        link_id: String,
        expected: String,
        got: String,
    },
    #[error("item `{link_id}`: {source}")]
    InvalidAnswer {
        link_id: String,
        #[source]
        source: Box<InputError>,
    },
}

/// How the interview's findings are laid out as Questionnaire items.
pub(crate) enum Section<'kb> {
    /// A checklist (or the "more details" group): one boolean item per finding.
    Group {
        link_id: &'kb str,
        text: &'kb str,
        findings: Vec<FindingId>,
        enable_when: Option<&'kb Condition>,
    },
    /// A single question about one finding.
    Single {
        finding: FindingId,
        text: &'kb str,
        enable_when: Option<&'kb Condition>,
    },
}

/// The interview's questions in order, each finding once, then a group of every finding no
/// question asks (so that every finding the engine uses can be answered).
pub(crate) fn layout(kb: &KnowledgeBase) -> Vec<Section<'_>> {
    let mut placed = HashSet::new();
    let mut sections = Vec::new();
    for q in &kb.interview.questions {
        let findings: Vec<FindingId> = q
            .findings
            .iter()
            .copied()
            .filter(|f| placed.insert(*f))
            .collect();
        if findings.is_empty() {
            continue;
        }
        let enable_when = q.enable_when.as_ref();
        if q.kind == QuestionKind::Checklist {
            sections.push(Section::Group {
                link_id: &q.id,
                text: &q.text,
                findings,
                enable_when,
            });
        } else {
            sections.push(Section::Single {
                finding: findings[0],
                text: &q.text,
                enable_when,
            });
        }
    }
    let rest: Vec<FindingId> = (0..kb.findings.len())
        .map(|i| FindingId(i as u16))
        .filter(|f| !placed.contains(f))
        .collect();
    if !rest.is_empty() {
        sections.push(Section::Group {
            link_id: MORE_DETAILS_LINK_ID,
            text: "A few more details",
            findings: rest,
            enable_when: None,
        });
    }
    sections
}

fn is_integer_item(codes: &Codes, kb: &KnowledgeBase, finding: FindingId) -> bool {
    codes
        .finding(&kb.finding(finding).id)
        .is_some_and(|c| c.integer)
}

/// The text a finding's item shows when it is one of several: its checklist label, else its
/// meaning with a capital letter.
fn item_text(kb: &KnowledgeBase, finding: FindingId) -> String {
    match &kb.interview.labels[finding.index()] {
        Some(label) => label.clone(),
        None => {
            let meaning = &kb.finding(finding).meaning;
            let mut chars = meaning.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => kb.finding(finding).id.clone(),
            }
        }
    }
}

/// A choice value for people: `between_shoulder_blades` → "between shoulder blades".
pub(crate) fn choice_display(choice: &str) -> String {
    choice.replace('_', " ")
}

fn number_value(n: f64, integer: bool) -> Value {
    if integer && n.fract() == 0.0 && n.abs() < 1e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

fn finding_item(codes: &Codes, kb: &KnowledgeBase, finding: FindingId, text: &str) -> Value {
    let f = kb.finding(finding);
    let mut item = Map::new();
    item.insert("linkId".into(), json!(f.id));
    item.insert(
        "code".into(),
        Value::Array(codes.finding_codings(kb, &f.id)),
    );
    item.insert("text".into(), json!(text));
    match &f.kind {
        FindingKind::Bool => {
            item.insert("type".into(), json!("boolean"));
        }
        FindingKind::Number { unit, min, max } => {
            let integer = is_integer_item(codes, kb, finding);
            let (type_, value_key) = if integer {
                ("integer", "valueInteger")
            } else {
                ("decimal", "valueDecimal")
            };
            let mut extensions = vec![
                json!({"url": "http://hl7.org/fhir/StructureDefinition/minValue", value_key: number_value(*min, integer)}),
                json!({"url": "http://hl7.org/fhir/StructureDefinition/maxValue", value_key: number_value(*max, integer)}),
            ];
            if let Some((code, display)) = codes.ucum_unit(&f.id, unit) {
                extensions.push(json!({
                    "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-unit",
                    "valueCoding": {"system": UCUM, "code": code, "display": display},
                }));
            }
            item.insert("extension".into(), Value::Array(extensions));
            item.insert("type".into(), json!(type_));
        }
        FindingKind::Choice { choices } => {
            item.insert("type".into(), json!("choice"));
            let system = codes.choice_system(&f.id);
            item.insert(
                "answerOption".into(),
                Value::Array(
                    choices
                        .iter()
                        .map(|c| {
                            json!({"valueCoding": {"system": system, "code": c, "display": choice_display(c)}})
                        })
                        .collect(),
                ),
            );
        }
    }
    item.insert("required".into(), json!(false));
    item.insert("repeats".into(), json!(false));
    Value::Object(item)
}

/// One `enableWhen` condition for an atom of the condition language, if it has one.
fn enable_when_atom(codes: &Codes, kb: &KnowledgeBase, condition: &Condition) -> Option<Value> {
    let link = |f: FindingId| kb.finding(f).id.clone();
    match condition {
        Condition::Present(f) => {
            Some(json!({"question": link(*f), "operator": "=", "answerBoolean": true}))
        }
        Condition::Status {
            finding,
            status,
            negated,
        } => {
            let is_bool = kb.finding(*finding).kind == FindingKind::Bool;
            let (operator, answer) = match (status, negated, is_bool) {
                (Status::Present, false, true) => ("=", true),
                (Status::Absent, false, true) => ("=", false),
                (Status::Present, true, true) => ("!=", true),
                (Status::Absent, true, true) => ("!=", false),
                (Status::Present, false, false) | (Status::Unknown, true, _) => ("exists", true),
                (Status::Present, true, false) | (Status::Unknown, false, _) => ("exists", false),
                (Status::Absent, _, false) => return None,
            };
            Some(json!({"question": link(*finding), "operator": operator, "answerBoolean": answer}))
        }
        Condition::Compare {
            finding,
            comparison,
            value,
        } => {
            // `Comparison` is not re-exported by the engine; its Debug names are stable.
            let operator = match format!("{comparison:?}").as_str() {
                "Greater" => ">",
                "GreaterOrEqual" => ">=",
                "Less" => "<",
                "LessOrEqual" => "<=",
                "Equal" => "=",
                _ => return None,
            };
            let integer = is_integer_item(codes, kb, *finding);
            if integer && value.fract() != 0.0 {
                return None;
            }
            let key = if integer {
                "answerInteger"
            } else {
                "answerDecimal"
            };
            Some(
                json!({"question": link(*finding), "operator": operator, key: number_value(*value, integer)}),
            )
        }
        Condition::ChoiceIs { finding, choice } => {
            let f = kb.finding(*finding);
            let FindingKind::Choice { choices } = &f.kind else {
                return None;
            };
            let code = choices.get(*choice as usize)?;
            Some(json!({
                "question": f.id,
                "operator": "=",
                "answerCoding": {"system": codes.choice_system(&f.id), "code": code, "display": choice_display(code)},
            }))
        }
        Condition::All(_) | Condition::Any(_) => None,
    }
}

/// `enableWhen` and `enableBehavior` for a follow-up's condition: `a | b` → any, `a & b` →
/// all. `None` when the condition nests `&` inside `|` (or the reverse), which R4's flat
/// enableWhen cannot say; such an item is then always enabled (asking more is the safe side).
pub(crate) fn enable_when(
    codes: &Codes,
    kb: &KnowledgeBase,
    condition: &Condition,
) -> Option<(Vec<Value>, Option<&'static str>)> {
    let (parts, behavior) = match condition {
        Condition::Any(parts) => (parts.as_slice(), Some("any")),
        Condition::All(parts) => (parts.as_slice(), Some("all")),
        atom => (std::slice::from_ref(atom), None),
    };
    let atoms: Option<Vec<Value>> = parts
        .iter()
        .map(|p| enable_when_atom(codes, kb, p))
        .collect();
    let atoms = atoms?;
    let behavior = if atoms.len() > 1 { behavior } else { None };
    Some((atoms, behavior))
}

fn add_enable_when(
    item: &mut Value,
    codes: &Codes,
    kb: &KnowledgeBase,
    condition: Option<&Condition>,
) {
    let Some(condition) = condition else { return };
    if let Some((atoms, behavior)) = enable_when(codes, kb, condition) {
        item["enableWhen"] = Value::Array(atoms);
        if let Some(behavior) = behavior {
            item["enableBehavior"] = json!(behavior);
        }
    }
}

/// The interview as an R4 `Questionnaire`.
///
/// One item per finding, `linkId` = the finding id; `boolean`, `integer` / `decimal` (with
/// min/max and unit extensions) or `choice` (with `answerOption` codings in
/// `{base}/CodeSystem/{finding}`). Checklists are `group` items (linkId = the question id)
/// holding a boolean item per finding; follow-up questions carry `enableWhen` (and
/// `enableBehavior` "any" for `|`, "all" for `&`). Findings no question asks are in a last
/// group, `more-details`. Canonical URL `{base}/Questionnaire/upperback-interview`, version =
/// the knowledge base's version.
///
/// ```
/// let kb = upperback_core::KnowledgeBase::embedded();
/// let q = upperback_fhir::questionnaire(kb);
/// assert_eq!(q["resourceType"], "Questionnaire");
/// assert_eq!(q["version"], kb.version.as_str());
/// ```
pub fn questionnaire(kb: &KnowledgeBase) -> Value {
    let codes = Codes::embedded();
    let items: Vec<Value> = layout(kb)
        .into_iter()
        .map(|section| match section {
            Section::Group {
                link_id,
                text,
                findings,
                enable_when,
            } => {
                let mut group = json!({
                    "linkId": link_id,
                    "text": text,
                    "type": "group",
                    "item": findings.iter().map(|f| finding_item(codes, kb, *f, &item_text(kb, *f))).collect::<Vec<_>>(),
                });
                add_enable_when(&mut group, codes, kb, enable_when);
                group
            }
            Section::Single {
                finding,
                text,
                enable_when,
            } => {
                let mut item = finding_item(codes, kb, finding, text);
                add_enable_when(&mut item, codes, kb, enable_when);
                item
            }
        })
        .collect();
    json!({
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": codes.questionnaire_url(),
        "version": kb.version,
        "name": "UpperbackInterview",
        "title": kb.title,
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": codes.publisher,
        "description": format!(
            "The upperback interview: red-flag screening, then the questions that separate the contributing causes of an upper back muscle spasm. Knowledge base {} ({}). {}",
            kb.version, kb.digest, kb.disclaimer
        ),
        "code": codes.complaint.iter().map(|c| c.to_fhir()).collect::<Vec<_>>(),
        "item": items,
    })
}

/// The answer element of a known finding, as a QuestionnaireResponse holds it.
fn answer_value(
    codes: &Codes,
    kb: &KnowledgeBase,
    finding: FindingId,
    evidence: &Evidence,
) -> Option<Value> {
    let f = kb.finding(finding);
    let observation = evidence.get(finding)?;
    Some(match (&f.kind, &observation.value) {
        (FindingKind::Bool, upperback_core::Value::Present) => json!({"valueBoolean": true}),
        (FindingKind::Bool, upperback_core::Value::Absent) => json!({"valueBoolean": false}),
        (FindingKind::Number { .. }, upperback_core::Value::Number(n)) => {
            if is_integer_item(codes, kb, finding) && n.fract() == 0.0 {
                json!({"valueInteger": *n as i64})
            } else {
                json!({"valueDecimal": n})
            }
        }
        (FindingKind::Choice { choices }, upperback_core::Value::Choice(c)) => {
            let code = choices.get(*c as usize)?;
            json!({"valueCoding": {"system": codes.choice_system(&f.id), "code": code, "display": choice_display(code)}})
        }
        _ => return None,
    })
}

/// A `QuestionnaireResponse` (status completed) answering the interview with what the
/// evidence knows: unknown findings are left unanswered, groups with no answer left out.
/// [`evidence_from_questionnaire_response`] reads it back to the same evidence values.
pub fn questionnaire_response(kb: &KnowledgeBase, evidence: &Evidence) -> Value {
    let codes = Codes::embedded();
    let answered = |f: FindingId| -> Option<Value> {
        let answer = answer_value(codes, kb, f, evidence)?;
        Some(json!({"linkId": kb.finding(f).id, "text": item_text(kb, f), "answer": [answer]}))
    };
    let items: Vec<Value> = layout(kb)
        .into_iter()
        .filter_map(|section| match section {
            Section::Group {
                link_id,
                text,
                findings,
                ..
            } => {
                let children: Vec<Value> = findings.iter().filter_map(|f| answered(*f)).collect();
                (!children.is_empty())
                    .then(|| json!({"linkId": link_id, "text": text, "item": children}))
            }
            Section::Single { finding, text, .. } => answered(finding).map(|mut item| {
                item["text"] = json!(text);
                item
            }),
        })
        .collect();
    let mut response = json!({
        "resourceType": "QuestionnaireResponse",
        "questionnaire": format!("{}|{}", codes.questionnaire_url(), kb.version),
        "status": "completed",
    });
    if !items.is_empty() {
        response["item"] = Value::Array(items);
    }
    response
}

struct ResponseReader<'a> {
    kb: &'a KnowledgeBase,
    codes: &'a Codes,
    groups: HashSet<&'a str>,
    seen: HashSet<FindingId>,
    evidence: Evidence,
}

impl ResponseReader<'_> {
    fn items(&mut self, items: Option<&Value>, path: &str) -> Result<(), FhirError> {
        let Some(items) = items else { return Ok(()) };
        let Some(items) = items.as_array() else {
            return Err(FhirError::Malformed {
                field: format!("{path}item"),
                expected: "an array of items",
            });
        };
        for (i, item) in items.iter().enumerate() {
            let position = format!("{path}item[{i}]");
            let Some(link_id) = item.get("linkId").and_then(Value::as_str) else {
                return Err(FhirError::MissingLinkId { position });
            };
            self.item(item, link_id, &position)?;
        }
        Ok(())
    }

    fn item(&mut self, item: &Value, link_id: &str, position: &str) -> Result<(), FhirError> {
        let answers = match item.get("answer") {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(a)) => a.as_slice(),
            Some(_) => {
                return Err(FhirError::Malformed {
                    field: format!("{position}.answer (item `{link_id}`)"),
                    expected: "an array of answers",
                })
            }
        };
        if let Some(finding) = self.kb.finding_id(link_id) {
            if answers.len() > 1 {
                return Err(FhirError::TooManyAnswers {
                    link_id: link_id.to_string(),
                    count: answers.len(),
                });
            }
            if let Some(answer) = answers.first() {
                if !self.seen.insert(finding) {
                    return Err(FhirError::DuplicateAnswer {
                        link_id: link_id.to_string(),
                    });
                }
                if let Some(value) = self.answer(finding, link_id, answer)? {
                    let (id, value) = self
                        .kb
                        .parse_answer(link_id, &value)
                        .map_err(|source| FhirError::InvalidAnswer {
                            link_id: link_id.to_string(),
                            source: Box::new(source),
                        })?
                        .expect("a non-null answer is known");
                    self.evidence.set(id, Observation::answer(value));
                }
                self.items(answer.get("item"), &format!("{position}.answer[0]."))?;
            }
        } else if self.groups.contains(link_id) {
            if !answers.is_empty() {
                return Err(FhirError::AnsweredGroup {
                    link_id: link_id.to_string(),
                });
            }
        } else {
            return Err(FhirError::UnknownLinkId {
                link_id: link_id.to_string(),
                suggestion: self.kb.closest_finding(link_id),
            });
        }
        self.items(item.get("item"), &format!("{position}."))
    }

    /// The answer as the engine's structured-answer JSON (`None` for an empty answer).
    fn answer(
        &self,
        finding: FindingId,
        link_id: &str,
        answer: &Value,
    ) -> Result<Option<Value>, FhirError> {
        let Some(answer) = answer.as_object() else {
            return Err(FhirError::Malformed {
                field: format!("answer of item `{link_id}`"),
                expected: "an object with one value[x]",
            });
        };
        let values: Vec<(&String, &Value)> = answer
            .iter()
            .filter(|(k, _)| k.starts_with("value"))
            .collect();
        let f = self.kb.finding(finding);
        let expected = match &f.kind {
            FindingKind::Bool => "valueBoolean".to_string(),
            FindingKind::Number { .. } => "valueInteger or valueDecimal".to_string(),
            FindingKind::Choice { .. } => format!(
                "valueCoding with a code of {}",
                self.codes.choice_system(&f.id)
            ),
        };
        let wrong = |got: String| FhirError::WrongAnswerType {
            link_id: link_id.to_string(),
            expected: expected.clone(),
            got,
        };
        let (key, value) = match values.as_slice() {
            [] => return Ok(None),
            [one] => *one,
            _ => {
                return Err(wrong(format!(
                    "{} values",
                    values
                        .iter()
                        .map(|(k, _)| k.as_str())
                        .collect::<Vec<_>>()
                        .join(" and ")
                )))
            }
        };
        match (&f.kind, key.as_str()) {
            (FindingKind::Bool, "valueBoolean") => match value {
                Value::Bool(b) => Ok(Some(json!(b))),
                other => Err(wrong(format!("valueBoolean holding {}", type_name(other)))),
            },
            (FindingKind::Number { .. }, "valueInteger") => match value {
                Value::Number(n) if n.is_i64() || n.is_u64() => Ok(Some(value.clone())),
                other => Err(wrong(format!("valueInteger holding {}", describe(other)))),
            },
            (FindingKind::Number { .. }, "valueDecimal") => match value {
                Value::Number(_) => Ok(Some(value.clone())),
                other => Err(wrong(format!("valueDecimal holding {}", type_name(other)))),
            },
            (FindingKind::Choice { .. }, "valueCoding") => {
                let Some(code) = value.get("code").and_then(Value::as_str) else {
                    return Err(wrong("valueCoding without a code".into()));
                };
                let system = value.get("system").and_then(Value::as_str);
                let own = self.codes.choice_system(&f.id);
                let system_ok = match system {
                    None => true,
                    Some(s) if s == own => true,
                    Some(ADMINISTRATIVE_GENDER) => f.id == "sex",
                    Some(_) => false,
                };
                if !system_ok {
                    return Err(wrong(format!("a code of {}", system.unwrap_or_default())));
                }
                Ok(Some(json!(code)))
            }
            (_, key) => Err(wrong(key.to_string())),
        }
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Number(n) => format!("the non-integer {n}"),
        other => type_name(other).to_string(),
    }
}

/// Reads a `QuestionnaireResponse` answering the upperback interview into evidence, the same
/// evidence the equivalent structured answers (`--answers`) give.
///
/// Checks the resourceType, the `questionnaire` it answers (when given: the canonical URL,
/// any version), every item's `linkId` (a finding id or a group of the Questionnaire; nested
/// items and answers' items are walked), the answer types (`valueBoolean` for yes/no,
/// `valueInteger` / `valueDecimal` for numbers, `valueCoding` for choices; `sex` also takes
/// FHIR AdministrativeGender codes) and ranges. An item without an answer leaves its finding
/// unknown, never "no". Every error names the linkId.
pub fn evidence_from_questionnaire_response(
    kb: &KnowledgeBase,
    response: &Value,
) -> Result<Evidence, FhirError> {
    const EXPECTED: &str = "QuestionnaireResponse";
    let Some(object) = response.as_object() else {
        return Err(FhirError::NotAResource { expected: EXPECTED });
    };
    match object.get("resourceType").and_then(Value::as_str) {
        None => return Err(FhirError::NotAResource { expected: EXPECTED }),
        Some(EXPECTED) => {}
        Some(other) => {
            return Err(FhirError::WrongResourceType {
                expected: EXPECTED,
                got: other.to_string(),
            })
        }
    }
    let codes = Codes::embedded();
    match object.get("questionnaire") {
        None | Some(Value::Null) => {}
        Some(Value::String(canonical)) => {
            let url = canonical.split('|').next().unwrap_or_default();
            if url != codes.questionnaire_url() {
                return Err(FhirError::WrongQuestionnaire {
                    got: canonical.clone(),
                    expected: codes.questionnaire_url(),
                });
            }
        }
        Some(_) => {
            return Err(FhirError::Malformed {
                field: "questionnaire".into(),
                expected: "a canonical URL string",
            })
        }
    }
    match object.get("status") {
        None => {}
        Some(Value::String(s)) if s == "entered-in-error" => {
            return Err(FhirError::UnusableStatus { status: s.clone() })
        }
        Some(Value::String(_)) => {}
        Some(_) => {
            return Err(FhirError::Malformed {
                field: "status".into(),
                expected: "a string",
            })
        }
    }
    let groups = layout(kb)
        .into_iter()
        .filter_map(|s| match s {
            Section::Group { link_id, .. } => Some(link_id),
            Section::Single { .. } => None,
        })
        .collect();
    let mut reader = ResponseReader {
        kb,
        codes,
        groups,
        seen: HashSet::new(),
        evidence: Evidence::new(kb),
    };
    reader.items(object.get("item"), "")?;
    Ok(reader.evidence)
}
