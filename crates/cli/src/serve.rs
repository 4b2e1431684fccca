//! `upperback serve`: the HTTP API and the web page (`../shared/contracts/http.md`).

use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use crate::{bad_input, CliError};

#[derive(Args)]
pub struct ServeArgs {
    /// Address and port to listen on. Without --multi-user only loopback addresses
    /// (127.0.0.1, [::1], localhost) are accepted: with no accounts, anyone who could reach
    /// the server could read every stored assessment.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Serve several people: accounts (Argon2id passwords), sign-in sessions, sharing with
    /// clinicians and the clinician queue. Every request for a person's data must then carry
    /// a session. Needs a database (not `--database memory`).
    #[arg(long)]
    multi_user: bool,
    /// The server runs behind a load balancer or reverse proxy that terminates TLS: the rate
    /// limit counts each client by the last X-Forwarded-For address (the one the proxy
    /// appended), and sign-in cookies are marked Secure when X-Forwarded-Proto is https.
    /// Do not use it when clients reach the server directly: they could pick their own key.
    #[arg(long)]
    behind_proxy: bool,
    /// Where assessments are kept: by default the embedded SQLite database in your data
    /// directory; `sqlite://PATH`, `postgres://…`, or `memory` (at most 100,000 kept in
    /// memory, the oldest go first, all lost when the server stops).
    #[arg(long, value_name = "URL")]
    database: Option<String>,
    /// Requests per second allowed to one client address, on average (bursts of twice as
    /// many, at least 100, are allowed).
    #[arg(long, value_name = "N", default_value_t = 50)]
    rate_limit: u32,
    /// The address people reach the server at (for example https://triage.example.org),
    /// for the links it hands out, such as those in CDS Hooks cards. Without it, links follow
    /// the request's Host in local mode, and none are given with --multi-user.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Seconds a request may take before it is answered 408.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    timeout: u64,
}

pub fn run(args: ServeArgs) -> Result<ExitCode, CliError> {
    let address = upperback_server::parse_bind(&args.bind, args.multi_user)
        .map_err(|e| bad_input(e.to_string()))?;
    if args.multi_user && args.database.as_deref().map(str::trim) == Some("memory") {
        return Err(bad_input(
            "--multi-user needs a database for its accounts: drop `--database memory` (the \
             embedded SQLite database is the default) or give sqlite://PATH or postgres://…",
        ));
    }
    if args.rate_limit == 0 {
        return Err(bad_input(
            "--rate-limit must be at least 1 request per second",
        ));
    }
    if let Some(url) = &args.public_url {
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() < 10 {
            return Err(bad_input(format!(
                "--public-url `{url}` is not an address such as https://triage.example.org"
            )));
        }
    }
    if args.timeout == 0 {
        return Err(bad_input("--timeout must be at least 1 second"));
    }
    let config = upperback_server::ServerConfig {
        rate_limit_per_second: args.rate_limit,
        rate_limit_burst: args.rate_limit.saturating_mul(2).max(100),
        request_timeout: Duration::from_secs(args.timeout),
        multi_user: args.multi_user,
        behind_proxy: args.behind_proxy,
        // A secret: from the environment, never the command line (which `ps` shows).
        metrics_token: std::env::var("UPPERBACK_METRICS_TOKEN")
            .ok()
            .filter(|t| !t.trim().is_empty()),
        cds_token: std::env::var("UPPERBACK_CDS_TOKEN")
            .ok()
            .filter(|t| !t.trim().is_empty()),
        public_url: args.public_url.clone(),
        ..upperback_server::ServerConfig::default()
    };
    upperback_server::init_logging();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failure(anyhow::anyhow!("cannot start the runtime: {e}")))?;
    runtime.block_on(async move {
        let store = upperback_server::open_store(args.database.as_deref())
            .await
            .map_err(|e| match e {
                upperback_server::DatabaseError::Invalid(..) => bad_input(e.to_string()),
                other => CliError::Failure(anyhow::anyhow!("{other}")),
            })?;
        let listener = tokio::net::TcpListener::bind(address).await.map_err(|e| {
            CliError::Failure(anyhow::anyhow!("cannot listen on {address}: {e}"))
        })?;
        let local = listener.local_addr().unwrap_or(address);
        println!(
            "upperback: serving http://{local}/ (store: {}; {}; Ctrl-C to stop). Not a diagnosis and not a substitute for a clinician.",
            store.kind(),
            if args.multi_user { "multi-user: accounts and sign-in" } else { "local mode: no accounts" }
        );
        let purge = if args.multi_user {
            upperback_server::auth::purge_expired_sessions_every(
                store.clone(),
                Duration::from_secs(3600),
            )
        } else {
            None
        };
        let app = upperback_server::app(config, store.clone());
        let served = upperback_server::serve(listener, app, upperback_server::shutdown_signal())
            .await
            .map_err(|e| CliError::Failure(anyhow::anyhow!("the server stopped: {e}")));
        if let Some(purge) = purge {
            purge.abort();
        }
        store.close().await;
        served
    })?;
    Ok(ExitCode::SUCCESS)
}
