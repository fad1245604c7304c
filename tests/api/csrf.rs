//! Every form of the consoles, posted without its CSRF token or with a wrong one, is refused
//! (403) and changes nothing: the workspace reads the same through the API before and after,
//! and the audit log has no new entry.

use serde_json::{Value, json};

use crate::helpers::console::{console_login, page, post};
use crate::helpers::widget::publish;
use crate::helpers::{OPERATOR_EMAIL, OPERATOR_PASSWORD, TestApp, spawn_app};

/// What the workspace looks like through the API.
async fn state(app: &TestApp, token: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for path in [
        "/api/v1/users",
        "/api/v1/teams",
        "/api/v1/settings",
        "/api/v1/routing-rules",
        "/api/v1/dialogues",
        "/api/v1/webhooks",
        "/api/v1/api-keys",
        "/api/v1/audit-log",
        "/api/v1/me",
        "/api/v1/platform/tenants",
    ] {
        let mut r = app.get(path, token).await;
        if let Some(items) = r.body["items"].as_array_mut() {
            // Signing in is audited, and is no change a form made.
            items.retain(|i| i["action"] != "user.logged_in");
        }
        out.push(json!({"path": path, "status": r.status.as_u16(), "body": r.body}));
    }
    out
}

#[tokio::test]
async fn every_console_form_without_or_with_a_wrong_csrf_token_changes_nothing() {
    let app = spawn_app().await;
    let t = app.create_tenant("guarded").await;
    let agent = app
        .create_user(&t, "agent@guarded.example.com", "agent")
        .await;
    let team = app
        .post("/api/v1/teams", &t.token, json!({"name": "Sales"}))
        .await
        .id();
    let rule = app
        .post(
            "/api/v1/routing-rules",
            &t.token,
            json!({"name": "France", "position": 10, "conditions": [{"field": "country", "operator": "is", "values": ["FR"]}], "target": {"kind": "team", "id": team}}),
        )
        .await;
    assert_eq!(rule.status, 201, "{}", rule.text);
    let rule = rule.id();
    publish(
        &app,
        &t,
        json!({"name": "Sales", "cards": [
            {"id": "ask", "kind": "question", "text": "Talk?", "choices": [{"id": "yes", "label": "Yes", "next": "connect"}]},
            {"id": "connect", "kind": "live_chat", "routing": {"mode": "round_robin"}}]}),
    )
    .await;
    let dialogue = app.get("/api/v1/dialogues", &t.token).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = app
        .post("/api/v1/api-keys", &t.token, json!({"name": "k"}))
        .await
        .id();
    let op = app.operator_token().await;
    let before = state(&app, &t.token).await;
    let before_platform = app.get("/api/v1/platform/tenants", &op).await.body;

    let admin = console_login(&app, &t.slug, &t.admin_email).await;
    let (status, _) = page(&app, &admin, "/console").await;
    assert_eq!(status, 200);
    let d = format!("/console/dialogues/{dialogue}");
    let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/console/users".into(),
            vec![
                ("email", "new@guarded.example.com"),
                ("display_name", "New"),
                ("role", "agent"),
                ("password", "a-long-password-1"),
            ],
        ),
        (
            format!("/console/users/{agent}/live-chat-permission"),
            vec![("grant", "true")],
        ),
        (
            format!("/console/users/{agent}"),
            vec![("display_name", "Renamed"), ("role", "admin")],
        ),
        ("/console/teams".into(), vec![("name", "Support")]),
        (
            format!("/console/teams/{team}/members"),
            vec![("user_id", &agent)],
        ),
        (
            format!("/console/teams/{team}/members/{agent}/remove"),
            vec![],
        ),
        (format!("/console/teams/{team}/delete"), vec![]),
        (
            "/console/settings".into(),
            vec![
                ("global_fallback_message", "Changed"),
                ("accept_timeout_seconds", "30"),
                ("max_chats_per_agent", "5"),
                ("idle_timeout_minutes", "5"),
                ("failed_action_recipients", ""),
            ],
        ),
        (
            "/console/routing/rules".into(),
            vec![
                ("name", "Spain"),
                ("conditions", "country equals ES"),
                ("target", "round_robin"),
            ],
        ),
        (
            format!("/console/routing/rules/{rule}/move"),
            vec![("direction", "down")],
        ),
        (format!("/console/routing/rules/{rule}/delete"), vec![]),
        (
            "/console/webhooks".into(),
            vec![
                ("url", "https://hooks.example.com/x"),
                ("events", "conversation.ended"),
            ],
        ),
        ("/console/api-keys".into(), vec![("name", "another")]),
        (format!("/console/api-keys/{key}/revoke"), vec![]),
        ("/console/dialogues".into(), vec![("name", "Another")]),
        (format!("{d}/name"), vec![("name", "Renamed")]),
        (
            format!("{d}/cards"),
            vec![
                ("kind", "message"),
                ("card_id", "bye"),
                ("text", "Bye"),
                ("after", ""),
            ],
        ),
        (format!("{d}/cards/ask/save"), vec![("text", "Changed?")]),
        (format!("{d}/cards/connect/move"), vec![("direction", "up")]),
        (format!("{d}/cards/connect/delete"), vec![]),
        (format!("{d}/cards/ask/choices"), vec![("label", "Maybe")]),
        (format!("{d}/cards/ask/choices/0/delete"), vec![]),
        (format!("{d}/publish"), vec![]),
        (format!("{d}/delete"), vec![]),
        ("/inbox/availability".into(), vec![("status", "away")]),
        ("/console/logout".into(), vec![]),
    ];
    for (path, fields) in &forms {
        for token in [None, Some("wrong-token")] {
            let mut form: Vec<(&str, &str)> = fields.clone();
            if let Some(t) = token {
                form.push(("csrf", t));
            }
            let (status, _, _) = post(&app, &admin, path, &form).await;
            assert_eq!(status, 403, "{path} with token {token:?}");
        }
    }
    // Still signed in (the logout was refused too), and nothing changed.
    let (status, _) = page(&app, &admin, "/console").await;
    assert_eq!(status, 200);
    assert_eq!(state(&app, &t.token).await, before);

    // The operator's forms.
    let operator = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let (status, _, _) = post(
        &app,
        &operator,
        "/platform/login",
        &[("email", OPERATOR_EMAIL), ("password", OPERATOR_PASSWORD)],
    )
    .await;
    assert_eq!(status, 303);
    for (path, fields) in [
        (
            "/platform/tenants".to_owned(),
            vec![
                ("name", "Beta"),
                ("slug", "beta"),
                ("plan", "select"),
                ("admin_email", "a@beta.example.com"),
                ("admin_display_name", "A"),
                ("admin_password", "a-long-password-1"),
            ],
        ),
        (
            format!("/platform/tenants/{}", t.id),
            vec![("plan", "prime"), ("engagement_limit", "")],
        ),
        ("/platform/logout".to_owned(), vec![]),
    ] {
        for token in [None, Some("wrong-token")] {
            let mut form = fields.clone();
            if let Some(t) = token {
                form.push(("csrf", t));
            }
            let (status, _, _) = post(&app, &operator, &path, &form).await;
            assert_eq!(status, 403, "{path} with token {token:?}");
        }
    }
    assert_eq!(
        app.get("/api/v1/platform/tenants", &op).await.body,
        before_platform
    );
}

