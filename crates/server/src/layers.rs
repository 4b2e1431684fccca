//! What wraps every route: security headers, problem details for every error (whoever made
//! it), panics caught, metrics and an access log that never holds a body or a query.

use std::any::Any;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Response, StatusCode};
use axum::middleware::Next;
use axum::response::IntoResponse;
use tower_governor::errors::GovernorError;
use tower_governor::key_extractor::KeyExtractor;

use crate::problem::{Kind, Problem, PROBLEM_JSON};
use crate::AppState;

/// The Content-Security-Policy of every response: no inline script or style, nothing from
/// elsewhere, never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Adds the security headers to a response (replacing any already there).
pub async fn security_headers(mut response: Response<Body>) -> Response<Body> {
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: &'static str, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, "content-security-policy", CONTENT_SECURITY_POLICY);
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "referrer-policy", "no-referrer");
    set(headers, "x-frame-options", "DENY");
    set(headers, "cross-origin-opener-policy", "same-origin");
    set(headers, "cross-origin-resource-policy", "same-origin");
    set(
        headers,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        // Results are health information: never kept by a cache.
        set(headers, "cache-control", "no-store");
    }
    response
}

/// Refuses what another site can make a person's browser send (cross-site request forgery),
/// before any handler runs:
/// - a request that changes something (any method but GET, HEAD, OPTIONS) that the browser
///   says comes from another site, port or subdomain: `Sec-Fetch-Site` (Fetch Metadata) when
///   the browser sends it, else an `Origin` that is not this host. 403 problem. A client
///   that sends neither (curl, the CLI, a server) is not a browser acting for someone.
///   CDS Hooks services are called across origins by design; their client authenticates.
/// - a JSON endpoint's body without a JSON `Content-Type` from a browser (it carries the
///   session cookie, or Fetch Metadata): a page elsewhere can send `text/plain` with no CORS
///   preflight. 415 problem. Programs (a bearer token, or no session) are not held to it.
pub async fn refuse_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response<Body> {
    if matches!(request.method().as_str(), "GET" | "HEAD" | "OPTIONS") {
        return next.run(request).await;
    }
    let path = request.uri().path();
    let headers = request.headers();
    if !path.starts_with("/cds-services") {
        if let Err(why) = same_origin(headers, state.behind_proxy()) {
            let problem = Problem::new(Kind::CrossSite, why);
            return if wants_page(&request) {
                crate::web::problem_response(&problem)
            } else {
                problem.into_response()
            };
        }
    }
    let from_browser =
        || headers.contains_key("sec-fetch-mode") || crate::auth::has_session_cookie(headers);
    if json_endpoint(path) && has_body(headers) && !json_type(headers) && from_browser() {
        return Problem::new(
            Kind::UnsupportedMediaType,
            "the body must be sent as `Content-Type: application/json`",
        )
        .into_response();
    }
    next.run(request).await
}

/// Whether a browser's request comes from this server's own pages (`Err` says why not).
fn same_origin(headers: &HeaderMap, behind_proxy: bool) -> Result<(), String> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        // "none": the person typed the address or used a bookmark.
        return match site.trim() {
            "same-origin" | "none" => Ok(()),
            other => Err(format!(
                "the browser says this request comes from another site (Sec-Fetch-Site: {other})"
            )),
        };
    }
    let Some(origin) = text("origin") else {
        return Ok(());
    };
    let origin = origin.trim();
    let authority = origin
        .split_once("://")
        .map(|(_, rest)| rest.trim_end_matches('/'))
        .filter(|a| !a.is_empty() && origin != "null");
    // Behind a proxy the host the browser used is the forwarded one.
    let host = behind_proxy
        .then(|| text("x-forwarded-host"))
        .flatten()
        .or_else(|| text("host"))
        .map(|h| h.rsplit(',').next().unwrap_or(h).trim());
    match (authority, host) {
        (Some(authority), Some(host)) if authority.eq_ignore_ascii_case(host) => Ok(()),
        _ => Err(format!(
            "the browser says this request comes from {origin}, not from this server's own pages"
        )),
    }
}

/// Endpoints whose request body is JSON.
fn json_endpoint(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/fhir/") || path.starts_with("/cds-services")
}

/// True when the request says it has a body.
fn has_body(headers: &HeaderMap) -> bool {
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .is_some_and(|n| n > 0)
}

/// `application/json` or a JSON type of its own (`application/fhir+json`), any parameters.
fn json_type(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|t| {
            t == "application/json" || (t.starts_with("application/") && t.ends_with("+json"))
        })
}

