//! Boundary values on both sides of every band, through the public parser and scorer, plus the
//! clamping rules. The contract: a value exactly on a boundary takes the lower band.

mod common;

use common::*;
use serde_json::{json, Value};

fn with(mut v: Value, pointer: &str, value: Value) -> Value {
    *v.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer}")) = value;
    v
}

fn rula_part(pointer: &str, angle: f64, part: fn(&upperback_ergonomics::RulaResult) -> u8) -> u8 {
    part(&rula(&with(rula_neutral(), pointer, json!(angle))))
}

#[test]
fn upper_arm_boundaries() {
    let cases = [
        (-20.5, 2),
        (-20.0, 1),
        (-19.5, 1),
        (19.5, 1),
        (20.0, 1),
        (20.5, 2),
        (44.5, 2),
        (45.0, 2),
        (45.5, 3),
        (89.5, 3),
        (90.0, 3),
        (90.5, 4),
    ];
    for (deg, want) in cases {
        let got = rula_part("/upper_arm/flexion_deg", deg, |r| r.parts.upper_arm);
        assert_eq!(got, want, "upper arm {deg}°");
    }
}

#[test]
fn lower_arm_boundaries() {
    for (deg, want) in [
        (59.5, 2),
        (60.0, 1),
        (60.5, 1),
        (99.5, 1),
        (100.0, 1),
        (100.5, 2),
    ] {
        let got = rula_part("/lower_arm/flexion_deg", deg, |r| r.parts.lower_arm);
        assert_eq!(got, want, "lower arm {deg}°");
    }
}

#[test]
fn wrist_boundaries() {
    let cases = [
        (-0.5, 2),
        (0.0, 1),
        (0.5, 2),
        (14.5, 2),
        (15.0, 2),
        (15.5, 3),
        (-15.0, 2),
        (-15.5, 3),
    ];
    for (deg, want) in cases {
        let got = rula_part("/wrist/flexion_deg", deg, |r| r.parts.wrist);
        assert_eq!(got, want, "wrist {deg}°");
    }
}

#[test]
fn neck_boundaries() {
    let cases = [
        (-0.5, 4),
        (0.0, 1),
        (0.5, 1),
        (9.5, 1),
        (10.0, 1),
        (10.5, 2),
        (19.5, 2),
        (20.0, 2),
        (20.5, 3),
    ];
    for (deg, want) in cases {
        let got = rula_part("/neck/flexion_deg", deg, |r| r.parts.neck);
        assert_eq!(got, want, "neck {deg}°");
    }
}

#[test]
fn trunk_boundaries_unsupported_and_supported() {
    let cases = [
        (-0.5, 2),
        (0.0, 1),
        (0.5, 2),
        (19.5, 2),
        (20.0, 2),
        (20.5, 3),
        (59.5, 3),
        (60.0, 3),
        (60.5, 4),
    ];
    for (deg, want) in cases {
        let unsupported = with(rula_neutral(), "/trunk/well_supported", json!(false));
        let r = rula(&with(unsupported, "/trunk/flexion_deg", json!(deg)));
        assert_eq!(r.parts.trunk, want, "trunk {deg}° unsupported");
        // A supported, upright trunk scores 1 whatever angle is given.
        let r = rula(&with(rula_neutral(), "/trunk/flexion_deg", json!(deg)));
        assert_eq!(r.parts.trunk, 1, "trunk {deg}° well supported");
    }
}

#[test]
fn load_boundaries_for_arm_and_neck_trunk() {
    let cases = [
        (1.99, "intermittent", 0),
        (2.0, "intermittent", 1),
        (10.0, "intermittent", 1),
        (10.01, "intermittent", 2),
        (1.99, "static_or_repeated", 0),
        (2.0, "static_or_repeated", 2),
        (10.0, "static_or_repeated", 2),
        (10.01, "static_or_repeated", 3),
        (0.0, "shock", 3),
        (50.0, "shock", 3),
    ];
    for (kg, pattern, want) in cases {
        let load = json!({"kg": kg, "pattern": pattern});
        let r = rula(&with(rula_neutral(), "/arm_load", load.clone()));
        assert_eq!(r.adjustments.arm_load, want, "arm {kg} kg {pattern}");
        assert_eq!(r.score_c, r.table_a + want);
        let r = rula(&with(rula_neutral(), "/neck_trunk_load", load));
        assert_eq!(
            r.adjustments.neck_trunk_load, want,
            "neck/trunk {kg} kg {pattern}"
        );
        assert_eq!(r.score_d, r.table_b + want);
    }
}

