//! Web Push groundwork (SPEC §6): the server's VAPID public key reaches the user, and each
//! browser's subscription is stored, replaced, and removed; bad ones are refused.

use serde_json::json;
use switchboard_notify::push::VapidKey;

use crate::helpers::{available_agents, spawn_app_with};

fn auth_secret() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([9u8; 16])
}

#[tokio::test]
async fn browsers_subscribe_with_the_servers_vapid_key_and_bad_subscriptions_are_refused() {
    let key = VapidKey::generate();
    let configured = key.clone();
    let app = spawn_app_with(move |c| c.vapid_private_key = Some(configured)).await;
    let t = app.create_tenant("push").await;
    let (_, agent) = available_agents(&app, &t, 1).await.remove(0);
    let me = app.get("/api/v1/me", &agent).await;
    assert_eq!(
        me.body["push_public_key"],
        key.public_key().as_str(),
        "{}",
        me.text
    );
    assert_eq!(me.body["push_subscriptions"], 0);

    let browser = VapidKey::generate().public_key();
    let sub = json!({"endpoint": "https://push.example.com/send/abc",
                     "keys": {"p256dh": browser, "auth": auth_secret()}});
    let add = |body: serde_json::Value| {
        let (app, agent) = (&app, agent.clone());
        async move {
            app.call(
                reqwest::Method::POST,
                "/api/v1/me/push-subscriptions",
                Some(&agent),
                Some(body),
            )
            .await
        }
    };
    assert_eq!(add(sub.clone()).await.status, 204);
    assert_eq!(add(sub.clone()).await.status, 204, "the same browser again");
    assert_eq!(
        app.get("/api/v1/me", &agent).await.body["push_subscriptions"],
        1
    );

    for (body, field) in [
        (
            json!({"endpoint": "http://push.example.com/x", "keys": {"p256dh": browser, "auth": auth_secret()}}),
            "endpoint",
        ),
        (
            json!({"endpoint": "https://push.example.com/x", "keys": {"p256dh": "AAAA", "auth": auth_secret()}}),
            "keys.p256dh",
        ),
        (
            json!({"endpoint": "https://push.example.com/x", "keys": {"p256dh": browser, "auth": "AAAA"}}),
            "keys.auth",
        ),
    ] {
        assert_eq!(
            add(body.clone()).await.problem(422)["field"],
            field,
            "{body}"
        );
    }
    assert_eq!(
        add(json!({"endpoint": "https://x.example.com"}))
            .await
            .status,
        400
    );
    assert_eq!(
        app.get("/api/v1/me", &agent).await.body["push_subscriptions"],
        1
    );

    let remove = |endpoint: &str| {
        let (app, agent, body) = (&app, agent.clone(), json!({"endpoint": endpoint}));
        async move {
            app.call(
                reqwest::Method::DELETE,
                "/api/v1/me/push-subscriptions",
                Some(&agent),
                Some(body),
            )
            .await
        }
    };
    assert_eq!(
        remove("https://push.example.com/send/abc").await.status,
        204
    );
    assert_eq!(
        remove("https://push.example.com/send/abc").await.status,
        404
    );
    assert_eq!(
        app.get("/api/v1/me", &agent).await.body["push_subscriptions"],
        0
    );

    // An API key has no browser.
    let api_key = app
        .post("/api/v1/api-keys", &t.token, json!({"name": "k"}))
        .await
        .body["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app
        .call(
            reqwest::Method::POST,
            "/api/v1/me/push-subscriptions",
            Some(&api_key),
            Some(sub),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
}
