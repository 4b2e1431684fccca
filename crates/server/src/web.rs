//! The web page: server-rendered HTML (maud) that works with JavaScript off. Forms post to
//! the server and are answered with a redirect to a page (post → redirect → get), so
//! reloading never re-sends an answer. Styles and the small progressive-enhancement script
//! are static files: the Content-Security-Policy allows no inline script or style.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup, DOCTYPE};
use upperback_core::{KnowledgeBase, QuestionKind, QuestionView, TextSaid, TriageLevel};
use uuid::Uuid;

use crate::auth::SignedIn;
use crate::input::{AssessmentRequest, Body};
use crate::interviews::{apply, Reply, Session};
use crate::problem::{Kind, Problem};
use crate::view::{AssessmentView, UnderstoodView};
use crate::web_accounts::{result_actions, ShareNotice};
use crate::AppState;

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");
const FAVICON: &str = include_str!("../static/favicon.svg");

/// The emergency numbers in a sentence: "911 / 112 / 999" (the knowledge base's list,
/// triage.toml `[[emergency_number]]`).
pub(crate) fn emergency_numbers(kb: &KnowledgeBase) -> String {
    let numbers: Vec<&str> = kb
        .emergency_numbers
        .iter()
        .map(|n| n.number.as_str())
        .collect();
    numbers.join(" / ")
}

/// `text` (a sentence of the knowledge base) with the emergency numbers it names in bold.
pub(crate) fn emergency_numbers_in_bold(kb: &KnowledgeBase, text: &str) -> Markup {
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut done = 0;
    for (at, number) in kb.emergency_numbers_in(text) {
        if at < done {
            continue;
        }
        pieces.push((&text[done..at], false));
        pieces.push((number.number.as_str(), true));
        done = at + number.number.len();
    }
    pieces.push((&text[done..], false));
    html! {
        @for (piece, bold) in pieces {
            @if bold { strong { (piece) } } @else { (piece) }
        }
    }
}

/// The watch list's signs that call for an ambulance (its items whose finding fires an
/// ambulance rule), then the ambulance level's `tell` with its numbers in bold: for the pages
/// that must say when not to wait.
pub(crate) fn ambulance_signs(kb: &KnowledgeBase) -> Markup {
    html! {
        ul class="ambulance-signs" {
            @for w in kb.care.watch.iter().filter(|w| w.level == TriageLevel::Ambulance) {
                li { (w.text) }
            }
        }
        p { (emergency_numbers_in_bold(kb, &kb.level_info(TriageLevel::Ambulance).tell)) }
    }
}

/// The emergency numbers in bold with where each is dialled: "911 (US, Canada), 112
/// (Europe) or 999 (UK)".
fn emergency_numbers_with_places(kb: &KnowledgeBase) -> Markup {
    let last = kb.emergency_numbers.len().saturating_sub(1);
    html! {
        @for (i, n) in kb.emergency_numbers.iter().enumerate() {
            @if i == last && i > 0 { " or " } @else if i > 0 { ", " }
            strong { (n.number) } " (" (n.place) ")"
        }
    }
}

