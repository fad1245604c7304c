//! The agent's workspace in headless Chromium (issue 16): an agent with three chats switches
//! between them with the keyboard and keeps a draft in each; a background message marks the
//! chat and the page title; a canned response with a variable is completed from `/`; an
//! internal note shows in the inbox and never in the widget (nor its REST transcript); an
//! image goes each way and is shown; the end asks for confirmation and the visitor's rating
//! is stored. Screenshots at 1366 and 390 px go to `test-artifacts/`.

use serde_json::{Value, json};

use crate::helpers::agents::available_agents;
use crate::helpers::browser::{
    both_widths, click, console_login, screenshot, shop_page, start_browser, texts, type_into,
    until,
};
use crate::helpers::widget::{answer, publish, sales_dialogue, start_session};
use crate::helpers::{Tenant, TestApp, spawn_app};

const ALT: &str = "\u{E00A}";
const UP: &str = "\u{E013}";
const DOWN: &str = "\u{E015}";
const ENTER: &str = "\u{E007}";
const RELEASE: &str = "\u{E000}";

/// A visitor who gives their name and asks for an agent, over the API: the session.
async fn visitor(app: &TestApp, key: &str, name: &str) -> Value {
    let s = start_session(app, json!({"widget_key": key}), Some("FR")).await;
    assert_eq!(s.status, 200, "{}", s.text);
    let r = answer(app, &s.body, json!({"card_id": "ask", "choice": "yes"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let email = format!("{}@example.com", name.to_lowercase());
    let r = answer(
        app,
        &s.body,
        json!({"card_id": "form", "fields": {"first_name": name, "email": email}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    s.body
}

async fn accept_next_offer(inbox: &fantoccini::Client, name: &str) {
    until(
        inbox,
        &format!("{name}'s offer"),
        &format!("{}.some(t => t.includes({name:?}))", texts(".offer-banner")),
    )
    .await;
    click(inbox, ".offer-banner button.accept").await;
    until(
        inbox,
        &format!("{name}'s chat in the list"),
        &format!("{}.some(t => t === {name:?})", texts("#sb-live .chat-name")),
    )
    .await;
}

/// Sends keys (WebDriver key codes included) to the element `css`.
async fn press(browser: &fantoccini::Client, css: &str, keys: &str) {
    browser
        .find(fantoccini::Locator::Css(css))
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

fn fixture() -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/floor-plan.png")
        .display()
        .to_string()
}

async fn pane_title(inbox: &fantoccini::Client) -> String {
    inbox
        .execute(
            "return document.getElementById('sb-pane-title').textContent",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_works_three_chats_from_the_keyboard_with_notes_canned_replies_files_and_a_rating()
{
    let app = spawn_app().await;
    let t: Tenant = app.create_tenant("desk").await;
    let agents = available_agents(&app, &t, 1).await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let r = app
        .post(
            "/api/v1/canned-responses",
            &t.token,
            json!({"shortcut": "hello", "scope": "tenant",
                   "text": "Hi {visitor.first_name}, {agent.display_name} here. How can I help?"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);

    let (_d1, inbox) = start_browser().await;
    console_login(&inbox, &app.base, &t.slug, "agent0@desk.example.com").await;
    until(&inbox, "the inbox to connect", "document.getElementById('sb-connection') && document.getElementById('sb-connection').textContent === 'Connected'").await;
    both_widths(&inbox, "workspace-inbox-empty").await;

    // Ada comes through the real widget on a shop's page; Bea and Cy over the API.
    let (_d2, widget) = start_browser().await;
    let page = shop_page(&app.base, &key).await;
    widget.goto(&page).await.unwrap();
    click(&widget, ".sbw-bubble").await;
    until(
        &widget,
        "the question",
        &format!("{}.includes('Talk to sales?')", texts(".sbw-bot")),
    )
    .await;
    click(&widget, ".sbw-choices .sbw-btn").await;
    type_into(&widget, "input[name=first_name]", "Ada").await;
    type_into(&widget, "input[name=email]", "ada@example.com").await;
    click(&widget, ".sbw-form button[type=submit]").await;
    accept_next_offer(&inbox, "Ada").await;
    let bea = visitor(&app, &key, "Bea").await;
    accept_next_offer(&inbox, "Bea").await;
    let cy = visitor(&app, &key, "Cy").await;
    accept_next_offer(&inbox, "Cy").await;
    until(
        &inbox,
        "three live chats",
        "document.querySelectorAll('#sb-live li').length === 3",
    )
    .await;

    // The header names the visitor with their email; the pane shows the dialogue part.
    click(&inbox, "#sb-live li:nth-child(1) .chat-link").await;
    let first = pane_title(&inbox).await;
    let sub = inbox
        .execute(
            "return document.getElementById('sb-pane-sub').textContent",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        sub.as_str().unwrap().contains("@example.com"),
        "{first}: {sub}"
    );
    until(
        &inbox,
        "the dialogue part with its senders",
        &format!("{}.includes('Bot')", texts("#sb-messages .who")),
    )
    .await;

    // A draft in each chat, kept across Alt+Down / Alt+Up.
    type_into(&inbox, "#sb-text", "Draft for the first").await;
    press(&inbox, "#sb-text", &format!("{ALT}{DOWN}{RELEASE}")).await;
    until(
        &inbox,
        "the second chat",
        &format!("document.getElementById('sb-pane-title').textContent !== {first:?}"),
    )
    .await;
    let second = pane_title(&inbox).await;
    until(
        &inbox,
        "an empty composer in the second chat",
        "document.getElementById('sb-text').value === '' || 'empty'",
    )
    .await;
    let value = inbox
        .execute("return document.getElementById('sb-text').value", vec![])
        .await
        .unwrap();
    assert_eq!(value, json!(""), "the first chat's draft leaked");
    type_into(&inbox, "#sb-text", "Draft for the second").await;
    press(&inbox, "#sb-text", &format!("{ALT}{UP}{RELEASE}")).await;
    until(
        &inbox,
        "the first chat again, with its draft",
        &format!("document.getElementById('sb-pane-title').textContent === {first:?} && document.getElementById('sb-text').value === 'Draft for the first'"),
    )
    .await;
    press(&inbox, "#sb-text", &format!("{ALT}{DOWN}{RELEASE}")).await;
    until(
        &inbox,
        "the second chat's draft",
        &format!("document.getElementById('sb-pane-title').textContent === {second:?} && document.getElementById('sb-text').value === 'Draft for the second'"),
    )
    .await;

    // Go to Ada's chat (by clicking it); a message from Cy in the background marks Cy's chat
    // and the page title.
    inbox
        .execute(
            "Array.from(document.querySelectorAll('#sb-live .chat-link')).find(b => b.querySelector('.chat-name').textContent === 'Ada').click()",
            vec![],
        )
        .await
        .unwrap();
    until(
        &inbox,
        "Ada's chat",
        "document.getElementById('sb-pane-title').textContent === 'Ada'",
    )
    .await;
    let cy_id = cy["conversation_id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/v1/widget/conversations/{cy_id}/messages"),
            cy["visitor_token"].as_str().unwrap(),
            json!({"body": "Are you there? I need the price list"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    until(
        &inbox,
        "Cy's unread mark",
        "Array.from(document.querySelectorAll('#sb-live .chat-link')).some(b => b.querySelector('.chat-name').textContent === 'Cy' && b.querySelector('.chat-unread').textContent === '1')",
    )
    .await;
    until(
        &inbox,
        "the title's count",
        "document.title.startsWith('(1) ')",
    )
    .await;
    let preview = until(
        &inbox,
        "Cy's preview",
        "Array.from(document.querySelectorAll('#sb-live .chat-link')).find(b => b.querySelector('.chat-name').textContent === 'Cy').querySelector('.chat-preview').textContent",
    )
    .await;
    assert!(
        preview.as_str().unwrap().contains("price list"),
        "{preview}"
    );

    // A canned response from "/": completed as the shortcut is typed, filled for Ada.
    type_into(&inbox, "#sb-text", "/hel").await;
    until(
        &inbox,
        "the canned responses",
        &format!(
            "{}.some(t => t.includes('/hello'))",
            texts("#sb-canned .canned-option")
        ),
    )
    .await;
    screenshot(&inbox, "workspace-inbox-canned").await;
    press(&inbox, "#sb-text", ENTER).await;
    until(
        &inbox,
        "the filled text",
        "document.getElementById('sb-text').value === 'Hi Ada, agent0 here. How can I help?'",
    )
    .await;
    press(&inbox, "#sb-text", ENTER).await;
    until(
        &widget,
        "the canned reply in the widget",
        &format!(
            "{}.includes('Hi Ada, agent0 here. How can I help?')",
            texts(".sbw-agent")
        ),
    )
    .await;
    // Ada has her answer: those still waiting come first, the longest wait first.
    until(
        &inbox,
        "the chats by who waits longest",
        &format!(
            "{}.join(',') === 'Bea,Cy,Ada'",
            texts("#sb-live .chat-name")
        ),
    )
    .await;
    let wait = until(
        &inbox,
        "Bea's waiting time",
        "document.querySelector('#sb-live li:first-child .chat-wait').textContent",
    )
    .await;
    assert!(wait.as_str().unwrap().starts_with("waits"), "{wait}");

    // An internal note: in the inbox, marked; never in the widget.
    click(&inbox, "#sb-note-on").await;
    type_into(&inbox, "#sb-text", "VIP lead: offer the annual plan").await;
    press(&inbox, "#sb-text", ENTER).await;
    until(
        &inbox,
        "the note in the inbox",
        &format!(
            "{}.some(t => t.includes('VIP lead'))",
            texts("#sb-messages .msg-note")
        ),
    )
    .await;
    click(&inbox, "#sb-note-on").await;
    type_into(&inbox, "#sb-text", "Let me send you our floor plan").await;
    press(&inbox, "#sb-text", ENTER).await;
    until(
        &widget,
        "the message after the note",
        &format!(
            "{}.includes('Let me send you our floor plan')",
            texts(".sbw-agent")
        ),
    )
    .await;

    // An image each way, shown on both sides.
    press(&inbox, "#sb-file", &fixture()).await;
    until(
        &widget,
        "the agent's image in the widget",
        "Array.from(document.querySelectorAll('.sbw-agent img.sbw-image')).some(i => i.complete && i.naturalWidth === 96)",
    )
    .await;
    press(&widget, "input.sbw-file-input", &fixture()).await;
    until(
        &inbox,
        "the visitor's image in the inbox",
        "Array.from(document.querySelectorAll('#sb-messages .msg-visitor img.file-image')).some(i => i.complete && i.naturalWidth === 96)",
    )
    .await;
    let widget_text = widget
        .execute(
            "return document.querySelector('.sbw-panel').textContent",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        !widget_text.as_str().unwrap().contains("VIP"),
        "{widget_text}"
    );
    both_widths(&inbox, "workspace-inbox-three-chats").await;
    screenshot(&widget, "workspace-widget-image").await;

    // The note is not in the visitor's transcript either (their REST read).
    let ada = app
        .get("/api/v1/conversations?status=live", &t.token)
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["visitor"]["captured"]["first_name"] == "Ada")
        .unwrap()
        .clone();
    let ada_id = ada["id"].as_str().unwrap().to_owned();
    let token = widget
        .execute(
            &format!("return localStorage.getItem('switchboard:{key}')"),
            vec![],
        )
        .await
        .unwrap();
    let theirs = app
        .get(
            &format!("/api/v1/widget/conversations/{ada_id}/messages"),
            token.as_str().unwrap(),
        )
        .await;
    assert_eq!(theirs.status, 200, "{}", theirs.text);
    assert!(theirs.text.contains("floor plan"), "{}", theirs.text);
    assert!(!theirs.text.contains("VIP"), "{}", theirs.text);

    // Ending asks first; then the visitor rates the chat, and it is stored.
    click(&inbox, "#sb-end").await;
    until(
        &inbox,
        "the confirmation",
        "!document.getElementById('sb-confirm-end').hidden",
    )
    .await;
    screenshot(&inbox, "workspace-inbox-confirm-end").await;
    click(&inbox, "#sb-end-confirm").await;
    until(&widget, "the rating", "document.querySelector('.sbw-rate')").await;
    click(&widget, ".sbw-star:nth-child(4)").await;
    type_into(&widget, ".sbw-rate textarea", "Quick and clear").await;
    click(&widget, ".sbw-rate .sbw-primary").await;
    until(
        &widget,
        "the thanks",
        "document.querySelector('.sbw-rated')",
    )
    .await;
    // The visitor asks for the conversation by email.
    click(&widget, ".sbw-transcript").await;
    until(
        &widget,
        "the transcript on its way",
        &format!(
            "{}.some(t => t.includes('on its way to ada@example.com'))",
            texts(".sbw-system")
        ),
    )
    .await;
    screenshot(&widget, "workspace-widget-rated").await;
    let c = app
        .get(&format!("/api/v1/conversations/{ada_id}"), &t.token)
        .await;
    assert_eq!(c.body["rating"]["score"], 4, "{}", c.text);
    assert_eq!(c.body["rating"]["comment"], "Quick and clear");
    assert!(bea["conversation_id"].is_string());
    assert_eq!(agents.len(), 1);
    assert!(
        inbox.get_alert_text().await.is_err() && widget.get_alert_text().await.is_err(),
        "a script ran"
    );
}

/// The visitor's transcript as their widget reads it (REST, with their token).
async fn visitor_reads(app: &TestApp, session: &Value) -> String {
    let id = session["conversation_id"].as_str().unwrap();
    app.get(
        &format!("/api/v1/widget/conversations/{id}/messages"),
        session["visitor_token"].as_str().unwrap(),
    )
    .await
    .text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_is_handed_over_between_two_agents_in_browsers_on_two_server_processes() {
    let nodes = crate::helpers::processes::spawn_processes(2).await;
    let (one, two) = (&nodes.clients[0], &nodes.clients[1]);
    let t = one.create_tenant("handover").await;
    let agents = available_agents(one, &t, 2).await;
    let key = publish(one, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let availability = |token: String, status: &'static str| async move {
        let r = two
            .call(
                reqwest::Method::PUT,
                "/api/v1/me/availability",
                Some(&token),
                Some(json!({"status": status})),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    };
    // The first agent's inbox on one process, the second's on the other.
    let (_d1, first) = start_browser().await;
    console_login(&first, &one.base, &t.slug, "agent0@handover.example.com").await;
    let (_d2, second) = start_browser().await;
    console_login(&second, &two.base, &t.slug, "agent1@handover.example.com").await;
    for inbox in [&first, &second] {
        until(inbox, "the inbox to connect", "document.getElementById('sb-connection') && document.getElementById('sb-connection').textContent === 'Connected'").await;
    }
    // The visitor reaches the first agent (the second is away for a moment).
    availability(agents[1].1.clone(), "away").await;
    let dee = visitor(one, &key, "Dee").await;
    accept_next_offer(&first, "Dee").await;
    availability(agents[1].1.clone(), "available").await;

    // The first agent hands the chat over with a note.
    click(&first, "#sb-transfer").await;
    until(
        &first,
        "the colleague in the list",
        &format!(
            "Array.from(document.querySelectorAll('#sb-transfer-to option')).some(o => o.value === 'agent:{}')",
            agents[1].0
        ),
    )
    .await;
    first
        .execute(
            &format!(
                "document.getElementById('sb-transfer-to').value = 'agent:{}'",
                agents[1].0
            ),
            vec![],
        )
        .await
        .unwrap();
    type_into(&first, "#sb-transfer-note", "Wants a quote in German").await;
    screenshot(&first, "handover-transfer-form").await;
    click(&first, "#sb-transfer-send").await;
    until(
        &first,
        "the notice that the colleague was asked",
        "document.getElementById('sb-transfer-notice').textContent.includes('stays with you until they accept')",
    )
    .await;
    until(
        &second,
        "the transfer's offer with its note",
        &format!(
            "{}.some(t => t.includes('asks you to take this chat') && t.includes('Wants a quote in German'))",
            texts(".offer-banner")
        ),
    )
    .await;
    screenshot(&second, "handover-offer").await;
    click(&second, ".offer-banner button.accept").await;

    // The chat moves: listed live for the second agent, past for the first; the visitor
    // reads who joined, and the new agent's reply.
    until(
        &second,
        "the chat in the new agent's list",
        &format!("{}.includes('Dee')", texts("#sb-live .chat-name")),
    )
    .await;
    until(
        &first,
        "the chat among the first agent's past chats",
        &format!("{}.includes('Dee')", texts("#sb-past .chat-name")),
    )
    .await;
    until(
        &first,
        "the notice that it was transferred",
        "document.getElementById('sb-transfer-notice').textContent.includes('was transferred to')",
    )
    .await;
    let since = std::time::Instant::now();
    while !visitor_reads(one, &dee)
        .await
        .contains("agent1 joined the chat.")
    {
        assert!(
            since.elapsed() < std::time::Duration::from_secs(10),
            "no join line"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    type_into(
        &second,
        "#sb-text",
        "Hallo Dee, agent1 here: I take it from here",
    )
    .await;
    press(&second, "#sb-text", ENTER).await;
    let since = std::time::Instant::now();
    while !visitor_reads(one, &dee)
        .await
        .contains("I take it from here")
    {
        assert!(
            since.elapsed() < std::time::Duration::from_secs(10),
            "no reply"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    both_widths(&second, "handover-after").await;
    let c = two
        .get(
            &format!(
                "/api/v1/conversations/{}",
                dee["conversation_id"].as_str().unwrap()
            ),
            &t.token,
        )
        .await;
    assert_eq!(
        c.body["assigned_agent_id"],
        agents[1].0.as_str(),
        "{}",
        c.text
    );
    // The note for the new agent is in their pane, marked as a note.
    until(
        &second,
        "the transfer note in the transcript",
        &format!(
            "{}.some(t => t.includes('Transfer note for agent1: Wants a quote in German'))",
            texts("#sb-messages .msg-note")
        ),
    )
    .await;

    // The owner, on the first process, sees the chat among the team's, joins it and writes;
    // the visitor and the agent read it, then the owner leaves.
    let (_d3, owner) = start_browser().await;
    console_login(&owner, &one.base, &t.slug, &t.admin_email).await;
    owner.goto(&format!("{}/inbox", one.base)).await.unwrap();
    until(
        &owner,
        "the team's chat",
        &format!("{}.includes('Dee')", texts("#sb-watch .chat-name")),
    )
    .await;
    click(&owner, "#sb-watch .chat-link").await;
    until(
        &owner,
        "the Join button",
        "!document.getElementById('sb-join').hidden",
    )
    .await;
    both_widths(&owner, "supervise-watching").await;
    click(&owner, "#sb-join").await;
    until(
        &owner,
        "the chat among the owner's own",
        &format!(
            "{}.includes('Dee') && !document.getElementById('sb-leave').hidden",
            texts("#sb-live .chat-name")
        ),
    )
    .await;
    until(
        &owner,
        "the join line in the owner's pane",
        &format!(
            "{}.some(t => t.includes('Owner joined the chat.'))",
            texts("#sb-messages .msg")
        ),
    )
    .await;
    type_into(&owner, "#sb-text", "Hello Dee, I lead the team: all good?").await;
    press(&owner, "#sb-text", ENTER).await;
    let since = std::time::Instant::now();
    while !visitor_reads(one, &dee).await.contains("I lead the team") {
        assert!(
            since.elapsed() < std::time::Duration::from_secs(10),
            "no message from the owner"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    until(
        &second,
        "the owner's message, with their name, in the agent's pane",
        &format!(
            "{}.some(t => t.includes('Owner') && t.includes('I lead the team'))",
            texts("#sb-messages .msg")
        ),
    )
    .await;
    both_widths(&owner, "supervise-joined").await;
    click(&owner, "#sb-leave").await;
    until(
        &owner,
        "back to watching",
        &format!("{}.includes('Dee')", texts("#sb-watch .chat-name")),
    )
    .await;
    let c = one
        .get(
            &format!(
                "/api/v1/conversations/{}",
                dee["conversation_id"].as_str().unwrap()
            ),
            &t.token,
        )
        .await;
    assert_eq!(c.body["participants"], json!([]), "{}", c.text);
    assert!(
        visitor_reads(one, &dee)
            .await
            .contains("Owner left the chat.")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_chat_opens_on_its_last_messages_and_shows_older_ones_on_demand() {
    let app = spawn_app().await;
    let t: Tenant = app.create_tenant("longchat").await;
    let agents = available_agents(&app, &t, 1).await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let (_d, inbox) = start_browser().await;
    console_login(&inbox, &app.base, &t.slug, "agent0@longchat.example.com").await;
    until(&inbox, "the inbox to connect", "document.getElementById('sb-connection') && document.getElementById('sb-connection').textContent === 'Connected'").await;
    // Nothing open yet: no visitor panel, and on a phone the chats come before the pane.
    let r = inbox
        .execute(
            "return [document.getElementById('sb-visitor').hidden,
                     document.getElementById('sb-pane-empty').getBoundingClientRect().top
                       < document.getElementById('sb-messages').getBoundingClientRect().bottom]",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        r,
        json!([true, true]),
        "the empty pane's hint sits at its top"
    );
    inbox.set_window_size(390, 900).await.unwrap();
    let r = inbox
        .execute(
            "return document.querySelector('.inbox-list').getBoundingClientRect().top
                  < document.getElementById('sb-pane').getBoundingClientRect().top",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(r, json!(true), "at 390 px the chats come first");
    inbox.set_window_size(1366, 900).await.unwrap();

    let eve = visitor(&app, &key, "Eve").await;
    accept_next_offer(&inbox, "Eve").await;
    let id = eve["conversation_id"].as_str().unwrap();
    for i in 1..=130 {
        let r = app
            .post(
                &format!("/api/v1/conversations/{id}/messages"),
                &agents[0].1,
                json!({"body": format!("Line {i}")}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    until(
        &inbox,
        "the last line",
        &format!(
            "{}.some(t => t.includes('Line 130'))",
            texts("#sb-messages .msg")
        ),
    )
    .await;
    // Opened again, the chat draws its last 100 messages and offers the rest.
    inbox.refresh().await.unwrap();
    until(
        &inbox,
        "the chat",
        &format!("{}.includes('Eve')", texts("#sb-live .chat-name")),
    )
    .await;
    click(&inbox, "#sb-live .chat-link").await;
    until(
        &inbox,
        "the last line after a reload",
        &format!(
            "{}.some(t => t.includes('Line 130'))",
            texts("#sb-messages .msg")
        ),
    )
    .await;
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    let total = c.body["last_seq"].as_i64().unwrap();
    let shown = |b: &fantoccini::Client| {
        let b = b.clone();
        async move {
            b.execute(
                "return document.querySelectorAll('#sb-messages .msg').length",
                vec![],
            )
            .await
            .unwrap()
            .as_i64()
            .unwrap()
        }
    };
    assert_eq!(shown(&inbox).await, 100);
    let more = texts("#sb-older button");
    let label = inbox
        .execute(&format!("return {more}"), vec![])
        .await
        .unwrap();
    assert_eq!(
        label,
        json!([format!("Show {} earlier messages", total - 100)])
    );
    click(&inbox, "#sb-older button").await;
    assert_eq!(shown(&inbox).await, total);
    let r = inbox
        .execute(
            "return document.getElementById('sb-older') === null",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(r, json!(true));
    screenshot(&inbox, "workspace-inbox-older-shown").await;
}
