//! `upperback ergo rula|rosa --input PATH [--json]`.

use std::process::ExitCode;

use clap::Subcommand;

use crate::input::read_input;
use crate::{bad_input, CliError};

#[derive(Subcommand)]
pub enum ErgoCommand {
    /// Score a working posture with RULA (neck, trunk and upper limbs).
    Rula {
        /// The posture as JSON (see docs); `-` reads standard input.
        #[arg(long)]
        input: String,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Score an office workstation with ROSA.
    Rosa {
        /// The workstation as JSON (see docs); `-` reads standard input.
        #[arg(long)]
        input: String,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: ErgoCommand) -> Result<ExitCode, CliError> {
    match command {
        ErgoCommand::Rula { input, json } => {
            let text = read_input(&input, "RULA input")?;
            let posture =
                upperback_ergonomics::parse_rula(&text).map_err(|e| bad_input(e.to_string()))?;
            let result = upperback_ergonomics::rula::score(&posture);
            if json {
                println!("{}", serde_json::to_string(&result).expect("serialises"));
            } else {
                print!("{}", upperback_ergonomics::render_rula_report(&result));
            }
        }
        ErgoCommand::Rosa { input, json } => {
            let text = read_input(&input, "ROSA input")?;
            let workstation =
                upperback_ergonomics::parse_rosa(&text).map_err(|e| bad_input(e.to_string()))?;
            let result = upperback_ergonomics::rosa::score(&workstation);
            if json {
                println!("{}", serde_json::to_string(&result).expect("serialises"));
            } else {
                print!("{}", upperback_ergonomics::render_rosa_report(&result));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
