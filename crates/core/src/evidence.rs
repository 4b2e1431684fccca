//! Evidence: what is known about a person, finding by finding, and where it came from.

use serde::Serialize;

use crate::knowledge::{FindingId, FindingKind, KnowledgeBase};

/// A known value of one finding. Unknown findings simply have no [`Observation`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Present,
    Absent,
    Number(f64),
    /// Index into the finding's `choices`.
    Choice(u16),
}

/// Whether a finding holds, as the triage rules and the contract see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Present,
    Absent,
    Unknown,
}

/// Where an observation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Read from the person's own words.
    Text,
    /// An explicit structured answer.
    Answer,
    /// Derived from a workstation or posture score.
    Ergonomics,
}

/// A piece of the person's text, in Unicode scalar (char) offsets, end exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A context trigger that changed what a phrase says: "no" negating it, "last year" making
/// it history, "if" making it hypothetical, "my father" making it someone else's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextTrigger {
    /// negation, uncertainty, historical, hypothetical or experiencer.
    pub kind: String,
    #[serde(flatten)]
    pub span: TextSpan,
}

/// One known finding, with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub value: Value,
    pub origin: Origin,
    /// Spans of the text it was read from (empty for answers).
    pub spans: Vec<TextSpan>,
    /// The context trigger that changed it (e.g. the "no" of "no fever").
    pub trigger: Option<TextTrigger>,
    /// A short explanation, e.g. that an answer overrides what the text said.
    pub note: Option<String>,
}

impl Observation {
    /// The words it was read from, as the person wrote them: the trigger and the phrase
    /// ("no fever"), joined by "…" where other words came between. `None` for answers.
    ///
    /// ```
    /// use upperback_core::{Observation, Origin, TextSpan, TextTrigger, Value};
    /// let span = |start, end, text: &str| TextSpan { start, end, text: text.into() };
    /// let mut seen = Observation::answer(Value::Absent);
    /// seen.origin = Origin::Text;
    /// seen.spans = vec![span(3, 8, "fever")];
    /// seen.trigger = Some(TextTrigger { kind: "negation".into(), span: span(0, 2, "no") });
    /// assert_eq!(seen.words().as_deref(), Some("no fever"));
    /// seen.spans = vec![span(20, 25, "sweats")];
    /// assert_eq!(seen.words().as_deref(), Some("no … sweats"));
    /// ```
    pub fn words(&self) -> Option<String> {
        if self.origin != Origin::Text || self.spans.is_empty() {
            return None;
        }
        let mut pieces: Vec<&TextSpan> = self.spans.iter().collect();
        if let Some(trigger) = &self.trigger {
            pieces.push(&trigger.span);
        }
        pieces.sort_by_key(|s| (s.start, s.end));
        pieces.dedup_by(|b, a| b.start >= a.start && b.end <= a.end);
        let mut words = String::new();
        let mut end = None;
        for piece in pieces {
            match end {
                None => {}
                Some(e) if piece.start <= e + 1 => words.push(' '),
                Some(_) => words.push_str(" … "),
            }
            words.push_str(piece.text.trim());
            end = Some(piece.end);
        }
        Some(words)
    }

    /// An explicit answer with this value.
    pub fn answer(value: Value) -> Self {
        Observation {
            value,
            origin: Origin::Answer,
            spans: Vec::new(),
            trigger: None,
            note: None,
        }
    }
}

/// Specific advice from a tool that produced an observation, e.g. the workstation changes
/// that would lower a ROSA score most. The care plan shows it with the advice of every
/// advised cause the finding bears on.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolAdvice {
    pub finding: FindingId,
    pub id: String,
    pub text: String,
    pub source: String,
}

/// A red flag the text may have described but did not state clearly: its words speak of the
/// red flag's body system ("something's wrong in my chest") and nothing was read with
/// confidence. It never changes the level; it is asked first.
#[derive(Debug, Clone, PartialEq)]
pub struct PossibleRedFlag {
    pub finding: FindingId,
    /// The person's words that point to it.
    pub span: TextSpan,
}

