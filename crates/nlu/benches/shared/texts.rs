//! The two 300-character texts the reader is measured on, shared by `benches/assess_text.rs`
//! and `examples/read_profile.rs` (each includes this file with `#[path]`; it is in a folder
//! of its own so that cargo does not take it for a bench).

/// The criterion bench's text: 300 characters, the length the issue names.
pub const BENCH_TEXT: &str = "I've had a spasm between my shoulder blades since yesterday after 18 holes of golf. \
It hurts when I turn and it's about 6/10. No fever, no numbness or tingling, no chest pain. \
I work at a laptop on the kitchen table most days and I'm stressed. I am 45. Heat helped a bit, ice did not. I sleep poorly.";

/// The text of the HTTP load test, also 300 characters: the one file `bench/lib.sh` sends.
pub const LOAD_TEST_TEXT: &str = include_str!("../../../../bench/load_test_text.txt");

/// The `now` both read with (a Friday: "since Monday" is read as four days).
pub fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00+00:00").expect("an RFC 3339 time")
}
