//! A real browser on the real server: Debian's headless Chromium, driven through
//! chromedriver (fantoccini), goes through one emergency and one self-care interview by
//! clicking and typing as a person would, and saves screenshots under
//! `target/browser-screenshots/`. The emergency run is done a second time with JavaScript
//! turned off. Without Chromium the test says "skipping: chromium not found" and passes; CI
//! installs Chromium and sets `UPPERBACK_TEST_NO_SKIP`, so there it runs or fails.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::TestServer;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

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
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a browser session")
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

/// Clicks a submit button and waits until the browser shows another page: another path, or
/// another question (a form is answered with a redirect, often to the same path).
async fn submit(client: &Client, selector: &str) -> (String, Option<String>) {
    let before = where_am_i(client).await;
    css(client, selector).await.click().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let now = where_am_i(client).await;
        let arrived = now.0 != before.0 || (now.1.is_some() && now.1 != before.1);
        if arrived {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "the page did not change after clicking {selector}: {before:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
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

async fn emergency(client: &Client, server: &TestServer, prefix: &str) {
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
    css(client, "input[name=item][value=chest_pain]")
        .await
        .click()
        .await
        .unwrap();
    shot(client, &format!("{prefix}-2-question")).await;
    let (path, _) = submit(client, "button[value=answer]").await;
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
}

async fn self_care(client: &Client, server: &TestServer) {
    start(
        client,
        server,
        "Spasm between my shoulder blades since I played golf yesterday. No fever, no chest pain.",
        "between_shoulder_blades",
        "35",
    )
    .await;
    shot(client, "self-care-1-home").await;
    let (mut path, mut current) = submit(client, "button.primary").await;
    let mut step = 0;
    while path.starts_with("/interview/") {
        step += 1;
        assert!(step < 30, "the interview does not end");
        let question = current.clone().unwrap_or_default();
        if exists(client, "input[name=none]").await {
            css(client, "input[name=none]").await.click().await.unwrap();
        } else if exists(client, "input[name=answer][value=yes]").await {
            let yes = matches!(question.as_str(), "q-improving" | "q-home-care");
            let value = if yes { "yes" } else { "no" };
            css(client, &format!("input[name=answer][value={value}]"))
                .await
                .click()
                .await
                .unwrap();
        } else if exists(client, "input[type=radio][name=answer]").await {
            css(client, "input[type=radio][name=answer]")
                .await
                .click()
                .await
                .unwrap();
        } else {
            let value = if question == "q-duration" {
                "1 day"
            } else {
                "4"
            };
            css(client, "#answer").await.send_keys(value).await.unwrap();
        }
        if step <= 2 {
            shot(client, &format!("self-care-2-question-{step}")).await;
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
    emergency(&client, &server, "emergency").await;
    self_care(&client, &server).await;
    client.close().await.unwrap();

    // The same emergency with JavaScript turned off: the page works without it.
    let client = browser(&driver, &profiles.path().join("nojs"), false).await;
    emergency(&client, &server, "emergency-no-js").await;
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
