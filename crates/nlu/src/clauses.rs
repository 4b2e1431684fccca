//! Clauses: where a sentence's statements begin and end, and how far a denial, a hedge or a
//! condition reaches (`knowledge/clauses.toml`).
//!
//! "No fever, chest pain since this morning" is two statements: the denial covers its own
//! clause and a list that continues it ("no fever, chills or sweats"), never a new statement
//! after a comma ("…, I've got chest pain"), a dash, a colon or a contrast word. Where a comma
//! list is bare ("no fever, chest pain") the reach is [`Reach::Ambiguous`]: the reader then
//! leaves a red flag uncertain, never absent.

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

use serde::Deserialize;
use upperback_core::{cited_source_keys, KnowledgeBase};

/// A problem in `clauses.toml`, naming the section.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClauseWordsError {
    #[error("clauses.toml: {0}")]
    Syntax(String),
    #[error("clauses.toml: [{section}] {message}")]
    Entry {
        section: &'static str,
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    breaks: RawBreaks,
    lists: RawLists,
    new_clause: RawNewClause,
    double_negation: RawDoubleNegation,
    questions: RawQuestions,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestions {
    source: String,
    words: Vec<String>,
    presupposing: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBreaks {
    source: String,
    strong_punctuation: Vec<String>,
    words: Vec<String>,
    scope_stops: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLists {
    source: String,
    joiners: Vec<String>,
    fillers: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNewClause {
    source: String,
    words: Vec<String>,
    subjects: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDoubleNegation {
    source: String,
    max_words: usize,
    phrases: Vec<String>,
    negations: Vec<String>,
}

/// What a word (or a run of words starting at it) is to the clause rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Break,
    ScopeStop,
    Joiner,
    Filler,
    NewClause,
    DoubleNegation,
}

/// Phrases indexed by their first word: each entry the rest of the words and the role.
type PhraseIndex = FxHashMap<String, Vec<(Vec<String>, Role)>>;

/// A mark that ends a clause only with white space on both sides (" - ") or anywhere.
#[derive(Debug, Clone, Copy)]
struct Mark {
    mark: char,
    spaced: bool,
}

/// The validated clause rules.
#[derive(Debug, Clone)]
pub struct ClauseWords {
    marks: Vec<Mark>,
    phrases: PhraseIndex,
    double_negation_max_words: usize,
    /// Words that deny, for double negation.
    negations: FxHashSet<String>,
    /// Words that open a question.
    question_words: FxHashSet<String>,
    /// Openings of a question that takes what follows as given ("is it normal that…").
    presupposing: Vec<Vec<String>>,
    /// Subjects that begin a statement of their own ("my", "I", "there").
    subjects: FxHashSet<String>,
    sources: Vec<(&'static str, String)>,
}

/// Lower case, apostrophes dropped: the form words are compared in.
fn normal_word(word: &str) -> String {
    word.chars()
        .filter(|c| !matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn phrase_words(phrase: &str) -> Vec<String> {
    phrase
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '\u{2019}')))
        .filter(|w| !w.is_empty())
        .map(normal_word)
        .collect()
}

impl ClauseWords {
    /// Parses and validates a `clauses.toml`: no empty list or phrase, punctuation marks of
    /// one character, every section with a source.
    pub fn from_toml(content: &str) -> Result<ClauseWords, ClauseWordsError> {
        let raw: RawFile =
            toml::from_str(content).map_err(|e| ClauseWordsError::Syntax(e.to_string()))?;
        let entry =
            |section: &'static str, message: String| ClauseWordsError::Entry { section, message };
        let sources = vec![
            ("breaks", raw.breaks.source),
            ("lists", raw.lists.source),
            ("new_clause", raw.new_clause.source),
            ("double_negation", raw.double_negation.source),
            ("questions", raw.questions.source),
        ];
        for (section, source) in &sources {
            if cited_source_keys(source).next().is_none() {
                return Err(entry(section, "has an empty `source`".into()));
            }
        }
        let mut marks = Vec::new();
        for written in &raw.breaks.strong_punctuation {
            let trimmed = written.trim();
            let mut chars = trimmed.chars();
            let (Some(mark), None) = (chars.next(), chars.next()) else {
                return Err(entry(
                    "breaks",
                    format!("strong_punctuation {written:?} must be one character (with spaces around it if they are needed)"),
                ));
            };
            if mark.is_alphanumeric() {
                return Err(entry(
                    "breaks",
                    format!("strong_punctuation {written:?} is not punctuation"),
                ));
            }
            marks.push(Mark {
                mark,
                spaced: trimmed.len() != written.len(),
            });
        }
        let mut phrases: PhraseIndex = FxHashMap::default();
        let lists: [(&'static str, &str, &Vec<String>, Role); 6] = [
            ("breaks", "words", &raw.breaks.words, Role::Break),
            (
                "breaks",
                "scope_stops",
                &raw.breaks.scope_stops,
                Role::ScopeStop,
            ),
            ("lists", "joiners", &raw.lists.joiners, Role::Joiner),
            ("lists", "fillers", &raw.lists.fillers, Role::Filler),
            (
                "new_clause",
                "words",
                &raw.new_clause.words,
                Role::NewClause,
            ),
            (
                "double_negation",
                "phrases",
                &raw.double_negation.phrases,
                Role::DoubleNegation,
            ),
        ];
        for (section, field, list, role) in lists {
            if list.is_empty() {
                return Err(entry(section, format!("`{field}` is empty")));
            }
            for phrase in list {
                let words = phrase_words(phrase);
                let Some((first, rest)) = words.split_first() else {
                    return Err(entry(
                        section,
                        format!("`{field}` has a phrase with no words: {phrase:?}"),
                    ));
                };
                let entries = phrases.entry(first.clone()).or_default();
                if let Some((_, other)) = entries.iter().find(|(r, _)| r == rest) {
                    // The same words in two lists would mean two things.
                    if *other != role {
                        return Err(entry(
                            section,
                            format!("{phrase:?} is also listed with another role ({other:?})"),
                        ));
                    }
                    continue;
                }
                entries.push((rest.to_vec(), role));
            }
        }
        // Longest phrases first, so "and then" wins over "and".
        for entries in phrases.values_mut() {
            entries.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
        }
        if raw.double_negation.max_words == 0 || raw.double_negation.max_words > 10 {
            return Err(entry(
                "double_negation",
                "`max_words` must be from 1 to 10".into(),
            ));
        }
        let word_set = |section: &'static str, field: &str, words: &[String]| {
            let set: FxHashSet<String> = words.iter().flat_map(|w| phrase_words(w)).collect();
            if set.is_empty() {
                return Err(entry(section, format!("`{field}` is empty")));
            }
            Ok(set)
        };
        let negations = word_set(
            "double_negation",
            "negations",
            &raw.double_negation.negations,
        )?;
        let question_words = word_set("questions", "words", &raw.questions.words)?;
        let presupposing: Vec<Vec<String>> = raw
            .questions
            .presupposing
            .iter()
            .map(|p| phrase_words(p))
            .collect();
        if presupposing.iter().any(Vec::is_empty) {
            return Err(entry(
                "questions",
                "a `presupposing` phrase is empty".into(),
            ));
        }
        let subjects = word_set("new_clause", "subjects", &raw.new_clause.subjects)?;
        Ok(ClauseWords {
            subjects,
            question_words,
            presupposing,
            negations,
            marks,
            phrases,
            double_negation_max_words: raw.double_negation.max_words,
            sources,
        })
    }

    /// Checks that every section cites keys of the knowledge base's `sources.toml`.
    pub fn check_sources(&self, kb: &KnowledgeBase) -> Result<(), ClauseWordsError> {
        for (section, source) in &self.sources {
            if let Some(message) = kb.source_problems(source).into_iter().next() {
                return Err(ClauseWordsError::Entry { section, message });
            }
        }
        Ok(())
    }

    /// The rules compiled into the program.
    pub fn embedded() -> &'static ClauseWords {
        static WORDS: OnceLock<ClauseWords> = OnceLock::new();
        WORDS.get_or_init(|| {
            ClauseWords::from_toml(include_str!("../../../knowledge/clauses.toml"))
                .expect("the embedded clauses.toml is valid (a test checks it)")
        })
    }

    /// The role and length (in words) of the phrase starting at `words[i]`, if any.
    fn role_at(&self, words: &[&str], i: usize) -> Option<(Role, usize)> {
        let entries = self.phrases.get(words[i])?;
        entries.iter().find_map(|(rest, role)| {
            let after = words.get(i + 1..i + 1 + rest.len())?;
            (after.iter().zip(rest).all(|(a, b)| a == b)).then_some((*role, rest.len() + 1))
        })
    }
}

/// What ends a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundaryKind {
    /// A comma: it may continue a list.
    Comma,
    /// A dash, colon, semicolon, bracket or a word such as "but": a new clause.
    Strong,
    /// The end of a sentence (. ! ? or a line break).
    Sentence,
    /// A word that ends only the reach of a denial, hedge or condition ("just", "also").
    ScopeStop,
}

/// A clause boundary at char offset `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Boundary {
    pub at: usize,
    pub kind: BoundaryKind,
}

/// A word of the text: char span and normalised form (a range of [`Clauses::buffer`]).
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    norm: (u32, u32),
}

