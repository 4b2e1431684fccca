//! The web page, through its forms, without JavaScript (plain HTTP, as a browser with
//! scripts off would do it).

mod common;

use common::{assert_security_headers, client, get_json, get_text, TestServer};

fn form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

async fn post_form(server: &TestServer, path: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
    client()
        .post(server.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("cookie", common::form_cookie(None))
        .body(common::with_form_token(form(pairs)))
        .send()
        .await
        .unwrap()
}

async fn get_page(server: &TestServer, path: &str) -> (u16, String) {
    let response = client()
        .get(server.url(path))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_security_headers(&response);
    let status = response.status().as_u16();
    if status == 200 {
        assert_eq!(
            response.headers()["content-type"],
            "text/html; charset=utf-8"
        );
    }
    (status, response.text().await.unwrap())
}

fn location(response: &reqwest::Response) -> String {
    assert_eq!(response.status(), 303, "{}", response.url());
    response.headers()["location"].to_str().unwrap().to_string()
}

/// No inline script or style anywhere (the CSP would block it anyway).
fn assert_no_inline_code(html: &str) {
    for (i, _) in html.match_indices("<script") {
        let tag = &html[i..html[i..].find('>').map_or(html.len(), |e| i + e)];
        assert!(tag.contains("src="), "inline script: {tag}");
    }
    assert!(!html.contains(" style="), "inline style attribute");
    assert!(!html.contains("<style"), "inline style element");
    assert!(!html.contains(" onclick="), "inline handler");
}

#[tokio::test]
async fn home_page_has_the_form_the_body_map_and_the_disclaimer() {
    let server = TestServer::start().await;
    let (status, html) = get_page(&server, "/").await;
    assert_eq!(status, 200);
    assert_no_inline_code(&html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains(r#"name="viewport""#));
    assert!(html.contains(r#"<textarea id="text" name="text""#));
    assert!(html.contains(r#"<label for="text">"#));
    assert!(html.contains("not a substitute for a clinician"));
    assert!(html.contains("<svg"));
    for choice in [
        "between_shoulder_blades",
        "top_of_shoulders",
        "one_side_upper_back",
        "mid_back",
        "wraps_around_ribs",
    ] {
        assert!(
            html.contains(&format!(r#"value="{choice}" id="loc-{choice}""#)),
            "{choice}"
        );
        assert!(
            html.contains(&format!(r#"<label for="loc-{choice}""#)),
            "{choice}"
        );
    }
    assert!(html.contains("911"));
    // When not to use the page: the ambulance level and the watch-list signs that call for
    // it, from the knowledge base.
    let kb = upperback_core::KnowledgeBase::embedded();
    let ambulance = kb.level_info(upperback_core::TriageLevel::Ambulance);
    let heading = maud::html! { h2 id="urgent-title" { (ambulance.label) } }.into_string();
    assert!(html.contains(&heading), "{html}");
    for sign in kb.care.watch.iter().filter(|w| w.level == ambulance.level) {
        let item = maud::html! { li { (sign.text) } }.into_string();
        assert!(html.contains(&item), "{}", sign.text);
    }
    // The style sheet places the map's hit areas.
    let css = get_text(&client(), &server.url("/static/app.css")).await;
    assert!(css.contains(".h-between_shoulder_blades.a0{left:"));
    assert!(css.contains("@media print"));
}

#[tokio::test]
async fn assess_now_redirects_to_a_result_page() {
    let server = TestServer::start().await;
    let response = post_form(
        &server,
        "/assess",
        &[
            (
                "text",
                "Spasm after golf <script>alert(1)</script>, no fever.",
            ),
            ("location", "between_shoulder_blades"),
            ("age", "45"),
            ("sex", "female"),
        ],
    )
    .await;
    assert_security_headers(&response);
    let to = location(&response);
    assert!(to.starts_with("/result/"), "{to}");
    let (status, html) = get_page(&server, &to).await;
    assert_eq!(status, 200);
    assert_no_inline_code(&html);
    // Warning signs were not checked: never a plain self-care banner, and the quick checks
    // (the interview, from the same words) are the main action.
    assert!(
        !html.contains("banner level-self"),
        "a plain self-care banner"
    );
    assert!(html.contains("banner caution"), "{html}");
    assert!(
        html.contains("if none of the 29 unchecked warning signs apply"),
        "{html}"
    );
    assert!(html.contains(r#"<form method="post" action="/interview" class="check no-print">"#));
    assert!(html.contains("What I understood"));
    assert!(html.contains("What may be contributing"));
    assert!(html.contains("Get help at once if"));
    assert!(
        html.contains("Not checked:"),
        "unscreened red flags are shown"
    );
    assert!(html.contains("not a substitute for a clinician"));
    assert!(html.contains("data-print"));
    // Without the script there is no Print button, so the page says how to print.
    assert!(html.contains("<noscript><span class=\"small\">To keep a copy, print this page"));
    // The person's text is escaped.
    assert!(!html.contains("<script>alert(1)</script>"));
    // The location from the body map is an answer.
    let id = to.trim_start_matches("/result/");
    let json = get_json(&client(), &server.url(&format!("/api/v1/assessments/{id}"))).await;
    let location = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "location")
        .unwrap();
    assert_eq!(location["value"], "between_shoulder_blades");
    assert_eq!(location["origin"], "answer");
}

/// The result page shows each fired rule's reason, findings and source ("Why"), and each
/// cause as a bar as long as its probability, with the same figure in words — the page
/// agrees with the stored result it renders.
#[tokio::test]
async fn result_page_shows_why_and_the_causes_as_bars() {
    let server = TestServer::start().await;
    let response = post_form(
        &server,
        "/assess",
        &[
            (
                "text",
                "Muscle spasm between my shoulder blades after a fall, worse at night, no fever.",
            ),
            ("age", "72"),
        ],
    )
    .await;
    let to = location(&response);
    let (status, html) = get_page(&server, &to).await;
    assert_eq!(status, 200);
    let id = to.trim_start_matches("/result/");
    let result = get_json(&client(), &server.url(&format!("/api/v1/assessments/{id}"))).await;
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };

    let rules = result["triage"]["fired_rules"].as_array().unwrap();
    assert!(!rules.is_empty(), "the text should fire a rule: {result}");
    let why = &html[html
        .find(r#"<h2 id="why">Why</h2>"#)
        .expect("a Why section")..];
    let why = &why[..why.find("</section>").unwrap()];
    for rule in rules {
        let text = escape(rule["why"].as_str().unwrap());
        assert!(why.contains(&text), "{text} in {why}");
        let source = format!("Source: {}", escape(rule["source"].as_str().unwrap()));
        assert!(why.contains(&source), "{source} in {why}");
    }
    assert_eq!(why.matches("<li>").count(), rules.len(), "{why}");

    let causes = result["causes"].as_array().unwrap();
    let list = &html[html.find(r#"<ul class="causes">"#).expect("the causes")..];
    let list = &list[..list.find("</ul>").unwrap()];
    let items: Vec<&str> = list.split("<li>").skip(1).collect();
    assert_eq!(items.len(), causes.len(), "{list}");
    for (cause, item) in causes.iter().zip(&items) {
        let percent = (cause["probability"].as_f64().unwrap() * 100.0).round();
        let name = format!(
            r#"<span class="cause-name">{}</span>"#,
            escape(cause["name"].as_str().unwrap())
        );
        assert!(item.contains(&name), "{name} in {item}");
        let bar = format!(r#"<rect class="fill" x="0" y="0" width="{percent}" height="8">"#);
        assert!(item.contains(&bar), "{bar} in {item}");
        assert!(
            item.contains(&format!("{percent}%")),
            "{percent}% in {item}"
        );
    }
    // Most likely first, and the bars differ (the figures are not all the same).
    let widths: Vec<f64> = causes
        .iter()
        .map(|c| c["probability"].as_f64().unwrap())
        .collect();
    assert!(widths.windows(2).all(|w| w[0] >= w[1]), "{widths:?}");
    assert!(widths.first() > widths.last(), "{widths:?}");
}

#[tokio::test]
async fn bad_forms_show_the_form_again() {
    let server = TestServer::start().await;
    let response = post_form(&server, "/assess", &[("text", "  "), ("location", "")]).await;
    assert_eq!(response.status(), 422);
    assert_security_headers(&response);
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"role="alert""#));
    assert!(html.contains("nothing to assess"));
    let response = post_form(&server, "/assess", &[("text", "spasm"), ("age", "old")]).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("age"));
    assert!(html.contains(">spasm</textarea>"), "what was typed is kept");
    let long = "a".repeat(10_001);
    let response = post_form(&server, "/interview", &[("text", &long)]).await;
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn emergency_interview_through_the_forms() {
    let server = TestServer::start().await;
    let response = post_form(
        &server,
        "/interview",
        &[
            ("text", "My upper back is in spasm"),
            ("location", "mid_back"),
        ],
    )
    .await;
    let to = location(&response);
    assert!(to.starts_with("/interview/"), "{to}");
    let (status, html) = get_page(&server, &to).await;
    assert_eq!(status, 200);
    assert_no_inline_code(&html);
    assert!(html.contains(r#"name="question" value="q-red-flags-heart""#));
    assert!(html.contains(r#"type="checkbox" name="item" value="chest_pain""#));
    assert!(html.contains("None of these"));
    assert!(html.contains("I don't know"));
    // Nothing ticked is not an answer: the question again, saying what to do.
    let response = post_form(
        &server,
        &to,
        &[("question", "q-red-flags-heart"), ("action", "answer")],
    )
    .await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("None of these"));
    // A stale form goes back to the current question.
    let response = post_form(&server, &to, &[("question", "q-age"), ("action", "answer")]).await;
    assert_eq!(location(&response), to);
    // Chest pain → the result, an ambulance, the numbers prominent.
    let response = post_form(
        &server,
        &to,
        &[
            ("question", "q-red-flags-heart"),
            ("item", "chest_pain"),
            ("action", "answer"),
        ],
    )
    .await;
    let result = location(&response);
    assert!(result.starts_with("/result/"), "{result}");
    let (status, html) = get_page(&server, &result).await;
    assert_eq!(status, 200);
    assert!(html.contains("banner level-ambulance"));
    assert!(html.contains(r#"href="tel:911""#));
    assert!(html.contains(r#"href="tel:112""#));
    assert!(html.contains(r#"href="tel:999""#));
    assert!(html.contains("Call an ambulance"));
    // The finished interview's page leads to the result.
    let response = client().get(server.url(&to)).send().await.unwrap();
    assert_eq!(location(&response), result);
}

#[tokio::test]
async fn self_care_interview_through_the_forms() {
    let server = TestServer::start().await;
    let response = post_form(
        &server,
        "/interview",
        &[
            (
                "text",
                "Spasm between my shoulder blades after golf yesterday. No fever.",
            ),
            ("age", "35"),
        ],
    )
    .await;
    let here = location(&response);
    let mut steps = 0;
    let result = loop {
        let (status, html) = get_page(&server, &here).await;
        assert_eq!(status, 200, "{html}");
        let question = between(&html, r#"name="question" value=""#, "\"");
        let mut pairs = vec![("question", question.clone()), ("action", "answer".into())];
        if html.contains(r#"name="item""#) {
            pairs.push(("none", "1".into()));
        } else if html.contains(r#"name="answer" value="yes""#) {
            let yes = question == "q-improving" || question == "q-home-care";
            pairs.push(("answer", if yes { "yes" } else { "no" }.into()));
        } else if html.contains(r#"type="radio" name="answer""#) {
            pairs.push(("answer", "dont_know".into()));
        } else {
            let n = if question == "q-duration" {
                "1 day"
            } else {
                "4"
            };
            pairs.push(("answer", n.into()));
        }
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = post_form(&server, &here, &pairs).await;
        let to = location(&response);
        if to.starts_with("/result/") {
            break to;
        }
        assert_eq!(to, here);
        steps += 1;
        assert!(steps < 30, "the interview does not end");
    };
    let (status, html) = get_page(&server, &result).await;
    assert_eq!(status, 200);
    assert!(html.contains("banner level-self"), "{html}");
    assert!(
        !html.contains("Not checked:"),
        "every red flag was answered"
    );
    assert!(html.contains("What to do"));
    assert!(html.contains("What I understood"));
}

fn between(html: &str, start: &str, end: &str) -> String {
    let from = html.find(start).expect("start marker") + start.len();
    let to = html[from..].find(end).expect("end marker") + from;
    html[from..to].to_string()
}

#[tokio::test]
async fn unknown_pages_are_404_pages() {
    let server = TestServer::start().await;
    for path in [
        "/interview/00000000-0000-0000-0000-000000000000",
        "/interview/nope",
        "/result/nope",
    ] {
        let (status, html) = get_page(&server, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Start again") || html.contains("Back to the start"));
    }
    let response = post_form(
        &server,
        "/interview/00000000-0000-0000-0000-000000000000",
        &[("question", "q")],
    )
    .await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn an_emergency_department_result_says_what_to_do_if_it_gets_worse() {
    let kb = upperback_core::KnowledgeBase::embedded();
    let if_worse = kb
        .level_info(upperback_core::TriageLevel::EmergencyDepartment)
        .if_worse
        .as_deref()
        .expect("triage.toml gives the emergency department an `if_worse`");
    let server = TestServer::start().await;
    let response = post_form(
        &server,
        "/assess",
        &[
            ("text", "Upper back pain and I am coughing up blood."),
            ("age", "40"),
        ],
    )
    .await;
    let (status, html) = get_page(&server, &location(&response)).await;
    assert_eq!(status, 200);
    assert!(html.contains("banner level-emergency"), "{html}");
    // The knowledge base's sentence, which names every emergency number.
    let sentence = maud::html! { p class="call-small" { (if_worse) } }.into_string();
    assert!(html.contains(&sentence), "{html}");
    for n in &kb.emergency_numbers {
        assert!(if_worse.contains(&n.number), "{if_worse}");
    }
}

#[tokio::test]
async fn the_interview_pages_read_back_what_the_text_said() {
    // "crushing pressure in my chest" is read back first; "no fever" stays in its checklist
    // with the words; a fever read as present would start ticked.
    let server = TestServer::start().await;
    let response = post_form(
        &server,
        "/interview",
        &[(
            "text",
            "Spasm between my shoulder blades, no fever. Since an hour a crushing pressure in my chest.",
        )],
    )
    .await;
    let to = location(&response);
    let (_, html) = get_page(&server, &to).await;
    assert!(
        html.contains(r#"name="question" value="q-confirm-chest_pain""#),
        "{html}"
    );
    assert!(
        html.contains("You wrote: “crushing pressure in my chest”"),
        "{html}"
    );
    // No: the checklists follow, the heart's first.
    let answer = |question: &'static str| vec![("question", question), ("action", "answer")];
    let mut no = answer("q-confirm-chest_pain");
    no.push(("answer", "no"));
    post_form(&server, &to, &no).await;
    for question in [
        "q-red-flags-heart",
        "q-red-flags-nerves",
        "q-red-flags-injury",
    ] {
        let mut none = answer(question);
        none.push(("none", "1"));
        post_form(&server, &to, &none).await;
    }
    let (_, html) = get_page(&server, &to).await;
    assert!(
        html.contains(r#"name="question" value="q-red-flags-infection""#),
        "{html}"
    );
    assert!(
        html.contains(r#"value="fever">"#),
        "fever is asked, not ticked: {html}"
    );
    assert!(html.contains("— you wrote: “no fever”"), "{html}");

    let response = post_form(
        &server,
        "/interview",
        &[("text", "Spasm, and I have a fever.")],
    )
    .await;
    let to = location(&response);
    for question in [
        "q-red-flags-heart",
        "q-red-flags-nerves",
        "q-red-flags-injury",
    ] {
        let mut none = answer(question);
        none.push(("none", "1"));
        post_form(&server, &to, &none).await;
    }
    let (_, html) = get_page(&server, &to).await;
    assert!(
        html.contains(r#"value="fever" checked>"#),
        "a fever read is ticked: {html}"
    );
}

/// A page gives the browser an anti-forgery token (an `HttpOnly` cookie) and puts the same
/// token in every form it renders; the browser keeps it for the pages that follow, and a form
/// is accepted only with both.
#[tokio::test]
async fn every_form_carries_the_token_its_page_set() {
    let server = TestServer::start().await;
    let open = |cookie: Option<String>| {
        let mut request = client().get(server.url("/")).header("accept", "text/html");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        async move { request.send().await.unwrap() }
    };
    let response = open(None).await;
    let set = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(set.starts_with("upperback_form="), "{set}");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"),
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
    assert_eq!(token.len(), 32, "{token}");
    let page = response.text().await.unwrap();
    let forms = page.matches(r#"method="post""#).count();
    assert!(forms >= 1, "{page}");
    assert_eq!(
        page.matches(&format!(r#"name="form_token" value="{token}""#))
            .count(),
        forms,
        "every form carries the token: {page}"
    );
    // The browser sends the cookie back: the same token, no new cookie.
    let cookie = format!("upperback_form={token}");
    let again = open(Some(cookie.clone())).await;
    assert!(again.headers().get("set-cookie").is_none());
    assert!(again.text().await.unwrap().contains(&token));
    // Another browser gets another token.
    let other = open(None).await;
    assert!(!other.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains(&token));

    let send = |cookie: &str, token: &str| {
        let request = client()
            .post(server.url("/assess"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("cookie", cookie.to_string())
            .body(format!(
                "form_token={token}&text=stiff+upper+back+since+yesterday"
            ));
        async move { request.send().await.unwrap() }
    };
    let accepted = send(&cookie, &token).await;
    assert_eq!(accepted.status(), 303);
    assert!(accepted.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/result/"));
    let refused = send(&cookie, "00000000000000000000000000000000").await;
    assert_eq!(refused.status(), 403);
    assert_security_headers(&refused);
    let page = refused.text().await.unwrap();
    assert!(page.contains("The form could not be accepted"), "{page}");
}
