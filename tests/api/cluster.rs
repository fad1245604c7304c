//! Two nodes sharing PostgreSQL and Redis, as behind a load balancer: the engagement limit,
//! agent capacity and round-robin hold across them, and an offer made by a node that dies
//! still expires on time, handled by the survivor. These tests always run on PostgreSQL and
//! Redis (both runs of the suite), because sharing state between nodes is what those are for.

use std::time::{Duration, Instant};

use serde_json::json;
use switchboard_core::routing::RoutingMode;
use switchboard_core::routing::rules::Visitor;
use switchboard_core::routing::trace::FallbackReason;
use switchboard_core::{TeamId, TenantId, UserId};
use switchboard_service::live::LiveChatStatus;

use crate::helpers::agents::{available_agents, team_with};
use crate::helpers::{poll_until, spawn_cluster};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_requests_split_across_two_nodes_engage_exactly_the_limit() {
    let nodes = spawn_cluster(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let t = a.create_tenant("acme").await;
    let agents = available_agents(a, &t, 10).await;
    let tokens: std::collections::HashMap<UserId, String> = agents
        .iter()
        .map(|(id, tok)| (id.parse().unwrap(), tok.clone()))
        .collect();
    let tenant: TenantId = t.id.parse().unwrap();
    let tasks: Vec<_> = (0..1000)
        .map(|i| {
            let service = nodes[i % 2].service.clone();
            tokio::spawn(async move {
                service
                    .request_live_chat(tenant, RoutingMode::RoundRobin, None, Visitor::default())
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut offered = Vec::new();
    let mut limit_reached = 0;
    for task in tasks {
        match task.await.unwrap().status {
            LiveChatStatus::Offered {
                offer_id, agent_id, ..
            } => offered.push((offer_id, agent_id)),
            LiveChatStatus::Fallback {
                reason: FallbackReason::LimitReached,
                ..
            } => limit_reached += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((offered.len(), limit_reached), (100, 900));
    for (i, (offer, agent)) in offered.iter().enumerate() {
        let node = if i % 2 == 0 { a } else { b };
        let r = node
            .post(
                &format!("/api/v1/offers/{offer}/accept"),
                &tokens[agent],
                json!({}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    assert_eq!(
        b.get("/api/v1/usage", &t.token).await.body["engagements_used"],
        100
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_round_robin_cursor_is_shared_by_all_nodes() {
    let nodes = spawn_cluster(2).await;
    let t = nodes[0].create_tenant("acme").await;
    let agents = available_agents(&nodes[0], &t, 4).await;
    let tenant: TenantId = t.id.parse().unwrap();
    let mut chosen = Vec::new();
    for i in 0..4 {
        let l = nodes[i % 2]
            .service
            .request_live_chat(tenant, RoutingMode::RoundRobin, None, Visitor::default())
            .await
            .unwrap();
        let LiveChatStatus::Offered { agent_id, .. } = l.status else {
            panic!("{:?}", l.status)
        };
        chosen.push(agent_id.to_string());
    }
    chosen.sort();
    let mut ids: Vec<String> = agents.into_iter().map(|(id, _)| id).collect();
    ids.sort();
    assert_eq!(
        chosen, ids,
        "four requests over four agents on two nodes: one each"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_offer_made_by_a_node_that_dies_expires_on_time_on_the_other() {
    let nodes = spawn_cluster(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let t = a.create_tenant("acme").await;
    let op = a.operator_token().await;
    a.patch(
        &format!("/api/v1/platform/tenants/{}", t.id),
        &op,
        json!({"plan": "prime"}),
    )
    .await;
    a.patch(
        "/api/v1/settings",
        &t.token,
        json!({"accept_timeout_seconds": 1}),
    )
    .await;
    let members = available_agents(a, &t, 2).await;
    let team = team_with(a, &t, &members).await;
    let mode = RoutingMode::Team {
        team_id: team.parse::<TeamId>().unwrap(),
    };
    let started = Instant::now();
    let l = a
        .service
        .request_live_chat(t.id.parse().unwrap(), mode, None, Visitor::default())
        .await
        .unwrap();
    let LiveChatStatus::Offered {
        agent_id: first, ..
    } = l.status
    else {
        panic!("{:?}", l.status)
    };
    a.kill();

    let conv = format!("/api/v1/conversations/{}", l.conversation_id);
    let state = poll_until(
        b,
        &conv,
        &t.token,
        started,
        Duration::from_secs(3),
        "the surviving node did not expire the offer",
        |b| b["trace"]["offers"][0]["resolution"] != "pending",
    )
    .await;
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed <= Duration::from_millis(2000),
        "expired after {elapsed:?}"
    );
    let offers = state.body["trace"]["offers"].as_array().unwrap();
    assert_eq!(offers[0]["resolution"], "expired");
    assert_eq!(
        offers.len(),
        2,
        "prime + team: the survivor offered another member"
    );
    assert_ne!(offers[1]["agent_id"], first.to_string());
}

/// Deletes every key of a namespace, as a Redis restart without persistence would.
fn wipe_redis(namespace: &str) {
    let keys = std::process::Command::new("redis-cli")
        .args([
            "-h",
            "127.0.0.1",
            "--scan",
            "--pattern",
            &format!("{namespace}:*"),
        ])
        .output()
        .expect("redis-cli");
    // One DEL for all keys, so that no node rebuilds half-way through the wipe.
    let stdout = String::from_utf8_lossy(&keys.stdout).into_owned();
    let keys: Vec<&str> = stdout.lines().collect();
    assert!(!keys.is_empty(), "nothing to wipe");
    let out = std::process::Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "DEL"])
        .args(&keys)
        .output()
        .expect("redis-cli");
    assert!(out.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_redis_loses_its_state_loads_presence_and_offers_are_rebuilt_from_the_database() {
    let nodes = spawn_cluster(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let t = a.create_tenant("acme").await;
    a.patch(
        "/api/v1/settings",
        &t.token,
        json!({"accept_timeout_seconds": 3, "max_chats_per_agent": 1}),
    )
    .await;
    let agents = available_agents(a, &t, 2).await;
    let tokens: std::collections::HashMap<UserId, String> = agents
        .iter()
        .map(|(id, tok)| (id.parse().unwrap(), tok.clone()))
        .collect();
    let tenant: TenantId = t.id.parse().unwrap();
    let request = || {
        a.service
            .request_live_chat(tenant, RoutingMode::RoundRobin, None, Visitor::default())
    };
    let first = request().await.unwrap();
    let LiveChatStatus::Offered {
        offer_id, agent_id, ..
    } = first.status
    else {
        panic!()
    };
    assert_eq!(
        a.post(
            &format!("/api/v1/offers/{offer_id}/accept"),
            &tokens[&agent_id],
            json!({})
        )
        .await
        .status,
        200
    );
    let second = request().await.unwrap();
    let LiveChatStatus::Offered { .. } = second.status else {
        panic!("{:?}", second.status)
    };
    let started = Instant::now();

    wipe_redis(a.redis_namespace.as_deref().unwrap());
    // A node's reconciler (each second) notices the loss and rebuilds; wait for it.
    {
        use switchboard_realtime::Presence;
        for (id, _) in &agents {
            let agent: UserId = id.parse().unwrap();
            while b
                .service
                .realtime()
                .availability(tenant, agent)
                .await
                .unwrap()
                != switchboard_core::routing::Availability::Available
            {
                assert!(
                    started.elapsed() < Duration::from_millis(2500),
                    "the state was not rebuilt in time"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    // Both agents are at their limit of one again: one in a live chat, one with the offer.
    let third = request().await.unwrap();
    assert!(
        matches!(
            third.status,
            LiveChatStatus::Fallback {
                reason: FallbackReason::NoAgentAvailable,
                ..
            }
        ),
        "{:?}",
        third.status
    );
    let conv = b
        .get(
            &format!("/api/v1/conversations/{}", third.conversation_id),
            &t.token,
        )
        .await;
    let skipped: Vec<_> = conv.body["trace"]["considered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["skipped"].clone())
        .collect();
    assert_eq!(
        skipped,
        vec![json!("at_capacity"), json!("at_capacity")],
        "presence restored, load rebuilt"
    );
    // The pending offer still expires at its deadline.
    let path = format!("/api/v1/conversations/{}", second.conversation_id);
    let done = poll_until(
        b,
        &path,
        &t.token,
        started,
        Duration::from_secs(6),
        "the rebuilt offer never expired",
        |b| b["status"] != "routing",
    )
    .await;
    assert_eq!(
        done.body["fallback_reason"], "offer_expired",
        "{}",
        done.text
    );
    assert!(started.elapsed() >= Duration::from_millis(2500));
}

/// Routing caches each tenant's configuration for a moment; a change made on one node is
/// announced over the Bus, so the other node routes on it at once rather than after its
/// cache would have run out.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_permission_revoked_on_one_node_stops_offers_on_the_other_at_once() {
    let nodes = spawn_cluster(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let t = a.create_tenant("acme").await;
    let agents = available_agents(a, &t, 1).await;
    let dry_run = |node: &'static str| {
        let app = if node == "a" { a } else { b };
        let token = t.token.clone();
        async move {
            let r = app
                .post(
                    "/api/v1/routing/dry-run",
                    &token,
                    json!({"routing": {"mode": "round_robin"}, "visitor": {}}),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.body
        }
    };
    // Node b has the tenant cached with the agent in it.
    assert_eq!(
        dry_run("b").await["would_offer"]["id"],
        agents[0].0.as_str()
    );
    let r = a
        .delete(
            &format!("/api/v1/users/{}/live-chat-permission", agents[0].0),
            &t.token,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let since = Instant::now();
    loop {
        let body = dry_run("b").await;
        if body["would_offer"].is_null() {
            assert_eq!(body["fallback_reason"], "no_agent_available");
            break;
        }
        // Well under the cache's own lifetime (2 s): the announcement did it.
        assert!(
            since.elapsed() < Duration::from_millis(1500),
            "node b still offers a revoked agent: {body}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