/// True for requests a person's browser makes for a page (not the API, not probes).
fn wants_page(request: &Request) -> bool {
    let path = request.uri().path();
    let api = path.starts_with("/api/")
        || path == "/healthz"
        || path == "/metrics"
        || path.starts_with("/static/");
    !api && request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// Any error response that is not already a problem (or a page) becomes one: the layers'
/// plain-text 408, 413 and 429, axum's 404 and 405, anything else. Its body is dropped
/// unread, so no internal message can leave.
pub async fn problem_details(request: Request, next: Next) -> Response<Body> {
    let page = wants_page(&request);
    // `/healthz` answers its own documented form, `{"status": "unavailable"}`, when down.
    let health = request.uri().path() == "/healthz";
    let response = next.run(request).await;
    if health {
        return response;
    }
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with(PROBLEM_JSON) || content_type.starts_with("text/html") {
        return response;
    }
    let (mut parts, _unread) = response.into_parts();
    let kind = Kind::for_status(status);
    let detail = match kind {
        Kind::TooLarge => "the body is larger than 64 KiB".to_string(),
        Kind::TooManyRequests => "too many requests from this client; wait a moment".to_string(),
        Kind::Timeout => "the request took too long to complete".to_string(),
        Kind::NotFound => "there is nothing at this address".to_string(),
        Kind::MethodNotAllowed => "this address does not accept this method".to_string(),
        _ => kind.explanation().to_string(),
    };
    let problem = Problem {
        status: status.as_u16(),
        ..Problem::new(kind, detail)
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    if page {
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        let html = crate::web::error_page(&problem).into_string();
        return Response::from_parts(parts, Body::from(html));
    }
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    Response::from_parts(parts, Body::from(problem.to_json()))
}

/// A panic becomes a generic 500 problem. Its message is neither sent nor logged: a panic
/// message can quote the data it choked on (a bad string slice quotes the string), which may
/// be the person's text. [`log_panics`] has already logged where it happened.
pub fn panic_response(_panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    tracing::error!("a request handler panicked; answered 500");
    Problem::internal().into_response()
}

/// Replaces the standard panic report (plain text on standard error, with the message) by a
/// log line that names the thread and the place in the code, never the message (see
/// [`panic_response`]). `upperback serve` installs it with the JSON logs.
pub fn log_panics() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_else(|| "unknown".to_owned());
        let thread = std::thread::current();
        tracing::error!(
            location,
            thread = thread.name().unwrap_or("unnamed"),
            "panicked (the message is not logged: it may quote the person's text)"
        );
    }));
}

/// Metrics and the access log: method, route template, status and time. Never the body,
/// the query or the full path (which could carry an id).
pub async fn observe(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response<Body> {
    let start = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let response = next.run(request).await;
    let status = response.status();
    let elapsed = start.elapsed();
    let metrics = state.metrics();
    metrics
        .requests
        .with_label_values(&[method.as_str(), route.as_str(), status.as_str()])
        .inc();
    metrics
        .duration
        .with_label_values(&[route.as_str()])
        .observe(elapsed.as_secs_f64());
    if status == StatusCode::TOO_MANY_REQUESTS {
        metrics.rate_limited.inc();
    }
    let micros = elapsed.as_micros() as u64;
    if let Some(failure) = response.extensions().get::<crate::problem::StoreFailure>() {
        // Logged once per outage (with its cause), not once per request.
        state.store_failed(&failure.0);
        tracing::debug!(method = %method, route = %route, status = status.as_u16(), micros, "request");
    } else if status.is_server_error() {
        tracing::error!(method = %method, route = %route, status = status.as_u16(), micros, "request");
    } else {
        tracing::debug!(method = %method, route = %route, status = status.as_u16(), micros, "request");
    }
    response
}

/// The rate limit's key: the client's IP address (every client on an unknown address
/// shares one bucket, so a missing address is never an error).
///
/// Behind a load balancer every request comes from the balancer's address, so all people
/// would share one bucket. With `behind_proxy` (`upperback serve --behind-proxy`) the key is
/// the last address of `X-Forwarded-For` — the one the balancer itself appended, which a
/// client cannot forge — and the connection's address when the header is missing or bad.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientIp {
    pub behind_proxy: bool,
}

impl ClientIp {
    /// The client's address from a request's headers and connection: the last
    /// `X-Forwarded-For` address behind a proxy (the line the balancer appended, whatever it
    /// holds: skipping an unreadable one would hand the key to an earlier line, which the
    /// client wrote), else the connection's.
    fn of(&self, headers: &HeaderMap, extensions: &axum::http::Extensions) -> IpAddr {
        let forwarded = self
            .behind_proxy
            .then(|| {
                let last = headers.get_all("x-forwarded-for").iter().next_back()?;
                last.to_str().ok()?.rsplit(',').next()?.trim().parse().ok()
            })
            .flatten();
        forwarded.unwrap_or_else(|| {
            extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
                .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
        })
    }
}

/// The client's address, as the rate limit sees it (the proxy's `X-Forwarded-For` with
/// `--behind-proxy`), for handlers.
pub struct ClientAddress(pub IpAddr);

impl axum::extract::FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let client = ClientIp {
            behind_proxy: state.behind_proxy(),
        };
        Ok(ClientAddress(client.of(&parts.headers, &parts.extensions)))
    }
}

impl KeyExtractor for ClientIp {
    type Key = IpAddr;

    fn extract<T>(&self, request: &axum::http::Request<T>) -> Result<IpAddr, GovernorError> {
        Ok(self.of(request.headers(), request.extensions()))
    }
}

