//! The HTTP API and web page of `upperback serve` (`../shared/contracts/http.md`).
//!
//! - [`app`] builds the router: the JSON API under `/api/v1`, `/healthz`, `/metrics`, and the
//!   server-rendered web page at `/`, wrapped in the limits (64 KiB bodies, a request
//!   timeout, a per-client rate limit), security headers, problem details for every error,
//!   a panic catcher, metrics and an access log that never holds the person's text.
//! - [`serve`] runs it on a listener until the shutdown future resolves.
//! - [`parse_bind`] refuses any address that is not loopback unless `--multi-user`: without
//!   accounts, anyone who could reach the server could read every assessment.
//! - With `--multi-user` ([`ServerConfig::multi_user`]) every request that touches a
//!   person's data carries a session ([`auth`]); [`accounts`] and [`diary`] are the account,
//!   sharing, queue, export/erase and episode endpoints.
//! - [`open_store`] opens the assessments store named by `--database`: the embedded SQLite
//!   database by default, a bounded in-memory map for `memory`.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let store = upperback_server::open_store(Some("memory")).await.unwrap();
//! let app = upperback_server::app(upperback_server::ServerConfig::default(), store);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! upperback_server::serve(listener, app, upperback_server::shutdown_signal()).await
//! # }
//! ```

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state, map_response};
use axum::routing::{get, post};
use axum::Router;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use upperback_core::{assess, Assessment, KnowledgeBase};
use upperback_store::AccountId;
use uuid::Uuid;

pub mod accounts;
pub mod api;
pub mod auth;
pub mod clinic;
pub mod csrf;
pub mod diary;
pub mod ergonomics;
pub mod input;
pub mod interviews;
pub mod layers;
pub mod metrics;
pub mod openapi;
pub mod outage;
pub mod passwords;
pub mod problem;
pub mod request_schemas;
pub mod store;
pub mod view;
pub mod web;
pub mod web_accounts;
pub mod workstation;

pub use auth::Caller;
pub use input::{AssessmentRequest, MAX_BODY_BYTES};
pub use problem::Problem;
pub use store::{DatabaseStore, MemoryStore, NewAssessment, Store, StoreError, StoredAssessment};

use interviews::{Interviews, Session};
use metrics::Metrics;
use outage::Outage;

/// The server's settings.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Requests per second allowed to one client address, on average.
    pub rate_limit_per_second: u32,
    /// Requests one client may make at once before the average applies.
    pub rate_limit_burst: u32,
    /// How long a request may take, body included, before a 408.
    pub request_timeout: Duration,
    /// Interviews kept in memory at once (the oldest idle ones make room).
    pub max_interviews: usize,
    /// Interviews one caller (an account; a client address without accounts) may hold: a
    /// new one beyond that replaces the caller's own oldest.
    pub max_interviews_per_caller: usize,
    /// An interview left alone this long is forgotten.
    pub interview_ttl: Duration,
    /// Accounts, sessions, sharing and the clinician queue (`--multi-user`): every request
    /// that reads or writes a person's data must then carry a session. Needs a database store.
    pub multi_user: bool,
    /// How long a session token works after signing in.
    pub session_ttl: Duration,
    /// Behind a load balancer or reverse proxy (`--behind-proxy`): the rate limit keys on the
    /// last `X-Forwarded-For` address, and the session cookie is marked `Secure` when
    /// `X-Forwarded-Proto` says the client used HTTPS.
    pub behind_proxy: bool,
    /// Argon2 hashes computed at once (sign-ins, registrations); the rest wait a few
    /// seconds for a turn, then get 503. Each takes 19 MiB and tens of milliseconds.
    pub max_concurrent_hashes: usize,
    /// The bearer token a CDS Hooks client must send (`Authorization: Bearer …`). With
    /// `--multi-user` the CDS Hooks service is off without one.
    pub cds_token: Option<String>,
    /// The address people reach this server at (`https://triage.example.org`), for links
    /// the server hands out (CDS Hooks cards). Without it, links are built from the request's
    /// `Host` in local mode, and none are given with `--multi-user`.
    pub public_url: Option<String>,
    /// The bearer token `/metrics` asks for. With `--multi-user`, `/metrics` answers 404
    /// without one configured: the figures are the operator's, not the public's.
    pub metrics_token: Option<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            rate_limit_per_second: 50,
            rate_limit_burst: 100,
            request_timeout: Duration::from_secs(10),
            max_interviews: 2_000,
            max_interviews_per_caller: 20,
            interview_ttl: Duration::from_secs(3600),
            multi_user: false,
            session_ttl: Duration::from_secs(30 * 24 * 3600),
            behind_proxy: false,
            metrics_token: None,
            cds_token: None,
            public_url: None,
            max_concurrent_hashes: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

