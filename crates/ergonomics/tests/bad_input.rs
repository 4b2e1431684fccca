//! Rejected input: every error is one line and names the field at fault.

mod common;

use common::*;
use serde_json::{json, Value};
use upperback_ergonomics::{parse_rosa, parse_rula, InputError};

fn rula_with(pointer: &str, value: Value) -> String {
    let mut v = rula_neutral();
    *v.pointer_mut(pointer).unwrap() = value;
    v.to_string()
}

fn rula_without(parent: &str, key: &str) -> String {
    let mut v = rula_neutral();
    let obj = if parent.is_empty() {
        &mut v
    } else {
        v.pointer_mut(parent).unwrap()
    };
    obj.as_object_mut().unwrap().remove(key).unwrap();
    v.to_string()
}

fn rosa_with(pointer: &str, value: Value) -> String {
    let mut v = rosa_neutral(2.0, 45.0);
    match v.pointer_mut(pointer) {
        Some(slot) => *slot = value,
        None => {
            // Add a key that the neutral fixture leaves out (e.g. a flags object).
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            v.pointer_mut(parent).unwrap()[key] = value;
        }
    }
    v.to_string()
}

fn assert_one_line(msg: &str) {
    assert!(!msg.contains('\n'), "not one line: {msg}");
}

#[test]
fn missing_fields_are_named_with_their_path() {
    let cases = [
        ("/neck", "flexion_deg", "missing field `neck.flexion_deg`"),
        (
            "/upper_arm",
            "flexion_deg",
            "missing field `upper_arm.flexion_deg`",
        ),
        (
            "/upper_arm",
            "supported",
            "missing field `upper_arm.supported`",
        ),
        ("/wrist", "twist", "missing field `wrist.twist`"),
        ("/arm_load", "kg", "missing field `arm_load.kg`"),
        (
            "/neck_trunk_load",
            "pattern",
            "missing field `neck_trunk_load.pattern`",
        ),
        ("", "legs_supported", "missing field `legs_supported`"),
        ("", "trunk", "missing field `trunk`"),
    ];
    for (parent, key, want) in cases {
        let err = parse_rula(&rula_without(parent, key)).unwrap_err();
        assert_eq!(err.to_string(), want);
        assert!(matches!(err, InputError::MissingField { .. }));
    }
}

#[test]
fn angles_outside_range_are_rejected() {
    for (pointer, field) in [
        ("/upper_arm/flexion_deg", "upper_arm.flexion_deg"),
        ("/lower_arm/flexion_deg", "lower_arm.flexion_deg"),
        ("/wrist/flexion_deg", "wrist.flexion_deg"),
        ("/neck/flexion_deg", "neck.flexion_deg"),
        ("/trunk/flexion_deg", "trunk.flexion_deg"),
    ] {
        for angle in [181.0, -181.0, 180.5, 200.0] {
            let err = parse_rula(&rula_with(pointer, json!(angle))).unwrap_err();
            let msg = err.to_string();
            assert_eq!(err.field(), field);
            assert!(
                msg.starts_with(&format!("field `{field}`: angle ")),
                "{msg}"
            );
            assert!(msg.ends_with("is outside -180..180"), "{msg}");
            assert_one_line(&msg);
        }
    }
    assert_eq!(
        rula_err(&rula_with("/upper_arm/flexion_deg", json!(200))),
        "field `upper_arm.flexion_deg`: angle 200 is outside -180..180"
    );
    assert_eq!(
        rula_err(&rula_with("/neck/flexion_deg", json!(-181))),
        "field `neck.flexion_deg`: angle -181 is outside -180..180"
    );
    // The limits themselves are valid.
    assert!(parse_rula(&rula_with("/neck/flexion_deg", json!(-180))).is_ok());
    assert!(parse_rula(&rula_with("/neck/flexion_deg", json!(180))).is_ok());
}

