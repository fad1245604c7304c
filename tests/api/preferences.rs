//! Notification preferences (SPEC §6): each user sets theirs; the inbox honours the sound.

use serde_json::json;

use crate::helpers::agents::available_agents;
use crate::helpers::{ADMIN_PASSWORD, spawn_app};

#[tokio::test]
async fn each_user_sets_their_notification_preferences_and_the_inbox_honours_the_sound() {
    let app = spawn_app().await;
    let t = app.create_tenant("prefs").await;
    let (_, agent) = available_agents(&app, &t, 1).await.remove(0);
    let me = app.get("/api/v1/me", &agent).await;
    assert_eq!(
        me.body["notification_preferences"],
        json!({"sound": true, "browser_notifications": true, "email_missed_chats": true}),
        "all on by default: {}",
        me.text
    );
    let prefs = json!({"sound": false, "browser_notifications": true, "email_missed_chats": false});
    let r = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/me/notification-preferences",
            Some(&agent),
            Some(prefs.clone()),
        )
        .await;
    assert_eq!((r.status.as_u16(), &r.body), (200, &prefs), "{}", r.text);
    assert_eq!(
        app.get("/api/v1/me", &agent).await.body["notification_preferences"],
        prefs
    );
    // The owner's are untouched.
    let owner = app.get("/api/v1/me", &t.token).await;
    assert_eq!(owner.body["notification_preferences"]["sound"], true);
    // Incomplete or mistyped: refused, nothing changed.
    for bad in [
        json!({"sound": true}),
        json!({"sound": "yes", "browser_notifications": true, "email_missed_chats": true}),
    ] {
        let r = app
            .call(
                reqwest::Method::PUT,
                "/api/v1/me/notification-preferences",
                Some(&agent),
                Some(bad.clone()),
            )
            .await;
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
    }
    assert_eq!(
        app.get("/api/v1/me", &agent).await.body["notification_preferences"],
        prefs
    );
    // An API key has no preferences.
    let key = app
        .post("/api/v1/api-keys", &t.token, json!({"name": "k"}))
        .await
        .body["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/me/notification-preferences",
            Some(&key),
            Some(prefs.clone()),
        )
        .await;
    assert!(r.status == 403 || r.status == 404, "{}", r.text);

    // The inbox page carries the choice its script honours (no sound on offers).
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let login = browser
        .post(app.url("/console/login"))
        .form(&[
            ("tenant", "prefs"),
            ("email", "agent0@prefs.example.com"),
            ("password", ADMIN_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert!(login.status().is_success(), "{}", login.status());
    let inbox = browser
        .get(app.url("/inbox"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(inbox.contains(r#"data-sound="false""#), "{inbox}");
    assert!(inbox.contains(r#"id="sb-sound-on">"#), "{inbox}");
    // And its boxes show the other two as chosen.
    assert!(inbox.contains(r#"id="sb-browser-on" checked>"#), "{inbox}");
    assert!(inbox.contains(r#"id="sb-email-on">"#), "{inbox}");
}
