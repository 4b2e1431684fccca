//! Free-text reader: turns a person's own words into findings with context (negation, time, experiencer).

pub mod context;

pub use context::{
    ContextEngine, ContextRules, ContextRulesError, ContextTsvError, Experiencer, Span,
    TargetContext, Temporality, TriggerHit, TsvSummary,
};
