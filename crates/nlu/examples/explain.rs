//! Prints every phrase the reader found in a text, with its outcome, span and trigger: the
//! quickest way to see why a sentence is read as it is.
//!
//! ```text
//! cargo run -p upperback-nlu --example explain -- "No fever, chest pain since this morning"
//! ```

use upperback_core::KnowledgeBase;
use upperback_nlu::Reader;

fn main() {
    let kb = KnowledgeBase::embedded();
    for text in std::env::args().skip(1) {
        println!("{text}");
        match Reader::embedded().read(kb, &text, None) {
            Ok(reading) => {
                if let Some(about) = &reading.about {
                    println!("  about: {about}");
                }
                for m in &reading.mentions {
                    let trigger = m
                        .trigger
                        .as_ref()
                        .map(|t| format!(" [{} {:?}]", t.kind, t.span.text))
                        .unwrap_or_default();
                    let value = m
                        .shown_value
                        .as_deref()
                        .map(|v| format!(" = {v}"))
                        .unwrap_or_default();
                    println!(
                        "  {:<32} {:<12} {:?}{value}{trigger}",
                        m.finding,
                        format!("{:?}", m.outcome),
                        m.span.text
                    );
                }
                for p in reading.evidence.possible() {
                    println!(
                        "  {:<32} {:<12} {:?}",
                        kb.finding(p.finding).id,
                        "Possible",
                        p.span.text
                    );
                }
            }
            Err(e) => println!("  error: {e}"),
        }
    }
}