struct Inner {
    kb: &'static KnowledgeBase,
    store: Arc<dyn Store>,
    interviews: Interviews,
    metrics: Metrics,
    knowledge_base_json: String,
    follow_up_rule: upperback_store::FollowUpRule,
    openapi_json: String,
    multi_user: bool,
    session_ttl: Duration,
    behind_proxy: bool,
    metrics_token: Option<upperback_store::auth::TokenHash>,
    cds_token: Option<upperback_store::auth::TokenHash>,
    public_url: Option<String>,
    outage: Outage,
    passwords: passwords::Passwords,
    /// The last health probe: when, and whether the store could commit.
    health: std::sync::Mutex<Option<(std::time::Instant, bool)>>,
    /// One probe at a time.
    probing: tokio::sync::Mutex<()>,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    pub fn new(config: &ServerConfig, store: Arc<dyn Store>) -> AppState {
        let kb = KnowledgeBase::embedded();
        // Build the reader now, not on the first request.
        let _ = upperback_nlu::Reader::embedded();
        AppState(Arc::new(Inner {
            kb,
            store,
            interviews: Interviews::new(
                config.max_interviews,
                config.max_interviews_per_caller,
                config.interview_ttl,
            ),
            metrics: Metrics::new(),
            knowledge_base_json: knowledge_base_json(kb),
            follow_up_rule: upperback_store::FollowUpRule::new(
                kb.care.follow_up_after_hours,
                kb.care.follow_up_level.as_str(),
            )
            .expect(
                "the knowledge base checks its follow-up hours (one second to a year) and level",
            ),
            openapi_json: openapi::json(),
            multi_user: config.multi_user,
            session_ttl: config.session_ttl,
            behind_proxy: config.behind_proxy,
            metrics_token: config
                .metrics_token
                .as_deref()
                .map(upperback_store::auth::TokenHash::of),
            cds_token: config
                .cds_token
                .as_deref()
                .map(upperback_store::auth::TokenHash::of),
            public_url: config
                .public_url
                .as_deref()
                .map(|u| u.trim_end_matches('/').to_string()),
            outage: Outage::default(),
            passwords: passwords::Passwords::new(config.max_concurrent_hashes),
            health: std::sync::Mutex::new(None),
            probing: tokio::sync::Mutex::new(()),
        }))
    }

