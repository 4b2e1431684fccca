//! A real browser on the real server: Debian's headless Chromium, driven through
//! chromedriver (fantoccini), goes through one emergency and one self-care interview by
//! clicking and typing as a person would, and saves screenshots under
//! `target/browser-screenshots/`. The emergency run is done a second time with JavaScript
//! turned off. Without Chromium the test says "skipping: chromium not found" and passes; CI
//! installs Chromium and sets `UPPERBACK_TEST_NO_SKIP`, so there it runs or fails.
//!
//! Accessibility, with JavaScript on: every page the person sees (home, each kind of
//! question, both results, the workstation form with errors and scored, a missing result, a
//! problem's explanation) passes axe-core (the checker of WCAG 2 A/AA rules: labels,
//! contrast, names, landmarks, ARIA), injected through WebDriver (`tools/browser`, installed
//! by `.ci/run` with `npm ci`), at 1000 and 320 px wide; at 320 px nothing is wider than the
//! screen; and the emergency question is answered with the keyboard alone (Tab, Space,
//! Enter). The pages of `--multi-user` mode (register, sign in
//! with an error, my episodes, an episode with its chart and check-ins, a result with the
//! share form, the clinician queue) get the same check, reached through their forms.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{TestServer, ANA, DOCTOR, DOCTOR_PASSWORD, PASSWORD};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver, ended when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_driver() -> Driver {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver { child, port };
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    driver
}

fn screenshots_dir() -> PathBuf {
    // target/<profile>/deps/browser-<hash> → target/browser-screenshots
    let exe = std::env::current_exe().expect("the test's path");
    let target = exe
        .ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("target"));
    let dir = target.join("browser-screenshots");
    std::fs::create_dir_all(&dir).expect("a screenshots folder");
    dir
}

async fn browser(driver: &Driver, profile: &Path, javascript: bool) -> Client {
    let mut args = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-background-networking".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--hide-scrollbars".into(),
        format!("--user-data-dir={}", profile.display()),
        "--window-size=1000,1400".into(),
    ];
    if !javascript {
        args.push("--blink-settings=scriptEnabled=false".into());
    }
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": CHROMIUM, "args": args }
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    // On a loaded machine chromedriver may drop the first connection while Chromium starts:
    // a session is tried a few times before the test gives up.
    let mut attempt = 1;
    loop {
        let session = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await;
        match session {
            Ok(client) => return client,
            Err(e) if attempt < 3 => {
                println!("browser session attempt {attempt} failed ({e}); trying again");
                attempt += 1;
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            Err(e) => panic!("a browser session: {e}"),
        }
    }
}

async fn shot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("a screenshot");
    let path = screenshots_dir().join(format!("{name}.png"));
    std::fs::write(&path, png).expect("the screenshot is written");
    println!("screenshot: {}", path.display());
}

async fn css(client: &Client, selector: &str) -> fantoccini::elements::Element {
    client
        .find(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("no `{selector}` on the page: {e}"))
}

async fn exists(client: &Client, selector: &str) -> bool {
    !client
        .find_all(Locator::Css(selector))
        .await
        .unwrap_or_default()
        .is_empty()
}

/// axe-core's script, from `tools/browser` (`npm ci --prefix tools/browser`), or `None` after
/// saying why it is not checked (CI fails instead: `UPPERBACK_TEST_NO_SKIP`).
fn axe_source() -> Option<&'static str> {
    static AXE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    AXE.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tools/browser/node_modules/axe-core/axe.min.js");
        match std::fs::read_to_string(&path) {
            Ok(source) => Some(source),
            Err(e) => {
                upperback_testkit::skip(&format!(
                    "the accessibility check: {} ({e}); install it with npm ci --prefix tools/browser",
                    path.display()
                ));
                None
            }
        }
    })
    .as_deref()
}

