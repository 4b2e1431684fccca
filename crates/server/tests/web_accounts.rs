//! The web pages of `--multi-user` mode and the diary, through their forms, as a browser with
//! scripts off would use them: register, sign in and out (the session cookie), "My
//! episodes" with the follow-up banner, an episode's chart and check-ins, sharing a result
//! with a clinician and the clinician's queue; and the diary pages in local mode.

mod common;

use std::sync::Arc;

use chrono::{Duration, Local};
use common::{
    assert_security_headers, client, get_json, unlimited, TestServer, ANA, BEN, DOCTOR,
    DOCTOR_PASSWORD, PASSWORD, WEB_PAGE_OPERATIONS,
};
use upperback_server::{ServerConfig, Store};

/// A server over a SQLite file of the test's own.
struct Site {
    server: TestServer,
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

impl Site {
    async fn new(multi_user: bool) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("web.db").display());
        let store = upperback_server::open_store(Some(&url)).await.unwrap();
        let config = ServerConfig {
            multi_user,
            ..unlimited()
        };
        let server = TestServer::with_store(config, store.clone()).await;
        Site {
            server,
            store,
            _dir: dir,
        }
    }

    /// A clinician's account, made on the server's machine as `upperback admin` would.
    async fn add_clinician(&self, email: &str, password: &str) {
        let hash = upperback_store::auth::hash_password(password).unwrap();
        self.store
            .database()
            .unwrap()
            .create_account(email, &hash, upperback_store::Role::Clinician)
            .await
            .unwrap();
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut request = client()
            .get(self.server.url(path))
            .header("accept", "text/html");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap();
        assert_security_headers(&response);
        response
    }

    /// A page: its status and HTML (an HTML page whatever the status).
    async fn page(&self, path: &str, cookie: Option<&str>) -> (u16, String) {
        html(self.get(path, cookie).await).await
    }

    async fn post(
        &self,
        path: &str,
        cookie: Option<&str>,
        pairs: &[(&str, &str)],
    ) -> reqwest::Response {
        let response = self.post_from(path, cookie, pairs, &[]).await;
        assert_security_headers(&response);
        response
    }

    /// A form post as a browser sends it, with `from`: the headers that say where it comes
    /// from.
    async fn post_from(
        &self,
        path: &str,
        cookie: Option<&str>,
        pairs: &[(&str, &str)],
        from: &[(&str, &str)],
    ) -> reqwest::Response {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        let mut request = client()
            .post(self.server.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("cookie", common::form_cookie(cookie))
            .body(common::with_form_token(body));
        for (name, value) in from {
            request = request.header(*name, *value);
        }
        request.send().await.unwrap()
    }

    /// Registers through the form; the cookie to send back.
    async fn register(&self, email: &str) -> String {
        let response = self
            .post(
                "/register",
                None,
                &[
                    ("email", email),
                    ("password", PASSWORD),
                    ("password_again", PASSWORD),
                ],
            )
            .await;
        assert_eq!(location(&response), "/");
        session_cookie(&response)
    }

    /// Signs in through the form; the cookie to send back.
    async fn sign_in(&self, email: &str, password: &str) -> String {
        let response = self
            .post(
                "/sign-in",
                None,
                &[("email", email), ("password", password)],
            )
            .await;
        assert_eq!(location(&response), "/");
        session_cookie(&response)
    }

    /// Starts an episode through the form; its id.
    async fn start_episode(&self, cookie: Option<&str>, pairs: &[(&str, &str)]) -> String {
        let response = self.post("/episodes", cookie, pairs).await;
        let to = location(&response);
        to.strip_prefix("/episodes/")
            .unwrap_or_else(|| panic!("not an episode: {to}"))
            .to_string()
    }

    /// Assesses a description through the home form; the assessment's id.
    async fn assess(&self, cookie: Option<&str>, text: &str) -> String {
        let response = self.post("/assess", cookie, &[("text", text)]).await;
        let to = location(&response);
        to.strip_prefix("/result/").unwrap().to_string()
    }
}

async fn html(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8",
        "{} answered {status}",
        response.url()
    );
    let page = response.text().await.unwrap();
    // The CSP forbids inline code: every page must work without it.
    for (i, _) in page.match_indices("<script") {
        let tag = &page[i..page[i..].find('>').map_or(page.len(), |e| i + e)];
        assert!(tag.contains("src="), "inline script: {tag}");
    }
    assert!(!page.contains(" style="), "inline style attribute");
    assert!(!page.contains("<style"), "inline style element");
    (status, page)
}

fn location(response: &reqwest::Response) -> String {
    assert_eq!(response.status(), 303, "{}", response.url());
    response.headers()["location"].to_str().unwrap().to_string()
}

