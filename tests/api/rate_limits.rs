//! Rate limits (issue 15, SPEC §12.4): past a limit, 429 problem+json with `Retry-After`,
//! and the allowance comes back over time. Login per account (a guesser never reaches the
//! password check, so even the right password waits) and per address; widget sessions per
//! address (another address still gets its chat) and per widget key; visitor messages per
//! conversation; sockets per token; API requests per key. The client's address is the
//! nearest untrusted hop of `X-Forwarded-For` (the test client is a trusted loopback proxy).

use std::time::Duration;

use serde_json::{Value, json};
use switchboard_service::limits::{Limit, RateLimits, parse_rate};

use crate::helpers::agents::available_agents;
use crate::helpers::live::first_offer_id;
use crate::helpers::widget::{publish, straight_to_live_chat};
use crate::helpers::{ADMIN_PASSWORD, TestApp, spawn_app_with};

async fn app_with(limits: &[(Limit, &str)]) -> TestApp {
    let mut rates = RateLimits::default();
    for (limit, rate) in limits {
        rates = rates.with(*limit, parse_rate(rate).unwrap());
    }
    spawn_app_with(move |c| c.rate_limits = rates).await
}

/// A POST from the address `from`: status, `Retry-After`, body.
async fn post_from(
    app: &TestApp,
    from: &str,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (u16, Option<u64>, Value) {
    let mut req = app
        .client
        .post(app.url(path))
        .header("x-forwarded-for", from)
        .json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let retry_after = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let body = r.json().await.unwrap_or(Value::Null);
    (status, retry_after, body)
}

/// The visitor of a widget session ends their conversation.
async fn end_visitor(app: &TestApp, session: &Value) {
    let ended = app
        .post(
            &format!(
                "/api/v1/widget/conversations/{}/end",
                session["conversation_id"].as_str().unwrap()
            ),
            session["visitor_token"].as_str().unwrap(),
            json!({}),
        )
        .await;
    assert!(ended.status.is_success(), "{}", ended.text);
}

async fn login_from(app: &TestApp, from: &str, body: Value) -> (u16, Option<u64>, Value) {
    post_from(app, from, "/api/v1/auth/token", None, body).await
}

async fn session_from(app: &TestApp, from: &str, key: &str) -> (u16, Option<u64>, Value) {
    let body = json!({"widget_key": key});
    post_from(app, from, "/api/v1/widget/sessions", None, body).await
}

fn assert_limited(status: u16, retry_after: Option<u64>, body: &Value) {
    assert_eq!(status, 429, "{body}");
    assert_eq!(
        body["type"],
        "https://switchboard.dev/problems/rate-limited"
    );
    assert_eq!(body["status"], 429);
    assert!(
        retry_after.is_some_and(|s| s >= 1),
        "Retry-After {retry_after:?}"
    );
}

#[tokio::test]
async fn guessing_a_password_is_stopped_per_account_even_the_right_one_waits_then_it_unlocks() {
    let app = app_with(&[(Limit::LoginAccount, "3/2s"), (Limit::LoginIp, "100/1m")]).await;
    let t = app.create_tenant("acme").await;
    // An account nobody logged in to yet.
    app.create_user(&t, "bo@acme.example.com", "agent").await;
    let login = |password: &'static str| json!({"tenant": "acme", "email": "bo@acme.example.com", "password": password});
    for _ in 0..3 {
        let (status, _, body) = login_from(&app, "198.51.100.1", login("wrong-password-1")).await;
        assert_eq!(status, 401, "{body}");
    }
    // Locked: even the right password, from another address, waits.
    let (status, retry_after, body) = login_from(&app, "198.51.100.2", login(ADMIN_PASSWORD)).await;
    assert_limited(status, retry_after, &body);
    // Another account is not affected.
    app.operator_token().await;
    app.user_token(&t, &t.admin_email).await;

    tokio::time::sleep(Duration::from_secs(retry_after.unwrap_or(1))).await;
    let (status, _, body) = login_from(&app, "198.51.100.2", login(ADMIN_PASSWORD)).await;
    assert_eq!(status, 200, "unlocked once the allowance came back: {body}");
}

#[tokio::test]
async fn login_attempts_from_one_address_are_limited_and_another_address_still_logs_in() {
    let app = app_with(&[(Limit::LoginIp, "5/1m"), (Limit::LoginAccount, "100/1m")]).await;
    let t = app.create_tenant("acme").await;
    for i in 0..5 {
        let (status, _, body) = login_from(&app, "203.0.113.7", json!({"tenant": "acme", "email": format!("nobody{i}@acme.example.com"), "password": "guess-guess-1"}),
        )
        .await;
        assert_eq!(status, 401, "{body}");
    }
    let right = json!({"tenant": "acme", "email": t.admin_email, "password": ADMIN_PASSWORD});
    let (status, retry_after, body) = login_from(&app, "203.0.113.7", right.clone()).await;
    assert_limited(status, retry_after, &body);
    let (status, _, body) = login_from(&app, "203.0.113.8", right).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_widget_flood_from_one_address_is_limited_while_another_address_gets_its_chat() {
    let app = app_with(&[(Limit::WidgetIp, "5/1m"), (Limit::WidgetKey, "7/1m")]).await;
    let t = app.create_tenant("acme").await;
    available_agents(&app, &t, 1).await;
    let key = publish(&app, &t, straight_to_live_chat()).await;
    for _ in 0..5 {
        let (status, _, body) = session_from(&app, "192.0.2.66", &key).await;
        assert_eq!(status, 200, "{body}");
        // Each ended at once: the cap on chats open from one address is not what stops it.
        end_visitor(&app, &body).await;
    }
    let (status, retry_after, body) = session_from(&app, "192.0.2.66", &key).await;
    assert_limited(status, retry_after, &body);

    // A real visitor elsewhere still asks for an agent and is offered.
    let (status, _, body) = session_from(&app, "192.0.2.10", &key).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "waiting", "{body}");
    let conversation = body["conversation_id"].as_str().unwrap();
    first_offer_id(&app, &t, conversation).await;

    // The widget key's own limit holds across addresses.
    let (status, _, body) = session_from(&app, "192.0.2.11", &key).await;
    assert_eq!(status, 200, "{body}");
    let (status, retry_after, body) = session_from(&app, "192.0.2.12", &key).await;
    assert_limited(status, retry_after, &body);
}

#[tokio::test]
async fn visitor_messages_api_keys_and_sockets_have_their_limits() {
    let app = app_with(&[
        (Limit::VisitorMessages, "3/1m"),
        (Limit::ApiKey, "2/1m"),
        (Limit::SocketsToken, "2/1m"),
    ])
    .await;
    let t = app.create_tenant("acme").await;
    available_agents(&app, &t, 1).await;
    let key = publish(&app, &t, straight_to_live_chat()).await;
    let (_, _, s) = session_from(&app, "192.0.2.20", &key).await;
    let (conversation, token) = (
        s["conversation_id"].as_str().unwrap().to_owned(),
        s["visitor_token"].as_str().unwrap().to_owned(),
    );
    let path = format!("/api/v1/widget/conversations/{conversation}/messages");
    for i in 0..3 {
        let (status, _, body) = post_from(
            &app,
            "192.0.2.20",
            &path,
            Some(&token),
            json!({"body": format!("hello {i}"), "client_id": format!("c{i}")}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, retry_after, body) = post_from(
        &app,
        "192.0.2.20",
        &path,
        Some(&token),
        json!({"body": "one too many", "client_id": "c3"}),
    )
    .await;
    assert_limited(status, retry_after, &body);
    let messages = app
        .get(
            &format!("/api/v1/conversations/{conversation}/messages"),
            &t.token,
        )
        .await;
    assert_eq!(
        messages.body["items"].as_array().unwrap().len(),
        3,
        "{}",
        messages.text
    );

    // An API key: two calls, then 429.
    let created = app
        .post("/api/v1/api-keys", &t.token, json!({"name": "CRM sync"}))
        .await;
    let api_key = created.body["key"].as_str().unwrap().to_owned();
    for _ in 0..2 {
        assert_eq!(app.get("/api/v1/teams", &api_key).await.status, 200);
    }
    let r = app.get("/api/v1/teams", &api_key).await;
    assert_eq!(r.status, 429, "{}", r.text);

    // Sockets with one token: two open, the third is refused before the upgrade.
    let ws = |n: u32| {
        let url = format!(
            "{}/api/v1/ws/visitor?token={token}",
            app.base.replacen("http", "ws", 1)
        );
        async move { (n, tokio_tungstenite::connect_async(url).await) }
    };
    let (_, first) = ws(1).await;
    let (_, second) = ws(2).await;
    assert!(first.is_ok() && second.is_ok());
    match ws(3).await.1 {
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => {
            assert_eq!(resp.status().as_u16(), 429);
            assert!(resp.headers().contains_key("retry-after"));
        }
        other => panic!("the third socket was not refused: {:?}", other.map(|_| ())),
    }
}

#[test]
fn rates_are_read_as_written_and_refused_with_a_reason() {
    let r = parse_rate("20/1m").unwrap();
    assert_eq!((r.burst.get(), r.period), (20, Duration::from_secs(60)));
    assert_eq!(parse_rate("3/2s").unwrap().period, Duration::from_secs(2));
    assert_eq!(
        parse_rate("100/1h").unwrap().period,
        Duration::from_secs(3600)
    );
    for bad in ["", "20", "0/1m", "x/1m", "5/1d", "5/0s", "5/25h", "5/m"] {
        assert!(parse_rate(bad).is_err(), "{bad:?}");
    }
}

/// The console's login form (without JavaScript) says why, beside the form, and the
/// platform's is limited the same way.
#[tokio::test]
async fn the_login_forms_say_to_wait_when_an_account_is_locked() {
    let app = app_with(&[(Limit::LoginAccount, "2/1m")]).await;
    let t = app.create_tenant("acme").await;
    app.create_user(&t, "bo@acme.example.com", "agent").await;
    let browser = crate::helpers::console::browser();
    let form = [
        ("tenant", "acme"),
        ("email", "bo@acme.example.com"),
        ("password", "wrong-password-1"),
    ];
    for _ in 0..2 {
        let (status, _, _) =
            crate::helpers::console::post(&app, &browser, "/console/login", &form).await;
        assert_eq!(status, 422);
    }
    let (status, _, page) =
        crate::helpers::console::post(&app, &browser, "/console/login", &form).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Too many attempts; please wait"),
        "the page does not say to wait: {page}"
    );
    let operator = [
        ("email", crate::helpers::OPERATOR_EMAIL),
        ("password", "wrong-password-1"),
    ];
    for _ in 0..2 {
        crate::helpers::console::post(&app, &browser, "/platform/login", &operator).await;
    }
    let (_, _, page) =
        crate::helpers::console::post(&app, &browser, "/platform/login", &operator).await;
    assert!(page.contains("Too many attempts; please wait"), "{page}");
}

/// In a real browser, at both widths: the login page says to wait, beside the form.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_locked_login_page_reads_well_in_a_browser() {
    use crate::helpers::browser::{both_widths, click, start_browser, type_into, until};
    let app = app_with(&[(Limit::LoginAccount, "2/1m")]).await;
    app.create_tenant("acme").await;
    let (_driver, browser) = start_browser().await;
    for _ in 0..3 {
        browser.goto(&app.url("/console/login")).await.unwrap();
        type_into(&browser, "#tenant", "acme").await;
        type_into(&browser, "#email", "bo@acme.example.com").await;
        type_into(&browser, "#password", "wrong-password-1").await;
        click(&browser, "button[type=submit]").await;
        until(&browser, "the answer", "document.querySelector('.error')").await;
    }
    until(
        &browser,
        "the wait",
        "document.querySelector('.error').innerText.includes('Too many attempts')",
    )
    .await;
    both_widths(&browser, "console-login-rate-limited").await;
    browser.close().await.unwrap();
}

/// One address holds at most three chats waiting or live in a workspace (issue 15): scripted
/// "visitors" from one address cannot take every agent's offers, another address still gets
/// its chat, and ending one lets the address start again.
#[tokio::test]
async fn one_address_holds_at_most_three_open_chats_while_another_still_chats() {
    let app = app_with(&[]).await;
    let t = app.create_tenant("capped").await;
    available_agents(&app, &t, 6).await;
    let key = publish(&app, &t, straight_to_live_chat()).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        let (status, _, body) = session_from(&app, "203.0.113.7", &key).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "waiting", "{body}");
        held.push(body);
    }
    let (status, retry, body) = session_from(&app, "203.0.113.7", &key).await;
    assert_eq!(status, 429, "{body}");
    assert!(retry.is_some());
    let (status, _, body) = session_from(&app, "198.51.100.9", &key).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("waiting")),
        "{body}"
    );

    // One of the address's chats ends: it may start another.
    end_visitor(&app, &held[0]).await;
    let (status, _, body) = session_from(&app, "203.0.113.7", &key).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("waiting")),
        "{body}"
    );
}
