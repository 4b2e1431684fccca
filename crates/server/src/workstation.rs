//! The workstation check at `/workstation`: a short guided ROSA checklist (office set-up) and
//! a RULA section (working posture, angles), server-rendered, working without JavaScript.
//! The answers become the same JSON as `POST /api/v1/ergonomics/rosa|rula` and are scored by
//! the same functions; the result page shows the score, what it means, each part's score and
//! the changes that would lower it most.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde_json::{Map, Value};
use upperback_core::KnowledgeBase;
use upperback_ergonomics::{Improvement, RosaResult, RulaResult};

use crate::input::Body;
use crate::problem::Problem;
use crate::web::{field, form_pairs, html_response, page};
use crate::AppState;

/// One ROSA section: its key, heading, positions (value, plain description) and flags
/// (form name under the section, plain description).
struct Section {
    key: &'static str,
    title: &'static str,
    questions: &'static [Question],
    timed: bool,
}

struct Question {
    /// Field path inside the section, e.g. `seat_height` or `position`.
    name: &'static str,
    label: &'static str,
    options: &'static [(&'static str, &'static str)],
    /// Where its flags go (`seat_height_flags`, `flags`) and the flags.
    flags_at: &'static str,
    flags: &'static [(&'static str, &'static str)],
}

const ROSA: [Section; 5] = [
    Section {
        key: "chair",
        title: "Your chair",
        timed: true,
        questions: &[
            Question {
                name: "seat_height",
                label: "Seat height",
                options: &[
                    ("ok", "Right: knees bent at about a right angle, feet flat on the floor"),
                    ("too_low_or_high", "Too low or too high: knees well above or below the hips"),
                    ("feet_not_touching", "My feet do not reach the floor"),
                ],
                flags_at: "seat_height_flags",
                flags: &[
                    ("insufficient_leg_room", "Not enough room for my legs under the desk"),
                    ("not_adjustable", "The height cannot be adjusted"),
                ],
            },
            Question {
                name: "seat_depth",
                label: "Seat depth",
                options: &[
                    ("ok", "Right: about a hand's width between the seat edge and the back of my knees"),
                    ("too_long_or_short", "Too deep or too shallow"),
                ],
                flags_at: "seat_depth_flags",
                flags: &[("not_adjustable", "The depth cannot be adjusted")],
            },
            Question {
                name: "armrests",
                label: "Armrests",
                options: &[
                    ("ok", "Right: elbows supported, shoulders relaxed"),
                    ("too_high_or_low", "Too high or too low (or none)"),
                ],
                flags_at: "armrest_flags",
                flags: &[
                    ("too_wide", "Too far apart"),
                    ("hard_surface", "Hard or damaged surface"),
                    ("not_adjustable", "They cannot be adjusted"),
                ],
            },
            Question {
                name: "back_support",
                label: "Back rest",
                options: &[
                    ("ok", "Right: supports my lower back, leaning slightly back"),
                    ("no_lumbar_or_wrong_angle", "No lower-back support, or too upright or too far back"),
                ],
                flags_at: "back_support_flags",
                flags: &[
                    ("work_surface_too_high", "The desk is too high, so I cannot lean back"),
                    ("not_adjustable", "It cannot be adjusted"),
                ],
            },
        ],
    },
    Section {
        key: "monitor",
        title: "Your screen",
        timed: true,
        questions: &[Question {
            name: "position",
            label: "Screen position",
            options: &[
                ("ok", "Right: an arm's length away, top of the screen at eye level"),
                ("too_low", "Too low: I look down at it"),
                ("too_high", "Too high: I tip my head back"),
            ],
            flags_at: "flags",
            flags: &[
                ("too_far", "Too far away"),
                ("neck_twist_over_30", "I turn my head to one side to see it"),
                ("glare", "Glare or reflections on it"),
                ("no_document_holder", "No stand for papers I copy from"),
            ],
        }],
    },
    Section {
        key: "telephone",
        title: "Your telephone",
        timed: true,
        questions: &[Question {
            name: "position",
            label: "Telephone position",
            options: &[
                ("ok", "Within easy reach, or I use a headset"),
                ("far_reach", "I reach far (more than 30 cm) for it"),
            ],
            flags_at: "flags",
            flags: &[
                ("neck_shoulder_hold", "I hold it between my ear and shoulder"),
                ("no_hands_free", "No headset or speaker"),
            ],
        }],
    },
    Section {
        key: "mouse",
        title: "Your mouse",
        timed: true,
        questions: &[Question {
            name: "position",
            label: "Mouse position",
            options: &[
                ("ok", "Right beside the keyboard, in line with my shoulder"),
                ("reaching", "I reach out for it"),
            ],
            flags_at: "flags",
            flags: &[
                ("different_surface", "It sits higher or lower than the keyboard"),
                ("pinch_grip", "I pinch it with my fingertips (it is too small)"),
                ("palm_rest_in_front", "A hard wrist rest presses on my wrist"),
            ],
        }],
    },
    Section {
        key: "keyboard",
        title: "Your keyboard",
        timed: true,
        questions: &[Question {
            name: "position",
            label: "Keyboard position",
            options: &[
                ("ok", "Right: wrists straight, shoulders relaxed"),
                ("wrists_extended", "My wrists bend up (the keyboard is tilted up)"),
            ],
            flags_at: "flags",
            flags: &[
                ("wrists_deviated", "My wrists bend sideways while typing"),
                ("too_high", "The keyboard is too high: my shoulders lift"),
                ("overhead_reach", "I reach up to shelves or things above me"),
                ("not_adjustable", "The desk or keyboard cannot be adjusted"),
            ],
        }],
    },
];

