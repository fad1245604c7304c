//! Business hours and agents' schedules (SPEC §12.1), with an injected clock: the dry run
//! takes the instant it asks about, and the schedule pass (`apply_schedules`) is stopped and
//! driven at chosen instants — across daylight-saving changes in Paris.

use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::agents::available_agents;
use crate::helpers::console::{console_login, csrf, page, post};
use crate::helpers::widget::{publish, sales_dialogue, walk_to_live_chat};
use crate::helpers::{Tenant, TestApp, poll_until, spawn_app};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn every_day(from: &str, to: &str) -> Value {
    Value::Array(
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .iter()
            .map(|d| json!({"day": d, "from": from, "to": to}))
            .collect(),
    )
}

async fn put_json(app: &TestApp, path: &str, token: &str, body: Value) -> crate::helpers::Reply {
    app.call(Method::PUT, path, Some(token), Some(body)).await
}

/// The dry run of `routing` at `when` (now when `None`).
async fn dry_run(app: &TestApp, t: &Tenant, routing: Value, when: Option<&str>) -> Value {
    let mut body = json!({"routing": routing});
    if let Some(w) = when {
        body["at"] = json!(w);
    }
    let r = app.post("/api/v1/routing/dry-run", &t.token, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

async fn availability(app: &TestApp, token: &str) -> String {
    let me = app.get("/api/v1/me", token).await;
    me.body["availability"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn outside_business_hours_a_visitor_gets_the_outside_hours_message() {
    let app = spawn_app().await;
    let t = app.create_tenant("closed").await;
    available_agents(&app, &t, 1).await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;

    // No interval at all: never open. The default message is sent.
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"business_hours": {"timezone": "Europe/Paris", "weekly": []}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body["business_hours"],
        json!({"timezone": "Europe/Paris", "weekly": [], "holidays": []})
    );
    let default_message = r.body["outside_hours_message"].as_str().unwrap().to_owned();
    assert!(
        default_message.contains("business hours"),
        "{default_message}"
    );
    let closed = walk_to_live_chat(&app, &key, None).await;
    assert_eq!(closed.body["status"], "fallback", "{}", closed.text);
    assert_eq!(closed.body["fallback_reason"], "outside_hours");
    assert_eq!(closed.body["fallback_message"], default_message.as_str());
    let id = closed.body["conversation_id"].as_str().unwrap();
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    assert_eq!(c.body["fallback_reason"], "outside_hours", "{}", c.text);
    assert_eq!(
        c.body["trace"]["outcome"],
        json!({"status": "fallback", "reason": "outside_hours"})
    );
    assert_eq!(
        c.body["trace"]["offers"],
        json!([]),
        "nobody was offered it"
    );

    // Open all week, but today (wherever the zone's date is) is a holiday.
    let today = Utc::now().with_timezone(&utc_plus(14)).date_naive();
    let holidays: Vec<String> = (-2..=1)
        .map(|d| (today + Duration::days(d)).to_string())
        .collect();
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"business_hours": {"timezone": "Pacific/Kiritimati", "weekly": every_day("00:00", "24:00"), "holidays": holidays},
                   "outside_hours_message": "Closed for the holidays."}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body["business_hours"]["holidays"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let holiday = walk_to_live_chat(&app, &key, None).await;
    assert_eq!(
        holiday.body["fallback_reason"], "outside_hours",
        "{}",
        holiday.text
    );
    assert_eq!(holiday.body["fallback_message"], "Closed for the holidays.");

    // The same hours without the holidays: open, the agent is offered the chat.
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"business_hours": {"timezone": "Pacific/Kiritimati", "weekly": every_day("00:00", "24:00")}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let open = walk_to_live_chat(&app, &key, None).await;
    assert_eq!(open.body["status"], "waiting", "{}", open.text);

    // `null`: always open again; the message stays as written.
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"business_hours": null}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["business_hours"], Value::Null);
    assert_eq!(r.body["outside_hours_message"], "Closed for the holidays.");
}

/// A fixed offset east of UTC (Kiritimati is UTC+14 all year).
fn utc_plus(hours: i32) -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(hours * 3600).unwrap()
}

