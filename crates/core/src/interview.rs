//! The adaptive interview: ask the fewest questions that settle safety and cause.
//!
//! Order: (a) the red flags the text may have described ("something's wrong in my chest"),
//! quoting the words; (b) each red flag the text read as present that makes an emergency,
//! read back one at a time ("You wrote: '…'. Is this right?"); (c) the red-flag checklists
//! of `questions.toml`, most dangerous first, showing every red flag the person has not
//! answered — including those the text read, marked with the words they were read from;
//! (d) the basics (duration, improvement, home care, age) when unknown; (e) cause questions,
//! chosen by expected information gain over the five cause probabilities, until no
//! remaining question has a real chance of changing the top cause or the causes the care
//! plan advises on, or a cap is reached.
//!
//! What the text said of a red flag is confirmed, never assumed: only the person's answer
//! settles one as absent. An emergency the person confirms (or cannot rule out) ends the
//! interview: at once when it calls for an ambulance; at the emergency department, once the
//! red flags that would call for an ambulance have been asked (so that an emergency is never
//! sent to the wrong door). "Don't know" (`null`) is always an answer and never means "no": it
//! keeps a red flag the text read as present, and undoes a denial read from the text.
//!
//! The state machine is pure: it takes answers as JSON values and never reads or prints.
//!
//! ```
//! use upperback_core::{Interview, KnowledgeBase, Evidence};
//! let kb = KnowledgeBase::embedded();
//! let mut interview = Interview::new(kb, Evidence::new(kb));
//! let first = interview.current().unwrap();
//! assert_eq!(first.id, "q-red-flags-heart");
//! interview.answer(&serde_json::json!(["chest_pain"])).unwrap();
//! assert!(interview.is_finished()); // an emergency ends it at once
//! assert_eq!(interview.result().triage.level.as_str(), "ambulance");
//! ```

use std::borrow::Cow;

use serde::Serialize;

use crate::assessment::{assess, Assessment};
use crate::causes::rank_causes;
use crate::condition::{Comparison, Condition};
use crate::evidence::{Evidence, Observation, Origin, Status, Value};
use crate::knowledge::{FindingId, FindingKind, KnowledgeBase, QuestionKind, Stage};
use crate::triage::{triage, TriageLevel};

/// What the text said of a finding a question asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSaid {
    /// Read as there: a checklist shows it ticked, and the answer confirms it or not.
    Present,
    /// Read as denied: still asked; the answer settles it.
    Absent,
    /// The words may describe it, but nothing was read with confidence.
    Possible,
}

/// The words a question quotes, and what they were taken to say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FromText {
    pub status: TextSaid,
    pub words: String,
}

/// An item of a checklist as shown to the person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecklistItem<'kb> {
    pub finding: &'kb str,
    pub label: &'kb str,
    /// Set when the text spoke of it: shown with the words, ticked when read as present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_text: Option<FromText>,
}

impl ChecklistItem<'_> {
    /// True when the checklist shows the item ticked before the person answers.
    pub fn pre_ticked(&self) -> bool {
        self.from_text
            .as_ref()
            .is_some_and(|t| t.status == TextSaid::Present)
    }
}

/// A question as the contract shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionView<'kb> {
    pub id: Cow<'kb, str>,
    pub kind: QuestionKind,
    pub text: Cow<'kb, str>,
    /// Checklists: the findings still unknown, which the answer settles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<&'kb str>>,
    /// Checklists: each finding with its plain-language label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<ChecklistItem<'kb>>>,
    /// Other kinds: the one finding asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<&'kb str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<&'kb str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choices: Option<&'kb [String]>,
    /// A yes/no question reading back a red flag: the words it was read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_text: Option<FromText>,
}

/// How far along the interview is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub asked: usize,
    pub estimated_remaining: usize,
}

/// Why an answer was not accepted. The question stays the same.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnswerError {
    #[error("the interview is over; there is no question to answer")]
    Finished,
    #[error("question `{question}` expects {expected}, got {got}")]
    WrongKind {
        question: String,
        expected: String,
        got: String,
    },
    #[error("`{id}` is not one of this checklist's items: {}", items.join(", "))]
    NotAnItem { id: String, items: Vec<String> },
    #[error("{0}")]
    Invalid(String),
}

/// Which question is being asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asking {
    /// A question of `questions.toml`, by index.
    Fixed(usize),
    /// The red flags some words may have described: the index of the first of them in
    /// the evidence's possible red flags (the others share its words).
    Possible(usize),
    /// A red flag read as present, read back for the person to confirm.
    Confirm(FindingId),
}

/// One answered question, for going back.
#[derive(Debug, Clone)]
struct Answered {
    question: Asking,
    evidence_before: Evidence,
    put_before: Vec<bool>,
}

/// The interview state: the evidence so far and the question being asked.
#[derive(Debug, Clone)]
pub struct Interview<'kb> {
    kb: &'kb KnowledgeBase,
    evidence: Evidence,
    answered: Vec<Answered>,
    /// The current question; `None` once finished.
    current: Option<Asking>,
    /// The findings the current question settles: a checklist's items (red flags the
    /// person has not answered, other findings still unknown), or the one finding asked.
    shown: Vec<FindingId>,
    /// Per finding: put to the person in this interview (their answer, even "don't know",
    /// is what stands).
    put: Vec<bool>,
    /// Set when the person stands behind an emergency below the highest level: per finding,
    /// whether it is a red flag that would call for an ambulance. Only those are still
    /// asked, then the interview ends.
    ambulance_only: Option<Vec<bool>>,
}

