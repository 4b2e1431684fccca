//! The knowledge base: loading the data files of `knowledge/`, validating them, and the
//! indexed, read-only form the engine works on.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::condition::{Comparison, Condition};
use crate::evidence::{Evidence, Observation, Value};
use crate::triage::TriageLevel;

mod questions;

use questions::RawQuestions;
pub use questions::{
    InterviewKnowledge, InterviewSettings, Question, QuestionKind, ReadBackWording, Stage,
};

/// The files a knowledge base is made of, in the order they are read.
pub const KNOWLEDGE_FILE_NAMES: [&str; 7] = [
    "knowledge_base.toml",
    "sources.toml",
    "findings.toml",
    "triage.toml",
    "causes.toml",
    "care.toml",
    "questions.toml",
];

/// The contents of one knowledge-base file, named as in [`KNOWLEDGE_FILE_NAMES`].
#[derive(Debug, Clone, Copy)]
pub struct KnowledgeFile<'a> {
    pub name: &'a str,
    pub content: &'a str,
}

/// One embedded file, read from `knowledge/` at build time.
macro_rules! embedded {
    ($name:literal) => {
        KnowledgeFile {
            name: $name,
            content: include_str!(concat!("../../../knowledge/", $name)),
        }
    };
}

const EMBEDDED_FILES: [KnowledgeFile<'static>; 7] = [
    embedded!("knowledge_base.toml"),
    embedded!("sources.toml"),
    embedded!("findings.toml"),
    embedded!("triage.toml"),
    embedded!("causes.toml"),
    embedded!("care.toml"),
    embedded!("questions.toml"),
];

/// One problem found while loading a knowledge base, naming the file and the entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnowledgeError {
    pub file: String,
    pub entry: String,
    pub message: String,
}

impl fmt::Display for KnowledgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.entry.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.entry, self.message)
        }
    }
}

/// Every problem found in a knowledge base (loading reports them all, not only the first).
#[derive(Debug, Clone, thiserror::Error)]
#[error("the knowledge base has {} error(s):\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
pub struct KnowledgeErrors(pub Vec<KnowledgeError>);

// ── Raw file formats (what a clinician edits) ──────────────────────────────────────────

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    version: String,
    title: String,
    disclaimer: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawSources {
    #[serde(default)]
    source: Vec<Source>,
}

