//! A store that stops answering. Every request that needs it is answered `503` with
//! `Retry-After` at once, and the operator reads one line when the outage begins (with its
//! cause) and one when it ends, instead of one per request.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::problem::Problem;

/// Seconds a client is asked to wait before trying again while the store does not answer.
pub const RETRY_AFTER_SECONDS: u64 = 5;

/// Whether the store is answering, as requests have found it.
#[derive(Default)]
pub struct Outage {
    /// When the current outage began, and the first failure's cause.
    down: Mutex<Option<(Instant, String)>>,
}

impl Outage {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(Instant, String)>> {
        self.down.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a failure of the store; true when it begins an outage (the caller logs it and
    /// starts watching for its end).
    pub fn failed(&self, cause: &str) -> bool {
        let mut down = self.lock();
        if down.is_some() {
            return false;
        }
        *down = Some((Instant::now(), cause.to_string()));
        true
    }

    /// The store answers again: how long it did not, if it was down.
    pub fn recovered(&self) -> Option<Duration> {
        self.lock().take().map(|(since, _)| since.elapsed())
    }

    pub fn is_down(&self) -> bool {
        self.lock().is_some()
    }
}

/// What a store failure becomes for the client: a 503 problem (the cause is the operator's,
/// never shown). The failure travels in the problem to the request layer, which logs the
/// outage once.
pub fn store_failed(cause: impl std::fmt::Display, doing: &str) -> Problem {
    tracing::debug!(error = %cause, doing, "the store failed");
    Problem::unavailable().with_cause(format!("{doing}: {cause}"))
}

/// A failed read: a record that does not read back is a 500, logged (its id is in the
/// error); anything else is the store not answering.
pub fn read_failed(error: &crate::store::StoreError, doing: &str) -> Problem {
    match error {
        crate::store::StoreError::Unreadable(detail) => {
            tracing::error!(error = %detail, doing, "a stored record does not read back");
            Problem::internal()
        }
        other => store_failed(other, doing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_begins_once_and_ends_once() {
        let outage = Outage::default();
        assert!(outage.failed("connection refused"));
        assert!(!outage.failed("connection refused"), "logged once");
        assert!(outage.is_down());
        assert!(outage.recovered().is_some());
        assert!(outage.recovered().is_none(), "ended once");
        assert!(outage.failed("again"), "a new outage");
    }
}
