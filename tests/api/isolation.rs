//! Tenant isolation, exhaustively: every operation of the OpenAPI document is called with
//! tenant B's credentials (a JWT and an API key) against tenant A's ids. Operations on an id
//! answer 404 with no data; the others never show A's data; A's state is unchanged after.
//! A new operation is covered the day it is added: it is walked because it is in the
//! document, and the test fails until it has a sample body here.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, Reply, TestApp, spawn_app, tiny_png};

/// A valid body for each operation that takes one, so the call reaches the tenant check
/// instead of stopping at validation.
fn sample_body(operation_id: &str) -> Option<Value> {
    Some(match operation_id {
        "create_token" => json!({"email": "nobody@example.com", "password": "nobody-password"}),
        "create_tenant" => json!({"name": "X", "slug": "x-tenant", "plan": "select",
            "admin": {"email": "x@example.com", "display_name": "X", "password": "x-password-123"}}),
        "update_tenant" => json!({"plan": "prime"}),
        "create_user" => {
            json!({"email": "new@b.example.com", "display_name": "New", "role": "agent", "password": "new-password-123"})
        }
        "update_user" => json!({"display_name": "Renamed by B"}),
        "create_team" => json!({"name": "B team"}),
        "update_team" => json!({"name": "Renamed by B"}),
        "update_settings" => json!({"global_fallback_message": "B was here"}),
        "create_api_key" => json!({"name": "B key"}),
        "create_routing_rule" => {
            json!({"name": "B rule", "conditions": [], "target": {"kind": "team", "id": uuid::Uuid::nil()}})
        }
        "update_routing_rule" => json!({"name": "Renamed by B"}),
        "routing_dry_run" => {
            json!({"routing": {"mode": "round_robin"}, "visitor": {"country": "FR"}})
        }
        "set_availability" => json!({"status": "available"}),
        "set_my_schedule" | "set_user_schedule" => json!({"timezone": "UTC", "weekly": []}),
        "create_dialogue" | "replace_dialogue" => json!({"name": "B dialogue", "cards": [
            {"id": "hello", "kind": "message", "text": "Hello from B"}]}),
        "start_widget_session" => json!({"widget_key": "not-a-widget-key"}),
        "answer_widget_card" => json!({"card_id": "hello"}),
        "send_message" | "send_visitor_message" => json!({"body": "B was here"}),
        "leave_message" => json!({"email": "b@b.example.com", "message": "B was here"}),
        "set_locale" => json!({"locale": "fr", "timezone": "Europe/Paris"}),
        "set_notification_preferences" => {
            json!({"sound": false, "browser_notifications": false, "email_missed_chats": false})
        }
        "add_push_subscription" => json!({"endpoint": "https://push.example.com/b",
            "keys": {"p256dh": switchboard_notify::push::VapidKey::generate().public_key(),
                     "auth": "CQkJCQkJCQkJCQkJCQkJCQ"}}),
        "remove_push_subscription" => json!({"endpoint": "https://push.example.com/b"}),
        "confirm_two_factor" | "disable_two_factor" => json!({"code": "000000"}),
        "request_password_reset" => json!({"email": "nobody@example.com"}),
        "confirm_password_reset" => json!({"token": "not-a-token", "password": "b-password-123"}),
        "add_note" => json!({"body": "B was here"}),
        "transfer_conversation" => {
            json!({"to": {"kind": "agent", "id": uuid::Uuid::nil()}, "note": "B was here"})
        }
        "rate_conversation" => json!({"score": 1, "comment": "B was here"}),
        "email_transcript" => json!({}),
        "create_canned_response" => json!({"shortcut": "b", "text": "B was here"}),
        "update_canned_response" => json!({"text": "B was here"}),
        "create_webhook" => {
            json!({"url": "https://b.example.com/hooks", "events": ["conversation.ended"]})
        }
        _ => return None,
    })
}

