//! Accounts, sessions, sharing, the clinician queue, export and erase (`--multi-user`,
//! `../shared/contracts/http.md`).
//!
//! Every record belongs to one account and every read goes through the store's [`Viewer`]
//! rule, so another account's record is simply not found (404, never 403). Passwords are
//! hashed with Argon2id on the blocking pool (tens of milliseconds of CPU on purpose); a
//! session token is 256 random bits given to the client once, and only its SHA-256 is kept.
//! Export and erase also work in local mode, on the records that belong to no account.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use upperback_store::{auth, AssessmentId, Role, StoreError};

use crate::api::{json, json_of, parse_id};
use crate::auth::{Caller, Clinician};
use crate::input::{only_fields, type_name, JsonObject};
use crate::problem::{Kind, Problem};
use crate::AppState;

/// A store error as the client sees it: not found, taken, invalid (422 naming the field
/// when the message starts with one), or unavailable (logged, never shown).
pub(crate) fn store_problem(error: StoreError, what: &str) -> Problem {
    match error {
        StoreError::NotFound => Problem::not_found(what),
        StoreError::EmailTaken => Problem::new(
            Kind::EmailTaken,
            "an account with this email exists already; sign in instead",
        ),
        StoreError::Invalid(message) => {
            // The store's messages start with the field they are about ("severity must be
            // from 0 to 10"); only the request fields it checks are named as such.
            const FIELDS: [&str; 8] = [
                "email",
                "password",
                "at",
                "severity",
                "location",
                "triggers",
                "home_care",
                "started_at",
            ];
            let field = message
                .split_whitespace()
                .next()
                .filter(|w| FIELDS.contains(w))
                .unwrap_or("")
                .to_string();
            let detail = match message.strip_prefix(&field) {
                Some(rest) if !field.is_empty() => rest.trim_start().to_string(),
                _ => message,
            };
            Problem::field(field, detail)
        }
        StoreError::Unreadable { what, id, source } => {
            tracing::error!(what, id, error = %source, "a stored record does not read back");
            Problem::internal()
        }
        other => crate::outage::store_failed(other, "a request"),
    }
}

/// A required string member.
pub(crate) fn required_string(body: &Map<String, Value>, name: &str) -> Result<String, Problem> {
    match body.get(name) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(Problem::field(
            name,
            format!("must be a string, not {}", type_name(other)),
        )),
        None => Err(Problem::field(name, "is missing")),
    }
}

fn not_in_local_mode() -> Problem {
    Problem::new(
        Kind::NotFound,
        "accounts exist only when the server runs with --multi-user",
    )
}

/// The email (normalised) and password of an account request; 404 unless `--multi-user`.
fn email_and_password(
    state: &AppState,
    body: &Map<String, Value>,
) -> Result<(String, String), Problem> {
    if !state.multi_user() {
        return Err(not_in_local_mode());
    }
    only_fields(body, &["email", "password"])?;
    let email = required_string(body, "email")?;
    let email = upperback_store::normalize_email(&email)
        .map_err(|_| Problem::field("email", "is not an email address such as ana@example.org"))?;
    let password = required_string(body, "password")?;
    Ok((email, password))
}

