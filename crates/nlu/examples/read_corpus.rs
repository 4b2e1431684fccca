//! The reader's whole output over a large corpus of texts, to check that a change meant to
//! make reading cheaper changes nothing it reads:
//!
//! ```text
//! # before the change (on the commit it starts from):
//! cargo run --release -p upperback-nlu --example read_corpus -- write /tmp/reads.txt
//! # after it:
//! cargo run --release -p upperback-nlu --example read_corpus -- check /tmp/reads.txt
//! ```
//!
//! `check` lists the texts whose output differs (the first few in full) and exits 1 if any do.
//! `time FILE` reads the saved texts and prints the mean time per read (best of three rounds).
//! The corpus: the benchmark texts; every string literal of this crate's tests and sources
//! (the sentence cases, the value tests); the quoted phrases of the lexicon, the reader words
//! and the context rules; the shared dev vignettes and context sentences (`../shared`, when
//! present); value phrases made from numbers, units and the words around them; and variants of
//! all of them (upper and lower case, non-ASCII letters, other white space and punctuation,
//! pairs of texts run together). Each text is read with and without a `now` (weekdays), and
//! its values are also written whole (every duration, not just the longest).

use std::fmt::Write as _;

use upperback_core::KnowledgeBase;
use upperback_nlu::values::read_values;
use upperback_nlu::Reader;

// Only the texts: this check reads with a `now` of its own.
#[allow(dead_code)]
#[path = "../benches/shared/texts.rs"]
mod texts;

/// Files whose string literals become texts.
const SOURCES: &[&str] = &[
    include_str!("../tests/reader_sentences.rs"),
    include_str!("../tests/vignettes_text.rs"),
    include_str!("../tests/context_negex.rs"),
    include_str!("../tests/reader_properties.rs"),
    include_str!("../src/values.rs"),
    include_str!("../src/reader.rs"),
    include_str!("../src/lexicon.rs"),
    include_str!("../src/context.rs"),
    include_str!("../src/words.rs"),
    include_str!("../../../knowledge/lexicon.toml"),
    include_str!("../../../knowledge/reader_words.toml"),
    include_str!("../../../knowledge/context_rules.toml"),
];

fn main() {
    let mut args = std::env::args().skip(1);
    let (mode, path) = match (args.next().as_deref(), args.next()) {
        (Some(mode @ ("write" | "check" | "time")), Some(path)) => (mode.to_string(), path),
        _ => {
            eprintln!("usage: read_corpus write|check|time FILE");
            std::process::exit(2);
        }
    };
    if mode == "write" {
        let texts = corpus();
        let mut file = String::new();
        for text in &texts {
            writeln!(file, "{}\t{}", escape(text), read_all(text)).expect("string");
        }
        std::fs::write(&path, file).expect("write the outputs");
        println!("{} texts read, written to {path}", texts.len());
        return;
    }
    if mode == "time" {
        time_reads(&path);
        return;
    }
    // The saved texts are read again (the corpus itself may have changed since: it takes the
    // string literals of the sources).
    let saved = std::fs::read_to_string(&path).expect("read the saved outputs");
    let mut differ = 0;
    let mut checked = 0;
    for line in saved.lines() {
        let (text, output) = line.split_once('\t').expect("text TAB output");
        let text = unescape(text);
        let now = read_all(&text);
        checked += 1;
        if now != output {
            differ += 1;
            if differ <= 5 {
                println!("text: {text:?}\nsaved: {output}\nnow:   {now}\n");
            }
        }
    }
    println!("{checked} texts read, {differ} differ");
    if differ > 0 {
        std::process::exit(1);
    }
}

/// Reads every saved text (as the server does, with a `now`) and prints the mean time per
/// read: how the reader fares over many different texts, not one text again and again.
fn time_reads(path: &str) {
    let saved = std::fs::read_to_string(path).expect("read the saved outputs");
    let texts: Vec<String> = saved
        .lines()
        .map(|line| unescape(line.split_once('\t').expect("text TAB output").0))
        .collect();
    let kb = KnowledgeBase::embedded();
    let reader = Reader::embedded();
    let now = now();
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let started = std::time::Instant::now();
        let mut mentions = 0;
        for text in &texts {
            if let Ok(reading) = reader.read(kb, std::hint::black_box(text), Some(&now)) {
                mentions += reading.mentions.len();
            }
        }
        let per_read = started.elapsed().as_secs_f64() * 1e6 / texts.len() as f64;
        best = best.min(per_read);
        std::hint::black_box(mentions);
    }
    println!(
        "{} texts, best of 3 rounds: {best:.3} µs per read",
        texts.len()
    );
}