#[tokio::test]
async fn the_dry_run_follows_business_hours_on_the_paris_clock_across_both_dst_changes() {
    let app = spawn_app().await;
    let t = app.create_tenant("paris").await;
    let (agent, _) = available_agents(&app, &t, 1).await.remove(0);
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"business_hours": {"timezone": "Europe/Paris", "weekly": every_day("09:00", "17:00"), "holidays": ["2026-03-30"]}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let rr = json!({"mode": "round_robin"});
    // (instant, open): 9 to 17 on the wall clock is 08–16 UTC in winter, 07–15 in summer.
    let cases = [
        ("2026-03-28T07:59:00Z", false),
        ("2026-03-28T08:00:00Z", true),
        ("2026-03-28T15:59:00Z", true),
        ("2026-03-28T16:00:00Z", false),
        // Sunday 29 March: clocks go forward at 01:00 UTC.
        ("2026-03-29T06:59:59Z", false),
        ("2026-03-29T07:00:00Z", true),
        ("2026-03-29T14:59:59Z", true),
        ("2026-03-29T15:00:00Z", false),
        // Monday 30 March is a holiday.
        ("2026-03-30T10:00:00Z", false),
        ("2026-03-31T10:00:00Z", true),
        // Saturday 24 October, still summer time.
        ("2026-10-24T06:59:00Z", false),
        ("2026-10-24T07:00:00Z", true),
        // Sunday 25 October: clocks go back at 01:00 UTC.
        ("2026-10-25T07:59:59Z", false),
        ("2026-10-25T08:00:00Z", true),
        ("2026-10-25T15:59:59Z", true),
        ("2026-10-25T16:00:00Z", false),
    ];
    for (when, open) in cases {
        let run = dry_run(&app, &t, rr.clone(), Some(when)).await;
        if open {
            assert_eq!(run["would_offer"]["id"], agent.as_str(), "{when}: {run}");
            assert_eq!(run["fallback_reason"], Value::Null, "{when}");
        } else {
            assert_eq!(run["would_offer"], Value::Null, "{when}: {run}");
            assert_eq!(run["fallback_reason"], "outside_hours", "{when}");
            assert_eq!(
                run["trace"]["outcome"],
                json!({"status": "fallback", "reason": "outside_hours"})
            );
        }
    }
}