/// Creates a person's account.
///
/// Clinician accounts are made on the server's machine (`upperback admin add-clinician`).
#[utoipa::path(
    post,
    path = "/api/v1/accounts",
    tag = "accounts",
    request_body(content = crate::request_schemas::Credentials, description = "The new account's email and password (at least 12 characters, hard to guess)"),
    responses(
        (status = 201, description = "The account: id, email, role, created_at", body = Object),
        (status = 404, description = "Not a --multi-user server", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The email has an account already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad email, or a password under 12 characters or too easy to guess (zxcvbn score under 3)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_account(
    State(state): State<AppState>,
    JsonObject(body): JsonObject,
) -> Result<Response, Problem> {
    let (email, password) = email_and_password(&state, &body)?;
    let account = register(&state, &email, &password).await?;
    json_of(StatusCode::CREATED, &account)
}

/// Registers a person (shared with the web page's form).
pub(crate) async fn register(
    state: &AppState,
    email: &str,
    password: &str,
) -> Result<upperback_store::Account, Problem> {
    // Checked before the hashing is queued; its messages start with "password", so they
    // name the field.
    auth::check_new_password(password, &[email]).map_err(|e| store_problem(e, "account"))?;
    let database = state.database()?;
    let password = password.to_string();
    let hash = state
        .passwords()
        .hash(move || auth::hash_password(&password))
        .await?
        .map_err(|e| store_problem(e, "account"))?;
    database
        .create_account(email, &hash, Role::Person)
        .await
        .map_err(|e| store_problem(e, "account"))
}

/// Checks an email and password and opens a session: the token (to be shown once) and when
/// it stops working. `None` for a wrong email or password (the two are not told apart, and
/// take the same time). After a few wrong passwords for the account, or many from the
/// address (`client`), attempts must wait: 429 with `Retry-After`, the password unchecked.
pub(crate) async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    client: std::net::IpAddr,
) -> Result<
    Option<(
        String,
        chrono::DateTime<chrono::Utc>,
        upperback_store::Account,
    )>,
    Problem,
> {
    let database = state.database()?;
    if let Some(wait) = state.passwords().wait(email, client) {
        return Err(crate::passwords::throttled(wait));
    }
    let credentials = database
        .account_by_email(email)
        .await
        .map_err(|e| store_problem(e, "account"))?;
    let hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let password = password.to_string();
    let matches = state
        .passwords()
        .hash(move || auth::verify_password_or_dummy(&password, hash.as_deref()))
        .await?;
    let Some(credentials) = credentials.filter(|_| matches) else {
        state.passwords().failed(email, client);
        return Ok(None);
    };
    state.passwords().succeeded(email);
    let (token, hash) = auth::new_session_token();
    let ttl = chrono::Duration::from_std(state.session_ttl())
        .unwrap_or_else(|_| chrono::Duration::days(30));
    let expires_at = upperback_store::now_micros() + ttl;
    database
        .create_session(&hash, credentials.account.id, expires_at)
        .await
        .map_err(|e| store_problem(e, "account"))?;
    Ok(Some((token, expires_at, credentials.account)))
}

/// Signs in: `{"token"}` to send as `Authorization: Bearer <token>`.
#[utoipa::path(
    post,
    path = "/api/v1/sessions",
    tag = "accounts",
    request_body(content = crate::request_schemas::Credentials, description = "The account's email and password"),
    responses(
        (status = 200, description = "`{\"token\", \"expires_at\", \"account\"}`", body = Object),
        (status = 401, description = "Wrong email or password", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not a --multi-user server", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords for this account (or from this address): wait `Retry-After` seconds", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many sign-ins at once, or the store does not answer: wait `Retry-After` seconds", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_session(
    State(state): State<AppState>,
    crate::layers::ClientAddress(client): crate::layers::ClientAddress,
    JsonObject(body): JsonObject,
) -> Result<Response, Problem> {
    let (email, password) = email_and_password(&state, &body)?;
    match sign_in(&state, &email, &password, client).await? {
        Some((token, expires_at, account)) => Ok(json(
            StatusCode::OK,
            json!({"token": token, "expires_at": expires_at, "account": account}).to_string(),
        )),
        None => Err(Problem::unauthorized("wrong email or password")),
    }
}

/// Signs out: the token stops working.
#[utoipa::path(
    delete,
    path = "/api/v1/sessions/current",
    tag = "accounts",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "No working session", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete_session(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, Problem> {
    sign_out(&state, &caller).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Ends the caller's session (nothing to do in local mode).
pub(crate) async fn sign_out(state: &AppState, caller: &Caller) -> Result<(), Problem> {
    if let Some(token) = &caller.token {
        state
            .database()?
            .delete_session(token)
            .await
            .map_err(|e| store_problem(e, "session"))?;
    }
    Ok(())
}

/// The signed-in account.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "accounts",
    responses(
        (status = 200, description = "`{\"id\", \"email\", \"role\", \"created_at\"}`; `{\"mode\": \"local\"}` without --multi-user", body = Object),
        (status = 401, description = "No working session", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn me(caller: Caller) -> Result<Response, Problem> {
    match &caller.account {
        Some(account) => json_of(StatusCode::OK, account),
        None => Ok(json(StatusCode::OK, json!({"mode": "local"}).to_string())),
    }
}

/// Shares one of the caller's assessments with a clinician.
#[utoipa::path(
    post,
    path = "/api/v1/assessments/{id}/share",
    tag = "accounts",
    params(("id" = String, Path, description = "The assessment's id")),
    request_body(content = crate::request_schemas::ShareRequest, description = "The clinician to share with, e.g. `{\"clinician\": \"dr.lee@clinic.example\"}`"),
    responses(
        (status = 204, description = "Shared: that clinician may now read it, and it is in their queue"),
        (status = 401, description = "No working session", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not the caller's assessment", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`clinician` missing, not an email, or no clinician has an account with it", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn share(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    JsonObject(body): JsonObject,
) -> Result<Response, Problem> {
    let id = parse_id(&id, "assessment")?;
    only_fields(&body, &["clinician"])?;
    let clinician = required_string(&body, "clinician")?;
    share_with(&state, &caller, id, &clinician).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Shares an assessment (shared with the web page's form).
pub(crate) async fn share_with(
    state: &AppState,
    caller: &Caller,
    id: uuid::Uuid,
    clinician: &str,
) -> Result<(), Problem> {
    let clinician = upperback_store::normalize_email(clinician).map_err(|_| {
        Problem::field(
            "clinician",
            "is not an email address such as dr.lee@clinic.example",
        )
    })?;
    let Some(owner) = caller.owner() else {
        return Err(Problem::new(
            Kind::NotFound,
            "sharing needs accounts: run the server with --multi-user",
        ));
    };
    let shared = state
        .database()?
        .share(owner, AssessmentId(id), &clinician)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => Problem::new(Kind::NotFound, NOT_YOURS),
            other => store_problem(other, "assessment"),
        });
    match shared {
        // Nothing shared: the assessment is not the caller's, or no clinician has this email.
        Err(problem) if problem.detail == NOT_YOURS => {
            let yours = matches!(
                state.store().get_assessment(caller.viewer, id).await,
                Ok(Some(stored)) if stored.owner.is_some() && stored.owner == caller.owner()
            );
            Err(if yours {
                Problem::field("clinician", NO_SUCH_CLINICIAN)
            } else {
                problem
            })
        }
        other => other,
    }
}

const NOT_YOURS: &str = "no assessment of yours with this id";

/// What sharing answers when no clinician has the email (422, field `clinician`).
pub(crate) const NO_SUCH_CLINICIAN: &str =
    "no clinician has an account with this email on this server: check the address, or ask \
     the clinician which email they use here";

/// The clinician's queue: assessments shared with them, most urgent first, then oldest.
#[utoipa::path(
    get,
    path = "/api/v1/queue",
    tag = "accounts",
    responses(
        (status = 200, description = "An array of `{assessment_id, owner, owner_email, level, created_at, shared_at, kb_version}`, most urgent level first, then oldest first", body = Object),
        (status = 401, description = "No working session", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller is not a clinician", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn queue(
    State(state): State<AppState>,
    Clinician(account): Clinician,
) -> Result<Response, Problem> {
    let items = state
        .database()?
        .queue(account)
        .await
        .map_err(|e| store_problem(e, "queue"))?;
    json_of(StatusCode::OK, &items)
}

/// All of the caller's data as one JSON document.
#[utoipa::path(
    get,
    path = "/api/v1/me/export",
    tag = "accounts",
    responses(
        (status = 200, description = "`{format, exported_at, account, assessments, shares, episodes}`", body = Object),
        (status = 401, description = "No working session", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn export(State(state): State<AppState>, caller: Caller) -> Result<Response, Problem> {
    let document = state
        .database()?
        .export(caller.viewer)
        .await
        .map_err(|e| store_problem(e, "account"))?;
    let mut response = json(StatusCode::OK, document.to_string());
    response.headers_mut().insert(
        axum::http::header::CONTENT_DISPOSITION,
        axum::http::HeaderValue::from_static("attachment; filename=\"upperback-export.json\""),
    );
    Ok(response)
}

/// Erases all of the caller's data (and, with accounts, the account and its sessions).
#[utoipa::path(
    delete,
    path = "/api/v1/me",
    tag = "accounts",
    responses(
        (status = 204, description = "Everything erased, in one transaction"),
        (status = 401, description = "No working session", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn erase(State(state): State<AppState>, caller: Caller) -> Result<Response, Problem> {
    state
        .database()?
        .erase(caller.viewer)
        .await
        .map_err(|e| store_problem(e, "account"))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_become_problems() {
        assert_eq!(store_problem(StoreError::NotFound, "episode").status, 404);
        assert_eq!(store_problem(StoreError::EmailTaken, "account").status, 409);
        let p = store_problem(
            StoreError::Invalid("severity must be from 0 to 10".into()),
            "x",
        );
        assert_eq!(p.status, 422);
        assert_eq!(p.field.as_deref(), Some("severity"));
        assert_eq!(p.detail, "severity: must be from 0 to 10");
        let p = store_problem(StoreError::Invalid("the path is empty".into()), "x");
        assert_eq!(p.field, None);
        assert_eq!(p.detail, "the path is empty");
    }
}
