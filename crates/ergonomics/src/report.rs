//! Plain-text reports for people (no colour codes, so they read the same in a terminal, a log or
//! an e-mail).

use std::fmt::Write as _;

use crate::advice::Improvement;
use crate::rosa::RosaResult;
use crate::rula::{action_level_text, RulaResult};

/// Append the "changes that would lower it most" block. `section` maps an improvement's
/// `section` field to a label and the section's current score.
fn changes(
    out: &mut String,
    score: u8,
    improvements: &[Improvement],
    section: impl Fn(&str) -> (&'static str, u8),
) {
    out.push_str("\nChanges that would lower the score most\n");
    if improvements.is_empty() {
        out.push_str("  Nothing to change: no single change would lower any part of this score.\n");
        return;
    }
    for (n, i) in improvements.iter().enumerate() {
        let (label, before) = section(&i.section);
        let effect = if i.score_after < score {
            format!("score {score} -> {}", i.score_after)
        } else if i.section_score_after < before {
            // Fallback advice: lowers a section, not yet the final score.
            format!(
                "{label} {before} -> {}; overall score stays {score}",
                i.section_score_after
            )
        } else {
            format!("eases one part; overall score stays {score}")
        };
        // Writing to a String cannot fail.
        let _ = writeln!(out, "  {}. {} ({effect})", n + 1, i.text);
    }
}

fn row(out: &mut String, label: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "  {label:<28}{value}");
}

/// A readable plain-text RULA report: score, action level in words, each part's score and the
/// changes that would lower the score most.
pub fn render_rula_report(r: &RulaResult) -> String {
    let mut out = String::new();
    out.push_str("RULA posture assessment (neck, trunk and upper limbs)\n");
    let _ = writeln!(out, "Score: {} out of 7", r.score);
    let _ = writeln!(
        out,
        "Action level {} of 4: {}.",
        r.action_level,
        action_level_text(r.action_level)
    );
    if r.indicates_poor_workstation() {
        out.push_str("This counts as a poor workstation (score 5 or more).\n");
    }
    out.push_str("\nPart scores\n");
    let p = &r.parts;
    row(&mut out, "Upper arm (1-6)", p.upper_arm);
    row(&mut out, "Lower arm (1-3)", p.lower_arm);
    row(&mut out, "Wrist (1-4)", p.wrist);
    row(&mut out, "Wrist twist (1-2)", p.wrist_twist);
    row(&mut out, "Neck (1-6)", p.neck);
    row(&mut out, "Trunk (1-6)", p.trunk);
    row(&mut out, "Legs (1-2)", p.legs);
    let a = &r.adjustments;
    out.push('\n');
    let _ = writeln!(
        out,
        "Arm and wrist: Table A {} + muscle use {} + load {} = Score C {}",
        r.table_a, a.arm_muscle_use, a.arm_load, r.score_c
    );
    let _ = writeln!(
        out,
        "Neck, trunk and legs: Table B {} + muscle use {} + load {} = Score D {}",
        r.table_b, a.neck_trunk_muscle_use, a.neck_trunk_load, r.score_d
    );
    changes(&mut out, r.score, &r.improvements, |name| match name {
        "score_c" => ("arm and wrist score (C)", r.score_c),
        _ => ("neck, trunk and legs score (D)", r.score_d),
    });
    out
}

/// A readable plain-text ROSA report: score, whether action is needed in words, each section's
/// and part's score and the changes that would lower the score most.
pub fn render_rosa_report(r: &RosaResult) -> String {
    let mut out = String::new();
    out.push_str("ROSA office workstation assessment\n");
    let _ = writeln!(out, "Score: {} out of 10", r.score);
    if r.action_needed {
        out.push_str("Action needed: this workstation needs changing now (score 5 or more).\n");
    } else {
        out.push_str("No urgent action needed (score below 5); keep an eye on it.\n");
    }
    out.push_str("\nSection scores\n");
    row(&mut out, "Chair", r.chair);
    row(&mut out, "Monitor and telephone", r.monitor_telephone);
    row(&mut out, "Mouse and keyboard", r.mouse_keyboard);
    row(&mut out, "Peripherals (higher of two)", r.peripherals);
    out.push_str("\nPart scores (before time of use)\n");
    let p = &r.parts;
    row(&mut out, "Seat height", p.seat_height);
    row(&mut out, "Seat depth", p.seat_depth);
    row(&mut out, "Armrests", p.armrests);
    row(&mut out, "Back support", p.back_support);
    row(&mut out, "Monitor", p.monitor);
    row(&mut out, "Telephone", p.telephone);
    row(&mut out, "Mouse", p.mouse);
    row(&mut out, "Keyboard", p.keyboard);
    out.push_str("\nTime of use (-1 short, 0 moderate, +1 long)\n");
    let d = &r.durations;
    for (label, v) in [
        ("Chair", d.chair),
        ("Monitor", d.monitor),
        ("Telephone", d.telephone),
        ("Mouse", d.mouse),
        ("Keyboard", d.keyboard),
    ] {
        row(&mut out, label, format!("{v:+}"));
    }
    changes(&mut out, r.score, &r.improvements, |name| match name {
        "chair" => ("chair score", r.chair),
        "monitor_telephone" => ("monitor and telephone score", r.monitor_telephone),
        _ => ("mouse and keyboard score", r.mouse_keyboard),
    });
    out
}
