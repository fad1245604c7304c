//! Two-process benchmark (not a test): two `switchboard` release processes on one PostgreSQL
//! database and one Redis, reached over HTTP like behind a load balancer. Measures live-chat
//! routing decisions per second (POST /widget/sessions on a dialogue whose first card is the
//! live-chat card: each request is one decision), accept latency over HTTP, and Redis
//! commands per decision and per accept (from `INFO commandstats`).
//!
//! cargo bench --bench processes -- [requests] [concurrency]
//! Needs PostgreSQL (SWITCHBOARD_TEST_PG_URL) and Redis (SWITCHBOARD_TEST_REDIS_URL).

// A benchmark harness: a failed unwrap ends the run, which is what it should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/pg.rs"]
mod pg;
#[path = "../tests/support/process.rs"]
mod process;

use std::time::{Duration, Instant};

use process::{Cluster, Process};

use serde_json::{Value, json};

const PASSWORD: &str = "bench-password-1";
const PUBLIC_URL: &str = "http://switchboard.bench.test";
const SECRET: &str = "bench-secret-bench-secret-bench-secret-00";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Calls of each Redis command so far.
fn commandstats(redis_url: &str) -> std::collections::HashMap<String, u64> {
    let client = redis::Client::open(redis_url).expect("redis url");
    let mut conn = client.get_connection().expect("redis");
    let info: String = redis::cmd("INFO")
        .arg("commandstats")
        .query(&mut conn)
        .expect("INFO");
    info.lines()
        .filter_map(|l| {
            let (name, rest) = l.strip_prefix("cmdstat_")?.split_once(':')?;
            let calls = rest
                .split(',')
                .next()?
                .strip_prefix("calls=")?
                .parse()
                .ok()?;
            Some((name.to_owned(), calls))
        })
        .collect()
}

fn delta(
    before: &std::collections::HashMap<String, u64>,
    after: &std::collections::HashMap<String, u64>,
) -> Vec<(String, u64)> {
    let mut d: Vec<_> = after
        .iter()
        .map(|(k, v)| (k.clone(), v - before.get(k).copied().unwrap_or(0)))
        .filter(|(k, v)| *v > 0 && k != "info")
        .collect();
    d.sort_by_key(|e| std::cmp::Reverse(e.1));
    d
}