fn binary_entropy(p: f64) -> f64 {
    if p <= 0.0 || p >= 1.0 {
        0.0
    } else {
        -(p * p.log2() + (1.0 - p) * (1.0 - p).log2())
    }
}

/// What the care plan and the explanation depend on: the top cause and the causes at or
/// above the advice threshold.
fn cause_signature(kb: &KnowledgeBase, evidence: &Evidence) -> (Vec<usize>, f64, Vec<f64>) {
    let ranked = rank_causes(kb, evidence);
    let top = kb
        .causes
        .iter()
        .position(|c| c.id == ranked[0].id)
        .unwrap_or(0);
    let mut above: Vec<usize> = ranked
        .iter()
        .filter(|c| c.probability > kb.care.threshold)
        .filter_map(|c| kb.causes.iter().position(|k| k.id == c.id))
        .collect();
    above.sort_unstable();
    let mut signature = vec![top];
    signature.extend(above);
    let entropy = ranked.iter().map(|c| binary_entropy(c.probability)).sum();
    let probabilities = kb
        .causes
        .iter()
        .map(|k| {
            ranked
                .iter()
                .find(|c| c.id == k.id)
                .map_or(k.prior, |c| c.probability)
        })
        .collect();
    (signature, entropy, probabilities)
}

impl<'kb> Interview<'kb> {
    /// Starts an interview from what is already known (e.g. read from the person's text).
    pub fn new(kb: &'kb KnowledgeBase, evidence: Evidence) -> Self {
        let mut interview = Interview {
            kb,
            evidence,
            answered: Vec::new(),
            current: None,
            shown: Vec::new(),
            put: vec![false; kb.findings.len()],
            ambulance_only: None,
        };
        interview.advance();
        interview
    }

    /// The evidence gathered so far.
    pub fn evidence(&self) -> &Evidence {
        &self.evidence
    }

    /// True once there is nothing more to ask.
    pub fn is_finished(&self) -> bool {
        self.current.is_none()
    }

    /// Questions answered so far (including "don't know").
    pub fn asked(&self) -> usize {
        self.answered.len()
    }

