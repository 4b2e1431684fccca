//! `upperback diary`: a diary of episodes and check-ins, with the follow-up rule (the
//! knowledge base's hours, 72 in care.toml; `../shared/contracts/http.md`, "Episodes").
//! Local single-person mode: the store is read as [`Viewer::Local`]; by default the embedded
//! SQLite file at [`upperback_store::default_path`].

use std::future::Future;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use anstyle::{AnsiColor, Style};
use chrono::{DateTime, SecondsFormat, Utc};
use clap::{Args, Subcommand};
use serde_json::json;
use upperback_core::{FindingKind, KnowledgeBase};
use upperback_store::{
    AssessmentId, CheckIn, Episode, EpisodeDetail, EpisodeId, FollowUp, FollowUpRule, NewCheckIn,
    NewEpisode, Store, StoreError, Viewer,
};

use crate::{bad_input, CliError};

/// The diary's follow-up rule, from the knowledge base (care.toml `[follow_up] after_hours`
/// and `level`), so the diary and the care plan cannot disagree.
pub fn follow_up_rule(kb: &KnowledgeBase) -> FollowUpRule {
    FollowUpRule::new(
        kb.care.follow_up_after_hours,
        kb.care.follow_up_level.as_str(),
    )
    .expect("the knowledge base checks its follow-up hours (one second to a year) and level")
}

/// What the diary says when the follow-up `rule` fires: how long it has been, then what the
/// knowledge base's follow-up level tells (care.toml `[follow_up] level`, its `tell` in
/// triage.toml).
pub fn overdue_banner(kb: &KnowledgeBase, rule: FollowUpRule) -> String {
    format!(
        "It has been more than {} hours without relief despite home care. {}",
        rule.hours(),
        kb.level_info(kb.care.follow_up_level).tell
    )
}

#[derive(Subcommand)]
pub enum DiaryCommand {
    /// Start an episode; prints its id.
    Add(AddArgs),
    /// Record how an episode is going: severity, improving or not, home care tried.
    CheckIn(CheckInArgs),
    /// The episodes, newest first, with their follow-up status.
    List(ListArgs),
    /// An episode, its check-ins and its follow-up (the knowledge base's follow-up hours).
    Show(ShowArgs),
    /// Draw an episode's severity over time as an SVG file.
    Chart(ChartArgs),
}

#[derive(Args)]
pub struct DatabaseArg {
    /// Where the diary is kept: by default the embedded SQLite database in your data
    /// directory; `sqlite://PATH`, `postgres://…` or `memory`.
    #[arg(long, value_name = "URL")]
    database: Option<String>,
}

impl DatabaseArg {
    /// The `--database` value, if given.
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }
}

#[derive(Args)]
pub struct AddArgs {
    /// When it started (RFC 3339, e.g. 2024-05-01T08:00:00Z or 2024-05-01T10:00:00+02:00).
    #[arg(long, value_name = "RFC3339")]
    started_at: String,
    /// Where it is felt: between_shoulder_blades, top_of_shoulders, one_side_upper_back,
    /// mid_back, wraps_around_ribs, lower_back.
    #[arg(long, value_name = "L")]
    location: Option<String>,
    /// How bad it is, 0 (none) to 10 (worst imaginable).
    #[arg(long, value_name = "0-10")]
    severity: Option<String>,
    /// What set it off (repeat for several).
    #[arg(long = "trigger", value_name = "T")]
    triggers: Vec<String>,
    /// The id of a stored assessment this episode started from.
    #[arg(long, value_name = "ID")]
    assessment: Option<String>,
    #[command(flatten)]
    db: DatabaseArg,
}

#[derive(Args)]
pub struct CheckInArgs {
    /// The episode's id (from `diary add` or `diary list`).
    episode: String,
    /// How bad it is now, 0 to 10.
    #[arg(long, value_name = "N")]
    severity: String,
    /// Is it getting better? yes or no.
    #[arg(long, value_name = "yes|no")]
    improving: String,
    /// Home care tried since the last check-in, comma-separated (heat, ice, rest,
    /// stretches, pain relief, …).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    home_care: Vec<String>,
    /// When (RFC 3339); by default now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    #[command(flatten)]
    db: DatabaseArg,
}

#[derive(Args)]
pub struct ListArgs {
    /// Judge the follow-up at this time (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DatabaseArg,
}

#[derive(Args)]
pub struct ShowArgs {
    /// The episode's id.
    episode: String,
    /// Judge the follow-up at this time (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// Print JSON: `episode`, `check_ins`, `follow_up` (`due_at`, `overdue`, `level`), `now`.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DatabaseArg,
}

