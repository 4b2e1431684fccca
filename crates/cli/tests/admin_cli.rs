//! End-to-end tests of `upperback admin add-clinician`: the password comes from standard
//! input (one line) when it is not a terminal; short passwords and taken emails exit 2 with
//! one line; the account exists afterwards, as a clinician, with an Argon2id hash.

mod common;

use std::path::Path;
use std::process::Output;

use upperback_store::{auth, Role};

fn add_clinician(db: &str, email: &str, stdin: &str) -> Output {
    common::upperback(
        &["admin", "add-clinician", email, "--database", db],
        Some(stdin),
    )
}

fn assert_bad_input(output: &Output, needle: &str) {
    common::assert_bad_input(output, &[needle]);
}

fn database(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("accounts.db").display())
}

fn account(db: &str, email: &str) -> Option<upperback_store::Credentials> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = upperback_store::open(db).await.unwrap();
        let found = store.account_by_email(email).await.unwrap();
        store.close().await;
        found
    })
}

#[test]
fn adds_a_clinician_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let password = "correct horse battery";

    let output = add_clinician(&db, "Dr.Who@Example.org", &format!("{password}\n"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("dr.who@example.org"), "{stdout}");
    assert!(!stdout.contains(password));

    let found = account(&db, "dr.who@example.org").expect("the account exists");
    assert_eq!(found.account.role, Role::Clinician);
    assert!(found.password_hash.starts_with("$argon2id$"));
    assert!(auth::verify_password(password, &found.password_hash));

    // The same email again, whatever its case: refused, and the first account is kept.
    let again = add_clinician(&db, "DR.WHO@example.org", "another long password\n");
    assert_bad_input(&again, "an account with that email already exists");
    let kept = account(&db, "dr.who@example.org").unwrap();
    assert_eq!(kept.account.id, found.account.id);
    assert!(auth::verify_password(password, &kept.password_hash));
}

#[test]
fn refuses_short_or_missing_passwords_and_bad_emails() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());

    assert_bad_input(
        &add_clinician(&db, "a@example.org", "short pw\n"),
        "at least 12 characters",
    );
    // 11 characters followed by a Windows line ending.
    assert_bad_input(
        &add_clinician(&db, "a@example.org", "elevenchars\r\n"),
        "at least 12 characters",
    );
    assert_bad_input(
        &add_clinician(&db, "a@example.org", ""),
        "no password on standard input",
    );
    assert_bad_input(
        &add_clinician(&db, "not an email", "a long enough password\n"),
        "not a valid email address",
    );
    assert!(account(&db, "a@example.org").is_none());

    // Exactly 12 characters is enough; only the first line counts.
    let output = add_clinician(&db, "a@example.org", "twelve chars\nignored\n");
    assert_eq!(output.status.code(), Some(0));
    let found = account(&db, "a@example.org").unwrap();
    assert!(auth::verify_password("twelve chars", &found.password_hash));
}
