//! `upperback interview`: the adaptive interview, as an interactive prompt for a person on a
//! terminal, or as the JSON-lines protocol of `../shared/contracts/interview.md` for programs.

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

use clap::Args;
use inquire::error::InquireError;
use inquire::{MultiSelect, Select, Text};
use serde_json::json;
use upperback_core::{
    Evidence, Interview, KnowledgeBase, Observation, QuestionKind, QuestionView, TextSaid,
};
use upperback_nlu::Reading;

use crate::assess::read_text;
use crate::{bad_input, report, CliError};

#[derive(Args)]
pub struct InterviewArgs {
    /// Speak the JSON-lines protocol on standard input and output (for programs).
    #[arg(long)]
    json_lines: bool,
    /// Start from the person's own words (which may begin with a dash, as a bulleted list).
    #[arg(long, allow_hyphen_values = true)]
    text: Option<String>,
    /// Age in years.
    #[arg(long, allow_negative_numbers = true)]
    age: Option<f64>,
    /// Sex: female, male or other.
    #[arg(long)]
    sex: Option<String>,
}

/// Exit status when the input ends before the interview does.
const EXIT_INPUT_ENDED: u8 = 3;
/// Exit status when the person leaves with Ctrl-C (the shell convention for SIGINT).
const EXIT_INTERRUPTED: u8 = 130;

/// The starting evidence: the text read, then age and sex as answers.
fn starting_evidence(
    kb: &KnowledgeBase,
    text: Option<&str>,
    age: Option<f64>,
    sex: Option<&str>,
) -> Result<(Evidence, Option<Reading>), CliError> {
    let mut evidence = Evidence::new(kb);
    let mut reading = None;
    if let Some(text) = text {
        let read = read_text(kb, text, Some(&chrono::Local::now().fixed_offset()))?;
        evidence = read.evidence.clone();
        reading = Some(read);
    }
    let age = age.map(|a| ("age", json!(a)));
    let sex = sex.map(|s| ("sex", json!(s)));
    for (id, value) in age.into_iter().chain(sex) {
        if let Some((finding, value)) = kb
            .parse_answer(id, &value)
            .map_err(|e| bad_input(format!("--{id}: {e}")))?
        {
            let mut answer = Evidence::new(kb);
            answer.set(finding, Observation::answer(value));
            evidence.overlay(kb, &answer);
        }
    }
    Ok((evidence, reading))
}

pub fn run(args: InterviewArgs) -> Result<ExitCode, CliError> {
    let kb = KnowledgeBase::embedded();
    let (evidence, reading) =
        starting_evidence(kb, args.text.as_deref(), args.age, args.sex.as_deref())?;
    if args.json_lines {
        return json_lines(kb, evidence);
    }
    if !io::stdin().is_terminal() {
        return Err(bad_input(
            "the interactive interview needs a terminal; use --json-lines for programs",
        ));
    }
    interactive(kb, evidence, reading.as_ref())
}

/// Runs the interview for a person, then prints the same report as `assess`.
pub fn run_interactive_from_nothing() -> Result<ExitCode, CliError> {
    let kb = KnowledgeBase::embedded();
    interactive(kb, Evidence::new(kb), None)
}

/// A protocol line; fields in the contract's order.
#[derive(serde::Serialize)]
struct Line<T: serde::Serialize> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    body: T,
}

fn to_line<T: serde::Serialize>(kind: &'static str, body: T) -> String {
    serde_json::to_string(&Line { kind, body }).expect("protocol lines serialise")
}

fn question_line(interview: &Interview, question: &QuestionView) -> String {
    #[derive(serde::Serialize)]
    struct Body<'a, 'kb> {
        question: &'a QuestionView<'kb>,
        progress: upperback_core::Progress,
    }
    to_line(
        "question",
        Body {
            question,
            progress: interview.progress(),
        },
    )
}

