//! The readable report of an assessment, for a person at a terminal. Colour only on a
//! terminal, and never when `NO_COLOR` is set (anstream decides).

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use upperback_core::{quoted, Assessment, KnowledgeBase, Origin, Screening, Status, TriageLevel};
use upperback_nlu::{Outcome, Reading};

const BAR_WIDTH: usize = 20;

fn level_style(level: TriageLevel) -> Style {
    let color = match level {
        TriageLevel::Ambulance | TriageLevel::EmergencyDepartment => AnsiColor::Red,
        TriageLevel::Within24Hours => AnsiColor::Yellow,
        TriageLevel::WithinDays => AnsiColor::Blue,
        TriageLevel::SelfCare => AnsiColor::Green,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

fn bar(probability: f64) -> String {
    let filled = (probability * BAR_WIDTH as f64).round() as usize;
    format!(
        "{}{}",
        "█".repeat(filled.min(BAR_WIDTH)),
        "░".repeat(BAR_WIDTH - filled.min(BAR_WIDTH))
    )
}

fn words(id: &str) -> String {
    id.replace('_', " ")
}

/// "What I understood": every phrase read from the text and what it was taken to mean, so
/// a person can correct a misreading with `--answers`.
fn render_understood(out: &mut String, assessment: &Assessment, reading: &Reading) {
    let bold = Style::new().bold();
    let _ = writeln!(out, "\n{bold}What I understood{bold:#}");
    if let Some(who) = &reading.about {
        let _ = writeln!(out, "  I read this as being about your {who}.");
    }
    if reading.mentions.is_empty() {
        let _ = writeln!(
            out,
            "  Nothing I recognise. Try naming what you feel, or answer questions with --answers."
        );
    }
    for mention in &reading.mentions {
        let overridden = assessment
            .findings
            .iter()
            .find(|f| f.id == mention.finding)
            .is_some_and(|f| f.origin == Origin::Answer);
        let what = match &mention.shown_value {
            Some(value) => format!("{} = {value}", words(&mention.finding)),
            None => words(&mention.finding),
        };
        let (mark, meaning) = match mention.outcome {
            Outcome::Present => ("✓", String::new()),
            Outcome::Absent => ("✗", " — you said no".to_string()),
            Outcome::Uncertain => ("?", " — not sure, left unanswered".to_string()),
            Outcome::Historical => ("·", " — in the past, not counted now".to_string()),
            Outcome::Hypothetical => ("·", " — only \"if\", not counted".to_string()),
            Outcome::SomeoneElse => ("·", " — about someone else, not counted".to_string()),
        };
        let trigger = mention
            .trigger
            .as_ref()
            .map(|t| format!(" (\"{}\")", t.span.text))
            .unwrap_or_default();
        let replaced = if overridden {
            " — replaced by your answer"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {mark} {what}{meaning}{trigger}{replaced}   ← \"{}\"",
            mention.span.text
        );
    }
}

/// A finding's plain words: its checklist label, or its meaning.
fn label<'kb>(kb: &'kb KnowledgeBase, id: &str) -> &'kb str {
    kb.finding_id(id).map_or("", |f| kb.finding_label(f))
}

/// The person's words a finding was read from, when it came from the text.
fn their_words(assessment: &Assessment, id: &str) -> Option<String> {
    let finding = assessment.findings.iter().find(|f| f.id == id)?;
    quoted(finding.evidence.iter().map(|span| span.text.as_str()))
}

/// The banner: the level (or what it is if none of the unchecked signs applies) and what
/// to do now.
fn render_banner(out: &mut String, kb: &KnowledgeBase, assessment: &Assessment) {
    let triage = &assessment.triage;
    let info = kb.level_info(triage.level);
    let heading = kb.level_heading(triage.level, triage.unscreened_red_flags.len());
    // A level that holds only if none of the unchecked signs applies is never green.
    let style = if heading != info.label {
        Style::new().bold().fg_color(Some(AnsiColor::Yellow.into()))
    } else {
        level_style(triage.level)
    };
    let rule = "═".repeat(64);
    let _ = writeln!(out, "{style}{rule}{style:#}");
    let _ = writeln!(out, "{style}  {}{style:#}", heading.to_uppercase());
    let _ = writeln!(out, "  {}", info.tell);
    // What to do should going there be unsafe or it get worse (as the web page says it).
    if let Some(if_worse) = &info.if_worse {
        let _ = writeln!(out, "  {if_worse}");
    }
    let _ = writeln!(out, "{style}{rule}{style:#}");
}

/// An emergency result is short: the banner, the reason in the person's words, what to do
/// while waiting, the numbers, and the banner again as the last line, so that it stays on
/// screen. Nothing that competes with it.
fn render_emergency(kb: &KnowledgeBase, assessment: &Assessment) -> String {
    let mut out = String::new();
    let triage = &assessment.triage;
    let info = kb.level_info(triage.level);
    let style = level_style(triage.level);
    let bold = Style::new().bold();
    render_banner(&mut out, kb, assessment);
    let _ = writeln!(out, "\n{bold}Why{bold:#}");
    for fired in triage
        .fired_rules
        .iter()
        .filter(|r| r.level == triage.level)
    {
        let _ = writeln!(out, "  • {}", fired.why);
        for id in &fired.findings {
            match their_words(assessment, id) {
                Some(words) => {
                    let _ = writeln!(out, "    you wrote: “{words}”");
                }
                None => {
                    let _ = writeln!(out, "    you said: {}", label(kb, id));
                }
            }
        }
    }
    if !info.while_waiting.is_empty() {
        let _ = writeln!(out, "\n{bold}While you wait{bold:#}");
        for step in &info.while_waiting {
            let _ = writeln!(out, "  • {step}");
        }
    }
    let numbers: Vec<String> = kb
        .emergency_numbers
        .iter()
        .map(|n| format!("{} ({})", n.number, n.place))
        .collect();
    let _ = writeln!(
        out,
        "\n{bold}Emergency numbers{bold:#}\n  {}",
        numbers.join(" · ")
    );
    let _ = writeln!(out, "\n{}", assessment.disclaimer);
    let _ = writeln!(
        out,
        "{style}{}: {}{style:#}",
        info.label.to_uppercase(),
        info.tell
    );
    out
}

