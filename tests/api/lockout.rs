//! Repeated failed sign-ins lock the account with exponential back-off (issue 15): the
//! fifth wrong password in a row locks it for a minute (even the right password waits,
//! 429 with Retry-After), each further failure doubles it; the lockout is audited and the
//! owner emailed (aiosmtpd); a success ends the run. Sign-ins are audited.

use std::time::Duration;

use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::json;

use crate::helpers::smtp::SmtpSink;
use crate::helpers::{ADMIN_PASSWORD, TestApp, free_port, spawn_app_with};

async fn try_login(app: &TestApp, slug: &str, email: &str, password: &str) -> (u16, Option<u64>) {
    let r = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"tenant": slug, "email": email, "password": password}))
        .send()
        .await
        .unwrap();
    let retry = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (r.status().as_u16(), retry)
}

async fn unlock_now(app: &TestApp, id: &str) {
    let mut u: switchboard_store::users::ActiveModel =
        switchboard_store::users::Entity::find_by_id(uuid::Uuid::parse_str(id).unwrap())
            .one(app.service.db())
            .await
            .unwrap()
            .unwrap()
            .into();
    u.locked_until = Set(Some(
        switchboard_store::now() - chrono::Duration::seconds(1),
    ));
    u.update(app.service.db()).await.unwrap();
}

#[tokio::test]
async fn brute_force_locks_the_account_with_back_off_audits_it_and_emails_the_owner() {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(port, dir.path());
    let app = spawn_app_with(move |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.mail_retry_seconds = 1;
    })
    .await;
    let t = app.create_tenant("locked").await;
    let email = t.admin_email.clone();

    for _ in 0..4 {
        assert_eq!(
            try_login(&app, "locked", &email, "guess-guess-guess")
                .await
                .0,
            401
        );
    }
    // Four failures: the right password still works, and ends the run.
    assert_eq!(
        try_login(&app, "locked", &email, ADMIN_PASSWORD).await.0,
        200
    );
    for _ in 0..4 {
        assert_eq!(
            try_login(&app, "locked", &email, "guess-guess-guess")
                .await
                .0,
            401
        );
    }
    assert_eq!(
        try_login(&app, "locked", &email, ADMIN_PASSWORD).await.0,
        200
    );

    // Five in a row: locked for a minute, even with the right password.
    for _ in 0..5 {
        assert_eq!(
            try_login(&app, "locked", &email, "guess-guess-guess")
                .await
                .0,
            401
        );
    }
    let (status, retry) = try_login(&app, "locked", &email, ADMIN_PASSWORD).await;
    assert_eq!(status, 429);
    let retry = retry.expect("Retry-After");
    assert!((50..=60).contains(&retry), "{retry}");

    // The owner is emailed, once.
    let got = sink.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(got[0]["rcpt_tos"], json!([email]));
    assert!(got[0]["subject"].as_str().unwrap().contains("paused"));
    assert!(
        got[0]["text"]
            .as_str()
            .unwrap()
            .contains("/console/password-reset")
    );

    // When the minute is over, one more failure locks for two.
    unlock_now(&app, &t.admin_id).await;
    assert_eq!(
        try_login(&app, "locked", &email, "guess-guess-guess")
            .await
            .0,
        401
    );
    let (status, retry) = try_login(&app, "locked", &email, ADMIN_PASSWORD).await;
    assert_eq!(status, 429);
    assert!((110..=120).contains(&retry.unwrap()), "{retry:?}");

    // Unlocked: the right password signs in and the run starts again.
    unlock_now(&app, &t.admin_id).await;
    let ok = app.login(Some("locked"), &email, ADMIN_PASSWORD).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(
        try_login(&app, "locked", &email, "guess-guess-guess")
            .await
            .0,
        401
    );
    assert_eq!(
        try_login(&app, "locked", &email, ADMIN_PASSWORD).await.0,
        200
    );

    let token = ok.body["access_token"].as_str().unwrap();
    let log = app.get("/api/v1/audit-log?limit=200", token).await;
    assert_eq!(
        log.text.matches("user.locked_out").count(),
        1,
        "{}",
        log.text
    );
    assert!(log.text.contains("user.logged_in"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.messages().len(), 1, "one email per lockout run");

    // Another account of the same workspace is not affected.
    app.create_user(&t, "other@locked.example.com", "agent")
        .await;
    assert_eq!(
        app.login(Some("locked"), "other@locked.example.com", ADMIN_PASSWORD)
            .await
            .status,
        200
    );
}
