//! The diary chart: an episode's severity over time, as SVG (`upperback diary chart`, and
//! `GET /api/v1/episodes/{id}/chart.svg`).
//!
//! Drawn with `plotters`' SVG backend only: text is written as SVG `<text>` elements, so no
//! font file or C library is needed.
//!
//! - x axis: hours since the episode started (from 0 to past the follow-up time, the latest
//!   check-in and `now`, whichever is last);
//! - y axis: severity, 0 to 10;
//! - the severity at the start (when the episode has one) is a square, each check-in a circle
//!   (filled when it reports "improving"), joined by a line in time order;
//! - the follow-up time (the knowledge base's hours, 72 in care.toml) is a vertical dashed line, red and labelled "overdue" when the
//!   follow-up rule ([`crate::follow_up`]) says the episode is overdue at `now`.

use chrono::{DateTime, Utc};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::{EpisodeDetail, FollowUpRule};

/// Width and height of the chart, in pixels.
pub const CHART_SIZE: (u32, u32) = (800, 450);

const LINE: RGBColor = RGBColor(31, 119, 180);
const DUE: RGBColor = RGBColor(120, 120, 120);
const OVERDUE: RGBColor = RGBColor(200, 30, 30);

/// The severity chart of an episode at `now` under the follow-up `rule`, as a standalone SVG
/// document (starting with `<svg`). Pure: same input, same output.
pub fn severity_chart_svg(
    detail: &EpisodeDetail,
    rule: FollowUpRule,
    now: DateTime<Utc>,
) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, CHART_SIZE).into_drawing_area();
        // Drawing into a string cannot fail for want of a device; should plotters still
        // refuse something, the document stays well formed (the backend closes it on drop).
        let _ = draw(&root, detail, rule, now);
        let _ = root.present();
    }
    svg
}

/// Hours from the start of the episode to `t`.
fn hours_since(start: DateTime<Utc>, t: DateTime<Utc>) -> f64 {
    (t - start).num_milliseconds() as f64 / 3_600_000.0
}

