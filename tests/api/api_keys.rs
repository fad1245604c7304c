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

/// Keys carry scopes (issue 15): `read` reads outside the admin areas, `write` also acts on
/// conversations, `admin` does all; a key cannot make a key with more than its own. A key
/// may expire; an expired key is refused. The first use of a key in an hour is audited.
#[tokio::test]
async fn scoped_and_expiring_keys_do_only_what_they_may() {
    let app = crate::helpers::spawn_app().await;
    let t = app.create_tenant("scoped").await;
    let make = |body: serde_json::Value| {
        let app = &app;
        let token = t.token.clone();
        async move { app.post("/api/v1/api-keys", &token, body).await }
    };
    let read = make(serde_json::json!({"name": "reporting", "scopes": ["read"]})).await;
    assert_eq!(read.status, 201, "{}", read.text);
    assert_eq!(read.body["scopes"], serde_json::json!(["read"]));
    let read = read.body["key"].as_str().unwrap().to_owned();
    let write = make(serde_json::json!({"name": "bot", "scopes": ["write"]})).await;
    let write = write.body["key"].as_str().unwrap().to_owned();
    let admin = make(serde_json::json!({"name": "ops"})).await;
    assert_eq!(
        admin.body["scopes"],
        serde_json::json!(["admin"]),
        "the default"
    );
    let admin = admin.body["key"].as_str().unwrap().to_owned();

    // Reading conversations: every key. Settings, changes of users: admin only.
    for key in [&read, &write, &admin] {
        assert_eq!(app.get("/api/v1/conversations", key).await.status, 200);
    }
    for key in [&read, &write] {
        let p = app
            .patch(
                "/api/v1/settings",
                key,
                serde_json::json!({"accept_timeout_seconds": 30}),
            )
            .await;
        assert!(
            p.problem(403)["detail"]
                .as_str()
                .unwrap()
                .contains("admin scope")
        );
        app.get("/api/v1/audit-log", key).await.problem(403);
        app.post("/api/v1/api-keys", key, serde_json::json!({"name": "x"}))
            .await
            .problem(403);
    }
    assert_eq!(
        app.patch(
            "/api/v1/settings",
            &admin,
            serde_json::json!({"accept_timeout_seconds": 30})
        )
        .await
        .status,
        200
    );
    // Acting on a conversation: write (the call itself is a 404 for an unknown id, so the
    // scope let it through); read is refused before.
    let unknown = "/api/v1/conversations/00000000-0000-0000-0000-000000000000/end";
    app.post(unknown, &read, serde_json::json!({}))
        .await
        .problem(403);
    app.post(unknown, &write, serde_json::json!({}))
        .await
        .problem(404);

    // Bad input: no scope, an unknown one, an expiry in the past or too far.
    for bad in [
        serde_json::json!({"name": "x", "scopes": []}),
        serde_json::json!({"name": "x", "expires_at": "2000-01-01T00:00:00Z"}),
        serde_json::json!({"name": "x", "expires_at": "2099-01-01T00:00:00Z"}),
    ] {
        let r = make(bad.clone()).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.text);
    }
    let unknown_scope = make(serde_json::json!({"name": "x", "scopes": ["root"]})).await;
    assert!(
        unknown_scope.status.is_client_error(),
        "{}",
        unknown_scope.text
    );

    // An expiring key works until then, and not after.
    let soon = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let expiring =
        make(serde_json::json!({"name": "temp", "scopes": ["read"], "expires_at": soon})).await;
    assert_eq!(expiring.status, 201, "{}", expiring.text);
    assert!(expiring.body["expires_at"].is_string());
    let key = expiring.body["key"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/v1/conversations", &key).await.status, 200);
    {
        use sea_orm::{ActiveModelTrait, EntityTrait, Set};
        let id = uuid::Uuid::parse_str(expiring.body["id"].as_str().unwrap()).unwrap();
        let mut k: switchboard_store::api_keys::ActiveModel =
            switchboard_store::api_keys::Entity::find_by_id(id)
                .one(app.service.db())
                .await
                .unwrap()
                .unwrap()
                .into();
        k.expires_at = Set(Some(
            switchboard_store::now() - chrono::Duration::seconds(1),
        ));
        k.update(app.service.db()).await.unwrap();
    }
    let expired = app.get("/api/v1/conversations", &key).await;
    assert!(
        expired.problem(401)["detail"]
            .as_str()
            .unwrap()
            .contains("expired")
    );

    // Key use is audited (once an hour per key).
    let log = app.get("/api/v1/audit-log?limit=200", &t.token).await;
    assert!(log.text.contains("api_key.used"), "{}", log.text);
}

#[tokio::test]
async fn the_console_makes_a_read_only_key_that_expires() {
    use crate::helpers::console::{console_login, csrf, page, post};
    let app = crate::helpers::spawn_app().await;
    let t = app.create_tenant("console-keys").await;
    let b = console_login(&app, "console-keys", &t.admin_email).await;
    let (_, html) = page(&app, &b, "/console/api-keys").await;
    let (status, _, body) = post(
        &app,
        &b,
        "/console/api-keys",
        &[
            ("csrf", &csrf(&html)),
            ("name", "reports"),
            ("access", "read"),
            ("expires_days", "30"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.contains("<td>read</td>"), "{body}");
    let listed = app.get("/api/v1/api-keys", &t.token).await;
    assert_eq!(
        listed.body["items"][0]["scopes"],
        serde_json::json!(["read"])
    );
    let expires: chrono::DateTime<chrono::Utc> = listed.body["items"][0]["expires_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let days = (expires - chrono::Utc::now()).num_days();
    assert!((29..=30).contains(&days), "{days}");
}
