//! A simulated person answers the interview from a dev vignette's labels: present → yes (or
//! ticked), absent → no, a red flag not mentioned → no, anything else not mentioned → don't
//! know, numbers from `values`. From the text and from nothing, every final level must equal
//! the expected one and no result may leave a red flag unscreened; the number of questions
//! stays small.

use serde_json::{json, Value as Json};
use upperback_core::{Evidence, Interview, KnowledgeBase, Observation, QuestionKind};
use upperback_nlu::Reader;

/// How the simulated person answers one question.
fn simulated_answer(
    kb: &KnowledgeBase,
    vignette: &Json,
    question: &upperback_core::QuestionView,
) -> Json {
    let expected = &vignette["expected"];
    let listed = |key: &str, id: &str| {
        expected[key]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f.as_str() == Some(id))
    };
    let red_flag = |id: &str| kb.finding(kb.finding_id(id).unwrap()).red_flag;
    let number = |id: &str| {
        if id == "age" && !vignette["age"].is_null() {
            return vignette["age"].clone();
        }
        expected["values"].get(id).cloned().unwrap_or(Json::Null)
    };
    match question.kind {
        QuestionKind::Checklist => {
            let items = question.findings.as_ref().unwrap();
            let ticked: Vec<&str> = items
                .iter()
                .copied()
                .filter(|id| listed("present", id))
                .collect();
            let all_unknown = items
                .iter()
                .all(|id| !listed("present", id) && !listed("absent", id) && !red_flag(id));
            if ticked.is_empty() && all_unknown {
                Json::Null
            } else {
                json!(ticked)
            }
        }
        QuestionKind::YesNo => {
            let id = question.finding.unwrap();
            if listed("present", id) {
                json!(true)
            } else if listed("absent", id) || red_flag(id) {
                json!(false)
            } else {
                Json::Null
            }
        }
        QuestionKind::Number => number(question.finding.unwrap()),
        QuestionKind::Choice => Json::Null,
    }
}

fn run(kb: &KnowledgeBase, vignette: &Json, start: Evidence) -> (String, usize, Vec<String>) {
    let mut interview = Interview::new(kb, start);
    while let Some(question) = interview.current() {
        let answer = simulated_answer(kb, vignette, &question);
        interview.answer(&answer).unwrap_or_else(|e| {
            panic!("{}: {} rejected {answer}: {e}", vignette["id"], question.id)
        });
        assert!(interview.asked() <= 40, "runaway interview");
    }
    let result = interview.result();
    (
        result.triage.level.as_str().to_string(),
        interview.asked(),
        result
            .triage
            .unscreened_red_flags
            .iter()
            .map(|s| s.to_string())
            .collect(),
    )
}

fn median(counts: &mut [usize]) -> f64 {
    counts.sort_unstable();
    let n = counts.len();
    if n % 2 == 1 {
        counts[n / 2] as f64
    } else {
        (counts[n / 2 - 1] + counts[n / 2]) as f64 / 2.0
    }
}

#[test]
fn simulated_people_from_text_and_from_nothing() {
    let Some(vignettes) = upperback_testkit::dev_vignettes() else {
        return;
    };
    let kb = KnowledgeBase::embedded();
    let mut failures = Vec::new();
    let (mut from_text, mut from_nothing) = (Vec::new(), Vec::new());
    for vignette in &vignettes {
        let id = vignette["id"].as_str().unwrap();
        let expected = vignette["expected"]["triage"].as_str().unwrap();
        let mut evidence = Reader::embedded()
            .read(kb, vignette["text"].as_str().unwrap(), None)
            .unwrap()
            .evidence;
        for key in ["age", "sex"] {
            if !vignette[key].is_null() {
                let (f, v) = kb.parse_answer(key, &vignette[key]).unwrap().unwrap();
                evidence.set(f, Observation::answer(v));
            }
        }
        for (label, start, counts) in [
            ("text", evidence, &mut from_text),
            ("nothing", Evidence::new(kb), &mut from_nothing),
        ] {
            let (level, asked, unscreened) = run(kb, vignette, start);
            eprintln!("{id} from {label}: {level} after {asked} questions");
            if level != expected {
                failures.push(format!("{id} from {label}: {level}, expected {expected}"));
            }
            let emergency = matches!(level.as_str(), "ambulance" | "emergency_department");
            if !unscreened.is_empty() && !emergency {
                failures.push(format!("{id} from {label}: unscreened {unscreened:?}"));
            }
            counts.push(asked);
        }
    }
    let (text_max, nothing_max) = (
        *from_text.iter().max().unwrap(),
        *from_nothing.iter().max().unwrap(),
    );
    let (text_median, nothing_median) = (median(&mut from_text), median(&mut from_nothing));
    eprintln!(
        "questions from text: median {text_median}, max {text_max}; from nothing: median {nothing_median}, max {nothing_max}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        text_median <= 8.0 && text_max <= 20,
        "from text: median {text_median}, max {text_max}"
    );
    assert!(
        nothing_median <= 12.0 && nothing_max <= 25,
        "from nothing: median {nothing_median}, max {nothing_max}"
    );
}
