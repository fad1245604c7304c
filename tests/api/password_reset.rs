//! Password reset by email (issue 15, SPEC §12.4), through a real SMTP server (aiosmtpd):
//! asking always answers 202 and reveals nobody; the emailed link sets a new password once,
//! within an hour; using it ends the account's tokens and sessions. The console's forms do
//! the same for people.

use std::time::Duration;

use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};

use crate::helpers::console::{browser, page, post};
use crate::helpers::smtp::SmtpSink;
use crate::helpers::{ADMIN_PASSWORD, TestApp, free_port, spawn_app_with};

async fn mailed_app() -> (TestApp, SmtpSink, tempfile::TempDir) {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(port, dir.path());
    let app = spawn_app_with(move |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.mail_retry_seconds = 1;
    })
    .await;
    (app, sink, dir)
}

/// The token of the reset link in an email.
fn token_of(mail: &Value) -> String {
    let text = mail["text"].as_str().unwrap();
    let at = text.find("password-reset?token=").expect("a reset link") + 21;
    text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

async fn ask(app: &TestApp, body: Value) -> u16 {
    app.call(
        reqwest::Method::POST,
        "/api/v1/auth/password-reset",
        None,
        Some(body),
    )
    .await
    .status
    .as_u16()
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> crate::helpers::Reply {
    app.call(
        reqwest::Method::POST,
        "/api/v1/auth/password-reset/confirm",
        None,
        Some(json!({"token": token, "password": password})),
    )
    .await
}

#[tokio::test]
async fn a_reset_link_arrives_by_email_works_once_and_ends_every_session() {
    let (app, sink, _dir) = mailed_app().await;
    let t = app.create_tenant("resetting").await;
    let old_token = t.token.clone();

    // Unknown addresses and workspaces answer the same, and send nothing.
    for body in [
        json!({"tenant": "resetting", "email": "nobody@resetting.example.com"}),
        json!({"tenant": "no-such-workspace", "email": t.admin_email}),
        json!({"email": "not an address"}),
    ] {
        assert_eq!(ask(&app, body).await, 202);
    }
    assert_eq!(
        ask(&app, json!({"tenant": "resetting", "email": t.admin_email})).await,
        202
    );
    let got = sink.wait_for(1, Duration::from_secs(15)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        sink.messages().len(),
        1,
        "only the real account got an email"
    );
    let mail = &got[0];
    assert_eq!(mail["rcpt_tos"], json!([t.admin_email]));
    assert!(
        mail["subject"]
            .as_str()
            .unwrap()
            .contains("Reset your Switchboard password")
    );
    let text = mail["text"].as_str().unwrap();
    assert!(text.contains("resetting"), "names the workspace: {text}");
    assert!(
        mail["html"]
            .as_str()
            .unwrap()
            .contains("/console/password-reset?token=")
    );
    let token = token_of(mail);
    // The outbox kept the link sealed, not readable in the database.
    let rows = switchboard_store::mail::Entity::find()
        .all(app.service.db())
        .await
        .unwrap();
    assert!(
        rows.iter()
            .all(|r| !r.text_body.contains(&token) && !r.html_body.contains(&token))
    );

    // A bad password changes nothing and keeps the link.
    assert_eq!(
        confirm(&app, &token, "short").await.problem(422)["field"],
        "password"
    );
    let done = confirm(&app, &token, "a brand new password").await;
    assert_eq!(done.status, 204, "{}", done.text);

    // The old password and every earlier token are done; the new password signs in.
    app.get("/api/v1/me", &old_token).await.problem(401);
    app.login(Some("resetting"), &t.admin_email, ADMIN_PASSWORD)
        .await
        .problem(401);
    let fresh = app
        .login(Some("resetting"), &t.admin_email, "a brand new password")
        .await;
    assert_eq!(fresh.status, 200, "{}", fresh.text);

    // Once only.
    assert_eq!(
        confirm(&app, &token, "another new password")
            .await
            .problem(422)["field"],
        "token"
    );
    let token_now = fresh.body["access_token"].as_str().unwrap();
    let log = app.get("/api/v1/audit-log", token_now).await;
    assert!(log.text.contains("user.password_reset"), "{}", log.text);

    // An expired link is refused.
    assert_eq!(
        ask(&app, json!({"email": t.admin_email})).await,
        202,
        "without a workspace: every account of the address"
    );
    let second = sink.wait_for(2, Duration::from_secs(15)).await;
    let late = token_of(&second[1]);
    let mut link: switchboard_store::password_resets::ActiveModel =
        switchboard_store::password_resets::Entity::find_by_id(switchboard_service::sha256_hex(
            &late,
        ))
        .one(app.service.db())
        .await
        .unwrap()
        .unwrap()
        .into();
    link.expires_at = Set(switchboard_store::now() - chrono::Duration::seconds(1));
    link.update(app.service.db()).await.unwrap();
    assert_eq!(
        confirm(&app, &late, "yet another password")
            .await
            .problem(422)["field"],
        "token"
    );
    assert_eq!(
        app.login(Some("resetting"), &t.admin_email, "a brand new password")
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn the_console_forms_ask_for_a_link_and_set_the_new_password() {
    let (app, sink, _dir) = mailed_app().await;
    let t = app.create_tenant("console-reset").await;
    let b = browser();
    let (status, login) = page(&app, &b, "/console/login").await;
    assert_eq!(status, 200);
    assert!(login.contains("href=\"/console/password-reset\""));
    let (status, _) = page(&app, &b, "/console/password-reset").await;
    assert_eq!(status, 200);
    let (status, location, _) = post(
        &app,
        &b,
        "/console/password-reset",
        &[("tenant", "console-reset"), ("email", &t.admin_email)],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/console/login?notice=reset-sent")
    );
    let got = sink.wait_for(1, Duration::from_secs(15)).await;
    let token = token_of(&got[0]);

    let (status, form) = page(&app, &b, &format!("/console/password-reset?token={token}")).await;
    assert_eq!(status, 200);
    assert!(form.contains("Choose a new password"));
    let (status, _, body) = post(
        &app,
        &b,
        "/console/password-reset/confirm",
        &[
            ("token", &token),
            ("password", "a fresh password 1"),
            ("password_again", "a fresh password 2"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"password_again-error\""), "{body}");
    let (status, location, _) = post(
        &app,
        &b,
        "/console/password-reset/confirm",
        &[
            ("token", &token),
            ("password", "a fresh password 1"),
            ("password_again", "a fresh password 1"),
        ],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/console/login?notice=password-reset")
    );
    let (status, gone) = page(&app, &b, &format!("/console/password-reset?token={token}")).await;
    assert_eq!(status, 404);
    assert!(gone.contains("This link is not valid"));
    assert_eq!(
        app.login(Some("console-reset"), &t.admin_email, "a fresh password 1")
            .await
            .status,
        200
    );
}
