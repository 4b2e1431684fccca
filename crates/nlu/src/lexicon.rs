//! The lexicon: the ways people and clinicians say each finding, matched fast.
//!
//! Text and phrases are reduced to the same stream of normalised tokens (lower case,
//! apostrophes dropped, a plural `s` stripped, determiners such as "my" and "the" skipped,
//! every number one `#` token), each token is given a vocabulary id, and one Aho-Corasick
//! automaton runs over the ids. A word the vocabulary does not know, of five letters or more,
//! is corrected to the vocabulary word one edit away when there is exactly one
//! ("numbnes" → "numbness", "tingeling" → "tingling").

use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;

use aho_corasick::dfa::DFA;
use serde::Deserialize;
use upperback_core::{FindingId, FindingKind, KnowledgeBase, Value};

use crate::clauses::{ClauseWords, Clauses};

/// Words skipped in both text and phrases, so "between my shoulder blades" and "between the
/// shoulder blades" are one phrase. Kept short: only words that never carry meaning here.
const SKIPPED_WORDS: [&str; 10] = [
    "my", "the", "a", "an", "his", "her", "their", "our", "your", "this",
];

/// Reflexive pronouns, matched as "myself".
const REFLEXIVES: [&str; 6] = [
    "himself",
    "herself",
    "themselves",
    "themself",
    "yourself",
    "ourselves",
];

/// Token id of any number.
const NUMBER_TOKEN: &str = "#";

/// Shortest word the spelling correction touches.
const MIN_CORRECTED_LENGTH: usize = 5;

/// A token of text: its normalised form and its span in chars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub norm: String,
    pub start: usize,
    pub end: usize,
}

/// Splits text into normalised tokens with char spans. Letters and digits form words; a run
/// of digits (with a decimal point inside) is its own token; apostrophes inside words vanish.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut buffer = String::new();
    tokenize_into(text, &mut buffer)
        .into_iter()
        .map(|t| Token {
            norm: buffer[t.norm.0 as usize..t.norm.1 as usize].to_string(),
            start: t.start,
            end: t.end,
        })
        .collect()
}

/// Buffers of [`Lexicon::find`], reused across calls.
#[derive(Default)]
struct FindScratch {
    buffer: String,
    kept: Vec<usize>,
    stream: Vec<u8>,
    corrected_at: Vec<Option<String>>,
    /// The vocabulary id of each kept token.
    ids: Vec<u32>,
}

/// A token whose normalised form is a range of a shared buffer (no allocation per token).
#[derive(Debug, Clone, Copy)]
pub(crate) struct BufferedToken {
    pub(crate) norm: (u32, u32),
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// [`tokenize`] into one buffer: the hot path of [`Lexicon::find`].
fn tokenize_into(text: &str, buffer: &mut String) -> Vec<BufferedToken> {
    buffer.clear();
    buffer.reserve(text.len());
    let mut tokens = Vec::with_capacity(text.len() / 4 + 1);
    if text.is_ascii() {
        tokenize_ascii(text, buffer, &mut tokens);
        return tokens;
    }
    let mut token_start = 0usize; // in the buffer
    let mut start = 0;
    let mut digits = false;
    let mut chars = text.chars().peekable();
    let mut i = 0;
    let mut flush = |buffer: &String, token_start: &mut usize, start: usize, end: usize| {
        if buffer.len() > *token_start {
            tokens.push(BufferedToken {
                norm: (*token_start as u32, buffer.len() as u32),
                start,
                end,
            });
            *token_start = buffer.len();
        }
    };
    while let Some(c) = chars.next() {
        let in_token = buffer.len() > token_start;
        let is_digit = c.is_ascii_digit();
        let is_letter = c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic());
        if matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`') && in_token && !digits {
            // "can't" → "cant"; a closing quote just ends nothing.
            i += 1;
            continue;
        }
        if c == '.' && digits && in_token && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            buffer.push('.');
            i += 1;
            continue;
        }
        if is_digit || is_letter {
            if in_token && digits != is_digit {
                flush(buffer, &mut token_start, start, i);
            }
            if buffer.len() == token_start {
                start = i;
                digits = is_digit;
            }
            if c.is_ascii() {
                buffer.push(c.to_ascii_lowercase());
            } else {
                buffer.extend(c.to_lowercase());
            }
        } else {
            flush(buffer, &mut token_start, start, i);
        }
        i += 1;
    }
    flush(buffer, &mut token_start, start, i);
    tokens
}

/// [`tokenize_into`] for ASCII text, the common case, a run at a time: bytes are chars, so a
/// token's span is its byte range, and the buffer starts as the whole text lower-cased, where
/// most tokens already stand as they are; a word with an apostrophe ("can't" → "cant") is
/// written after it. Same tokens and spans as the general loop: a token ends at the first
/// byte that neither continues it nor is skipped inside it (an apostrophe in a word, a decimal
/// point between digits).
fn tokenize_ascii(text: &str, buffer: &mut String, tokens: &mut Vec<BufferedToken>) {
    buffer.push_str(text);
    buffer.make_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if ASCII_CLASS[bytes[i] as usize] == 0 {
            i += 1;
            continue;
        }
        let start = i;
        let mut norm = (start as u32, start as u32);
        if bytes[i].is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
                if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
        } else {
            let mut piece_start = i;
            loop {
                i += bytes[i..]
                    .iter()
                    .take_while(|&&b| ASCII_CLASS[b as usize] == LETTER)
                    .count();
                if !matches!(bytes.get(i), Some(b'\'' | b'`')) {
                    break;
                }
                // "can't" → "cant": the apostrophe vanishes and the word goes on.
                if piece_start == start {
                    norm.0 = buffer.len() as u32;
                }
                crate::overlapping::push_ascii_lowercase(buffer, &text[piece_start..i]);
                i += 1;
                piece_start = i;
            }
            if piece_start != start {
                crate::overlapping::push_ascii_lowercase(buffer, &text[piece_start..i]);
                norm.1 = buffer.len() as u32;
                tokens.push(BufferedToken {
                    norm,
                    start,
                    end: i,
                });
                continue;
            }
        }
        norm.1 = i as u32;
        tokens.push(BufferedToken {
            norm,
            start,
            end: i,
        });
    }
}

/// The class of each byte for [`tokenize_ascii`]: [`LETTER`], [`DIGIT`] or 0 (one look-up per
/// byte instead of a chain of range tests).
static ASCII_CLASS: [u8; 256] = {
    let mut classes = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        classes[byte] = if b.is_ascii_alphabetic() {
            LETTER
        } else if b.is_ascii_digit() {
            DIGIT
        } else {
            0
        };
        byte += 1;
    }
    classes
};
const LETTER: u8 = 1;
const DIGIT: u8 = 2;

/// Plurals kept as written, because the plural means something: "numbness in my legs" is
/// both legs, "numbness in my leg" one.
const KEPT_PLURALS: [&str; 1] = ["legs"];

/// The matching form of a token: plural `s` stripped, numbers folded to `#`.
fn matching_form(norm: &str) -> &str {
    if norm.as_bytes()[0].is_ascii_digit() {
        return NUMBER_TOKEN;
    }
    // Reflexives are one word: "wet himself" is "wet myself" said of someone else.
    if REFLEXIVES.contains(&norm) {
        return "myself";
    }
    if KEPT_PLURALS.contains(&norm) {
        return norm;
    }
    let n = norm.len();
    if n > 3
        && norm.ends_with('s')
        && !norm.ends_with("ss")
        && !norm.ends_with("us")
        && !norm.ends_with("is")
    {
        &norm[..n - 1]
    } else {
        norm
    }
}