    pub fn kb(&self) -> &'static KnowledgeBase {
        self.0.kb
    }

    pub fn store(&self) -> &dyn Store {
        self.0.store.as_ref()
    }

    /// True in `--multi-user` mode.
    pub fn multi_user(&self) -> bool {
        self.0.multi_user
    }

    /// How long a new session works.
    pub fn session_ttl(&self) -> Duration {
        self.0.session_ttl
    }

    /// The configured public address, without a trailing slash.
    pub fn public_url(&self) -> Option<&str> {
        self.0.public_url.as_deref()
    }

    /// Whether a request may call the CDS Hooks service (`Err`: the problem to answer).
    pub fn may_call_cds(&self, headers: &axum::http::HeaderMap) -> Result<(), Problem> {
        self.operator_token_gate(
            self.0.cds_token.as_ref(),
            headers,
            "UPPERBACK_CDS_TOKEN",
            "the CDS Hooks client token",
            "the CDS Hooks service is off",
        )
    }

    /// Whether a request may read `/metrics` (`Err`: the problem to answer).
    pub fn may_read_metrics(&self, headers: &axum::http::HeaderMap) -> Result<(), Problem> {
        self.operator_token_gate(
            self.0.metrics_token.as_ref(),
            headers,
            "UPPERBACK_METRICS_TOKEN",
            "the metrics token",
            "metrics are off",
        )
    }

    /// A service the operator opens with a bearer token from the environment (`variable`):
    /// with a token configured, only a request carrying it passes (401 otherwise; hashes are
    /// compared, so the time does not depend on the token sent); without one, anyone in
    /// local mode (loopback only) and nobody with accounts (404, `off`).
    fn operator_token_gate(
        &self,
        expected: Option<&upperback_store::auth::TokenHash>,
        headers: &axum::http::HeaderMap,
        variable: &str,
        token: &str,
        off: &str,
    ) -> Result<(), Problem> {
        let sent = auth::bearer_token(headers).map(upperback_store::auth::TokenHash::of);
        match expected {
            Some(expected) if sent.as_ref() == Some(expected) => Ok(()),
            Some(_) => Err(Problem::unauthorized(format!(
                "send `Authorization: Bearer <token>` with {token} the server was started \
                 with ({variable})"
            ))),
            None if self.multi_user() => Err(Problem::new(
                problem::Kind::NotFound,
                format!("{off}: start the server with {variable} set"),
            )),
            None => Ok(()),
        }
    }

    /// True when the server runs behind a proxy (`--behind-proxy`).
    pub fn behind_proxy(&self) -> bool {
        self.0.behind_proxy
    }

    /// The database behind the store, for accounts and the diary; a 503 problem naming the
    /// cause for the memory store.
    pub fn database(&self) -> Result<Arc<dyn upperback_store::Store>, Problem> {
        self.store().database().ok_or_else(|| {
            Problem::new(
                problem::Kind::Unavailable,
                "the diary and accounts need a database: start the server without \
                 `--database memory`",
            )
        })
    }

    /// Notes a store failure; the first of an outage is logged, with its cause, and the
    /// store is watched until it answers again (logged too).
    pub fn store_failed(&self, cause: &str) {
        if !self.0.outage.failed(cause) {
            return;
        }
        tracing::error!(
            cause,
            "the store is not answering: requests that need it are answered 503 until it does"
        );
        let state = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(500)).await;
                if state.store().healthy().await {
                    if let Some(down) = state.0.outage.recovered() {
                        tracing::warn!(seconds = down.as_secs_f64(), "the store answers again");
                    }
                    return;
                }
            }
        });
    }

    /// Whether the store answers and can commit a write: probed at most once a second
    /// (`/healthz` is asked far more often; the probe writes).
    pub async fn healthy(&self) -> bool {
        const FRESH: Duration = Duration::from_secs(1);
        let cached = || {
            let last = *self.0.health.lock().unwrap_or_else(|e| e.into_inner());
            last.filter(|(at, _)| at.elapsed() < FRESH)
                .map(|(_, ok)| ok)
        };
        if let Some(ok) = cached() {
            return ok;
        }
        let _probing = self.0.probing.lock().await;
        if let Some(ok) = cached() {
            return ok;
        }
        let ok = self.store().healthy().await;
        *self.0.health.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((std::time::Instant::now(), ok));
        ok
    }

    pub fn passwords(&self) -> &passwords::Passwords {
        &self.0.passwords
    }

    pub fn interviews(&self) -> &Interviews {
        &self.0.interviews
    }

    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    pub fn knowledge_base_json(&self) -> &str {
        &self.0.knowledge_base_json
    }

    /// The diary's follow-up rule: the knowledge base's follow-up hours and level (care.toml
    /// `[follow_up] after_hours` and `level`), so that the diary and the care plan cannot
    /// disagree.
    pub fn follow_up_rule(&self) -> upperback_store::FollowUpRule {
        self.0.follow_up_rule
    }

    pub fn openapi_json(&self) -> &str {
        &self.0.openapi_json
    }

    /// Updates the gauges `/metrics` shows.
    pub fn refresh_gauges(&self) {
        let metrics = self.metrics();
        metrics
            .interviews_active
            .set(self.interviews().len() as i64);
        if let Some(n) = self.store().len_hint() {
            metrics.stored_assessments.set(n as i64);
        }
        if let Some(database) = self.store().database() {
            let stats = database.stats();
            let set =
                |gauge: &prometheus::IntGauge, n: u64| gauge.set(n.min(i64::MAX as u64) as i64);
            set(
                &metrics.store_assessments_written,
                stats.assessments_written,
            );
            set(
                &metrics.store_assessment_transactions,
                stats.assessment_transactions,
            );
            set(&metrics.store_largest_batch, stats.largest_batch);
            set(&metrics.store_assessment_errors, stats.assessment_errors);
        }
    }

    /// Assesses a request and keeps the result for its owner (`None` in local mode).
    pub async fn assess_and_store(
        &self,
        owner: Option<AccountId>,
        request: &AssessmentRequest,
    ) -> Result<Kept, Problem> {
        let prepared = input::prepare(self.kb(), request)?;
        let (json, level) = {
            let assessment = assess(self.kb(), &prepared.evidence);
            (
                assessment_json(&assessment),
                assessment.triage.level.as_str(),
            )
        };
        self.keep(owner, request.to_input(prepared.now), json, level)
            .await
    }

    async fn keep(
        &self,
        owner: Option<AccountId>,
        input: serde_json::Value,
        result: Box<serde_json::value::RawValue>,
        level: &'static str,
    ) -> Result<Kept, Problem> {
        // The answer is written before the store takes the result (and its id is known):
        // with a placeholder id, replaced below, rather than a second copy of ~10 KB.
        let mut answer = with_id(Uuid::nil(), result.get());
        let new = NewAssessment {
            owner,
            input,
            result,
            level,
        };
        let id = match self.store().put_assessment(new).await {
            Ok((id, _)) => id,
            Err(e) => {
                return Err(outage::store_failed(e, "keeping an assessment"));
            }
        };
        self.metrics().assessments.with_label_values(&[level]).inc();
        fill_id(&mut answer, id);
        Ok(Kept { id, json: answer })
    }

    /// Starts an interview (storing its result at once when there is nothing to ask).
    /// `client` is the caller's address: without accounts, it is whose share the interview
    /// counts against.
    pub async fn start_interview(
        &self,
        owner: Option<AccountId>,
        client: std::net::IpAddr,
        request: &AssessmentRequest,
    ) -> Result<(Uuid, Arc<tokio::sync::Mutex<Session>>), Problem> {
        let mut session = api::new_session(self, request)?;
        session.owner = owner;
        self.finish_if_done(&mut session).await?;
        self.metrics().interviews_started.inc();
        let holder = match owner {
            Some(account) => interviews::Holder::Account(account),
            None => interviews::Holder::Address(client),
        };
        Ok(self.interviews().insert(session, holder))
    }

    /// Once an interview has nothing more to ask, its result is kept (once).
    pub async fn finish_if_done(&self, session: &mut Session) -> Result<(), Problem> {
        if !session.interview.is_finished() || session.finished.is_some() {
            return Ok(());
        }
        let (json, level) = {
            let assessment = session.interview.result();
            (
                assessment_json(&assessment),
                assessment.triage.level.as_str(),
            )
        };
        let mut input = session.input.clone();
        if let Some(object) = input.as_object_mut() {
            object.insert(
                "interview".into(),
                serde_json::json!({ "asked": session.interview.asked() }),
            );
        }
        let kept = self.keep(session.owner, input, json, level).await?;
        session.finished = Some((kept.id, kept.json));
        Ok(())
    }
}