#[test]
fn wrong_types_are_named() {
    let cases = [
        (
            "/arm_load/kg",
            json!("heavy"),
            "field `arm_load.kg`: expected a number, got a string",
        ),
        (
            "/neck/flexion_deg",
            json!(true),
            "field `neck.flexion_deg`: expected a number, got true/false",
        ),
        (
            "/neck/flexion_deg",
            json!(null),
            "field `neck.flexion_deg`: expected a number, got null",
        ),
        (
            "/upper_arm/shoulder_raised",
            json!("yes"),
            "field `upper_arm.shoulder_raised`: expected true or false, got a string",
        ),
        (
            "/legs_supported",
            json!(1),
            "field `legs_supported`: expected true or false, got a number",
        ),
        (
            "/upper_arm",
            json!(30),
            "field `upper_arm`: expected an object, got a number",
        ),
        (
            "/upper_arm",
            json!([30, false, false, false]),
            "field `upper_arm`: expected an object, got an array",
        ),
        (
            "/wrist/twist",
            json!(2),
            "field `wrist.twist`: expected a twist name (one of mid_range, end_of_range), got a number",
        ),
    ];
    for (pointer, value, want) in cases {
        assert_eq!(rula_err(&rula_with(pointer, value)), want);
    }
    assert_eq!(
        rosa_err(&rosa_with("/mouse/hours_per_day", json!("5"))),
        "field `mouse.hours_per_day`: expected a number, got a string"
    );
    assert_eq!(
        rosa_err(&rosa_with("/monitor/flags", json!({"glare": "yes"}))),
        "field `monitor.flags.glare`: expected true or false, got a string"
    );
}

#[test]
fn unknown_names_list_the_allowed_ones() {
    assert_eq!(
        rosa_err(&rosa_with("/chair/seat_height", json!("wobbly"))),
        "field `chair.seat_height`: unknown position \"wobbly\"; expected one of ok, too_low_or_high, feet_not_touching"
    );
    assert_eq!(
        rosa_err(&rosa_with("/monitor/position", json!("sideways"))),
        "field `monitor.position`: unknown position \"sideways\"; expected one of ok, too_low, too_high"
    );
    assert_eq!(
        rula_err(&rula_with("/wrist/twist", json!("twisty"))),
        "field `wrist.twist`: unknown twist \"twisty\"; expected one of mid_range, end_of_range"
    );
    assert_eq!(
        rula_err(&rula_with("/arm_load/pattern", json!("often"))),
        "field `arm_load.pattern`: unknown pattern \"often\"; expected one of intermittent, static_or_repeated, shock"
    );
    // Names are exact: no case folding.
    assert!(rosa_err(&rosa_with("/keyboard/position", json!("OK")))
        .starts_with("field `keyboard.position`: unknown position \"OK\""));
}

#[test]
fn negative_and_impossible_quantities_are_rejected() {
    assert_eq!(
        rula_err(&rula_with("/arm_load/kg", json!(-1))),
        "field `arm_load.kg`: weight -1 kg is negative"
    );
    assert_eq!(
        rula_err(&rula_with("/neck_trunk_load/kg", json!(-0.5))),
        "field `neck_trunk_load.kg`: weight -0.5 kg is negative"
    );
    assert_eq!(
        rosa_err(&rosa_with("/chair/hours_per_day", json!(-1))),
        "field `chair.hours_per_day`: -1 hours a day is negative"
    );
    assert_eq!(
        rosa_err(&rosa_with("/telephone/hours_per_day", json!(24.5))),
        "field `telephone.hours_per_day`: 24.5 hours a day is more than 24"
    );
    assert_eq!(
        rosa_err(&rosa_with("/keyboard/longest_stretch_minutes", json!(-5))),
        "field `keyboard.longest_stretch_minutes`: -5 minutes is negative"
    );
    assert_eq!(
        rosa_err(&rosa_with("/mouse/longest_stretch_minutes", json!(1441))),
        "field `mouse.longest_stretch_minutes`: 1441 minutes is more than a day (1440)"
    );
    // The limits themselves are valid.
    assert!(parse_rosa(&rosa_with("/chair/hours_per_day", json!(24))).is_ok());
    assert!(parse_rosa(&rosa_with("/chair/hours_per_day", json!(0))).is_ok());
    assert!(parse_rosa(&rosa_with("/chair/longest_stretch_minutes", json!(1440))).is_ok());
    assert!(parse_rula(&rula_with("/arm_load/kg", json!(0))).is_ok());
}

