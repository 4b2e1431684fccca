//! ROSA, Rapid Office Strain Assessment (Sonne, Villalta & Andrews 2012): office workstation,
//! scored 1–10.
//!
//! Each part gets a base score from its position plus 1 per problem flag, each section gets a
//! duration term, and three lookup tables combine them. Every table axis is clamped to the
//! table's range, as the contract requires.

use serde::{Deserialize, Serialize};

use crate::advice::{self, problems, Improvement};
use crate::input::{boolean, hours_per_day, minutes, named_values};
use crate::tables;

named_values! {
    /// Seat height.
    pub enum SeatHeight ("position") {
        /// Knees at about 90°, feet flat: 1.
        Ok = "ok",
        /// Too low or too high: 2.
        TooLowOrHigh = "too_low_or_high",
        /// Feet do not reach the floor: 3.
        FeetNotTouching = "feet_not_touching",
    }
}

named_values! {
    /// Seat-pan depth.
    pub enum SeatDepth ("position") {
        /// About 7.5 cm (3 in) between seat edge and the back of the knee: 1.
        Ok = "ok",
        /// Too long or too short: 2.
        TooLongOrShort = "too_long_or_short",
    }
}

named_values! {
    /// Armrests.
    pub enum Armrests ("position") {
        /// Elbows supported in line with shoulders, shoulders relaxed: 1.
        Ok = "ok",
        /// Too high or too low: 2.
        TooHighOrLow = "too_high_or_low",
    }
}

named_values! {
    /// Back support.
    pub enum BackSupport ("position") {
        /// Lumbar support, reclined 95–110°: 1.
        Ok = "ok",
        /// No lumbar support, or reclined too little or too far: 2.
        NoLumbarOrWrongAngle = "no_lumbar_or_wrong_angle",
    }
}

named_values! {
    /// Monitor position.
    pub enum MonitorPosition ("position") {
        /// An arm's length away (40–75 cm), top of screen at eye level: 1.
        Ok = "ok",
        /// Too low (below 30°): 2.
        TooLow = "too_low",
        /// Too high (neck extended): 3.
        TooHigh = "too_high",
    }
}

named_values! {
    /// Telephone position.
    pub enum TelephonePosition ("position") {
        /// Headset, or one hand with neck neutral, within 30 cm: 1.
        Ok = "ok",
        /// More than 30 cm away: 2.
        FarReach = "far_reach",
    }
}

named_values! {
    /// Mouse position.
    pub enum MousePosition ("position") {
        /// In line with the shoulder: 1.
        Ok = "ok",
        /// Reaching: 2.
        Reaching = "reaching",
    }
}

named_values! {
    /// Keyboard position.
    pub enum KeyboardPosition ("position") {
        /// Wrists straight, shoulders relaxed: 1.
        Ok = "ok",
        /// Wrists extended, keyboard tilted more than 15°: 2.
        WristsExtended = "wrists_extended",
    }
}

/// ROSA input, as in the JSON contract. Positions and durations are required; every flag (and
/// every flags object) may be left out and then counts as false. Unknown fields are rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RosaInput {
    /// Chair section.
    pub chair: ChairInput,
    /// Monitor.
    pub monitor: MonitorInput,
    /// Telephone.
    pub telephone: TelephoneInput,
    /// Mouse.
    pub mouse: MouseInput,
    /// Keyboard.
    pub keyboard: KeyboardInput,
}

/// Chair section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChairInput {
    /// Seat height position.
    pub seat_height: SeatHeight,
    /// Seat height problems.
    #[serde(default)]
    pub seat_height_flags: SeatHeightFlags,
    /// Seat-pan depth position.
    pub seat_depth: SeatDepth,
    /// Seat-pan depth problems.
    #[serde(default)]
    pub seat_depth_flags: SeatDepthFlags,
    /// Armrest position.
    pub armrests: Armrests,
    /// Armrest problems.
    #[serde(default)]
    pub armrest_flags: ArmrestFlags,
    /// Back support position.
    pub back_support: BackSupport,
    /// Back support problems.
    #[serde(default)]
    pub back_support_flags: BackSupportFlags,
    /// Hours a day in the chair, 0–24.
    #[serde(deserialize_with = "hours_per_day")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 24))]
    pub hours_per_day: f64,
    /// Longest stretch in the chair, minutes, 0–1440.
    #[serde(deserialize_with = "minutes")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1440))]
    pub longest_stretch_minutes: f64,
}

