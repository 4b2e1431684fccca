//! The assessment result of `../shared/contracts/assessment.md` as plain owned data: read
//! back from the stored JSON to render the result page, and described in the OpenAPI
//! document. The engine's own types borrow from the knowledge base and only serialise; these
//! mirror them field for field (a test checks a real result reads back).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A stretch of the person's text, in Unicode scalar offsets, end exclusive.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct SpanView {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A context trigger ("no", "last year", "if", "my father") and where it is.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct TriggerView {
    /// negation, uncertainty, historical, hypothetical or experiencer.
    pub kind: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A red-flag rule that fired.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct FiredRuleView {
    pub id: String,
    /// The rule's triage level.
    pub level: String,
    /// Known findings that satisfied it.
    pub findings: Vec<String>,
    /// Unknown findings it relied on not being ruled out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_ruled_out: Vec<String>,
    pub condition: String,
    pub why: String,
    pub source: String,
}

/// The triage part of a result.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct TriageView {
    /// ambulance, emergency_department, within_24_hours, within_days or self_care.
    pub level: String,
    pub fired_rules: Vec<FiredRuleView>,
    /// Red-flag finding ids still unknown: not screened, never assumed absent.
    pub unscreened_red_flags: Vec<String>,
    /// `complete` when no red flag is unscreened, else `partial`. Absent from results stored
    /// before it existed: then it follows from `unscreened_red_flags`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "partial")]
    pub screening: Option<String>,
}

impl TriageView {
    /// True when some red flag is still unknown.
    pub fn screening_partial(&self) -> bool {
        match self.screening.as_deref() {
            Some(screening) => screening == "partial",
            None => !self.unscreened_red_flags.is_empty(),
        }
    }
}

/// A red flag the text may have described but did not state clearly.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct PossibleRedFlagView {
    pub finding: String,
    /// The person's words that point to it.
    pub words: String,
    pub start: usize,
    pub end: usize,
}

/// How one known finding moved a cause.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct CauseEvidenceView {
    pub finding: String,
    pub status: String,
    pub likelihood_ratio: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// A contributing cause.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct CauseView {
    pub id: String,
    pub name: String,
    /// In [0, 1].
    pub probability: f64,
    pub prior: f64,
    pub evidence: Vec<CauseEvidenceView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate: Option<String>,
    pub source: String,
}

/// A finding's value: a number (hours, a score), a choice's name, or null for yes/no.
fn finding_value_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
    Schema::OneOf(
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .item(ObjectBuilder::new().schema_type(Type::String))
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .build(),
    )
}

/// A known finding and where it came from.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct FindingView {
    pub id: String,
    /// present, absent or unknown.
    pub status: String,
    /// The number or choice of non-bool findings; null for yes/no findings.
    #[schema(schema_with = finding_value_schema)]
    pub value: serde_json::Value,
    /// text, answer or ergonomics.
    pub origin: String,
    pub evidence: Vec<SpanView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<TriggerView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A piece of advice.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct AdviceView {
    /// The cause it addresses; null for general advice.
    pub cause: Option<String>,
    pub id: String,
    pub text: String,
    pub source: String,
}

/// A warning sign to watch for, and the level it calls for.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct WatchView {
    pub finding: String,
    pub level: String,
    pub text: String,
    pub source: String,
}

/// When to see a clinician if it does not improve.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct FollowUpView {
    pub after_hours: f64,
    pub text: String,
    pub source: String,
}

/// The care plan.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct CarePlanView {
    pub summary: String,
    pub advice: Vec<AdviceView>,
    pub watch_for: Vec<WatchView>,
    pub follow_up: FollowUpView,
}

/// Which knowledge base produced a result.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct KnowledgeBaseStampView {
    pub version: String,
    pub digest: String,
}

/// An assessment result (the contract's object), with the id it is stored under.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct AssessmentView {
    /// The stored assessment's id: `GET /api/v1/assessments/{id}` returns it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub triage: TriageView,
    /// Red flags the text may have described; they never change the level by themselves.
    #[serde(default)]
    pub possible_red_flags: Vec<PossibleRedFlagView>,
    pub causes: Vec<CauseView>,
    pub findings: Vec<FindingView>,
    pub care_plan: CarePlanView,
    pub knowledge_base: KnowledgeBaseStampView,
    pub disclaimer: String,
}

/// One phrase of the person's text and what the reader took it to mean.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct MentionView {
    pub finding: String,
    #[serde(default)]
    pub shown_value: Option<String>,
    /// present, absent, uncertain, historical, hypothetical or someone_else.
    pub outcome: String,
    pub span: SpanView,
    #[serde(default)]
    pub trigger: Option<TriggerView>,
    #[serde(default)]
    pub corrected: Vec<(String, String)>,
}

/// "What I understood" from the text.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct UnderstoodView {
    /// Set when the text was about someone else ("my mom, 72, has…").
    #[serde(default)]
    pub about: Option<String>,
    pub mentions: Vec<MentionView>,
}

/// What the text said of a finding an interview question asks about.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FromTextView {
    /// present (read as there: confirm it), absent (read as denied: still asked) or
    /// possible (the words may describe it).
    pub status: String,
    /// The person's words it was read from.
    pub words: String,
}

/// An item of a checklist question.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItemView {
    pub finding: String,
    pub label: String,
    /// Set when the text spoke of it; an item read as present starts ticked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_text: Option<FromTextView>,
}

/// One question of the interview (`../shared/contracts/interview.md`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterviewQuestionView {
    /// e.g. `q-red-flags-heart`, `q-confirm-chest_pain`, `q-possible-chest_pain`.
    pub id: String,
    /// checklist, yes_no, number or choice.
    pub kind: String,
    pub text: String,
    /// Checklists: the finding ids the answer settles (the answer lists those present).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<ChecklistItemView>>,
    /// Other kinds: the one finding asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<String>>,
    /// A yes/no question reading back a red flag the text read as present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_text: Option<FromTextView>,
}

/// How far along an interview is.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressView {
    pub asked: usize,
    pub estimated_remaining: usize,
}

/// An interview's state: its current question, or its result.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterviewStateView {
    /// The interview's id.
    pub id: String,
    /// question or result.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<InterviewQuestionView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<ProgressView>,
    /// The result, stored (its `id` inside).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<AssessmentView>,
    /// How many questions were answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asked: Option<usize>,
}
