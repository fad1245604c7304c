//! Transfers (SPEC §12.3, issue 16): the assigned agent hands a live chat to a colleague under
//! the usual offer rules; the chat moves on accept (the visitor sees who joined, the previous
//! agent's inbox lets go), stays on a decline or expiry (whoever asked is told), and is
//! refused when it cannot be offered. Then the same across two server processes.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::agents::available_agents;
use crate::helpers::live::first_offer_id;
use crate::helpers::processes::spawn_processes;
use crate::helpers::widget::{publish, sales_dialogue, walk_to_live_chat};
use crate::helpers::ws::Ws;
use crate::helpers::{Tenant, TestApp, spawn_app};

/// A live chat between a visitor and one of two agents: `(tenant, (holder id, token),
/// (other id, token), conversation id, visitor token)`.
pub(crate) async fn chat_between_two_agents(
    app: &TestApp,
    slug: &str,
) -> (Tenant, (String, String), (String, String), String, String) {
    let t = app.create_tenant(slug).await;
    let agents = available_agents(app, &t, 2).await;
    let key = publish(app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let waiting = walk_to_live_chat(app, &key, Some("FR")).await;
    assert_eq!(waiting.body["status"], "waiting", "{}", waiting.text);
    let id = waiting.body["conversation_id"].as_str().unwrap().to_owned();
    let visitor = waiting.body["visitor_token"].as_str().unwrap().to_owned();
    let offer = first_offer_id(app, &t, &id).await;
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    let offered = c.body["trace"]["offers"][0]["agent_id"].as_str().unwrap();
    let (holder, other) = if agents[0].0 == offered {
        (agents[0].clone(), agents[1].clone())
    } else {
        (agents[1].clone(), agents[0].clone())
    };
    let r = app
        .post(
            &format!("/api/v1/offers/{offer}/accept"),
            &holder.1,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    (t, holder, other, id, visitor)
}

fn transfer_to(agent: &str, note: &str) -> Value {
    json!({"to": {"kind": "agent", "id": agent}, "note": note})
}

#[tokio::test]
async fn a_transfer_moves_the_chat_on_accept_and_leaves_it_on_a_decline_or_an_expiry() {
    let app = spawn_app().await;
    let (t, (a_id, a), (b_id, b), id, visitor) = chat_between_two_agents(&app, "transfer").await;
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"accept_timeout_seconds": 2}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut a_inbox = Ws::open(&app.base, "agent", &a).await;
    assert_eq!(a_inbox.next().await["type"], "hello");
    let mut b_inbox = Ws::open(&app.base, "agent", &b).await;
    assert_eq!(b_inbox.next().await["type"], "hello");
    let mut widget = Ws::open(&app.base, "visitor", &visitor).await;
    assert_eq!(widget.next().await["type"], "hello");
    let path = format!("/api/v1/conversations/{id}/transfer");

    // Refused, nothing changes: oneself, an unknown agent or team, a bad body, another agent.
    for (body, status, field) in [
        (transfer_to(&a_id, ""), 422, "to.id"),
        (
            transfer_to(&uuid::Uuid::nil().to_string(), ""),
            422,
            "to.id",
        ),
        (
            json!({"to": {"kind": "team", "id": uuid::Uuid::nil()}}),
            422,
            "to.id",
        ),
    ] {
        let r = app.post(&path, &a, body.clone()).await;
        assert_eq!(r.status, status, "{body}: {}", r.text);
        assert_eq!(r.body["field"], field, "{}", r.text);
    }
    let r = app
        .post(&path, &a, json!({"to": {"kind": "robot", "id": b_id}}))
        .await;
    assert!(r.status == 400 || r.status == 422, "{}", r.text);
    let r = app.post(&path, &b, transfer_to(&b_id, "mine now")).await;
    assert_eq!(r.status, 404, "not theirs: {}", r.text);

    // Declined: the chat stays, the holder is told.
    let r = app
        .post(&path, &a, transfer_to(&b_id, "Wants a quote in German"))
        .await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(r.body["agent_id"], b_id.as_str());
    let offer = b_inbox.until("offer").await;
    assert_eq!(offer["conversation_id"], id.as_str());
    assert_eq!(offer["transfer"]["from_agent_id"], a_id.as_str());
    assert_eq!(offer["transfer"]["note"], "Wants a quote in German");
    assert_eq!(offer["visitor"]["captured"]["first_name"], "Ada");
    let again = app.post(&path, &a, transfer_to(&b_id, "")).await;
    assert_eq!(again.status, 409, "one at a time: {}", again.text);
    let r = app
        .post(
            &format!(
                "/api/v1/offers/{}/decline",
                offer["offer_id"].as_str().unwrap()
            ),
            &b,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let failed = a_inbox.until("transfer_failed").await;
    assert_eq!(
        (failed["reason"].as_str(), failed["agent_id"].as_str()),
        (Some("declined"), Some(b_id.as_str()))
    );
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    assert_eq!(c.body["assigned_agent_id"], a_id.as_str(), "{}", c.text);
    assert_eq!(c.body["status"], "live");

    // Expired: the same, after the window.
    let r = app.post(&path, &a, transfer_to(&b_id, "")).await;
    assert_eq!(r.status, 202, "{}", r.text);
    let failed = a_inbox.until("transfer_failed").await;
    assert_eq!(failed["reason"], "expired", "{failed}");
    let still = app
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            &a,
            json!({"body": "Still with you, Ada"}),
        )
        .await;
    assert_eq!(still.status, 201, "{}", still.text);

    // Nobody there can take it (the colleague is away): refused at once, nothing offered.
    let r = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/me/availability",
            Some(&b),
            Some(json!({"status": "away"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = app.post(&path, &a, transfer_to(&b_id, "")).await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.body["field"], "to", "{}", r.text);
    let r = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/me/availability",
            Some(&b),
            Some(json!({"status": "available"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Accepted: the chat is the colleague's; the holder's inbox lets go, the visitor sees who
    // joined (on the socket and in the transcript), and only the new agent may write.
    let r = app
        .post(
            &path,
            &t.token,
            transfer_to(&b_id, "Admin: please take over"),
        )
        .await;
    assert_eq!(r.status, 202, "an admin may transfer too: {}", r.text);
    let offer = loop {
        let f = b_inbox.until("offer").await;
        if f["transfer"]["note"] == "Admin: please take over" {
            break f;
        }
    };
    let r = app
        .post(
            &format!(
                "/api/v1/offers/{}/accept",
                offer["offer_id"].as_str().unwrap()
            ),
            &b,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let moved = a_inbox.until("conversation_transferred").await;
    assert_eq!(moved["to_agent_id"], b_id.as_str());
    let assigned = b_inbox.until("conversation_assigned").await;
    assert_eq!(assigned["conversation_id"], id.as_str());
    // (The socket said who held the chat when it opened; then who joined.)
    let b_name = app.get(&format!("/api/v1/users/{b_id}"), &t.token).await;
    loop {
        let joined = widget.until("agent_joined").await;
        if joined["agent"]["display_name"] == b_name.body["display_name"] {
            break;
        }
    }
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    assert_eq!(c.body["assigned_agent_id"], b_id.as_str(), "{}", c.text);
    let resolutions: Vec<&str> = c.body["trace"]["offers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["resolution"].as_str().unwrap())
        .collect();
    assert_eq!(
        resolutions,
        ["accepted", "declined", "expired", "accepted"],
        "{}",
        c.text
    );
    let theirs = app
        .get(
            &format!("/api/v1/widget/conversations/{id}/messages"),
            &visitor,
        )
        .await;
    assert!(theirs.text.contains("joined the chat."), "{}", theirs.text);
    // The note stays in the transcript for the team, as a note, never for the visitor.
    assert!(!theirs.text.contains("please take over"), "{}", theirs.text);
    let all = app
        .get(&format!("/api/v1/conversations/{id}/messages"), &b)
        .await;
    let note = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| {
            m["body"]
                .as_str()
                .unwrap_or("")
                .contains("please take over")
        })
        .unwrap_or_else(|| panic!("no transfer note: {}", all.text));
    assert_eq!(note["kind"], "note", "{note}");
    assert_eq!(
        note["body"],
        format!(
            "Transfer note for {}: Admin: please take over",
            b_name.body["display_name"].as_str().unwrap()
        )
    );
    let r = app
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            &a,
            json!({"body": "am I still here?"}),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = app
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            &b,
            json!({"body": "Hallo Ada, I take it from here"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let got = loop {
        let m = widget.until("message").await;
        if m["sender"] == "agent" {
            break m;
        }
    };
    assert_eq!(got["body"], "Hallo Ada, I take it from here");

    // The holder's slot is free again: the previous agent's load went back.
    let me = app.get("/api/v1/conversations?status=live", &a).await;
    assert_eq!(me.body["items"].as_array().unwrap().len(), 0, "{}", me.text);
    // Over: no transfer of an ended chat.
    let r = app
        .post(&format!("/api/v1/conversations/{id}/end"), &b, json!({}))
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let r = app.post(&path, &t.token, transfer_to(&a_id, "")).await;
    assert_eq!(r.status, 409, "{}", r.text);

    // Whom a chat may go to: agents with their availability, and teams.
    let targets = app.get("/api/v1/transfer-targets", &a).await;
    assert_eq!(targets.status, 200, "{}", targets.text);
    assert_eq!(targets.body["agents"].as_array().unwrap().len(), 2);
    assert!(targets.body["agents"][0]["availability"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_transfer_between_two_agents_on_two_server_processes() {
    let nodes = spawn_processes(2).await;
    let (one, two) = (&nodes.clients[0], &nodes.clients[1]);
    let (t, (a_id, a), (b_id, b), id, visitor) = chat_between_two_agents(one, "transfer2").await;
    // The holder and the visitor on the first process, the colleague on the second.
    let mut a_inbox = Ws::open(&one.base, "agent", &a).await;
    assert_eq!(a_inbox.next().await["type"], "hello");
    let mut b_inbox = Ws::open(&two.base, "agent", &b).await;
    assert_eq!(b_inbox.next().await["type"], "hello");
    let mut widget = Ws::open(&one.base, "visitor", &visitor).await;
    assert_eq!(widget.next().await["type"], "hello");

    let r = one
        .post(
            &format!("/api/v1/conversations/{id}/transfer"),
            &a,
            transfer_to(&b_id, "Over to you"),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.text);
    let offer = b_inbox.until("offer").await;
    assert_eq!(offer["transfer"]["note"], "Over to you");
    let r = two
        .post(
            &format!(
                "/api/v1/offers/{}/accept",
                offer["offer_id"].as_str().unwrap()
            ),
            &b,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let moved = a_inbox.until("conversation_transferred").await;
    assert_eq!(moved["conversation_id"], id.as_str());
    assert_eq!(
        b_inbox.until("conversation_assigned").await["conversation_id"],
        id.as_str()
    );
    let joined = widget.until("agent_joined").await;
    assert!(joined["agent"]["display_name"].is_string(), "{joined}");

    // The new agent writes on the second process; the visitor reads it on the first, and
    // the visitor's answer reaches the new agent there.
    b_inbox
        .send(json!({"type": "message", "conversation_id": id, "body": "Hi, Bo here", "client_id": "b-1"}))
        .await;
    let got = loop {
        let m = widget.until("message").await;
        if m["sender"] == "agent" {
            break m;
        }
    };
    assert_eq!(got["body"], "Hi, Bo here");
    widget
        .send(json!({"type": "message", "body": "Thanks Bo", "client_id": "v-9"}))
        .await;
    let got = loop {
        let m = b_inbox.until("message").await;
        if m["body"] == "Thanks Bo" {
            break m;
        }
    };
    assert_eq!(got["sender"], "visitor");
    // The previous agent's socket no longer follows it.
    a_inbox.no_more("message", Duration::from_millis(500)).await;
    let c = two
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    assert_eq!(c.body["assigned_agent_id"], b_id.as_str(), "{}", c.text);
    assert_ne!(a_id, b_id);
}