/// The time every text is read at (a Wednesday: "since Monday" is 2 days); the saved
/// outputs depend on it.
fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-11-25T10:00:00+00:00").expect("date")
}

/// Everything the reader says of one text, on one line.
fn read_all(text: &str) -> String {
    let kb = KnowledgeBase::embedded();
    let reader = Reader::embedded();
    let now = now();
    let mut out = String::new();
    for now in [None, Some(&now)] {
        match reader.read(kb, text, now) {
            Ok(reading) => {
                let known: Vec<_> = reading.evidence.known().collect();
                write!(
                    out,
                    "{:?} {:?} {:?} | ",
                    reading.mentions, reading.about, known
                )
                .expect("string");
            }
            Err(e) => write!(out, "{e:?} | ").expect("string"),
        }
        write!(out, "{:?} | ", read_values(text, now)).expect("string");
    }
    escape(&out)
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn corpus() -> Vec<String> {
    let mut base: Vec<String> = vec![
        texts::BENCH_TEXT.to_string(),
        texts::LOAD_TEST_TEXT.to_string(),
    ];
    for source in SOURCES {
        base.extend(string_literals(source));
    }
    if let Some(dev) = upperback_testkit::dev_vignettes() {
        for vignette in dev {
            if let Some(text) = vignette["text"].as_str() {
                base.push(text.to_string());
            }
        }
    }
    if let Some(tsv) = upperback_testkit::read_shared("data/context/negex-dev.tsv") {
        for line in tsv.lines().skip(1) {
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() > 2 {
                base.push(fields[2].to_string());
                base.push(format!("{} {}", fields[1], fields[2]));
            }
        }
    }
    base.extend(value_phrases());
    base.retain(|t| !t.trim().is_empty());
    base.sort();
    base.dedup();

    let mut all = Vec::new();
    for (i, text) in base.iter().enumerate() {
        all.extend(variants(text));
        // Texts run together: several findings and values in one text.
        let next = &base[(i * 7 + 3) % base.len()];
        all.push(format!("{text}. {next}"));
        all.push(format!("{text}, {next}"));
    }
    let mut seen = std::collections::HashSet::new();
    all.retain(|t| !t.is_empty() && seen.insert(t.clone()));
    all
}

/// A text as written and changed in ways the reader must cope with.
/// (Repeats are left to the corpus's `seen` set.)
fn variants(text: &str) -> Vec<String> {
    vec![
        text.to_string(),
        text.to_uppercase(),
        text.to_lowercase(),
        // Capitalised words.
        text.split(' ')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect::<String>())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" "),
        // Non-ASCII letters in words and before them.
        text.replace('e', "é").replace('a', "ä"),
        format!("Ça fait mal — {text} 🙂"),
        text.replacen(' ', " ü ", 3),
        text.replace(' ', "\u{a0}"),
        // Other white space and punctuation.
        text.replace(' ', "  "),
        text.replace(' ', "\t"),
        text.replace(". ", ".\n").replace(", ", "\n"),
        text.replace(['.', ',', '!', '?', ';', ':', '(', ')'], ""),
        text.replace('.', "!").replace(',', ";"),
        text.replace(' ', "-"),
        text.replace("'", "’"),
        format!("({text})"),
        format!("{text}..."),
    ]
}

