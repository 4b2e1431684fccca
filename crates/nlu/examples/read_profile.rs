//! Reads one of the benchmark texts many times, for instruction counts under callgrind:
//!
//! ```text
//! cargo build --release -p upperback-nlu --example read_profile
//! valgrind --tool=callgrind target/release/examples/read_profile load-test 1000
//! ```
//!
//! The first argument picks the text (`bench`: the criterion bench's, `load-test`: the HTTP
//! load test's, `forum`: the 1,500-character forum post), the second the number of reads (default 1000). One read comes first, outside
//! `read_many`, so that `--toggle-collect=read_profile::read_many` counts the reads without
//! the one-time set-up (the lexicon, the context automaton, the value patterns).

use upperback_core::KnowledgeBase;
use upperback_nlu::Reader;

/// The allocator the binaries use, so allocation counts as it does in production.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../benches/shared/texts.rs"]
mod texts;
use texts::{BENCH_TEXT, FORUM_POST, LOAD_TEST_TEXT};

fn main() {
    let mut args = std::env::args().skip(1);
    let text = match args.next().as_deref() {
        Some("bench") => BENCH_TEXT,
        Some("load-test") | None => LOAD_TEST_TEXT,
        Some("forum") => FORUM_POST,
        Some(other) => panic!("unknown text `{other}`: `bench`, `load-test` or `forum`"),
    };
    let reads: usize = args
        .next()
        .map_or(1000, |n| n.parse().expect("a number of reads"));
    let kb = KnowledgeBase::embedded();
    let reader = Reader::embedded();
    let now = texts::now();
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
