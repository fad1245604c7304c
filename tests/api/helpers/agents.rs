//! The agents' side: agents made available with the live-chat permission, a team of them,
//! and their notification preferences.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Tenant, TestApp};

/// `n` agents of the tenant holding the live-chat permission and available: `(id, token)`.
pub async fn available_agents(app: &TestApp, t: &Tenant, n: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for i in 0..n {
        let email = format!("agent{i}@{}.example.com", t.slug);
        let id = app.create_user(t, &email, "agent").await;
        app.put(
            &format!("/api/v1/users/{id}/live-chat-permission"),
            &t.token,
        )
        .await;
        let token = app.user_token(t, &email).await;
        let r = app
            .call(
                Method::PUT,
                "/api/v1/me/availability",
                Some(&token),
                Some(json!({"status": "available"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        out.push((id, token));
    }
    out
}

/// A team of the tenant with these members (in this order); its id.
pub async fn team_with(app: &TestApp, t: &Tenant, members: &[(String, String)]) -> String {
    let team = app
        .post("/api/v1/teams", &t.token, json!({"name": "Sales"}))
        .await
        .id();
    for (id, _) in members {
        app.put(&format!("/api/v1/teams/{team}/members/{id}"), &t.token)
            .await;
    }
    team
}

/// Sets a user's notification preferences through the API.
pub async fn set_preferences(app: &TestApp, token: &str, sound: bool, browser: bool, email: bool) {
    let r = app
        .call(
            Method::PUT,
            "/api/v1/me/notification-preferences",
            Some(token),
            Some(json!({"sound": sound, "browser_notifications": browser, "email_missed_chats": email})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}
