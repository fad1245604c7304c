//! Tokens revoked at once (issue 15, SPEC §12.4): logging out, a password change and
//! disabling a user refuse the user's tokens on the very next call and close their open
//! sockets (code 1008: do not reconnect with that token); a socket also closes when its
//! token expires. A new login works again.

use std::time::Duration;

use serde_json::json;

use crate::helpers::agents::available_agents;
use crate::helpers::ws::Ws;
use crate::helpers::{ADMIN_PASSWORD, Tenant, TestApp, spawn_app, spawn_app_with};

/// An agent's token and their inbox socket, open and greeted.
async fn agent_online(app: &TestApp, t: &Tenant) -> (String, String, Ws) {
    let (id, token) = available_agents(app, t, 1).await.remove(0);
    let mut inbox = Ws::open(&app.base, "agent", &token).await;
    inbox.until("hello").await;
    (id, token, inbox)
}

/// A server with tenant `acme` and its agent online: `(app, tenant, (agent id, token, socket))`.
async fn acme_with_an_agent_online() -> (TestApp, Tenant, (String, String, Ws)) {
    let app = spawn_app().await;
    let t = app.create_tenant("acme").await;
    let agent = agent_online(&app, &t).await;
    (app, t, agent)
}

/// The admin changes user `id` (`PATCH /users/{id}`).
async fn change_user(app: &TestApp, t: &Tenant, id: &str, change: serde_json::Value) {
    let r = app
        .patch(&format!("/api/v1/users/{id}"), &t.token, change)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

async fn refused(app: &TestApp, token: &str) {
    let r = app.get("/api/v1/me", token).await;
    assert_eq!(r.status, 401, "the token still works: {}", r.text);
}

#[tokio::test]
async fn after_logout_the_token_is_refused_at_once_and_its_socket_closes() {
    let (app, t, (_, token, mut inbox)) = acme_with_an_agent_online().await;
    // A second token of the same agent (another device) goes too.
    let other = app.user_token(&t, "agent0@acme.example.com").await;

    let r = app.post("/api/v1/auth/logout", &token, json!({})).await;
    assert_eq!(r.status, 204, "{}", r.text);
    refused(&app, &token).await;
    refused(&app, &other).await;
    assert_eq!(inbox.close_code(Duration::from_secs(5)).await, Some(1008));

    // Logging in again gives a token that works.
    let fresh = app.user_token(&t, "agent0@acme.example.com").await;
    assert_eq!(app.get("/api/v1/me", &fresh).await.status, 200);

    // The operator too.
    let op = app.operator_token().await;
    let r = app.post("/api/v1/auth/logout", &op, json!({})).await;
    assert_eq!(r.status, 204, "{}", r.text);
    let r = app.get("/api/v1/platform/tenants", &op).await;
    assert_eq!(r.status, 401, "{}", r.text);
}

#[tokio::test]
async fn a_password_change_and_disabling_revoke_the_users_tokens_and_close_their_sockets() {
    let (app, t, (id, token, mut inbox)) = acme_with_an_agent_online().await;
    change_user(&app, &t, &id, json!({"password": "a-new-password-1"})).await;
    refused(&app, &token).await;
    assert_eq!(inbox.close_code(Duration::from_secs(5)).await, Some(1008));
    // The old password is gone, the new one works.
    let old = app
        .login(Some("acme"), "agent0@acme.example.com", ADMIN_PASSWORD)
        .await;
    assert_eq!(old.status, 401);
    let new = app
        .login(Some("acme"), "agent0@acme.example.com", "a-new-password-1")
        .await;
    assert_eq!(new.status, 200, "{}", new.text);
    let token = new.body["access_token"].as_str().unwrap().to_owned();
    let mut inbox = Ws::open(&app.base, "agent", &token).await;
    inbox.until("hello").await;

    change_user(&app, &t, &id, json!({"active": false})).await;
    refused(&app, &token).await;
    assert_eq!(inbox.close_code(Duration::from_secs(5)).await, Some(1008));
}

#[tokio::test]
async fn a_socket_closes_when_its_token_expires() {
    let app = spawn_app_with(|c| c.token_ttl_seconds = 2).await;
    let t = app.create_tenant("acme").await;
    let (_, _, mut inbox) = agent_online(&app, &t).await;
    let started = std::time::Instant::now();
    assert_eq!(inbox.close_code(Duration::from_secs(8)).await, Some(1008));
    assert!(
        started.elapsed() <= Duration::from_secs(3),
        "closed {:?} after opening, the token lived 2 s",
        started.elapsed()
    );
}

/// In a real browser: an agent working in the inbox whose password an admin changes is
/// taken to the login page at once (the socket closes with 1008, the session is gone).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_agent_in_the_inbox_is_sent_to_log_in_again_when_their_password_changes() {
    use crate::helpers::browser::{console_login, start_browser, until};
    let app = spawn_app().await;
    let t = app.create_tenant("acme").await;
    let (id, _) = available_agents(&app, &t, 1).await.remove(0);
    let (_driver, browser) = start_browser().await;
    console_login(&browser, &app.base, "acme", "agent0@acme.example.com").await;
    until(
        &browser,
        "the inbox, connected",
        "location.pathname === '/inbox' && document.getElementById('sb-connection').textContent === 'Connected'",
    )
    .await;
    change_user(&app, &t, &id, json!({"password": "a-new-password-1"})).await;
    until(
        &browser,
        "the login page",
        "location.pathname === '/console/login' && document.body.innerText.includes('You were signed out')",
    )
    .await;
    crate::helpers::browser::both_widths(&browser, "inbox-revoked-login").await;
    browser.close().await.unwrap();
}