/// A kept assessment: its id, and the result as JSON with `"id"` first.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    pub id: Uuid,
    pub json: String,
}

/// The contract's JSON (the same bytes as [`Assessment::to_json`]), as the JSON text it is:
/// written once, not checked again (it comes from the serialiser) when the store takes it.
fn assessment_json(assessment: &Assessment) -> Box<serde_json::value::RawValue> {
    serde_json::value::to_raw_value(assessment).unwrap_or_else(|_| {
        serde_json::value::RawValue::from_string(assessment.to_json())
            .expect("the engine's JSON is JSON")
    })
}

/// How [`with_id`] begins an object: the id's 36 characters follow.
const ID_PREFIX: &str = "{\"id\":\"";

/// The contract's JSON with `"id"` first.
pub fn with_id(id: Uuid, json: &str) -> String {
    let Some(rest) = json.strip_prefix('{') else {
        return json.to_string();
    };
    let mut out = String::with_capacity(json.len() + 48);
    out.push_str(ID_PREFIX);
    out.push_str(id.hyphenated().encode_lower(&mut Uuid::encode_buffer()));
    out.push('"');
    if !rest.trim_start().starts_with('}') {
        out.push(',');
    }
    out.push_str(rest);
    out
}

/// Writes `id` over the id of a [`with_id`] answer (one made with a placeholder).
fn fill_id(answer: &mut String, id: Uuid) {
    // The engine's result is an object, so `with_id` always wrote the prefix.
    debug_assert!(answer.starts_with(ID_PREFIX), "an answer without its id");
    if answer.starts_with(ID_PREFIX) {
        let at = ID_PREFIX.len();
        answer.replace_range(
            at..at + 36,
            id.hyphenated().encode_lower(&mut Uuid::encode_buffer()),
        );
    }
}

