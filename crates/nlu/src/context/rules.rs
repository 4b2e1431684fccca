//! Trigger rules: the reviewable data that drives the context engine.
//!
//! Rules live in `knowledge/context_rules.toml` so that a clinician or a linguist can read and change them
//! without touching Rust. This module parses and validates that file; it knows nothing about matching.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

use super::normalize::normalize_phrase;

/// What a trigger phrase does to the findings in its scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Marks findings as absent ("no", "denies", "without").
    Negation,
    /// Marks findings as uncertain ("might", "possible", "?"); uncertain findings are not negated.
    Uncertainty,
    /// Marks findings as belonging to the past ("history of", "last year", "used to").
    Historical,
    /// Marks findings as hypothetical or conditional ("if", "return if", "watch for").
    Hypothetical,
    /// Marks findings as experienced by someone other than the writer ("my father", "family history").
    Experiencer,
    /// A condition that is historical by its nature (a chronic disease, a habit): it marks a finding
    /// historical only when it occurs inside the finding's own words, never as a modifier of others.
    HistoryHint,
    /// Looks like a trigger but is not one ("no increase", "not only"); it masks the shorter trigger inside it.
    Pseudo,
    /// Ends the scope of other triggers ("but", "however", ";").
    Termination,
}

impl Category {
    /// Every category, in the order used by bit masks.
    pub const ALL: [Category; 8] = [
        Category::Negation,
        Category::Uncertainty,
        Category::Historical,
        Category::Hypothetical,
        Category::Experiencer,
        Category::HistoryHint,
        Category::Pseudo,
        Category::Termination,
    ];

    /// The name used for this category in the rules file.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Negation => "negation",
            Category::Uncertainty => "uncertainty",
            Category::Historical => "historical",
            Category::Hypothetical => "hypothetical",
            Category::Experiencer => "experiencer",
            Category::HistoryHint => "history_hint",
            Category::Pseudo => "pseudo",
            Category::Termination => "termination",
        }
    }

    /// Parses a category name as written in the rules file (a few synonyms are accepted so that
    /// rule authors coming from NegEx / medspaCy vocabulary are not tripped up).
    pub fn parse(name: &str) -> Option<Category> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "negation" | "negated" | "negated_existence" => Category::Negation,
            "uncertainty" | "possible" | "possible_existence" | "uncertain" => {
                Category::Uncertainty
            }
            "historical" | "history" => Category::Historical,
            "hypothetical" => Category::Hypothetical,
            "experiencer" | "experiencer_other" | "family" | "other" => Category::Experiencer,
            "history_hint" | "history_by_nature" => Category::HistoryHint,
            "pseudo" | "pseudo_trigger" | "not_a_trigger" => Category::Pseudo,
            "termination" | "terminate" | "terminator" => Category::Termination,
            _ => return None,
        })
    }

    /// True for the categories whose triggers modify findings within a scope.
    pub fn is_scoped_modifier(self) -> bool {
        matches!(
            self,
            Category::Negation
                | Category::Uncertainty
                | Category::Historical
                | Category::Hypothetical
                | Category::Experiencer
        )
    }

    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which side of a trigger its scope lies on.
///
/// For a termination term the direction says which scopes it cuts: `forward` cuts the forward scopes
/// of triggers before it, `backward` the backward scopes of triggers after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The trigger modifies findings after it ("no fever").
    Forward,
    /// The trigger modifies findings before it ("fever: none").
    Backward,
    /// Either side ("?").
    Bidirectional,
}

impl Direction {
    /// Parses a direction name as written in the rules file.
    pub fn parse(name: &str) -> Option<Direction> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "forward" => Direction::Forward,
            "backward" => Direction::Backward,
            "bidirectional" | "both" => Direction::Bidirectional,
            _ => return None,
        })
    }

    /// The name used for this direction in the rules file.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Forward => "forward",
            Direction::Backward => "backward",
            Direction::Bidirectional => "bidirectional",
        }
    }

    pub(crate) fn forward(self) -> bool {
        matches!(self, Direction::Forward | Direction::Bidirectional)
    }

    pub(crate) fn backward(self) -> bool {
        matches!(self, Direction::Backward | Direction::Bidirectional)
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One trigger phrase with everything the engine needs to apply it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriggerRule {
    /// The phrase as written in the rules file (matched case-insensitively, on word boundaries, with any
    /// run of white space matching any run of white space).
    pub phrase: String,
    /// What the phrase does.
    pub category: Category,
    /// Side of the scope (modifiers) or the scopes cut (termination); `Bidirectional` for pseudo triggers
    /// and history hints, where it has no meaning.
    pub direction: Direction,
    /// Largest number of words between the trigger and a finding it may still modify; `None` means the
    /// scope runs to the sentence end or the next terminator.
    pub max_scope: Option<u32>,
    /// For termination terms: the categories whose scopes this term ends (empty means all of them).
    pub applies_to: Vec<Category>,
    /// For modifiers: further categories the phrase marks besides `category` ("no history of" is
    /// negation and historical).
    pub also: Vec<Category>,
    /// Why the rule exists and where it comes from.
    pub comment: String,
    /// 1-based position of the `[[rule]]` entry in the rules file, for error messages and review.
    pub entry: usize,
}

/// A validated set of trigger rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextRules {
    rules: Vec<TriggerRule>,
}