/// RULA angle inputs: (path, label, hint).
const RULA_ANGLES: [(&str, &str, &str); 5] = [
    (
        "upper_arm.flexion_deg",
        "Upper arm: degrees forward from your side",
        "0 hanging down, 90 straight forward; negative if the elbow is behind you.",
    ),
    (
        "lower_arm.flexion_deg",
        "Elbow bend: degrees from straight",
        "0 straight, 90 a right angle.",
    ),
    (
        "wrist.flexion_deg",
        "Wrist: degrees bent",
        "0 straight; positive bent down, negative bent up.",
    ),
    (
        "neck.flexion_deg",
        "Neck: degrees bent forward",
        "0 upright; negative if you tip your head back.",
    ),
    (
        "trunk.flexion_deg",
        "Trunk: degrees leaning forward",
        "0 upright.",
    ),
];

/// RULA yes/no items: (path, label).
const RULA_CHECKS: [(&str, &str); 13] = [
    ("upper_arm.shoulder_raised", "My shoulder is raised"),
    ("upper_arm.abducted", "My arm is held out to the side"),
    ("upper_arm.supported", "My arm is supported or I lean on it"),
    (
        "lower_arm.across_midline_or_out_to_side",
        "My hand works across my body or out to the side",
    ),
    ("wrist.bent_from_midline", "My wrist bends sideways"),
    (
        "arm_static_or_repeated",
        "My arm holds still for over a minute, or repeats a movement over 4 times a minute",
    ),
    ("neck.twisted", "My neck is twisted"),
    ("neck.side_bent", "My neck is bent to the side"),
    ("trunk.well_supported", "I sit upright and well supported"),
    ("trunk.twisted", "My trunk is twisted"),
    ("trunk.side_bent", "My trunk is bent to the side"),
    (
        "legs_supported",
        "My legs and feet are supported and balanced",
    ),
    (
        "neck_trunk_static_or_repeated",
        "My neck and trunk hold still for over a minute, or repeat a movement",
    ),
];

const PATTERNS: [(&str, &str); 3] = [
    ("intermittent", "Now and then"),
    ("static_or_repeated", "Held or repeated"),
    ("shock", "Sudden or jerky force"),
];

/// Form answers: name → value (checkboxes send "on").
type Pairs = Vec<(String, String)>;

fn ticked(pairs: &Pairs, name: &str) -> bool {
    field(pairs, name).is_some()
}

