//! The worked examples of `shared/clinical/ergonomics.md` and the contract's example documents.

mod common;

use common::*;
use serde_json::{json, Value};
use upperback_ergonomics::{parse_rosa, parse_rula, rosa, rula};

fn typist() -> Value {
    json!({
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
    })
}

#[test]
fn rula_typist_scores_4_action_level_2() {
    let r = rula(&typist());
    let p = r.parts;
    assert_eq!(
        (p.upper_arm, p.lower_arm, p.wrist, p.wrist_twist),
        (2, 2, 3, 1)
    );
    assert_eq!((p.neck, p.trunk, p.legs), (3, 2, 1));
    assert_eq!(r.table_a, 3);
    assert_eq!(r.score_c, 4);
    assert_eq!(r.table_b, 3);
    assert_eq!(r.score_d, 4);
    assert_eq!(r.score, 4);
    assert_eq!(r.action_level, 2);
    assert!(!r.indicates_poor_workstation());
}

/// Everything neutral, 1–4 hours a day and 30–60 minutes at a stretch: chair 2, peripherals 1.
#[test]
fn rosa_all_neutral_scores_2() {
    for (h, m) in [
        (1.0, 30.0),
        (2.5, 45.0),
        (4.0, 60.0),
        (1.0, 60.0),
        (4.0, 30.0),
    ] {
        let r = rosa(&rosa_neutral(h, m));
        assert_eq!(r.chair, 2, "{h} h {m} min");
        assert_eq!(r.monitor_telephone, 1);
        assert_eq!(r.mouse_keyboard, 1);
        assert_eq!(r.peripherals, 1);
        assert_eq!(r.score, 2);
        assert!(!r.action_needed);
        assert!(r.advice.is_empty(), "nothing to fix: {:?}", r.advice);
    }
}

pub fn poor_setup() -> Value {
    let long = |v: Value| {
        let mut v = v;
        v["hours_per_day"] = json!(6);
        v["longest_stretch_minutes"] = json!(90);
        v
    };
    json!({
        "chair": long(json!({
            "seat_height": "too_low_or_high", "seat_height_flags": {"not_adjustable": true},
            "seat_depth": "too_long_or_short",
            "armrests": "too_high_or_low", "armrest_flags": {"not_adjustable": true},
            "back_support": "no_lumbar_or_wrong_angle"
        })),
        "monitor": long(json!({"position": "too_low", "flags": {"glare": true}})),
        "telephone": {"position": "ok", "flags": {"no_hands_free": true},
                      "hours_per_day": 2, "longest_stretch_minutes": 20},
        "mouse": long(json!({"position": "reaching", "flags": {"pinch_grip": true}})),
        "keyboard": long(json!({"position": "wrists_extended", "flags": {"wrists_deviated": true}}))
    })
}

#[test]
fn rosa_poor_setup_scores_5() {
    let r = rosa(&poor_setup());
    // Chair table[3 + 2][3 + 2] = 4, + 1 duration.
    assert_eq!(r.parts.seat_height + r.parts.seat_depth, 5);
    assert_eq!(r.parts.armrests + r.parts.back_support, 5);
    assert_eq!(r.chair, 5);
    // Monitor 2 + 1 + 1 = 4; telephone 1 + 1 + 0 = 2.
    assert_eq!(r.parts.monitor as i8 + r.durations.monitor, 4);
    assert_eq!(r.parts.telephone as i8 + r.durations.telephone, 2);
    assert_eq!(r.monitor_telephone, 3);
    // Mouse 2 + 1 + 1 = 4; keyboard 2 + 1 + 1 = 4.
    assert_eq!(r.mouse_keyboard, 5);
    assert_eq!(r.peripherals, 5);
    assert_eq!(r.score, 5);
    assert!(r.action_needed);
    assert!(r.indicates_poor_workstation());
}

/// The contract's RULA example input. Its output example is illustrative: the part scores,
/// Table A/B and Scores C/D agree with ours, but Table C[4][3] is 3, not the 4 printed there.
#[test]
fn rula_contract_example_document() {
    let input = parse_rula(RULA_CONTRACT_EXAMPLE).unwrap();
    let r = rula::score(&input);
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(
        v["parts"],
        json!({"upper_arm": 2, "lower_arm": 1, "wrist": 2, "wrist_twist": 1, "neck": 2, "trunk": 1, "legs": 1})
    );
    assert_eq!((r.table_a, r.table_b, r.score_c, r.score_d), (3, 2, 4, 3));
    assert_eq!(r.score, 3);
    assert_eq!(r.action_level, 2);
}

#[test]
fn rosa_contract_example_document() {
    let input = parse_rosa(ROSA_CONTRACT_EXAMPLE).unwrap();
    let r = rosa::score(&input);
    // Chair table[2][2] = 2 + 1 (6 h); telephone 1 − 1 (0.5 h, 10 min) = 0, monitor 1 + 1 = 2
    // → 1; mouse 1 + 1 (5 h), keyboard 1 + 1 → 2.
    assert_eq!(r.chair, 3);
    assert_eq!(r.monitor_telephone, 1);
    assert_eq!(r.mouse_keyboard, 2);
    assert_eq!(r.peripherals, 2);
    assert_eq!(r.score, 3);
    assert_eq!(r.durations.telephone, -1);
}

/// The output JSON has the contract's keys, in the contract's order, with the contract's types.
#[test]
fn rula_output_json_matches_contract_shape() {
    let r = rula(&typist());
    let text = serde_json::to_string(&r).unwrap();
    assert!(
        text.starts_with(r#"{"method":"RULA","score":4,"action_level":2,"parts":{"upper_arm":2,"lower_arm":2,"wrist":3,"wrist_twist":1,"neck":3,"trunk":2,"legs":1},"table_a":3,"table_b":3,"score_c":4,"score_d":4,"advice":["#),
        "{text}"
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(v["advice"].as_array().unwrap().iter().all(Value::is_string));
    for i in v["improvements"].as_array().unwrap() {
        assert!(i["problem"].is_string() && i["text"].is_string() && i["score_after"].is_u64());
    }
}

#[test]
fn rosa_output_json_matches_contract_shape() {
    let r = rosa(&poor_setup());
    let text = serde_json::to_string(&r).unwrap();
    assert!(
        text.starts_with(r#"{"method":"ROSA","score":5,"action_needed":true,"chair":5,"monitor_telephone":3,"mouse_keyboard":5,"peripherals":5,"advice":["#),
        "{text}"
    );
    // The output deserialises back to the same result (useful for the CLI and server tests).
    let back: upperback_ergonomics::RosaResult = serde_json::from_str(&text).unwrap();
    assert_eq!(back, r);
}