/// Everything known about one person: at most one observation per finding of the
/// knowledge base. A finding without an observation is unknown — never "no".
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    observations: Vec<Option<Observation>>,
    advice: Vec<ToolAdvice>,
    possible: Vec<PossibleRedFlag>,
}

impl Evidence {
    /// Evidence with every finding unknown.
    pub fn new(kb: &KnowledgeBase) -> Self {
        Evidence {
            observations: vec![None; kb.findings.len()],
            advice: Vec::new(),
            possible: Vec::new(),
        }
    }

    /// Records (or replaces) what is known of a finding.
    pub fn set(&mut self, finding: FindingId, observation: Observation) {
        self.observations[finding.index()] = Some(observation);
    }

    /// Adds a tool's specific advice about a finding.
    pub fn add_advice(&mut self, advice: ToolAdvice) {
        self.advice.push(advice);
    }

    /// The tools' specific advice, in the order it was added.
    pub fn advice(&self) -> &[ToolAdvice] {
        &self.advice
    }

    /// Notes a red flag the text may have described. One per finding: the first words win.
    pub fn add_possible(&mut self, possible: PossibleRedFlag) {
        if !self.possible.iter().any(|p| p.finding == possible.finding) {
            self.possible.push(possible);
        }
    }

    /// The red flags the text may have described, in text order, whatever is known of them
    /// since.
    pub fn possible(&self) -> &[PossibleRedFlag] {
        &self.possible
    }

    /// The possible red flags that no answer has settled yet.
    pub fn open_possible(&self) -> impl Iterator<Item = &PossibleRedFlag> {
        self.possible.iter().filter(|p| {
            self.get(p.finding)
                .is_none_or(|o| o.origin != Origin::Answer)
        })
    }

    /// Forgets a finding: it becomes unknown.
    pub fn clear(&mut self, finding: FindingId) {
        self.observations[finding.index()] = None;
    }

    pub fn get(&self, finding: FindingId) -> Option<&Observation> {
        self.observations[finding.index()].as_ref()
    }

    /// Present / absent / unknown. A known number or choice counts as present.
    pub fn status(&self, finding: FindingId) -> Status {
        match self.get(finding).map(|o| &o.value) {
            None => Status::Unknown,
            Some(Value::Absent) => Status::Absent,
            Some(_) => Status::Present,
        }
    }

