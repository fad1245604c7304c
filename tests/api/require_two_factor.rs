//! `SWITCHBOARD_REQUIRE_2FA` (issue 15, SPEC §12.4): the platform operator and every
//! workspace's owners must turn two-factor sign-in on. Until they do, their password still
//! signs them in, but the API answers 403 `…/two-factor-required` to everything except their
//! own account, enrolment, sessions and signing out (their socket too), and the console and
//! the platform console send them to their account page. Admins who are not owners, agents
//! and API keys are not concerned.

use serde_json::{Value, json};

use crate::helpers::browser::{both_widths, click, start_browser, type_into, until};
use crate::helpers::totp::code;
use crate::helpers::ws::upgrade_status;
use crate::helpers::{
    ADMIN_PASSWORD, OPERATOR_EMAIL, OPERATOR_PASSWORD, Reply, TestApp, spawn_app_with,
};

fn required(reply: &Reply) {
    let p = reply.problem(403);
    assert!(
        p["type"].as_str().unwrap().ends_with("two-factor-required"),
        "{p}"
    );
}

/// Turns two-factor sign-in on with `token`; returns the secret.
async fn enrol(app: &TestApp, token: &str) -> String {
    let started = app.post("/api/v1/me/two-factor", token, json!({})).await;
    assert_eq!(started.status, 200, "{}", started.text);
    let secret = started.body["secret"].as_str().unwrap().to_owned();
    let on = app
        .post(
            "/api/v1/me/two-factor/confirm",
            token,
            json!({"code": code(&secret)}),
        )
        .await;
    assert_eq!(on.status, 200, "{}", on.text);
    secret
}

