//! RULA, Rapid Upper Limb Assessment (McAtamney & Corlett 1993): posture of the neck, trunk and
//! upper limbs, scored 1–7.
//!
//! Angles are in degrees, flexion positive and extension negative. Every band follows the
//! contract's boundary convention: **a value exactly on a boundary takes the lower band** (20° of
//! upper-arm flexion scores 1, 45° scores 2, 90° scores 3).

use serde::{Deserialize, Serialize};

use crate::advice::{self, problems, Improvement};
use crate::input::{angle, boolean, kilograms, named_values};
use crate::tables;

named_values! {
    /// How far the wrist is twisted (pronation/supination).
    pub enum WristTwist ("twist") {
        /// Mainly in the mid-range of twist: scores 1.
        MidRange = "mid_range",
        /// At or near the end of the range of twist: scores 2.
        EndOfRange = "end_of_range",
    }
}

named_values! {
    /// How a load or force is applied.
    pub enum LoadPattern ("pattern") {
        /// Applied now and then.
        Intermittent = "intermittent",
        /// Held (static) or repeated.
        StaticOrRepeated = "static_or_repeated",
        /// Shock or rapid build-up of force: always scores 3.
        Shock = "shock",
    }
}

/// RULA input, as in the JSON contract. Every field is required; unknown fields are rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RulaInput {
    /// Upper-arm posture.
    pub upper_arm: UpperArm,
    /// Lower-arm (elbow) posture.
    pub lower_arm: LowerArm,
    /// Wrist posture and twist.
    pub wrist: Wrist,
    /// Arm posture mainly static (held > 1 minute) or repeated > 4 times a minute.
    #[serde(deserialize_with = "boolean")]
    pub arm_static_or_repeated: bool,
    /// Load or force handled by the arm.
    pub arm_load: Load,
    /// Neck posture.
    pub neck: Neck,
    /// Trunk posture.
    pub trunk: Trunk,
    /// Legs and feet supported and weight evenly balanced.
    #[serde(deserialize_with = "boolean")]
    pub legs_supported: bool,
    /// Neck/trunk/leg posture mainly static or repeated > 4 times a minute.
    #[serde(deserialize_with = "boolean")]
    pub neck_trunk_static_or_repeated: bool,
    /// Load or force borne by the neck and trunk.
    pub neck_trunk_load: Load,
}

/// Upper-arm posture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpperArm {
    /// Flexion in degrees (extension negative), −180..=180.
    #[serde(deserialize_with = "angle")]
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180))]
    pub flexion_deg: f64,
    /// Shoulder raised (+1).
    #[serde(deserialize_with = "boolean")]
    pub shoulder_raised: bool,
    /// Upper arm abducted (+1).
    #[serde(deserialize_with = "boolean")]
    pub abducted: bool,
    /// Arm supported or person leaning (−1, never below 1).
    #[serde(deserialize_with = "boolean")]
    pub supported: bool,
}

/// Lower-arm posture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LowerArm {
    /// Elbow flexion in degrees, −180..=180.
    #[serde(deserialize_with = "angle")]
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180))]
    pub flexion_deg: f64,
    /// Working across the midline of the body or out to the side (+1).
    #[serde(deserialize_with = "boolean")]
    pub across_midline_or_out_to_side: bool,
}

/// Wrist posture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Wrist {
    /// Flexion in degrees (extension negative), −180..=180.
    #[serde(deserialize_with = "angle")]
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180))]
    pub flexion_deg: f64,
    /// Bent away from the midline (radial/ulnar deviation, +1).
    #[serde(deserialize_with = "boolean")]
    pub bent_from_midline: bool,
    /// Wrist twist.
    pub twist: WristTwist,
}

/// Load or force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Load {
    /// Kilograms, ≥ 0.
    #[serde(deserialize_with = "kilograms")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub kg: f64,
    /// How the load is applied.
    pub pattern: LoadPattern,
}

/// Neck posture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Neck {
    /// Flexion in degrees (extension negative), −180..=180.
    #[serde(deserialize_with = "angle")]
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180))]
    pub flexion_deg: f64,
    /// Neck twisted (+1).
    #[serde(deserialize_with = "boolean")]
    pub twisted: bool,
    /// Neck side-bent (+1).
    #[serde(deserialize_with = "boolean")]
    pub side_bent: bool,
}