    /// The number, when the finding is numeric and known.
    pub fn number(&self, finding: FindingId) -> Option<f64> {
        match self.get(finding)?.value {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The chosen value's index, when the finding is a choice and known.
    pub fn choice(&self, finding: FindingId) -> Option<u16> {
        match self.get(finding)?.value {
            Value::Choice(c) => Some(c),
            _ => None,
        }
    }

    /// Known findings in knowledge-base order.
    pub fn known(&self) -> impl Iterator<Item = (FindingId, &Observation)> {
        self.observations
            .iter()
            .enumerate()
            .filter_map(|(i, o)| o.as_ref().map(|o| (FindingId(i as u16), o)))
    }

    /// Records the person's answer about a finding. Where the text had said the same, the
    /// words stay with it and it is marked confirmed; where it said something else, the
    /// observation notes that the answer overrides it.
    pub fn answer(&mut self, kb: &KnowledgeBase, finding: FindingId, mut answer: Observation) {
        if let Some(previous) = self.get(finding) {
            if previous.origin == Origin::Text && answer.origin != Origin::Text {
                if previous.value == answer.value {
                    answer.spans = previous.spans.clone();
                    answer.trigger = previous.trigger.clone();
                    answer.note = Some("you confirmed what the text said".into());
                } else {
                    answer.note = Some(format!(
                        "your answer overrides what the text said ({})",
                        describe_value(kb, finding, &previous.value)
                    ));
                }
            }
        }
        self.set(finding, answer);
    }

    /// Overlays explicit answers on this evidence: each answer replaces what was there (see
    /// [`Evidence::answer`]).
    pub fn overlay(&mut self, kb: &KnowledgeBase, answers: &Evidence) {
        for (id, answer) in answers.known() {
            self.answer(kb, id, answer.clone());
        }
        self.advice.extend(answers.advice.iter().cloned());
        for possible in &answers.possible {
            self.add_possible(possible.clone());
        }
    }
}

/// The person's words from several pieces of their text, as they are quoted back: joined by
/// "…"; `None` when there are none.
pub fn quoted<'a>(pieces: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let pieces: Vec<&str> = pieces.into_iter().map(str::trim).collect();
    (!pieces.is_empty()).then(|| pieces.join(" … "))
}

/// A value in words, as the contract's JSON would show it.
pub(crate) fn describe_value(kb: &KnowledgeBase, id: FindingId, value: &Value) -> String {
    match value {
        Value::Present => "present".into(),
        Value::Absent => "absent".into(),
        Value::Number(n) => format_number(*n),
        Value::Choice(c) => match &kb.finding(id).kind {
            FindingKind::Choice { choices } => choices[*c as usize].clone(),
            _ => c.to_string(),
        },
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Bad structured input. Each message is one line that names what to fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    #[error("answers are not valid JSON: {0}")]
    MalformedJson(String),
    #[error(
        "answers must be a JSON object mapping finding ids to values, e.g. {{\"fever\": false}}"
    )]
    NotAnObject,
    #[error("unknown finding id `{id}`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownFinding {
        id: String,
        suggestion: Option<String>,
    },
    #[error("finding `{id}` expects {expected}, got {got}")]
    WrongType {
        id: String,
        expected: String,
        got: String,
    },
    #[error(
        "finding `{id}` = {value} is out of range: it must be between {min} and {max} ({unit})"
    )]
    OutOfRange {
        id: String,
        value: String,
        min: String,
        max: String,
        unit: String,
    },
    #[error("finding `{id}` = \"{value}\" is not one of its choices: {}", choices.join(", "))]
    UnknownChoice {
        id: String,
        value: String,
        choices: Vec<String>,
    },
}