/// Seat height problems (+1 each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SeatHeightFlags {
    /// Too little leg room under the desk.
    #[serde(deserialize_with = "boolean")]
    pub insufficient_leg_room: bool,
    /// Seat height not adjustable.
    #[serde(deserialize_with = "boolean")]
    pub not_adjustable: bool,
}

/// Seat-pan depth problems (+1 each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SeatDepthFlags {
    /// Seat depth not adjustable.
    #[serde(deserialize_with = "boolean")]
    pub not_adjustable: bool,
}

/// Armrest problems (+1 each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ArmrestFlags {
    /// Armrests too far apart.
    #[serde(deserialize_with = "boolean")]
    pub too_wide: bool,
    /// Hard or damaged surface.
    #[serde(deserialize_with = "boolean")]
    pub hard_surface: bool,
    /// Armrests not adjustable.
    #[serde(deserialize_with = "boolean")]
    pub not_adjustable: bool,
}

/// Back support problems (+1 each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct BackSupportFlags {
    /// Work surface too high (shoulders shrugged).
    #[serde(deserialize_with = "boolean")]
    pub work_surface_too_high: bool,
    /// Backrest not adjustable.
    #[serde(deserialize_with = "boolean")]
    pub not_adjustable: bool,
}

/// Monitor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MonitorInput {
    /// Monitor position.
    pub position: MonitorPosition,
    /// Monitor problems.
    #[serde(default)]
    pub flags: MonitorFlags,
    /// Hours a day, 0–24.
    #[serde(deserialize_with = "hours_per_day")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 24))]
    pub hours_per_day: f64,
    /// Longest stretch, minutes, 0–1440.
    #[serde(deserialize_with = "minutes")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1440))]
    pub longest_stretch_minutes: f64,
}

/// Monitor problems (+1 each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct MonitorFlags {
    /// Too far away.
    #[serde(deserialize_with = "boolean")]
    pub too_far: bool,
    /// Neck twisted more than 30°.
    #[serde(deserialize_with = "boolean")]
    pub neck_twist_over_30: bool,
    /// Glare on the screen.
    #[serde(deserialize_with = "boolean")]
    pub glare: bool,
    /// Works from documents but has no document holder.
    #[serde(deserialize_with = "boolean")]
    pub no_document_holder: bool,
}

/// Telephone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TelephoneInput {
    /// Telephone position.
    pub position: TelephonePosition,
    /// Telephone problems.
    #[serde(default)]
    pub flags: TelephoneFlags,
    /// Hours a day, 0–24.
    #[serde(deserialize_with = "hours_per_day")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 24))]
    pub hours_per_day: f64,
    /// Longest stretch, minutes, 0–1440.
    #[serde(deserialize_with = "minutes")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1440))]
    pub longest_stretch_minutes: f64,
}

/// Telephone problems.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct TelephoneFlags {
    /// Held between neck and shoulder (+2).
    #[serde(deserialize_with = "boolean")]
    pub neck_shoulder_hold: bool,
    /// No hands-free option (+1).
    #[serde(deserialize_with = "boolean")]
    pub no_hands_free: bool,
}

/// Mouse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MouseInput {
    /// Mouse position.
    pub position: MousePosition,
    /// Mouse problems.
    #[serde(default)]
    pub flags: MouseFlags,
    /// Hours a day, 0–24.
    #[serde(deserialize_with = "hours_per_day")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 24))]
    pub hours_per_day: f64,
    /// Longest stretch, minutes, 0–1440.
    #[serde(deserialize_with = "minutes")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1440))]
    pub longest_stretch_minutes: f64,
}

/// Mouse problems (+1 each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct MouseFlags {
    /// Mouse and keyboard on different surfaces.
    #[serde(deserialize_with = "boolean")]
    pub different_surface: bool,
    /// Pinch grip or small mouse.
    #[serde(deserialize_with = "boolean")]
    pub pinch_grip: bool,
    /// Palm rest in front of the mouse.
    #[serde(deserialize_with = "boolean")]
    pub palm_rest_in_front: bool,
}

/// Keyboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KeyboardInput {
    /// Keyboard position.
    pub position: KeyboardPosition,
    /// Keyboard problems.
    #[serde(default)]
    pub flags: KeyboardFlags,
    /// Hours a day, 0–24.
    #[serde(deserialize_with = "hours_per_day")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 24))]
    pub hours_per_day: f64,
    /// Longest stretch, minutes, 0–1440.
    #[serde(deserialize_with = "minutes")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1440))]
    pub longest_stretch_minutes: f64,
}

/// Keyboard problems (+1 each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct KeyboardFlags {
    /// Wrists deviated while typing.
    #[serde(deserialize_with = "boolean")]
    pub wrists_deviated: bool,
    /// Keyboard too high (shoulders shrugged).
    #[serde(deserialize_with = "boolean")]
    pub too_high: bool,
    /// Reaching for overhead items.
    #[serde(deserialize_with = "boolean")]
    pub overhead_reach: bool,
    /// Keyboard platform not adjustable.
    #[serde(deserialize_with = "boolean")]
    pub not_adjustable: bool,
}

/// Part scores before the duration term (position base + flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosaParts {
    /// Seat height, 1–5.
    pub seat_height: u8,
    /// Seat-pan depth, 1–3.
    pub seat_depth: u8,
    /// Armrests, 1–5.
    pub armrests: u8,
    /// Back support, 1–4.
    pub back_support: u8,
    /// Monitor, 1–7.
    pub monitor: u8,
    /// Telephone, 1–5.
    pub telephone: u8,
    /// Mouse, 1–5.
    pub mouse: u8,
    /// Keyboard, 1–6.
    pub keyboard: u8,
}

/// Duration terms, −1, 0 or +1 for each section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosaDurations {
    /// Chair.
    pub chair: i8,
    /// Monitor.
    pub monitor: i8,
    /// Telephone.
    pub telephone: i8,
    /// Mouse.
    pub mouse: i8,
    /// Keyboard.
    pub keyboard: i8,
}

/// ROSA result. Its JSON is the contract's output, plus `improvements`, `parts` and `durations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosaResult {
    /// Always `"ROSA"`.
    pub method: String,
    /// Final score, 1–10.
    pub score: u8,
    /// Final score ≥ 5: the workstation needs change now.
    pub action_needed: bool,
    /// Chair score (chair table + chair duration), 1–10.
    pub chair: u8,
    /// Monitor-and-telephone score, 1–9.
    pub monitor_telephone: u8,
    /// Mouse-and-keyboard score, 1–9.
    pub mouse_keyboard: u8,
    /// Peripherals score = max(monitor-and-telephone, mouse-and-keyboard).
    pub peripherals: u8,
    /// The sentences of `improvements`, in the same order.
    pub advice: Vec<String>,
    /// The changes that would lower the score most, best first.
    pub improvements: Vec<Improvement>,
    /// Part scores before duration.
    pub parts: RosaParts,
    /// Duration terms.
    pub durations: RosaDurations,
}

impl RosaResult {
    /// Whether this score counts as a poor workstation (final score ≥ 5).
    pub fn indicates_poor_workstation(&self) -> bool {
        crate::poor_workstation(self.score)
    }
}

/// Final score at or above which ROSA says the workstation needs change now.
pub const ACTION_THRESHOLD: u8 = 5;

/// Duration term for one section: over 4 hours a day **or** over 60 minutes at a stretch → +1;
/// under 1 hour a day **and** under 30 minutes at a stretch → −1; otherwise 0. Exactly 4 h,
/// 1 h, 60 min and 30 min are all in the middle band (0), per the contract's boundary convention.
///
/// The clinical summary words the −1 band as "under 1 hour a day *or* under 30 minutes at a
/// time"; the contract's explicit **and** is followed here, since it is the rule written so that
/// every implementation agrees.
pub fn duration_score(hours_per_day: f64, longest_stretch_minutes: f64) -> i8 {
    if hours_per_day > 4.0 || longest_stretch_minutes > 60.0 {
        1
    } else if hours_per_day < 1.0 && longest_stretch_minutes < 30.0 {
        -1
    } else {
        0
    }
}

fn flag(b: bool) -> u8 {
    u8::from(b)
}