/// Trunk posture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Trunk {
    /// Flexion in degrees (extension negative), −180..=180.
    #[serde(deserialize_with = "angle")]
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180))]
    pub flexion_deg: f64,
    /// Seated and well supported: scores 1 whatever small angle is given.
    #[serde(deserialize_with = "boolean")]
    pub well_supported: bool,
    /// Trunk twisted (+1).
    #[serde(deserialize_with = "boolean")]
    pub twisted: bool,
    /// Trunk side-bent (+1).
    #[serde(deserialize_with = "boolean")]
    pub side_bent: bool,
}

/// The seven body-part scores that feed Tables A and B (after their adjustments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulaParts {
    /// Upper arm, 1–6.
    pub upper_arm: u8,
    /// Lower arm, 1–3.
    pub lower_arm: u8,
    /// Wrist, 1–4.
    pub wrist: u8,
    /// Wrist twist, 1–2.
    pub wrist_twist: u8,
    /// Neck, 1–6.
    pub neck: u8,
    /// Trunk, 1–6.
    pub trunk: u8,
    /// Legs, 1–2.
    pub legs: u8,
}

/// Muscle-use and force/load additions to Score C (arm) and Score D (neck/trunk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulaAdjustments {
    /// Arm muscle use, 0–1.
    pub arm_muscle_use: u8,
    /// Arm force/load, 0–3.
    pub arm_load: u8,
    /// Neck/trunk muscle use, 0–1.
    pub neck_trunk_muscle_use: u8,
    /// Neck/trunk force/load, 0–3.
    pub neck_trunk_load: u8,
}

/// RULA result. Its JSON is the contract's output, plus `improvements` and `adjustments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulaResult {
    /// Always `"RULA"`.
    pub method: String,
    /// Grand score, 1–7.
    pub score: u8,
    /// Action level 1–4 (1: acceptable; 2: investigate further; 3: investigate and change soon;
    /// 4: investigate and change immediately).
    pub action_level: u8,
    /// Body-part scores.
    pub parts: RulaParts,
    /// Table A (arm and wrist posture).
    pub table_a: u8,
    /// Table B (neck, trunk and legs).
    pub table_b: u8,
    /// Score C = Table A + arm muscle use + arm load (not capped; Table C caps it at 8).
    pub score_c: u8,
    /// Score D = Table B + neck/trunk muscle use + load (not capped; Table C caps it at 7).
    pub score_d: u8,
    /// The sentences of `improvements`, in the same order.
    pub advice: Vec<String>,
    /// The changes that would lower the score most, best first.
    pub improvements: Vec<Improvement>,
    /// Muscle-use and load additions.
    pub adjustments: RulaAdjustments,
}

impl RulaResult {
    /// Whether this score counts as a poor workstation (grand score ≥ 5).
    pub fn indicates_poor_workstation(&self) -> bool {
        crate::poor_workstation(self.score)
    }
}

// ---- Bands. Each follows the contract; a value exactly on a boundary takes the lower band. ----

/// Upper-arm base score: −20 ≤ f ≤ 20 → 1; f < −20 or 20 < f ≤ 45 → 2; 45 < f ≤ 90 → 3;
/// f > 90 → 4.
pub fn upper_arm_band(flexion_deg: f64) -> u8 {
    if (-20.0..=20.0).contains(&flexion_deg) {
        1
    } else if flexion_deg < -20.0 || flexion_deg <= 45.0 {
        2
    } else if flexion_deg <= 90.0 {
        3
    } else {
        4
    }
}

/// Upper-arm score: band, +1 shoulder raised, +1 abducted, −1 supported, never below 1.
pub fn upper_arm_score(a: &UpperArm) -> u8 {
    let s = i32::from(upper_arm_band(a.flexion_deg))
        + i32::from(a.shoulder_raised)
        + i32::from(a.abducted)
        - i32::from(a.supported);
    s.max(1) as u8
}

/// Lower-arm base score: 60 ≤ f ≤ 100 → 1, otherwise 2.
pub fn lower_arm_band(flexion_deg: f64) -> u8 {
    if (60.0..=100.0).contains(&flexion_deg) {
        1
    } else {
        2
    }
}

/// Lower-arm score: band, +1 across the midline or out to the side.
pub fn lower_arm_score(a: &LowerArm) -> u8 {
    lower_arm_band(a.flexion_deg) + u8::from(a.across_midline_or_out_to_side)
}

