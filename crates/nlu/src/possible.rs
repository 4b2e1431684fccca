//! Possible red flags: words that speak of a red flag's body system
//! (`knowledge/possible_red_flags.toml`).
//!
//! "Something's wrong in my chest" names no finding the reader knows, but it speaks of the
//! chest, and chest pain is a red flag. The reader reports such words as a *possible* red
//! flag when it understood nothing else in them; the interview then asks first, quoting
//! the words. This module only finds the words; the reader decides which of them count.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::Deserialize;
use upperback_core::{FindingId, KnowledgeBase};

/// A problem in `possible_red_flags.toml`, naming the entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PossibleWordsError {
    #[error("possible_red_flags.toml: {0}")]
    Syntax(String),
    #[error("possible_red_flags.toml: system {number} ({id:?}): {message}")]
    Entry {
        number: usize,
        id: String,
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    system: Vec<RawSystem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSystem {
    id: String,
    words: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    red_flags: Vec<String>,
    #[serde(default)]
    not_explained_by: Vec<String>,
    source: String,
}

/// One word of a phrase: the word itself, or (written with a final `*`) any word that
/// begins with it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum WordPattern {
    Exact(String),
    Prefix(String),
}

impl WordPattern {
    fn matches(&self, word: &str) -> bool {
        match self {
            WordPattern::Exact(w) => w == word,
            WordPattern::Prefix(p) => word.starts_with(p.as_str()),
        }
    }
}

#[derive(Debug, Clone)]
struct Phrase {
    words: Vec<WordPattern>,
    system: usize,
    /// An `unless` phrase: the system's words inside it mean something else.
    unless: bool,
}

/// A body system and the red flags its words may describe.
#[derive(Debug, Clone)]
pub struct BodySystem {
    pub id: String,
    pub red_flags: Vec<FindingId>,
    /// Findings that, read from the words, still leave the red flags possible ("sweaty"
    /// read as sweating from exercise may be a cold sweat).
    pub not_explained_by: Vec<FindingId>,
    pub source: String,
}

/// Words of a body system found in a text, in char offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SystemWords {
    /// Index into [`PossibleWords::systems`].
    pub system: usize,
    pub start: usize,
    pub end: usize,
}

/// The body systems' words, compiled for matching.
#[derive(Debug, Clone)]
pub struct PossibleWords {
    pub systems: Vec<BodySystem>,
    phrases: Vec<Phrase>,
    /// Phrases by their first word, when it is a whole word.
    by_first_word: FxHashMap<String, Vec<usize>>,
    /// Phrases whose first word is a prefix, by the prefix's first three letters.
    by_first_prefix: FxHashMap<String, Vec<usize>>,
}

/// Lower case, apostrophes dropped: as [`crate::lexicon::tokenize`] normalises a word.
fn normal_words(phrase: &str) -> Vec<String> {
    crate::lexicon::tokenize(phrase)
        .into_iter()
        .map(|t| t.norm)
        .collect()
}

/// A word's first three letters (all of a shorter word): the key prefixes are found by.
fn first_letters(word: &str) -> &str {
    match word.char_indices().nth(3) {
        Some((at, _)) => &word[..at],
        None => word,
    }
}

fn compile(phrase: &str) -> Result<Vec<WordPattern>, String> {
    let phrase = phrase.trim();
    if phrase.is_empty() {
        return Err("a phrase is empty".into());
    }
    let mut words = Vec::new();
    for raw in phrase.split_whitespace() {
        let (stem, prefix) = match raw.strip_suffix('*') {
            Some(stem) => (stem, true),
            None => (raw, false),
        };
        if stem.contains('*') {
            return Err(format!("{phrase:?}: `*` may only end a word"));
        }
        let normal = normal_words(stem);
        let [word] = normal.as_slice() else {
            // A hyphen or a digit run makes several tokens: each is a word of its own.
            if prefix || normal.is_empty() {
                return Err(format!(
                    "{phrase:?}: {raw:?} is not one word (write words apart, `*` after a whole word)"
                ));
            }
            words.extend(normal.into_iter().map(WordPattern::Exact));
            continue;
        };
        if prefix && word.chars().count() < 3 {
            return Err(format!(
                "{phrase:?}: a `*` word needs at least three letters before the `*`"
            ));
        }
        words.push(if prefix {
            WordPattern::Prefix(word.clone())
        } else {
            WordPattern::Exact(word.clone())
        });
    }
    Ok(words)
}