#[test]
fn unknown_fields_are_rejected_and_named() {
    let mut v = rula_neutral();
    v["upper_arm"]["flexon_deg"] = json!(30);
    let err = parse_rula(&v.to_string()).unwrap_err();
    assert_eq!(err.field(), "upper_arm.flexon_deg");
    assert_eq!(
        err.to_string(),
        "unknown field `upper_arm.flexon_deg`; expected one of flexion_deg, shoulder_raised, abducted, supported"
    );
    let msg = rosa_err(&rosa_with("/monitor/flags", json!({"glar": true})));
    assert!(
        msg.starts_with("unknown field `monitor.flags.glar`; expected one of too_far,"),
        "{msg}"
    );
    let msg = rosa_err(&rosa_with("/method", json!("ROSA")));
    assert!(msg.starts_with("unknown field `method`"), "{msg}");
}

#[test]
fn rosa_missing_required_fields_are_named() {
    let mut v = rosa_neutral(2.0, 45.0);
    v["chair"].as_object_mut().unwrap().remove("seat_depth");
    assert_eq!(rosa_err(&v.to_string()), "missing field `chair.seat_depth`");
    let mut v = rosa_neutral(2.0, 45.0);
    v["telephone"]
        .as_object_mut()
        .unwrap()
        .remove("longest_stretch_minutes");
    assert_eq!(
        rosa_err(&v.to_string()),
        "missing field `telephone.longest_stretch_minutes`"
    );
    let mut v = rosa_neutral(2.0, 45.0);
    v.as_object_mut().unwrap().remove("keyboard");
    assert_eq!(rosa_err(&v.to_string()), "missing field `keyboard`");
}

#[test]
fn rosa_missing_flags_default_to_false() {
    // No flags objects at all…
    let bare = parse_rosa(&rosa_neutral(2.0, 45.0).to_string()).unwrap();
    assert!(!bare.monitor.flags.glare && !bare.chair.armrest_flags.not_adjustable);
    // …and a partial flags object: the rest are false.
    let partial = parse_rosa(&rosa_with("/monitor/flags", json!({"glare": true}))).unwrap();
    assert!(partial.monitor.flags.glare);
    assert!(!partial.monitor.flags.too_far && !partial.monitor.flags.no_document_holder);
    let empty = parse_rosa(&rosa_with("/chair/seat_height_flags", json!({}))).unwrap();
    assert_eq!(empty, bare);
    // The contract's full example parses too.
    assert!(parse_rosa(ROSA_CONTRACT_EXAMPLE).is_ok());
}

#[test]
fn malformed_json_reports_position() {
    let err = parse_rula("{\"upper_arm\": ").unwrap_err();
    assert!(matches!(err, InputError::MalformedJson { line: 1, .. }));
    let msg = err.to_string();
    assert!(msg.starts_with("malformed JSON at line 1 column "), "{msg}");
    assert_one_line(&msg);
    let msg = rosa_err("{\n  \"chair\": {,}\n}");
    assert!(msg.starts_with("malformed JSON at line 2 column "), "{msg}");
    assert!(rula_err("").starts_with("malformed JSON"));
}

#[test]
fn the_document_itself_must_be_an_object() {
    assert_eq!(rula_err("[1]"), "input: expected an object, got an array");
    assert_eq!(rula_err("[]"), "input: expected an object, got an array");
    assert_eq!(
        rosa_err("\"hello\""),
        "input: expected an object, got a string"
    );
    assert_eq!(rosa_err("null"), "input: expected an object, got null");
}

#[test]
fn every_error_is_one_line() {
    let inputs = [
        rula_with("/upper_arm/flexion_deg", json!(1e6)),
        rula_with("/wrist", json!("flat")),
        rula_without("/lower_arm", "across_midline_or_out_to_side"),
        "{".to_owned(),
        "{\"a\":\n\n1".to_owned(),
    ];
    for input in inputs {
        assert_one_line(&rula_err(&input));
    }
}
