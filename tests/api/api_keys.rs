//! Tenant API keys: shown once, stored hashed, accepted as Bearer, revocable.

use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn an_api_key_is_shown_once_works_as_an_admin_and_stops_when_revoked() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let created = app
        .post("/api/v1/api-keys", &a.token, json!({"name": "CRM sync"}))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let key = created.body["key"].as_str().unwrap().to_owned();
    let prefix = created.body["prefix"].as_str().unwrap().to_owned();
    assert!(key.starts_with(&prefix));

    let list = app.get("/api/v1/api-keys", &a.token).await;
    assert!(!list.text.contains(&key), "the secret is never listed");
    assert_eq!(list.body["items"][0]["prefix"], prefix.as_str());

    // The key acts as an admin of its tenant.
    let users = app.get("/api/v1/users", &key).await;
    assert_eq!(users.status, 200, "{}", users.text);
    let team = app
        .post("/api/v1/teams", &key, json!({"name": "via key"}))
        .await;
    assert_eq!(team.status, 201);
    let audit = app.get("/api/v1/audit-log", &a.token).await;
    assert_eq!(audit.body["items"][0]["actor"]["kind"], "api_key");
    assert!(
        audit.body["items"][0]["actor"]["label"]
            .as_str()
            .unwrap()
            .contains(&prefix)
    );
    let list = app.get("/api/v1/api-keys", &a.token).await;
    assert!(
        !list.body["items"][0]["last_used_at"].is_null(),
        "use is recorded"
    );

    // A key cannot make owners.
    app.post("/api/v1/users", &key, json!({"email": "o@acme.example.com", "display_name": "O", "role": "owner", "password": "owner-password-1"}))
        .await
        .problem(403);

    let id = created.id();
    assert_eq!(
        app.delete(&format!("/api/v1/api-keys/{id}"), &a.token)
            .await
            .status,
        204
    );
    app.get("/api/v1/users", &key).await.problem(401);
    app.delete(&format!("/api/v1/api-keys/{id}"), &a.token)
        .await
        .problem(404);
    let tampered = format!("{key}x");
    app.get("/api/v1/users", &tampered).await.problem(401);
}
