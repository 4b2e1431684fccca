//! The ConText engine: finds trigger phrases, splits sentences, computes scopes and assigns each target
//! its negation, certainty, temporality and experiencer.

use std::sync::OnceLock;

use aho_corasick::dfa::DFA;
use serde::Serialize;

use super::normalize::{is_word_byte, Norm};
use super::rules::{Category, ContextRules, ContextRulesError, Direction};

/// A target's position in the text, in Unicode scalar (char) offsets; `end` is exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// First char of the target.
    pub start: usize,
    /// One past the last char of the target.
    pub end: usize,
}

impl Span {
    /// A span from `start` (inclusive) to `end` (exclusive), in chars.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// When a finding happened, relative to now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Temporality {
    /// Happening now or recently (the default).
    #[default]
    Recent,
    /// In the past ("last year", "history of").
    Historical,
    /// Conditional or hypothetical ("if I get numbness").
    Hypothetical,
}

impl Temporality {
    /// The label used by the NegEx / ConText test-set format (`Not particular` for hypothetical).
    pub fn negex_label(self) -> &'static str {
        match self {
            Temporality::Recent => "Recent",
            Temporality::Historical => "Historical",
            Temporality::Hypothetical => "Not particular",
        }
    }
}

/// Who experiences a finding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Experiencer {
    /// The person writing (the default).
    #[default]
    Patient,
    /// Someone else: a relative, a partner, a friend.
    Other,
}

impl Experiencer {
    /// The label used by the NegEx / ConText test-set format.
    pub fn negex_label(self) -> &'static str {
        match self {
            Experiencer::Patient => "Patient",
            Experiencer::Other => "Other",
        }
    }
}

/// A trigger phrase that modified a target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TriggerHit {
    /// What the trigger did.
    pub category: Category,
    /// First char of the trigger in the text.
    pub start: usize,
    /// One past the last char of the trigger.
    pub end: usize,
    /// The trigger as written in the text.
    pub text: String,
}

/// The context the engine assigned to one target.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TargetContext {
    /// The target is denied or absent.
    pub negated: bool,
    /// The target is uncertain (not negated for evaluation purposes).
    pub uncertain: bool,
    /// When the target happened.
    pub temporality: Temporality,
    /// Who experienced the target.
    pub experiencer: Experiencer,
    /// The triggers that modified the target, in text order.
    pub triggers: Vec<TriggerHit>,
}

impl TargetContext {
    /// The negation label of the NegEx / ConText test-set format.
    pub fn negation_label(&self) -> &'static str {
        if self.negated {
            "Negated"
        } else {
            "Affirmed"
        }
    }
}

/// One compiled rule, laid out for the hot loop.
#[derive(Clone, Copy, Debug)]
struct Compiled {
    category: Category,
    direction: Direction,
    /// Largest word distance to a target; `u32::MAX` for unlimited.
    max_scope: u32,
    /// For termination terms: bit mask of the categories whose scopes they end.
    applies_mask: u8,
    /// For modifiers: bit mask of every category the trigger marks (its own plus `also`).
    marks: u8,
    needs_start_boundary: bool,
    needs_end_boundary: bool,
}

/// A trigger occurrence in the normalised text (byte offsets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    rule: u32,
    start: u32,
    end: u32,
}

/// Reusable buffers for one text; keeping them between rows is what makes the TSV path fast.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    norm: Norm,
    hits: Vec<Hit>,
    candidates: Vec<Hit>,
    sent_ends: Vec<u32>,
    concept: Norm,
}

/// The five scoped modifier categories, indexed as in `Category as usize`.
const MODIFIERS: [Category; 5] = [
    Category::Negation,
    Category::Uncertainty,
    Category::Historical,
    Category::Hypothetical,
    Category::Experiencer,
];

/// Flags for one target before they are turned into a [`TargetContext`].
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Flags {
    pub negated: bool,
    pub uncertain: bool,
    pub historical: bool,
    pub hypothetical: bool,
    pub other: bool,
}

