//! `upperback admin`: account administration on the server's machine
//! (`../shared/contracts/http.md`, "Accounts").

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use upperback_store::{auth, normalize_email, Role, StoreError};

use crate::diary::{store_error, with_store, DatabaseArg};
use crate::{bad_input, CliError};

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create a clinician account. The password is asked for without echo on a terminal,
    /// otherwise read as one line from standard input (never from an argument); at least
    /// 12 characters.
    AddClinician(AddClinicianArgs),
}

#[derive(Args)]
pub struct AddClinicianArgs {
    /// The clinician's email address (their sign-in name; case does not matter).
    email: String,
    #[command(flatten)]
    db: DatabaseArg,
}

pub fn run(command: AdminCommand) -> Result<ExitCode, CliError> {
    match command {
        AdminCommand::AddClinician(args) => add_clinician(args),
    }
}

fn add_clinician(args: AddClinicianArgs) -> Result<ExitCode, CliError> {
    let email = normalize_email(&args.email)
        .map_err(|_| bad_input(format!("`{}` is not a valid email address", args.email)))?;
    let password = read_password()?;
    auth::check_new_password(&password, &[&email]).map_err(store_error)?;
    let account = with_store(args.db.database(), |store| async move {
        // Refuse early, before the (deliberately slow) hashing; the unique constraint still
        // decides should two runs race.
        if store
            .account_by_email(&email)
            .await
            .map_err(store_error)?
            .is_some()
        {
            return Err(taken());
        }
        let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
            .await
            .map_err(|e| CliError::Failure(anyhow::anyhow!("hashing the password: {e}")))?
            .map_err(store_error)?;
        store
            .create_account(&email, &hash, Role::Clinician)
            .await
            .map_err(|e| match e {
                StoreError::EmailTaken => taken(),
                other => store_error(other),
            })
    })?;
    println!(
        "Clinician account created: {} ({})",
        account.email, account.id
    );
    Ok(ExitCode::SUCCESS)
}

fn taken() -> CliError {
    bad_input("an account with that email already exists")
}

/// The password: asked for twice without echo when standard input is a terminal, else the
/// first line of standard input (without its line ending).
fn read_password() -> Result<String, CliError> {
    if std::io::stdin().is_terminal() {
        return inquire::Password::new("Password for the clinician (at least 12 characters):")
            .with_display_mode(inquire::PasswordDisplayMode::Hidden)
            .with_custom_confirmation_message("Once more:")
            .with_custom_confirmation_error_message("The passwords differ.")
            .prompt()
            .map_err(|e| match e {
                inquire::InquireError::OperationCanceled
                | inquire::InquireError::OperationInterrupted => {
                    bad_input("cancelled: no account created")
                }
                other => CliError::Failure(anyhow::anyhow!("cannot read the password: {other}")),
            });
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| bad_input(format!("cannot read the password from standard input: {e}")))?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    if password.is_empty() {
        return Err(bad_input(
            "no password on standard input: give it as one line (at least 12 characters)",
        ));
    }
    Ok(password.to_string())
}
