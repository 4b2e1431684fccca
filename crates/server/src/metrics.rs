//! `/metrics`: Prometheus counters and histograms, one registry per server (so that tests can
//! run several servers in one process).

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

pub struct Metrics {
    registry: Registry,
    pub requests: IntCounterVec,
    pub duration: HistogramVec,
    pub assessments: IntCounterVec,
    pub interviews_started: IntCounter,
    pub interviews_active: IntGauge,
    pub stored_assessments: IntGauge,
    pub rate_limited: IntCounter,
    /// The database's group commit (`None` fields stay 0 on the memory store).
    pub store_assessments_written: IntGauge,
    pub store_assessment_transactions: IntGauge,
    pub store_largest_batch: IntGauge,
    pub store_assessment_errors: IntGauge,
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry =
            Registry::new_custom(Some("upperback".into()), None).expect("a fixed prefix is valid");
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests by route and status"),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let duration = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time to answer HTTP requests, by route",
            )
            .buckets(vec![
                0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
                5.0,
            ]),
            &["route"],
        )
        .expect("valid metric");
        let assessments = IntCounterVec::new(
            Opts::new("assessments_total", "Assessments made, by triage level"),
            &["level"],
        )
        .expect("valid metric");
        let interviews_started =
            IntCounter::new("interviews_started_total", "Interviews started").expect("valid");
        let interviews_active =
            IntGauge::new("interviews_active", "Interviews held in memory").expect("valid");
        let stored_assessments = IntGauge::new(
            "stored_assessments",
            "Assessments held by the store (when it can tell)",
        )
        .expect("valid");
        let rate_limited = IntCounter::new(
            "rate_limited_total",
            "Requests refused by the per-client rate limit",
        )
        .expect("valid");
        let gauge = |name: &str, help: &str| IntGauge::new(name, help).expect("valid metric");
        let store_assessments_written = gauge(
            "store_assessments_written",
            "Assessments the database has committed since the server started",
        );
        let store_assessment_transactions = gauge(
            "store_assessment_transactions",
            "Transactions that committed them (group commit: several assessments per transaction)",
        );
        let store_largest_batch = gauge(
            "store_largest_batch",
            "The most assessments committed in one transaction",
        );
        let store_assessment_errors = gauge(
            "store_assessment_errors",
            "Assessment writes the database answered with an error",
        );
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(duration.clone()),
            Box::new(assessments.clone()),
            Box::new(interviews_started.clone()),
            Box::new(interviews_active.clone()),
            Box::new(stored_assessments.clone()),
            Box::new(rate_limited.clone()),
            Box::new(store_assessments_written.clone()),
            Box::new(store_assessment_transactions.clone()),
            Box::new(store_largest_batch.clone()),
            Box::new(store_assessment_errors.clone()),
        ] {
            registry.register(collector).expect("names are unique");
        }
        Metrics {
            registry,
            requests,
            duration,
            assessments,
            interviews_started,
            interviews_active,
            stored_assessments,
            rate_limited,
            store_assessments_written,
            store_assessment_transactions,
            store_largest_batch,
            store_assessment_errors,
        }
    }

    /// The Prometheus text format.
    pub fn render(&self) -> String {
        let mut buffer = Vec::new();
        if TextEncoder::new()
            .encode(&self.registry.gather(), &mut buffer)
            .is_err()
        {
            return String::new();
        }
        String::from_utf8(buffer).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}
