//! A real server on a random loopback port, for the integration tests.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use upperback_server::{app, MemoryStore, ServerConfig};

/// A server running on 127.0.0.1 on a port the system chose; stopped when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    pub base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestServer {
    /// A server whose rate limit will not get in the way of a test.
    pub async fn start() -> TestServer {
        TestServer::with_config(unlimited()).await
    }

    pub async fn with_config(config: ServerConfig) -> TestServer {
        TestServer::with_store(config, std::sync::Arc::new(MemoryStore::default())).await
    }

    pub async fn with_store(
        config: ServerConfig,
        store: std::sync::Arc<dyn upperback_server::Store>,
    ) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("bound");
        let router = app(config, store);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = upperback_server::serve(listener, router, async move {
                let _ = stopped.await;
            })
            .await;
        });
        TestServer {
            addr,
            base: format!("http://{addr}"),
            stop: Some(stop),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A configuration whose rate limit will not get in the way of a test.
pub fn unlimited() -> ServerConfig {
    ServerConfig {
        rate_limit_per_second: 1_000_000,
        rate_limit_burst: 1_000_000,
        ..ServerConfig::default()
    }
}

/// A client that does not follow redirects (the tests look at them).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client")
}

/// `GET url`: the body as text, whatever the status.
pub async fn get_text(http: &reqwest::Client, url: &str) -> String {
    let response = http.get(url).send().await.expect("the server answers");
    response.text().await.expect("a body")
}

/// `GET url`: the body as JSON, whatever the status.
pub async fn get_json(http: &reqwest::Client, url: &str) -> serde_json::Value {
    let response = http.get(url).send().await.expect("the server answers");
    response.json().await.expect("a JSON body")
}

/// The people of the `--multi-user` tests: two persons and a clinician (whose account is made
/// on the server's machine, as `upperback admin add-clinician` would).
pub const ANA: &str = "ana@example.org";
pub const BEN: &str = "ben@example.org";
pub const DOCTOR: &str = "dr.lee@clinic.example";
pub const PASSWORD: &str = "correct horse battery";
pub const DOCTOR_PASSWORD: &str = "staple of the clinic";

/// The web pages' operations (path, method) in the OpenAPI document, each tagged `web`.
pub const WEB_PAGE_OPERATIONS: [(&str, &str); 11] = [
    ("/sign-in", "get"),
    ("/sign-in", "post"),
    ("/register", "get"),
    ("/register", "post"),
    ("/sign-out", "post"),
    ("/episodes", "get"),
    ("/episodes", "post"),
    ("/episodes/{id}", "get"),
    ("/episodes/{id}/check-ins", "post"),
    ("/result/{id}/share", "post"),
    ("/queue", "get"),
];

/// The security headers every response must carry.
pub fn assert_security_headers(response: &reqwest::Response) {
    let headers = response.headers();
    let csp = headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no CSP on {}", response.url()));
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["x-frame-options"], "DENY");
}

/// Checks a problem response: status, media type, members; returns the JSON.
pub async fn problem(response: reqwest::Response, status: u16) -> serde_json::Value {
    assert_eq!(response.status().as_u16(), status, "{}", response.url());
    assert_security_headers(&response);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json",
        "{}",
        response.url()
    );
    let body: serde_json::Value = response.json().await.expect("problem JSON");
    for member in ["type", "title", "status", "detail"] {
        assert!(body.get(member).is_some(), "no {member} in {body}");
    }
    assert_eq!(body["status"], status);
    body
}

/// The web workstation form (`POST /workstation`) filled in for a poor office set-up (ROSA):
/// the same set-up as `docs/examples/rosa-poor-workstation.json`, as a browser sends it.
pub const POOR_ROSA_FORM: [(&str, &str); 25] = [
    ("method", "rosa"),
    ("chair.seat_height", "too_low_or_high"),
    ("chair.seat_height_flags.not_adjustable", "on"),
    ("chair.seat_depth", "too_long_or_short"),
    ("chair.armrests", "too_high_or_low"),
    ("chair.armrest_flags.not_adjustable", "on"),
    ("chair.back_support", "no_lumbar_or_wrong_angle"),
    ("chair.hours_per_day", "6"),
    ("chair.longest_stretch_minutes", "90"),
    ("monitor.position", "too_low"),
    ("monitor.flags.glare", "on"),
    ("monitor.hours_per_day", "6"),
    ("monitor.longest_stretch_minutes", "90"),
    ("telephone.position", "ok"),
    ("telephone.flags.no_hands_free", "on"),
    ("telephone.hours_per_day", "2"),
    ("telephone.longest_stretch_minutes", "20"),
    ("mouse.position", "reaching"),
    ("mouse.flags.pinch_grip", "on"),
    ("mouse.hours_per_day", "6"),
    ("mouse.longest_stretch_minutes", "90"),
    ("keyboard.position", "wrists_extended"),
    ("keyboard.flags.wrists_deviated", "on"),
    ("keyboard.hours_per_day", "6"),
    ("keyboard.longest_stretch_minutes", "90"),
];

/// The web workstation form filled in for a typist's posture (RULA): the same posture as
/// `docs/examples/rula-typist.json`.
pub const TYPIST_RULA_FORM: [(&str, &str); 14] = [
    ("method", "rula"),
    ("upper_arm.flexion_deg", "30"),
    ("lower_arm.flexion_deg", "110"),
    ("wrist.flexion_deg", "-20"),
    ("wrist.twist", "mid_range"),
    ("arm_static_or_repeated", "on"),
    ("arm_load.kg", "0"),
    ("arm_load.pattern", "intermittent"),
    ("neck.flexion_deg", "25"),
    ("trunk.flexion_deg", "10"),
    ("legs_supported", "on"),
    ("neck_trunk_static_or_repeated", "on"),
    ("neck_trunk_load.kg", "0"),
    ("neck_trunk_load.pattern", "intermittent"),
];

/// The anti-forgery token of a browser that has opened one of the server's pages. A browser
/// sends it twice with every form: in its cookie and as the form's hidden field; the tests
/// do the same (any well-formed token is accepted when both agree).
pub const FORM_TOKEN: &str = "00112233445566778899aabbccddeeff";

/// The `Cookie` header of that browser, with `others` (such as the session cookie) before it.
pub fn form_cookie(others: Option<&str>) -> String {
    match others {
        Some(others) => format!("{others}; upperback_form={FORM_TOKEN}"),
        None => format!("upperback_form={FORM_TOKEN}"),
    }
}

/// A form's body as the page sends it: the hidden token first, then `body`.
pub fn with_form_token(body: impl AsRef<[u8]>) -> Vec<u8> {
    let mut sent = format!("form_token={FORM_TOKEN}&").into_bytes();
    sent.extend_from_slice(body.as_ref());
    sent
}