fn id_of(name: &str) -> String {
    name.replace('.', "-")
}

fn radio_group(
    name: &str,
    legend: &str,
    options: &[(&str, &str)],
    pairs: &Pairs,
    default: Option<&str>,
) -> Markup {
    let chosen = field(pairs, name).or(default);
    html! {
        fieldset {
            legend { (legend) }
            div class="options" {
                @for (option, words) in options {
                    label class="option" {
                        input type="radio" name=(name) value=(option) checked[chosen == Some(*option)];
                        " " (words)
                    }
                }
            }
        }
    }
}

fn checkbox(name: &str, label: &str, pairs: &Pairs, default: bool) -> Markup {
    let checked = if pairs.is_empty() {
        default
    } else {
        ticked(pairs, name)
    };
    html! {
        label class="option" {
            input type="checkbox" name=(name) checked[checked];
            " " (label)
        }
    }
}

fn number_field(name: &str, label: &str, hint: &str, pairs: &Pairs, default: &str) -> Markup {
    let id = id_of(name);
    let hint_id = format!("{id}-hint");
    let current = if pairs.is_empty() {
        default
    } else {
        field(pairs, name).unwrap_or("")
    };
    html! {
        div class="field" {
            label for=(id) { (label) }
            input id=(id) name=(name) type="text" inputmode="decimal" autocomplete="off" size="6" value=(current) aria-describedby=(hint_id);
            p class="hint" id=(hint_id) { (hint) }
        }
    }
}

fn error_box(problem: Option<&Problem>) -> Markup {
    html! {
        @if let Some(problem) = problem {
            div class="error" role="alert" {
                p { strong { "Please check: " } (plain_problem(problem)) }
            }
        }
    }
}

/// A scorer's error in the form's words: the question it is about.
fn plain_problem(problem: &Problem) -> String {
    let field = problem.field.as_deref().unwrap_or("");
    for section in &ROSA {
        for question in section.questions {
            if field == format!("{}.{}", section.key, question.name) {
                return format!("{}: {} — choose one answer.", section.title, question.label);
            }
        }
        for (suffix, words) in [
            ("hours_per_day", "hours a day"),
            ("longest_stretch_minutes", "longest stretch in minutes"),
        ] {
            if field == format!("{}.{suffix}", section.key) {
                return format!(
                    "{}: {words} — give a number such as 2 or 1.5 ({}).",
                    section.title, problem.detail
                );
            }
        }
    }
    for (path, label, _) in RULA_ANGLES {
        if field == path {
            return format!("{label} — give a number of degrees ({}).", problem.detail);
        }
    }
    problem.detail.clone()
}

