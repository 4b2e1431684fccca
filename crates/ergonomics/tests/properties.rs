//! Property tests: any valid input scores within range, and no advice item (indeed no fix of
//! any present problem) ever raises the score.

use proptest::prelude::*;
use upperback_ergonomics::rosa::{self, *};
use upperback_ergonomics::rula::{self, *};
use upperback_ergonomics::{parse_rosa, parse_rula};

/// Angles: anywhere in range, with band boundaries and the limits drawn often.
fn angle() -> impl Strategy<Value = f64> {
    prop_oneof![
        -180.0..=180.0f64,
        prop::sample::select(vec![
            -180.0, -20.0, -15.0, -0.5, 0.0, 10.0, 15.0, 20.0, 45.0, 60.0, 90.0, 100.0, 180.0,
        ]),
    ]
}

fn load() -> impl Strategy<Value = Load> {
    (
        prop_oneof![0.0..30.0f64, prop::sample::select(vec![0.0, 2.0, 10.0])],
        prop::sample::select(LoadPattern::ALL),
    )
        .prop_map(|(kg, pattern)| Load { kg, pattern })
}

fn rula_input() -> impl Strategy<Value = RulaInput> {
    let arm = (
        (angle(), any::<bool>(), any::<bool>(), any::<bool>()),
        (angle(), any::<bool>()),
        (
            angle(),
            any::<bool>(),
            prop::sample::select(WristTwist::ALL),
        ),
        any::<bool>(),
        load(),
    );
    let body = (
        (angle(), any::<bool>(), any::<bool>()),
        (angle(), any::<bool>(), any::<bool>(), any::<bool>()),
        any::<bool>(),
        any::<bool>(),
        load(),
    );
    (arm, body).prop_map(
        |((ua, la, w, arm_static, arm_load), (n, t, legs, nt_static, nt_load))| RulaInput {
            upper_arm: UpperArm {
                flexion_deg: ua.0,
                shoulder_raised: ua.1,
                abducted: ua.2,
                supported: ua.3,
            },
            lower_arm: LowerArm {
                flexion_deg: la.0,
                across_midline_or_out_to_side: la.1,
            },
            wrist: Wrist {
                flexion_deg: w.0,
                bent_from_midline: w.1,
                twist: w.2,
            },
            arm_static_or_repeated: arm_static,
            arm_load,
            neck: Neck {
                flexion_deg: n.0,
                twisted: n.1,
                side_bent: n.2,
            },
            trunk: Trunk {
                flexion_deg: t.0,
                well_supported: t.1,
                twisted: t.2,
                side_bent: t.3,
            },
            legs_supported: legs,
            neck_trunk_static_or_repeated: nt_static,
            neck_trunk_load: nt_load,
        },
    )
}

/// (hours a day, longest stretch in minutes), with the duration boundaries drawn often.
fn duration() -> impl Strategy<Value = (f64, f64)> {
    (
        prop_oneof![
            0.0..=24.0f64,
            prop::sample::select(vec![0.0, 1.0, 4.0, 24.0])
        ],
        prop_oneof![
            0.0..=1440.0f64,
            prop::sample::select(vec![0.0, 30.0, 60.0, 1440.0])
        ],
    )
}