/// The whole application: routes, limits and layers.
pub fn app(config: ServerConfig, store: Arc<dyn Store>) -> Router {
    let state = AppState::new(&config, store);
    app_with_state(&config, state)
}

/// [`app`] with a state built by the caller (tests use it to look inside).
pub fn app_with_state(config: &ServerConfig, state: AppState) -> Router {
    let per_second = config.rate_limit_per_second.max(1) as u64;
    let governor = GovernorConfigBuilder::default()
        .key_extractor(layers::ClientIp {
            behind_proxy: config.behind_proxy,
        })
        .per_nanosecond((1_000_000_000 / per_second).max(1))
        .burst_size(config.rate_limit_burst.max(1))
        .finish()
        .expect("period and burst are not zero");
    // FHIR and CDS Hooks (`clinic`): `Accept: application/fhir+json` turns an assessment
    // into an R4 Bundle; the CDS Hooks services allow any origin (EHR sandboxes call them
    // from the browser).
    let fhir_accept = from_fn_with_state(state.clone(), clinic::fhir_when_asked);
    let cds = Router::new()
        .route("/cds-services", get(clinic::cds_discovery))
        .route(
            "/cds-services/upperback-triage",
            post(clinic::cds_patient_view),
        )
        .layer(clinic::cds_cors());
    // The web pages' forms: each post must carry the anti-forgery token its page set
    // (`csrf`). A route layer, so that other methods and other addresses are answered as
    // before (405, 404).
    let forms = Router::new()
        .route(
            "/workstation",
            get(workstation::form).post(workstation::submit),
        )
        .route("/assess", post(web::assess_form))
        .route("/interview", post(web::start_interview_form))
        .route(
            "/interview/{id}",
            get(web::interview_page).post(web::answer_form),
        )
        .route("/result/{id}/share", post(web_accounts::share_form))
        .route(
            "/sign-in",
            get(web_accounts::sign_in_page).post(web_accounts::sign_in_form),
        )
        .route(
            "/register",
            get(web_accounts::register_page).post(web_accounts::register_form),
        )
        .route("/sign-out", post(web_accounts::sign_out_form))
        .route(
            "/episodes",
            get(web_accounts::episodes_page).post(web_accounts::new_episode_form),
        )
        .route(
            "/episodes/{id}/check-ins",
            post(web_accounts::check_in_form),
        )
        .route_layer(from_fn(csrf::check_form));
    let limited = Router::new()
        .merge(forms)
        .route(
            "/api/v1/assessments",
            post(api::create_assessment).layer(fhir_accept.clone()),
        )
        .route(
            "/api/v1/assessments/{id}",
            get(api::get_assessment).layer(fhir_accept),
        )
        .route("/api/v1/assessments/{id}/share", post(accounts::share))
        .route("/api/v1/accounts", post(accounts::create_account))
        .route("/api/v1/sessions", post(accounts::create_session))
        .route(
            "/api/v1/sessions/current",
            axum::routing::delete(accounts::delete_session),
        )
        .route("/api/v1/me", get(accounts::me).delete(accounts::erase))
        .route("/api/v1/me/export", get(accounts::export))
        .route("/api/v1/queue", get(accounts::queue))
        .route(
            "/api/v1/episodes",
            get(diary::list_episodes).post(diary::create_episode),
        )
        .route("/api/v1/episodes/{id}", get(diary::get_episode))
        .route("/api/v1/episodes/{id}/check-ins", post(diary::add_check_in))
        .route("/api/v1/episodes/{id}/chart.svg", get(diary::chart))
        .route("/api/v1/ergonomics/rula", post(ergonomics::rula))
        .route("/api/v1/ergonomics/rosa", post(ergonomics::rosa))
        .route("/fhir/Questionnaire", get(clinic::questionnaires))
        .route(
            "/fhir/Questionnaire/upperback-interview",
            get(clinic::questionnaire),
        )
        .route(
            "/fhir/QuestionnaireResponse/$assess",
            post(clinic::assess_questionnaire_response),
        )
        .merge(cds)
        .route("/api/v1/interviews", post(api::create_interview))
        .route("/api/v1/interviews/{id}", get(api::get_interview))
        .route(
            "/api/v1/interviews/{id}/answers",
            post(api::answer_interview),
        )
        .route("/api/v1/knowledge-base", get(api::knowledge_base))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/", get(web::home))
        .route("/result/{id}", get(web::result_page))
        .route("/episodes/{id}", get(web_accounts::episode_page))
        .route("/queue", get(web_accounts::queue_page))
        .route("/static/{name}", get(web::static_asset))
        .route("/problems/{kind}", get(web::problem_page))
        .layer(GovernorLayer::new(governor).error_handler(layers::rate_limited));
    // Probes are never rate limited.
    let probes = Router::new()
        .route("/healthz", get(api::healthz))
        .route("/metrics", get(api::metrics));
    #[allow(deprecated)] // `TimeoutLayer::new` answers 408, which is what we want.
    let timeout = TimeoutLayer::new(config.request_timeout);
    probes
        .merge(limited)
        .fallback(web::not_found)
        .layer(from_fn_with_state(state.clone(), csrf::provide_token))
        .layer(from_fn_with_state(state.clone(), layers::refuse_cross_site))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(timeout)
        .layer(from_fn_with_state(state.clone(), layers::observe))
        .layer(CatchPanicLayer::custom(layers::panic_response))
        .layer(from_fn(layers::problem_details))
        .layer(map_response(layers::security_headers))
        .with_state(state)
}

