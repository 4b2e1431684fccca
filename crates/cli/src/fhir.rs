//! `upperback fhir questionnaire`: the interview as an R4 Questionnaire.

use std::process::ExitCode;

use clap::Subcommand;
use upperback_core::KnowledgeBase;

use crate::CliError;

#[derive(Subcommand)]
pub enum FhirCommand {
    /// Print the interview as an R4 Questionnaire (one item per finding, linkId = finding
    /// id; follow-up questions carry enableWhen). Answer it with a QuestionnaireResponse and
    /// pass that to `upperback assess --questionnaire-response FILE`.
    Questionnaire,
}

pub fn run(command: FhirCommand) -> Result<ExitCode, CliError> {
    match command {
        FhirCommand::Questionnaire => {
            let questionnaire = upperback_fhir::questionnaire(KnowledgeBase::embedded());
            println!(
                "{}",
                serde_json::to_string_pretty(&questionnaire).expect("a Questionnaire serialises")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