#[derive(Args)]
pub struct ChartArgs {
    /// The episode's id.
    episode: String,
    /// The SVG file to write.
    #[arg(long, value_name = "FILE")]
    output: String,
    /// Draw the follow-up as at this time (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    #[command(flatten)]
    db: DatabaseArg,
}

pub fn run(command: DiaryCommand) -> Result<ExitCode, CliError> {
    match command {
        DiaryCommand::Add(args) => add(args),
        DiaryCommand::CheckIn(args) => check_in(args),
        DiaryCommand::List(args) => list(args),
        DiaryCommand::Show(args) => show(args),
        DiaryCommand::Chart(args) => chart(args),
    }
}

// ---- the commands ----

fn add(args: AddArgs) -> Result<ExitCode, CliError> {
    let new = NewEpisode {
        started_at: parse_time("--started-at", &args.started_at)?,
        location: args.location.as_deref().map(parse_location).transpose()?,
        severity: args
            .severity
            .as_deref()
            .map(|s| parse_severity("--severity", s))
            .transpose()?,
        triggers: clean_list(args.triggers),
        assessment: args
            .assessment
            .as_deref()
            .map(|id| {
                id.trim()
                    .parse::<AssessmentId>()
                    .map_err(|_| bad_input(format!("no assessment `{id}`")))
            })
            .transpose()?,
    };
    let assessment = new.assessment;
    let episode = with_store(args.db.database(), |store| async move {
        store.create_episode(None, new).await.map_err(|e| match e {
            StoreError::NotFound => bad_input(format!(
                "no assessment `{}`",
                assessment.map(|a| a.to_string()).unwrap_or_default()
            )),
            other => store_error(other),
        })
    })?;
    println!("{}", episode.id);
    Ok(ExitCode::SUCCESS)
}

fn check_in(args: CheckInArgs) -> Result<ExitCode, CliError> {
    let id = parse_episode_id(&args.episode)?;
    let new = NewCheckIn {
        at: match &args.at {
            Some(at) => parse_time("--at", at)?,
            None => upperback_store::now_micros(),
        },
        severity: parse_severity("--severity", &args.severity)?,
        improving: parse_yes_no("--improving", &args.improving)?,
        home_care: clean_list(args.home_care),
    };
    let now = upperback_store::now_micros().max(new.at);
    let kb = KnowledgeBase::embedded();
    let rule = follow_up_rule(kb);
    let (check_in, detail) = with_store(args.db.database(), |store| async move {
        let check_in = store
            .add_check_in(Viewer::Local, id, new)
            .await
            .map_err(|e| episode_error(e, id))?;
        let detail = load(&*store, id).await?;
        Ok((check_in, detail))
    })?;
    let follow_up = detail.follow_up(rule, now);
    let mut out = anstream::stdout();
    let _ = writeln!(
        out,
        "Check-in recorded for episode {}: {}",
        detail.episode.id,
        describe_check_in(&check_in)
    );
    let _ = write!(out, "{}", render_follow_up(kb, &follow_up, rule, now));
    Ok(ExitCode::SUCCESS)
}

