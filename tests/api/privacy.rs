//! Privacy (issue 15, SPEC §12.4): an admin exports or erases a visitor's data by email
//! (audited, erasure checked in the database), and `retention_days` purges older
//! conversations (run with an injected clock); dialogue-only sessions abandoned for a day go
//! too, unless the visitor left a detail.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::widget::{answer, publish, sales_dialogue, start_session_with};
use crate::helpers::{Tenant, TestApp, spawn_app};

/// A visitor who walks to the live chat giving `email`, falls back (nobody is available)
/// and leaves a message; returns the session.
async fn lead(app: &TestApp, key: &str, email: &str, token: Option<&str>) -> Value {
    let mut body = json!({"widget_key": key});
    if let Some(t) = token {
        body["visitor_token"] = json!(t);
        body["new_conversation"] = json!(true);
    }
    let s = start_session_with(app, body, &[]).await;
    assert_eq!(s.status, 200, "{}", s.text);
    answer(app, &s.body, json!({"card_id": "ask", "choice": "yes"})).await;
    let r = answer(
        app,
        &s.body,
        json!({"card_id": "form", "fields": {"first_name": email.split('@').next().unwrap(), "email": email}}),
    )
    .await;
    assert_eq!(r.body["status"], "fallback", "{}", r.text);
    let left = app
        .post(
            &format!(
                "/api/v1/widget/conversations/{}/leave-message",
                s.body["conversation_id"].as_str().unwrap()
            ),
            s.body["visitor_token"].as_str().unwrap(),
            json!({"email": email, "message": "Call me about pricing"}),
        )
        .await;
    assert!(left.status.is_success(), "{}", left.text);
    s.body
}

/// Rows of the tenant in each table that holds visitor data.
async fn rows(app: &TestApp, t: &Tenant) -> (u64, u64, u64) {
    let db = app.service.db();
    let tenant = Uuid::parse_str(&t.id).unwrap();
    (
        switchboard_store::conversations::Entity::find()
            .filter(switchboard_store::conversations::Column::TenantId.eq(tenant))
            .count(db)
            .await
            .unwrap(),
        switchboard_store::messages::Entity::find()
            .filter(switchboard_store::messages::Column::TenantId.eq(tenant))
            .count(db)
            .await
            .unwrap(),
        switchboard_store::mail::Entity::find()
            .filter(switchboard_store::mail::Column::TenantId.eq(tenant))
            .count(db)
            .await
            .unwrap(),
    )
}

#[tokio::test]
async fn export_then_erase_leaves_nothing_of_the_visitor_in_the_database() {
    let app = spawn_app().await;
    let t = app.create_tenant("privacy").await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let jane = lead(&app, &key, "Jane@Example.com", None).await;
    // Jane again, from the same widget, with another address this time.
    lead(
        &app,
        &key,
        "jane.work@example.com",
        jane["visitor_token"].as_str(),
    )
    .await;
    let bob = lead(&app, &key, "bob@example.com", None).await;

    let export = app
        .get("/api/v1/privacy/visitors?email=jane@example.com", &t.token)
        .await;
    assert_eq!(export.status, 200, "{}", export.text);
    let conversations = export.body["conversations"].as_array().unwrap();
    assert_eq!(conversations.len(), 2, "both of Jane's conversations");
    assert!(export.text.contains("Call me about pricing"));
    assert!(export.text.contains("jane.work@example.com"));
    assert!(!export.text.contains("bob@example.com"));
    let first = &conversations[0];
    assert_eq!(first["visitor"]["captured"]["email"], "jane@example.com");
    assert!(first["messages"].as_array().unwrap().len() >= 2, "{first}");
    assert_eq!(first["left_message"]["message"], "Call me about pricing");

    // Bad input changes nothing.
    let bad = app
        .delete("/api/v1/privacy/visitors?email=not-an-address", &t.token)
        .await;
    assert_eq!(bad.problem(422)["field"], "email");
    let before = rows(&app, &t).await;
    let agent = app
        .create_user(&t, "agent@privacy.example.com", "agent")
        .await;
    let _ = agent;
    let agent_token = app.user_token(&t, "agent@privacy.example.com").await;
    app.delete(
        "/api/v1/privacy/visitors?email=jane@example.com",
        &agent_token,
    )
    .await
    .problem(403);
    assert_eq!(rows(&app, &t).await, before);

    let erased = app
        .delete("/api/v1/privacy/visitors?email=JANE@example.com", &t.token)
        .await;
    assert_eq!(erased.status, 200, "{}", erased.text);
    assert_eq!(erased.body["conversations_erased"], 2);

    // In the database: nothing of Jane in any table; Bob untouched.
    let db = app.service.db();
    let tenant = Uuid::parse_str(&t.id).unwrap();
    let conversations = switchboard_store::conversations::Entity::find()
        .filter(switchboard_store::conversations::Column::TenantId.eq(tenant))
        .all(db)
        .await
        .unwrap();
    assert_eq!(conversations.len(), 1);
    assert_eq!(
        conversations[0].id.to_string(),
        bob["conversation_id"].as_str().unwrap()
    );
    let everything = format!(
        "{:?} {:?} {:?} {:?}",
        conversations,
        switchboard_store::messages::Entity::find()
            .all(db)
            .await
            .unwrap(),
        switchboard_store::mail::Entity::find()
            .all(db)
            .await
            .unwrap(),
        switchboard_store::webhooks::deliveries::Entity::find()
            .all(db)
            .await
            .unwrap(),
    )
    .to_lowercase();
    // Her name and both addresses are gone from every table (Bob left the same words).
    assert!(
        !everything.contains("jane"),
        "Jane is still stored: {everything}"
    );
    assert!(everything.contains("bob@example.com"));
    let again = app
        .get("/api/v1/privacy/visitors?email=jane@example.com", &t.token)
        .await;
    assert_eq!(again.body["conversations"], json!([]));

    // Audited, without the address.
    let log = app.get("/api/v1/audit-log", &t.token).await;
    assert!(log.text.contains("privacy.visitor_erased"), "{}", log.text);
    assert!(log.text.contains("privacy.visitor_exported"));
    assert!(!log.text.to_lowercase().contains("jane@example.com"));
}

