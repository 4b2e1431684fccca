//! Why the store could not do something.

use std::error::Error as StdError;
use std::sync::Arc;

/// The underlying cause of an error, kept for logs (`std::error::Error::source`).
pub type Source = Arc<dyn StdError + Send + Sync + 'static>;

/// Why the store could not do something.
///
/// `Display` is safe to show a client: it never contains SQL, a database message, a file path
/// or a connection string. The underlying cause stays available through
/// [`std::error::Error::source`] for the logs.
///
/// A handler maps them as: `NotFound` → 404, `EmailTaken` → 409, `Invalid` → 422,
/// `Unavailable` → 503, `Internal` → 500 (logged with its source).
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// No such record, or not one this viewer may see (the two are never told apart).
    #[error("not found")]
    NotFound,
    /// An account with this email already exists.
    #[error("an account with this email already exists")]
    EmailTaken,
    /// A value the store refuses; the message names the field and is written by this crate.
    #[error("{0}")]
    Invalid(String),
    /// The database cannot be reached or is overloaded; trying later may work.
    #[error("the store is unavailable")]
    Unavailable(#[source] Source),
    /// A stored record that cannot be read back (a damaged row): trying later will not help.
    #[error("the stored {what} {id} cannot be read")]
    Unreadable {
        what: &'static str,
        id: String,
        #[source]
        source: Source,
    },
    /// Anything else that went wrong inside the store.
    #[error("internal storage error")]
    Internal(#[source] Source),
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Message(String);

impl StoreError {
    /// `error` of decoding the stored `what` with this id, as [`StoreError::Unreadable`]
    /// (a database that stopped answering stays what it is).
    pub(crate) fn unreadable(
        what: &'static str,
        id: impl ToString,
        error: StoreError,
    ) -> StoreError {
        match error {
            StoreError::Unavailable(_) => error,
            other => StoreError::Unreadable {
                what,
                id: id.to_string(),
                source: Arc::new(other),
            },
        }
    }

    pub(crate) fn invalid(msg: impl Into<String>) -> StoreError {
        StoreError::Invalid(msg.into())
    }

    pub(crate) fn internal_msg(msg: impl Into<String>) -> StoreError {
        StoreError::Internal(Arc::new(Message(msg.into())))
    }

    pub(crate) fn unavailable_msg(msg: impl Into<String>) -> StoreError {
        StoreError::Unavailable(Arc::new(Message(msg.into())))
    }

    pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
        matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
    }

    pub(crate) fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
        matches!(e, sqlx::Error::Database(d) if d.is_foreign_key_violation())
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        use sqlx::Error as E;
        match e {
            E::RowNotFound => StoreError::NotFound,
            E::Io(_) | E::Tls(_) | E::PoolTimedOut | E::PoolClosed | E::WorkerCrashed => {
                StoreError::Unavailable(Arc::new(e))
            }
            E::Database(ref d) if is_busy_or_unavailable(d.as_ref()) => {
                StoreError::Unavailable(Arc::new(e))
            }
            other => StoreError::Internal(Arc::new(other)),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> StoreError {
        StoreError::Internal(Arc::new(e))
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> StoreError {
        StoreError::Internal(Arc::new(e))
    }
}

/// SQLite busy / locked, PostgreSQL connection, resource and shutdown classes, serialization
/// failures: worth a retry later.
fn is_busy_or_unavailable(d: &dyn sqlx::error::DatabaseError) -> bool {
    let Some(code) = d.code() else { return false };
    let code = code.as_ref();
    // SQLite: 5 SQLITE_BUSY, 6 SQLITE_LOCKED and their extended codes (low byte 5 or 6).
    if let Ok(n) = code.parse::<i32>() {
        return matches!(n & 0xff, 5 | 6);
    }
    // PostgreSQL SQLSTATE classes: 08 connection, 53 insufficient resources, 57 operator
    // intervention (shutdown), 40001 serialization failure, 40P01 deadlock.
    code.starts_with("08")
        || code.starts_with("53")
        || code.starts_with("57")
        || code == "40001"
        || code == "40P01"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_never_shows_the_cause() {
        let e: StoreError = sqlx::Error::Protocol("SELECT secret FROM accounts".into()).into();
        assert_eq!(e.to_string(), "internal storage error");
        assert!(e.source().unwrap().to_string().contains("SELECT"));
        let e: StoreError = sqlx::Error::PoolTimedOut.into();
        assert_eq!(e.to_string(), "the store is unavailable");
        assert!(e.source().is_some());
    }
}