fn json_lines(kb: &KnowledgeBase, evidence: Evidence) -> Result<ExitCode, CliError> {
    let mut interview = Interview::new(kb, evidence);
    let stdin = io::stdin();
    let mut lines = stdin.lock().lines();
    let mut out = io::stdout().lock();
    loop {
        let Some(question) = interview.current() else {
            #[derive(serde::Serialize)]
            struct Body<'a> {
                result: upperback_core::Assessment<'a>,
                asked: usize,
            }
            let line = to_line(
                "result",
                Body {
                    result: interview.result(),
                    asked: interview.asked(),
                },
            );
            writeln!(out, "{line}")?;
            out.flush()?;
            return Ok(ExitCode::SUCCESS);
        };
        writeln!(out, "{}", question_line(&interview, &question))?;
        out.flush()?;
        // Read until an acceptable answer; every bad line gets an error and the question again.
        loop {
            let Some(line) = lines.next() else {
                eprintln!(
                    "upperback: error: the input ended before the interview did (question `{}` was waiting for an answer)",
                    question.id
                );
                return Ok(ExitCode::from(EXIT_INPUT_ENDED));
            };
            let line = line.map_err(|e| bad_input(format!("cannot read standard input: {e}")))?;
            if line.trim().is_empty() {
                continue;
            }
            let outcome = parse_answer_line(&line).and_then(|message| match message {
                Message::Answer(value) => interview.answer(&value).map_err(|e| e.to_string()),
                Message::Back => {
                    if interview.back() {
                        Ok(())
                    } else {
                        Err("there is no earlier question to go back to".to_string())
                    }
                }
            });
            match outcome {
                Ok(()) => break,
                Err(message) => {
                    #[derive(serde::Serialize)]
                    struct Body {
                        message: String,
                    }
                    writeln!(out, "{}", to_line("error", Body { message }))?;
                    writeln!(out, "{}", question_line(&interview, &question))?;
                    out.flush()?;
                }
            }
        }
    }
}

#[derive(Debug)]
enum Message {
    Answer(serde_json::Value),
    Back,
}

/// `{"answer": <value>}` (or `{"back": true}` to go back one question).
fn parse_answer_line(line: &str) -> Result<Message, String> {
    let value: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| format!("the answer line is not valid JSON: {e}"))?;
    let object = value
        .as_object()
        .ok_or("the answer line must be a JSON object like {\"answer\": true}")?;
    if object.get("back") == Some(&json!(true)) {
        return Ok(Message::Back);
    }
    match object.get("answer") {
        Some(answer) => Ok(Message::Answer(answer.clone())),
        None => Err("the answer line has no \"answer\" field: send {\"answer\": <value>} (null = don't know)".into()),
    }
}

const DONT_KNOW: &str = "I don't know";
const BACK: &str = "← Go back one question";

/// What the person did at a prompt.
enum Reply {
    Answer(serde_json::Value),
    Back,
}

fn interactive(
    kb: &KnowledgeBase,
    evidence: Evidence,
    reading: Option<&Reading>,
) -> Result<ExitCode, CliError> {
    let mut interview = Interview::new(kb, evidence);
    println!(
        "A few questions about your upper back. Answer \"{DONT_KNOW}\" whenever you are not sure; press Esc to go back, Ctrl-C to leave.\n{}\n",
        kb.disclaimer
    );
    while let Some(question) = interview.current() {
        let progress = interview.progress();
        let heading = format!(
            "Question {} of about {}",
            progress.asked + 1,
            progress.asked + progress.estimated_remaining
        );
        let reply = match ask(&question, &heading, interview.asked() > 0) {
            Ok(reply) => reply,
            Err(InquireError::OperationInterrupted) => {
                println!("\nStopped. Nothing was saved. If you are worried, contact a doctor or emergency services.");
                return Ok(ExitCode::from(EXIT_INTERRUPTED));
            }
            Err(InquireError::OperationCanceled) => Reply::Back,
            Err(e) => return Err(CliError::Failure(e.into())),
        };
        match reply {
            Reply::Back => {
                if !interview.back() {
                    println!("This is the first question.");
                }
            }
            Reply::Answer(value) => {
                if let Err(e) = interview.answer(&value) {
                    println!("{e}");
                }
            }
        }
    }
    println!();
    report::print(kb, &interview.result(), reading);
    Ok(ExitCode::SUCCESS)
}