/// Wrist base score: f = 0 → 1; 0 < |f| ≤ 15 → 2; |f| > 15 → 3.
pub fn wrist_band(flexion_deg: f64) -> u8 {
    let f = flexion_deg.abs();
    if f == 0.0 {
        1
    } else if f <= 15.0 {
        2
    } else {
        3
    }
}

/// Wrist score: band, +1 bent from the midline.
pub fn wrist_score(w: &Wrist) -> u8 {
    wrist_band(w.flexion_deg) + u8::from(w.bent_from_midline)
}

/// Wrist-twist score: mid_range 1, end_of_range 2.
pub fn wrist_twist_score(t: WristTwist) -> u8 {
    match t {
        WristTwist::MidRange => 1,
        WristTwist::EndOfRange => 2,
    }
}

/// Neck base score: 0 ≤ f ≤ 10 → 1; 10 < f ≤ 20 → 2; f > 20 → 3; f < 0 (extension) → 4.
pub fn neck_band(flexion_deg: f64) -> u8 {
    if flexion_deg < 0.0 {
        4
    } else if flexion_deg <= 10.0 {
        1
    } else if flexion_deg <= 20.0 {
        2
    } else {
        3
    }
}

/// Neck score: band, +1 twisted, +1 side-bent.
pub fn neck_score(n: &Neck) -> u8 {
    neck_band(n.flexion_deg) + u8::from(n.twisted) + u8::from(n.side_bent)
}

/// Trunk base score: well supported or f = 0 → 1; 0 < f ≤ 20 or f < 0 → 2; 20 < f ≤ 60 → 3;
/// f > 60 → 4.
pub fn trunk_band(flexion_deg: f64, well_supported: bool) -> u8 {
    if well_supported || flexion_deg == 0.0 {
        1
    } else if flexion_deg < 0.0 || flexion_deg <= 20.0 {
        2
    } else if flexion_deg <= 60.0 {
        3
    } else {
        4
    }
}

/// Trunk score: band, +1 twisted, +1 side-bent.
pub fn trunk_score(t: &Trunk) -> u8 {
    trunk_band(t.flexion_deg, t.well_supported) + u8::from(t.twisted) + u8::from(t.side_bent)
}

/// Legs score: supported and balanced 1, otherwise 2.
pub fn legs_score(supported: bool) -> u8 {
    if supported {
        1
    } else {
        2
    }
}

/// Force/load score: shock → 3; kg < 2 → 0; 2 ≤ kg ≤ 10 → 1 (intermittent) or 2 (static or
/// repeated); kg > 10 → 2 (intermittent) or 3 (static or repeated).
pub fn load_score(l: &Load) -> u8 {
    let repeated = u8::from(l.pattern == LoadPattern::StaticOrRepeated);
    if l.pattern == LoadPattern::Shock {
        3
    } else if l.kg < 2.0 {
        0
    } else if l.kg <= 10.0 {
        1 + repeated
    } else {
        2 + repeated
    }
}

/// Action level from the grand score: 1–2 → 1, 3–4 → 2, 5–6 → 3, 7 → 4.
pub fn action_level(score: u8) -> u8 {
    match score {
        0..=2 => 1,
        3..=4 => 2,
        5..=6 => 3,
        _ => 4,
    }
}

/// The action level in plain words.
pub fn action_level_text(level: u8) -> &'static str {
    match level {
        1 => "acceptable posture",
        2 => "investigate further",
        3 => "investigate further and change soon",
        _ => "investigate and change immediately",
    }
}

