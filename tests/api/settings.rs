//! Tenant settings and usage.

use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn settings_start_with_the_spec_defaults_and_can_be_changed() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let s = app.get("/api/v1/settings", &a.token).await;
    assert_eq!(s.body["accept_timeout_seconds"], 45);
    assert_eq!(s.body["max_chats_per_agent"], 10);
    assert_eq!(s.body["idle_timeout_minutes"], 10);
    assert_eq!(s.body["failed_action_recipients"], json!([]));
    assert!(
        !s.body["global_fallback_message"]
            .as_str()
            .unwrap()
            .is_empty()
    );

    let changed = app
        .patch(
            "/api/v1/settings",
            &a.token,
            json!({"global_fallback_message": "We'll call you back.", "accept_timeout_seconds": 30,
                   "max_chats_per_agent": 3, "idle_timeout_minutes": 15, "failed_action_recipients": ["Ops@Acme.example.com"]}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    let s = app.get("/api/v1/settings", &a.token).await;
    assert_eq!(s.body["global_fallback_message"], "We'll call you back.");
    assert_eq!(s.body["accept_timeout_seconds"], 30);
    assert_eq!(s.body["max_chats_per_agent"], 3);
    assert_eq!(s.body["idle_timeout_minutes"], 15);
    assert_eq!(
        s.body["failed_action_recipients"],
        json!(["ops@acme.example.com"])
    );
}

#[tokio::test]
async fn out_of_range_settings_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let before = app.get("/api/v1/settings", &a.token).await.text;
    let cases = [
        (
            json!({"accept_timeout_seconds": 0}),
            "accept_timeout_seconds",
        ),
        (
            json!({"accept_timeout_seconds": 601}),
            "accept_timeout_seconds",
        ),
        (json!({"max_chats_per_agent": 101}), "max_chats_per_agent"),
        (json!({"max_chats_per_agent": 0}), "max_chats_per_agent"),
        (json!({"idle_timeout_minutes": 0}), "idle_timeout_minutes"),
        (
            json!({"global_fallback_message": ""}),
            "global_fallback_message",
        ),
        (
            json!({"accept_timeout_seconds": 30, "failed_action_recipients": ["ok@example.com", "nope"]}),
            "failed_action_recipients[1]",
        ),
    ];
    for (body, field) in cases {
        let r = app.patch("/api/v1/settings", &a.token, body).await;
        assert_eq!(r.problem(422)["field"], field);
    }
    let r = app
        .patch(
            "/api/v1/settings",
            &a.token,
            json!({"accept_timeout_seconds": "soon"}),
        )
        .await;
    r.problem(400);
    let r = app
        .patch("/api/v1/settings", &a.token, json!({"accept_timeout": 30}))
        .await;
    r.problem(400);
    assert_eq!(before, app.get("/api/v1/settings", &a.token).await.text);
}
