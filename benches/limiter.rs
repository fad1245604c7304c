//! Rate-limiter benchmark (not a test): what one `take` costs, the price every limited
//! request pays (SPEC §12.4) — in-process (governor, one node) and on Redis (one script call,
//! every node). Each task takes from its own key, as different clients do, under a rate high
//! enough never to refuse (a refusal costs the same).
//!
//! cargo bench --bench limiter -- [takes per run]
//! Needs Redis (SWITCHBOARD_TEST_REDIS_URL, default redis://127.0.0.1:6379).

// A benchmark harness: a failed unwrap ends the run, which is what it should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/args.rs"]
mod args;

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant};

use switchboard_realtime::limits::MemoryLimits;
use switchboard_realtime::redis::RedisRealtime;
use switchboard_realtime::{Limits, Rate};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// `takes` takes spread over `concurrency` tasks (keys `k0`..); prints throughput and the
/// latency of one take.
async fn run<L: Limits + 'static>(name: &str, limits: Arc<L>, takes: usize, concurrency: usize) {
    let rate = Rate {
        burst: NonZeroU32::new(1_000_000).unwrap(),
        period: Duration::from_secs(1),
    };
    let per_task = takes / concurrency;
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|t| {
            let limits = limits.clone();
            tokio::spawn(async move {
                let key = format!("bench-{t}");
                let mut times = Vec::with_capacity(per_task);
                for _ in 0..per_task {
                    let t0 = Instant::now();
                    let refused = limits.take(&key, rate).await.expect("take");
                    times.push(t0.elapsed());
                    assert!(refused.is_none());
                }
                times
            })
        })
        .collect();
    let mut all = Vec::with_capacity(takes);
    for t in tasks {
        all.extend(t.await.expect("task"));
    }
    let elapsed = started.elapsed();
    all.sort();
    println!(
        "{name:>10}, concurrency {concurrency:>2}: {} takes in {:.2} s = {:.0} takes/s; one take p50 {:.1} µs, p99 {:.1} µs",
        all.len(),
        elapsed.as_secs_f64(),
        all.len() as f64 / elapsed.as_secs_f64(),
        percentile(&all, 0.5).as_secs_f64() * 1e6,
        percentile(&all, 0.99).as_secs_f64() * 1e6,
    );
}

#[tokio::main]
async fn main() {
    let args = args::args();
    let takes: usize = args::number(&args, 0, 100_000);
    let redis_url = std::env::var("SWITCHBOARD_TEST_REDIS_URL")
        .unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let memory = Arc::new(MemoryLimits::default());
    let redis = Arc::new(
        RedisRealtime::connect(
            &redis_url,
            &format!("sbbench-{}", uuid::Uuid::new_v4().simple()),
        )
        .await
        .expect("redis"),
    );
    for concurrency in [1, 64] {
        run("in-process", memory.clone(), takes, concurrency).await;
        run("Redis", redis.clone(), takes / 5, concurrency).await;
    }
}
