//! Routing rules, availability and the dry run, through the API.

use serde_json::{Value, json};

use crate::helpers::{Tenant, TestApp, spawn_app};

async fn agent(app: &TestApp, t: &Tenant, email: &str, status: Option<&str>) -> String {
    let id = app.create_user(t, email, "agent").await;
    app.put(
        &format!("/api/v1/users/{id}/live-chat-permission"),
        &t.token,
    )
    .await;
    if let Some(status) = status {
        let token = app.user_token(t, email).await;
        let r = app
            .call(
                reqwest::Method::PUT,
                "/api/v1/me/availability",
                Some(&token),
                Some(json!({"status": status})),
            )
            .await;
        assert_eq!(r.body["status"], status, "{}", r.text);
    }
    id
}

async fn dry_run(app: &TestApp, t: &Tenant, routing: Value, visitor: Value) -> Value {
    let r = app
        .post(
            "/api/v1/routing/dry-run",
            &t.token,
            json!({"routing": routing, "visitor": visitor}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

#[tokio::test]
async fn a_dry_run_names_the_next_agent_explains_the_skips_and_changes_nothing() {
    let app = spawn_app().await;
    let t = app.create_tenant("acme").await;
    let away = agent(&app, &t, "away@acme.example.com", Some("away")).await;
    let absent = agent(&app, &t, "absent@acme.example.com", None).await;
    let here = agent(&app, &t, "here@acme.example.com", Some("available")).await;
    let mut ids = [away.clone(), absent.clone(), here.clone()];
    ids.sort();
    let first = dry_run(&app, &t, json!({"mode": "round_robin"}), json!({})).await;
    assert_eq!(first["would_offer"]["id"], here.as_str(), "{first}");
    assert_eq!(first["fallback_reason"], Value::Null);
    assert_eq!(first["trace"]["mode"], "round_robin");
    let considered = first["trace"]["considered"].as_array().unwrap();
    let reason = |id: &str| {
        considered
            .iter()
            .find(|c| c["agent_id"] == id)
            .map(|c| c["skipped"].clone())
    };
    assert_eq!(reason(&away), Some(json!("away")));
    assert_eq!(reason(&absent), Some(json!("offline")));
    assert_eq!(reason(&here), Some(Value::Null));
    let second = dry_run(&app, &t, json!({"mode": "round_robin"}), json!({})).await;
    assert_eq!(second, first, "a dry run takes no turn and no load");

    // A named agent without the permission is skipped with that reason.
    let no_perm = app.create_user(&t, "np@acme.example.com", "agent").await;
    let r = dry_run(
        &app,
        &t,
        json!({"mode": "agent", "agent_id": no_perm}),
        json!({}),
    )
    .await;
    assert_eq!(r["would_offer"], Value::Null);
    assert_eq!(r["fallback_reason"], "no_agent_available");
    assert_eq!(r["trace"]["considered"][0]["skipped"], "no_permission");
}

#[tokio::test]
async fn custom_rules_are_tried_in_position_order_and_the_first_match_wins() {
    let app = spawn_app().await;
    let t = app.create_tenant("acme").await;
    let fr = agent(&app, &t, "fr@acme.example.com", Some("available")).await;
    let eu = agent(&app, &t, "eu@acme.example.com", Some("available")).await;
    let team = app
        .post("/api/v1/teams", &t.token, json!({"name": "Europe"}))
        .await
        .id();
    app.put(&format!("/api/v1/teams/{team}/members/{eu}"), &t.token)
        .await;

    let europe = app
        .post("/api/v1/routing-rules", &t.token, json!({"name": "Europe", "position": 20,
            "conditions": [{"field": "country", "operator": "one_of", "values": ["FR", "DE", "ES"]}],
            "target": {"kind": "team", "id": team}}))
        .await;
    assert_eq!(europe.status, 201, "{}", europe.text);
    let paris = app
        .post(
            "/api/v1/routing-rules",
            &t.token,
            json!({"name": "Paris pricing", "position": 10,
            "conditions": [{"field": "city", "operator": "is", "values": ["paris"]},
                           {"field": "page_url", "operator": "contains", "values": ["/pricing"]}],
            "target": {"kind": "agent", "id": fr}}),
        )
        .await;
    assert_eq!(paris.status, 201, "{}", paris.text);
    let list = app.get("/api/v1/routing-rules", &t.token).await;
    let names: Vec<_> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("Paris pricing"), json!("Europe")]);

    let rules = json!({"mode": "custom_rules"});
    let r = dry_run(
        &app,
        &t,
        rules.clone(),
        json!({"country": "FR", "city": "Paris", "page_url": "https://acme.example.com/pricing"}),
    )
    .await;
    assert_eq!(r["would_offer"]["id"], fr.as_str(), "{r}");
    assert_eq!(r["trace"]["rule_matched"]["name"], "Paris pricing");
    let r = dry_run(
        &app,
        &t,
        rules.clone(),
        json!({"country": "fr", "city": "Lyon"}),
    )
    .await;
    assert_eq!(r["would_offer"]["id"], eu.as_str());
    assert_eq!(r["trace"]["rule_matched"]["name"], "Europe");
    let r = dry_run(&app, &t, rules.clone(), json!({"country": "US"})).await;
    assert_eq!(r["would_offer"], Value::Null);
    assert_eq!(r["fallback_reason"], "no_rule_matched");
    assert_eq!(
        r["trace"]["outcome"],
        json!({"status": "fallback", "reason": "no_rule_matched"})
    );

    // Reorder: Europe first now catches the Paris visitor too.
    let moved = app
        .patch(
            &format!("/api/v1/routing-rules/{}", europe.id()),
            &t.token,
            json!({"position": 5}),
        )
        .await;
    assert_eq!(moved.body["position"], 5, "{}", moved.text);
    let r = dry_run(
        &app,
        &t,
        rules.clone(),
        json!({"country": "FR", "city": "Paris", "page_url": "/pricing"}),
    )
    .await;
    assert_eq!(r["trace"]["rule_matched"]["name"], "Europe");
    assert_eq!(
        app.delete(&format!("/api/v1/routing-rules/{}", europe.id()), &t.token)
            .await
            .status,
        204
    );
    let r = dry_run(&app, &t, rules, json!({"country": "FR", "city": "Lyon"})).await;
    assert_eq!(r["fallback_reason"], "no_rule_matched");

    let audit = app.get("/api/v1/audit-log", &t.token).await;
    let actions: Vec<_> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "routing_rule.created",
        "routing_rule.updated",
        "routing_rule.deleted",
    ] {
        assert!(actions.contains(&a), "{a} missing");
    }
}

