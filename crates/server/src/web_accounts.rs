//! The web pages of accounts and the diary, server-rendered like [`crate::web`] (plain forms,
//! post → redirect → get, no script needed):
//!
//! - `--multi-user` only (404 in local mode): sign in, create an account, sign out; the
//!   session token goes into the `upperback_session` cookie (`HttpOnly; SameSite=Strict`, so
//!   no script can read it and another site cannot send it); a clinician's queue of shared
//!   assessments; the share form on a result page.
//! - Both modes: "My episodes" (the diary, newest first, with the follow-up rule and a
//!   banner when an episode is overdue), one episode with its severity chart and check-ins,
//!   and the forms that start an episode and add a check-in.
//!
//! Bad form input shows the form again (422) with the message beside the field; another
//! account's episode is "not found"; a store error is a 503 page (logged, never shown).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Datelike, Local, NaiveDateTime, TimeZone, Utc};
use maud::{html, Markup};
use serde_json::{Map, Value};
use upperback_core::{KnowledgeBase, LevelInfo};
use upperback_store::{AccountId, EpisodeDetail, EpisodeId, FollowUp, FollowUpRule, StoreError};
use uuid::Uuid;

use crate::accounts::store_problem;
use crate::auth::{forwarded_https, Caller, SignedIn, SECURE_SESSION_COOKIE, SESSION_COOKIE};
use crate::input::Body;
use crate::problem::Problem;
use crate::web::{
    ambulance_signs, assessment_unreadable, capitalise, field, form_pairs, html_response,
    level_class, level_label, location_words, page_with_nav, problem_response, query_param,
    see_other, Nav,
};
use crate::AppState;

/// The styles of these pages, appended to `/static/app.css`.
pub(crate) const CSS: &str = include_str!("../static/accounts.css");

/// "My episodes" reads each listed episode's check-ins for its follow-up: the newest this
/// many are listed, so the page stays quick however long the diary grows.
const MAX_LISTED: usize = 50;

// ---- small pieces shared by the forms ----