#[tokio::test]
async fn retention_purges_older_conversations_as_of_an_injected_clock() {
    let app = spawn_app().await;
    let t = app.create_tenant("retained").await;
    let other = app.create_tenant("kept-forever").await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let other_key = publish(&app, &other, sales_dialogue(json!({"mode": "round_robin"}))).await;
    lead(&app, &key, "old@example.com", None).await;
    lead(&app, &other_key, "old@example.com", None).await;
    // A visitor still in the dialogue who gave nothing, and one who is a lead.
    let idle = start_session_with(&app, json!({"widget_key": key}), &[]).await;
    assert_eq!(idle.status, 200);
    let step = answer(&app, &idle.body, json!({"card_id": "ask", "choice": "yes"})).await;
    assert_eq!(step.status, 200, "{}", step.text);

    let set = app
        .patch("/api/v1/settings", &t.token, json!({"retention_days": 30}))
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(set.body["retention_days"], 30);
    let now = chrono::Utc::now();

    // Today nothing is old enough.
    assert_eq!(
        app.service.purge_expired_conversations(now).await.unwrap(),
        0
    );
    assert_eq!(rows(&app, &t).await.0, 2);

    // Two days on: the abandoned dialogue goes, the lead stays (29 days to go).
    let purged = app
        .service
        .purge_expired_conversations(now + chrono::Duration::days(2))
        .await
        .unwrap();
    assert_eq!(purged, 1);
    assert_eq!(rows(&app, &t).await.0, 1);

    // 31 days on: the tenant's old conversation goes with its messages and emails; the
    // tenant without retention keeps its own.
    let purged = app
        .service
        .purge_expired_conversations(now + chrono::Duration::days(31))
        .await
        .unwrap();
    assert_eq!(purged, 1);
    assert_eq!(rows(&app, &t).await, (0, 0, 0));
    assert_eq!(rows(&app, &other).await.0, 1);

    // `null` keeps everything again.
    let off = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"retention_days": null}),
        )
        .await;
    assert_eq!(off.body["retention_days"], Value::Null);
}

#[tokio::test]
async fn the_console_finds_downloads_and_erases_a_visitor_after_confirmation() {
    use crate::helpers::console::{console_login, csrf, page, post};
    let app = spawn_app().await;
    let t = app.create_tenant("privacy-console").await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    lead(&app, &key, "ann@example.com", None).await;
    let b = console_login(&app, "privacy-console", &t.admin_email).await;

    let (status, html) = page(&app, &b, "/console/privacy?email=nope").await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"email-error\""), "{html}");
    let (status, html) = page(&app, &b, "/console/privacy?email=ann%40example.com").await;
    assert_eq!(status, 200);
    assert!(html.contains("1 conversation of ann@example.com"), "{html}");
    let download = b
        .get(app.url("/console/privacy/export?email=ann%40example.com"))
        .send()
        .await
        .unwrap();
    assert!(
        download
            .headers()
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let data: Value = download.json().await.unwrap();
    assert_eq!(
        data["conversations"][0]["left_message"]["message"],
        "Call me about pricing"
    );

    let token = csrf(&html);
    // Without the box ticked, or with anything but its value: nothing is erased.
    for confirm in [None, Some("no"), Some("")] {
        let mut form = vec![("csrf", token.as_str()), ("email", "ann@example.com")];
        form.extend(confirm.map(|c| ("confirm", c)));
        let (status, _, body) = post(&app, &b, "/console/privacy/erase", &form).await;
        assert_eq!(status, 422, "{confirm:?}");
        assert!(body.contains("id=\"confirm-error\""), "{body}");
        assert_eq!(
            rows(&app, &t).await.0,
            1,
            "nothing erased without confirmation"
        );
    }
    let (status, _, body) = post(
        &app,
        &b,
        "/console/privacy/erase",
        &[
            ("csrf", &token),
            ("email", "ann@example.com"),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Erased 1 conversation of ann@example.com"),
        "{body}"
    );
    assert_eq!(rows(&app, &t).await, (0, 0, 0));
}

#[tokio::test]
async fn the_privacy_page_in_the_browser() {
    use crate::helpers::browser::{both_widths, console_login, start_browser, until};
    let app = spawn_app().await;
    let t = app.create_tenant("privacy-browser").await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    lead(&app, &key, "ann@example.com", None).await;
    let (_driver, browser) = start_browser().await;
    console_login(&browser, &app.base, &t.slug, &t.admin_email).await;
    until(
        &browser,
        "the dashboard",
        "location.pathname === '/console'",
    )
    .await;
    browser
        .goto(&app.url("/console/privacy?email=ann%40example.com"))
        .await
        .unwrap();
    until(
        &browser,
        "the visitor found",
        "document.getElementById('found')",
    )
    .await;
    both_widths(&browser, "console-privacy-found").await;
    // The settings' security and data part: allowed sites, verification, retention.
    browser.goto(&app.url("/console/settings")).await.unwrap();
    until(
        &browser,
        "the settings",
        "document.getElementById('security')",
    )
    .await;
    crate::helpers::browser::both_widths_at(
        &browser,
        "console-settings-security",
        Some("security"),
    )
    .await;
}
