//! The console pages an admin runs the workspace with, driven as a browser without
//! JavaScript would: API keys (shown once, revoked), the audit log, one user's page (name,
//! role, disabled, profile image), and the dashboard's live figures.

use crate::helpers::console::{console_login, csrf, page, post};
use crate::helpers::widget::{waiting_visitor, walk_to_live_chat};
use crate::helpers::{spawn_app, tiny_png};

#[tokio::test]
async fn an_api_key_is_shown_once_works_and_stops_working_when_revoked() {
    let app = spawn_app().await;
    let t = app.create_tenant("keys").await;
    let admin = console_login(&app, &t.slug, &t.admin_email).await;
    let (status, html) = page(&app, &admin, "/console/api-keys").await;
    assert_eq!(status, 200);
    let token = csrf(&html);

    // A blank name is refused beside the field; nothing is created.
    let (status, _, html) = post(
        &app,
        &admin,
        "/console/api-keys",
        &[("csrf", &token), ("name", "  ")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="name-error""#), "{html}");
    assert_eq!(
        app.get("/api/v1/api-keys", &t.token).await.body["items"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );

    let (status, _, html) = post(
        &app,
        &admin,
        "/console/api-keys",
        &[("csrf", &token), ("name", "CRM sync")],
    )
    .await;
    assert_eq!(status, 200);
    let marker = r#"id="secret" type="text" readonly value=""#;
    let start = html.find(marker).expect("the new key is shown") + marker.len();
    let secret = html[start..].split('"').next().unwrap().to_owned();
    assert!(secret.starts_with("sbk_"), "{secret}");
    assert_eq!(app.get("/api/v1/users", &secret).await.status, 200);
    let (_, again) = page(&app, &admin, "/console/api-keys").await;
    assert!(!again.contains(&secret), "the key is shown once");
    assert!(again.contains("CRM sync"));

    // Revoked: the key no longer works, and the audit log tells both.
    let id = app.get("/api/v1/api-keys", &t.token).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Without the confirmation the question comes first, and the key still works.
    let (status, _, asked) = post(
        &app,
        &admin,
        &format!("/console/api-keys/{id}/revoke"),
        &[("csrf", &token)],
    )
    .await;
    assert_eq!(status, 200);
    assert!(asked.contains("Revoke the key CRM sync?"), "{asked}");
    assert_eq!(app.get("/api/v1/users", &secret).await.status, 200);
    let (status, location, _) = post(
        &app,
        &admin,
        &format!("/console/api-keys/{id}/revoke"),
        &[("csrf", &token), ("confirm", "yes")],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/console/api-keys?notice=revoked-key")
    );
    assert_eq!(app.get("/api/v1/users", &secret).await.status, 401);
    let (status, log) = page(&app, &admin, "/console/audit-log").await;
    assert_eq!(status, 200);
    assert!(
        log.contains("Created an API key") && log.contains("Revoked an API key"),
        "{log}"
    );

    // Without the form's token nothing is revoked or created.
    let (status, _, _) = post(&app, &admin, "/console/api-keys", &[("name", "forged")]).await;
    assert_eq!(status, 403);
    assert_eq!(
        app.get("/api/v1/api-keys", &t.token).await.body["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn an_admin_edits_a_user_disables_them_and_sets_their_image() {
    let app = spawn_app().await;
    let t = app.create_tenant("people").await;
    let user = app.create_user(&t, "bo@people.example.com", "agent").await;
    let admin = console_login(&app, &t.slug, &t.admin_email).await;
    let path = format!("/console/users/{user}");
    let (status, html) = page(&app, &admin, &path).await;
    assert_eq!(status, 200, "{html}");
    let token = csrf(&html);

    // A blank name: the message beside the field, nothing changed.
    let (status, _, html) = post(
        &app,
        &admin,
        &path,
        &[
            ("csrf", &token),
            ("display_name", ""),
            ("role", "admin"),
            ("active", "true"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="display_name-error""#), "{html}");
    let u = app.get(&format!("/api/v1/users/{user}"), &t.token).await;
    assert_eq!(
        (u.body["role"].as_str(), u.body["active"].as_bool()),
        (Some("agent"), Some(true))
    );

    // Renamed, made admin, and disabled (the box left unticked): disabling is asked first,
    // and unconfirmed it changes nothing.
    let (status, _, asked) = post(
        &app,
        &admin,
        &path,
        &[
            ("csrf", &token),
            ("display_name", "Bo Admin"),
            ("role", "admin"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(asked.contains("Disable "), "{asked}");
    assert!(
        asked.contains(r#"name="display_name" value="Bo Admin""#),
        "{asked}"
    );
    let u = app.get(&format!("/api/v1/users/{user}"), &t.token).await;
    assert_eq!(
        (u.body["role"].as_str(), u.body["active"].as_bool()),
        (Some("agent"), Some(true))
    );
    let (status, location, _) = post(
        &app,
        &admin,
        &path,
        &[
            ("csrf", &token),
            ("display_name", "Bo Admin"),
            ("role", "admin"),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(
        (status, location),
        (303, format!("{path}?notice=user-saved"))
    );
    let u = app.get(&format!("/api/v1/users/{user}"), &t.token).await;
    assert_eq!(
        (
            u.body["display_name"].as_str(),
            u.body["role"].as_str(),
            u.body["active"].as_bool()
        ),
        (Some("Bo Admin"), Some("admin"), Some(false)),
        "{}",
        u.text
    );

    // A profile image: a text file is refused with the reason; a PNG is kept.
    let upload = |name: &'static str, bytes: Vec<u8>, token: String| {
        let form = reqwest::multipart::Form::new().text("csrf", token).part(
            "avatar",
            reqwest::multipart::Part::bytes(bytes).file_name(name),
        );
        admin
            .post(app.url(&format!("{path}/avatar")))
            .multipart(form)
            .send()
    };
    let r = upload("notes.txt", b"hello".to_vec(), token.clone())
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains(r#"id="avatar-error""#));
    let r = upload("me.png", tiny_png(), "wrong".into()).await.unwrap();
    assert_eq!(r.status(), 403, "a wrong token stores nothing");
    assert_eq!(
        app.get(&format!("/api/v1/users/{user}/avatar"), &t.token)
            .await
            .status,
        404
    );
    let r = upload("me.png", tiny_png(), token.clone()).await.unwrap();
    assert_eq!(r.status(), 303);
    let img = admin
        .get(app.url(&format!("{path}/avatar")))
        .send()
        .await
        .unwrap();
    assert_eq!(img.status(), 200);
    assert_eq!(img.headers()["content-type"], "image/png");
    let (_, html) = page(&app, &admin, &path).await;
    assert!(html.contains(&format!(r#"src="{path}/avatar""#)), "{html}");

    // Another tenant's user reads as not found.
    let other = app.create_tenant("others").await;
    let stranger = app
        .create_user(&other, "x@others.example.com", "agent")
        .await;
    let (status, _) = page(&app, &admin, &format!("/console/users/{stranger}")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_dashboard_shows_who_is_available_what_is_waiting_and_the_widget_tag() {
    let app = spawn_app().await;
    let (t, _agent, _visitor) = waiting_visitor(&app, "busy").await;
    let admin = console_login(&app, &t.slug, &t.admin_email).await;
    let (status, html) = page(&app, &admin, "/console").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(r#"<p class="big" id="agents-available">1 <small>available now</small>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<span class="big" id="offers-pending">1</span>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<span class="big" id="live-chats">0</span>"#),
        "{html}"
    );
    let key = app.get("/api/v1/settings", &t.token).await.body["widget_key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        html.contains(&format!("&#60;script src=&#34;{}/widget.js&#34; data-key=&#34;{key}&#34; async&#62;&#60;/script&#62;", app.base)),
        "{html}"
    );
}

#[tokio::test]
async fn the_dashboard_warns_at_80_percent_of_the_engagement_limit_and_at_100() {
    let app = spawn_app().await;
    let (t, (_, agent), first) = waiting_visitor(&app, "nearly").await;
    let key = app.get("/api/v1/settings", &t.token).await.body["widget_key"]
        .as_str()
        .unwrap()
        .to_owned();
    // Four engagements: four visitors, each accepted by the agent.
    let mut conversations = vec![first["conversation_id"].as_str().unwrap().to_owned()];
    for _ in 0..3 {
        let w = walk_to_live_chat(&app, &key, None).await;
        conversations.push(w.body["conversation_id"].as_str().unwrap().to_owned());
    }
    for c in &conversations {
        let conv = app
            .get(&format!("/api/v1/conversations/{c}"), &t.token)
            .await;
        let offer = conv.body["trace"]["offers"][0]["offer_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let r = app
            .post(
                &format!("/api/v1/offers/{offer}/accept"),
                &agent,
                serde_json::json!({}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let op = app.operator_token().await;
    let set_limit = |limit: i64| {
        let (app, op, id) = (&app, op.clone(), t.id.clone());
        async move {
            let r = app
                .patch(
                    &format!("/api/v1/platform/tenants/{id}"),
                    &op,
                    serde_json::json!({"engagement_limit": limit}),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
    };
    let admin = console_login(&app, &t.slug, &t.admin_email).await;
    set_limit(5).await;
    let (_, html) = page(&app, &admin, "/console").await;
    assert!(html.contains(r#"class="bar warn""#), "{html}");
    assert!(
        html.contains("80% of the engagement limit is used"),
        "{html}"
    );
    set_limit(4).await;
    let (_, html) = page(&app, &admin, "/console").await;
    assert!(html.contains(r#"class="bar full""#), "{html}");
    assert!(html.contains("The engagement limit is reached"), "{html}");
    set_limit(100).await;
    let (_, html) = page(&app, &admin, "/console").await;
    assert!(
        !html.contains("engagement limit is") && html.contains(r#"aria-valuenow="4""#),
        "{html}"
    );
}

/// What the admin pages' destructive forms could change, through the API: users, teams,
/// rules, canned replies, settings, and the audit log (logins aside).
async fn destructible(app: &crate::helpers::TestApp, token: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for path in [
        "/api/v1/users",
        "/api/v1/teams",
        "/api/v1/routing-rules",
        "/api/v1/canned-responses",
        "/api/v1/settings",
        "/api/v1/audit-log",
    ] {
        let mut r = app.get(path, token).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        if let Some(items) = r.body["items"].as_array_mut() {
            items.retain(|i| i["action"] != "user.logged_in");
        }
        out.push(r.body);
    }
    out
}

#[tokio::test]
async fn every_destructive_admin_form_without_its_confirmation_changes_nothing() {
    use serde_json::json;
    let app = spawn_app().await;
    let t = app.create_tenant("careful").await;
    let agent = app
        .create_user(&t, "agent@careful.example.com", "agent")
        .await;
    let r = app
        .put(
            &format!("/api/v1/users/{agent}/live-chat-permission"),
            &t.token,
        )
        .await;
    let granted = app.get(&format!("/api/v1/users/{agent}"), &t.token).await;
    assert_eq!(granted.body["live_chat_permission"], true, "{}", r.text);
    let team = app
        .post("/api/v1/teams", &t.token, json!({"name": "Sales"}))
        .await
        .id();
    let r = app
        .put(&format!("/api/v1/teams/{team}/members/{agent}"), &t.token)
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    let rule = app
        .post(
            "/api/v1/routing-rules",
            &t.token,
            json!({"name": "France", "position": 10, "conditions": [{"field": "country", "operator": "is", "values": ["FR"]}], "target": {"kind": "team", "id": team}}),
        )
        .await
        .id();
    let canned = app
        .post(
            "/api/v1/canned-responses",
            &t.token,
            json!({"shortcut": "hello", "text": "Hello!", "scope": "tenant"}),
        )
        .await
        .id();
    let admin = console_login(&app, &t.slug, &t.admin_email).await;
    let (_, html) = page(&app, &admin, "/console/settings").await;
    let token = csrf(&html);
    // A first identity secret replaces nothing: made at once.
    let (status, _, _) = post(
        &app,
        &admin,
        "/console/settings/identity-secret",
        &[("csrf", &token)],
    )
    .await;
    assert_eq!(status, 200);
    let before = destructible(&app, &t.token).await;

    // (where it posts, its fields, the question it is answered with)
    type Form<'a> = (String, Vec<(&'a str, &'a str)>, &'a str);
    let forms: Vec<Form> = vec![
        (
            format!("/console/users/{agent}/live-chat-permission"),
            vec![("grant", "false")],
            "Revoke agent’s live-chat permission?",
        ),
        (
            format!("/console/users/{agent}"),
            vec![("display_name", "agent"), ("role", "agent")],
            "Disable agent?",
        ),
        (
            format!("/console/teams/{team}/members/{agent}/remove"),
            vec![],
            "Remove agent from the team “Sales”?",
        ),
        (
            format!("/console/teams/{team}/delete"),
            vec![],
            "Delete the team “Sales”?",
        ),
        (
            format!("/console/routing/rules/{rule}/delete"),
            vec![],
            "Delete the rule “France”?",
        ),
        (
            format!("/console/canned-responses/{canned}/delete"),
            vec![],
            "Delete the canned reply /hello?",
        ),
        (
            "/console/settings/identity-secret".to_owned(),
            vec![],
            "Replace the identity secret?",
        ),
    ];
    for (path, fields, question) in &forms {
        let mut form = vec![("csrf", token.as_str())];
        form.extend(fields.iter().copied());
        // Unconfirmed, or with anything but `yes`: the question, nothing done.
        for confirm in [None, Some("1"), Some("")] {
            let mut form = form.clone();
            form.extend(confirm.map(|c| ("confirm", c)));
            let (status, _, html) = post(&app, &admin, path, &form).await;
            assert_eq!(status, 200, "{path}: {html}");
            assert!(
                html.contains(question),
                "{path}: {question} missing: {html}"
            );
            assert!(
                html.contains(r#"<input type="hidden" name="confirm" value="yes">"#),
                "{path}: the confirming form"
            );
            assert!(
                html.contains(&format!(r#"action="{path}""#)),
                "{path}: it posts back to the same action"
            );
        }
        assert_eq!(
            destructible(&app, &t.token).await,
            before,
            "{path} changed something without its confirmation"
        );
    }

    // Confirmed, each one acts.
    for (path, fields, _) in &forms {
        let mut form = vec![("csrf", token.as_str()), ("confirm", "yes")];
        form.extend(fields.iter().copied());
        let (status, _, html) = post(&app, &admin, path, &form).await;
        assert!(status == 303 || status == 200, "{path}: {status} {html}");
        if status == 200 {
            // Only the new identity secret is shown on a page rather than redirected to.
            assert!(html.contains("new-identity-secret"), "{path}: {html}");
        }
    }
    let after = destructible(&app, &t.token).await;
    let user = app.get(&format!("/api/v1/users/{agent}"), &t.token).await;
    assert_eq!(
        (
            user.body["live_chat_permission"].as_bool(),
            user.body["active"].as_bool()
        ),
        (Some(false), Some(false))
    );
    assert_eq!(after[1]["items"], json!([]), "the team is deleted");
    assert_eq!(after[2]["items"], json!([]), "the rule is deleted");
    assert_eq!(after[3]["items"], json!([]), "the canned reply is deleted");
}
