//! The reader: a person's own words → evidence for the engine, with what was understood.
//!
//! 1. The lexicon finds every phrase that names a finding; the values module finds durations,
//!    severity, age, sex and sitting hours.
//! 2. The context engine decides, for each phrase, whether it is denied ("no fever"),
//!    uncertain ("might be a fever"), history ("a fever last year"), hypothetical ("if I get
//!    numbness") or someone else's ("my father had stenosis").
//! 3. Mentions are merged per finding: a red flag said present anywhere stays present (the
//!    safe reading); otherwise a denial makes it absent.

use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset};
use regex::Regex;
use serde::Serialize;
use upperback_core::{
    Evidence, FindingId, FindingKind, KnowledgeBase, Observation, Origin, PossibleRedFlag, Status,
    TextSpan, TextTrigger, Value,
};

use crate::clauses::{ClauseWords, Clauses, Reach};
use crate::context::{Category, ContextEngine, Experiencer, Span, Temporality, TriggerHit};
use crate::lexicon::{Lexicon, LexiconError};
use crate::possible::{PossibleWords, SystemWords};
use crate::values::CharIndex;

/// The longest text the reader accepts, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// Why a text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("the text is empty: describe the problem in your own words")]
    Empty,
    #[error("the text is {chars} characters long; the limit is {MAX_TEXT_CHARS}")]
    TooLong { chars: usize },
}

/// What the reader made of one phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Said to be there now.
    Present,
    /// Denied.
    Absent,
    /// Hedged ("might", "not sure"): left unknown.
    Uncertain,
    /// In the past and not about now: left unknown.
    Historical,
    /// Conditional ("if", "watch for"): left unknown.
    Hypothetical,
    /// About someone else: left unknown.
    SomeoneElse,
}

/// One phrase of the text and what it was taken to mean.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    pub finding: String,
    #[serde(skip)]
    pub finding_id: FindingId,
    #[serde(skip)]
    pub value: Value,
    /// The number or choice, for non-bool findings.
    pub shown_value: Option<String>,
    pub outcome: Outcome,
    pub span: TextSpan,
    /// The context trigger that decided the outcome, if any.
    pub trigger: Option<TextTrigger>,
    /// Misspellings corrected to read it: (as written, as read).
    pub corrected: Vec<(String, String)>,
}

/// The result of reading a text.
#[derive(Debug, Clone)]
pub struct Reading {
    /// Findings read from the text (origin `text`, with spans).
    pub evidence: Evidence,
    /// Every phrase found, in text order, including those left unknown.
    pub mentions: Vec<Mention>,
    /// Set when the text is written for someone else ("my mom, 72, has…"): who.
    pub about: Option<String>,
}

/// The reader: lexicon, context engine and value patterns, built once.
pub struct Reader {
    lexicon: Lexicon,
    context: &'static ContextEngine,
    possible: PossibleWords,
}

fn proxy_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    cached(
        &PATTERN,
        r"(?i)^\W*(?:(?:hi|hello|hey)\b[\s,!.]*)?(?:(?:i'?m\s+|am\s+)?(?:writing|asking|posting|here|enquiring|inquiring)\s+(?:for|about|on\s+behalf\s+of)\s+)?(?:(?:my|our)\s+)?(?P<who>mom|mum|mother|mama|dad|father|papa|husband|wife|partner|son|daughter|child|kid|grandma|grandmother|granny|nan|nana|grandpa|grandfather|grandad|granddad|grandson|granddaughter|friend|brother|sister|aunt|uncle|boyfriend|girlfriend|fianc[ée]e?|roommate|neighbou?r|colleague|patient|client)(?:'s|s)?\b(?P<rest>[^.!?\n]{0,40}?)\b(?P<verb>has|have|had|is|was|keeps|can'?t|cannot|couldn'?t|gets|got|complains|woke|went|lost|started|fell|collapsed|developed|feels|felt|said\s+(?:she|he)|says\s+(?:she|he)|\(\s*\d{1,3}\s*\)|,\s*\d{1,3}\s*,|,?\s*aged?\s+\d{1,3}|[a-z]+ed\b|[a-z]+s\b)",
        false,
    )
}

/// Verbs by which a relative reports on the writer ("my wife noticed a lump on my back"):
/// the writer is then the patient.
fn reporting_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    cached(
        &PATTERN,
        r"(?i)^\s*(?:noticed|notices|says|said|thinks|thought|told|tells|reckons|wants|asked|asks|suggested|suggests|insists|insisted|made\s+me|is\s+worried|keeps\s+telling|pointed)\b",
        true,
    )
}

fn first_person_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    cached(
        &PATTERN,
        r"(?i)\b(?:i|i'm|im|i've|ive|i'd|i'll|me|my|myself)\b",
        true,
    )
}

fn own_back_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    cached(
        &PATTERN,
        r"(?i)\bmy\s+(?:upper\s+|mid\s+|middle\s+|lower\s+)?(?:back|spine|shoulders?|shoulder\s*blades?|neck)\b",
        true,
    )
}

