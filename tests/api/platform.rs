//! The platform operator: tenants, plans and the upgrade path.

use serde_json::json;

use crate::helpers::{ADMIN_PASSWORD, spawn_app};

#[tokio::test]
async fn the_operator_creates_a_tenant_whose_admin_can_log_in() {
    let app = spawn_app().await;
    let op = app.operator_token().await;
    let reply = app
        .post(
            "/api/v1/platform/tenants",
            &op,
            json!({"name": "Acme", "slug": "acme", "plan": "select",
                   "admin": {"email": "Ana@Acme.example.com", "display_name": "Ana", "password": ADMIN_PASSWORD}}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["slug"], "acme");
    assert_eq!(reply.body["plan"], "select");
    assert_eq!(
        reply.body["engagement_limit"], 100,
        "select starts with the default limit"
    );
    assert_eq!(reply.body["engagements_used"], 0);
    assert_eq!(reply.body["admin"]["email"], "ana@acme.example.com");
    assert_eq!(reply.body["admin"]["role"], "owner");
    let login = app
        .login(Some("acme"), "ana@acme.example.com", ADMIN_PASSWORD)
        .await;
    assert_eq!(login.status, 200, "{}", login.text);

    let list = app.get("/api/v1/platform/tenants", &op).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["next_cursor"], serde_json::Value::Null);
}

#[tokio::test]
async fn the_operator_upgrades_a_tenant_and_the_change_is_audited() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let op = app.operator_token().await;
    let path = format!("/api/v1/platform/tenants/{}", a.id);

    let raised = app
        .patch(&path, &op, json!({"engagement_limit": 500}))
        .await;
    assert_eq!(raised.body["engagement_limit"], 500, "{}", raised.text);
    assert_eq!(raised.body["plan"], "select", "absent plan is unchanged");

    let upgraded = app
        .patch(
            &path,
            &op,
            json!({"plan": "prime", "engagement_limit": null}),
        )
        .await;
    assert_eq!(upgraded.status, 200, "{}", upgraded.text);
    assert_eq!(upgraded.body["plan"], "prime");
    assert_eq!(upgraded.body["engagement_limit"], serde_json::Value::Null);

    let usage = app.get("/api/v1/usage", &a.token).await;
    assert_eq!(usage.body["plan"], "prime");
    assert_eq!(usage.body["engagement_limit"], serde_json::Value::Null);
    assert_eq!(usage.body["engagements_used"], 0);

    let audit = app.get("/api/v1/audit-log", &a.token).await;
    let actions: Vec<_> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| *a == "plan.changed").count(),
        2,
        "{actions:?}"
    );
    assert_eq!(audit.body["items"][0]["actor"]["kind"], "operator");
    assert_eq!(audit.body["items"][0]["details"]["plan"]["to"], "prime");
}

#[tokio::test]
async fn bad_tenant_input_is_refused_and_creates_nothing() {
    let app = spawn_app().await;
    app.create_tenant("acme").await;
    let op = app.operator_token().await;
    let good = json!({"name": "Beta", "slug": "beta", "plan": "select",
        "admin": {"email": "a@beta.example.com", "display_name": "A", "password": ADMIN_PASSWORD}});
    let cases = [
        ("slug", json!("acme"), 409),
        ("slug", json!("Not A Slug"), 422),
        ("plan", json!("gold"), 422),
        ("engagement_limit", json!(0), 422),
        ("engagement_limit", json!(-5), 422),
    ];
    for (field, value, status) in cases {
        let mut body = good.clone();
        body[field] = value;
        let reply = app.post("/api/v1/platform/tenants", &op, body).await;
        assert_eq!(reply.problem(status)["field"], field, "{}", reply.text);
    }
    let mut bad_email = good.clone();
    bad_email["admin"]["email"] = json!("not-an-email");
    let reply = app.post("/api/v1/platform/tenants", &op, bad_email).await;
    assert_eq!(reply.problem(422)["field"], "admin.email");
    let mut short_pw = good.clone();
    short_pw["admin"]["password"] = json!("short");
    assert_eq!(
        app.post("/api/v1/platform/tenants", &op, short_pw)
            .await
            .problem(422)["field"],
        "admin.password"
    );

    let list = app.get("/api/v1/platform/tenants", &op).await;
    assert_eq!(
        list.body["items"].as_array().unwrap().len(),
        1,
        "nothing was created"
    );
    app.patch(
        &format!("/api/v1/platform/tenants/{}", uuid::Uuid::new_v4()),
        &op,
        json!({"plan": "prime"}),
    )
    .await
    .problem(404);
}

#[tokio::test]
async fn tenant_users_cannot_use_the_platform_operations() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    app.get("/api/v1/platform/tenants", &a.token)
        .await
        .problem(403);
    app.patch(
        &format!("/api/v1/platform/tenants/{}", a.id),
        &a.token,
        json!({"engagement_limit": null}),
    )
    .await
    .problem(403);
    let usage = app.get("/api/v1/usage", &a.token).await;
    assert_eq!(usage.body["engagement_limit"], 100, "unchanged");
}