/// How the server treats connections: how many at once, how long a client may take to send
/// a request's headers (which is also how long a kept-alive connection may sit idle), and how
/// long shutdown waits for requests in flight.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Connections served at once; more wait in the listen queue until one closes. Kept
    /// under the process's file limit, so that accepting never fails for want of one.
    pub max_connections: usize,
    /// A connection that has not sent a whole request head this long after it opened, or
    /// after its last response, is closed.
    pub header_read_timeout: Duration,
    /// On SIGTERM: stop accepting, let requests in flight finish, and close whatever is
    /// still open after this long.
    pub shutdown_deadline: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: 768,
            header_read_timeout: Duration::from_secs(10),
            shutdown_deadline: Duration::from_secs(10),
        }
    }
}

/// Serves the application on a listener until `shutdown` resolves, with the default
/// [`ConnectionLimits`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_limits(listener, app, shutdown, ConnectionLimits::default()).await
}

/// [`serve`] with limits of the caller's choosing.
pub async fn serve_with_limits(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    limits: ConnectionLimits,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;

    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // A connection that failed before it was accepted concerns only its
                    // client; anything else (out of files) passes with time.
                    if !matches!(
                        e.kind(),
                        std::io::ErrorKind::ConnectionAborted
                            | std::io::ErrorKind::ConnectionReset
                            | std::io::ErrorKind::ConnectionRefused
                    ) {
                        tracing::error!(error = %e, "accepting a connection failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = app.clone().map_request(
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(remote));
                request
            },
        );
        let connection = builder.serve_connection(
            TokioIo::new(stream),
            hyper_util::service::TowerToHyperService::new(service),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_deadline) => {
            tracing::warn!(
                deadline_seconds = limits.shutdown_deadline.as_secs(),
                "connections still open at the shutdown deadline are closed"
            );
        }
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}

/// Why `--bind` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BindError {
    #[error("--bind `{0}` is not an address and port such as 127.0.0.1:8080")]
    Invalid(String),
    #[error(
        "refusing to listen on {0}: it is not a loopback address, and without --multi-user \
         the server has no accounts, so anyone who could reach this address could read and \
         erase every stored assessment and diary. Use 127.0.0.1:PORT (or [::1]:PORT) for \
         your own use, or add --multi-user to serve several people with accounts"
    )]
    NotLoopback(SocketAddr),
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// Parses `--bind`; without `multi_user`, refuses anything but a loopback address
/// (`localhost:PORT` is 127.0.0.1:PORT).
pub fn parse_bind(bind: &str, multi_user: bool) -> Result<SocketAddr, BindError> {
    let bind = bind.trim();
    let address = match bind.strip_prefix("localhost:") {
        Some(port) => port
            .parse::<u16>()
            .map(|port| SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port))
            .map_err(|_| BindError::Invalid(bind.to_string()))?,
        None => bind
            .parse::<SocketAddr>()
            .map_err(|_| BindError::Invalid(bind.to_string()))?,
    };
    if !multi_user && !is_loopback(address.ip()) {
        return Err(BindError::NotLoopback(address));
    }
    Ok(address)
}

