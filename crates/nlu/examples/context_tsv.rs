//! Runs the context engine over a NegEx / ConText test-set TSV (the `upperback context --tsv` contract).
//!
//! Usage: `cargo run --release -p upperback-nlu --example context_tsv -- PATH` (`-` for standard input).

use std::fs::File;
use std::io::{self, BufReader};
use std::process::ExitCode;

use upperback_nlu::context::ContextEngine;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: context_tsv PATH  (PATH may be - for standard input)");
        return ExitCode::from(2);
    };
    let engine = ContextEngine::embedded();
    let stdout = io::stdout();
    let result = if path == "-" {
        engine.run_tsv(io::stdin().lock(), stdout.lock())
    } else {
        match File::open(&path) {
            Ok(file) => engine.run_tsv(BufReader::with_capacity(1 << 16, file), stdout.lock()),
            Err(e) => {
                eprintln!("context_tsv: cannot open {path}: {e}");
                return ExitCode::from(1);
            }
        }
    };
    match result {
        Ok(summary) => {
            if summary.concepts_not_found > 0 {
                eprintln!(
                    "warning: {} of {} rows: concept not found in its sentence (printed as Affirmed, Recent, Patient)",
                    summary.concepts_not_found, summary.rows
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("context_tsv: {e}");
            ExitCode::from(1)
        }
    }
}
