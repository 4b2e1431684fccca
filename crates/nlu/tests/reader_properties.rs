//! The reader never panics, and every span it reports is a valid char range of the text whose
//! text matches; over-long and empty texts are refused with a clear error.

use proptest::prelude::*;
use upperback_core::KnowledgeBase;
use upperback_nlu::{ReadError, Reader, MAX_TEXT_CHARS};

fn check_spans(text: &str) {
    let kb = KnowledgeBase::embedded();
    let chars: Vec<char> = text.chars().collect();
    let Ok(reading) = Reader::embedded().read(kb, text, None) else {
        return;
    };
    for mention in &reading.mentions {
        let span = &mention.span;
        assert!(span.start < span.end && span.end <= chars.len(), "{span:?}");
        let spanned: String = chars[span.start..span.end].iter().collect();
        assert_eq!(spanned, span.text);
        if let Some(trigger) = &mention.trigger {
            assert!(trigger.span.start < trigger.span.end && trigger.span.end <= chars.len());
        }
    }
    for (_, observation) in reading.evidence.known() {
        for span in &observation.spans {
            assert!(span.end <= chars.len());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,2000}") {
        check_spans(&text);
    }

    #[test]
    fn symptom_soup_never_panics(words in prop::collection::vec(prop::sample::select(vec![
        "no", "fever", "spasm", "numb", "pins", "and", "needles", "since", "yesterday", "not", "only",
        "my", "mom", "(72)", "had", "last", "year", "if", "I", "get", "but", "none", "now", ".", ",",
        "7/10", "for", "3", "days", "é", "🙂", "\n", "can't", "pee", "denies", "chest", "pain", "?",
    ]), 0..400)) {
        check_spans(&words.join(" "));
    }
}

#[test]
fn long_text_is_refused_and_limit_is_accepted() {
    let kb = KnowledgeBase::embedded();
    let at_limit = "a".repeat(MAX_TEXT_CHARS);
    assert!(Reader::embedded().read(kb, &at_limit, None).is_ok());
    let over = "é".repeat(MAX_TEXT_CHARS + 1);
    assert_eq!(
        Reader::embedded().read(kb, &over, None).unwrap_err(),
        ReadError::TooLong {
            chars: MAX_TEXT_CHARS + 1
        }
    );
}

#[test]
fn empty_and_whitespace_are_refused() {
    let kb = KnowledgeBase::embedded();
    for text in ["", "   ", "\n\t "] {
        assert_eq!(
            Reader::embedded().read(kb, text, None).unwrap_err(),
            ReadError::Empty
        );
    }
}