/// The rate limit's answer: 429 with `Retry-After`, as a problem.
pub fn rate_limited(error: GovernorError) -> Response<Body> {
    let (wait, headers) = match error {
        GovernorError::TooManyRequests { wait_time, headers } => (wait_time, headers),
        _ => (1, None),
    };
    let wait = wait.max(1);
    let mut response = Problem::new(
        Kind::TooManyRequests,
        format!("too many requests from this client; try again in {wait} s"),
    )
    .into_response();
    if let Some(headers) = headers {
        for (name, value) in headers.iter() {
            if name.as_str().starts_with("x-ratelimit") {
                response.headers_mut().insert(name.clone(), value.clone());
            }
        }
    }
    if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod client_ip_tests {
    use super::*;

    fn request(forwarded: &[&str]) -> axum::http::Request<()> {
        let mut r = axum::http::Request::builder();
        for f in forwarded {
            r = r.header("x-forwarded-for", *f);
        }
        let mut r = r.body(()).unwrap();
        r.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 5000))));
        r
    }

    #[test]
    fn the_balancer_appended_address_is_the_key_only_behind_a_proxy() {
        let direct = ClientIp {
            behind_proxy: false,
        };
        let proxied = ClientIp { behind_proxy: true };
        let r = request(&["1.2.3.4, 203.0.113.9"]);
        assert_eq!(direct.extract(&r).unwrap(), IpAddr::from([10, 0, 0, 1]));
        assert_eq!(proxied.extract(&r).unwrap(), IpAddr::from([203, 0, 113, 9]));
        // A forged first header does not win over the balancer's own last one.
        let r = request(&["6.6.6.6", "198.51.100.7"]);
        assert_eq!(
            proxied.extract(&r).unwrap(),
            IpAddr::from([198, 51, 100, 7])
        );
        // Missing or garbage: the connection's address.
        assert_eq!(
            proxied.extract(&request(&[])).unwrap(),
            IpAddr::from([10, 0, 0, 1])
        );
        assert_eq!(
            proxied.extract(&request(&["nonsense"])).unwrap(),
            IpAddr::from([10, 0, 0, 1])
        );
        // A last line that is not text: the connection's address, never the forged line
        // before it.
        let mut r = request(&["6.6.6.6"]);
        r.headers_mut().append(
            "x-forwarded-for",
            axum::http::HeaderValue::from_bytes(b"198.51.100.\xff").unwrap(),
        );
        assert_eq!(proxied.extract(&r).unwrap(), IpAddr::from([10, 0, 0, 1]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;
    use tower_http::catch_panic::CatchPanicLayer;

    /// Everything logged (JSON) while `f` runs on this thread.
    fn logged_by(f: impl FnOnce()) -> String {
        #[derive(Clone, Default)]
        struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
        impl std::io::Write for Captured {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .json()
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, f);
        let bytes = captured.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn a_panic_is_logged_with_its_place_not_its_message() {
        log_panics();
        let logged = logged_by(|| {
            let text = String::from("my zebracorn back, ça fait mal");
            let outcome = std::panic::catch_unwind(|| {
                // A slice through 'ç' panics with a message that quotes the text.
                let cut = text.find('ç').unwrap() + 1;
                text[..cut].len()
            });
            assert!(outcome.is_err());
        });
        let _ = std::panic::take_hook();
        assert!(logged.contains("panicked"), "{logged}");
        assert!(logged.contains("layers.rs:"), "{logged}");
        assert!(!logged.contains("zebracorn"), "{logged}");
        let response = {
            let mut response = None;
            let logged = logged_by(|| {
                response = Some(panic_response(Box::new(String::from("zebracorn"))));
            });
            assert!(logged.contains("answered 500"), "{logged}");
            assert!(!logged.contains("zebracorn"), "{logged}");
            response.unwrap()
        };
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[tokio::test]
    async fn a_panic_is_a_500_problem_without_its_message() {
        async fn boom() -> &'static str {
            panic!("secret internal detail at /home/someone")
        }
        let app = Router::new()
            .route("/boom", get(boom))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(axum::middleware::from_fn(problem_details))
            .layer(axum::middleware::map_response(security_headers));
        let response = app
            .oneshot(
                axum::http::Request::get("/boom")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()["content-type"], PROBLEM_JSON);
        assert!(response.headers().contains_key("content-security-policy"));
        let body = axum::body::to_bytes(response.into_body(), 10_000)
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("/problems/internal"), "{text}");
    }

    #[tokio::test]
    async fn bare_errors_become_problems() {
        async fn bare() -> (StatusCode, &'static str) {
            (StatusCode::BAD_GATEWAY, "upstream said: password=hunter2")
        }
        let app = Router::new()
            .route("/bare", get(bare))
            .layer(axum::middleware::from_fn(problem_details));
        let response = app
            .oneshot(
                axum::http::Request::get("/bare")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
        let body = axum::body::to_bytes(response.into_body(), 10_000)
            .await
            .unwrap();
        assert!(!String::from_utf8_lossy(&body).contains("hunter2"));
    }
}
