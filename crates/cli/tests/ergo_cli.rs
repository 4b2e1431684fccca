//! `upperback ergo rula|rosa` and workstation scores inside `assess`.

use std::process::Output;

mod common;

fn upperback(args: &[&str], stdin: &str) -> Output {
    common::upperback(args, Some(stdin))
}

const TYPIST: &str = r#"{
  "upper_arm": {"flexion_deg": 30, "shoulder_raised": false, "abducted": false, "supported": false},
  "lower_arm": {"flexion_deg": 110, "across_midline_or_out_to_side": false},
  "wrist": {"flexion_deg": -20, "bent_from_midline": false, "twist": "mid_range"},
  "arm_static_or_repeated": true,
  "arm_load": {"kg": 0, "pattern": "intermittent"},
  "neck": {"flexion_deg": 25, "twisted": false, "side_bent": false},
  "trunk": {"flexion_deg": 10, "well_supported": false, "twisted": false, "side_bent": false},
  "legs_supported": true,
  "neck_trunk_static_or_repeated": true,
  "neck_trunk_load": {"kg": 0, "pattern": "intermittent"}
}"#;

const POOR_ROSA: &str = r#"{
  "chair": {"seat_height": "too_low_or_high", "seat_height_flags": {"not_adjustable": true},
            "seat_depth": "too_long_or_short", "armrests": "too_high_or_low",
            "armrest_flags": {"not_adjustable": true}, "back_support": "no_lumbar_or_wrong_angle",
            "hours_per_day": 6, "longest_stretch_minutes": 90},
  "monitor": {"position": "too_low", "flags": {"glare": true}, "hours_per_day": 6, "longest_stretch_minutes": 90},
  "telephone": {"position": "ok", "flags": {"no_hands_free": true}, "hours_per_day": 2, "longest_stretch_minutes": 20},
  "mouse": {"position": "reaching", "flags": {"pinch_grip": true}, "hours_per_day": 6, "longest_stretch_minutes": 90},
  "keyboard": {"position": "wrists_extended", "flags": {"wrists_deviated": true}, "hours_per_day": 6, "longest_stretch_minutes": 90}
}"#;

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
