//! Workstation and posture scoring: RULA and ROSA, table for table.
//!
//! This crate's one job is to turn a described posture (RULA, McAtamney & Corlett 1993) or office
//! workstation (ROSA, Sonne, Villalta & Andrews 2012) into the published score, exactly as
//! `shared/clinical/ergonomics.md` and `shared/contracts/ergonomics.md` specify, together with
//! the few changes that would lower that score most. The CLI (`upperback ergo`), the HTTP server
//! and the web form all call the same functions:
//!
//! - [`parse_rula`] / [`parse_rosa`]: JSON text → input, or an [`InputError`] naming the field;
//! - [`rula::score`] / [`rosa::score`]: input → result (serialises to the contract's JSON);
//! - [`render_rula_report`] / [`render_rosa_report`]: result → plain-text report;
//! - [`poor_workstation`]: whether a score counts as `poor_workstation` evidence.
//!
//! Boundary convention (from the contract): a value exactly on a band boundary takes the lower
//! band, e.g. 20° of upper-arm flexion scores 1 and 45° scores 2; ROSA durations of exactly
//! 1 h, 4 h, 30 min and 60 min are all the middle band (0).
//!
//! Input rules (decided here, enforced by the parsers):
//! - unknown fields are rejected everywhere, so a typo such as `flexon_deg` is named instead of
//!   silently scoring a default;
//! - every RULA field is required (the contract gives no defaults, and assuming "not raised" or
//!   "supported" would understate a score); ROSA flags, and whole flags objects, default to false
//!   as the contract says, while ROSA positions and durations are required;
//! - angles must lie in −180..=180, kilograms and durations must not be negative, hours a day
//!   must not exceed 24 and a stretch must not exceed 1440 minutes;
//! - an array where an object belongs is rejected (serde would otherwise read struct fields by
//!   position).
//!
//! The scorers themselves never fail and never panic: hand-built inputs outside those ranges
//! still score, because every table axis is clamped.
#![warn(missing_docs)]

mod advice;
pub mod evidence;
mod input;
mod report;
pub mod rosa;
pub mod rula;
pub mod tables;

pub use advice::{Improvement, MAX_ADVICE};
pub use input::InputError;
pub use report::{render_rosa_report, render_rula_report};
pub use rosa::{RosaInput, RosaResult};
pub use rula::{RulaInput, RulaResult};

/// A ROSA final score or RULA grand score at or above this counts as a poor workstation.
pub const POOR_WORKSTATION_THRESHOLD: u8 = 5;

/// Whether a score counts as `poor_workstation` evidence: ROSA final ≥ 5 or RULA grand ≥ 5 (the
/// threshold is the same for both methods, so the score alone decides).
pub fn poor_workstation(score: u8) -> bool {
    score >= POOR_WORKSTATION_THRESHOLD
}

/// Parse a RULA input document (see the contract). Every field is required; unknown fields,
/// angles outside −180..180, negative weights, wrong types and unknown names are rejected with
/// an error naming the field.
pub fn parse_rula(json: &str) -> Result<RulaInput, InputError> {
    input::parse(json)
}

/// Parse a ROSA input document (see the contract). Positions and durations are required; flags
/// default to false. Unknown fields, negative durations, more than 24 hours a day or 1440
/// minutes at a stretch, wrong types and unknown position names are rejected with an error
/// naming the field.
pub fn parse_rosa(json: &str) -> Result<RosaInput, InputError> {
    input::parse(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poor_workstation_threshold() {
        assert!(!poor_workstation(4));
        assert!(poor_workstation(5));
        assert!(poor_workstation(10));
    }
}