/// Renders the report (with ANSI styles; the caller's stream strips them when needed).
pub fn render(kb: &KnowledgeBase, assessment: &Assessment, reading: Option<&Reading>) -> String {
    let triage = &assessment.triage;
    if triage.level.is_emergency() {
        return render_emergency(kb, assessment);
    }
    let mut out = String::new();
    let bold = Style::new().bold();
    render_banner(&mut out, kb, assessment);

    if triage.screening == Screening::Partial {
        if !assessment.possible_red_flags.is_empty() {
            let warn = Style::new().bold().fg_color(Some(AnsiColor::Yellow.into()));
            let _ = writeln!(out, "\n{warn}{}{warn:#}", kb.screening.possible);
            for possible in &assessment.possible_red_flags {
                let _ = writeln!(
                    out,
                    "  • {} — you wrote: “{}”",
                    label(kb, possible.finding),
                    possible.words
                );
            }
        }
        let _ = writeln!(
            out,
            "\n{bold}{}:{bold:#}\n  upperback interview{}",
            kb.screening.check,
            if reading.is_some() {
                " --text \"<the same words>\""
            } else {
                ""
            }
        );
    }

    if let Some(reading) = reading {
        render_understood(&mut out, assessment, reading);
    }

    if !triage.fired_rules.is_empty() {
        let _ = writeln!(out, "\n{bold}Why{bold:#}");
        for fired in &triage.fired_rules {
            let _ = writeln!(
                out,
                "  • {} [{}]\n    because: {}{}\n    source: {}",
                fired.why,
                fired.level.as_str().replace('_', " "),
                fired
                    .findings
                    .iter()
                    .map(|f| words(f))
                    .collect::<Vec<_>>()
                    .join(", "),
                if fired.not_ruled_out.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (not ruled out: {})",
                        fired
                            .not_ruled_out
                            .iter()
                            .map(|f| words(f))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                fired.source
            );
        }
    }

    if !triage.unscreened_red_flags.is_empty() {
        let warn = if triage.level == TriageLevel::SelfCare {
            Style::new().bold().fg_color(Some(AnsiColor::Yellow.into()))
        } else {
            bold
        };
        let _ = writeln!(
            out,
            "\n{warn}Not checked: {} warning sign(s){warn:#} — if you have any of these, the advice changes:",
            triage.unscreened_red_flags.len()
        );
        let _ = writeln!(
            out,
            "  {}",
            triage
                .unscreened_red_flags
                .iter()
                .map(|f| words(f))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    let _ = writeln!(
        out,
        "\n{bold}What may be contributing{bold:#} (contributing factors, not a diagnosis)"
    );
    for cause in &assessment.causes {
        let reasons: Vec<String> = cause
            .evidence
            .iter()
            .take(3)
            .map(|e| {
                let arrow = if e.likelihood_ratio > 1.0 {
                    "↑"
                } else {
                    "↓"
                };
                let what = match e.status {
                    Status::Absent => format!("no {}", words(e.finding)),
                    _ => words(e.finding),
                };
                format!("{arrow} {what}")
            })
            .collect();
        let _ = writeln!(
            out,
            "  {:<34} {} {:>3.0}%  {}",
            cause.name,
            bar(cause.probability),
            cause.probability * 100.0,
            reasons.join(", ")
        );
    }

    let plan = &assessment.care_plan;
    if !plan.advice.is_empty() {
        let _ = writeln!(out, "\n{bold}What to do{bold:#}");
        let mut current_cause: Option<&str> = None;
        for item in &plan.advice {
            if item.cause != current_cause {
                current_cause = item.cause;
                if let Some(cause) = item.cause {
                    let name = assessment
                        .causes
                        .iter()
                        .find(|c| c.id == cause)
                        .map(|c| c.name)
                        .unwrap_or(cause);
                    let _ = writeln!(out, "  For {}:", name.to_lowercase());
                }
            }
            let _ = writeln!(out, "  • {}", item.text);
        }
    }

    if !plan.watch_for.is_empty() {
        let _ = writeln!(out, "\n{bold}Get help at once if{bold:#}");
        for item in &plan.watch_for {
            let style = level_style(item.level);
            let label = kb.level_info(item.level).label.to_lowercase();
            let _ = writeln!(out, "  • {} {style}→ {label}{style:#}", item.text);
        }
    }
    let _ = writeln!(out, "\n{bold}Follow-up{bold:#}\n  {}", plan.follow_up.text);

    let _ = writeln!(out, "\n{}", assessment.disclaimer);
    let _ = writeln!(
        out,
        "Knowledge base {} ({})",
        assessment.knowledge_base.version, assessment.knowledge_base.digest
    );
    out
}

/// Prints the report to standard output.
pub fn print(kb: &KnowledgeBase, assessment: &Assessment, reading: Option<&Reading>) {
    use std::io::Write;
    let mut stdout = anstream::stdout();
    let _ = stdout.write_all(render(kb, assessment, reading).as_bytes());
}
