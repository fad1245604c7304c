//! Defences found in review: idempotency keys per caller and never storing secrets, bodies
//! bounded everywhere, the last owner under concurrency, bounded metric labels, sessions
//! ended by a password change.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{ADMIN_PASSWORD, Reply, TestApp, spawn_app};

async fn post_keyed(
    app: &TestApp,
    path: &str,
    token: &str,
    key: &str,
    body: serde_json::Value,
) -> Reply {
    let resp = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    TestApp::reply(resp).await
}

#[tokio::test]
async fn an_idempotency_key_replays_only_for_the_caller_who_used_it_and_never_keeps_secrets() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    app.create_user(&a, "agent@acme.example.com", "agent").await;
    let agent = app.user_token(&a, "agent@acme.example.com").await;

    let first = post_keyed(
        &app,
        "/api/v1/api-keys",
        &a.token,
        "k1",
        json!({"name": "CRM"}),
    )
    .await;
    assert_eq!(first.status, 201, "{}", first.text);
    let secret = first.body["key"].as_str().unwrap().to_owned();
    // The agent reusing the admin's key and body gets its own answer: refused.
    let theirs = post_keyed(
        &app,
        "/api/v1/api-keys",
        &agent,
        "k1",
        json!({"name": "CRM"}),
    )
    .await;
    assert!(!theirs.text.contains(&secret));
    theirs.problem(403);
    // The admin's retry cannot get the secret again: it was not kept.
    let retry = post_keyed(
        &app,
        "/api/v1/api-keys",
        &a.token,
        "k1",
        json!({"name": "CRM"}),
    )
    .await;
    assert_eq!(
        retry.problem(409)["type"],
        "https://switchboard.dev/problems/idempotency-key-completed"
    );
    assert_eq!(
        app.get("/api/v1/api-keys", &a.token).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "created once"
    );
    use sea_orm::EntityTrait;
    let stored = switchboard_store::idempotency::Entity::find()
        .all(app.service.db())
        .await
        .unwrap();
    assert!(
        stored
            .iter()
            .all(|r| !r.response_body.as_deref().unwrap_or("").contains(&secret)),
        "a secret was stored"
    );

    // An invitation link is a secret too.
    let invite = json!({"email": "inv@acme.example.com", "display_name": "Inv", "role": "agent"});
    let first = post_keyed(&app, "/api/v1/users", &a.token, "k2", invite.clone()).await;
    assert!(first.body["invitation_url"].is_string());
    post_keyed(&app, "/api/v1/users", &a.token, "k2", invite)
        .await
        .problem(409);
}

#[tokio::test]
async fn an_abandoned_idempotency_claim_is_taken_over_after_a_minute() {
    use sea_orm::{ActiveModelTrait, Set};
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let old = switchboard_store::now() - chrono::Duration::seconds(120);
    // The fingerprint is the path inside /api/v1 and the body.
    let path_body = format!("/teams\n{}", json!({"name": "Sales"}));
    for (key, at) in [("stale", old), ("fresh", switchboard_store::now())] {
        switchboard_store::idempotency::ActiveModel {
            scope: Set(format!("user:{}", a.admin_id)),
            key: Set(key.into()),
            request_hash: Set(switchboard_service::sha256_hex(path_body.as_bytes())),
            status_code: Set(None),
            response_body: Set(None),
            created_at: Set(at),
        }
        .insert(app.service.db())
        .await
        .unwrap();
    }
    let body = serde_json::to_vec(&json!({"name": "Sales"})).unwrap();
    let fresh = app
        .client
        .post(app.url("/api/v1/teams"))
        .bearer_auth(&a.token)
        .header("Idempotency-Key", "fresh")
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    TestApp::reply(fresh).await.problem(409);
    let stale = app
        .client
        .post(app.url("/api/v1/teams"))
        .bearer_auth(&a.token)
        .header("Idempotency-Key", "stale")
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let stale = TestApp::reply(stale).await;
    assert_eq!(stale.status, 201, "{}", stale.text);
}

#[tokio::test]
async fn console_forms_are_bounded_like_the_api() {
    let app = spawn_app().await;
    let big = "x".repeat(2 * 1024 * 1024);
    let resp = app
        .client
        .post(app.url("/console/login"))
        .form(&[("tenant", "acme"), ("email", big.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
}

#[tokio::test]
async fn two_owners_demoting_each_other_at_once_leave_one_owner() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let second = app
        .create_user(&a, "second@acme.example.com", "owner")
        .await;
    let second_token = app.user_token(&a, "second@acme.example.com").await;
    let (first_path, second_path) = (
        format!("/api/v1/users/{}", a.admin_id),
        format!("/api/v1/users/{second}"),
    );
    let (r1, r2) = tokio::join!(
        app.patch(&first_path, &second_token, json!({"role": "admin"})),
        app.patch(&second_path, &a.token, json!({"role": "admin"})),
    );
    let ok = [&r1, &r2].iter().filter(|r| r.status == 200).count();
    assert_eq!(ok, 1, "{} / {}", r1.text, r2.text);
    let users = app
        .get(
            "/api/v1/users",
            if r1.status == 200 {
                &second_token
            } else {
                &a.token
            },
        )
        .await;
    let owners = users.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["role"] == "owner")
        .count();
    assert_eq!(owners, 1);
}

#[tokio::test]
async fn made_up_http_methods_share_one_metric_label() {
    let app = spawn_app().await;
    for m in ["FOO1", "FOO2", "FOO3"] {
        app.call(
            Method::from_bytes(m.as_bytes()).unwrap(),
            "/api/v1/users",
            None,
            None,
        )
        .await;
    }
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(crate::helpers::METRICS_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("method=\"other\""), "{metrics}");
    assert!(!metrics.contains("FOO1"));
}

#[tokio::test]
async fn a_password_change_ends_console_sessions_and_users_can_start_with_the_permission() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let created = app
        .post("/api/v1/users", &a.token, json!({"email": "ad@acme.example.com", "display_name": "Ad", "role": "admin", "password": ADMIN_PASSWORD, "live_chat_permission": true}))
        .await;
    assert_eq!(
        created.body["live_chat_permission"], true,
        "{}",
        created.text
    );
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = browser
        .post(app.url("/console/login"))
        .form(&[
            ("tenant", "acme"),
            ("email", "ad@acme.example.com"),
            ("password", ADMIN_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    assert_eq!(
        browser
            .get(app.url("/console"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let id = created.id();
    // Another admin's password: the owner re-enters their own.
    let changed = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &a.token,
            json!({"password": "another-password-1", "current_password": ADMIN_PASSWORD}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(
        browser
            .get(app.url("/console"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "the session ended"
    );
}