/// What can be wrong with a rules file. Every variant names the offending `[[rule]]` entry.
#[derive(Debug, thiserror::Error)]
pub enum ContextRulesError {
    /// The text is not valid TOML or does not have the expected shape.
    #[error("context rules are not valid TOML: {0}")]
    Toml(#[from] toml::de::Error),
    /// A `category` value is not one of the known categories.
    #[error("rule entry {entry} ({phrase:?}): unknown category {category:?} (expected one of negation, uncertainty, historical, hypothetical, experiencer, history_hint, pseudo, termination)")]
    UnknownCategory {
        /// 1-based entry number.
        entry: usize,
        /// First phrase of the entry.
        phrase: String,
        /// The unknown value.
        category: String,
    },
    /// A `direction` value is not forward, backward or bidirectional.
    #[error("rule entry {entry} ({phrase:?}): unknown direction {direction:?} (expected forward, backward or bidirectional)")]
    UnknownDirection {
        /// 1-based entry number.
        entry: usize,
        /// First phrase of the entry.
        phrase: String,
        /// The unknown value.
        direction: String,
    },
    /// A scoped modifier has no direction.
    #[error("rule entry {entry} ({phrase:?}): category {category} needs a direction (forward, backward or bidirectional)")]
    MissingDirection {
        /// 1-based entry number.
        entry: usize,
        /// First phrase of the entry.
        phrase: String,
        /// The entry's category.
        category: Category,
    },
    /// A field was given that has no meaning for the entry's category.
    #[error("rule entry {entry} ({phrase:?}): field `{field}` is not used by category {category}")]
    FieldNotAllowed {
        /// 1-based entry number.
        entry: usize,
        /// First phrase of the entry.
        phrase: String,
        /// The entry's category.
        category: Category,
        /// The offending field.
        field: &'static str,
    },
    /// `applies_to` or `also` names something that is not a scoped modifier category.
    #[error("rule entry {entry} ({phrase:?}): {field} lists {value:?}, which is not one of negation, uncertainty, historical, hypothetical, experiencer")]
    BadCategoryList {
        /// 1-based entry number.
        entry: usize,
        /// First phrase of the entry.
        phrase: String,
        /// `applies_to` or `also`.
        field: &'static str,
        /// The offending value.
        value: String,
    },
    /// A phrase uses a `{placeholder}` other than `{year}`.
    #[error("rule entry {entry} ({phrase:?}): unknown placeholder (only {{year}} is supported)")]
    UnknownPlaceholder {
        /// 1-based entry number.
        entry: usize,
        /// The phrase.
        phrase: String,
    },
    /// The entry has neither `phrase` nor `phrases`, or both.
    #[error("rule entry {entry}: give exactly one of `phrase` or a non-empty `phrases` list")]
    NoPhrase {
        /// 1-based entry number.
        entry: usize,
    },
    /// A phrase is empty once white space is collapsed.
    #[error("rule entry {entry}: a phrase is empty")]
    EmptyPhrase {
        /// 1-based entry number.
        entry: usize,
    },
    /// `max_scope = 0` would make the trigger useless.
    #[error("rule entry {entry} ({phrase:?}): max_scope must be at least 1")]
    ZeroScope {
        /// 1-based entry number.
        entry: usize,
        /// First phrase of the entry.
        phrase: String,
    },
    /// The same phrase (after case folding and white-space collapsing) appears twice.
    #[error("duplicate phrase {phrase:?}: in rule entry {first_entry} and again in rule entry {second_entry}")]
    DuplicatePhrase {
        /// The phrase as written the second time.
        phrase: String,
        /// Entry of the first occurrence.
        first_entry: usize,
        /// Entry of the second occurrence.
        second_entry: usize,
    },
    /// The matcher could not be built from the phrases.
    #[error("cannot build the trigger matcher: {0}")]
    Matcher(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default, rename = "rule")]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    phrase: Option<String>,
    phrases: Option<Vec<String>>,
    category: String,
    direction: Option<String>,
    max_scope: Option<u32>,
    applies_to: Option<Vec<String>>,
    also: Option<Vec<String>>,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    source: String,
}

const EMBEDDED_TOML: &str = include_str!("../../../../knowledge/context_rules.toml");