/// A reference that entries cite by `key`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub key: String,
    pub reference: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawFindings {
    #[serde(default)]
    finding: Vec<RawFinding>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawFinding {
    id: String,
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    choices: Vec<String>,
    meaning: String,
    group: String,
    #[serde(default)]
    red_flag: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    screening: Option<String>,
    #[serde(default)]
    history: bool,
    #[serde(default)]
    source: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawTriage {
    #[serde(default)]
    emergency_number: Vec<EmergencyNumber>,
    #[serde(default)]
    level: Vec<RawLevel>,
    screening: RawScreening,
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawScreening {
    partial: String,
    possible: String,
    check: String,
    source: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    id: String,
    label: String,
    tell: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    if_worse: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    while_waiting: Vec<String>,
    #[serde(default)]
    source: String,
}

/// A telephone number for emergency services and where it is dialled (triage.toml
/// `[[emergency_number]]`). Every page that says "call" shows this list, and the ambulance
/// level's `tell` must name every number in it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EmergencyNumber {
    /// What to dial, digits only (pages make it a `tel:` link), e.g. `911`.
    pub number: String,
    /// Where it is dialled, e.g. "US, Canada".
    #[serde(rename = "where")]
    pub place: String,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    level: String,
    condition: String,
    why: String,
    #[serde(default)]
    source: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawCauses {
    #[serde(default)]
    cause: Vec<RawCause>,
    #[serde(default)]
    evidence: Vec<RawEvidence>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawCause {
    id: String,
    name: String,
    mechanism: String,
    prior: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    estimate: Option<String>,
    #[serde(default)]
    source: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawEvidence {
    cause: String,
    finding: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    when: Option<String>,
    lr_present: f64,
    lr_absent: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    estimate: Option<String>,
    #[serde(default)]
    source: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawCare {
    threshold: f64,
    applies_to: Vec<String>,
    follow_up: RawFollowUp,
    #[serde(default)]
    general: Vec<RawAdvice>,
    #[serde(default)]
    cause_advice: Vec<RawCauseAdvice>,
    #[serde(default)]
    watch: Vec<RawWatch>,
    #[serde(default)]
    home_care: Vec<RawHomeCare>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawHomeCare {
    id: String,
    label: String,
    #[serde(default)]
    source: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawFollowUp {
    after_hours: f64,
    level: String,
    /// The triage rule the diary's follow-up mirrors (same hours, same level).
    rule: String,
    text: String,
    #[serde(default)]
    source: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawAdvice {
    id: String,
    text: String,
    #[serde(default)]
    source: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawCauseAdvice {
    cause: String,
    id: String,
    text: String,
    #[serde(default)]
    source: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawWatch {
    finding: String,
    text: String,
    #[serde(default)]
    source: String,
}

/// The whole parsed content: serialised canonically, it is what the digest covers.
#[derive(Debug, Clone, Serialize)]
struct RawKnowledgeBase {
    knowledge_base: RawMeta,
    sources: RawSources,
    findings: RawFindings,
    triage: RawTriage,
    causes: RawCauses,
    care: RawCare,
    questions: RawQuestions,
}

// ── The validated, indexed form ────────────────────────────────────────────────────────

/// Index of a finding in [`KnowledgeBase::findings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FindingId(pub u16);

impl FindingId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What kind of value a finding takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FindingKind {
    /// Present, absent or unknown.
    Bool,
    /// A number with a unit and an accepted range.
    Number { unit: String, min: f64, max: f64 },
    /// One of a fixed list of values.
    Choice { choices: Vec<String> },
}

/// Something the engine can know about a person: a symptom, a circumstance, a number.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub id: String,
    #[serde(flatten)]
    pub kind: FindingKind,
    pub meaning: String,
    pub group: String,
    /// Raises urgency on its own or with others; while unknown it is "not screened".
    pub red_flag: bool,
    /// The interview checklist this red flag is asked in.
    pub screening: Option<String>,
    /// About the past by nature (a person who had cancer has `cancer_history`).
    pub history: bool,
    pub source: String,
}

/// What a triage level tells the person.
#[derive(Debug, Clone, Serialize)]
pub struct LevelInfo {
    pub level: TriageLevel,
    pub label: String,
    pub tell: String,
    /// What to do if the person cannot follow `tell`, or it gets worse (e.g. the emergency
    /// department's "call an ambulance"); pages show it under the tell.
    pub if_worse: Option<String>,
    /// What to do until help comes (emergency levels): the short emergency result shows it.
    pub while_waiting: Vec<String>,
    pub source: String,
}

/// How a result is headed when some warning signs were not checked: never a plain level.
#[derive(Debug, Clone)]
pub struct ScreeningWording {
    /// `{label}` the level's label, `{count}` how many warning signs were not checked.
    pub partial: String,
    /// The heading over the red flags the text may have described.
    pub possible: String,
    /// The main action: the quick checks (the interview).
    pub check: String,
    pub source: String,
}

impl ScreeningWording {
    /// The heading of a result whose screening is partial.
    pub fn partial(&self, label: &str, count: usize) -> String {
        self.partial
            .replace("{label}", label)
            .replace("{count}", &count.to_string())
    }
}

/// An explicit rule that sets a minimum triage level when its condition holds.
#[derive(Debug, Clone, Serialize)]
pub struct RedFlagRule {
    pub id: String,
    pub level: TriageLevel,
    /// The condition as written in the knowledge base.
    pub condition_text: String,
    #[serde(skip)]
    pub condition: Condition,
    pub why: String,
    pub source: String,
}

/// How one finding bears on one cause.
#[derive(Debug, Clone, Serialize)]
pub struct LikelihoodRatio {
    #[serde(serialize_with = "serialize_finding_index")]
    pub finding: FindingId,
    /// For numeric and choice findings: the test that makes the finding count as present.
    pub when: Option<String>,
    #[serde(skip)]
    pub test: Option<Condition>,
    pub lr_present: f64,
    pub lr_absent: f64,
    pub estimate: Option<String>,
    pub source: String,
}

fn serialize_finding_index<S: serde::Serializer>(id: &FindingId, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u16(id.0)
}

/// A contributing cause: an independent log-odds model.
#[derive(Debug, Clone, Serialize)]
pub struct Cause {
    pub id: String,
    pub name: String,
    pub mechanism: String,
    pub prior: f64,
    pub estimate: Option<String>,
    pub source: String,
    pub evidence: Vec<LikelihoodRatio>,
}

/// An advice sentence of the care plan.
#[derive(Debug, Clone, Serialize)]
pub struct AdviceEntry {
    pub id: String,
    /// The cause it belongs to; `None` for general advice.
    pub cause: Option<String>,
    pub text: String,
    pub source: String,
    /// The care plan's JSON of this entry, written once (see [`crate::care::AdviceItem`]).
    #[serde(skip)]
    pub(crate) rendered: OnceLock<Box<RawValue>>,
}

/// An item of the watch list, with the level its finding would raise triage to.
#[derive(Debug, Clone, Serialize)]
pub struct WatchEntry {
    #[serde(skip)]
    pub finding: FindingId,
    pub level: TriageLevel,
    pub text: String,
    pub source: String,
    /// The care plan's JSON of this entry, written once (see [`crate::care::WatchItem`]).
    #[serde(skip)]
    pub(crate) rendered: OnceLock<Box<RawValue>>,
}

/// The care-plan part of the knowledge base.
#[derive(Debug, Clone, Serialize)]
pub struct CareKnowledge {
    pub threshold: f64,
    pub applies_to: Vec<TriageLevel>,
    pub follow_up_after_hours: f64,
    /// The level an overdue diary follow-up asks for (care.toml `[follow_up] level`): the
    /// diary's rule carries it, and the pages tell its label and `tell`.
    pub follow_up_level: TriageLevel,
    pub follow_up_text: String,
    pub follow_up_source: String,
    pub general: Vec<AdviceEntry>,
    /// Indexed like [`KnowledgeBase::causes`].
    pub by_cause: Vec<Vec<AdviceEntry>>,
    pub watch: Vec<WatchEntry>,
    /// The home care a diary check-in offers to tick (the 72-hour follow-up rule asks
    /// whether home care was tried).
    pub home_care: Vec<HomeCareEntry>,
}

/// One kind of home care a person can report in the diary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HomeCareEntry {
    /// What a check-in keeps, e.g. `heat`.
    pub id: String,
    /// The words shown, e.g. "Heat".
    pub label: String,
    pub source: String,
}

/// The validated knowledge base. Build it with [`KnowledgeBase::embedded`] or
/// [`KnowledgeBase::from_files`]; it cannot exist in an invalid state.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    pub version: String,
    pub title: String,
    pub disclaimer: String,
    /// `sha256:` followed by the hex SHA-256 of the canonical content.
    pub digest: String,
    pub sources: Vec<Source>,
    pub findings: Vec<Finding>,
    finding_index: HashMap<String, FindingId>,
    /// Indexed by [`TriageLevel::rank`].
    pub levels: Vec<LevelInfo>,
    /// The emergency numbers, in the order pages show them (never empty).
    pub emergency_numbers: Vec<EmergencyNumber>,
    /// How a result with unchecked warning signs is headed.
    pub screening: ScreeningWording,
    pub rules: Vec<RedFlagRule>,
    pub causes: Vec<Cause>,
    pub care: CareKnowledge,
    /// The adaptive interview's questions and limits.
    pub interview: InterviewKnowledge,
    raw: RawKnowledgeBase,
}

impl KnowledgeBase {
    /// The knowledge base compiled into this program from `knowledge/`, validated once.
    ///
    /// # Panics
    /// Only if the embedded files are invalid, which the test suite rules out.
    pub fn embedded() -> &'static KnowledgeBase {
        static EMBEDDED: OnceLock<KnowledgeBase> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            KnowledgeBase::from_files(&EMBEDDED_FILES)
                .unwrap_or_else(|errors| panic!("embedded knowledge base is invalid: {errors}"))
        })
    }

    /// Parses and validates a knowledge base from the contents of its files.
    /// Every problem is reported, each naming its file and entry.
    pub fn from_files(files: &[KnowledgeFile<'_>]) -> Result<KnowledgeBase, KnowledgeErrors> {
        let mut loader = Loader::default();
        let raw = loader.parse(files);
        match raw {
            Some(raw) => loader.build(raw),
            None => Err(KnowledgeErrors(loader.errors)),
        }
    }

    /// Looks a finding up by id.
    pub fn finding_id(&self, id: &str) -> Option<FindingId> {
        self.finding_index.get(id).copied()
    }

    /// The finding with this index.
    pub fn finding(&self, id: FindingId) -> &Finding {
        &self.findings[id.index()]
    }

    /// What the person is told at this level.
    pub fn level_info(&self, level: TriageLevel) -> &LevelInfo {
        &self.levels[level.rank()]
    }

    /// A finding in plain words: its checklist label, else what it means.
    pub fn finding_label(&self, finding: FindingId) -> &str {
        self.interview.labels[finding.index()]
            .as_deref()
            .unwrap_or(&self.finding(finding).meaning)
    }

    /// The heading of a result at `level` with `unchecked` red flags not screened. Below an
    /// emergency, a level with signs unchecked holds only if none of them applies, and the
    /// heading says so (`[screening] partial`); otherwise it is the level's label.
    pub fn level_heading(&self, level: TriageLevel, unchecked: usize) -> String {
        let label = &self.level_info(level).label;
        if unchecked > 0 && !level.is_emergency() {
            self.screening.partial(label, unchecked)
        } else {
            label.clone()
        }
    }

    /// Where `text` names one of [`KnowledgeBase::emergency_numbers`]: its byte offset and
    /// the number, in text order (so a page can set the numbers of a `tell` in bold).
    pub fn emergency_numbers_in<'a>(&'a self, text: &str) -> Vec<(usize, &'a EmergencyNumber)> {
        emergency_numbers_in(&self.emergency_numbers, text)
    }

    /// The canonical content as JSON: every entry of every file, in file order, without
    /// comments or formatting. This is what [`KnowledgeBase::digest`] hashes.
    pub fn canonical_json(&self) -> String {
        serde_json::to_string(&self.raw).expect("knowledge base serialises")
    }

    /// A summary for clients: version, digest, findings, rules, causes and care.
    pub fn to_json_value(&self) -> serde_json::Value {
        serde_json::json!({
            "version": self.version,
            "digest": self.digest,
            "title": self.title,
            "disclaimer": self.disclaimer,
            "sources": self.raw.sources.source,
            "levels": self.raw.triage.level,
            "emergency_numbers": self.raw.triage.emergency_number,
            "findings": self.raw.findings.finding,
            "rules": self.raw.triage.rule,
            "causes": self.raw.causes.cause,
            "evidence": self.raw.causes.evidence,
            "care": self.raw.care,
            "questions": self.raw.questions,
        })
    }
}

#[derive(Default)]
pub(crate) struct Loader {
    errors: Vec<KnowledgeError>,
    source_keys: HashSet<String>,
}

fn parse_file<T: for<'de> Deserialize<'de>>(
    files: &[KnowledgeFile<'_>],
    name: &str,
    errors: &mut Vec<KnowledgeError>,
) -> Option<T> {
    let Some(file) = files.iter().find(|f| f.name == name) else {
        errors.push(KnowledgeError {
            file: name.to_string(),
            entry: String::new(),
            message: "file is missing".to_string(),
        });
        return None;
    };
    match toml::from_str(file.content) {
        Ok(value) => Some(value),
        Err(error) => {
            errors.push(KnowledgeError {
                file: name.to_string(),
                entry: String::new(),
                message: error.to_string().replace('\n', " ").trim().to_string(),
            });
            None
        }
    }
}

impl Loader {
    pub(crate) fn error(
        &mut self,
        file: &str,
        entry: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.errors.push(KnowledgeError {
            file: file.to_string(),
            entry: entry.into(),
            message: message.into(),
        });
    }

    fn parse(&mut self, files: &[KnowledgeFile<'_>]) -> Option<RawKnowledgeBase> {
        let e = &mut self.errors;
        let knowledge_base = parse_file(files, "knowledge_base.toml", e);
        let sources = parse_file(files, "sources.toml", e);
        let findings = parse_file(files, "findings.toml", e);
        let triage = parse_file(files, "triage.toml", e);
        let causes = parse_file(files, "causes.toml", e);
        let care = parse_file(files, "care.toml", e);
        let questions = parse_file(files, "questions.toml", e);
        Some(RawKnowledgeBase {
            knowledge_base: knowledge_base?,
            sources: sources?,
            findings: findings?,
            triage: triage?,
            causes: causes?,
            care: care?,
            questions: questions?,
        })
    }

    /// Checks a `source` field: present, and every `;`-separated key known.
    pub(crate) fn check_source(&mut self, file: &str, entry: &str, source: &str) {
        for problem in source_problems(source, |key| self.source_keys.contains(key)) {
            self.error(file, entry, problem);
        }
    }

    fn build(mut self, raw: RawKnowledgeBase) -> Result<KnowledgeBase, KnowledgeErrors> {
        // Sources.
        for source in &raw.sources.source {
            if source.key.trim().is_empty() || source.reference.trim().is_empty() {
                self.error(
                    "sources.toml",
                    format!("source `{}`", source.key),
                    "key and reference must not be empty",
                );
            }
            if !self.source_keys.insert(source.key.clone()) {
                self.error(
                    "sources.toml",
                    format!("source `{}`", source.key),
                    "duplicate key",
                );
            }
        }
        if raw.knowledge_base.version.trim().is_empty() {
            self.error("knowledge_base.toml", "version", "must not be empty");
        }

        let (findings, finding_index) = self.build_findings(&raw.findings);
        let levels = self.build_levels(&raw.triage);
        let emergency_numbers = self.build_emergency_numbers(&raw.triage);
        let rules = self.build_rules(&raw.triage, &findings, &finding_index);
        let causes = self.build_causes(&raw.causes, &findings, &finding_index);
        let mut care = self.build_care(&raw.care, &causes, &finding_index);
        self.check_follow_up_hours_in_prose(&raw.care.follow_up, &raw.triage);
        self.check_follow_up_rule(&raw.care.follow_up, &raw.triage, &rules, &findings);
        let interview = self.build_questions(&raw.questions, &findings, &finding_index);
        let screening = self.build_screening(&raw.triage.screening);

        if !self.errors.is_empty() {
            return Err(KnowledgeErrors(self.errors));
        }

        let digest = {
            let canonical = serde_json::to_string(&raw).expect("knowledge base serialises");
            let hash = Sha256::digest(canonical.as_bytes());
            let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
            format!("sha256:{hex}")
        };
        let mut kb = KnowledgeBase {
            version: raw.knowledge_base.version.clone(),
            title: raw.knowledge_base.title.clone(),
            disclaimer: raw.knowledge_base.disclaimer.clone(),
            digest,
            sources: raw.sources.source.clone(),
            findings,
            finding_index,
            levels,
            emergency_numbers,
            screening,
            rules,
            causes,
            care: CareKnowledge {
                watch: Vec::new(),
                ..care.clone()
            },
            interview,
            raw,
        };

        // Checks that need the rules evaluated: what each finding fires on its own.
        let mut errors = Vec::new();
        for (index, finding) in kb.findings.iter().enumerate() {
            if finding.kind != FindingKind::Bool {
                continue;
            }
            let alone = kb.level_fired_alone(FindingId(index as u16));
            if alone >= Some(TriageLevel::Within24Hours) && !finding.red_flag {
                errors.push(KnowledgeError {
                    file: "findings.toml".into(),
                    entry: format!("finding `{}`", finding.id),
                    message: format!(
                        "fires a `{}` rule on its own, so it must be marked `red_flag = true` (and screened)",
                        alone.map(TriageLevel::as_str).unwrap_or_default()
                    ),
                });
            }
        }
        for watch in &mut care.watch {
            match kb.level_fired_alone(watch.finding) {
                Some(level) => watch.level = level,
                None => errors.push(KnowledgeError {
                    file: "care.toml".into(),
                    entry: format!("watch `{}`", kb.finding(watch.finding).id),
                    message: "this finding fires no triage rule on its own, so it cannot be a warning sign"
                        .into(),
                }),
            }
        }
        if !errors.is_empty() {
            return Err(KnowledgeErrors(errors));
        }
        kb.care.watch = care.watch;
        Ok(kb)
    }

    fn build_findings(&mut self, raw: &RawFindings) -> (Vec<Finding>, HashMap<String, FindingId>) {
        let file = "findings.toml";
        let mut findings = Vec::new();
        let mut index = HashMap::new();
        for f in &raw.finding {
            let entry = format!("finding `{}`", f.id);
            if !is_identifier(&f.id) {
                self.error(
                    file,
                    &entry,
                    "id must be lower-case letters, digits and underscores",
                );
            }
            self.check_source(file, &entry, &f.source);
            let kind = match f.kind.as_str() {
                "bool" => {
                    if f.unit.is_some()
                        || f.min.is_some()
                        || f.max.is_some()
                        || !f.choices.is_empty()
                    {
                        self.error(
                            file,
                            &entry,
                            "a bool finding takes no unit, min, max or choices",
                        );
                    }
                    FindingKind::Bool
                }
                "number" => {
                    let (Some(unit), Some(min), Some(max)) = (&f.unit, f.min, f.max) else {
                        self.error(
                            file,
                            &entry,
                            "a number finding needs `unit`, `min` and `max`",
                        );
                        continue;
                    };
                    if min.is_nan() || max.is_nan() || min >= max {
                        self.error(file, &entry, "`min` must be less than `max`");
                    }
                    FindingKind::Number {
                        unit: unit.clone(),
                        min,
                        max,
                    }
                }
                "choice" => {
                    let mut seen = HashSet::new();
                    for c in &f.choices {
                        if !is_identifier(c) || !seen.insert(c.as_str()) {
                            self.error(
                                file,
                                &entry,
                                format!(
                                    "choice `{c}` is duplicated or not a lower-case identifier"
                                ),
                            );
                        }
                    }
                    if f.choices.is_empty() {
                        self.error(file, &entry, "a choice finding needs `choices`");
                    }
                    FindingKind::Choice {
                        choices: f.choices.clone(),
                    }
                }
                other => {
                    self.error(
                        file,
                        &entry,
                        format!("unknown kind `{other}`; expected bool, number or choice"),
                    );
                    continue;
                }
            };
            if f.red_flag && f.kind != "bool" {
                self.error(file, &entry, "only a bool finding can be a red flag");
            }
            if f.red_flag && f.screening.is_none() {
                self.error(
                    file,
                    &entry,
                    "a red flag needs `screening` (the checklist it is asked in)",
                );
            }
            if index.contains_key(&f.id) {
                self.error(file, &entry, "duplicate finding id");
                continue;
            }
            index.insert(f.id.clone(), FindingId(findings.len() as u16));
            findings.push(Finding {
                id: f.id.clone(),
                kind,
                meaning: f.meaning.clone(),
                group: f.group.clone(),
                red_flag: f.red_flag,
                screening: f.screening.clone(),
                history: f.history,
                source: f.source.clone(),
            });
        }
        (findings, index)
    }

    fn build_screening(&mut self, raw: &RawScreening) -> ScreeningWording {
        let file = "triage.toml";
        self.check_source(file, "screening", &raw.source);
        for placeholder in ["{label}", "{count}"] {
            if !raw.partial.contains(placeholder) {
                self.error(
                    file,
                    "screening",
                    format!("`partial` must name the level and how many signs were not checked: add `{placeholder}`"),
                );
            }
        }
        ScreeningWording {
            partial: raw.partial.clone(),
            possible: raw.possible.clone(),
            check: raw.check.clone(),
            source: raw.source.clone(),
        }
    }

    fn build_levels(&mut self, raw: &RawTriage) -> Vec<LevelInfo> {
        let file = "triage.toml";
        let mut by_rank: Vec<Option<LevelInfo>> = vec![None; TriageLevel::ALL.len()];
        for l in &raw.level {
            let entry = format!("level `{}`", l.id);
            self.check_source(file, &entry, &l.source);
            match l.id.parse::<TriageLevel>() {
                Ok(level) => {
                    if by_rank[level.rank()].is_some() {
                        self.error(file, &entry, "duplicate level");
                    }
                    by_rank[level.rank()] = Some(LevelInfo {
                        level,
                        label: l.label.clone(),
                        tell: l.tell.clone(),
                        if_worse: l.if_worse.clone(),
                        while_waiting: l.while_waiting.clone(),
                        source: l.source.clone(),
                    });
                }
                Err(message) => self.error(file, &entry, message),
            }
        }
        let mut levels = Vec::new();
        for (rank, info) in by_rank.into_iter().enumerate() {
            match info {
                Some(info) => levels.push(info),
                None => self.error(
                    file,
                    format!("level `{}`", TriageLevel::ALL[rank].as_str()),
                    "missing: every one of the five levels needs a `[[level]]` entry",
                ),
            }
        }
        levels
    }

    /// The emergency numbers: at least one, each digits only, once; and every level text that
    /// names one names them all, the ambulance level's `tell` included, so no page can show
    /// a list the advice disagrees with.
    fn build_emergency_numbers(&mut self, raw: &RawTriage) -> Vec<EmergencyNumber> {
        let file = "triage.toml";
        if raw.emergency_number.is_empty() {
            self.error(
                file,
                "emergency_number",
                "none listed: add at least one `[[emergency_number]]` with `number`, `where` and \
                 `source` (the pages show them, and the ambulance level's `tell` names them)",
            );
        }
        let mut numbers: Vec<EmergencyNumber> = Vec::new();
        for n in &raw.emergency_number {
            let entry = format!("emergency_number `{}`", n.number);
            self.check_source(file, &entry, &n.source);
            if n.number.is_empty() || !n.number.chars().all(|c| c.is_ascii_digit()) {
                self.error(
                    file,
                    &entry,
                    "`number` must be digits only (pages make it a `tel:` link)",
                );
                continue;
            }
            if n.place.trim().is_empty() {
                self.error(file, &entry, "`where` must say where the number is dialled");
            }
            if numbers.iter().any(|known| known.number == n.number) {
                self.error(file, &entry, "duplicate emergency number");
                continue;
            }
            numbers.push(n.clone());
        }
        for l in &raw.level {
            let entry = format!("level `{}`", l.id);
            let must_name_all = l.id == TriageLevel::Ambulance.as_str();
            let texts = [("tell", Some(&l.tell)), ("if_worse", l.if_worse.as_ref())];
            for (field, text) in texts {
                let Some(text) = text else { continue };
                let named = emergency_numbers_in(&numbers, text);
                if named.is_empty() && !(must_name_all && field == "tell") {
                    continue;
                }
                let missing: Vec<&str> = numbers
                    .iter()
                    .filter(|n| !named.iter().any(|(_, m)| m.number == n.number))
                    .map(|n| n.number.as_str())
                    .collect();
                if !missing.is_empty() {
                    self.error(
                        file,
                        &entry,
                        format!(
                            "`{field}` must name every `[[emergency_number]]`: add {} (or remove \
                             the entry from the list)",
                            missing.join(", ")
                        ),
                    );
                }
            }
        }
        numbers
    }

    /// The follow-up text and the self-care level's `tell` write the follow-up time in words;
    /// the diary counts `after_hours`. Each text must state it ("72 hours") and no other
    /// number of hours, so that changing one without the others is refused.
    fn check_follow_up_hours_in_prose(&mut self, follow_up: &RawFollowUp, triage: &RawTriage) {
        let hours = follow_up.after_hours;
        let mut texts = vec![("care.toml", "follow_up", "text", &follow_up.text)];
        if let Some(level) = triage
            .level
            .iter()
            .find(|l| l.id == TriageLevel::SelfCare.as_str())
        {
            texts.push(("triage.toml", "level `self_care`", "tell", &level.tell));
        }
        for (file, entry, field, text) in texts {
            let stated = stated_hours(text);
            let wrong: Vec<&str> = stated
                .iter()
                .copied()
                .filter(|number| number.parse::<f64>() != Ok(hours))
                .collect();
            if !wrong.is_empty() {
                self.error(
                    file,
                    entry,
                    format!(
                        "`{field}` says {} hours but care.toml `[follow_up] after_hours` is {hours}: \
                         write \"{hours} hours\" (or change `after_hours`, which the diary counts)",
                        wrong.join(" and ")
                    ),
                );
            } else if stated.is_empty() {
                self.error(
                    file,
                    entry,
                    format!(
                        "`{field}` must state the follow-up time as \"{hours} hours\" (care.toml \
                         `[follow_up] after_hours`), so that the two cannot drift apart"
                    ),
                );
            }
        }
    }

    /// The diary's follow-up (care.toml `[follow_up]`) and the triage rule it names say the same
    /// thing twice, once for an assessment and once for an episode: past `after_hours`, not
    /// improving, home care tried → `level`. The rule must test `duration_hours > after_hours`
    /// and ask for the same level, so that a clinician who changes one is told to change the
    /// other.
    fn check_follow_up_rule(
        &mut self,
        follow_up: &RawFollowUp,
        triage: &RawTriage,
        rules: &[RedFlagRule],
        findings: &[Finding],
    ) {
        let (file, entry) = ("care.toml", "follow_up");
        let Some(rule) = rules.iter().find(|r| r.id == follow_up.rule) else {
            // A rule written but not built has its own error already; only a name that is
            // nowhere in triage.toml is new.
            if !triage.rule.iter().any(|r| r.id == follow_up.rule) {
                self.error(
                    file,
                    entry,
                    format!(
                        "`rule` names `{}`, which is not a rule of triage.toml: name the rule \
                         the follow-up mirrors",
                        follow_up.rule
                    ),
                );
            }
            return;
        };
        // A level that is no level is reported where it is parsed.
        if follow_up.level.parse::<TriageLevel>().is_ok() && rule.level.as_str() != follow_up.level
        {
            self.error(
                file,
                entry,
                format!(
                    "`level` is {} but its rule `{}` in triage.toml asks for {}: make them the same",
                    follow_up.level,
                    rule.id,
                    rule.level.as_str()
                ),
            );
        }
        let hours = follow_up.after_hours;
        let tests_the_hours = |c: &Condition| {
            matches!(c, Condition::Compare { finding, comparison: Comparison::Greater, value }
                if findings[finding.index()].id == "duration_hours" && *value == hours)
        };
        let holds = match &rule.condition {
            Condition::All(parts) => parts.iter().any(tests_the_hours),
            single => tests_the_hours(single),
        };
        if !holds {
            self.error(
                file,
                entry,
                format!(
                    "its rule `{}` in triage.toml must test `duration_hours > {hours}` (all of its \
                     condition, joined with `&`) to match `after_hours = {hours}`: change the \
                     rule's condition or `after_hours`",
                    rule.id
                ),
            );
        }
    }

    fn build_rules(
        &mut self,
        raw: &RawTriage,
        findings: &[Finding],
        index: &HashMap<String, FindingId>,
    ) -> Vec<RedFlagRule> {
        let file = "triage.toml";
        let mut rules = Vec::new();
        let mut seen = HashSet::new();
        for r in &raw.rule {
            let entry = format!("rule `{}`", r.id);
            if !seen.insert(r.id.as_str()) {
                self.error(file, &entry, "duplicate rule id");
            }
            self.check_source(file, &entry, &r.source);
            let level = match r.level.parse::<TriageLevel>() {
                Ok(level) => level,
                Err(message) => {
                    self.error(file, &entry, message);
                    continue;
                }
            };
            let condition = match Condition::parse(&r.condition, &|id| {
                index.get(id).map(|&fid| (fid, &findings[fid.index()].kind))
            }) {
                Ok(condition) => condition,
                Err(error) => {
                    self.error(file, &entry, format!("condition: {error}"));
                    continue;
                }
            };
            rules.push(RedFlagRule {
                id: r.id.clone(),
                level,
                condition_text: r.condition.clone(),
                condition,
                why: r.why.clone(),
                source: r.source.clone(),
            });
        }
        rules
    }

    fn build_causes(
        &mut self,
        raw: &RawCauses,
        findings: &[Finding],
        index: &HashMap<String, FindingId>,
    ) -> Vec<Cause> {
        let file = "causes.toml";
        let mut causes: Vec<Cause> = Vec::new();
        for c in &raw.cause {
            let entry = format!("cause `{}`", c.id);
            if causes.iter().any(|other| other.id == c.id) {
                self.error(file, &entry, "duplicate cause id");
                continue;
            }
            self.check_source(file, &entry, &c.source);
            self.check_estimate(file, &entry, c.estimate.as_deref(), &c.source);
            if !(c.prior > 0.0 && c.prior < 1.0) {
                self.error(
                    file,
                    &entry,
                    "`prior` must be a probability strictly between 0 and 1",
                );
            }
            causes.push(Cause {
                id: c.id.clone(),
                name: c.name.clone(),
                mechanism: c.mechanism.clone(),
                prior: c.prior,
                estimate: c.estimate.clone(),
                source: c.source.clone(),
                evidence: Vec::new(),
            });
        }
        let mut pairs = HashSet::new();
        for e in &raw.evidence {
            let entry = format!("evidence `{}` for `{}`", e.finding, e.cause);
            self.check_source(file, &entry, &e.source);
            self.check_estimate(file, &entry, e.estimate.as_deref(), &e.source);
            let Some(cause_index) = causes.iter().position(|c| c.id == e.cause) else {
                self.error(file, &entry, format!("unknown cause `{}`", e.cause));
                continue;
            };
            let Some(&finding) = index.get(&e.finding) else {
                self.error(file, &entry, format!("unknown finding `{}`", e.finding));
                continue;
            };
            if !pairs.insert((e.cause.as_str(), e.finding.as_str())) {
                self.error(
                    file,
                    &entry,
                    "duplicate evidence for this finding and cause",
                );
            }
            for (name, lr) in [("lr_present", e.lr_present), ("lr_absent", e.lr_absent)] {
                if !(lr.is_finite() && lr > 0.0) {
                    self.error(file, &entry, format!("`{name}` must be a positive number"));
                }
            }
            let kind = &findings[finding.index()].kind;
            let test = match (kind, &e.when) {
                (FindingKind::Bool, None) => None,
                (FindingKind::Bool, Some(_)) => {
                    self.error(
                        file,
                        &entry,
                        "`when` is only for number and choice findings",
                    );
                    continue;
                }
                (_, None) => {
                    self.error(
                        file,
                        &entry,
                        "a number or choice finding needs `when` (e.g. \">= 6\" or \"= top_of_shoulders\")",
                    );
                    continue;
                }
                (_, Some(when)) => {
                    let text = format!("{} {}", e.finding, when);
                    match Condition::parse(&text, &|id| {
                        index.get(id).map(|&fid| (fid, &findings[fid.index()].kind))
                    }) {
                        Ok(condition) => Some(condition),
                        Err(error) => {
                            self.error(file, &entry, format!("`when`: {error}"));
                            continue;
                        }
                    }
                }
            };
            causes[cause_index].evidence.push(LikelihoodRatio {
                finding,
                when: e.when.clone(),
                test,
                lr_present: e.lr_present,
                lr_absent: e.lr_absent,
                estimate: e.estimate.clone(),
                source: e.source.clone(),
            });
        }
        causes
    }

    /// A number may be marked `estimate = "expert"`; then its source must say so too, so that
    /// a reviewer reading only the source still sees it.
    fn check_estimate(&mut self, file: &str, entry: &str, estimate: Option<&str>, source: &str) {
        match estimate {
            None => {}
            Some("expert") if !source.split(';').any(|k| k.trim() == "expert") => self.error(
                file,
                entry,
                "marked `estimate = \"expert\"` but `source` does not include `expert`",
            ),
            Some("expert") => {}
            Some(other) => self.error(
                file,
                entry,
                format!("unknown estimate `{other}`; the only accepted value is \"expert\""),
            ),
        }
    }

    fn build_care(
        &mut self,
        raw: &RawCare,
        causes: &[Cause],
        index: &HashMap<String, FindingId>,
    ) -> CareKnowledge {
        let file = "care.toml";
        if !(0.0..=1.0).contains(&raw.threshold) {
            self.error(file, "threshold", "must be a probability between 0 and 1");
        }
        let mut applies_to = Vec::new();
        for level in &raw.applies_to {
            match level.parse::<TriageLevel>() {
                Ok(level) => applies_to.push(level),
                Err(message) => self.error(file, "applies_to", message),
            }
        }
        // The diary's rule keeps the time to the second; more than a year is no follow-up.
        if !(1.0 / 3600.0..=8760.0).contains(&raw.follow_up.after_hours) {
            self.error(
                file,
                "follow_up",
                "`after_hours` must be a number of hours from one second (1/3600) to a year (8760)",
            );
        }
        // Overdue means home care has not worked, so self-care cannot be the answer.
        let follow_up_level = match raw.follow_up.level.parse::<TriageLevel>() {
            Ok(TriageLevel::SelfCare) => Err(
                "`level` must be above self_care: an overdue follow-up asks the person to see someone"
                    .to_string(),
            ),
            Ok(level) => Ok(level),
            Err(message) => Err(format!("`level`: {message}")),
        }
        .unwrap_or_else(|message| {
            self.error(file, "follow_up", message);
            // Never used: the error fails the load.
            TriageLevel::SelfCare
        });
        self.check_source(file, "follow_up", &raw.follow_up.source);
        let mut ids = HashSet::new();
        let mut general = Vec::new();
        for a in &raw.general {
            let entry = format!("general `{}`", a.id);
            self.check_source(file, &entry, &a.source);
            if !ids.insert(a.id.clone()) {
                self.error(file, &entry, "duplicate advice id");
            }
            general.push(AdviceEntry {
                id: a.id.clone(),
                cause: None,
                text: a.text.clone(),
                source: a.source.clone(),
                rendered: OnceLock::new(),
            });
        }
        let mut by_cause = vec![Vec::new(); causes.len()];
        for a in &raw.cause_advice {
            let entry = format!("cause_advice `{}`", a.id);
            self.check_source(file, &entry, &a.source);
            if !ids.insert(a.id.clone()) {
                self.error(file, &entry, "duplicate advice id");
            }
            match causes.iter().position(|c| c.id == a.cause) {
                Some(i) => by_cause[i].push(AdviceEntry {
                    id: a.id.clone(),
                    cause: Some(a.cause.clone()),
                    text: a.text.clone(),
                    source: a.source.clone(),
                    rendered: OnceLock::new(),
                }),
                None => self.error(file, &entry, format!("unknown cause `{}`", a.cause)),
            }
        }
        for (cause, advice) in causes.iter().zip(&by_cause) {
            if advice.is_empty() {
                self.error(
                    "causes.toml",
                    format!("cause `{}`", cause.id),
                    "has no advice: add at least one `[[cause_advice]]` for it in care.toml",
                );
            }
        }
        let mut home_care = Vec::new();
        let mut home_care_ids = HashSet::new();
        for h in &raw.home_care {
            let entry = format!("home_care `{}`", h.id);
            self.check_source(file, &entry, &h.source);
            if h.id.trim().is_empty() || h.label.trim().is_empty() {
                self.error(file, &entry, "needs an `id` and a `label`");
            }
            if !home_care_ids.insert(h.id.as_str()) {
                self.error(file, &entry, "duplicate home care id");
            }
            home_care.push(HomeCareEntry {
                id: h.id.clone(),
                label: h.label.clone(),
                source: h.source.clone(),
            });
        }
        let mut watch = Vec::new();
        let mut watched = HashSet::new();
        for w in &raw.watch {
            let entry = format!("watch `{}`", w.finding);
            self.check_source(file, &entry, &w.source);
            if !watched.insert(w.finding.as_str()) {
                self.error(file, &entry, "duplicate watch item");
            }
            match index.get(&w.finding) {
                Some(&finding) => watch.push(WatchEntry {
                    finding,
                    // Filled in once rules can be evaluated.
                    level: TriageLevel::SelfCare,
                    text: w.text.clone(),
                    source: w.source.clone(),
                    rendered: OnceLock::new(),
                }),
                None => self.error(file, &entry, format!("unknown finding `{}`", w.finding)),
            }
        }
        CareKnowledge {
            threshold: raw.threshold,
            applies_to,
            follow_up_after_hours: raw.follow_up.after_hours,
            follow_up_level,
            follow_up_text: raw.follow_up.text.clone(),
            follow_up_source: raw.follow_up.source.clone(),
            general,
            by_cause,
            watch,
            home_care,
        }
    }
}

impl KnowledgeBase {
    /// The highest level that rules reach when only this finding is known (present).
    fn level_fired_alone(&self, finding: FindingId) -> Option<TriageLevel> {
        let mut evidence = Evidence::new(self);
        evidence.set(finding, Observation::answer(Value::Present));
        let mut trace = Vec::new();
        self.rules
            .iter()
            .filter(|rule| rule.condition.evaluate(&evidence, &mut trace))
            .map(|rule| rule.level)
            .max()
    }
}

/// The numbers `text` writes before "hour" or "hours", as written: "after 72 hours" and "the
/// 72-hour rule" give `72`, "48–72 hours" gives `48` and `72`.
fn stated_hours(text: &str) -> Vec<&str> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    let mut numbers = Vec::new();
    for pair in words.windows(2) {
        let unit = pair[1].trim_matches(|c: char| !c.is_alphanumeric());
        if !unit.eq_ignore_ascii_case("hour") && !unit.eq_ignore_ascii_case("hours") {
            continue;
        }
        let before = pair[0].trim_matches(|c: char| !c.is_alphanumeric());
        numbers.extend(
            before
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .filter(|n| n.starts_with(|c: char| c.is_ascii_digit())),
        );
    }
    numbers
}

/// Where `text` names one of `numbers` as a whole number (not inside a longer run of digits:
/// "112" does not name `11`), in text order.
fn emergency_numbers_in<'a>(
    numbers: &'a [EmergencyNumber],
    text: &str,
) -> Vec<(usize, &'a EmergencyNumber)> {
    let mut found: Vec<(usize, &EmergencyNumber)> = numbers
        .iter()
        .filter(|n| !n.number.is_empty())
        .flat_map(|n| {
            text.match_indices(n.number.as_str())
                .filter(|(at, number)| {
                    let before = text[..*at].chars().next_back();
                    let after = text[at + number.len()..].chars().next();
                    !before.is_some_and(|c| c.is_ascii_digit())
                        && !after.is_some_and(|c| c.is_ascii_digit())
                })
                .map(move |(at, _)| (at, n))
        })
        .collect();
    found.sort_by_key(|(at, _)| *at);
    found
}

/// The keys of sources.toml that a `source` field cites (`;`-separated, e.g. "seed; NHS-back").
pub fn cited_source_keys(source: &str) -> impl Iterator<Item = &str> {
    source.split(';').map(str::trim).filter(|k| !k.is_empty())
}

/// What is wrong with a `source` field, given which keys sources.toml has (`is_key`): no key
/// cited (an empty field, or only `;`), or keys sources.toml does not have. The one check
/// every knowledge file's `source` goes through, the reader's files included.
///
/// ```
/// use upperback_core::source_problems;
/// let is_key = |key: &str| key == "seed";
/// assert!(source_problems("seed", is_key).is_empty());
/// assert_eq!(source_problems("seed; nope", is_key), ["source `nope` is not a key of sources.toml"]);
/// assert!(source_problems(" ; ", is_key)[0].starts_with("missing `source`"));
/// ```
pub fn source_problems(source: &str, is_key: impl Fn(&str) -> bool) -> Vec<String> {
    let mut keys = cited_source_keys(source).peekable();
    if keys.peek().is_none() {
        return vec![
            "missing `source`: cite a key of sources.toml (use \"expert\" for an expert estimate)"
                .into(),
        ];
    }
    keys.filter(|key| !is_key(key))
        .map(|key| format!("source `{key}` is not a key of sources.toml"))
        .collect()
}

impl KnowledgeBase {
    /// [`source_problems`] against this knowledge base's sources.toml.
    pub fn source_problems(&self, source: &str) -> Vec<String> {
        source_problems(source, |key| self.sources.iter().any(|s| s.key == key))
    }
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files_with(name: &str, content: String) -> Vec<(String, String)> {
        EMBEDDED_FILES
            .iter()
            .map(|f| {
                if f.name == name {
                    (f.name.to_string(), content.clone())
                } else {
                    (f.name.to_string(), f.content.to_string())
                }
            })
            .collect()
    }

    fn load(files: &[(String, String)]) -> Result<KnowledgeBase, KnowledgeErrors> {
        let files: Vec<KnowledgeFile> = files
            .iter()
            .map(|(name, content)| KnowledgeFile { name, content })
            .collect();
        KnowledgeBase::from_files(&files)
    }

    fn errors_after(name: &str, edit: impl Fn(&str) -> String) -> String {
        let original = EMBEDDED_FILES
            .iter()
            .find(|f| f.name == name)
            .unwrap()
            .content;
        match load(&files_with(name, edit(original))) {
            Ok(_) => panic!("expected the edited knowledge base to be rejected"),
            Err(errors) => errors.to_string(),
        }
    }

    #[test]
    fn embedded_knowledge_base_is_valid() {
        let kb = KnowledgeBase::embedded();
        assert_eq!(kb.causes.len(), 5);
        assert!(kb.rules.len() >= 35);
        assert!(kb.digest.starts_with("sha256:") && kb.digest.len() == 7 + 64);
    }

    #[test]
    fn digest_ignores_comments_but_not_content() {
        let base = load(&files_with(
            "care.toml",
            EMBEDDED_FILES[5].content.to_string(),
        ))
        .unwrap();
        let commented = load(&files_with(
            "care.toml",
            format!("# a reviewer's note\n{}", EMBEDDED_FILES[5].content),
        ))
        .unwrap();
        assert_eq!(base.digest, commented.digest);
        let changed = load(&files_with(
            "care.toml",
            EMBEDDED_FILES[5]
                .content
                .replace("threshold = 0.3", "threshold = 0.35"),
        ))
        .unwrap();
        assert_ne!(base.digest, changed.digest);
    }

    #[test]
    fn follow_up_hours_must_be_a_positive_number() {
        for bad in ["0", "-72", "inf", "nan", "0.0001", "8761"] {
            let message = errors_after("care.toml", |s| {
                s.replace("after_hours = 72", &format!("after_hours = {bad}"))
            });
            assert!(
                message.contains("care.toml: follow_up: `after_hours` must be a number of hours"),
                "{bad}: {message}"
            );
        }
    }

    #[test]
    fn follow_up_level_is_a_known_level_above_self_care() {
        let kb = KnowledgeBase::embedded();
        assert_eq!(kb.care.follow_up_level, TriageLevel::WithinDays);
        let message = errors_after("care.toml", |s| {
            s.replace("level = \"within_days\"", "level = \"within_a_week\"")
        });
        assert!(
            message.contains("care.toml: follow_up: `level`: unknown triage level `within_a_week`"),
            "{message}"
        );
        let message = errors_after("care.toml", |s| {
            s.replace("level = \"within_days\"", "level = \"self_care\"")
        });
        assert!(
            message.contains("care.toml: follow_up: `level` must be above self_care"),
            "{message}"
        );
        let message = errors_after("care.toml", |s| s.replace("level = \"within_days\"\n", ""));
        assert!(message.contains("missing field `level`"), "{message}");
    }

    #[test]
    fn emergency_numbers_are_data_and_the_ambulance_tell_names_them_all() {
        let kb = KnowledgeBase::embedded();
        assert!(!kb.emergency_numbers.is_empty());
        let tell = &kb.level_info(TriageLevel::Ambulance).tell;
        let named: Vec<&str> = kb
            .emergency_numbers_in(tell)
            .iter()
            .map(|(_, n)| n.number.as_str())
            .collect();
        let listed: Vec<&str> = kb
            .emergency_numbers
            .iter()
            .map(|n| n.number.as_str())
            .collect();
        assert_eq!(named, listed, "{tell}");
        // The JSON for clients lists them, with where each is dialled.
        let json = kb.to_json_value();
        assert_eq!(json["emergency_numbers"][0]["number"], listed[0]);
        assert!(json["emergency_numbers"][0]["where"].is_string());
    }

    #[test]
    fn an_ambulance_tell_without_every_emergency_number_is_an_error() {
        let message = errors_after("triage.toml", |s| {
            s.replace("(911 / 112 / 999)", "(911 / 999)")
        });
        assert!(
            message.contains(
                "triage.toml: level `ambulance`: `tell` must name every `[[emergency_number]]`: add 112"
            ),
            "{message}"
        );
        // A number listed but named nowhere: the ambulance tell and the text that names the
        // others must add it.
        let message = errors_after("triage.toml", |s| {
            format!("{s}\n[[emergency_number]]\nnumber = \"000\"\nwhere = \"Australia\"\nsource = \"design\"\n")
        });
        assert!(
            message.contains(
                "level `ambulance`: `tell` must name every `[[emergency_number]]`: add 000"
            ),
            "{message}"
        );
        assert!(
            message.contains(
                "level `emergency_department`: `if_worse` must name every `[[emergency_number]]`: add 000"
            ),
            "{message}"
        );
    }

    #[test]
    fn the_emergency_number_list_must_not_be_empty_or_malformed() {
        let message = errors_after("triage.toml", |s| {
            let mut kept = String::new();
            let mut skip = 0;
            for line in s.lines() {
                if line == "[[emergency_number]]" {
                    skip = 4;
                }
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                kept.push_str(line);
                kept.push('\n');
            }
            kept
        });
        assert!(
            message.contains("triage.toml: emergency_number: none listed"),
            "{message}"
        );
        let message = errors_after("triage.toml", |s| {
            s.replace("number = \"911\"", "number = \"9-1-1\"")
        });
        assert!(
            message.contains("emergency_number `9-1-1`: `number` must be digits only"),
            "{message}"
        );
        let message = errors_after("triage.toml", |s| {
            s.replace("number = \"999\"", "number = \"911\"")
        });
        assert!(
            message.contains("emergency_number `911`: duplicate emergency number"),
            "{message}"
        );
    }

    #[test]
    fn a_number_inside_a_longer_one_is_not_named() {
        let numbers = [EmergencyNumber {
            number: "11".into(),
            place: "nowhere".into(),
            source: "design".into(),
        }];
        assert!(emergency_numbers_in(&numbers, "call 112 or 911").is_empty());
        let found = emergency_numbers_in(&numbers, "call 11, not 112");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 5);
    }

    #[test]
    fn follow_up_must_match_the_rule_it_names() {
        let message = errors_after("care.toml", |s| {
            s.replace(
                "rule = \"persisting_despite_home_care\"",
                "rule = \"no_such_rule\"",
            )
        });
        assert!(
            message.contains(
                "care.toml: follow_up: `rule` names `no_such_rule`, which is not a rule of triage.toml"
            ),
            "{message}"
        );
        // The rule's hours change, the diary's do not.
        let message = errors_after("triage.toml", |s| {
            s.replace("duration_hours > 72 &", "duration_hours > 96 &")
        });
        assert!(
            message.contains(
                "care.toml: follow_up: its rule `persisting_despite_home_care` in triage.toml must test `duration_hours > 72`"
            ),
            "{message}"
        );
        // The rule stops needing the hours at all.
        let message = errors_after("triage.toml", |s| {
            s.replace("duration_hours > 72 & improving", "improving")
        });
        assert!(
            message.contains("must test `duration_hours > 72`"),
            "{message}"
        );
        // The diary's hours change, the rule's do not (the prose is named too, elsewhere).
        let message = errors_after("care.toml", |s| {
            s.replace("after_hours = 72", "after_hours = 48")
        });
        assert!(
            message.contains("its rule `persisting_despite_home_care` in triage.toml must test `duration_hours > 48`"),
            "{message}"
        );
        // The rule asks for another level.
        let message = errors_after("triage.toml", |s| {
            s.replace(
                "level = \"within_days\"\ncondition = \"duration_hours > 72",
                "level = \"within_24_hours\"\ncondition = \"duration_hours > 72",
            )
        });
        assert!(
            message.contains(
                "care.toml: follow_up: `level` is within_days but its rule `persisting_despite_home_care` in triage.toml asks for within_24_hours"
            ),
            "{message}"
        );
    }

    #[test]
    fn follow_up_hours_in_prose_must_match_after_hours() {
        // The text says another number of hours.
        let message = errors_after("care.toml", |s| {
            s.replace("after 72 hours of home care", "after 48 hours of home care")
        });
        assert!(
            message.contains(
                "care.toml: follow_up: `text` says 48 hours but care.toml `[follow_up] after_hours` is 72: write \"72 hours\""
            ),
            "{message}"
        );
        let message = errors_after("triage.toml", |s| {
            s.replace("within 72 hours", "within 48 hours")
        });
        assert!(
            message.contains("triage.toml: level `self_care`: `tell` says 48 hours but"),
            "{message}"
        );
        // The hours change, the prose does not: both texts are named.
        let message = errors_after("care.toml", |s| {
            s.replace("after_hours = 72", "after_hours = 48")
        });
        assert!(
            message.contains("care.toml: follow_up: `text` says 72 hours but care.toml `[follow_up] after_hours` is 48: write \"48 hours\""),
            "{message}"
        );
        assert!(
            message.contains("triage.toml: level `self_care`: `tell` says 72 hours"),
            "{message}"
        );
        // The time in other words cannot be checked, so it is refused.
        let message = errors_after("triage.toml", |s| {
            s.replace("within 72 hours", "within 3 days")
        });
        assert!(
            message.contains(
                "triage.toml: level `self_care`: `tell` must state the follow-up time as \"72 hours\""
            ),
            "{message}"
        );
    }

    #[test]
    fn hours_are_read_from_prose() {
        assert_eq!(stated_hours("after 72 hours of home care"), ["72"]);
        assert_eq!(stated_hours("the 72-hour rule"), ["72"]);
        assert_eq!(
            stated_hours("after 48–72 hours (or 1.5 hours)."),
            ["48", "72", "1.5"]
        );
        assert!(stated_hours("within a few hours, or 3 days").is_empty());
    }

    #[test]
    fn unknown_finding_in_rule_is_named() {
        let message = errors_after("triage.toml", |s| {
            s.replace(
                "condition = \"saddle_numbness\"",
                "condition = \"saddle_numbnes\"",
            )
        });
        assert!(
            message.contains("triage.toml: rule `saddle_anaesthesia`"),
            "{message}"
        );
        assert!(message.contains("saddle_numbnes"), "{message}");
    }

    #[test]
    fn duplicate_finding_id_is_named() {
        let message = errors_after("findings.toml", |s| {
            format!("{s}\n[[finding]]\nid = \"fever\"\nkind = \"bool\"\nmeaning = \"x\"\ngroup = \"x\"\nsource = \"spec\"\n")
        });
        assert!(
            message.contains("finding `fever`: duplicate finding id"),
            "{message}"
        );
    }

    #[test]
    fn home_care_choices_are_data_and_checked() {
        let kb = KnowledgeBase::embedded();
        let ids: Vec<&str> = kb.care.home_care.iter().map(|h| h.id.as_str()).collect();
        assert!(ids.contains(&"heat") && ids.contains(&"ice"), "{ids:?}");
        let message = errors_after("care.toml", |s| {
            format!(
                "{s}\n[[home_care]]\nid = \"heat\"\nlabel = \"Heat again\"\nsource = \"seed\"\n"
            )
        });
        assert!(
            message.contains("home_care `heat`: duplicate home care id"),
            "{message}"
        );
    }

    #[test]
    fn missing_source_is_named() {
        let message = errors_after("triage.toml", |s| {
            s.replacen("source = \"NHS-back\"\n", "", 1)
        });
        assert!(message.contains("missing `source`"), "{message}");
    }

    #[test]
    fn unknown_source_key_is_named() {
        let message = errors_after("causes.toml", |s| {
            s.replacen("seed; expert", "seed; expertise", 1)
        });
        assert!(
            message.contains("source `expertise` is not a key"),
            "{message}"
        );
    }

    #[test]
    fn cause_without_advice_is_an_error() {
        let message = errors_after("care.toml", |s| {
            s.replace("cause = \"stress_tension\"", "cause = \"acute_strain\"")
        });
        assert!(
            message.contains("cause `stress_tension`: has no advice"),
            "{message}"
        );
    }

    #[test]
    fn unknown_cause_and_finding_in_evidence_are_named() {
        let message = errors_after("causes.toml", |s| {
            s.replacen("finding = \"screen_work\"", "finding = \"screens\"", 1)
                .replacen(
                    "cause = \"acute_strain\"\nfinding = \"onset_sudden\"",
                    "cause = \"acute\"\nfinding = \"onset_sudden\"",
                    1,
                )
        });
        assert!(message.contains("unknown finding `screens`"), "{message}");
        assert!(message.contains("unknown cause `acute`"), "{message}");
    }

    #[test]
    fn red_flag_must_be_marked() {
        let message = errors_after("findings.toml", |s| {
            s.replace(
                "red_flag = true\nscreening = \"heart_and_lungs\"\nsource = \"NHS-aortic-dissection\"",
                "source = \"NHS-aortic-dissection\"",
            )
        });
        assert!(message.contains("finding `tearing_pain`"), "{message}");
        assert!(
            message.contains("must be marked `red_flag = true`"),
            "{message}"
        );
    }

    #[test]
    fn expert_estimates_are_labelled() {
        let kb = KnowledgeBase::embedded();
        for cause in &kb.causes {
            assert_eq!(cause.estimate.as_deref(), Some("expert"), "{}", cause.id);
            for lr in &cause.evidence {
                assert_eq!(lr.estimate.as_deref(), Some("expert"));
            }
        }
        let message = errors_after("causes.toml", |s| {
            s.replacen("source = \"seed; expert\"", "source = \"seed\"", 1)
        });
        assert!(message.contains("does not include `expert`"), "{message}");
    }

    #[test]
    fn malformed_toml_names_the_file() {
        let message = errors_after("care.toml", |s| format!("{s}\n[[watch]\n"));
        assert!(message.contains("care.toml:"), "{message}");
    }

    #[test]
    fn watch_levels_follow_the_rules() {
        let kb = KnowledgeBase::embedded();
        let level_of = |id: &str| {
            kb.care
                .watch
                .iter()
                .find(|w| kb.finding(w.finding).id == id)
                .unwrap()
                .level
        };
        assert_eq!(
            level_of("bowel_bladder_dysfunction"),
            TriageLevel::Ambulance
        );
        assert_eq!(level_of("coughing_blood"), TriageLevel::EmergencyDepartment);
        assert_eq!(level_of("fever"), TriageLevel::Within24Hours);
    }
}