fn rosa_input() -> impl Strategy<Value = RosaInput> {
    let b = any::<bool>;
    let chair = (
        (prop::sample::select(SeatHeight::ALL), b(), b()),
        (prop::sample::select(SeatDepth::ALL), b()),
        (prop::sample::select(Armrests::ALL), b(), b(), b()),
        (prop::sample::select(BackSupport::ALL), b(), b()),
        duration(),
    )
        .prop_map(|(sh, sd, ar, bs, (h, m))| ChairInput {
            seat_height: sh.0,
            seat_height_flags: SeatHeightFlags {
                insufficient_leg_room: sh.1,
                not_adjustable: sh.2,
            },
            seat_depth: sd.0,
            seat_depth_flags: SeatDepthFlags {
                not_adjustable: sd.1,
            },
            armrests: ar.0,
            armrest_flags: ArmrestFlags {
                too_wide: ar.1,
                hard_surface: ar.2,
                not_adjustable: ar.3,
            },
            back_support: bs.0,
            back_support_flags: BackSupportFlags {
                work_surface_too_high: bs.1,
                not_adjustable: bs.2,
            },
            hours_per_day: h,
            longest_stretch_minutes: m,
        });
    let monitor = (
        prop::sample::select(MonitorPosition::ALL),
        (b(), b(), b(), b()),
        duration(),
    )
        .prop_map(|(position, f, (h, m))| MonitorInput {
            position,
            flags: MonitorFlags {
                too_far: f.0,
                neck_twist_over_30: f.1,
                glare: f.2,
                no_document_holder: f.3,
            },
            hours_per_day: h,
            longest_stretch_minutes: m,
        });
    let telephone = (
        prop::sample::select(TelephonePosition::ALL),
        (b(), b()),
        duration(),
    )
        .prop_map(|(position, f, (h, m))| TelephoneInput {
            position,
            flags: TelephoneFlags {
                neck_shoulder_hold: f.0,
                no_hands_free: f.1,
            },
            hours_per_day: h,
            longest_stretch_minutes: m,
        });
    let mouse = (
        prop::sample::select(MousePosition::ALL),
        (b(), b(), b()),
        duration(),
    )
        .prop_map(|(position, f, (h, m))| MouseInput {
            position,
            flags: MouseFlags {
                different_surface: f.0,
                pinch_grip: f.1,
                palm_rest_in_front: f.2,
            },
            hours_per_day: h,
            longest_stretch_minutes: m,
        });
    let keyboard = (
        prop::sample::select(KeyboardPosition::ALL),
        (b(), b(), b(), b()),
        duration(),
    )
        .prop_map(|(position, f, (h, m))| KeyboardInput {
            position,
            flags: KeyboardFlags {
                wrists_deviated: f.0,
                too_high: f.1,
                overhead_reach: f.2,
                not_adjustable: f.3,
            },
            hours_per_day: h,
            longest_stretch_minutes: m,
        });
    (chair, monitor, telephone, mouse, keyboard).prop_map(
        |(chair, monitor, telephone, mouse, keyboard)| RosaInput {
            chair,
            monitor,
            telephone,
            mouse,
            keyboard,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn rula_scores_are_in_range(input in rula_input()) {
        let r = rula::score(&input);
        prop_assert!((1..=7).contains(&r.score));
        prop_assert_eq!(r.action_level, action_level(r.score));
        prop_assert!((1..=4).contains(&r.action_level));
        let p = r.parts;
        prop_assert!((1..=6).contains(&p.upper_arm) && (1..=3).contains(&p.lower_arm));
        prop_assert!((1..=4).contains(&p.wrist) && (1..=2).contains(&p.wrist_twist));
        prop_assert!((1..=6).contains(&p.neck) && (1..=6).contains(&p.trunk));
        prop_assert!((1..=2).contains(&p.legs));
        prop_assert!((1..=9).contains(&r.table_a) && (1..=9).contains(&r.table_b));
        let a = r.adjustments;
        prop_assert_eq!(r.score_c, r.table_a + a.arm_muscle_use + a.arm_load);
        prop_assert_eq!(r.score_d, r.table_b + a.neck_trunk_muscle_use + a.neck_trunk_load);
        prop_assert_eq!(r.indicates_poor_workstation(), r.score >= 5);
    }

    #[test]
    fn rula_advice_never_raises_the_score(input in rula_input()) {
        let r = rula::score(&input);
        prop_assert!(r.improvements.len() <= 3);
        let texts: Vec<String> = r.improvements.iter().map(|i| i.text.clone()).collect();
        prop_assert_eq!(&r.advice, &texts);
        for imp in &r.improvements {
            let problem = RulaProblem::ALL.iter().find(|p| p.id() == imp.problem).unwrap();
            prop_assert!(problem.is_present(&input));
            let mut fixed = input.clone();
            problem.apply(&mut fixed);
            let after = rula::score(&fixed);
            prop_assert_eq!(after.score, imp.score_after);
            prop_assert!(after.score <= r.score);
            prop_assert!(!problem.is_present(&fixed), "{:?} still present after fixing", problem);
        }
        // Stronger: fixing any present problem never raises the score.
        for problem in RulaProblem::ALL.iter().filter(|p| p.is_present(&input)) {
            let mut fixed = input.clone();
            problem.apply(&mut fixed);
            prop_assert!(rula::score(&fixed).score <= r.score, "{:?}", problem);
        }
    }

    #[test]
    fn rula_json_round_trip_scores_the_same(input in rula_input()) {
        let json = serde_json::to_string(&input).unwrap();
        let parsed = parse_rula(&json).unwrap();
        prop_assert_eq!(rula::score(&parsed).score, rula::score(&input).score);
    }

    #[test]
    fn rosa_scores_are_in_range(input in rosa_input()) {
        let r = rosa::score(&input);
        prop_assert!((1..=10).contains(&r.score));
        prop_assert!((1..=10).contains(&r.chair));
        prop_assert!((1..=9).contains(&r.monitor_telephone));
        prop_assert!((1..=9).contains(&r.mouse_keyboard));
        prop_assert_eq!(r.peripherals, r.monitor_telephone.max(r.mouse_keyboard));
        prop_assert_eq!(r.score, r.chair.max(r.peripherals));
        prop_assert_eq!(r.action_needed, r.score >= 5);
        prop_assert_eq!(r.indicates_poor_workstation(), r.score >= 5);
    }

    #[test]
    fn rosa_advice_never_raises_the_score(input in rosa_input()) {
        let r = rosa::score(&input);
        prop_assert!(r.improvements.len() <= 3);
        let texts: Vec<String> = r.improvements.iter().map(|i| i.text.clone()).collect();
        prop_assert_eq!(&r.advice, &texts);
        for imp in &r.improvements {
            let problem = RosaProblem::ALL.iter().find(|p| p.id() == imp.problem).unwrap();
            prop_assert!(problem.is_present(&input));
            let mut fixed = input.clone();
            problem.apply(&mut fixed);
            let after = rosa::score(&fixed);
            prop_assert_eq!(after.score, imp.score_after);
            prop_assert!(after.score <= r.score);
            prop_assert!(!problem.is_present(&fixed), "{:?} still present after fixing", problem);
        }
        for problem in RosaProblem::ALL.iter().filter(|p| p.is_present(&input)) {
            let mut fixed = input.clone();
            problem.apply(&mut fixed);
            prop_assert!(rosa::score(&fixed).score <= r.score, "{:?}", problem);
        }
    }

    #[test]
    fn rosa_json_round_trip_scores_the_same(input in rosa_input()) {
        let json = serde_json::to_string(&input).unwrap();
        let parsed = parse_rosa(&json).unwrap();
        prop_assert_eq!(rosa::score(&parsed).score, rosa::score(&input).score);
    }

    /// Parsing arbitrary text never panics.
    #[test]
    fn parsing_arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = parse_rula(&text);
        let _ = parse_rosa(&text);
    }
}
