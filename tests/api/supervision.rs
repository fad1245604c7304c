//! Supervision (issue 16, point 6): an admin joins a live chat beside its agent, writes in it
//! (REST and socket; the visitor and the agent read it with its author), and leaves it; only
//! admins join, only live chats of others, and a leave ends the right to write.

use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::spawn_app;
use crate::helpers::widget::start_session;
use crate::helpers::ws::Ws;
use crate::transfer::chat_between_two_agents;

/// The next `message` frame that is not the given sender's own echo.
async fn next_message(ws: &mut Ws, body: &str) -> serde_json::Value {
    loop {
        let m = ws.until("message").await;
        if m["body"] == body {
            return m;
        }
    }
}

async fn audit_actions(app: &TestApp, token: &str) -> Vec<String> {
    let log = app.get("/api/v1/audit-log?limit=50", token).await;
    assert_eq!(log.status, 200, "{}", log.text);
    log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn an_admin_joins_a_live_chat_writes_beside_its_agent_and_leaves() {
    let app = spawn_app().await;
    let (t, (_a_id, a), (_b_id, b), id, visitor) = chat_between_two_agents(&app, "supervise").await;
    let me = app.get("/api/v1/me", &t.token).await;
    let admin_id = me.body["id"].as_str().unwrap().to_owned();
    let admin_name = me.body["display_name"].as_str().unwrap().to_owned();
    let mut agent = Ws::open(&app.base, "agent", &a).await;
    assert_eq!(agent.next().await["type"], "hello");
    let mut admin = Ws::open(&app.base, "agent", &t.token).await;
    let hello = admin.next().await;
    assert_eq!(hello["conversations"], json!([]), "{hello}");
    let mut widget = Ws::open(&app.base, "visitor", &visitor).await;
    assert_eq!(widget.next().await["type"], "hello");
    let join = format!("/api/v1/conversations/{id}/join");
    let leave = format!("/api/v1/conversations/{id}/leave");
    let send = format!("/api/v1/conversations/{id}/messages");

    // Before joining, an admin reads but does not write; an agent cannot join.
    let r = app.post(&send, &t.token, json!({"body": "hello?"})).await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = app.post(&join, &b, json!({})).await;
    assert_eq!(r.status, 403, "agents do not join: {}", r.text);
    let r = app.post(&join, &a, json!({})).await;
    assert_eq!(r.status, 403, "{}", r.text);

    // Joined: the visitor and the agent read who joined; the admin's socket follows the chat
    // from its start.
    let r = app.post(&join, &t.token, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["participants"], json!([admin_id]), "{}", r.text);
    let line = format!("{admin_name} joined the chat.");
    assert_eq!(next_message(&mut widget, &line).await["sender"], "system");
    next_message(&mut agent, &line).await;
    let joined = admin.until("conversation_joined").await;
    assert_eq!(joined["conversation_id"], id.as_str());
    let first = admin.until("message").await;
    assert_eq!(first["seq"], 1, "the whole transcript follows: {first}");
    next_message(&mut admin, &line).await;
    // Joining again changes nothing (no second line).
    let again = app.post(&join, &t.token, json!({})).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.body["last_seq"], r.body["last_seq"], "{}", again.text);

    // The admin writes over REST and over the socket; both sides read it with its author.
    let m = app
        .post(
            &send,
            &t.token,
            json!({"body": "Hi Ada, I am the team lead"}),
        )
        .await;
    assert_eq!(m.status, 201, "{}", m.text);
    assert_eq!(m.body["author_id"], admin_id.as_str());
    let got = next_message(&mut widget, "Hi Ada, I am the team lead").await;
    assert_eq!(
        (got["sender"].as_str(), got["author_id"].as_str()),
        (Some("agent"), Some(admin_id.as_str()))
    );
    next_message(&mut agent, "Hi Ada, I am the team lead").await;
    admin
        .send(json!({"type": "message", "conversation_id": id, "body": "From my inbox", "client_id": "s1"}))
        .await;
    let echo = next_message(&mut admin, "From my inbox").await;
    assert_eq!(echo["client_id"], "s1", "{echo}");
    next_message(&mut widget, "From my inbox").await;
    // The agent still writes and holds the chat.
    let r = app.post(&send, &a, json!({"body": "Thanks, boss"})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    next_message(&mut admin, "Thanks, boss").await;
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    assert_eq!(c.body["assigned_agent_id"], _a_id.as_str(), "{}", c.text);

    // Left: a line for everyone, the admin's socket lets go, and writing is refused again.
    let r = app.post(&leave, &t.token, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["participants"], json!([]), "{}", r.text);
    next_message(&mut widget, &format!("{admin_name} left the chat.")).await;
    let left = admin.until("conversation_left").await;
    assert_eq!(left["conversation_id"], id.as_str());
    let r = app
        .post(&send, &t.token, json!({"body": "still here?"}))
        .await;
    assert_eq!(r.status, 404, "{}", r.text);
    admin
        .send(json!({"type": "message", "conversation_id": id, "body": "and now?", "client_id": "s2"}))
        .await;
    let refused = admin.until("error").await;
    assert_eq!(refused["client_id"], "s2", "{refused}");
    let r = app.post(&leave, &t.token, json!({})).await;
    assert_eq!(r.status, 409, "not in it any more: {}", r.text);
    let actions = audit_actions(&app, &t.token).await;
    assert!(
        actions.iter().any(|a| a == "conversation.joined")
            && actions.iter().any(|a| a == "conversation.left"),
        "{actions:?}"
    );

    // A chat that is over, or the admin's own, is not joined.
    let r = app
        .post(&format!("/api/v1/conversations/{id}/end"), &a, json!({}))
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let r = app.post(&join, &t.token, json!({})).await;
    assert_eq!(r.status, 409, "{}", r.text);
    // The visitor's transcript has every line but no note.
    let theirs = app
        .get(
            &format!("/api/v1/widget/conversations/{id}/messages"),
            &visitor,
        )
        .await;
    for text in [line.as_str(), "Hi Ada, I am the team lead", "From my inbox"] {
        assert!(theirs.text.contains(text), "{text}: {}", theirs.text);
    }
}

#[tokio::test]
async fn a_widget_coming_back_to_an_ended_chat_may_still_rate_it_once() {
    let app = spawn_app().await;
    let (t, (_a_id, a), _, id, visitor) = chat_between_two_agents(&app, "rate-later").await;
    let r = app
        .post(&format!("/api/v1/conversations/{id}/end"), &a, json!({}))
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let key = app.get("/api/v1/settings", &t.token).await;
    let widget_key = key.body["widget_key"].as_str().unwrap().to_owned();
    let body = json!({"widget_key": widget_key, "visitor_token": visitor});
    let back = start_session(&app, body.clone(), None).await;
    assert_eq!(back.status, 200, "{}", back.text);
    assert_eq!(back.body["status"], "ended", "{}", back.text);
    assert_eq!(back.body["rating_open"], true, "{}", back.text);
    let r = app
        .post(
            &format!("/api/v1/widget/conversations/{id}/rating"),
            &visitor,
            json!({"score": 4}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let back = start_session(&app, body.clone(), None).await;
    assert_eq!(back.body["rating_open"], false, "{}", back.text);
}

#[tokio::test]
async fn an_admin_made_an_agent_leaves_the_chats_they_joined_and_their_tokens_stop() {
    let app = spawn_app().await;
    let (t, _, _, id, _) = chat_between_two_agents(&app, "demoted").await;
    let boss_id = app
        .create_user(&t, "boss@demoted.example.com", "admin")
        .await;
    let boss = app.user_token(&t, "boss@demoted.example.com").await;
    let r = app
        .post(
            &format!("/api/v1/conversations/{id}/join"),
            &boss,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["participants"], json!([boss_id]));
    let r = app
        .patch(
            &format!("/api/v1/users/{boss_id}"),
            &t.token,
            json!({"role": "agent"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    assert_eq!(c.body["participants"], json!([]), "{}", c.text);
    let r = app
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            &boss,
            json!({"body": "still the boss?"}),
        )
        .await;
    assert_eq!(r.status, 401, "the old token is revoked: {}", r.text);
    let again = app.user_token(&t, "boss@demoted.example.com").await;
    let r = app
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            &again,
            json!({"body": "still the boss?"}),
        )
        .await;
    assert_eq!(
        r.status, 404,
        "an agent writes only in their own chats: {}",
        r.text
    );
}