/// What to fix in a form: a message per field (shown beside it), or for the whole form
/// (field `""`, shown at the top only).
#[derive(Debug, Default)]
struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    fn add(&mut self, field: &str, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push((field.to_string(), message.into()));
        }
    }

    /// A problem's message, beside its field when it names one of `fields` (its detail
    /// without the `field: ` prefix), else for the whole form.
    fn from_problem(problem: &Problem, fields: &[&str]) -> FieldErrors {
        let mut errors = FieldErrors::default();
        let named = problem
            .field
            .as_deref()
            .map(|f| f.split('[').next().unwrap_or(f))
            .filter(|f| fields.contains(f));
        match (named, problem.field.as_deref()) {
            (Some(name), Some(full)) => {
                let message = problem
                    .detail
                    .strip_prefix(&format!("{full}: "))
                    .unwrap_or(&problem.detail);
                errors.add(name, message);
            }
            _ => errors.add("", problem.detail.clone()),
        }
        errors
    }

    fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The list of what to fix, at the top of a form, each linking to its field (the script
/// moves focus here, so screen readers announce it).
fn error_summary(errors: &FieldErrors, labels: &[(&str, &str)]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div class="error" role="alert" {
                p { strong { "Please check:" } }
                ul {
                    @for (name, message) in &errors.0 {
                        @let label = labels.iter().find(|(n, _)| n == name).map(|(_, l)| *l);
                        li {
                            @if let Some(label) = label {
                                a href={ "#" (name) } { (label) } ": " (message)
                            } @else {
                                (message)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The message beside a field.
fn field_error(errors: &FieldErrors, name: &str) -> Markup {
    html! {
        @if let Some(message) = errors.get(name) {
            p class="field-error" id={ (name) "-error" } {
                span aria-hidden="true" { "⚠ " } span class="vh" { "Error: " } (capitalise(message))
            }
        }
    }
}

/// `aria-describedby` of a field: its hint and its error, when there are any.
fn described_by(errors: &FieldErrors, name: &str, hint: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{name}-hint"));
    }
    if errors.get(name).is_some() {
        ids.push(format!("{name}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

fn invalid(errors: &FieldErrors, name: &str) -> Option<&'static str> {
    errors.get(name).map(|_| "true")
}

/// The form's fields, or why the body could not be read.
fn read_form(body: Result<Body, Problem>) -> Result<Vec<(String, String)>, Problem> {
    body.map(|Body(bytes)| form_pairs(&bytes))
}

fn not_found(state: &AppState, nav: Nav, message: &str) -> Response {
    html_response(
        StatusCode::NOT_FOUND,
        page_with_nav(
            nav,
            "Not found",
            state.kb(),
            html! {
                h1 { "Not found" }
                p { (message) }
                p { a href="/" { "Back to the start" } }
            },
        ),
    )
}

/// What local mode answers for the account pages.
fn no_accounts_here(state: &AppState) -> Response {
    not_found(
        state,
        Nav::Local,
        "This server has no accounts: it is for the one person using this computer, and needs \
         no sign-in.",
    )
}

/// A time as a person reads it, on the server's clock (the person's own computer in local
/// mode).
fn when(time: DateTime<Utc>) -> Markup {
    html! {
        time datetime=(time.to_rfc3339()) { (time.with_timezone(&Local).format("%a %-d %b %Y, %H:%M")) }
    }
}

/// Now, as a `datetime-local` field's value.
fn now_input() -> String {
    Local::now().format("%Y-%m-%dT%H:%M").to_string()
}

/// A time typed into a `datetime-local` field (on the server's clock, as the field's default
/// is), or with its offset (RFC 3339). Refuses what cannot be meant: more than a day ahead,
/// or before 1900.
fn parse_time_input(text: &str) -> Result<DateTime<Utc>, &'static str> {
    let text = text.trim();
    let time = match DateTime::parse_from_rfc3339(text) {
        Ok(t) => t.with_timezone(&Utc),
        Err(_) => {
            // Browsers without a date picker show a text box: accept a space for the "T".
            let typed = text.replacen(' ', "T", 1);
            let naive = [
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%dT%H:%M:%S%.f",
            ]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(&typed, format).ok())
            .ok_or("is not a date and time such as 2026-11-23 09:00")?;
            Local
                .from_local_datetime(&naive)
                .earliest()
                .ok_or("does not exist on this clock (the clocks changed then): try an hour later")?
                .with_timezone(&Utc)
        }
    };
    if time.year() < 1900 {
        return Err("is too long ago: check the year");
    }
    if time > Utc::now() + chrono::Duration::days(1) {
        return Err("is in the future: check the date");
    }
    Ok(time)
}

/// Comma-separated words as a list, blanks dropped.
fn comma_list(text: &str) -> Vec<Value> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Value::String(s.to_string()))
        .collect()
}

/// A severity typed into a form: a whole number (the range is the diary's to check).
fn severity_value(text: &str) -> Result<Option<Value>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<u64>()
        .map(|n| Some(Value::from(n)))
        .map_err(|_| "type a whole number from 0 to 10")
}

/// The `location` finding's choices in the knowledge base.
fn location_choices(state: &AppState) -> &[String] {
    let kb = state.kb();
    kb.finding_id("location")
        .and_then(|f| match &kb.finding(f).kind {
            upperback_core::FindingKind::Choice { choices } => Some(choices.as_slice()),
            _ => None,
        })
        .unwrap_or_default()
}

// ---- sign in, register, sign out ----

/// Signed in with the new session `token`: 303 to `/`, setting a cookie that is sent back
/// with every same-site request, never readable by a script, gone after the session's
/// lifetime.
/// Marked `Secure` (only ever sent over HTTPS) when the server runs behind a proxy that says
/// the client used HTTPS (`--behind-proxy`, `X-Forwarded-Proto: https`).
fn signed_in(state: &AppState, headers: &HeaderMap, token: &str) -> Response {
    let secure = state.behind_proxy() && forwarded_https(headers);
    see_other_with_session("/", token, state.session_ttl().as_secs(), secure)
}

/// 303 to `to`, setting the session cookie to `token` for `max_age` seconds (`secure`: the
/// cookie's `Secure` attribute).
fn see_other_with_session(to: &str, token: &str, max_age: u64, secure: bool) -> Response {
    let (name, secure) = if secure {
        (SECURE_SESSION_COOKIE, "; Secure")
    } else {
        (SESSION_COOKIE, "")
    };
    let cookie =
        format!("{name}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}");
    let mut response = see_other(to);
    match HeaderValue::from_str(&cookie) {
        Ok(value) => {
            response.headers_mut().insert(header::SET_COOKIE, value);
            response
        }
        Err(_) => problem_response(&Problem::internal()),
    }
}

/// The email field of the sign-in and register forms.
fn email_field(email: &str, errors: &FieldErrors) -> Markup {
    html! {
        div class="field" {
            label for="email" { "Email" }
            (field_error(errors, "email"))
            input type="email" id="email" name="email" autocomplete="email" required
                value=(email) aria-invalid=[invalid(errors, "email")]
                aria-describedby=[described_by(errors, "email", false)];
        }
    }
}

const SIGN_IN_LABELS: [(&str, &str); 2] = [("email", "Email"), ("password", "Password")];

fn sign_in_html(state: &AppState, email: &str, errors: &FieldErrors) -> Markup {
    let content = html! {
        h1 { "Sign in" }
        (error_summary(errors, &SIGN_IN_LABELS))
        form method="post" action="/sign-in" class="account" novalidate {
            (crate::csrf::hidden_field())
            (email_field(email, errors))
            div class="field" {
                label for="password" { "Password" }
                (field_error(errors, "password"))
                input type="password" id="password" name="password" autocomplete="current-password" required
                    aria-invalid=[invalid(errors, "password")]
                    aria-describedby=[described_by(errors, "password", false)];
            }
            div class="actions" {
                button type="submit" class="primary" { "Sign in" }
            }
        }
        p { "No account yet? " a href="/register" { "Create an account" } }
        p class="small" { "Clinicians: your account is made by the person who runs this server." }
    };
    page_with_nav(Nav::SignedOut, "Sign in", state.kb(), content)
}

/// The sign-in form.
#[utoipa::path(get, path = "/sign-in", tag = "web",
    responses((status = 200, description = "The sign-in form (--multi-user)", content_type = "text/html"),
              (status = 303, description = "Signed in already: to the home page"),
              (status = 404, description = "Not a --multi-user server", content_type = "text/html")))]
pub async fn sign_in_page(
    State(state): State<AppState>,
    caller: Result<Caller, Problem>,
) -> Response {
    signed_out_page(&state, &caller, sign_in_html)
}

/// A form for people who are not signed in (`sign_in_html`, `register_html`), empty; 303 to
/// the home page when signed in already; a 404 page unless `--multi-user`.
fn signed_out_page(
    state: &AppState,
    caller: &Result<Caller, Problem>,
    form: fn(&AppState, &str, &FieldErrors) -> Markup,
) -> Response {
    if !state.multi_user() {
        return no_accounts_here(state);
    }
    if caller.is_ok() {
        return see_other("/");
    }
    html_response(StatusCode::OK, form(state, "", &FieldErrors::default()))
}

/// The fields of the sign-in or register form; a 404 page unless `--multi-user`.
fn account_form(
    state: &AppState,
    body: Result<Body, Problem>,
) -> Result<Vec<(String, String)>, Box<Response>> {
    if !state.multi_user() {
        return Err(Box::new(no_accounts_here(state)));
    }
    read_form(body).map_err(|problem| Box::new(problem_response(&problem)))
}

/// Checks an email typed into a form; the normalised address, or why not.
fn check_email(typed: &str, errors: &mut FieldErrors) -> Option<String> {
    if typed.trim().is_empty() {
        errors.add("email", "type your email address");
        return None;
    }
    match upperback_store::normalize_email(typed) {
        Ok(email) => Some(email),
        Err(_) => {
            errors.add(
                "email",
                "this is not an email address such as ana@example.org",
            );
            None
        }
    }
}

/// Signs in from the form: a session cookie and 303 to `/`, or the form again (401 for a
/// wrong email or password; the email is kept, the password never).
#[utoipa::path(post, path = "/sign-in", tag = "web",
    request_body(content = crate::request_schemas::WebForm, content_type = "application/x-www-form-urlencoded", description = "form_token, email, password"),
    responses((status = 303, description = "Signed in: `Set-Cookie: upperback_session=…; HttpOnly; SameSite=Strict`, to `/`"),
              (status = 401, description = "Wrong email or password: the form again", content_type = "text/html"),
              (status = 422, description = "A field is empty or not an email: the form again", content_type = "text/html"),
              (status = 404, description = "Not a --multi-user server", content_type = "text/html")))]
pub async fn sign_in_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    crate::layers::ClientAddress(client): crate::layers::ClientAddress,
    body: Result<Body, Problem>,
) -> Response {
    let pairs = match account_form(&state, body) {
        Ok(pairs) => pairs,
        Err(response) => return *response,
    };
    let typed = field(&pairs, "email").unwrap_or("").trim();
    let password = field(&pairs, "password").unwrap_or("");
    let mut errors = FieldErrors::default();
    let email = check_email(typed, &mut errors);
    if password.is_empty() {
        errors.add("password", "type your password");
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            sign_in_html(&state, typed, &errors),
        );
    };
    match crate::accounts::sign_in(&state, &email, password, client).await {
        Ok(Some((token, _, _))) => signed_in(&state, &headers, &token),
        Ok(None) => {
            let mut errors = FieldErrors::default();
            errors.add(
                "",
                "The email or the password is wrong. Check both and try again.",
            );
            html_response(
                StatusCode::UNAUTHORIZED,
                sign_in_html(&state, typed, &errors),
            )
        }
        Err(problem) => problem_response(&problem),
    }
}

