//! Live conversations over HTTP and WebSockets (SPEC §7, §11): offers reach the inbox and are
//! acknowledged, messages flow both ways acknowledged with their `seq` once stored, typing,
//! `agent_joined`, the end (by either side or the idle timeout) frees the agent's slot at
//! once, and a client that reconnects with `resume` gets every message exactly once, in order.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::agents::available_agents;
use crate::helpers::live::first_offer_id;
use crate::helpers::widget::{answer, publish, sales_dialogue, waiting_visitor, walk_to_live_chat};
use crate::helpers::ws::{Ws, upgrade_status};
use crate::helpers::{TestApp, spawn_app};

fn conversation_of(session: &Value) -> String {
    session["conversation_id"].as_str().unwrap().to_owned()
}

fn token_of(session: &Value) -> &str {
    session["visitor_token"].as_str().unwrap()
}

/// The sales dialogue's part of the transcript, before anyone chats (SPEC §12.2): the
/// question, the visitor's choice, the form's text and the visitor's details.
const DIALOGUE: i64 = 4;

/// The offered agent's answer (`accept` or `decline`) to an offer frame.
async fn offer_answer(
    app: &TestApp,
    agent_token: &str,
    offer: &Value,
    answer: &str,
) -> crate::helpers::Reply {
    let id = offer["offer_id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/offers/{id}/{answer}"),
        agent_token,
        json!({}),
    )
    .await
}

/// Accepts the offer the agent's socket shows, acknowledging it first.
async fn accept_from_socket(app: &TestApp, agent_token: &str, inbox: &mut Ws) -> Value {
    let offer = inbox.until("offer").await;
    inbox
        .send(json!({"type": "offer_ack", "offer_id": offer["offer_id"]}))
        .await;
    let accepted = offer_answer(app, agent_token, &offer, "accept").await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    offer
}

