//! Free-text reader: turns a person's own words into findings with context (negation, time, experiencer).

pub mod clauses;
pub mod context;
pub mod lexicon;
mod overlapping;
pub mod possible;
pub mod reader;
mod scratch;
pub mod values;
pub mod words;

pub use context::{
    ContextEngine, ContextRules, ContextRulesError, ContextTsvError, Experiencer, Span,
    TargetContext, Temporality, TriggerHit, TsvSummary,
};
pub use reader::{Mention, Outcome, ReadError, Reader, Reading, MAX_TEXT_CHARS};
