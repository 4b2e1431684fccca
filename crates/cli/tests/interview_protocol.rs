//! `upperback interview --json-lines`: the protocol of `../shared/contracts/interview.md`.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn run(args: &[&str], input: &str) -> (Output, Vec<Value>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_upperback"))
        .arg("interview")
        .arg("--json-lines")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    common::feed(&mut child, input);
    let output = child.wait_with_output().unwrap();
    let lines = String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect();
    (output, lines)
}

#[test]
fn an_emergency_answer_ends_the_interview_at_once() {
    let (output, lines) = run(&[], "{\"answer\": [\"chest_pain\"]}\n");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(lines[0]["type"], "question");
    assert_eq!(lines[0]["question"]["id"], "q-red-flags-heart");
    assert_eq!(lines[0]["question"]["kind"], "checklist");
    assert_eq!(lines[0]["progress"]["asked"], 0);
    let result = lines.last().unwrap();
    assert_eq!(result["type"], "result");
    assert_eq!(result["asked"], 1);
    assert_eq!(result["result"]["triage"]["level"], "ambulance");
}

#[test]
fn a_whole_self_care_interview_settles_every_red_flag() {
    // Answer "none" to every checklist, "no" to yes/no questions and 30 to numbers, until
    // the result comes; the answers are computed from each question.
    let mut child = Command::new(env!("CARGO_BIN_EXE_upperback"))
        .args(["interview", "--json-lines", "--text", "spasm after golf"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut reader = std::io::BufRead::lines(std::io::BufReader::new(stdout));
    let mut asked = 0;
    let result = loop {
        let line: Value = serde_json::from_str(&reader.next().unwrap().unwrap()).unwrap();
        if line["type"] == "result" {
            break line;
        }
        assert_eq!(line["type"], "question", "{line}");
        asked += 1;
        let answer = match line["question"]["kind"].as_str().unwrap() {
            "checklist" => "[]",
            "yes_no" => "false",
            "number" => "30",
            _ => "null",
        };
        writeln!(stdin, "{{\"answer\": {answer}}}").unwrap();
    };
    assert!(child.wait().unwrap().success());
    assert_eq!(result["asked"], asked);
    assert_eq!(result["result"]["triage"]["level"], "self_care");
    assert_eq!(
        result["result"]["triage"]["unscreened_red_flags"],
        serde_json::json!([])
    );
    assert!(asked <= 20);
}

#[test]
fn a_malformed_line_gets_an_error_and_the_same_question() {
    let (_, lines) = run(&[], "this is not json\n");
    assert_eq!(lines[1]["type"], "error");
    assert!(lines[1]["message"]
        .as_str()
        .unwrap()
        .contains("not valid JSON"));
    assert_eq!(lines[2]["type"], "question");
    assert_eq!(lines[2]["question"]["id"], lines[0]["question"]["id"]);
}

#[test]
fn an_answer_of_the_wrong_kind_gets_an_error_and_the_same_question() {
    let (_, lines) = run(
        &[],
        "{\"answer\": true}\n{\"answer\": [\"fever\"]}\n{\"answer\": []}\n",
    );
    assert_eq!(lines[1]["type"], "error");
    assert!(lines[1]["message"]
        .as_str()
        .unwrap()
        .contains("expects a list"));
    assert_eq!(lines[2]["question"]["id"], "q-red-flags-heart");
    assert_eq!(lines[3]["type"], "error");
    assert!(lines[3]["message"]
        .as_str()
        .unwrap()
        .contains("not one of this checklist's items"));
    assert_eq!(lines[4]["question"]["id"], "q-red-flags-heart");
    assert_eq!(lines[5]["question"]["id"], "q-red-flags-nerves");
}

#[test]
fn end_of_input_before_the_result_exits_3() {
    let (output, lines) = run(&[], "{\"answer\": []}\n");
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(lines.len(), 2);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("input ended before the interview did"),
        "{stderr}"
    );
}

#[test]
fn going_back_asks_the_previous_question_again() {
    let (_, lines) = run(&[], "{\"answer\": []}\n{\"back\": true}\n");
    assert_eq!(lines[1]["question"]["id"], "q-red-flags-nerves");
    assert_eq!(lines[2]["question"]["id"], "q-red-flags-heart");
    assert_eq!(lines[2]["progress"]["asked"], 0);
}

#[test]
fn red_flags_the_text_denied_are_still_asked_with_its_words() {
    let (_, lines) = run(
        &["--text", "spasm, no chest pain, no shortness of breath"],
        "{\"answer\": []}\n",
    );
    let question = &lines[0]["question"];
    assert_eq!(question["id"], "q-red-flags-heart");
    let items = question["items"].as_array().unwrap();
    let item = |id: &str| items.iter().find(|i| i["finding"] == id).cloned();
    let chest = item("chest_pain").expect("chest pain is still asked");
    assert_eq!(chest["from_text"]["status"], "absent");
    assert_eq!(chest["from_text"]["words"], "no chest pain");
    assert!(item("tearing_pain").unwrap().get("from_text").is_none());
}

#[test]
fn a_red_flag_the_text_read_is_confirmed_quoting_the_words() {
    // "No" to the read-back removes it; the rest of the interview goes on.
    let (_, lines) = run(
        &["--text", "spasm and a crushing pain in my chest"],
        "{\"answer\": false}\n",
    );
    let question = &lines[0]["question"];
    assert_eq!(question["id"], "q-confirm-chest_pain");
    assert_eq!(question["kind"], "yes_no");
    assert_eq!(question["from_text"]["status"], "present");
    let words = question["from_text"]["words"].as_str().unwrap();
    assert!(
        question["text"].as_str().unwrap().contains(words),
        "{question}"
    );
    assert_eq!(lines[1]["question"]["id"], "q-red-flags-heart");
}

#[test]
fn findings_the_text_settled_are_not_asked_again() {
    let input = "{\"answer\": []}\n".repeat(12);
    let (_, lines) = run(&["--text", "spasm since yesterday, I'm 40"], &input);
    let asked: Vec<&str> = lines
        .iter()
        .filter_map(|l| l["question"]["finding"].as_str())
        .collect();
    assert!(!asked.contains(&"duration_hours"), "{asked:?}");
    assert!(!asked.contains(&"age"), "{asked:?}");
}

#[test]
fn a_number_out_of_range_is_refused() {
    // Skip the checklists to reach the duration question.
    let input = "{\"answer\": []}\n".repeat(4) + "{\"answer\": 999999}\n";
    let (_, lines) = run(&["--age", "40"], &input);
    let error = lines
        .iter()
        .find(|l| l["type"] == "error")
        .expect("an error line");
    assert!(
        error["message"].as_str().unwrap().contains("out of range"),
        "{error}"
    );
}