fn draw(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    detail: &EpisodeDetail,
    rule: FollowUpRule,
    now: DateTime<Utc>,
) -> Result<(), Box<dyn std::error::Error>> {
    let start = detail.episode.started_at;
    let follow_up = detail.follow_up(rule, now);
    let due = rule.hours();

    let mut check_ins: Vec<(f64, f64, bool)> = detail
        .check_ins
        .iter()
        .map(|c| (hours_since(start, c.at), f64::from(c.severity), c.improving))
        .collect();
    check_ins.sort_by(|a, b| a.0.total_cmp(&b.0));
    let initial = detail.episode.severity.map(|s| (0.0, f64::from(s)));

    let latest = check_ins.iter().map(|p| p.0).fold(0.0, f64::max);
    let span = due.max(latest).max(hours_since(start, now)).max(0.0);
    let x_max = (span * 1.1).max(due + 12.0);

    root.fill(&WHITE)?;
    let caption = format!(
        "Severity over time (episode started {})",
        start.format("%Y-%m-%d %H:%M UTC")
    );
    let mut chart = ChartBuilder::on(root)
        .caption(caption, ("sans-serif", 24))
        .margin(15)
        .x_label_area_size(50)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..x_max, 0.0..10.0)?;
    chart
        .configure_mesh()
        .x_desc("time: hours since the episode started")
        .y_desc("severity (0-10)")
        .axis_desc_style(("sans-serif", 17))
        .label_style(("sans-serif", 15))
        .y_labels(11)
        .x_labels(12)
        .light_line_style(WHITE.mix(0.0))
        .draw()?;

    // The follow-up time.
    let color = if follow_up.overdue { OVERDUE } else { DUE };
    chart.draw_series(DashedLineSeries::new(
        [(due, 0.0), (due, 10.0)],
        6,
        4,
        color.stroke_width(2),
    ))?;
    let label = if follow_up.overdue {
        format!("{due} h follow-up: overdue")
    } else {
        format!("{due} h follow-up")
    };
    chart.draw_series(std::iter::once(Text::new(
        label,
        (due + x_max * 0.01, 9.7),
        ("sans-serif", 17).into_font().color(&color),
    )))?;

    // Severity over time.
    let line: Vec<(f64, f64)> = initial
        .into_iter()
        .chain(check_ins.iter().map(|&(x, y, _)| (x, y)))
        .collect();
    if line.len() > 1 {
        chart.draw_series(LineSeries::new(line, LINE.stroke_width(2)))?;
    }
    if let Some(p) = initial {
        chart.draw_series(std::iter::once(
            EmptyElement::at(p) + Rectangle::new([(-5, -5), (5, 5)], LINE.filled()),
        ))?;
    }
    // One circle per check-in: filled when it reports "improving", hollow otherwise.
    chart.draw_series(check_ins.iter().map(|&(x, y, improving)| {
        let style = if improving {
            LINE.filled()
        } else {
            LINE.stroke_width(2)
        };
        Circle::new((x, y), 5, style)
    }))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CheckIn, CheckInId, Episode, EpisodeId};
    use chrono::Duration;

    /// The rule of care.toml today.
    fn r72() -> FollowUpRule {
        FollowUpRule::new(72.0, "within_days").unwrap()
    }

    fn t(h: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap() + Duration::hours(h)
    }

    fn detail(check_ins: &[(i64, u8, bool, bool)]) -> EpisodeDetail {
        let episode = Episode {
            id: EpisodeId::random(),
            owner: None,
            created_at: t(0),
            started_at: t(0),
            location: Some("between_shoulder_blades".into()),
            severity: Some(7),
            triggers: vec!["lifting".into()],
            assessment: None,
        };
        let check_ins = check_ins
            .iter()
            .map(|&(h, severity, improving, home_care)| CheckIn {
                id: CheckInId::random(),
                episode: episode.id,
                created_at: t(h),
                at: t(h),
                severity,
                improving,
                home_care: if home_care {
                    vec!["heat".into()]
                } else {
                    vec![]
                },
            })
            .collect();
        EpisodeDetail { episode, check_ins }
    }

    #[test]
    fn one_point_per_check_in_with_axes_and_the_follow_up_line() {
        let d = detail(&[
            (6, 6, false, true),
            (30, 5, false, true),
            (80, 6, false, true),
        ]);
        let svg = severity_chart_svg(&d, r72(), t(90));
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.trim_end().ends_with("</svg>"));
        // One point per check-in.
        assert_eq!(svg.matches("<circle").count(), d.check_ins.len());
        // The severity line and the follow-up line.
        assert!(svg.matches("<polyline").count() >= 1);
        assert!(svg.contains("<line") || svg.matches("<polyline").count() >= 2);
        assert!(svg.contains("hours since the episode started"));
        assert!(svg.contains("severity (0-10)"));
        assert!(svg.contains("72 h follow-up: overdue"));
        assert!(svg.contains("Severity over time"));
    }

    #[test]
    fn not_overdue_at_72_hours_and_no_check_in_is_still_a_chart() {
        let d = detail(&[(24, 6, false, true)]);
        let svg = severity_chart_svg(&d, r72(), t(72));
        assert!(svg.contains("72 h follow-up"));
        assert!(!svg.contains("overdue"));
        assert_eq!(svg.matches("<circle").count(), 1);

        let empty = detail(&[]);
        let svg = severity_chart_svg(&empty, r72(), t(1));
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("<circle").count(), 0);
        assert!(svg.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn same_input_same_output() {
        let d = detail(&[(6, 6, true, true)]);
        assert_eq!(
            severity_chart_svg(&d, r72(), t(10)),
            severity_chart_svg(&d, r72(), t(10))
        );
    }

    #[test]
    fn the_follow_up_line_is_where_the_rule_says() {
        let d = detail(&[(24, 6, false, true)]);
        let rule = FollowUpRule::new(48.0, "within_days").unwrap();
        let svg = severity_chart_svg(&d, rule, t(50));
        assert!(svg.contains("48 h follow-up: overdue"), "{svg}");
        assert!(!svg.contains("72 h"));
    }
}
