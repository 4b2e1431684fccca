//! The reader's everyday words as data (`knowledge/reader_words.toml`): what a severity word
//! scores, how many hours "desk job" means, which relatives name a sex, which phrases deny
//! something "now". Validated when loaded; the embedded file is checked by a test and by
//! `upperback kb check`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use upperback_core::{cited_source_keys, KnowledgeBase};

/// A problem in `reader_words.toml`, naming the entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReaderWordsError {
    #[error("reader_words.toml: {0}")]
    Syntax(String),
    #[error("reader_words.toml: [{section}] {message}")]
    Entry {
        section: &'static str,
        message: String,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    severity: SeverityRaw,
    sitting: SittingRaw,
    relatives: RelativesRaw,
    none_now: NoneNowRaw,
    form_answers: FormAnswersRaw,
    episode: EpisodeRaw,
    temperature: TemperatureRaw,
    leaning_yes: NoneNowRaw,
    became: NoneNowRaw,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct EpisodeRaw {
    source: String,
    words: Vec<String>,
    other_events: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemperatureRaw {
    source: String,
    fever_celsius: f64,
    fever_fahrenheit: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormAnswersRaw {
    source: String,
    no: Vec<String>,
    yes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeverityRaw {
    source: String,
    scores: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SittingRaw {
    source: String,
    desk_job_hours: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelativesRaw {
    source: String,
    female: Vec<String>,
    male: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoneNowRaw {
    source: String,
    phrases: Vec<String>,
}

/// The validated words.
#[derive(Debug, Clone)]
pub struct ReaderWords {
    severity_scores: BTreeMap<String, f64>,
    desk_job_hours: f64,
    relatives: BTreeMap<String, &'static str>,
    none_now_phrases: Vec<String>,
    form_answers_no: std::collections::BTreeSet<String>,
    form_answers_yes: std::collections::BTreeSet<String>,
    episode_words: std::collections::BTreeSet<String>,
    other_event_words: std::collections::BTreeSet<String>,
    fever_celsius: f64,
    fever_fahrenheit: f64,
    leaning_yes: std::collections::BTreeSet<String>,
    became: std::collections::BTreeSet<String>,
    /// Each section's `source`, checked against the knowledge base by [`ReaderWords::check_sources`].
    sources: Vec<(&'static str, String)>,
}

/// Lower case, apostrophes dropped, white space collapsed.
fn normal_phrase(phrase: &str) -> String {
    phrase
        .split_whitespace()
        .map(|w| w.replace(['\'', '\u{2019}'], "").to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

impl ReaderWords {
    /// Parses and validates a `reader_words.toml`: scores within 0–10, hours within 0–24,
    /// no empty lists or phrases, a relative not both female and male, every section with a
    /// source.
    pub fn from_toml(content: &str) -> Result<ReaderWords, ReaderWordsError> {
        let raw: RawFile =
            toml::from_str(content).map_err(|e| ReaderWordsError::Syntax(e.to_string()))?;
        let entry =
            |section: &'static str, message: String| ReaderWordsError::Entry { section, message };
        let sources = vec![
            ("severity", raw.severity.source),
            ("sitting", raw.sitting.source),
            ("relatives", raw.relatives.source),
            ("none_now", raw.none_now.source),
            ("form_answers", raw.form_answers.source),
            ("episode", raw.episode.source),
            ("temperature", raw.temperature.source),
            ("leaning_yes", raw.leaning_yes.source.clone()),
            ("became", raw.became.source.clone()),
        ];
        // Which keys exist is known only with the knowledge base (`check_sources`); an
        // empty field, or one of only `;`, is wrong whatever it holds.
        for (section, source) in &sources {
            if cited_source_keys(source).next().is_none() {
                return Err(entry(section, "has an empty `source`".into()));
            }
        }
        let mut severity_scores = BTreeMap::new();
        for (word, score) in raw.severity.scores {
            if !(0.0..=10.0).contains(&score) {
                return Err(entry(
                    "severity",
                    format!("`{word}` scores {score}; scores are from 0 to 10"),
                ));
            }
            severity_scores.insert(word.to_lowercase(), score);
        }
        if severity_scores.is_empty() {
            return Err(entry("severity", "has no scores".into()));
        }
        let hours = raw.sitting.desk_job_hours;
        if !(0.0..=24.0).contains(&hours) {
            return Err(entry(
                "sitting",
                format!("desk_job_hours is {hours}; hours in a day are from 0 to 24"),
            ));
        }
        let mut relatives = BTreeMap::new();
        for (sex, words) in [
            ("female", raw.relatives.female),
            ("male", raw.relatives.male),
        ] {
            for word in words {
                let word = word.trim().to_lowercase();
                if word.is_empty() {
                    return Err(entry("relatives", format!("an empty word in `{sex}`")));
                }
                if let Some(other) = relatives.insert(word.clone(), sex) {
                    if other != sex {
                        return Err(entry(
                            "relatives",
                            format!("`{word}` is both {other} and {sex}"),
                        ));
                    }
                }
            }
        }
        let none_now_phrases: Vec<String> = raw
            .none_now
            .phrases
            .iter()
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        if none_now_phrases.is_empty() || none_now_phrases.iter().any(String::is_empty) {
            return Err(entry(
                "none_now",
                "needs phrases, none of them empty".into(),
            ));
        }
        let answers = |list: &[String]| -> std::collections::BTreeSet<String> {
            list.iter().map(|w| w.trim().to_lowercase()).collect()
        };
        let (form_answers_no, form_answers_yes) = (
            answers(&raw.form_answers.no),
            answers(&raw.form_answers.yes),
        );
        for (name, list) in [("no", &form_answers_no), ("yes", &form_answers_yes)] {
            if list.is_empty()
                || list
                    .iter()
                    .any(|w| w.is_empty() || !w.chars().all(|c| c.is_alphabetic() || c == ' '))
            {
                return Err(entry(
                    "form_answers",
                    format!("`{name}` needs answers of letters and spaces only"),
                ));
            }
        }
        if let Some(both) = form_answers_no.intersection(&form_answers_yes).next() {
            return Err(entry(
                "form_answers",
                format!("{both:?} is both a yes and a no"),
            ));
        }
        let single_words = |field: &str, words: &[String]| {
            let set: std::collections::BTreeSet<String> = words
                .iter()
                .map(|w| w.trim().to_lowercase().replace('\'', ""))
                .collect();
            if set.is_empty()
                || set
                    .iter()
                    .any(|w| w.is_empty() || !w.chars().all(char::is_alphabetic))
            {
                return Err(entry(
                    "episode",
                    format!("`{field}` needs single words of letters only"),
                ));
            }
            Ok(set)
        };
        let episode_words = single_words("words", &raw.episode.words)?;
        let other_event_words = single_words("other_events", &raw.episode.other_events)?;
        if let Some(both) = episode_words.intersection(&other_event_words).next() {
            return Err(entry(
                "episode",
                format!("`{both}` is in both `words` and `other_events`"),
            ));
        }
        let (celsius, fahrenheit) = (
            raw.temperature.fever_celsius,
            raw.temperature.fever_fahrenheit,
        );
        if !(35.0..=45.0).contains(&celsius) || !(95.0..=113.0).contains(&fahrenheit) {
            return Err(entry(
                "temperature",
                format!("fever_celsius {celsius} must be 35–45 and fever_fahrenheit {fahrenheit} 95–113"),
            ));
        }
        let leaning_yes: std::collections::BTreeSet<String> = raw
            .leaning_yes
            .phrases
            .iter()
            .map(|p| normal_phrase(p))
            .collect();
        if leaning_yes.is_empty() || leaning_yes.iter().any(String::is_empty) {
            return Err(entry(
                "leaning_yes",
                "needs phrases, none of them empty".into(),
            ));
        }
        let became: std::collections::BTreeSet<String> = raw
            .became
            .phrases
            .iter()
            .map(|p| normal_phrase(p))
            .collect();
        if became.is_empty() || became.iter().any(|w| w.is_empty() || w.contains(' ')) {
            return Err(entry(
                "became",
                "needs single words, none of them empty".into(),
            ));
        }
        Ok(ReaderWords {
            became,
            leaning_yes,
            episode_words,
            other_event_words,
            fever_celsius: celsius,
            fever_fahrenheit: fahrenheit,
            form_answers_no,
            form_answers_yes,
            severity_scores,
            desk_job_hours: hours,
            relatives,
            none_now_phrases,
            sources,
        })
    }

    /// Checks that every section cites keys of the knowledge base's `sources.toml`, as every
    /// other knowledge file does.
    pub fn check_sources(&self, kb: &KnowledgeBase) -> Result<(), ReaderWordsError> {
        for (section, source) in &self.sources {
            if let Some(message) = kb.source_problems(source).into_iter().next() {
                return Err(ReaderWordsError::Entry { section, message });
            }
        }
        Ok(())
    }

    /// The words compiled into the program.
    pub fn embedded() -> &'static ReaderWords {
        static WORDS: OnceLock<ReaderWords> = OnceLock::new();
        WORDS.get_or_init(|| {
            ReaderWords::from_toml(include_str!("../../../knowledge/reader_words.toml"))
                .expect("the embedded reader_words.toml is valid (a test checks it)")
        })
    }

    /// The score of a severity phrase, by its first word ("really bad" → `really`).
    pub fn severity_score(&self, phrase: &str) -> Option<f64> {
        let first = phrase.split_whitespace().next()?.to_lowercase();
        self.severity_scores.get(&first).copied()
    }

    /// Hours of sitting a day that "desk job" stands for.
    pub fn desk_job_hours(&self) -> f64 {
        self.desk_job_hours
    }

    /// `female` or `male` for a relative's word ("mom" → `female`).
    pub fn sex_of_relative(&self, word: &str) -> Option<&'static str> {
        self.relatives.get(&word.to_lowercase()).copied()
    }

    /// True for a form answer that affirms ("numbness? A: **yes**, my left hand"); `answer`
    /// in lower case.
    pub fn is_form_yes(&self, answer: &str) -> bool {
        self.form_answers_yes.contains(answer)
    }

    /// True for a form answer that denies ("chills: **no**", "fever: **not really**");
    /// `answer` in lower case, its words separated by single spaces.
    pub fn is_form_no(&self, answer: &str) -> bool {
        self.form_answers_no.contains(answer)
    }

    /// True for a word that, right after "gone", says what something became ("my legs
    /// have gone *numb*"), so that the "gone" denies nothing.
    pub fn is_became(&self, word: &str) -> bool {
        self.became.contains(word)
    }

    /// True for a hedge that leans to yes ("I think", "probably"), as written in the text.
    pub fn leans_yes(&self, hedge: &str) -> bool {
        self.leaning_yes.contains(&normal_phrase(hedge))
    }

    /// True for a word that speaks of the current problem ("spasm", "it").
    pub fn is_episode_word(&self, word: &str) -> bool {
        self.episode_words.contains(word)
    }

    /// True for a word that speaks of another event ("injection", "gym").
    pub fn is_other_event_word(&self, word: &str) -> bool {
        self.other_event_words.contains(word)
    }

    /// Whether a measured temperature is a fever: `Some(true)` at or above the threshold,
    /// `Some(false)` below it, `None` for a number that is no body temperature.
    pub fn is_fever(&self, degrees: f64) -> Option<bool> {
        if (35.0..=45.0).contains(&degrees) {
            Some(degrees >= self.fever_celsius)
        } else if (95.0..=113.0).contains(&degrees) {
            Some(degrees >= self.fever_fahrenheit)
        } else {
            None
        }
    }

    /// A regular expression matching any "none now" phrase as whole words, case ignored.
    pub fn none_now_pattern(&self) -> String {
        let alternatives: Vec<String> = self
            .none_now_phrases
            .iter()
            .map(|p| {
                p.split(' ')
                    .map(regex::escape)
                    .collect::<Vec<_>>()
                    .join(r"\s+")
            })
            .collect();
        format!(r"(?i)\b(?:{})\b", alternatives.join("|"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_words_are_valid() {
        let words = ReaderWords::embedded();
        assert_eq!(words.severity_score("excruciating"), Some(9.0));
        assert_eq!(words.severity_score("Mild"), Some(3.0));
        assert_eq!(words.severity_score("really bad"), Some(7.0));
        assert_eq!(words.desk_job_hours(), 8.0);
        assert_eq!(words.sex_of_relative("mom"), Some("female"));
        assert_eq!(words.sex_of_relative("Husband"), Some("male"));
        assert_eq!(words.sex_of_relative("friend"), None);
        let none_now = regex::Regex::new(&words.none_now_pattern()).unwrap();
        assert!(none_now.is_match("a fever last year but none  now"));
        assert!(none_now.is_match("not any more"));
        assert!(!none_now.is_match("nonenow"));
        assert!(words.is_form_no("nil"));
        assert!(!words.is_form_no("yes"));
    }

    #[test]
    fn bad_entries_are_named() {
        let file = |severity: &str, hours: &str, female: &str| {
            format!(
                "[severity]\nsource = \"spec\"\n[severity.scores]\n{severity}\n\
                 [sitting]\nsource = \"spec\"\ndesk_job_hours = {hours}\n\
                 [relatives]\nsource = \"expert\"\nfemale = [{female}]\nmale = [\"dad\"]\n\
                 [none_now]\nsource = \"expert\"\nphrases = [\"none now\"]\n\
                 [form_answers]\nsource = \"expert\"\nno = [\"no\"]\nyes = [\"yes\"]\n\
                 [episode]\nsource = \"expert\"\nwords = [\"spasm\"]\nother_events = [\"gym\"]\n\
                 [temperature]\nsource = \"spec\"\nfever_celsius = 38.0\nfever_fahrenheit = 100.4\n\
                 [leaning_yes]\nsource = \"expert\"\nphrases = [\"i think\"]\n[became]\nsource = \"expert\"\nphrases = [\"numb\"]\n"
            )
        };
        assert!(ReaderWords::from_toml(&file("mild = 3", "8", "\"mom\"")).is_ok());
        let error = |content: String| ReaderWords::from_toml(&content).unwrap_err().to_string();
        assert!(error(file("mild = 11", "8", "\"mom\"")).contains("`mild` scores 11"));
        assert!(error(file("mild = 3", "25", "\"mom\"")).contains("desk_job_hours"));
        assert!(error(file("mild = 3", "8", "\"dad\"")).contains("both"));
        assert!(error(file("", "8", "\"mom\"")).contains("no scores"));
        assert!(error("[severity]".into()).starts_with("reader_words.toml:"));
        // A source of only separators cites nothing.
        let only_separators = file("mild = 3", "8", "\"mom\"").replacen("\"spec\"", "\" ; \"", 1);
        assert!(error(only_separators).contains("[severity] has an empty `source`"));
        // Keys are checked against the knowledge base's sources.toml.
        let kb = upperback_core::KnowledgeBase::embedded();
        let unknown = file("mild = 3", "8", "\"mom\"").replacen("\"spec\"", "\"spec; nope\"", 1);
        let words = ReaderWords::from_toml(&unknown).unwrap();
        let message = words.check_sources(kb).unwrap_err().to_string();
        assert!(
            message.contains("source `nope` is not a key of sources.toml"),
            "{message}"
        );
        assert!(ReaderWords::embedded().check_sources(kb).is_ok());
    }
}