/// Why the store named by `--database` could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DatabaseError {
    /// The value is not a database the server knows.
    #[error("--database `{0}`: {1}")]
    Invalid(String, String),
    /// The database could not be opened (a file that cannot be written, a server down).
    #[error("cannot open the database `{0}`: {1}")]
    Unavailable(String, String),
}

/// Opens the store `--database` names:
///
/// - none: the embedded SQLite database in the user's data directory (e.g.
///   `~/.local/share/upperback/upperback.db`);
/// - `memory`: assessments in memory, at most 100,000 (and about 256 MiB), the oldest
///   evicted first, all lost when the server stops;
/// - `sqlite://PATH` (or a plain path), `sqlite::memory:`, `postgres://…`: the persistence
///   crate's stores.
pub async fn open_store(database: Option<&str>) -> Result<Arc<dyn Store>, DatabaseError> {
    let describe = |e: &upperback_store::StoreError| match std::error::Error::source(e) {
        Some(source) => format!("{e} ({source})"),
        None => e.to_string(),
    };
    let named = database.map(str::trim);
    if named == Some("memory") {
        return Ok(Arc::new(MemoryStore::default()));
    }
    let opened = match named {
        None => upperback_store::open_default().await,
        Some(url) => upperback_store::open(url).await,
    };
    let shown = named.map_or_else(
        || {
            upperback_store::default_path()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "(default)".into())
        },
        str::to_string,
    );
    match opened {
        Ok(inner) => {
            // Results are mostly the knowledge base's own sentences, in the result's own
            // shape: primed with both, the store keeps a result in about a fourteenth of its
            // size (SQLite; see `upperback_store::Store::use_result_dictionary`).
            // Built only for a store that uses it (PostgreSQL compresses by itself).
            if inner.compresses_results() {
                let dictionary = result_dictionary(upperback_core::KnowledgeBase::embedded());
                inner
                    .use_result_dictionary(dictionary.as_bytes())
                    .await
                    .map_err(|e| DatabaseError::Unavailable(shown.clone(), describe(&e)))?;
            }
            Ok(Arc::new(DatabaseStore::new(inner)))
        }
        Err(e @ upperback_store::StoreError::Invalid(_)) => {
            Err(DatabaseError::Invalid(shown, describe(&e)))
        }
        Err(e) => Err(DatabaseError::Unavailable(shown, describe(&e))),
    }
}

/// The knowledge base as compact JSON: what `GET /api/v1/knowledge-base` answers.
pub fn knowledge_base_json(kb: &KnowledgeBase) -> String {
    kb.to_json_value().to_string()
}

/// The dictionary a database store primes its compression of results with: the knowledge
/// base as JSON (every result repeats its advice, warning signs and sources), then the
/// result for no evidence at all (the result's own keys, general advice, watch list and the
/// list of unscreened red flags, as a result writes them).
///
/// The second part matters for speed as well as size: zstd skips over a long match, and
/// with sentences found whole in their JSON shape, it compresses the bench's 10 KB result
/// in 8.9 µs instead of 16 µs, to 0.70 KB instead of 1.39 KB. Built from the knowledge base
/// and the engine only, so it is the same on every start; when either changes, the store
/// keeps the new dictionary beside the old ones, and rows written before read back as
/// they were.
pub fn result_dictionary(kb: &KnowledgeBase) -> String {
    let no_evidence = upperback_core::Evidence::new(kb);
    let mut dictionary = knowledge_base_json(kb);
    dictionary.push('\n');
    dictionary.push_str(&assess(kb, &no_evidence).to_json());
    dictionary
}