fn form_page(pairs: &Pairs, method: &str, problem: Option<&Problem>, kb: &KnowledgeBase) -> Markup {
    let rosa_pairs: Pairs = if method == "rosa" {
        pairs.clone()
    } else {
        Vec::new()
    };
    let rula_pairs: Pairs = if method == "rula" {
        pairs.clone()
    } else {
        Vec::new()
    };
    let content = html! {
        h1 { "Check your workstation" }
        p { "A poor desk set-up or posture is a common cause of upper back muscle spasm. Answer what you see at your desk; you will get a score and the two or three changes that would help most." }
        p class="small" { "Two standard checks: ROSA (the office set-up) and RULA (your working posture). Do one or both. " a href="#rula" { "Go to the posture check" } }
        h2 id="rosa" { "Your office set-up (ROSA)" }
        @if method == "rosa" { (error_box(problem)) }
        form method="post" action="/workstation" class="workstation" novalidate {
            (crate::csrf::hidden_field())
            input type="hidden" name="method" value="rosa";
            @for section in &ROSA {
                section class="ws-section" aria-labelledby=(format!("{}-title", section.key)) {
                    h3 id=(format!("{}-title", section.key)) { (section.title) }
                    @for question in section.questions {
                        @let name = format!("{}.{}", section.key, question.name);
                        (radio_group(&name, question.label, question.options, &rosa_pairs, None))
                        fieldset {
                            legend { "Also true? " span class="optional" { "(tick any)" } }
                            div class="options" {
                                @for (flag, words) in question.flags {
                                    (checkbox(&format!("{}.{}.{flag}", section.key, question.flags_at), words, &rosa_pairs, false))
                                }
                            }
                        }
                    }
                    @if section.timed {
                        div class="row" {
                            (number_field(&format!("{}.hours_per_day", section.key), "Hours a day", "For example 6, or 0.5 for half an hour.", &rosa_pairs, ""))
                            (number_field(&format!("{}.longest_stretch_minutes", section.key), "Longest stretch without a break (minutes)", "For example 90.", &rosa_pairs, ""))
                        }
                    }
                }
            }
            div class="actions" {
                button type="submit" class="primary" { "Score my set-up" }
            }
        }
        h2 id="rula" { "Your working posture (RULA)" }
        p class="hint" { "Look at yourself (or a photo) while working at the moment you hold longest. Angles are rough guesses; that is fine." }
        @if method == "rula" { (error_box(problem)) }
        form method="post" action="/workstation" class="workstation" novalidate {
            (crate::csrf::hidden_field())
            input type="hidden" name="method" value="rula";
            @for (path, label, hint) in RULA_ANGLES {
                (number_field(path, label, hint, &rula_pairs, "0"))
            }
            (radio_group("wrist.twist", "Wrist twist", &[("mid_range", "Little twist (palm sideways or in between)"), ("end_of_range", "Twisted as far as it goes (palm fully up or down)")], &rula_pairs, Some("mid_range")))
            fieldset {
                legend { "Tick what is true" }
                div class="options" {
                    @for (path, label) in RULA_CHECKS {
                        (checkbox(path, label, &rula_pairs, matches!(path, "legs_supported" | "arm_static_or_repeated" | "neck_trunk_static_or_repeated")))
                    }
                }
            }
            (number_field("arm_load.kg", "Weight or force in the hands (kg)", "0 for a mouse or keyboard.", &rula_pairs, "0"))
            (radio_group("arm_load.pattern", "How the hands' load is applied", &PATTERNS, &rula_pairs, Some("intermittent")))
            (number_field("neck_trunk_load.kg", "Weight carried by the body (kg)", "0 when sitting at a desk.", &rula_pairs, "0"))
            (radio_group("neck_trunk_load.pattern", "How the body's load is applied", &PATTERNS, &rula_pairs, Some("intermittent")))
            div class="actions" {
                button type="submit" class="primary" { "Score my posture" }
            }
        }
        p { a href="/" { "Back to the upper back check" } }
    };
    page("Check your workstation", kb, content)
}

/// The workstation check: a ROSA checklist and a RULA posture form.
#[utoipa::path(get, path = "/workstation", tag = "web", responses((status = 200, description = "The workstation form", content_type = "text/html")))]
pub async fn form(State(state): State<AppState>) -> Response {
    html_response(StatusCode::OK, form_page(&Vec::new(), "", None, state.kb()))
}

/// Sets `path` (dotted) in a JSON object.
fn set_path(root: &mut Map<String, Value>, path: &str, value: Value) {
    let mut parts = path.split('.').peekable();
    let mut map = root;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            map.insert(part.to_string(), value);
            return;
        }
        let entry = map
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        map = entry.as_object_mut().expect("made an object");
    }
}

/// A typed number ("6", "1.5", "1,5"); text that is not a number is passed on as text, so
/// the scorer names the field; an empty box is left out (the scorer says it is missing).
fn number(text: &str) -> Option<Value> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.replace(',', ".").parse::<f64>() {
        Ok(n) if n.is_finite() => serde_json::Number::from_f64(n).map(Value::Number),
        _ => Some(Value::String(text.to_string())),
    }
}

