//! The interview's questions, from `questions.toml`: loading and validation.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{Finding, FindingId, FindingKind, Loader};
use crate::condition::Condition;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestions {
    settings: RawSettings,
    read_back: RawReadBack,
    #[serde(default)]
    labels: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    question: Vec<RawQuestion>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    min_change_probability: f64,
    max_cause_questions: usize,
    max_questions: usize,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawReadBack {
    confirm: String,
    possible: String,
    source: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    stage: String,
    kind: String,
    text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    finding: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    findings: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    enable_when: Option<String>,
    #[serde(default)]
    source: String,
}

/// When a question is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Red-flag checklists, most dangerous first.
    RedFlags,
    /// Duration, improvement, home care, age.
    Basics,
    /// Questions that separate the contributing causes.
    Causes,
}

/// The form of a question and of its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Tick the findings that apply; the others are then absent.
    Checklist,
    YesNo,
    Number,
    Choice,
}

impl QuestionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Checklist => "checklist",
            QuestionKind::YesNo => "yes_no",
            QuestionKind::Number => "number",
            QuestionKind::Choice => "choice",
        }
    }
}

/// One question of the interview.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub stage: Stage,
    pub kind: QuestionKind,
    pub text: String,
    /// The findings it settles (one, except for checklists).
    pub findings: Vec<FindingId>,
    /// Asked only when this holds (a follow-up).
    pub enable_when: Option<Condition>,
    pub enable_when_text: Option<String>,
    pub source: String,
}

/// Limits of the interview.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InterviewSettings {
    pub min_change_probability: f64,
    pub max_cause_questions: usize,
    pub max_questions: usize,
}

/// How the interview reads back what the text said of a red flag. `{words}` is the
/// person's words; `{label}` the red flag's checklist wording.
#[derive(Debug, Clone)]
pub struct ReadBackWording {
    /// A yes/no question confirming a red flag read as present.
    pub confirm: String,
    /// A checklist of the red flags some words may have described.
    pub possible: String,
    pub source: String,
}

impl ReadBackWording {
    /// The confirmation question for a red flag read from these words.
    pub fn confirm(&self, words: &str, label: &str) -> String {
        self.confirm
            .replace("{words}", words)
            .replace("{label}", label)
    }

    /// The question that asks which red flags these words may have described.
    pub fn possible(&self, words: &str) -> String {
        self.possible.replace("{words}", words)
    }
}

/// The validated interview part of the knowledge base.
#[derive(Debug, Clone)]
pub struct InterviewKnowledge {
    pub settings: InterviewSettings,
    pub read_back: ReadBackWording,
    pub questions: Vec<Question>,
    /// Checklist wording per finding, indexed by finding.
    pub labels: Vec<Option<String>>,
}

