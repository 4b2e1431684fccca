//! `upperback serve` refuses to start in the two unsafe configurations, with exit status 2
//! and one line saying why: listening beyond loopback without accounts (`--multi-user`), and
//! accounts without a database to keep them in (`--multi-user --database memory`).

mod common;

use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::assert_bad_input;

/// Runs `upperback ARGS`; a server that starts instead of refusing is killed after 30 s
/// and the test fails.
fn serve(args: &[&str]) -> Output {
    let mut child = common::command(args)
        .stdin(Stdio::null())
        .spawn()
        .expect("upperback runs");
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().expect("a status").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let output = child.wait_with_output().expect("reaped");
            panic!(
                "`upperback {}` started serving instead of refusing: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stdout)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("its output")
}

#[test]
fn serve_refuses_a_public_address_without_multi_user() {
    let output = serve(&["serve", "--bind", "0.0.0.0:8080", "--database", "memory"]);
    assert_bad_input(&output, &["0.0.0.0:8080", "--multi-user", "loopback"]);
    let output = serve(&["serve", "--bind", "[::]:8080", "--database", "memory"]);
    assert_bad_input(&output, &["--multi-user"]);
    // The default database too (nothing is opened before the address is checked).
    let output = serve(&["serve", "--bind", "0.0.0.0:8080"]);
    assert_bad_input(&output, &["--multi-user"]);
}

#[test]
fn serve_refuses_multi_user_without_a_database() {
    let output = serve(&[
        "serve",
        "--multi-user",
        "--database",
        "memory",
        "--bind",
        "127.0.0.1:0",
    ]);
    assert_bad_input(&output, &["--multi-user", "memory"]);
    // Also on a public address, where accounts would otherwise be allowed.
    let output = serve(&[
        "serve",
        "--multi-user",
        "--database",
        " memory ",
        "--bind",
        "0.0.0.0:0",
    ]);
    assert_bad_input(&output, &["--multi-user", "memory"]);
}
