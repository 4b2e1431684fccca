//! Numbers and facts in a person's words: how long it has lasted, how bad it is, age, sex and
//! hours of sitting. Each value keeps the span it was read from.

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, FixedOffset, Weekday};
use regex::{Captures, Match, Regex, RegexSet, RegexSetBuilder};

/// A value read from text, with its char span.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueMention {
    pub value: f64,
    pub start: usize,
    pub end: usize,
}

/// A sex read from text.
#[derive(Debug, Clone, PartialEq)]
pub struct SexMention {
    pub sex: &'static str,
    pub start: usize,
    pub end: usize,
}

/// Every value found in a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values {
    /// Every duration expression; the episode's duration is the longest.
    pub durations: Vec<ValueMention>,
    pub severity: Option<ValueMention>,
    pub age: Option<ValueMention>,
    pub sex: Option<SexMention>,
    pub sitting_hours: Option<ValueMention>,
    /// Measured body temperatures, in degrees as written (Celsius or Fahrenheit).
    pub temperatures: Vec<ValueMention>,
}

const HOURS_PER_DAY: f64 = 24.0;

fn number_word(word: &str) -> Option<f64> {
    let n = match word {
        "zero" | "none" => 0.0,
        "a" | "an" | "one" | "single" => 1.0,
        "two" | "couple" | "a couple" | "a couple of" | "couple of" => 2.0,
        "three" | "few" | "a few" | "several" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" | "fourty" => 40.0,
        "forty-eight" | "forty eight" => 48.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "half" | "half a" | "half an" => 0.5,
        _ => return word.parse::<f64>().ok(),
    };
    Some(n)
}

fn unit_hours(unit: &str) -> Option<f64> {
    let unit = unit.trim_end_matches('s');
    Some(match unit {
        "h" | "hr" | "hour" => 1.0,
        "d" | "day" | "night" => HOURS_PER_DAY,
        "wk" | "week" => 7.0 * HOURS_PER_DAY,
        "fortnight" => 14.0 * HOURS_PER_DAY,
        "mo" | "month" => 30.0 * HOURS_PER_DAY,
        "yr" | "year" => 365.0 * HOURS_PER_DAY,
        _ => return None,
    })
}

const NUMBER: &str = r"(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty|forty|fifty|sixty|(?:a )?couple(?: of)?|(?:a )?few|several|half(?: an?)?)";

/// What starts an episode at an anchor ("since", "started on"). None of its words begins a
/// [`WHEN`].
const SINCE: &str = r"since\s+|from\s+|as\s+of\s+|(?:started|began|begun|came\s+on|happened|kicked\s+in)\s+(?:on\s+|over\s+)?";

/// An anchor in time: "yesterday", "this morning", "last Monday".
const WHEN: &str = r"yesterday|last\s+night|this\s+morning|this\s+afternoon|this\s+evening|tonight|today|the\s+day\s+before\s+yesterday|last\s+week|(?:last\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|the\s+weekend|last\s+weekend";

struct Patterns {
    /// The pattern of each [`Kind`], in its order.
    of_kind: [Regex; KINDS],
    /// Words that make a sentence about sitting (for the hours of [`Kind::Sitting`]).
    sitting_context: Regex,
    /// The [`WHEN`] that ends a match of [`Kind::Anchored`].
    when_at_end: Regex,
    /// Every pattern of `of_kind` in one set: one pass over the text tells which of them match
    /// anywhere in it. Most texts hold no age, no scale, no decade, and a search that finds
    /// nothing still reads the whole text; a pattern the set did not find is not searched.
    /// (One pass of the set costs about three searches; it replaced a hand-kept list of the
    /// words each pattern needs, which let through the patterns of any text with a digit.)
    any: RegexSet,
}

/// The value patterns.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// "for 3 days", "2 weeks now", "48 hours", "two hours ago" (not "10 hours a day").
    Counted,
    /// "for months", "for weeks".
    Vague,
    /// "since yesterday", "this morning", "last night", "since Monday".
    Anchored,
    SeverityScale,
    SeveritySpoken,
    SeverityWords,
    SeverityMildWords,
    Age,
    Decade,
    BracketAge,
    Sex,
    Sitting,
    DeskJob,
    /// "Day 1 … Day 4": a timeline of the episode.
    TimelineDay,
    /// Clinical shorthand: "5/7" (days), "2/52" (weeks), "3/12" (months).
    Shorthand,
    /// "temp 38.6", "running 101", "thermometer says 38".
    Temperature,
}

/// How many kinds of pattern there are.
const KINDS: usize = Kind::Temperature as usize + 1;

