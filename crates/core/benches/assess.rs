//! A full assessment from structured answers: parse the answers, then assess and serialise.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use upperback_core::{assess, KnowledgeBase};

const ANSWERS: &str = r#"{"age": 45, "sex": "male", "upper_back_spasm": true, "location": "between_shoulder_blades",
 "swinging_sport": true, "duration_hours": 24, "fever": false, "numbness": false, "tingling": false,
 "chest_pain": false, "onset_sudden": true, "started_during_activity": true, "pain_severity": 6}"#;

fn bench_assess(c: &mut Criterion) {
    let kb = KnowledgeBase::embedded();
    let evidence = kb.parse_answers(ANSWERS).expect("valid answers");
    c.bench_function("assess (engine only)", |b| {
        b.iter(|| black_box(assess(kb, black_box(&evidence))))
    });
    c.bench_function("assess from JSON answers to JSON result", |b| {
        b.iter(|| {
            let evidence = kb.parse_answers(black_box(ANSWERS)).expect("valid answers");
            black_box(assess(kb, &evidence).to_json())
        })
    });
}

criterion_group!(benches, bench_assess);
criterion_main!(benches);
