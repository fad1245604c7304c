//! Real server processes (the `switchboard` binary) sharing PostgreSQL and Redis, reached
//! only over HTTP, as behind a load balancer: requests split across two processes respect
//! the engagement limit, and an offer made by a process killed with SIGKILL still expires
//! on time, handled by the survivor. These tests always run on PostgreSQL and Redis.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::dialogues::{publish, start_session};
use crate::helpers::{
    OPERATOR_EMAIL, OPERATOR_PASSWORD, TestApp, available_agents, new_pg_database, poll_until,
    spawn_app_with,
};
use crate::process::{Cluster, Process};

/// `n` processes on one new PostgreSQL database and one Redis namespace, and a client of
/// each (a `TestApp` whose own server and workers are stopped, pointed at the process).
pub async fn spawn_processes(n: usize) -> (Vec<Process>, Vec<TestApp>, tempfile::TempDir) {
    let database_url = new_pg_database().await;
    let namespace = format!("sbtest-{}", uuid::Uuid::new_v4().simple());
    let dir = tempfile::tempdir().unwrap();
    // The clients first: building them migrates the database and installs the TLS
    // provider the HTTP client needs.
    let mut clients = Vec::new();
    for _ in 0..n {
        let (url, ns) = (database_url.clone(), namespace.clone());
        let client = spawn_app_with(move |c| {
            c.database_url = Some(url);
            c.redis_url = None;
            c.redis_namespace = ns;
        })
        .await;
        client.kill();
        clients.push(client);
    }
    let mut processes = Vec::new();
    for (i, client) in clients.iter_mut().enumerate() {
        let data = dir.path().join(format!("node{i}"));
        std::fs::create_dir_all(&data).unwrap();
        let cluster = Cluster {
            database_url: &database_url,
            redis_namespace: &namespace,
            public_url: "http://switchboard.processes.test",
            jwt_secret: "process-secret-process-secret-0123456",
            operator_email: OPERATOR_EMAIL,
            operator_password: OPERATOR_PASSWORD,
        };
        let p = Process::start(&cluster, &data).await;
        client.base = p.url.clone();
        processes.push(p);
    }
    (processes, clients, dir)
}

/// A dialogue that asks for an agent at once.
fn straight_to_live_chat() -> Value {
    json!({"name": "Direct", "cards": [
        {"id": "connect", "kind": "live_chat", "routing": {"mode": "round_robin"}}]})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_requests_split_across_two_processes_engage_exactly_the_limit() {
    let (_processes, nodes, _dir) = spawn_processes(2).await;
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
    let (mut processes, nodes, _dir) = spawn_processes(2).await;
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

    processes[0].kill9();

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