/// Score an input, without advice (used for re-scoring).
fn compute(input: &RulaInput) -> RulaResult {
    let parts = RulaParts {
        upper_arm: upper_arm_score(&input.upper_arm),
        lower_arm: lower_arm_score(&input.lower_arm),
        wrist: wrist_score(&input.wrist),
        wrist_twist: wrist_twist_score(input.wrist.twist),
        neck: neck_score(&input.neck),
        trunk: trunk_score(&input.trunk),
        legs: legs_score(input.legs_supported),
    };
    let adjustments = RulaAdjustments {
        arm_muscle_use: u8::from(input.arm_static_or_repeated),
        arm_load: load_score(&input.arm_load),
        neck_trunk_muscle_use: u8::from(input.neck_trunk_static_or_repeated),
        neck_trunk_load: load_score(&input.neck_trunk_load),
    };
    let table_a = tables::rula_a(
        parts.upper_arm,
        parts.lower_arm,
        parts.wrist,
        parts.wrist_twist,
    );
    let table_b = tables::rula_b(parts.neck, parts.trunk, parts.legs);
    let score_c = table_a + adjustments.arm_muscle_use + adjustments.arm_load;
    let score_d = table_b + adjustments.neck_trunk_muscle_use + adjustments.neck_trunk_load;
    // `rula_c` applies min(C, 8) and min(D, 7).
    let score = tables::rula_c(score_c, score_d);
    RulaResult {
        method: "RULA".to_owned(),
        score,
        action_level: action_level(score),
        parts,
        table_a,
        table_b,
        score_c,
        score_d,
        advice: Vec::new(),
        improvements: Vec::new(),
        adjustments,
    }
}

/// Score a RULA input: grand score, action level, part scores and re-scored advice.
pub fn score(input: &RulaInput) -> RulaResult {
    let mut result = compute(input);
    result.improvements = advice::improvements::<RulaProblem>(input, &result);
    result.advice = result.improvements.iter().map(|i| i.text.clone()).collect();
    result
}

problems! {
    /// A fixable problem in a RULA input. Declaration order breaks ties in the advice ranking.
    pub enum RulaProblem {
        UpperArmAngle = "upper_arm_angle" =>
            "Bring your work closer so your upper arms hang within about 20° of your sides.",
        ShoulderRaised = "shoulder_raised" =>
            "Let your shoulders drop and relax; lower the work surface if it makes you shrug.",
        UpperArmAbducted = "upper_arm_abducted" =>
            "Keep your elbows close to your body instead of holding your arms out to the side.",
        ArmUnsupported = "arm_unsupported" =>
            "Rest your forearms on the desk or on armrests so your arms are supported.",
        LowerArmAngle = "lower_arm_angle" =>
            "Set your work height so your elbows are bent at about a right angle (60–100°).",
        LowerArmReach = "lower_arm_reach" =>
            "Keep your work in front of you so your hands neither cross your body nor reach out to the side.",
        WristAngle = "wrist_angle" =>
            "Keep your wrists straight, in line with your forearms, not bent up or down.",
        WristDeviated = "wrist_deviated" =>
            "Keep your hands in line with your forearms instead of bending them sideways.",
        WristTwisted = "wrist_twist" =>
            "Avoid turning your wrist to the end of its range; keep it near the middle.",
        ArmStatic = "arm_static_or_repeated" =>
            "Break up long holds and rapid repeated movements of your arms: pause and change position at least every minute.",
        ArmLoad = "arm_load" =>
            "Lighten what your arms handle to under 2 kg without jolts, or use a tool or trolley.",
        NeckAngle = "neck_angle" =>
            "Place your screen or work so you look slightly down, bending your neck no more than about 10° and never tipping your head back.",
        NeckTwisted = "neck_twisted" =>
            "Face your screen or work straight on so you do not twist your neck.",
        NeckSideBent = "neck_side_bent" =>
            "Keep your head level instead of tilting it to one side.",
        TrunkPosture = "trunk_posture" =>
            "Sit back against your backrest, or stand upright, instead of leaning forward.",
        TrunkTwisted = "trunk_twisted" =>
            "Turn your chair or your whole body to face your work instead of twisting your trunk.",
        TrunkSideBent = "trunk_side_bent" =>
            "Keep your trunk upright rather than leaning to one side.",
        LegsUnsupported = "legs_unsupported" =>
            "Put both feet flat on the floor or a footrest with your weight evenly balanced.",
        NeckTrunkStatic = "neck_trunk_static_or_repeated" =>
            "Change your head and body position at least every minute rather than holding one posture.",
        NeckTrunkLoad = "neck_trunk_load" =>
            "Lighten what your back and neck carry to under 2 kg without jolts, or get help or a lifting aid.",
    }
}