/// What a matched phrase says about a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct TermEffect {
    pub finding: FindingId,
    pub value: Value,
}

/// One lexicon entry: a phrase and what it says.
#[derive(Debug, Clone)]
pub struct Term {
    pub phrase: String,
    pub effects: Vec<TermEffect>,
    /// The phrase itself denies the finding ("no better", "first time"): the context
    /// engine's negation must not flip it back.
    pub self_negating: bool,
}

/// A phrase found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconMatch {
    /// Index into [`Lexicon::terms`].
    pub term: usize,
    /// Char span in the text.
    pub start: usize,
    pub end: usize,
    /// The words whose context (negation, time, who) decides the match: the whole phrase,
    /// or a frame's sensation ("doesn't **hurt**" in "my chest doesn't hurt").
    pub focus: (usize, usize),
    /// Words corrected to reach the match (original, corrected).
    pub corrected: Vec<(String, String)>,
}

/// A problem in `lexicon.toml`, naming the entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LexiconError {
    #[error("lexicon.toml: {0}")]
    Toml(String),
    #[error("lexicon.toml: entry for `{finding}`: {message}")]
    Entry { finding: String, message: String },
    #[error("frames.toml: {0}")]
    FramesToml(String),
    #[error("frames.toml: frame {number} (`{finding}`): {message}")]
    Frame {
        number: usize,
        finding: String,
        message: String,
    },
    #[error("idioms.toml: {0}")]
    IdiomsToml(String),
    #[error("idioms.toml: idiom {number} ({first:?}): {message}")]
    Idiom {
        number: usize,
        first: String,
        message: String,
    },
    /// `possible_red_flags.toml` is invalid.
    #[error(transparent)]
    Possible(#[from] crate::possible::PossibleWordsError),
}

/// The reader's phrase files: the lexicon, the frames and the idioms.
#[derive(Debug, Clone, Copy)]
pub struct LexiconSources<'a> {
    pub lexicon: &'a str,
    pub frames: &'a str,
    pub idioms: &'a str,
}

impl LexiconSources<'static> {
    /// The files compiled into the program.
    pub const EMBEDDED: LexiconSources<'static> = LexiconSources {
        lexicon: include_str!("../../../knowledge/lexicon.toml"),
        frames: include_str!("../../../knowledge/frames.toml"),
        idioms: include_str!("../../../knowledge/idioms.toml"),
    };
}

/// Why a phrase could not join the lexicon.
enum PhraseProblem {
    /// Nothing is left once skipped words are dropped.
    NoWords,
    /// The phrase already says something else (as this phrase).
    SaysElse(String),
}

/// What an automaton pattern stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    /// A lexicon phrase or an idiom: index into [`Lexicon::terms`].
    Term(usize),
    /// A frame's site or quality words: index into [`Lexicon::parts`].
    Part(usize),
}

/// A body site or a sensation of a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Site,
    Quality,
    /// A word that says the site is fine ("normal", "fine").
    Normal,
}

