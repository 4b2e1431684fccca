//! Passwords and session tokens, shared by the server (`--multi-user`) and the CLI
//! (`upperback admin add-clinician`).
//!
//! - Passwords are hashed with Argon2id (the `argon2` crate's defaults: version 0x13,
//!   19 MiB, 2 passes, 1 lane — OWASP's recommended minimum), stored as a PHC string with its
//!   own random salt. Hashing takes tens of milliseconds of CPU on purpose: call it from
//!   `tokio::task::spawn_blocking`.
//! - A session token is 32 random bytes from the operating system, shown to the client once
//!   as 64 hex characters. The store keeps only its SHA-256 ([`TokenHash`]): a copy of the
//!   database does not let anyone sign in. (A fast hash is right here: the token has 256 bits
//!   of entropy, unlike a password.)

use std::fmt;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};

use crate::StoreError;

/// The shortest password accepted (`shared/contracts/http.md`), in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted, in bytes (hashing cost grows with length).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// The weakest estimated strength accepted for a new password: zxcvbn's score 3 ("safely
/// unguessable: moderate protection from offline slow-hash scenario", under 10^10 guesses is
/// refused). NIST SP 800-63B asks that new passwords be checked against commonly used,
/// expected or compromised values; zxcvbn's dictionaries and patterns (repeats, sequences,
/// keyboard walks, dates, the person's own email) are that check.
const MIN_PASSWORD_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

/// Checks a password's length (every password, new or not: hashing cost grows with length).
fn check_password_length(password: &str) -> Result<(), StoreError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::invalid(format!(
            "password must be at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(StoreError::invalid(format!(
            "password must be at most {MAX_PASSWORD_BYTES} bytes"
        )));
    }
    Ok(())
}

/// Checks a new password: its length, then how easy it is to guess, given what the account
/// itself gives away (`own_words`, such as the email). The message can be shown as is.
pub fn check_new_password(password: &str, own_words: &[&str]) -> Result<(), StoreError> {
    check_password_length(password)?;
    // The email's local part and domain words are guesses an attacker tries first.
    let words: Vec<&str> = own_words
        .iter()
        .flat_map(|w| w.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .chain(own_words.iter().copied())
        .collect();
    // zxcvbn's work grows faster than the length; as its reference implementation does, only
    // the first 100 characters are estimated (what follows can only add strength).
    let head: String = password.chars().take(100).collect();
    let estimate = zxcvbn::zxcvbn(&head, &words);
    if estimate.score() >= MIN_PASSWORD_SCORE {
        return Ok(());
    }
    let feedback = estimate.feedback();
    let warning = feedback
        .and_then(|f| f.warning())
        .map(|w| format!(" ({})", w.to_string().trim_end_matches('.')))
        .unwrap_or_default();
    let suggestion = feedback
        .and_then(|f| f.suggestions().first())
        .map(|s| format!(" {s}"))
        .unwrap_or_default();
    Err(StoreError::invalid(format!(
        "password is too easy to guess{warning}.{suggestion} A few unrelated words together \
         make a strong password."
    )))
}

/// The Argon2id PHC string of a password (with a fresh random salt). Checks the password's
/// length first.
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    check_password_length(password)?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::internal_msg(format!("hashing a password: {e}")))
}

/// True when `password` matches the PHC string `hash`. A malformed hash is a mismatch.
pub fn verify_password(password: &str, hash: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Like [`verify_password`], but when there is no account (`hash` is `None`) it still spends
/// the time of one verification, so that the answer's timing does not tell whether an email
/// has an account. Always false then.
pub fn verify_password_or_dummy(password: &str, hash: Option<&str>) -> bool {
    match hash {
        Some(h) => verify_password(password, h),
        None => {
            static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            let dummy = DUMMY
                .get_or_init(|| hash_password("dummy password for timing").unwrap_or_default());
            let _ = verify_password(password, dummy);
            false
        }
    }
}

/// The SHA-256 of a session token: what the store keeps and looks up.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash(pub [u8; 32]);

impl TokenHash {
    /// The hash of a token as the client sent it.
    pub fn of(token: &str) -> TokenHash {
        TokenHash(Sha256::digest(token.as_bytes()).into())
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Enough to tell two apart in a log, not enough to matter.
        write!(f, "TokenHash({:02x}{:02x}…)", self.0[0], self.0[1])
    }
}

/// A new session token (64 hex characters, 256 random bits) and its hash. Give the token to
/// the client; store the hash.
pub fn new_session_token() -> (String, TokenHash) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = TokenHash::of(&token);
    (token, hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(hash_password("short").is_err());
        assert_ne!(h, hash_password("correct horse battery").unwrap(), "salted");
        assert!(!verify_password_or_dummy("correct horse battery", None));
        assert!(verify_password_or_dummy("correct horse battery", Some(&h)));
    }

    #[test]
    fn guessable_passwords_are_refused_with_a_reason() {
        for weak in [
            "            ",
            "aaaaaaaaaaaa",
            "password1234",
            "qwertyuiop12",
            "123456789012",
            "ana.lopez@example.org",
            "analopez2024",
        ] {
            let error = check_new_password(weak, &["ana.lopez@example.org", "analopez"])
                .expect_err(weak)
                .to_string();
            assert!(
                error.contains("password is too easy to guess"),
                "{weak}: {error}"
            );
        }
        assert!(check_new_password("short", &[])
            .unwrap_err()
            .to_string()
            .contains("at least 12 characters"));
        for strong in [
            "correct horse battery",
            "staple of the clinic",
            "tulip gravel sonnet 7",
        ] {
            check_new_password(strong, &["ana@example.org"]).expect(strong);
        }
    }

    #[test]
    fn tokens() {
        let (a, ha) = new_session_token();
        let (b, hb) = new_session_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(ha, hb);
        assert_eq!(TokenHash::of(&a), ha);
    }
}