fn third_person_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    cached(
        &PATTERN,
        r"(?i)\b(?:she|he|her|him|his|she's|he's|they|them)\b",
        true,
    )
}

/// Phrases that deny, now, something the same sentence put in the past: "I had a fever last
/// year but none now" (`[none_now]` of `knowledge/reader_words.toml`).
fn none_now_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        build_pattern(
            &crate::words::ReaderWords::embedded().none_now_pattern(),
            true,
        )
    })
}

/// A built-in pattern, compiled once (see [`build_pattern`]).
fn cached(cell: &'static OnceLock<Regex>, pattern: &str, ascii: bool) -> &'static Regex {
    cell.get_or_init(|| build_pattern(pattern, ascii))
}

/// Compiles a built-in pattern. `ascii`: ASCII word boundaries and classes (these patterns are
/// English words, and Unicode-aware classes make every search slower); not possible for a
/// pattern that could match inside a multi-byte character.
fn build_pattern(pattern: &str, ascii: bool) -> Regex {
    regex::RegexBuilder::new(pattern)
        .unicode(!ascii)
        .build()
        .expect("built-in pattern is valid")
}

/// Whether a trigger is a relative's phrase that also dates ("family history of"): its
/// "historical" applies to the relatives' findings only.
fn is_relatives_history(trigger: &str) -> bool {
    static PHRASES: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    let normalise = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    PHRASES
        .get_or_init(|| {
            crate::context::ContextRules::embedded()
                .rules()
                .iter()
                .filter(|r| {
                    r.category == Category::Experiencer && r.also.contains(&Category::Historical)
                })
                .map(|r| normalise(&r.phrase))
                .collect()
        })
        .contains(&normalise(trigger))
}

/// True when a denial ending in "gone" ("has gone", "have gone") is followed, within three
/// words of its clause, by what something became ("my legs have gone weak", "gone all
/// numb"): then it denies nothing.
fn gone_means_became(text: &str, index: &CharIndex, trigger: &TriggerHit) -> bool {
    let said = trigger.text.trim_end();
    let ends_gone = said.len() >= 4
        && said.is_char_boundary(said.len() - 4)
        && said[said.len() - 4..].eq_ignore_ascii_case("gone");
    if !ends_gone || trigger.end > index.char_count() {
        return false;
    }
    let words = crate::words::ReaderWords::embedded();
    text[index.byte(trigger.end)..]
        .split(|c: char| {
            matches!(
                c,
                '.' | ',' | ';' | '!' | '?' | '\n' | ':' | '(' | ')' | '-'
            )
        })
        .next()
        .unwrap_or("")
        .split_whitespace()
        .take(3)
        .any(|w| {
            let w: String = w
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            words.is_became(&w)
        })
}

/// A form-like answer after a phrase: `: no`, `- none`, `= not really`, `? A: yes`, ending its
/// clause: whether it says yes, and its char span.
/// The phrase may head a list of findings that the answer covers ("Chest pain / breathless:
/// no", "Numbness, tingling: none"): other findings (`finding_spans`) and list marks between
/// it and the answer are skipped. Returns the char span of the answer.
fn form_answer_after(
    text: &str,
    index: &CharIndex,
    end: usize,
    finding_spans: &[(usize, usize)],
) -> Option<(bool, usize, usize)> {
    if end > index.char_count() {
        return None;
    }
    // A label and its answer are short: look a line ahead at most, and only where an
    // answer's mark is.
    let rest = &text[index.byte(end)..];
    let mut cut = rest.len().min(480);
    while !rest.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = &rest[..cut];
    // The answer is on the label's line, before its sentence ends.
    let line = window
        .find(['\n', '.', '!', ';'])
        .map_or(window, |stop| &window[..stop]);
    if !line.contains([':', '-', '–', '—', '=', '?']) {
        return None;
    }
    let chars: Vec<char> = window.chars().take(160).collect();
    let at = |i: usize| chars.get(i - end).copied();
    // "A:" or "Answer:" from char `k` (blanks allowed around the label): the colon's offset.
    let answer_label = |mut k: usize| {
        while matches!(at(k), Some(' ' | '\t')) {
            k += 1;
        }
        let label: String = (k..)
            .map_while(|j| at(j).filter(|c| c.is_alphabetic()))
            .collect::<String>()
            .to_lowercase();
        if !matches!(label.as_str(), "a" | "answer") {
            return None;
        }
        k += label.chars().count();
        while matches!(at(k), Some(' ' | '\t')) {
            k += 1;
        }
        (at(k) == Some(':')).then_some(k)
    };
    let mut i = end;
    // Over the rest of the label: list marks and words, and the other findings listed.
    loop {
        while matches!(at(i), Some(' ' | '\t' | '/' | ',' | '&' | '+')) {
            i += 1;
        }
        let word: String = (i..)
            .map_while(|k| at(k).filter(|c| c.is_alphabetic()))
            .collect::<String>()
            .to_lowercase();
        if matches!(word.as_str(), "or" | "and" | "any") {
            i += word.chars().count();
            continue;
        }
        match finding_spans.iter().find(|&&(s, e)| s == i && e > i) {
            Some(&(_, e)) => i = e,
            None => break,
        }
    }
    if !matches!(at(i), Some(':' | '-' | '–' | '—' | '=' | '?')) {
        // "Q: Hit your head or black out? A: no": the rest of the question, its mark, and
        // the answer's label.
        let mut k = i;
        let mut words = 0;
        while let Some(c) = at(k) {
            match c {
                '?' => break,
                '.' | '!' | '\n' | '\r' | ';' | ':' => return None,
                ' ' => {
                    words += 1;
                    if words > 8 {
                        return None;
                    }
                }
                _ => {}
            }
            k += 1;
        }
        i = answer_label(k + 1)?;
    } else if at(i) == Some('?') {
        // "Black out? A: no": the answer's label after the question mark.
        if let Some(colon) = answer_label(i + 1) {
            i = colon;
        }
    }
    i += 1;
    while matches!(at(i), Some(' ' | '\t')) {
        i += 1;
    }
    // The longest answer of up to four words that ends its clause.
    let words = crate::words::ReaderWords::embedded();
    let mut answer = String::new();
    let mut k = i;
    let mut found = None;
    for _ in 0..4 {
        let start = k;
        while at(k).is_some_and(|c| c.is_alphabetic() || matches!(c, '\'' | '’')) {
            k += 1;
        }
        if k == start {
            break;
        }
        if !answer.is_empty() {
            answer.push(' ');
        }
        answer.extend(
            (start..k)
                .filter_map(at)
                .filter(|c| c.is_alphabetic())
                .flat_map(char::to_lowercase),
        );
        let mut after = k;
        while matches!(at(after), Some(' ' | '\t')) {
            after += 1;
        }
        let ends = matches!(
            at(after),
            None | Some('.' | ',' | ';' | '\n' | '\r' | ')' | '!' | '/' | '|')
        );
        if ends && words.is_form_no(&answer) {
            found = Some((false, i, k));
        } else if ends && words.is_form_yes(&answer) {
            found = Some((true, i, k));
        }
        if !matches!(at(k), Some(' ')) {
            break;
        }
        k += 1;
    }
    found
}

/// The char offset where the sentence holding char `at` ends.
fn sentence_end(text: &str, index: &CharIndex, at: usize) -> usize {
    let from = index.byte(at.min(index.char_count()));
    text.as_bytes()[from..]
        .iter()
        .position(|b| matches!(b, b'.' | b'!' | b'?' | b'\n' | b';'))
        .map_or(index.char_count(), |i| index.char_offset(from + i))
}

fn trigger_of(hit: &TriggerHit) -> TextTrigger {
    TextTrigger {
        kind: hit.category.as_str().to_string(),
        span: TextSpan {
            start: hit.start,
            end: hit.end,
            text: hit.text.clone(),
        },
    }
}

impl Reader {
    /// Builds a reader for this knowledge base from the embedded lexicon and context rules.
    pub fn new(kb: &KnowledgeBase) -> Result<Reader, LexiconError> {
        Ok(Reader {
            lexicon: Lexicon::embedded(kb)?,
            context: ContextEngine::embedded(),
            possible: PossibleWords::embedded(kb)?,
        })
    }

    /// The reader of the embedded knowledge base, built once per process.
    pub fn embedded() -> &'static Reader {
        static READER: OnceLock<Reader> = OnceLock::new();
        READER.get_or_init(|| {
            Reader::new(KnowledgeBase::embedded())
                .unwrap_or_else(|e| panic!("embedded lexicon is invalid: {e}"))
        })
    }

    /// Reads a text. `now` resolves weekdays ("since Monday"); without it they are not read.
    ///
    /// ```
    /// use upperback_core::{KnowledgeBase, Status};
    /// use upperback_nlu::Reader;
    /// let kb = KnowledgeBase::embedded();
    /// let reading = Reader::embedded().read(kb, "Spasm between my shoulder blades, no fever.", None).unwrap();
    /// assert_eq!(reading.evidence.status(kb.finding_id("fever").unwrap()), Status::Absent);
    /// assert_eq!(reading.evidence.status(kb.finding_id("upper_back_spasm").unwrap()), Status::Present);
    /// ```
    pub fn read(
        &self,
        kb: &KnowledgeBase,
        text: &str,
        now: Option<&DateTime<FixedOffset>>,
    ) -> Result<Reading, ReadError> {
        // No more chars than bytes: only a long text needs counting.
        if text.len() > MAX_TEXT_CHARS {
            let chars = text.chars().count();
            if chars > MAX_TEXT_CHARS {
                return Err(ReadError::TooLong { chars });
            }
        }
        if text.trim().is_empty() {
            return Err(ReadError::Empty);
        }

        // Written for someone else? Then "my mom has…" is the patient, not a relative.
        let about = proxy_pattern().captures(text).and_then(|c| {
            let who = c["who"].to_lowercase();
            let after = &text[c.name("who").map_or(0, |m| m.end())..];
            let after = after
                .strip_prefix("'s")
                .or_else(|| after.strip_prefix('s'))
                .unwrap_or(after);
            if reporting_pattern().is_match(after) {
                return None;
            }
            // The writer is the patient when they speak of themselves and not of the relative
            // ("my husband says I …"), or of their own back ("…, and carrying him is when my
            // back went into spasm").
            let speaks_for_self = first_person_pattern().is_match(after);
            let speaks_of_them = third_person_pattern().is_match(text);
            let own_back = own_back_pattern().is_match(after);
            (!own_back && (!speaks_for_self || speaks_of_them)).then_some(who)
        });

        let clause_words = ClauseWords::embedded();
        let clauses = Clauses::new(text, clause_words);
        // The lexicon's phrases, and (from the same tokens) the words of red flags' body
        // systems.
        let mut all_system_words = Vec::new();
        let found = self
            .lexicon
            .find_in_visiting_tokens(text, &clauses, &mut |buffer, tokens| {
                all_system_words = self.possible.find_buffered(buffer, tokens);
            });
        let index = CharIndex::new(text);
        let values = crate::values::read_values_indexed(text, &index, now);
        // Words of a red flag's body system that no phrase the reader understood explains.
        let system_words: Vec<SystemWords> = all_system_words
            .into_iter()
            .filter(|w| {
                let leaves_possible = &self.possible.systems[w.system].not_explained_by;
                // An idiom explains its words; a finding does unless it leaves them possible.
                !found.iter().any(|m| {
                    let effects = &self.lexicon.terms[m.term].effects;
                    m.start < w.end
                        && w.start < m.end
                        && (effects.is_empty()
                            || effects
                                .iter()
                                .any(|e| !leaves_possible.contains(&e.finding)))
                })
            })
            .collect();
        // A frame's context is its sensation's ("my chest doesn't hurt"); a measured
        // temperature's is its number's ("38.5 last week" is in the past).
        let spans: Vec<Span> = found
            .iter()
            .map(|m| Span::new(m.focus.0, m.focus.1))
            .chain(
                values
                    .temperatures
                    .iter()
                    .map(|t| Span::new(t.start, t.end)),
            )
            .chain(system_words.iter().map(|w| Span::new(w.start, w.end)))
            .chain(values.durations.iter().map(|d| Span::new(d.start, d.end)))
            .collect();
        let contexts = self.context.annotate(text, &spans);
        let (contexts, rest) = contexts.split_at(found.len());
        let (temperature_contexts, rest) = rest.split_at(values.temperatures.len());
        let (system_contexts, duration_contexts) = rest.split_at(system_words.len());
        let finding_spans: Vec<(usize, usize)> = found.iter().map(|m| (m.start, m.end)).collect();
        // Needed only for a mention in the past: found then.
        let none_now = std::cell::OnceCell::new();
        let none_now = || -> &Vec<(usize, usize)> {
            none_now.get_or_init(|| {
                none_now_pattern()
                    .find_iter(text)
                    .map(|m| index.chars(m.start(), m.end()))
                    .collect()
            })
        };

        // One mention per effect of each phrase, then at most five values (duration,
        // severity, age, sitting hours, sex): room for all at once, as a mention is large.
        let effects: usize = found
            .iter()
            .map(|f| self.lexicon.terms[f.term].effects.len())
            .sum();
        let mut mentions = Vec::with_capacity(effects + 5);
        for (found, context) in found.iter().zip(contexts) {
            let term = &self.lexicon.terms[found.term];
            let first_trigger = |kinds: &[&str]| {
                context
                    .triggers
                    .iter()
                    .find(|t| kinds.contains(&t.category.as_str()))
                    .map(trigger_of)
            };
            // Past time that matters here: a historical trigger outside the phrase's own words
            // ("a fever last year"). The lexicon's phrases mean their finding now ("never had
            // this before", "old chair"), and a "history by nature" hint (a habit such as
            // "alcohol", a chronic disease) says nothing the finding's own `history` flag does
            // not already say, so neither makes a mention historical.
            // Whether a modifier reaches the phrase: one before it across no new clause, one
            // after it in the same clause ("the spasm, this is maybe my fourth" does not hedge
            // the spasm), or one inside it.
            let trigger_reaches = |t: &TriggerHit| {
                if t.end <= found.focus.0 {
                    clauses.reach(t.end, found.focus.0, found.focus.1, &finding_spans, false)
                        != Reach::Stopped
                } else if t.start >= found.focus.1 {
                    !clauses.split_between(found.focus.1, t.start)
                } else {
                    true
                }
            };
            let historical_hits: Vec<&TriggerHit> = context
                .triggers
                .iter()
                .filter(|t| {
                    t.category == Category::Historical
                        && !(t.start >= found.focus.0 && t.end <= found.focus.1)
                })
                // "Had surgery in the spring and I'm halfway through chemo now": a past time
                // does not reach across a new statement.
                .filter(|t| {
                    t.end > found.focus.0
                        || !clauses.new_statement_for_time(t.end, found.focus.0, clause_words)
                })
                // "family history" dates only the relatives' findings: once the writer comes
                // back ("…, i have a knot") the mention is theirs and about now.
                .filter(|t| {
                    context.experiencer == Experiencer::Other || !is_relatives_history(&t.text)
                })
                .collect();
            let historical =
                context.temporality == Temporality::Historical && !historical_hits.is_empty();
            // A denial that covers all time ("never had", "no history of") denies it now too.
            let denied_ever = context.negated
                && historical_hits.iter().any(|h| {
                    context.triggers.iter().any(|t| {
                        t.category == Category::Negation && t.start == h.start && t.end == h.end
                    })
                });
            // How far each modifier before the phrase reaches it: a new clause in between
            // ("not sure if relevant, no fever, I've been coughing blood") ends a hedge, a
            // condition or a denial; a bare comma list leaves a denial ambiguous.
            // "My legs have gone weak": that "gone" says what they became, not that it went.
            let counts = |t: &&TriggerHit| {
                t.category != Category::Negation || !gone_means_became(text, &index, t)
            };
            let reach_of = |category: Category| {
                let before = context
                    .triggers
                    .iter()
                    .filter(counts)
                    .filter(|t| t.category == category && t.end <= found.focus.0)
                    .max_by_key(|t| t.end);
                let after = context
                    .triggers
                    .iter()
                    .filter(counts)
                    .filter(|t| t.category == category && t.start >= found.focus.1)
                    .min_by_key(|t| t.start);
                match (before, after) {
                    (Some(t), _) => clauses.reach(
                        t.end,
                        found.focus.0,
                        found.focus.1,
                        &finding_spans,
                        category == Category::Negation,
                    ),
                    (None, Some(t)) => {
                        clauses.reach_back(found.focus.1, t.start, &finding_spans, clause_words)
                    }
                    (None, None) => Reach::Reaches,
                }
            };
            // A hedge or a condition applies when one of its triggers reaches the phrase: one
            // before it across no new clause, one after it in the same clause ("the spasm,
            // this is maybe my fourth" does not hedge the spasm), or one inside it. A lone
            // question mark hedges only a sentence that asks.
            let modifier_applies = |category: Category| {
                context.triggers.iter().any(|t| {
                    t.category == category
                        && (t.text.trim() != "?" || clauses.is_question(t.start, clause_words))
                        && trigger_reaches(t)
                        // "Is it normal that…" takes what follows as given.
                        && (!matches!(category, Category::Uncertainty | Category::Hypothetical)
                            || !clauses
                                .presupposing_opener(t.start, clause_words)
                                .is_some_and(|(s, e)| t.start >= s && t.end <= e))
                })
            };
            let hypothetical = context.temporality == Temporality::Hypothetical
                && modifier_applies(Category::Hypothetical);
            // "I think I have a fever" says it; "might", "could it be" doubt it.
            let uncertain = context.uncertain
                && modifier_applies(Category::Uncertainty)
                && !context
                    .triggers
                    .iter()
                    .filter(|t| t.category == Category::Uncertainty)
                    .all(|t| crate::words::ReaderWords::embedded().leans_yes(&t.text));
            let denied = context
                .triggers
                .iter()
                .filter(counts)
                .any(|t| t.category == Category::Negation);
            let denial = if context.negated && denied && !term.self_negating {
                let cancelled = context
                    .triggers
                    .iter()
                    .filter(|t| t.category == Category::Negation && t.end <= found.focus.0)
                    .max_by_key(|t| t.end)
                    .is_some_and(|t| clauses.double_negated(t.start, found.focus.0, clause_words));
                if cancelled {
                    Reach::Stopped
                } else {
                    reach_of(Category::Negation)
                }
            } else {
                Reach::Stopped
            };
            // A relative reporting on the writer ("my wife pointed out a bump on my spine",
            // "my wife says I was out for a few seconds"): the finding is the writer's.
            let reported_on_writer = || {
                let mut relatives = context
                    .triggers
                    .iter()
                    .filter(|t| t.category == Category::Experiencer && t.end <= found.start)
                    .peekable();
                relatives.peek().is_some()
                    && relatives.all(|t| {
                        let between = index.between(text, t.end, found.start);
                        let with_phrase = index.between(text, t.end, found.end);
                        reporting_pattern().is_match(between)
                            && first_person_pattern().is_match(with_phrase)
                            && !third_person_pattern().is_match(between)
                    })
            };
            let someone_else = context.experiencer == Experiencer::Other
                && about.is_none()
                && !reported_on_writer();
            let answer = form_answer_after(text, &index, found.end, &finding_spans);
            let answered_no = answer.filter(|a| !a.0).map(|(_, start, end)| {
                (
                    Outcome::Absent,
                    Some(TextTrigger {
                        kind: "negation".into(),
                        span: TextSpan {
                            start,
                            end,
                            text: index.between(text, start, end).to_string(),
                        },
                    }),
                )
            });
            // "Numbness? A: yes": the answer settles the question.
            let answered_yes = answer.is_some_and(|a| a.0);
            for effect in &term.effects {
                let finding = kb.finding(effect.finding);
                let (outcome, trigger) = if someone_else {
                    (Outcome::SomeoneElse, first_trigger(&["experiencer"]))
                } else if hypothetical {
                    (Outcome::Hypothetical, first_trigger(&["hypothetical"]))
                } else if let Some(answer) = answered_no.clone().filter(|_| uncertain) {
                    // "Fever? no", "Q: … black out? A: no": the answer settles the question.
                    answer
                } else if uncertain && !answered_yes {
                    (Outcome::Uncertain, first_trigger(&["uncertainty"]))
                } else if historical && !finding.history && !denied_ever {
                    let sentence_end = sentence_end(text, &index, found.end);
                    let denied_now = none_now()
                        .iter()
                        .find(|(start, _)| *start >= found.end && *start <= sentence_end);
                    match denied_now {
                        Some(&(start, end)) => (
                            Outcome::Absent,
                            Some(TextTrigger {
                                kind: "negation".into(),
                                span: TextSpan {
                                    start,
                                    end,
                                    text: index.between(text, start, end).to_string(),
                                },
                            }),
                        ),
                        None => (
                            Outcome::Historical,
                            first_trigger(&["historical", "history_hint"]),
                        ),
                    }
                } else if denial == Reach::Reaches
                    || (denial == Reach::Ambiguous && !finding.red_flag)
                {
                    // A negated choice ("not between my shoulder blades") says nothing usable.
                    match effect.value {
                        Value::Present | Value::Absent => {
                            (Outcome::Absent, first_trigger(&["negation"]))
                        }
                        _ => (Outcome::Uncertain, first_trigger(&["negation"])),
                    }
                } else if denial == Reach::Ambiguous {
                    // "No fever, chest pain": a list or a new statement. A warning sign is
                    // never read as denied on such a guess.
                    (Outcome::Uncertain, first_trigger(&["negation"]))
                } else if effect.value == Value::Absent {
                    (Outcome::Absent, None)
                } else if let Some(answer) = answered_no.clone() {
                    // A form-like answer: "chills: no", "fever - none".
                    answer
                } else {
                    (Outcome::Present, None)
                };
                let shown_value = match (&effect.value, &finding.kind) {
                    (Value::Choice(c), FindingKind::Choice { choices }) => {
                        Some(choices[*c as usize].clone())
                    }
                    _ => None,
                };
                mentions.push(Mention {
                    finding: finding.id.clone(),
                    finding_id: effect.finding,
                    value: effect.value.clone(),
                    shown_value,
                    outcome,
                    span: TextSpan {
                        start: found.start,
                        end: found.end,
                        text: index.between(text, found.start, found.end).to_string(),
                    },
                    trigger,
                    corrected: found.corrected.clone(),
                });
            }
        }

        let mut numeric = |id: &str, value: f64, start: usize, end: usize| {
            if let Some(finding_id) = kb.finding_id(id) {
                mentions.push(Mention {
                    finding: id.to_string(),
                    finding_id,
                    value: Value::Number(value),
                    shown_value: Some(format_number(value)),
                    outcome: Outcome::Present,
                    span: TextSpan {
                        start,
                        end,
                        text: index.between(text, start, end).to_string(),
                    },
                    trigger: None,
                    corrected: Vec::new(),
                });
            }
        };
        // The episode's duration: from a clause about the current problem rather than one
        // about something else ("a steroid injection two weeks ago"), the longest of them.
        let words = crate::words::ReaderWords::embedded();
        let episode_score = |start: usize, end: usize| {
            let (from, to) = clauses.clause_bounds(start, end);
            let (mut episode, mut other) = (false, false);
            // The duration's own words do not count ("two weeks back" names no back).
            for word in clauses
                .words_in(from, start)
                .chain(clauses.words_in(end, to))
            {
                episode |= words.is_episode_word(word);
                other |= words.is_other_event_word(word);
            }
            // The problem named beside another event still dates the problem ("went into
            // spasm ten weeks ago at the climbing gym"); another event alone does not.
            match (episode, other) {
                (true, false) => 2,
                (true, true) => 1,
                (false, false) => 0,
                (false, true) => -1,
            }
        };
        // A number read as the age is not also a duration ("I am 29 years").
        let is_age = |start: usize, end: usize| {
            values
                .age
                .as_ref()
                .is_some_and(|a| a.start < end && start < a.end)
        };
        // A duration dated by something else in the past ("two years ago … the tingling
        // lasted a couple of weeks") belongs to an earlier episode; its own words ("for years",
        // "3 months ago") do not make it one.
        let earlier_episode =
            |d: &crate::values::ValueMention, context: &crate::context::TargetContext| {
                context.temporality == Temporality::Historical
                    && context.triggers.iter().any(|t| {
                        t.category == Category::Historical
                            && !(t.start >= d.start && t.end <= d.end)
                    })
            };
        // A duration beside a recurrence ("on and off for years") spans the episodes, not this
        // one: it is taken only when nothing else dates the problem.
        let recurrent = kb.finding_id("recurrent_episodes");
        let spans_episodes = |d: &crate::values::ValueMention| {
            let (from, to) = clauses.clause_bounds(d.start, d.end);
            found.iter().any(|m| {
                m.start < to
                    && from < m.end
                    && self.lexicon.terms[m.term]
                        .effects
                        .iter()
                        .any(|e| Some(e.finding) == recurrent && e.value == Value::Present)
            })
        };
        if let Some((_, d)) = values
            .durations
            .iter()
            .zip(duration_contexts)
            .filter(|(d, context)| !is_age(d.start, d.end) && !earlier_episode(d, context))
            .map(|(d, _)| ((!spans_episodes(d), episode_score(d.start, d.end)), d))
            .filter(|((_, score), _)| *score >= 0)
            .max_by(|a, b| a.0.cmp(&b.0).then(a.1.value.total_cmp(&b.1.value)))
        {
            numeric("duration_hours", d.value, d.start, d.end);
        }
        if let Some(s) = &values.severity {
            numeric("pain_severity", s.value, s.start, s.end);
        }
        if let Some(a) = &values.age {
            numeric("age", a.value, a.start, a.end);
        }
        if let Some(h) = &values.sitting_hours {
            numeric("sitting_hours_per_day", h.value, h.start, h.end);
        }
        let sex = values
            .sex
            .as_ref()
            .map(|s| (s.sex, s.start, s.end))
            .or_else(|| {
                // Writing for a relative names their sex ("my mom").
                let who = about.as_deref()?;
                let sex = crate::words::ReaderWords::embedded().sex_of_relative(who)?;
                let m = proxy_pattern().captures(text)?.name("who")?;
                let (start, end) = index.chars(m.start(), m.end());
                Some((sex, start, end))
            });
        if let (Some((sex, start, end)), Some(finding_id)) = (sex, kb.finding_id("sex")) {
            if let FindingKind::Choice { choices } = &kb.finding(finding_id).kind {
                if let Some(i) = choices.iter().position(|c| c == sex) {
                    mentions.push(Mention {
                        finding: "sex".into(),
                        finding_id,
                        value: Value::Choice(i as u16),
                        shown_value: Some(sex.to_string()),
                        outcome: Outcome::Present,
                        span: TextSpan {
                            start,
                            end,
                            text: index.between(text, start, end).to_string(),
                        },
                        trigger: None,
                        corrected: Vec::new(),
                    });
                }
            }
        }
        // A measured temperature says whether there is a fever (the catalogue's threshold).
        if let Some(fever) = kb.finding_id("fever") {
            for (t, context) in values.temperatures.iter().zip(temperature_contexts) {
                let Some(is_fever) = words.is_fever(t.value) else {
                    continue;
                };
                let outcome = if context.experiencer == Experiencer::Other && about.is_none() {
                    Outcome::SomeoneElse
                } else if context.temporality == Temporality::Hypothetical {
                    Outcome::Hypothetical
                } else if context.temporality == Temporality::Historical {
                    Outcome::Historical
                } else if is_fever && !context.negated {
                    Outcome::Present
                } else {
                    Outcome::Absent
                };
                mentions.push(Mention {
                    finding: "fever".into(),
                    finding_id: fever,
                    value: if outcome == Outcome::Present {
                        Value::Present
                    } else {
                        Value::Absent
                    },
                    shown_value: Some(format_number(t.value)),
                    outcome,
                    span: TextSpan {
                        start: t.start,
                        end: t.end,
                        text: index.between(text, t.start, t.end).to_string(),
                    },
                    trigger: None,
                    corrected: Vec::new(),
                });
            }
        }
        mentions.sort_by_key(|m| (m.span.start, m.span.end));

        let mut evidence = merge(kb, &mentions);
        // A red flag read but left uncertain (a hedge, a denial whose reach is a guess) is
        // possible: asked first, quoting the words, never assumed either way.
        for mention in &mentions {
            if mention.outcome == Outcome::Uncertain
                && kb.finding(mention.finding_id).red_flag
                && evidence.status(mention.finding_id) == Status::Unknown
            {
                let clause = clauses.clause_bounds(mention.span.start, mention.span.end);
                let (start, end) = match &mention.trigger {
                    Some(t) => (
                        t.span.start.min(mention.span.start),
                        t.span.end.max(mention.span.end),
                    ),
                    None => (mention.span.start, mention.span.end),
                };
                let clause = (clause.0.min(start), clause.1.max(end));
                evidence.add_possible(PossibleRedFlag {
                    finding: mention.finding_id,
                    span: quote(text, &index, clause, (start, end)),
                });
            }
        }
        for (words, context) in system_words.iter().zip(system_contexts) {
            let (from, to) = clauses.clause_bounds(words.start, words.end);
            // A denial, a condition, the past or someone else in the clause: the words say
            // nothing of a warning sign now ("my chest is fine", "my dad's heart").
            let governed = context.triggers.iter().any(|t| {
                let kind_counts = match t.category {
                    Category::Negation | Category::Hypothetical | Category::Historical => true,
                    Category::Experiencer => about.is_none(),
                    _ => false,
                };
                kind_counts && t.start >= from && t.end <= to
            });
            if governed {
                continue;
            }
            let system = &self.possible.systems[words.system];
            // Something of the system was read in the clause: the words are explained.
            let read_in_clause = mentions.iter().any(|m| {
                system.red_flags.contains(&m.finding_id)
                    && matches!(m.outcome, Outcome::Present | Outcome::Absent)
                    && m.span.start < to
                    && from < m.span.end
            });
            if read_in_clause {
                continue;
            }
            let open = |f: &&FindingId| {
                evidence.status(**f) != Status::Present
                    && !evidence.possible().iter().any(|p| p.finding == **f)
            };
            if !system.red_flags.iter().any(|f| open(&f)) {
                continue;
            }
            let span = quote(text, &index, (from, to), (words.start, words.end));
            let findings: Vec<FindingId> = system.red_flags.iter().filter(open).copied().collect();
            for finding in findings {
                evidence.add_possible(PossibleRedFlag {
                    finding,
                    span: span.clone(),
                });
            }
        }
        Ok(Reading {
            evidence,
            mentions,
            about,
        })
    }
}

