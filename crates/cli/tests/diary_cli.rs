//! End-to-end tests of `upperback diary`: add → check-in → show (with the 72-hour follow-up
//! rule at a fixed `--now`) → list → chart, on a temporary SQLite file; bad input exits 2
//! with one line.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

mod common;
use common::assert_bad_input;

/// Runs `upperback diary ARGS --database sqlite://DB`.
fn diary(db: &str, args: &[&str]) -> Output {
    let mut all = vec!["diary"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--database", db]);
    common::upperback(&all, None)
}

fn ok(output: Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn database(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("diary.db").display())
}

fn show_json(db: &str, id: &str, now: &str) -> Value {
    let out = ok(diary(db, &["show", id, "--now", now, "--json"]));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn add_check_in_show_list_chart() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());

    let id = ok(diary(
        &db,
        &[
            "add",
            "--started-at",
            "2024-05-01T08:00:00Z",
            "--location",
            "between_shoulder_blades",
            "--severity",
            "7",
            "--trigger",
            "lifting",
            "--trigger",
            "long drive",
        ],
    ))
    .trim()
    .to_string();
    assert_eq!(id.len(), 36, "an id: {id}");

    // Before any check-in: due at start + 72 h, not overdue.
    let v = show_json(&db, &id, "2024-05-05T08:00:00Z");
    assert_eq!(v["episode"]["id"], id.as_str());
    assert_eq!(v["episode"]["severity"], 7);
    assert_eq!(v["episode"]["triggers"][1], "long drive");
    assert_eq!(v["check_ins"].as_array().unwrap().len(), 0);
    assert_eq!(v["follow_up"]["due_at"], "2024-05-04T08:00:00Z");
    assert_eq!(v["follow_up"]["overdue"], false);

    ok(diary(
        &db,
        &[
            "check-in",
            &id,
            "--severity",
            "6",
            "--improving",
            "no",
            "--home-care",
            "heat,ice",
            "--at",
            "2024-05-02T08:00:00Z",
        ],
    ));
    let out = ok(diary(
        &db,
        &[
            "check-in",
            &id,
            "--severity",
            "6",
            "--improving",
            "no",
            "--home-care",
            "heat, stretches",
            "--at",
            "2024-05-03T20:00:00+02:00",
        ],
    ));
    assert!(out.contains("Check-in recorded"), "{out}");

    // Exactly 72 hours: due, not overdue.
    let v = show_json(&db, &id, "2024-05-04T08:00:00Z");
    assert_eq!(v["check_ins"].as_array().unwrap().len(), 2);
    assert_eq!(v["check_ins"][0]["home_care"][1], "ice");
    assert_eq!(v["check_ins"][1]["at"], "2024-05-03T18:00:00Z");
    assert_eq!(v["follow_up"]["overdue"], false);
    assert_eq!(v["follow_up"]["level"], Value::Null);

    // One second past 72 hours, home care tried, not improving: overdue, within days.
    let v = show_json(&db, &id, "2024-05-04T08:00:01Z");
    assert_eq!(v["follow_up"]["overdue"], true);
    assert_eq!(v["follow_up"]["level"], "within_days");

    // The text shows the banner only when overdue: the hours and the follow-up level's
    // `tell`, both from the knowledge base.
    let kb = upperback_core::KnowledgeBase::embedded();
    let since = format!(
        "It has been more than {} hours without relief despite home care.",
        kb.care.follow_up_after_hours
    );
    let banner = format!("{since} {}", kb.level_info(kb.care.follow_up_level).tell);
    let text = ok(diary(&db, &["show", &id, "--now", "2024-05-05T08:00:00Z"]));
    assert!(text.contains(&banner), "{text}");
    assert!(text.contains("severity 6/10, not improving, home care: heat, ice"));
    let text = ok(diary(&db, &["show", &id, "--now", "2024-05-04T08:00:00Z"]));
    assert!(!text.contains(&since), "{text}");

    // Improving at the latest check-in: not overdue any more.
    ok(diary(
        &db,
        &[
            "check-in",
            &id,
            "--severity",
            "3",
            "--improving",
            "yes",
            "--at",
            "2024-05-04T12:00:00Z",
        ],
    ));
    let v = show_json(&db, &id, "2024-05-05T08:00:00Z");
    assert_eq!(v["follow_up"]["overdue"], false);

    // A second episode; list is newest first.
    let second = ok(diary(&db, &["add", "--started-at", "2024-06-01T08:00:00Z"]))
        .trim()
        .to_string();
    let list = ok(diary(&db, &["list", "--now", "2024-06-01T09:00:00Z"]));
    let first_at = list.find(&second).expect("second listed");
    let second_at = list.find(&id).expect("first listed");
    assert!(first_at < second_at, "{list}");
    let v: Value = serde_json::from_str(&ok(diary(
        &db,
        &["list", "--json", "--now", "2024-06-01T09:00:00Z"],
    )))
    .unwrap();
    let episodes = v["episodes"].as_array().unwrap();
    assert_eq!(episodes.len(), 2);
    assert_eq!(episodes[0]["id"], second.as_str());
    assert_eq!(episodes[1]["check_ins"], 3);

    // The chart.
    let svg_path = dir.path().join("chart.svg");
    let out = ok(diary(
        &db,
        &[
            "chart",
            &id,
            "--output",
            svg_path.to_str().unwrap(),
            "--now",
            "2024-05-05T08:00:00Z",
        ],
    ));
    assert!(out.contains("chart.svg"));
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.contains("<polyline") || svg.contains("<path"));
    assert_eq!(svg.matches("<circle").count(), 3, "one point per check-in");
    assert!(svg.trim_end().ends_with("</svg>"));
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let unknown = "0b7f1c0e-9a59-4c8e-9d55-2f4f7a0c3b11";

    assert_bad_input(
        &diary(&db, &["show", unknown]),
        &[&format!("no episode `{unknown}`")],
    );
    assert_bad_input(&diary(&db, &["show", "nope"]), &["no episode `nope`"]);
    assert_bad_input(
        &diary(
            &db,
            &["check-in", unknown, "--severity", "5", "--improving", "no"],
        ),
        &["no episode"],
    );
    assert_bad_input(
        &diary(
            &db,
            &["chart", unknown, "--output", "/tmp/never-written.svg"],
        ),
        &["no episode"],
    );
    assert_bad_input(
        &diary(
            &db,
            &[
                "add",
                "--started-at",
                "2024-05-01T08:00:00Z",
                "--severity",
                "11",
            ],
        ),
        &["--severity", "0 to 10"],
    );
    assert_bad_input(
        &diary(&db, &["add", "--started-at", "yesterday"]),
        &["--started-at", "RFC 3339"],
    );
    assert_bad_input(
        &diary(
            &db,
            &[
                "add",
                "--started-at",
                "2024-05-01T08:00:00Z",
                "--location",
                "knee",
            ],
        ),
        &["unknown location `knee`", "between_shoulder_blades"],
    );
    assert_bad_input(
        &diary(
            &db,
            &[
                "add",
                "--started-at",
                "2024-05-01T08:00:00Z",
                "--assessment",
                unknown,
            ],
        ),
        &["no assessment"],
    );

    let id = ok(diary(&db, &["add", "--started-at", "2024-05-01T08:00:00Z"]))
        .trim()
        .to_string();
    assert_bad_input(
        &diary(
            &db,
            &["check-in", &id, "--severity", "11", "--improving", "no"],
        ),
        &["--severity"],
    );
    assert_bad_input(
        &diary(
            &db,
            &["check-in", &id, "--severity", "5", "--improving", "maybe"],
        ),
        &["--improving", "yes or no"],
    );
    assert_bad_input(
        &diary(
            &db,
            &[
                "check-in",
                &id,
                "--severity",
                "5",
                "--improving",
                "no",
                "--at",
                "noon",
            ],
        ),
        &["--at"],
    );
    // Before the episode started: the store refuses it.
    assert_bad_input(
        &diary(
            &db,
            &[
                "check-in",
                &id,
                "--severity",
                "5",
                "--improving",
                "no",
                "--at",
                "2024-04-30T08:00:00Z",
            ],
        ),
        &[],
    );
    assert_bad_input(&diary(&db, &["show", &id, "--now", "later"]), &["--now"]);
    // Nothing bad was stored.
    let v: Value = serde_json::from_str(&ok(diary(&db, &["show", &id, "--json"]))).unwrap();
    assert_eq!(v["check_ins"].as_array().unwrap().len(), 0);
    assert_bad_input(
        &common::upperback(&["diary", "list", "--database", "ftp://nowhere"], None),
        &["unsupported database"],
    );
}
