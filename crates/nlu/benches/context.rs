//! Throughput of the context engine: single sentences and the NegEx dev rows through `run_tsv`.
//! `bench/context.sh` compares the same work against medspaCy.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use upperback_nlu::context::ContextEngine;

fn sentences(c: &mut Criterion) {
    let engine = ContextEngine::embedded();
    let cases = [
        ("spasm between my shoulder blades since Monday, no fever", "fever"),
        ("I denied having any fever, chills or weight loss", "weight loss"),
        ("If I ever get numbness in my arms I'll go to the ER", "numbness"),
        (
            "PAST MEDICAL HISTORY:  Past medical history of coronary artery disease, status post CABG,   hypertension, and peripheral vascular disease.",
            "peripheral vascular disease",
        ),
    ];
    let mut group = c.benchmark_group("annotate_concept");
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.bench_function("four sentences", |b| {
        b.iter(|| {
            for (sentence, concept) in cases {
                std::hint::black_box(engine.annotate_concept(sentence, concept));
            }
        })
    });
    group.finish();
}

fn negex_dev(c: &mut Criterion) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/context/negex-dev.tsv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping the negex-dev bench: ../shared not found");
        return;
    };
    let rows = text.lines().count().saturating_sub(1) as u64;
    let engine = ContextEngine::embedded();
    let mut group = c.benchmark_group("run_tsv");
    group.throughput(Throughput::Elements(rows));
    group.bench_function("negex-dev rows", |b| {
        let mut out = Vec::with_capacity(text.len() / 4);
        b.iter(|| {
            out.clear();
            std::hint::black_box(engine.run_tsv(text.as_bytes(), &mut out).ok());
        })
    });
    group.finish();
}

criterion_group!(benches, sentences, negex_dev);
criterion_main!(benches);