/// Phrases of numbers, units and the words around them, for the value patterns.
fn value_phrases() -> Vec<String> {
    let numbers = [
        "0",
        "1",
        "2",
        "3",
        "5",
        "6.5",
        "7",
        "9",
        "10",
        "11",
        "12",
        "18",
        "24",
        "33",
        "45",
        "72",
        "99",
        "120",
        "150",
        "a",
        "an",
        "one",
        "two",
        "three",
        "four",
        "ten",
        "twelve",
        "twenty",
        "forty",
        "a couple of",
        "couple",
        "a few",
        "several",
        "half a",
        "half an",
        "2-3",
        "3 to 4",
        "two or three",
        "5.5",
    ];
    let units = [
        "hour",
        "hours",
        "hrs",
        "h",
        "day",
        "days",
        "night",
        "nights",
        "week",
        "weeks",
        "wk",
        "fortnight",
        "month",
        "months",
        "mo",
        "years",
        "yr",
        "/10",
        "out of 10",
        "of ten",
        "on the pain scale",
        "years old",
        "year-old",
        "yo",
        "y/o",
        "m",
        "f",
        "minutes",
        "kg",
        "times",
        "hour shifts",
        "hours a day",
        "hrs/day",
        "h per shift",
    ];
    let before = [
        "",
        "for ",
        "i'm ",
        "im ",
        "I am ",
        "aged ",
        "male, ",
        "F ",
        "pain ",
        "it's about a ",
        "pain level ",
        "rate it a ",
        "every ",
        "in ",
        "once ",
        "turned ",
        "my mom (",
        "sit ",
        "at my desk ",
        "since ",
    ];
    let after = [
        "",
        " ago",
        " now",
        " and a half",
        " a day",
        " at a time",
        " straight",
        " old",
        " woman",
        " at work",
        " at the office on my laptop",
        ") has spasms",
    ];
    let mut out = Vec::new();
    for (i, b) in before.iter().enumerate() {
        for (j, n) in numbers.iter().enumerate() {
            for (k, u) in units.iter().enumerate() {
                // A spread of the combinations, not all of them.
                let a = after[(i + j + k) % after.len()];
                out.push(format!("{b}{n} {u}{a}"));
                if (i + j + k) % 3 == 0 {
                    out.push(format!("{b}{n}{u}{a}"));
                }
            }
        }
    }
    for word in [
        "yesterday",
        "last night",
        "this morning",
        "this afternoon",
        "tonight",
        "today",
        "the day before yesterday",
        "last week",
        "monday",
        "Last Friday",
        "the weekend",
        "Sunday",
    ] {
        for b in [
            "",
            "since ",
            "from ",
            "as of ",
            "started ",
            "began on ",
            "came on over ",
            "than ",
        ] {
            out.push(format!("back pain {b}{word}"));
        }
    }
    for word in [
        "excruciating",
        "agonising",
        "agony",
        "worst pain",
        "severe",
        "mild",
        "terrible",
        "really bad",
        "slight",
        "dull",
        "a bit sore",
        "niggle",
    ] {
        for form in [
            "{} pain",
            "{} back ache",
            "it's {}",
            "pain is very {}",
            "my {} posture",
        ] {
            out.push(form.replace("{}", word));
        }
    }
    for decade in ["twenties", "Forties", "50s", "90s", "sixties"] {
        for early in ["", "early ", "mid-", "late "] {
            out.push(format!("in my {early}{decade}"));
            out.push(format!("she is in her {early}{decade}"));
        }
    }
    for phrase in [
        "desk job",
        "office job",
        "desk-bound",
        "desk bound",
        "sit all day",
        "sitting all  day",
        "at a desk all day",
        "I'm a woman",
        "as a 40 year old man",
        "im male",
        "45 yo female",
        "m, 40",
    ] {
        out.push(phrase.to_string());
        out.push(format!("I have a {phrase} and back pain"));
    }
    out
}

/// The string literals of Rust or TOML source: "…" with the usual escapes (raw strings and
/// TOML's multi-line strings are read as plain ones, which is good enough for a corpus).
fn string_literals(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                // A char literal such as '"' must not open a string; a lifetime has no
                // closing quote soon after.
                let mut ahead = chars.clone();
                let first = ahead.next();
                let closes = match first {
                    Some('\\') => {
                        ahead.next();
                        ahead.next() == Some('\'')
                    }
                    Some(_) => ahead.next() == Some('\''),
                    None => false,
                };
                if closes {
                    while let Some(c) = chars.next() {
                        if c == '\\' {
                            chars.next();
                        } else if c == '\'' {
                            break;
                        }
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                // A comment: its prose is a text too (comments here hold example sentences).
                let line: String = chars.by_ref().take_while(|&c| c != '\n').collect();
                out.push(line.trim_start_matches('/').trim().to_string());
            }
            '#' => {
                let line: String = chars.by_ref().take_while(|&c| c != '\n').collect();
                out.push(line.trim().to_string());
            }
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some('r') => s.push('\r'),
                            Some('u') => {
                                let code: String = chars
                                    .by_ref()
                                    .skip_while(|&c| c == '{')
                                    .take_while(|&c| c != '}')
                                    .collect();
                                if let Some(ch) =
                                    u32::from_str_radix(&code, 16).ok().and_then(char::from_u32)
                                {
                                    s.push(ch);
                                }
                            }
                            Some('\n') => while chars.next_if(|c| c.is_whitespace()).is_some() {},
                            Some(other) => s.push(other),
                            None => {}
                        },
                        other => s.push(other),
                    }
                }
                out.push(s);
            }
            _ => {}
        }
    }
    out
}
