//! The audit log as a person reads it (issue 17 §3): filtered by who acted, what they did and
//! between which dates, in the API and in the console (days in the reader's time zone), with
//! names, action labels and readable details instead of ids and JSON; bad filters refused
//! with a message, never a 5xx.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::console::{console_login, page};
use crate::helpers::{Tenant, TestApp, spawn_app};

/// Known events: the owner adds a user, a key adds a team, the operator changes the plan.
/// Returns the key's id.
async fn known_events(app: &TestApp, t: &Tenant) -> String {
    app.create_user(t, "ada@audited.example.com", "agent").await;
    let key = app
        .post("/api/v1/api-keys", &t.token, json!({"name": "Reports"}))
        .await;
    assert_eq!(key.status, 201, "{}", key.text);
    let secret = key.body["key"].as_str().unwrap().to_owned();
    let key_id = key.id();
    let team = app
        .post("/api/v1/teams", &secret, json!({"name": "Sales"}))
        .await;
    assert_eq!(team.status, 201, "{}", team.text);
    let op = app.operator_token().await;
    let r = app
        .patch(
            &format!("/api/v1/platform/tenants/{}", t.id),
            &op,
            json!({"plan": "prime"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    key_id
}

/// An entry's row in the console's table.
fn row(action: &str) -> String {
    format!(r#"data-action="{action}""#)
}

fn items(r: &crate::helpers::Reply) -> Vec<Value> {
    r.body["items"].as_array().cloned().unwrap_or_default()
}

fn actions(r: &crate::helpers::Reply) -> Vec<String> {
    items(r)
        .iter()
        .map(|e| e["action"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn the_api_filters_the_audit_log_by_actor_action_and_dates() {
    let app = spawn_app().await;
    let t = app.create_tenant("audited").await;
    // Whole seconds: `from` taken at `start` falls at or before every known event.
    let start = Utc::now();
    let key_id = known_events(&app, &t).await;
    let all = app.get("/api/v1/audit-log?limit=200", &t.token).await;
    assert_eq!(all.status, 200, "{}", all.text);
    let every = actions(&all);
    for a in [
        "user.created",
        "api_key.created",
        "team.created",
        "plan.changed",
    ] {
        assert!(every.iter().any(|x| x == a), "{a} missing: {every:?}");
    }

    // By actor: the owner's own entries only; the key's; the operator's (by its id).
    let mine = app
        .get(&format!("/api/v1/audit-log?actor={}", t.admin_id), &t.token)
        .await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    assert!(
        items(&mine)
            .iter()
            .all(|e| e["actor"]["id"] == t.admin_id.as_str())
    );
    assert!(actions(&mine).contains(&"user.created".to_owned()));
    assert!(!actions(&mine).contains(&"team.created".to_owned()));
    let by_key = app
        .get(&format!("/api/v1/audit-log?actor={key_id}"), &t.token)
        .await;
    assert!(actions(&by_key).contains(&"team.created".to_owned()));
    assert!(
        items(&by_key)
            .iter()
            .all(|e| e["actor"]["kind"] == "api_key"),
        "{}",
        by_key.text
    );
    let operator = items(&all)
        .into_iter()
        .find(|e| e["action"] == "plan.changed")
        .unwrap()["actor"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let by_operator = app
        .get(&format!("/api/v1/audit-log?actor={operator}"), &t.token)
        .await;
    let ops = actions(&by_operator);
    assert!(ops.contains(&"plan.changed".to_owned()), "{ops:?}");
    assert!(
        ops.iter()
            .all(|a| a == "plan.changed" || a == "tenant.created")
    );

    // By action, a page at a time: the filter is in the query, so pages are full.
    app.post("/api/v1/teams", &t.token, json!({"name": "Support"}))
        .await;
    let first = app
        .get("/api/v1/audit-log?action=team.created&limit=1", &t.token)
        .await;
    assert_eq!(actions(&first), ["team.created"]);
    let cursor = first.body["next_cursor"].as_str().expect("a second page");
    let second = app
        .get(
            &format!("/api/v1/audit-log?action=team.created&limit=1&cursor={cursor}"),
            &t.token,
        )
        .await;
    assert_eq!(actions(&second), ["team.created"]);
    assert_ne!(items(&first)[0]["id"], items(&second)[0]["id"]);
    assert_eq!(second.body["next_cursor"], Value::Null, "{}", second.text);

    // By dates.
    let at = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let later = Utc::now() + Duration::hours(1);
    let none = app
        .get(&format!("/api/v1/audit-log?from={}", at(later)), &t.token)
        .await;
    assert_eq!(none.status, 200, "{}", none.text);
    assert!(items(&none).is_empty(), "{}", none.text);
    let before = app
        .get(&format!("/api/v1/audit-log?to={}", at(start)), &t.token)
        .await;
    assert_eq!(before.status, 200, "{}", before.text);
    for a in [
        "user.created",
        "api_key.created",
        "team.created",
        "plan.changed",
    ] {
        assert!(!actions(&before).contains(&a.to_owned()), "{}", before.text);
    }
    let between = app
        .get(
            &format!(
                "/api/v1/audit-log?limit=200&from={}&to={}",
                at(start),
                at(later)
            ),
            &t.token,
        )
        .await;
    let between = actions(&between);
    for a in ["user.created", "api_key.created", "plan.changed"] {
        assert!(between.iter().any(|x| x == a), "{a} missing: {between:?}");
    }
    assert_eq!(
        between.iter().filter(|a| *a == "team.created").count(),
        2,
        "{between:?}"
    );

    // Bad values: 422 problems naming the parameter; nothing is a server error.
    for (query, field) in [
        ("from=yesterday", "from"),
        ("to=2026-13-45T00:00:00Z", "to"),
        ("actor=not-an-id", "actor"),
        ("action=Drop%20table", "action"),
        ("from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "to"),
    ] {
        let r = app
            .get(&format!("/api/v1/audit-log?{query}"), &t.token)
            .await;
        assert_eq!(r.status, 422, "{query}: {}", r.text);
        assert_eq!(r.body["field"], field, "{query}: {}", r.text);
    }

    // Another workspace's actor matches nothing here.
    let other = app.create_tenant("elsewhere").await;
    let r = app
        .get(
            &format!("/api/v1/audit-log?actor={}", t.admin_id),
            &other.token,
        )
        .await;
    assert!(items(&r).is_empty(), "{}", r.text);
}

#[tokio::test]
async fn the_console_audit_log_names_who_did_what_and_filters_by_local_days() {
    let app = spawn_app().await;
    let t = app.create_tenant("audited").await;
    let key_id = known_events(&app, &t).await;
    // The owner reads in Kiritimati time (UTC+14): days are theirs, not UTC's.
    let r = app
        .put_json(
            "/api/v1/me/locale",
            &t.token,
            json!({"locale": "en", "timezone": "Pacific/Kiritimati"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let b = console_login(&app, &t.slug, &t.admin_email).await;

    let (status, html) = page(&app, &b, "/console/audit-log").await;
    assert_eq!(status, 200);
    for words in [
        r#"title="user.created">Added a user</span>"#,
        r#"title="api_key.created">Created an API key</span>"#,
        r#"title="team.created">Created a team</span>"#,
        r#"title="plan.changed">Changed the plan</span>"#,
        "<td>Platform operator</td>",
        "API key Reports",
        // Details as labelled values, a change as before → after.
        "<dt>Plan</dt><dd>Select → Prime</dd>",
        "<dt>Email</dt><dd>ada@audited.example.com</dd>",
        // The target by name, with a link to the user.
        ">ada</a>",
    ] {
        assert!(html.contains(words), "{words:?} missing from\n{html}");
    }
    assert!(!html.contains("{&quot;"), "no raw JSON: {html}");

    // By action.
    let (_, html) = page(&app, &b, "/console/audit-log?action=team.created").await;
    assert!(html.contains(&row("team.created")), "{html}");
    assert!(!html.contains(&row("user.created")), "{html}");
    assert!(
        html.contains(r#"<option value="team.created" selected>"#),
        "{html}"
    );
    // By actor: the key did only the team; the operator only tenant and plan.
    let (_, html) = page(&app, &b, &format!("/console/audit-log?actor={key_id}")).await;
    assert!(html.contains(&row("team.created")), "{html}");
    assert!(!html.contains(&row("plan.changed")), "{html}");
    let (_, html) = page(&app, &b, "/console/audit-log?actor=operator").await;
    assert!(html.contains(&row("plan.changed")), "{html}");
    assert!(!html.contains(&row("team.created")), "{html}");
    assert!(!html.contains(&row("user.created")), "{html}");

    // By days in the reader's zone: today there, not the next day nor the day before.
    let today = (Utc::now() + Duration::hours(14)).date_naive();
    let zone: chrono_tz::Tz = "Pacific/Kiritimati".parse().unwrap();
    let today_there = Utc::now().with_timezone(&zone).date_naive();
    assert_eq!(today, today_there);
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let (_, html) = page(
        &app,
        &b,
        &format!("/console/audit-log?from={}&to={}", day(today), day(today)),
    )
    .await;
    assert!(html.contains(&row("team.created")), "{html}");
    for (from, to) in [
        (day(today.succ_opt().unwrap()), String::new()),
        (String::new(), day(today.pred_opt().unwrap())),
    ] {
        let (status, html) =
            page(&app, &b, &format!("/console/audit-log?from={from}&to={to}")).await;
        assert_eq!(status, 200);
        assert!(!html.contains(&row("team.created")), "{from}..{to}: {html}");
        assert!(html.contains("No entry matches these filters"), "{html}");
    }
    // A bad date: said beside its field, 422.
    let (status, html) = page(&app, &b, "/console/audit-log?from=someday").await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="from-error""#), "{html}");
    let (status, html) = page(&app, &b, "/console/audit-log?from=2026-12-02&to=2026-12-01").await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="to-error""#), "{html}");
}
