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
    /// The result field holding the section score this change acts on (RULA `score_c` or
    /// `score_d`; ROSA `chair`, `monitor_telephone` or `mouse_keyboard`).
    pub section: String,
    /// That section's score after making only this change.
    pub section_score_after: u8,
}

/// What the advice search needs to know about a method's problems.
pub(crate) trait Fixable: Copy + 'static {
    type Input: Clone;
    type Output;
    /// Every problem, in tie-break order.
    const ALL: &'static [Self];
    fn is_present(self, input: &Self::Input) -> bool;
    fn apply(self, input: &mut Self::Input);
    fn id(self) -> &'static str;
    fn text(self) -> &'static str;
    /// Score without advice.
    fn compute(input: &Self::Input) -> Self::Output;
    fn final_score(out: &Self::Output) -> u8;
    /// (section field name, section score, part value) of `out` as seen by this problem.
    fn section_and_part(self, out: &Self::Output) -> (&'static str, u8, i32);
}

/// Re-score `input` with each present problem fixed on its own and keep the best (module docs).
pub(crate) fn improvements<P: Fixable>(input: &P::Input, before: &P::Output) -> Vec<Improvement> {
    let trials = P::ALL
        .iter()
        .filter(|p| p.is_present(input))
        .map(|&p| {
            let mut fixed = input.clone();
            p.apply(&mut fixed);
            let after = P::compute(&fixed);
            let (section, s0, p0) = p.section_and_part(before);
            let (_, s1, p1) = p.section_and_part(&after);
            let score_after = P::final_score(&after);
            Trial {
                problem: p,
                score_after,
                drop: [
                    i32::from(P::final_score(before)) - i32::from(score_after),
                    i32::from(s0) - i32::from(s1),
                    p0 - p1,
                ],
                section,
                section_after: s1,
            }
        })
        .collect();
    choose(trials)
        .into_iter()
        .map(|t| Improvement {
            problem: t.problem.id().to_owned(),
            text: t.problem.text().to_owned(),
            score_after: t.score_after,
            section: t.section.to_owned(),
            section_score_after: t.section_after,
        })
        .collect()
}

/// The outcome of fixing one problem: how much the final, section and part scores drop.
pub(crate) struct Trial<P> {
    pub problem: P,
    pub score_after: u8,
    /// Drops in (final, section, part) score; positive means the fix lowers it.
    pub drop: [i32; 3],
    pub section: &'static str,
    pub section_after: u8,
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
    // The sort is stable, so equal drops keep declaration order.
    kept.sort_by_key(|t| std::cmp::Reverse(t.drop));
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
            section: "",
            section_after: 0,
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
