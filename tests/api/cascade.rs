//! Offers that cascade (SPEC §12.1): a decline, an expiry or a withdrawal moves the request
//! on to the next eligible agent, never the same one twice, within `offer_attempts` (fixed at
//! 1 on select); agents who let offers expire in a row are set away; logging out of the
//! console sets an agent offline and moves their offers on. Expiry is driven at an explicit
//! time (`expire_due_offers(at)`) rather than waited for.

use chrono::Utc;
use serde_json::{Value, json};
use switchboard_core::TeamId;
use switchboard_core::routing::RoutingMode;
use switchboard_service::live::LiveChatStatus;

use crate::helpers::agents::{available_agents, team_with};
use crate::helpers::console::{console_login, csrf, page, post};
use crate::helpers::live::{offer_of, request};
use crate::helpers::ws::Ws;
use crate::helpers::{Tenant, TestApp, spawn_app};

async fn settings(app: &TestApp, t: &Tenant, change: Value) -> crate::helpers::Reply {
    app.patch("/api/v1/settings", &t.token, change).await
}

async fn conversation(app: &TestApp, t: &Tenant, id: uuid::Uuid) -> Value {
    app.get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await
        .body
}

/// Expires every offer due by a minute from now, as the expiry worker would then.
async fn expire_now(app: &TestApp) -> usize {
    app.service
        .expire_due_offers(Utc::now() + chrono::Duration::seconds(60))
        .await
        .unwrap()
}

/// A team of these agents, and a visitor asking for it: the team's id and the request.
async fn team_request(
    app: &TestApp,
    t: &Tenant,
    agents: &[(String, String)],
) -> (String, switchboard_service::live::LiveChat) {
    let team = team_with(app, t, agents).await;
    let mode = RoutingMode::Team {
        team_id: team.parse::<TeamId>().unwrap(),
    };
    (team.clone(), request(app, t, mode, None).await)
}

/// The offered agent (one of `agents`, by id) answers an offer: `accept` or `decline`.
async fn answer(
    app: &TestApp,
    agents: &[(String, String)],
    offer: impl std::fmt::Display,
    agent: impl std::fmt::Display,
    verb: &str,
) -> crate::helpers::Reply {
    app.post(
        &format!("/api/v1/offers/{offer}/{verb}"),
        token_of(agents, &agent.to_string()),
        json!({}),
    )
    .await
}

/// Which agent (by token) holds this agent id.
fn token_of<'a>(agents: &'a [(String, String)], id: &str) -> &'a str {
    &agents.iter().find(|(a, _)| a == id).expect("one of ours").1
}

