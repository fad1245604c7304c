//! Tokens: login, what a token may be, and what is refused.

use base64::Engine;
use serde_json::json;

use crate::helpers::{ADMIN_PASSWORD, OPERATOR_EMAIL, spawn_app};

const SECRET: &str = "test-secret-test-secret-test-secret-0123";

fn b64(v: &serde_json::Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

fn sign(claims: serde_json::Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}

#[tokio::test]
async fn a_token_from_login_identifies_the_user() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let reply = app
        .login(Some("acme"), &a.admin_email, ADMIN_PASSWORD)
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["token_type"], "Bearer");
    assert_eq!(reply.body["expires_in"], 900);
    let me = app
        .get("/api/v1/me", reply.body["access_token"].as_str().unwrap())
        .await;
    assert_eq!(me.body["email"], a.admin_email.as_str());
    assert_eq!(me.body["role"], "owner");
}

#[tokio::test]
async fn login_failures_do_not_reveal_whether_the_email_exists() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let wrong_password = app
        .login(Some("acme"), &a.admin_email, "not-the-password")
        .await;
    let unknown_email = app
        .login(Some("acme"), "nobody@acme.example.com", "not-the-password")
        .await;
    let unknown_tenant = app
        .login(Some("nope"), &a.admin_email, ADMIN_PASSWORD)
        .await;
    let operator_wrong = app.login(None, OPERATOR_EMAIL, "not-the-password").await;
    for r in [
        &wrong_password,
        &unknown_email,
        &unknown_tenant,
        &operator_wrong,
    ] {
        r.problem(401);
    }
    assert_eq!(wrong_password.body, unknown_email.body);
    assert_eq!(wrong_password.body, unknown_tenant.body);
    // A tenant admin is not the operator: without a tenant the same credentials fail.
    app.login(None, &a.admin_email, ADMIN_PASSWORD)
        .await
        .problem(401);
}

#[tokio::test]
async fn expired_forged_and_unsigned_tokens_are_refused() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let now = chrono::Utc::now().timestamp();
    let base = json!({"sub": a.admin_id, "tid": a.id, "aud": "switchboard-api", "iss": app.base, "iat": now, "exp": now + 600});
    // Sanity: a token we sign like the server does is accepted.
    assert_eq!(
        app.get("/api/v1/me", &sign(base.clone(), SECRET))
            .await
            .status,
        200
    );

    let mut expired = base.clone();
    expired["exp"] = json!(now - 60);
    let mut wrong_aud = base.clone();
    wrong_aud["aud"] = json!("someone-else");
    let mut wrong_iss = base.clone();
    wrong_iss["iss"] = json!("https://evil.example.com");
    let mut other_tenant = base.clone();
    other_tenant["tid"] = json!(uuid::Uuid::new_v4().to_string());
    let unsigned = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&base)
    );
    let tokens = [
        sign(expired, SECRET),
        sign(base.clone(), "another-secret-another-secret-another-1"),
        sign(wrong_aud, SECRET),
        sign(wrong_iss, SECRET),
        sign(other_tenant, SECRET),
        unsigned,
        "not-a-token".to_owned(),
        "sbk_aaaaaaaaaaaa_forged-api-key".to_owned(),
    ];
    for token in tokens {
        let reply = app.get("/api/v1/me", &token).await;
        reply.problem(401);
    }
    app.call(reqwest::Method::GET, "/api/v1/me", None, None)
        .await
        .problem(401);
}

#[tokio::test]
async fn a_disabled_users_tokens_stop_working_at_once() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let id = app.create_user(&a, "agent@acme.example.com", "agent").await;
    let agent = app.user_token(&a, "agent@acme.example.com").await;
    assert_eq!(app.get("/api/v1/me", &agent).await.status, 200);
    let r = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &a.token,
            json!({"active": false}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    app.get("/api/v1/me", &agent).await.problem(401);
    app.login(Some("acme"), "agent@acme.example.com", ADMIN_PASSWORD)
        .await
        .problem(401);
}
