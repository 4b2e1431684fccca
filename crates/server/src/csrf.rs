//! The web forms' anti-forgery token (CSRF): a random token kept in a cookie, and the same
//! token in a hidden field of every form the pages render ("double submit"). A form post
//! whose field does not match its cookie is refused before any handler runs (403
//! `/problems/form-token`). A page on another site can make a browser send the cookie but
//! cannot read it, so it cannot fill in the field. This backs up the Fetch Metadata /
//! `Origin` check of [`crate::layers::refuse_cross_site`] for browsers that send neither.
//!
//! Programs use the JSON API, FHIR and CDS Hooks, and never meet the token.

use std::cell::RefCell;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Response};
use axum::middleware::Next;
use axum::response::IntoResponse;
use maud::{html, Markup};

use crate::auth::{cookie, forwarded_https};
use crate::problem::{Kind, Problem};
use crate::{AppState, MAX_BODY_BYTES};

/// The hidden field that carries the token in every form.
pub const FIELD: &str = "form_token";
/// The cookie that holds the token.
pub const COOKIE: &str = "upperback_form";
/// The cookie's name over HTTPS: the `__Host-` prefix keeps a sibling subdomain from setting
/// it (RFC 6265bis).
pub const SECURE_COOKIE: &str = "__Host-upperback_form";

tokio::task_local! {
    /// The token of the request being answered, for the forms its page renders: the
    /// browser's, or one made when the first form needs it.
    static TOKEN: RefCell<Option<String>>;
}

/// The hidden field to put in every form the pages render: the token of the request being
/// answered (empty outside one, and then the form is refused when sent).
pub fn hidden_field() -> Markup {
    let token = TOKEN
        .try_with(|token| token.borrow_mut().get_or_insert_with(new_token).clone())
        .unwrap_or_default();
    html! { input type="hidden" name=(FIELD) value=(token); }
}

/// Gives every request a token for the forms its page renders: the browser's own, or a new
/// one made for the first form, then set as the cookie on the HTML answer. (Every route: any
/// page may render a form.)
pub async fn provide_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response<Body> {
    let known = browser_token(request.headers());
    let secure = state.behind_proxy() && forwarded_https(request.headers());
    let had_one = known.is_some();
    // A token is made only for a page that renders a form (no random number otherwise).
    let (mut response, token) = TOKEN
        .scope(RefCell::new(known), async move {
            let response = next.run(request).await;
            (response, TOKEN.with(|token| token.borrow().clone()))
        })
        .await;
    if let Some(token) = token.filter(|_| !had_one && is_html(response.headers())) {
        let (name, secure) = if secure {
            (SECURE_COOKIE, "; Secure")
        } else {
            (COOKIE, "")
        };
        // Lax, not Strict: a page opened from a link elsewhere must not mint a second token
        // that breaks the forms already open in other tabs. The token authorises nothing.
        let cookie = format!("{name}={token}; HttpOnly; SameSite=Lax; Path=/{secure}");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// Refuses a form post whose token does not match the browser's cookie, before its handler
/// runs (a route layer of the web forms' routes; other methods pass).
pub async fn check_form(request: Request, next: Next) -> Response<Body> {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let known = browser_token(request.headers());
    match checked(request, known.as_deref()).await {
        Ok(request) => next.run(request).await,
        Err(response) => response,
    }
}

/// The token in the browser's cookie, if it is one of ours.
fn browser_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, COOKIE, SECURE_COOKIE).filter(|t| well_formed(t))
}

/// The request again, when its form's token matches the cookie's; else the refusal.
async fn checked(request: Request, cookie_token: Option<&str>) -> Result<Request, Response<Body>> {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return Err(Problem::new(
            Kind::TooLarge,
            format!(
                "request bodies are limited to {} KiB",
                MAX_BODY_BYTES / 1024
            ),
        )
        .into_response());
    };
    // The first field of that name: a later one cannot override what the page put first.
    let sent = form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == FIELD)
        .map(|(_, value)| value.into_owned());
    let matches = match (cookie_token, sent.as_deref()) {
        (Some(expected), Some(sent)) => same(expected.as_bytes(), sent.as_bytes()),
        _ => false,
    };
    if !matches {
        let why = match (cookie_token, sent) {
            (None, _) => "this browser sent the form without its form cookie (are cookies off for this site?)",
            (Some(_), None) => "the form did not carry its form token",
            (Some(_), Some(_)) => "the form's token does not match this browser's (the page may be from an earlier visit)",
        };
        let problem = Problem::new(
            Kind::FormToken,
            format!("{why}: go back, reload the page and send the form again"),
        );
        let html = parts
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
        return Err(if html {
            crate::web::problem_response(&problem)
        } else {
            problem.into_response()
        });
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// 128 random bits as 32 lowercase hex digits.
fn new_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn well_formed(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Equal, in a time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_and_well_formed() {
        let (a, b) = (new_token(), new_token());
        assert!(well_formed(&a) && well_formed(&b));
        assert_ne!(a, b);
        assert!(!well_formed("short"));
        assert!(!well_formed(&"g".repeat(32)));
    }

    #[test]
    fn comparison() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"abcd"));
        assert!(!same(b"", b"a"));
    }

    #[tokio::test]
    async fn the_hidden_field_carries_the_requests_token() {
        let field = TOKEN
            .scope(RefCell::new(Some("0123".to_string())), async {
                hidden_field().into_string()
            })
            .await;
        assert_eq!(
            field,
            r#"<input type="hidden" name="form_token" value="0123">"#
        );
        assert!(hidden_field().into_string().contains(r#"value="""#));
    }
}
