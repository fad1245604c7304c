//! The visitor never gets stuck (SPEC §12.2): after a fallback they leave a message, which
//! is stored on the conversation, reaches the failed-action email's recipients through a
//! real SMTP server (in that email, or in a follow-up when it went already) and a webhook
//! receiver; they start a new conversation with the same token, and agents see the earlier
//! ones; the widget's transcript holds the dialogue, in order.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::receiver::{receiver, wait_for};
use crate::helpers::smtp::SmtpSink;
use crate::helpers::widget::{
    answer, publish, sales_dialogue, start_session, waiting_visitor, walk_to_live_chat,
};
use crate::helpers::{Tenant, TestApp, free_port, spawn_app, spawn_app_with};

/// An app sending email to an SMTP sink, with the mail worker stopped (the test sends at a
/// time it chooses), and webhooks allowed to loopback.
async fn mailing_app(port: u16) -> TestApp {
    let app = spawn_app_with(move |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.webhook_allow_private = true;
    })
    .await;
    app.stop_worker("send_email");
    app
}

/// A visitor who walked the sales dialogue when no agent was available: their session.
async fn fallen_back(app: &TestApp, t: &Tenant) -> Value {
    let key = publish(app, t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let r = walk_to_live_chat(app, &key, None).await;
    assert_eq!(r.body["status"], "fallback", "{}", r.text);
    r.body
}

async fn leave(app: &TestApp, session: &Value, body: Value) -> crate::helpers::Reply {
    app.post(
        &format!(
            "/api/v1/widget/conversations/{}/leave-message",
            session["conversation_id"].as_str().unwrap()
        ),
        session["visitor_token"].as_str().unwrap(),
        body,
    )
    .await
}

fn id_of(session: &Value) -> &str {
    session["conversation_id"].as_str().unwrap()
}

#[tokio::test]
async fn a_message_left_after_a_fallback_is_stored_in_the_failed_action_email_and_the_webhook() {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(port, dir.path());
    let app = mailing_app(port).await;
    let t = app.create_tenant("leads").await;
    let (hook_url, hooks) = receiver(vec![]).await;
    let r = app
        .post(
            "/api/v1/webhooks",
            &t.token,
            json!({"url": hook_url, "events": ["conversation.message_left"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let session = fallen_back(&app, &t).await;
    let id = id_of(&session);

    // Bad input: 422 naming the field, and nothing stored.
    for (body, field) in [
        (
            json!({"email": "not-an-email", "message": "Call me"}),
            "email",
        ),
        (
            json!({"email": "ada@example.com", "message": "   "}),
            "message",
        ),
        (
            json!({"email": "ada@example.com", "message": "x".repeat(4001)}),
            "message",
        ),
        (
            json!({"name": "n".repeat(201), "email": "ada@example.com", "message": "Hi"}),
            "name",
        ),
    ] {
        let r = leave(&app, &session, body).await;
        assert_eq!(r.problem(422)["field"], field, "{}", r.text);
    }
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    assert_eq!(c.body["left_message"], Value::Null, "{}", c.text);

    let left = leave(
        &app,
        &session,
        json!({"name": "Ada Lovelace", "email": "Ada@Example.com",
               "message": "Please call me about 40 seats.\nMornings are best."}),
    )
    .await;
    assert_eq!(left.status, 201, "{}", left.text);
    assert_eq!(left.body["email"], "ada@example.com");
    assert_eq!(left.body["name"], "Ada Lovelace");
    assert!(left.body["left_at"].is_string());

    // On the conversation, for the API (one and the list) and the widget's session.
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    assert_eq!(
        c.body["left_message"]["message"],
        "Please call me about 40 seats.\nMornings are best."
    );
    let listed = app
        .get("/api/v1/conversations?status=fallback", &t.token)
        .await;
    assert_eq!(
        listed.body["items"][0]["left_message"]["email"],
        "ada@example.com"
    );
    let resumed = start_session(
        &app,
        json!({"widget_key": app.get("/api/v1/settings", &t.token).await.body["widget_key"],
               "visitor_token": session["visitor_token"]}),
        None,
    )
    .await;
    assert_eq!(
        resumed.body["left_message"]["name"], "Ada Lovelace",
        "{}",
        resumed.text
    );

    // Leaving twice: the first message stands.
    let again = leave(
        &app,
        &session,
        json!({"email": "ada@example.com", "message": "Again"}),
    )
    .await;
    assert_eq!(again.problem(409)["field"], "message");

    // The failed-action email had not gone yet: it carries the message, and is the only one.
    assert_eq!(
        app.service
            .send_due_email(chrono::Utc::now())
            .await
            .unwrap(),
        1
    );
    let got = sink.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(got[0]["rcpt_tos"], json!([t.admin_email]));
    assert_eq!(
        got[0]["subject"],
        "Missed live chat with ada@example.com: no agent was available"
    );
    let text = got[0]["text"].as_str().unwrap();
    for line in [
        "Message left by the visitor",
        "Name: Ada Lovelace",
        "Reply to: ada@example.com",
        "> Please call me about 40 seats.",
        "> Mornings are best.",
        "Bot: Talk to sales?",
    ] {
        assert!(text.contains(line), "{line:?} missing from\n{text}");
    }
    assert!(
        got[0]["html"]
            .as_str()
            .unwrap()
            .contains("mailto:ada@example.com")
    );
    assert_eq!(
        app.service
            .send_due_email(chrono::Utc::now())
            .await
            .unwrap(),
        0
    );

    // The webhook event.
    let event = wait_for(&hooks, 1, Duration::from_secs(15)).await.remove(0);
    assert_eq!(
        event.header("Switchboard-Event"),
        "conversation.message_left"
    );
    let body: Value = serde_json::from_slice(&event.body).unwrap();
    assert_eq!(body["type"], "conversation.message_left");
    assert_eq!(body["data"]["conversation_id"], id);
    assert_eq!(body["data"]["email"], "ada@example.com");
    assert_eq!(body["data"]["name"], "Ada Lovelace");
    assert_eq!(
        body["data"]["message"],
        "Please call me about 40 seats.\nMornings are best."
    );
    assert_eq!(body["data"]["visitor"]["captured"]["first_name"], "Ada");
}

#[tokio::test]
async fn a_message_left_after_the_failed_action_email_went_follows_it_to_the_same_people() {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(port, dir.path());
    let app = mailing_app(port).await;
    let t = app.create_tenant("followup").await;
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"failed_action_recipients": ["sales@followup.example.com", "boss@followup.example.com"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let session = fallen_back(&app, &t).await;
    assert_eq!(
        app.service
            .send_due_email(chrono::Utc::now())
            .await
            .unwrap(),
        2
    );
    sink.wait_for(2, Duration::from_secs(15)).await;

    let left = leave(
        &app,
        &session,
        json!({"email": "ada@example.com", "message": "Still keen!"}),
    )
    .await;
    assert_eq!(left.status, 201, "{}", left.text);
    assert_eq!(
        app.service
            .send_due_email(chrono::Utc::now())
            .await
            .unwrap(),
        2
    );
    let got = sink.wait_for(4, Duration::from_secs(15)).await;
    let mut to: Vec<&str> = got[2..]
        .iter()
        .map(|m| m["rcpt_tos"][0].as_str().unwrap())
        .collect();
    to.sort();
    assert_eq!(
        to,
        ["boss@followup.example.com", "sales@followup.example.com"]
    );
    for m in &got[2..] {
        assert_eq!(
            m["subject"],
            "Message left after a missed live chat by ada@example.com"
        );
        let text = m["text"].as_str().unwrap();
        assert!(text.contains("> Still keen!"), "{text}");
        assert!(text.contains("Email: ada@example.com"), "{text}");
    }
    // The first emails were not changed after they went.
    assert!(!got[0]["text"].as_str().unwrap().contains("Still keen!"));
}

#[tokio::test]
async fn leaving_a_message_is_refused_while_an_agent_is_sought_or_the_dialogue_runs() {
    let app = spawn_app().await;
    let (_t, _agent, session) = waiting_visitor(&app, "busy-leave").await;
    let r = leave(
        &app,
        &session,
        json!({"email": "ada@example.com", "message": "Hi"}),
    )
    .await;
    assert_eq!(r.problem(409)["field"], "conversation", "{}", r.text);

    let t = app.create_tenant("dialogue-leave").await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let s = start_session(&app, json!({"widget_key": key}), None).await;
    let r = leave(
        &app,
        &s.body,
        json!({"email": "ada@example.com", "message": "Hi"}),
    )
    .await;
    assert_eq!(r.problem(409)["field"], "conversation", "{}", r.text);
    // Another visitor's conversation is not found.
    let other = start_session(&app, json!({"widget_key": key}), None).await;
    let r = app
        .post(
            &format!(
                "/api/v1/widget/conversations/{}/leave-message",
                id_of(&s.body)
            ),
            other.body["visitor_token"].as_str().unwrap(),
            json!({"email": "ada@example.com", "message": "Hi"}),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.text);
}

#[tokio::test]
async fn a_visitor_starts_a_new_conversation_and_agents_see_their_earlier_ones() {
    let app = spawn_app().await;
    let t = app.create_tenant("again").await;
    let first = fallen_back(&app, &t).await;
    let key = app.get("/api/v1/settings", &t.token).await.body["widget_key"].clone();
    let token = first["visitor_token"].clone();

    // Without `new_conversation` the token resumes the conversation that fell back.
    let resumed = start_session(
        &app,
        json!({"widget_key": key, "visitor_token": token}),
        None,
    )
    .await;
    assert_eq!(resumed.body["conversation_id"], first["conversation_id"]);
    assert_eq!(resumed.body["status"], "fallback");

    let second = start_session(
        &app,
        json!({"widget_key": key, "visitor_token": token, "new_conversation": true,
               "page_url": "https://shop.example.com/contact"}),
        None,
    )
    .await;
    assert_eq!(second.status, 200, "{}", second.text);
    assert_ne!(second.body["conversation_id"], first["conversation_id"]);
    assert_eq!(second.body["visitor_token"], token);
    assert_eq!(second.body["status"], "dialogue");
    assert_eq!(second.body["card"]["id"], "ask");
    // The token opens the new one now.
    let resumed = start_session(
        &app,
        json!({"widget_key": key, "visitor_token": token}),
        None,
    )
    .await;
    assert_eq!(
        resumed.body["conversation_id"],
        second.body["conversation_id"]
    );
    // Still open: no third one until it is over.
    let third = start_session(
        &app,
        json!({"widget_key": key, "visitor_token": token, "new_conversation": true}),
        None,
    )
    .await;
    assert_eq!(third.problem(409)["field"], "new_conversation");

    // A finished dialogue branch ("No thanks" → a goodbye) is over too.
    let r = answer(
        &app,
        &second.body,
        json!({"card_id": "ask", "choice": "no"}),
    )
    .await;
    assert_eq!(r.body["card"]["id"], "bye", "{}", r.text);
    let r = answer(&app, &second.body, json!({"card_id": "bye"})).await;
    assert_eq!(r.body["status"], "completed", "{}", r.text);
    let third = start_session(
        &app,
        json!({"widget_key": key, "visitor_token": token, "new_conversation": true}),
        None,
    )
    .await;
    assert_eq!(third.status, 200, "{}", third.text);

    // All three are the same visitor's, and an admin lists them by it, newest first.
    let c = app
        .get(
            &format!("/api/v1/conversations/{}", id_of(&first)),
            &t.token,
        )
        .await;
    let visitor = c.body["visitor_id"].as_str().unwrap().to_owned();
    let listed = app
        .get(
            &format!("/api/v1/conversations?visitor_id={visitor}"),
            &t.token,
        )
        .await;
    let ids: Vec<&Value> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert_eq!(
        ids,
        [
            &third.body["conversation_id"],
            &second.body["conversation_id"],
            &first["conversation_id"]
        ],
        "{}",
        listed.text
    );
    // Another visitor is another visitor.
    let stranger = walk_to_live_chat(&app, key.as_str().unwrap(), None).await;
    let c = app
        .get(
            &format!("/api/v1/conversations/{}", id_of(&stranger.body)),
            &t.token,
        )
        .await;
    assert_ne!(c.body["visitor_id"].as_str(), Some(visitor.as_str()));
}

#[tokio::test]
async fn the_widget_transcript_holds_the_dialogue_and_the_chat_in_order() {
    let app = spawn_app().await;
    let (t, (_, agent_token), session) = waiting_visitor(&app, "transcript").await;
    let id = id_of(&session).to_owned();
    let token = session["visitor_token"].as_str().unwrap().to_owned();
    let sent = app
        .post(
            &format!("/api/v1/widget/conversations/{id}/messages"),
            &token,
            json!({"body": "Anyone there?"}),
        )
        .await;
    assert_eq!(sent.body["seq"], 5, "{}", sent.text);
    let all = app
        .get(
            &format!("/api/v1/widget/conversations/{id}/messages"),
            &token,
        )
        .await;
    let lines: Vec<(i64, &str, &str)> = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["seq"].as_i64().unwrap(),
                m["sender"].as_str().unwrap(),
                m["body"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (1, "bot", "Talk to sales?"),
            (2, "visitor", "Yes please"),
            (3, "bot", "Who are you?"),
            (4, "visitor", "Ada · ada@example.com"),
            (5, "visitor", "Anyone there?"),
        ]
    );
    let tail = app
        .get(
            &format!("/api/v1/widget/conversations/{id}/messages?after=3"),
            &token,
        )
        .await;
    assert_eq!(tail.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(tail.body["next_after"], 5);
    // The agent and the admin read the same transcript.
    let admin = app
        .get(&format!("/api/v1/conversations/{id}/messages"), &t.token)
        .await;
    assert_eq!(admin.body["items"], all.body["items"]);
    let _ = agent_token;

    // Message cards and the live-chat card's hand-off text are said too.
    let other = app.create_tenant("transcript-two").await;
    let key = publish(
        &app,
        &other,
        json!({"name": "Welcome", "cards": [
            {"id": "hi", "kind": "message", "text": "Welcome to Acme!", "next": "ask"},
            {"id": "ask", "kind": "question", "text": "Need help?", "choices": [
                {"id": "yes", "label": "Yes", "next": "connect"}]},
            {"id": "connect", "kind": "live_chat", "text": "Let me find someone for you.",
             "routing": {"mode": "round_robin"}}]}),
    )
    .await;
    let s = start_session(&app, json!({"widget_key": key}), None).await;
    answer(&app, &s.body, json!({"card_id": "hi"})).await;
    let r = answer(&app, &s.body, json!({"card_id": "ask", "choice": "yes"})).await;
    assert_eq!(r.body["status"], "fallback", "{}", r.text);
    let all = app
        .get(
            &format!("/api/v1/widget/conversations/{}/messages", id_of(&s.body)),
            s.body["visitor_token"].as_str().unwrap(),
        )
        .await;
    let bodies: Vec<(&str, &str)> = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["sender"].as_str().unwrap(), m["body"].as_str().unwrap()))
        .collect();
    assert_eq!(
        bodies,
        [
            ("bot", "Welcome to Acme!"),
            ("bot", "Need help?"),
            ("visitor", "Yes"),
            ("bot", "Let me find someone for you."),
        ]
    );
}