const REGISTER_LABELS: [(&str, &str); 3] = [
    ("email", "Email"),
    ("password", "Password"),
    ("password_again", "Password again"),
];

fn register_html(state: &AppState, email: &str, errors: &FieldErrors) -> Markup {
    let content = html! {
        h1 { "Create an account" }
        p { "Your account keeps your assessments and your diary, so that only you can read them — and a clinician, if you choose to share an assessment with them." }
        (error_summary(errors, &REGISTER_LABELS))
        form method="post" action="/register" class="account" novalidate {
            (crate::csrf::hidden_field())
            (email_field(email, errors))
            div class="field" {
                label for="password" { "Password" }
                p class="hint" id="password-hint" { "At least 12 characters. A few unrelated words make a good one." }
                (field_error(errors, "password"))
                input type="password" id="password" name="password" autocomplete="new-password" required minlength="12"
                    aria-invalid=[invalid(errors, "password")]
                    aria-describedby=[described_by(errors, "password", true)];
            }
            div class="field" {
                label for="password_again" { "Password again" }
                (field_error(errors, "password_again"))
                input type="password" id="password_again" name="password_again" autocomplete="new-password" required
                    aria-invalid=[invalid(errors, "password_again")]
                    aria-describedby=[described_by(errors, "password_again", false)];
            }
            div class="actions" {
                button type="submit" class="primary" { "Create the account" }
            }
        }
        p { "Have an account? " a href="/sign-in" { "Sign in" } }
    };
    page_with_nav(Nav::SignedOut, "Create an account", state.kb(), content)
}

/// The form that creates a person's account.
#[utoipa::path(get, path = "/register", tag = "web",
    responses((status = 200, description = "The form (--multi-user)", content_type = "text/html"),
              (status = 303, description = "Signed in already: to the home page"),
              (status = 404, description = "Not a --multi-user server", content_type = "text/html")))]
pub async fn register_page(
    State(state): State<AppState>,
    caller: Result<Caller, Problem>,
) -> Response {
    signed_out_page(&state, &caller, register_html)
}

/// Creates a person's account from the form and signs them in at once.
#[utoipa::path(post, path = "/register", tag = "web",
    request_body(content = crate::request_schemas::WebForm, content_type = "application/x-www-form-urlencoded", description = "form_token, email, password, password_again"),
    responses((status = 303, description = "Created and signed in: `Set-Cookie`, to `/`"),
              (status = 409, description = "The email has an account already: the form again", content_type = "text/html"),
              (status = 422, description = "A field is wrong (the message is beside it): the form again", content_type = "text/html"),
              (status = 404, description = "Not a --multi-user server", content_type = "text/html")))]
pub async fn register_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    crate::layers::ClientAddress(client): crate::layers::ClientAddress,
    body: Result<Body, Problem>,
) -> Response {
    let pairs = match account_form(&state, body) {
        Ok(pairs) => pairs,
        Err(response) => return *response,
    };
    let typed = field(&pairs, "email").unwrap_or("").trim();
    let password = field(&pairs, "password").unwrap_or("");
    let again = field(&pairs, "password_again").unwrap_or("");
    let mut errors = FieldErrors::default();
    let email = check_email(typed, &mut errors);
    if let Err(StoreError::Invalid(message)) =
        upperback_store::auth::check_new_password(password, &[typed])
    {
        errors.add(
            "password",
            message.trim_start_matches("password ").to_string(),
        );
    }
    if again != password {
        errors.add(
            "password_again",
            "is not the same as the password: type the same password twice",
        );
    }
    let form_again = |status: StatusCode, errors: &FieldErrors| {
        html_response(status, register_html(&state, typed, errors))
    };
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return form_again(StatusCode::UNPROCESSABLE_ENTITY, &errors);
    };
    if let Err(problem) = crate::accounts::register(&state, &email, password).await {
        return match problem.status {
            409 => {
                let mut errors = FieldErrors::default();
                errors.add(
                    "email",
                    "already has an account: sign in instead, or use another email",
                );
                form_again(StatusCode::CONFLICT, &errors)
            }
            422 => form_again(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FieldErrors::from_problem(&problem, &["email", "password"]),
            ),
            _ => problem_response(&problem),
        };
    }
    match crate::accounts::sign_in(&state, &email, password, client).await {
        Ok(Some((token, _, _))) => signed_in(&state, &headers, &token),
        Ok(None) => see_other("/sign-in"),
        Err(problem) => problem_response(&problem),
    }
}

/// Signs out: the session stops working and the cookie is expired.
#[utoipa::path(post, path = "/sign-out", tag = "web",
    responses((status = 303, description = "Signed out (the cookie expired), to `/sign-in`"),
              (status = 404, description = "Not a --multi-user server", content_type = "text/html")))]
pub async fn sign_out_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Result<Caller, Problem>,
) -> Response {
    if !state.multi_user() {
        return no_accounts_here(&state);
    }
    // Without a working session there is nothing to end; the cookie is expired all the same.
    if let Ok(caller) = &caller {
        if let Err(problem) = crate::accounts::sign_out(&state, caller).await {
            return problem_response(&problem);
        }
    }
    let secure = state.behind_proxy() && forwarded_https(&headers);
    see_other_with_session("/sign-in", "", 0, secure)
}

// ---- the diary ----

/// What the new-episode form had, to show it again.
#[derive(Debug, Default)]
struct EpisodeForm {
    started_at: String,
    location: String,
    severity: String,
    triggers: String,
    /// The assessment the episode starts from (the result page's link fills it in).
    assessment: String,
}

const EPISODE_LABELS: [(&str, &str); 5] = [
    ("started_at", "When it started"),
    ("location", "Where it hurts"),
    ("severity", "How bad it is"),
    ("triggers", "What set it off"),
    ("assessment", "Assessment"),
];

/// "72 hours": the follow-up time in words (the knowledge base's hours, 72 in care.toml).
fn hours_words(hours: f64) -> String {
    if hours == 1.0 {
        "1 hour".to_string()
    } else {
        format!("{hours} hours")
    }
}

/// The level an overdue follow-up asks for (care.toml `[follow_up] level`): its label and
/// `tell` (triage.toml) are what the diary's pages say about seeing someone.
fn follow_up_level(kb: &KnowledgeBase) -> &LevelInfo {
    kb.level_info(kb.care.follow_up_level)
}

