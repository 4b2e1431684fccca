//! Every occurrence of every pattern of an Aho-Corasick DFA, found by walking the DFA
//! directly. Same occurrences, in the same order, as `AhoCorasick::find_overlapping_iter`
//! (by end, then as the automaton lists the patterns ending there), without re-entering a
//! search for each occurrence: the texts read here are short and trigger words dense, so that
//! re-entry cost more than the walk itself.

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, BuildError, MatchKind};

/// The automaton [`for_each_occurrence`] walks: standard match semantics, the only ones
/// under which a walk sees every occurrence (a leftmost kind would drop overlapping ones).
pub(crate) fn automaton<P: AsRef<[u8]>>(
    patterns: impl IntoIterator<Item = P>,
    ascii_case_insensitive: bool,
) -> Result<DFA, BuildError> {
    aho_corasick::dfa::Builder::new()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(ascii_case_insensitive)
        .build(patterns)
}

/// Appends ASCII `piece` lower-cased (the lexicon's tokens, the context engine's text).
pub(crate) fn push_ascii_lowercase(buffer: &mut String, piece: &str) {
    let from = buffer.len();
    buffer.push_str(piece);
    if let Some(pushed) = buffer.get_mut(from..) {
        pushed.make_ascii_lowercase();
    }
}

/// Calls `found(pattern, start, end)` for each occurrence in `haystack` (byte offsets);
/// `dfa` comes from [`automaton`].
pub(crate) fn for_each_occurrence(
    dfa: &DFA,
    haystack: &[u8],
    mut found: impl FnMut(usize, usize, usize),
) {
    let Ok(mut state) = dfa.start_state(Anchored::No) else {
        return;
    };
    let mut report = |state, end: usize| {
        for index in 0..dfa.match_len(state) {
            let pattern = dfa.match_pattern(state, index);
            found(pattern.as_usize(), end - dfa.pattern_len(pattern), end);
        }
    };
    // Only an empty pattern makes the start state a match.
    if dfa.is_match(state) {
        report(state, 0);
    }
    for (at, &byte) in haystack.iter().enumerate() {
        state = dfa.next_state(Anchored::No, state, byte);
        if dfa.is_special(state) {
            if dfa.is_dead(state) {
                return;
            }
            if dfa.is_match(state) {
                report(state, at + 1);
            }
        }
    }
}