/// The pattern of each kind. ASCII word boundaries, digits and case folding (see
/// [`patterns`]).
fn source(kind: Kind) -> String {
    match kind {
        Kind::Counted => format!(
            r"(?i)\b(?P<n>{NUMBER})(?P<half1>\s+and\s+a\s+half)?(?:\s*(?:-|–|to|or)\s*(?P<n2>{NUMBER}))?[ -]?(?P<unit>hours?|hrs?|h|days?|nights?|weeks?|wks?|fortnights?|months?|mos?|years?|yrs?)\b(?P<half2>\s+and\s+a\s+half)?(?P<after>\s+(?:a|per|each|every|at a)\s+(?:day|week|time|night|morning|stretch)|\s+ago|\s+back|\s+off|[\s-]+old|\s+straight|\s+on\s+end|\s+at\s+a\s+time)?"
        ),
        Kind::Vague => r"(?i)\bfor\s+(?:many\s+|several\s+|a\s+few\s+)?(?P<unit>hours|days|weeks|months|years)\b".into(),
        Kind::Anchored => format!(r"(?i)\b(?P<since>{SINCE})?(?P<when>{WHEN})\b"),
        Kind::SeverityScale => r"(?i)\b(?:(?:10|\d(?:\.\d)?)\s*(?:-|–|to|or)\s*)?(?P<n>10|\d(?:\.\d)?|zero|one|two|three|four|five|six|seven|eight|nine|ten)\s*(?:/|out\s+of|of)\s*(?:10|ten)\b|\b(?P<m>10|\d)\s+on\s+(?:the\s+|a\s+)?pain\s+scale\b".into(),
        Kind::SeveritySpoken => r"(?i)\b(?:pain\s*(?:level|score|scale|rating)?\s*(?:is|was|at|of|=|:|-)?\s*(?:about\s+|around\s+|maybe\s+|like\s+|an?\s+)*|(?:like|about|around|maybe|roughly|at|it'?s|its|it\s+is|rate\s+it|rated\s+it|call\s+it|solid|easily)\s+(?:about\s+|around\s+|maybe\s+|like\s+)?an?\s+)(?P<n>10|\d)\b".into(),
        Kind::SeverityWords => r"(?i)\b(?P<w>excruciating|unbearable|agonizing|agonising|agony|worst\s+pain|crippling|debilitating|severe|moderate|mild)\b".into(),
        Kind::SeverityMildWords => r"(?i)\b(?:(?P<w>severe|terrible|horrible|awful|really\s+bad|very\s+bad|bad|moderate|mild|slight|minor|dull)\s+(?:\w+\s+)?(?:pain|ache|aching|spasms?|cramps?|discomfort|soreness|twinges?|stiffness|back\s*ache)|(?:it|pain|ache|spasms?|discomfort)\s*(?:'s|’s|s|is|was|feels|has\s+been|are)\s+(?:really\s+|very\s+|pretty\s+|quite\s+|so\s+|fairly\s+|just\s+)?(?P<v>severe|terrible|horrible|awful|bad|moderate|mild|slight|minor))\b|\b(?P<x>a\s+bit\s+sore|niggle)\b".into(),
        Kind::Age => r"(?i)\b(?:(?:i\s*'?\s*a?m|i\s+am|im|aged?|age:?)\s+(?P<a>\d{1,3})\b(?:\s*(?:years?|yrs?|y/?o|-year))?|(?P<b>\d{1,3})\s*-?\s*(?:years?|yrs?|yr)[\s-]*old\b|(?P<c>\d{1,3})\s*(?:yo|y/o|y\.o\.)\b|(?P<d>\d{1,3})\s*(?P<dsex>[mf])\b|(?:male|female|man|woman|m|f)\s*,?\s*(?P<e>\d{1,3})\b|(?:just\s+)?turned\s+(?P<f>\d{1,3})\b|(?P<g>\d{1,3})\s+and\s+an?\s+(?:woman|man|female|male|lady|guy|bloke)\b|(?P<h>\d{1,3})\s*,\s*(?:female|male|woman|man)\b|(?:have|has|having)\s+(?P<i>\d{2,3})\s+(?:years|yrs)\b)".into(),
        Kind::Decade => r"(?i)\bin\s+(?:my|his|her|their)\s+(?P<early>(?:early|mid|late)[\s-]+)?(?P<d>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|20s|30s|40s|50s|60s|70s|80s|90s)\b".into(),
        Kind::BracketAge => r"(?i)\b(?:mom|mum|mother|dad|father|husband|wife|partner|son|daughter|grandma|grandmother|grandpa|grandfather|friend|brother|sister|aunt|uncle|neighbou?r|patient)\s*(?:\(\s*(?P<a>\d{1,3})\s*\)|,\s*(?P<b>\d{1,3})\s*,)".into(),
        Kind::Sex => r"(?i)\b(?:(?:i\s*'?\s*a?m|i\s+am|as)\s+an?\s+(?:\d{1,3}[\s-]*(?:years?|yrs?)?[\s-]*(?:old)?\s+)?(?P<self>woman|female|girl|lady|man|male|guy|boy)|(?:i\s*'?\s*a?m|i\s+am)\s+(?P<bare>male|female)\b|\d{1,3}\s*[\s-]*(?:(?:years?|yrs?)[\s-]*old|yo|y/o|y\.o\.)\s+(?P<aged>woman|female|girl|lady|man|male|guy|boy)|(?P<listed>male|female|man|woman)\s*,\s*\d{1,3}|\b(?P<letter>[mf])\s*,\s*\d{1,3}\b|\d{1,3}\s*(?P<short>[mf])\b|\d{1,3}\s*,\s*(?P<comma>female|male|woman|man)\b|\d{1,3}\s+and\s+an?\s+(?P<and>woman|man|female|male|lady|guy|bloke)\b)".into(),
        Kind::Sitting => r"(?i)\b(?:\d{1,2}\s*(?:-|–|to)\s*)?(?P<n>\d{1,2}(?:\.\d)?|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*(?:-|\s)?(?:hours?|hrs?|h)\s*(?:a|per|each|every|/)?\s*(?:day|workday|shift)\b|\b(?P<m>\d{1,2})\s*-?\s*hour\s+(?:days|shifts|workdays)\b".into(),
        Kind::DeskJob => r"(?i)\b(?:desk\s+job|office\s+job|desk-bound|desk\s+bound|sit\s+all\s+day|sitting\s+all\s+day|at\s+a\s+desk\s+all\s+day)\b".into(),
        Kind::TimelineDay => r"(?i)\bday\s*(?P<n>[1-9]|[1-3][0-9])\b".into(),
        Kind::Shorthand => r"\b(?P<n>[1-9]|1[0-9])\s*/\s*(?P<unit>7|52|12)\b".into(),
        Kind::Temperature => r"(?i)(?:\b(?:temp(?:erature)?|thermometer|running|fever|reading|measured|spiking|spiked|temp\s+of|pyrexial|febrile)\b[\x00-\x09\x0B-\x20\x22-\x2D\x2F\x3A-\x3E\x40-\x7F]{0,30}?|\b(?:i\s*'?\s*m|im|i\s+am|hit|reached)\s+(?P<bare>))\b(?P<t>(?:3[5-9]|4[0-2])(?:\.\d)?|(?:9[5-9]|10[0-7])(?:\.\d)?)\s*(?:°\s*[cf]?|degrees?(?:\s*[cf]\b)?|[cf]\b)?".into(),
    }
}