struct Victim {
    user_id: String,
    team_id: String,
    key_id: String,
    rule_id: String,
    dialogue_id: String,
    offer_id: String,
    conversation_id: String,
    webhook_id: String,
    canned_id: String,
    tenant_id: String,
    /// A console session of A's admin.
    session_id: String,
    secrets: Vec<String>,
}

async fn snapshot(app: &TestApp, token: &str) -> Vec<String> {
    let mut out = Vec::new();
    for path in [
        "/api/v1/users",
        "/api/v1/teams",
        "/api/v1/api-keys",
        "/api/v1/settings",
        "/api/v1/usage",
        "/api/v1/audit-log",
        "/api/v1/routing-rules",
        "/api/v1/dialogues",
        "/api/v1/webhooks",
        "/api/v1/me/sessions",
        "/api/v1/canned-responses",
    ] {
        let reply = app.get(path, token).await;
        assert!(reply.status.is_success(), "{path}: {}", reply.text);
        out.push(reply.text);
    }
    let avatar = app
        .get(
            &format!(
                "/api/v1/users/{}/avatar",
                "00000000-0000-0000-0000-000000000000"
            ),
            token,
        )
        .await;
    out.push(avatar.status.to_string());
    out
}

fn fill(path: &str, v: &Victim) -> String {
    if !path.contains('{') {
        return path.to_owned();
    }
    let resource = path.trim_start_matches('/').split('/').next().unwrap_or("");
    let id = match resource {
        "users" => &v.user_id,
        "teams" => &v.team_id,
        "api-keys" => &v.key_id,
        "routing-rules" => &v.rule_id,
        "offers" => &v.offer_id,
        "dialogues" => &v.dialogue_id,
        "widget" => &v.conversation_id,
        "conversations" => &v.conversation_id,
        "webhooks" => &v.webhook_id,
        "canned-responses" => &v.canned_id,
        // No file of A's is needed: an id B cannot read is what is checked.
        "attachments" => &v.conversation_id,
        "platform" => &v.tenant_id,
        "me" => &v.session_id,
        other => {
            panic!("the isolation test does not know which id to use for /{other}/{{id}}: add it")
        }
    };
    path.replace("{id}", id)
        .replace("{user_id}", &v.user_id)
        // No delivery of A's is needed: its endpoint is already not B's.
        .replace("{delivery_id}", &v.conversation_id)
}

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    op: &str,
    has_body: bool,
    body_type: Option<&str>,
) -> Reply {
    let method: Method = method.to_uppercase().parse().expect("method");
    if !has_body {
        return app
            .call(method, &format!("/api/v1{path}"), Some(token), None)
            .await;
    }
    if body_type.is_some_and(|t| t.starts_with("image/")) {
        return app
            .send_raw(
                method,
                &format!("/api/v1{path}"),
                Some(token),
                "image/png",
                tiny_png(),
            )
            .await;
    }
    if body_type.is_some_and(|t| t.starts_with("multipart/")) {
        return app
            .upload(&format!("/api/v1{path}"), token, "b.png", &tiny_png())
            .await;
    }
    let body = sample_body(op).unwrap_or_else(|| {
        panic!("operation {op} takes a body: add a sample to isolation::sample_body")
    });
    app.call(method, &format!("/api/v1{path}"), Some(token), Some(body))
        .await
}

