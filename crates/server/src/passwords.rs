//! Password work, bounded: Argon2 hashing runs a few at a time (each takes tens of
//! milliseconds and 19 MiB on purpose), and failed sign-ins are throttled per account and
//! per client address, so that neither a burst of sign-ins nor a password guesser can take
//! the server's memory or an account.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::problem::{Kind, Problem};

/// Failed sign-ins to one account allowed before attempts must wait.
const FREE_FAILURES_PER_ACCOUNT: u32 = 5;
/// Failed sign-ins from one address allowed before attempts must wait (more: people share
/// addresses behind a NAT).
const FREE_FAILURES_PER_ADDRESS: u32 = 20;
/// The first wait; each further failure doubles it, up to [`LONGEST_WAIT`].
const FIRST_WAIT: Duration = Duration::from_secs(30);
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
/// Failures older than this are forgotten.
const MEMORY: Duration = Duration::from_secs(60 * 60);
/// Entries kept before idle ones are pruned.
const MAX_ENTRIES: usize = 100_000;
/// How long a sign-in or registration waits for a hashing slot before a 503.
const HASH_QUEUE_WAIT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// The password work of one server.
pub struct Passwords {
    hashing: Arc<Semaphore>,
    failures: Mutex<HashMap<Key, Failures>>,
}

impl Passwords {
    /// At most `concurrent` hashes at once (the rest queue, briefly).
    pub fn new(concurrent: usize) -> Passwords {
        Passwords {
            hashing: Arc::new(Semaphore::new(concurrent.max(1))),
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Failures>> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs Argon2 work (`work`) off the async runtime when a slot is free; 503 with
    /// `Retry-After` when none frees within a few seconds.
    pub async fn hash<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Problem> {
        let permit = tokio::time::timeout(HASH_QUEUE_WAIT, self.hashing.clone().acquire_owned())
            .await
            .map_err(|_| {
                Problem::new(
                    Kind::Unavailable,
                    "too many sign-ins at once; try again in a moment",
                )
            })?
            .expect("the semaphore is never closed");
        let done = tokio::task::spawn_blocking(move || {
            let done = work();
            drop(permit);
            done
        })
        .await
        .map_err(|_| Problem::internal())?;
        Ok(done)
    }

    /// How long a sign-in to `email` from `address` must still wait, if it must.
    pub fn wait(&self, email: &str, address: IpAddr) -> Option<Duration> {
        let failures = self.lock();
        let now = Instant::now();
        [
            (Key::Account(email.to_string()), FREE_FAILURES_PER_ACCOUNT),
            (Key::Address(address), FREE_FAILURES_PER_ADDRESS),
        ]
        .into_iter()
        .filter_map(|(key, free)| {
            let f = failures.get(&key)?;
            let over = f.count.checked_sub(free)?;
            let wait = FIRST_WAIT
                .saturating_mul(1u32 << over.min(10))
                .min(LONGEST_WAIT);
            (f.last + wait).checked_duration_since(now)
        })
        .max()
    }

    /// A wrong password for `email` from `address`.
    pub fn failed(&self, email: &str, address: IpAddr) {
        let mut failures = self.lock();
        let now = Instant::now();
        if failures.len() >= MAX_ENTRIES {
            failures.retain(|_, f| now.duration_since(f.last) < MEMORY);
        }
        for key in [Key::Account(email.to_string()), Key::Address(address)] {
            let entry = failures.entry(key).or_insert(Failures {
                count: 0,
                last: now,
            });
            if now.duration_since(entry.last) >= MEMORY {
                entry.count = 0;
            }
            entry.count += 1;
            entry.last = now;
        }
    }

    /// The right password: the account's failures are forgotten (the address's are not: it
    /// may be guessing at other accounts too).
    pub fn succeeded(&self, email: &str) {
        self.lock().remove(&Key::Account(email.to_string()));
    }
}

/// The answer while sign-ins must wait: 429 with `Retry-After`.
pub fn throttled(wait: Duration) -> Problem {
    let seconds = wait.as_secs().max(1);
    Problem::new(
        Kind::TooManyRequests,
        format!("too many wrong passwords; wait {seconds} seconds before trying again"),
    )
    .with_retry_after(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const OTHER: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn an_account_waits_after_a_few_wrong_passwords_and_the_wait_grows() {
        let passwords = Passwords::new(1);
        for _ in 0..FREE_FAILURES_PER_ACCOUNT {
            assert_eq!(passwords.wait("ana@example.org", HOME), None);
            passwords.failed("ana@example.org", HOME);
        }
        let first = passwords
            .wait("ana@example.org", OTHER)
            .expect("waits, from anywhere");
        assert!(first <= FIRST_WAIT && first > FIRST_WAIT / 2, "{first:?}");
        passwords.failed("ana@example.org", HOME);
        let second = passwords.wait("ana@example.org", HOME).unwrap();
        assert!(second > first, "{second:?} after {first:?}");
        assert_eq!(
            passwords.wait("ben@example.org", OTHER),
            None,
            "others are free"
        );
        passwords.succeeded("ana@example.org");
        assert_eq!(passwords.wait("ana@example.org", OTHER), None);
    }

    #[test]
    fn an_address_guessing_at_many_accounts_waits() {
        let passwords = Passwords::new(1);
        for i in 0..FREE_FAILURES_PER_ADDRESS {
            passwords.failed(&format!("p{i}@example.org"), HOME);
        }
        assert!(passwords.wait("new@example.org", HOME).is_some());
        assert_eq!(passwords.wait("new@example.org", OTHER), None);
    }

    #[tokio::test]
    async fn hashing_runs_a_few_at_a_time() {
        let passwords = Arc::new(Passwords::new(2));
        let running = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (passwords, running, most) = (passwords.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    passwords
                        .hash(move || {
                            let now = running.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                            most.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                            std::thread::sleep(Duration::from_millis(20));
                            running.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                        })
                        .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 2);
    }
}