impl PossibleWords {
    /// Parses and validates a `possible_red_flags.toml` against the knowledge base: every
    /// red flag a finding with `red_flag = true`, every source a key of `sources.toml`, no
    /// empty list or phrase.
    pub fn from_toml(
        kb: &KnowledgeBase,
        content: &str,
    ) -> Result<PossibleWords, PossibleWordsError> {
        let raw: RawFile =
            toml::from_str(content).map_err(|e| PossibleWordsError::Syntax(e.to_string()))?;
        let mut words = PossibleWords {
            systems: Vec::new(),
            phrases: Vec::new(),
            by_first_word: FxHashMap::default(),
            by_first_prefix: FxHashMap::default(),
        };
        for (i, system) in raw.system.into_iter().enumerate() {
            let entry = |message: String| PossibleWordsError::Entry {
                number: i + 1,
                id: system.id.clone(),
                message,
            };
            if system.words.is_empty() {
                return Err(entry("`words` is empty".into()));
            }
            if system.red_flags.is_empty() {
                return Err(entry("`red_flags` is empty".into()));
            }
            if let Some(problem) = kb.source_problems(&system.source).into_iter().next() {
                return Err(entry(problem));
            }
            let mut red_flags = Vec::new();
            for id in &system.red_flags {
                let Some(finding) = kb.finding_id(id) else {
                    return Err(entry(format!("unknown finding `{id}`")));
                };
                if !kb.finding(finding).red_flag {
                    return Err(entry(format!(
                        "`{id}` is not a red flag: only red flags can be possible"
                    )));
                }
                red_flags.push(finding);
            }
            let mut not_explained_by = Vec::new();
            for id in &system.not_explained_by {
                let Some(finding) = kb.finding_id(id) else {
                    return Err(entry(format!(
                        "unknown finding `{id}` in `not_explained_by`"
                    )));
                };
                not_explained_by.push(finding);
            }
            let index = words.systems.len();
            for (phrases, unless) in [(&system.words, false), (&system.unless, true)] {
                for phrase in phrases {
                    let compiled = compile(phrase).map_err(entry)?;
                    words.phrases.push(Phrase {
                        words: compiled,
                        system: index,
                        unless,
                    });
                }
            }
            words.systems.push(BodySystem {
                id: system.id,
                red_flags,
                not_explained_by,
                source: system.source,
            });
        }
        for (i, phrase) in words.phrases.iter().enumerate() {
            match &phrase.words[0] {
                WordPattern::Exact(w) => words.by_first_word.entry(w.clone()).or_default().push(i),
                WordPattern::Prefix(p) => words
                    .by_first_prefix
                    .entry(first_letters(p).to_string())
                    .or_default()
                    .push(i),
            }
        }
        Ok(words)
    }

    /// The words compiled into the program, for the embedded knowledge base.
    pub fn embedded(kb: &KnowledgeBase) -> Result<PossibleWords, PossibleWordsError> {
        PossibleWords::from_toml(kb, EMBEDDED)
    }

    /// Every place a system's words occur in the lexicon's tokens (normalised forms as
    /// ranges of `buffer`), except inside one of its `unless` phrases. In text order.
    pub(crate) fn find_buffered(
        &self,
        buffer: &str,
        tokens: &[crate::lexicon::BufferedToken],
    ) -> Vec<SystemWords> {
        let norm = |i: usize| {
            let (a, b) = tokens[i].norm;
            &buffer[a as usize..b as usize]
        };
        self.find_by(tokens.len(), norm, |i| (tokens[i].start, tokens[i].end))
    }