/// The banner of an overdue follow-up: unrelieved past the follow-up time after the start
/// despite home care.
fn overdue_banner(state: &AppState, rule: FollowUpRule, episodes: &[&EpisodeDetail]) -> Markup {
    let kb = state.kb();
    let level = follow_up_level(kb);
    html! {
        section class={ "banner overdue " (level_class(level.level.as_str())) } aria-labelledby="overdue" {
            p class="kicker" { "Follow-up" }
            h2 id="overdue" { (level.label) }
            p class="summary" {
                "It has been more than " (hours_words(rule.hours())) " and your back is not getting better, even with home care. "
                (level.tell)
            }
            @if !episodes.is_empty() {
                p {
                    "Not getting better: "
                    @for (i, detail) in episodes.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href={ "/episodes/" (detail.episode.id) } { "the episode that started " (when(detail.episode.started_at)) }
                    }
                    "."
                }
            }
            p { "Do not wait for the appointment if:" }
            (ambulance_signs(kb))
        }
    }
}

/// Where an episode stands with the follow-up `rule` (`follow_up`, at `now`), in a sentence.
fn follow_up_words(
    kb: &KnowledgeBase,
    detail: &EpisodeDetail,
    rule: FollowUpRule,
    follow_up: &FollowUp,
    now: DateTime<Utc>,
) -> Markup {
    let latest_improving = detail
        .check_ins
        .iter()
        .filter(|c| c.at <= now)
        .max_by_key(|c| (c.at, c.created_at))
        .map(|c| c.improving);
    let level = follow_up_level(kb);
    html! {
        @if follow_up.overdue {
            span class={ "tag " (level_class(level.level.as_str())) } { (level.label) }
        } @else if now <= follow_up.due_at {
            "Not clearly better by " (when(follow_up.due_at)) " despite home care? " (level.tell)
        } @else if latest_improving == Some(true) {
            "Getting better at the last check-in."
        } @else {
            "It started more than " (hours_words(rule.hours())) " ago. Not getting better with home care? " (level.tell)
        }
    }
}

fn severity_words(severity: u8) -> String {
    format!("{severity} out of 10")
}

fn episodes_html(
    state: &AppState,
    caller: &Caller,
    rule: FollowUpRule,
    details: &[EpisodeDetail],
    more: bool,
    form: &EpisodeForm,
    errors: &FieldErrors,
) -> Markup {
    let now = Utc::now();
    let listed: Vec<(&EpisodeDetail, FollowUp)> = details
        .iter()
        .map(|d| (d, d.follow_up(rule, now)))
        .collect();
    let overdue: Vec<&EpisodeDetail> = listed
        .iter()
        .filter(|(_, follow_up)| follow_up.overdue)
        .map(|(detail, _)| *detail)
        .collect();
    let choices = location_choices(state);
    let content = html! {
        h1 { "My episodes" }
        (error_summary(errors, &EPISODE_LABELS))
        @if !overdue.is_empty() {
            (overdue_banner(state, rule, &overdue))
        }
        p { "A short diary of each spasm: when it started, how bad it is, and what you have tried." }
        p { strong { "Follow-up: " } (state.kb().care.follow_up_text) }
        section aria-labelledby="list" {
            h2 id="list" { "Your episodes" }
            @if details.is_empty() {
                p { "None yet. Start one with the form below." }
            } @else {
                @if more {
                    p class="small" { "The newest " (MAX_LISTED) " episodes." }
                }
                ul class="episodes" {
                    @for (detail, follow_up) in &listed {
                        @let episode = &detail.episode;
                        li {
                            h3 { a href={ "/episodes/" (episode.id) } { "Started " (when(episode.started_at)) } }
                            p class="small" {
                                @if let Some(location) = &episode.location { (location_words(location)) " · " }
                                @if let Some(severity) = episode.severity { (severity_words(severity)) " at the start · " }
                                (detail.check_ins.len()) @if detail.check_ins.len() == 1 { " check-in" } @else { " check-ins" }
                            }
                            p { (follow_up_words(state.kb(), detail, rule, follow_up, now)) }
                        }
                    }
                }
            }
        }
        section aria-labelledby="new-episode" {
            h2 id="new-episode" { "Start a new episode" }
            form method="post" action="/episodes" class="diary" novalidate {
                (crate::csrf::hidden_field())
                @if !form.assessment.is_empty() || errors.get("assessment").is_some() {
                    div id="assessment" {
                        @if !form.assessment.is_empty() {
                            input type="hidden" name="assessment" value=(form.assessment);
                            p {
                                "This episode will be linked to "
                                a href={ "/result/" (form.assessment) } { "your assessment" } "."
                            }
                        }
                        (field_error(errors, "assessment"))
                    }
                }
                div class="field" {
                    label for="started_at" { "When did it start?" }
                    p class="hint" id="started_at-hint" { "Date and time, for example 2026-11-23 09:00." }
                    (field_error(errors, "started_at"))
                    input type="datetime-local" id="started_at" name="started_at" required value=(form.started_at)
                        aria-invalid=[invalid(errors, "started_at")]
                        aria-describedby=[described_by(errors, "started_at", true)];
                }
                div class="field" {
                    label for="location" { "Where does it hurt? " span class="optional" { "(optional)" } }
                    (field_error(errors, "location"))
                    select id="location" name="location" aria-invalid=[invalid(errors, "location")]
                        aria-describedby=[described_by(errors, "location", false)] {
                        option value="" selected[form.location.is_empty()] { "Not sure, or somewhere else" }
                        @for choice in choices {
                            option value=(choice) selected[form.location == *choice] { (location_words(choice)) }
                        }
                    }
                }
                div class="field" {
                    label for="severity" { "How bad is it? " span class="optional" { "(optional)" } }
                    p class="hint" id="severity-hint" { "0 means no pain, 10 the worst pain you can imagine." }
                    (field_error(errors, "severity"))
                    input type="number" id="severity" name="severity" min="0" max="10" step="1" inputmode="numeric"
                        value=(form.severity) aria-invalid=[invalid(errors, "severity")]
                        aria-describedby=[described_by(errors, "severity", true)];
                }
                div class="field" {
                    label for="triggers" { "What set it off? " span class="optional" { "(optional)" } }
                    p class="hint" id="triggers-hint" { "Separate with commas, for example: desk work, lifting, golf." }
                    (field_error(errors, "triggers"))
                    input type="text" id="triggers" name="triggers" autocomplete="off" value=(form.triggers)
                        aria-invalid=[invalid(errors, "triggers")]
                        aria-describedby=[described_by(errors, "triggers", true)];
                }
                div class="actions" {
                    button type="submit" class="primary" { "Start the episode" }
                }
            }
        }
    };
    page_with_nav(Nav::of(caller), "My episodes", state.kb(), content)
}

