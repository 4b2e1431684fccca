//! `upperback assess`: structured answers (and, soon, free text) to an assessment.

use std::io::IsTerminal;
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset};
use clap::Args;
use upperback_core::{assess, Evidence, KnowledgeBase, Observation};
use upperback_nlu::{Reader, Reading};

use crate::input::read_input;
use crate::{bad_input, report, CliError};

/// How `assess` prints its result.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Fhir,
}

#[derive(Args)]
pub struct AssessArgs {
    /// The person's own words. `-` reads them from standard input. A text may begin with a
    /// dash ("- Age: 45 …", a bulleted list).
    #[arg(long, conflicts_with = "text_file", allow_hyphen_values = true)]
    text: Option<String>,
    /// A file holding the person's own words; `-` for standard input.
    #[arg(long, value_name = "PATH")]
    text_file: Option<String>,
    /// A JSON object of structured answers, finding id → value (true/false, a number, a
    /// choice string, or null for "don't know"); `-` for standard input.
    #[arg(long, value_name = "PATH")]
    answers: Option<String>,
    /// Age in years (same as the answer `age`).
    #[arg(long, allow_negative_numbers = true)]
    age: Option<f64>,
    /// Sex: female, male or other (same as the answer `sex`).
    #[arg(long)]
    sex: Option<String>,
    /// Print the result as JSON (the assessment contract) instead of a readable report.
    #[arg(long)]
    json: bool,
    /// Output format: `text` (the readable report, default), `json` (same as --json) or
    /// `fhir` (an R4 Bundle: Observations, a RiskAssessment and a CarePlan).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// An R4 QuestionnaireResponse answering `upperback fhir questionnaire` (JSON); its
    /// answers count as structured answers.
    #[arg(long, value_name = "PATH")]
    questionnaire_response: Option<String>,
    /// A ROSA workstation checklist (JSON, see `upperback ergo rosa`): a score of 5 or more
    /// counts as a poor workstation, and its fixes join the posture advice.
    #[arg(long, value_name = "PATH")]
    rosa: Option<String>,
    /// A RULA posture (JSON, see `upperback ergo rula`): a score of 5 or more counts as a
    /// poor workstation, and its fixes join the posture advice.
    #[arg(long, value_name = "PATH")]
    rula: Option<String>,
    /// Reference time for relative expressions such as "since Monday" (RFC 3339); default:
    /// the clock.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
}

pub fn run(args: AssessArgs) -> Result<ExitCode, CliError> {
    let kb = KnowledgeBase::embedded();
    let now = match &args.now {
        Some(now) => Some(DateTime::parse_from_rfc3339(now).map_err(|e| {
            bad_input(format!(
                "--now `{now}` is not an RFC 3339 time such as 2026-11-24T09:00:00Z: {e}"
            ))
        })?),
        None => Some(chrono::Local::now().fixed_offset()),
    };
    if args.answers.as_deref() == Some("-")
        && (args.text.as_deref() == Some("-") || args.text_file.as_deref() == Some("-"))
    {
        return Err(bad_input(
            "only one of --answers and --text/--text-file can read standard input",
        ));
    }
    let text = match (&args.text, &args.text_file) {
        (Some(text), _) if text == "-" => Some(read_input("-", "text")?),
        (Some(text), _) => Some(text.clone()),
        (None, Some(path)) => Some(read_input(path, "text")?),
        (None, None) => None,
    };
    let mut evidence = Evidence::new(kb);
    let mut given = false;
    let mut reading: Option<Reading> = None;
    let mut explicit_answers: Option<Evidence> = None;
    if let Some(text) = &text {
        let read = read_text(kb, text, now.as_ref())?;
        evidence = read.evidence.clone();
        reading = Some(read);
        given = true;
    }
    if let Some(path) = &args.answers {
        let json = read_input(path, "answers")?;
        let answers = kb
            .parse_answers(&json)
            .map_err(|e| bad_input(format!("{path}: {e}")))?;
        // Overlaid after any workstation score, below: an explicit answer wins over both.
        explicit_answers = Some(answers);
        given = true;
    }
    if let Some(path) = &args.questionnaire_response {
        let json = read_input(path, "QuestionnaireResponse")?;
        let value: serde_json::Value = serde_json::from_str(&json).map_err(|e| {
            bad_input(format!(
                "{path}: the QuestionnaireResponse is not valid JSON: {e}"
            ))
        })?;
        let answers = upperback_fhir::evidence_from_questionnaire_response(kb, &value)
            .map_err(|e| bad_input(format!("{path}: {e}")))?;
        match &mut explicit_answers {
            Some(existing) => existing.overlay(kb, &answers),
            None => explicit_answers = Some(answers),
        }
        given = true;
    }
    // A whole number stays whole so messages echo what was typed ("500", not "500.0").
    let age = args.age.map(|age| {
        let value = if age.fract() == 0.0 && age.abs() < 1e9 {
            serde_json::json!(age as i64)
        } else {
            serde_json::json!(age)
        };
        ("age", value)
    });
    let sex = args.sex.as_ref().map(|sex| ("sex", serde_json::json!(sex)));
    for (id, value) in age.into_iter().chain(sex) {
        let parsed = kb
            .parse_answer(id, &value)
            .map_err(|e| bad_input(format!("--{id}: {e}")))?;
        if let Some((finding, value)) = parsed {
            let mut answer = Evidence::new(kb);
            answer.set(finding, Observation::answer(value));
            evidence.overlay(kb, &answer);
            given = true;
        }
    }
    // A measured workstation outweighs the words but not an explicit answer.
    if let Some(path) = &args.rosa {
        let input = upperback_ergonomics::parse_rosa(&read_input(path, "ROSA")?)
            .map_err(|e| bad_input(format!("{path}: {e}")))?;
        let result = upperback_ergonomics::rosa::score(&input);
        upperback_ergonomics::evidence::add_to_evidence(kb, &mut evidence, (&result).into());
        given = true;
    }
    if let Some(path) = &args.rula {
        let input = upperback_ergonomics::parse_rula(&read_input(path, "RULA")?)
            .map_err(|e| bad_input(format!("{path}: {e}")))?;
        let result = upperback_ergonomics::rula::score(&input);
        upperback_ergonomics::evidence::add_to_evidence(kb, &mut evidence, (&result).into());
        given = true;
    }
    if let Some(answers) = &explicit_answers {
        evidence.overlay(kb, answers);
    }
    if !given && std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        // A person at a terminal with nothing to say yet: ask them.
        return crate::interview::run_interactive_from_nothing();
    }
    if !given {
        return Err(bad_input(
            "nothing to assess: give --text TEXT, --text-file FILE or --answers FILE",
        ));
    }
    let assessment = assess(kb, &evidence);
    match (args.json, args.format) {
        (_, Format::Fhir) => {
            // The Bundle's ids derive from this seed and the content: the same input gives
            // the same Bundle.
            let bundle = upperback_fhir::bundle(kb, &assessment, "upperback-cli");
            println!(
                "{}",
                serde_json::to_string(&bundle).expect("a Bundle serialises")
            );
        }
        (true, _) | (false, Format::Json) => println!("{}", assessment.to_json()),
        (false, Format::Text) => report::print(kb, &assessment, reading.as_ref()),
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the person's words into evidence; empty or over-long text is bad input.
pub fn read_text(
    kb: &KnowledgeBase,
    text: &str,
    now: Option<&DateTime<FixedOffset>>,
) -> Result<Reading, CliError> {
    Reader::embedded()
        .read(kb, text, now)
        .map_err(|e| bad_input(e.to_string()))
}