/// Every [`Kind`], in order.
const ALL_KINDS: [Kind; KINDS] = [
    Kind::Counted,
    Kind::Vague,
    Kind::Anchored,
    Kind::SeverityScale,
    Kind::SeveritySpoken,
    Kind::SeverityWords,
    Kind::SeverityMildWords,
    Kind::Age,
    Kind::Decade,
    Kind::BracketAge,
    Kind::Sex,
    Kind::Sitting,
    Kind::DeskJob,
    Kind::TimelineDay,
    Kind::Shorthand,
    Kind::Temperature,
];

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        // ASCII word boundaries, digits and case folding: people's words about durations and
        // scores are ASCII, and Unicode-aware classes would make every search several times
        // slower. Non-ASCII letters still simply fail to match.
        let regex = |pattern: &str| {
            regex::RegexBuilder::new(pattern)
                .unicode(false)
                .build()
                .expect("built-in pattern is valid")
        };
        Patterns {
            of_kind: ALL_KINDS.map(|kind| regex(&source(kind))),
            sitting_context: regex(
                r"(?i)\b(?:sit|sits|sitting|sat|seated|desk|laptop|computer|screen|monitor|office|chair|gaming|typing|work|working|drive|driving|couch|sofa)\b",
            ),
            when_at_end: regex(&format!(r"(?i)\b(?:{WHEN})$")),
            any: RegexSetBuilder::new(ALL_KINDS.map(source))
                .unicode(false)
                .build()
                .expect("built-in patterns are valid"),
        }
    })
}

/// One text and the value patterns that match somewhere in it.
struct Search<'t> {
    patterns: &'static Patterns,
    text: &'t str,
    matching: [bool; KINDS],
}

impl<'t> Search<'t> {
    fn new(text: &'t str) -> Self {
        let patterns = patterns();
        let mut matching = [false; KINDS];
        patterns.any.matches_read_at(&mut matching, text, 0);
        Search {
            patterns,
            text,
            matching,
        }
    }

    /// The pattern of `kind` if it matches somewhere in the text.
    fn matching(&self, kind: Kind) -> Option<&'static Regex> {
        let patterns = self.patterns;
        self.matching[kind as usize].then(|| &patterns.of_kind[kind as usize])
    }

    fn captures_iter(&self, kind: Kind) -> impl Iterator<Item = Found<'t>> + 't {
        let text = self.text;
        self.matching(kind).into_iter().flat_map(move |regex| {
            regex
                .captures_iter(text)
                .map(move |caps| Found { caps, regex })
        })
    }

    fn captures(&self, kind: Kind) -> Option<Found<'t>> {
        let regex = self.matching(kind)?;
        let caps = regex.captures(self.text)?;
        Some(Found { caps, regex })
    }

    fn find_iter(&self, kind: Kind) -> impl Iterator<Item = Match<'t>> + 't {
        let text = self.text;
        self.matching(kind)
            .into_iter()
            .flat_map(move |regex| regex.find_iter(text))
    }

    fn find(&self, kind: Kind) -> Option<Match<'t>> {
        self.matching(kind)?.find(self.text)
    }
}

/// A match of a value pattern, with its groups.
struct Found<'t> {
    caps: Captures<'t>,
    regex: &'static Regex,
}

impl<'t> Found<'t> {
    /// The whole match.
    fn whole(&self) -> Match<'t> {
        self.caps.get(0).expect("group 0 is the whole match")
    }

    /// The group `name`, if it took part in the match. (`Captures::name` hashes the name on
    /// every call; a look along the pattern's few group names costs a fraction of that.)
    fn name(&self, name: &str) -> Option<Match<'t>> {
        let index = self.regex.capture_names().position(|n| n == Some(name))?;
        self.caps.get(index)
    }

    /// The text of the group `name`, which takes part in every match.
    fn text(&self, name: &str) -> &'t str {
        self.name(name)
            .expect("the group takes part in every match")
            .as_str()
    }
}

/// Converts between byte offsets and char offsets of a text. Most texts are ASCII, where the
/// two are the same and nothing is stored.
pub(crate) struct CharIndex {
    /// For each byte offset that starts a char (and the end), the char index; `None` for ASCII.
    char_at_byte: Option<Vec<u32>>,
    /// For each char index (and the end), its byte offset; `None` for ASCII.
    byte_at_char: Option<Vec<u32>>,
    /// Number of chars in the text.
    char_count: usize,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return CharIndex {
                char_at_byte: None,
                byte_at_char: None,
                char_count: text.len(),
            };
        }
        let mut char_at_byte = vec![0u32; text.len() + 1];
        let mut byte_at_char = Vec::with_capacity(text.len() + 1);
        for (byte, _) in text.char_indices() {
            char_at_byte[byte] = byte_at_char.len() as u32;
            byte_at_char.push(byte as u32);
        }
        let char_count = byte_at_char.len();
        char_at_byte[text.len()] = char_count as u32;
        byte_at_char.push(text.len() as u32);
        CharIndex {
            char_at_byte: Some(char_at_byte),
            byte_at_char: Some(byte_at_char),
            char_count,
        }
    }

    /// Char offsets of a byte range.
    pub fn chars(&self, start: usize, end: usize) -> (usize, usize) {
        match &self.char_at_byte {
            None => (start, end),
            Some(map) => (map[start] as usize, map[end] as usize),
        }
    }

    /// Char offset of a byte offset that starts a char (or is the end).
    pub fn char_offset(&self, byte: usize) -> usize {
        self.chars(byte, byte).0
    }

    /// Number of chars in the text.
    pub fn char_count(&self) -> usize {
        self.char_count
    }

    /// Byte offset of a char offset (at most the text's char count).
    pub fn byte(&self, char_offset: usize) -> usize {
        match &self.byte_at_char {
            None => char_offset,
            Some(map) => map[char_offset] as usize,
        }
    }

    /// The text between two char offsets, each cut to the end of the text.
    pub fn between<'t>(&self, text: &'t str, start: usize, end: usize) -> &'t str {
        let (start, end) = (start.min(self.char_count), end.min(self.char_count));
        &text[self.byte(start)..self.byte(end)]
    }
}

