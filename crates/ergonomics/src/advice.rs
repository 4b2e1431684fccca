//! Advice by re-scoring: each fixable problem is fixed on its own, the input is scored again, and
//! the fixes that lower the score most are kept.
//!
//! Ranking rule (shared by RULA and ROSA):
//! 1. For every problem present in the input, fix only that problem and re-score.
//! 2. If at least one fix lowers the final score, keep only the fixes that do; otherwise keep the
//!    fixes that lower the problem's section score (RULA Score C / D; ROSA chair,
//!    monitor-and-telephone, mouse-and-keyboard) or its part score, as long as the final score
//!    does not rise.
//! 3. Sort by (final drop, section drop, part drop), largest first; ties keep the problems'
//!    declaration order, which follows the published method, so the result is deterministic.
//! 4. Keep at most [`MAX_ADVICE`].

use serde::{Deserialize, Serialize};

/// At most this many changes are suggested ("the two or three changes that would lower the
/// score most").
pub const MAX_ADVICE: usize = 3;

/// One suggested change, found by re-scoring the input with that single problem fixed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Improvement {
    /// Stable identifier of the problem, e.g. `monitor_position`.
    pub problem: String,
    /// What to do, as one plain second-person sentence.
    pub text: String,
    /// The final score after making only this change.
    pub score_after: u8,
}

/// The outcome of fixing one problem: how much the final, section and part scores drop.
pub(crate) struct Trial<P> {
    pub problem: P,
    pub score_after: u8,
    /// Drops in (final, section, part) score; positive means the fix lowers it.
    pub drop: [i32; 3],
}

/// Apply the ranking rule in the module docs. `trials` must be in declaration order.
pub(crate) fn choose<P>(trials: Vec<Trial<P>>) -> Vec<Trial<P>> {
    let any_final = trials.iter().any(|t| t.drop[0] > 0);
    let mut kept: Vec<Trial<P>> = trials
        .into_iter()
        .filter(|t| {
            if any_final {
                t.drop[0] > 0
            } else {
                t.drop[0] >= 0 && (t.drop[1] > 0 || t.drop[2] > 0)
            }
        })
        .collect();
    // `sort_by` is stable, so equal drops keep declaration order.
    kept.sort_by(|a, b| b.drop.cmp(&a.drop));
    kept.truncate(MAX_ADVICE);
    kept
}

/// Define the fixable problems of a method: each variant carries its JSON id and its advice
/// sentence, so every sentence lives in exactly one place.
macro_rules! problems {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $variant:ident = $id:literal => $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // each variant is described by its `text`
        $vis enum $name {
            $( $variant ),+
        }

        impl $name {
            /// Every problem, in the order used to break ties.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable identifier used in the `improvements` output.
            pub const fn id(self) -> &'static str {
                match self { $($name::$variant => $id),+ }
            }

            /// The advice sentence for fixing this problem.
            pub const fn text(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }
    };
}
pub(crate) use problems;

#[cfg(test)]
mod tests {
    use super::*;

    fn t(p: u8, drop: [i32; 3]) -> Trial<u8> {
        Trial {
            problem: p,
            score_after: 0,
            drop,
        }
    }

    fn ids(v: Vec<Trial<u8>>) -> Vec<u8> {
        v.into_iter().map(|t| t.problem).collect()
    }

    #[test]
    fn final_drops_win_and_ties_keep_order() {
        let trials = vec![
            t(0, [0, 3, 3]),
            t(1, [1, 1, 0]),
            t(2, [2, 0, 0]),
            t(3, [1, 1, 0]),
            t(4, [1, 1, 0]),
        ];
        assert_eq!(ids(choose(trials)), vec![2, 1, 3]);
    }

    #[test]
    fn falls_back_to_section_and_part_drops() {
        let trials = vec![
            t(0, [0, 0, 0]),
            t(1, [0, 0, 1]),
            t(2, [0, 2, 1]),
            t(3, [-1, 5, 5]),
        ];
        assert_eq!(ids(choose(trials)), vec![2, 1]);
    }

    #[test]
    fn nothing_to_suggest() {
        assert!(choose::<u8>(vec![t(0, [0, 0, 0])]).is_empty());
        assert!(choose::<u8>(vec![]).is_empty());
    }
}
