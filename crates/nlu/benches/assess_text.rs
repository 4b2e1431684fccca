//! `assess --text` without process start-up: read a 300-character text and assess it (and,
//! separately, also serialise the JSON result).

use criterion::{black_box, criterion_group, criterion_main, Criterion};

/// The allocator the `upperback` binary uses (the reader allocates small strings per phrase).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use upperback_core::{assess, KnowledgeBase};
use upperback_nlu::Reader;

#[path = "shared/texts.rs"]
mod texts;
use texts::{BENCH_TEXT as TEXT, FORUM_POST, LOAD_TEST_TEXT};

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
    let now = texts::now();
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
    // A long post, and how reading time grows with length: the same post repeated to 2,500,
    // 5,000 and 10,000 characters, and one 10,000-character word.
    c.bench_function("read 1,500-char forum post", |b| {
        b.iter(|| {
            black_box(
                reader
                    .read(kb, black_box(FORUM_POST), Some(&now))
                    .expect("readable"),
            )
        })
    });
    for length in [2_500usize, 5_000, 10_000] {
        let text: String = FORUM_POST.chars().cycle().take(length).collect();
        c.bench_function(&format!("read {length}-char text"), |b| {
            b.iter(|| {
                black_box(
                    reader
                        .read(kb, black_box(&text), Some(&now))
                        .expect("readable"),
                )
            })
        });
    }
    let word = "a".repeat(10_000);
    c.bench_function("read 10,000-char single word", |b| {
        b.iter(|| {
            black_box(
                reader
                    .read(kb, black_box(&word), Some(&now))
                    .expect("readable"),
            )
        })
    });
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