async fn token(app: &TestApp, body: Value) -> String {
    let r = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/token",
            None,
            Some(body),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn owners_and_the_operator_must_turn_two_factor_on_before_anything_else() {
    let app = spawn_app_with(|c| c.require_2fa = true).await;

    // The operator: signed in with the password, and only their account is open.
    let op = app.operator_token().await;
    let tenant_body = json!({
        "name": "Guarded Inc.", "slug": "guarded", "plan": "select",
        "admin": {"email": "owner@guarded.example.com", "display_name": "Owner",
                  "password": ADMIN_PASSWORD}
    });
    required(
        &app.post("/api/v1/platform/tenants", &op, tenant_body.clone())
            .await,
    );
    required(&app.get("/api/v1/platform/tenants", &op).await);
    assert_eq!(app.get("/api/v1/me/sessions", &op).await.status, 200);
    let op_secret = enrol(&app, &op).await;
    // The same token works now; a new one needs the code.
    let created = app.post("/api/v1/platform/tenants", &op, tenant_body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let op2 = token(
        &app,
        json!({"email": OPERATOR_EMAIL, "password": OPERATOR_PASSWORD, "otp": code(&op_secret)}),
    )
    .await;
    assert_eq!(app.get("/api/v1/platform/tenants", &op2).await.status, 200);

    // The workspace's owner: the same.
    let owner = token(
        &app,
        json!({"tenant": "guarded", "email": "owner@guarded.example.com", "password": ADMIN_PASSWORD}),
    )
    .await;
    required(&app.get("/api/v1/users", &owner).await);
    required(&app.get("/api/v1/settings", &owner).await);
    assert_eq!(
        upgrade_status(&app, &format!("/api/v1/ws/agent?token={owner}")).await,
        403,
        "the owner's socket waits for two-factor too"
    );
    let me = app.get("/api/v1/me", &owner).await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(app.get("/api/v1/me/sessions", &owner).await.status, 200);
    enrol(&app, &owner).await;
    let users = app.get("/api/v1/users", &owner).await;
    assert_eq!(users.status, 200, "{}", users.text);

    // An admin who is not an owner, an agent and an API key are not concerned.
    for (email, role) in [
        ("admin@guarded.example.com", "admin"),
        ("agent@guarded.example.com", "agent"),
    ] {
        let made = app
            .post(
                "/api/v1/users",
                &owner,
                json!({"email": email, "display_name": role, "role": role, "password": ADMIN_PASSWORD}),
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.text);
        let t = token(
            &app,
            json!({"tenant": "guarded", "email": email, "password": ADMIN_PASSWORD}),
        )
        .await;
        assert_eq!(app.get("/api/v1/me/schedule", &t).await.status, 200);
    }
    let admin = token(
        &app,
        json!({"tenant": "guarded", "email": "admin@guarded.example.com", "password": ADMIN_PASSWORD}),
    )
    .await;
    assert_eq!(app.get("/api/v1/users", &admin).await.status, 200);
    let key = app
        .post("/api/v1/api-keys", &admin, json!({"name": "crm"}))
        .await;
    assert_eq!(key.status, 201, "{}", key.text);
    let key = key.body["key"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/v1/users", &key).await.status, 200);

    // A second owner, made by the first, is held like them until theirs is on.
    let made = app
        .post(
            "/api/v1/users",
            &owner,
            json!({"email": "owner2@guarded.example.com", "display_name": "Second owner",
                   "role": "owner", "password": ADMIN_PASSWORD}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let owner2 = token(
        &app,
        json!({"tenant": "guarded", "email": "owner2@guarded.example.com", "password": ADMIN_PASSWORD}),
    )
    .await;
    required(&app.get("/api/v1/conversations", &owner2).await);
    let out = app.post("/api/v1/auth/logout", &owner2, json!({})).await;
    assert_eq!(out.status, 204, "{}", out.text);
}

/// In Chromium: the operator and an owner who have not turned two-factor on land on their
/// account page with the reason, every other page sends them back there, and once it is on
/// they work as usual. Screenshots at 1366 and 390 px.
#[tokio::test]
async fn the_consoles_send_an_account_without_two_factor_to_its_account_page() {
    let app = spawn_app_with(|c| c.require_2fa = true).await;
    let (_driver, browser) = start_browser().await;

    async fn turn_on_in_the_page(browser: &fantoccini::Client, base: &str) -> String {
        click(browser, &format!("form[action='{base}/two-factor'] button")).await;
        let secret = until(
            browser,
            "the secret",
            "document.getElementById('totp-secret') && document.getElementById('totp-secret').textContent",
        )
        .await
        .as_str()
        .unwrap()
        .to_owned();
        type_into(browser, "#code", &code(&secret)).await;
        click(
            browser,
            &format!("form[action='{base}/two-factor/confirm'] button"),
        )
        .await;
        until(
            browser,
            "the recovery codes",
            "document.querySelectorAll('#recovery-codes li').length === 10",
        )
        .await;
        secret
    }

    // The operator signs in to the platform console: their account page, with the reason.
    browser.goto(&app.url("/platform/login")).await.unwrap();
    type_into(&browser, "#email", OPERATOR_EMAIL).await;
    type_into(&browser, "#password", OPERATOR_PASSWORD).await;
    click(&browser, "button[type=submit]").await;
    until(
        &browser,
        "the operator's account page",
        "location.pathname === '/platform/account' && document.getElementById('two-factor-required')",
    )
    .await;
    both_widths(&browser, "platform-account-two-factor-required").await;
    browser.goto(&app.url("/platform")).await.unwrap();
    until(
        &browser,
        "sent back to the account page",
        "location.pathname === '/platform/account'",
    )
    .await;
    let op_secret = turn_on_in_the_page(&browser, "/platform/account").await;
    browser.goto(&app.url("/platform")).await.unwrap();
    until(
        &browser,
        "the tenants",
        "location.pathname === '/platform' && document.querySelector('form[action=\"/platform/tenants\"]')",
    )
    .await;

    // A workspace, created with the operator's code.
    let op = token(
        &app,
        json!({"email": OPERATOR_EMAIL, "password": OPERATOR_PASSWORD, "otp": code(&op_secret)}),
    )
    .await;
    let created = app
        .post(
            "/api/v1/platform/tenants",
            &op,
            json!({"name": "Held Inc.", "slug": "held", "plan": "select",
                   "admin": {"email": "owner@held.example.com", "display_name": "Owner",
                             "password": ADMIN_PASSWORD}}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);

    // Its owner in the console: the account page, whatever page they ask for.
    click(&browser, "form.logout button").await;
    // The logout lands first: going elsewhere at once could cancel its form.
    until(
        &browser,
        "the platform's login page",
        "location.pathname === '/platform/login'",
    )
    .await;
    crate::helpers::browser::console_login(&browser, &app.base, "held", "owner@held.example.com")
        .await;
    until(
        &browser,
        "the owner's account page",
        "location.pathname === '/console/account' && document.getElementById('two-factor-required')",
    )
    .await;
    both_widths(&browser, "account-two-factor-required").await;
    for page in ["/console", "/console/users", "/inbox"] {
        browser.goto(&app.url(page)).await.unwrap();
        until(
            &browser,
            "sent back to the account page",
            "location.pathname === '/console/account'",
        )
        .await;
    }
    turn_on_in_the_page(&browser, "/console/account").await;
    browser.goto(&app.url("/console/users")).await.unwrap();
    until(
        &browser,
        "the users page",
        "location.pathname === '/console/users' && !document.getElementById('two-factor-required')",
    )
    .await;
}