#[tokio::test]
async fn bad_rules_and_routings_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let t = app.create_tenant("acme").await;
    let other = app.create_tenant("beta").await;
    let team = app
        .post("/api/v1/teams", &t.token, json!({"name": "Sales"}))
        .await
        .id();
    let good = json!({"name": "R", "conditions": [{"field": "country", "operator": "is", "values": ["FR"]}], "target": {"kind": "team", "id": team}});
    let cases = [
        (
            "/conditions/0/field",
            json!("ip_address"),
            "conditions[0].field",
        ),
        (
            "/conditions/0/operator",
            json!("matches"),
            "conditions[0].operator",
        ),
        ("/conditions/0/values", json!([]), "conditions[0].values"),
        ("/target/kind", json!("queue"), "target.kind"),
        ("/target/id", json!(other.admin_id), "target.id"),
        ("/name", json!(" "), "name"),
    ];
    for (pointer, value, field) in cases {
        let mut body = good.clone();
        *body.pointer_mut(pointer).unwrap() = value;
        let r = app.post("/api/v1/routing-rules", &t.token, body).await;
        assert_eq!(r.problem(422)["field"], field, "{pointer}");
    }
    assert_eq!(
        app.get("/api/v1/routing-rules", &t.token).await.body["items"],
        json!([])
    );

    let r = app
        .post(
            "/api/v1/routing/dry-run",
            &t.token,
            json!({"routing": {"mode": "team"}}),
        )
        .await;
    assert_eq!(r.problem(422)["field"], "routing.team_id");
    let r = app
        .post(
            "/api/v1/routing/dry-run",
            &t.token,
            json!({"routing": {"mode": "agent", "agent_id": other.admin_id}}),
        )
        .await;
    assert_eq!(r.problem(422)["field"], "routing.agent_id");
    let r = app
        .post(
            "/api/v1/routing/dry-run",
            &t.token,
            json!({"routing": {"mode": "lottery"}}),
        )
        .await;
    assert_eq!(r.problem(422)["field"], "routing.mode");

    let r = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/me/availability",
            Some(&t.token),
            Some(json!({"status": "busy"})),
        )
        .await;
    assert_eq!(r.problem(422)["field"], "status");
    let key = app
        .post("/api/v1/api-keys", &t.token, json!({"name": "k"}))
        .await
        .body["key"]
        .as_str()
        .unwrap()
        .to_owned();
    app.call(
        reqwest::Method::PUT,
        "/api/v1/me/availability",
        Some(&key),
        Some(json!({"status": "available"})),
    )
    .await
    .problem(403);
}
