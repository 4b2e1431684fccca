//! `upperback kb check [DIR]` and `upperback kb show`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use upperback_core::{KnowledgeBase, KnowledgeFile, KNOWLEDGE_FILE_NAMES};

use crate::{bad_input, CliError};

#[derive(Subcommand)]
pub enum KbCommand {
    /// Validate a knowledge base: the one built into this program, or the files in DIR.
    /// Exit 0 when valid, 1 listing every problem (file and entry named) otherwise.
    Check {
        /// A folder holding knowledge_base.toml, sources.toml, findings.toml, triage.toml,
        /// causes.toml and care.toml.
        dir: Option<PathBuf>,
    },
    /// Print the built-in knowledge base.
    Show {
        /// Print it as JSON (with version and digest) instead of a readable listing.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: KbCommand) -> Result<ExitCode, CliError> {
    match command {
        KbCommand::Check { dir } => check(dir),
        KbCommand::Show { json } => {
            show(KnowledgeBase::embedded(), json);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check(dir: Option<PathBuf>) -> Result<ExitCode, CliError> {
    let result = match &dir {
        None => Ok(KnowledgeBase::embedded().clone()),
        Some(dir) => {
            if !dir.is_dir() {
                return Err(bad_input(format!(
                    "`{}` is not a folder holding a knowledge base",
                    dir.display()
                )));
            }
            let mut contents = Vec::new();
            for name in KNOWLEDGE_FILE_NAMES {
                if let Some(content) = read_if_present(&dir.join(name))? {
                    contents.push((name, content));
                }
            }
            let files: Vec<KnowledgeFile> = contents
                .iter()
                .map(|(name, content)| KnowledgeFile { name, content })
                .collect();
            KnowledgeBase::from_files(&files)
        }
    };
    match result {
        Ok(kb) => {
            // The reader's data files are checked against this knowledge base too.
            let reader_problems = check_reader_files(&kb, dir.as_deref())?;
            if !reader_problems.is_empty() {
                return Ok(report_problems(&reader_problems));
            }
            println!(
                "ok: knowledge base {} ({}): {} findings, {} red-flag rules, {} causes, {} advice items, {} warning signs, {} interview questions",
                kb.version,
                kb.digest,
                kb.findings.len(),
                kb.rules.len(),
                kb.causes.len(),
                kb.care.general.len() + kb.care.by_cause.iter().map(Vec::len).sum::<usize>(),
                kb.care.watch.len(),
                kb.interview.questions.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => Ok(report_problems(&errors.0)),
    }
}

/// Prints every problem, then how many: exit 1.
fn report_problems(problems: &[impl std::fmt::Display]) -> ExitCode {
    for problem in problems {
        println!("error: {problem}");
    }
    println!(
        "{} error(s): the knowledge base is not valid",
        problems.len()
    );
    ExitCode::from(1)
}

/// A file's text, or `None` when there is no such file (a knowledge-base folder may leave
/// files out); any other failure to read it is the user's to fix.
fn read_if_present(path: &std::path::Path) -> Result<Option<String>, CliError> {
    match std::fs::read_to_string(path) {
        Ok(content) => Ok(Some(content)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(bad_input(format!("cannot read `{}`: {e}", path.display()))),
    }
}

/// Checks the reader's files — `lexicon.toml`, `frames.toml`, `idioms.toml`, `clauses.toml`,
/// `reader_words.toml` and `context_rules.toml` — against the knowledge base: the embedded
/// ones, or those in `dir` (a file `dir` lacks is taken as embedded).
fn check_reader_files(
    kb: &KnowledgeBase,
    dir: Option<&std::path::Path>,
) -> Result<Vec<String>, CliError> {
    let read = |name: &str| match dir {
        Some(dir) => read_if_present(&dir.join(name)),
        None => Ok(None),
    };
    let mut problems = Vec::new();
    let embedded = upperback_nlu::lexicon::LexiconSources::EMBEDDED;
    let (lexicon, frames, idioms) = (
        read("lexicon.toml")?,
        read("frames.toml")?,
        read("idioms.toml")?,
    );
    let sources = upperback_nlu::lexicon::LexiconSources {
        lexicon: lexicon.as_deref().unwrap_or(embedded.lexicon),
        frames: frames.as_deref().unwrap_or(embedded.frames),
        idioms: idioms.as_deref().unwrap_or(embedded.idioms),
    };
    if let Err(e) = upperback_nlu::lexicon::Lexicon::from_sources(kb, sources) {
        problems.push(e.to_string());
    }
    let possible = match read("possible_red_flags.toml")? {
        Some(content) => upperback_nlu::possible::PossibleWords::from_toml(kb, &content).map(drop),
        None => upperback_nlu::possible::PossibleWords::embedded(kb).map(drop),
    };
    if let Err(e) = possible {
        problems.push(e.to_string());
    }
    let clauses = match read("clauses.toml")? {
        Some(content) => upperback_nlu::clauses::ClauseWords::from_toml(&content)
            .and_then(|words| words.check_sources(kb)),
        None => upperback_nlu::clauses::ClauseWords::embedded().check_sources(kb),
    };
    if let Err(e) = clauses {
        problems.push(e.to_string());
    }
    let reader_words = match read("reader_words.toml")? {
        Some(content) => upperback_nlu::words::ReaderWords::from_toml(&content)
            .and_then(|words| words.check_sources(kb)),
        None => upperback_nlu::words::ReaderWords::embedded().check_sources(kb),
    };
    if let Err(e) = reader_words {
        problems.push(e.to_string());
    }
    if let Some(content) = read("context_rules.toml")? {
        match upperback_nlu::ContextRules::from_toml(&content) {
            Ok(rules) => {
                if let Err(e) = upperback_nlu::ContextEngine::new(&rules) {
                    problems.push(format!("context_rules.toml: {e}"));
                }
            }
            Err(e) => problems.push(format!("context_rules.toml: {e}")),
        }
    }
    Ok(problems)
}

fn show(kb: &KnowledgeBase, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&kb.to_json_value()).expect("serialises")
        );
        return;
    }
    println!("{} — version {}", kb.title, kb.version);
    println!("digest {}", kb.digest);
    println!("\nFindings ({})", kb.findings.len());
    for finding in &kb.findings {
        let flag = if finding.red_flag { " [red flag]" } else { "" };
        let kind = match &finding.kind {
            upperback_core::FindingKind::Bool => "yes/no".to_string(),
            upperback_core::FindingKind::Number { unit, min, max } => {
                format!("number {min}–{max} {unit}")
            }
            upperback_core::FindingKind::Choice { choices } => choices.join(" | "),
        };
        println!(
            "  {:<38} {}{}  ({kind}; {})",
            finding.id, finding.meaning, flag, finding.source
        );
    }
    println!("\nTriage rules ({})", kb.rules.len());
    for rule in &kb.rules {
        println!(
            "  {:<22} {:<30} if {}  ({})",
            rule.level.as_str(),
            rule.id,
            rule.condition_text,
            rule.source
        );
    }
    println!("\nContributing causes (all numbers are expert estimates unless a study is cited)");
    for cause in &kb.causes {
        println!(
            "  {} — {} (prior {}{})",
            cause.id,
            cause.name,
            cause.prior,
            cause
                .estimate
                .as_deref()
                .map(|e| format!(", {e} estimate"))
                .unwrap_or_default()
        );
        for lr in &cause.evidence {
            println!(
                "      {:<30} {:<24} LR+ {:<4} LR− {}",
                kb.finding(lr.finding).id,
                lr.when.as_deref().unwrap_or(""),
                lr.lr_present,
                lr.lr_absent
            );
        }
    }
    println!(
        "\nCare plan: {} general advice items; cause advice at probability ≥ {}; {} warning signs; follow-up after {} hours",
        kb.care.general.len(),
        kb.care.threshold,
        kb.care.watch.len(),
        kb.care.follow_up_after_hours
    );
    println!("\n{}", kb.disclaimer);
}
