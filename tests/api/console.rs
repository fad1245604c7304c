//! The server-rendered consoles, driven as a browser without JavaScript would: forms posted
//! with a session cookie and the page's CSRF token.

use serde_json::json;

use crate::helpers::agents::available_agents;
use crate::helpers::console::{browser, console_login, csrf, page, post};
use crate::helpers::widget::{
    answer, publish, sales_dialogue, start_session, straight_to_live_chat,
};
use crate::helpers::{ADMIN_PASSWORD, OPERATOR_EMAIL, OPERATOR_PASSWORD, spawn_app};

#[tokio::test]
async fn an_admin_logs_in_grants_the_permission_and_logs_out() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let agent = app.create_user(&a, "agent@acme.example.com", "agent").await;

    let anonymous = browser();
    let (status, location, _) = post(
        &app,
        &anonymous,
        "/console/login",
        &[
            ("tenant", "acme"),
            ("email", &a.admin_email),
            ("password", "wrong-password"),
        ],
    )
    .await;
    assert_eq!(status, 422, "wrong password shows the form again");
    assert!(location.is_empty());
    let r = anonymous
        .get(app.url("/console/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "no session: to the login page");

    let b = console_login(&app, "acme", &a.admin_email).await;
    let (status, dash) = page(&app, &b, "/console").await;
    assert_eq!(status, 200);
    assert!(
        dash.contains("acme Inc.") && dash.contains("0 / 100"),
        "{dash}"
    );

    let (_, users) = page(&app, &b, "/console/users").await;
    assert!(users.contains("agent@acme.example.com"));
    let token = csrf(&users);
    let (status, location, _) = post(
        &app,
        &b,
        &format!("/console/users/{agent}/live-chat-permission"),
        &[("csrf", &token), ("grant", "true")],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/console/users?notice=granted")
    );
    let user = app.get(&format!("/api/v1/users/{agent}"), &a.token).await;
    assert_eq!(user.body["live_chat_permission"], true);
    let (_, users) = page(&app, &b, "/console/users?notice=granted").await;
    assert!(users.contains("Live-chat permission granted."));
    assert!(users.contains("Revoke live-chat permission of agent"));

    // Revoking is asked first: unconfirmed, the permission stays.
    let revoke = format!("/console/users/{agent}/live-chat-permission");
    let (status, _, asked) = post(&app, &b, &revoke, &[("csrf", &token), ("grant", "false")]).await;
    assert_eq!(status, 200);
    assert!(
        asked.contains("Revoke agent’s live-chat permission?"),
        "{asked}"
    );
    assert_eq!(
        app.get(&format!("/api/v1/users/{agent}"), &a.token)
            .await
            .body["live_chat_permission"],
        true
    );
    let (status, location, _) = post(
        &app,
        &b,
        &revoke,
        &[("csrf", &token), ("grant", "false"), ("confirm", "yes")],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/console/users?notice=revoked")
    );
    assert_eq!(
        app.get(&format!("/api/v1/users/{agent}"), &a.token)
            .await
            .body["live_chat_permission"],
        false
    );

    let (status, location, _) = post(&app, &b, "/console/logout", &[("csrf", &token)]).await;
    assert_eq!((status, location.as_str()), (303, "/console/login"));
    let r = b.get(app.url("/console")).send().await.unwrap();
    assert_eq!(r.status(), 303, "the session ended");
}

#[tokio::test]
async fn forms_without_or_with_a_wrong_csrf_token_change_nothing() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let agent = app.create_user(&a, "agent@acme.example.com", "agent").await;
    let b = console_login(&app, "acme", &a.admin_email).await;
    let path = format!("/console/users/{agent}/live-chat-permission");
    for form in [
        vec![("grant", "true")],
        vec![("csrf", "forged-token"), ("grant", "true")],
        vec![("csrf", ""), ("grant", "true")],
    ] {
        let (status, _, body) = post(&app, &b, &path, &form).await;
        assert_eq!(status, 403);
        assert!(body.contains("Nothing was changed"));
    }
    let (status, _, _) = post(
        &app,
        &b,
        "/console/teams",
        &[("csrf", "nope"), ("name", "Sneaky")],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, _) = post(
        &app,
        &b,
        "/console/settings",
        &[
            ("csrf", "nope"),
            ("global_fallback_message", "x"),
            ("accept_timeout_seconds", "5"),
            ("max_chats_per_agent", "1"),
            ("idle_timeout_minutes", "1"),
        ],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        app.get(&format!("/api/v1/users/{agent}"), &a.token)
            .await
            .body["live_chat_permission"],
        false
    );
    assert_eq!(
        app.get("/api/v1/teams", &a.token).await.body["items"],
        json!([])
    );
    assert_eq!(
        app.get("/api/v1/settings", &a.token).await.body["accept_timeout_seconds"],
        45
    );
    // Another session's token is no better than a forged one.
    let other = console_login(&app, "acme", &a.admin_email).await;
    let (_, other_page) = page(&app, &other, "/console/users").await;
    let (status, _, _) = post(
        &app,
        &b,
        &path,
        &[("csrf", &csrf(&other_page)), ("grant", "true")],
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn creating_users_and_teams_shows_errors_beside_the_field() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let b = console_login(&app, "acme", &a.admin_email).await;
    let (_, users) = page(&app, &b, "/console/users").await;
    let token = csrf(&users);

    let (status, _, body) = post(
        &app,
        &b,
        "/console/users",
        &[
            ("csrf", &token),
            ("email", "not an email"),
            ("display_name", "Zed"),
            ("role", "agent"),
            ("password", ADMIN_PASSWORD),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"email-error\""), "{body}");
    assert!(body.contains("Email must be an email address"));
    assert!(body.contains("value=\"Zed\""), "entered values are kept");
    assert_eq!(
        app.get("/api/v1/users", &a.token).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let (status, location, _) = post(
        &app,
        &b,
        "/console/users",
        &[
            ("csrf", &token),
            ("email", "zed@acme.example.com"),
            ("display_name", "Zed"),
            ("role", "agent"),
            ("password", ADMIN_PASSWORD),
            ("live_chat", "true"),
        ],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/console/users?notice=user-created")
    );
    let list = app.get("/api/v1/users", &a.token).await;
    let zed = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "zed@acme.example.com")
        .expect("created")
        .clone();
    assert_eq!(zed["live_chat_permission"], true);

    let (status, _, body) = post(
        &app,
        &b,
        "/console/users",
        &[
            ("csrf", &token),
            ("email", "zed@acme.example.com"),
            ("display_name", "Zed"),
            ("role", "agent"),
            ("password", ADMIN_PASSWORD),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("A user with this email already exists"));

    // An invited user: the link is shown once on the page.
    let (status, _, body) = post(
        &app,
        &b,
        "/console/users",
        &[
            ("csrf", &token),
            ("email", "inv@acme.example.com"),
            ("display_name", "Inv"),
            ("role", "agent"),
            ("password", ""),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.contains("/console/invitation/"));

    let (status, location, _) = post(
        &app,
        &b,
        "/console/teams",
        &[("csrf", &token), ("name", "Sales")],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/console/teams?notice=team-created")
    );
    let (status, _, body) = post(
        &app,
        &b,
        "/console/teams",
        &[("csrf", &token), ("name", "Sales")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("A team with this name already exists"));
    let team = app.get("/api/v1/teams", &a.token).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let zed_id = zed["id"].as_str().unwrap();
    let (status, _, _) = post(
        &app,
        &b,
        &format!("/console/teams/{team}/members"),
        &[("csrf", &token), ("user_id", zed_id)],
    )
    .await;
    assert_eq!(status, 303);
    let (_, teams) = page(&app, &b, "/console/teams").await;
    assert!(teams.contains("Remove Zed from Sales"), "{teams}");
    assert_eq!(
        app.get(&format!("/api/v1/teams/{team}"), &a.token)
            .await
            .body["member_ids"],
        json!([zed_id])
    );
    // Removing a member is asked first: without the confirmation, nothing changes.
    let remove = format!("/console/teams/{team}/members/{zed_id}/remove");
    let (status, _, asked) = post(&app, &b, &remove, &[("csrf", &token)]).await;
    assert_eq!(status, 200);
    assert!(
        asked.contains("Remove Zed from the team “Sales”?"),
        "{asked}"
    );
    assert!(asked.contains(r#"name="confirm" value="yes""#), "{asked}");
    assert_eq!(
        app.get(&format!("/api/v1/teams/{team}"), &a.token)
            .await
            .body["member_ids"],
        json!([zed_id])
    );
    let (status, location, _) =
        post(&app, &b, &remove, &[("csrf", &token), ("confirm", "yes")]).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/console/teams?notice=team-member-removed")
    );
    assert_eq!(
        app.get(&format!("/api/v1/teams/{team}"), &a.token)
            .await
            .body["member_ids"],
        json!([])
    );
}

#[tokio::test]
async fn settings_are_saved_from_the_form_and_bad_values_change_nothing() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let b = console_login(&app, "acme", &a.admin_email).await;
    let (_, html) = page(&app, &b, "/console/settings").await;
    assert!(html.contains("value=\"45\""));
    let token = csrf(&html);
    let (status, _, body) = post(
        &app,
        &b,
        "/console/settings",
        &[
            ("csrf", &token),
            ("global_fallback_message", "Back soon"),
            ("accept_timeout_seconds", "900"),
            ("max_chats_per_agent", "5"),
            ("idle_timeout_minutes", "10"),
            ("failed_action_recipients", ""),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"accept_timeout_seconds-error\""));
    assert!(body.contains("must be between 1 and 600"));
    let (status, _, body) = post(
        &app,
        &b,
        "/console/settings",
        &[
            ("csrf", &token),
            ("global_fallback_message", "Back soon"),
            ("accept_timeout_seconds", "30"),
            ("max_chats_per_agent", "5"),
            ("idle_timeout_minutes", "10"),
            ("failed_action_recipients", "ok@acme.example.com\nbroken"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"recipients-error\""), "{body}");
    assert_eq!(
        app.get("/api/v1/settings", &a.token).await.body["accept_timeout_seconds"],
        45
    );

    let (status, location, _) = post(
        &app,
        &b,
        "/console/settings",
        &[
            ("csrf", &token),
            ("global_fallback_message", "Back soon"),
            ("accept_timeout_seconds", "30"),
            ("max_chats_per_agent", "5"),
            ("idle_timeout_minutes", "12"),
            (
                "failed_action_recipients",
                "ops@acme.example.com\nsales@acme.example.com",
            ),
        ],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/console/settings?notice=settings-saved")
    );
    let s = app.get("/api/v1/settings", &a.token).await;
    assert_eq!(s.body["accept_timeout_seconds"], 30);
    assert_eq!(s.body["max_chats_per_agent"], 5);
    assert_eq!(s.body["idle_timeout_minutes"], 12);
    assert_eq!(s.body["global_fallback_message"], "Back soon");
    assert_eq!(
        s.body["failed_action_recipients"],
        json!(["ops@acme.example.com", "sales@acme.example.com"])
    );
}

#[tokio::test]
async fn agents_are_kept_out_of_the_console_and_text_is_escaped() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let r = app
        .post("/api/v1/users", &a.token, json!({"email": "x@acme.example.com", "display_name": "<script>alert(1)</script>", "role": "agent", "password": ADMIN_PASSWORD}))
        .await;
    assert_eq!(r.status, 201);
    let admin = console_login(&app, "acme", &a.admin_email).await;
    let (_, users) = page(&app, &admin, "/console/users").await;
    assert!(!users.contains("<script>alert(1)</script>"));
    assert!(
        users.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            || users.contains("&#60;script&#62;"),
        "escaped"
    );

    let agent = browser();
    let (status, _, _) = post(
        &app,
        &agent,
        "/console/login",
        &[
            ("tenant", "acme"),
            ("email", "x@acme.example.com"),
            ("password", ADMIN_PASSWORD),
        ],
    )
    .await;
    assert_eq!(status, 303);
    // Agents work in the inbox: the console sends them there.
    for path in ["/console/users", "/console/conversations", "/console"] {
        let resp = agent.get(app.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), 303, "{path}");
        assert_eq!(resp.headers()["location"], "/inbox", "{path}");
    }
    let (status, inbox) = page(&app, &agent, "/inbox").await;
    assert_eq!(status, 200);
    assert!(inbox.contains("<h1>Inbox"), "{inbox}");
    // The availability form: refused without the session's CSRF token, saved with it.
    let (status, _, _) = post(&app, &agent, "/inbox/availability", &[("status", "away")]).await;
    assert_eq!(status, 403);
    let me = app
        .get(
            "/api/v1/me",
            &app.user_token(&a, "x@acme.example.com").await,
        )
        .await;
    assert_eq!(me.body["availability"], "offline", "{}", me.text);
    let token = csrf(&inbox);
    let (status, location, _) = post(
        &app,
        &agent,
        "/inbox/availability",
        &[("csrf", &token), ("status", "away")],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/inbox"));
    let me = app
        .get(
            "/api/v1/me",
            &app.user_token(&a, "x@acme.example.com").await,
        )
        .await;
    assert_eq!(me.body["availability"], "away", "{}", me.text);
    // Its token for the script is the agent's own.
    let resp = agent.get(app.url("/inbox/token")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().get("access-control-allow-origin").is_none());
    let t: serde_json::Value = resp.json().await.unwrap();
    let me = app
        .get("/api/v1/me", t["access_token"].as_str().unwrap())
        .await;
    assert_eq!(me.body["email"], "x@acme.example.com");
    // Without a session: no token.
    let resp = browser().get(app.url("/inbox/token")).send().await.unwrap();
    assert_eq!(resp.status(), 401);
}

#[tokio::test]
async fn the_operator_creates_tenants_and_changes_plans_in_the_platform_console() {
    let app = spawn_app().await;
    let b = browser();
    let (status, location, _) = post(
        &app,
        &b,
        "/platform/login",
        &[("email", OPERATOR_EMAIL), ("password", OPERATOR_PASSWORD)],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/platform"));
    let (_, html) = page(&app, &b, "/platform").await;
    let token = csrf(&html);

    let form = |slug: &'static str, email: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("name", "Beta Corp".to_owned()),
            ("slug", slug.to_owned()),
            ("plan", "select".to_owned()),
            ("engagement_limit", String::new()),
            ("admin.email", email.to_owned()),
            ("admin.display_name", "Bea".to_owned()),
            ("admin.password", ADMIN_PASSWORD.to_owned()),
        ]
    };
    let bad = form("Beta Corp", "bea@beta.example.com");
    let resp = b
        .post(app.url("/platform/tenants"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let body = resp.text().await.unwrap();
    assert!(body.contains("id=\"slug-error\""), "{body}");
    let bad_email = form("beta", "nope");
    let resp = b
        .post(app.url("/platform/tenants"))
        .form(&bad_email)
        .send()
        .await
        .unwrap();
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("id=\"admin.email-error\"")
    );

    let good = form("beta", "bea@beta.example.com");
    let resp = b
        .post(app.url("/platform/tenants"))
        .form(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let op = app.operator_token().await;
    let tenants = app.get("/api/v1/platform/tenants", &op).await;
    assert_eq!(tenants.body["items"].as_array().unwrap().len(), 1);
    let id = tenants.body["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.login(Some("beta"), "bea@beta.example.com", ADMIN_PASSWORD)
            .await
            .status,
        200
    );

    let (status, _, body) = post(
        &app,
        &b,
        &format!("/platform/tenants/{id}"),
        &[
            ("csrf", &token),
            ("plan", "prime"),
            ("engagement_limit", "lots"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Enter a whole number"), "{body}");
    let (status, _, _) = post(
        &app,
        &b,
        &format!("/platform/tenants/{id}"),
        &[
            ("csrf", &token),
            ("plan", "prime"),
            ("engagement_limit", ""),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let t = app
        .get(&format!("/api/v1/platform/tenants/{id}"), &op)
        .await;
    assert_eq!(t.body["plan"], "prime");
    assert_eq!(t.body["engagement_limit"], serde_json::Value::Null);
    let (status, _, _) = post(
        &app,
        &b,
        &format!("/platform/tenants/{id}"),
        &[("plan", "select"), ("engagement_limit", "5")],
    )
    .await;
    assert_eq!(status, 403, "no CSRF token, no change");
    assert_eq!(
        app.get(&format!("/api/v1/platform/tenants/{id}"), &op)
            .await
            .body["plan"],
        "prime"
    );

    // A tenant admin's session is not an operator's.
    let admin = console_login(&app, "beta", "bea@beta.example.com").await;
    let r = admin.get(app.url("/platform")).send().await.unwrap();
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn routing_rules_are_added_reordered_dry_run_and_deleted_from_the_console() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let agents = available_agents(&app, &a, 1).await;
    let agent = agents[0].0.clone();
    let team = app
        .post("/api/v1/teams", &a.token, json!({"name": "Europe"}))
        .await
        .id();
    let b = console_login(&app, "acme", &a.admin_email).await;
    let (status, html) = page(&app, &b, "/console/routing").await;
    assert_eq!(status, 200);
    let token = csrf(&html);

    let (status, _, body) = post(
        &app,
        &b,
        "/console/routing/rules",
        &[
            ("csrf", &token),
            ("name", "France"),
            ("conditions", "country equals FR"),
            ("target", &format!("agent:{agent}")),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"conditions-error\""), "{body}");
    assert_eq!(
        app.get("/api/v1/routing-rules", &a.token).await.body["items"],
        json!([])
    );

    for (name, conditions, target) in [
        ("France", "country is FR", format!("agent:{agent}")),
        (
            "Europe",
            "country one_of FR, DE, ES",
            format!("team:{team}"),
        ),
    ] {
        let (status, location, body) = post(
            &app,
            &b,
            "/console/routing/rules",
            &[
                ("csrf", &token),
                ("name", name),
                ("conditions", conditions),
                ("target", &target),
            ],
        )
        .await;
        assert_eq!(
            (status, location.as_str()),
            (303, "/console/routing?notice=rule-created"),
            "{body}"
        );
    }
    let rules = app.get("/api/v1/routing-rules", &a.token).await;
    let europe = rules.body["items"][1]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        rules.body["items"][1]["conditions"][0]["values"],
        json!(["FR", "DE", "ES"])
    );
    let (status, _, _) = post(
        &app,
        &b,
        &format!("/console/routing/rules/{europe}/move"),
        &[("csrf", &token), ("direction", "up")],
    )
    .await;
    assert_eq!(status, 303);
    let rules = app.get("/api/v1/routing-rules", &a.token).await;
    assert_eq!(rules.body["items"][0]["name"], "Europe", "moved up");

    let (status, _, body) = post(
        &app,
        &b,
        "/console/routing/dry-run",
        &[
            ("csrf", &token),
            ("mode", "custom_rules"),
            ("country", "US"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.contains("no routing rule matched"), "{body}");
    let (_, _, body) = post(
        &app,
        &b,
        "/console/routing/dry-run",
        &[
            ("csrf", &token),
            ("mode", &format!("agent:{agent}")),
            ("country", ""),
        ],
    )
    .await;
    assert!(body.contains("agent0 would be offered the chat."), "{body}");

    let (status, _, _) = post(
        &app,
        &b,
        &format!("/console/routing/rules/{europe}/delete"),
        &[("csrf", "wrong")],
    )
    .await;
    assert_eq!(status, 403);
    // Deleting is asked first; unconfirmed, the rule stays.
    let (status, _, asked) = post(
        &app,
        &b,
        &format!("/console/routing/rules/{europe}/delete"),
        &[("csrf", &token)],
    )
    .await;
    assert_eq!(status, 200);
    assert!(asked.contains("Delete the rule “Europe”?"), "{asked}");
    assert_eq!(
        app.get("/api/v1/routing-rules", &a.token).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let (status, _, _) = post(
        &app,
        &b,
        &format!("/console/routing/rules/{europe}/delete"),
        &[("csrf", &token), ("confirm", "yes")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        app.get("/api/v1/routing-rules", &a.token).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn failed_chats_and_conversations_are_listed_in_the_console_with_visitor_text_escaped() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    // Nobody available: the visitor's request fails with no_agent_available.
    let key = publish(&app, &a, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let s = start_session(&app, json!({"widget_key": key}), Some("FR")).await;
    answer(&app, &s.body, json!({"card_id": "ask", "choice": "yes"})).await;
    let r = answer(
        &app,
        &s.body,
        json!({"card_id": "form", "fields": {"first_name": "<b>Eve</b>", "email": "eve@example.com"}}),
    )
    .await;
    assert_eq!(r.body["status"], "fallback", "{}", r.text);
    let admin = console_login(&app, "acme", &a.admin_email).await;
    let (status, html) = page(&app, &admin, "/console/failed-actions").await;
    assert_eq!(status, 200);
    assert!(html.contains("no agent was available"), "{html}");
    assert!(
        html.contains("&lt;b&gt;Eve&lt;/b&gt;") || html.contains("&#60;b&#62;Eve"),
        "{html}"
    );
    assert!(!html.contains("<b>Eve</b>"));
    let (status, list) = page(&app, &admin, "/console/conversations?status=fallback").await;
    assert_eq!(status, 200);
    assert!(
        list.contains(s.body["conversation_id"].as_str().unwrap()),
        "{list}"
    );
    let (status, detail) = page(
        &app,
        &admin,
        &format!(
            "/console/conversations/{}",
            s.body["conversation_id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        detail.contains("Fallback: no agent was available"),
        "{detail}"
    );
    assert!(!detail.contains("<b>Eve</b>"));
    // A made-up or malformed id is a page saying so, not an error.
    let (status, _) = page(&app, &admin, "/console/conversations/not-a-uuid").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn webhooks_are_added_listed_replayed_and_deleted_in_the_console() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let admin = console_login(&app, "acme", &a.admin_email).await;
    let (_, html) = page(&app, &admin, "/console/webhooks").await;
    let token = csrf(&html);
    let url = "https://hooks.example.com/switchboard";
    // Without the CSRF token: refused, nothing added.
    let (status, _, _) = post(
        &app,
        &admin,
        "/console/webhooks",
        &[("url", url), ("event_conversation_fallback", "on")],
    )
    .await;
    assert_eq!(status, 403);
    // A loopback URL: the message beside the field, nothing added.
    let (status, _, html) = post(
        &app,
        &admin,
        "/console/webhooks",
        &[
            ("csrf", &token),
            ("url", "http://127.0.0.1/x"),
            ("event_conversation_fallback", "on"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="url-error""#), "{html}");
    assert_eq!(
        app.get("/api/v1/webhooks", &a.token).await.body["items"],
        json!([])
    );
    // A good one: its secret is shown once.
    let (status, _, html) = post(
        &app,
        &admin,
        "/console/webhooks",
        &[
            ("csrf", &token),
            ("url", url),
            ("event_conversation_fallback", "on"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("whsec_"), "{html}");
    let hooks = app.get("/api/v1/webhooks", &a.token).await;
    let hook = hooks.body["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        hooks.body["items"][0]["events"],
        json!(["conversation.fallback"])
    );
    let (_, listed) = page(&app, &admin, "/console/webhooks").await;
    assert!(listed.contains(url) && !listed.contains("whsec_"));

    // A failed chat makes a delivery (its receiver cannot be reached from here); replay it.
    let key = publish(&app, &a, straight_to_live_chat()).await;
    start_session(&app, json!({"widget_key": key}), None).await;
    let (status, detail) = page(&app, &admin, &format!("/console/webhooks/{hook}")).await;
    assert_eq!(status, 200);
    assert!(
        detail.contains("A chat fell back (no agent took it)"),
        "{detail}"
    );
    let log = app
        .get(&format!("/api/v1/webhooks/{hook}/deliveries"), &a.token)
        .await;
    let delivery = log.body["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, location, _) = post(
        &app,
        &admin,
        &format!("/console/webhooks/{hook}/deliveries/{delivery}/replay"),
        &[("csrf", &token)],
    )
    .await;
    assert_eq!(
        (status, location),
        (
            303,
            format!("/console/webhooks/{hook}?notice=webhook-replayed")
        )
    );
    let log = app
        .get(&format!("/api/v1/webhooks/{hook}/deliveries"), &a.token)
        .await;
    assert_eq!(
        log.body["items"][0]["replay_of"],
        delivery.as_str(),
        "{}",
        log.text
    );
    // Made-up ids are a page saying so.
    let (status, _, _) = post(
        &app,
        &admin,
        &format!("/console/webhooks/{hook}/deliveries/not-an-id/replay"),
        &[("csrf", &token)],
    )
    .await;
    assert_eq!(status, 404);
    // Delete: without the confirmation the question comes first, and nothing is deleted.
    let (status, _, asked) = post(
        &app,
        &admin,
        &format!("/console/webhooks/{hook}/delete"),
        &[("csrf", &token)],
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        asked.contains(&format!("Delete the webhook to {url}?"))
            && asked.contains(r#"name="confirm" value="yes""#),
        "{asked}"
    );
    assert_eq!(
        app.get("/api/v1/webhooks", &a.token).await.body["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let (status, location, _) = post(
        &app,
        &admin,
        &format!("/console/webhooks/{hook}/delete"),
        &[("csrf", &token), ("confirm", "yes")],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/console/webhooks?notice=webhook-deleted")
    );
    assert_eq!(
        app.get("/api/v1/webhooks", &a.token).await.body["items"],
        json!([])
    );
}
