//! Reads one of the benchmark texts many times, for instruction counts under callgrind:
//!
//! ```text
//! cargo build --release -p upperback-nlu --example read_profile
//! valgrind --tool=callgrind target/release/examples/read_profile load-test 1000
//! ```
//!
//! The first argument picks the text (`bench`: the criterion bench's, `load-test`: the HTTP
//! load test's), the second the number of reads (default 1000). One read comes first, outside
//! `read_many`, so that `--toggle-collect=read_profile::read_many` counts the reads without
//! the one-time set-up (the lexicon, the context automaton, the value patterns).

use upperback_core::KnowledgeBase;
use upperback_nlu::Reader;

/// The allocator the binaries use, so allocation counts as it does in production.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The text of `benches/assess_text.rs`.
const BENCH_TEXT: &str = "I've had a spasm between my shoulder blades since yesterday after 18 holes of golf. \
It hurts when I turn and it's about 6/10. No fever, no numbness or tingling, no chest pain. \
I work at a laptop on the kitchen table most days and I'm stressed. I am 45. Heat helped a bit, ice did not. I sleep poorly.";

/// The text of the HTTP load test (`bench/lib.sh`).
const LOAD_TEST_TEXT: &str = "I have had a painful spasm between my shoulder blades since Monday after playing golf. \
It gets worse when I sit at my desk for long hours and eases a bit with heat. No fever, no chest pain, \
no numbness or tingling in my arms. I am 45 and have had similar episodes before. Work has been stressful too.";

fn main() {
    let mut args = std::env::args().skip(1);
    let text = match args.next().as_deref() {
        Some("bench") => BENCH_TEXT,
        Some("load-test") | None => LOAD_TEST_TEXT,
        Some(other) => panic!("unknown text `{other}`: `bench` or `load-test`"),
    };
    let reads: usize = args
        .next()
        .map_or(1000, |n| n.parse().expect("a number of reads"));
    let kb = KnowledgeBase::embedded();
    let reader = Reader::embedded();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00+00:00").expect("date");
    reader.read(kb, text, Some(&now)).expect("readable");
    let mentions = read_many(reader, kb, text, &now, reads);
    println!("{reads} reads, {mentions} mentions");
}

/// Reads `text` `reads` times; the number of mentions read, so that nothing is optimised away.
#[inline(never)]
fn read_many(
    reader: &Reader,
    kb: &KnowledgeBase,
    text: &str,
    now: &chrono::DateTime<chrono::FixedOffset>,
    reads: usize,
) -> usize {
    let mut mentions = 0;
    for _ in 0..reads {
        let reading = reader
            .read(kb, std::hint::black_box(text), Some(now))
            .expect("readable");
        mentions += reading.mentions.len();
    }
    mentions
}
