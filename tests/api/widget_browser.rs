//! The visitor never gets stuck, in a real browser (SPEC §12.2): nobody is available, the
//! visitor leaves a message (a bad email is refused beside its field), reloads and sees the
//! whole conversation, dialogue included, with the panel still open; starts a new
//! conversation, whose goodbye message card reads on without a click; reloads again; then
//! an agent writes while the panel is closed: a badge on the bubble and "(1)" in the title.
//! Screenshots at 1366 and 390 px wide go to `test-artifacts/`.

use fantoccini::Client;
use serde_json::{Value, json};

use crate::helpers::agents::available_agents;
use crate::helpers::browser::{
    both_widths, click, shop_page, start_browser, texts, type_into, until,
};
use crate::helpers::spawn_app;
use crate::helpers::widget::{publish, sales_dialogue};

/// Every message bubble of the widget, in order, as `sender: text`.
const TRANSCRIPT: &str = "Array.from(document.querySelectorAll('.sbw-msg')).map(e => e.className.replace('sbw-msg sbw-', '').split(' ')[0] + ': ' + e.textContent)";

async fn transcript(browser: &Client) -> Vec<String> {
    serde_json::from_value(
        browser
            .execute(&format!("return {TRANSCRIPT};"), vec![])
            .await
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn a_visitor_falls_back_leaves_a_message_starts_again_and_a_reload_shows_everything() {
    let app = spawn_app().await;
    let t = app.create_tenant("nodeadend").await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let (_driver, visitor) = start_browser().await;
    let page = shop_page(&app.base, &key).await;
    visitor.goto(&page).await.unwrap();
    click(&visitor, ".sbw-bubble").await;
    until(
        &visitor,
        "the question",
        &format!("{}.includes('Talk to sales?')", texts(".sbw-bot")),
    )
    .await;
    click(&visitor, ".sbw-choices .sbw-btn").await; // "Yes please"
    type_into(&visitor, "input[name=first_name]", "Ada").await;
    type_into(&visitor, "input[name=email]", "ada@example.com").await;
    click(&visitor, ".sbw-form button[type=submit]").await;

    // Nobody is available: the fallback, and the form to leave a message.
    until(
        &visitor,
        "the fallback",
        &format!(
            "{}.includes('Nobody is free; we will email you.')",
            texts(".sbw-notice")
        ),
    )
    .await;
    until(
        &visitor,
        "the leave-a-message form",
        "document.querySelector('.sbw-leave')",
    )
    .await;
    assert!(
        until(
            &visitor,
            "a new conversation button",
            "document.querySelector('.sbw-new')"
        )
        .await
        .is_object()
    );
    type_into(&visitor, ".sbw-leave input[name=name]", "Ada Lovelace").await;
    type_into(&visitor, ".sbw-leave input[name=email]", "ada@").await;
    type_into(
        &visitor,
        ".sbw-leave textarea[name=message]",
        "Please call me about 40 seats.",
    )
    .await;
    click(&visitor, ".sbw-leave button[type=submit]").await;
    let error = until(
        &visitor,
        "the email's error",
        "document.getElementById('sbw-leave-email-error').textContent",
    )
    .await;
    assert!(error.as_str().unwrap().contains("valid email"), "{error}");
    both_widths(&visitor, "widget-leave-message-error").await;
    type_into(&visitor, ".sbw-leave input[name=email]", "ada@example.com").await;
    click(&visitor, ".sbw-leave button[type=submit]").await;
    until(
        &visitor,
        "the thanks",
        "document.querySelector('.sbw-thanks')",
    )
    .await;
    both_widths(&visitor, "widget-message-left").await;
    let conversations = app
        .get("/api/v1/conversations?status=fallback", &t.token)
        .await;
    assert_eq!(
        conversations.body["items"][0]["left_message"]["message"],
        "Please call me about 40 seats."
    );

    // A reload: the whole conversation in order, the panel open as it was.
    let before = transcript(&visitor).await;
    visitor.refresh().await.unwrap();
    until(
        &visitor,
        "the conversation back",
        "document.querySelector('.sbw-thanks')",
    )
    .await;
    assert_eq!(
        until(
            &visitor,
            "the panel open",
            "document.querySelector('.sbw-panel.sbw-open') !== null"
        )
        .await,
        json!(true)
    );
    let after = transcript(&visitor).await;
    assert_eq!(after, before);
    assert_eq!(
        &after[..4],
        [
            "bot: Talk to sales?",
            "visitor: Yes please",
            "bot: Who are you?",
            "visitor: Ada · ada@example.com"
        ]
    );
    assert!(after[4].contains("Nobody is free"), "{after:?}");
    assert!(after[5].contains("Thanks, Ada Lovelace!"), "{after:?}");

    // A new conversation: "No thanks", and the goodbye card reads on by itself.
    click(&visitor, ".sbw-new").await;
    until(
        &visitor,
        "a fresh dialogue",
        &format!("{} .length === 1", texts(".sbw-msg")),
    )
    .await;
    click(&visitor, ".sbw-choices .sbw-btn:nth-child(2)").await; // "No thanks"
    until(
        &visitor,
        "the goodbye",
        &format!("{}.includes('Have a nice day!')", texts(".sbw-bot")),
    )
    .await;
    until(
        &visitor,
        "the branch finished",
        "document.querySelector('.sbw-new')",
    )
    .await;
    let visitor_id = |c: &Value| c["visitor_id"].as_str().unwrap().to_owned();
    let all = app.get("/api/v1/conversations", &t.token).await;
    let items = all.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{}", all.text);
    assert_eq!(items[0]["status"], "completed");
    assert_eq!(visitor_id(&items[0]), visitor_id(&items[1]));

    visitor.refresh().await.unwrap();
    until(
        &visitor,
        "the new conversation back",
        &format!("{}.includes('Have a nice day!')", texts(".sbw-bot")),
    )
    .await;
    assert_eq!(
        transcript(&visitor).await,
        [
            "bot: Talk to sales?",
            "visitor: No thanks",
            "bot: Have a nice day!"
        ]
    );
    until(
        &visitor,
        "a new conversation button",
        "document.querySelector('.sbw-new')",
    )
    .await;
    both_widths(&visitor, "widget-completed").await;

    // An agent is there now: a third conversation goes live; the visitor closes the panel
    // and the agent's message shows as unread.
    let (_, agent_token) = available_agents(&app, &t, 1).await.remove(0);
    click(&visitor, ".sbw-new").await;
    until(
        &visitor,
        "a fresh dialogue",
        &format!("{} .length === 1", texts(".sbw-msg")),
    )
    .await;
    click(&visitor, ".sbw-choices .sbw-btn").await;
    type_into(&visitor, "input[name=first_name]", "Ada").await;
    type_into(&visitor, "input[name=email]", "ada@example.com").await;
    click(&visitor, ".sbw-form button[type=submit]").await;
    until(
        &visitor,
        "the wait",
        &format!(
            "{}.includes('Connecting you to an agent…')",
            texts(".sbw-system")
        ),
    )
    .await;
    let live = app
        .get("/api/v1/conversations?status=routing", &t.token)
        .await;
    let id = live.body["items"][0]["id"].as_str().unwrap().to_owned();
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    let offer = c.body["trace"]["offers"][0]["offer_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app
        .post(
            &format!("/api/v1/offers/{offer}/accept"),
            &agent_token,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    until(
        &visitor,
        "the agent",
        &format!(
            "{}.some(t => t.includes('joined the chat'))",
            texts(".sbw-system")
        ),
    )
    .await;
    click(&visitor, ".sbw-close").await;
    let r = app
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            &agent_token,
            json!({"body": "Hi Ada, still there?"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    until(
        &visitor,
        "the unread badge",
        "document.querySelector('.sbw-badge').textContent === '1'",
    )
    .await;
    assert_eq!(
        until(&visitor, "the title", "document.title").await,
        "(1) Shop"
    );
    both_widths(&visitor, "widget-unread").await;
    click(&visitor, ".sbw-bubble").await;
    until(
        &visitor,
        "the badge gone",
        "document.querySelector('.sbw-badge').style.display === 'none'",
    )
    .await;
    assert_eq!(until(&visitor, "the title", "document.title").await, "Shop");
    until(
        &visitor,
        "the agent's message",
        &format!("{}.includes('Hi Ada, still there?')", texts(".sbw-agent")),
    )
    .await;
    both_widths(&visitor, "widget-live").await;
    visitor.close().await.unwrap();
}