#[tokio::test]
async fn visitor_and_agent_chat_over_sockets_and_the_end_frees_the_slot_at_once() {
    let app = spawn_app().await;
    let (t, (agent_id, agent_token), session) = waiting_visitor(&app, "chat-flow").await;
    let conversation = conversation_of(&session);
    // One chat per agent, so the end visibly frees the only slot.
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"max_chats_per_agent": 1}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    let mut inbox = Ws::open(&app.base, "agent", &agent_token).await;
    let hello = inbox.next().await;
    assert_eq!(hello["type"], "hello", "{hello}");
    let mut widget = Ws::open(&app.base, "visitor", token_of(&session)).await;
    let hello = widget.next().await;
    assert_eq!(hello["status"], "routing", "{hello}");

    // The visitor writes while waiting; the acknowledgement is the stored message.
    widget
        .send(json!({"type": "message", "body": "Hello, anyone there?", "client_id": "v-1"}))
        .await;
    let ack = widget.until("message").await;
    assert_eq!(ack["seq"], DIALOGUE + 1);
    assert_eq!(ack["client_id"], "v-1");
    assert_eq!(ack["sender"], "visitor");

    let offer = accept_from_socket(&app, &agent_token, &mut inbox).await;
    assert_eq!(offer["conversation_id"], conversation.as_str());
    assert_eq!(offer["visitor"]["captured"]["first_name"], "Ada");
    assert_eq!(offer["visitor"]["country"], "FR");
    assert!(offer["expires_at"].is_string());
    // The inbox follows the chat it accepted and gets what the visitor wrote meanwhile.
    let assigned = inbox.until("conversation_assigned").await;
    assert_eq!(assigned["conversation_id"], conversation.as_str());
    let earlier = inbox.messages(DIALOGUE as usize + 1).await;
    assert_eq!(earlier[0]["sender"], "bot");
    assert_eq!(earlier[0]["body"], "Talk to sales?");
    assert_eq!(earlier[3]["body"], "Ada · ada@example.com");
    assert_eq!(earlier[4]["body"], "Hello, anyone there?");
    let joined = widget.until("agent_joined").await;
    assert_eq!(joined["agent"]["display_name"], "agent0");
    assert!(joined["agent"].get("avatar_url").is_some());

    // The agent answers over the socket; both sides get it with the next seq.
    inbox
        .send(json!({"type": "message", "conversation_id": conversation, "body": "Hi Ada!", "client_id": "a-1"}))
        .await;
    let ack = inbox.until("message").await;
    assert_eq!(
        (ack["seq"].as_i64(), ack["client_id"].as_str()),
        (Some(DIALOGUE + 2), Some("a-1"))
    );
    let got = widget.until("message").await;
    assert_eq!(
        (got["seq"].as_i64(), got["body"].as_str()),
        (Some(DIALOGUE + 2), Some("Hi Ada!"))
    );
    assert_eq!(got["sender"], "agent");

    // Typing reaches the other side only.
    widget.send(json!({"type": "typing"})).await;
    let typing = inbox.until("typing").await;
    assert_eq!(
        (typing["sender"].as_str(), typing["typing"].as_bool()),
        (Some("visitor"), Some(true))
    );

    // A message sent over HTTP reaches the sockets too; a retry with its client id is no copy.
    let sent = app
        .post(
            &format!("/api/v1/widget/conversations/{conversation}/messages"),
            token_of(&session),
            json!({"body": "<img src=x onerror=alert(1)>", "client_id": "v-2"}),
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.text);
    assert_eq!(sent.body["seq"], DIALOGUE + 3);
    let again = app
        .post(
            &format!("/api/v1/widget/conversations/{conversation}/messages"),
            token_of(&session),
            json!({"body": "<img src=x onerror=alert(1)>", "client_id": "v-2"}),
        )
        .await;
    assert_eq!(
        (again.status.as_u16(), again.body["seq"].as_i64()),
        (201, Some(DIALOGUE + 3))
    );
    let got = inbox.until("message").await;
    assert_eq!(got["body"], "<img src=x onerror=alert(1)>");

    // The transcript, for the admin and the agent, in order; and the list.
    let transcript = app
        .get(
            &format!("/api/v1/conversations/{conversation}/messages"),
            &t.token,
        )
        .await;
    let seqs: Vec<i64> = transcript.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(
        seqs,
        (1..=DIALOGUE + 3).collect::<Vec<_>>(),
        "{}",
        transcript.text
    );
    let tail = app
        .get(
            &format!(
                "/api/v1/conversations/{conversation}/messages?after={}",
                DIALOGUE + 2
            ),
            &agent_token,
        )
        .await;
    assert_eq!(
        tail.body["items"].as_array().unwrap().len(),
        1,
        "{}",
        tail.text
    );
    assert_eq!(tail.body["next_after"], DIALOGUE + 3);
    let listed = app
        .get("/api/v1/conversations?status=live", &agent_token)
        .await;
    assert_eq!(
        listed.body["items"][0]["id"],
        conversation.as_str(),
        "{}",
        listed.text
    );
    // The trace says the offer reached the agent through the open inbox.
    let c = app
        .get(&format!("/api/v1/conversations/{conversation}"), &t.token)
        .await;
    assert_eq!(
        c.body["trace"]["offers"][0]["delivered"]["channel"], "inbox",
        "{}",
        c.text
    );

    // The agent ends the chat: both sides are told, and the slot is free at once.
    let ended = app
        .post(
            &format!("/api/v1/conversations/{conversation}/end"),
            &agent_token,
            json!({}),
        )
        .await;
    assert_eq!(ended.status, 204, "{}", ended.text);
    let end = widget.until("conversation_ended").await;
    assert_eq!(end["by"], "agent");
    inbox.until("conversation_ended").await;
    let late = app
        .post(
            &format!("/api/v1/widget/conversations/{conversation}/messages"),
            token_of(&session),
            json!({"body": "still there?"}),
        )
        .await;
    assert_eq!(late.problem(409)["field"], "conversation");
    let key = app.get("/api/v1/settings", &t.token).await.body["widget_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let next = walk_to_live_chat(&app, &key, None).await;
    assert_eq!(
        next.body["status"], "waiting",
        "the slot was not freed: {}",
        next.text
    );
    let offer = inbox.until("offer").await;
    assert_eq!(offer["conversation_id"], next.body["conversation_id"]);
    let _ = agent_id;
}