fn rosa_json(pairs: &Pairs) -> Value {
    let mut root = Map::new();
    for section in &ROSA {
        for question in section.questions {
            let name = format!("{}.{}", section.key, question.name);
            if let Some(chosen) = field(pairs, &name) {
                set_path(&mut root, &name, Value::String(chosen.to_string()));
            }
            for (flag, _) in question.flags {
                let name = format!("{}.{}.{flag}", section.key, question.flags_at);
                set_path(&mut root, &name, Value::Bool(ticked(pairs, &name)));
            }
        }
        for suffix in ["hours_per_day", "longest_stretch_minutes"] {
            let name = format!("{}.{suffix}", section.key);
            if let Some(n) = field(pairs, &name).and_then(number) {
                set_path(&mut root, &name, n);
            }
        }
    }
    Value::Object(root)
}

fn rula_json(pairs: &Pairs) -> Value {
    let mut root = Map::new();
    for (path, _, _) in RULA_ANGLES {
        if let Some(n) = field(pairs, path).and_then(number) {
            set_path(&mut root, path, n);
        }
    }
    for (path, _) in RULA_CHECKS {
        set_path(&mut root, path, Value::Bool(ticked(pairs, path)));
    }
    for path in ["wrist.twist", "arm_load.pattern", "neck_trunk_load.pattern"] {
        if let Some(chosen) = field(pairs, path) {
            set_path(&mut root, path, Value::String(chosen.to_string()));
        }
    }
    for path in ["arm_load.kg", "neck_trunk_load.kg"] {
        if let Some(n) = field(pairs, path).and_then(number) {
            set_path(&mut root, path, n);
        }
    }
    Value::Object(root)
}

fn improvements_list(improvements: &[Improvement]) -> Markup {
    html! {
        @if improvements.is_empty() {
            p { "No single change would lower the score. Keep taking short breaks and moving." }
        } @else {
            ol class="ws-fixes" {
                @for improvement in improvements {
                    li { (improvement.text) " " span class="small" { "(score after this change: " (improvement.score_after) ")" } }
                }
            }
        }
    }
}

fn parts_table(caption: &str, rows: &[(&str, String)]) -> Markup {
    html! {
        table class="ws-parts" {
            caption { (caption) }
            thead { tr { th scope="col" { "Part" } th scope="col" { "Score" } } }
            tbody {
                @for (part, score) in rows {
                    tr { th scope="row" { (part) } td { (score) } }
                }
            }
        }
    }
}

fn rosa_result_page(result: &RosaResult, kb: &KnowledgeBase) -> Markup {
    let (class, meaning) = if result.action_needed {
        ("ws-act", "Change needed: a score of 5 or more means this set-up puts strain on your neck, shoulders and upper back. Make the changes below now.")
    } else {
        ("ws-ok", "No urgent change needed (under 5). The changes below can still make it more comfortable.")
    };
    let p = &result.parts;
    let content = html! {
        div class={ "ws-score " (class) } {
            p class="kicker" { "Office set-up (ROSA)" }
            h1 { "Score " (result.score) " out of 10" }
            p { (meaning) }
        }
        h2 { "What would help most" }
        (improvements_list(&result.improvements))
        h2 { "Each part" }
        (parts_table("Section scores (higher is worse)", &[
            ("Chair (with time spent)", result.chair.to_string()),
            ("Screen and telephone", result.monitor_telephone.to_string()),
            ("Mouse and keyboard", result.mouse_keyboard.to_string()),
            ("All equipment together", result.peripherals.to_string()),
        ]))
        (parts_table("Item scores", &[
            ("Seat height", p.seat_height.to_string()),
            ("Seat depth", p.seat_depth.to_string()),
            ("Armrests", p.armrests.to_string()),
            ("Back rest", p.back_support.to_string()),
            ("Screen", p.monitor.to_string()),
            ("Telephone", p.telephone.to_string()),
            ("Mouse", p.mouse.to_string()),
            ("Keyboard", p.keyboard.to_string()),
        ]))
        (next_steps())
    };
    page(&format!("ROSA score {}", result.score), kb, content)
}

fn rula_meaning(level: u8) -> &'static str {
    match level {
        1 => "Acceptable, as long as you do not hold this posture for long.",
        2 => "Look into it: some changes may be needed.",
        3 => "Look into it soon and change it soon.",
        _ => "Change it now: this posture strains your neck, shoulders and back.",
    }
}

