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

fn bench(c: &mut Criterion) {
    assert_eq!(
        TEXT.chars().count(),
        300,
        "the benchmark text must be 300 characters"
    );
    let kb = KnowledgeBase::embedded();
    let reader = Reader::embedded();
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