/// JSON logs on standard error; the level from `UPPERBACK_LOG` (default `info`). Requests
/// are logged at `debug` (method, route, status, time — never a body or a query); server
/// errors at `error`; a panic by its place in the code, never its message.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("UPPERBACK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_current_span(false)
        .with_span_list(false)
        .try_init();
    layers::log_panics();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_result_dictionary_is_the_same_on_every_start() {
        // The store names a dictionary by its digest: one that changed from one start to the
        // next would add a row to `result_dictionaries` on every start.
        let kb = KnowledgeBase::embedded();
        let dictionary = result_dictionary(kb);
        assert_eq!(dictionary, result_dictionary(kb));
        let (knowledge, result) = dictionary.split_once('\n').expect("two parts");
        assert_eq!(knowledge, knowledge_base_json(kb));
        let result: serde_json::Value = serde_json::from_str(result).expect("a result");
        assert!(result["care_plan"]["advice"]
            .as_array()
            .is_some_and(|a| !a.is_empty()));
        assert!(result["triage"]["unscreened_red_flags"]
            .as_array()
            .is_some_and(|flags| !flags.is_empty()));
    }

    #[test]
    fn bind_must_be_loopback() {
        assert_eq!(
            parse_bind("127.0.0.1:8080", false).unwrap(),
            "127.0.0.1:8080".parse().unwrap()
        );
        assert_eq!(
            parse_bind("localhost:9000", false).unwrap(),
            "127.0.0.1:9000".parse().unwrap()
        );
        assert!(parse_bind("[::1]:8080", false).is_ok());
        assert!(parse_bind("127.8.9.10:1", false).is_ok());
        assert!(matches!(
            parse_bind("0.0.0.0:8080", false),
            Err(BindError::NotLoopback(_))
        ));
        assert!(matches!(
            parse_bind("[::]:8080", false),
            Err(BindError::NotLoopback(_))
        ));
        assert!(matches!(
            parse_bind("192.168.1.2:80", false),
            Err(BindError::NotLoopback(_))
        ));
        assert!(matches!(
            parse_bind("nonsense", false),
            Err(BindError::Invalid(_))
        ));
        let message = parse_bind("0.0.0.0:8080", false).unwrap_err().to_string();
        assert!(message.contains("--multi-user"), "{message}");
        // With accounts, any address will do.
        assert_eq!(
            parse_bind("0.0.0.0:8080", true).unwrap(),
            "0.0.0.0:8080".parse().unwrap()
        );
        assert!(matches!(
            parse_bind("nonsense", true),
            Err(BindError::Invalid(_))
        ));
    }

    #[tokio::test]
    async fn stores_by_name() {
        let memory = open_store(Some("memory")).await.unwrap();
        assert_eq!(memory.kind(), "memory");
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("x.db").display());
        let sqlite = open_store(Some(&url)).await.unwrap();
        assert_eq!(sqlite.kind(), "sqlite");
        sqlite.close().await;
        assert!(matches!(
            open_store(Some("redis://x")).await,
            Err(DatabaseError::Invalid(..))
        ));
    }

    #[test]
    fn id_goes_first() {
        let id = Uuid::nil();
        assert_eq!(
            with_id(id, r#"{"a":1}"#),
            format!(r#"{{"id":"{id}","a":1}}"#)
        );
        assert_eq!(with_id(id, "{}"), format!(r#"{{"id":"{id}"}}"#));
    }

    #[test]
    fn the_result_json_is_the_engines() {
        let kb = KnowledgeBase::embedded();
        let evidence = kb
            .parse_answers(r#"{"upper_back_spasm": true, "fever": false}"#)
            .unwrap();
        let assessment = assess(kb, &evidence);
        assert_eq!(assessment_json(&assessment).get(), assessment.to_json());
    }

    #[test]
    fn a_real_result_reads_back_as_the_view() {
        let kb = KnowledgeBase::embedded();
        let evidence = kb
            .parse_answers(r#"{"upper_back_spasm": true, "chest_pain": true, "fever": false, "duration_hours": 30}"#)
            .unwrap();
        let json = with_id(Uuid::nil(), &assess(kb, &evidence).to_json());
        let view: view::AssessmentView = serde_json::from_str(&json).unwrap();
        assert_eq!(view.triage.level, "ambulance");
        // Nothing is lost: the view serialises back to the same JSON value.
        let again: serde_json::Value = serde_json::to_value(&view).unwrap();
        let original: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(again, original);
    }
}