    /// The matching, over `count` tokens given by their normalised form and char span.
    fn find_by<'t>(
        &self,
        count: usize,
        norm: impl Fn(usize) -> &'t str,
        span: impl Fn(usize) -> (usize, usize),
    ) -> Vec<SystemWords> {
        // (system, first token, last token, unless)
        let mut hits: Vec<(usize, usize, usize, bool)> = Vec::new();
        for at in 0..count {
            let word = norm(at);
            let exact = self.by_first_word.get(word);
            let prefixed = self.by_first_prefix.get(first_letters(word));
            let candidates = exact
                .into_iter()
                .flatten()
                .chain(prefixed.into_iter().flatten());
            for &p in candidates {
                let phrase = &self.phrases[p];
                let n = phrase.words.len();
                if at + n > count {
                    continue;
                }
                if phrase
                    .words
                    .iter()
                    .enumerate()
                    .all(|(k, w)| w.matches(norm(at + k)))
                {
                    hits.push((phrase.system, at, at + n - 1, phrase.unless));
                }
            }
        }
        let mut found: Vec<SystemWords> = hits
            .iter()
            .filter(|(system, first, last, unless)| {
                !unless
                    && !hits
                        .iter()
                        .any(|(s, f, l, u)| *u && s == system && f <= first && last <= l)
            })
            .map(|&(system, first, last, _)| SystemWords {
                system,
                start: span(first).0,
                end: span(last).1,
            })
            .collect();
        found.sort_by_key(|w| (w.start, w.end, w.system));
        found.dedup();
        found
    }
}

/// The embedded `possible_red_flags.toml`.
pub const EMBEDDED: &str = include_str!("../../../knowledge/possible_red_flags.toml");

/// The embedded words for the embedded knowledge base, built once per process.
pub fn embedded() -> &'static PossibleWords {
    static WORDS: OnceLock<PossibleWords> = OnceLock::new();
    WORDS.get_or_init(|| {
        PossibleWords::embedded(KnowledgeBase::embedded())
            .expect("the embedded possible_red_flags.toml is valid (a test checks it)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::tokenize;

    fn found(text: &str) -> Vec<(String, String)> {
        let words = embedded();
        let tokens = tokenize(text);
        words
            .find_by(
                tokens.len(),
                |i| tokens[i].norm.as_str(),
                |i| (tokens[i].start, tokens[i].end),
            )
            .into_iter()
            .map(|w| {
                let piece: String = text.chars().skip(w.start).take(w.end - w.start).collect();
                (words.systems[w.system].id.clone(), piece)
            })
            .collect()
    }

    #[test]
    fn words_match_whole_words_and_prefixes() {
        let hits = found("Something's wrong in my chest and I'm breathless");
        assert!(hits.contains(&("chest and heart".into(), "chest".into())));
        assert!(hits.contains(&("breathing".into(), "breathless".into())));
        // "breast" is not "breastbone"; "chestnut" is not "chest".
        assert!(found("roasted chestnuts").is_empty());
    }

    #[test]
    fn unless_phrases_mask_their_system_only() {
        assert!(!found("I fell asleep on the sofa")
            .iter()
            .any(|(system, _)| system == "an accident"));
        assert!(found("I fell down the stairs")
            .iter()
            .any(|(system, _)| system == "an accident"));
        assert!(!found("a hot water bottle helps")
            .iter()
            .any(|(system, _)| system == "temperature and shivering"));
    }

    #[test]
    fn bad_entries_are_named() {
        let kb = KnowledgeBase::embedded();
        let with = |body: &str| PossibleWords::from_toml(kb, body).unwrap_err().to_string();
        let system = |words: &str, red_flags: &str| {
            format!("[[system]]\nid = \"x\"\nwords = {words}\nred_flags = {red_flags}\nsource = \"expert\"")
        };
        assert!(with(&system("[]", "[\"fever\"]")).contains("`words` is empty"));
        assert!(with(&system("[\"hot\"]", "[\"heavy_lifting\"]")).contains("is not a red flag"));
        assert!(with(&system("[\"hot\"]", "[\"fevr\"]")).contains("unknown finding `fevr`"));
        assert!(with(&system("[\"h*t\"]", "[\"fever\"]")).contains("`*` may only end a word"));
        assert!(with(&system("[\"ho*\"]", "[\"fever\"]")).contains("at least three letters"));
        assert!(with("[[system]]\nid = \"x\"\nwords = [\"hot\"]\nred_flags = [\"fever\"]\nsource = \"nowhere\"")
            .contains("nowhere"));
    }

    #[test]
    fn every_red_flag_has_words() {
        let kb = KnowledgeBase::embedded();
        let words = embedded();
        for (i, finding) in kb.findings.iter().enumerate() {
            if finding.red_flag {
                let id = FindingId(i as u16);
                assert!(
                    words.systems.iter().any(|s| s.red_flags.contains(&id)),
                    "no words point to the red flag `{}`",
                    finding.id
                );
            }
        }
    }
}