/// What axe-core's WCAG 2 A/AA (and best-practice) rules find wrong with the page at the
/// window's present width, one line per rule, and whether anything makes the page wider than
/// the window (sideways scrolling). `None` when axe-core is not installed.
async fn accessibility_problems(client: &Client) -> Option<Vec<String>> {
    let axe = axe_source()?;
    // WebDriver's scripts are not the page's: the Content-Security-Policy does not apply.
    // Injected once per page (the check runs at two widths on the same page).
    let loaded = client
        .execute("return typeof axe !== 'undefined';", vec![])
        .await
        .expect("a script runs");
    if loaded != Value::Bool(true) {
        client
            .execute(&format!("{axe}\n;return typeof axe;"), vec![])
            .await
            .expect("axe-core loads");
    }
    let violations = client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
                resultTypes: ["violations"],
            }).then(
                (r) => done(r.violations.map((v) => ({
                    rule: v.id, impact: v.impact, help: v.help,
                    where: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + n.failureSummary),
                }))),
                (e) => done([{rule: "axe failed", help: String(e)}]),
            );"#,
            vec![],
        )
        .await
        .expect("axe-core runs");
    let mut problems: Vec<String> = violations
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|v| format!("{}: {}", v["rule"].as_str().unwrap_or("?"), v))
        .collect();
    // The page's width, and the outermost elements that stick out of the window (named by
    // tag, id and class) to say where to look.
    let widths = client
        .execute(
            r##"const out = [];
            for (const e of document.body.querySelectorAll("*")) {
                const r = e.getBoundingClientRect();
                const p = e.parentElement.getBoundingClientRect();
                if (r.right > window.innerWidth + 0.5 && p.right <= window.innerWidth + 0.5) {
                    out.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
                        (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "") +
                        " (" + Math.round(r.width) + " px)");
                }
            }
            return [document.documentElement.scrollWidth, window.innerWidth, out.slice(0, 5)];"##,
            vec![],
        )
        .await
        .unwrap();
    let (content, window) = (widths[0].as_f64().unwrap(), widths[1].as_f64().unwrap());
    if content > window {
        problems.push(format!(
            "too-wide: the page is {content} px wide in a {window} px window (sideways \
             scrolling); sticking out: {}",
            widths[2]
        ));
    }
    Some(problems)
}

/// The page has no accessibility problem (see [`accessibility_problems`]); `page` names it.
async fn assert_accessible(client: &Client, page: &str) {
    if let Some(problems) = accessibility_problems(client).await {
        assert!(
            problems.is_empty(),
            "{page}: accessibility problems:\n{}",
            problems.join("\n")
        );
    }
}

/// The check itself finds problems: on the present page, an unlabelled text box, an image
/// without a text alternative, faint grey text and a box wider than a 320 px screen are each
/// reported (so a clean page is clean, not unchecked).
async fn assert_the_check_finds_problems(client: &Client) {
    client.set_window_size(320, 1400).await.unwrap();
    client
        .execute(
            // Styles through the CSSOM: the page's CSP refuses style attributes.
            r#"const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend",
                '<input type="text"><img src="/static/none.png"><p id="faint">faint</p><div id="wide">wide</div>');
            const faint = document.getElementById("faint");
            faint.style.color = '#ddd';
            faint.style.background = '#fff';
            document.getElementById("wide").style.width = "2000px";"#,
            vec![],
        )
        .await
        .unwrap();
    let Some(problems) = accessibility_problems(client).await else {
        return;
    };
    for rule in ["label", "image-alt", "color-contrast", "too-wide"] {
        assert!(
            problems.iter().any(|p| p.starts_with(&format!("{rule}:"))),
            "the check missed `{rule}`: {problems:#?}"
        );
    }
    client.set_window_size(1000, 1400).await.unwrap();
}

/// Checks the page at 1000 px and at 320 px wide, and leaves the window at 1000 × `height`.
async fn assert_accessible_at_both_widths(client: &Client, page: &str, height: u32) {
    client.set_window_size(1000, height).await.unwrap();
    assert_accessible(client, &format!("{page} at 1000 px")).await;
    client.set_window_size(320, height).await.unwrap();
    assert_accessible(client, &format!("{page} at 320 px")).await;
    client.set_window_size(1000, height).await.unwrap();
}

/// Presses one key, as a keyboard would (on whatever has the focus).
async fn press(client: &Client, key: Key) {
    let key: char = key.into();
    let actions = KeyActions::new("keyboard".to_string())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    client.perform_actions(actions).await.unwrap();
}