impl RulaProblem {
    /// Whether the problem is present in `input`.
    pub fn is_present(self, input: &RulaInput) -> bool {
        use RulaProblem::*;
        let i = input;
        match self {
            UpperArmAngle => upper_arm_band(i.upper_arm.flexion_deg) > 1,
            ShoulderRaised => i.upper_arm.shoulder_raised,
            UpperArmAbducted => i.upper_arm.abducted,
            ArmUnsupported => !i.upper_arm.supported,
            LowerArmAngle => lower_arm_band(i.lower_arm.flexion_deg) > 1,
            LowerArmReach => i.lower_arm.across_midline_or_out_to_side,
            WristAngle => wrist_band(i.wrist.flexion_deg) > 1,
            WristDeviated => i.wrist.bent_from_midline,
            WristTwisted => i.wrist.twist == WristTwist::EndOfRange,
            ArmStatic => i.arm_static_or_repeated,
            ArmLoad => load_score(&i.arm_load) > 0,
            NeckAngle => neck_band(i.neck.flexion_deg) > 1,
            NeckTwisted => i.neck.twisted,
            NeckSideBent => i.neck.side_bent,
            TrunkPosture => trunk_band(i.trunk.flexion_deg, i.trunk.well_supported) > 1,
            TrunkTwisted => i.trunk.twisted,
            TrunkSideBent => i.trunk.side_bent,
            LegsUnsupported => !i.legs_supported,
            NeckTrunkStatic => i.neck_trunk_static_or_repeated,
            NeckTrunkLoad => load_score(&i.neck_trunk_load) > 0,
        }
    }

    /// Fix only this problem in `input`, with the smallest change that brings it to neutral
    /// (angles are moved to the nearest edge of the neutral band).
    pub fn apply(self, input: &mut RulaInput) {
        use RulaProblem::*;
        let i = input;
        let no_load = Load {
            kg: 0.0,
            pattern: LoadPattern::Intermittent,
        };
        match self {
            UpperArmAngle => i.upper_arm.flexion_deg = i.upper_arm.flexion_deg.clamp(-20.0, 20.0),
            ShoulderRaised => i.upper_arm.shoulder_raised = false,
            UpperArmAbducted => i.upper_arm.abducted = false,
            ArmUnsupported => i.upper_arm.supported = true,
            LowerArmAngle => i.lower_arm.flexion_deg = i.lower_arm.flexion_deg.clamp(60.0, 100.0),
            LowerArmReach => i.lower_arm.across_midline_or_out_to_side = false,
            WristAngle => i.wrist.flexion_deg = 0.0,
            WristDeviated => i.wrist.bent_from_midline = false,
            WristTwisted => i.wrist.twist = WristTwist::MidRange,
            ArmStatic => i.arm_static_or_repeated = false,
            ArmLoad => i.arm_load = no_load,
            NeckAngle => i.neck.flexion_deg = i.neck.flexion_deg.clamp(0.0, 10.0),
            NeckTwisted => i.neck.twisted = false,
            NeckSideBent => i.neck.side_bent = false,
            TrunkPosture => i.trunk.flexion_deg = 0.0,
            TrunkTwisted => i.trunk.twisted = false,
            TrunkSideBent => i.trunk.side_bent = false,
            LegsUnsupported => i.legs_supported = true,
            NeckTrunkStatic => i.neck_trunk_static_or_repeated = false,
            NeckTrunkLoad => i.neck_trunk_load = no_load,
        }
    }
}

impl advice::Fixable for RulaProblem {
    type Input = RulaInput;
    type Output = RulaResult;
    const ALL: &'static [Self] = RulaProblem::ALL;

