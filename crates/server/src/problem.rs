//! Errors as `application/problem+json` (RFC 9457). Every message here is written for the
//! client; nothing internal (a panic message, a store error, a file path) is ever put in one.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of problem details.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem detail object. `type` is a relative URI naming the kind of problem; the
/// server describes each at `/problems/{kind}`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// For 422: the field at fault, e.g. `answers.fevr` or `text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is not in the body: a store failure's cause (for the operator's log), how long
    /// to wait (the `Retry-After` header). Boxed: most problems have neither.
    #[serde(skip)]
    #[schema(ignore)]
    pub extra: Option<Box<ProblemExtra>>,
}

/// The parts of a [`Problem`] that are not sent in its body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProblemExtra {
    pub cause: Option<String>,
    pub retry_after_seconds: Option<u64>,
}

/// The kinds of problem, with their status and title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    MalformedJson,
    InvalidField,
    UnsupportedMediaType,
    NotFound,
    MethodNotAllowed,
    Conflict,
    TooLarge,
    TooManyRequests,
    Timeout,
    Unavailable,
    Internal,
    BadRequest,
    Unauthorized,
    EmailTaken,
    CrossSite,
    FormToken,
}

impl Kind {
    pub const ALL: [Kind; 16] = [
        Kind::MalformedJson,
        Kind::InvalidField,
        Kind::UnsupportedMediaType,
        Kind::NotFound,
        Kind::MethodNotAllowed,
        Kind::Conflict,
        Kind::TooLarge,
        Kind::TooManyRequests,
        Kind::Timeout,
        Kind::Unavailable,
        Kind::Internal,
        Kind::BadRequest,
        Kind::Unauthorized,
        Kind::EmailTaken,
        Kind::CrossSite,
        Kind::FormToken,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Kind::MalformedJson => "malformed-json",
            Kind::InvalidField => "invalid-field",
            Kind::UnsupportedMediaType => "unsupported-media-type",
            Kind::NotFound => "not-found",
            Kind::MethodNotAllowed => "method-not-allowed",
            Kind::Conflict => "conflict",
            Kind::TooLarge => "too-large",
            Kind::TooManyRequests => "too-many-requests",
            Kind::Timeout => "timeout",
            Kind::Unavailable => "unavailable",
            Kind::Internal => "internal",
            Kind::BadRequest => "bad-request",
            Kind::Unauthorized => "unauthorized",
            Kind::EmailTaken => "email-taken",
            Kind::CrossSite => "cross-site",
            Kind::FormToken => "form-token",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Kind::MalformedJson | Kind::BadRequest => StatusCode::BAD_REQUEST,
            Kind::InvalidField => StatusCode::UNPROCESSABLE_ENTITY,
            Kind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Kind::NotFound => StatusCode::NOT_FOUND,
            Kind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Kind::Conflict => StatusCode::CONFLICT,
            Kind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Kind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Kind::Timeout => StatusCode::REQUEST_TIMEOUT,
            Kind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Kind::Unauthorized => StatusCode::UNAUTHORIZED,
            Kind::EmailTaken => StatusCode::CONFLICT,
            Kind::CrossSite | Kind::FormToken => StatusCode::FORBIDDEN,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Kind::MalformedJson => "The body is not valid JSON",
            Kind::InvalidField => "A field is not acceptable",
            Kind::UnsupportedMediaType => "The body must be JSON",
            Kind::NotFound => "Not found",
            Kind::MethodNotAllowed => "Method not allowed",
            Kind::Conflict => "That is not the question being asked",
            Kind::TooLarge => "The body is too large",
            Kind::TooManyRequests => "Too many requests",
            Kind::Timeout => "The request took too long",
            Kind::Unavailable => "The service is unavailable",
            Kind::Internal => "Something went wrong on our side",
            Kind::BadRequest => "Bad request",
            Kind::Unauthorized => "Sign in first",
            Kind::EmailTaken => "That email already has an account",
            Kind::CrossSite => "Refused: the request came from another site",
            Kind::FormToken => "The form could not be accepted",
        }
    }

    /// What the kind means, for `/problems/{kind}` and the documentation.
    pub fn explanation(self) -> &'static str {
        match self {
            Kind::MalformedJson => "The request body could not be parsed as JSON (or is not valid UTF-8). Fix the syntax and send it again.",
            Kind::InvalidField => "The body is JSON, but a field has the wrong type, names an unknown finding, is out of range, or is too long. The `field` member names it.",
            Kind::UnsupportedMediaType => "Send the body with `Content-Type: application/json`.",
            Kind::NotFound => "There is nothing at this address, or no assessment or interview with this id (it may have expired).",
            Kind::MethodNotAllowed => "This address does not accept this method.",
            Kind::Conflict => "The answer is for a question that is not the interview's current one. Fetch the interview to see the current question.",
            Kind::TooLarge => "Request bodies are limited to 64 KiB.",
            Kind::TooManyRequests => "This client sent too many requests; wait a moment (see `Retry-After`) and try again.",
            Kind::Timeout => "The request was not completed in time. Try again.",
            Kind::Unavailable => "A part of the service (such as the store) is not answering. Try again later.",
            Kind::Internal => "An unexpected error. Nothing about it is shown here; it has been logged.",
            Kind::BadRequest => "The request is not acceptable as sent.",
            Kind::Unauthorized => "This server keeps accounts (`--multi-user`): send `Authorization: Bearer <token>` with a token from `POST /api/v1/sessions`. A missing, unknown, expired or signed-out token gets this answer.",
            Kind::EmailTaken => "An account with this email exists already. Sign in instead, or register with another email.",
            Kind::CrossSite => "Requests that change something (sign in, register, sign out, store, share, add to a diary) are accepted only from this server's own pages: a browser says where a request comes from (`Sec-Fetch-Site`, else `Origin`), and one from another site, port or subdomain is refused. Programs that are not browsers send neither header and are not affected. Open the service's own page and try again.",
            Kind::FormToken => "Every form on the web pages carries a token that must match a cookie the page set, so that another site cannot send the form on a person's behalf. The token was missing or did not match: the page may be from an earlier visit, or cookies are off for this site. Go back, reload the page and send the form again. Programs use the JSON API, which has no such token.",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// The kind that a bare error status of a layer (body limit, timeout, rate limit, …)
    /// stands for.
    pub fn for_status(status: StatusCode) -> Kind {
        match status {
            StatusCode::BAD_REQUEST => Kind::BadRequest,
            StatusCode::UNAUTHORIZED => Kind::Unauthorized,
            StatusCode::FORBIDDEN => Kind::CrossSite,
            StatusCode::NOT_FOUND => Kind::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => Kind::MethodNotAllowed,
            StatusCode::CONFLICT => Kind::Conflict,
            StatusCode::PAYLOAD_TOO_LARGE => Kind::TooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Kind::UnsupportedMediaType,
            StatusCode::UNPROCESSABLE_ENTITY => Kind::InvalidField,
            StatusCode::TOO_MANY_REQUESTS => Kind::TooManyRequests,
            StatusCode::REQUEST_TIMEOUT => Kind::Timeout,
            StatusCode::SERVICE_UNAVAILABLE => Kind::Unavailable,
            s if s.is_client_error() => Kind::BadRequest,
            _ => Kind::Internal,
        }
    }
}