/// A compiled frame: a finding said as a body site and a sensation in one clause.
#[derive(Debug, Clone)]
struct Frame {
    /// The term (in [`Lexicon::terms`]) a frame match reports.
    term: usize,
    /// The term reporting the finding absent, for a site said to be fine.
    normal_term: Option<usize>,
    max_between: usize,
    /// Vocabulary ids of words that, anywhere in the clause, stop the frame.
    exclude: Vec<u32>,
    /// Findings whose phrases inside the frame's words give way to it.
    replaces: Vec<FindingId>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    /// Ordinary words that are never corrected into a lexicon word ("painting" is not
    /// "fainting").
    #[serde(default)]
    plain_words: PlainWords,
    #[serde(default)]
    term: Vec<RawTerm>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainWords {
    #[serde(default)]
    words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    /// One finding, or several a phrase says at once.
    #[serde(default)]
    finding: Option<String>,
    #[serde(default)]
    findings: Vec<String>,
    /// "present" (default), "absent", a choice value, or a number.
    #[serde(default)]
    value: Option<toml::Value>,
    says: Vec<String>,
    #[serde(default)]
    source: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrames {
    /// Named lists of words several frames share, used as "@name" in `sites` or `qualities`.
    #[serde(default)]
    groups: std::collections::BTreeMap<String, Vec<String>>,
    #[serde(default)]
    frame: Vec<RawFrame>,
}

fn default_max_between() -> usize {
    4
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrame {
    finding: String,
    /// "present" (default) or "absent": what the site and quality together say.
    #[serde(default)]
    value: Option<String>,
    sites: Vec<String>,
    qualities: Vec<String>,
    #[serde(default = "default_max_between")]
    max_between: usize,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    replaces: Vec<String>,
    /// A site said to be fine ("my chest feels fine", "bladder and bowels working normally")
    /// denies the finding: the words of [groups].normal.
    #[serde(default)]
    normal_denies: bool,
    #[serde(default)]
    source: String,
    #[serde(default)]
    #[allow(dead_code)]
    comment: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIdioms {
    #[serde(default)]
    idiom: Vec<RawIdiom>,
    #[serde(default)]
    figure: Vec<RawFigure>,
}

/// A finding's phrase that, with one of some words in its clause, is a figure of speech
/// ("I nearly passed out when they quoted me £70": shock at a price, not a faint).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigure {
    findings: Vec<String>,
    with: Vec<String>,
    /// Words that, also in the clause, keep the phrase a finding after all.
    #[serde(default)]
    unless: Vec<String>,
    /// What the figure means, for the reviewer.
    #[allow(dead_code)]
    means: String,
    #[serde(default)]
    source: String,
}

/// A validated [`RawFigure`].
#[derive(Debug, Clone)]
struct Figure {
    findings: Vec<FindingId>,
    /// Vocabulary ids of the words that make the phrase a figure.
    with: Vec<u32>,
    /// Vocabulary ids of the words that keep it a finding.
    unless: Vec<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIdiom {
    says: Vec<String>,
    /// What the idiom means, for the reviewer.
    #[allow(dead_code)]
    means: String,
    #[serde(default)]
    source: String,
}

/// The matching key of a phrase: its normalised words.
fn phrase_key(phrase: &str) -> Vec<String> {
    // "#" in a phrase stands for any number ("temp of #"): spell it as a number so it
    // becomes the number token rather than vanishing as punctuation.
    tokenize(&phrase.replace('#', " 0 "))
        .iter()
        .map(|t| matching_form(&t.norm).to_string())
        .filter(|t| !SKIPPED_WORDS.contains(&t.as_str()))
        .collect()
}

/// The compiled lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub terms: Vec<Term>,
    vocabulary: FxHashMap<String, u32>,
    /// Deletion neighbourhood of each vocabulary word of correctable length: a word with one
    /// letter deleted → the words it came from.
    deletions: FxHashMap<String, Vec<u32>>,
    words: Vec<String>,
    /// Ids below this are lexicon words, the only ones a misspelling is corrected to; plain
    /// words come after.
    correctable: u32,
    /// Standard semantics: every occurrence is found ([`crate::overlapping`]).
    automaton: DFA,
    /// For each automaton pattern, what it stands for.
    patterns: Vec<Pattern>,
    /// Frame parts: for each, the frames and roles its words play.
    parts: Vec<Vec<(usize, Role)>>,
    frames: Vec<Frame>,
    figures: Vec<Figure>,
    /// The longest vocabulary word, in chars: a longer text word is no misspelling of one.
    longest_word: usize,
}

fn encode(id: u32, out: &mut Vec<u8>) {
    // Self-synchronising: only a token's first byte has the high bit set, so a match can
    // only start on a token boundary. 21 bits of id.
    out.push(0x80 | ((id >> 14) & 0x7f) as u8);
    out.push(((id >> 7) & 0x7f) as u8);
    out.push((id & 0x7f) as u8);
}

const UNKNOWN_ID: u32 = 0;

/// The vocabulary id of `word`, added to the vocabulary when it is new.
fn word_id_adding(
    vocabulary: &mut FxHashMap<String, u32>,
    words: &mut Vec<String>,
    word: &str,
) -> u32 {
    if let Some(&id) = vocabulary.get(word) {
        return id;
    }
    let id = words.len() as u32;
    vocabulary.insert(word.to_string(), id);
    words.push(word.to_string());
    id
}

/// Calls `f` with `word` less each of its letters in turn, each built in `buffer` (one
/// allocation for them all: most words the reader meets are not in the vocabulary and go
/// through here).
fn for_each_deletion(word: &str, buffer: &mut String, mut f: impl FnMut(&str)) {
    for (at, letter) in word.char_indices() {
        buffer.clear();
        buffer.push_str(&word[..at]);
        buffer.push_str(&word[at + letter.len_utf8()..]);
        f(buffer);
    }
}

/// One insertion, deletion or substitution apart, or two neighbouring letters swapped.
fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (rest_a, rest_b) = (a.len() - prefix - suffix, b.len() - prefix - suffix);
    match (rest_a, rest_b) {
        (0, 1) | (1, 0) | (1, 1) => true,
        (2, 2) => a[prefix] == b[prefix + 1] && a[prefix + 1] == b[prefix],
        _ => false,
    }
}

/// The same first letter, or (in words of the same length) the first two letters swapped.
fn same_start(a: &str, b: &str) -> bool {
    let same_length = a.chars().count() == b.chars().count();
    let mut a = a.chars();
    let mut b = b.chars();
    match (a.next(), a.next(), b.next(), b.next()) {
        (Some(a0), _, Some(b0), _) if a0 == b0 => true,
        (Some(a0), Some(a1), Some(b0), Some(b1)) => same_length && a0 == b1 && a1 == b0,
        _ => false,
    }
}

impl Lexicon {
    /// The lexicon compiled into the program (`knowledge/lexicon.toml`), checked against the
    /// knowledge base.
    pub fn embedded(kb: &KnowledgeBase) -> Result<Lexicon, LexiconError> {
        Lexicon::from_sources(kb, LexiconSources::EMBEDDED)
    }

    /// [`Lexicon::from_sources`] with this lexicon text and the embedded frames and idioms.
    pub fn from_toml(kb: &KnowledgeBase, text: &str) -> Result<Lexicon, LexiconError> {
        Lexicon::from_sources(
            kb,
            LexiconSources {
                lexicon: text,
                ..LexiconSources::EMBEDDED
            },
        )
    }

    /// Parses and validates the phrase files: every finding must exist, every value must fit
    /// the finding's kind, every entry needs a known source, one phrase cannot say two
    /// different things, an idiom cannot be a finding's phrase, and a frame needs sites and
    /// qualities.
    pub fn from_sources(
        kb: &KnowledgeBase,
        sources: LexiconSources,
    ) -> Result<Lexicon, LexiconError> {
        let raw: RawLexicon = toml::from_str(sources.lexicon)
            .map_err(|e| LexiconError::Toml(e.to_string().replace('\n', " ")))?;
        let raw_frames: RawFrames = toml::from_str(sources.frames)
            .map_err(|e| LexiconError::FramesToml(e.to_string().replace('\n', " ")))?;
        let raw_idioms: RawIdioms = toml::from_str(sources.idioms)
            .map_err(|e| LexiconError::IdiomsToml(e.to_string().replace('\n', " ")))?;
        let source_keys: HashSet<&str> = kb.sources.iter().map(|s| s.key.as_str()).collect();
        let mut terms: Vec<Term> = Vec::new();
        let mut by_phrase: HashMap<Vec<String>, usize> = HashMap::new();
        let mut vocabulary: FxHashMap<String, u32> = FxHashMap::default();
        let mut words = vec![String::new()];
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut pattern_kinds = Vec::new();
        let encode_key =
            |key: &[String], vocabulary: &mut FxHashMap<String, u32>, words: &mut Vec<String>| {
                let mut encoded = Vec::with_capacity(key.len() * 3);
                for word in key {
                    encode(word_id_adding(vocabulary, words, word), &mut encoded);
                }
                encoded
            };
        // Adds a phrase saying `effects` (none for an idiom); the same phrase saying the same
        // again is skipped.
        let mut add_phrase = |phrase: String,
                              effects: &[TermEffect],
                              self_negating: bool|
         -> Result<(), PhraseProblem> {
            let key = phrase_key(&phrase);
            if key.is_empty() {
                return Err(PhraseProblem::NoWords);
            }
            if let Some(&existing) = by_phrase.get(&key) {
                let existing: &Term = &terms[existing];
                if existing.effects == effects {
                    return Ok(());
                }
                return Err(PhraseProblem::SaysElse(existing.phrase.clone()));
            }
            patterns.push(encode_key(&key, &mut vocabulary, &mut words));
            by_phrase.insert(key, terms.len());
            pattern_kinds.push(Pattern::Term(terms.len()));
            terms.push(Term {
                phrase,
                effects: effects.to_vec(),
                self_negating,
            });
            Ok(())
        };
        for raw_term in raw.term {
            let names: Vec<String> = raw_term
                .finding
                .iter()
                .cloned()
                .chain(raw_term.findings.iter().cloned())
                .collect();
            let label = names.join(", ");
            let entry_error = |message: String| LexiconError::Entry {
                finding: label.clone(),
                message,
            };
            if names.is_empty() {
                return Err(entry_error("needs `finding` or `findings`".into()));
            }
            let source_problems =
                upperback_core::source_problems(&raw_term.source, |key| source_keys.contains(key));
            if let Some(problem) = source_problems.into_iter().next() {
                return Err(entry_error(problem));
            }
            let mut effects = Vec::new();
            let mut self_negating = false;
            for name in &names {
                let Some(finding) = kb.finding_id(name) else {
                    return Err(entry_error(format!("unknown finding `{name}`")));
                };
                let value = match (&kb.finding(finding).kind, &raw_term.value) {
                    (FindingKind::Bool, None) => Value::Present,
                    (FindingKind::Bool, Some(toml::Value::String(s))) if s == "present" => {
                        Value::Present
                    }
                    (FindingKind::Bool, Some(toml::Value::String(s))) if s == "absent" => {
                        self_negating = true;
                        Value::Absent
                    }
                    (FindingKind::Choice { choices }, Some(toml::Value::String(s))) => {
                        match choices.iter().position(|c| c == s) {
                            Some(i) => Value::Choice(i as u16),
                            None => {
                                return Err(entry_error(format!(
                                    "`{s}` is not a choice of `{name}`"
                                )))
                            }
                        }
                    }
                    (FindingKind::Number { min, max, .. }, Some(v)) => {
                        let Some(n) = v.as_float().or(v.as_integer().map(|i| i as f64)) else {
                            return Err(entry_error(
                                "a number finding takes a number `value`".into(),
                            ));
                        };
                        if n < *min || n > *max {
                            return Err(entry_error(format!("value {n} is out of range")));
                        }
                        Value::Number(n)
                    }
                    (FindingKind::Number { .. }, None) => return Err(entry_error(
                        "a number finding needs a `value` (numbers in text are read separately)"
                            .into(),
                    )),
                    (_, other) => {
                        return Err(entry_error(format!(
                            "`value` {other:?} does not fit the kind of `{name}`"
                        )))
                    }
                };
                effects.push(TermEffect { finding, value });
            }
            for phrase in raw_term.says {
                match add_phrase(phrase.clone(), &effects, self_negating) {
                    Ok(()) => {}
                    Err(PhraseProblem::NoWords) => {
                        return Err(entry_error(format!("phrase {phrase:?} has no words")))
                    }
                    Err(PhraseProblem::SaysElse(other)) => {
                        return Err(entry_error(format!(
                            "phrase {phrase:?} already says something else (as {other:?})"
                        )))
                    }
                }
            }
        }

        // Idioms: phrases that hold a finding's words but say no finding ("on pins and
        // needles waiting for the results"). They mask the phrases inside them.
        let raw_idiom_count = raw_idioms.idiom.len();
        for (number, idiom) in raw_idioms.idiom.into_iter().enumerate() {
            let first = idiom.says.first().cloned().unwrap_or_default();
            let idiom_error = |message: String| LexiconError::Idiom {
                number: number + 1,
                first: first.clone(),
                message,
            };
            if idiom.says.is_empty() {
                return Err(idiom_error("`says` is empty".into()));
            }
            let problems =
                upperback_core::source_problems(&idiom.source, |key| source_keys.contains(key));
            if let Some(problem) = problems.into_iter().next() {
                return Err(idiom_error(problem));
            }
            for phrase in idiom.says {
                match add_phrase(phrase.clone(), &[], false) {
                    Ok(()) => {}
                    Err(PhraseProblem::NoWords) => {
                        return Err(idiom_error(format!("phrase {phrase:?} has no words")))
                    }
                    Err(PhraseProblem::SaysElse(other)) => {
                        return Err(idiom_error(format!(
                            "{phrase:?} is also a finding's phrase in lexicon.toml ({other:?})"
                        )))
                    }
                }
            }
        }

        // Frames: a body site and a sensation in one clause.
        let mut frames = Vec::new();
        let mut parts: Vec<Vec<(usize, Role)>> = Vec::new();
        let mut part_of_key: HashMap<Vec<String>, usize> = HashMap::new();
        for (number, frame) in raw_frames.frame.iter().enumerate() {
            let frame_error = |message: String| LexiconError::Frame {
                number: number + 1,
                finding: frame.finding.clone(),
                message,
            };
            let Some(finding) = kb.finding_id(&frame.finding) else {
                return Err(frame_error(format!("unknown finding `{}`", frame.finding)));
            };
            if kb.finding(finding).kind != FindingKind::Bool {
                return Err(frame_error("a frame says a yes/no finding".into()));
            }
            if upperback_core::cited_source_keys(&frame.source)
                .next()
                .is_none()
            {
                return Err(frame_error("has no `source`".into()));
            }
            let problems =
                upperback_core::source_problems(&frame.source, |key| source_keys.contains(key));
            if let Some(problem) = problems.into_iter().next() {
                return Err(frame_error(problem));
            }
            if frame.max_between > 12 {
                return Err(frame_error(format!(
                    "max_between is {}; at most 12 words may stand between site and quality",
                    frame.max_between
                )));
            }
            let mut replaces = Vec::new();
            for name in &frame.replaces {
                match kb.finding_id(name) {
                    Some(id) => replaces.push(id),
                    None => return Err(frame_error(format!("replaces unknown finding `{name}`"))),
                }
            }
            let index = frames.len();
            let normal_words = vec!["@normal".to_string()];
            let mut lists = vec![
                (Role::Site, &frame.sites, "sites"),
                (Role::Quality, &frame.qualities, "qualities"),
            ];
            if frame.normal_denies {
                lists.push((Role::Normal, &normal_words, "normal_denies"));
            }
            for (role, list, field) in lists {
                if list.is_empty() {
                    return Err(frame_error(format!("`{field}` is empty")));
                }
                let mut expanded: Vec<&String> = Vec::new();
                for phrase in list {
                    match phrase.strip_prefix('@') {
                        Some(group) => match raw_frames.groups.get(group) {
                            Some(words) if !words.is_empty() => expanded.extend(words),
                            _ => {
                                return Err(frame_error(format!(
                                    "{field} names group `{group}`, which [groups] does not hold (or holds empty)"
                                )))
                            }
                        },
                        None => expanded.push(phrase),
                    }
                }
                for phrase in expanded {
                    let key = phrase_key(phrase);
                    if key.is_empty() {
                        return Err(frame_error(format!(
                            "{field} has a phrase with no words: {phrase:?}"
                        )));
                    }
                    let part = match part_of_key.get(&key) {
                        Some(&part) => part,
                        None => {
                            patterns.push(encode_key(&key, &mut vocabulary, &mut words));
                            pattern_kinds.push(Pattern::Part(parts.len()));
                            part_of_key.insert(key, parts.len());
                            parts.push(Vec::new());
                            parts.len() - 1
                        }
                    };
                    if !parts[part].contains(&(index, role)) {
                        parts[part].push((index, role));
                    }
                }
            }
            let mut exclude = Vec::new();
            for word in &frame.exclude {
                let key = phrase_key(word);
                let [one] = key.as_slice() else {
                    return Err(frame_error(format!(
                        "exclude takes single words; {word:?} is not one"
                    )));
                };
                exclude.push(word_id_adding(&mut vocabulary, &mut words, one));
            }
            let normal_term = frame.normal_denies.then(|| {
                terms.push(Term {
                    phrase: format!("{} (a site said to be fine)", frame.finding),
                    effects: vec![TermEffect {
                        finding,
                        value: Value::Absent,
                    }],
                    self_negating: true,
                });
                terms.len() - 1
            });
            frames.push(Frame {
                normal_term,
                term: terms.len(),
                max_between: frame.max_between,
                exclude,
                replaces,
            });
            let value = match frame.value.as_deref() {
                None | Some("present") => Value::Present,
                Some("absent") => Value::Absent,
                Some(other) => {
                    return Err(frame_error(format!(
                        "value `{other}` is neither \"present\" nor \"absent\""
                    )))
                }
            };
            terms.push(Term {
                phrase: format!("{} (a site and a sensation)", frame.finding),
                self_negating: value == Value::Absent,
                effects: vec![TermEffect { finding, value }],
            });
        }
        // Figures: a finding's phrase with a word that makes it a figure of speech.
        let mut figures = Vec::new();
        for (number, figure) in raw_idioms.figure.iter().enumerate() {
            let first = figure.findings.first().cloned().unwrap_or_default();
            let figure_error = |message: String| LexiconError::Idiom {
                number: raw_idiom_count + number + 1,
                first: first.clone(),
                message,
            };
            if figure.findings.is_empty() || figure.with.is_empty() {
                return Err(figure_error("a figure needs `findings` and `with`".into()));
            }
            let problems =
                upperback_core::source_problems(&figure.source, |key| source_keys.contains(key));
            if let Some(problem) = problems.into_iter().next() {
                return Err(figure_error(problem));
            }
            let mut findings = Vec::new();
            for id in &figure.findings {
                let Some(finding) = kb.finding_id(id) else {
                    return Err(figure_error(format!("unknown finding `{id}`")));
                };
                findings.push(finding);
            }
            let mut single_words = |field: &str, list: &[String]| {
                let mut ids = Vec::new();
                for word in list {
                    let key = phrase_key(word);
                    let [one] = key.as_slice() else {
                        return Err(figure_error(format!(
                            "`{field}` takes single words; {word:?} is not one"
                        )));
                    };
                    ids.push(word_id_adding(&mut vocabulary, &mut words, one));
                }
                Ok(ids)
            };
            let with = single_words("with", &figure.with)?;
            let unless = single_words("unless", &figure.unless)?;
            figures.push(Figure {
                findings,
                with,
                unless,
            });
        }
        let mut deletions: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        let mut buffer = String::new();
        for (word, &id) in &vocabulary {
            if word.chars().count() >= MIN_CORRECTED_LENGTH {
                for_each_deletion(word, &mut buffer, |deleted| {
                    deletions.entry(deleted.to_string()).or_default().push(id);
                });
            }
        }
        // Plain words join the vocabulary after the lexicon's words: they are known (so never
        // corrected) but never the target of a correction.
        let correctable = words.len() as u32;
        for plain in &raw.plain_words.words {
            for token in tokenize(plain) {
                let form = matching_form(&token.norm).to_string();
                if form == NUMBER_TOKEN || vocabulary.contains_key(&form) {
                    continue;
                }
                let next = words.len() as u32;
                vocabulary.insert(form.clone(), next);
                words.push(form);
            }
        }
        let automaton = crate::overlapping::automaton(&patterns, false)
            .map_err(|e| LexiconError::Toml(format!("cannot build the matcher: {e}")))?;
        let longest_word = words.iter().map(|w| w.chars().count()).max().unwrap_or(0);
        Ok(Lexicon {
            terms,
            vocabulary,
            deletions,
            words,
            correctable,
            automaton,
            patterns: pattern_kinds,
            parts,
            frames,
            figures,
            longest_word,
        })
    }

    /// The vocabulary id of a text word, correcting a misspelling one edit away when exactly
    /// one vocabulary word fits.
    fn word_id(&self, norm: &str, form: &str) -> (u32, bool) {
        if let Some(&id) = self
            .vocabulary
            .get(form)
            .or_else(|| self.vocabulary.get(norm))
        {
            return (id, false);
        }
        if form == NUMBER_TOKEN {
            return (UNKNOWN_ID, false);
        }
        // Correct the word as written first ("numbnes" is one letter from "numbness"), then
        // its singular form.
        match self.correct(norm) {
            (UNKNOWN_ID, _) if form != norm => self.correct(form),
            found => found,
        }
    }

    fn correct(&self, form: &str) -> (u32, bool) {
        // One edit from a vocabulary word: no shorter than the shortest corrected word, no
        // longer than the longest word plus one (a 10,000-letter "word" is not compared).
        let length = form.len();
        if length > 4 * (self.longest_word + 1) {
            return (UNKNOWN_ID, false);
        }
        let length = form.chars().count();
        if !(MIN_CORRECTED_LENGTH..=self.longest_word + 1).contains(&length) {
            return (UNKNOWN_ID, false);
        }
        let mut candidates: Vec<u32> = Vec::new();
        // A letter missing from the text word: the text word is a deletion of a vocabulary word.
        if let Some(ids) = self.deletions.get(form) {
            candidates.extend(ids);
        }
        let mut buffer = String::with_capacity(form.len());
        for_each_deletion(form, &mut buffer, |deleted| {
            // An extra letter in the text word.
            if let Some(&id) = self.vocabulary.get(deleted) {
                candidates.push(id);
            }
            // One letter substituted (or two neighbours swapped, which is two edits but the
            // commonest typo).
            if let Some(ids) = self.deletions.get(deleted) {
                candidates.extend(ids);
            }
        });
        candidates.sort_unstable();
        candidates.dedup();
        // Shared deletions also pair words two edits apart ("asked" / "eased"): keep only one
        // edit, or two neighbouring letters swapped.
        // People rarely mistype a word's first letter, and a different first letter makes a
        // different word ("painting" / "fainting", "tripping" / "ripping"): keep it, unless the
        // first two letters are swapped.
        candidates.retain(|&id| {
            let word = &self.words[id as usize];
            id < self.correctable && within_one_edit(form, word) && same_start(form, word)
        });
        match candidates.as_slice() {
            [only] => (*only, true),
            _ => (UNKNOWN_ID, false),
        }
    }

    /// Every phrase found in the text, in text order. Phrases may overlap ("after reaching" and
    /// "reaching for"), but a phrase inside a longer one is dropped ("ice" inside "slipped on
    /// ice"). Frames are paired within the text's clauses.
    pub fn find(&self, text: &str) -> Vec<LexiconMatch> {
        let clauses = Clauses::new(text, ClauseWords::embedded());
        self.find_in(text, &clauses)
    }

    /// [`Lexicon::find`] with the text's clauses already split.
    pub fn find_in(&self, text: &str, clauses: &Clauses) -> Vec<LexiconMatch> {
        // Every text the reader reads passes here.
        thread_local! {
            static SCRATCH: std::cell::RefCell<FindScratch> = std::cell::RefCell::default();
        }
        crate::scratch::with_scratch(&SCRATCH, |scratch| {
            self.find_with(text, clauses, scratch, &mut |_, _| {})
        })
    }

    /// [`Lexicon::find_in`], also handing the text's tokens (normalised forms as ranges of a
    /// buffer) to `visit_tokens`, so that other word lists need not tokenise it again.
    pub(crate) fn find_in_visiting_tokens(
        &self,
        text: &str,
        clauses: &Clauses,
        visit_tokens: &mut dyn FnMut(&str, &[BufferedToken]),
    ) -> Vec<LexiconMatch> {
        thread_local! {
            static SCRATCH: std::cell::RefCell<FindScratch> = std::cell::RefCell::default();
        }
        crate::scratch::with_scratch(&SCRATCH, |scratch| {
            self.find_with(text, clauses, scratch, visit_tokens)
        })
    }

    /// Splits a word the vocabulary does not know into two or three words it does
    /// ("shoulderblades", "pinsandneedles"), each of three letters or more.
    fn split_joined(&self, word: &str) -> Option<Vec<u32>> {
        const MIN_PART: usize = 3;
        // Joined words are a few words long; a longer run of letters is no such word.
        if !word.is_ascii() || word.len() < 2 * MIN_PART || word.len() > 3 * self.longest_word {
            return None;
        }
        let known = |part: &str| {
            let form = matching_form(part);
            self.vocabulary
                .get(form)
                .or_else(|| self.vocabulary.get(part))
                .copied()
                .filter(|&id| id < self.correctable)
        };
        for cut in MIN_PART..=word.len() - MIN_PART {
            let (head, tail) = word.split_at(cut);
            let Some(first) = known(head) else { continue };
            if let Some(second) = known(tail) {
                return Some(vec![first, second]);
            }
            for cut2 in MIN_PART..=tail.len().saturating_sub(MIN_PART) {
                let (middle, last) = tail.split_at(cut2);
                if let (Some(second), Some(third)) = (known(middle), known(last)) {
                    return Some(vec![first, second, third]);
                }
            }
        }
        None
    }

    fn find_with(
        &self,
        text: &str,
        clauses: &Clauses,
        scratch: &mut FindScratch,
        visit_tokens: &mut dyn FnMut(&str, &[BufferedToken]),
    ) -> Vec<LexiconMatch> {
        let FindScratch {
            buffer,
            kept,
            stream,
            corrected_at,
            ids,
        } = scratch;
        kept.clear();
        stream.clear();
        corrected_at.clear();
        ids.clear();
        let tokens = tokenize_into(text, buffer);
        let buffer = &*buffer;
        visit_tokens(buffer, &tokens);
        let norm = |t: &BufferedToken| &buffer[t.norm.0 as usize..t.norm.1 as usize];
        for (index, token) in tokens.iter().enumerate() {
            let form = matching_form(norm(token));
            if SKIPPED_WORDS.contains(&form) {
                continue;
            }
            let (id, corrected) = self.word_id(norm(token), form);
            if id == UNKNOWN_ID {
                if let Some(parts) = self.split_joined(norm(token)) {
                    for part in parts {
                        encode(part, stream);
                        ids.push(part);
                        kept.push(index);
                        corrected_at.push(None);
                    }
                    continue;
                }
            }
            encode(id, stream);
            ids.push(id);
            kept.push(index);
            corrected_at.push(corrected.then(|| self.words[id as usize].clone()));
        }
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        crate::overlapping::for_each_occurrence(&self.automaton, stream, |pattern, start, end| {
            spans.push((start / 3, end / 3 - 1, pattern))
        });
        // Longest first at each start, so containment is checked against what is kept.
        spans.sort_by_key(|&(first, last, _)| (first, std::cmp::Reverse(last)));
        let mut kept_spans: Vec<(usize, usize, usize)> = Vec::with_capacity(spans.len());
        // A phrase inside a longer one gives way to it; a frame's words inside a finding's
        // phrase stay only when the frame replaces that finding ("numb" of "legs feel numb"
        // stays for "my bum and between my legs feel numb").
        let masks = |outer: usize, inner: usize| match (self.patterns[outer], self.patterns[inner])
        {
            (Pattern::Term(term), Pattern::Part(part)) => {
                let effects = &self.terms[term].effects;
                effects.is_empty()
                    || !self.parts[part].iter().any(|&(frame, _)| {
                        effects
                            .iter()
                            .any(|e| self.frames[frame].replaces.contains(&e.finding))
                    })
            }
            _ => true,
        };
        for span in spans {
            let contained = kept_spans.iter().any(|k| {
                k.0 <= span.0
                    && span.1 <= k.1
                    && (k.0, k.1) != (span.0, span.1)
                    && masks(k.2, span.2)
            });
            if !contained {
                kept_spans.push(span);
            }
        }
        let char_span =
            |first: usize, last: usize| (tokens[kept[first]].start, tokens[kept[last]].end);
        let corrections = |first: usize, last: usize| -> Vec<(String, String)> {
            let mut corrected: Vec<(String, String)> = (first..=last)
                .filter_map(|k| {
                    corrected_at[k]
                        .as_ref()
                        .map(|to| (norm(&tokens[kept[k]]).to_string(), to.clone()))
                })
                .collect();
            corrected.dedup();
            corrected
        };
        let mut matches = Vec::with_capacity(kept_spans.len());
        // Frame parts found: (first, last, part).
        let mut found_parts: Vec<(usize, usize, usize)> = Vec::new();
        for &(first, last, pattern) in &kept_spans {
            match self.patterns[pattern] {
                Pattern::Term(term) => {
                    let (start, end) = char_span(first, last);
                    matches.push(LexiconMatch {
                        term,
                        start,
                        end,
                        focus: (start, end),
                        corrected: corrections(first, last),
                    });
                }
                Pattern::Part(part) => found_parts.push((first, last, part)),
            }
        }
        if !found_parts.is_empty() {
            self.pair_frames(
                &found_parts,
                &char_span,
                &corrections,
                ids,
                clauses,
                &mut matches,
            );
        }
        if !self.figures.is_empty() && !matches.is_empty() {
            self.drop_figures(&char_span, ids, clauses, &mut matches);
        }
        matches.sort_by_key(|m| (m.start, m.end));
        matches
    }

    /// Drops the phrases that a word of their clause (or of the clauses joined to it by
    /// commas) makes a figure of speech ("nearly passed out when the physio quoted me £70").
    fn drop_figures(
        &self,
        char_span: &dyn Fn(usize, usize) -> (usize, usize),
        ids: &[u32],
        clauses: &Clauses,
        matches: &mut Vec<LexiconMatch>,
    ) {
        // The first token at or after char `at` (binary search: texts run to 10,000 chars).
        let first_at = |at: usize| {
            let (mut lo, mut hi) = (0, ids.len());
            while lo < hi {
                let mid = (lo + hi) / 2;
                if char_span(mid, mid).0 < at {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            lo
        };
        matches.retain(|m| {
            let effects = &self.terms[m.term].effects;
            let figures: Vec<&Figure> = self
                .figures
                .iter()
                .filter(|f| {
                    effects
                        .iter()
                        .any(|e| e.value != Value::Absent && f.findings.contains(&e.finding))
                })
                .collect();
            if figures.is_empty() {
                return true;
            }
            // The comma-joined clauses around it ("stuffy nose, can't breathe through it").
            let (from, to) = clauses.chain_bounds(m.start, m.end);
            let (from, to) = (first_at(from), first_at(to));
            let clause = &ids[from..to.max(from)];
            !figures.iter().any(|f| {
                clause.iter().any(|id| f.with.contains(id))
                    && !clause.iter().any(|id| f.unless.contains(id))
            })
        });
    }

    /// Pairs each frame's qualities with its nearest site in the same clause.
    fn pair_frames(
        &self,
        found_parts: &[(usize, usize, usize)],
        char_span: &dyn Fn(usize, usize) -> (usize, usize),
        corrections: &dyn Fn(usize, usize) -> Vec<(String, String)>,
        ids: &[u32],
        clauses: &Clauses,
        matches: &mut Vec<LexiconMatch>,
    ) {
        // The parts found, by frame: only frames with a part in the text are paired.
        let mut by_frame: Vec<(usize, Role, usize, usize)> = found_parts
            .iter()
            .flat_map(|&(first, last, part)| {
                self.parts[part]
                    .iter()
                    .map(move |&(frame, role)| (frame, role, first, last))
            })
            .collect();
        by_frame.sort_unstable_by_key(|&(frame, _, first, _)| (frame, first));
        for of_frame in by_frame.chunk_by(|a, b| a.0 == b.0) {
            let frame = &self.frames[of_frame[0].0];
            // Token spans (first, last) of the frame's parts in one role.
            let with_role = |role: Role| -> Vec<(usize, usize)> {
                of_frame
                    .iter()
                    .filter(|(_, r, _, _)| *r == role)
                    .map(|&(_, _, first, last)| (first, last))
                    .collect()
            };
            let (sites, qualities, normals) = (
                with_role(Role::Site),
                with_role(Role::Quality),
                with_role(Role::Normal),
            );
            if sites.is_empty() {
                continue;
            }
            for &(q_first, q_last) in &qualities {
                let quality = char_span(q_first, q_last);
                let nearest = sites
                    .iter()
                    .filter(|&&(s_first, s_last)| s_last < q_first || s_first > q_last)
                    .map(|&(s_first, s_last)| {
                        let between = if s_last < q_first {
                            q_first - s_last - 1
                        } else {
                            s_first - q_last - 1
                        };
                        (between, s_first, s_last)
                    })
                    .filter(|&(between, s_first, s_last)| {
                        let site = char_span(s_first, s_last);
                        let (from, to) = if site.0 < quality.0 {
                            (site.1, quality.0)
                        } else {
                            (quality.1, site.0)
                        };
                        between <= frame.max_between && !clauses.statement_between(from, to)
                    })
                    .min_by_key(|&(between, _, _)| between);
                let Some((_, s_first, s_last)) = nearest else {
                    continue;
                };
                let first = s_first.min(q_first);
                let last = s_last.max(q_last);
                let (start, end) = char_span(first, last);
                if !frame.exclude.is_empty() {
                    // The clause and the comma-joined clauses before it ("when I stretch, my
                    // chest feels tight"), not those after it.
                    let (clause_start, _) = clauses.chain_bounds(start, end);
                    let (_, clause_end) = clauses.clause_bounds(start, end);
                    // The clause's tokens, found by binary search (texts run to 10,000
                    // characters).
                    let first_at = |at: usize| {
                        let (mut lo, mut hi) = (0, ids.len());
                        while lo < hi {
                            let mid = (lo + hi) / 2;
                            if char_span(mid, mid).0 < at {
                                lo = mid + 1;
                            } else {
                                hi = mid;
                            }
                        }
                        lo
                    };
                    let (from, to) = (first_at(clause_start), first_at(clause_end));
                    let excluded = ids[from..to.max(from)]
                        .iter()
                        .any(|id| frame.exclude.contains(id));
                    if excluded {
                        continue;
                    }
                }
                if !frame.replaces.is_empty() {
                    matches.retain(|m| {
                        !(m.start >= start
                            && m.end <= end
                            && self.terms[m.term]
                                .effects
                                .iter()
                                .any(|e| frame.replaces.contains(&e.finding)))
                    });
                }
                matches.push(LexiconMatch {
                    term: frame.term,
                    start,
                    end,
                    focus: quality,
                    corrected: corrections(first, last),
                });
            }
            // A site said to be fine, with no sensation of the frame in its clause.
            let Some(normal_term) = frame.normal_term else {
                continue;
            };
            for &(n_first, n_last) in &normals {
                let normal = char_span(n_first, n_last);
                let site = sites.iter().find(|&&(s_first, s_last)| {
                    let site = char_span(s_first, s_last);
                    let between = if s_last < n_first {
                        n_first - s_last - 1
                    } else if s_first > n_last {
                        s_first - n_last - 1
                    } else {
                        return false;
                    };
                    let (from, to) = (site.0.min(normal.0), site.1.max(normal.1));
                    between <= frame.max_between && !clauses.statement_between(from, to)
                });
                let Some(&(s_first, s_last)) = site else {
                    continue;
                };
                let (start, end) = char_span(s_first.min(n_first), s_last.max(n_last));
                let (clause_start, clause_end) = clauses.clause_bounds(start, end);
                let sensation_too = qualities.iter().any(|&(q_first, q_last)| {
                    let (s, e) = char_span(q_first, q_last);
                    s >= clause_start && e <= clause_end
                });
                if !sensation_too {
                    matches.push(LexiconMatch {
                        term: normal_term,
                        start,
                        end,
                        focus: normal,
                        corrected: corrections(s_first.min(n_first), s_last.max(n_last)),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit() {
        assert!(within_one_edit("numbnes", "numbness"));
        assert!(within_one_edit("tingeling", "tingling"));
        assert!(within_one_edit("tinlging", "tingling"));
        assert!(within_one_edit("feverr", "fever"));
        assert!(!within_one_edit("asked", "eased"));
        assert!(!within_one_edit("abcdef", "abcxyz"));
        assert!(same_start("tingeling", "tingling"));
        assert!(same_start("itngling", "tingling"));
        assert!(!same_start("painting", "fainting"));
        assert!(!same_start("abating", "bating"));
    }

    #[test]
    fn ascii_fast_path_agrees_with_general_path() {
        for text in [
            "",
            "can't won`t dogs' 'quoted' x'1 7'a",
            "2.5 1.2.3 4. .5 v6 6v 12,5 3/10",
            "No FEVER,\n\tchills  since  Monday!!",
            "a'",
            "x",
        ] {
            // A last word that is not ASCII sends the text down the general path.
            let general = tokenize(&format!("{text} \u{e9}"));
            let fast = tokenize(text);
            assert_eq!(fast, general[..general.len() - 1], "{text:?}");
        }
    }

    #[test]
    fn tokenizer_keeps_char_spans_and_folds_contractions() {
        let tokens = tokenize("I can't pee — 7/10, since 2.5 days; naïve");
        let norms: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(
            norms,
            ["i", "cant", "pee", "7", "10", "since", "2.5", "days", "naïve"]
        );
        let naive = tokens.last().unwrap();
        assert_eq!((naive.start, naive.end), (36, 41));
        let tokens = tokenize("54-year-old");
        let norms: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(norms, ["54", "year", "old"]);
    }

    fn lexicon(toml: &str) -> Lexicon {
        Lexicon::from_toml(KnowledgeBase::embedded(), toml).unwrap()
    }

    #[test]
    fn matches_skip_determiners_plurals_and_correct_spelling() {
        let lexicon = lexicon(
            r#"
[[term]]
finding = "location"
value = "between_shoulder_blades"
says = ["between shoulder blades"]
source = "spec"

[[term]]
finding = "numbness"
says = ["numbness"]
source = "spec"
"#,
        );
        let text = "pain between my shoulder-blades and numbnes";
        let found = lexicon.find(text);
        assert_eq!(found.len(), 2);
        assert_eq!(
            &text[found[0].start..found[0].end],
            "between my shoulder-blades"
        );
        assert_eq!(&text[found[1].start..found[1].end], "numbnes");
        assert_eq!(
            found[1].corrected,
            [("numbnes".to_string(), "numbness".to_string())]
        );
    }

    #[test]
    fn rejects_unknown_findings_values_and_conflicts() {
        let kb = KnowledgeBase::embedded();
        let err = |toml: &str| Lexicon::from_toml(kb, toml).unwrap_err().to_string();
        assert!(
            err("[[term]]\nfinding = \"fevr\"\nsays = [\"x\"]\nsource = \"spec\"")
                .contains("unknown finding `fevr`")
        );
        assert!(err(
            "[[term]]\nfinding = \"location\"\nvalue = \"knee\"\nsays = [\"x\"]\nsource = \"spec\""
        )
        .contains("not a choice"));
        assert!(err("[[term]]\nfinding = \"fever\"\nsays = [\"x\"]").contains("missing `source`"));
        assert!(err("[[term]]\nfinding = \"fever\"\nsays = [\"hot\"]\nsource = \"spec\"\n[[term]]\nfinding = \"chills\"\nsays = [\"hot\"]\nsource = \"spec\"").contains("already says"));
    }

    #[test]
    fn frames_and_idioms_are_validated_naming_the_entry() {
        let kb = KnowledgeBase::embedded();
        let lexicon = "[[term]]\nfinding = \"fever\"\nsays = [\"fever\"]\nsource = \"spec\"";
        let with = |frames: &str, idioms: &str| {
            Lexicon::from_sources(
                kb,
                LexiconSources {
                    lexicon,
                    frames,
                    idioms,
                },
            )
        };
        let err = |frames: &str| with(frames, "").unwrap_err().to_string();
        let frame = |finding: &str, sites: &str, qualities: &str, source: &str| {
            format!("[[frame]]\nfinding = \"{finding}\"\nsites = [{sites}]\nqualities = [{qualities}]\n{source}")
        };
        let good = frame("chest_pain", "\"chest\"", "\"tight\"", "source = \"spec\"");
        assert!(with(&good, "").is_ok());
        assert_eq!(
            err(&frame(
                "chest_ache",
                "\"chest\"",
                "\"tight\"",
                "source = \"spec\""
            )),
            "frames.toml: frame 1 (`chest_ache`): unknown finding `chest_ache`"
        );
        assert_eq!(
            err(&frame("chest_pain", "", "\"tight\"", "source = \"spec\"")),
            "frames.toml: frame 1 (`chest_pain`): `sites` is empty"
        );
        assert_eq!(
            err(&frame("chest_pain", "\"chest\"", "", "source = \"spec\"")),
            "frames.toml: frame 1 (`chest_pain`): `qualities` is empty"
        );
        assert_eq!(
            err(&frame("chest_pain", "\"chest\"", "\"tight\"", "")),
            "frames.toml: frame 1 (`chest_pain`): has no `source`"
        );
        assert!(err(&frame(
            "chest_pain",
            "\"chest\"",
            "\"tight\"",
            "source = \"nope\""
        ))
        .contains("frame 1 (`chest_pain`): source `nope` is not a key"));
        assert!(err(&frame(
            "chest_pain",
            "\"@limbs\"",
            "\"tight\"",
            "source = \"spec\""
        ))
        .contains("names group `limbs`"));
        assert!(
            err(&frame("age", "\"chest\"", "\"tight\"", "source = \"spec\""))
                .contains("a frame says a yes/no finding")
        );
        // An idiom may not be a finding's phrase.
        let idiom = "[[idiom]]\nsays = [\"fever\"]\nmeans = \"x\"\nsource = \"expert\"";
        assert!(with("", idiom)
            .unwrap_err()
            .to_string()
            .starts_with("idioms.toml: idiom 1 (\"fever\"): \"fever\" is also a finding's phrase"));
        // A figure names known findings and single words.
        let figure = |findings: &str, with_words: &str| {
            format!("[[figure]]\nfindings = [{findings}]\nwith = [{with_words}]\nmeans = \"x\"\nsource = \"expert\"")
        };
        assert!(with("", &figure("\"fever\"", "\"sauna\"")).is_ok());
        assert!(with("", &figure("\"fevr\"", "\"sauna\""))
            .unwrap_err()
            .to_string()
            .contains("unknown finding `fevr`"));
        assert!(with("", &figure("\"fever\"", "\"hot tub\""))
            .unwrap_err()
            .to_string()
            .contains("single words"));
        assert!(with("", &figure("\"fever\"", ""))
            .unwrap_err()
            .to_string()
            .contains("needs `findings` and `with`"));
    }

    #[test]
    fn a_figure_word_in_the_clause_turns_a_phrase_into_a_figure_of_speech() {
        let kb = KnowledgeBase::embedded();
        let lexicon = Lexicon::from_sources(
            kb,
            LexiconSources {
                lexicon: "[[term]]\nfinding = \"fainting\"\nsays = [\"passed out\"]\nsource = \"spec\"",
                frames: "",
                idioms: "[[figure]]\nfindings = [\"fainting\"]\nwith = [\"bill\"]\nunless = [\"floor\"]\nmeans = \"shock at a price\"\nsource = \"expert\"",
            },
        )
        .unwrap();
        let found = |text: &str| lexicon.find(text).len();
        assert_eq!(found("I nearly passed out when I saw the bill"), 0);
        assert_eq!(found("I passed out in the kitchen"), 1);
        assert_eq!(
            found("I passed out on the floor while paying the bill"),
            1,
            "a word of `unless` keeps it a finding"
        );
        assert_eq!(
            found("I got the bill. Then I passed out in the kitchen"),
            1,
            "another sentence"
        );
    }

    #[test]
    fn a_frame_pairs_a_site_and_a_quality_in_one_clause() {
        let kb = KnowledgeBase::embedded();
        let lexicon = Lexicon::from_sources(
            kb,
            LexiconSources {
                lexicon: "",
                frames: "[[frame]]\nfinding = \"chest_pain\"\nsites = [\"chest\"]\nqualities = [\"heavy\"]\nexclude = [\"stretch\"]\nsource = \"spec\"",
                idioms: "[[idiom]]\nsays = [\"heavy heart\"]\nmeans = \"sadness\"\nsource = \"expert\"",
            },
        )
        .unwrap();
        let found = |text: &str| {
            lexicon
                .find(text)
                .iter()
                .filter(|m| !lexicon.terms[m.term].effects.is_empty())
                .count()
        };
        assert_eq!(found("my chest feels so heavy"), 1);
        assert_eq!(found("heavy in the middle of my chest"), 1);
        assert_eq!(
            found("my chest is fine, the bag was heavy"),
            0,
            "another clause"
        );
        assert_eq!(found("when I stretch my chest feels heavy"), 0, "excluded");
        assert_eq!(found("with a heavy heart"), 0, "an idiom");
        assert_eq!(
            found("chest one two three four five six heavy"),
            0,
            "too far apart"
        );
    }
}

#[cfg(test)]
mod embedded_tests {
    use super::*;

    #[test]
    fn plain_words_are_never_corrected() {
        let lexicon = Lexicon::embedded(KnowledgeBase::embedded()).unwrap();
        for (word, meant) in [
            ("number", "numbed"),
            ("child", "chill"),
            ("looked", "locked"),
            ("fewer", "fever"),
            ("painting", "fainting"),
        ] {
            let (id, corrected) = lexicon.word_id(word, matching_form(word));
            assert!(
                !corrected && lexicon.words[id as usize] != meant,
                "{word} read as {meant}"
            );
        }
        // A real misspelling is still corrected.
        let (id, corrected) = lexicon.word_id("nubmness", "nubmness");
        assert!(corrected && lexicon.words[id as usize] == "numbness");
    }

    /// Lists the words of a word list (`WORDS`, default /usr/share/dict/words) that the lexicon
    /// would "correct" into one of its words, for the `[plain_words]` of lexicon.toml.
    #[test]
    #[ignore = "maintenance aid: run by hand after adding phrases"]
    fn dictionary_probe() {
        let path = std::env::var("WORDS").unwrap_or_else(|_| "/usr/share/dict/words".into());
        let Ok(words) = std::fs::read_to_string(&path) else {
            return;
        };
        let lexicon = Lexicon::embedded(KnowledgeBase::embedded()).unwrap();
        for word in words.lines() {
            if !word.chars().all(|c| c.is_ascii_lowercase()) {
                continue;
            }
            let (id, corrected) = lexicon.word_id(word, matching_form(word));
            if corrected {
                println!("{word}\t{}", lexicon.words[id as usize]);
            }
        }
    }

    #[test]
    fn embedded_lexicon_is_valid() {
        let lexicon =
            Lexicon::embedded(KnowledgeBase::embedded()).unwrap_or_else(|e| panic!("{e}"));
        assert!(lexicon.terms.len() > 500);
    }
}