/// Seat height part: ok 1, too_low_or_high 2, feet_not_touching 3; +1 leg room, +1 not
/// adjustable.
pub fn seat_height_score(p: SeatHeight, f: &SeatHeightFlags) -> u8 {
    let base = match p {
        SeatHeight::Ok => 1,
        SeatHeight::TooLowOrHigh => 2,
        SeatHeight::FeetNotTouching => 3,
    };
    base + flag(f.insufficient_leg_room) + flag(f.not_adjustable)
}

/// Seat-depth part: ok 1, too_long_or_short 2; +1 not adjustable.
pub fn seat_depth_score(p: SeatDepth, f: &SeatDepthFlags) -> u8 {
    let base = match p {
        SeatDepth::Ok => 1,
        SeatDepth::TooLongOrShort => 2,
    };
    base + flag(f.not_adjustable)
}

/// Armrests part: ok 1, too_high_or_low 2; +1 too wide, +1 hard surface, +1 not adjustable.
pub fn armrests_score(p: Armrests, f: &ArmrestFlags) -> u8 {
    let base = match p {
        Armrests::Ok => 1,
        Armrests::TooHighOrLow => 2,
    };
    base + flag(f.too_wide) + flag(f.hard_surface) + flag(f.not_adjustable)
}

/// Back support part: ok 1, no_lumbar_or_wrong_angle 2; +1 work surface too high, +1 not
/// adjustable.
pub fn back_support_score(p: BackSupport, f: &BackSupportFlags) -> u8 {
    let base = match p {
        BackSupport::Ok => 1,
        BackSupport::NoLumbarOrWrongAngle => 2,
    };
    base + flag(f.work_surface_too_high) + flag(f.not_adjustable)
}

/// Monitor part: ok 1, too_low 2, too_high 3; +1 each flag.
pub fn monitor_score(p: MonitorPosition, f: &MonitorFlags) -> u8 {
    let base = match p {
        MonitorPosition::Ok => 1,
        MonitorPosition::TooLow => 2,
        MonitorPosition::TooHigh => 3,
    };
    base + flag(f.too_far) + flag(f.neck_twist_over_30) + flag(f.glare) + flag(f.no_document_holder)
}

/// Telephone part: ok 1, far_reach 2; +2 neck-shoulder hold, +1 no hands-free.
pub fn telephone_score(p: TelephonePosition, f: &TelephoneFlags) -> u8 {
    let base = match p {
        TelephonePosition::Ok => 1,
        TelephonePosition::FarReach => 2,
    };
    base + 2 * flag(f.neck_shoulder_hold) + flag(f.no_hands_free)
}

/// Mouse part: ok 1, reaching 2; +1 each flag.
pub fn mouse_score(p: MousePosition, f: &MouseFlags) -> u8 {
    let base = match p {
        MousePosition::Ok => 1,
        MousePosition::Reaching => 2,
    };
    base + flag(f.different_surface) + flag(f.pinch_grip) + flag(f.palm_rest_in_front)
}

/// Keyboard part: ok 1, wrists_extended 2; +1 each flag.
pub fn keyboard_score(p: KeyboardPosition, f: &KeyboardFlags) -> u8 {
    let base = match p {
        KeyboardPosition::Ok => 1,
        KeyboardPosition::WristsExtended => 2,
    };
    base + flag(f.wrists_deviated)
        + flag(f.too_high)
        + flag(f.overhead_reach)
        + flag(f.not_adjustable)
}