    /// The assessment from the evidence so far.
    pub fn result(&self) -> Assessment<'_> {
        assess(self.kb, &self.evidence)
    }

    /// The question to answer now, if any.
    pub fn current(&self) -> Option<QuestionView<'kb>> {
        let kb = self.kb;
        let mut view = QuestionView {
            id: Cow::Borrowed(""),
            kind: QuestionKind::Checklist,
            text: Cow::Borrowed(""),
            findings: None,
            items: None,
            finding: None,
            unit: None,
            min: None,
            max: None,
            choices: None,
            from_text: None,
        };
        match self.current? {
            Asking::Possible(first) => {
                let possible = &self.evidence.possible()[first];
                view.id = Cow::Owned(format!("q-possible-{}", kb.finding(possible.finding).id));
                view.text = Cow::Owned(kb.interview.read_back.possible(&possible.span.text));
                self.checklist_view(&mut view);
            }
            Asking::Confirm(finding) => {
                let words = self.text_words(finding).unwrap_or_default();
                view.id = Cow::Owned(format!("q-confirm-{}", kb.finding(finding).id));
                view.kind = QuestionKind::YesNo;
                view.text = Cow::Owned(kb.interview.read_back.confirm(&words, self.label(finding)));
                view.finding = Some(&kb.finding(finding).id);
                view.from_text = Some(FromText {
                    status: TextSaid::Present,
                    words,
                });
            }
            Asking::Fixed(index) => {
                let question = &kb.interview.questions[index];
                view.id = Cow::Borrowed(&question.id);
                view.kind = question.kind;
                view.text = Cow::Borrowed(&question.text);
                if question.kind == QuestionKind::Checklist {
                    self.checklist_view(&mut view);
                } else {
                    let finding = kb.finding(question.findings[0]);
                    view.finding = Some(&finding.id);
                    match &finding.kind {
                        FindingKind::Number { unit, min, max } => {
                            view.unit = Some(unit);
                            view.min = Some(*min);
                            view.max = Some(*max);
                        }
                        FindingKind::Choice { choices } => view.choices = Some(choices),
                        FindingKind::Bool => {}
                    }
                }
            }
        }
        Some(view)
    }

    /// A checklist's items: the shown findings, each with what the text said of it.
    fn checklist_view(&self, view: &mut QuestionView<'kb>) {
        let kb = self.kb;
        let possible = matches!(self.current, Some(Asking::Possible(_)));
        view.findings = Some(
            self.shown
                .iter()
                .map(|f| kb.finding(*f).id.as_str())
                .collect(),
        );
        view.items = Some(
            self.shown
                .iter()
                .map(|f| ChecklistItem {
                    finding: &kb.finding(*f).id,
                    label: self.label(*f),
                    from_text: if possible {
                        self.possible_words(*f).map(|words| FromText {
                            status: TextSaid::Possible,
                            words,
                        })
                    } else {
                        self.what_the_text_said(*f)
                    },
                })
                .collect(),
        );
    }

    /// A finding's checklist wording.
    fn label(&self, finding: FindingId) -> &'kb str {
        self.kb.finding_label(finding)
    }

    /// The words a finding was read from, when the text settled it.
    fn text_words(&self, finding: FindingId) -> Option<String> {
        self.evidence
            .get(finding)
            .filter(|o| o.origin == Origin::Text)
            .and_then(|o| o.words())
    }

    /// What the text said of a finding, for a checklist item.
    fn what_the_text_said(&self, finding: FindingId) -> Option<FromText> {
        let words = self.text_words(finding)?;
        let status = match self.evidence.status(finding) {
            Status::Absent => TextSaid::Absent,
            _ => TextSaid::Present,
        };
        Some(FromText { status, words })
    }

    /// The words by which the text may have described a red flag.
    fn possible_words(&self, finding: FindingId) -> Option<String> {
        self.evidence
            .possible()
            .iter()
            .find(|p| p.finding == finding)
            .map(|p| p.span.text.clone())
    }

    /// An estimate of how far along the interview is.
    pub fn progress(&self) -> Progress {
        let settings = &self.kb.interview.settings;
        let pending = |causes: bool| {
            (0..self.kb.interview.questions.len())
                .filter(|&i| {
                    (self.kb.interview.questions[i].stage == Stage::Causes) == causes
                        && Some(Asking::Fixed(i)) != self.current
                        && self.is_open(i)
                })
                .count()
        };
        let pending_possible = self
            .open_possible_groups()
            .filter(|first| Some(Asking::Possible(*first)) != self.current)
            .count();
        let pending_fixed = pending(false) + pending_possible;
        let pending_causes = pending(true).min(
            settings
                .max_cause_questions
                .saturating_sub(self.causes_asked() + 1),
        );
        let remaining = if self.current.is_some() {
            1 + pending_fixed + pending_causes
        } else {
            0
        };
        Progress {
            asked: self.answered.len(),
            estimated_remaining: remaining
                .min(settings.max_questions.saturating_sub(self.answered.len())),
        }
    }

    /// Goes back one question: its answer is undone and it is asked again. False when
    /// nothing has been answered yet.
    pub fn back(&mut self) -> bool {
        let Some(last) = self.answered.pop() else {
            return false;
        };
        self.evidence = last.evidence_before;
        self.put = last.put_before;
        self.update_escalation();
        self.ask(last.question);
        true
    }

    /// Answers the current question with a JSON value of its kind (`null` = don't know) and
    /// moves on. A wrong answer changes nothing and can be corrected.
    pub fn answer(&mut self, value: &serde_json::Value) -> Result<(), AnswerError> {
        let Some(view) = self.current() else {
            return Err(AnswerError::Finished);
        };
        let asking = self.current.expect("a current question");
        let kb = self.kb;
        let wrong = |expected: &str| AnswerError::WrongKind {
            question: view.id.to_string(),
            expected: expected.to_string(),
            got: match value {
                serde_json::Value::Null => "null".into(),
                serde_json::Value::Bool(_) => "a boolean".into(),
                serde_json::Value::Number(_) => "a number".into(),
                serde_json::Value::String(_) => "a string".into(),
                serde_json::Value::Array(_) => "a list".into(),
                serde_json::Value::Object(_) => "an object".into(),
            },
        };
        let mut updates: Vec<(FindingId, Value)> = Vec::new();
        if !value.is_null() {
            match view.kind {
                QuestionKind::Checklist => {
                    let items = value.as_array().ok_or_else(|| {
                        wrong("a list of the finding ids that apply ([] for none), or null")
                    })?;
                    let mut ticked = Vec::new();
                    for item in items {
                        let id = item.as_str().ok_or_else(|| {
                            wrong("a list of finding id strings ([] for none), or null")
                        })?;
                        match self.shown.iter().find(|f| kb.finding(**f).id == id) {
                            Some(f) => ticked.push(*f),
                            None => {
                                return Err(AnswerError::NotAnItem {
                                    id: id.to_string(),
                                    items: self
                                        .shown
                                        .iter()
                                        .map(|f| kb.finding(*f).id.clone())
                                        .collect(),
                                })
                            }
                        }
                    }
                    for f in &self.shown {
                        let v = if ticked.contains(f) {
                            Value::Present
                        } else {
                            Value::Absent
                        };
                        updates.push((*f, v));
                    }
                }
                QuestionKind::YesNo => {
                    let yes = value
                        .as_bool()
                        .ok_or_else(|| wrong("true, false or null"))?;
                    let v = if yes { Value::Present } else { Value::Absent };
                    updates.push((self.shown[0], v));
                }
                QuestionKind::Number | QuestionKind::Choice => {
                    let id = &kb.finding(self.shown[0]).id;
                    let expected = if view.kind == QuestionKind::Number {
                        "a number or null"
                    } else {
                        "one of the choices, or null"
                    };
                    if (view.kind == QuestionKind::Number) != value.is_number() {
                        return Err(wrong(expected));
                    }
                    let parsed = kb
                        .parse_answer(id, value)
                        .map_err(|e| AnswerError::Invalid(e.to_string()))?;
                    if let Some((f, v)) = parsed {
                        updates.push((f, v));
                    }
                }
            }
        }
        self.answered.push(Answered {
            question: asking,
            evidence_before: self.evidence.clone(),
            put_before: self.put.clone(),
        });
        for &finding in &self.shown {
            if kb.finding(finding).red_flag {
                self.put[finding.index()] = true;
                // "Don't know" never means "no": a denial read from the text no longer
                // stands once the person cannot confirm it. A red flag read as present
                // stays present (the safe side).
                if value.is_null() && self.evidence.status(finding) == Status::Absent {
                    self.evidence.clear(finding);
                }
            }
        }
        for (finding, value) in updates {
            self.evidence
                .answer(kb, finding, Observation::answer(value));
        }
        self.advance();
        Ok(())
    }

    fn causes_asked(&self) -> usize {
        self.answered
            .iter()
            .filter(|a| match a.question {
                Asking::Fixed(i) => self.kb.interview.questions[i].stage == Stage::Causes,
                _ => false,
            })
            .count()
    }

    fn ask(&mut self, asking: Asking) {
        self.current = Some(asking);
        self.shown = match asking {
            Asking::Fixed(index) => {
                let question = &self.kb.interview.questions[index];
                question
                    .findings
                    .iter()
                    .copied()
                    .filter(|f| question.kind != QuestionKind::Checklist || self.to_settle(*f))
                    .collect()
            }
            Asking::Possible(first) => {
                let possible = self.evidence.possible();
                let span = &possible[first].span;
                possible
                    .iter()
                    .filter(|p| p.span == *span && self.possible_to_ask(p.finding))
                    .map(|p| p.finding)
                    .collect()
            }
            Asking::Confirm(finding) => vec![finding],
        };
    }

    /// The person has answered it, in this interview or before it.
    fn settled_by_person(&self, finding: FindingId) -> bool {
        self.put[finding.index()]
            || self
                .evidence
                .get(finding)
                .is_some_and(|o| o.origin == Origin::Answer)
    }

    /// Still to be settled: a red flag the person has not answered (whatever the text
    /// said), or another finding still unknown. Past a confirmed emergency below the
    /// highest level, only a red flag that would call for an ambulance.
    fn to_settle(&self, finding: FindingId) -> bool {
        let kb = self.kb;
        if let Some(calls_ambulance) = &self.ambulance_only {
            return calls_ambulance[finding.index()] && !self.settled_by_person(finding);
        }
        if kb.finding(finding).red_flag {
            !self.settled_by_person(finding)
        } else {
            self.evidence.status(finding) == Status::Unknown
        }
    }

    /// Not yet asked, enabled, and with something still to settle.
    fn is_open(&self, index: usize) -> bool {
        let question = &self.kb.interview.questions[index];
        if self.ambulance_only.is_some() && question.stage != Stage::RedFlags {
            return false;
        }
        if self
            .answered
            .iter()
            .any(|a| a.question == Asking::Fixed(index))
        {
            return false;
        }
        let mut trace = Vec::new();
        if let Some(condition) = &question.enable_when {
            if !condition.evaluate(&self.evidence, &mut trace) {
                return false;
            }
        }
        question.findings.iter().any(|f| self.to_settle(*f))
    }

    /// The first possible red flag of each group of words with one still unanswered.
    fn open_possible_groups(&self) -> impl Iterator<Item = usize> + '_ {
        let possible = self.evidence.possible();
        (0..possible.len()).filter(move |&i| {
            let first_of_group = possible[..i].iter().all(|p| p.span != possible[i].span);
            first_of_group
                && possible
                    .iter()
                    .any(|p| p.span == possible[i].span && self.possible_to_ask(p.finding))
        })
    }

    /// A possible red flag still to ask.
    fn possible_to_ask(&self, finding: FindingId) -> bool {
        !self.settled_by_person(finding)
            && (self.ambulance_only.is_none() || self.to_settle(finding))
    }

    /// The evidence the person stands behind: without red flags that only the text said
    /// and that have not been put to them.
    fn confirmed_evidence(&self) -> Evidence {
        let mut confirmed = self.evidence.clone();
        for (finding, observation) in self.evidence.known() {
            if observation.origin == Origin::Text
                && self.kb.finding(finding).red_flag
                && !self.put[finding.index()]
            {
                confirmed.clear(finding);
            }
        }
        confirmed
    }

    /// A red flag read as present from the text, not yet confirmed, that makes an
    /// emergency: the most urgent rule's first.
    fn emergency_to_confirm(&self) -> Option<FindingId> {
        let kb = self.kb;
        let triage = triage(kb, &self.evidence);
        triage
            .fired_rules
            .iter()
            .filter(|rule| rule.level.is_emergency())
            .flat_map(|rule| rule.findings.iter())
            .filter_map(|id| kb.finding_id(id))
            .find(|&f| {
                kb.finding(f).red_flag
                    && (self.ambulance_only.is_none() || self.to_settle(f))
                    && !self.put[f.index()]
                    && self.evidence.status(f) == Status::Present
                    && self
                        .evidence
                        .get(f)
                        .is_some_and(|o| o.origin == Origin::Text)
            })
    }

    /// The level the person stands behind; below an ambulance but an emergency, only what
    /// would call for an ambulance is still asked.
    fn update_escalation(&mut self) -> TriageLevel {
        let kb = self.kb;
        let confirmed = self.confirmed_evidence();
        let level = triage(kb, &confirmed).level;
        self.ambulance_only =
            (level.is_emergency() && level != TriageLevel::Ambulance).then(|| {
                (0..kb.findings.len())
                    .map(|i| {
                        let finding = FindingId(i as u16);
                        kb.finding(finding).red_flag && {
                            let mut with = confirmed.clone();
                            with.set(finding, Observation::answer(Value::Present));
                            triage(kb, &with).level == TriageLevel::Ambulance
                        }
                    })
                    .collect()
            });
        level
    }

    fn advance(&mut self) {
        self.current = None;
        self.shown.clear();
        let kb = self.kb;
        let settings = &kb.interview.settings;
        // An emergency the person stands behind ends the interview: at once when it calls
        // for an ambulance; below that, once the red flags that would call for one are asked.
        if self.update_escalation() == TriageLevel::Ambulance {
            return;
        }
        if self.answered.len() >= settings.max_questions {
            return;
        }
        let first_possible = self.open_possible_groups().next();
        if let Some(first) = first_possible {
            self.ask(Asking::Possible(first));
            return;
        }
        if let Some(finding) = self.emergency_to_confirm() {
            self.ask(Asking::Confirm(finding));
            return;
        }
        let questions = &kb.interview.questions;
        if let Some(index) =
            (0..questions.len()).find(|&i| questions[i].stage != Stage::Causes && self.is_open(i))
        {
            self.ask(Asking::Fixed(index));
            return;
        }
        if self.causes_asked() >= settings.max_cause_questions {
            return;
        }
        let (signature, entropy, probabilities) = cause_signature(kb, &self.evidence);
        let mut best: Option<(usize, f64)> = None;
        let mut best_change = 0.0f64;
        for index in (0..questions.len()).filter(|&i| questions[i].stage == Stage::Causes) {
            if !self.is_open(index) {
                continue;
            }
            let (gain, change) = self.value_of(index, &signature, entropy, &probabilities);
            best_change = best_change.max(change);
            if change >= settings.min_change_probability
                && best.is_none_or(|(_, g)| gain > g + 1e-12)
            {
                best = Some((index, gain));
            }
        }
        if let Some((index, _)) = best {
            self.ask(Asking::Fixed(index));
        }
    }

    /// Expected information gain of a question over the cause probabilities, and the
    /// probability that its answer changes the top cause or the advised causes.
    fn value_of(
        &self,
        index: usize,
        signature: &[usize],
        entropy: f64,
        probabilities: &[f64],
    ) -> (f64, f64) {
        let kb = self.kb;
        let question = &kb.interview.questions[index];
        let unknown: Vec<FindingId> = question
            .findings
            .iter()
            .copied()
            .filter(|f| self.evidence.status(*f) == Status::Unknown)
            .collect();
        let outcome_values: Vec<(FindingId, Value, Value, f64)> = unknown
            .iter()
            .filter_map(|f| {
                let (pass, fail) = self.representative_values(*f)?;
                Some((*f, pass, fail, self.pass_probability(*f, probabilities)))
            })
            .collect();
        if outcome_values.is_empty() {
            return (0.0, 0.0);
        }
        let with = |sets: &[(FindingId, Value)]| {
            let mut evidence = self.evidence.clone();
            for (f, v) in sets {
                evidence.set(*f, Observation::answer(v.clone()));
            }
            cause_signature(kb, &evidence)
        };
        // Information gain: items taken one at a time (an upper-bound style sum).
        let mut gain = 0.0;
        for (f, pass, fail, p) in &outcome_values {
            let (_, h_pass, _) = with(&[(*f, pass.clone())]);
            let (_, h_fail, _) = with(&[(*f, fail.clone())]);
            gain += entropy - (p * h_pass + (1.0 - p) * h_fail);
        }
        // Chance of a change: "none apply" and each single item applying.
        let mut change = 0.0;
        let none: Vec<(FindingId, Value)> = outcome_values
            .iter()
            .map(|(f, _, fail, _)| (*f, fail.clone()))
            .collect();
        let p_none: f64 = outcome_values.iter().map(|(_, _, _, p)| 1.0 - p).product();
        if with(&none).0 != signature {
            change += p_none;
        }
        for (i, (f, pass, _, p)) in outcome_values.iter().enumerate() {
            let mut sets = none.clone();
            sets[i] = (*f, pass.clone());
            let p_only = p * outcome_values
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, (_, _, _, q))| 1.0 - q)
                .product::<f64>();
            if with(&sets).0 != signature {
                change += p_only;
            }
        }
        (gain, change)
    }

    /// Values that make a finding's evidence test pass and fail.
    fn representative_values(&self, finding: FindingId) -> Option<(Value, Value)> {
        match &self.kb.finding(finding).kind {
            FindingKind::Bool => Some((Value::Present, Value::Absent)),
            _ => {
                let test = self
                    .kb
                    .causes
                    .iter()
                    .flat_map(|c| &c.evidence)
                    .find(|lr| lr.finding == finding)?
                    .test
                    .as_ref()?;
                match test {
                    Condition::Compare {
                        comparison, value, ..
                    } => Some(match comparison {
                        Comparison::Greater => (Value::Number(value + 1.0), Value::Number(*value)),
                        Comparison::GreaterOrEqual => {
                            (Value::Number(*value), Value::Number(value - 1.0))
                        }
                        Comparison::Less => (Value::Number(value - 1.0), Value::Number(*value)),
                        Comparison::LessOrEqual => {
                            (Value::Number(*value), Value::Number(value + 1.0))
                        }
                        Comparison::Equal => (Value::Number(*value), Value::Number(value + 1.0)),
                    }),
                    Condition::ChoiceIs { choice, .. } => {
                        let other = if *choice == 0 { 1 } else { 0 };
                        Some((Value::Choice(*choice), Value::Choice(other)))
                    }
                    _ => None,
                }
            }
        }
    }

    /// How likely the finding's test is to pass, from the likelihood ratios: for a cause with
    /// LR+ and LR−, P(pass | cause) = LR+·b and P(pass | not cause) = b with
    /// b = (1 − LR−) / (LR+ − LR−); averaged over the causes it bears on.
    fn pass_probability(&self, finding: FindingId, probabilities: &[f64]) -> f64 {
        const FALLBACK: f64 = 0.3;
        let mut total = 0.0;
        let mut count = 0.0;
        for (cause, p) in self.kb.causes.iter().zip(probabilities) {
            for lr in cause.evidence.iter().filter(|lr| lr.finding == finding) {
                let denominator = lr.lr_present - lr.lr_absent;
                if denominator.abs() < 1e-9 {
                    continue;
                }
                let b = (1.0 - lr.lr_absent) / denominator;
                let a = lr.lr_present * b;
                if !(0.0 < b && b < 1.0 && 0.0 < a && a < 1.0) {
                    continue;
                }
                total += p * a + (1.0 - p) * b;
                count += 1.0;
            }
        }
        if count == 0.0 {
            FALLBACK
        } else {
            total / count
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kb() -> &'static KnowledgeBase {
        KnowledgeBase::embedded()
    }

    fn ids(interview: &Interview) -> String {
        interview
            .current()
            .map(|q| q.id.to_string())
            .unwrap_or_default()
    }

    /// Evidence read from a text: a spasm, and `finding` read as `value` from some words.
    fn read_from_text(finding: FindingId, value: Value) -> Evidence {
        let kb = kb();
        let mut evidence = Evidence::new(kb);
        let text = |start, end, text: &str| crate::evidence::TextSpan {
            start,
            end,
            text: text.into(),
        };
        let mut spasm = Observation::answer(Value::Present);
        spasm.origin = Origin::Text;
        spasm.spans = vec![text(0, 6, "spasm")];
        evidence.set(kb.finding_id("upper_back_spasm").unwrap(), spasm);
        let mut read = Observation::answer(value);
        read.origin = Origin::Text;
        read.spans = vec![text(10, 20, "the words")];
        evidence.set(finding, read);
        evidence
    }

    /// What the person says when asked about the red flag under test.
    #[derive(Clone, Copy)]
    enum Reply {
        Yes,
        No,
        DontKnow,
    }

    /// Runs an interview to its end: `reply` for the question that asks `finding`, "none",
    /// "no", 24 hours, 30 years and "don't know" for everything else. Returns how the
    /// finding was shown when asked (None if never asked).
    fn run(interview: &mut Interview, finding: FindingId, reply: Reply) -> Option<FromText> {
        let id = kb().finding(finding).id.as_str();
        let mut shown = None;
        while let Some(question) = interview.current() {
            let item = question
                .items
                .as_ref()
                .and_then(|items| items.iter().find(|i| i.finding == id));
            let asks = item.is_some() || question.finding == Some(id);
            if asks && shown.is_none() {
                shown = item
                    .and_then(|i| i.from_text.clone())
                    .or(question.from_text.clone())
                    .or(Some(FromText {
                        status: TextSaid::Possible,
                        words: String::new(),
                    }));
            }
            let answer = match (question.kind, asks, reply) {
                (_, true, Reply::DontKnow) => serde_json::Value::Null,
                (QuestionKind::Checklist, true, Reply::Yes) => json!([id]),
                (QuestionKind::Checklist, _, _) => json!([]),
                (QuestionKind::YesNo, true, Reply::Yes) => json!(true),
                (QuestionKind::YesNo, _, _) => json!(false),
                (QuestionKind::Number, _, _) if question.unit == Some("hours") => json!(24),
                (QuestionKind::Number, _, _) => json!(30),
                (QuestionKind::Choice, _, _) => serde_json::Value::Null,
            };
            interview.answer(&answer).unwrap();
        }
        shown
    }

    fn red_flags() -> impl Iterator<Item = FindingId> {
        (0..kb().findings.len())
            .map(|i| FindingId(i as u16))
            .filter(|f| kb().finding(*f).red_flag)
    }

    /// The level a red flag calls for when the person has it and nothing else.
    fn level_alone(finding: FindingId) -> crate::TriageLevel {
        let mut evidence = Evidence::new(kb());
        evidence.set(finding, Observation::answer(Value::Present));
        triage(kb(), &evidence).level
    }

    #[test]
    fn a_red_flag_the_text_denied_is_still_asked_before_any_result() {
        // Whether the text denied it rightly or by a misreading, the person who has it says so.
        for finding in red_flags() {
            let id = &kb().finding(finding).id;
            let mut interview = Interview::new(kb(), read_from_text(finding, Value::Absent));
            let shown = run(&mut interview, finding, Reply::Yes)
                .unwrap_or_else(|| panic!("{id}: never asked"));
            assert_eq!(
                shown.status,
                TextSaid::Absent,
                "{id}: not marked as read from the text"
            );
            assert_eq!(shown.words, "the words", "{id}");
            assert_eq!(
                interview.evidence().status(finding),
                Status::Present,
                "{id}"
            );
            assert!(
                interview.result().triage.level >= level_alone(finding),
                "{id}: the result is below its level"
            );
        }
    }

    #[test]
    fn a_red_flag_the_text_wrongly_affirmed_is_removed_by_a_no() {
        for finding in red_flags() {
            let id = &kb().finding(finding).id;
            let mut interview = Interview::new(kb(), read_from_text(finding, Value::Present));
            let shown = run(&mut interview, finding, Reply::No)
                .unwrap_or_else(|| panic!("{id}: never confirmed"));
            assert_eq!(shown.status, TextSaid::Present, "{id}: not read back");
            let observation = interview.evidence().get(finding).unwrap();
            assert_eq!(observation.value, Value::Absent, "{id}");
            assert_eq!(observation.origin, Origin::Answer, "{id}");
            assert!(!interview.result().triage.level.is_emergency(), "{id}");
        }
    }

    #[test]
    fn dont_know_keeps_a_red_flag_the_text_read() {
        for finding in red_flags() {
            let id = &kb().finding(finding).id;
            let mut interview = Interview::new(kb(), read_from_text(finding, Value::Present));
            run(&mut interview, finding, Reply::DontKnow)
                .unwrap_or_else(|| panic!("{id}: never confirmed"));
            assert_eq!(
                interview.evidence().status(finding),
                Status::Present,
                "{id}"
            );
            assert!(
                interview.result().triage.level >= level_alone(finding),
                "{id}"
            );
        }
    }

    #[test]
    fn dont_know_undoes_a_denial_read_from_the_text() {
        let fever = kb().finding_id("fever").unwrap();
        let mut interview = Interview::new(kb(), read_from_text(fever, Value::Absent));
        run(&mut interview, fever, Reply::DontKnow).expect("asked");
        assert_eq!(interview.evidence().status(fever), Status::Unknown);
        let result = interview.result();
        assert!(result.triage.unscreened_red_flags.contains(&"fever"));
        assert_eq!(result.triage.screening, crate::Screening::Partial);
    }

    #[test]
    fn an_emergency_read_from_the_text_is_confirmed_first_one_question_each() {
        let chest = kb().finding_id("chest_pain").unwrap();
        let mut interview = Interview::new(kb(), read_from_text(chest, Value::Present));
        let first = interview.current().unwrap();
        assert_eq!(first.id, "q-confirm-chest_pain");
        assert_eq!(first.kind, QuestionKind::YesNo);
        assert!(first.text.contains("the words"), "{}", first.text);
        // Yes: the emergency stands and the interview ends at once.
        interview.answer(&json!(true)).unwrap();
        assert!(interview.is_finished());
        assert_eq!(interview.result().triage.level.as_str(), "ambulance");
        let confirmed = interview.evidence().get(chest).unwrap();
        assert_eq!(confirmed.origin, Origin::Answer);
        assert_eq!(confirmed.spans[0].text, "the words");
    }

    #[test]
    fn a_confirmed_emergency_below_an_ambulance_still_asks_what_would_call_for_one() {
        // Unsteady walking (emergency department) read and confirmed; both legs affected
        // would call for an ambulance, so it is asked before the result.
        let gait = kb().finding_id("gait_disturbance").unwrap();
        let legs = kb().finding_id("both_legs_affected").unwrap();
        let mut interview = Interview::new(kb(), read_from_text(gait, Value::Present));
        assert_eq!(
            interview.current().unwrap().id,
            "q-confirm-gait_disturbance"
        );
        interview.answer(&json!(true)).unwrap();
        let mut asked_legs = false;
        while let Some(question) = interview.current() {
            // Only red flags that would call for an ambulance, never basics or causes.
            assert!(question.id.starts_with("q-red-flags-"), "{}", question.id);
            let items = question.findings.unwrap_or_default();
            let answer = if items.contains(&"both_legs_affected") {
                asked_legs = true;
                json!(["both_legs_affected"])
            } else {
                json!([])
            };
            interview.answer(&answer).unwrap();
        }
        assert!(asked_legs);
        assert_eq!(interview.evidence().status(legs), Status::Present);
        assert_eq!(interview.result().triage.level.as_str(), "ambulance");
    }

    #[test]
    fn a_lower_red_flag_read_from_the_text_is_pre_ticked_in_its_checklist() {
        let fever = kb().finding_id("fever").unwrap();
        let interview = Interview::new(kb(), read_from_text(fever, Value::Present));
        let heart = interview.current().unwrap();
        assert_eq!(heart.id, "q-red-flags-heart");
        let mut interview = interview;
        for _ in 0..3 {
            interview.answer(&json!([])).unwrap();
        }
        let infection = interview.current().unwrap();
        assert_eq!(infection.id, "q-red-flags-infection");
        let item = infection
            .items
            .unwrap()
            .into_iter()
            .find(|i| i.finding == "fever")
            .unwrap();
        assert!(item.pre_ticked());
    }

    #[test]
    fn possible_red_flags_are_asked_first_quoting_the_words() {
        let kb = kb();
        let mut evidence = Evidence::new(kb);
        let words = crate::evidence::TextSpan {
            start: 0,
            end: 28,
            text: "something's wrong in my chest".into(),
        };
        for id in ["chest_pain", "shortness_of_breath"] {
            evidence.add_possible(crate::PossibleRedFlag {
                finding: kb.finding_id(id).unwrap(),
                span: words.clone(),
            });
        }
        let mut interview = Interview::new(kb, evidence);
        let first = interview.current().unwrap();
        assert_eq!(first.id, "q-possible-chest_pain");
        assert!(first.text.contains("something's wrong in my chest"));
        assert_eq!(
            first.findings.as_deref(),
            Some(&["chest_pain", "shortness_of_breath"][..])
        );
        interview.answer(&json!([])).unwrap();
        // Answered: no longer possible, and not asked again in the heart checklist.
        assert!(interview.result().possible_red_flags.is_empty());
        let heart = interview.current().unwrap();
        assert!(!heart.findings.unwrap().contains(&"chest_pain"));
    }

    #[test]
    fn red_flags_come_first_in_order_then_basics() {
        let mut interview = Interview::new(kb(), Evidence::new(kb()));
        for expected in [
            "q-red-flags-heart",
            "q-red-flags-nerves",
            "q-red-flags-injury",
            "q-red-flags-infection",
            "q-duration",
        ] {
            assert_eq!(ids(&interview), expected);
            let answer = if expected == "q-duration" {
                json!(24)
            } else {
                json!([])
            };
            interview.answer(&answer).unwrap();
        }
        assert_eq!(ids(&interview), "q-age");
    }

    #[test]
    fn dont_know_is_never_no() {
        let mut interview = Interview::new(kb(), Evidence::new(kb()));
        interview.answer(&serde_json::Value::Null).unwrap();
        let chest = kb().finding_id("chest_pain").unwrap();
        assert_eq!(interview.evidence().status(chest), Status::Unknown);
        // The question is not asked again, and the result says it was not screened.
        assert_eq!(ids(&interview), "q-red-flags-nerves");
        assert!(interview
            .result()
            .triage
            .unscreened_red_flags
            .contains(&"chest_pain"));
    }

    #[test]
    fn unticked_checklist_items_are_absent() {
        let mut interview = Interview::new(kb(), Evidence::new(kb()));
        interview.answer(&json!(["coughing_blood"])).unwrap();
        let e = interview.evidence();
        assert_eq!(
            e.status(kb().finding_id("coughing_blood").unwrap()),
            Status::Present
        );
        assert_eq!(
            e.status(kb().finding_id("chest_pain").unwrap()),
            Status::Absent
        );
        // Coughing blood is an emergency below an ambulance: only the red flags that would
        // call for one are still asked, then the interview ends.
        let nerves = interview.current().unwrap();
        assert_eq!(nerves.id, "q-red-flags-nerves");
        assert_eq!(
            nerves.findings.unwrap(),
            [
                "bowel_bladder_dysfunction",
                "saddle_numbness",
                "both_legs_affected"
            ]
        );
        interview.answer(&json!([])).unwrap();
        assert!(interview.is_finished());
        assert_eq!(
            interview.result().triage.level.as_str(),
            "emergency_department"
        );
    }

    #[test]
    fn settled_findings_are_skipped() {
        let evidence = kb()
            .parse_answers(
                r#"{"chest_pain": false, "shortness_of_breath": false, "tearing_pain": false,
                "fainting": false, "pain_spreads_to_jaw_or_arm": false, "sweating_nausea": false,
                "coughing_blood": false, "abdominal_symptoms": false, "fever": false}"#,
            )
            .unwrap();
        let interview = Interview::new(kb(), evidence);
        assert_eq!(ids(&interview), "q-red-flags-nerves");
        let mut interview = interview;
        interview.answer(&json!([])).unwrap();
        interview.answer(&json!([])).unwrap();
        let infection = interview.current().unwrap();
        assert!(!infection.findings.unwrap().contains(&"fever"));
    }

    #[test]
    fn back_undoes_the_last_answer() {
        let mut interview = Interview::new(kb(), Evidence::new(kb()));
        assert!(!interview.back());
        interview.answer(&json!([])).unwrap();
        assert!(interview.back());
        assert_eq!(ids(&interview), "q-red-flags-heart");
        assert_eq!(interview.asked(), 0);
        let chest = kb().finding_id("chest_pain").unwrap();
        assert_eq!(interview.evidence().status(chest), Status::Unknown);
    }

    #[test]
    fn wrong_answers_change_nothing() {
        let mut interview = Interview::new(kb(), Evidence::new(kb()));
        assert!(matches!(
            interview.answer(&json!(true)),
            Err(AnswerError::WrongKind { .. })
        ));
        assert!(matches!(
            interview.answer(&json!(["fever"])),
            Err(AnswerError::NotAnItem { .. })
        ));
        assert!(matches!(
            interview.answer(&json!([3])),
            Err(AnswerError::WrongKind { .. })
        ));
        assert_eq!(interview.asked(), 0);
        for _ in 0..4 {
            interview.answer(&json!([])).unwrap();
        }
        assert_eq!(ids(&interview), "q-duration");
        assert!(matches!(
            interview.answer(&json!("long")),
            Err(AnswerError::WrongKind { .. })
        ));
        assert!(matches!(
            interview.answer(&json!(-5)),
            Err(AnswerError::Invalid(_))
        ));
    }

    #[test]
    fn follow_ups_need_their_condition() {
        let mut interview = Interview::new(kb(), Evidence::new(kb()));
        for _ in 0..4 {
            interview.answer(&json!([])).unwrap();
        }
        interview.answer(&json!(100)).unwrap(); // duration over 72 hours unlocks home care
        assert_eq!(ids(&interview), "q-home-care");
        interview.answer(&json!(true)).unwrap();
        assert_eq!(ids(&interview), "q-improving");
        interview.answer(&json!(false)).unwrap();
        assert_eq!(ids(&interview), "q-age");
        interview.answer(&json!(30)).unwrap();
        // Under 50: no question about earlier episodes.
        assert_ne!(ids(&interview), "q-recurrent");
        assert_eq!(
            interview.result().triage.fired_rules[0].id,
            "persisting_despite_home_care"
        );
    }

    #[test]
    fn the_interview_always_ends_within_the_cap() {
        let mut interview = Interview::new(kb(), Evidence::new(kb()));
        while let Some(question) = interview.current() {
            let answer = match question.kind {
                QuestionKind::Checklist => json!([]),
                QuestionKind::YesNo => json!(true),
                QuestionKind::Number => json!(60),
                QuestionKind::Choice => json!("top_of_shoulders"),
            };
            interview.answer(&answer).unwrap();
            assert!(interview.asked() <= kb().interview.settings.max_questions);
        }
        assert_eq!(interview.progress().estimated_remaining, 0);
    }

    #[test]
    fn pass_probability_follows_the_likelihood_ratios() {
        let interview = Interview::new(kb(), Evidence::new(kb()));
        let priors: Vec<f64> = kb().causes.iter().map(|c| c.prior).collect();
        // screen_work: LR+ 2.0 / LR− 0.6 for posture → b = 0.4/1.4, a = 2b.
        let p = interview.pass_probability(kb().finding_id("screen_work").unwrap(), &priors);
        let b = 0.4 / 1.4;
        assert!((p - (0.45 * 2.0 * b + 0.55 * b)).abs() < 1e-9);
        // A finding with no likelihood ratios falls back.
        let p = interview.pass_probability(kb().finding_id("fever").unwrap(), &priors);
        assert_eq!(p, 0.3);
    }
}
