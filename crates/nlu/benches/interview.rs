//! A whole interview from text, as `upperback interview --json-lines` runs it, without the
//! person and without process start-up: read the text, then for every question write its
//! protocol line, read an answer line and apply it, and finally write the result line. The
//! answers are the quickest a person could give ("none of these", "no", a number), so the
//! figure is the program's own time; it prints the time per question.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use upperback_core::{Interview, KnowledgeBase, QuestionKind, QuestionView};
use upperback_nlu::Reader;

#[path = "shared/texts.rs"]
mod texts;
use texts::{BENCH_TEXT, FORUM_POST, LOAD_TEST_TEXT};

/// The answer line a person sends to a question.
fn answer_line(question: &QuestionView) -> String {
    let answer = match question.kind {
        QuestionKind::Checklist => json!([]),
        QuestionKind::YesNo => json!(false),
        QuestionKind::Number => json!(40),
        QuestionKind::Choice => Value::Null,
    };
    json!({ "answer": answer }).to_string()
}

/// The protocol from text to result; the number of questions asked.
fn interview(kb: &KnowledgeBase, text: &str, answers: &[String]) -> usize {
    let now = texts::now();
    let reading = Reader::embedded()
        .read(kb, text, Some(&now))
        .expect("readable");
    let mut interview = Interview::new(kb, reading.evidence);
    let mut asked = 0;
    while let Some(question) = interview.current() {
        let line =
            json!({"type": "question", "question": &question, "progress": interview.progress()})
                .to_string();
        black_box(line);
        let message: Value = serde_json::from_str(&answers[asked]).expect("an answer line");
        interview
            .answer(&message["answer"])
            .expect("a fitting answer");
        asked += 1;
    }
    let result = interview.result().to_json();
    black_box(result);
    asked
}

fn bench(c: &mut Criterion) {
    let kb = KnowledgeBase::embedded();
    for (name, text) in [
        ("300-char text", BENCH_TEXT),
        ("load-test text", LOAD_TEST_TEXT),
        ("forum post", FORUM_POST),
    ] {
        // The person's answers, worked out once, before timing.
        let now = texts::now();
        let reading = Reader::embedded().read(kb, text, Some(&now)).unwrap();
        let mut walk = Interview::new(kb, reading.evidence);
        let mut answers = Vec::new();
        while let Some(question) = walk.current() {
            let line = answer_line(&question);
            let message: Value = serde_json::from_str(&line).unwrap();
            walk.answer(&message["answer"]).unwrap();
            answers.push(line);
        }
        let questions = interview(kb, text, &answers);
        let started = std::time::Instant::now();
        let rounds = 200;
        for _ in 0..rounds {
            black_box(interview(kb, black_box(text), &answers));
        }
        let per_question = started.elapsed().as_secs_f64() / rounds as f64 / questions as f64;
        println!(
            "interview from {name}: {questions} questions, {:.1} µs per question (target: under 1 ms)",
            per_question * 1e6
        );
        c.bench_function(&format!("whole interview from {name}"), |b| {
            b.iter(|| black_box(interview(kb, black_box(text), &answers)))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
