//! `assess --text` without process start-up: read a 300-character text and assess it (and,
//! separately, also serialise the JSON result).

use criterion::{black_box, criterion_group, criterion_main, Criterion};

/// The allocator the `upperback` binary uses (the reader allocates small strings per phrase).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use upperback_core::{assess, KnowledgeBase};
use upperback_nlu::Reader;

/// 300 characters, the length the issue names.
const TEXT: &str = "I've had a spasm between my shoulder blades since yesterday after 18 holes of golf. \
It hurts when I turn and it's about 6/10. No fever, no numbness or tingling, no chest pain. \
I work at a laptop on the kitchen table most days and I'm stressed. I am 45. Heat helped a bit, ice did not. I sleep poorly.";

/// The text of the HTTP load test (`bench/lib.sh`), also 300 characters.
const LOAD_TEST_TEXT: &str = "I have had a painful spasm between my shoulder blades since Monday after playing golf. \
It gets worse when I sit at my desk for long hours and eases a bit with heat. No fever, no chest pain, \
no numbness or tingling in my arms. I am 45 and have had similar episodes before. Work has been stressful too.";

fn bench(c: &mut Criterion) {
    for text in [TEXT, LOAD_TEST_TEXT] {
        assert_eq!(
            text.chars().count(),
            300,
            "the benchmark texts must be 300 characters"
        );
    }
    let kb = KnowledgeBase::embedded();
    let reader = Reader::embedded();
    // The reader alone, on both texts: the part of `assess --text` and of the HTTP
    // assessment that grows with the text. The server passes a `now` (weekdays are read).
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00+00:00").expect("date");
    for (name, text) in [
        ("read 300-char text", TEXT),
        ("read load-test text", LOAD_TEST_TEXT),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| {
                black_box(
                    reader
                        .read(kb, black_box(text), Some(&now))
                        .expect("readable"),
                )
            })
        });
    }
    c.bench_function("read 300-char text + assess", |b| {
        b.iter(|| {
            let reading = reader.read(kb, black_box(TEXT), None).expect("readable");
            black_box(assess(kb, &reading.evidence).triage.level)
        })
    });
    c.bench_function("read 300-char text + assess + JSON", |b| {
        b.iter(|| {
            let reading = reader.read(kb, black_box(TEXT), None).expect("readable");
            black_box(assess(kb, &reading.evidence).to_json())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