#[tokio::test]
async fn a_client_that_reconnects_with_resume_gets_every_message_once_and_in_order() {
    let app = spawn_app().await;
    let (_t, (_, agent_token), session) = waiting_visitor(&app, "chat-resume").await;
    let conversation = conversation_of(&session);
    let mut inbox = Ws::open(&app.base, "agent", &agent_token).await;
    accept_from_socket(&app, &agent_token, &mut inbox).await;
    let mut widget = Ws::open(&app.base, "visitor", token_of(&session)).await;
    // A client that wants everything says so; without it, the socket starts from where the
    // conversation stood when it opened.
    widget
        .send(json!({"type": "resume", "after_seq": DIALOGUE}))
        .await;
    let send = |n: usize| {
        let (app, conversation, token) = (&app, conversation.clone(), agent_token.clone());
        async move {
            let r = app
                .post(
                    &format!("/api/v1/conversations/{conversation}/messages"),
                    &token,
                    json!({"body": format!("message {n}")}),
                )
                .await;
            assert_eq!(r.status, 201, "{}", r.text);
        }
    };
    for n in 1..=5 {
        send(n).await;
    }
    let first = widget.messages(2).await;
    assert_eq!(first[1]["seq"], DIALOGUE + 2);
    // The connection dies mid-conversation; the agent goes on writing.
    drop(widget);
    for n in 6..=10 {
        send(n).await;
    }
    let mut widget = Ws::open(&app.base, "visitor", token_of(&session)).await;
    widget
        .send(json!({"type": "resume", "after_seq": DIALOGUE + 2}))
        .await;
    let rest = widget.messages(8).await;
    let seqs: Vec<i64> = rest.iter().map(|m| m["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, (DIALOGUE + 3..=DIALOGUE + 10).collect::<Vec<_>>());
    let bodies: Vec<&str> = rest.iter().map(|m| m["body"].as_str().unwrap()).collect();
    assert_eq!(bodies[0], "message 3");
    send(11).await;
    let next = widget.until("message").await;
    assert_eq!(next["seq"], DIALOGUE + 11);
    widget.no_more("message", Duration::from_millis(300)).await;

    // An inbox that reconnects resumes its conversation the same way.
    drop(inbox);
    let mut inbox = Ws::open(&app.base, "agent", &agent_token).await;
    let hello = inbox.until("hello").await;
    assert_eq!(
        hello["conversations"][0]["last_seq"],
        DIALOGUE + 11,
        "{hello}"
    );
    inbox
        .send(json!({"type": "resume", "conversation_id": conversation, "after_seq": DIALOGUE + 9}))
        .await;
    let got = inbox.messages(2).await;
    assert_eq!(
        (got[0]["seq"].as_i64(), got[1]["seq"].as_i64()),
        (Some(DIALOGUE + 10), Some(DIALOGUE + 11))
    );
    inbox.no_more("message", Duration::from_millis(300)).await;
}

#[tokio::test]
async fn bad_messages_and_strangers_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let (t, (_, agent_token), session) = waiting_visitor(&app, "chat-bad").await;
    let conversation = conversation_of(&session);
    let path = format!("/api/v1/widget/conversations/{conversation}/messages");
    let token = token_of(&session);
    let r = app.post(&path, token, json!({"body": "   "})).await;
    assert_eq!(r.problem(422)["field"], "body");
    let r = app
        .post(&path, token, json!({"body": "x".repeat(4001)}))
        .await;
    assert_eq!(r.problem(422)["field"], "body");
    let r = app.post(&path, token, json!({"body": 5})).await;
    assert_eq!(r.status, 400, "{}", r.text);
    // Another visitor's token, a made-up one, an agent not assigned: not found.
    let other = walk_to_live_chat(
        &app,
        app.get("/api/v1/settings", &t.token).await.body["widget_key"]
            .as_str()
            .unwrap(),
        None,
    )
    .await;
    let r = app
        .post(&path, token_of(&other.body), json!({"body": "hi"}))
        .await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = app.post(&path, "sbv_madeup", json!({"body": "hi"})).await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = app
        .post(
            &format!("/api/v1/conversations/{conversation}/messages"),
            &agent_token,
            json!({"body": "not mine yet"}),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = app
        .post(
            &format!("/api/v1/conversations/{conversation}/end"),
            &agent_token,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.text);
    // Nothing was stored.
    let transcript = app
        .get(
            &format!("/api/v1/conversations/{conversation}/messages"),
            &t.token,
        )
        .await;
    let senders: Vec<&str> = transcript.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["sender"].as_str().unwrap())
        .collect();
    assert_eq!(
        senders,
        ["bot", "visitor", "bot", "visitor"],
        "only the dialogue: {}",
        transcript.text
    );
    // A socket with a bad token is refused before the upgrade.
    assert_eq!(
        upgrade_status(&app, "/api/v1/ws/visitor?token=sbv_nope").await,
        401
    );
    assert_eq!(
        upgrade_status(&app, "/api/v1/ws/agent?token=not-a-jwt").await,
        401
    );
    // Unreadable frames get an error frame; the socket stays usable.
    let mut widget = Ws::open(&app.base, "visitor", token).await;
    widget.until("hello").await;
    widget.send(json!({"type": "nonsense"})).await;
    assert_eq!(widget.until("error").await["type"], "error");
    widget
        .send(json!({"type": "message", "body": "", "client_id": "c"}))
        .await;
    let e = widget.until("error").await;
    assert_eq!(e["client_id"], "c");
    widget.send(json!({"type": "ping"})).await;
    widget.until("pong").await;
}

#[tokio::test]
async fn an_idle_chat_ends_with_a_system_message_and_frees_the_slot() {
    let app = spawn_app().await;
    let (t, (_, agent_token), session) = waiting_visitor(&app, "chat-idle").await;
    let conversation = conversation_of(&session);
    let mut inbox = Ws::open(&app.base, "agent", &agent_token).await;
    accept_from_socket(&app, &agent_token, &mut inbox).await;
    let mut widget = Ws::open(&app.base, "visitor", token_of(&session)).await;
    widget.until("hello").await;
    let now = chrono::Utc::now();
    // Not idle yet at 9 minutes (default timeout 10).
    let ended = app
        .service
        .end_idle_conversations(now + chrono::Duration::minutes(9))
        .await
        .unwrap();
    assert_eq!(ended, 0);
    let ended = app
        .service
        .end_idle_conversations(now + chrono::Duration::minutes(11))
        .await
        .unwrap();
    assert_eq!(ended, 1);
    let note = widget.until("message").await;
    assert_eq!(note["sender"], "system");
    let end = widget.until("conversation_ended").await;
    assert_eq!(
        (end["by"].as_str(), end["reason"].as_str()),
        (Some("system"), Some("idle"))
    );
    let c = app
        .get(&format!("/api/v1/conversations/{conversation}"), &t.token)
        .await;
    assert_eq!(c.body["status"], "ended");
    assert!(c.body["ended_at"].is_string());
    // Run again (another node's worker): nothing more happens.
    let again = app
        .service
        .end_idle_conversations(now + chrono::Duration::minutes(11))
        .await
        .unwrap();
    assert_eq!(again, 0);
}

#[tokio::test]
async fn a_visitor_who_leaves_while_waiting_withdraws_the_offer() {
    let app = spawn_app().await;
    let (_t, (_, agent_token), session) = waiting_visitor(&app, "chat-leave").await;
    let conversation = conversation_of(&session);
    let mut inbox = Ws::open(&app.base, "agent", &agent_token).await;
    let offer = inbox.until("offer").await;
    let r = app
        .post(
            &format!("/api/v1/widget/conversations/{conversation}/end"),
            token_of(&session),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let withdrawn = inbox.until("offer_withdrawn").await;
    assert_eq!(withdrawn["offer_id"], offer["offer_id"]);
    assert_eq!(withdrawn["reason"], "conversation_ended");
    let late = offer_answer(&app, &agent_token, &offer, "accept").await;
    assert_eq!(late.status, 409, "{}", late.text);
    let again = app
        .post(
            &format!("/api/v1/widget/conversations/{conversation}/end"),
            token_of(&session),
            json!({}),
        )
        .await;
    assert_eq!(again.problem(409)["field"], "conversation");
}

#[tokio::test]
async fn the_widget_api_answers_pages_on_other_origins_and_reads_the_configured_geo_headers() {
    let app = crate::helpers::spawn_app_with(|c| {
        c.geo_headers = "CF-IPCountry,X-Edge-Region,X-Edge-City".parse().unwrap();
    })
    .await;
    let t = app.create_tenant("chat-cors").await;
    available_agents(&app, &t, 1).await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    // A browser's preflight from a tenant's site.
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/widget/sessions"))
        .header("Origin", "https://shop.example.com")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 200);
    let allowed = preflight.headers()["access-control-allow-origin"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        allowed == "https://shop.example.com" || allowed == "*",
        "{allowed}"
    );
    assert!(
        preflight
            .headers()
            .get("access-control-allow-credentials")
            .is_none_or(|v| v != "true")
    );
    let started = app
        .client
        .post(app.url("/api/v1/widget/sessions"))
        .header("Origin", "https://shop.example.com")
        .header("CF-IPCountry", "DE")
        .header("X-Edge-Region", "BE")
        .header("X-Edge-City", "Berlin")
        .header("X-Geo-Country", "FR")
        .json(&json!({"widget_key": key, "page_url": "https://shop.example.com/"}))
        .send()
        .await
        .unwrap();
    assert!(
        started
            .headers()
            .contains_key("access-control-allow-origin")
    );
    let session: Value = started.json().await.unwrap();
    // Stored (with where the visitor is) once they answer.
    let a = answer(&app, &session, json!({"card_id": "ask", "choice": "yes"})).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let c = app
        .get(
            &format!("/api/v1/conversations/{}", conversation_of(&session)),
            &t.token,
        )
        .await;
    assert_eq!(c.body["visitor"]["country"], "DE", "{}", c.text);
    assert_eq!(c.body["visitor"]["city"], "Berlin");
}

#[tokio::test]
async fn an_accept_that_finds_the_visitor_gone_is_refused_and_frees_the_agent() {
    let app = spawn_app().await;
    let (t, (_, agent_token), session) = waiting_visitor(&app, "chat-late").await;
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"max_chats_per_agent": 1}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let conversation = conversation_of(&session);
    let offer = first_offer_id(&app, &t, &conversation).await;
    // The visitor's end commits while the accept is on its way: the offer is still open in
    // the realtime store, the conversation is ended in the database.
    assert!(
        switchboard_store::conversations::end(
            app.service.db(),
            t.id.parse().unwrap(),
            conversation.parse().unwrap(),
            &[switchboard_core::ConversationStatus::Routing],
        )
        .await
        .unwrap()
    );
    let late = app
        .post(
            &format!("/api/v1/offers/{offer}/accept"),
            &agent_token,
            json!({}),
        )
        .await;
    assert_eq!(late.problem(409)["field"], "offer");
    let c = app
        .get(&format!("/api/v1/conversations/{conversation}"), &t.token)
        .await;
    assert_eq!(c.body["status"], "ended", "{}", c.text);
    assert_eq!(c.body["assigned_agent_id"], Value::Null);
    let usage = app.get("/api/v1/usage", &t.token).await;
    assert_eq!(usage.body["engagements_used"], 0, "{}", usage.text);
    // The agent's only slot is free again: the next visitor is offered to them.
    let key = app.get("/api/v1/settings", &t.token).await.body["widget_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let next = walk_to_live_chat(&app, &key, None).await;
    assert_eq!(next.body["status"], "waiting", "{}", next.text);
}

#[tokio::test]
async fn both_sides_writing_at_once_get_every_message_once_and_in_order() {
    let app = spawn_app().await;
    let (_t, (_, agent_token), session) = waiting_visitor(&app, "chat-both").await;
    let conversation = conversation_of(&session);
    let mut inbox = Ws::open(&app.base, "agent", &agent_token).await;
    accept_from_socket(&app, &agent_token, &mut inbox).await;
    inbox.until("conversation_assigned").await;
    // The inbox gets the dialogue as it follows the chat.
    inbox.messages(DIALOGUE as usize).await;
    let mut widget = Ws::open(&app.base, "visitor", token_of(&session)).await;
    widget.until("hello").await;
    widget
        .send(json!({"type": "resume", "after_seq": DIALOGUE}))
        .await;
    for i in 0..20 {
        widget
            .send(json!({"type": "message", "body": format!("v{i}"), "client_id": format!("v{i}")}))
            .await;
        inbox
            .send(json!({"type": "message", "conversation_id": conversation, "body": format!("a{i}"), "client_id": format!("a{i}")}))
            .await;
    }
    for ws in [&mut widget, &mut inbox] {
        let got = ws.messages(40).await;
        let seqs: Vec<i64> = got.iter().map(|m| m["seq"].as_i64().unwrap()).collect();
        assert_eq!(seqs, (DIALOGUE + 1..=DIALOGUE + 40).collect::<Vec<_>>());
        ws.no_more("message", Duration::from_millis(300)).await;
    }
}

#[tokio::test]
async fn a_message_retried_many_times_at_once_is_stored_once_and_leaves_no_gap() {
    let app = spawn_app().await;
    let (t, _, session) = waiting_visitor(&app, "chat-retry").await;
    let conversation = conversation_of(&session);
    let path = format!("/api/v1/widget/conversations/{conversation}/messages");
    let token = token_of(&session).to_owned();
    let sends: Vec<_> = (0..20)
        .map(|_| {
            let (app, path, token) = (&app, path.clone(), token.clone());
            async move {
                app.post(
                    &path,
                    &token,
                    json!({"body": "only once", "client_id": "same"}),
                )
                .await
            }
        })
        .collect();
    let replies = futures_util::future::join_all(sends).await;
    for r in &replies {
        assert_eq!(
            (r.status.as_u16(), r.body["seq"].as_i64()),
            (201, Some(DIALOGUE + 1)),
            "{}",
            r.text
        );
    }
    let next = app.post(&path, &token, json!({"body": "next"})).await;
    assert_eq!(
        next.body["seq"],
        DIALOGUE + 2,
        "a retry left a gap: {}",
        next.text
    );
    let transcript = app
        .get(
            &format!("/api/v1/conversations/{conversation}/messages"),
            &t.token,
        )
        .await;
    assert_eq!(
        transcript.body["items"].as_array().unwrap().len() as i64,
        DIALOGUE + 2,
        "{}",
        transcript.text
    );
}

#[tokio::test]
async fn the_visitor_sees_the_agents_avatar_from_its_public_url_and_nobody_elses() {
    let app = spawn_app().await;
    let (t, (agent_id, agent_token), session) = waiting_visitor(&app, "chat-avatar").await;
    let up = app
        .send_raw(
            reqwest::Method::PUT,
            &format!("/api/v1/users/{agent_id}/avatar"),
            Some(&agent_token),
            "image/png",
            crate::helpers::tiny_png(),
        )
        .await;
    assert_eq!(up.status, 204, "{}", up.text);
    let mut inbox = Ws::open(&app.base, "agent", &agent_token).await;
    let mut widget = Ws::open(&app.base, "visitor", token_of(&session)).await;
    widget.send(json!({"type": "resume", "after_seq": 0})).await;
    accept_from_socket(&app, &agent_token, &mut inbox).await;
    let joined = widget.until("agent_joined").await;
    let url = joined["agent"]["avatar_url"].as_str().unwrap().to_owned();
    assert!(
        url.ends_with(&format!("/api/v1/widget/agents/{agent_id}/avatar")),
        "{url}"
    );
    // Public: the widget loads it with a plain <img>, no token.
    let path = url
        .split_once("/api/v1/")
        .map(|(_, p)| format!("/api/v1/{p}"))
        .unwrap();
    let img = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(img.status(), 200);
    assert_eq!(img.headers()["content-type"], "image/png");
    // A user who may not chat (the owner, with an avatar too) is not exposed.
    let up = app
        .send_raw(
            reqwest::Method::PUT,
            &format!("/api/v1/users/{}/avatar", t.admin_id),
            Some(&t.token),
            "image/png",
            crate::helpers::tiny_png(),
        )
        .await;
    assert_eq!(up.status, 204, "{}", up.text);
    let hidden = app
        .client
        .get(app.url(&format!("/api/v1/widget/agents/{}/avatar", t.admin_id)))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), 404);
    // A reconnecting widget learns who joined from the socket's first frames.
    drop(widget);
    let mut widget = Ws::open(&app.base, "visitor", token_of(&session)).await;
    let again = widget.until("agent_joined").await;
    assert_eq!(again["agent"]["avatar_url"], url.as_str());
}