#[tokio::test]
async fn a_schedule_makes_the_agent_available_and_away_at_its_boundaries_across_dst() {
    let app = spawn_app().await;
    app.stop_worker("apply_schedules");
    let t = app.create_tenant("shifts").await;
    let (agent, token) = available_agents(&app, &t, 1).await.remove(0);
    let r = put_json(
        &app,
        "/api/v1/me/schedule",
        &token,
        json!({"timezone": "Europe/Paris", "weekly": [
            {"day": "sun", "from": "13:00", "to": "17:00"},
            {"day": "sun", "from": "09:00", "to": "12:00"}]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Answered in its canonical order; the admin sees the same.
    let canonical = json!({"timezone": "Europe/Paris", "weekly": [
        {"day": "sun", "from": "09:00", "to": "12:00"},
        {"day": "sun", "from": "13:00", "to": "17:00"}]});
    assert_eq!(r.body, canonical);
    assert_eq!(app.get("/api/v1/me/schedule", &token).await.body, canonical);
    let seen = app
        .get(&format!("/api/v1/users/{agent}/schedule"), &t.token)
        .await;
    assert_eq!(seen.body, canonical, "{}", seen.text);

    let named = json!({"mode": "agent", "agent_id": agent});
    let admin = console_login(&app, &t.slug, &t.admin_email).await;
    let steps = [
        // Spring forward: 09:00 CEST is 07:00 UTC.
        ("2026-03-29T06:59:59Z", "away"),
        ("2026-03-29T07:00:00Z", "available"),
        ("2026-03-29T09:59:59Z", "available"),
        ("2026-03-29T10:00:00Z", "away"),
        ("2026-03-29T11:00:00Z", "available"),
        ("2026-03-29T15:00:00Z", "away"),
        // Fall back: 09:00 CET is 08:00 UTC.
        ("2026-10-25T07:59:59Z", "away"),
        ("2026-10-25T08:00:00Z", "available"),
        ("2026-10-25T16:00:00Z", "away"),
    ];
    for (when, expected) in steps {
        app.service.apply_schedules(at(when)).await.unwrap();
        assert_eq!(availability(&app, &token).await, expected, "at {when}");
        // Routing sees it at once (the dry run asked about the same instant), and so does
        // the dashboard.
        let run = dry_run(&app, &t, named.clone(), Some(when)).await;
        if expected == "available" {
            assert_eq!(run["would_offer"]["id"], agent.as_str(), "{when}: {run}");
        } else {
            assert_eq!(
                run["trace"]["considered"][0]["skipped"], "away",
                "{when}: {run}"
            );
        }
        let (_, html) = page(&app, &admin, "/console").await;
        let count = if expected == "available" { 1 } else { 0 };
        assert!(
            html.contains(&format!(
                r#"<p class="big" id="agents-available">{count} <small>available now</small>"#
            )),
            "at {when}"
        );
    }

    // Open again, and offered a chat: when the schedule closes, the offer is moved on at once.
    app.service
        .apply_schedules(at("2026-10-25T08:00:00Z"))
        .await
        .unwrap();
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let waiting = walk_to_live_chat(&app, &key, None).await;
    assert_eq!(waiting.body["status"], "waiting", "{}", waiting.text);
    let id = waiting.body["conversation_id"].as_str().unwrap().to_owned();
    app.service
        .apply_schedules(at("2026-10-25T16:00:00Z"))
        .await
        .unwrap();
    let since = std::time::Instant::now();
    let done = poll_until(
        &app,
        &format!("/api/v1/conversations/{id}"),
        &t.token,
        since,
        std::time::Duration::from_secs(5),
        "the offer of an agent whose schedule closed is moved on",
        |b| b["status"] == "fallback",
    )
    .await;
    assert_eq!(done.body["trace"]["offers"][0]["resolution"], "withdrawn");

    // No schedule: availability is what the agent chooses, whatever the time.
    let r = put_json(&app, "/api/v1/me/schedule", &token, Value::Null).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, Value::Null);
    let before = availability(&app, &token).await;
    app.service
        .apply_schedules(at("2026-10-25T08:00:00Z"))
        .await
        .unwrap();
    assert_eq!(availability(&app, &token).await, before);
}

#[tokio::test]
async fn a_manual_change_holds_until_the_schedules_next_boundary() {
    let app = spawn_app().await;
    app.stop_worker("apply_schedules");
    let t = app.create_tenant("override").await;
    let (agent, token) = available_agents(&app, &t, 1).await.remove(0);
    // Open from midnight to noon UTC, every day: the state now depends on the hour.
    let r = put_json(
        &app,
        &format!("/api/v1/users/{agent}/schedule"),
        &t.token,
        json!({"timezone": "UTC", "weekly": every_day("00:00", "12:00")}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let scheduled = availability(&app, &token).await;
    let chosen = if scheduled == "available" {
        "away"
    } else {
        "available"
    };
    let me = app.get("/api/v1/me", &token).await;
    assert_eq!(me.body["availability_override_until"], Value::Null);

    let r = put_json(
        &app,
        "/api/v1/me/availability",
        &token,
        json!({"status": chosen}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let me = app.get("/api/v1/me", &token).await;
    let until: DateTime<Utc> = me.body["availability_override_until"]
        .as_str()
        .unwrap_or_else(|| panic!("an override: {}", me.text))
        .parse()
        .unwrap();
    // The next boundary: the coming noon or midnight.
    let now = Utc::now();
    assert!(until > now && until - now <= Duration::hours(12), "{until}");
    assert!(
        until.format("%H:%M:%S").to_string() == "00:00:00"
            || until.format("%H:%M:%S").to_string() == "12:00:00",
        "{until}"
    );

    // Before the boundary the pass leaves the manual choice alone.
    app.service
        .apply_schedules(until - Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(availability(&app, &token).await, chosen);
    // From the boundary the schedule decides again (the state it flips to is the chosen one),
    // and the next boundary brings back the scheduled state.
    app.service.apply_schedules(until).await.unwrap();
    assert_eq!(availability(&app, &token).await, chosen);
    let me = app.get("/api/v1/me", &token).await;
    assert_eq!(me.body["availability_override_until"], Value::Null);
    app.service
        .apply_schedules(until + Duration::hours(12))
        .await
        .unwrap();
    assert_eq!(availability(&app, &token).await, scheduled);
}

#[tokio::test]
async fn bad_hours_and_schedules_are_refused_naming_the_field_and_change_nothing() {
    let app = spawn_app().await;
    let t = app.create_tenant("strict").await;
    let (agent, token) = available_agents(&app, &t, 1).await.remove(0);
    let before = app.get("/api/v1/settings", &t.token).await.text;
    let interval = |day: &str, from: &str, to: &str| json!({"day": day, "from": from, "to": to});
    let hours = |weekly: Value| json!({"timezone": "Europe/Paris", "weekly": weekly});
    let cases = [
        (
            json!({"timezone": "Europe/Pariss", "weekly": []}),
            "business_hours.timezone",
        ),
        (
            hours(json!([
                interval("mon", "09:00", "12:00"),
                interval("tue", "17:00", "09:00")
            ])),
            "business_hours.weekly[1].to",
        ),
        (
            hours(json!([
                interval("mon", "09:00", "12:00"),
                interval("mon", "11:00", "18:00")
            ])),
            "business_hours.weekly[1].from",
        ),
        (
            hours(json!([interval("monday", "09:00", "12:00")])),
            "business_hours.weekly[0].day",
        ),
        (
            hours(json!([interval("mon", "9h", "12:00")])),
            "business_hours.weekly[0].from",
        ),
        (
            json!({"timezone": "UTC", "weekly": [], "holidays": ["2026-02-30"]}),
            "business_hours.holidays[0]",
        ),
    ];
    for (bad, field) in cases {
        // With a valid change beside it: nothing of the request is kept.
        let r = app
            .patch(
                "/api/v1/settings",
                &t.token,
                json!({"accept_timeout_seconds": 30, "business_hours": bad}),
            )
            .await;
        assert_eq!(r.problem(422)["field"], field, "{}", r.text);
    }
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"outside_hours_message": "  "}),
        )
        .await;
    assert_eq!(r.problem(422)["field"], "outside_hours_message");
    assert_eq!(app.get("/api/v1/settings", &t.token).await.text, before);

    // Schedules: the body is the schedule, so fields are named from its root.
    let good = json!({"timezone": "Asia/Tokyo", "weekly": [interval("fri", "09:00", "18:00")]});
    let r = put_json(&app, "/api/v1/me/schedule", &token, good.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let cases = [
        (json!({"timezone": "Tokyo", "weekly": []}), "timezone"),
        (
            json!({"timezone": "UTC", "weekly": [interval("fri", "18:00", "09:00")]}),
            "weekly[0].to",
        ),
        (
            json!({"timezone": "UTC", "weekly": [interval("fri", "09:00", "18:00"), interval("fri", "17:59", "19:00")]}),
            "weekly[1].from",
        ),
        (
            json!({"timezone": "UTC", "weekly": [interval("fri", "09:00", "24:01")]}),
            "weekly[0].to",
        ),
    ];
    for (bad, field) in cases {
        let mine = put_json(&app, "/api/v1/me/schedule", &token, bad.clone()).await;
        assert_eq!(mine.problem(422)["field"], field, "{}", mine.text);
        let theirs = put_json(
            &app,
            &format!("/api/v1/users/{agent}/schedule"),
            &t.token,
            bad,
        )
        .await;
        assert_eq!(theirs.problem(422)["field"], field, "{}", theirs.text);
    }
    assert_eq!(app.get("/api/v1/me/schedule", &token).await.body, good);

    // Another user's schedule is the admins' business; another tenant's user is not found.
    let other = app
        .create_user(&t, "peer@strict.example.com", "agent")
        .await;
    let r = app
        .get(&format!("/api/v1/users/{other}/schedule"), &token)
        .await;
    r.problem(404);
    let elsewhere = app.create_tenant("elsewhere").await;
    let r = app
        .get(&format!("/api/v1/users/{agent}/schedule"), &elsewhere.token)
        .await;
    r.problem(404);
}

#[tokio::test]
async fn the_console_sets_business_hours_and_a_schedule_without_javascript() {
    let app = spawn_app().await;
    let t = app.create_tenant("formal").await;
    let (agent, _) = available_agents(&app, &t, 1).await.remove(0);
    let admin = console_login(&app, &t.slug, &t.admin_email).await;
    let (status, html) = page(&app, &admin, "/console/settings").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"action="/console/settings/business-hours""#));
    let token = csrf(&html);

    // A reversed interval on Tuesday: refused beside Tuesday's row, nothing saved.
    let bad = [
        ("csrf", token.as_str()),
        ("hours", "on"),
        ("timezone", "Europe/Paris"),
        ("mon_from_1", "09:00"),
        ("mon_to_1", "17:00"),
        ("tue_from_1", "17:00"),
        ("tue_to_1", "09:00"),
        ("holidays", "2026-12-25"),
        ("outside_hours_message", "We are closed."),
    ];
    let (status, _, html) = post(&app, &admin, "/console/settings/business-hours", &bad).await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="tue-error""#), "{html}");
    assert!(html.contains("Tuesday, to: must be after from"), "{html}");
    assert!(
        html.contains(r#"name="tue_to_1" value="09:00""#),
        "the form keeps what was typed"
    );
    assert_eq!(
        app.get("/api/v1/settings", &t.token).await.body["business_hours"],
        Value::Null
    );

    // A zone that does not exist: beside the zone.
    let mut fields = bad.to_vec();
    fields.retain(|(k, _)| !k.starts_with("tue"));
    fields.iter_mut().for_each(|f| {
        if f.0 == "timezone" {
            f.1 = "Europe/Atlantis";
        }
    });
    let (status, _, html) = post(&app, &admin, "/console/settings/business-hours", &fields).await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="timezone-error""#), "{html}");

    // Fixed: saved.
    fields.iter_mut().for_each(|f| {
        if f.0 == "timezone" {
            f.1 = "Europe/Paris";
        }
    });
    let (status, location, _) =
        post(&app, &admin, "/console/settings/business-hours", &fields).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/console/settings?notice=hours-saved")
    );
    let s = app.get("/api/v1/settings", &t.token).await.body;
    assert_eq!(
        s["business_hours"],
        json!({"timezone": "Europe/Paris", "weekly": [{"day": "mon", "from": "09:00", "to": "17:00"}], "holidays": ["2026-12-25"]})
    );
    assert_eq!(s["outside_hours_message"], "We are closed.");
    let (_, html) = page(&app, &admin, "/console/settings").await;
    assert!(html.contains(r#"name="mon_from_1" value="09:00""#));

    // The agent's schedule on their page.
    let path = format!("/console/users/{agent}/schedule");
    let (status, html) = page(&app, &admin, &format!("/console/users/{agent}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!(r#"action="{path}""#)));
    let overlapping = [
        ("csrf", token.as_str()),
        ("hours", "on"),
        ("timezone", "America/New_York"),
        ("wed_from_1", "09:00"),
        ("wed_to_1", "13:00"),
        ("wed_from_2", "12:00"),
        ("wed_to_2", "18:00"),
    ];
    let (status, _, html) = post(&app, &admin, &path, &overlapping).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Wednesday, from: overlaps wed 09:00–13:00"),
        "{html}"
    );
    let mut fixed = overlapping.to_vec();
    fixed[5].1 = "14:00";
    let (status, location, _) = post(&app, &admin, &path, &fixed).await;
    assert_eq!(status, 303, "{location}");
    let s = app
        .get(&format!("/api/v1/users/{agent}/schedule"), &t.token)
        .await;
    assert_eq!(
        s.body,
        json!({"timezone": "America/New_York", "weekly": [
            {"day": "wed", "from": "09:00", "to": "13:00"},
            {"day": "wed", "from": "14:00", "to": "18:00"}]})
    );
    // "No schedule" removes it.
    let (status, _, _) = post(
        &app,
        &admin,
        &path,
        &[
            ("csrf", token.as_str()),
            ("hours", "off"),
            ("timezone", "UTC"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let s = app
        .get(&format!("/api/v1/users/{agent}/schedule"), &t.token)
        .await;
    assert_eq!(s.body, Value::Null);
}

#[tokio::test]
async fn in_a_browser_the_business_hours_form_shows_its_errors_beside_the_row() {
    use crate::helpers::browser::{self, click, screenshot, start_browser, type_into, until};
    let app = spawn_app().await;
    let t = app.create_tenant("browsed").await;
    let (agent, _) = available_agents(&app, &t, 1).await.remove(0);
    let (_driver, b) = start_browser().await;
    b.set_window_size(1366, 900).await.unwrap();
    browser::console_login(&b, &app.base, &t.slug, &t.admin_email).await;
    until(&b, "the dashboard", "location.pathname === '/console'").await;
    b.goto(&app.url("/console/settings")).await.unwrap();
    click(&b, "input[name=hours][value=on]").await;
    type_into(&b, "#timezone", "Europe/Paris").await;
    for (name, value) in [
        ("mon_from_1", "09:00"),
        ("mon_to_1", "12:00"),
        ("mon_from_2", "13:00"),
        ("mon_to_2", "18:00"),
        ("tue_from_1", "18:00"),
        ("tue_to_1", "09:00"),
    ] {
        type_into(&b, &format!("input[name={name}]"), value).await;
    }
    click(
        &b,
        "form[action='/console/settings/business-hours'] button[type=submit]",
    )
    .await;
    let error = until(
        &b,
        "the error beside Tuesday",
        "document.getElementById('tue-error') && document.getElementById('tue-error').textContent",
    )
    .await;
    assert!(
        error.as_str().unwrap().contains("must be after from"),
        "{error}"
    );
    b.execute(
        "document.getElementById('business-hours').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    screenshot(&b, "console-business-hours-error").await;

    type_into(&b, "input[name=tue_from_1]", "08:00").await;
    click(
        &b,
        "form[action='/console/settings/business-hours'] button[type=submit]",
    )
    .await;
    until(
        &b,
        "the notice",
        "location.search === '?notice=hours-saved'",
    )
    .await;
    let saved = app.get("/api/v1/settings", &t.token).await.body;
    assert_eq!(
        saved["business_hours"]["weekly"].as_array().unwrap().len(),
        3
    );
    b.execute(
        "document.getElementById('business-hours').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    screenshot(&b, "console-business-hours").await;

    b.goto(&app.url(&format!("/console/users/{agent}")))
        .await
        .unwrap();
    click(&b, "input[name=hours][value=on]").await;
    type_into(&b, "#timezone", "America/New_York").await;
    type_into(&b, "input[name=fri_from_1]", "10:00").await;
    type_into(&b, "input[name=fri_to_1]", "16:00").await;
    click(&b, "form[action$='/schedule'] button[type=submit]").await;
    until(
        &b,
        "the notice",
        "location.search === '?notice=schedule-saved'",
    )
    .await;
    b.execute(
        "document.getElementById('schedule').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    screenshot(&b, "console-user-schedule").await;

    // A phone's width: nothing scrolls sideways.
    b.set_window_size(390, 844).await.unwrap();
    for (path, anchor, name) in [
        (
            "/console/settings".to_owned(),
            "business-hours",
            "console-business-hours-phone",
        ),
        (
            format!("/console/users/{agent}"),
            "schedule",
            "console-user-schedule-phone",
        ),
    ] {
        b.goto(&app.url(&path)).await.unwrap();
        until(&b, "the page", "document.querySelector('h1')").await;
        b.execute(
            &format!("document.getElementById('{anchor}').scrollIntoView()"),
            vec![],
        )
        .await
        .unwrap();
        screenshot(&b, name).await;
        let fits = b
            .execute(
                "return document.documentElement.scrollWidth <= window.innerWidth + 1",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(fits, json!(true), "{name} scrolls sideways");
    }
}