impl Flags {
    fn set(&mut self, category: Category) {
        match category {
            Category::Negation => self.negated = true,
            Category::Uncertainty => self.uncertain = true,
            Category::Historical | Category::HistoryHint => self.historical = true,
            Category::Hypothetical => self.hypothetical = true,
            Category::Experiencer => self.other = true,
            Category::Pseudo | Category::Termination => {}
        }
    }

    pub fn temporality(&self) -> Temporality {
        // A conditional statement about a past condition is still about something that may happen.
        if self.hypothetical {
            Temporality::Hypothetical
        } else if self.historical {
            Temporality::Historical
        } else {
            Temporality::Recent
        }
    }

    pub fn experiencer(&self) -> Experiencer {
        if self.other {
            Experiencer::Other
        } else {
            Experiencer::Patient
        }
    }
}

/// Abbreviations whose trailing period does not end a sentence.
const ABBREVIATIONS: &[&[u8]] = &[
    b"dr", b"mr", b"mrs", b"ms", b"mt", b"st", b"vs", b"e.g", b"i.e", b"p.o", b"b.i.d", b"t.i.d",
    b"q.i.d", b"q.d", b"p.r.n", b"a.m", b"p.m", b"approx", b"jr", b"sr", b"pt", b"fig", b"cf",
    b"al", b"inc", b"dept", b"prof", b"u.s",
];

/// The ConText annotator. Build it once (it compiles every trigger phrase into one automaton) and share
/// it; [`ContextEngine::annotate`] takes `&self` and is safe to call from many threads.
#[derive(Debug, Clone)]
pub struct ContextEngine {
    /// Standard semantics: every occurrence is found ([`crate::overlapping`]).
    automaton: DFA,
    rules: Vec<Compiled>,
}

impl ContextEngine {
    /// Compiles `rules` into an engine.
    pub fn new(rules: &ContextRules) -> Result<Self, ContextRulesError> {
        let mut patterns = Vec::with_capacity(rules.len());
        let mut compiled = Vec::with_capacity(rules.len());
        for rule in rules.rules() {
            let pattern = super::normalize::normalize_phrase(&rule.phrase);
            let bytes = pattern.as_bytes();
            let applies_mask = if rule.applies_to.is_empty() {
                MODIFIERS.iter().fold(0, |m, c| m | c.bit())
            } else {
                rule.applies_to.iter().fold(0, |m, c| m | c.bit())
            };
            let marks = if rule.category.is_scoped_modifier() {
                rule.also
                    .iter()
                    .fold(rule.category.bit(), |m, c| m | c.bit())
            } else {
                0
            };
            compiled.push(Compiled {
                marks,
                category: rule.category,
                direction: rule.direction,
                max_scope: rule.max_scope.unwrap_or(u32::MAX),
                applies_mask,
                needs_start_boundary: bytes.first().is_some_and(|&b| is_word_byte(b)),
                needs_end_boundary: bytes.last().is_some_and(|&b| is_word_byte(b)),
            });
            patterns.push(pattern);
        }
        // Standard semantics with overlapping search: every occurrence is seen, then leftmost-longest is
        // applied among the occurrences that sit on word boundaries. A plain leftmost-longest scan would
        // let "no change" swallow the "no" of "no changes in pain" and then reject it at the boundary.
        let automaton = crate::overlapping::automaton(&patterns, false)
            .map_err(|e| ContextRulesError::Matcher(e.to_string()))?;
        Ok(ContextEngine {
            automaton,
            rules: compiled,
        })
    }