fn set_cookie(response: &reqwest::Response) -> String {
    response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string()
}

/// `upperback_session=<token>` from a response that signed in.
fn session_cookie(response: &reqwest::Response) -> String {
    let header = set_cookie(response);
    let pair = header.split(';').next().unwrap().trim().to_string();
    assert!(pair.starts_with("upperback_session="), "{header}");
    assert!(pair.len() > "upperback_session=".len() + 32, "{header}");
    pair
}

/// `datetime-local` input for a time this long ago, on the server's clock.
fn local_input(ago: Duration) -> String {
    (Local::now() - ago).format("%Y-%m-%dT%H:%M").to_string()
}

/// A knowledge-base sentence as the pages write it (HTML-escaped).
fn html_text(text: &str) -> String {
    maud::html! { (text) }.into_string()
}

/// What the follow-up level of the knowledge base tells (care.toml `[follow_up] level`).
fn follow_up_level() -> &'static upperback_core::LevelInfo {
    let kb = upperback_core::KnowledgeBase::embedded();
    kb.level_info(kb.care.follow_up_level)
}

/// The overdue banner's heading: the follow-up level's label.
fn overdue_banner() -> String {
    format!(
        r#"<h2 id="overdue">{}</h2>"#,
        html_text(&follow_up_level().label)
    )
}