/// How far a modifier (a denial, a hedge, a condition) reaches a finding after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Same clause, or a list that continues it.
    Reaches,
    /// A new statement stands between them.
    Stopped,
    /// A bare comma list: it may or may not continue.
    Ambiguous,
}

/// The clauses of one text.
#[derive(Debug, Clone)]
pub struct Clauses {
    boundaries: Vec<Boundary>,
    /// Char offsets of colons ("Fever: none" answers a form's question).
    colons: Vec<usize>,
    words: Vec<Word>,
    buffer: String,
    /// The role of each word, for the first word of a phrase with its length.
    roles: Vec<Option<(Role, usize)>>,
    /// Whether each word denies (`[double_negation] negations`).
    denials: Vec<bool>,
}

impl Clauses {
    /// Splits `text` by `rules`.
    pub fn new(text: &str, rules: &ClauseWords) -> Clauses {
        let mut boundaries = Vec::new();
        let mut colons = Vec::new();
        let mut words = Vec::with_capacity(text.len() / 5 + 1);
        let mut buffer = String::with_capacity(text.len());
        // (char offset, char) of every char, read one ahead; a word is the run of letters and
        // digits (with apostrophes inside it).
        let mut chars = text.chars().enumerate().peekable();
        let mut previous: Option<char> = None;
        let mut word_start: Option<(usize, u32)> = None;
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            if c.is_alphanumeric() {
                if word_start.is_none() {
                    word_start = Some((i, buffer.len() as u32));
                }
                if c.is_ascii() {
                    buffer.push(c.to_ascii_lowercase());
                } else {
                    buffer.extend(c.to_lowercase());
                }
                if !next.is_some_and(|n| n.is_alphanumeric() || matches!(n, '\'' | '\u{2019}')) {
                    let (start, from) = word_start.take().expect("a word started");
                    words.push(Word {
                        start,
                        end: i + 1,
                        norm: (from, buffer.len() as u32),
                    });
                }
                previous = Some(c);
                continue;
            }
            if word_start.is_some() {
                // An apostrophe inside a word ("can't"): the word goes on if a letter follows.
                if next.is_some_and(char::is_alphanumeric) {
                    previous = Some(c);
                    continue;
                }
                let (start, from) = word_start.take().expect("a word started");
                words.push(Word {
                    start,
                    end: i,
                    norm: (from, buffer.len() as u32),
                });
            }
            // A space between words (most of what is not a word) marks nothing.
            if c == ' ' {
                previous = Some(c);
                continue;
            }
            let between_digits = previous.is_some_and(|p| p.is_ascii_digit())
                && next.is_some_and(|n| n.is_ascii_digit());
            let spaced =
                previous.is_none_or(char::is_whitespace) && next.is_none_or(char::is_whitespace);
            if c == ':' {
                colons.push(i);
            }
            let kind = match c {
                '\n' | '\r' => Some(BoundaryKind::Sentence),
                '.' | '!' | '?' if next.is_none_or(char::is_whitespace) && !between_digits => {
                    Some(BoundaryKind::Sentence)
                }
                ',' if !between_digits => Some(BoundaryKind::Comma),
                _ => rules
                    .marks
                    .iter()
                    .any(|m| m.mark == c && !between_digits && (!m.spaced || (i > 0 && spaced)))
                    .then_some(BoundaryKind::Strong),
            };
            if let Some(kind) = kind {
                boundaries.push(Boundary { at: i, kind });
            }
            previous = Some(c);
        }
        let norms: Vec<&str> = words
            .iter()
            .map(|w| &buffer[w.norm.0 as usize..w.norm.1 as usize])
            .collect();
        let mut roles = vec![None; words.len()];
        for (i, role) in roles.iter_mut().enumerate() {
            *role = rules.role_at(&norms, i);
        }
        for (word, role) in words.iter().zip(&roles) {
            match role {
                Some((Role::Break, _)) => boundaries.push(Boundary {
                    at: word.start,
                    kind: BoundaryKind::Strong,
                }),
                Some((Role::ScopeStop, _)) => boundaries.push(Boundary {
                    at: word.start,
                    kind: BoundaryKind::ScopeStop,
                }),
                _ => {}
            }
        }
        boundaries.sort_by_key(|b| b.at);
        let denials = norms.iter().map(|w| rules.negations.contains(*w)).collect();
        Clauses {
            denials,
            boundaries,
            colons,
            words,
            buffer,
            roles,
        }
    }

    /// The boundaries strictly inside `[from, to)`.
    fn boundaries_between(&self, from: usize, to: usize) -> &[Boundary] {
        let lo = self.boundaries.partition_point(|b| b.at < from);
        let hi = self.boundaries.partition_point(|b| b.at < to);
        &self.boundaries[lo..hi.max(lo)]
    }

    /// True when a clause boundary (not a mere scope stop) lies between chars `from` and `to`.
    pub fn split_between(&self, from: usize, to: usize) -> bool {
        self.boundaries_between(from, to)
            .iter()
            .any(|b| b.kind != BoundaryKind::ScopeStop)
    }

    /// True when a new statement begins between chars `from` and `to`: a clause boundary
    /// other than a comma, or a comma followed by a word that begins a clause of its own
    /// ("no fever, I have…"). A comma before a describing phrase ("little watery spots,
    /// angry red, running from my spine") continues the clause: a frame's site and sensation
    /// may stand on either side of it.
    pub fn statement_between(&self, from: usize, to: usize) -> bool {
        self.boundaries_between(from, to)
            .iter()
            .any(|b| match b.kind {
                BoundaryKind::ScopeStop => false,
                BoundaryKind::Comma => {
                    let next = self.word_at(b.at + 1);
                    next >= self.words.len()
                        || matches!(
                            self.role(next),
                            Some(Role::NewClause | Role::Break | Role::Joiner)
                        )
                }
                _ => true,
            })
    }

    /// True when a new statement starts between chars `from` and `to` for a time said before
    /// a finding: a strong boundary, or a list word followed by a subject ("in the spring
    /// and I'm halfway through chemo now"). Commas do not end it: "years ago, when I was
    /// pregnant, I had tingling" dates the tingling.
    pub fn new_statement_for_time(&self, from: usize, to: usize, rules: &ClauseWords) -> bool {
        if self
            .boundaries_between(from, to)
            .iter()
            .any(|b| !matches!(b.kind, BoundaryKind::Comma | BoundaryKind::ScopeStop))
        {
            return true;
        }
        let (lo, hi) = (self.word_at(from), self.word_at(to));
        (lo..hi).any(|i| {
            self.role(i) == Some(Role::Joiner)
                && (i + 1..hi.min(i + 3)).any(|j| rules.subjects.contains(self.norm(j)))
        })
    }

    /// The char bounds of the clause holding `[start, end)`: from the boundary before it to
    /// the boundary after it (scope stops do not count).
    pub fn clause_bounds(&self, start: usize, end: usize) -> (usize, usize) {
        self.bounds(start, end, |b| b.kind != BoundaryKind::ScopeStop)
    }

    /// The char bounds of the comma-joined clauses around `[start, end)`: up to the nearest
    /// strong boundary or sentence end ("when I stretch, my chest feels tight").
    pub fn chain_bounds(&self, start: usize, end: usize) -> (usize, usize) {
        self.bounds(start, end, |b| {
            matches!(b.kind, BoundaryKind::Strong | BoundaryKind::Sentence)
        })
    }

    /// From the last boundary before `start` that `ends` accepts to the first after `end`.
    fn bounds(&self, start: usize, end: usize, ends: impl Fn(&Boundary) -> bool) -> (usize, usize) {
        let from = self.boundaries[..self.boundaries.partition_point(|b| b.at < start)]
            .iter()
            .rev()
            .find(|b| ends(b))
            .map_or(0, |b| b.at + 1);
        let to = self.boundaries[self.boundaries.partition_point(|b| b.at < end)..]
            .iter()
            .find(|b| ends(b))
            .map_or(usize::MAX, |b| b.at);
        (from, to)
    }

    /// True when the sentence holding char `at` asks something: one of its first words is a
    /// question word ("could it be…?", "is that connected??"), and it does not open with a
    /// question that takes its content as given ("is it normal that…", "why does my…"). A
    /// question mark after a statement ("my legs feel numb??") is emphasis, not doubt.
    pub fn is_question(&self, at: usize, rules: &ClauseWords) -> bool {
        let first = self.sentence_first_word(at);
        self.presupposing_opener(at, rules).is_none()
            && (first..self.words.len().min(first + 4))
                .take_while(|&i| self.words[i].start < at)
                .any(|i| rules.question_words.contains(self.norm(i)))
    }

    /// The char span of an opening, among the first words of the sentence holding char `at`,
    /// of a question that takes what follows as given ("is it normal that my legs are
    /// numb?"): its words hedge nothing.
    pub fn presupposing_opener(&self, at: usize, rules: &ClauseWords) -> Option<(usize, usize)> {
        let first = self.sentence_first_word(at);
        (first..self.words.len().min(first + 4)).find_map(|start| {
            rules.presupposing.iter().find_map(|phrase| {
                let end = start + phrase.len();
                (end <= self.words.len()
                    && phrase
                        .iter()
                        .enumerate()
                        .all(|(k, w)| self.norm(start + k) == w))
                .then(|| (self.words[start].start, self.words[end - 1].end))
            })
        })
    }

    /// Index of the first word of the sentence holding char `at`.
    fn sentence_first_word(&self, at: usize) -> usize {
        let start = self.boundaries[..self.boundaries.partition_point(|b| b.at < at)]
            .iter()
            .rev()
            .find(|b| b.kind == BoundaryKind::Sentence)
            .map_or(0, |b| b.at + 1);
        self.word_at(start)
    }

    /// The normalised words (lower case, no apostrophes) inside chars `[from, to)`.
    pub fn words_in(&self, from: usize, to: usize) -> impl Iterator<Item = &str> {
        let lo = self.word_at(from);
        self.words[lo..]
            .iter()
            .take_while(move |w| w.end <= to)
            .map(|w| &self.buffer[w.norm.0 as usize..w.norm.1 as usize])
    }

    /// Index of the first word starting at or after char `at`.
    fn word_at(&self, at: usize) -> usize {
        self.words.partition_point(|w| w.start < at)
    }

    fn role(&self, i: usize) -> Option<Role> {
        self.roles[i].map(|(r, _)| r)
    }

    /// How far a forward modifier ending at char `trigger_end` reaches a finding at
    /// `[target_start, target_end)`. `findings` holds the char spans of every finding phrase
    /// of the text: their words are list items, not new statements.
    pub fn reach(
        &self,
        trigger_end: usize,
        target_start: usize,
        target_end: usize,
        findings: &[(usize, usize)],
        for_denial: bool,
    ) -> Reach {
        let mut crossed = self.boundaries_between(trigger_end, target_start);
        // A denial that heads a list after a colon ("what I don't have: chest pain, fever",
        // "I haven't got: …") reaches the whole list: the colon says a list follows.
        let mut heading = false;
        if let Some((first, rest)) = crossed.split_first() {
            heading = for_denial
                && first.kind == BoundaryKind::Strong
                && self.colons.binary_search(&first.at).is_ok()
                // At most a few words between ("I haven't got any of these:").
                && self.word_at(first.at) - self.word_at(trigger_end) <= 4;
            if heading {
                crossed = rest;
            }
        }
        if crossed.iter().any(|b| b.kind != BoundaryKind::Comma) {
            return Reach::Stopped;
        }
        let in_finding = |w: &Word| findings.iter().any(|&(s, e)| w.start >= s && w.end <= e);
        // Words between the modifier and the finding after the first comma or list word: a
        // new statement there ends the reach.
        let first_comma = crossed.first().map(|b| b.at);
        let mut listed = false;
        let mut explicit = false;
        let mut content = false;
        let (lo, hi) = (self.word_at(trigger_end), self.word_at(target_start));
        let mut i = lo;
        while i < hi {
            let word = &self.words[i];
            let span = self.roles[i].map_or(1, |(_, n)| n);
            let after_comma = first_comma.is_some_and(|c| word.start > c);
            match self.role(i) {
                Some(Role::Joiner) => {
                    listed = true;
                    explicit |= matches!(self.norm(i), "or" | "nor");
                }
                Some(Role::NewClause) if (after_comma || listed) && !in_finding(word) => {
                    return Reach::Stopped;
                }
                // A new denial after a comma ("not sure if relevant, no fever") is a
                // statement of its own for a hedge or a condition.
                Some(Role::Filler) if !for_denial && after_comma && self.denials[i] => {
                    return Reach::Stopped;
                }
                Some(Role::Filler) | Some(Role::DoubleNegation) => {}
                _ if in_finding(word) => {}
                // "no fever, severe chest pain": a word of its own after the comma. (Words
                // of one noun phrase, "no arm or leg weakness", are not.)
                _ if after_comma => content = true,
                _ => {}
            }
            i += span.max(1);
        }
        // No comma crossed: one clause, or a list joined by words alone ("no numbness or
        // tingling anywhere"); a new statement after a list word was caught above.
        if first_comma.is_none() {
            return Reach::Reaches;
        }
        // After the finding, to the end of its clause (and on through a comma list): a new
        // statement ("chest pain since this morning") means the finding is said, not denied.
        let mut i = self.word_at(target_end);
        let mut after_joiner = false;
        // A finding after "… or" ends the list itself.
        let mut list_closed = explicit && listed;
        let mut past_comma = false;
        let mut clause_end = self.boundaries.iter().find(|b| b.at >= target_end).copied();
        while i < self.words.len() {
            let word = &self.words[i];
            if let Some(b) = clause_end {
                if word.start > b.at {
                    if b.kind != BoundaryKind::Comma {
                        break;
                    }
                    clause_end = self.boundaries.iter().find(|n| n.at > b.at).copied();
                    past_comma = true;
                }
            }
            if past_comma {
                // Later items of the list only tell whether it is an explicit "… or …" list.
                match self.role(i) {
                    Some(Role::NewClause) => break,
                    Some(Role::Joiner) => explicit |= matches!(self.norm(i), "or" | "nor"),
                    _ => {}
                }
                i += self.roles[i].map_or(1, |(_, n)| n).max(1);
                continue;
            }
            let span = self.roles[i].map_or(1, |(_, n)| n);
            match self.role(i) {
                Some(Role::Joiner) => {
                    explicit |= matches!(self.norm(i), "or" | "nor");
                    after_joiner = true;
                }
                // The list closed with "… or <finding>": what follows speaks of the whole
                // list ("denied any fever, chills or weight loss when the nurse asked").
                Some(Role::NewClause) if list_closed && !in_finding(word) => break,
                Some(Role::NewClause) if !in_finding(word) => {
                    return if explicit {
                        Reach::Ambiguous
                    } else {
                        Reach::Stopped
                    };
                }
                Some(Role::Filler) => {}
                _ if in_finding(word) => list_closed |= explicit && after_joiner,
                _ if after_joiner => {}
                _ => content = true,
            }
            i += span.max(1);
        }
        if (explicit || heading) && !content {
            Reach::Reaches
        } else if explicit || content {
            Reach::Ambiguous
        } else {
            // A bare list: "no fever, chills, sweats".
            Reach::Ambiguous
        }
    }

    /// How far a backward modifier starting at char `trigger_start` ("… has gone", "… ruled
    /// out") reaches back to a finding ending at `target_end`: not across a strong boundary,
    /// nor across a new statement after a comma or list word ("osteoporosis, and my back has
    /// gone into spasm").
    pub fn reach_back(
        &self,
        target_end: usize,
        trigger_start: usize,
        findings: &[(usize, usize)],
        rules: &ClauseWords,
    ) -> Reach {
        let crossed = self.boundaries_between(target_end, trigger_start);
        // A form's answer ("Numbness/tingling: none") comes after a colon.
        if crossed.iter().any(|b| {
            b.kind == BoundaryKind::Sentence
                || (b.kind == BoundaryKind::Strong && self.colons.binary_search(&b.at).is_err())
        }) {
            return Reach::Stopped;
        }
        let in_finding = |w: &Word| findings.iter().any(|&(s, e)| w.start >= s && w.end <= e);
        let mut listed = !crossed.is_empty();
        let (lo, hi) = (self.word_at(target_end), self.word_at(trigger_start));
        for i in lo..hi {
            if self.role(i) == Some(Role::Joiner) {
                listed = true;
            } else if listed && rules.subjects.contains(self.norm(i)) && !in_finding(&self.words[i])
            {
                return Reach::Stopped;
            }
        }
        Reach::Reaches
    }

    /// True when the denial starting at char `negation_start` is itself denied before the
    /// finding at `target_start`: "not that I don't have a temperature", "can't say I haven't
    /// had chills".
    pub fn double_negated(
        &self,
        negation_start: usize,
        target_start: usize,
        rules: &ClauseWords,
    ) -> bool {
        let at = self.word_at(negation_start);
        let target = self.word_at(target_start);
        let max = rules.double_negation_max_words;
        (at.saturating_sub(max + 3)..=at.min(target)).any(|i| {
            let Some((Role::DoubleNegation, len)) = self.roles.get(i).copied().flatten() else {
                return false;
            };
            let after = i + len;
            (after..target.min(after + max + 1)).any(|j| rules.negations.contains(self.norm(j)))
                && !self.split_between(self.words[i].start, target_start)
        })
    }

    fn norm(&self, i: usize) -> &str {
        let (a, b) = self.words[i].norm;
        &self.buffer[a as usize..b as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reach(text: &str, trigger: &str, target: &str, findings: &[&str]) -> Reach {
        let clauses = Clauses::new(text, ClauseWords::embedded());
        let lower = text.to_lowercase();
        let t = lower.find(trigger).unwrap() + trigger.len();
        let s = lower.rfind(target).unwrap();
        let spans: Vec<(usize, usize)> = findings
            .iter()
            .filter_map(|f| lower.find(f).map(|s| (s, s + f.len())))
            .collect();
        clauses.reach(t, s, s + target.len(), &spans, true)
    }

    #[test]
    fn the_embedded_rules_are_valid() {
        let kb = KnowledgeBase::embedded();
        ClauseWords::embedded().check_sources(kb).unwrap();
    }

    #[test]
    fn a_denial_covers_its_clause_and_a_list_that_continues_it() {
        let f = ["fever", "chills", "sweats", "chest pain"];
        assert_eq!(
            reach("No fever, chills or sweats", "no", "sweats", &f),
            Reach::Reaches
        );
        assert_eq!(
            reach("No fever, chills or sweats", "no", "chills", &f),
            Reach::Reaches
        );
        assert_eq!(
            reach("no numbness in my arms", "no", "numbness", &f),
            Reach::Reaches
        );
        assert_eq!(
            reach(
                "No fever, chest pain since this morning",
                "no",
                "chest pain",
                &f
            ),
            Reach::Stopped
        );
        assert_eq!(
            reach("no fever - chest pain since noon", "no", "chest pain", &f),
            Reach::Stopped
        );
        assert_eq!(
            reach("no fever, I've got chest pain", "no", "chest pain", &f),
            Reach::Stopped
        );
        assert_eq!(
            reach("no fever and my chest pain is bad", "no", "chest pain", &f),
            Reach::Stopped
        );
        assert_eq!(
            reach("no fever, chest pain", "no", "chest pain", &f),
            Reach::Ambiguous
        );
        assert_eq!(
            reach("no fever but chest pain", "no", "chest pain", &f),
            Reach::Stopped
        );
    }

    #[test]
    fn double_negation_affirms() {
        let rules = ClauseWords::embedded();
        let text = "Not that I don't have a temperature";
        let clauses = Clauses::new(text, rules);
        let target = text.find("temperature").unwrap();
        assert!(clauses.double_negated(0, target, rules));
        assert!(clauses.double_negated(text.find("don't").unwrap(), target, rules));
        let text = "I don't have a temperature";
        let clauses = Clauses::new(text, rules);
        let target = text.find("temperature").unwrap();
        assert!(!clauses.double_negated(text.find("don't").unwrap(), target, rules));
        let text = "Not that bad, no temperature";
        let clauses = Clauses::new(text, rules);
        let target = text.find("temperature").unwrap();
        assert!(!clauses.double_negated(text.find("no").unwrap(), target, rules));
    }

    #[test]
    fn bad_entries_are_named() {
        let good = include_str!("../../../knowledge/clauses.toml");
        assert!(ClauseWords::from_toml(good).is_ok());
        let error = |content: String| ClauseWords::from_toml(&content).unwrap_err().to_string();
        assert!(
            error(good.replacen("source = \"expert\"", "source = \"\"", 1))
                .contains("[breaks] has an empty `source`")
        );
        assert!(error(good.replacen("\";\",", "\"ab\",", 1)).contains("one character"));
        assert!(error(good.replacen("max_words = 3", "max_words = 0", 1)).contains("max_words"));
    }
}
