//! The upperback engine: the validated knowledge base and the pure functions that turn
//! evidence about a person into an assessment — triage by explicit red-flag rules,
//! contributing causes by an explainable likelihood model, and a care plan.
//!
//! Nothing here performs I/O: the knowledge base is embedded at build time (or handed in as
//! file contents by the caller), and every function is deterministic, so the same evidence
//! always yields the same, byte-identical result.
//!
//! ```
//! use upperback_core::{assess, KnowledgeBase, TriageLevel};
//!
//! let kb = KnowledgeBase::embedded();
//! let evidence = kb.parse_answers(r#"{"upper_back_spasm": true, "chest_pain": true}"#).unwrap();
//! let assessment = assess(kb, &evidence);
//! assert_eq!(assessment.triage.level, TriageLevel::Ambulance);
//! ```

mod assessment;
mod care;
mod causes;
mod condition;
mod evidence;
mod interview;
mod knowledge;
mod triage;

pub use assessment::{
    assess, Assessment, FindingReport, KnowledgeBaseStamp, PossibleRedFlagReport,
};
pub use care::{AdviceItem, CarePlan, FollowUp, WatchItem};
pub use causes::{CauseEvidence, CauseResult};
pub use condition::{Comparison, Condition, ConditionError};
pub use evidence::{
    json_type_name, quoted, Evidence, InputError, Observation, Origin, PossibleRedFlag, Status,
    TextSpan, TextTrigger, ToolAdvice, Value,
};
pub use interview::{
    AnswerError, ChecklistItem, FromText, Interview, Progress, QuestionView, TextSaid,
};
pub use knowledge::{
    cited_source_keys, source_problems, CareKnowledge, Cause, EmergencyNumber, Finding, FindingId,
    FindingKind, HomeCareEntry, InterviewKnowledge, InterviewSettings, KnowledgeBase,
    KnowledgeError, KnowledgeErrors, KnowledgeFile, LevelInfo, LikelihoodRatio, Question,
    QuestionKind, ReadBackWording, RedFlagRule, ScreeningWording, Source, Stage,
    KNOWLEDGE_FILE_NAMES,
};
pub use triage::{FiredRule, Screening, TriageLevel, TriageResult};