async fn post(client: &reqwest::Client, url: String, token: Option<&str>, body: Value) -> Value {
    let mut req = client.post(url).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.expect("request");
    let status = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status}: {body}");
    body
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let requests: usize = args.first().and_then(|s| s.parse().ok()).unwrap_or(5000);
    let concurrency: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(64);
    let redis_url = std::env::var("SWITCHBOARD_TEST_REDIS_URL")
        .unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let database_url = pg::new_pg_database().await;
    let namespace = format!("sbbench-{}", uuid::Uuid::new_v4().simple());
    let dir = tempfile::tempdir().expect("temp dir");
    let cluster = Cluster {
        database_url: &database_url,
        redis_namespace: &namespace,
        public_url: PUBLIC_URL,
        jwt_secret: SECRET,
        operator_email: "op@bench.local",
        operator_password: PASSWORD,
    };
    // One at a time: the first migrates the database.
    let mut nodes = Vec::new();
    for i in 0..2 {
        let data = dir.path().join(format!("node{i}"));
        std::fs::create_dir_all(&data).expect("data dir");
        nodes.push(Process::start(&cluster, &data).await);
    }
    let urls: Vec<String> = nodes.iter().map(|n| n.url.clone()).collect();
    let api = |node: usize, path: &str| format!("{}/api/v1{path}", urls[node % 2]);
    let client = reqwest::Client::new();

    // Set-up over the API: an unlimited tenant, 60 available agents (100 chats each), a
    // published dialogue whose first card asks for an agent.
    let op = post(
        &client,
        api(0, "/auth/token"),
        None,
        json!({"email": "op@bench.local", "password": PASSWORD}),
    )
    .await;
    let op = op["access_token"].as_str().expect("token").to_owned();
    post(&client, api(0, "/platform/tenants"), Some(&op), json!({
        "name": "Bench", "slug": "bench", "plan": "prime", "engagement_limit": null,
        "admin": {"email": "owner@bench.example.com", "display_name": "Owner", "password": PASSWORD}})).await;
    let login = |email: String| {
        let client = client.clone();
        let url = api(0, "/auth/token");
        async move {
            post(
                &client,
                url,
                None,
                json!({"tenant": "bench", "email": email, "password": PASSWORD}),
            )
            .await["access_token"]
                .as_str()
                .expect("token")
                .to_owned()
        }
    };
    let owner = login("owner@bench.example.com".into()).await;
    let r = client
        .patch(api(0, "/settings"))
        .bearer_auth(&owner)
        .json(&json!({"max_chats_per_agent": 100}))
        .send()
        .await
        .expect("settings");
    assert!(r.status().is_success());
    let mut agents = std::collections::HashMap::new();
    for i in 0..60 {
        let email = format!("agent{i}@bench.example.com");
        let u = post(&client, api(0, "/users"), Some(&owner), json!({
            "email": email, "display_name": format!("Agent {i}"), "role": "agent", "password": PASSWORD})).await;
        let id = u["id"].as_str().expect("id").to_owned();
        client
            .put(api(0, &format!("/users/{id}/live-chat-permission")))
            .bearer_auth(&owner)
            .send()
            .await
            .expect("grant");
        let token = login(email).await;
        client
            .put(api(0, "/me/availability"))
            .bearer_auth(&token)
            .json(&json!({"status": "available"}))
            .send()
            .await
            .expect("available");
        agents.insert(id, token);
    }
    let d = post(
        &client,
        api(0, "/dialogues"),
        Some(&owner),
        json!({"name": "Direct", "cards": [
        {"id": "connect", "kind": "live_chat", "routing": {"mode": "round_robin"}}]}),
    )
    .await;
    post(
        &client,
        api(
            0,
            &format!("/dialogues/{}/publish", d["id"].as_str().expect("id")),
        ),
        Some(&owner),
        json!({}),
    )
    .await;
    let settings: Value = client
        .get(api(0, "/settings"))
        .bearer_auth(&owner)
        .send()
        .await
        .expect("settings")
        .json()
        .await
        .expect("json");
    let key = settings["widget_key"].as_str().expect("key").to_owned();

    // Decisions: each request to one process in turn.
    let before = commandstats(&redis_url);
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(concurrency));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(requests);
    for i in 0..requests {
        let (client, sem, key, url) = (
            client.clone(),
            sem.clone(),
            key.clone(),
            api(i, "/widget/sessions"),
        );
        tasks.push(tokio::spawn(async move {
            let _permit = sem.acquire().await.expect("semaphore");
            let t0 = Instant::now();
            let s = post(&client, url, None, json!({"widget_key": key})).await;
            (t0.elapsed(), s)
        }));
    }
    let mut latencies = Vec::new();
    let mut waiting = Vec::new();
    for t in tasks {
        let (d, s) = t.await.expect("task");
        latencies.push(d);
        if s["status"] == "waiting" {
            waiting.push(s["conversation_id"].as_str().expect("id").to_owned());
        }
    }
    let elapsed = started.elapsed();
    let after = commandstats(&redis_url);
    latencies.sort();
    println!(
        "2 processes: {requests} requests -> {} offers in {:.2} s = {:.0} decisions/s (concurrency {concurrency}); latency p50 {:.1} ms, p99 {:.1} ms",
        waiting.len(),
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0
    );
    let cmds = delta(&before, &after);
    let total: u64 = cmds.iter().map(|(_, n)| n).sum();
    println!(
        "redis commands per decision: {:.2} ({})",
        total as f64 / requests as f64,
        cmds.iter()
            .map(|(k, n)| format!("{k} {:.2}", *n as f64 / requests as f64))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // Accepts: the first 1,000 offers, 16 at a time, alternating processes.
    let mut offers = Vec::new();
    for (i, c) in waiting.iter().take(1000).enumerate() {
        let conv: Value = client
            .get(api(i, &format!("/conversations/{c}")))
            .bearer_auth(&owner)
            .send()
            .await
            .expect("conversation")
            .json()
            .await
            .expect("json");
        let o = &conv["trace"]["offers"][0];
        offers.push((
            o["offer_id"].as_str().expect("offer").to_owned(),
            agents[o["agent_id"].as_str().expect("agent")].clone(),
        ));
    }
    let before = commandstats(&redis_url);
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(16));
    let mut tasks = Vec::new();
    for (i, (offer, token)) in offers.into_iter().enumerate() {
        let (client, sem, url) = (
            client.clone(),
            sem.clone(),
            api(i, &format!("/offers/{offer}/accept")),
        );
        tasks.push(tokio::spawn(async move {
            let _permit = sem.acquire().await.expect("semaphore");
            let t0 = Instant::now();
            post(&client, url, Some(&token), json!({})).await;
            t0.elapsed()
        }));
    }
    let mut accepts = Vec::new();
    for t in tasks {
        accepts.push(t.await.expect("task"));
    }
    let after = commandstats(&redis_url);
    accepts.sort();
    if !accepts.is_empty() {
        let n = accepts.len() as f64;
        let cmds = delta(&before, &after);
        println!(
            "2 processes: {} accepts over HTTP, latency p50 {:.1} ms, p99 {:.1} ms; redis commands per accept: {}",
            accepts.len(),
            percentile(&accepts, 0.5).as_secs_f64() * 1000.0,
            percentile(&accepts, 0.99).as_secs_f64() * 1000.0,
            cmds.iter()
                .map(|(k, c)| format!("{k} {:.2}", *c as f64 / n))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}