/// The JSON kind of a value in words ("a string", "a number", …), for error messages.
pub fn json_type_name(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

impl KnowledgeBase {
    /// Checks one structured answer against the finding's kind and range. `Ok(None)` means
    /// "don't know" (`null`).
    ///
    /// ```
    /// use upperback_core::{KnowledgeBase, Value};
    /// let kb = KnowledgeBase::embedded();
    /// assert_eq!(kb.parse_answer("fever", &serde_json::json!(false)).unwrap(), Some((kb.finding_id("fever").unwrap(), Value::Absent)));
    /// assert!(kb.parse_answer("age", &serde_json::json!(500)).is_err());
    /// ```
    pub fn parse_answer(
        &self,
        id: &str,
        value: &serde_json::Value,
    ) -> Result<Option<(FindingId, Value)>, InputError> {
        let Some(finding_id) = self.finding_id(id) else {
            return Err(InputError::UnknownFinding {
                id: id.to_string(),
                suggestion: self.closest_finding(id),
            });
        };
        if value.is_null() {
            return Ok(None);
        }
        let finding = self.finding(finding_id);
        let wrong_type = |expected: &str| InputError::WrongType {
            id: id.to_string(),
            expected: expected.to_string(),
            got: json_type_name(value).to_string(),
        };
        let parsed = match &finding.kind {
            FindingKind::Bool => match value.as_bool() {
                Some(true) => Value::Present,
                Some(false) => Value::Absent,
                None => return Err(wrong_type("true, false or null")),
            },
            FindingKind::Number { unit, min, max } => {
                let Some(n) = value.as_f64() else {
                    return Err(wrong_type("a number or null"));
                };
                if !(n >= *min && n <= *max) {
                    return Err(InputError::OutOfRange {
                        id: id.to_string(),
                        value: value.to_string(),
                        min: format_number(*min),
                        max: format_number(*max),
                        unit: unit.clone(),
                    });
                }
                Value::Number(n)
            }
            FindingKind::Choice { choices } => {
                let Some(s) = value.as_str() else {
                    return Err(wrong_type(&format!(
                        "one of the strings {} or null",
                        choices.join(", ")
                    )));
                };
                match choices.iter().position(|c| c == s) {
                    Some(i) => Value::Choice(i as u16),
                    None => {
                        return Err(InputError::UnknownChoice {
                            id: id.to_string(),
                            value: s.to_string(),
                            choices: choices.clone(),
                        })
                    }
                }
            }
        };
        Ok(Some((finding_id, parsed)))
    }

    /// Parses a JSON object of structured answers (finding id → value) into evidence.
    ///
    /// ```
    /// use upperback_core::{KnowledgeBase, Status};
    /// let kb = KnowledgeBase::embedded();
    /// let evidence = kb.parse_answers(r#"{"fever": false, "duration_hours": 96, "chills": null}"#).unwrap();
    /// assert_eq!(evidence.status(kb.finding_id("fever").unwrap()), Status::Absent);
    /// assert_eq!(evidence.status(kb.finding_id("chills").unwrap()), Status::Unknown);
    /// ```
    pub fn parse_answers(&self, json: &str) -> Result<Evidence, InputError> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| InputError::MalformedJson(e.to_string()))?;
        self.answers_from_json(&value)
    }

    /// Like [`KnowledgeBase::parse_answers`], from an already parsed JSON value.
    pub fn answers_from_json(&self, value: &serde_json::Value) -> Result<Evidence, InputError> {
        let Some(object) = value.as_object() else {
            return Err(InputError::NotAnObject);
        };
        let mut evidence = Evidence::new(self);
        for (id, value) in object {
            if let Some((finding, value)) = self.parse_answer(id, value)? {
                evidence.set(finding, Observation::answer(value));
            }
        }
        Ok(evidence)
    }

    /// The finding id nearest to a misspelt one, if any is close.
    pub fn closest_finding(&self, id: &str) -> Option<String> {
        self.findings
            .iter()
            .map(|f| (edit_distance(&f.id, id), &f.id))
            .filter(|(d, f)| *d <= 3.max(f.len() / 4))
            .min_by_key(|(d, _)| *d)
            .map(|(_, f)| f.clone())
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_problem() {
        let kb = KnowledgeBase::embedded();
        let err = |json: &str| kb.parse_answers(json).unwrap_err().to_string();
        assert_eq!(
            err(r#"{"fevr": true}"#),
            "unknown finding id `fevr` (did you mean `fever`?)"
        );
        assert_eq!(
            err(r#"{"fever": "yes"}"#),
            "finding `fever` expects true, false or null, got a string"
        );
        assert_eq!(
            err(r#"{"age": 500}"#),
            "finding `age` = 500 is out of range: it must be between 0 and 120 (years)"
        );
        assert!(err(r#"{"pain_severity": 11}"#).contains("between 0 and 10"));
        assert!(err(r#"{"location": "knee"}"#).contains("between_shoulder_blades"));
        assert!(err("[1]").contains("JSON object"));
        assert!(err("{").starts_with("answers are not valid JSON"));
        assert!(!err("{").contains('\n'));
    }

    #[test]
    fn null_is_unknown_not_no() {
        let kb = KnowledgeBase::embedded();
        let e = kb.parse_answers(r#"{"fever": null}"#).unwrap();
        assert_eq!(e.status(kb.finding_id("fever").unwrap()), Status::Unknown);
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("fever", "fevr"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