fn weekday_of(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// Words after a number that make it a count of something other than age or pain.
const UNITS: [&str; 30] = [
    "hour", "hr", "h ", "day", "week", "wk", "month", "year", "yr", "minute", "min", "am", "pm",
    "o'clock", "oclock", "%", "percent", "kg", "kilo", "lb", "pound", "stone", "foot", "feet",
    "ft", "inch", "cm", "mile", "km", "times",
];

/// The units an age may take ("54 years old"): of [`UNITS`], only these.
const AGE_UNITS: [&str; 2] = ["year", "yr"];

/// Words after a number that make it a pain score ("7/10", "7 out of 10").
const SCORE_WORDS: [&str; 4] = ["/10", "/ 10", "out of", "on the pain"];

/// A number followed by `rest` is not an age: a unit other than years, or the words of a
/// pain score, comes next.
fn not_an_age(rest: &str) -> bool {
    // "I'm 38.6": a temperature.
    let decimal = rest
        .strip_prefix('.')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
    decimal
        || (lowercase_starts_with(rest, &UNITS) && !lowercase_starts_with(rest, &AGE_UNITS))
        || lowercase_starts_with(rest, &SCORE_WORDS)
}

/// Words before a number of days or weeks that make it something other than this episode.
const NOT_AN_EPISODE: &[&str] = &[
    "expect",
    "expected",
    "expecting",
    "another",
    "take",
    "takes",
    "took",
    "once",
    "twice",
    "times",
    "time",
    "per",
    "every",
    "each",
    "in",
    "within",
    "next",
    "beers",
    "beer",
    "drinks",
    "drink",
    "pints",
    "glasses",
    "cups",
    "cigarettes",
];

/// `word` in lower case (as `to_lowercase`), copied only when it has an upper-case letter or
/// a non-ASCII char: the words the patterns capture are matched against lists of lower-case
/// words on every read, and most are lower case already.
pub(crate) fn lowercase(word: &str) -> Cow<'_, str> {
    if !word.is_ascii() {
        Cow::Owned(word.to_lowercase())
    } else if word.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(word.to_ascii_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

/// `text` in lower case starts with one of `words` (lower case, at most [`HEAD`] bytes). Only
/// the head of the text that the words can reach is lower-cased: a char never lower-cases to
/// fewer chars, so the first [`HEAD`] bytes of the whole text lower-cased come from its first
/// [`HEAD`] chars. An ASCII head, the common case, is lower-cased on the stack.
fn lowercase_starts_with(text: &str, words: &[&str]) -> bool {
    debug_assert!(words.iter().all(|w| w.len() <= HEAD));
    let bytes = &text.as_bytes()[..text.len().min(HEAD)];
    if bytes.is_ascii() {
        let mut head = [0u8; HEAD];
        let head = &mut head[..bytes.len()];
        head.copy_from_slice(bytes);
        head.make_ascii_lowercase();
        // (The first byte first: most words differ there.)
        return words
            .iter()
            .any(|w| head.first() == w.as_bytes().first() && head.starts_with(w.as_bytes()));
    }
    let head_end = text.char_indices().nth(HEAD).map_or(text.len(), |(i, _)| i);
    let head = text[..head_end].to_lowercase();
    words.iter().any(|w| head.starts_with(w))
}

/// The longest word [`lowercase_starts_with`] looks for, in bytes.
const HEAD: usize = 16;

/// The byte range in the text of the first run of ASCII digits in `found`.
fn first_digits(found: Match) -> Option<(usize, usize)> {
    let bytes = found.as_str().as_bytes();
    let start = bytes.iter().position(u8::is_ascii_digit)?;
    let digits = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    Some((found.start() + start, found.start() + start + digits))
}

/// Words that only round a number ("in about 2 weeks", "in ~6 months"): the word before
/// them is the one that says what the number is.
const APPROXIMATELY: &[&str] = &[
    "",
    "about",
    "around",
    "roughly",
    "approximately",
    "approx",
    "nearly",
    "almost",
    "some",
    "like",
    "just",
    "maybe",
    "over",
    "only",
];

/// Words that, after "N weeks back", make "back" the body part ("2 weeks back pain").
const BACK_NOUNS: [&str; 8] = [
    "pain", "ache", "spasm", "problem", "trouble", "issue", "muscle", "injur",
];

/// The word before byte `at` (lower case, punctuation trimmed, rounding words passed over)
/// is one of `words`.
fn previous_word_is(text: &str, at: usize, words: &[&str]) -> bool {
    text[..at]
        .split_whitespace()
        .rev()
        .map(|w| lowercase(w.trim_matches(|c: char| !c.is_alphanumeric())))
        .find(|w| !APPROXIMATELY.contains(&w.as_ref()))
        .is_some_and(|w| words.contains(&w.as_ref()))
}

/// Hours since an anchor such as "yesterday" or "Monday"; weekdays need `now`.
fn anchored_hours(when: &str, since: bool, now: Option<&DateTime<FixedOffset>>) -> Option<f64> {
    // Any white space between the words counts as one space; most anchors have one already.
    let single_spaced = when
        .split(' ')
        .all(|word| !word.is_empty() && !word.contains(char::is_whitespace));
    let when: Cow<str> = if single_spaced {
        Cow::Borrowed(when)
    } else {
        Cow::Owned(when.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    Some(match when.as_ref() {
        "yesterday" => HOURS_PER_DAY,
        "the day before yesterday" => 2.0 * HOURS_PER_DAY,
        "last night" => 12.0,
        "this morning" => 6.0,
        // "better today" says nothing of when it began; "since this afternoon" does.
        "today" if since => 6.0,
        "this afternoon" | "this evening" | "tonight" if since => 3.0,
        "today" | "this afternoon" | "this evening" | "tonight" => return None,
        "last week" => 7.0 * HOURS_PER_DAY,
        _ => {
            // A weekday or the weekend counts from that day; only "since …" makes it the
            // start of the episode ("on Saturday" alone may be about anything).
            if !since {
                return None;
            }
            let now = now?;
            let day = when.trim_start_matches("last ");
            let target = match day {
                "the weekend" | "weekend" => Weekday::Sat,
                other => weekday_of(other)?,
            };
            let today = now.weekday().num_days_from_monday() as i64;
            let then = target.num_days_from_monday() as i64;
            let mut days = (today - then).rem_euclid(7);
            if days == 0 {
                days = 7;
            }
            days as f64 * HOURS_PER_DAY
        }
    })
}

/// Reads every value in the text. `now` resolves weekdays ("since Monday").
pub fn read_values(text: &str, now: Option<&DateTime<FixedOffset>>) -> Values {
    read_values_indexed(text, &CharIndex::new(text), now)
}

/// [`read_values`] with the text's char index already built.
pub(crate) fn read_values_indexed(
    text: &str,
    index: &CharIndex,
    now: Option<&DateTime<FixedOffset>>,
) -> Values {
    let mention = |value: f64, start: usize, end: usize| {
        let (start, end) = index.chars(start, end);
        ValueMention { value, start, end }
    };
    let mut values = Values::default();

    // One pass finds which patterns match at all (see `Patterns::any`).
    let search = Search::new(text);
    for c in search.captures_iter(Kind::Counted) {
        let whole = c.whole();
        let after = c.name("after").map(|m| lowercase(m.as_str().trim()));
        let Some(unit) = unit_hours(&lowercase(c.text("unit"))) else {
            continue;
        };
        let Some(mut n) = number_word(&lowercase(c.text("n"))) else {
            continue;
        };
        // "3-4 days", "2 or 3 weeks": the longer; "a week and a half": half more.
        if let Some(n2) = c
            .name("n2")
            .and_then(|m| number_word(&lowercase(m.as_str())))
        {
            n = n.max(n2);
        }
        if c.name("half1").is_some() || c.name("half2").is_some() {
            n += 0.5;
        }
        // "3 times a week", "6 beers a night", "in 2 weeks", "every 2 hours": not the episode.
        if previous_word_is(text, whole.start(), NOT_AN_EPISODE) {
            continue;
        }
        // "a couple of weeks back" is "ago" ("3 weeks back pain" is not).
        let after = match after {
            Some(a) if a == "back" => {
                let back_pain =
                    lowercase_starts_with(text[whole.end()..].trim_start(), &BACK_NOUNS);
                (!back_pain).then_some(Cow::Borrowed("ago"))
            }
            a => a,
        };
        match after.as_deref() {
            // "10 hours a day" is a habit, "54 years old" an age, "3 months off" a break:
            // not the episode.
            Some(a) if a != "ago" => continue,
            // "years ago" is history, not this episode.
            Some(_) if unit > 7.0 * HOURS_PER_DAY => continue,
            _ => {}
        }
        values
            .durations
            .push(mention(n * unit, whole.start(), whole.end()));
    }
    for c in search.captures_iter(Kind::Vague) {
        let whole = c.whole();
        let hours = match lowercase(c.text("unit")).as_ref() {
            "hours" => 3.0,
            "days" => 3.0 * HOURS_PER_DAY,
            "weeks" => 14.0 * HOURS_PER_DAY,
            "months" => 90.0 * HOURS_PER_DAY,
            _ => 365.0 * HOURS_PER_DAY,
        };
        values
            .durations
            .push(mention(hours, whole.start(), whole.end()));
    }
    for whole in search.find_iter(Kind::Anchored) {
        // The anchor ends the match, and no word before it can begin one: the first anchor
        // that runs to the end of the match is its `when` group, and words before it are the
        // `since` group. (Found so, a match costs a small search in its own few bytes instead
        // of the capture groups' search, which costs as much again as finding the match.)
        let when = search
            .patterns
            .when_at_end
            .find(whole.as_str())
            .expect("an anchored match ends with its anchor");
        let since = when.start() > 0;
        let when = when.as_str();
        debug_assert_eq!(
            search.patterns.of_kind[Kind::Anchored as usize]
                .captures_at(text, whole.start())
                .map(|c| (
                    c.name("since").is_some(),
                    c.name("when").map(|m| m.as_str())
                )),
            Some((since, Some(when))),
            "the anchor and its since are the groups of the pattern"
        );
        // "worse than yesterday" compares; it does not date the start.
        if previous_word_is(text, whole.start(), &["than", "as", "until", "till"]) {
            continue;
        }
        if let Some(hours) = anchored_hours(&lowercase(when), since, now) {
            values
                .durations
                .push(mention(hours, whole.start(), whole.end()));
        }
    }

    // The worst pain: the highest number given on a 0-10 scale ("3/10 at rest, 7/10 moving").
    let mut worst: Option<ValueMention> = None;
    for c in search.captures_iter(Kind::SeverityScale) {
        let whole = c.whole();
        let group = c.name("n").or(c.name("m")).expect("one group matches");
        if let Some(n) = number_word(&lowercase(group.as_str())) {
            if worst.as_ref().is_none_or(|w| n > w.value) {
                worst = Some(mention(n.clamp(0.0, 10.0), whole.start(), whole.end()));
            }
        }
    }
    if worst.is_none() {
        for c in search.captures_iter(Kind::SeveritySpoken) {
            let whole = c.whole();
            let group = c.name("n").expect("group matches");
            // "about a 6 hour drive", "pain 3 days": a number of something else.
            let rest = text[group.end()..].trim_start();
            if lowercase_starts_with(rest, &UNITS)
                || rest.starts_with(|ch: char| ch.is_ascii_digit())
            {
                continue;
            }
            if let Ok(n) = group.as_str().parse::<f64>() {
                if worst.as_ref().is_none_or(|w| n > w.value) {
                    worst = Some(mention(n.clamp(0.0, 10.0), whole.start(), whole.end()));
                }
            }
        }
    }
    values.severity = worst;
    if values.severity.is_none() {
        // Strong words count anywhere; milder ones only about the pain ("mild ache", "it's
        // bad"), not "bad posture" or "sleep has been terrible".
        let word = search
            .captures(Kind::SeverityWords)
            .map(|c| {
                let word = c.text("w");
                (c.whole(), lowercase(word))
            })
            .or_else(|| {
                search.captures(Kind::SeverityMildWords).map(|c| {
                    let w = ["w", "v", "x"]
                        .iter()
                        .find_map(|g| c.name(g))
                        .expect("one group matches");
                    (c.whole(), lowercase(w.as_str()))
                })
            });
        if let Some((whole, word)) = word {
            // Every word the patterns capture has a score (a test checks it); one without
            // would be a new pattern word not yet in reader_words.toml: read nothing then.
            if let Some(n) = crate::words::ReaderWords::embedded().severity_score(&word) {
                values.severity = Some(mention(n, whole.start(), whole.end()));
            }
        }
    }

    if let Some(found) = search.find(Kind::Age) {
        // Every form of an age holds one number, and it is the first run of digits in the
        // match (the words around it hold none, and the pattern's `\b` keeps the run whole):
        // the match alone gives it, without the search for capture groups, which costs as
        // much again as finding the match.
        let (start, end) = first_digits(found).expect("an age has digits");
        debug_assert_eq!(
            search.captures(Kind::Age).and_then(|c| {
                let group = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
                    .iter()
                    .find_map(|g| c.name(g))?;
                Some((group.start(), group.end()))
            }),
            Some((start, end)),
            "the age is the group of the pattern"
        );
        // "I'm 5 days into this" is not an age.
        let unit_follows = not_an_age(text[end..].trim_start());
        // "He has 63 years" (as many languages say an age), not "has 20 years of experience".
        let possessed = lowercase_starts_with(found.as_str(), &["ha"]);
        let of_something = possessed
            && lowercase_starts_with(
                text[found.end()..].trim_start(),
                &[
                    "of",
                    "ago",
                    "since",
                    "before",
                    "back",
                    "later",
                    "in ",
                    "on ",
                    "off",
                    "with",
                    "experience",
                ],
            );
        if let Ok(n) = text[start..end].parse::<f64>() {
            if (1.0..=120.0).contains(&n) && (!unit_follows || possessed) && !of_something {
                values.age = Some(mention(n, start, end));
                if possessed {
                    // Its "63 years" is no duration.
                    let (from, to) = index.chars(found.start(), found.end());
                    values.durations.retain(|d| d.end <= from || d.start >= to);
                }
            }
        }
    }
    if values.age.is_none() {
        if let Some(c) = search.captures(Kind::BracketAge) {
            let group = c.name("a").or(c.name("b")).expect("one group matches");
            if let Ok(n) = group.as_str().parse::<f64>() {
                if (1.0..=120.0).contains(&n) {
                    values.age = Some(mention(n, group.start(), group.end()));
                }
            }
        }
    }
    if values.age.is_none() {
        if let Some(c) = search.captures(Kind::Decade) {
            let whole = c.whole();
            let decade = match lowercase(c.text("d")).as_ref() {
                "twenties" | "20s" => 20.0,
                "thirties" | "30s" => 30.0,
                "forties" | "40s" => 40.0,
                "fifties" | "50s" => 50.0,
                "sixties" | "60s" => 60.0,
                "seventies" | "70s" => 70.0,
                "eighties" | "80s" => 80.0,
                _ => 90.0,
            };
            let offset = match c.name("early").map(|m| lowercase(m.as_str().trim())) {
                Some(e) if e == "early" => 2.0,
                Some(e) if e == "late" => 8.0,
                _ => 5.0,
            };
            values.age = Some(mention(decade + offset, whole.start(), whole.end()));
        }
    }

    if let Some(c) = search.captures(Kind::Sex) {
        let group = [
            "self", "bare", "aged", "listed", "letter", "short", "comma", "and",
        ]
        .iter()
        .find_map(|g| c.name(g))
        .expect("one group matches");
        let sex = match lowercase(group.as_str()).as_ref() {
            "woman" | "female" | "girl" | "lady" | "f" => "female",
            _ => "male",
        };
        let whole = c.whole();
        let (start, end) = index.chars(whole.start(), whole.end());
        values.sex = Some(SexMention { sex, start, end });
    }

    // Hours (or an h) a day, a workday or a shift, counted in digits or words.
    for c in search.captures_iter(Kind::Sitting) {
        let group = c.name("n").or(c.name("m")).expect("one group matches");
        let Some(n) = number_word(&lowercase(group.as_str())) else {
            continue;
        };
        // Only hours of sitting: the sentence must be about desks, screens, chairs or work.
        let whole = c.whole();
        let sentence_start = text[..whole.start()]
            .rfind(['.', '!', '?', '\n'])
            .map_or(0, |i| i + 1);
        let sentence_end = text[whole.end()..]
            .find(['.', '!', '?', '\n'])
            .map_or(text.len(), |i| whole.end() + i);
        if n <= 24.0
            && search
                .patterns
                .sitting_context
                .is_match(&text[sentence_start..sentence_end])
        {
            values.sitting_hours = Some(mention(n, whole.start(), whole.end()));
            break;
        }
    }
    // A timeline ("Day 1 … Day 4"): the episode has lasted from its first day.
    if let Some((n, whole)) = search
        .captures_iter(Kind::TimelineDay)
        .filter_map(|c| Some((c.text("n").parse::<f64>().ok()?, c.whole())))
        .max_by(|a, b| a.0.total_cmp(&b.0))
    {
        if n >= 2.0 {
            values.durations.push(mention(
                (n - 1.0) * HOURS_PER_DAY,
                whole.start(),
                whole.end(),
            ));
        }
    }
    for c in search.captures_iter(Kind::Shorthand) {
        let whole = c.whole();
        let (Ok(n), unit) = (c.text("n").parse::<f64>(), c.text("unit")) else {
            continue;
        };
        let hours = match unit {
            "7" => n * HOURS_PER_DAY,
            "52" => n * 7.0 * HOURS_PER_DAY,
            _ => n * 30.0 * HOURS_PER_DAY,
        };
        values
            .durations
            .push(mention(hours, whole.start(), whole.end()));
    }
    for c in search.captures_iter(Kind::Temperature) {
        let group = c.name("t").expect("group matches");
        // "running 101 miles", "hit 40 reps": a number of something else.
        if lowercase_starts_with(text[group.end()..].trim_start(), &UNITS) {
            continue;
        }
        // "I'm 38.6" is a temperature; "I'm 38" an age.
        if c.name("bare").is_some() && !group.as_str().contains('.') {
            continue;
        }
        if let Ok(t) = group.as_str().parse::<f64>() {
            values
                .temperatures
                .push(mention(t, group.start(), group.end()));
        }
    }

    if values.sitting_hours.is_none() {
        if let Some(m) = search.find(Kind::DeskJob) {
            // The findings catalogue: "desk job" → 8 hours when no number is given.
            let hours = crate::words::ReaderWords::embedded().desk_job_hours();
            values.sitting_hours = Some(mention(hours, m.start(), m.end()));
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_severity_word_the_patterns_find_has_a_score() {
        for phrase in [
            "excruciating",
            "unbearable",
            "agonizing",
            "agonising",
            "agony",
            "worst pain",
            "crippling",
            "debilitating",
            "severe",
            "moderate",
            "mild",
            "terrible pain",
            "horrible ache",
            "awful spasm",
            "really bad pain",
            "very bad pain",
            "bad pain",
            "slight pain",
            "minor ache",
            "dull ache",
            "it's slight",
            "a bit sore",
            "niggle",
        ] {
            assert!(
                read_values(phrase, None).severity.is_some(),
                "`{phrase}` has no score in knowledge/reader_words.toml"
            );
        }
    }

    /// Forms that the cheap guards once kept before the patterns missed: any white space
    /// where a pattern allows it (`for\s+`, `all\s+day`).
    #[test]
    fn any_whitespace_is_read_where_the_patterns_allow_it() {
        for text in ["back pain for\tweeks", "back pain for\nweeks"] {
            assert_eq!(longest(text), Some(14.0 * 24.0), "{text:?}");
        }
        let age = read_values("I am in\nmy forties", None).age;
        assert_eq!(age.map(|a| a.value), Some(45.0));
        let sitting = read_values("I sit all  day at work", None).sitting_hours;
        assert_eq!(sitting.map(|s| s.value), Some(8.0));
    }

    /// Forms that a hand-kept list of the words each pattern needs had to let through (upper
    /// case, a letter for the sex, decades in words, every desk-job wording).
    #[test]
    fn every_form_the_patterns_read_is_read() {
        let values = |text: &str| read_values(text, None);
        assert_eq!(values("AGONY").severity.map(|s| s.value), Some(9.0));
        assert_eq!(values("45m").sex.map(|s| s.sex), Some("male"));
        assert_eq!(
            values("in her late Thirties").age.map(|a| a.value),
            Some(38.0)
        );
        for text in ["desk-bound", "desk bound", "I sit all day"] {
            assert_eq!(
                values(text).sitting_hours.map(|s| s.value),
                Some(8.0),
                "{text}"
            );
        }
        for (text, hours) in [
            ("12-hour shifts at work", 12.0),
            ("Eight hrs/day at my desk", 8.0),
        ] {
            let read = values(text).sitting_hours.map(|s| s.value);
            assert_eq!(read, Some(hours), "{text}");
        }
    }

    /// The set finds a pattern exactly when the pattern alone matches: skipping the patterns
    /// it did not find skips only searches that find nothing.
    #[test]
    fn the_set_finds_each_pattern_that_matches() {
        let p = patterns();
        let mut texts: Vec<String> = [
            "for 3 days",
            "since Monday after golf",
            "it's about a 6, 7/10 at worst",
            "excruciating",
            "a dull ache, it's bad",
            "I am 45",
            "my mom (72) has spasms",
            "in my late forties",
            "45 yo female, m, 40",
            "10 hours a day at my desk",
            "desk job",
            "nothing to read here",
            "",
        ]
        .map(String::from)
        .to_vec();
        // And the shared texts, when present: the dev vignettes and the context sentences,
        // each also in capitals.
        for vignette in upperback_testkit::dev_vignettes().unwrap_or_default() {
            texts.extend(vignette["text"].as_str().map(String::from));
        }
        let tsv = upperback_testkit::read_shared("data/context/negex-dev.tsv").unwrap_or_default();
        texts.extend(
            tsv.lines()
                .filter_map(|l| l.split('\t').nth(2).map(String::from)),
        );
        let capitals: Vec<String> = texts.iter().map(|t| t.to_uppercase()).collect();
        texts.extend(capitals);
        for text in &texts {
            let text = text.as_str();
            let search = Search::new(text);
            for kind in ALL_KINDS {
                assert_eq!(
                    search.matching(kind).is_some(),
                    p.of_kind[kind as usize].is_match(text),
                    "{kind:?} in {text:?}"
                );
            }
        }
    }

    /// Lower-casing only the head of a text decides as lower-casing all of it, non-ASCII
    /// letters too (the Kelvin sign lower-cases to an ASCII k).
    #[test]
    fn lowercase_starts_with_reads_as_the_whole_text_lower_cased() {
        for text in [
            "KG of weight",
            "\u{212A}g",
            "Out Of ten",
            "On The Pain scale",
            "ΣΑΣ kg",
            "İ am",
            "",
            "h",
        ] {
            let whole = text.to_lowercase();
            for words in [&UNITS[..], &AGE_UNITS, &SCORE_WORDS] {
                let expected = words.iter().any(|u| whole.starts_with(u));
                assert_eq!(lowercase_starts_with(text, words), expected, "{text}");
            }
        }
    }

    fn longest(text: &str) -> Option<f64> {
        read_values(text, None)
            .durations
            .iter()
            .map(|d| d.value)
            .reduce(f64::max)
    }

    #[test]
    fn durations_from_the_findings_catalogue() {
        assert_eq!(longest("it has hurt for 3 days"), Some(72.0));
        assert_eq!(longest("since yesterday"), Some(24.0));
        assert_eq!(longest("two weeks"), Some(336.0));
        assert_eq!(longest("a couple of weeks"), Some(336.0));
        assert_eq!(longest("48 hours"), Some(48.0));
        assert_eq!(longest("this morning"), Some(6.0));
        assert_eq!(longest("for a month"), Some(720.0));
        assert_eq!(longest("on and off for months"), Some(2160.0));
        assert_eq!(longest("upper back spasms 2 weeks now"), Some(336.0));
        assert_eq!(longest("Car accident two hours ago"), Some(2.0));
        assert_eq!(longest("for 5 days"), Some(120.0));
        assert_eq!(longest("for two days"), Some(48.0));
    }

    #[test]
    fn habits_ages_and_old_history_are_not_durations() {
        assert_eq!(longest("I sit 10 hours a day"), None);
        assert_eq!(longest("a 54-year-old"), None);
        assert_eq!(longest("I had it 3 years ago"), None);
        assert_eq!(longest("stiff for over an hour every morning"), None);
    }

    #[test]
    fn weekdays_need_now_and_since() {
        let now = DateTime::parse_from_rfc3339("2026-11-25T10:00:00+00:00").unwrap(); // Wednesday
        let monday = read_values("spasm since Monday", Some(&now));
        assert_eq!(monday.durations[0].value, 48.0);
        assert!(read_values("spasm since Monday", None).durations.is_empty());
        assert!(read_values("moved furniture on Saturday", Some(&now))
            .durations
            .is_empty());
    }

    #[test]
    fn severity() {
        let value = |t: &str| read_values(t, None).severity.map(|s| s.value);
        assert_eq!(value("pain is 7/10"), Some(7.0));
        assert_eq!(value("8 out of 10"), Some(8.0));
        assert_eq!(value("it's excruciating"), Some(9.0));
        assert_eq!(value("just mild"), Some(3.0));
        assert_eq!(value("no idea"), None);
    }

    #[test]
    fn age_and_sex() {
        let values = read_values("54-year-old woman with back spasm", None);
        assert_eq!(values.age.unwrap().value, 54.0);
        assert_eq!(values.sex.unwrap().sex, "female");
        assert_eq!(read_values("I'm 33", None).age.unwrap().value, 33.0);
        assert_eq!(
            read_values("I'm in my sixties", None).age.unwrap().value,
            65.0
        );
        assert_eq!(
            read_values("My mom (72) has spasms", None)
                .age
                .unwrap()
                .value,
            72.0
        );
        let listed = read_values("male, 40, desk job", None);
        assert_eq!(listed.age.unwrap().value, 40.0);
        assert_eq!(listed.sex.unwrap().sex, "male");
        assert_eq!(read_values("I'm a woman", None).sex.unwrap().sex, "female");
    }

    #[test]
    fn sitting_hours_need_a_sitting_context() {
        let value = |t: &str| read_values(t, None).sitting_hours.map(|s| s.value);
        assert_eq!(value("I work on a laptop about 10 hours a day"), Some(10.0));
        assert_eq!(value("I sit 10 hours a day"), Some(10.0));
        assert_eq!(value("I have a desk job"), Some(8.0));
        assert_eq!(value("I sleep 6 hours a day"), None);
    }

    #[test]
    fn ranges_halves_and_counts_that_are_not_the_episode() {
        assert_eq!(longest("a week and a half"), Some(252.0));
        assert_eq!(longest("two and a half days"), Some(60.0));
        assert_eq!(longest("for 3-4 days"), Some(96.0));
        assert_eq!(longest("for a fortnight"), Some(336.0));
        assert_eq!(longest("i get these 3 times a year"), None);
        assert_eq!(longest("6 beers a night"), None);
        assert_eq!(longest("lost 5kg in a month"), None);
        assert_eq!(longest("i sit for 3 hours straight"), None);
        assert_eq!(longest("worse today than yesterday"), None);
        assert_eq!(longest("a lot better today"), None);
    }

    #[test]
    fn breaks_forecasts_and_rounded_gaps_are_not_the_episode() {
        // A break, a forecast, a gap since the last time: not how long this has lasted.
        assert_eq!(longest("first session back after about 3 months off"), None);
        assert_eq!(longest("first heavy session in ~6 months"), None);
        assert_eq!(longest("first gym session in about 2 years"), None);
        assert_eq!(longest("expect 3-5 days"), None);
        assert_eq!(longest("should take another 2 weeks"), None);
        // "back" as "ago", unless it is the body part.
        assert_eq!(longest("a fever a couple of weeks back"), Some(336.0));
        assert_eq!(longest("since 3 days back"), Some(72.0));
        assert_eq!(longest("a couple of years back"), None);
        assert_eq!(longest("two weeks back pain"), Some(336.0));
        // Clinical shorthand "x 4 days" is a duration.
        assert_eq!(longest("upper back spasm x 4 days"), Some(96.0));
        assert_eq!(longest("for about 3 days"), Some(72.0));
    }

    #[test]
    fn spoken_scores_and_the_worst_of_several() {
        let value = |t: &str| read_values(t, None).severity.map(|s| s.value);
        assert_eq!(value("seven out of ten"), Some(7.0));
        assert_eq!(value("6-7/10"), Some(7.0));
        assert_eq!(value("3/10 at rest, 7/10 when i move"), Some(7.0));
        assert_eq!(value("pain level 8"), Some(8.0));
        assert_eq!(value("it's about a 6"), Some(6.0));
        assert_eq!(value("9 on the pain scale"), Some(9.0));
        assert_eq!(value("a 6 hour drive"), None);
        assert_eq!(value("my posture is terrible"), None);
        assert_eq!(value("a dull ache"), Some(3.0));
    }

    #[test]
    fn more_ways_to_give_age_sex_and_sitting() {
        let v = read_values("a 60 yo man", None);
        assert_eq!((v.age.unwrap().value, v.sex.unwrap().sex), (60.0, "male"));
        let v = read_values("F, 29", None);
        assert_eq!((v.age.unwrap().value, v.sex.unwrap().sex), (29.0, "female"));
        assert_eq!(read_values("I'm male", None).sex.unwrap().sex, "male");
        assert_eq!(read_values("just turned 50", None).age.unwrap().value, 50.0);
        assert_eq!(read_values("in my mid-30s", None).age.unwrap().value, 35.0);
        assert!(read_values("im 6 foot tall", None).age.is_none());
        let sitting = |t: &str| read_values(t, None).sitting_hours.map(|s| s.value);
        assert_eq!(sitting("I sit at a desk 9-10 hrs a day"), Some(10.0));
        assert_eq!(sitting("about 10 hrs/day on the laptop"), Some(10.0));
    }

    #[test]
    fn spans_are_char_offsets() {
        let text = "Ça fait mal depuis 3 jours — for 3 days";
        let values = read_values(text, None);
        let d = &values.durations[0];
        let chars: Vec<char> = text.chars().collect();
        let spanned: String = chars[d.start..d.end].iter().collect();
        assert_eq!(spanned, "3 days");
    }
}