#[tokio::test]
async fn every_operation_refuses_another_tenants_ids_and_shows_none_of_its_data() {
    let app = spawn_app().await;
    let a = app.create_tenant("tenant-a").await;
    let b = app.create_tenant("tenant-b").await;

    // Tenant A: a user with an avatar and the permission, a team, an API key.
    let user_id = app.create_user(&a, "agent@a.example.com", "agent").await;
    app.put(
        &format!("/api/v1/users/{user_id}/live-chat-permission"),
        &a.token,
    )
    .await;
    let up = app
        .send_raw(
            Method::PUT,
            &format!("/api/v1/users/{user_id}/avatar"),
            Some(&a.token),
            "image/png",
            tiny_png(),
        )
        .await;
    assert_eq!(up.status, 204, "{}", up.text);
    let team = app
        .post("/api/v1/teams", &a.token, json!({"name": "A sales"}))
        .await;
    let team_id = team.id();
    app.put(
        &format!("/api/v1/teams/{team_id}/members/{user_id}"),
        &a.token,
    )
    .await;
    let key = app
        .post("/api/v1/api-keys", &a.token, json!({"name": "A key"}))
        .await;
    let rule = app
        .post(
            "/api/v1/routing-rules",
            &a.token,
            json!({"name": "A rule", "conditions": [{"field": "country", "operator": "is", "values": ["FR"]}],
                   "target": {"kind": "team", "id": team_id}}),
        )
        .await;
    assert_eq!(rule.status, 201, "{}", rule.text);
    let dialogue = app
        .post(
            "/api/v1/dialogues",
            &a.token,
            json!({"name": "A dialogue", "cards": [{"id": "a-card", "kind": "message", "text": "A says hi"}]}),
        )
        .await;
    assert_eq!(dialogue.status, 201, "{}", dialogue.text);
    // A pending offer of a conversation of A.
    let agent_token = app.user_token(&a, "agent@a.example.com").await;
    app.call(
        Method::PUT,
        "/api/v1/me/availability",
        Some(&agent_token),
        Some(json!({"status": "available"})),
    )
    .await;
    let live = app
        .service
        .request_live_chat(
            a.id.parse().unwrap(),
            switchboard_core::routing::RoutingMode::RoundRobin,
            None,
            switchboard_core::routing::rules::Visitor::default(),
        )
        .await
        .unwrap();
    let switchboard_service::live::LiveChatStatus::Offered { offer_id, .. } = live.status else {
        panic!("A's request was not offered: {:?}", live.status);
    };
    let webhook = app
        .post(
            "/api/v1/webhooks",
            &a.token,
            json!({"url": "https://a.example.com/hooks", "events": ["conversation.ended"]}),
        )
        .await;
    assert_eq!(webhook.status, 201, "{}", webhook.text);
    let canned = app
        .post(
            "/api/v1/canned-responses",
            &a.token,
            json!({"shortcut": "a-hello", "text": "A canned hello", "scope": "tenant"}),
        )
        .await;
    assert_eq!(canned.status, 201, "{}", canned.text);
    // A console session of A's admin, which B must not be able to end.
    crate::helpers::console::console_login(&app, &a.slug, &a.admin_email).await;
    let sessions = app.get("/api/v1/me/sessions", &a.token).await;
    let session_id = sessions.body["items"][0]["id"]
        .as_str()
        .expect("A's session")
        .to_owned();
    let victim = Victim {
        session_id: session_id.clone(),
        webhook_id: webhook.id(),
        canned_id: canned.id(),
        offer_id: offer_id.to_string(),
        conversation_id: live.conversation_id.to_string(),
        rule_id: rule.id(),
        dialogue_id: dialogue.id(),
        user_id: user_id.clone(),
        team_id: team_id.clone(),
        key_id: key.id(),
        tenant_id: a.id.clone(),
        secrets: vec![
            user_id,
            team_id,
            key.id(),
            a.admin_id.clone(),
            "agent@a.example.com".into(),
            a.admin_email.clone(),
            "A sales".into(),
            "A key".into(),
            "A rule".into(),
            "A dialogue".into(),
            "a.example.com".into(),
            webhook.id(),
            canned.id(),
            "A canned hello".into(),
            "A says hi".into(),
            dialogue.id(),
            rule.id(),
            offer_id.to_string(),
            live.conversation_id.to_string(),
        ],
    };
    let before = snapshot(&app, &a.token).await;

    // B attacks with its JWT and with one of its API keys.
    let b_key = app
        .post("/api/v1/api-keys", &b.token, json!({"name": "B key"}))
        .await;
    let b_key = b_key.body["key"].as_str().expect("key").to_owned();

    let spec: Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .expect("spec")
        .json()
        .await
        .expect("json");
    let paths = spec["paths"].as_object().expect("paths");
    let mut walked = 0;
    for token in [&b.token, &b_key] {
        for (path, ops) in paths {
            for (method, op) in ops.as_object().expect("ops") {
                let op_id = op["operationId"]
                    .as_str()
                    .expect("every operation has an id");
                if op_id == "create_token" || op_id == "log_out" {
                    // Public, covered below; and logging out revokes the caller's own token
                    // (it names no other tenant's anything): tests/api/revocation.rs.
                    continue;
                }
                let body_type = op["requestBody"]["content"]
                    .as_object()
                    .and_then(|c| c.keys().next().cloned());
                let has_body = op.get("requestBody").is_some();
                let target = fill(path, &victim);
                let reply = call(
                    &app,
                    method,
                    &target,
                    token,
                    op_id,
                    has_body,
                    body_type.as_deref(),
                )
                .await;
                walked += 1;
                assert!(
                    reply.status.as_u16() != 500,
                    "{method} {target}: 500 {}",
                    reply.text
                );
                if path.starts_with("/platform") {
                    reply.problem(403);
                } else if path.contains('{') {
                    let problem = reply.problem(404);
                    assert_eq!(
                        problem["type"], "https://switchboard.dev/problems/not-found",
                        "{method} {target}"
                    );
                }
                for secret in &victim.secrets {
                    assert!(
                        !reply.text.contains(secret.as_str()),
                        "{method} {target} leaked {secret}: {}",
                        reply.text
                    );
                }
            }
        }
    }
    assert!(
        walked >= 2 * 28,
        "only {walked} calls: the document lost operations?"
    );

    // B's admin cannot log in to A, even with a correct password of its own.
    app.login(Some(&a.slug), &b.admin_email, ADMIN_PASSWORD)
        .await
        .problem(401);

    assert_eq!(
        before,
        snapshot(&app, &a.token).await,
        "tenant A's data changed"
    );
}