impl Loader {
    pub(super) fn build_questions(
        &mut self,
        raw: &RawQuestions,
        findings: &[Finding],
        index: &HashMap<String, FindingId>,
    ) -> InterviewKnowledge {
        let file = "questions.toml";
        let s = &raw.settings;
        if !(0.0..1.0).contains(&s.min_change_probability) {
            self.error(
                file,
                "settings",
                "`min_change_probability` must be in [0, 1)",
            );
        }
        if s.max_questions == 0 {
            self.error(file, "settings", "`max_questions` must be at least 1");
        }
        let r = &raw.read_back;
        self.check_source(file, "read_back", &r.source);
        for (name, text, needs) in [
            ("confirm", &r.confirm, &["{words}", "{label}"][..]),
            ("possible", &r.possible, &["{words}"][..]),
        ] {
            for placeholder in needs {
                if !text.contains(placeholder) {
                    self.error(
                        file,
                        format!("read_back `{name}`"),
                        format!("must quote the person's words: add `{placeholder}`"),
                    );
                }
            }
        }
        let mut labels = vec![None; findings.len()];
        for (id, label) in &raw.labels {
            match index.get(id) {
                Some(f) => labels[f.index()] = Some(label.clone()),
                None => self.error(
                    file,
                    format!("label `{id}`"),
                    format!("unknown finding `{id}`"),
                ),
            }
        }
        let mut questions: Vec<Question> = Vec::new();
        let mut ids = HashSet::new();
        for q in &raw.question {
            let entry = format!("question `{}`", q.id);
            if !ids.insert(q.id.as_str()) {
                self.error(file, &entry, "duplicate question id");
            }
            self.check_source(file, &entry, &q.source);
            let stage = match q.stage.as_str() {
                "red_flags" => Stage::RedFlags,
                "basics" => Stage::Basics,
                "causes" => Stage::Causes,
                other => {
                    self.error(
                        file,
                        &entry,
                        format!("unknown stage `{other}`; expected red_flags, basics or causes"),
                    );
                    continue;
                }
            };
            let kind = match q.kind.as_str() {
                "checklist" => QuestionKind::Checklist,
                "yes_no" => QuestionKind::YesNo,
                "number" => QuestionKind::Number,
                "choice" => QuestionKind::Choice,
                other => {
                    self.error(
                        file,
                        &entry,
                        format!(
                            "unknown kind `{other}`; expected checklist, yes_no, number or choice"
                        ),
                    );
                    continue;
                }
            };
            let names: Vec<&String> = match (kind, &q.finding, q.findings.is_empty()) {
                (QuestionKind::Checklist, None, false) => q.findings.iter().collect(),
                (QuestionKind::Checklist, _, _) => {
                    self.error(
                        file,
                        &entry,
                        "a checklist takes `findings` (a list), not `finding`",
                    );
                    continue;
                }
                (_, Some(finding), true) => vec![finding],
                _ => {
                    self.error(
                        file,
                        &entry,
                        "this kind takes one `finding`, not `findings`",
                    );
                    continue;
                }
            };
            let mut settled = Vec::new();
            for name in names {
                let Some(&finding) = index.get(name) else {
                    self.error(file, &entry, format!("unknown finding `{name}`"));
                    continue;
                };
                let fits = matches!(
                    (kind, &findings[finding.index()].kind),
                    (
                        QuestionKind::Checklist | QuestionKind::YesNo,
                        FindingKind::Bool
                    ) | (QuestionKind::Number, FindingKind::Number { .. })
                        | (QuestionKind::Choice, FindingKind::Choice { .. })
                );
                if !fits {
                    self.error(
                        file,
                        &entry,
                        format!(
                            "finding `{name}` is not of the kind a {} question asks",
                            kind.as_str()
                        ),
                    );
                }
                if kind == QuestionKind::Checklist && labels[finding.index()].is_none() {
                    self.error(
                        file,
                        &entry,
                        format!("finding `{name}` has no entry in [labels]"),
                    );
                }
                settled.push(finding);
            }
            let enable_when = match &q.enable_when {
                None => None,
                Some(text) => match Condition::parse(text, &|id| {
                    index.get(id).map(|&f| (f, &findings[f.index()].kind))
                }) {
                    Ok(condition) => {
                        if condition.findings().iter().any(|f| settled.contains(f)) {
                            self.error(
                                file,
                                &entry,
                                "`enable_when` names a finding the question itself asks",
                            );
                        }
                        Some(condition)
                    }
                    Err(error) => {
                        self.error(file, &entry, format!("enable_when: {error}"));
                        None
                    }
                },
            };
            questions.push(Question {
                id: q.id.clone(),
                stage,
                kind,
                text: q.text.clone(),
                findings: settled,
                enable_when,
                enable_when_text: q.enable_when.clone(),
                source: q.source.clone(),
            });
        }
        if questions.windows(2).any(|w| w[0].stage > w[1].stage) {
            self.error(
                file,
                "",
                "questions must be listed by stage: red_flags, then basics, then causes",
            );
        }
        // Every red flag must be screened in the red-flag stage, or an interview could end
        // with it unscreened.
        let screened: HashSet<FindingId> = questions
            .iter()
            .filter(|q| q.stage == Stage::RedFlags)
            .flat_map(|q| q.findings.iter().copied())
            .collect();
        for (i, finding) in findings.iter().enumerate() {
            if finding.red_flag && !screened.contains(&FindingId(i as u16)) {
                self.error(
                    file,
                    format!("finding `{}`", finding.id),
                    "is a red flag but no red_flags question asks it",
                );
            }
        }
        self.check_follow_up_cycles(file, &questions);
        InterviewKnowledge {
            settings: InterviewSettings {
                min_change_probability: s.min_change_probability,
                max_cause_questions: s.max_cause_questions,
                max_questions: s.max_questions,
            },
            read_back: ReadBackWording {
                confirm: r.confirm.clone(),
                possible: r.possible.clone(),
                source: r.source.clone(),
            },
            questions,
            labels,
        }
    }

    /// Question A unlocks B when B's `enable_when` names a finding A asks. A cycle would
    /// mean no question of it can ever be asked.
    fn check_follow_up_cycles(&mut self, file: &str, questions: &[Question]) {
        let unlocks: Vec<Vec<usize>> = questions
            .iter()
            .map(|a| {
                questions
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| {
                        b.enable_when
                            .as_ref()
                            .is_some_and(|c| c.findings().iter().any(|f| a.findings.contains(f)))
                    })
                    .map(|(j, _)| j)
                    .collect()
            })
            .collect();
        // Depth-first search with colours: 0 unvisited, 1 on the stack, 2 done.
        fn visit(node: usize, unlocks: &[Vec<usize>], colour: &mut [u8]) -> Option<usize> {
            colour[node] = 1;
            for &next in &unlocks[node] {
                match colour[next] {
                    1 => return Some(next),
                    0 => {
                        if let Some(found) = visit(next, unlocks, colour) {
                            return Some(found);
                        }
                    }
                    _ => {}
                }
            }
            colour[node] = 2;
            None
        }
        let mut colour = vec![0u8; questions.len()];
        for start in 0..questions.len() {
            if colour[start] == 0 {
                if let Some(node) = visit(start, &unlocks, &mut colour) {
                    self.error(
                        file,
                        format!("question `{}`", questions[node].id),
                        "its follow-ups form a cycle (each unlocks the next, back to itself)",
                    );
                    return;
                }
            }
        }
    }
}