/// Score an input, without advice (used for re-scoring).
fn compute(input: &RosaInput) -> RosaResult {
    let (c, m, t, mo, k) = (
        &input.chair,
        &input.monitor,
        &input.telephone,
        &input.mouse,
        &input.keyboard,
    );
    let parts = RosaParts {
        seat_height: seat_height_score(c.seat_height, &c.seat_height_flags),
        seat_depth: seat_depth_score(c.seat_depth, &c.seat_depth_flags),
        armrests: armrests_score(c.armrests, &c.armrest_flags),
        back_support: back_support_score(c.back_support, &c.back_support_flags),
        monitor: monitor_score(m.position, &m.flags),
        telephone: telephone_score(t.position, &t.flags),
        mouse: mouse_score(mo.position, &mo.flags),
        keyboard: keyboard_score(k.position, &k.flags),
    };
    let durations = RosaDurations {
        chair: duration_score(c.hours_per_day, c.longest_stretch_minutes),
        monitor: duration_score(m.hours_per_day, m.longest_stretch_minutes),
        telephone: duration_score(t.hours_per_day, t.longest_stretch_minutes),
        mouse: duration_score(mo.hours_per_day, mo.longest_stretch_minutes),
        keyboard: duration_score(k.hours_per_day, k.longest_stretch_minutes),
    };
    let p = |v: u8| i32::from(v);
    let d = |v: i8| i32::from(v);
    // The lookups clamp every axis to its table's range.
    let chair_table = tables::rosa_chair(
        p(parts.seat_height) + p(parts.seat_depth),
        p(parts.armrests) + p(parts.back_support),
    );
    let chair = (p(chair_table) + d(durations.chair)).clamp(1, 10) as u8;
    let monitor_telephone = tables::rosa_monitor_telephone(
        p(parts.telephone) + d(durations.telephone),
        p(parts.monitor) + d(durations.monitor),
    );
    let mouse_keyboard = tables::rosa_mouse_keyboard(
        p(parts.mouse) + d(durations.mouse),
        p(parts.keyboard) + d(durations.keyboard),
    );
    let peripherals = monitor_telephone.max(mouse_keyboard);
    let score = chair.max(peripherals).clamp(1, 10);
    RosaResult {
        method: "ROSA".to_owned(),
        score,
        action_needed: score >= ACTION_THRESHOLD,
        chair,
        monitor_telephone,
        mouse_keyboard,
        peripherals,
        advice: Vec::new(),
        improvements: Vec::new(),
        parts,
        durations,
    }
}

/// Score a ROSA input: final score, section scores and re-scored advice.
pub fn score(input: &RosaInput) -> RosaResult {
    let mut result = compute(input);
    result.improvements = advice::improvements::<RosaProblem>(input, &result);
    result.advice = result.improvements.iter().map(|i| i.text.clone()).collect();
    result
}

problems! {
    /// A fixable problem in a ROSA input. Declaration order (the order of the published form)
    /// breaks ties in the advice ranking.
    pub enum RosaProblem {
        SeatHeightWrong = "seat_height" =>
            "Adjust your seat height so your knees are bent at about 90° with your feet flat on the floor.",
        LegRoom = "insufficient_leg_room" =>
            "Clear the space under your desk so your legs fit comfortably.",
        SeatHeightFixed = "seat_height_not_adjustable" =>
            "Get a chair whose seat height you can adjust.",
        SeatDepthWrong = "seat_depth" =>
            "Adjust the seat pan so about a fist's width (7.5 cm) is left between its front edge and the back of your knees.",
        SeatDepthFixed = "seat_depth_not_adjustable" =>
            "Get a chair whose seat depth you can adjust.",
        ArmrestsWrong = "armrests" =>
            "Set your armrests to elbow height so they support your forearms with your shoulders relaxed.",
        ArmrestsTooWide = "armrests_too_wide" =>
            "Bring your armrests closer together so your elbows rest on them without reaching out.",
        ArmrestsHard = "armrests_hard_surface" =>
            "Replace hard or damaged pads on your armrests with soft, intact ones.",
        ArmrestsFixed = "armrests_not_adjustable" =>
            "Get armrests you can adjust.",
        BackSupportWrong = "back_support" =>
            "Adjust your backrest so it supports your lower back, reclined to about 95–110°.",
        WorkSurfaceTooHigh = "work_surface_too_high" =>
            "Lower your desk or raise your chair so you do not shrug your shoulders to work.",
        BackSupportFixed = "back_support_not_adjustable" =>
            "Get a chair whose backrest you can adjust.",
        ChairDuration = "chair_duration" =>
            "Stand up and move at least once an hour, and aim for no more than 4 hours a day in your chair.",
        MonitorWrong = "monitor_position" =>
            "Set your screen so its top is at eye level, an arm's length (40–75 cm) away.",
        MonitorTooFar = "monitor_too_far" =>
            "Move your screen closer, to about an arm's length away.",
        MonitorNeckTwist = "monitor_neck_twist" =>
            "Put your screen straight in front of you so you do not turn your head to see it.",
        Glare = "monitor_glare" =>
            "Cut the glare on your screen by tilting it, closing blinds or turning it side-on to windows.",
        NoDocumentHolder = "no_document_holder" =>
            "Use a document holder beside your screen for papers you read while you type.",
        MonitorDuration = "monitor_duration" =>
            "Look away from your screen and take a break at least once an hour, and keep screen time to about 4 hours a day.",
        TelephoneFar = "telephone_position" =>
            "Keep your telephone within easy reach, closer than 30 cm.",
        NeckShoulderHold = "telephone_neck_shoulder_hold" =>
            "Stop cradling the phone between your ear and shoulder; use a headset or the speaker.",
        NoHandsFree = "telephone_no_hands_free" =>
            "Use a headset or speakerphone so your hands are free during calls.",
        TelephoneDuration = "telephone_duration" =>
            "Keep your calls under an hour at a time and under 4 hours a day in total.",
        MouseReaching = "mouse_position" =>
            "Put your mouse right beside your keyboard, in line with your shoulder, so you do not reach for it.",
        MouseDifferentSurface = "mouse_different_surface" =>
            "Put your mouse on the same surface as your keyboard.",
        PinchGrip = "mouse_pinch_grip" =>
            "Use a mouse big enough to hold with your whole hand rather than pinching it.",
        PalmRest = "mouse_palm_rest" =>
            "Remove the palm rest in front of your mouse.",
        MouseDuration = "mouse_duration" =>
            "Let go of the mouse and rest your hand at least once an hour, and keep mouse use to about 4 hours a day.",
        KeyboardWrong = "keyboard_position" =>
            "Lay your keyboard flat (tilted less than 15°) so your wrists stay straight.",
        WristsDeviated = "keyboard_wrists_deviated" =>
            "Keep your wrists straight, not bent sideways, while you type.",
        KeyboardTooHigh = "keyboard_too_high" =>
            "Lower your keyboard so your shoulders stay relaxed while you type.",
        OverheadReach = "overhead_reach" =>
            "Move things you use often from overhead shelves to within easy reach.",
        KeyboardFixed = "keyboard_platform_not_adjustable" =>
            "Use a keyboard tray or platform whose height you can adjust.",
        KeyboardDuration = "keyboard_duration" =>
            "Break up your typing at least once an hour, and keep typing to about 4 hours a day.",
    }
}