pub(crate) fn html_response(status: StatusCode, markup: Markup) -> Response {
    let mut response = (status, markup.into_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// The links in the page header: where the person can go next.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Nav<'a> {
    /// No links: error pages, which know nothing of the caller.
    Hidden,
    /// `--multi-user`, nobody signed in: sign in or create an account.
    SignedOut,
    /// Local mode: the one person using this computer.
    Local,
    /// `--multi-user`, signed in to this account.
    Account(&'a upperback_store::Account),
}

impl<'a> Nav<'a> {
    /// The links for a page's caller.
    pub(crate) fn of(caller: &'a crate::auth::Caller) -> Nav<'a> {
        match &caller.account {
            Some(account) => Nav::Account(account),
            None => Nav::Local,
        }
    }

    fn markup(self) -> Markup {
        html! {
            @match self {
                Nav::Hidden => {}
                Nav::SignedOut => {
                    nav class="site-nav" aria-label="Account" {
                        ul {
                            li { a href="/sign-in" { "Sign in" } }
                            li { a href="/register" { "Create an account" } }
                        }
                    }
                }
                Nav::Local | Nav::Account(_) => {
                    nav class="site-nav" aria-label="Main" {
                        ul {
                            li { a href="/" { "New assessment" } }
                            li { a href="/episodes" { "My episodes" } }
                            @if let Nav::Account(account) = self {
                                @if account.role == upperback_store::Role::Clinician {
                                    li { a href="/queue" { "Queue" } }
                                }
                                li class="who" { span class="vh" { "Signed in as " } (account.email) }
                                li {
                                    form method="post" action="/sign-out" class="sign-out" {
                                        (crate::csrf::hidden_field())
                                        button type="submit" class="link" { "Sign out" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Where the person's data is kept, in the footer.
    fn privacy(self) -> &'static str {
        match self {
            Nav::SignedOut | Nav::Account(_) => {
                "What you enter is kept on this server under your account: only you, and a \
                 clinician you choose to share an assessment with, can read it."
            }
            Nav::Hidden | Nav::Local => {
                "upperback runs on this computer; what you type is not sent anywhere else."
            }
        }
    }
}

/// The page frame without header links (error pages, the workstation check).
pub(crate) fn page(title: &str, kb: &KnowledgeBase, content: Markup) -> Markup {
    page_with_nav(Nav::Hidden, title, kb, content)
}

/// The page frame: skip link, header (with the links of `nav`), main, footer with the
/// knowledge base's disclaimer and emergency numbers.
pub(crate) fn page_with_nav(nav: Nav, title: &str, kb: &KnowledgeBase, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " — upperback" }
                link rel="stylesheet" href="/static/app.css";
                link rel="icon" href="/static/favicon.svg" type="image/svg+xml";
                script src="/static/app.js" defer {}
            }
            body {
                a class="skip" href="#main" { "Skip to the content" }
                header class="site" {
                    a class="brand" href="/" { "upperback" }
                    span class="tagline" { "Upper back spasm: is it dangerous, what may cause it, what to do now" }
                    (nav.markup())
                }
                main id="main" tabindex="-1" { (content) }
                footer class="site" {
                    p class="disclaimer" { strong { "Not a diagnosis. " } (kb.disclaimer) }
                    p { "In an emergency call " (emergency_numbers_with_places(kb)) "." }
                    p class="small" { (nav.privacy()) }
                }
            }
        }
    }
}

/// Plain words for a finding: its checklist label, else what it means.
fn finding_words(kb: &KnowledgeBase, id: &str) -> String {
    let Some(finding) = kb.finding_id(id) else {
        return id.replace('_', " ");
    };
    capitalise(kb.finding_label(finding))
}

/// A finding with a value, in words: "How long this episode has lasted: 24 hours".
fn finding_value_words(kb: &KnowledgeBase, id: &str, value: &str) -> String {
    if id == "location" {
        return location_words(value);
    }
    let unit = kb
        .finding_id(id)
        .and_then(|f| match &kb.finding(f).kind {
            upperback_core::FindingKind::Number { unit, .. } => Some(unit.as_str()),
            _ => None,
        })
        .filter(|u| !u.is_empty() && !u.contains('-'));
    match unit {
        Some(unit) => format!("{}: {value} {unit}", finding_words(kb, id)),
        None => format!("{}: {}", finding_words(kb, id), value.replace('_', " ")),
    }
}

pub(crate) fn capitalise(words: &str) -> String {
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// Plain words for a location choice.
pub(crate) fn location_words(choice: &str) -> String {
    match choice {
        "between_shoulder_blades" => "Between the shoulder blades".into(),
        "top_of_shoulders" => "Across the top of the shoulders".into(),
        "one_side_upper_back" => "On one side of the upper back".into(),
        "mid_back" => "The middle of the back".into(),
        "wraps_around_ribs" => "Wrapping around the ribs".into(),
        "lower_back" => "The lower back".into(),
        other => capitalise(&other.replace('_', " ")),
    }
}

/// A rectangle in the body map's 200 × 240 units: x, y, width, height.
type Area = (u16, u16, u16, u16);

/// The regions of the body map: (choice, hit areas, the SVG shape).
const REGIONS: [(&str, &[Area], &str); 6] = [
    (
        "top_of_shoulders",
        &[(38, 44, 50, 18), (112, 44, 50, 18)],
        "M88 46 C74 46 56 48 42 56 L40 62 L88 60 Z M112 46 C126 46 144 48 158 56 L160 62 L112 60 Z",
    ),
    (
        "between_shoulder_blades",
        &[(84, 62, 32, 54)],
        "M86 62 H114 V116 H86 Z",
    ),
    (
        "one_side_upper_back",
        &[(46, 64, 38, 52), (116, 64, 38, 52)],
        "M48 64 H84 V116 H54 C50 100 48 82 48 64 Z M152 64 H116 V116 H146 C150 100 152 82 152 64 Z",
    ),
    (
        "mid_back",
        &[(70, 118, 60, 44)],
        "M70 118 H130 V162 H70 Z",
    ),
    (
        "wraps_around_ribs",
        &[(44, 118, 26, 48), (130, 118, 26, 48)],
        "M54 118 H70 V166 H60 C56 152 54 136 54 118 Z M146 118 H130 V166 H140 C144 152 146 136 146 118 Z",
    ),
    (
        "lower_back",
        &[(62, 166, 76, 42)],
        "M62 166 H138 L136 208 H64 Z",
    ),
];

/// The body map: an SVG of the back with clickable regions (labels over the shapes, so it
/// works without JavaScript) and the same choices as a list of radio buttons (for keyboards
/// and screen readers).
fn body_map(kb: &KnowledgeBase, selected: Option<&str>) -> Markup {
    let choices: Vec<String> = kb
        .finding_id("location")
        .and_then(|f| match &kb.finding(f).kind {
            upperback_core::FindingKind::Choice { choices } => Some(choices.clone()),
            _ => None,
        })
        .unwrap_or_default();
    html! {
        fieldset class="bodymap" {
            legend { "Where does it hurt? " span class="optional" { "(optional)" } }
            p class="hint" id="map-hint" { "Tap the place on the picture of the back, or choose from the list." }
            div class="map-and-list" {
                div class="map" {
                    svg viewBox="0 0 200 240" role="img" aria-labelledby="map-title" focusable="false" {
                        title id="map-title" { "The back of the upper body, seen from behind" }
                        // The figure.
                        circle class="figure" cx="100" cy="22" r="16" {}
                        path class="figure" d="M90 36 H110 V46 C130 46 150 48 162 58 C168 80 166 110 158 150 L150 210 H50 L42 150 C34 110 32 80 38 58 C50 48 70 46 90 46 Z" {}
                        path class="spine" d="M100 48 V206" {}
                        @for (choice, _, shape) in REGIONS {
                            @if choices.iter().any(|c| c == choice) {
                                path class={ "region r-" (choice) } d=(shape) {}
                            }
                        }
                    }
                    @for (choice, areas, _) in REGIONS {
                        @if choices.iter().any(|c| c == choice) {
                            @for i in 0..areas.len() {
                                label for={ "loc-" (choice) } class={ "hot h-" (choice) " a" (i) } title=(location_words(choice)) aria-hidden="true" {}
                            }
                        }
                    }
                }
                div class="choices" role="radiogroup" aria-describedby="map-hint" {
                    @for choice in &choices {
                        label class="choice" {
                            input type="radio" name="location" value=(choice) id={ "loc-" (choice) }
                                checked[selected == Some(choice.as_str())];
                            " " (location_words(choice))
                        }
                    }
                    label class="choice" {
                        input type="radio" name="location" value="" id="loc-none" checked[selected.is_none_or(str::is_empty)];
                        " Not sure, or somewhere else"
                    }
                }
            }
        }
    }
}

/// What the home form had, to show it again with an error.
#[derive(Default)]
struct HomeForm {
    text: String,
    location: Option<String>,
    age: String,
    sex: String,
}

fn home_page(kb: &KnowledgeBase, nav: Nav, form: &HomeForm, error: Option<&Problem>) -> Markup {
    let content = html! {
        h1 { "Upper back spasm: what to do now" }
        aside class="urgent" aria-labelledby="urgent-title" {
            h2 id="urgent-title" { (kb.level_info(TriageLevel::Ambulance).label) }
            p { "Do not use this page first if:" }
            (ambulance_signs(kb))
        }
        p { "Describe what you feel, show where it hurts, and answer a few short questions. You will get: how urgently to get help, what may be contributing, and what to do now." }
        @if let Some(problem) = error {
            div class="error" role="alert" id="form-error" {
                p { strong { "Please check: " } (problem.detail) }
            }
        }
        form method="post" action="/interview" class="start" novalidate {
            (crate::csrf::hidden_field())
            div class="field" {
                label for="text" { "Describe the problem in your own words " span class="optional" { "(optional)" } }
                p class="hint" id="text-hint" { "For example: “A spasm between my shoulder blades since Monday, after golf. No fever.” Say what you do not have, too." }
                textarea id="text" name="text" rows="6" maxlength="10000" aria-describedby="text-hint text-count" data-count="text-count" { (form.text) }
                p class="hint count" id="text-count" aria-live="polite" {}
            }
            (body_map(kb, form.location.as_deref()))
            div class="row" {
                div class="field" {
                    label for="age" { "Age " span class="optional" { "(years, optional)" } }
                    input id="age" name="age" type="text" inputmode="numeric" autocomplete="off" size="4" value=(form.age);
                }
                div class="field" {
                    label for="sex" { "Sex " span class="optional" { "(optional)" } }
                    select id="sex" name="sex" {
                        option value="" selected[form.sex.is_empty()] { "Prefer not to say" }
                        option value="female" selected[form.sex == "female"] { "Female" }
                        option value="male" selected[form.sex == "male"] { "Male" }
                        option value="other" selected[form.sex == "other"] { "Other" }
                    }
                }
            }
            div class="actions" {
                button type="submit" class="primary" { "Start: answer a few questions" }
                button type="submit" class="secondary" formaction="/assess" { "Just assess what I wrote" }
            }
            p class="hint" { "“Just assess” skips the questions: warning signs you did not mention will be listed as not checked." }
        }
        p class="ws-link" { "Work at a desk? " a href="/workstation" { "Check your workstation" } ": a poor set-up is a common cause of upper back spasm." }
    };
    page_with_nav(nav, "Upper back spasm", kb, content)
}

/// The home page: describe, point, start.
#[utoipa::path(get, path = "/", tag = "web", responses((status = 200, description = "The home page", content_type = "text/html")))]
pub async fn home(State(state): State<AppState>, SignedIn(caller): SignedIn) -> Response {
    html_response(
        StatusCode::OK,
        home_page(state.kb(), Nav::of(&caller), &HomeForm::default(), None),
    )
}

/// Form fields as name → values (repeated names kept in order), without the anti-forgery
/// token (checked before any handler runs).
pub(crate) fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .filter(|(k, _)| k != crate::csrf::FIELD)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The first value of `name` in a URL's query.
pub(crate) fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

pub(crate) fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The home form → the same request as the API takes.
fn home_request(pairs: &[(String, String)]) -> (HomeForm, Result<AssessmentRequest, Problem>) {
    let form = HomeForm {
        text: field(pairs, "text").unwrap_or("").to_string(),
        location: field(pairs, "location")
            .filter(|l| !l.is_empty())
            .map(str::to_string),
        age: field(pairs, "age").unwrap_or("").trim().to_string(),
        sex: field(pairs, "sex").unwrap_or("").to_string(),
    };
    let mut object = serde_json::Map::new();
    object.insert("text".into(), serde_json::Value::String(form.text.clone()));
    if let Some(location) = &form.location {
        object.insert(
            "answers".into(),
            serde_json::json!({ "location": location }),
        );
    }
    if !form.age.is_empty() {
        match form.age.parse::<f64>() {
            Ok(age) if age.is_finite() => {
                object.insert("age".into(), serde_json::json!(age));
            }
            _ => {
                return (
                    form,
                    Err(Problem::field("age", "type your age as a number of years")),
                )
            }
        }
    }
    if !form.sex.is_empty() {
        object.insert("sex".into(), serde_json::Value::String(form.sex.clone()));
    }
    let request = AssessmentRequest::from_object(&object);
    (form, request)
}

/// The home form, assessed at once.
#[utoipa::path(post, path = "/assess", tag = "web",
    request_body(content = crate::request_schemas::WebForm, content_type = "application/x-www-form-urlencoded", description = "form_token, text, location, age, sex"),
    responses((status = 303, description = "To the result page"), (status = 422, description = "The form again, with what to fix", content_type = "text/html")))]
pub async fn assess_form(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    body: Result<Body, Problem>,
) -> Response {
    let pairs = match body {
        Ok(Body(bytes)) => form_pairs(&bytes),
        Err(problem) => return form_error(&state, &caller, &HomeForm::default(), problem),
    };
    let (form, request) = home_request(&pairs);
    let request =
        match request {
            Ok(r) if r.is_empty() => return form_error(
                &state,
                &caller,
                &form,
                Problem::field(
                    "text",
                    "there is nothing to assess yet: describe the problem, or start the questions",
                ),
            ),
            Ok(r) => r,
            Err(problem) => return form_error(&state, &caller, &form, problem),
        };
    match state.assess_and_store(caller.owner(), &request).await {
        Ok(kept) => see_other(&format!("/result/{}", kept.id)),
        Err(problem) => form_error(&state, &caller, &form, problem),
    }
}

fn form_error(
    state: &AppState,
    caller: &crate::auth::Caller,
    form: &HomeForm,
    problem: Problem,
) -> Response {
    let status = problem.status_code();
    if status.is_server_error() {
        return problem_response(&problem);
    }
    html_response(
        status,
        home_page(state.kb(), Nav::of(caller), form, Some(&problem)),
    )
}

/// The home form, starting an interview.
#[utoipa::path(post, path = "/interview", tag = "web",
    request_body(content = crate::request_schemas::WebForm, content_type = "application/x-www-form-urlencoded", description = "form_token, text, location, age, sex"),
    responses((status = 303, description = "To the first question (or the result)"), (status = 422, description = "The form again, with what to fix", content_type = "text/html")))]
pub async fn start_interview_form(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    crate::layers::ClientAddress(client): crate::layers::ClientAddress,
    body: Result<Body, Problem>,
) -> Response {
    let pairs = match body {
        Ok(Body(bytes)) => form_pairs(&bytes),
        Err(problem) => return form_error(&state, &caller, &HomeForm::default(), problem),
    };
    let (form, request) = home_request(&pairs);
    let request = match request {
        Ok(r) => r,
        Err(problem) => return form_error(&state, &caller, &form, problem),
    };
    match state
        .start_interview(caller.owner(), client, &request)
        .await
    {
        Ok((id, session)) => {
            let session = session.lock().await;
            match &session.finished {
                Some((assessment, _)) => see_other(&format!("/result/{assessment}")),
                None => see_other(&format!("/interview/{id}")),
            }
        }
        Err(problem) => form_error(&state, &caller, &form, problem),
    }
}

fn not_found_page(state: &AppState, what: &str) -> Response {
    let problem = Problem::not_found(what);
    html_response(
        StatusCode::NOT_FOUND,
        page(
            "Not found",
            state.kb(),
            html! {
                h1 { "Not found" }
                p { "There is no " (what) " here. It may have expired (interviews are kept for an hour, and nothing is kept after the server restarts)." }
                p { a href="/" { "Start again" } }
                p class="small" { (problem.detail) }
            },
        ),
    )
}

fn question_page(
    state: &AppState,
    nav: Nav,
    id: Uuid,
    session: &Session,
    question: &QuestionView,
    error: Option<&str>,
) -> Markup {
    let kb = state.kb();
    let progress = session.interview.progress();
    let number = progress.asked + 1;
    let total = progress.asked + progress.estimated_remaining.max(1);
    let error_id = error.map(|_| "answer-error");
    let content = html! {
        p class="progress-text" { "Question " (number) " of about " (total) }
        progress max=(total) value=(number) aria-hidden="true" { (number) " of " (total) }
        form method="post" action={ "/interview/" (id) } class="question" novalidate {
            (crate::csrf::hidden_field())
            input type="hidden" name="question" value=(question.id);
            fieldset aria-describedby=[error_id] {
                legend { h1 class="q" { (question.text) } }
                @if let Some(error) = error {
                    div class="error" role="alert" id="answer-error" { p { (error) } }
                }
                @match question.kind {
                    QuestionKind::YesNo => {
                        div class="options" {
                            label class="option" { input type="radio" name="answer" value="yes"; " Yes" }
                            label class="option" { input type="radio" name="answer" value="no"; " No" }
                            label class="option" { input type="radio" name="answer" value="dont_know"; " I don't know" }
                        }
                    }
                    QuestionKind::Choice => {
                        div class="options" {
                            @for choice in question.choices.unwrap_or_default() {
                                label class="option" {
                                    input type="radio" name="answer" value=(choice);
                                    " " @if question.finding == Some("location") { (location_words(choice)) } @else { (choice.replace('_', " ")) }
                                }
                            }
                            label class="option" { input type="radio" name="answer" value="dont_know"; " I don't know" }
                        }
                    }
                    QuestionKind::Number => {
                        @let hours = question.unit == Some("hours");
                        div class="field" {
                            label for="answer" {
                                @if hours { "Hours (or for example “3 days”)" }
                                @else if let Some(unit) = question.unit { "Your answer (" (unit) ")" }
                                @else { "Your answer" }
                            }
                            input id="answer" name="answer" type="text" inputmode=(if hours { "text" } else { "decimal" }) autocomplete="off" size="10";
                            p class="hint" {
                                @if let (Some(min), Some(max)) = (question.min, question.max) {
                                    "Between " (fmt_number(min)) " and " (fmt_number(max)) ". "
                                }
                                "Leave it and press “I don't know” if you are not sure."
                            }
                        }
                    }
                    QuestionKind::Checklist => {
                        div class="options" {
                            @for item in question.items.clone().unwrap_or_default() {
                                label class="option" {
                                    input type="checkbox" name="item" value=(item.finding) checked[item.pre_ticked()];
                                    " " (item.label)
                                    // What the text said, in the person's words: a denial is
                                    // still theirs to confirm; a reading starts ticked.
                                    @if let Some(from) = item.from_text.as_ref().filter(|f| f.status != TextSaid::Possible) {
                                        span class="from-text" { " — you wrote: “" (from.words) "”" }
                                    }
                                }
                            }
                            label class="option none" { input type="checkbox" name="none" value="1"; " None of these" }
                        }
                        p class="hint" { "Tick everything that applies, or “None of these”. If you are not sure, press “I don't know”." }
                    }
                }
            }
            div class="actions" {
                button type="submit" name="action" value="answer" class="primary" { "Next" }
                button type="submit" name="action" value="dont_know" class="secondary" { "I don't know" }
                @if session.interview.asked() > 0 {
                    button type="submit" name="action" value="back" class="link" { "← Back" }
                }
            }
        }
        p class="small" { "Answer “I don't know” whenever you are not sure: it is never taken as “no”." }
        @if let Some(words) = &session.words {
            details class="understood-mini" {
                summary { "What I understood from your words" }
                (understood_list(kb, &words.view(), &[]))
            }
        }
    };
    page_with_nav(nav, &question.text, kb, content)
}

fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One question of the interview.
#[utoipa::path(get, path = "/interview/{id}", tag = "web",
    params(("id" = String, Path, description = "The interview's id")),
    responses((status = 200, description = "The current question", content_type = "text/html"), (status = 303, description = "To the result when finished"), (status = 404, description = "Unknown or expired", content_type = "text/html")))]
pub async fn interview_page(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let Some((id, session)) = crate::api::path_id(&id)
        .and_then(|id| state.interviews().get(id, caller.owner()).map(|s| (id, s)))
    else {
        return not_found_page(&state, "interview");
    };
    let session = session.lock().await;
    match session.interview.current() {
        Some(question) => html_response(
            StatusCode::OK,
            question_page(&state, Nav::of(&caller), id, &session, &question, None),
        ),
        None => match &session.finished {
            Some((assessment, _)) => see_other(&format!("/result/{assessment}")),
            None => not_found_page(&state, "interview"),
        },
    }
}

/// A question's form → the reply, or what to fix.
fn form_reply(question: &QuestionView, pairs: &[(String, String)]) -> Result<Reply, String> {
    match field(pairs, "action").unwrap_or("answer") {
        "back" => return Ok(Reply::Back),
        "dont_know" => return Ok(Reply::Answer(serde_json::Value::Null)),
        _ => {}
    }
    let answer = field(pairs, "answer").map(str::trim);
    let value = match question.kind {
        QuestionKind::YesNo => match answer {
            Some("yes") => serde_json::json!(true),
            Some("no") => serde_json::json!(false),
            Some("dont_know") => serde_json::Value::Null,
            _ => return Err("Choose Yes, No or “I don't know”.".into()),
        },
        QuestionKind::Choice => match answer {
            Some("dont_know") => serde_json::Value::Null,
            Some(choice) if !choice.is_empty() => serde_json::json!(choice),
            _ => return Err("Choose one of the answers, or “I don't know”.".into()),
        },
        QuestionKind::Number => {
            let text = answer.unwrap_or("");
            if text.is_empty() {
                return Err("Type a number, or press “I don't know”.".into());
            }
            match parse_number(text, question.unit == Some("hours")) {
                Some(n) => serde_json::json!(n),
                None => {
                    return Err(if question.unit == Some("hours") {
                        "Type a number of hours, or something like “3 days”.".into()
                    } else {
                        "Type a number, for example 45.".into()
                    })
                }
            }
        }
        QuestionKind::Checklist => {
            let ticked: Vec<&str> = pairs
                .iter()
                .filter(|(k, _)| k == "item")
                .map(|(_, v)| v.as_str())
                .collect();
            let none = field(pairs, "none").is_some();
            match (ticked.is_empty(), none) {
                (true, false) => {
                    return Err(
                        "Tick what applies, or “None of these”, or press “I don't know”.".into(),
                    )
                }
                (false, true) => {
                    return Err(
                        "You ticked “None of these” and something else: untick one of them.".into(),
                    )
                }
                _ => serde_json::json!(ticked),
            }
        }
    };
    Ok(Reply::Answer(value))
}

/// A typed number; for hours also "3 days", "2 weeks" (as the terminal interview reads them).
fn parse_number(input: &str, hours: bool) -> Option<f64> {
    let input = input.trim().replace(',', ".");
    if let Ok(n) = input.parse::<f64>() {
        return n.is_finite().then_some(n);
    }
    if hours {
        let values = upperback_nlu::values::read_values(&format!("for {input}"), None);
        return values.durations.iter().map(|d| d.value).reduce(f64::max);
    }
    None
}

/// An answer from the question's form.
#[utoipa::path(post, path = "/interview/{id}", tag = "web",
    params(("id" = String, Path, description = "The interview's id")),
    request_body(content = crate::request_schemas::WebForm, content_type = "application/x-www-form-urlencoded", description = "form_token, question, action (answer | dont_know | back), answer / item / none"),
    responses((status = 303, description = "To the next question or the result"), (status = 422, description = "The question again, with what to fix", content_type = "text/html"), (status = 404, description = "Unknown or expired", content_type = "text/html")))]
pub async fn answer_form(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    id: Result<Path<String>, PathRejection>,
    body: Result<Body, Problem>,
) -> Response {
    let Some((id, session)) = crate::api::path_id(&id)
        .and_then(|id| state.interviews().get(id, caller.owner()).map(|s| (id, s)))
    else {
        return not_found_page(&state, "interview");
    };
    let here = format!("/interview/{id}");
    let nav = Nav::of(&caller);
    let pairs = match body {
        Ok(Body(bytes)) => form_pairs(&bytes),
        Err(_) => return see_other(&here),
    };
    let mut session = session.lock().await;
    let Some(question) = session.interview.current() else {
        return see_other(&here);
    };
    // A stale form (the browser's back button, a second tab): show the current question.
    if field(&pairs, "question") != Some(&*question.id) {
        return see_other(&here);
    }
    let reply = match form_reply(&question, &pairs) {
        Ok(reply) => reply,
        Err(message) => {
            return html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                question_page(&state, nav, id, &session, &question, Some(&message)),
            )
        }
    };
    let question_id = question.id.to_string();
    if let Err(problem) = apply(&mut session, &question_id, &reply) {
        if problem.status == 422 {
            let question = session.interview.current();
            if let Some(question) = question {
                return html_response(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    question_page(&state, nav, id, &session, &question, Some(&problem.detail)),
                );
            }
        }
        return see_other(&here);
    }
    if let Err(problem) = state.finish_if_done(&mut session).await {
        return problem_response(&problem);
    }
    match &session.finished {
        Some((assessment, _)) => see_other(&format!("/result/{assessment}")),
        None => see_other(&here),
    }
}

