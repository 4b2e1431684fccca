//! Helpers shared by the CLI's end-to-end tests: run the real `upperback` binary, check the
//! one-line bad-input contract.
#![allow(dead_code)] // each test file uses the helpers it needs

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// `upperback ARGS` with `NO_COLOR` set, its standard output and error captured; its
/// standard input is for the caller to set.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_upperback"));
    command
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs `upperback ARGS` with `stdin` (or an empty, closed standard input), `NO_COLOR` set.
pub fn upperback(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = command(args)
        .stdin(Stdio::piped())
        .spawn()
        .expect("upperback runs");
    if let Some(input) = stdin {
        feed(&mut child, input);
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// Writes `input` to the child's standard input and closes it. The command may refuse its
/// arguments and exit before reading: a broken pipe then is expected, not a failure.
pub fn feed(child: &mut std::process::Child, input: &str) {
    let Some(mut stdin) = child.stdin.take() else {
        return;
    };
    match stdin.write_all(input.as_bytes()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => panic!("writing to standard input: {e}"),
    }
}

/// Asserts exit status 2 and a single stderr line containing every `needle`, with no panic.
pub fn assert_bad_input(output: &Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}
