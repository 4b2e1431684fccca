//! Test fixtures from the shared data folder beside the repository (`../shared`): the
//! development vignettes and any other data set the tests and benchmarks read. One loader
//! instead of one per crate, so every test skips the same way when the folder is absent.
//!
//! The folder is `UPPERBACK_SHARED` when set, else `shared` beside the repository root.
//!
//! ```no_run
//! let Some(vignettes) = upperback_testkit::dev_vignettes() else { return };
//! for vignette in &vignettes {
//!     let answers = upperback_testkit::labels_as_answers(vignette);
//!     println!("{}: {} answers", vignette["id"], answers.len());
//! }
//! ```
//!
//! With the `database` feature, the `database` module gives a test a database of its own (a
//! SQLite file, or a PostgreSQL database dropped afterwards).

#[cfg(feature = "database")]
pub mod database;

use std::path::PathBuf;

use serde_json::{json, Map, Value};

/// Says a test is skipped and why (one line), so that it can return without running — or,
/// when `UPPERBACK_TEST_NO_SKIP` is set (`.ci/run` sets it: the CI machine has everything such
/// a test needs), fails it instead, because there a skip would hide a test that never ran.
/// For what the test needs of the machine (a browser, a built binary); the shared data folder
/// is another matter: it may be absent anywhere, and [`read_shared`] skips for it.
///
/// ```no_run
/// if !std::path::Path::new("/usr/bin/chromium").is_file() {
///     upperback_testkit::skip("chromium not found (apt-get install chromium)");
///     return;
/// }
/// ```
pub fn skip(why: &str) {
    if std::env::var_os("UPPERBACK_TEST_NO_SKIP").is_some() {
        panic!("{why}; UPPERBACK_TEST_NO_SKIP is set, so this test must run here");
    }
    println!("skipping: {why}");
}

/// The shared data folder: `UPPERBACK_SHARED`, or `../shared` beside the repository root.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("UPPERBACK_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

/// A file of the shared folder (`relative` to it), or `None` after saying the test is skipped
/// because the folder (or the file) is absent (with `UPPERBACK_TEST_NO_SKIP`, a failure: see
/// [`skip`]).
pub fn read_shared(relative: &str) -> Option<String> {
    let path = shared_dir().join(relative);
    match std::fs::read_to_string(&path) {
        Ok(content) => Some(content),
        Err(e) => {
            skip(&format!(
                "{} is not readable ({e}); the shared data folder ../shared is absent",
                path.display()
            ));
            None
        }
    }
}

/// Vignettes of a JSONL file (one JSON object a line); `name` names the file in a panic. A
/// line that is not JSON is a broken fixture: it panics.
pub fn parse_vignettes(content: &str, name: &str) -> Vec<Value> {
    content
        .lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .map(|(n, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{name} line {}: not JSON: {e}", n + 1))
        })
        .collect()
}

/// The development vignettes (`data/vignettes/dev.jsonl`), one JSON object each; `None` when
/// the shared folder is absent.
pub fn dev_vignettes() -> Option<Vec<Value>> {
    shared_vignettes("dev.jsonl")
}

/// A vignette set of the shared folder's `data/vignettes/` (`dev.jsonl`, `dev2.jsonl`);
/// `None` when the shared folder is absent.
pub fn shared_vignettes(file: &str) -> Option<Vec<Value>> {
    let content = read_shared(&format!("data/vignettes/{file}"))?;
    Some(parse_vignettes(&content, file))
}

/// A vignette's labels as structured answers (finding id → value): present → `true` (a
/// numeric finding is labelled present with its number in `values`, which wins), absent →
/// `false`, then `values`, `age` and `sex` as given. A vignette whose `present` or `absent`
/// is not a list of ids is a broken fixture: it panics (rather than give fewer answers).
pub fn labels_as_answers(vignette: &Value) -> Map<String, Value> {
    let expected = &vignette["expected"];
    let values = expected["values"].as_object().cloned().unwrap_or_default();
    let ids = |key: &str| -> Vec<String> {
        let broken = || -> ! {
            panic!(
                "vignette {}: expected.{key} is not a list of ids",
                vignette["id"]
            )
        };
        let items = expected[key].as_array().unwrap_or_else(|| broken());
        items
            .iter()
            .map(|id| id.as_str().unwrap_or_else(|| broken()).to_string())
            .collect()
    };
    let mut answers = Map::new();
    for id in ids("present") {
        if !values.contains_key(&id) {
            answers.insert(id, json!(true));
        }
    }
    for id in ids("absent") {
        answers.insert(id, json!(false));
    }
    for (id, value) in values {
        answers.insert(id, value);
    }
    for key in ["age", "sex"] {
        if !vignette[key].is_null() {
            answers.insert(key.into(), vignette[key].clone());
        }
    }
    answers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_become_answers() {
        let vignette = json!({
            "age": 45, "sex": "male",
            "expected": {
                "present": ["upper_back_spasm", "duration_hours"],
                "absent": ["fever"],
                "values": {"duration_hours": 24}
            }
        });
        let answers = labels_as_answers(&vignette);
        assert_eq!(answers["upper_back_spasm"], json!(true));
        assert_eq!(answers["duration_hours"], json!(24));
        assert_eq!(answers["fever"], json!(false));
        assert_eq!(answers["age"], json!(45));
        assert_eq!(answers["sex"], json!("male"));
        assert_eq!(answers.len(), 5);
    }

    #[test]
    #[should_panic(expected = "expected.absent is not a list of ids")]
    fn labels_without_an_absent_list_are_a_broken_fixture() {
        labels_as_answers(&json!({"id": "v1", "expected": {"present": ["fever"]}}));
    }

    #[test]
    fn absent_files_are_skipped_or_fail_where_nothing_may_skip() {
        let read = std::panic::catch_unwind(|| read_shared("no/such/file.jsonl"));
        if std::env::var_os("UPPERBACK_TEST_NO_SKIP").is_some() {
            assert!(
                read.is_err(),
                "an absent file fails under UPPERBACK_TEST_NO_SKIP"
            );
        } else {
            assert!(read.expect("no panic").is_none());
        }
    }
}