#[tokio::test]
async fn prime_three_agents_decline_then_expiry_then_accept_with_three_attempts_traced() {
    let app = spawn_app().await;
    let t = app.create_tenant_on("acme", "prime", json!(100)).await;
    let r = settings(&app, &t, json!({"offer_attempts": 3})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["offer_attempts"], 3);
    let agents = available_agents(&app, &t, 3).await;
    let (team, l) = team_request(&app, &t, &agents).await;
    let (first_offer, first) = offer_of(&l);
    let r = answer(&app, &agents, first_offer, first, "decline").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body["status"], "offered",
        "the decline moved on: {}",
        r.text
    );
    // The second agent lets it expire.
    assert_eq!(expire_now(&app).await, 1);
    let c = conversation(&app, &t, l.conversation_id).await;
    assert_eq!(c["status"], "routing", "{c}");
    let offers = c["trace"]["offers"].as_array().unwrap().clone();
    assert_eq!(offers.len(), 3, "{c}");
    let third = offers[2]["offer_id"].as_str().unwrap();
    let third_agent = offers[2]["agent_id"].as_str().unwrap();
    let r = answer(&app, &agents, third, third_agent, "accept").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let c = conversation(&app, &t, l.conversation_id).await;
    assert_eq!(c["status"], "live");
    let resolutions: Vec<&str> = c["trace"]["offers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["resolution"].as_str().unwrap())
        .collect();
    assert_eq!(resolutions, ["declined", "expired", "accepted"]);
    let mut who: Vec<&str> = c["trace"]["offers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["agent_id"].as_str().unwrap())
        .collect();
    who.sort_unstable();
    who.dedup();
    assert_eq!(who.len(), 3, "never the same agent twice: {c}");
    assert_eq!(c["trace"]["target"], format!("team:{team}"));
    // The console's trace view lists every attempt.
    let browser = console_login(&app, "acme", &t.admin_email).await;
    let (status, html) = page(
        &app,
        &browser,
        &format!("/console/conversations/{}", l.conversation_id),
    )
    .await;
    assert_eq!(status, 200);
    let table = html.split("trace-offers").nth(1).expect("the offers table");
    for n in 1..=3 {
        let row = format!(r#"data-label="Attempt">{n}</td>"#);
        assert!(table.contains(&row), "attempt {row} missing: {table}");
    }
}

#[tokio::test]
async fn the_cascade_stops_at_offer_attempts_and_when_nobody_else_is_eligible() {
    let app = spawn_app().await;
    let t = app.create_tenant_on("acme", "prime", json!(100)).await;
    assert_eq!(
        app.get("/api/v1/settings", &t.token).await.body["offer_attempts"],
        Value::Null,
        "the plan's default until an admin sets it"
    );
    settings(&app, &t, json!({"offer_attempts": 2})).await;
    let agents = available_agents(&app, &t, 3).await;
    // Round robin takes the setting too: two offers, then the fallback with the last reason.
    let l = request(&app, &t, RoutingMode::RoundRobin, None).await;
    for _ in 0..2 {
        let c = conversation(&app, &t, l.conversation_id).await;
        let offers = c["trace"]["offers"].as_array().unwrap();
        let last = offers.last().unwrap();
        let r = app
            .post(
                &format!(
                    "/api/v1/offers/{}/decline",
                    last["offer_id"].as_str().unwrap()
                ),
                token_of(&agents, last["agent_id"].as_str().unwrap()),
                json!({}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let c = conversation(&app, &t, l.conversation_id).await;
    assert_eq!(c["status"], "fallback", "{c}");
    assert_eq!(c["fallback_reason"], "declined");
    assert_eq!(c["trace"]["offers"].as_array().unwrap().len(), 2);

    // One named agent: nobody else to try, whatever the setting.
    let named = RoutingMode::Agent {
        agent_id: agents[0].0.parse().unwrap(),
    };
    let l = request(&app, &t, named, None).await;
    let (offer, _) = offer_of(&l);
    let r = app
        .post(
            &format!("/api/v1/offers/{offer}/decline"),
            &agents[0].1,
            json!({}),
        )
        .await;
    assert_eq!(r.body["status"], "fallback", "{}", r.text);

    // Back to the default: round robin offers once on prime.
    let r = settings(&app, &t, json!({"offer_attempts": null})).await;
    assert_eq!(r.body["offer_attempts"], Value::Null, "{}", r.text);
    let l = request(&app, &t, RoutingMode::RoundRobin, None).await;
    let (offer, agent) = offer_of(&l);
    let r = answer(&app, &agents, offer, agent, "decline").await;
    assert_eq!(r.body["status"], "fallback", "{}", r.text);
}

#[tokio::test]
async fn select_offers_once_and_refuses_more_attempts_changing_nothing() {
    let app = spawn_app().await;
    let t = app.create_tenant_on("acme", "select", json!(100)).await;
    let before = app.get("/api/v1/settings", &t.token).await.body;
    assert_eq!(before["offer_attempts"], 1);
    let r = settings(
        &app,
        &t,
        json!({"offer_attempts": 3, "accept_timeout_seconds": 30}),
    )
    .await;
    assert_eq!(r.problem(422)["field"], "offer_attempts", "{}", r.text);
    assert_eq!(app.get("/api/v1/settings", &t.token).await.body, before);
    // Asking for what it is already changes nothing and is no error.
    assert_eq!(
        settings(&app, &t, json!({"offer_attempts": 1}))
            .await
            .status,
        200
    );

    let agents = available_agents(&app, &t, 2).await;
    let (_, l) = team_request(&app, &t, &agents).await;
    let (offer, agent) = offer_of(&l);
    let r = answer(&app, &agents, offer, agent, "decline").await;
    assert_eq!(r.body["status"], "fallback", "the seed: {}", r.text);
    assert_eq!(r.body["fallback_reason"], "declined");
}

#[tokio::test]
async fn offer_attempts_and_missed_offers_are_bounded() {
    let app = spawn_app().await;
    let t = app.create_tenant_on("acme", "prime", json!(100)).await;
    let before = app.get("/api/v1/settings", &t.token).await.body;
    for (change, field) in [
        (json!({"offer_attempts": 0}), "offer_attempts"),
        (json!({"offer_attempts": 6}), "offer_attempts"),
        (json!({"offer_attempts": "two"}), ""),
        (
            json!({"away_after_missed_offers": 11}),
            "away_after_missed_offers",
        ),
        (
            json!({"away_after_missed_offers": -1}),
            "away_after_missed_offers",
        ),
    ] {
        let r = settings(&app, &t, change.clone()).await;
        assert_eq!(
            r.status,
            if field.is_empty() { 400 } else { 422 },
            "{change}: {}",
            r.text
        );
        if !field.is_empty() {
            assert_eq!(r.body["field"], field, "{change}");
        }
    }
    assert_eq!(app.get("/api/v1/settings", &t.token).await.body, before);
}

#[tokio::test]
async fn an_agent_who_lets_offers_expire_twice_in_a_row_is_set_away_and_told_why() {
    let app = spawn_app().await;
    let t = app.create_tenant_on("acme", "select", Value::Null).await;
    assert_eq!(
        app.get("/api/v1/settings", &t.token).await.body["away_after_missed_offers"],
        2
    );
    let agents = available_agents(&app, &t, 1).await;
    let token = &agents[0].1;
    let mut inbox = Ws::open(&app.base, "agent", token).await;
    inbox.until("hello").await;

    // A miss, then an answer: the run starts again.
    request(&app, &t, RoutingMode::RoundRobin, None).await;
    assert_eq!(expire_now(&app).await, 1);
    let l = request(&app, &t, RoutingMode::RoundRobin, None).await;
    let (offer, _) = offer_of(&l);
    app.post(&format!("/api/v1/offers/{offer}/decline"), token, json!({}))
        .await;
    request(&app, &t, RoutingMode::RoundRobin, None).await;
    assert_eq!(expire_now(&app).await, 1);
    let me = app.get("/api/v1/me", token).await.body;
    assert_eq!(
        me["availability"], "available",
        "one miss after an answer: {me}"
    );

    // The second miss in a row: away, and the inbox is told why.
    request(&app, &t, RoutingMode::RoundRobin, None).await;
    assert_eq!(expire_now(&app).await, 1);
    let frame = inbox.until("availability_changed").await;
    assert_eq!(frame["status"], "away");
    assert_eq!(frame["reason"], "missed_offers");
    assert_eq!(frame["missed"], 2);
    let me = app.get("/api/v1/me", token).await.body;
    assert_eq!(me["availability"], "away", "{me}");
    // Nobody is offered to them now.
    let next = request(&app, &t, RoutingMode::RoundRobin, None).await;
    assert!(
        matches!(next.status, LiveChatStatus::Fallback { .. }),
        "{next:?}"
    );

    // Turned off: misses leave the agent available.
    settings(&app, &t, json!({"away_after_missed_offers": 0})).await;
    app.call(
        reqwest::Method::PUT,
        "/api/v1/me/availability",
        Some(token),
        Some(json!({"status": "available"})),
    )
    .await;
    for _ in 0..3 {
        request(&app, &t, RoutingMode::RoundRobin, None).await;
        assert_eq!(expire_now(&app).await, 1);
    }
    assert_eq!(
        app.get("/api/v1/me", token).await.body["availability"],
        "available"
    );
}

#[tokio::test]
async fn logging_out_with_live_chats_warns_then_sets_the_agent_offline_and_moves_offers_on() {
    let app = spawn_app().await;
    let t = app.create_tenant_on("acme", "prime", Value::Null).await;
    settings(&app, &t, json!({"offer_attempts": 2})).await;
    let agents = available_agents(&app, &t, 2).await;
    let email = "agent0@acme.example.com";
    let agent0 = &agents[0];
    // Agent 0 holds a live chat and a pending offer.
    let named = RoutingMode::Agent {
        agent_id: agent0.0.parse().unwrap(),
    };
    let live = request(&app, &t, named, None).await;
    let (offer, _) = offer_of(&live);
    let r = app
        .post(
            &format!("/api/v1/offers/{offer}/accept"),
            &agent0.1,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut pending = None;
    for _ in 0..4 {
        let l = request(&app, &t, RoutingMode::RoundRobin, None).await;
        if offer_of(&l).1.to_string() == agent0.0 {
            pending = Some(l);
            break;
        }
    }
    let pending = pending.expect("round robin reaches agent 0");

    let browser = console_login(&app, "acme", email).await;
    let (_, inbox) = page(&app, &browser, "/inbox").await;
    let token = csrf(&inbox);
    // First the warning, and nothing changed.
    let (status, _, body) = post(&app, &browser, "/console/logout", &[("csrf", &token)]).await;
    assert_eq!(status, 200);
    assert!(body.contains("You still have 1 live chat."), "{body}");
    assert_eq!(
        app.get("/api/v1/me", &agent0.1).await.body["availability"],
        "available"
    );
    // Confirmed: offline, the pending offer moved on to the other agent at once.
    let (status, location, _) = post(
        &app,
        &browser,
        "/console/logout",
        &[("csrf", &token), ("confirm", "1")],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/console/login"));
    // Logged out: the agent's tokens are revoked too; logged in again, they are offline.
    assert_eq!(app.get("/api/v1/me", &agent0.1).await.status, 401);
    let again = app
        .user_token(&t, &format!("agent0@{}.example.com", t.slug))
        .await;
    assert_eq!(
        app.get("/api/v1/me", &again).await.body["availability"],
        "offline"
    );
    let c = conversation(&app, &t, pending.conversation_id).await;
    let offers = c["trace"]["offers"].as_array().unwrap();
    assert_eq!(offers[0]["resolution"], "withdrawn", "{c}");
    assert_eq!(offers[1]["agent_id"], agents[1].0.as_str(), "{c}");
    // The live chat stays with them.
    assert_eq!(
        conversation(&app, &t, live.conversation_id).await["status"],
        "live"
    );
    let (status, _) = page(&app, &browser, "/inbox").await;
    assert_ne!(status, 200, "signed out");
}