#[tokio::test]
async fn registering_sets_a_strict_http_only_cookie_and_opens_the_home_page() {
    let site = Site::new(true).await;
    let (status, form) = site.page("/register", None).await;
    assert_eq!(status, 200);
    for label in [
        r#"<label for="email">"#,
        r#"<label for="password">"#,
        r#"<label for="password_again">"#,
    ] {
        assert!(form.contains(label), "{label}");
    }
    assert!(form.contains("not a substitute for a clinician"));

    let response = site
        .post(
            "/register",
            None,
            &[
                ("email", ANA),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
            ],
        )
        .await;
    assert_eq!(location(&response), "/");
    let header = set_cookie(&response);
    for part in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
        &format!("Max-Age={}", 30 * 24 * 3600),
    ] {
        assert!(header.contains(part), "{part} not in {header}");
    }
    let cookie = session_cookie(&response);

    let (status, home) = site.page("/", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(home.contains(r#"<textarea id="text" name="text""#));
    for nav in [
        ">New assessment</a>",
        r#"href="/episodes""#,
        ANA,
        r#"action="/sign-out""#,
        "Sign out",
    ] {
        assert!(home.contains(nav), "{nav} not in the header");
    }
    assert!(!home.contains(r#"href="/queue""#), "a person has no queue");
    // Signed in already: the forms send the browser home.
    assert_eq!(location(&site.get("/sign-in", Some(&cookie)).await), "/");
    assert_eq!(location(&site.get("/register", Some(&cookie)).await), "/");
}

#[tokio::test]
async fn registration_errors_are_named_beside_their_fields() {
    let site = Site::new(true).await;
    let (status, page) = html(
        site.post(
            "/register",
            None,
            &[
                ("email", "not an email"),
                ("password", "short"),
                ("password_again", "different"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    for id in ["email-error", "password-error", "password_again-error"] {
        assert!(page.contains(&format!(r#"id="{id}""#)), "{id}");
    }
    assert!(page.contains("at least 12 characters"));
    assert!(
        page.contains(r#"value="not an email""#),
        "the email is kept"
    );
    assert!(
        !page.contains("different"),
        "passwords are never shown again"
    );
    assert!(page.contains(r#"aria-invalid="true""#));

    site.register(ANA).await;
    let (status, page) = html(
        site.post(
            "/register",
            None,
            &[
                ("email", ANA),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 409);
    assert!(page.contains(r#"id="email-error""#));
    assert!(page.contains("already has an account"));
}

#[tokio::test]
async fn signing_in_with_a_wrong_password_is_a_401_page_that_keeps_the_email() {
    let site = Site::new(true).await;
    site.register(ANA).await;
    let (status, page) = site.page("/sign-in", None).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"<label for="password">"#));
    assert!(page.contains(r#"autocomplete="current-password""#));

    let wrong = "wrong password indeed";
    let response = site
        .post("/sign-in", None, &[("email", ANA), ("password", wrong)])
        .await;
    assert!(response.headers().get("set-cookie").is_none());
    let (status, page) = html(response).await;
    assert_eq!(status, 401);
    assert!(page.contains("The email or the password is wrong"));
    assert!(page.contains(&format!(r#"value="{ANA}""#)));
    assert!(!page.contains(wrong));

    // An empty password is named beside its field.
    let (status, page) = html(
        site.post("/sign-in", None, &[("email", ANA), ("password", "")])
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains(r#"id="password-error""#));

    let cookie = site.sign_in(ANA, PASSWORD).await;
    assert_eq!(site.page("/", Some(&cookie)).await.0, 200);
}

#[tokio::test]
async fn pages_without_a_session_go_to_sign_in() {
    let site = Site::new(true).await;
    for path in [
        "/",
        "/episodes",
        "/queue",
        "/episodes/7a0c5c3e-4b8e-4a57-9d1a-0d6f1f6a2b11",
    ] {
        assert_eq!(location(&site.get(path, None).await), "/sign-in", "{path}");
        let unknown = Some("upperback_session=0123456789abcdef");
        assert_eq!(
            location(&site.get(path, unknown).await),
            "/sign-in",
            "{path}"
        );
    }
    let response = site
        .post(
            "/episodes",
            None,
            &[("started_at", &local_input(Duration::hours(1)))],
        )
        .await;
    assert_eq!(location(&response), "/sign-in");
    // The sign-in page itself needs no session, and offers to register.
    let (status, page) = site.page("/sign-in", None).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"href="/register""#));
}

#[tokio::test]
async fn an_episode_from_the_form_shows_its_chart_and_takes_check_ins() {
    let site = Site::new(true).await;
    let cookie = site.register(ANA).await;
    let cookie = Some(cookie.as_str());

    let (status, empty) = site.page("/episodes", cookie).await;
    assert_eq!(status, 200);
    assert!(empty.contains("<h1>My episodes</h1>"));
    // The follow-up rule in the knowledge base's words.
    let kb = upperback_core::KnowledgeBase::embedded();
    assert!(
        empty.contains(&html_text(&kb.care.follow_up_text)),
        "{empty}"
    );
    assert!(empty.contains(r#"type="datetime-local" id="started_at""#));
    assert!(empty.contains(r#"<select id="location" name="location""#));
    assert!(empty.contains(r#"value="between_shoulder_blades""#));
    assert!(!empty.contains(&overdue_banner()));

    let id = site
        .start_episode(
            cookie,
            &[
                ("started_at", &local_input(Duration::hours(5))),
                ("location", "between_shoulder_blades"),
                ("severity", "6"),
                ("triggers", "desk work, golf"),
            ],
        )
        .await;
    let path = format!("/episodes/{id}");
    let (status, page) = site.page(&path, cookie).await;
    assert_eq!(status, 200);
    assert!(page.contains("Between the shoulder blades"));
    assert!(page.contains("6 out of 10"));
    assert!(page.contains("desk work, golf"));
    assert!(page.contains(&format!(r#"<img src="/api/v1/episodes/{id}/chart.svg""#)));
    assert!(page.contains(r#"alt="Chart of how bad the pain has been"#));
    assert!(page.contains("No check-ins yet"));
    assert!(!page.contains(&overdue_banner()));
    // Not due yet: what to do then is the follow-up level's `tell`.
    let tell = html_text(&follow_up_level().tell);
    assert!(
        page.contains(&format!(" despite home care? {tell}")),
        "{page}"
    );

    // The chart's image answers to the session cookie, and the CSP lets the page show it.
    let chart = site
        .get(&format!("/api/v1/episodes/{id}/chart.svg"), cookie)
        .await;
    assert_eq!(chart.status(), 200);
    assert_eq!(chart.headers()["content-type"], "image/svg+xml");
    let csp = chart.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("img-src 'self'"), "{csp}");

    let response = site
        .post(
            &format!("{path}/check-ins"),
            cookie,
            &[
                ("severity", "4"),
                ("improving", "yes"),
                ("home_care", "heat"),
                ("home_care", "gentle stretches"),
                ("home_care_other", "new pillow"),
            ],
        )
        .await;
    assert_eq!(location(&response), path);
    let (_, page) = site.page(&path, cookie).await;
    assert!(!page.contains("No check-ins yet"));
    assert!(page.contains("<td>4</td>"));
    assert!(page.contains("heat, gentle stretches, new pillow"));

    let (_, list) = site.page("/episodes", cookie).await;
    assert!(list.contains(&format!(r#"href="/episodes/{id}""#)));
    assert!(list.contains("1 check-in"));
}

#[tokio::test]
async fn an_overdue_episode_shows_the_banner() {
    let site = Site::new(true).await;
    let cookie = site.register(ANA).await;
    let cookie = Some(cookie.as_str());
    let id = site
        .start_episode(
            cookie,
            &[
                ("started_at", &local_input(Duration::days(4))),
                ("severity", "7"),
            ],
        )
        .await;
    let path = format!("/episodes/{id}");
    // Four days, but no home care reported yet: the rule does not apply.
    assert!(!site.page(&path, cookie).await.1.contains(&overdue_banner()));

    let response = site
        .post(
            &format!("{path}/check-ins"),
            cookie,
            &[
                ("severity", "7"),
                ("improving", "no"),
                ("home_care", "heat"),
            ],
        )
        .await;
    assert_eq!(location(&response), path);
    let (status, page) = site.page(&path, cookie).await;
    assert_eq!(status, 200);
    assert!(page.contains(&overdue_banner()));
    assert!(page.contains("level-days"));
    // What to do, and when not to wait: the follow-up level's `tell`, then every watch-list
    // sign that calls for an ambulance and the ambulance level's `tell` (numbers in bold).
    let kb = upperback_core::KnowledgeBase::embedded();
    assert!(page.contains(&html_text(&follow_up_level().tell)), "{page}");
    let ambulance = upperback_core::TriageLevel::Ambulance;
    let signs: Vec<_> = kb
        .care
        .watch
        .iter()
        .filter(|w| w.level == ambulance)
        .collect();
    assert!(!signs.is_empty());
    // Those signs and no others (no sentence typed beside them).
    let list = &page[page
        .find(r#"<ul class="ambulance-signs">"#)
        .expect("the signs")..];
    let list = &list[..list.find("</ul>").unwrap()];
    assert_eq!(list.matches("<li>").count(), signs.len(), "{list}");
    for sign in signs {
        assert!(
            page.contains(&format!("<li>{}</li>", html_text(&sign.text))),
            "{}",
            sign.text
        );
    }
    for n in &kb.emergency_numbers {
        assert!(
            page.contains(&format!("<strong>{}</strong>", n.number)),
            "{page}"
        );
    }
    let (_, list) = site.page("/episodes", cookie).await;
    assert!(list.contains(&overdue_banner()));
    assert!(list.contains(&format!(r#"href="/episodes/{id}""#)));
    // A newer episode that is going well adds no banner of its own, but the old one stays.
    site.start_episode(cookie, &[("started_at", &local_input(Duration::hours(2)))])
        .await;
    assert!(site
        .page("/episodes", cookie)
        .await
        .1
        .contains(&overdue_banner()));
}

#[tokio::test]
async fn the_episodes_page_lists_the_newest_fifty() {
    let site = Site::new(true).await;
    let cookie = site.register(ANA).await;
    let cookie = Some(cookie.as_str());
    // 51 episodes, started 1 to 51 days ago: the oldest is the one left out.
    let mut ids = Vec::new();
    for days in 1..=51 {
        let pairs = [("started_at", local_input(Duration::days(days)))];
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        ids.push(site.start_episode(cookie, &pairs).await);
    }
    let (status, page) = site.page("/episodes", cookie).await;
    assert_eq!(status, 200);
    assert!(page.contains("The newest 50 episodes."), "{page}");
    for id in &ids[..50] {
        assert!(page.contains(&format!(r#"href="/episodes/{id}""#)), "{id}");
    }
    assert!(!page.contains(&format!(r#"href="/episodes/{}""#, ids[50])));
}

#[tokio::test]
async fn another_accounts_episode_is_not_found() {
    let site = Site::new(true).await;
    let ana = site.register(ANA).await;
    let ben = site.register(BEN).await;
    let id = site
        .start_episode(
            Some(&ana),
            &[("started_at", &local_input(Duration::hours(3)))],
        )
        .await;
    let (status, page) = site.page(&format!("/episodes/{id}"), Some(&ben)).await;
    assert_eq!(status, 404);
    assert!(page.contains("Not found"));
    let (status, _) = html(
        site.post(
            &format!("/episodes/{id}/check-ins"),
            Some(&ben),
            &[("severity", "2"), ("improving", "yes")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        site.get(&format!("/api/v1/episodes/{id}/chart.svg"), Some(&ben))
            .await
            .status(),
        404
    );
    let (_, list) = site.page("/episodes", Some(&ben)).await;
    assert!(!list.contains(&id));
    assert_eq!(site.page("/episodes/not-an-id", Some(&ben)).await.0, 404);
    // The owner still sees it.
    assert_eq!(
        site.page(&format!("/episodes/{id}"), Some(&ana)).await.0,
        200
    );
}

#[tokio::test]
async fn sharing_from_the_result_page_puts_it_in_the_clinicians_queue() {
    let site = Site::new(true).await;
    site.add_clinician(DOCTOR, DOCTOR_PASSWORD).await;
    let ana = site.register(ANA).await;
    let id = site
        .assess(
            Some(&ana),
            "tearing chest pain spreading between my shoulder blades",
        )
        .await;
    let result = format!("/result/{id}");
    let (status, page) = site.page(&result, Some(&ana)).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!(r#"action="/result/{id}/share""#)));
    assert!(page.contains(r#"<label for="clinician">"#));
    // Told to call an ambulance, nothing suggests waiting to see how it goes.
    assert!(!page.contains("Start a diary episode"));

    // Mistakes come back beside the field.
    for (typed, status, message) in [
        ("nobody@clinic.example", 422, "no clinician with this email"),
        ("not an email", 422, "not an email address"),
        (ANA, 422, "no clinician with this email"),
    ] {
        let (got, page) = html(
            site.post(
                &format!("{result}/share"),
                Some(&ana),
                &[("clinician", typed)],
            )
            .await,
        )
        .await;
        assert_eq!(got, status, "{typed}");
        assert!(page.contains(message), "{typed}: {message}");
        assert!(page.contains(r#"id="clinician-error""#));
        assert!(page.contains(&format!(r#"value="{typed}""#)));
    }

    let response = site
        .post(
            &format!("{result}/share"),
            Some(&ana),
            &[("clinician", DOCTOR)],
        )
        .await;
    let back = location(&response);
    assert_eq!(back, format!("{result}?shared"));
    let (status, page) = site.page(&back, Some(&ana)).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"role="status""#));
    assert!(page.contains("in their queue"));

    let doctor = site.sign_in(DOCTOR, DOCTOR_PASSWORD).await;
    let (status, queue) = site.page("/queue", Some(&doctor)).await;
    assert_eq!(status, 200);
    assert!(queue.contains(&format!(r#"href="/result/{id}""#)));
    assert!(queue.contains(ANA));
    assert!(queue.contains("level-ambulance"), "coloured by level");
    assert!(queue.contains(r#"<th scope="col">"#));
    assert!(
        queue.contains(r#"href="/queue""#),
        "the clinician's header links the queue"
    );

    // The clinician reads what was shared, without the owner's forms.
    let (status, page) = site.page(&result, Some(&doctor)).await;
    assert_eq!(status, 200);
    assert!(!page.contains("/share\""));
    assert!(!page.contains("Start a diary episode"));
    // ... and may not pass it on.
    let (status, _) = html(
        site.post(
            &format!("{result}/share"),
            Some(&doctor),
            &[("clinician", DOCTOR)],
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
    // Another person cannot share it, nor read it.
    let ben = site.register(BEN).await;
    assert_eq!(site.page(&result, Some(&ben)).await.0, 404);
    let (status, _) = html(
        site.post(
            &format!("{result}/share"),
            Some(&ben),
            &[("clinician", DOCTOR)],
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_person_gets_404_on_the_queue() {
    let site = Site::new(true).await;
    let ana = site.register(ANA).await;
    let (status, page) = site.page("/queue", Some(&ana)).await;
    assert_eq!(status, 404);
    assert!(page.contains("Not found"));
}

#[tokio::test]
async fn signing_out_makes_the_cookie_stop_working() {
    let site = Site::new(true).await;
    let cookie = site.register(ANA).await;
    assert_eq!(site.page("/episodes", Some(&cookie)).await.0, 200);
    let response = site.post("/sign-out", Some(&cookie), &[]).await;
    assert_eq!(location(&response), "/sign-in");
    let header = set_cookie(&response);
    assert!(header.starts_with("upperback_session=;"), "{header}");
    assert!(header.contains("Max-Age=0"), "{header}");
    // The old cookie, sent again (as a tampered browser might), no longer works.
    assert_eq!(location(&site.get("/", Some(&cookie)).await), "/sign-in");
    assert_eq!(
        location(&site.get("/episodes", Some(&cookie)).await),
        "/sign-in"
    );
}

#[tokio::test]
async fn bad_form_input_is_a_422_page_naming_the_field() {
    let site = Site::new(true).await;
    let cookie = site.register(ANA).await;
    let cookie = Some(cookie.as_str());
    let now = local_input(Duration::zero());
    for (pairs, field) in [
        (
            vec![("started_at", now.as_str()), ("severity", "11")],
            "severity",
        ),
        (
            vec![("started_at", now.as_str()), ("severity", "bad")],
            "severity",
        ),
        (vec![("started_at", "last tuesday")], "started_at"),
        (vec![("started_at", "")], "started_at"),
        (vec![("started_at", "2999-01-01T10:00")], "started_at"),
        (
            vec![("started_at", now.as_str()), ("location", "left_knee")],
            "location",
        ),
    ] {
        let (status, page) = html(site.post("/episodes", cookie, &pairs).await).await;
        assert_eq!(status, 422, "{pairs:?}");
        assert!(
            page.contains(&format!(r#"id="{field}-error""#)),
            "{pairs:?} names {field}"
        );
        assert!(page.contains(&format!(r##"href="#{field}""##)), "{pairs:?}");
    }
    // What was typed is kept.
    let (_, page) = html(
        site.post(
            "/episodes",
            cookie,
            &[
                ("started_at", now.as_str()),
                ("severity", "11"),
                ("triggers", "lifting"),
            ],
        )
        .await,
    )
    .await;
    assert!(page.contains(r#"value="lifting""#));
    assert!(page.contains(r#"value="11""#));

    let id = site
        .start_episode(cookie, &[("started_at", &local_input(Duration::hours(2)))])
        .await;
    let check_in = format!("/episodes/{id}/check-ins");
    for (pairs, field) in [
        (vec![("severity", "3")], "improving"),
        (vec![("improving", "yes")], "severity"),
        (vec![("severity", "12"), ("improving", "no")], "severity"),
        (
            vec![("severity", "3"), ("improving", "perhaps")],
            "improving",
        ),
        (
            vec![
                ("severity", "3"),
                ("improving", "no"),
                ("at", &local_input(Duration::days(3))),
            ],
            "at",
        ),
    ] {
        let (status, page) = html(site.post(&check_in, cookie, &pairs).await).await;
        assert_eq!(status, 422, "{pairs:?}");
        assert!(
            page.contains(&format!(r#"id="{field}-error""#)),
            "{pairs:?} names {field}"
        );
    }
    // An assessment id that is not the caller's.
    let (status, page) = html(
        site.post(
            "/episodes",
            cookie,
            &[
                ("started_at", now.as_str()),
                ("assessment", "7a0c5c3e-4b8e-4a57-9d1a-0d6f1f6a2b11"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains(r#"id="assessment-error""#));
}

#[tokio::test]
async fn an_episode_can_start_from_an_assessment() {
    let site = Site::new(true).await;
    let cookie = site.register(ANA).await;
    let cookie = Some(cookie.as_str());
    let assessment = site
        .assess(
            cookie,
            "spasm between my shoulder blades after golf, no fever",
        )
        .await;
    let (_, result) = site.page(&format!("/result/{assessment}"), cookie).await;
    let link = format!("/episodes?assessment={assessment}#new-episode");
    assert!(result.contains(&format!(r#"href="{link}""#)));
    let (status, page) = site.page(&link, cookie).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!(
        r#"<input type="hidden" name="assessment" value="{assessment}">"#
    )));
    let id = site
        .start_episode(
            cookie,
            &[
                ("started_at", &local_input(Duration::hours(1))),
                ("assessment", &assessment),
            ],
        )
        .await;
    let (_, page) = site.page(&format!("/episodes/{id}"), cookie).await;
    assert!(page.contains(&format!(r#"href="/result/{assessment}""#)));
}

#[tokio::test]
async fn local_mode_has_no_account_pages_but_keeps_the_diary() {
    let site = Site::new(false).await;
    for path in ["/sign-in", "/register", "/queue"] {
        let (status, page) = site.page(path, None).await;
        assert_eq!(status, 404, "{path}");
        assert!(page.contains("Not found"), "{path}");
    }
    for path in ["/sign-in", "/register", "/sign-out"] {
        let (status, _) = html(site.post(path, None, &[("email", ANA)]).await).await;
        assert_eq!(status, 404, "{path}");
    }

    let (status, home) = site.page("/", None).await;
    assert_eq!(status, 200);
    assert!(home.contains(r#"href="/episodes""#));
    assert!(!home.contains("Sign out"));

    let (status, list) = site.page("/episodes", None).await;
    assert_eq!(status, 200);
    assert!(list.contains("My episodes"));
    let id = site
        .start_episode(
            None,
            &[
                ("started_at", &local_input(Duration::hours(1))),
                ("severity", "5"),
            ],
        )
        .await;
    let path = format!("/episodes/{id}");
    let response = site
        .post(
            &format!("{path}/check-ins"),
            None,
            &[("severity", "3"), ("improving", "yes")],
        )
        .await;
    assert_eq!(location(&response), path);
    let (status, page) = site.page(&path, None).await;
    assert_eq!(status, 200);
    assert!(page.contains("<td>3</td>"));
    assert!(site.page("/episodes", None).await.1.contains(&path));

    // The result page links to the diary, and has no share form without accounts.
    let assessment = site.assess(None, "spasm between my shoulder blades").await;
    let (status, page) = site.page(&format!("/result/{assessment}"), None).await;
    assert_eq!(status, 200);
    assert!(page.contains("Start a diary episode from this assessment"));
    assert!(!page.contains(r#"id="clinician""#));
    let (status, _) = html(
        site.post(
            &format!("/result/{assessment}/share"),
            None,
            &[("clinician", DOCTOR)],
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_openapi_document_lists_the_pages() {
    let server = TestServer::start().await;
    let doc = get_json(&client(), &server.url("/api/v1/openapi.json")).await;
    for (path, method) in WEB_PAGE_OPERATIONS {
        let operation = &doc["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} is not documented");
        assert_eq!(operation["tags"][0], "web", "{method} {path}");
    }
}

#[tokio::test]
async fn without_a_database_the_diary_is_a_503_page() {
    let server = TestServer::start().await;
    let response = client()
        .get(server.url("/episodes"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_security_headers(&response);
    let (status, page) = html(response).await;
    assert_eq!(status, 503);
    assert!(page.contains("need a database"));
}

#[tokio::test]
async fn another_site_cannot_sign_in_register_sign_out_or_write() {
    let site = Site::new(true).await;
    let cookie = site.register(ANA).await;
    let own_origin = site.server.url("");
    let own_origin = own_origin.trim_end_matches('/');
    // Another site, another port of the same host (same-site), a sandboxed page ("null").
    let elsewhere: [&[(&str, &str)]; 5] = [
        &[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://evil.example"),
        ],
        &[("sec-fetch-site", "same-site")],
        &[("origin", "http://evil.example")],
        &[("origin", "http://127.0.0.1:1")],
        &[("origin", "null")],
    ];
    for from in elsewhere {
        // Login CSRF: the attacker's account would get whatever the person enters next.
        let response = site
            .post_from(
                "/sign-in",
                None,
                &[("email", ANA), ("password", PASSWORD)],
                from,
            )
            .await;
        assert_eq!(response.status(), 403, "{from:?}");
        assert!(response.headers().get("set-cookie").is_none(), "{from:?}");
        let response = site
            .post_from(
                "/register",
                None,
                &[
                    ("email", "eve@example.org"),
                    ("password", PASSWORD),
                    ("password_again", PASSWORD),
                ],
                from,
            )
            .await;
        assert_eq!(response.status(), 403, "{from:?}");
        let response = site.post_from("/sign-out", Some(&cookie), &[], from).await;
        assert_eq!(response.status(), 403, "{from:?}");
        let response = site.post_from("/episodes", Some(&cookie), &[], from).await;
        assert_eq!(response.status(), 403, "{from:?}");
        let problem: serde_json::Value = client()
            .post(site.server.url("/api/v1/episodes"))
            .header("cookie", &cookie)
            .header("content-type", "application/json")
            .header(from[0].0, from[0].1)
            .body("{}")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(problem["status"], 403, "{problem}");
        assert_eq!(problem["type"], "/problems/cross-site", "{problem}");
    }
    // The session still works: the forced sign-out was refused.
    let (status, _) = site.page("/episodes", Some(&cookie)).await;
    assert_eq!(status, 200);
    // The person's own pages: the same origin, or typed in the address bar.
    let own: [&[(&str, &str)]; 2] = [
        &[("sec-fetch-site", "same-origin"), ("origin", own_origin)],
        &[("origin", own_origin)],
    ];
    for from in own {
        let response = site
            .post_from(
                "/assess",
                Some(&cookie),
                &[("text", "a knot under my shoulder blade since yesterday")],
                from,
            )
            .await;
        assert_eq!(response.status(), 303, "{from:?}");
    }
    // The session cookie with a body that is not JSON (a no-cors `text/plain` fetch).
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let response = client()
            .post(site.server.url("/api/v1/episodes"))
            .header("cookie", &cookie)
            .header("content-type", content_type)
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 415, "{content_type}");
    }
    let response = client()
        .post(site.server.url("/api/v1/episodes"))
        .header("cookie", &cookie)
        .header("content-type", "application/json; charset=utf-8")
        .body(serde_json::json!({"started_at": Local::now().to_rfc3339()}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn over_https_the_session_cookie_is_host_prefixed() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("web.db").display());
    let store = upperback_server::open_store(Some(&url)).await.unwrap();
    let config = ServerConfig {
        multi_user: true,
        behind_proxy: true,
        ..unlimited()
    };
    let server = TestServer::with_store(config, store).await;
    let response = client()
        .post(server.url("/register"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-forwarded-proto", "https")
        .header(
            "cookie",
            format!("__Host-upperback_form={}", common::FORM_TOKEN),
        )
        .body(common::with_form_token(format!(
            "email=ana%40example.org&password={0}&password_again={0}",
            PASSWORD.replace(' ', "+")
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let set = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(set.starts_with("__Host-upperback_session="), "{set}");
    assert!(
        set.contains("; Secure") && set.contains("Path=/") && !set.contains("Domain"),
        "{set}"
    );
    let token = set
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_string();
    let me = |cookie: String, https: bool| {
        let mut request = client()
            .get(server.url("/api/v1/me"))
            .header("cookie", cookie);
        if https {
            request = request.header("x-forwarded-proto", "https");
        }
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(
        me(format!("__Host-upperback_session={token}"), true).await,
        200
    );
    // Over HTTPS a cookie without the prefix (one a sibling subdomain could set) is ignored.
    assert_eq!(me(format!("upperback_session={token}"), true).await, 401);
}

/// A form that does not carry the anti-forgery token its page set is refused before anything
/// happens, even from a browser that says nothing of where the request comes from: signing
/// in (login CSRF), registering, signing out and writing to the diary alike.
#[tokio::test]
async fn forms_without_their_pages_token_are_refused() {
    let site = Site::new(true).await;
    let session = site.register(ANA).await;
    let (_, page) = site.page("/episodes", Some(&session)).await;
    assert!(page.contains(r#"name="form_token""#), "{page}");
    let token = common::FORM_TOKEN;
    let other = "ffeeddccbbaa99887766554433221100";
    let sign_in = format!(
        "email=ben%40example.org&password={}",
        PASSWORD.replace(' ', "+")
    );
    let cases: [(&str, String, String); 6] = [
        // Only the field, as a page elsewhere would write it.
        (
            "/sign-in",
            String::new(),
            format!("form_token={token}&{sign_in}"),
        ),
        // Only the cookie.
        (
            "/register",
            format!("upperback_form={token}"),
            sign_in.clone(),
        ),
        // The cookie, and another browser's token.
        (
            "/sign-in",
            format!("upperback_form={token}"),
            format!("form_token={other}&{sign_in}"),
        ),
        // The session's forms: sign out, a new episode, with no token at all.
        ("/sign-out", session.clone(), String::new()),
        (
            "/episodes",
            session.clone(),
            "started_at=2026-12-01T09%3A00".to_string(),
        ),
        // A later field cannot stand in for the first.
        (
            "/sign-out",
            common::form_cookie(Some(&session)),
            format!("form_token=x&form_token={token}"),
        ),
    ];
    for (path, cookie, body) in cases {
        let mut request = client()
            .post(site.server.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .body(body.clone());
        if !cookie.is_empty() {
            request = request.header("cookie", cookie.clone());
        }
        let response = request.send().await.unwrap();
        assert_security_headers(&response);
        assert!(
            response
                .headers()
                .get_all("set-cookie")
                .iter()
                .all(|v| !v.to_str().unwrap().contains("upperback_session")),
            "{path}: no session is set or cleared"
        );
        let (status, page) = html(response).await;
        assert_eq!(status, 403, "{path} {cookie} {body}");
        assert!(page.contains("The form could not be accepted"), "{page}");
        assert!(page.contains("reload the page"), "{page}");
    }
    // Nothing happened: Ben has no account, Ana is still signed in and has no episode.
    let response = client()
        .post(site.server.url("/api/v1/sessions"))
        .json(&serde_json::json!({"email": BEN, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let (status, page) = site.page("/episodes", Some(&session)).await;
    assert_eq!(status, 200);
    assert!(page.contains(ANA), "still signed in");
    assert!(
        !page.contains("/episodes/"),
        "no episode was started: {page}"
    );
    // A program that asks for JSON gets the problem as JSON.
    let response = client()
        .post(site.server.url("/sign-in"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(sign_in)
        .send()
        .await
        .unwrap();
    let problem = common::problem(response, 403).await;
    assert_eq!(problem["type"], "/problems/form-token", "{problem}");
}

/// A whole number is a whole number however it is written: a severity of `7.0` is 7, as the
/// OpenAPI document's `integer` says.
#[tokio::test]
async fn a_severity_written_as_a_decimal_whole_number_is_accepted() {
    let site = Site::new(false).await;
    let episode = client()
        .post(site.server.url("/api/v1/episodes"))
        .json(&serde_json::json!({"started_at": "2026-12-01T09:00:00Z", "severity": 6.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(episode.status(), 201);
    let episode: serde_json::Value = episode.json().await.unwrap();
    assert_eq!(episode["severity"], 6);
    let id = episode["id"].as_str().unwrap();
    let check_in = client()
        .post(site.server.url(&format!("/api/v1/episodes/{id}/check-ins")))
        .json(&serde_json::json!({"severity": 7.0, "improving": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(check_in.status(), 201);
    let refused = client()
        .post(site.server.url(&format!("/api/v1/episodes/{id}/check-ins")))
        .json(&serde_json::json!({"severity": 7.5, "improving": true}))
        .send()
        .await
        .unwrap();
    let problem = common::problem(refused, 422).await;
    assert_eq!(problem["field"], "severity");
}
