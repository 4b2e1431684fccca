//! Who is asking: the [`Caller`] of a request.
//!
//! Without `--multi-user` every request is the local person's ([`Viewer::Local`]): the server
//! listens on loopback only and the database is theirs. With `--multi-user`, a request that
//! reads or writes a person's data must carry a session token, either as
//! `Authorization: Bearer <token>` (the API) or in the `upperback_session` cookie (the web
//! pages, `HttpOnly; SameSite=Strict`, so another site cannot send it). Only the token's
//! SHA-256 is kept in the store; a missing, unknown, expired or signed-out token is a 401.

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use upperback_store::{Account, AccountId, Role, TokenHash, Viewer};

use crate::problem::Problem;
use crate::AppState;

/// The cookie the web pages keep the session token in.
pub const SESSION_COOKIE: &str = "upperback_session";
/// The session cookie's name over HTTPS: the `__Host-` prefix makes the browser refuse it
/// unless it is `Secure`, for this host only and for every path (RFC 6265bis).
pub const SECURE_SESSION_COOKIE: &str = "__Host-upperback_session";

/// The account (or the local person) a request acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// What this caller may read ([`Viewer`]'s rules).
    pub viewer: Viewer,
    /// The signed-in account; `None` in local mode.
    pub account: Option<Account>,
    /// The hash of the token the request carried, to sign out with.
    pub token: Option<TokenHash>,
}

impl Caller {
    /// The local person (no accounts).
    pub fn local() -> Caller {
        Caller {
            viewer: Viewer::Local,
            account: None,
            token: None,
        }
    }

    /// Whose new records these are: the account, or nobody's in local mode.
    pub fn owner(&self) -> Option<AccountId> {
        self.viewer.account()
    }

    /// True for a clinician's account.
    pub fn is_clinician(&self) -> bool {
        matches!(&self.account, Some(a) if a.role == Role::Clinician)
    }

    /// The caller's email, when signed in.
    pub fn email(&self) -> Option<&str> {
        self.account.as_ref().map(|a| a.email.as_str())
    }
}

/// True when the request carries the session cookie (a browser signed in here).
pub fn has_session_cookie(headers: &axum::http::HeaderMap) -> bool {
    session_cookie(headers).is_some()
}

/// True when the proxy's `X-Forwarded-Proto` says `https` (its last value: the one the
/// proxy itself appended).
pub fn forwarded_https(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

/// The token of an `Authorization: Bearer …` header.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty())
}

/// The session cookie's value. Over HTTPS (a proxy's `X-Forwarded-Proto: https`) only the
/// `__Host-` cookie counts: no sibling subdomain can set that one.
fn session_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE, SECURE_SESSION_COOKIE)
}

/// A cookie's value, under its `__Host-` name (`secure_name`) or, unless the request came
/// over HTTPS, under its plain name.
pub(crate) fn cookie(
    headers: &axum::http::HeaderMap,
    name: &str,
    secure_name: &str,
) -> Option<String> {
    let https = forwarded_https(headers);
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(found, _)| *found == secure_name || (!https && *found == name))
        .map(|(_, value)| value.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// The token a request carries: the bearer token first, else the session cookie.
pub fn request_token(parts: &Parts) -> Option<String> {
    bearer_token(&parts.headers)
        .map(str::to_string)
        .or_else(|| session_cookie(&parts.headers))
}

/// The caller of a request, or why there is none (401; 503 when the store does not answer).
pub async fn caller(state: &AppState, parts: &Parts) -> Result<Caller, Problem> {
    if !state.multi_user() {
        return Ok(Caller::local());
    }
    let Some(token) = request_token(parts) else {
        return Err(Problem::unauthorized(
            "sign in first: send `Authorization: Bearer <token>` with a token from \
             POST /api/v1/sessions",
        ));
    };
    // Tokens are 64 hex characters; anything much longer is not one (and is not hashed).
    if token.len() > 256 {
        return Err(invalid_token());
    }
    let hash = TokenHash::of(&token);
    let database = state.database()?;
    match database.session(&hash).await {
        Ok(Some(account)) => Ok(Caller {
            viewer: Viewer::for_account(&account),
            account: Some(account),
            token: Some(hash),
        }),
        Ok(None) => Err(invalid_token()),
        Err(e) => Err(crate::outage::store_failed(e, "looking up a session")),
    }
}

fn invalid_token() -> Problem {
    Problem::unauthorized(
        "the session token is unknown, expired or signed out: sign in again with \
         POST /api/v1/sessions",
    )
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        caller(state, parts).await
    }
}

/// A clinician, or 404 for anyone else (a person must not learn the queue exists, beyond
/// its documentation) — and 401 without a session.
/// Holds the clinician's account: a clinician is always signed in, so a handler has no
/// "no account" case to answer.
pub struct Clinician(pub AccountId);

impl FromRequestParts<AppState> for Clinician {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        match caller(state, parts).await?.account {
            Some(account) if account.role == Role::Clinician => Ok(Clinician(account.id)),
            _ => Err(Problem::new(
                crate::problem::Kind::NotFound,
                "the queue is for clinician accounts",
            )),
        }
    }
}

/// The caller of a web page. In `--multi-user` mode, a page asked for without a working
/// session sends the browser to `/sign-in` (303) instead of answering a 401 problem.
pub struct SignedIn(pub Caller);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = axum::response::Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, axum::response::Response> {
        use axum::response::IntoResponse;
        match caller(state, parts).await {
            Ok(caller) => Ok(SignedIn(caller)),
            Err(problem) if problem.status == 401 => Err((
                axum::http::StatusCode::SEE_OTHER,
                [(axum::http::header::LOCATION, "/sign-in")],
            )
                .into_response()),
            Err(problem) => Err(crate::web::problem_response(&problem)),
        }
    }
}

/// Deletes expired sessions every `period` in the background (their tokens already stop
/// working when they expire; this only keeps the table small). Nothing to do for a store
/// without a database.
pub fn purge_expired_sessions_every(
    store: std::sync::Arc<dyn crate::Store>,
    period: std::time::Duration,
) -> Option<tokio::task::JoinHandle<()>> {
    let database = store.database()?;
    Some(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        loop {
            ticks.tick().await;
            match database.purge_expired_sessions().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sessions = n, "purged expired sessions"),
                Err(e) => tracing::warn!(error = %e, "could not purge expired sessions"),
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(headers: &[(&str, &str)]) -> Parts {
        let mut request = Request::builder().uri("/");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap().into_parts().0
    }

    #[test]
    fn tokens_from_the_header_or_the_cookie() {
        assert_eq!(
            request_token(&parts(&[("authorization", "Bearer abc")])),
            Some("abc".into())
        );
        assert_eq!(
            request_token(&parts(&[("authorization", "bearer  abc ")])),
            Some("abc".into())
        );
        assert_eq!(
            request_token(&parts(&[("cookie", "a=1; upperback_session=xyz; b=2")])),
            Some("xyz".into())
        );
        assert_eq!(
            request_token(&parts(&[
                ("authorization", "Bearer first"),
                ("cookie", "upperback_session=second")
            ])),
            Some("first".into())
        );
        assert_eq!(
            request_token(&parts(&[("authorization", "Basic abc")])),
            None
        );
        assert_eq!(request_token(&parts(&[("authorization", "Bearer ")])), None);
        assert_eq!(request_token(&parts(&[("cookie", "other=1")])), None);
        assert_eq!(request_token(&parts(&[])), None);
    }
}
