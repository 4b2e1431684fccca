//! `upperback context --tsv PATH|-`: the context engine over a NegEx / ConText test-set file.

use std::fs::File;
use std::io::{self, BufReader};
use std::process::ExitCode;

use clap::Args;
use upperback_nlu::{ContextEngine, ContextTsvError};

use crate::{bad_input, CliError};

#[derive(Args)]
pub struct ContextArgs {
    /// A tab-separated file with a header line whose first three columns are an identifier, a
    /// concept and a sentence containing it; `-` reads standard input.
    #[arg(long, value_name = "PATH")]
    tsv: String,
}

pub fn run(args: ContextArgs) -> Result<ExitCode, CliError> {
    let engine = ContextEngine::embedded();
    let stdout = io::stdout().lock();
    let result = if args.tsv == "-" {
        engine.run_tsv(io::stdin().lock(), stdout)
    } else {
        let file = File::open(&args.tsv)
            .map_err(|e| bad_input(format!("cannot read TSV file `{}`: {e}", args.tsv)))?;
        engine.run_tsv(BufReader::with_capacity(1 << 16, file), stdout)
    };
    match result {
        Ok(summary) => {
            if summary.concepts_not_found > 0 {
                eprintln!(
                    "upperback: warning: {} of {} rows: the concept was not found in its sentence (printed as Affirmed, Recent, Patient)",
                    summary.concepts_not_found, summary.rows
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(ContextTsvError::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            Ok(ExitCode::SUCCESS)
        }
        Err(ContextTsvError::Write(e)) => Err(CliError::Failure(e.into())),
        Err(other) => Err(bad_input(other.to_string())),
    }
}
