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

/// A forum post of about 1,500 characters: a long story before the symptom, an earlier
/// episode, a medication with its own date, denials and a timeline.
pub const FORUM_POST: &str = "Long time lurker, first post, sorry it's a long one. Some background: I'm 46, I work \
in logistics and spend most of the day at a desk with two monitors, plus a fair bit of driving at weekends for my \
kids' football. About three years ago I had something similar after moving house, a tight knot under my left \
shoulder blade, and it went away on its own after a week or so with heat and ibuprofen. My GP put me on \
amlodipine last spring for blood pressure, and I had a flu jab two weeks ago, not that I think that's related. \
Anyway. Day 1 was Saturday: I was lifting the kids' bikes onto the roof rack and twisted to catch one as it \
slipped, and felt a sharp grab between my shoulder blades. Day 2 it had settled into a constant tight spasm, \
maybe 6/10, worse when I turn my head or reach for anything. Day 3 I tried a heat pad, stretching and a couple \
of paracetamol, which took the edge off. Day 4 (today) it is about the same, sore rather than sharp, and it \
catches when I take a deep breath in but I'm not short of breath and I can walk up the stairs fine. No fever, \
no chills, no numbness or tingling in my arms, no chest pain, nothing going into my jaw. I'm sleeping badly \
because I can't get comfortable, though it doesn't wake me once I'm asleep. Work has been stressful with \
year-end, shoulders up by my ears most of the day. My wife thinks I should see someone, I think it's a pulled \
muscle. Is four days too early to worry, and is there anything else I should be doing? Thanks in advance for any advice.";
