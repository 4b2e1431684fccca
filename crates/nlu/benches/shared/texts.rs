//! The two 300-character texts the reader is measured on, shared by `benches/assess_text.rs`
//! and `examples/read_profile.rs` (each includes this file with `#[path]`; it is in a folder
//! of its own so that cargo does not take it for a bench).

/// The criterion bench's text: 300 characters, the length the issue names.
pub const BENCH_TEXT: &str = "I've had a spasm between my shoulder blades since yesterday after 18 holes of golf. \
It hurts when I turn and it's about 6/10. No fever, no numbness or tingling, no chest pain. \
I work at a laptop on the kitchen table most days and I'm stressed. I am 45. Heat helped a bit, ice did not. I sleep poorly.";

/// The text of the HTTP load test (`bench/lib.sh`), also 300 characters.
pub const LOAD_TEST_TEXT: &str = "I have had a painful spasm between my shoulder blades since Monday after playing golf. \
It gets worse when I sit at my desk for long hours and eases a bit with heat. No fever, no chest pain, \
no numbness or tingling in my arms. I am 45 and have had similar episodes before. Work has been stressful too.";