/// "My episodes" with `form` (and what to fix in it), answered with `status`.
async fn episodes_response(
    state: &AppState,
    caller: &Caller,
    form: &EpisodeForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let rule = state.follow_up_rule();
    let database = match state.database() {
        Ok(database) => database,
        Err(problem) => return problem_response(&problem),
    };
    // One more than is listed, to know whether there are more.
    let mut details = match database
        .episode_details(caller.viewer, MAX_LISTED + 1)
        .await
    {
        Ok(details) => details,
        Err(e) => return problem_response(&store_problem(e, "episode")),
    };
    let more = details.len() > MAX_LISTED;
    details.truncate(MAX_LISTED);
    html_response(
        status,
        episodes_html(state, caller, rule, &details, more, form, errors),
    )
}

/// "My episodes": the diary, newest first, each with its follow-up; a banner when one is
/// overdue; the form that starts an episode (`?assessment=<id>` links it to an assessment).
#[utoipa::path(get, path = "/episodes", tag = "web",
    params(("assessment" = Option<String>, Query, description = "An assessment id to link the new episode to")),
    responses((status = 200, description = "The caller's episodes and the new-episode form", content_type = "text/html"),
              (status = 303, description = "No session (--multi-user): to `/sign-in`"),
              (status = 503, description = "No database (`--database memory`), or it does not answer", content_type = "text/html")))]
pub async fn episodes_page(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    RawQuery(query): RawQuery,
) -> Response {
    let assessment = query_param(query.as_deref(), "assessment")
        .and_then(|v| Uuid::parse_str(v.trim()).ok())
        .map(|id| id.to_string())
        .unwrap_or_default();
    let form = EpisodeForm {
        started_at: now_input(),
        assessment,
        ..EpisodeForm::default()
    };
    episodes_response(
        &state,
        &caller,
        &form,
        &FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The new-episode form → the diary's request body, or what to fix.
fn episode_body(
    state: &AppState,
    form: &EpisodeForm,
    errors: &mut FieldErrors,
) -> Map<String, Value> {
    let mut body = Map::new();
    if form.started_at.trim().is_empty() {
        errors.add("started_at", "is missing: when did it start?");
    } else {
        match parse_time_input(&form.started_at) {
            Ok(time) => {
                body.insert("started_at".into(), Value::String(time.to_rfc3339()));
            }
            Err(message) => errors.add("started_at", message),
        }
    }
    if !form.location.is_empty() {
        if location_choices(state).contains(&form.location) {
            body.insert("location".into(), Value::String(form.location.clone()));
        } else {
            errors.add("location", "choose a place from the list");
        }
    }
    match severity_value(&form.severity) {
        Ok(Some(severity)) => {
            body.insert("severity".into(), severity);
        }
        Ok(None) => {}
        Err(message) => errors.add("severity", message),
    }
    body.insert("triggers".into(), Value::Array(comma_list(&form.triggers)));
    if !form.assessment.is_empty() {
        body.insert("assessment".into(), Value::String(form.assessment.clone()));
    }
    body
}

/// Starts an episode from the form, then 303 to it.
#[utoipa::path(post, path = "/episodes", tag = "web",
    request_body(content = crate::request_schemas::WebForm, content_type = "application/x-www-form-urlencoded", description = "form_token, started_at (datetime-local), location?, severity? (0-10), triggers? (comma-separated), assessment?"),
    responses((status = 303, description = "To the new episode's page"),
              (status = 422, description = "A field is wrong: the page again, the message beside it", content_type = "text/html"),
              (status = 303, description = "No session (--multi-user): to `/sign-in`")))]