fn rula_result_page(result: &RulaResult, kb: &KnowledgeBase) -> Markup {
    let p = &result.parts;
    let class = if result.action_level >= 3 {
        "ws-act"
    } else {
        "ws-ok"
    };
    let content = html! {
        div class={ "ws-score " (class) } {
            p class="kicker" { "Working posture (RULA)" }
            h1 { "Score " (result.score) " out of 7" }
            p { strong { "Action level " (result.action_level) ": " } (rula_meaning(result.action_level)) }
        }
        h2 { "What would help most" }
        (improvements_list(&result.improvements))
        h2 { "Each part" }
        (parts_table("Body part scores (higher is worse)", &[
            ("Upper arm", p.upper_arm.to_string()),
            ("Lower arm", p.lower_arm.to_string()),
            ("Wrist", p.wrist.to_string()),
            ("Wrist twist", p.wrist_twist.to_string()),
            ("Neck", p.neck.to_string()),
            ("Trunk", p.trunk.to_string()),
            ("Legs", p.legs.to_string()),
            ("Arms and wrists together (score C)", result.score_c.to_string()),
            ("Neck, trunk and legs together (score D)", result.score_d.to_string()),
        ]))
        (next_steps())
    };
    page(&format!("RULA score {}", result.score), kb, content)
}

fn next_steps() -> Markup {
    html! {
        p { "A score describes the workstation, not you: it is not a diagnosis." }
        div class="actions" {
            a class="button secondary" href="/workstation" { "Check again" }
            a class="button secondary" href="/" { "Check my upper back" }
        }
    }
}

/// The workstation form, scored: the result page (or the form again, naming what to fix).
#[utoipa::path(post, path = "/workstation", tag = "web",
    request_body(content = crate::request_schemas::WebForm, content_type = "application/x-www-form-urlencoded", description = "form_token, The workstation form: method=rosa|rula and its fields"),
    responses(
        (status = 200, description = "The result page: score, what it means, each part, what would help most", content_type = "text/html"),
        (status = 422, description = "The form again, saying what to fix", content_type = "text/html"),
    ))]
pub async fn submit(State(state): State<AppState>, body: Result<Body, Problem>) -> Response {
    let kb = state.kb();
    let pairs: Pairs = match &body {
        Ok(Body(bytes)) => form_pairs(bytes),
        Err(problem) => return problem.clone().into_response(),
    };
    let method = field(&pairs, "method").unwrap_or("rosa").to_string();
    let scored = if method == "rula" {
        crate::ergonomics::score_rula(rula_json(&pairs).to_string().as_bytes())
            .map(|r| rula_result_page(&r, kb))
    } else {
        crate::ergonomics::score_rosa(rosa_json(&pairs).to_string().as_bytes())
            .map(|r| rosa_result_page(&r, kb))
    };
    match scored {
        Ok(markup) => html_response(StatusCode::OK, markup),
        Err(problem) => html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&pairs, &method, Some(&problem), kb),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Pairs {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_form_builds_the_contract_json() {
        let mut form = vec![("method", "rosa")];
        for section in &ROSA {
            for question in section.questions {
                form.push((
                    Box::leak(format!("{}.{}", section.key, question.name).into_boxed_str()),
                    "ok",
                ));
            }
            form.push((
                Box::leak(format!("{}.hours_per_day", section.key).into_boxed_str()),
                "2",
            ));
            form.push((
                Box::leak(format!("{}.longest_stretch_minutes", section.key).into_boxed_str()),
                "20",
            ));
        }
        let json = rosa_json(&pairs(&form));
        let input = upperback_ergonomics::parse_rosa(&json.to_string()).unwrap();
        assert!(upperback_ergonomics::rosa::score(&input).score <= 4);
        let json = rula_json(&pairs(&[("wrist.twist", "mid_range")]));
        assert!(upperback_ergonomics::parse_rula(&json.to_string()).is_err());
    }
}