    /// The engine built from the embedded rules, compiled once per process.
    pub fn embedded() -> &'static ContextEngine {
        static ENGINE: OnceLock<ContextEngine> = OnceLock::new();
        ENGINE.get_or_init(|| {
            // The embedded rules are a compile-time constant covered by unit tests.
            ContextEngine::new(ContextRules::embedded())
                .unwrap_or_else(|e| panic!("embedded context rules do not compile: {e}"))
        })
    }

    /// Assigns a context to every target span of `text` (char offsets). Spans beyond the text are
    /// clamped to it; an empty span gets the default context.
    pub fn annotate(&self, text: &str, targets: &[Span]) -> Vec<TargetContext> {
        // The reader annotates every text it reads, and fresh buffers would cost more than the
        // matching itself.
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
        }
        crate::scratch::with_scratch(&SCRATCH, |scratch| {
            self.annotate_with(text, targets, scratch)
        })
    }

    fn annotate_with(
        &self,
        text: &str,
        targets: &[Span],
        scratch: &mut Scratch,
    ) -> Vec<TargetContext> {
        self.prepare(text, scratch);
        let scratch = &*scratch;
        targets
            .iter()
            .map(|span| {
                let n = scratch.norm.n_chars as usize;
                let start = span.start.min(n);
                let end = span.end.min(n).max(start);
                let a = scratch.norm.byte_at_char(start as u32);
                let b = scratch.norm.byte_at_char(end as u32);
                if a >= b {
                    return TargetContext::default();
                }
                self.context_for(text, scratch, a, b)
            })
            .collect()
    }

    /// Finds `concept` in `sentence` (case-insensitively, any run of white space matching any run of
    /// white space, preferring an occurrence on word boundaries) and annotates it; `None` when the
    /// concept does not occur.
    pub fn annotate_concept(&self, sentence: &str, concept: &str) -> Option<TargetContext> {
        let mut scratch = Scratch::default();
        self.prepare(sentence, &mut scratch);
        let (a, b) = find_concept(&mut scratch, concept)?;
        Some(self.context_for(sentence, &scratch, a, b))
    }

    /// The char span of `concept` in `sentence`, found as [`ContextEngine::annotate_concept`] does.
    pub fn find_concept(&self, sentence: &str, concept: &str) -> Option<Span> {
        let mut scratch = Scratch::default();
        scratch.norm.fill(sentence);
        let (a, b) = find_concept(&mut scratch, concept)?;
        let (s, e) = scratch.norm.char_span(a, b);
        Some(Span::new(s as usize, e as usize))
    }

    /// Flags only (no trigger list): the allocation-free path used by the TSV runner.
    pub(crate) fn concept_flags(
        &self,
        scratch: &mut Scratch,
        sentence: &str,
        concept: &str,
    ) -> Option<Flags> {
        self.prepare(sentence, scratch);
        let (a, b) = find_concept(scratch, concept)?;
        Some(self.evaluate(scratch, a, b, |_, _| {}))
    }

    fn context_for(&self, text: &str, scratch: &Scratch, a: usize, b: usize) -> TargetContext {
        let mut used: Vec<(Category, Hit)> = Vec::new();
        let flags = self.evaluate(scratch, a, b, |category, hit| used.push((category, *hit)));
        used.sort_by_key(|(_, h)| (h.start, h.end));
        used.dedup();
        let triggers = used
            .into_iter()
            .map(|(category, hit)| {
                let (start, end) = scratch.norm.char_span(hit.start as usize, hit.end as usize);
                TriggerHit {
                    category,
                    start: start as usize,
                    end: end as usize,
                    text: char_slice(text, &scratch.norm, start as usize, end as usize).to_string(),
                }
            })
            .collect();
        TargetContext {
            negated: flags.negated,
            uncertain: flags.uncertain,
            temporality: flags.temporality(),
            experiencer: flags.experiencer(),
            triggers,
        }
    }

    /// Normalises `text`, splits it into sentences and finds the triggers.
    pub(crate) fn prepare(&self, text: &str, scratch: &mut Scratch) {
        scratch.norm.fill(text);
        split_sentences(
            scratch.norm.text.as_bytes(),
            &scratch.norm.breaks,
            &mut scratch.sent_ends,
        );
        let bytes = scratch.norm.text.as_bytes();
        scratch.candidates.clear();
        let candidates = &mut scratch.candidates;
        crate::overlapping::for_each_occurrence(&self.automaton, bytes, |rule, start, end| {
            let Some(c) = self.rules.get(rule) else {
                return;
            };
            if c.needs_start_boundary
                && start > 0
                && bytes.get(start - 1).is_some_and(|&b| is_word_byte(b))
            {
                return;
            }
            if c.needs_end_boundary && bytes.get(end).is_some_and(|&b| is_word_byte(b)) {
                return;
            }
            candidates.push(Hit {
                rule: rule as u32,
                start: start as u32,
                end: end as u32,
            });
        });
        // Leftmost-longest among the boundary-respecting occurrences; a trigger never crosses a
        // sentence end.
        scratch
            .candidates
            .sort_unstable_by(|x, y| x.start.cmp(&y.start).then(y.end.cmp(&x.end)));
        scratch.hits.clear();
        let mut last_end = 0u32;
        for hit in &scratch.candidates {
            if hit.start < last_end {
                continue;
            }
            let next_end = scratch.sent_ends.partition_point(|&e| e <= hit.start);
            if scratch
                .sent_ends
                .get(next_end)
                .is_some_and(|&e| e < hit.end)
            {
                continue;
            }
            scratch.hits.push(*hit);
            last_end = hit.end;
        }
    }

    /// Applies the ConText scope rules to the target at normalised bytes `[a, b)`.
    fn evaluate(
        &self,
        scratch: &Scratch,
        a: usize,
        b: usize,
        mut record: impl FnMut(Category, &Hit),
    ) -> Flags {
        let mut flags = Flags::default();
        let text = scratch.norm.text.as_bytes();
        let ends = &scratch.sent_ends;
        let first_sentence = ends.partition_point(|&e| (e as usize) <= a);
        let sent_start = if first_sentence == 0 {
            0
        } else {
            ends.get(first_sentence - 1).map_or(0, |&e| e as usize)
        };
        let last_sentence = ends.partition_point(|&e| (e as usize) < b);
        let sent_end = ends.get(last_sentence).map_or(text.len(), |&e| e as usize);
        let hits = &scratch.hits;
        let lo = hits.partition_point(|h| (h.start as usize) < sent_start);
        let hi = hits.partition_point(|h| (h.start as usize) < sent_end);
        let Some(in_sentence) = hits.get(lo..hi) else {
            return flags;
        };

        // Forward pass: the closest forward trigger of each category that no terminator has cut off.
        let mut active: [Option<&Hit>; 5] = [None; 5];
        for hit in in_sentence {
            if hit.start as usize >= b {
                break;
            }
            let Some(rule) = self.rules.get(hit.rule as usize) else {
                continue;
            };
            if hit.end as usize > a {
                // The trigger overlaps the target. Words inside a finding ("no lymphadenopathy" as a
                // concept) do not negate it, but a finding that names its own past ("status post CABG",
                // "hypertension") or its own experiencer ("family history of ...") does carry that.
                let inside = hit.start as usize >= a && hit.end as usize <= b;
                if inside {
                    if rule.category == Category::HistoryHint {
                        flags.set(Category::HistoryHint);
                        record(Category::HistoryHint, hit);
                    }
                    for category in [Category::Historical, Category::Experiencer] {
                        if rule.marks & category.bit() != 0 {
                            flags.set(category);
                            record(category, hit);
                        }
                    }
                }
                continue;
            }
            match rule.category {
                Category::Termination => {
                    if rule.direction.forward() {
                        // Punctuation right after its trigger ("denies: fever") punctuates the
                        // trigger itself and does not end its scope; a word ("no but") always does.
                        let word = rule.needs_start_boundary;
                        clear_masked(&mut active, rule.applies_mask, |h| {
                            word || has_word(text, h.end as usize, hit.start as usize)
                        });
                    }
                }
                Category::Pseudo | Category::HistoryHint => {}
                _ => {
                    // A later trigger of the same category limits the earlier one's scope (closest
                    // trigger wins, as in ConText).
                    let new = rule.direction.forward().then_some(hit);
                    set_marked(&mut active, rule.marks, new);
                }
            }
        }
        for (slot, category) in active.iter().zip(MODIFIERS) {
            let Some(hit) = slot else { continue };
            let Some(rule) = self.rules.get(hit.rule as usize) else {
                continue;
            };
            if within_window(text, hit.end as usize, a, rule.max_scope) {
                flags.set(category);
                record(category, hit);
            }
        }

        // Backward pass, mirror image of the forward one.
        let mut active: [Option<&Hit>; 5] = [None; 5];
        for hit in in_sentence.iter().rev() {
            if (hit.start as usize) < b {
                break;
            }
            let Some(rule) = self.rules.get(hit.rule as usize) else {
                continue;
            };
            match rule.category {
                Category::Termination => {
                    if rule.direction.backward() {
                        let word = rule.needs_end_boundary;
                        clear_masked(&mut active, rule.applies_mask, |h| {
                            word || has_word(text, hit.end as usize, h.start as usize)
                        });
                    }
                }
                Category::Pseudo | Category::HistoryHint => {}
                _ => {
                    let new = rule.direction.backward().then_some(hit);
                    set_marked(&mut active, rule.marks, new);
                }
            }
        }
        for (slot, category) in active.iter().zip(MODIFIERS) {
            let Some(hit) = slot else { continue };
            let Some(rule) = self.rules.get(hit.rule as usize) else {
                continue;
            };
            if within_window(text, b, hit.start as usize, rule.max_scope) {
                flags.set(category);
                record(category, hit);
            }
        }
        flags
    }
}