/// Cap a section's time so its duration term is 0 (the smallest change that removes the +1).
fn shorten(hours_per_day: &mut f64, longest_stretch_minutes: &mut f64) {
    *hours_per_day = hours_per_day.min(4.0);
    *longest_stretch_minutes = longest_stretch_minutes.min(60.0);
}

impl RosaProblem {
    /// Whether the problem is present in `input`.
    pub fn is_present(self, input: &RosaInput) -> bool {
        use RosaProblem::*;
        let (c, m, t, mo, k) = (
            &input.chair,
            &input.monitor,
            &input.telephone,
            &input.mouse,
            &input.keyboard,
        );
        match self {
            SeatHeightWrong => c.seat_height != SeatHeight::Ok,
            LegRoom => c.seat_height_flags.insufficient_leg_room,
            SeatHeightFixed => c.seat_height_flags.not_adjustable,
            SeatDepthWrong => c.seat_depth != SeatDepth::Ok,
            SeatDepthFixed => c.seat_depth_flags.not_adjustable,
            ArmrestsWrong => c.armrests != Armrests::Ok,
            ArmrestsTooWide => c.armrest_flags.too_wide,
            ArmrestsHard => c.armrest_flags.hard_surface,
            ArmrestsFixed => c.armrest_flags.not_adjustable,
            BackSupportWrong => c.back_support != BackSupport::Ok,
            WorkSurfaceTooHigh => c.back_support_flags.work_surface_too_high,
            BackSupportFixed => c.back_support_flags.not_adjustable,
            ChairDuration => duration_score(c.hours_per_day, c.longest_stretch_minutes) > 0,
            MonitorWrong => m.position != MonitorPosition::Ok,
            MonitorTooFar => m.flags.too_far,
            MonitorNeckTwist => m.flags.neck_twist_over_30,
            Glare => m.flags.glare,
            NoDocumentHolder => m.flags.no_document_holder,
            MonitorDuration => duration_score(m.hours_per_day, m.longest_stretch_minutes) > 0,
            TelephoneFar => t.position != TelephonePosition::Ok,
            NeckShoulderHold => t.flags.neck_shoulder_hold,
            NoHandsFree => t.flags.no_hands_free,
            TelephoneDuration => duration_score(t.hours_per_day, t.longest_stretch_minutes) > 0,
            MouseReaching => mo.position != MousePosition::Ok,
            MouseDifferentSurface => mo.flags.different_surface,
            PinchGrip => mo.flags.pinch_grip,
            PalmRest => mo.flags.palm_rest_in_front,
            MouseDuration => duration_score(mo.hours_per_day, mo.longest_stretch_minutes) > 0,
            KeyboardWrong => k.position != KeyboardPosition::Ok,
            WristsDeviated => k.flags.wrists_deviated,
            KeyboardTooHigh => k.flags.too_high,
            OverheadReach => k.flags.overhead_reach,
            KeyboardFixed => k.flags.not_adjustable,
            KeyboardDuration => duration_score(k.hours_per_day, k.longest_stretch_minutes) > 0,
        }
    }