fn ask(question: &QuestionView, heading: &str, can_go_back: bool) -> Result<Reply, InquireError> {
    let prompt = format!("{heading}: {}", question.text);
    match question.kind {
        QuestionKind::Checklist => {
            let items = question.items.as_ref().expect("checklists have items");
            // What the text said is shown with the person's words; what it read as there
            // starts ticked, for them to confirm or untick.
            let mut options: Vec<String> = items
                .iter()
                .map(|i| match &i.from_text {
                    Some(from) if from.status == TextSaid::Possible => i.label.to_string(),
                    Some(from) => format!("{} (you wrote: “{}”)", i.label, from.words),
                    None => i.label.to_string(),
                })
                .collect();
            let ticked_before: Vec<usize> = items
                .iter()
                .enumerate()
                .filter(|(_, i)| i.pre_ticked())
                .map(|(n, _)| n)
                .collect();
            options.push(DONT_KNOW.to_string());
            let chosen = MultiSelect::new(&prompt, options.clone())
                .with_default(&ticked_before)
                .with_help_message("↑↓ move, space ticks, enter when done (none ticked = none of these), Esc goes back")
                .prompt()?;
            if chosen.iter().any(|c| c == DONT_KNOW) {
                return Ok(Reply::Answer(serde_json::Value::Null));
            }
            let ticked: Vec<&str> = items
                .iter()
                .zip(&options)
                .filter(|(_, option)| chosen.contains(option))
                .map(|(i, _)| i.finding)
                .collect();
            Ok(Reply::Answer(json!(ticked)))
        }
        QuestionKind::YesNo => {
            let mut options = vec!["Yes", "No", DONT_KNOW];
            if can_go_back {
                options.push(BACK);
            }
            let chosen = Select::new(&prompt, options).prompt()?;
            Ok(match chosen {
                "Yes" => Reply::Answer(json!(true)),
                "No" => Reply::Answer(json!(false)),
                BACK => Reply::Back,
                _ => Reply::Answer(serde_json::Value::Null),
            })
        }
        QuestionKind::Choice => {
            let mut options: Vec<String> = question
                .choices
                .unwrap_or_default()
                .iter()
                .map(|c| c.replace('_', " "))
                .collect();
            options.push(DONT_KNOW.to_string());
            if can_go_back {
                options.push(BACK.to_string());
            }
            let chosen = Select::new(&prompt, options).prompt()?;
            if chosen == BACK {
                return Ok(Reply::Back);
            }
            Ok(Reply::Answer(
                question
                    .choices
                    .unwrap_or_default()
                    .iter()
                    .find(|c| c.replace('_', " ") == chosen)
                    .map_or(serde_json::Value::Null, |c| json!(c)),
            ))
        }
        QuestionKind::Number => {
            let unit = question.unit.unwrap_or("");
            let hours = unit == "hours";
            let (min, max) = (
                question.min.unwrap_or(f64::MIN),
                question.max.unwrap_or(f64::MAX),
            );
            let answer = Text::new(&prompt)
                .with_help_message(if hours {
                    "e.g. 36, \"3 days\" or \"2 weeks\"; leave empty if you don't know; Esc goes back"
                } else {
                    "a number; leave empty if you don't know; Esc goes back"
                })
                .with_validator(move |input: &str| {
                    Ok(match parse_number(input, hours) {
                        Ok(None) => inquire::validator::Validation::Valid,
                        Ok(Some(n)) if n >= min && n <= max => inquire::validator::Validation::Valid,
                        Ok(Some(_)) => inquire::validator::Validation::Invalid(
                            format!("Please give a number between {min} and {max}").into(),
                        ),
                        Err(message) => inquire::validator::Validation::Invalid(message.into()),
                    })
                })
                .prompt()?;
            Ok(Reply::Answer(match parse_number(&answer, hours) {
                Ok(Some(n)) => json!(n),
                _ => serde_json::Value::Null,
            }))
        }
    }
}

/// A typed number; for hours also "3 days", "2 weeks". Empty means don't know.
fn parse_number(input: &str, hours: bool) -> Result<Option<f64>, String> {
    let input = input.trim();
    if input.is_empty() || input.eq_ignore_ascii_case("don't know") || input == "?" {
        return Ok(None);
    }
    if let Ok(n) = input.parse::<f64>() {
        return Ok(Some(n));
    }
    if hours {
        let values = upperback_nlu::values::read_values(&format!("for {input}"), None);
        if let Some(d) = values.durations.iter().map(|d| d.value).reduce(f64::max) {
            return Ok(Some(d));
        }
    }
    Err(if hours {
        "Please type a number of hours, or something like \"3 days\"".into()
    } else {
        "Please type a number".into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_durations() {
        assert_eq!(parse_number("36", true), Ok(Some(36.0)));
        assert_eq!(parse_number("3 days", true), Ok(Some(72.0)));
        assert_eq!(parse_number("2 weeks", true), Ok(Some(336.0)));
        assert_eq!(parse_number("", true), Ok(None));
        assert!(parse_number("lots", false).is_err());
    }

    #[test]
    fn answer_lines() {
        assert!(matches!(
            parse_answer_line(r#"{"answer": true}"#),
            Ok(Message::Answer(_))
        ));
        assert!(matches!(
            parse_answer_line(r#"{"back": true}"#),
            Ok(Message::Back)
        ));
        assert!(parse_answer_line("{")
            .unwrap_err()
            .contains("not valid JSON"));
        assert!(parse_answer_line("[1]")
            .unwrap_err()
            .contains("JSON object"));
        assert!(parse_answer_line(r#"{"answr": 1}"#)
            .unwrap_err()
            .contains("no \"answer\""));
    }
}