/// Presses Tab until the element that `selector` finds has the focus (at most 60 times).
async fn tab_to(client: &Client, selector: &str) {
    for _ in 0..60 {
        press(client, Key::Tab).await;
        let focused = client
            .execute(
                "return document.activeElement && document.activeElement.matches(arguments[0]);",
                vec![Value::String(selector.to_string())],
            )
            .await
            .unwrap();
        if focused == Value::Bool(true) {
            return;
        }
    }
    panic!("Tab never reaches `{selector}`: it cannot be used with the keyboard");
}

/// Clicks a submit button and waits until the page it was on has been replaced by another,
/// whole (a form answered with a redirect to the same address, or shown again with errors).
async fn submit_and_reload(client: &Client, selector: &str) {
    let old = css(client, "html").await;
    css(client, selector).await.click().await.unwrap();
    wait_until_replaced(client, old, &format!("clicking {selector}")).await;
}

/// Waits until `old` (the `html` element of the page before) is gone and the new page is
/// parsed to its end (every page ends with `footer.site`). Needs no script, so it works with
/// JavaScript off too.
async fn wait_until_replaced(client: &Client, old: fantoccini::elements::Element, after: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while old.tag_name().await.is_ok() {
        assert!(
            Instant::now() < deadline,
            "the page was not replaced after {after}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    while client
        .find_all(Locator::Css("footer.site"))
        .await
        .map_or(true, |found| found.is_empty())
        || client.current_url().await.is_err()
    {
        assert!(
            Instant::now() < deadline,
            "the new page did not load after {after}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Types into a form field, replacing what it holds.
async fn fill(client: &Client, selector: &str, text: &str) {
    let field = css(client, selector).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// The current path and question id (if a question page).
async fn where_am_i(client: &Client) -> (String, Option<String>) {
    let path = client
        .current_url()
        .await
        .map(|u| u.path().to_string())
        .unwrap_or_default();
    let question = match client.find_all(Locator::Css("input[name=question]")).await {
        Ok(found) => match found.first() {
            Some(element) => element.attr("value").await.ok().flatten(),
            None => None,
        },
        Err(_) => None,
    };
    (path, question)
}

/// Clicks a submit button and waits until the browser shows the page that answers it; its
/// path and question id.
async fn submit(client: &Client, selector: &str) -> (String, Option<String>) {
    submit_and_reload(client, selector).await;
    where_am_i(client).await
}

/// Fills in the home page: words, a click on the body map, age; then presses a button.
async fn start(client: &Client, server: &TestServer, text: &str, region: &str, age: &str) {
    client.goto(&server.url("/")).await.unwrap();
    css(client, "#text").await.send_keys(text).await.unwrap();
    // Click the place on the picture of the back.
    css(client, &format!("label.hot.h-{region}.a0"))
        .await
        .click()
        .await
        .unwrap();
    assert!(
        css(client, &format!("#loc-{region}"))
            .await
            .is_selected()
            .await
            .unwrap(),
        "clicking the body map selects {region}"
    );
    if !age.is_empty() {
        css(client, "#age").await.send_keys(age).await.unwrap();
    }
}

/// The emergency interview. With `javascript`, the pages are checked for accessibility and
/// the question is answered with the keyboard alone.
async fn emergency(client: &Client, server: &TestServer, prefix: &str, javascript: bool) {
    if javascript {
        client.goto(&server.url("/")).await.unwrap();
        assert_accessible_at_both_widths(client, "the home page", 1400).await;
    }
    start(
        client,
        server,
        "My upper back went into spasm this morning.",
        "between_shoulder_blades",
        "58",
    )
    .await;
    shot(client, &format!("{prefix}-1-home")).await;
    let (path, question) = submit(client, "button.primary").await;
    assert!(path.starts_with("/interview/"), "{path}");
    assert_eq!(question.as_deref(), Some("q-red-flags-heart"));
    let path = if javascript {
        assert_accessible_at_both_widths(client, "a checklist question", 1400).await;
        // Keyboard only: Tab to the box, Space ticks it, Tab to the button, Enter sends.
        tab_to(client, "input[name=item][value=chest_pain]").await;
        press(client, Key::Space).await;
        assert!(css(client, "input[name=item][value=chest_pain]")
            .await
            .is_selected()
            .await
            .unwrap());
        shot(client, &format!("{prefix}-2-question")).await;
        tab_to(client, "button[value=answer]").await;
        let old = css(client, "html").await;
        press(client, Key::Enter).await;
        wait_until_replaced(client, old, "Enter on the answer button").await;
        where_am_i(client).await.0
    } else {
        css(client, "input[name=item][value=chest_pain]")
            .await
            .click()
            .await
            .unwrap();
        shot(client, &format!("{prefix}-2-question")).await;
        submit(client, "button[value=answer]").await.0
    };
    assert!(path.starts_with("/result/"), "{path}");
    assert!(exists(client, ".banner.level-ambulance").await);
    assert!(exists(client, r#".banner a[href="tel:911"]"#).await);
    let banner = css(client, ".banner").await.text().await.unwrap();
    assert!(banner.contains("Call an ambulance"), "{banner}");
    assert!(banner.contains("999"), "{banner}");
    shot(client, &format!("{prefix}-3-result")).await;
    client.set_window_size(320, 1400).await.unwrap();
    shot(client, &format!("{prefix}-4-result-320px")).await;
    client.set_window_size(1000, 1400).await.unwrap();
    if javascript {
        assert_emergency_first_screen(client, &format!("{prefix}-5-result-phone")).await;
        assert_accessible_at_both_widths(client, "the emergency result", 1400).await;
    }
}

/// On a phone (375 × 667 pixels) an emergency result's first screen shows the banner, the
/// reason and the emergency numbers, and nothing competes: checked on the screenshot (the
/// banner's colour where the page says the banner is) and on where each one lies.
async fn assert_emergency_first_screen(client: &Client, name: &str) {
    client.set_window_size(375, 667).await.unwrap();
    client
        .execute("window.scrollTo(0, 0)", vec![])
        .await
        .unwrap();
    let png = client.screenshot().await.expect("a screenshot");
    std::fs::write(screenshots_dir().join(format!("{name}.png")), &png).unwrap();
    let rect = |selector: &'static str| async move {
        let found = client
            .execute(
                "const e = document.querySelector(arguments[0]); if (!e) return null; \
                 const r = e.getBoundingClientRect(); \
                 return [r.left, r.top, r.bottom, window.innerHeight, window.devicePixelRatio];",
                vec![json!(selector)],
            )
            .await
            .unwrap();
        let numbers: Vec<f64> = found
            .as_array()
            .unwrap_or_else(|| panic!("no `{selector}` on the emergency result"))
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        numbers
    };
    for selector in [".banner h1", ".banner a[href^='tel:']", ".why .reason"] {
        let r = rect(selector).await;
        assert!(
            r[2] <= r[3],
            "`{selector}` ends at {} px, below the first screen ({} px)",
            r[2],
            r[3]
        );
    }
    // The screenshot shows the banner's colour where the banner is.
    let banner = rect(".banner").await;
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let mut reader = decoder.read_info().expect("a PNG screenshot");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader
        .next_frame(&mut pixels)
        .expect("the screenshot's pixels");
    let channels = frame.color_type.samples();
    let (x, y) = (
        ((banner[0] + 12.0) * banner[4]) as usize,
        ((banner[1] + 12.0) * banner[4]) as usize,
    );
    let at = (y * frame.width as usize + x) * channels;
    assert_eq!(
        &pixels[at..at + 3],
        &[0xb9, 0x1c, 0x1c],
        "the ambulance banner's red at ({x}, {y}) of the screenshot"
    );
    // Nothing competes: the causes and the rest are folded.
    assert!(!css(client, "ul.causes").await.is_displayed().await.unwrap());
    client.set_window_size(1000, 1400).await.unwrap();
}

/// "Just assess what I wrote" with warning signs left unchecked: never a plain self-care
/// banner; what the words may have described comes first, and the quick checks are the
/// main action, starting with it.
async fn one_shot_with_unchecked_signs(client: &Client, server: &TestServer) {
    start(
        client,
        server,
        "Spasm between my shoulder blades after golf, and something's not right in my chest.",
        "between_shoulder_blades",
        "35",
    )
    .await;
    let (path, _) = submit(client, "button[formaction='/assess']").await;
    assert!(path.starts_with("/result/"), "{path}");
    assert!(
        !exists(client, ".banner.level-self").await,
        "a plain self-care banner"
    );
    let banner = css(client, ".banner.caution").await.text().await.unwrap();
    assert!(banner.contains("if none of the"), "{banner}");
    let possible = css(client, "section.possible").await.text().await.unwrap();
    assert!(
        possible.contains("something's not right in my chest"),
        "{possible}"
    );
    shot(client, "one-shot-partial-result").await;
    assert_accessible_at_both_widths(client, "a result with unchecked warning signs", 3200).await;
    let (path, question) = submit(client, "form.check button").await;
    assert!(path.starts_with("/interview/"), "{path}");
    assert_eq!(question.as_deref(), Some("q-possible-chest_pain"));
    shot(client, "one-shot-partial-check").await;
    assert_accessible_at_both_widths(client, "a possible warning sign asked", 1400).await;
}

async fn self_care(client: &Client, server: &TestServer) {
    start(
        client,
        server,
        "Spasm between my shoulder blades after playing golf.",
        "between_shoulder_blades",
        "35",
    )
    .await;
    shot(client, "self-care-1-home").await;
    let (mut path, mut current) = submit(client, "button.primary").await;
    let mut step = 0;
    let mut checked_kinds = std::collections::BTreeSet::new();
    while path.starts_with("/interview/") {
        step += 1;
        assert!(step < 30, "the interview does not end");
        let question = current.clone().unwrap_or_default();
        // Answered by its kind; each kind of page is checked once.
        let kind = if exists(client, "input[name=none]").await {
            css(client, "input[name=none]").await.click().await.unwrap();
            "checklist"
        } else if exists(client, "input[name=answer][value=yes]").await {
            let yes = matches!(question.as_str(), "q-improving" | "q-home-care");
            let value = if yes { "yes" } else { "no" };
            css(client, &format!("input[name=answer][value={value}]"))
                .await
                .click()
                .await
                .unwrap();
            "yes/no"
        } else if exists(client, "input[type=radio][name=answer]").await {
            css(client, "input[type=radio][name=answer]")
                .await
                .click()
                .await
                .unwrap();
            "choice"
        } else {
            // Five days: past the 72-hour follow-up, so the home-care and improving (yes/no)
            // questions come too; improving, so it stays self-care.
            let value = if question == "q-duration" {
                "5 days"
            } else {
                "4"
            };
            css(client, "#answer").await.send_keys(value).await.unwrap();
            "number or duration"
        };
        if step <= 2 {
            shot(client, &format!("self-care-2-question-{step}")).await;
        }
        if checked_kinds.insert(kind) {
            assert_accessible_at_both_widths(client, &format!("a {kind} question"), 1400).await;
        }
        (path, current) = submit(client, "button[value=answer]").await;
    }
    assert!(path.starts_with("/result/"), "{path}");
    assert!(
        exists(client, ".banner.level-self").await,
        "self-care result"
    );
    assert!(exists(client, "ul.causes li").await);
    assert!(exists(client, "ul.understood li").await);
    // The Print button appears only with JavaScript (progressive enhancement).
    assert!(css(client, "button[data-print]")
        .await
        .is_displayed()
        .await
        .unwrap());
    client.set_window_size(1000, 3200).await.unwrap();
    shot(client, "self-care-3-result").await;
    client.set_window_size(320, 4000).await.unwrap();
    shot(client, "self-care-4-result-320px").await;
    assert_accessible_at_both_widths(client, "the self-care result", 3200).await;
    // Checklists, yes/no and numbers. The one choice question (where it hurts) is answered
    // by the home page's body map, which the home page check covers; the interview seldom
    // asks it (not in a walk from nothing either), so it is not waited for here.
    assert!(
        checked_kinds.len() >= 3,
        "the interview showed too few kinds of question to check: {checked_kinds:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_goes_through_two_interviews_in_chromium() {
    if !Path::new(CHROMIUM).is_file() || !Path::new(CHROMEDRIVER).is_file() {
        upperback_testkit::skip("chromium not found (apt-get install chromium chromium-driver)");
        return;
    }
    let server = TestServer::start().await;
    let driver = start_driver();
    let profiles = tempfile::tempdir().unwrap();

    let client = browser(&driver, &profiles.path().join("js"), true).await;
    emergency(&client, &server, "emergency", true).await;
    self_care(&client, &server).await;
    one_shot_with_unchecked_signs(&client, &server).await;
    // The other pages a person can reach: the workstation check, a page that is not there,
    // the explanation of a problem.
    for (path, page) in [
        ("/workstation", "the workstation form"),
        (
            "/result/00000000-0000-0000-0000-000000000000",
            "a result that is not there",
        ),
        ("/problems/too-large", "a problem's explanation"),
    ] {
        client.goto(&server.url(path)).await.unwrap();
        assert_accessible_at_both_widths(&client, page, 1400).await;
    }
    // The office set-up sent empty (its errors), then with the first answer of every question.
    client.goto(&server.url("/workstation")).await.unwrap();
    submit_and_reload(&client, "form.workstation button.primary").await;
    assert!(
        exists(&client, "[role=alert]").await,
        "unanswered questions are errors"
    );
    assert_accessible_at_both_widths(&client, "the workstation form with errors", 1400).await;
    let form = css(&client, "form.workstation").await;
    let mut answered = std::collections::BTreeSet::new();
    for radio in form
        .find_all(Locator::Css("input[type=radio]"))
        .await
        .unwrap()
    {
        let name = radio.attr("name").await.unwrap().unwrap_or_default();
        if answered.insert(name) {
            radio.click().await.unwrap();
        }
    }
    for field in form
        .find_all(Locator::Css("input[inputmode=decimal]"))
        .await
        .unwrap()
    {
        field.clear().await.unwrap();
        field.send_keys("2").await.unwrap();
    }
    submit_and_reload(&client, "form.workstation button.primary").await;
    assert!(
        !exists(&client, "[role=alert]").await,
        "every question was answered"
    );
    shot(&client, "workstation-scored").await;
    assert_accessible_at_both_widths(&client, "the workstation scored", 2400).await;
    assert_the_check_finds_problems(&client).await;
    client.close().await.unwrap();

    // The same emergency with JavaScript turned off: the page works without it.
    let client = browser(&driver, &profiles.path().join("nojs"), false).await;
    emergency(&client, &server, "emergency-no-js", false).await;
    assert!(
        !css(&client, "button[data-print]")
            .await
            .is_displayed()
            .await
            .unwrap(),
        "without JavaScript there is no Print button"
    );
    client.close().await.unwrap();
}

/// The pages of `--multi-user` mode, reached through their forms as a person and a clinician
/// would, pass the same accessibility check as the interview's (with JavaScript on, which the
/// check needs; the pages are the same without it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_and_diary_pages_are_accessible_in_chromium() {
    if !Path::new(CHROMIUM).is_file() || !Path::new(CHROMEDRIVER).is_file() {
        upperback_testkit::skip("chromium not found (apt-get install chromium chromium-driver)");
        return;
    }
    if axe_source().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("web.db").display());
    let store = upperback_server::open_store(Some(&url)).await.unwrap();
    let hash = upperback_store::auth::hash_password(DOCTOR_PASSWORD).unwrap();
    store
        .database()
        .unwrap()
        .create_account(DOCTOR, &hash, upperback_store::Role::Clinician)
        .await
        .unwrap();
    let config = upperback_server::ServerConfig {
        multi_user: true,
        ..common::unlimited()
    };
    let server = TestServer::with_store(config, store).await;
    let driver = start_driver();
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, profile.path(), true).await;

    // Register.
    client.goto(&server.url("/register")).await.unwrap();
    assert_accessible_at_both_widths(&client, "the register page", 1400).await;
    fill(&client, "#email", ANA).await;
    fill(&client, "#password", PASSWORD).await;
    fill(&client, "#password_again", "not the same password").await;
    submit_and_reload(&client, "form.account button.primary").await;
    assert!(
        exists(&client, "[aria-invalid=true]").await,
        "a mismatch is an error"
    );
    assert_accessible_at_both_widths(&client, "the register page with an error", 1400).await;
    fill(&client, "#password", PASSWORD).await;
    fill(&client, "#password_again", PASSWORD).await;
    submit_and_reload(&client, "form.account button.primary").await;

    // My episodes, then a new episode, then a check-in.
    client.goto(&server.url("/episodes")).await.unwrap();
    assert_accessible_at_both_widths(&client, "my episodes (none yet)", 1400).await;
    fill(&client, "#severity", "6").await;
    submit_and_reload(&client, "form.diary button.primary").await;
    let path = where_am_i(&client).await.0;
    assert!(path.starts_with("/episodes/"), "{path}");
    assert_accessible_at_both_widths(&client, "an episode", 1600).await;
    fill(&client, "#severity", "5").await;
    css(&client, "input[name=improving][value=no]")
        .await
        .click()
        .await
        .unwrap();
    css(&client, "input[name=home_care]")
        .await
        .click()
        .await
        .unwrap();
    submit_and_reload(&client, "form.diary button.primary").await;
    assert_accessible_at_both_widths(&client, "an episode with a check-in", 1600).await;
    shot(&client, "episode-with-check-in").await;
    client.goto(&server.url("/episodes")).await.unwrap();
    assert_accessible_at_both_widths(&client, "my episodes", 1400).await;

    // An assessment, shared with the clinician.
    client.goto(&server.url("/")).await.unwrap();
    assert_accessible_at_both_widths(&client, "the home page, signed in", 1400).await;
    fill(
        &client,
        "#text",
        "Spasm between my shoulder blades, no fever.",
    )
    .await;
    let (path, _) = submit(&client, r#"button[formaction="/assess"]"#).await;
    assert!(path.starts_with("/result/"), "{path}");
    assert_accessible_at_both_widths(&client, "a result with the share form", 3200).await;
    fill(&client, "#clinician", DOCTOR).await;
    submit_and_reload(&client, "form.share button").await;
    assert_accessible_at_both_widths(&client, "a result after sharing", 3200).await;

    // The clinician: a wrong password first, then the queue.
    client.delete_all_cookies().await.unwrap();
    client.goto(&server.url("/sign-in")).await.unwrap();
    assert_accessible_at_both_widths(&client, "the sign-in page", 1400).await;
    fill(&client, "#email", DOCTOR).await;
    fill(&client, "#password", "not the password").await;
    submit_and_reload(&client, "form.account button.primary").await;
    assert_accessible_at_both_widths(&client, "the sign-in page with an error", 1400).await;
    fill(&client, "#password", DOCTOR_PASSWORD).await;
    submit_and_reload(&client, "form.account button.primary").await;
    client.goto(&server.url("/queue")).await.unwrap();
    assert!(
        exists(&client, "table.queue tbody tr").await,
        "the shared assessment is queued"
    );
    assert_accessible_at_both_widths(&client, "the clinician queue", 1400).await;
    shot(&client, "clinician-queue").await;

    // Another port of the same host (same-site, so even a SameSite=Strict cookie goes
    // along) tries to sign the clinician out, then to sign the browser into Ana's account
    // (login CSRF), then to write with a no-cors `text/plain` fetch.
    let elsewhere = attacker_site(&[
        ("sign-out", format!(r#"<form method="post" action="{}"></form>"#, server.url("/sign-out"))),
        (
            "sign-in",
            format!(
                r#"<form method="post" action="{}"><input name="email" value="{ANA}"><input name="password" value="{PASSWORD}"></form>"#,
                server.url("/sign-in")
            ),
        ),
    ])
    .await;
    for page in ["sign-out", "sign-in"] {
        client.goto(&format!("{elsewhere}/{page}")).await.unwrap();
        let started = Instant::now();
        while !client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .starts_with(&server.base)
        {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the form was not sent"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let body = css(&client, "h1").await.text().await.unwrap();
        assert!(body.contains("another site"), "{page}: {body}");
    }
    client.goto(&server.url("/queue")).await.unwrap();
    assert!(
        exists(&client, "table.queue tbody tr").await,
        "still the clinician, still signed in"
    );
    client.close().await.unwrap();
}

/// A page server on another loopback port: each `(name, form)` is served at `/{name}` and
/// submits its form as soon as it loads. Its base URL.
async fn attacker_site(pages: &[(&str, String)]) -> String {
    let mut router = axum::Router::new();
    for (name, form) in pages {
        let html = format!(
            "<!DOCTYPE html><html><body>{form}<script>document.forms[0].submit()</script></body></html>"
        );
        router = router.route(
            &format!("/{name}"),
            axum::routing::get(move || async move { axum::response::Html(html) }),
        );
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    base
}