    /// Fix only this problem in `input`: a position becomes `ok`, a flag becomes false, a long
    /// duration is capped at 4 hours a day and 60 minutes at a stretch.
    pub fn apply(self, input: &mut RosaInput) {
        use RosaProblem::*;
        let RosaInput {
            chair: c,
            monitor: m,
            telephone: t,
            mouse: mo,
            keyboard: k,
        } = input;
        match self {
            SeatHeightWrong => c.seat_height = SeatHeight::Ok,
            LegRoom => c.seat_height_flags.insufficient_leg_room = false,
            SeatHeightFixed => c.seat_height_flags.not_adjustable = false,
            SeatDepthWrong => c.seat_depth = SeatDepth::Ok,
            SeatDepthFixed => c.seat_depth_flags.not_adjustable = false,
            ArmrestsWrong => c.armrests = Armrests::Ok,
            ArmrestsTooWide => c.armrest_flags.too_wide = false,
            ArmrestsHard => c.armrest_flags.hard_surface = false,
            ArmrestsFixed => c.armrest_flags.not_adjustable = false,
            BackSupportWrong => c.back_support = BackSupport::Ok,
            WorkSurfaceTooHigh => c.back_support_flags.work_surface_too_high = false,
            BackSupportFixed => c.back_support_flags.not_adjustable = false,
            ChairDuration => shorten(&mut c.hours_per_day, &mut c.longest_stretch_minutes),
            MonitorWrong => m.position = MonitorPosition::Ok,
            MonitorTooFar => m.flags.too_far = false,
            MonitorNeckTwist => m.flags.neck_twist_over_30 = false,
            Glare => m.flags.glare = false,
            NoDocumentHolder => m.flags.no_document_holder = false,
            MonitorDuration => shorten(&mut m.hours_per_day, &mut m.longest_stretch_minutes),
            TelephoneFar => t.position = TelephonePosition::Ok,
            NeckShoulderHold => t.flags.neck_shoulder_hold = false,
            NoHandsFree => t.flags.no_hands_free = false,
            TelephoneDuration => shorten(&mut t.hours_per_day, &mut t.longest_stretch_minutes),
            MouseReaching => mo.position = MousePosition::Ok,
            MouseDifferentSurface => mo.flags.different_surface = false,
            PinchGrip => mo.flags.pinch_grip = false,
            PalmRest => mo.flags.palm_rest_in_front = false,
            MouseDuration => shorten(&mut mo.hours_per_day, &mut mo.longest_stretch_minutes),
            KeyboardWrong => k.position = KeyboardPosition::Ok,
            WristsDeviated => k.flags.wrists_deviated = false,
            KeyboardTooHigh => k.flags.too_high = false,
            OverheadReach => k.flags.overhead_reach = false,
            KeyboardFixed => k.flags.not_adjustable = false,
            KeyboardDuration => shorten(&mut k.hours_per_day, &mut k.longest_stretch_minutes),
        }
    }
}

impl advice::Fixable for RosaProblem {
    type Input = RosaInput;
    type Output = RosaResult;
    const ALL: &'static [Self] = RosaProblem::ALL;