pub async fn new_episode_form(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    body: Result<Body, Problem>,
) -> Response {
    let pairs = match read_form(body) {
        Ok(pairs) => pairs,
        Err(problem) => return problem_response(&problem),
    };
    let text = |name: &str| field(&pairs, name).unwrap_or("").to_string();
    let mut form = EpisodeForm {
        started_at: text("started_at"),
        location: text("location"),
        severity: text("severity"),
        triggers: text("triggers"),
        assessment: text("assessment").trim().to_string(),
    };
    let mut errors = FieldErrors::default();
    let body = episode_body(&state, &form, &mut errors);
    if errors.is_empty() {
        match start_episode(&state, &caller, &body).await {
            Ok(id) => return see_other(&format!("/episodes/{id}")),
            Err(Refused::Problem(problem)) => return problem_response(&problem),
            Err(Refused::Fix(fix)) => errors = fix,
        }
    }
    // A link to an assessment that is not the caller's is dropped, so that sending the form
    // again works.
    if errors.get("assessment").is_some() {
        form.assessment.clear();
    }
    episodes_response(
        &state,
        &caller,
        &form,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// Why a form's record was not made: what to fix in the form, or a problem for an error
/// page (a store that does not answer, an episode that is not the caller's).
enum Refused {
    Fix(FieldErrors),
    Problem(Problem),
}

impl Refused {
    /// The diary's verdict on a request body, beside the form's `fields`.
    fn invalid(problem: Problem, fields: &[&str]) -> Refused {
        if problem.status == 422 {
            Refused::Fix(FieldErrors::from_problem(&problem, fields))
        } else {
            Refused::Problem(problem)
        }
    }
}

/// Starts an episode for the caller from the form's request body.
async fn start_episode(
    state: &AppState,
    caller: &Caller,
    body: &Map<String, Value>,
) -> Result<EpisodeId, Refused> {
    let fields = EPISODE_LABELS.map(|(name, _)| name);
    let new =
        crate::diary::new_episode(body).map_err(|problem| Refused::invalid(problem, &fields))?;
    let database = state.database().map_err(Refused::Problem)?;
    match database.create_episode(caller.owner(), new).await {
        Ok(episode) => Ok(episode.id),
        Err(StoreError::NotFound) => {
            let mut errors = FieldErrors::default();
            errors.add(
                "assessment",
                "is not one of your assessments: start the episode without it",
            );
            Err(Refused::Fix(errors))
        }
        Err(e) => Err(Refused::invalid(store_problem(e, "episode"), &fields)),
    }
}

/// What the check-in form had, to show it again.
#[derive(Debug, Default)]
struct CheckInForm {
    at: String,
    severity: String,
    improving: String,
    home_care: Vec<String>,
    other_care: String,
}

const CHECK_IN_LABELS: [(&str, &str); 5] = [
    ("at", "When"),
    ("severity", "How bad it is now"),
    ("improving", "Getting better"),
    ("home_care", "What you tried"),
    ("home_care_other", "Something else"),
];

fn episode_html(
    state: &AppState,
    caller: &Caller,
    rule: FollowUpRule,
    detail: &EpisodeDetail,
    form: &CheckInForm,
    errors: &FieldErrors,
) -> Markup {
    let now = Utc::now();
    let episode = &detail.episode;
    let follow_up = detail.follow_up(rule, now);
    let id = episode.id;
    let started = episode
        .started_at
        .with_timezone(&Local)
        .format("%-d %b %Y")
        .to_string();
    let content = html! {
        p class="back no-print" { a href="/episodes" { "← My episodes" } }
        h1 { "Episode that started " (when(episode.started_at)) }
        (error_summary(errors, &CHECK_IN_LABELS))
        @if follow_up.overdue {
            (overdue_banner(state, rule, &[]))
        } @else {
            p class="follow-up-note" { (follow_up_words(state.kb(), detail, rule, &follow_up, now)) }
        }
        dl class="facts" {
            dt { "Where" }
            dd { @if let Some(location) = &episode.location { (location_words(location)) } @else { "Not given" } }
            dt { "How bad at the start" }
            dd { @if let Some(severity) = episode.severity { (severity_words(severity)) } @else { "Not given" } }
            dt { "What set it off" }
            dd { @if episode.triggers.is_empty() { "Not given" } @else { (episode.triggers.join(", ")) } }
            @if let Some(assessment) = episode.assessment {
                dt { "Assessment" }
                dd { a href={ "/result/" (assessment) } { "The assessment this episode started from" } }
            }
        }
        section aria-labelledby="progress" {
            h2 id="progress" { "How it has gone" }
            figure class="chart" {
                img src={ "/api/v1/episodes/" (id) "/chart.svg" } width="800" height="450"
                    alt={ "Chart of how bad the pain has been, from 0 to 10, since " (started) ". The same numbers are in the table below." };
            }
            @if detail.check_ins.is_empty() {
                p { "No check-ins yet. Add one below each day: it takes a few seconds." }
            } @else {
                div class="table-wrap" role="region" aria-labelledby="check-ins-caption" tabindex="0" {
                    table class="data" {
                        caption id="check-ins-caption" { "Check-ins, oldest first" }
                        thead {
                            tr {
                                th scope="col" { "When" }
                                th scope="col" { "How bad (0 to 10)" }
                                th scope="col" { "Getting better?" }
                                th scope="col" { "Tried" }
                            }
                        }
                        tbody {
                            @for check_in in &detail.check_ins {
                                tr {
                                    td { (when(check_in.at)) }
                                    td { (check_in.severity) }
                                    td { @if check_in.improving { "Yes" } @else { "No" } }
                                    td { @if check_in.home_care.is_empty() { "Nothing" } @else { (check_in.home_care.join(", ")) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="check-in" {
            h2 id="check-in" { "Add a check-in" }
            form method="post" action={ "/episodes/" (id) "/check-ins" } class="diary" novalidate {
                (crate::csrf::hidden_field())
                div class="field" {
                    label for="severity" { "How bad is it now?" }
                    p class="hint" id="severity-hint" { "0 means no pain, 10 the worst pain you can imagine." }
                    (field_error(errors, "severity"))
                    input type="number" id="severity" name="severity" min="0" max="10" step="1" inputmode="numeric" required
                        value=(form.severity) aria-invalid=[invalid(errors, "severity")]
                        aria-describedby=[described_by(errors, "severity", true)];
                }
                fieldset id="improving" aria-describedby=[described_by(errors, "improving", false)] {
                    legend { "Is it getting better?" }
                    (field_error(errors, "improving"))
                    div class="options two" {
                        label class="option" { input type="radio" name="improving" value="yes" checked[form.improving == "yes"]; " Yes" }
                        label class="option" { input type="radio" name="improving" value="no" checked[form.improving == "no"]; " No" }
                    }
                }
                fieldset id="home_care" aria-describedby=[described_by(errors, "home_care", false)] {
                    legend { "What have you tried since the last check-in? " span class="optional" { "(optional)" } }
                    (field_error(errors, "home_care"))
                    div class="options" {
                        @for care in &state.kb().care.home_care {
                            label class="option" {
                                input type="checkbox" name="home_care" value=(care.id) checked[form.home_care.contains(&care.id)];
                                " " (care.label)
                            }
                        }
                    }
                    div class="field" {
                        label for="home_care_other" { "Something else " span class="optional" { "(optional)" } }
                        p class="hint" id="home_care_other-hint" { "Separate with commas, for example: physio exercises, a new pillow." }
                        (field_error(errors, "home_care_other"))
                        input type="text" id="home_care_other" name="home_care_other" autocomplete="off" value=(form.other_care)
                            aria-invalid=[invalid(errors, "home_care_other")]
                            aria-describedby=[described_by(errors, "home_care_other", true)];
                    }
                }
                div class="field" {
                    label for="at" { "When" }
                    p class="hint" id="at-hint" { "Now, unless you are writing down an earlier day." }
                    (field_error(errors, "at"))
                    input type="datetime-local" id="at" name="at" value=(form.at)
                        aria-invalid=[invalid(errors, "at")]
                        aria-describedby=[described_by(errors, "at", true)];
                }
                div class="actions" {
                    button type="submit" class="primary" { "Save the check-in" }
                }
            }
        }
    };
    page_with_nav(
        Nav::of(caller),
        &format!("Episode of {started}"),
        state.kb(),
        content,
    )
}

fn episode_not_found(state: &AppState, caller: &Caller) -> Response {
    not_found(
        state,
        Nav::of(caller),
        "There is no episode of yours here. See your episodes under “My episodes”.",
    )
}

/// One episode's page (the caller's, else the not-found page), answered with `status`.
async fn episode_response(
    state: &AppState,
    caller: &Caller,
    id: EpisodeId,
    form: &CheckInForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let rule = state.follow_up_rule();
    match crate::diary::load_episode(state, caller, id).await {
        Ok(detail) => html_response(
            status,
            episode_html(state, caller, rule, &detail, form, errors),
        ),
        Err(problem) if problem.status == 404 => episode_not_found(state, caller),
        Err(problem) => problem_response(&problem),
    }
}

/// One of the caller's episodes: the follow-up, the severity chart, the check-ins and the
/// check-in form.
#[utoipa::path(get, path = "/episodes/{id}", tag = "web",
    params(("id" = String, Path, description = "The episode's id")),
    responses((status = 200, description = "The episode", content_type = "text/html"),
              (status = 303, description = "No session (--multi-user): to `/sign-in`"),
              (status = 404, description = "Not one of the caller's episodes", content_type = "text/html")))]
pub async fn episode_page(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let Some(id) = crate::api::path_id(&id) else {
        return episode_not_found(&state, &caller);
    };
    let form = CheckInForm {
        at: now_input(),
        ..CheckInForm::default()
    };
    episode_response(
        &state,
        &caller,
        EpisodeId(id),
        &form,
        &FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The check-in form → the diary's request body, or what to fix.
fn check_in_body(form: &CheckInForm, errors: &mut FieldErrors) -> Map<String, Value> {
    let mut body = Map::new();
    if !form.at.trim().is_empty() {
        match parse_time_input(&form.at) {
            Ok(time) => {
                body.insert("at".into(), Value::String(time.to_rfc3339()));
            }
            Err(message) => errors.add("at", message),
        }
    }
    match severity_value(&form.severity) {
        Ok(Some(severity)) => {
            body.insert("severity".into(), severity);
        }
        Ok(None) => errors.add("severity", "is missing: how bad is it now, from 0 to 10?"),
        Err(message) => errors.add("severity", message),
    }
    match form.improving.as_str() {
        "yes" => {
            body.insert("improving".into(), Value::Bool(true));
        }
        "no" => {
            body.insert("improving".into(), Value::Bool(false));
        }
        _ => errors.add("improving", "choose Yes or No"),
    }
    let mut care: Vec<Value> = form
        .home_care
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .map(|c| Value::String(c.to_string()))
        .collect();
    care.extend(comma_list(&form.other_care));
    body.insert("home_care".into(), Value::Array(care));
    body
}

/// Adds a check-in from the form, then 303 back to the episode.
#[utoipa::path(post, path = "/episodes/{id}/check-ins", tag = "web",
    params(("id" = String, Path, description = "The episode's id")),
    request_body(content = crate::request_schemas::WebForm, content_type = "application/x-www-form-urlencoded", description = "form_token, severity (0-10), improving (yes | no), home_care (repeated), home_care_other (comma-separated), at? (datetime-local)"),
    responses((status = 303, description = "Back to the episode"),
              (status = 404, description = "Not one of the caller's episodes", content_type = "text/html"),
              (status = 422, description = "A field is wrong: the page again, the message beside it", content_type = "text/html")))]
pub async fn check_in_form(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    id: Result<Path<String>, PathRejection>,
    body: Result<Body, Problem>,
) -> Response {
    let Some(id) = crate::api::path_id(&id).map(EpisodeId) else {
        return episode_not_found(&state, &caller);
    };
    let pairs = match read_form(body) {
        Ok(pairs) => pairs,
        Err(problem) => return problem_response(&problem),
    };
    let form = CheckInForm {
        at: field(&pairs, "at").unwrap_or("").to_string(),
        severity: field(&pairs, "severity").unwrap_or("").to_string(),
        improving: field(&pairs, "improving").unwrap_or("").to_string(),
        home_care: pairs
            .iter()
            .filter(|(k, _)| k == "home_care")
            .map(|(_, v)| v.clone())
            .collect(),
        other_care: field(&pairs, "home_care_other").unwrap_or("").to_string(),
    };
    let mut errors = FieldErrors::default();
    let body = check_in_body(&form, &mut errors);
    if errors.is_empty() {
        match add_check_in(&state, &caller, id, &body).await {
            Ok(()) => return see_other(&format!("/episodes/{id}")),
            Err(Refused::Problem(problem)) if problem.status == 404 => {
                return episode_not_found(&state, &caller)
            }
            Err(Refused::Problem(problem)) => return problem_response(&problem),
            Err(Refused::Fix(fix)) => errors = fix,
        }
    }
    episode_response(
        &state,
        &caller,
        id,
        &form,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

const CHECK_IN_FIELDS: [&str; 4] = ["at", "severity", "improving", "home_care"];

/// Adds a check-in to one of the caller's episodes from the form's request body.
async fn add_check_in(
    state: &AppState,
    caller: &Caller,
    id: EpisodeId,
    body: &Map<String, Value>,
) -> Result<(), Refused> {
    let new = crate::diary::new_check_in(body)
        .map_err(|problem| Refused::invalid(problem, &CHECK_IN_FIELDS))?;
    let database = state.database().map_err(Refused::Problem)?;
    match database.add_check_in(caller.viewer, id, new).await {
        Ok(_) => Ok(()),
        Err(e) => Err(Refused::invalid(
            store_problem(e, "episode"),
            &CHECK_IN_FIELDS,
        )),
    }
}

// ---- sharing and the queue ----

/// What the result page says about sharing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ShareNotice {
    /// Nothing happened yet.
    None,
    /// The share form worked (the browser came back with `?shared`).
    Shared,
    /// The share form did not work: the email typed, and why.
    Failed { clinician: String, message: String },
}

/// The result page's diary link and (`--multi-user`) share form, for the assessment's
/// owner (everyone in local mode); nothing for a clinician reading a shared assessment.
/// The diary is not offered when the result says to get emergency help: nothing on the
/// page should suggest waiting to see how it goes.
pub(crate) fn result_actions(
    state: &AppState,
    caller: &Caller,
    owner: Option<AccountId>,
    id: Uuid,
    level: &str,
    notice: &ShareNotice,
) -> Markup {
    let owns = match caller.owner() {
        None => !state.multi_user(),
        Some(account) => owner == Some(account),
    };
    if !owns {
        return html! {};
    }
    let mut errors = FieldErrors::default();
    let typed = match notice {
        ShareNotice::Failed { clinician, message } => {
            errors.add("clinician", message.clone());
            clinician.as_str()
        }
        _ => "",
    };
    let emergency = level
        .parse::<upperback_core::TriageLevel>()
        .is_ok_and(upperback_core::TriageLevel::is_emergency);
    html! {
        @if !emergency {
            section class="no-print" aria-labelledby="diary" {
                h2 id="diary" { "Keep a diary" }
                p { "Write down how it goes over the next days: the diary tells you when the follow-up above falls due." }
                p { a class="button secondary" href={ "/episodes?assessment=" (id) "#new-episode" } { "Start a diary episode from this assessment" } }
            }
        }
        @if state.multi_user() {
            section class="no-print" aria-labelledby="share" {
                h2 id="share" { "Share with a clinician" }
                @if *notice == ShareNotice::Shared {
                    div class="notice" role="status" {
                        p { strong { "Shared. " } "The clinician can now read this assessment: it is in their queue." }
                    }
                }
                (error_summary(&errors, &[("clinician", "The clinician's email")]))
                form method="post" action={ "/result/" (id) "/share" } class="share" novalidate {
                    (crate::csrf::hidden_field())
                    div class="field" {
                        label for="clinician" { "The clinician's email" }
                        p class="hint" id="clinician-hint" { "They need a clinician account on this server. Only they will be able to read it." }
                        (field_error(&errors, "clinician"))
                        input type="email" id="clinician" name="clinician" autocomplete="off" required value=(typed)
                            aria-invalid=[invalid(&errors, "clinician")]
                            aria-describedby=[described_by(&errors, "clinician", true)];
                    }
                    div class="actions" {
                        button type="submit" class="secondary" { "Share this assessment" }
                    }
                }
            }
        }
    }
}

/// Shares the result with a clinician from the result page's form, then 303 back to it.
#[utoipa::path(post, path = "/result/{id}/share", tag = "web",
    params(("id" = String, Path, description = "The assessment's id")),
    request_body(content = crate::request_schemas::WebForm, content_type = "application/x-www-form-urlencoded", description = "form_token, clinician (an email)"),
    responses((status = 303, description = "Shared: back to `/result/{id}?shared`, which confirms it"),
              (status = 404, description = "Not the caller's assessment, or not a --multi-user server", content_type = "text/html"),
              (status = 422, description = "Not an email, or no clinician with this email: the result page again, the message beside the field", content_type = "text/html")))]
pub async fn share_form(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    id: Result<Path<String>, PathRejection>,
    body: Result<Body, Problem>,
) -> Response {
    if !state.multi_user() {
        return no_accounts_here(&state);
    }
    let not_yours = || {
        not_found(
            &state,
            Nav::of(&caller),
            "There is no assessment of yours here.",
        )
    };
    let Some(id) = crate::api::path_id(&id) else {
        return not_yours();
    };
    // Only the owner shares: a clinician reading a shared assessment may not pass it on.
    // Read once: kept to render the page again should the share fail.
    let stored = match state.store().get_assessment(caller.viewer, id).await {
        Ok(Some(stored)) if stored.owner.is_some() && stored.owner == caller.owner() => stored,
        Ok(_) => return not_yours(),
        Err(e) => return assessment_unreadable(&e),
    };
    let pairs = match read_form(body) {
        Ok(pairs) => pairs,
        Err(problem) => return problem_response(&problem),
    };
    let typed = field(&pairs, "clinician").unwrap_or("").trim().to_string();
    let failed = |message: &str| ShareNotice::Failed {
        clinician: typed.clone(),
        message: message.to_string(),
    };
    let notice = if typed.is_empty() {
        failed("type the clinician's email address")
    } else {
        match crate::accounts::share_with(&state, &caller, id, &typed).await {
            Ok(()) => return see_other(&format!("/result/{id}?shared")),
            Err(problem) if problem.detail.ends_with(crate::accounts::NO_SUCH_CLINICIAN) => {
                failed("there is no clinician with this email on this server: check the address, or ask the clinician which email they use here")
            }
            Err(problem) if problem.status == 422 => {
                failed("this is not an email address such as dr.lee@clinic.example")
            }
            Err(problem) => return problem_response(&problem),
        }
    };
    crate::web::render_stored_result(
        &state,
        &caller,
        &stored,
        &notice,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

/// The clinician's queue: assessments shared with them, most urgent first, then oldest.
#[utoipa::path(get, path = "/queue", tag = "web",
    responses((status = 200, description = "The queue, as a table linking to each result", content_type = "text/html"),
              (status = 303, description = "No session: to `/sign-in`"),
              (status = 404, description = "Not a clinician (or not a --multi-user server)", content_type = "text/html")))]
pub async fn queue_page(State(state): State<AppState>, SignedIn(caller): SignedIn) -> Response {
    let account = match caller.owner() {
        Some(account) if caller.is_clinician() => account,
        _ => {
            return not_found(
                &state,
                Nav::of(&caller),
                "There is nothing here. The queue is for clinician accounts.",
            )
        }
    };
    let database = match state.database() {
        Ok(database) => database,
        Err(problem) => return problem_response(&problem),
    };
    let items = match database.queue(account).await {
        Ok(items) => items,
        Err(e) => return problem_response(&store_problem(e, "queue")),
    };
    let kb = state.kb();
    let content = html! {
        h1 { "Queue" }
        p { "Assessments people have shared with you: the most urgent first, then the oldest first." }
        @if items.is_empty() {
            p { "Nothing has been shared with you yet." }
        } @else {
            div class="table-wrap" role="region" aria-labelledby="queue-caption" tabindex="0" {
                table class="data queue" {
                    caption id="queue-caption" { (items.len()) " shared " @if items.len() == 1 { "assessment" } @else { "assessments" } }
                    thead {
                        tr {
                            th scope="col" { "How urgent" }
                            th scope="col" { "From" }
                            th scope="col" { "Assessed" }
                            th scope="col" { "Shared" }
                            th scope="col" { span class="vh" { "Assessment" } }
                        }
                    }
                    tbody {
                        @for item in &items {
                            tr {
                                td { span class={ "tag " (level_class(&item.level)) } { (level_label(kb, &item.level)) } }
                                td class="email" { (item.owner_email) }
                                td { (when(item.created_at)) }
                                td { (when(item.shared_at)) }
                                td {
                                    a href={ "/result/" (item.assessment_id) } {
                                        "Open" span class="vh" { " the assessment from " (item.owner_email) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    html_response(
        StatusCode::OK,
        page_with_nav(Nav::of(&caller), "Queue", kb, content),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_typed_into_forms() {
        let now = Local::now();
        let typed = now.format("%Y-%m-%dT%H:%M").to_string();
        let parsed = parse_time_input(&typed).unwrap();
        assert!((now.with_timezone(&Utc) - parsed).num_seconds().abs() < 61);
        assert_eq!(
            parse_time_input(&typed.replacen('T', " ", 1)).unwrap(),
            parsed
        );
        assert_eq!(
            parse_time_input("2026-01-02T03:04:05Z")
                .unwrap()
                .to_rfc3339(),
            "2026-01-02T03:04:05+00:00"
        );
        assert!(parse_time_input("monday").is_err());
        assert!(parse_time_input("").is_err());
        assert!(parse_time_input("1850-01-01T00:00").is_err());
        assert!(parse_time_input("9999-01-01T00:00").is_err());
        assert!(parse_time_input("262143-12-31T23:59").is_err());
    }

    #[test]
    fn field_errors_from_problems() {
        let problem = Problem::field("severity", "must be a whole number from 0 to 10, not 11");
        let errors = FieldErrors::from_problem(&problem, &["severity"]);
        assert_eq!(
            errors.get("severity"),
            Some("must be a whole number from 0 to 10, not 11")
        );
        let problem = Problem::field("triggers[0]", "must be a string");
        let errors = FieldErrors::from_problem(&problem, &["triggers"]);
        assert_eq!(errors.get("triggers"), Some("must be a string"));
        let errors = FieldErrors::from_problem(&problem, &["severity"]);
        assert_eq!(errors.get(""), Some("triggers[0]: must be a string"));
    }

    #[test]
    fn severities_and_lists() {
        assert_eq!(severity_value(" 7 "), Ok(Some(Value::from(7u64))));
        assert_eq!(severity_value(""), Ok(None));
        assert!(severity_value("seven").is_err());
        assert!(severity_value("-1").is_err());
        assert_eq!(
            comma_list(" desk work, ,golf ,"),
            vec![Value::from("desk work"), Value::from("golf")]
        );
    }

    #[test]
    fn the_proxy_says_whether_the_client_used_https() {
        let headers = |proto: &str| {
            let mut h = HeaderMap::new();
            h.insert("x-forwarded-proto", HeaderValue::from_str(proto).unwrap());
            h
        };
        assert!(forwarded_https(&headers("https")));
        assert!(forwarded_https(&headers("http, HTTPS")));
        assert!(!forwarded_https(&headers("http")));
        assert!(!forwarded_https(&HeaderMap::new()));
    }
}