#[tokio::test]
async fn failed_live_chats_are_listed_with_their_reason_and_who_missed_them() {
    let app = spawn_app().await;
    let (t, (agent_id, agent_token), session) = waiting_visitor(&app, "chat-failed").await;
    let mut inbox = Ws::open(&app.base, "agent", &agent_token).await;
    let offer = inbox.until("offer").await;
    let r = offer_answer(&app, &agent_token, &offer, "decline").await;
    assert_eq!(r.status, 200, "{}", r.text);
    // A second visitor, nobody available any more: no agent.
    let r = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/me/availability",
            Some(&agent_token),
            Some(json!({"status": "offline"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let key = app.get("/api/v1/settings", &t.token).await.body["widget_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = walk_to_live_chat(&app, &key, None).await;
    assert_eq!(
        second.body["fallback_reason"], "no_agent_available",
        "{}",
        second.text
    );

    let failed = app.get("/api/v1/failed-actions", &t.token).await;
    let items = failed.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{}", failed.text);
    assert_eq!(items[0]["conversation_id"], second.body["conversation_id"]);
    assert_eq!(items[0]["reason"], "no_agent_available");
    assert_eq!(items[0]["missed_by"], json!([]));
    assert_eq!(items[1]["conversation_id"], session["conversation_id"]);
    assert_eq!(items[1]["reason"], "declined");
    assert_eq!(items[1]["missed_by"], json!([agent_id]));
    assert_eq!(items[1]["visitor"]["captured"]["email"], "ada@example.com");
    // Admins only.
    assert_eq!(
        app.get("/api/v1/failed-actions", &agent_token).await.status,
        403
    );
}