#[test]
fn angle_limits_are_inclusive() {
    for deg in [-180.0, 180.0] {
        let r = rula(&with(rula_neutral(), "/upper_arm/flexion_deg", json!(deg)));
        assert!((1..=7).contains(&r.score));
    }
}

#[test]
fn rula_action_levels_follow_grand_score() {
    // Neutral → 1; typical mid → 3 or 4; worst → 7.
    assert_eq!(rula(&rula_neutral()).action_level, 1);
    let worst = json!({
        "upper_arm": {"flexion_deg": 120, "shoulder_raised": true, "abducted": true, "supported": false},
        "lower_arm": {"flexion_deg": 10, "across_midline_or_out_to_side": true},
        "wrist": {"flexion_deg": 60, "bent_from_midline": true, "twist": "end_of_range"},
        "arm_static_or_repeated": true,
        "arm_load": {"kg": 20, "pattern": "shock"},
        "neck": {"flexion_deg": -10, "twisted": true, "side_bent": true},
        "trunk": {"flexion_deg": 80, "well_supported": false, "twisted": true, "side_bent": true},
        "legs_supported": false,
        "neck_trunk_static_or_repeated": true,
        "neck_trunk_load": {"kg": 20, "pattern": "static_or_repeated"}
    });
    let r = rula(&worst);
    assert_eq!(r.parts.upper_arm, 6);
    assert_eq!(r.parts.neck, 6);
    assert_eq!(r.parts.trunk, 6);
    assert_eq!((r.table_a, r.table_b), (9, 9));
    // Score C and D are reported uncapped; Table C caps them at 8 and 7.
    assert_eq!((r.score_c, r.score_d), (13, 13));
    assert_eq!(r.score, 7);
    assert_eq!(r.action_level, 4);
    assert!(r.indicates_poor_workstation());
}

/// Score C above 8 and Score D above 7 read the last row / column of Table C.
#[test]
fn rula_table_c_clamps_c_and_d() {
    // Table A 9 (upper arm 6, lower arm 3) + muscle 1 → C = 10 → row 8.
    let mut v = rula_neutral();
    v["upper_arm"] =
        json!({"flexion_deg": 100, "shoulder_raised": true, "abducted": true, "supported": false});
    v["lower_arm"] = json!({"flexion_deg": 10, "across_midline_or_out_to_side": true});
    v["arm_static_or_repeated"] = json!(true);
    let r = rula(&v);
    assert_eq!(r.score_c, 10);
    assert_eq!(r.score_d, 1);
    assert_eq!(r.score, upperback_ergonomics::tables::RULA_TABLE_C[7][0]);
    assert_eq!(r.score, 5);
    // Neck 6, trunk 1, legs 1 → Table B 8; + muscle 1 + load 3 → D = 12 → column 7.
    let mut v = rula_neutral();
    v["neck"] = json!({"flexion_deg": -5, "twisted": true, "side_bent": true});
    v["neck_trunk_static_or_repeated"] = json!(true);
    v["neck_trunk_load"] = json!({"kg": 0, "pattern": "shock"});
    let r = rula(&v);
    assert_eq!(r.score_d, 12);
    assert_eq!(r.score, upperback_ergonomics::tables::RULA_TABLE_C[0][6]);
    assert_eq!(r.score, 5);
}

#[test]
fn rosa_duration_boundaries() {
    // (hours a day, minutes at a stretch, duration term)
    let cases = [
        (0.99, 29.0, -1),
        (1.0, 29.0, 0),
        (0.5, 29.99, -1),
        (0.5, 30.0, 0),
        (3.99, 59.0, 0),
        (4.0, 59.0, 0),
        (4.01, 59.0, 1),
        (2.0, 60.0, 0),
        (2.0, 60.01, 1),
        (0.5, 61.0, 1),
        (5.0, 10.0, 1),
    ];
    for (h, m, want) in cases {
        let r = rosa(&rosa_neutral(h, m));
        let d = r.durations;
        for (section, got) in [
            ("chair", d.chair),
            ("monitor", d.monitor),
            ("telephone", d.telephone),
            ("mouse", d.mouse),
            ("keyboard", d.keyboard),
        ] {
            assert_eq!(got, want, "{section}: {h} h/day, {m} min");
        }
        // Chair table[2][2] = 2 plus the duration term.
        assert_eq!(i32::from(r.chair), 2 + i32::from(want));
    }
}

