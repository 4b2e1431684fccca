//! Every occurrence of every pattern of an Aho-Corasick DFA, found by walking the DFA
//! directly. Same occurrences, in the same order, as `AhoCorasick::find_overlapping_iter`
//! (by end, then as the automaton lists the patterns ending there), without re-entering a
//! search for each occurrence: the texts read here are short and trigger words dense, so that
//! re-entry cost more than the walk itself.

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::Anchored;

/// Calls `found(pattern, start, end)` for each occurrence in `haystack` (byte offsets).
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