impl Problem {
    pub fn new(kind: Kind, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("/problems/{}", kind.slug()),
            title: kind.title().to_string(),
            status: kind.status().as_u16(),
            detail: detail.into(),
            field: None,
            extra: None,
        }
    }

    /// The same problem, with a store failure's cause for the operator's log.
    pub fn with_cause(mut self, cause: String) -> Problem {
        self.extra.get_or_insert_with(Box::default).cause = Some(cause);
        self
    }

    /// The same problem, asking the client to wait `seconds` (`Retry-After`).
    pub fn with_retry_after(mut self, seconds: u64) -> Problem {
        self.extra
            .get_or_insert_with(Box::default)
            .retry_after_seconds = Some(seconds);
        self
    }

    /// How long the client should wait: as set, else the outage's wait for a 503.
    pub fn retry_after(&self) -> Option<u64> {
        self.extra
            .as_ref()
            .and_then(|e| e.retry_after_seconds)
            .or((self.status == 503).then_some(crate::outage::RETRY_AFTER_SECONDS))
    }

    /// A store failure's cause, if this problem is one.
    pub fn cause(&self) -> Option<&str> {
        self.extra.as_ref()?.cause.as_deref()
    }

    /// A 422 naming the field at fault.
    pub fn field(field: impl Into<String>, detail: impl Into<String>) -> Problem {
        let field = field.into();
        let detail = detail.into();
        let detail = if field.is_empty() {
            detail
        } else {
            format!("{field}: {detail}")
        };
        Problem {
            field: (!field.is_empty()).then_some(field),
            ..Problem::new(Kind::InvalidField, detail)
        }
    }

    pub fn not_found(what: &str) -> Problem {
        Problem::new(
            Kind::NotFound,
            format!("no {what} with this id; it may have expired"),
        )
    }

    pub fn malformed(detail: impl Into<String>) -> Problem {
        Problem::new(Kind::MalformedJson, detail)
    }

    pub fn internal() -> Problem {
        Problem::new(
            Kind::Internal,
            "an unexpected error happened on the server; it has been logged",
        )
    }

    /// A 401: no session, or one that no longer works.
    pub fn unauthorized(detail: impl Into<String>) -> Problem {
        Problem::new(Kind::Unauthorized, detail)
    }

    pub fn unavailable() -> Problem {
        Problem::new(
            Kind::Unavailable,
            "the store is not answering; try again in a moment",
        )
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| {
            r#"{"type":"/problems/internal","title":"Something went wrong on our side","status":500,"detail":"an unexpected error"}"#.to_string()
        })
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = (self.status_code(), self.to_json()).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        self.annotate(&mut response);
        response
    }
}

impl Problem {
    /// What the problem says outside its body, on any response that answers it (the
    /// problem+json above, or an HTML page): `Retry-After`, and a store failure for the
    /// request layer to log.
    pub fn annotate(&self, response: &mut Response) {
        if let Some(seconds) = self.retry_after() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if let Some(cause) = self.cause() {
            response
                .extensions_mut()
                .insert(StoreFailure(cause.to_string()));
        }
    }
}

/// A response's store failure, for the request layer to log (once per outage).
#[derive(Debug, Clone)]
pub struct StoreFailure(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_problems_name_the_field() {
        let p = Problem::field("answers.fevr", "unknown finding id `fevr`");
        assert_eq!(p.status, 422);
        assert_eq!(p.field.as_deref(), Some("answers.fevr"));
        assert_eq!(p.detail, "answers.fevr: unknown finding id `fevr`");
        let json: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
        assert_eq!(json["type"], "/problems/invalid-field");
    }

    #[test]
    fn every_kind_round_trips_its_slug() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_slug(kind.slug()), Some(kind));
            assert_eq!(Kind::for_status(kind.status()).status(), kind.status());
        }
    }
}
