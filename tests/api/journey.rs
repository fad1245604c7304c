//! The whole visitor → agent journey in headless Chromium: a shop's page (its own origin)
//! embeds the widget with one script tag; the visitor walks question → capture (with a
//! validation message) → live chat; the agent's inbox shows the blue banner with a countdown
//! and plays the sound; the agent accepts; messages flow both ways, a hostile message shows
//! as text; the agent ends the chat; the admin reads the transcript and trace in the
//! console. Once on one node, once with visitor and agent on two server processes sharing
//! PostgreSQL and Redis. Screenshots go to `test-artifacts/`.

use crate::helpers::browser::{
    click, console_login, screenshot, shop_page, start_browser, texts, type_into, until,
};
use crate::helpers::processes::spawn_processes;
use crate::helpers::widget::{publish, sales_dialogue};
use crate::helpers::{Tenant, TestApp, spawn_app};
use serde_json::json;

const HOSTILE: &str = "<img src=x onerror=alert(1)>";

/// Runs the journey: the agent's inbox on `agent_base`, the widget from `visitor_base`, the
/// console on `agent_base`. `label` names the screenshots.
async fn journey(agent_base: &str, visitor_base: &str, t: &Tenant, key: &str, label: &str) {
    let (_agent_driver, inbox) = start_browser().await;
    let (_visitor_driver, visitor) = start_browser().await;

    // The agent logs in and lands in the inbox, connected.
    console_login(&inbox, agent_base, &t.slug, "agent0@journey.example.com").await;
    until(&inbox, "the inbox to connect", "document.getElementById('sb-connection') && document.getElementById('sb-connection').textContent === 'Connected'").await;

    // The visitor opens the shop's page and the chat bubble.
    let page = shop_page(visitor_base, key).await;
    visitor.goto(&page).await.unwrap();
    click(&visitor, ".sbw-bubble").await;
    until(
        &visitor,
        "the question card",
        &format!("{}.includes('Talk to sales?')", texts(".sbw-bot")),
    )
    .await;
    click(&visitor, ".sbw-choices .sbw-btn").await; // "Yes please"
    // The capture form: a bad email is refused beside its field.
    type_into(&visitor, "input[name=first_name]", "Ada").await;
    type_into(&visitor, "input[name=email]", "not-an-email").await;
    click(&visitor, ".sbw-form button[type=submit]").await;
    let error = until(
        &visitor,
        "the email's validation message",
        "document.getElementById('sbw-form-email-error') && document.getElementById('sbw-form-email-error').textContent",
    )
    .await;
    assert!(error.as_str().unwrap().contains("valid email"), "{error}");
    screenshot(&visitor, &format!("{label}-widget-capture-error")).await;
    type_into(&visitor, "input[name=email]", "ada@example.com").await;
    click(&visitor, ".sbw-form button[type=submit]").await;
    until(
        &visitor,
        "the waiting note",
        &format!(
            "{}.includes('Connecting you to an agent…')",
            texts(".sbw-system")
        ),
    )
    .await;

    // The inbox: the blue banner with the visitor's details and a countdown, and the sound.
    until(
        &inbox,
        "the offer banner",
        "document.querySelector('.offer-banner')",
    )
    .await;
    let banner = until(
        &inbox,
        "the banner text",
        "document.querySelector('.offer-banner').textContent",
    )
    .await;
    let banner = banner.as_str().unwrap();
    assert!(banner.contains("Ada wants to chat"), "{banner}");
    assert!(banner.contains("ada@example.com"), "{banner}");
    assert!(banner.contains("s left"), "{banner}");
    let color = until(
        &inbox,
        "the banner colour",
        "getComputedStyle(document.querySelector('.offer-banner')).backgroundColor",
    )
    .await;
    assert_eq!(color, "rgb(29, 78, 216)", "the banner is blue");
    until(
        &inbox,
        "the sound",
        "document.getElementById('inbox').dataset.sounds === '1'",
    )
    .await;
    until(&inbox, "the sound to play", "document.getElementById('sb-sound').played.length > 0 || !document.getElementById('sb-sound').paused").await;
    screenshot(&inbox, &format!("{label}-inbox-offer")).await;
    click(&inbox, ".offer-banner button.accept").await;

    // Both sides chat.
    until(
        &visitor,
        "the agent to join",
        &format!(
            "{}.some(t => t.includes('agent0 joined the chat.'))",
            texts(".sbw-system")
        ),
    )
    .await;
    until(
        &visitor,
        "the agent's name in the header",
        "document.querySelector('.sbw-title').textContent === 'agent0'",
    )
    .await;
    type_into(&visitor, ".sbw-foot textarea", HOSTILE).await;
    click(&visitor, ".sbw-foot button[type=submit]").await;
    until(
        &inbox,
        "the visitor's message",
        &format!("{}.includes({HOSTILE:?})", texts("#sb-messages .body")),
    )
    .await;
    let images = inbox
        .execute(
            "return document.querySelectorAll('#sb-messages img').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        images,
        json!(0),
        "a visitor's text became HTML in the inbox"
    );
    until(
        &inbox,
        "the visitor details",
        &format!(
            "{}.join(' ').includes('ada@example.com')",
            texts("#sb-details dd")
        ),
    )
    .await;
    type_into(&inbox, "#sb-text", "Hello Ada, how can I help?").await;
    click(&inbox, "#sb-send").await;
    until(
        &visitor,
        "the agent's reply",
        &format!(
            "{}.includes('Hello Ada, how can I help?')",
            texts(".sbw-agent")
        ),
    )
    .await;
    let pending = visitor
        .execute(
            "return document.querySelectorAll('.sbw-pending').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(pending, json!(0), "the visitor's message was acknowledged");
    screenshot(&visitor, &format!("{label}-widget-live")).await;
    screenshot(&inbox, &format!("{label}-inbox-chat")).await;
    assert!(
        visitor.get_alert_text().await.is_err() && inbox.get_alert_text().await.is_err(),
        "a script ran"
    );

    // The agent ends the chat; the visitor is told.
    // Ending asks first.
    click(&inbox, "#sb-end").await;
    until(
        &inbox,
        "the confirmation",
        "!document.getElementById('sb-confirm-end').hidden",
    )
    .await;
    click(&inbox, "#sb-end-confirm").await;
    until(
        &visitor,
        "the end",
        &format!(
            "{}.includes('The agent ended the chat.')",
            texts(".sbw-system")
        ),
    )
    .await;
    until(
        &visitor,
        "the way to a new conversation",
        "document.querySelector('.sbw-new')",
    )
    .await;
    until(
        &inbox,
        "the chat among past chats",
        "document.querySelectorAll('#sb-past li').length === 1",
    )
    .await;
    screenshot(&visitor, &format!("{label}-widget-ended")).await;

    // The admin reads the transcript and the trace in the console.
    let (_admin_driver, admin) = start_browser().await;
    console_login(&admin, agent_base, &t.slug, &t.admin_email).await;
    until(&admin, "the dashboard", "document.querySelector('h1')").await;
    admin
        .goto(&format!("{agent_base}/console/conversations"))
        .await
        .unwrap();
    click(&admin, "table a").await;
    let transcript = until(&admin, "the transcript", &texts(".transcript .body")).await;
    let transcript: Vec<String> = serde_json::from_value(transcript).unwrap();
    assert!(transcript.contains(&HOSTILE.to_owned()), "{transcript:?}");
    assert!(transcript.contains(&"Hello Ada, how can I help?".to_owned()));
    let images = admin
        .execute(
            "return document.querySelectorAll('.transcript img').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        images,
        json!(0),
        "a visitor's text became HTML in the console"
    );
    let outcome = until(
        &admin,
        "the trace",
        "document.querySelector('.trace-outcome').textContent",
    )
    .await;
    assert_eq!(outcome, "Accepted by agent0");
    let reached = until(&admin, "the offer's channel", &texts(".trace-offers td")).await;
    assert!(reached.to_string().contains("inbox at"), "{reached}");
    screenshot(&admin, &format!("{label}-console-conversation")).await;
    for b in [inbox, visitor, admin] {
        b.close().await.unwrap();
    }
}

/// A tenant with one agent (who may chat, with a password) and the sales dialogue published
/// with round-robin routing; returns the widget key.
async fn set_up(app: &TestApp, t: &Tenant) -> String {
    let agent = app
        .create_user(t, "agent0@journey.example.com", "agent")
        .await;
    let r = app
        .put(
            &format!("/api/v1/users/{agent}/live-chat-permission"),
            &t.token,
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    let token = app.user_token(t, "agent0@journey.example.com").await;
    let r = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/me/availability",
            Some(&token),
            Some(json!({"status": "available"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    publish(app, t, sales_dialogue(json!({"mode": "round_robin"}))).await
}

#[tokio::test]
async fn a_visitor_and_an_agent_chat_in_real_browsers() {
    let app = spawn_app().await;
    let t = app.create_tenant("journey").await;
    let key = set_up(&app, &t).await;
    journey(&app.base, &app.base, &t, &key, "one-node").await;
}

#[tokio::test]
async fn a_visitor_and_an_agent_on_two_server_processes_chat_in_real_browsers() {
    let nodes = spawn_processes(2).await;
    let t = nodes.clients[0].create_tenant("journey").await;
    let key = set_up(&nodes.clients[0], &t).await;
    let (agent, visitor) = (&nodes.processes[0].url, &nodes.processes[1].url);
    journey(agent, visitor, &t, &key, "two-processes").await;
}
