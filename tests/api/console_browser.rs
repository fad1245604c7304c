//! The admin console in headless Chromium (issue 6): an admin logs in, grants the live-chat
//! permission, creates a team, builds and publishes a question → capture → live-chat
//! dialogue, sees the error when adding a card after the live-chat card, runs a dry run and
//! reads a conversation's routing trace. Every page is screenshotted (`test-artifacts/`) and
//! checked with axe-core (from npm, `tests/browser`): no serious or critical violation.

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::helpers::axe::{axe, axe_source};
use crate::helpers::browser::{
    both_widths, click, console_login, fits_its_width, log_out_and_in, screenshot, start_browser,
    type_into, until,
};
use crate::helpers::widget::{answer, start_session};
use crate::helpers::{OPERATOR_EMAIL, OPERATOR_PASSWORD, TestApp, spawn_app};

/// Visits `path`, waits for its heading, screenshots it and checks it.
async fn visit(
    app: &TestApp,
    browser: &Client,
    axe_js: &str,
    path: &str,
    name: &str,
    found: &mut Vec<String>,
) {
    browser.goto(&app.url(path)).await.unwrap();
    until(
        browser,
        &format!("{name} to load"),
        "document.querySelector('h1')",
    )
    .await;
    screenshot(browser, &format!("console-{name}")).await;
    found.extend(axe(browser, axe_js, name).await);
}

