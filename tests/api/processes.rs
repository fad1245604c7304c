//! Real server processes (the `switchboard` binary) sharing PostgreSQL and Redis, reached
//! only over HTTP, as behind a load balancer: requests split across two processes respect
//! the engagement limit, and an offer made by a process killed with SIGKILL still expires
//! on time, handled by the survivor. These tests always run on PostgreSQL and Redis.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::helpers::agents::available_agents;
use crate::helpers::poll_until;
use crate::helpers::processes::spawn_processes;
use crate::helpers::widget::{publish, start_session, straight_to_live_chat};
use crate::helpers::ws::Ws;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_requests_split_across_two_processes_engage_exactly_the_limit() {
    let cluster = spawn_processes(2).await;
    let nodes = &cluster.clients;
    let (a, b) = (&nodes[0], &nodes[1]);
    let t = a.create_tenant("acme").await;
    let agents = available_agents(a, &t, 20).await;
    let key = publish(a, &t, straight_to_live_chat()).await;

    let client = a.client.clone();
    let sem = Arc::new(tokio::sync::Semaphore::new(100));
    let tasks: Vec<_> = (0..1000)
        .map(|i| {
            let url = nodes[i % 2].url("/api/v1/widget/sessions");
            let (client, sem, key) = (client.clone(), sem.clone(), key.clone());
            tokio::spawn(async move {
                let _permit = sem.acquire().await.unwrap();
                let r = client
                    .post(url)
                    .json(&json!({"widget_key": key}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                r.json::<Value>().await.unwrap()
            })
        })
        .collect();
    let mut waiting = Vec::new();
    let mut limit_reached = 0;
    for task in tasks {
        let s = task.await.unwrap();
        match (s["status"].as_str(), s["fallback_reason"].as_str()) {
            (Some("waiting"), _) => waiting.push(s["conversation_id"].as_str().unwrap().to_owned()),
            (Some("fallback"), Some("limit_reached")) => limit_reached += 1,
            other => panic!("unexpected {other:?}: {s}"),
        }
    }
    assert_eq!((waiting.len(), limit_reached), (100, 900));

    // Every offer accepted, half on each process: exactly 100 engagements counted.
    let tokens: std::collections::HashMap<&str, &str> = agents
        .iter()
        .map(|(id, tok)| (id.as_str(), tok.as_str()))
        .collect();
    for (i, conversation) in waiting.iter().enumerate() {
        let node = &nodes[i % 2];
        let c = node
            .get(&format!("/api/v1/conversations/{conversation}"), &t.token)
            .await;
        let offer = &c.body["trace"]["offers"][0];
        let agent = offer["agent_id"].as_str().unwrap();
        let r = node
            .post(
                &format!(
                    "/api/v1/offers/{}/accept",
                    offer["offer_id"].as_str().unwrap()
                ),
                tokens[agent],
                json!({}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    for node in [a, b] {
        let usage = node.get("/api/v1/usage", &t.token).await;
        assert_eq!(usage.body["engagements_used"], 100, "{}", usage.text);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_offer_made_by_a_process_killed_with_sigkill_expires_on_time_on_the_survivor() {
    let mut cluster = spawn_processes(2).await;
    let nodes = &cluster.clients;
    let (a, b) = (&nodes[0], &nodes[1]);
    let t = a.create_tenant("acme").await;
    let r = a
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"accept_timeout_seconds": 2}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    available_agents(a, &t, 1).await;
    let key = publish(a, &t, straight_to_live_chat()).await;

    let started = Instant::now();
    let s = start_session(a, json!({"widget_key": key}), None).await;
    assert_eq!(s.body["status"], "waiting", "{}", s.text);
    let conversation = format!(
        "/api/v1/conversations/{}",
        s.body["conversation_id"].as_str().unwrap()
    );
    let c = b.get(&conversation, &t.token).await;
    let deadline: DateTime<Utc> = c.body["trace"]["offers"][0]["expires_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    cluster.processes[0].kill9();

    let state = poll_until(
        b,
        &conversation,
        &t.token,
        started,
        Duration::from_secs(10),
        "the surviving process did not expire the offer",
        |c| c["status"] == "fallback",
    )
    .await;
    let late = Utc::now() - deadline;
    assert!(
        late >= chrono::Duration::zero() && late <= chrono::Duration::milliseconds(1000),
        "expired {late} after its deadline"
    );
    assert_eq!(state.body["fallback_reason"], "offer_expired");
    assert_eq!(state.body["trace"]["offers"][0]["resolution"], "expired");
    // The visitor, reloading against the survivor, is told.
    let again = start_session(
        b,
        json!({"widget_key": key, "visitor_token": s.body["visitor_token"]}),
        None,
    )
    .await;
    assert_eq!(again.body["status"], "fallback");
    assert_eq!(again.body["fallback_reason"], "offer_expired");
}

/// The visitor's messages as they stand: acknowledged (`client_id` → `seq`) or not yet.
#[derive(Default)]
struct Outbox {
    acked: std::collections::BTreeMap<String, i64>,
    sent: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn messages_sent_while_a_process_restarts_are_kept_once_acknowledged() {
    let mut cluster = spawn_processes(2).await;
    let t = cluster.clients[0].create_tenant("acme").await;
    let (_, agent_token) = available_agents(&cluster.clients[0], &t, 1).await.remove(0);
    let key = publish(&cluster.clients[0], &t, straight_to_live_chat()).await;
    // The visitor on process A, the agent on process B.
    let session = start_session(&cluster.clients[0], json!({"widget_key": key}), None).await;
    let conversation = session.body["conversation_id"].as_str().unwrap().to_owned();
    let token = session.body["visitor_token"].as_str().unwrap().to_owned();
    let mut inbox = Ws::open(&cluster.clients[1].base, "agent", &agent_token).await;
    let offer = inbox.until("offer").await;
    let r = cluster.clients[1]
        .post(
            &format!(
                "/api/v1/offers/{}/accept",
                offer["offer_id"].as_str().unwrap()
            ),
            &agent_token,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut widget = Ws::open(&cluster.clients[0].base, "visitor", &token).await;
    widget.until("hello").await;

    // The visitor writes over the socket; process A dies with SIGKILL in the middle.
    let mut out = Outbox::default();
    for i in 1..=10 {
        let id = format!("m{i}");
        widget
            .send(json!({"type": "message", "body": format!("message {i}"), "client_id": id}))
            .await;
        out.sent.push(id);
    }
    // Some acknowledgements, not necessarily all, before the kill.
    let first = widget.until("message").await;
    out.acked.insert(
        first["client_id"].as_str().unwrap().to_owned(),
        first["seq"].as_i64().unwrap(),
    );
    cluster.processes[0].kill9();
    while let Some(f) = widget.next_within(Duration::from_millis(200)).await {
        if f["type"] == "message" {
            out.acked.insert(
                f["client_id"].as_str().unwrap().to_owned(),
                f["seq"].as_i64().unwrap(),
            );
        }
    }
    // While A is down, the load balancer sends the visitor to B (over HTTP).
    for i in 11..=15 {
        let id = format!("m{i}");
        let r = cluster.clients[1]
            .post(
                &format!("/api/v1/widget/conversations/{conversation}/messages"),
                &token,
                json!({"body": format!("message {i}"), "client_id": id}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        out.acked
            .insert(id.clone(), r.body["seq"].as_i64().unwrap());
        out.sent.push(id);
    }
    // A comes back; the widget reconnects to it, resumes after the last seq it saw, and sends
    // again whatever was not acknowledged (same client ids: no copies).
    cluster.restart(0).await;
    let seen = out
        .acked
        .values()
        .copied()
        .filter(|s| *s <= 10)
        .max()
        .unwrap_or(0);
    let mut widget = Ws::open(&cluster.clients[0].base, "visitor", &token).await;
    widget.until("hello").await;
    widget
        .send(json!({"type": "resume", "after_seq": seen}))
        .await;
    // m1's acknowledgement is taken as lost: sent again, it is acknowledged again, not copied.
    widget
        .send(json!({"type": "message", "body": "message 1", "client_id": "m1"}))
        .await;
    let mut m1_again = None;
    let mut resent = vec!["m1".to_owned()];
    for (i, id) in out.sent.iter().enumerate() {
        if !out.acked.contains_key(id) {
            widget
                .send(json!({"type": "message", "body": format!("message {}", i + 1), "client_id": id}))
                .await;
            resent.push(id.clone());
        }
    }
    let mut resumed = Vec::new();
    while out.acked.len() < out.sent.len()
        || resumed.last().is_none_or(|s| *s < 15)
        || m1_again.is_none()
    {
        let f = widget.until("message").await;
        let seq = f["seq"].as_i64().unwrap();
        if seq <= seen {
            // Only an acknowledgement again can come from before the resume point: of m1, or
            // of a message A stored but whose acknowledgement died with it (when A stored
            // fewer than ten, the messages sent to B took the seqs after them, and `seen`
            // counts those).
            let id = f["client_id"].as_str().unwrap_or_default().to_owned();
            assert!(
                resent.contains(&id),
                "{f} comes from before the resume point"
            );
            let before = out.acked.insert(id.clone(), seq);
            assert!(before.is_none_or(|s| s == seq), "{id} stored twice");
            if id == "m1" {
                m1_again = Some(seq);
            }
            continue;
        }
        resumed.push(seq);
        if let Some(id) = f["client_id"].as_str() {
            let before = out.acked.insert(id.to_owned(), seq);
            assert!(before.is_none_or(|s| s == seq), "{id} stored twice");
        }
    }
    // The resumed socket got every message after `seen` once, in order.
    assert_eq!(resumed, ((seen + 1)..=15).collect::<Vec<_>>());
    // Every message is stored exactly once, in the order of its seq.
    let transcript = cluster.clients[1]
        .get(
            &format!("/api/v1/conversations/{conversation}/messages"),
            &t.token,
        )
        .await;
    let items = transcript.body["items"].as_array().unwrap();
    let ids: Vec<&str> = items
        .iter()
        .map(|m| m["client_id"].as_str().unwrap())
        .collect();
    assert_eq!(items.len(), 15, "{}", transcript.text);
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 15, "a message was stored twice: {ids:?}");
    for (i, m) in items.iter().enumerate() {
        assert_eq!(m["seq"], i as i64 + 1);
        assert_eq!(
            out.acked[m["client_id"].as_str().unwrap()],
            m["seq"].as_i64().unwrap()
        );
    }
    // The agent's socket on B got all 15, once each, in order.
    let got = inbox.messages(15).await;
    let seqs: Vec<i64> = got.iter().map(|m| m["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, (1..=15).collect::<Vec<_>>());
    inbox.no_more("message", Duration::from_millis(300)).await;
}

/// A dialogue whose live-chat card lets visitors wait in line.
fn straight_to_the_line() -> Value {
    json!({"name": "Line", "cards": [
        {"id": "connect", "kind": "live_chat", "routing": {"mode": "round_robin"},
         "when_busy": "queue", "max_wait_seconds": 1800}]})
}

/// 200 visitors over two processes for 10 agents of capacity 2, with an engagement limit of
/// 150: the last 50 get `limit_reached` at once, the first 20 are offered, the rest wait in
/// line and are offered strictly in arrival order as chats end, whichever process frees the
/// slot; no agent ever holds more than 2; everyone admitted is served exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_visitors_queued_over_two_processes_are_served_in_order_within_capacity() {
    let cluster = spawn_processes(2).await;
    let nodes = &cluster.clients;
    let a = &nodes[0];
    let t = a.create_tenant_on("acme", "select", json!(150)).await;
    let r = a
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"max_chats_per_agent": 2}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let agents = available_agents(a, &t, 10).await;
    let token_of = |id: &str| -> String {
        agents
            .iter()
            .find(|(a, _)| a == id)
            .map(|(_, t)| t.clone())
            .expect("one of ours")
    };
    let key = publish(a, &t, straight_to_the_line()).await;

    // Arrivals one after the other, alternating processes: their order is the arrival order.
    let mut admitted = Vec::new();
    let mut refused = 0;
    for i in 0..200 {
        let s = start_session(&nodes[i % 2], json!({"widget_key": key}), None).await;
        assert_eq!(s.status, 200, "{}", s.text);
        match s.body["status"].as_str() {
            Some("waiting") => {
                admitted.push(s.body["conversation_id"].as_str().unwrap().to_owned())
            }
            Some("fallback") => {
                assert_eq!(s.body["fallback_reason"], "limit_reached", "{}", s.text);
                refused += 1;
            }
            other => panic!("unexpected {other:?}: {}", s.text),
        }
    }
    assert_eq!((admitted.len(), refused), (150, 50));
    let queue = nodes[1].get("/api/v1/queue", &t.token).await;
    assert_eq!(
        queue.body["items"].as_array().unwrap().len(),
        130,
        "{}",
        queue.text
    );

    // The agents accept what they are offered and end their chats, alternating processes.
    let mut accepted: Vec<String> = Vec::new();
    let started = Instant::now();
    let mut round = 0;
    while accepted.len() < admitted.len() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{} of {} served",
            accepted.len(),
            admitted.len()
        );
        let node = &nodes[round % 2];
        round += 1;
        let routing = node
            .get("/api/v1/conversations?status=routing&limit=200", &t.token)
            .await;
        let live = node
            .get("/api/v1/conversations?status=live&limit=200", &t.token)
            .await;
        // Capacity: live chats plus pending offers per agent, never above 2.
        let mut load = std::collections::HashMap::<String, u32>::new();
        for c in live.body["items"].as_array().unwrap() {
            *load
                .entry(c["assigned_agent_id"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
        let mut pending = Vec::new();
        for c in routing.body["items"].as_array().unwrap() {
            let id = c["id"].as_str().unwrap();
            let full = node
                .get(&format!("/api/v1/conversations/{id}"), &t.token)
                .await;
            if let Some(o) = full.body["trace"]["offers"]
                .as_array()
                .and_then(|o| o.last())
                .filter(|o| o["resolution"] == "pending")
            {
                let agent = o["agent_id"].as_str().unwrap().to_owned();
                *load.entry(agent.clone()).or_default() += 1;
                pending.push((
                    id.to_owned(),
                    o["offer_id"].as_str().unwrap().to_owned(),
                    agent,
                ));
            }
        }
        for (agent, n) in &load {
            assert!(*n <= 2, "agent {agent} holds {n}");
        }
        for (conversation, offer, agent) in pending {
            let r = node
                .post(
                    &format!("/api/v1/offers/{offer}/accept"),
                    &token_of(&agent),
                    json!({}),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            assert!(
                !accepted.contains(&conversation),
                "{conversation} served twice"
            );
            accepted.push(conversation);
        }
        for c in live.body["items"].as_array().unwrap() {
            let r = node
                .post(
                    &format!("/api/v1/conversations/{}/end", c["id"].as_str().unwrap()),
                    &token_of(c["assigned_agent_id"].as_str().unwrap()),
                    json!({}),
                )
                .await;
            assert_eq!(r.status, 204, "{}", r.text);
        }
    }
    // Offered in arrival order: the time of each conversation's offer follows its arrival.
    let mut offered_at = Vec::new();
    for id in &admitted {
        let c = a
            .get(&format!("/api/v1/conversations/{id}"), &t.token)
            .await;
        let offers = c.body["trace"]["offers"].as_array().unwrap();
        assert_eq!(offers.len(), 1, "offered once: {}", c.text);
        offered_at.push(
            offers[0]["offered_at"]
                .as_str()
                .unwrap()
                .parse::<DateTime<Utc>>()
                .unwrap(),
        );
    }
    let out_of_order = offered_at.windows(2).filter(|w| w[1] < w[0]).count();
    assert_eq!(out_of_order, 0, "offers out of arrival order");
    assert_eq!(
        a.get("/api/v1/usage", &t.token).await.body["engagements_used"],
        150
    );
    assert_eq!(
        nodes[1].get("/api/v1/queue", &t.token).await.body["items"],
        json!([])
    );
}

/// SIGTERM (issue 14): the node closes its sockets with 1001 so that their clients reconnect
/// elsewhere at once, finishes, and exits cleanly; the other node carries on with the offer
/// the stopped one made.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_closes_the_sockets_with_1001_and_the_node_exits_cleanly() {
    let mut cluster = spawn_processes(2).await;
    let (a, b) = (&cluster.clients[0], &cluster.clients[1]);
    let t = a.create_tenant("acme").await;
    let (_, agent) = available_agents(a, &t, 1).await.remove(0);
    let key = publish(a, &t, straight_to_live_chat()).await;
    let mut inbox = Ws::open(&a.base, "agent", &agent).await;
    let s = start_session(a, json!({"widget_key": key}), None).await;
    assert_eq!(s.status, 200, "{}", s.text);
    let visitor_token = s.body["visitor_token"].as_str().unwrap().to_owned();
    let mut visitor = Ws::open(&a.base, "visitor", &visitor_token).await;
    let offer = inbox.until("offer").await;

    cluster.processes[0].terminate();
    assert_eq!(
        visitor.close_code(Duration::from_secs(10)).await,
        Some(1001)
    );
    assert_eq!(inbox.close_code(Duration::from_secs(10)).await, Some(1001));
    let status = cluster.processes[0]
        .exited_within(Duration::from_secs(15))
        .await
        .expect("the node exits after SIGTERM");
    assert!(status.success(), "{status}");

    // The visitor and the agent carry on through the other node.
    let mut visitor = Ws::open(&b.base, "visitor", &visitor_token).await;
    let r = b
        .post(
            &format!(
                "/api/v1/offers/{}/accept",
                offer["offer_id"].as_str().unwrap()
            ),
            &agent,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    visitor.until("agent_joined").await;
}
