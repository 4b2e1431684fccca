//! The interactive interview, driven in a pseudo-terminal like a person would: one
//! emergency path, one self-care path, going back, and leaving with Ctrl-C.

use std::process::Command;

use rexpect::session::{spawn_command, PtySession};

const DOWN: &str = "\x1b[B";
const TIMEOUT_MS: u64 = 20_000;

/// Sends keys and flushes them to the terminal at once.
fn keys(p: &mut PtySession, text: &str) {
    p.send(text).unwrap();
    p.flush().unwrap();
}

fn start(args: &[&str]) -> PtySession {
    let mut command = Command::new(env!("CARGO_BIN_EXE_upperback"));
    command.args(args).env("NO_COLOR", "1").env("TERM", "xterm");
    spawn_command(command, Some(TIMEOUT_MS)).expect("upperback starts in a pty")
}

#[test]
fn emergency_path_ends_at_once_with_an_ambulance() {
    let mut p = start(&["interview"]);
    p.exp_string("Question 1 of about").unwrap();
    p.exp_string("Chest pain").unwrap();
    // Tick the first item (chest pain) and submit.
    keys(&mut p, " ");
    keys(&mut p, "\r");
    p.exp_string("CALL AN AMBULANCE").unwrap();
    p.exp_string("not a substitute for a clinician").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn self_care_path_from_text_with_back_and_dont_know() {
    let mut p = start(&[
        "interview",
        "--text",
        "spasm between my shoulder blades since yesterday after golf",
        "--age",
        "40",
    ]);
    let mut went_back = false;
    let mut answered = 0;
    loop {
        // Each prompt is a question, or the report has arrived.
        let (_, matched) = p
            .exp_regex(r"(Question \d+ of about \d+: [^\r\n]*|SELF-CARE AT HOME|GO TO|CALL AN|SEE A DOCTOR|BOOK AN)")
            .unwrap();
        if !matched.starts_with("Question") {
            assert_eq!(matched, "SELF-CARE AT HOME");
            break;
        }
        answered += 1;
        assert!(answered < 30, "the interview did not end");
        if matched.contains("Tick all that apply") {
            if answered == 2 && !went_back {
                // Go back once to the first question, then carry on.
                keys(&mut p, "\x1b");
                went_back = true;
                answered = 0;
                continue;
            }
            keys(&mut p, "\r"); // none of these
        } else if matched.contains("hours") || matched.contains("How old") {
            p.send_line("").unwrap(); // don't know
        } else if matched.contains("Where do you feel it") {
            keys(&mut p, "\r");
        } else {
            // Yes / No / I don't know: choose "I don't know".
            keys(&mut p, DOWN);
            keys(&mut p, DOWN);
            keys(&mut p, "\r");
        }
    }
    assert!(went_back);
    p.exp_string("What I understood").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn ctrl_c_leaves_cleanly() {
    let mut p = start(&["interview"]);
    p.exp_string("Question 1 of about").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("Stopped. Nothing was saved.").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn what_the_text_said_is_read_back_before_anything_else() {
    // A warning sign read from the text is confirmed, quoting the words; "No" removes it
    // and the checklists follow, showing a denial the text made with its words.
    let mut p = start(&[
        "interview",
        "--text",
        "spasm and no fever. Since an hour a crushing pressure in my chest.",
    ]);
    // (Only ASCII is matched: the pty shows other characters byte by byte.)
    p.exp_string("You wrote: ").unwrap();
    p.exp_string("crushing pressure in my chest").unwrap();
    keys(&mut p, DOWN); // "No"
    keys(&mut p, "\r");
    p.exp_string("Do you have any of these right now?").unwrap();
    for _ in 0..3 {
        keys(&mut p, "\r"); // none of these, up to the infection checklist
        p.exp_string("Tick all that apply").unwrap();
    }
    p.exp_string("(you wrote: ").unwrap();
    p.exp_regex(r"no fe(\r\n)?v(\r\n)?er").unwrap(); // the terminal may wrap it
}