#[tokio::test]
async fn an_agent_cannot_use_admin_operations_nor_read_other_users() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let agent_id = app.create_user(&a, "agent@acme.example.com", "agent").await;
    let other_id = app.create_user(&a, "other@acme.example.com", "agent").await;
    let agent = app.user_token(&a, "agent@acme.example.com").await;

    app.put(
        &format!("/api/v1/users/{agent_id}/live-chat-permission"),
        &agent,
    )
    .await
    .problem(403);
    app.post("/api/v1/users", &agent, json!({"email": "x@acme.example.com", "display_name": "X", "role": "admin", "password": "x-password-123"}))
        .await
        .problem(403);
    app.get("/api/v1/users", &agent).await.problem(403);
    app.get("/api/v1/settings", &agent).await.problem(403);
    app.post("/api/v1/api-keys", &agent, json!({"name": "mine"}))
        .await
        .problem(403);
    app.get("/api/v1/audit-log", &agent).await.problem(403);
    // Another user of the same tenant: as if it did not exist.
    app.get(&format!("/api/v1/users/{other_id}"), &agent)
        .await
        .problem(404);
    // Themselves: allowed.
    let me = app.get(&format!("/api/v1/users/{agent_id}"), &agent).await;
    assert_eq!(me.status, 200);
    let me = app.get("/api/v1/me", &agent).await;
    assert_eq!(me.body["id"], agent_id.as_str());
    assert_eq!(me.body["tenant"]["slug"], "acme");
    let perm = app
        .get(&format!("/api/v1/users/{agent_id}"), &a.token)
        .await;
    assert_eq!(
        perm.body["live_chat_permission"], false,
        "the refused grant changed nothing"
    );
}
