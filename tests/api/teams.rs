//! Teams and their members.

use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn teams_are_created_renamed_given_members_and_deleted() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let u1 = app.create_user(&a, "one@acme.example.com", "agent").await;
    let u2 = app.create_user(&a, "two@acme.example.com", "agent").await;

    let team = app
        .post("/api/v1/teams", &a.token, json!({"name": "Sales EMEA"}))
        .await;
    assert_eq!(team.status, 201, "{}", team.text);
    let id = team.id();
    app.post("/api/v1/teams", &a.token, json!({"name": "Sales EMEA"}))
        .await
        .problem(409);
    app.post("/api/v1/teams", &a.token, json!({"name": "  "}))
        .await
        .problem(422);

    for u in [&u1, &u2, &u1] {
        let r = app
            .put(&format!("/api/v1/teams/{id}/members/{u}"), &a.token)
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let got = app.get(&format!("/api/v1/teams/{id}"), &a.token).await;
    assert_eq!(
        got.body["member_ids"],
        json!([u1, u2]),
        "members in joining order, no duplicate"
    );

    let renamed = app
        .patch(
            &format!("/api/v1/teams/{id}"),
            &a.token,
            json!({"name": "Sales Europe"}),
        )
        .await;
    assert_eq!(renamed.body["name"], "Sales Europe");
    let removed = app
        .delete(&format!("/api/v1/teams/{id}/members/{u1}"), &a.token)
        .await;
    assert_eq!(removed.body["member_ids"], json!([u2]));
    app.put(
        &format!("/api/v1/teams/{id}/members/{}", uuid::Uuid::new_v4()),
        &a.token,
    )
    .await
    .problem(404);

    let list = app.get("/api/v1/teams", &a.token).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.delete(&format!("/api/v1/teams/{id}"), &a.token)
            .await
            .status,
        204
    );
    app.get(&format!("/api/v1/teams/{id}"), &a.token)
        .await
        .problem(404);
    // The members are still users.
    assert_eq!(
        app.get(&format!("/api/v1/users/{u2}"), &a.token)
            .await
            .status,
        200
    );

    let audit = app.get("/api/v1/audit-log", &a.token).await;
    let actions: Vec<_> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for expected in [
        "team.created",
        "team.renamed",
        "team.member_added",
        "team.member_removed",
        "team.deleted",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
}

#[tokio::test]
async fn a_user_of_another_tenant_cannot_join_a_team() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let b = app.create_tenant("beta").await;
    let team = app
        .post("/api/v1/teams", &a.token, json!({"name": "Sales"}))
        .await
        .id();
    app.put(
        &format!("/api/v1/teams/{team}/members/{}", b.admin_id),
        &a.token,
    )
    .await
    .problem(404);
    assert_eq!(
        app.get(&format!("/api/v1/teams/{team}"), &a.token)
            .await
            .body["member_ids"],
        json!([])
    );
}