    fn is_present(self, input: &RosaInput) -> bool {
        RosaProblem::is_present(self, input)
    }
    fn apply(self, input: &mut RosaInput) {
        RosaProblem::apply(self, input)
    }
    fn id(self) -> &'static str {
        RosaProblem::id(self)
    }
    fn text(self) -> &'static str {
        RosaProblem::text(self)
    }
    fn compute(input: &RosaInput) -> RosaResult {
        compute(input)
    }
    fn final_score(out: &RosaResult) -> u8 {
        out.score
    }
    /// The section the problem belongs to and the part term it changes (the part score plus
    /// that part's duration, i.e. the table axis before clamping).
    fn section_and_part(self, r: &RosaResult) -> (&'static str, u8, i32) {
        use RosaProblem::*;
        let (p, d) = (&r.parts, &r.durations);
        let chair = |part: i32| ("chair", r.chair, part);
        let monitor_telephone = |part: u8, dur: i8| {
            let axis = i32::from(part) + i32::from(dur);
            ("monitor_telephone", r.monitor_telephone, axis)
        };
        let mouse_keyboard = |part: u8, dur: i8| {
            let axis = i32::from(part) + i32::from(dur);
            ("mouse_keyboard", r.mouse_keyboard, axis)
        };
        match self {
            SeatHeightWrong | LegRoom | SeatHeightFixed => chair(p.seat_height.into()),
            SeatDepthWrong | SeatDepthFixed => chair(p.seat_depth.into()),
            ArmrestsWrong | ArmrestsTooWide | ArmrestsHard | ArmrestsFixed => {
                chair(p.armrests.into())
            }
            BackSupportWrong | WorkSurfaceTooHigh | BackSupportFixed => {
                chair(p.back_support.into())
            }
            ChairDuration => chair(d.chair.into()),
            MonitorWrong | MonitorTooFar | MonitorNeckTwist | Glare | NoDocumentHolder
            | MonitorDuration => monitor_telephone(p.monitor, d.monitor),
            TelephoneFar | NeckShoulderHold | NoHandsFree | TelephoneDuration => {
                monitor_telephone(p.telephone, d.telephone)
            }
            MouseReaching | MouseDifferentSurface | PinchGrip | PalmRest | MouseDuration => {
                mouse_keyboard(p.mouse, d.mouse)
            }
            KeyboardWrong | WristsDeviated | KeyboardTooHigh | OverheadReach | KeyboardFixed
            | KeyboardDuration => mouse_keyboard(p.keyboard, d.keyboard),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duration_boundaries_both_sides() {
        // (hours/day, minutes at a stretch) → term
        let cases = [
            (4.0, 60.0, 0),
            (4.01, 10.0, 1),
            (3.99, 60.0, 0),
            (2.0, 60.5, 1),
            (2.0, 59.5, 0),
            (1.0, 10.0, 0),
            (0.99, 10.0, -1),
            (0.5, 30.0, 0),
            (0.5, 29.5, -1),
            (0.0, 0.0, -1),
            (0.5, 90.0, 1),
            (24.0, 1440.0, 1),
        ];
        for (h, m, want) in cases {
            assert_eq!(duration_score(h, m), want, "{h} h/day, {m} min");
        }
    }

    #[test]
    fn part_scores_add_flags() {
        let all = SeatHeightFlags {
            insufficient_leg_room: true,
            not_adjustable: true,
        };
        assert_eq!(seat_height_score(SeatHeight::FeetNotTouching, &all), 5);
        assert_eq!(
            telephone_score(
                TelephonePosition::FarReach,
                &TelephoneFlags {
                    neck_shoulder_hold: true,
                    no_hands_free: true
                }
            ),
            5
        );
        assert_eq!(
            monitor_score(
                MonitorPosition::TooHigh,
                &MonitorFlags {
                    too_far: true,
                    neck_twist_over_30: true,
                    glare: true,
                    no_document_holder: true
                }
            ),
            7
        );
        assert_eq!(
            keyboard_score(
                KeyboardPosition::WristsExtended,
                &KeyboardFlags {
                    wrists_deviated: true,
                    too_high: true,
                    overhead_reach: true,
                    not_adjustable: true
                }
            ),
            6
        );
    }

    #[test]
    fn every_problem_has_a_distinct_id_and_sentence() {
        let mut ids: Vec<_> = RosaProblem::ALL.iter().map(|p| p.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RosaProblem::ALL.len());
        for p in RosaProblem::ALL {
            assert!(p.text().ends_with('.'), "{p:?}");
        }
    }
}
