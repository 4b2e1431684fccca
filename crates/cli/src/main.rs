//! The `upperback` command: assess an upper back spasm from a person's own words and/or
//! structured answers, check and show the knowledge base, annotate clinical sentences,
//! score workstations.
//!
//! Exit status: 0 when the command did its job (an assessment was produced, whatever its
//! level); 1 when a check found problems or something failed that is not the input's
//! fault; 2 for bad input, with one line naming the problem.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod admin;
mod assess;
mod context;
mod diary;
mod ergo;
mod fhir;
mod input;
mod interview;
mod kb;
mod report;
mod serve;

/// The reader and the server allocate many small strings; mimalloc serves them faster than the
/// system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What went wrong, and which exit status it earns.
#[derive(Debug)]
pub enum CliError {
    /// The input was wrong: exit 2 with this one-line message.
    BadInput(String),
    /// Anything else: exit 1.
    Failure(anyhow::Error),
}

impl From<anyhow::Error> for CliError {
    fn from(error: anyhow::Error) -> Self {
        CliError::Failure(error)
    }
}

impl From<std::io::Error> for CliError {
    fn from(error: std::io::Error) -> Self {
        CliError::Failure(error.into())
    }
}

/// Shorthand for a bad-input error.
pub fn bad_input(message: impl Into<String>) -> CliError {
    CliError::BadInput(message.into())
}

#[derive(Parser)]
#[command(
    name = "upperback",
    version,
    about = "Upper back spasm: is it dangerous, what is probably causing it, what to do now.",
    long_about = "Upper back spasm: is it dangerous, what is probably causing it, what to do now.\n\n\
                  upperback is not a diagnosis and not a substitute for a clinician."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Assess an upper back spasm: triage level, contributing causes and a care plan.
    Assess(assess::AssessArgs),
    /// Annotate concepts in clinical sentences with negation, time and experiencer (the
    /// context engine of the free-text reader, exposed for evaluation).
    Context(context::ContextArgs),
    /// Answer a few questions (red flags first, then what separates the causes) and get
    /// the same report as `assess`. `--json-lines` speaks the protocol for programs.
    Interview(interview::InterviewArgs),
    /// Check or show the knowledge base.
    #[command(subcommand)]
    Kb(kb::KbCommand),
    /// FHIR R4: print the interview as a Questionnaire.
    #[command(subcommand)]
    Fhir(fhir::FhirCommand),
    /// Score a workstation (ROSA) or a working posture (RULA).
    #[command(subcommand)]
    Ergo(ergo::ErgoCommand),
    /// Serve the HTTP API and the web page on 127.0.0.1:8080 (loopback only).
    Serve(serve::ServeArgs),
    /// A diary of episodes and check-ins, with the follow-up rule (the knowledge base's
    /// hours): add, check-in, list, show, chart.
    #[command(subcommand)]
    Diary(diary::DiaryCommand),
    /// Administer the server's accounts (run on the server's machine): add-clinician.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Assess(args) => assess::run(args),
        Command::Context(args) => context::run(args),
        Command::Interview(args) => interview::run(args),
        Command::Kb(command) => kb::run(command),
        Command::Ergo(command) => ergo::run(command),
        Command::Fhir(command) => fhir::run(command),
        Command::Serve(args) => serve::run(args),
        Command::Diary(command) => diary::run(command),
        Command::Admin(command) => admin::run(command),
    };
    match outcome {
        Ok(code) => code,
        Err(CliError::BadInput(message)) => {
            eprintln!("upperback: error: {message}");
            ExitCode::from(2)
        }
        Err(CliError::Failure(error)) => {
            eprintln!("upperback: error: {error:#}");
            ExitCode::from(1)
        }
    }
}