/// The login forms have no session (so no CSRF token) yet: a post from another site is
/// refused by its `Origin` (or `Sec-Fetch-Site`), and no session is made; the site's own
/// origin, and a client that sends neither (not a browser), log in.
#[tokio::test]
async fn the_login_forms_refuse_posts_from_other_sites() {
    use crate::helpers::ADMIN_PASSWORD;
    let app = spawn_app().await;
    let t = app.create_tenant("acme").await;
    let form = [
        ("tenant", "acme"),
        ("email", t.admin_email.as_str()),
        ("password", ADMIN_PASSWORD),
    ];
    let post_with = |path: &'static str,
                     headers: Vec<(&'static str, String)>,
                     body: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let browser = crate::helpers::console::browser();
            let mut req = browser.post(app.url(path)).form(&body);
            for (name, value) in headers {
                req = req.header(name, value);
            }
            let r = req.send().await.unwrap();
            let cookie = r.headers().get("set-cookie").is_some();
            (r.status().as_u16(), cookie, r.text().await.unwrap())
        }
    };
    let body: Vec<(&str, String)> = form.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    for headers in [
        vec![("origin", "https://evil.example".to_owned())],
        vec![("origin", "null".to_owned())],
        vec![("sec-fetch-site", "cross-site".to_owned())],
    ] {
        let (status, cookie, page) =
            post_with("/console/login", headers.clone(), body.clone()).await;
        assert_eq!(status, 403, "{headers:?}");
        assert!(!cookie, "a session was made for {headers:?}");
        assert!(page.contains("own login page"), "{page}");
    }
    let operator = vec![
        ("email", OPERATOR_EMAIL.to_owned()),
        ("password", OPERATOR_PASSWORD.to_owned()),
    ];
    let (status, cookie, _) = post_with(
        "/platform/login",
        vec![("origin", "https://evil.example".to_owned())],
        operator.clone(),
    )
    .await;
    assert_eq!((status, cookie), (403, false));

    // The site's own origin, and no origin at all, log in.
    let (status, cookie, _) = post_with(
        "/console/login",
        vec![("origin", app.base.clone())],
        body.clone(),
    )
    .await;
    assert_eq!((status, cookie), (303, true));
    let (status, cookie, _) = post_with("/console/login", vec![], body).await;
    assert_eq!((status, cookie), (303, true));
    let (status, _, _) = post_with(
        "/platform/login",
        vec![("origin", app.base.clone())],
        operator,
    )
    .await;
    assert_eq!(status, 303);
}
