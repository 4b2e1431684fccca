//! `upperback ergo rula|rosa` and workstation scores inside `assess`.

use std::process::Output;

mod common;

fn upperback(args: &[&str], stdin: &str) -> Output {
    common::upperback(args, Some(stdin))
}

/// A typist at a desk (RULA input); also an example for `upperback ergo rula --input`.
const TYPIST: &str = include_str!("../../../docs/examples/rula-typist.json");

/// A poor workstation (ROSA input); also an example for `upperback ergo rosa --input`.
const POOR_ROSA: &str = include_str!("../../../docs/examples/rosa-poor-workstation.json");

fn assert_bad(output: &Output, field: &str) {
    common::assert_bad_input(output, &[field]);
}

#[test]
fn rula_typist_scores_4_in_json_and_report() {
    let output = upperback(&["ergo", "rula", "--input", "-", "--json"], TYPIST);
    assert_eq!(output.status.code(), Some(0));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["method"], "RULA");
    assert_eq!(result["score"], 4);
    assert_eq!(result["action_level"], 2);
    let report = upperback(&["ergo", "rula", "--input", "-"], TYPIST);
    assert!(String::from_utf8_lossy(&report.stdout).contains('4'));
}

#[test]
fn rosa_poor_set_up_scores_5() {
    let output = upperback(&["ergo", "rosa", "--input", "-", "--json"], POOR_ROSA);
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["score"], 5);
    assert_eq!(result["action_needed"], true);
    assert!(!result["advice"].as_array().unwrap().is_empty());
}

#[test]
fn bad_ergonomics_input_exits_2_naming_the_field() {
    let missing = TYPIST.replace(r#""neck": {"flexion_deg": 25, "#, r#""neck": {"#);
    assert_bad(
        &upperback(&["ergo", "rula", "--input", "-"], &missing),
        "neck.flexion_deg",
    );
    let angle = TYPIST.replace(r#""flexion_deg": 30"#, r#""flexion_deg": 200"#);
    assert_bad(
        &upperback(&["ergo", "rula", "--input", "-"], &angle),
        "upper_arm.flexion_deg",
    );
    let kind = TYPIST.replacen(r#""kg": 0"#, r#""kg": "none""#, 1);
    assert_bad(
        &upperback(&["ergo", "rula", "--input", "-"], &kind),
        "arm_load.kg",
    );
    let position = POOR_ROSA.replace(r#""position": "too_low""#, r#""position": "sideways""#);
    assert_bad(
        &upperback(&["ergo", "rosa", "--input", "-"], &position),
        "monitor.position",
    );
    assert_bad(&upperback(&["ergo", "rosa", "--input", "-"], "{"), "JSON");
}

#[test]
fn a_poor_workstation_feeds_the_assessment() {
    let output = upperback(
        &[
            "assess",
            "--text",
            "upper back spasm, laptop all day",
            "--rosa",
            "-",
            "--json",
        ],
        POOR_ROSA,
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let finding = result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "poor_workstation")
        .unwrap()
        .clone();
    assert_eq!(finding["status"], "present");
    assert_eq!(finding["origin"], "ergonomics");
    assert_eq!(result["causes"][0]["id"], "postural_strain");
    let advice = result["care_plan"]["advice"].as_array().unwrap();
    assert!(advice
        .iter()
        .any(|a| a["cause"] == "postural_strain" && a["source"] == "ROSA"));
}
