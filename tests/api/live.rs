//! Live-chat requests through the routing engine: the engagement limit under 1,000 concurrent
//! requests, per-agent capacity under 500, exactly one accept of 50, expiry on time, team
//! retries on prime only, fallbacks with their messages and reasons. Requests enter through
//! the service (the widget that sends them is the next issue); agents act through the API.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use switchboard_core::routing::RoutingMode;
use switchboard_core::routing::rules::Visitor;
use switchboard_core::routing::trace::FallbackReason;
use switchboard_core::{TeamId, UserId};
use switchboard_service::live::LiveChatStatus;

use crate::helpers::agents::{available_agents, team_with};
use crate::helpers::live::{offer_of, request, tid};
use crate::helpers::{Tenant, TestApp, poll_until, spawn_app};

async fn tenant(app: &TestApp, slug: &str, plan: &str, limit: Value) -> Tenant {
    app.create_tenant_on(slug, plan, limit).await
}

async fn set_timeout(app: &TestApp, t: &Tenant, seconds: u32) {
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"accept_timeout_seconds": seconds}),
        )
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_requests_against_a_limit_of_100_engage_exactly_100() {
    let app = spawn_app().await;
    let t = tenant(&app, "acme", "select", json!(100)).await;
    let team = available_agents(&app, &t, 10).await;
    let tokens: std::collections::HashMap<UserId, String> = team
        .iter()
        .map(|(id, tok)| (id.parse().unwrap(), tok.clone()))
        .collect();
    let service = app.service.clone();
    let tenant_id = tid(&t);
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let service = service.clone();
            tokio::spawn(async move {
                service
                    .request_live_chat(tenant_id, RoutingMode::RoundRobin, None, Visitor::default())
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut offered = Vec::new();
    let mut limit_reached = 0;
    for task in tasks {
        let l = task.await.unwrap();
        match l.status {
            LiveChatStatus::Offered {
                offer_id, agent_id, ..
            } => offered.push((offer_id, agent_id)),
            LiveChatStatus::Fallback {
                reason: FallbackReason::LimitReached,
                ref message,
            } => {
                assert!(!message.is_empty());
                limit_reached += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(offered.len(), 100);
    assert_eq!(limit_reached, 900);
    for (offer, agent) in &offered {
        let r = app
            .post(
                &format!("/api/v1/offers/{offer}/accept"),
                &tokens[agent],
                json!({}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["status"], "live");
    }
    assert_eq!(
        app.get("/api/v1/usage", &t.token).await.body["engagements_used"],
        100
    );
    let after = request(&app, &t, RoutingMode::RoundRobin, Some("card text")).await;
    match after.status {
        LiveChatStatus::Fallback { reason, message } => {
            assert_eq!(reason, FallbackReason::LimitReached);
            assert_ne!(
                message, "card text",
                "limit reached always uses the global message"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_requests_to_a_team_of_three_never_exceed_ten_each() {
    let app = spawn_app().await;
    let t = tenant(&app, "acme", "prime", Value::Null).await;
    let members = available_agents(&app, &t, 3).await;
    let team = team_with(&app, &t, &members).await;
    let mode = RoutingMode::Team {
        team_id: team.parse::<TeamId>().unwrap(),
    };
    let tenant_id = tid(&t);
    let tasks: Vec<_> = (0..500)
        .map(|_| {
            let service = app.service.clone();
            tokio::spawn(async move {
                service
                    .request_live_chat(tenant_id, mode, None, Visitor::default())
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut per_agent = std::collections::HashMap::<UserId, usize>::new();
    let mut no_agent = 0;
    for task in tasks {
        match task.await.unwrap().status {
            LiveChatStatus::Offered { agent_id, .. } => {
                *per_agent.entry(agent_id).or_default() += 1
            }
            LiveChatStatus::Fallback {
                reason: FallbackReason::NoAgentAvailable,
                ..
            } => no_agent += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(per_agent.values().sum::<usize>(), 30);
    assert!(per_agent.values().all(|n| *n == 10), "{per_agent:?}");
    assert_eq!(no_agent, 470);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_fifty_concurrent_accepts_of_one_offer_exactly_one_wins() {
    let app = spawn_app().await;
    let t = tenant(&app, "acme", "select", json!(100)).await;
    let team = available_agents(&app, &t, 1).await;
    let (offer, _) = offer_of(&request(&app, &t, RoutingMode::RoundRobin, None).await);
    let path = format!("/api/v1/offers/{offer}/accept");
    let accepts = (0..50).map(|_| app.post(&path, &team[0].1, json!({})));
    let replies = futures_util::future::join_all(accepts).await;
    let won = replies.iter().filter(|r| r.status == 200).count();
    assert_eq!(won, 1);
    for r in replies.iter().filter(|r| r.status != 200) {
        assert_eq!(r.problem(409)["field"], "offer");
    }
    assert_eq!(
        app.get("/api/v1/usage", &t.token).await.body["engagements_used"],
        1
    );
    // Another agent, or another tenant, cannot touch the offer.
    let other = app.create_tenant("beta").await;
    app.post(
        &format!("/api/v1/offers/{offer}/decline"),
        &other.token,
        json!({}),
    )
    .await
    .problem(404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_offer_expires_on_time_and_select_falls_back_while_prime_tries_another_team_member() {
    for (plan, slug) in [("select", "sel"), ("prime", "pri")] {
        let app = spawn_app().await;
        let t = tenant(&app, slug, plan, json!(100)).await;
        set_timeout(&app, &t, 1).await;
        let members = available_agents(&app, &t, 2).await;
        let team = team_with(&app, &t, &members).await;
        let mode = RoutingMode::Team {
            team_id: team.parse::<TeamId>().unwrap(),
        };
        let started = Instant::now();
        let first = request(&app, &t, mode, Some("Leave us a message")).await;
        let (_, first_agent) = offer_of(&first);
        let conv = format!("/api/v1/conversations/{}", first.conversation_id);
        // Wait for the first offer to end.
        let state = poll_until(
            &app,
            &conv,
            &t.token,
            started,
            Duration::from_secs(3),
            "not expired in time",
            |b| b["trace"]["offers"][0]["resolution"] != "pending",
        )
        .await;
        let elapsed = started.elapsed();
        assert!(
            elapsed >= Duration::from_millis(900) && elapsed <= Duration::from_millis(2000),
            "expired after {elapsed:?}"
        );
        assert_eq!(state.body["trace"]["offers"][0]["resolution"], "expired");
        if plan == "select" {
            assert_eq!(state.body["status"], "fallback");
            assert_eq!(state.body["fallback_reason"], "offer_expired");
            assert_eq!(
                state.body["trace"]["offers"].as_array().unwrap().len(),
                1,
                "no retry on select"
            );
        } else {
            let offers = state.body["trace"]["offers"].as_array().unwrap();
            assert_eq!(offers.len(), 2, "{}", state.text);
            assert_ne!(
                offers[1]["agent_id"],
                first_agent.to_string(),
                "never the same agent twice"
            );
            assert_eq!(state.body["status"], "routing");
            // The retry expires too: then the fallback, with the card's message.
            let done = poll_until(
                &app,
                &conv,
                &t.token,
                started,
                Duration::from_secs(5),
                "the retry did not end",
                |b| b["status"] != "routing",
            )
            .await;
            assert_eq!(done.body["fallback_reason"], "offer_expired");
        }
    }
}

#[tokio::test]
async fn a_declined_offer_falls_back_with_the_cards_message_and_frees_the_agent() {
    let app = spawn_app().await;
    let t = tenant(&app, "acme", "select", json!(100)).await;
    let team = available_agents(&app, &t, 1).await;
    let first = request(&app, &t, RoutingMode::RoundRobin, Some("We will email you")).await;
    let (offer, _) = offer_of(&first);
    let r = app
        .post(
            &format!("/api/v1/offers/{offer}/decline"),
            &team[0].1,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "fallback");
    assert_eq!(r.body["fallback_reason"], "declined");
    assert_eq!(r.body["fallback_message"], "We will email you");
    app.post(
        &format!("/api/v1/offers/{offer}/accept"),
        &team[0].1,
        json!({}),
    )
    .await
    .problem(409);
    assert_eq!(
        app.get("/api/v1/usage", &t.token).await.body["engagements_used"],
        0
    );
    // The agent is free again, and the engagement slot was released.
    let again = request(&app, &t, RoutingMode::RoundRobin, None).await;
    assert_eq!(offer_of(&again).1.to_string(), team[0].0);
}

#[tokio::test]
async fn going_away_moves_pending_offers_on_at_once() {
    let app = spawn_app().await;
    let t = tenant(&app, "acme", "select", json!(100)).await;
    let team = available_agents(&app, &t, 1).await;
    let l = request(&app, &t, RoutingMode::RoundRobin, None).await;
    offer_of(&l);
    let r = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/me/availability",
            Some(&team[0].1),
            Some(json!({"status": "away"})),
        )
        .await;
    assert_eq!(r.status, 200);
    let conv = app
        .get(
            &format!("/api/v1/conversations/{}", l.conversation_id),
            &t.token,
        )
        .await;
    assert_eq!(conv.body["status"], "fallback", "{}", conv.text);
    assert_eq!(conv.body["trace"]["offers"][0]["resolution"], "withdrawn");
    // Nobody available now: the next request falls back at once, with the trace saying why.
    let next = request(&app, &t, RoutingMode::RoundRobin, None).await;
    assert!(matches!(
        next.status,
        LiveChatStatus::Fallback {
            reason: FallbackReason::NoAgentAvailable,
            ..
        }
    ));
    let conv = app
        .get(
            &format!("/api/v1/conversations/{}", next.conversation_id),
            &t.token,
        )
        .await;
    assert_eq!(conv.body["trace"]["considered"][0]["skipped"], "away");
}

#[tokio::test]
async fn an_agent_whose_presence_lapses_has_pending_offers_moved_on() {
    use switchboard_realtime::Presence;
    let app = spawn_app().await;
    let t = tenant(&app, "acme", "select", json!(100)).await;
    let team = available_agents(&app, &t, 1).await;
    let l = request(&app, &t, RoutingMode::RoundRobin, None).await;
    let (_, agent) = offer_of(&l);
    // The inbox stops sending heartbeats: presence lapses after its TTL.
    app.service
        .realtime()
        .heartbeat(
            tid(&t),
            agent,
            switchboard_core::routing::Availability::Available,
            Duration::from_millis(200),
        )
        .await
        .unwrap();
    let started = Instant::now();
    let conv = format!("/api/v1/conversations/{}", l.conversation_id);
    let state = poll_until(
        &app,
        &conv,
        &t.token,
        started,
        Duration::from_secs(3),
        "the offer was not moved on",
        |b| b["status"] != "routing",
    )
    .await;
    assert_eq!(
        state.body["trace"]["offers"][0]["resolution"], "withdrawn",
        "{}",
        state.text
    );
    assert_eq!(state.body["fallback_reason"], "no_agent_available");
    assert_eq!(team.len(), 1);
}

#[tokio::test]
async fn no_matching_rule_falls_back_with_the_live_chat_cards_message() {
    let app = spawn_app().await;
    let t = tenant(&app, "acme", "select", json!(100)).await;
    let team = available_agents(&app, &t, 1).await;
    let r = app
        .post("/api/v1/routing-rules", &t.token, json!({"name": "France", "conditions": [{"field": "country", "operator": "is", "values": ["FR"]}], "target": {"kind": "agent", "id": team[0].0}}))
        .await;
    assert_eq!(r.status, 201);
    let de = Visitor {
        country: Some("DE".into()),
        ..Visitor::default()
    };
    let l = app
        .service
        .request_live_chat(
            tid(&t),
            RoutingMode::CustomRules,
            Some("Ask us by email"),
            de,
        )
        .await
        .unwrap();
    assert_eq!(
        l.status,
        LiveChatStatus::Fallback {
            message: "Ask us by email".into(),
            reason: FallbackReason::NoRuleMatched
        }
    );
    let fr = Visitor {
        country: Some("fr".into()),
        ..Visitor::default()
    };
    let l = app
        .service
        .request_live_chat(
            tid(&t),
            RoutingMode::CustomRules,
            Some("Ask us by email"),
            fr,
        )
        .await
        .unwrap();
    assert_eq!(offer_of(&l).1.to_string(), team[0].0);
    let conv = app
        .get(
            &format!("/api/v1/conversations/{}", l.conversation_id),
            &t.token,
        )
        .await;
    assert_eq!(conv.body["trace"]["rule_matched"]["name"], "France");
}
