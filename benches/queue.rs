//! Waiting-queue benchmark (not a test): two `switchboard` release processes on one
//! PostgreSQL database and one Redis. `agents` agents of capacity 1 are busy while `visitors`
//! visitors join the line (a live-chat card with `when_busy: "queue"`), one after the other,
//! alternating processes. Then every agent, on its own socket, accepts what it is offered and
//! ends the chat at once, freeing its slot. Measured: slot freed → that agent's next offer
//! (from sending the end to the `offer` frame), the time to drain the line, and fairness: how
//! far each visitor's turn strays from their arrival order.
//!
//! cargo bench --bench queue -- [visitors] [agents]
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

use std::sync::Arc;
use std::time::{Duration, Instant};

use cluster::{Bench, percentile, post};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::sync::Mutex;

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args = args::args();
    let visitors: usize = args::number(&args, 0, 1000);
    let agents: usize = args::number(&args, 1, 50);
    let bench = Arc::new(
        Bench::start(
            agents,
            json!({"max_chats_per_agent": 1, "accept_timeout_seconds": 600}),
            json!({"name": "Line", "cards": [
                {"id": "connect", "kind": "live_chat", "routing": {"mode": "round_robin"},
                 "when_busy": "queue", "max_wait_seconds": 1800}]}),
        )
        .await,
    );

    // Arrivals, in order: the first `agents` are offered at once, the others wait in line.
    let started = Instant::now();
    let mut arrival = Vec::with_capacity(visitors);
    for i in 0..visitors {
        let s = post(
            &bench.client,
            bench.api(i, "/widget/sessions"),
            None,
            json!({"widget_key": bench.key}),
        )
        .await;
        assert_eq!(s["status"], "waiting", "{s}");
        arrival.push(s["conversation_id"].as_str().expect("id").to_owned());
    }
    println!(
        "{visitors} visitors joined in {:.2} s",
        started.elapsed().as_secs_f64()
    );

    // Each agent: accept every offer, end the chat at once, time until the next offer.
    let served = Arc::new(Mutex::new(0usize));
    let latencies = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let drain = Instant::now();
    let mut tasks = Vec::new();
    for (i, (_, token)) in bench.agents.iter().enumerate() {
        let (bench, served, latencies, token) = (
            bench.clone(),
            served.clone(),
            latencies.clone(),
            token.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let url = format!(
                "{}/api/v1/ws/agent?token={token}",
                bench.urls[i % 2].replacen("http", "ws", 1)
            );
            let (mut ws, _) = tokio_tungstenite::connect_async(url).await.expect("socket");
            let mut freed_at: Option<Instant> = None;
            while let Some(Ok(msg)) = ws.next().await {
                let Ok(text) = msg.into_text() else { continue };
                let frame: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                if frame["type"] != "offer" {
                    continue;
                }
                if let Some(t) = freed_at.take() {
                    latencies.lock().await.push(t.elapsed());
                }
                let offer = frame["offer_id"].as_str().expect("offer");
                let conversation = frame["conversation_id"].as_str().expect("conversation");
                post(
                    &bench.client,
                    bench.api(i, &format!("/offers/{offer}/accept")),
                    Some(&token),
                    json!({}),
                )
                .await;
                let done = {
                    let mut n = served.lock().await;
                    *n += 1;
                    *n
                };
                freed_at = Some(Instant::now());
                let r = bench
                    .client
                    .post(bench.api(i + 1, &format!("/conversations/{conversation}/end")))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .expect("end");
                assert!(r.status().is_success(), "end: {}", r.status());
                if done >= visitors {
                    break;
                }
            }
        }));
    }
    loop {
        if *served.lock().await >= visitors {
            break;
        }
        assert!(
            drain.elapsed() < Duration::from_secs(600),
            "not drained in 10 minutes"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let drained = drain.elapsed();
    for t in tasks {
        t.abort();
    }
    let mut latencies = latencies.lock().await.clone();
    latencies.sort();
    println!(
        "drained {visitors} visitors with {agents} agents in {:.2} s ({:.0} served/s)",
        drained.as_secs_f64(),
        visitors as f64 / drained.as_secs_f64()
    );
    println!(
        "slot freed -> next offer ({} samples): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    );

    // Fairness: each visitor's rank by offer time against their rank by arrival.
    let mut offered = Vec::with_capacity(visitors);
    for (i, id) in arrival.iter().enumerate() {
        let c = bench
            .get(i, &format!("/conversations/{id}"), &bench.owner)
            .await;
        let at: chrono::DateTime<chrono::Utc> = c["trace"]["offers"][0]["offered_at"]
            .as_str()
            .expect("offered")
            .parse()
            .expect("time");
        offered.push((at, i));
    }
    offered.sort();
    let deviation = offered
        .iter()
        .enumerate()
        .map(|(rank, (_, arrived))| rank.abs_diff(*arrived))
        .max()
        .unwrap_or(0);
    println!("fairness: max deviation from arrival order {deviation} places");
}
