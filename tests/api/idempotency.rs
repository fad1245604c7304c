//! `Idempotency-Key` on creating calls.

use serde_json::json;

use crate::helpers::{Reply, TestApp, spawn_app};

async fn post_with_key(
    app: &TestApp,
    token: &str,
    key: &str,
    body: serde_json::Value,
) -> (Reply, bool) {
    let resp = app
        .client
        .post(app.url("/api/v1/teams"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    let replayed = resp.headers().get("Idempotent-Replayed").is_some();
    (TestApp::reply(resp).await, replayed)
}

#[tokio::test]
async fn a_retried_create_with_the_same_key_creates_once_and_answers_the_same() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let (first, replayed) = post_with_key(&app, &a.token, "k-1", json!({"name": "Sales"})).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert!(!replayed);
    let (second, replayed) = post_with_key(&app, &a.token, "k-1", json!({"name": "Sales"})).await;
    assert_eq!(second.status, 201);
    assert!(replayed);
    assert_eq!(first.body, second.body);
    let list = app.get("/api/v1/teams", &a.token).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);

    // The same key with another body is refused; a failed request frees its key.
    let (other, _) = post_with_key(&app, &a.token, "k-1", json!({"name": "Support"})).await;
    let problem = other.problem(409);
    assert_eq!(problem["field"], "Idempotency-Key");
    assert_eq!(
        problem["type"],
        "https://switchboard.dev/problems/idempotency-key-reused"
    );
    let (dup, _) = post_with_key(&app, &a.token, "k-2", json!({"name": "Sales"})).await;
    dup.problem(409);
    let (retry, replayed) = post_with_key(&app, &a.token, "k-2", json!({"name": "Support"})).await;
    assert_eq!(retry.status, 201, "{}", retry.text);
    assert!(!replayed);

    // Keys are per tenant: another tenant's identical key is its own.
    let b = app.create_tenant("beta").await;
    let (theirs, replayed) = post_with_key(&app, &b.token, "k-1", json!({"name": "Sales"})).await;
    assert_eq!(theirs.status, 201);
    assert!(!replayed);
    assert_ne!(theirs.body["id"], first.body["id"]);
}