#[test]
fn rosa_short_use_can_score_1() {
    let r = rosa(&rosa_neutral(0.5, 10.0));
    assert_eq!(r.chair, 1);
    assert_eq!(r.monitor_telephone, 1);
    assert_eq!(r.mouse_keyboard, 1);
    assert_eq!(r.score, 1);
}

/// Monitor too high with every flag (7) plus long use (+1) is 8, clamped to the last column.
#[test]
fn rosa_monitor_axis_clamps_to_7() {
    let mut v = rosa_neutral(6.0, 90.0);
    v["monitor"]["position"] = json!("too_high");
    v["monitor"]["flags"] = json!({"too_far": true, "neck_twist_over_30": true, "glare": true, "no_document_holder": true});
    let r = rosa(&v);
    assert_eq!(
        i32::from(r.parts.monitor) + i32::from(r.durations.monitor),
        8
    );
    // Telephone ok + long use = 2.
    assert_eq!(
        r.monitor_telephone,
        upperback_ergonomics::tables::ROSA_MONITOR_TELEPHONE[2][7]
    );
    assert_eq!(r.monitor_telephone, 7);
}

/// The worst possible workstation reaches the top of every table and the final score of 10.
#[test]
fn rosa_worst_case_is_10() {
    let mut v = rosa_neutral(10.0, 120.0);
    v["chair"]["seat_height"] = json!("feet_not_touching");
    v["chair"]["seat_height_flags"] =
        json!({"insufficient_leg_room": true, "not_adjustable": true});
    v["chair"]["seat_depth"] = json!("too_long_or_short");
    v["chair"]["seat_depth_flags"] = json!({"not_adjustable": true});
    v["chair"]["armrests"] = json!("too_high_or_low");
    v["chair"]["armrest_flags"] =
        json!({"too_wide": true, "hard_surface": true, "not_adjustable": true});
    v["chair"]["back_support"] = json!("no_lumbar_or_wrong_angle");
    v["chair"]["back_support_flags"] =
        json!({"work_surface_too_high": true, "not_adjustable": true});
    v["monitor"]["position"] = json!("too_high");
    v["monitor"]["flags"] = json!({"too_far": true, "neck_twist_over_30": true, "glare": true, "no_document_holder": true});
    v["telephone"]["position"] = json!("far_reach");
    v["telephone"]["flags"] = json!({"neck_shoulder_hold": true, "no_hands_free": true});
    v["mouse"]["position"] = json!("reaching");
    v["mouse"]["flags"] =
        json!({"different_surface": true, "pinch_grip": true, "palm_rest_in_front": true});
    v["keyboard"]["position"] = json!("wrists_extended");
    v["keyboard"]["flags"] = json!({"wrists_deviated": true, "too_high": true, "overhead_reach": true, "not_adjustable": true});
    let r = rosa(&v);
    assert_eq!(r.parts.seat_height + r.parts.seat_depth, 8);
    assert_eq!(r.parts.armrests + r.parts.back_support, 9);
    assert_eq!(r.chair, 10);
    assert_eq!(r.monitor_telephone, 9);
    assert_eq!(r.mouse_keyboard, 9);
    assert_eq!(r.score, 10);
    assert!(r.action_needed);
}

#[test]
fn rosa_action_needed_threshold() {
    // Chair 4 (table 3 + 1) stays below the threshold; chair 5 reaches it.
    let mut v = rosa_neutral(6.0, 30.0);
    v["chair"]["seat_height"] = json!("too_low_or_high");
    v["chair"]["seat_depth"] = json!("too_long_or_short");
    let r = rosa(&v);
    assert_eq!(r.chair, 4);
    assert!(!r.action_needed && !r.indicates_poor_workstation());
    v["chair"]["armrests"] = json!("too_high_or_low");
    v["chair"]["back_support"] = json!("no_lumbar_or_wrong_angle");
    v["chair"]["seat_height_flags"] = json!({"not_adjustable": true});
    let r = rosa(&v);
    assert_eq!(r.chair, 5);
    assert!(r.action_needed && r.indicates_poor_workstation());
}