/// The words of a clause to quote back, trimmed of the punctuation around them; at most
/// about ten words either side of the words that matter in a long clause.
fn quote(
    text: &str,
    index: &CharIndex,
    (from, to): (usize, usize),
    (start, end): (usize, usize),
) -> TextSpan {
    const REACH: usize = 60;
    let to = to.min(index.char_count());
    let chars: Vec<char> = index.between(text, from, to).chars().collect();
    let (mut lo, mut hi) = (0, chars.len());
    // A clause that a word ends ("… for a while now …") starts inside that word: skip it.
    let mid_word = from > 0
        && index
            .between(text, from - 1, from)
            .chars()
            .all(char::is_alphanumeric);
    if mid_word {
        while lo < start - from && !chars[lo].is_whitespace() {
            lo += 1;
        }
    }
    // Keep whole words within reach of the matched words.
    if start - from > REACH {
        lo = start - from - REACH;
        while lo < start - from && !chars[lo].is_whitespace() {
            lo += 1;
        }
    }
    if to - end > REACH {
        hi = end - from + REACH;
        while hi > end - from && !chars[hi - 1].is_whitespace() {
            hi -= 1;
        }
    }
    let is_edge = |c: char| c.is_whitespace() || ",;:-–—.!?()[]\"'*•".contains(c);
    while lo < hi && is_edge(chars[lo]) && lo < start - from {
        lo += 1;
    }
    while hi > lo && is_edge(chars[hi - 1]) && hi > end - from {
        hi -= 1;
    }
    TextSpan {
        start: from + lo,
        end: from + hi,
        text: chars[lo..hi].iter().collect(),
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 {
        (n as i64).to_string()
    } else {
        n.to_string()
    }
}

/// One observation per finding from its mentions. For yes/no findings a mention saying
/// present wins over one saying absent (a red flag is never talked away); for choices and
/// numbers the first mention wins.
fn merge(kb: &KnowledgeBase, mentions: &[Mention]) -> Evidence {
    let mut evidence = Evidence::new(kb);
    // The mentions of each finding together, each finding's in text order (a stable sort).
    let mut by_finding: Vec<&Mention> = mentions
        .iter()
        .filter(|m| m.finding_id.index() < kb.findings.len())
        .collect();
    by_finding.sort_by_key(|m| m.finding_id);
    for of_finding in by_finding.chunk_by(|a, b| a.finding_id == b.finding_id) {
        let id = of_finding[0].finding_id;
        let with = |outcome: Outcome| -> Vec<&Mention> {
            of_finding
                .iter()
                .filter(|m| m.outcome == outcome)
                .copied()
                .collect()
        };
        let (present, absent) = (with(Outcome::Present), with(Outcome::Absent));
        let is_bool = kb.finding(id).kind == FindingKind::Bool;
        let (value, chosen) = match (present.first(), is_bool) {
            (Some(_), true) => (Value::Present, present),
            (Some(first), false) => (first.value.clone(), vec![*first]),
            (None, true) if !absent.is_empty() => (Value::Absent, absent),
            _ => continue,
        };
        let trigger = chosen.iter().find_map(|m| m.trigger.clone());
        evidence.set(
            id,
            Observation {
                value,
                origin: Origin::Text,
                spans: chosen.iter().map(|m| m.span.clone()).collect(),
                trigger,
                note: None,
            },
        );
    }
    evidence
}