fn set_marked<'h>(active: &mut [Option<&'h Hit>; 5], marks: u8, value: Option<&'h Hit>) {
    for (slot, category) in active.iter_mut().zip(MODIFIERS) {
        if marks & category.bit() != 0 {
            *slot = value;
        }
    }
}

/// Ends the scope of the active triggers in `mask` for which `cuts` holds.
fn clear_masked(active: &mut [Option<&Hit>; 5], mask: u8, cuts: impl Fn(&Hit) -> bool) {
    for (slot, category) in active.iter_mut().zip(MODIFIERS) {
        if mask & category.bit() != 0 && slot.is_some_and(&cuts) {
            *slot = None;
        }
    }
}

/// True when a word lies between normalised bytes `from` and `to`.
fn has_word(text: &[u8], from: usize, to: usize) -> bool {
    text.get(from..to)
        .is_some_and(|between| between.iter().any(|&b| is_word_byte(b)))
}

/// True when at most `max` words lie between normalised bytes `from` and `to`.
fn within_window(text: &[u8], from: usize, to: usize, max: u32) -> bool {
    if max == u32::MAX {
        return true;
    }
    let Some(between) = text.get(from..to) else {
        return true;
    };
    let mut words = 0u32;
    let mut in_word = from > 0 && text.get(from - 1).is_some_and(|&b| is_word_byte(b));
    for &byte in between {
        let w = is_word_byte(byte);
        if w && !in_word {
            words += 1;
            if words > max {
                return false;
            }
        }
        in_word = w;
    }
    true
}