impl ContextRules {
    /// Parses and validates a rules file in the `knowledge/context_rules.toml` format.
    pub fn from_toml(text: &str) -> Result<Self, ContextRulesError> {
        let raw: RawFile = toml::from_str(text)?;
        let mut rules = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (index, raw_rule) in raw.rules.into_iter().enumerate() {
            let entry = index + 1;
            let phrases: Vec<String> = match (raw_rule.phrase, raw_rule.phrases) {
                (Some(p), None) => vec![p],
                (None, Some(ps)) if !ps.is_empty() => ps,
                _ => return Err(ContextRulesError::NoPhrase { entry }),
            };
            let first = phrases.first().cloned().unwrap_or_default();
            let category = Category::parse(&raw_rule.category).ok_or_else(|| {
                ContextRulesError::UnknownCategory {
                    entry,
                    phrase: first.clone(),
                    category: raw_rule.category.clone(),
                }
            })?;
            let direction = match &raw_rule.direction {
                Some(d) => {
                    if matches!(category, Category::Pseudo | Category::HistoryHint) {
                        return Err(ContextRulesError::FieldNotAllowed {
                            entry,
                            phrase: first,
                            category,
                            field: "direction",
                        });
                    }
                    Direction::parse(d).ok_or_else(|| ContextRulesError::UnknownDirection {
                        entry,
                        phrase: first.clone(),
                        direction: d.clone(),
                    })?
                }
                None if category.is_scoped_modifier() => {
                    return Err(ContextRulesError::MissingDirection {
                        entry,
                        phrase: first,
                        category,
                    })
                }
                None => Direction::Bidirectional,
            };
            if raw_rule.max_scope.is_some() && !category.is_scoped_modifier() {
                return Err(ContextRulesError::FieldNotAllowed {
                    entry,
                    phrase: first,
                    category,
                    field: "max_scope",
                });
            }
            if raw_rule.max_scope == Some(0) {
                return Err(ContextRulesError::ZeroScope {
                    entry,
                    phrase: first,
                });
            }
            let applies_to = match raw_rule.applies_to {
                None => Vec::new(),
                Some(_) if category != Category::Termination => {
                    return Err(ContextRulesError::FieldNotAllowed {
                        entry,
                        phrase: first,
                        category,
                        field: "applies_to",
                    })
                }
                Some(list) => modifier_list(list, entry, &first, "applies_to")?,
            };
            let also = match raw_rule.also {
                None => Vec::new(),
                Some(_) if !category.is_scoped_modifier() => {
                    return Err(ContextRulesError::FieldNotAllowed {
                        entry,
                        phrase: first,
                        category,
                        field: "also",
                    })
                }
                Some(list) => modifier_list(list, entry, &first, "also")?,
            };
            let comment = match (raw_rule.comment.trim(), raw_rule.source.trim()) {
                (c, "") => c.to_string(),
                ("", s) => format!("source: {s}"),
                (c, s) => format!("{c} (source: {s})"),
            };
            for written in phrases {
                for phrase in expand_placeholders(&written, entry)? {
                    let key = normalize_phrase(&phrase);
                    if key.is_empty() {
                        return Err(ContextRulesError::EmptyPhrase { entry });
                    }
                    if let Some(&first_entry) = seen.get(&key) {
                        return Err(ContextRulesError::DuplicatePhrase {
                            phrase,
                            first_entry,
                            second_entry: entry,
                        });
                    }
                    seen.insert(key, entry);
                    rules.push(TriggerRule {
                        phrase,
                        category,
                        direction,
                        max_scope: raw_rule.max_scope,
                        applies_to: applies_to.clone(),
                        also: also.clone(),
                        comment: comment.clone(),
                        entry,
                    });
                }
            }
        }
        Ok(ContextRules { rules })
    }

    /// The rules shipped in `knowledge/context_rules.toml`, parsed once per process.
    pub fn embedded() -> &'static ContextRules {
        static RULES: OnceLock<ContextRules> = OnceLock::new();
        RULES.get_or_init(|| {
            // The embedded file is a compile-time constant checked by the unit tests, so a failure here
            // is a build defect, not bad input.
            ContextRules::from_toml(EMBEDDED_TOML)
                .unwrap_or_else(|e| panic!("embedded knowledge/context_rules.toml is invalid: {e}"))
        })
    }

    /// The rules, one per phrase, in file order.
    pub fn rules(&self) -> &[TriggerRule] {
        &self.rules
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when there are no phrases at all.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// Parses a list of scoped modifier category names (`applies_to`, `also`).
fn modifier_list(
    list: Vec<String>,
    entry: usize,
    phrase: &str,
    field: &'static str,
) -> Result<Vec<Category>, ContextRulesError> {
    list.into_iter()
        .map(|value| match Category::parse(&value) {
            Some(c) if c.is_scoped_modifier() => Ok(c),
            _ => Err(ContextRulesError::BadCategoryList {
                entry,
                phrase: phrase.to_string(),
                field,
                value,
            }),
        })
        .collect()
}

/// First and last year that `{year}` stands for.
const YEARS: std::ops::RangeInclusive<u32> = 1900..=2099;

/// Expands the `{year}` placeholder; any other `{...}` is an error so that typos do not silently become
/// literal braces.
fn expand_placeholders(phrase: &str, entry: usize) -> Result<Vec<String>, ContextRulesError> {
    if !phrase.contains('{') && !phrase.contains('}') {
        return Ok(vec![phrase.to_string()]);
    }
    let rest = phrase.replace("{year}", "");
    if rest.contains('{') || rest.contains('}') {
        return Err(ContextRulesError::UnknownPlaceholder {
            entry,
            phrase: phrase.to_string(),
        });
    }
    Ok(YEARS
        .map(|year| phrase.replace("{year}", &year.to_string()))
        .collect())
}
