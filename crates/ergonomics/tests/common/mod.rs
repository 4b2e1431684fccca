//! Shared fixtures: the contract's example documents, as JSON values that tests can edit.
#![allow(dead_code)] // each test binary uses a different subset

use serde_json::{json, Value};

/// A neutral RULA input (every part scores its minimum).
pub fn rula_neutral() -> Value {
    json!({
        "upper_arm": {"flexion_deg": 0, "shoulder_raised": false, "abducted": false, "supported": false},
        "lower_arm": {"flexion_deg": 80, "across_midline_or_out_to_side": false},
        "wrist": {"flexion_deg": 0, "bent_from_midline": false, "twist": "mid_range"},
        "arm_static_or_repeated": false,
        "arm_load": {"kg": 0, "pattern": "intermittent"},
        "neck": {"flexion_deg": 5, "twisted": false, "side_bent": false},
        "trunk": {"flexion_deg": 0, "well_supported": true, "twisted": false, "side_bent": false},
        "legs_supported": true,
        "neck_trunk_static_or_repeated": false,
        "neck_trunk_load": {"kg": 0, "pattern": "intermittent"}
    })
}

/// The contract's RULA input example, verbatim.
pub const RULA_CONTRACT_EXAMPLE: &str = r#"{
  "upper_arm": {"flexion_deg": 30, "shoulder_raised": false, "abducted": false, "supported": false},
  "lower_arm": {"flexion_deg": 80, "across_midline_or_out_to_side": false},
  "wrist": {"flexion_deg": 10, "bent_from_midline": false, "twist": "mid_range"},
  "arm_static_or_repeated": true,
  "arm_load": {"kg": 0, "pattern": "intermittent"},
  "neck": {"flexion_deg": 15, "twisted": false, "side_bent": false},
  "trunk": {"flexion_deg": 0, "well_supported": true, "twisted": false, "side_bent": false},
  "legs_supported": true,
  "neck_trunk_static_or_repeated": true,
  "neck_trunk_load": {"kg": 0, "pattern": "intermittent"}
}"#;

/// The contract's ROSA input example, verbatim.
pub const ROSA_CONTRACT_EXAMPLE: &str = r#"{
  "chair": {
    "seat_height": "ok" ,            "seat_height_flags": {"insufficient_leg_room": false, "not_adjustable": false},
    "seat_depth": "ok",              "seat_depth_flags": {"not_adjustable": false},
    "armrests": "ok",                "armrest_flags": {"too_wide": false, "hard_surface": false, "not_adjustable": false},
    "back_support": "ok",            "back_support_flags": {"work_surface_too_high": false, "not_adjustable": false},
    "hours_per_day": 6, "longest_stretch_minutes": 90
  },
  "monitor": {"position": "ok", "flags": {"too_far": false, "neck_twist_over_30": false, "glare": false, "no_document_holder": false},
              "hours_per_day": 6, "longest_stretch_minutes": 90},
  "telephone": {"position": "ok", "flags": {"neck_shoulder_hold": false, "no_hands_free": false},
                "hours_per_day": 0.5, "longest_stretch_minutes": 10},
  "mouse": {"position": "ok", "flags": {"different_surface": false, "pinch_grip": false, "palm_rest_in_front": false},
            "hours_per_day": 5, "longest_stretch_minutes": 60},
  "keyboard": {"position": "ok", "flags": {"wrists_deviated": false, "too_high": false, "overhead_reach": false, "not_adjustable": false},
               "hours_per_day": 5, "longest_stretch_minutes": 60}
}"#;

/// A ROSA input with every position `ok`, no flags, and every section used `hours` a day for
/// `minutes` at a stretch.
pub fn rosa_neutral(hours: f64, minutes: f64) -> Value {
    let section = |position: &str| json!({"position": position, "hours_per_day": hours, "longest_stretch_minutes": minutes});
    json!({
        "chair": {
            "seat_height": "ok", "seat_depth": "ok", "armrests": "ok", "back_support": "ok",
            "hours_per_day": hours, "longest_stretch_minutes": minutes
        },
        "monitor": section("ok"),
        "telephone": section("ok"),
        "mouse": section("ok"),
        "keyboard": section("ok"),
    })
}

/// Score a RULA JSON value through the public parser.
pub fn rula(v: &Value) -> upperback_ergonomics::RulaResult {
    let input = upperback_ergonomics::parse_rula(&v.to_string()).expect("valid RULA input");
    upperback_ergonomics::rula::score(&input)
}

/// Score a ROSA JSON value through the public parser.
pub fn rosa(v: &Value) -> upperback_ergonomics::RosaResult {
    let input = upperback_ergonomics::parse_rosa(&v.to_string()).expect("valid ROSA input");
    upperback_ergonomics::rosa::score(&input)
}

/// Parse RULA and return the error message (panics if it parses).
pub fn rula_err(v: &str) -> String {
    upperback_ergonomics::parse_rula(v)
        .expect_err("should be rejected")
        .to_string()
}

/// Parse ROSA and return the error message (panics if it parses).
pub fn rosa_err(v: &str) -> String {
    upperback_ergonomics::parse_rosa(v)
        .expect_err("should be rejected")
        .to_string()
}