    fn is_present(self, input: &RulaInput) -> bool {
        RulaProblem::is_present(self, input)
    }
    fn apply(self, input: &mut RulaInput) {
        RulaProblem::apply(self, input)
    }
    fn id(self) -> &'static str {
        RulaProblem::id(self)
    }
    fn text(self) -> &'static str {
        RulaProblem::text(self)
    }
    fn compute(input: &RulaInput) -> RulaResult {
        compute(input)
    }
    fn final_score(out: &RulaResult) -> u8 {
        out.score
    }
    /// Arm problems act on Score C, neck/trunk/leg problems on Score D.
    fn section_and_part(self, r: &RulaResult) -> (&'static str, u8, i32) {
        use RulaProblem::*;
        let (p, a) = (&r.parts, &r.adjustments);
        let arm = |part: u8| ("score_c", r.score_c, i32::from(part));
        let neck_trunk = |part: u8| ("score_d", r.score_d, i32::from(part));
        match self {
            UpperArmAngle | ShoulderRaised | UpperArmAbducted | ArmUnsupported => arm(p.upper_arm),
            LowerArmAngle | LowerArmReach => arm(p.lower_arm),
            WristAngle | WristDeviated => arm(p.wrist),
            WristTwisted => arm(p.wrist_twist),
            ArmStatic => arm(a.arm_muscle_use),
            ArmLoad => arm(a.arm_load),
            NeckAngle | NeckTwisted | NeckSideBent => neck_trunk(p.neck),
            TrunkPosture | TrunkTwisted | TrunkSideBent => neck_trunk(p.trunk),
            LegsUnsupported => neck_trunk(p.legs),
            NeckTrunkStatic => neck_trunk(a.neck_trunk_muscle_use),
            NeckTrunkLoad => neck_trunk(a.neck_trunk_load),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_arm_bands_both_sides_of_each_boundary() {
        let cases = [
            (-180.0, 2),
            (-20.5, 2),
            (-20.0, 1),
            (-19.5, 1),
            (0.0, 1),
            (20.0, 1),
            (20.5, 2),
            (45.0, 2),
            (45.5, 3),
            (90.0, 3),
            (90.5, 4),
            (180.0, 4),
        ];
        for (f, want) in cases {
            assert_eq!(upper_arm_band(f), want, "upper arm {f}");
        }
    }

    #[test]
    fn upper_arm_adjustments_and_floor() {
        let mut a = UpperArm {
            flexion_deg: 0.0,
            shoulder_raised: false,
            abducted: false,
            supported: true,
        };
        assert_eq!(upper_arm_score(&a), 1, "supported never goes below 1");
        a.flexion_deg = 100.0;
        assert_eq!(upper_arm_score(&a), 3);
        a.supported = false;
        a.shoulder_raised = true;
        a.abducted = true;
        assert_eq!(upper_arm_score(&a), 6);
    }

    #[test]
    fn lower_arm_bands() {
        for (f, want) in [
            (59.5, 2),
            (60.0, 1),
            (60.5, 1),
            (99.5, 1),
            (100.0, 1),
            (100.5, 2),
            (0.0, 2),
        ] {
            assert_eq!(lower_arm_band(f), want, "lower arm {f}");
        }
    }

    #[test]
    fn wrist_bands() {
        for (f, want) in [
            (0.0, 1),
            (0.5, 2),
            (-0.5, 2),
            (15.0, 2),
            (-15.0, 2),
            (15.5, 3),
            (-15.5, 3),
        ] {
            assert_eq!(wrist_band(f), want, "wrist {f}");
        }
    }

    #[test]
    fn neck_bands() {
        for (f, want) in [
            (-0.5, 4),
            (0.0, 1),
            (0.5, 1),
            (10.0, 1),
            (10.5, 2),
            (20.0, 2),
            (20.5, 3),
        ] {
            assert_eq!(neck_band(f), want, "neck {f}");
        }
    }

    #[test]
    fn trunk_bands() {
        for (f, want) in [
            (-0.5, 2),
            (0.0, 1),
            (0.5, 2),
            (20.0, 2),
            (20.5, 3),
            (60.0, 3),
            (60.5, 4),
        ] {
            assert_eq!(trunk_band(f, false), want, "trunk {f}");
            assert_eq!(trunk_band(f, true), 1, "supported trunk {f}");
        }
    }

    #[test]
    fn load_bands() {
        use LoadPattern::*;
        for (kg, pattern, want) in [
            (0.0, Intermittent, 0),
            (1.9, StaticOrRepeated, 0),
            (2.0, Intermittent, 1),
            (2.0, StaticOrRepeated, 2),
            (10.0, Intermittent, 1),
            (10.0, StaticOrRepeated, 2),
            (10.1, Intermittent, 2),
            (10.1, StaticOrRepeated, 3),
            (0.0, Shock, 3),
        ] {
            assert_eq!(
                load_score(&Load { kg, pattern }),
                want,
                "{kg} kg {pattern:?}"
            );
        }
    }

    #[test]
    fn action_levels() {
        let want = [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4)];
        for (s, l) in want {
            assert_eq!(action_level(s), l);
        }
    }

    #[test]
    fn every_problem_has_a_distinct_id_and_sentence() {
        let mut ids: Vec<_> = RulaProblem::ALL.iter().map(|p| p.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RulaProblem::ALL.len());
        for p in RulaProblem::ALL {
            assert!(p.text().ends_with('.'), "{p:?}");
        }
    }
}