/// Finds the normalised concept in the prepared text: the first occurrence on word boundaries, else the
/// first occurrence at all.
fn find_concept(scratch: &mut Scratch, concept: &str) -> Option<(usize, usize)> {
    scratch.concept.fill(concept);
    let needle = scratch.concept.text.as_str();
    if needle.is_empty() {
        return None;
    }
    let hay = scratch.norm.text.as_str();
    let bytes = hay.as_bytes();
    let nb = needle.as_bytes();
    let starts_word = nb.first().is_some_and(|&b| is_word_byte(b));
    let ends_word = nb.last().is_some_and(|&b| is_word_byte(b));
    let on_boundaries = |pos: usize, end: usize| {
        let left_ok =
            !starts_word || pos == 0 || !bytes.get(pos - 1).is_some_and(|&b| is_word_byte(b));
        let right_ok = !ends_word || !bytes.get(end).is_some_and(|&b| is_word_byte(b));
        left_ok && right_ok
    };
    let mut first = None;
    // Concepts are short and sentences shorter than a page: a first-byte scan with a slice compare
    // beats setting up a two-way searcher for every row. Long needles keep the std searcher, whose
    // worst case is linear.
    if nb.len() <= 64 {
        let head = nb.first().copied().unwrap_or(b' ');
        let last_start = bytes.len().checked_sub(nb.len())?;
        let mut pos = 0usize;
        while pos <= last_start {
            let Some(offset) = bytes
                .get(pos..=last_start)
                .and_then(|s| s.iter().position(|&b| b == head))
            else {
                break;
            };
            pos += offset;
            let end = pos + nb.len();
            if bytes.get(pos..end) == Some(nb) {
                if first.is_none() {
                    first = Some((pos, end));
                }
                if on_boundaries(pos, end) {
                    return Some((pos, end));
                }
            }
            pos += 1;
        }
        return first;
    }
    for (pos, _) in hay.match_indices(needle) {
        let end = pos + needle.len();
        if first.is_none() {
            first = Some((pos, end));
        }
        if on_boundaries(pos, end) {
            return Some((pos, end));
        }
    }
    first
}

