//! Context engine: decides, for each finding a person mentions, whether it is denied, uncertain, in the
//! past, hypothetical, or someone else's.
//!
//! This is an implementation of the ConText algorithm (Chapman et al. 2007; Harkema et al. 2009), the
//! successor of NegEx, with medspaCy's ConText as the reference to beat. Trigger phrases are data
//! (`knowledge/context_rules.toml`), compiled into one Aho-Corasick automaton that runs over a
//! lower-cased, white-space-collapsed copy of the text; a byte→char map reports every span in the
//! caller's Unicode scalar offsets.
//!
//! How it reads a text:
//!
//! 1. **Normalise**: lower-case, collapse white space, fold typographic quotes and dashes; keep a
//!    byte→char map.
//! 2. **Split sentences** at `.`, `!` or `?` followed by white space (not after abbreviations such as
//!    "Dr." or "p.o.") and at line breaks. No trigger and no scope crosses a sentence end.
//! 3. **Find triggers**: every occurrence of every phrase is found, occurrences not on word boundaries
//!    are dropped, then the leftmost-longest of the rest win (so "no increase" masks its "no", and a
//!    rejected "no change" in "no changes" does not hide the plain "no").
//! 4. **Scope** each target: the closest forward trigger of each category before it and the closest
//!    backward trigger after it apply, unless a termination term for that category lies between them, or
//!    more words than the rule's `max_scope` do. Triggers inside the target's own words do not negate it;
//!    historical, history-hint and experiencer words inside it do apply.
//!
//! Uncertain findings are never negated. Hypothetical wins over historical when both apply.
//!
//! ```
//! use upperback_nlu::context::{ContextEngine, Temporality};
//!
//! let engine = ContextEngine::embedded();
//! let fever = engine.annotate_concept("No fever, but chills since Monday", "fever").unwrap();
//! assert!(fever.negated);
//! let chills = engine.annotate_concept("No fever, but chills since Monday", "chills").unwrap();
//! assert!(!chills.negated);
//! let numb = engine
//!     .annotate_concept("If I ever get numbness in my arms I'll go to the ER", "numbness")
//!     .unwrap();
//! assert_eq!(numb.temporality, Temporality::Hypothetical);
//! ```

mod engine;
mod normalize;
mod rules;
mod tsv;

pub use engine::{ContextEngine, Experiencer, Span, TargetContext, Temporality, TriggerHit};
pub use rules::{Category, ContextRules, ContextRulesError, Direction, TriggerRule};
pub use tsv::{ContextTsvError, TsvSummary};

#[cfg(test)]
mod tests;