pub(crate) fn level_class(level: &str) -> &'static str {
    match level {
        "ambulance" => "level-ambulance",
        "emergency_department" => "level-emergency",
        "within_24_hours" => "level-24h",
        "within_days" => "level-days",
        _ => "level-self",
    }
}

pub(crate) fn level_label(kb: &KnowledgeBase, level: &str) -> String {
    level
        .parse::<TriageLevel>()
        .map(|l| kb.level_info(l).label.clone())
        .unwrap_or_else(|_| level.replace('_', " "))
}

fn understood_list(kb: &KnowledgeBase, understood: &UnderstoodView, answered: &[&str]) -> Markup {
    html! {
        @if let Some(who) = &understood.about {
            p { "I read this as being about your " (who) "." }
        }
        @if understood.mentions.is_empty() {
            p { "I did not recognise anything in your words. Try naming what you feel (for example “spasm”, “no fever”), or answer the questions." }
        } @else {
            ul class="understood" {
                @for m in &understood.mentions {
                    @let what = match &m.shown_value {
                        Some(v) => finding_value_words(kb, &m.finding, v),
                        None => finding_words(kb, &m.finding),
                    };
                    @let (mark, class, meaning) = match m.outcome.as_str() {
                        "present" => ("✓", "yes", ""),
                        "absent" => ("✗", "no", " — you said no"),
                        "uncertain" => ("?", "maybe", " — not sure, left unanswered"),
                        "historical" => ("·", "past", " — in the past, not counted now"),
                        "hypothetical" => ("·", "if", " — only “if”, not counted"),
                        _ => ("·", "other", " — about someone else, not counted"),
                    };
                    li class=(class) {
                        span class="mark" aria-hidden="true" { (mark) }
                        " " strong { (what) } (meaning)
                        @if answered.contains(&m.finding.as_str()) { " — replaced by your answer" }
                        " " span class="quote" { "“" (m.span.text) "”" }
                    }
                }
            }
        }
    }
}