fn list(args: ListArgs) -> Result<ExitCode, CliError> {
    let now = parse_now(args.now.as_deref())?;
    let rule = follow_up_rule(KnowledgeBase::embedded());
    let details = with_store(args.db.database(), |store| async move {
        store
            .episode_details(Viewer::Local, usize::MAX)
            .await
            .map_err(store_error)
    })?;
    if args.json {
        let items: Vec<_> = details
            .iter()
            .map(|d| {
                let mut v = serde_json::to_value(&d.episode).unwrap_or_default();
                v["check_ins"] = json!(d.check_ins.len());
                v["follow_up"] = json!(d.follow_up(rule, now));
                v
            })
            .collect();
        print_json(&json!({ "now": now, "episodes": items }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = anstream::stdout();
    if details.is_empty() {
        let _ = writeln!(
            out,
            "No episodes yet. Start one with: upperback diary add --started-at RFC3339"
        );
        return Ok(ExitCode::SUCCESS);
    }
    let _ = writeln!(
        out,
        "{:<36}  {:<17}  {:<23}  {:>8}  {:>9}  follow-up",
        "episode", "started (UTC)", "location", "severity", "check-ins"
    );
    let overdue_style = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
    for d in &details {
        let e = &d.episode;
        let f = d.follow_up(rule, now);
        let status = if f.overdue {
            format!("{overdue_style}overdue{overdue_style:#}")
        } else if now >= f.due_at {
            format!("past {} h, not overdue", rule.hours())
        } else {
            format!("due {}", short_time(f.due_at))
        };
        let _ = writeln!(
            out,
            "{:<36}  {:<17}  {:<23}  {:>8}  {:>9}  {status}",
            e.id,
            short_time(e.started_at),
            e.location.as_deref().unwrap_or("-"),
            e.severity
                .map(|s| format!("{s}/10"))
                .unwrap_or_else(|| "-".into()),
            d.check_ins.len(),
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn show(args: ShowArgs) -> Result<ExitCode, CliError> {
    let id = parse_episode_id(&args.episode)?;
    let now = parse_now(args.now.as_deref())?;
    let kb = KnowledgeBase::embedded();
    let rule = follow_up_rule(kb);
    let detail = with_store(args.db.database(), |store| async move {
        load(&*store, id).await
    })?;
    let follow_up = detail.follow_up(rule, now);
    if args.json {
        print_json(&json!({
            "episode": detail.episode,
            "check_ins": detail.check_ins,
            "follow_up": follow_up,
            "now": now,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = anstream::stdout();
    let _ = write!(out, "{}", render_episode(&detail.episode));
    let _ = writeln!(out, "Check-ins ({}):", detail.check_ins.len());
    if detail.check_ins.is_empty() {
        let _ = writeln!(
            out,
            "  none yet (upperback diary check-in {})",
            detail.episode.id
        );
    }
    for c in &detail.check_ins {
        let _ = writeln!(out, "  {}", describe_check_in(c));
    }
    let _ = write!(out, "{}", render_follow_up(kb, &follow_up, rule, now));
    Ok(ExitCode::SUCCESS)
}

fn chart(args: ChartArgs) -> Result<ExitCode, CliError> {
    let id = parse_episode_id(&args.episode)?;
    let now = parse_now(args.now.as_deref())?;
    if args.output.trim().is_empty() {
        return Err(bad_input("--output needs a file name"));
    }
    let rule = follow_up_rule(KnowledgeBase::embedded());
    let detail = with_store(args.db.database(), |store| async move {
        load(&*store, id).await
    })?;
    let svg = upperback_store::chart::severity_chart_svg(&detail, rule, now);
    std::fs::write(&args.output, svg)
        .map_err(|e| bad_input(format!("cannot write `{}`: {e}", args.output)))?;
    println!("Wrote {}", args.output);
    Ok(ExitCode::SUCCESS)
}

// ---- the store ----

/// Opens the store (`--database`, or the default SQLite file), runs `work` on a
/// single-threaded runtime, and closes the store cleanly whatever `work` answered.
pub(crate) fn with_store<T, F, Fut>(database: Option<&str>, work: F) -> Result<T, CliError>
where
    F: FnOnce(Arc<dyn Store>) -> Fut,
    Fut: Future<Output = Result<T, CliError>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failure(anyhow::anyhow!("cannot start the runtime: {e}")))?;
    runtime.block_on(async move {
        let store = match database {
            Some(url) => upperback_store::open(url).await,
            None => upperback_store::open_default().await,
        }
        .map_err(|e| match e {
            StoreError::Invalid(message) => bad_input(message),
            other => {
                CliError::Failure(anyhow::Error::new(other).context("cannot open the database"))
            }
        })?;
        let outcome = work(store.clone()).await;
        store.close().await;
        outcome
    })
}

async fn load(store: &dyn Store, id: EpisodeId) -> Result<EpisodeDetail, CliError> {
    store
        .episode(Viewer::Local, id)
        .await
        .map_err(|e| episode_error(e, id))?
        .ok_or_else(|| bad_input(format!("no episode `{id}`")))
}

fn episode_error(e: StoreError, id: EpisodeId) -> CliError {
    match e {
        StoreError::NotFound => bad_input(format!("no episode `{id}`")),
        other => store_error(other),
    }
}

/// `Invalid` is the input's fault (exit 2, its message is one line safe to show); anything
/// else is a failure.
pub(crate) fn store_error(e: StoreError) -> CliError {
    match e {
        StoreError::Invalid(message) => bad_input(message),
        other => CliError::Failure(anyhow::Error::new(other)),
    }
}

// ---- parsing ----

fn parse_time(flag: &str, s: &str) -> Result<DateTime<Utc>, CliError> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            bad_input(format!(
                "{flag} `{s}` is not an RFC 3339 time (e.g. 2024-05-01T08:00:00Z)"
            ))
        })
}

fn parse_now(s: Option<&str>) -> Result<DateTime<Utc>, CliError> {
    match s {
        Some(s) => parse_time("--now", s),
        None => Ok(upperback_store::now_micros()),
    }
}

fn parse_severity(flag: &str, s: &str) -> Result<u8, CliError> {
    match s.trim().parse::<u8>() {
        Ok(n) if n <= 10 => Ok(n),
        _ => Err(bad_input(format!(
            "{flag} `{s}` must be a whole number from 0 to 10"
        ))),
    }
}

fn parse_yes_no(flag: &str, s: &str) -> Result<bool, CliError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" => Ok(false),
        _ => Err(bad_input(format!("{flag} `{s}` must be yes or no"))),
    }
}

fn parse_episode_id(s: &str) -> Result<EpisodeId, CliError> {
    s.trim()
        .parse::<EpisodeId>()
        .map_err(|_| bad_input(format!("no episode `{s}`")))
}

/// The location choices of the knowledge base's `location` finding.
fn location_choices() -> Vec<String> {
    let kb = KnowledgeBase::embedded();
    kb.finding_id("location")
        .map(|id| match &kb.finding(id).kind {
            FindingKind::Choice { choices } => choices.clone(),
            _ => Vec::new(),
        })
        .unwrap_or_default()
}

fn parse_location(s: &str) -> Result<String, CliError> {
    let wanted = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    let choices = location_choices();
    if choices.is_empty() || choices.contains(&wanted) {
        Ok(wanted)
    } else {
        Err(bad_input(format!(
            "unknown location `{s}`: choose one of {}",
            choices.join(", ")
        )))
    }
}

/// Trimmed, without empty items.
fn clean_list(items: Vec<String>) -> Vec<String> {
    items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

// ---- output ----

fn print_json(value: &serde_json::Value) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Failure(anyhow::anyhow!("cannot write JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

fn short_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn long_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn render_episode(e: &Episode) -> String {
    let bold = Style::new().bold();
    let mut s = format!("{bold}Episode {}{bold:#}\n", e.id);
    s += &format!("  started:    {}\n", long_time(e.started_at));
    if let Some(l) = &e.location {
        s += &format!("  location:   {l}\n");
    }
    if let Some(v) = e.severity {
        s += &format!("  severity:   {v}/10\n");
    }
    if !e.triggers.is_empty() {
        s += &format!("  triggers:   {}\n", e.triggers.join(", "));
    }
    if let Some(a) = e.assessment {
        s += &format!("  assessment: {a}\n");
    }
    s
}

fn describe_check_in(c: &CheckIn) -> String {
    let care = if c.home_care.is_empty() {
        "no home care".to_string()
    } else {
        format!("home care: {}", c.home_care.join(", "))
    };
    format!(
        "{}  severity {}/10, {}, {care}",
        long_time(c.at),
        c.severity,
        if c.improving {
            "improving"
        } else {
            "not improving"
        }
    )
}

fn render_follow_up(
    kb: &KnowledgeBase,
    f: &FollowUp,
    rule: FollowUpRule,
    now: DateTime<Utc>,
) -> String {
    let mut s = format!("Follow-up: due {}", long_time(f.due_at));
    if f.overdue {
        s += &format!(
            " (overdue; level {})\n",
            f.level.as_deref().unwrap_or(rule.level())
        );
        let banner = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
        s += &format!("\n{banner}{}{banner:#}\n", overdue_banner(kb, rule));
    } else if now > f.due_at {
        s += " (not overdue: no check-in reports home care without improvement)\n";
    } else {
        s += " (not overdue)\n";
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!(parse_severity("--severity", "10").unwrap(), 10);
        assert!(parse_severity("--severity", "11").is_err());
        assert!(parse_severity("--severity", "-1").is_err());
        assert!(parse_yes_no("--improving", "Yes").unwrap());
        assert!(!parse_yes_no("--improving", "no").unwrap());
        assert!(parse_yes_no("--improving", "maybe").is_err());
        assert!(parse_time("--at", "2024-05-01T10:00:00+02:00").is_ok());
        assert!(parse_time("--at", "yesterday").is_err());
        assert_eq!(
            parse_location("Between shoulder blades").unwrap(),
            "between_shoulder_blades"
        );
        assert!(parse_location("knee").is_err());
        assert!(parse_episode_id("nope").is_err());
    }
}
