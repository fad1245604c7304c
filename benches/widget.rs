//! Widget-session benchmark (not a test): two `switchboard` release processes on one
//! PostgreSQL database and one Redis, reached in turn like behind a load balancer. Measures
//! widget sessions started per second (visitors opening the widget on a dialogue whose
//! first card is a question: what a scripted flood does) and what the database keeps per
//! session: for visitors who open the widget and leave, and for visitors who answer the
//! first card. The dialogue is the largest allowed (200 cards, long texts), which is where
//! a copy of it per conversation hurts.
//!
//! cargo bench --bench widget -- [sessions] [concurrency]
//! Needs PostgreSQL (SWITCHBOARD_TEST_PG_URL) and Redis (SWITCHBOARD_TEST_REDIS_URL).
//! `SWITCHBOARD_BENCH_BIN=<path>` runs another build of the server (an earlier commit's).

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
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};

/// About 1,500 characters of words in a varied order (text that compresses like prose, not
/// like one sentence repeated), the same on every run.
fn prose(seed: u64) -> String {
    const WORDS: [&str; 16] = [
        "plans",
        "sales",
        "teams",
        "every",
        "size",
        "pricing",
        "seats",
        "annual",
        "support",
        "integrations",
        "security",
        "onboarding",
        "reports",
        "discount",
        "trial",
        "migration",
    ];
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut out = String::new();
    while out.len() < 1490 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        out.push_str(WORDS[(x >> 60) as usize]);
        out.push(if (x >> 20).is_multiple_of(9) {
            '.'
        } else {
            ' '
        });
    }
    out
}

/// 200 cards: a question, a form and the live-chat card, then 197 message cards of about
/// 1,500 characters each on the "tell me more" branch.
fn big_dialogue() -> Value {
    let mut cards = vec![
        json!({"id": "ask", "kind": "question", "text": "Talk to sales?", "choices": [
            {"id": "yes", "label": "Yes please", "next": "form"},
            {"id": "more", "label": "Tell me more first", "next": "m1"}]}),
        json!({"id": "form", "kind": "capture", "text": "Who are you?", "next": "connect", "fields": [
            {"name": "first_name", "required": true}, {"name": "email", "required": true}]}),
        json!({"id": "connect", "kind": "live_chat", "routing": {"mode": "round_robin"}}),
    ];
    for i in 1..=197 {
        let next = (i < 197).then(|| format!("m{}", i + 1));
        cards.push(json!({"id": format!("m{i}"), "kind": "message",
            "text": prose(i), "next": next}));
    }
    json!({"name": "Big", "cards": cards})
}

/// Bytes of every table of the database (rows, TOAST and indexes), after `VACUUM FULL`
/// so that only live rows count.
async fn database_bytes(db: &DatabaseConnection) -> i64 {
    db.execute_unprepared("VACUUM FULL").await.expect("vacuum");
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'r' AND n.nspname = 'public'",
        ))
        .await
        .expect("size")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("bytes")
}

async fn count(db: &DatabaseConnection, table: &str) -> i64 {
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT count(*) FROM {table}"),
    ))
    .await
    .expect("count")
    .expect("a row")
    .try_get_by_index::<i64>(0)
    .expect("count")
}

/// `n` widget sessions, `concurrency` at a time, each to the next process; with `answer`,
/// each visitor answers the first card too. Returns each session's latency, sorted.
async fn sessions(
    bench: &Bench,
    n: usize,
    concurrency: usize,
    answer: bool,
) -> (std::time::Duration, Vec<std::time::Duration>) {
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(concurrency));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let (client, sem, key) = (bench.client.clone(), sem.clone(), bench.key.clone());
        let (start, answers) = (bench.api(i, "/widget/sessions"), bench.api(i + 1, ""));
        tasks.push(tokio::spawn(async move {
            let _permit = sem.acquire().await.expect("semaphore");
            let t0 = Instant::now();
            let s = post(&client, start, None, json!({"widget_key": key})).await;
            let took = t0.elapsed();
            if answer {
                let url = format!(
                    "{answers}/widget/conversations/{}/answers",
                    s["conversation_id"].as_str().expect("id")
                );
                post(
                    &client,
                    url,
                    s["visitor_token"].as_str(),
                    json!({"card_id": "ask", "choice": "more"}),
                )
                .await;
            }
            took
        }));
    }
    let mut latencies = Vec::with_capacity(n);
    for t in tasks {
        latencies.push(t.await.expect("task"));
    }
    let elapsed = started.elapsed();
    latencies.sort();
    (elapsed, latencies)
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args = args::args();
    let n: usize = args::number(&args, 0, 3000);
    let concurrency: usize = args::number(&args, 1, 64);
    let bench = Bench::start(0, json!({}), big_dialogue()).await;
    let db = Database::connect(&bench.database_url)
        .await
        .expect("database");

    // Warm-up (connections, the routing snapshot on both processes).
    sessions(&bench, 100, concurrency, false).await;
    let empty = database_bytes(&db).await;
    let (elapsed, latencies) = sessions(&bench, n, concurrency, false).await;
    println!(
        "2 processes: {n} widget sessions (no answer) in {:.2} s = {:.0} sessions/s (concurrency {concurrency}); latency p50 {:.1} ms, p99 {:.1} ms",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0
    );
    let looked = database_bytes(&db).await;
    println!(
        "database: {} conversations, {} messages; {:.0} bytes per session of a visitor who opened the widget and left",
        count(&db, "conversations").await,
        count(&db, "messages").await,
        (looked - empty) as f64 / n as f64
    );

    let answered_n = n / 3;
    let (elapsed, _) = sessions(&bench, answered_n, concurrency, true).await;
    let answered = database_bytes(&db).await;
    println!(
        "2 processes: {answered_n} sessions answering the first card in {:.2} s = {:.0} visitors/s; {:.0} bytes per conversation stored",
        elapsed.as_secs_f64(),
        answered_n as f64 / elapsed.as_secs_f64(),
        (answered - looked) as f64 / answered_n as f64
    );
}
