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

#[path = "support/args.rs"]
mod args;
#[path = "support/cluster.rs"]
mod cluster;
#[path = "../tests/support/pg.rs"]
mod pg;
#[path = "../tests/support/process.rs"]
mod process;

use std::time::Instant;

use cluster::{Bench, percentile, post};
use serde_json::{Value, json};

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

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args = args::args();
    let requests: usize = args::number(&args, 0, 5000);
    let concurrency: usize = args::number(&args, 1, 64);
    let redis_url = std::env::var("SWITCHBOARD_TEST_REDIS_URL")
        .unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    // An unlimited tenant, 60 available agents (100 chats each), a published dialogue whose
    // first card asks for an agent.
    let bench = Bench::start(
        60,
        json!({"max_chats_per_agent": 100}),
        json!({"name": "Direct", "cards": [
            {"id": "connect", "kind": "live_chat", "routing": {"mode": "round_robin"}}]}),
    )
    .await;
    let api = |node: usize, path: &str| bench.api(node, path);
    let (client, owner, key) = (bench.client.clone(), bench.owner.clone(), bench.key.clone());
    let agents: std::collections::HashMap<String, String> = bench.agents.iter().cloned().collect();

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
        let conv: Value = bench.get(i, &format!("/conversations/{c}"), &owner).await;
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