/// Fills the designer's add-card form and sends it.
async fn add_card(browser: &Client, kind: &str, id: &str, text: &str, after: &str) {
    // What the new card comes after is set as a form would post it, offered or not (a
    // live-chat card is not: nothing may follow it).
    browser
        .execute(
            "const s = document.getElementById('new-after'), v = arguments[0];
             if (!Array.from(s.options).some(o => o.value === v)) s.add(new Option(v, v));
             s.value = v;",
            vec![Value::String(after.to_owned())],
        )
        .await
        .unwrap();
    for option in [format!("#new-kind option[value='{kind}']")] {
        browser
            .find(Locator::Css(&option))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    type_into(browser, "#new-id", id).await;
    type_into(browser, "#new-text", text).await;
    click(browser, "form[action$='/cards'] button[type=submit]").await;
}

fn text_of(v: Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn an_admin_runs_the_workspace_in_the_console_and_every_page_passes_axe() {
    let axe_js = axe_source();
    let app = spawn_app().await;
    let t = app.create_tenant("consoled").await;
    let agent = app
        .create_user(&t, "agent@consoled.example.com", "agent")
        .await;
    let (_driver, browser) = start_browser().await;
    let mut violations = Vec::new();

    visit(
        &app,
        &browser,
        &axe_js,
        "/console/login",
        "login",
        &mut violations,
    )
    .await;
    console_login(&browser, &app.base, &t.slug, &t.admin_email).await;
    until(
        &browser,
        "the dashboard",
        "location.pathname === '/console'",
    )
    .await;
    visit(
        &app,
        &browser,
        &axe_js,
        "/console",
        "dashboard",
        &mut violations,
    )
    .await;

    // Grant the live-chat permission.
    visit(
        &app,
        &browser,
        &axe_js,
        "/console/users",
        "users",
        &mut violations,
    )
    .await;
    click(
        &browser,
        &format!("form[action='/console/users/{agent}/live-chat-permission'] button"),
    )
    .await;
    until(&browser, "the permission granted", "document.querySelector('.notice') && document.querySelector('.notice').textContent.includes('granted')").await;
    let u = app.get(&format!("/api/v1/users/{agent}"), &t.token).await;
    assert_eq!(u.body["live_chat_permission"], true, "{}", u.text);
    visit(
        &app,
        &browser,
        &axe_js,
        &format!("/console/users/{agent}"),
        "user",
        &mut violations,
    )
    .await;

    // Create a team and put the agent in it.
    visit(
        &app,
        &browser,
        &axe_js,
        "/console/teams",
        "teams",
        &mut violations,
    )
    .await;
    type_into(&browser, "#name", "Sales EMEA").await;
    click(
        &browser,
        "form[action='/console/teams'] button[type=submit]",
    )
    .await;
    until(
        &browser,
        "the new team",
        "Array.from(document.querySelectorAll('h2')).some(h => h.textContent === 'Sales EMEA')",
    )
    .await;
    click(&browser, "form[action$='/members'] button[type=submit]").await;
    until(
        &browser,
        "the member added",
        "document.querySelector('.members li')",
    )
    .await;
    screenshot(&browser, "console-team-created").await;

    // A canned response for the team, with a variable; a bad one refused beside its field.
    visit(
        &app,
        &browser,
        &axe_js,
        "/console/canned-responses",
        "canned-empty",
        &mut violations,
    )
    .await;
    type_into(&browser, "#shortcut", "two words").await;
    type_into(&browser, "#text", "Hi {visitor.first_name}!").await;
    click(
        &browser,
        "form[action='/console/canned-responses'] button[type=submit]",
    )
    .await;
    until(
        &browser,
        "the shortcut's message",
        "document.getElementById('shortcut-error') && document.getElementById('shortcut-error').textContent.includes('no spaces')",
    )
    .await;
    type_into(&browser, "#shortcut", "pricing").await;
    browser
        .find(Locator::Css("input[name=scope][value=tenant]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(
        &browser,
        "form[action='/console/canned-responses'] button[type=submit]",
    )
    .await;
    until(
        &browser,
        "the team's canned response",
        "document.querySelector('#team-title') && document.querySelector(\"input[value='pricing']\")",
    )
    .await;
    violations.extend(axe(&browser, &axe_js, "canned").await);
    screenshot(&browser, "console-canned").await;
    let canned = app.get("/api/v1/canned-responses", &t.token).await;
    assert_eq!(
        canned.body["items"][0]["scope"], "tenant",
        "{}",
        canned.text
    );
    assert_eq!(canned.body["items"][0]["text"], "Hi {visitor.first_name}!");
    let teams = app.get("/api/v1/teams", &t.token).await;
    assert_eq!(
        teams.body["items"][0]["name"], "Sales EMEA",
        "{}",
        teams.text
    );

    // Build question → capture → live chat, and publish it.
    visit(
        &app,
        &browser,
        &axe_js,
        "/console/dialogues",
        "dialogues",
        &mut violations,
    )
    .await;
    type_into(&browser, "#name", "Sales").await;
    click(
        &browser,
        "form[action='/console/dialogues'] button[type=submit]",
    )
    .await;
    until(
        &browser,
        "the designer",
        "document.getElementById('card-welcome')",
    )
    .await;
    for (kind, id, text, after) in [
        ("question", "ask", "Talk to sales?", "welcome"),
        ("capture", "form", "Who are you?", "ask#0"),
        ("live_chat", "connect", "", "form"),
    ] {
        add_card(&browser, kind, id, text, after).await;
        until(
            &browser,
            &format!("the card {id}"),
            &format!("document.getElementById('card-{id}')"),
        )
        .await;
    }
    click(&browser, "#publish").await;
    until(&browser, "the dialogue published", "document.querySelector('.notice') && document.querySelector('.notice').textContent.startsWith('Published')").await;
    let designer = browser.current_url().await.unwrap().path().to_owned();
    screenshot(&browser, "console-dialogue-published").await;
    violations.extend(axe(&browser, &axe_js, "dialogue").await);

    // A card after the live-chat card: refused on the card being added, saying why.
    add_card(&browser, "message", "after", "One more thing", "connect").await;
    let error = text_of(until(&browser, "the error on the refused card", "document.getElementById('card-after-error') && document.getElementById('card-after-error').textContent").await);
    assert!(error.contains("“connect” is a live-chat card"), "{error}");
    browser
        .execute(
            "document.getElementById('card-after').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    screenshot(&browser, "console-dialogue-error").await;
    violations.extend(axe(&browser, &axe_js, "dialogue-error").await);
    let d = app
        .get(
            &format!("/api/v1{}", designer.trim_start_matches("/console")),
            &t.token,
        )
        .await;
    assert_eq!(
        d.body["cards"].as_array().map(Vec::len),
        Some(4),
        "nothing saved: {}",
        d.text
    );

    // A dry run.
    visit(
        &app,
        &browser,
        &axe_js,
        "/console/routing",
        "routing",
        &mut violations,
    )
    .await;
    let agent_token = app.user_token(&t, "agent@consoled.example.com").await;
    let r = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/me/availability",
            Some(&agent_token),
            Some(json!({"status": "available"})),
        )
        .await;
    assert_eq!(r.status, 200);
    type_into(&browser, "#dry-country", "FR").await;
    click(
        &browser,
        "form[action='/console/routing/dry-run'] button[type=submit]",
    )
    .await;
    let result = text_of(until(&browser, "the dry run's answer", "document.getElementById('dry-run-result') && document.getElementById('dry-run-result').textContent").await);
    assert!(result.contains("agent"), "{result}");
    screenshot(&browser, "console-dry-run").await;

    // A visitor asks; the admin reads the conversation's trace.
    let key = app.get("/api/v1/settings", &t.token).await.body["widget_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let session = start_session(
        &app,
        json!({"widget_key": key, "page_url": "https://shop.example.com/"}),
        Some("FR"),
    )
    .await;
    assert_eq!(session.status, 200, "{}", session.text);
    for step in [
        json!({"card_id": "welcome"}),
        json!({"card_id": "ask", "choice": "1"}),
        json!({"card_id": "form", "fields": {"first_name": "Ada", "email": "ada@example.com"}}),
    ] {
        let r = answer(&app, &session.body, step).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let conversation = session.body["conversation_id"].as_str().unwrap().to_owned();
    visit(
        &app,
        &browser,
        &axe_js,
        "/console/conversations",
        "conversations",
        &mut violations,
    )
    .await;
    click(
        &browser,
        &format!("a[href='/console/conversations/{conversation}']"),
    )
    .await;
    let outcome = text_of(until(&browser, "the trace", "document.querySelector('.trace-outcome') && document.querySelector('.trace-offers') && document.querySelector('.trace-outcome').textContent").await);
    assert!(!outcome.is_empty());
    let offers = text_of(
        browser
            .execute(
                "return document.querySelector('.trace-offers').textContent",
                vec![],
            )
            .await
            .unwrap(),
    );
    assert!(offers.contains("agent"), "{offers}");
    screenshot(&browser, "console-conversation-trace").await;
    violations.extend(axe(&browser, &axe_js, "conversation").await);

    // The other pages.
    for (path, name) in [
        ("/console/settings", "settings"),
        ("/console/failed-actions", "failed-actions"),
        ("/console/webhooks", "webhooks"),
        ("/console/api-keys", "api-keys"),
        ("/console/audit-log", "audit-log"),
    ] {
        visit(&app, &browser, &axe_js, path, name, &mut violations).await;
    }
    // On a phone's width, every page still fits: nothing scrolls sideways but the tables
    // inside their own frame.
    browser.set_window_size(390, 844).await.unwrap();
    let mut too_wide = Vec::new();
    for (path, name) in [
        ("/console".to_owned(), "dashboard-phone"),
        ("/console/users".to_owned(), "users-phone"),
        (designer.clone(), "dialogue-phone"),
        ("/console/routing".to_owned(), "routing-phone"),
        ("/console/settings".to_owned(), "settings-phone"),
        (format!("/console/users/{agent}"), "user-phone"),
        ("/console/conversations".to_owned(), "conversations-phone"),
    ] {
        visit(&app, &browser, &axe_js, &path, name, &mut violations).await;
        if !fits_its_width(&browser).await {
            too_wide.push(name);
        }
    }
    assert!(
        too_wide.is_empty(),
        "these pages scroll sideways on a phone: {too_wide:?}"
    );
    browser.set_window_size(1280, 900).await.unwrap();

    // A webhook's delivery log, and the page of a user who was invited.
    let hook = app
        .post(
            "/api/v1/webhooks",
            &t.token,
            json!({"url": "https://hooks.example.com/in", "events": ["conversation.ended"]}),
        )
        .await;
    assert_eq!(hook.status, 201, "{}", hook.text);
    visit(
        &app,
        &browser,
        &axe_js,
        &format!("/console/webhooks/{}", hook.id()),
        "webhook",
        &mut violations,
    )
    .await;
    let invited = app
        .post(
            "/api/v1/users",
            &t.token,
            json!({"email": "new@consoled.example.com", "display_name": "New", "role": "agent"}),
        )
        .await;
    assert_eq!(invited.status, 201, "{}", invited.text);
    let invitation = invited.body["invitation_url"].as_str().unwrap().to_owned();

    // The agent's inbox.
    log_out_and_in(&browser, &app.base, &t.slug, "agent@consoled.example.com").await;
    until(&browser, "the inbox", "location.pathname === '/inbox' && document.getElementById('sb-connection').textContent === 'Connected'").await;
    screenshot(&browser, "console-inbox").await;
    violations.extend(axe(&browser, &axe_js, "inbox").await);

    // The operator's console: tenants, plans, limits, engagements used.
    click(&browser, "form.logout button").await;
    until(
        &browser,
        "the login page",
        "location.pathname === '/console/login'",
    )
    .await;
    visit(
        &app,
        &browser,
        &axe_js,
        "/platform/login",
        "platform-login",
        &mut violations,
    )
    .await;
    type_into(&browser, "#email", OPERATOR_EMAIL).await;
    type_into(&browser, "#password", OPERATOR_PASSWORD).await;
    click(&browser, "button[type=submit]").await;
    until(
        &browser,
        "the tenants",
        "location.pathname === '/platform' && document.querySelector('table')",
    )
    .await;
    let listed = text_of(
        browser
            .execute("return document.querySelector('table').textContent", vec![])
            .await
            .unwrap(),
    );
    assert!(
        listed.contains("consoled") && listed.contains("Engagements used"),
        "{listed}"
    );
    screenshot(&browser, "platform-tenants").await;
    violations.extend(axe(&browser, &axe_js, "platform-tenants").await);

    // A refused login, and the page for something that does not exist.
    browser.goto(&app.url("/console/login")).await.unwrap();
    type_into(&browser, "#tenant", "consoled").await;
    type_into(&browser, "#email", "nobody@consoled.example.com").await;
    type_into(&browser, "#password", "not-the-password").await;
    click(&browser, "button[type=submit]").await;
    until(
        &browser,
        "the login error",
        "document.querySelector('.error')",
    )
    .await;
    screenshot(&browser, "console-login-error").await;
    violations.extend(axe(&browser, &axe_js, "login-error").await);
    visit(
        &app,
        &browser,
        &axe_js,
        "/console/nothing-here",
        "not-found",
        &mut violations,
    )
    .await;

    // The invitation page, as the invited user opens it (signed out).
    browser.goto(&invitation).await.unwrap();
    until(
        &browser,
        "the invitation page",
        "document.querySelector('h1')",
    )
    .await;
    screenshot(&browser, "console-invitation").await;
    violations.extend(axe(&browser, &axe_js, "invitation").await);
    // It names the workspace; once the password is chosen the login form is filled in.
    let page = browser.source().await.unwrap();
    assert!(
        page.contains("consoled Inc."),
        "the invitation names the workspace"
    );
    type_into(&browser, "#password", "a long enough password").await;
    click(&browser, "form button[type=submit]").await;
    until(
        &browser,
        "the login form filled in",
        "location.pathname === '/console/login' && document.getElementById('tenant').value === 'consoled' && document.getElementById('email').value === 'new@consoled.example.com'",
    )
    .await;

    assert!(
        violations.is_empty(),
        "accessibility violations:\n{}",
        violations.join("\n")
    );
    browser.close().await.unwrap();
}

/// A new workspace's owner signed in, on the dashboard.
async fn owner_on_the_dashboard(
    slug: &str,
) -> (
    TestApp,
    crate::helpers::Tenant,
    crate::helpers::browser::Driver,
    Client,
) {
    let app = spawn_app().await;
    let t = app.create_tenant(slug).await;
    let (driver, browser) = start_browser().await;
    console_login(&browser, &app.base, &t.slug, &t.admin_email).await;
    until(
        &browser,
        "the dashboard",
        "location.pathname === '/console'",
    )
    .await;
    (app, t, driver, browser)
}

/// Sets how many engagements the tenant used, straight in the database.
async fn set_engagements_used(app: &TestApp, tenant: &str, used: i64) {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use switchboard_store::tenants::{Column, Entity};
    Entity::update_many()
        .col_expr(Column::EngagementsUsed, Expr::value(used))
        .filter(Column::Id.eq(tenant.parse::<uuid::Uuid>().unwrap()))
        .exec(app.service.db())
        .await
        .unwrap();
}

#[tokio::test]
async fn the_engagement_bar_is_drawn_to_its_width_under_the_content_security_policy() {
    let (app, t, _driver, browser) = owner_on_the_dashboard("metered").await;
    // The plan's limit is 100 on select: 0, 50 and 100 used.
    for (used, percent, class) in [(0, 0.0, ""), (50, 50.0, ""), (100, 100.0, "full")] {
        set_engagements_used(&app, &t.id, used).await;
        browser.goto(&app.url("/console")).await.unwrap();
        until(
            &browser,
            "the bar",
            "document.getElementById('engagement-bar') !== null",
        )
        .await;
        let drawn = browser
            .execute(
                "const bar = document.getElementById('engagement-bar');
                 const fill = bar.querySelector('rect').getBoundingClientRect().width;
                 const all = bar.getBoundingClientRect().width;
                 return [100 * fill / all, bar.getAttribute('class'), all];",
                vec![],
            )
            .await
            .unwrap();
        let drawn_percent = drawn[0].as_f64().unwrap();
        assert!(
            (drawn_percent - percent).abs() < 1.0,
            "{used} used: drawn at {drawn_percent} % ({drawn})"
        );
        assert!(
            drawn[2].as_f64().unwrap() > 100.0,
            "the bar has a width: {drawn}"
        );
        assert_eq!(
            drawn[1].as_str().unwrap().trim(),
            format!("bar {class}").trim()
        );
        if used == 50 {
            both_widths(&browser, "console-engagement-half").await;
        }
    }
    // The widget tag has a Copy button that copies it (or selects it where the browser
    // refuses the clipboard).
    click(&browser, "#snippet + .copy-button").await;
    until(
        &browser,
        "the tag copied",
        "document.querySelector('#snippet + .copy-button').textContent === 'Copied' || (document.activeElement === document.getElementById('snippet') && window.getSelection().toString().length + document.getElementById('snippet').selectionEnd > 0)",
    )
    .await;
}

#[tokio::test]
async fn the_navigation_fits_one_row_and_folds_behind_a_menu_on_a_phone() {
    let (_app, _t, _driver, browser) = owner_on_the_dashboard("navigated").await;
    browser.set_window_size(1366, 900).await.unwrap();
    // One row at 1366 px: every top-level entry on the brand's line.
    let rows = browser
        .execute(
            "const tops = Array.from(document.querySelectorAll('#console-nav > a, #console-nav > details > summary'))
                .map(e => Math.round(e.getBoundingClientRect().top));
             return new Set(tops).size;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(rows, json!(1), "the navigation wraps at 1366 px");
    // A group opens on a click and lists its pages; a click elsewhere closes it.
    click(&browser, ".nav-group:nth-of-type(3) > summary").await;
    until(
        &browser,
        "the Setup group open",
        "document.querySelector(\"a[href='/console/settings']\").getBoundingClientRect().height > 0",
    )
    .await;
    screenshot(&browser, "console-nav-group-1366").await;
    click(&browser, ".brand").await;
    until(
        &browser,
        "the group closed",
        "document.querySelectorAll('.nav-group[open]').length === 0",
    )
    .await;
    // On a phone the navigation hides behind Menu, which opens it.
    browser.set_window_size(390, 844).await.unwrap();
    until(
        &browser,
        "the Menu button and no navigation",
        "getComputedStyle(document.querySelector('.menu-button')).display !== 'none' && document.getElementById('console-nav').getBoundingClientRect().height === 0",
    )
    .await;
    screenshot(&browser, "console-nav-closed-390").await;
    click(&browser, ".menu-button").await;
    until(
        &browser,
        "the navigation open",
        "document.getElementById('console-nav').getBoundingClientRect().height > 0 && document.querySelector('.menu-button').getAttribute('aria-expanded') === 'true'",
    )
    .await;
    screenshot(&browser, "console-nav-open-390").await;
    assert!(fits_its_width(&browser).await);
    browser.set_window_size(1366, 900).await.unwrap();
}