/// Computes interior sentence ends (exclusive byte offsets) of normalised text.
fn split_sentences(text: &[u8], breaks: &[u32], out: &mut Vec<u32>) {
    out.clear();
    let mut i = 0usize;
    while let Some(offset) = text
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| matches!(b, b'.' | b'!' | b'?')))
    {
        let at = i + offset;
        let mut j = at + 1;
        while text
            .get(j)
            .is_some_and(|&b| matches!(b, b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']'))
        {
            j += 1;
        }
        // Only punctuation followed by white space ends a sentence ("1.5 cm", "v.6" do not), and the
        // end of the text needs no marker.
        let is_abbrev = j == at + 1 && text.get(at) == Some(&b'.') && is_abbreviation(text, at);
        if text.get(j) == Some(&b' ') && !is_abbrev {
            push_end(out, j);
        }
        i = j;
    }
    // Line breaks are rare: merge them in afterwards (both lists hold the offset of a space).
    if !breaks.is_empty() {
        out.extend_from_slice(breaks);
        out.sort_unstable();
        out.dedup();
    }
}

fn push_end(out: &mut Vec<u32>, at: usize) {
    match out.last() {
        Some(&last) if (last as usize) >= at => {}
        _ => out.push(at as u32),
    }
}

/// True when the period at `dot` closes a known abbreviation ("Dr.", "p.o.").
fn is_abbreviation(text: &[u8], dot: usize) -> bool {
    let mut start = dot;
    while start > 0
        && text
            .get(start - 1)
            .is_some_and(|&b| is_word_byte(b) || b == b'.')
    {
        start -= 1;
    }
    let Some(word) = text.get(start..dot) else {
        return false;
    };
    ABBREVIATIONS.contains(&word)
}

/// The part of `text` between char offsets `start` and `end`; `norm` is the text's
/// normalised copy.
fn char_slice<'t>(text: &'t str, norm: &Norm, start: usize, end: usize) -> &'t str {
    // As many chars as bytes: ASCII, where char offsets are byte offsets.
    if norm.n_chars as usize == text.len() {
        let end = end.max(start).min(text.len());
        return text.get(start..end).unwrap_or("");
    }
    let mut indices = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    let Some(from) = indices.nth(start) else {
        return "";
    };
    let to = if end > start {
        indices.nth(end - start - 1).unwrap_or(text.len())
    } else {
        from
    };
    text.get(from..to).unwrap_or("")
}