/// The person's words a finding was read from, when it came from the text.
fn their_words(result: &AssessmentView, id: &str) -> Option<String> {
    let finding = result.findings.iter().find(|f| f.id == id)?;
    upperback_core::quoted(finding.evidence.iter().map(|span| span.text.as_str()))
}

fn result_content(
    kb: &KnowledgeBase,
    result: &AssessmentView,
    understood: Option<&UnderstoodView>,
    check_form: Option<Markup>,
    diary_and_sharing: Markup,
) -> Markup {
    let level = result.triage.level.as_str();
    let label = level_label(kb, level);
    let level_info = level.parse::<TriageLevel>().ok().map(|l| kb.level_info(l));
    let emergency = level_info.is_some_and(|l| l.level.is_emergency());
    // Below an emergency with warning signs unchecked, the level holds only if none applies:
    // never a plain banner.
    let partial = !emergency && result.triage.screening_partial();
    let heading = match level_info {
        Some(info) if partial => {
            kb.level_heading(info.level, result.triage.unscreened_red_flags.len())
        }
        _ => label.clone(),
    };
    let banner_class = if partial {
        "caution"
    } else {
        level_class(level)
    };
    // Read from the text, then changed by an answer (the finding notes it).
    let answered: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| f.origin == "answer" && f.note.is_some())
        .map(|f| f.id.as_str())
        .collect();
    let banner = html! {
        section class={ "banner " (banner_class) } aria-labelledby="level" {
            p class="kicker" { "What to do now" }
            h1 id="level" { (heading) }
            @if emergency {
                p class="call" {
                    "Call "
                    @for (i, n) in kb.emergency_numbers.iter().enumerate() {
                        @if i > 0 { " / " }
                        a href={ "tel:" (n.number) } class="number" { (n.number) } span class="place" { " (" (n.place) ")" }
                    }
                    @if level == "ambulance" { " now." } @else { " if it gets worse." }
                }
            }
            p class="summary" { (level_info.map_or(result.care_plan.summary.as_str(), |l| l.tell.as_str())) }
            @if let Some(if_worse) = level_info.and_then(|l| l.if_worse.as_deref()) {
                p class="call-small" { (if_worse) }
            }
        }
    };
    let why = html! {
        @if !result.triage.fired_rules.is_empty() {
            section aria-labelledby="why" {
                h2 id="why" { "Why" }
                ul class="why" {
                    @for rule in result.triage.fired_rules.iter().filter(|r| !emergency || r.level == result.triage.level) {
                        li {
                            span class="reason" { (rule.why) }
                            " " span class={ "tag " (level_class(&rule.level)) } { (level_label(kb, &rule.level)) }
                            @for f in &rule.findings {
                                @if let Some(words) = their_words(result, f) {
                                    br; span class="quote" { "You wrote: “" (words) "”" }
                                }
                            }
                            br;
                            span class="small" {
                                "Because of: " (rule.findings.iter().map(|f| finding_words(kb, f)).collect::<Vec<_>>().join("; "))
                                @if !rule.not_ruled_out.is_empty() {
                                    " (not ruled out: " (rule.not_ruled_out.iter().map(|f| finding_words(kb, f)).collect::<Vec<_>>().join("; ")) ")"
                                }
                                " · Source: " (rule.source)
                            }
                        }
                    }
                }
            }
        }
    };
    let while_waiting = html! {
        @if let Some(info) = level_info.filter(|l| !l.while_waiting.is_empty()) {
            section aria-labelledby="waiting" {
                h2 id="waiting" { "While you wait" }
                ul { @for step in &info.while_waiting { li { (step) } } }
            }
        }
    };
    let screening = html! {
        @if partial {
            @if !result.possible_red_flags.is_empty() {
                section class="possible warn" aria-labelledby="possible" {
                    h2 id="possible" { (kb.screening.possible) }
                    ul {
                        @for p in &result.possible_red_flags {
                            li { strong { (finding_words(kb, &p.finding)) } " — you wrote: " span class="quote" { "“" (p.words) "”" } }
                        }
                    }
                }
            }
            @if let Some(form) = check_form {
                (form)
            }
        }
    };
    let rest = html! {
        @if !result.triage.unscreened_red_flags.is_empty() {
            section class={ "unscreened" @if level == "self_care" { " warn" } } aria-labelledby="unscreened" {
                h2 id="unscreened" { "Not checked: " (result.triage.unscreened_red_flags.len()) " warning sign(s)" }
                p { "If you have any of these, the advice changes — get help as the list below says:" }
                ul class="columns" {
                    @for f in &result.triage.unscreened_red_flags { li { (finding_words(kb, f)) } }
                }
            }
        }
        @if let Some(understood) = understood {
            section aria-labelledby="understood" {
                h2 id="understood" { "What I understood" }
                (understood_list(kb, understood, &answered))
            }
        }
        section aria-labelledby="causes" {
            h2 id="causes" { "What may be contributing" }
            p class="small" { "Contributing factors, not a diagnosis. The numbers are estimates." }
            ul class="causes" {
                @for cause in &result.causes {
                    @let percent = (cause.probability * 100.0).round().clamp(0.0, 100.0);
                    li {
                        span class="cause-name" { (cause.name) }
                        span class="bar" aria-hidden="true" {
                            svg viewBox="0 0 100 8" preserveAspectRatio="none" focusable="false" {
                                rect class="track" x="0" y="0" width="100" height="8" {}
                                rect class="fill" x="0" y="0" width=(percent) height="8" {}
                            }
                        }
                        span class="percent" { (percent) "%" }
                        @if !cause.evidence.is_empty() {
                            span class="reasons small" {
                                @for (i, e) in cause.evidence.iter().take(3).enumerate() {
                                    @if i > 0 { ", " }
                                    (if e.likelihood_ratio > 1.0 { "↑ " } else { "↓ " })
                                    @if e.status == "absent" { "not “" (finding_words(kb, &e.finding).to_lowercase()) "”" }
                                    @else { (finding_words(kb, &e.finding).to_lowercase()) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !result.care_plan.advice.is_empty() {
            section aria-labelledby="plan" {
                h2 id="plan" { "What to do" }
                @let general: Vec<_> = result.care_plan.advice.iter().filter(|a| a.cause.is_none()).collect();
                @if !general.is_empty() {
                    ul { @for a in general { li { (a.text) } } }
                }
                @for cause in &result.causes {
                    @let items: Vec<_> = result.care_plan.advice.iter().filter(|a| a.cause.as_deref() == Some(cause.id.as_str())).collect();
                    @if !items.is_empty() {
                        h3 { "For " (cause.name.to_lowercase()) }
                        ul { @for a in items { li { (a.text) } } }
                    }
                }
            }
        }
        @if !result.care_plan.watch_for.is_empty() {
            section aria-labelledby="watch" {
                h2 id="watch" { "Get help at once if" }
                ul class="watch" {
                    @for w in &result.care_plan.watch_for {
                        li { (w.text) " " span class={ "tag " (level_class(&w.level)) } { "→ " (level_label(kb, &w.level).to_lowercase()) } }
                    }
                }
            }
        }
        section aria-labelledby="follow" {
            h2 id="follow" { "Follow-up" }
            p { (result.care_plan.follow_up.text) }
        }
    };
    html! {
        (banner)
        @if emergency {
            (why)
            (while_waiting)
            // Nothing competes with an emergency: the rest is one tap away.
            details class="more" {
                summary { "More about this result" }
                (rest)
            }
        } @else {
            (screening)
            (why)
            (rest)
        }
        (diary_and_sharing)
        p class="disclaimer" { strong { "Not a diagnosis. " } (result.disclaimer) }
        div class="actions no-print" {
            button type="button" class="secondary" data-print hidden { "Print" }
            // The Print button needs the script; without it, say how to print.
            noscript { span class="small" { "To keep a copy, print this page from your browser's menu (Ctrl+P, or ⌘P on a Mac)." } }
            a class="button secondary" href="/" { "Start again" }
        }
        p class="small meta" {
            "Knowledge base " (result.knowledge_base.version) " (" (result.knowledge_base.digest) ")"
            @if let Some(id) = &result.id { " · Assessment " (id) }
        }
    }
}

/// The result page.
#[utoipa::path(get, path = "/result/{id}", tag = "web",
    params(("id" = String, Path, description = "The assessment's id")),
    responses((status = 200, description = "The result, printable", content_type = "text/html"), (status = 404, description = "Unknown", content_type = "text/html")))]
pub async fn result_page(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    id: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(id) = crate::api::path_id(&id) else {
        return not_found_page(&state, "assessment");
    };
    // `?shared` is where the share form sends the browser back to, to confirm it.
    let notice = if query_param(query.as_deref(), "shared").is_some() {
        ShareNotice::Shared
    } else {
        ShareNotice::None
    };
    render_result(&state, &caller, id, &notice, StatusCode::OK).await
}

/// The result page of one of the caller's (or, for a clinician, shared) assessments, with
/// `status` and what the share form has to say; the not-found page when the caller cannot
/// read it.
pub(crate) async fn render_result(
    state: &AppState,
    caller: &crate::auth::Caller,
    id: Uuid,
    notice: &ShareNotice,
    status: StatusCode,
) -> Response {
    match state.store().get_assessment(caller.viewer, id).await {
        Ok(Some(stored)) => render_stored_result(state, caller, &stored, notice, status),
        Ok(None) => not_found_page(state, "assessment"),
        Err(e) => assessment_unreadable(&e),
    }
}

/// The result page of an assessment already read (see [`render_result`]).
pub(crate) fn render_stored_result(
    state: &AppState,
    caller: &crate::auth::Caller,
    stored: &crate::store::StoredAssessment,
    notice: &ShareNotice,
    status: StatusCode,
) -> Response {
    let result = match serde_json::from_str::<AssessmentView>(&stored.result_json) {
        Ok(mut result) => {
            result.id = Some(stored.id.to_string());
            result
        }
        Err(e) => {
            tracing::error!(error = %e, "a stored assessment does not read back");
            return problem_response(&Problem::internal());
        }
    };
    let kb = state.kb();
    let understood = crate::input::understood_from_input(kb, &stored.input);
    let title = level_label(kb, &result.triage.level);
    let diary_and_sharing = result_actions(
        state,
        caller,
        stored.owner,
        stored.id,
        &result.triage.level,
        notice,
    );
    html_response(
        status,
        page_with_nav(
            Nav::of(caller),
            &title,
            kb,
            result_content(
                kb,
                &result,
                understood.as_ref(),
                Some(check_form(kb, &stored.input)),
                diary_and_sharing,
            ),
        ),
    )
}

/// The quick checks, offered as the main action of a result with warning signs unchecked:
/// the interview, started from the same words, age and sex.
fn check_form(kb: &KnowledgeBase, input: &serde_json::Value) -> Markup {
    let text = input["text"].as_str().unwrap_or("");
    let age = match &input["age"] {
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let sex = input["sex"].as_str().unwrap_or("");
    let location = input["answers"]["location"].as_str().unwrap_or("");
    html! {
        form method="post" action="/interview" class="check no-print" {
            (crate::csrf::hidden_field())
            input type="hidden" name="text" value=(text);
            input type="hidden" name="age" value=(age);
            input type="hidden" name="sex" value=(sex);
            @if !location.is_empty() { input type="hidden" name="location" value=(location); }
            button type="submit" class="primary" { (kb.screening.check) }
        }
    }
}

/// A read of an assessment failed: a damaged row is a 500 page (logged with the row's id in
/// the error); a store that does not answer, the 503 page.
pub(crate) fn assessment_unreadable(e: &crate::store::StoreError) -> Response {
    problem_response(&crate::outage::read_failed(e, "reading an assessment"))
}

/// A problem as an HTML page with its status.
pub fn problem_response(problem: &Problem) -> Response {
    let mut response = html_response(problem.status_code(), error_page(problem));
    problem.annotate(&mut response);
    response
}

/// A page for an error (HTML requests); the detail is the problem's, written for people.
pub fn error_page(problem: &Problem) -> Markup {
    let kb = KnowledgeBase::embedded();
    page(
        &problem.title,
        kb,
        html! {
            h1 { (problem.title) }
            p { (problem.detail) }
            p { a href="/" { "Back to the start" } }
            p class="small" { "If you are worried about your back, do not wait for this page: contact a doctor, or call " (emergency_numbers(kb)) " in an emergency." }
        },
    )
}

/// Anything else: 404 (a page for browsers, a problem for programs — the problem layer
/// decides by the `Accept` header).
pub async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "").into_response()
}

/// The static files: the style sheet, the script and the icon.
#[utoipa::path(get, path = "/static/{name}", tag = "web",
    params(("name" = String, Path, description = "app.css, app.js or favicon.svg")),
    responses((status = 200, description = "The file"), (status = 404, description = "No such file")))]
pub async fn static_asset(Path(name): Path<String>) -> Response {
    static STYLE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let (body, content_type) = match name.as_str() {
        "app.css" => (
            STYLE
                .get_or_init(|| {
                    format!(
                        "{CSS}\n/* body map hit areas */\n{}\n{}",
                        hit_area_css(),
                        crate::web_accounts::CSS
                    )
                })
                .as_str(),
            "text/css; charset=utf-8",
        ),
        "app.js" => (JS, "text/javascript; charset=utf-8"),
        "favicon.svg" => (FAVICON, "image/svg+xml"),
        _ => return (StatusCode::NOT_FOUND, "").into_response(),
    };
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

/// What a problem type means (`type` of the problem details points here).
#[utoipa::path(get, path = "/problems/{kind}", tag = "meta",
    params(("kind" = String, Path, description = "A problem type, e.g. invalid-field")),
    responses((status = 200, description = "What the problem means", content_type = "text/html"), (status = 404, description = "No such problem type")))]
pub async fn problem_page(Path(kind): Path<String>) -> Response {
    let Some(kind) = Kind::from_slug(&kind) else {
        return (StatusCode::NOT_FOUND, "").into_response();
    };
    html_response(
        StatusCode::OK,
        page(
            kind.title(),
            KnowledgeBase::embedded(),
            html! {
                h1 { (kind.title()) }
                p { "HTTP status " (kind.status().as_u16()) "." }
                p { (kind.explanation()) }
            },
        ),
    )
}

/// The hit areas' positions as CSS (generated from [`REGIONS`], so shapes and hit areas
/// never drift apart), appended to the style sheet.
pub fn hit_area_css() -> String {
    let mut css = String::new();
    for (choice, areas, _) in REGIONS {
        for (i, (x, y, w, h)) in areas.iter().enumerate() {
            css.push_str(&format!(
                ".h-{choice}.a{i}{{left:{:.2}%;top:{:.2}%;width:{:.2}%;height:{:.2}%}}\n",
                *x as f64 / 2.0,
                *y as f64 / 2.4,
                *w as f64 / 2.0,
                *h as f64 / 2.4
            ));
        }
        css.push_str(&format!(
            ".bodymap:has(#loc-{choice}:checked) .r-{choice}{{fill:var(--region-on);stroke:var(--region-on-stroke)}}\n\
             .map:has(.h-{choice}:hover) .r-{choice}{{fill:var(--region-hover)}}\n"
        ));
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped knowledge base with 112 (Europe) swapped for 000 (Australia) wherever it
    /// is listed or named: the pages must follow the list, not a copy of it.
    fn knowledge_base_with_000() -> KnowledgeBase {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../../knowledge/");
        let contents: Vec<(&str, String)> = upperback_core::KNOWLEDGE_FILE_NAMES
            .iter()
            .map(|name| {
                let content = std::fs::read_to_string(format!("{folder}{name}")).unwrap();
                let content = if *name == "triage.toml" {
                    content
                        .replace(
                            "number = \"112\"\nwhere = \"Europe\"",
                            "number = \"000\"\nwhere = \"Australia\"",
                        )
                        .replace("911 / 112 / 999", "911 / 000 / 999")
                } else {
                    content
                };
                (*name, content)
            })
            .collect();
        let files: Vec<upperback_core::KnowledgeFile> = contents
            .iter()
            .map(|(name, content)| upperback_core::KnowledgeFile { name, content })
            .collect();
        KnowledgeBase::from_files(&files).unwrap()
    }

    #[test]
    fn the_emergency_numbers_read_as_sentences() {
        let kb = knowledge_base_with_000();
        assert_eq!(emergency_numbers(&kb), "911 / 000 / 999");
        assert_eq!(
            emergency_numbers_in_bold(&kb, "Call 911 / 000 / 999 now, not 0000.").into_string(),
            "Call <strong>911</strong> / <strong>000</strong> / <strong>999</strong> now, not 0000."
        );
        assert_eq!(
            emergency_numbers_with_places(&kb).into_string(),
            "<strong>911</strong> (US, Canada), <strong>000</strong> (Australia) or \
             <strong>999</strong> (UK)"
        );
        let footer = page("Test", &kb, html! {}).into_string();
        assert!(
            footer.contains("In an emergency call <strong>911</strong> (US, Canada), <strong>000</strong> (Australia) or"),
            "{footer}"
        );
        // The shipped list, in the same sentences.
        let kb = KnowledgeBase::embedded();
        let numbers: Vec<&str> = kb
            .emergency_numbers
            .iter()
            .map(|n| n.number.as_str())
            .collect();
        assert_eq!(emergency_numbers(kb), numbers.join(" / "));
        let with_places = emergency_numbers_with_places(kb).into_string();
        for n in &kb.emergency_numbers {
            assert!(
                with_places.contains(&format!("<strong>{}</strong> ({})", n.number, n.place)),
                "{with_places}"
            );
        }
    }
}
