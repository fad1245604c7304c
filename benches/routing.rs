//! Routing benchmark (not a test): live-chat decisions per second (request -> offer: engagement
//! reserved, agent picked, offer stored with its deadline) and accept latency, on the embedded
//! configuration (SQLite + in-process) and the multi-node one (PostgreSQL + Redis).
//!
//! cargo bench --bench routing -- [memory|redis|pg] [requests] [concurrency]
//! Needs PostgreSQL (SWITCHBOARD_TEST_PG_URL) and Redis (SWITCHBOARD_TEST_REDIS_URL) for `redis`.

// A benchmark harness: a failed unwrap ends the run, which is what it should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/args.rs"]
mod args;
#[path = "../tests/support/pg.rs"]
mod pg;

use std::sync::Arc;
use std::time::{Duration, Instant};

use switchboard::app::Application;
use switchboard::config::{Config, LogFormat};
use switchboard_core::routing::RoutingMode;
use switchboard_core::routing::rules::Visitor;
use switchboard_core::settings::SettingsChange;
use switchboard_service::live::LiveChatStatus;
use switchboard_service::tenants::NewTenantInput;
use switchboard_service::users::NewUserInput;

const PASSWORD: &str = "bench-password-1";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let args = args::args();
    let backend = args.first().cloned().unwrap_or_else(|| "memory".into());
    let requests: usize = args::number(&args, 1, 5000);
    let concurrency: usize = args::number(&args, 2, 64);
    let dir = tempfile::tempdir().expect("temp dir");
    // `pg`: PostgreSQL with the in-process realtime backend, to tell the two apart.
    let (database_url, redis_url) = if backend == "redis" || backend == "pg" {
        (
            pg::new_pg_database().await,
            (backend == "redis").then(|| {
                std::env::var("SWITCHBOARD_TEST_REDIS_URL")
                    .unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
            }),
        )
    } else {
        (
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("bench.db").display()
            ),
            None,
        )
    };
    let config = Config {
        database_url: Some(database_url),
        redis_url,
        redis_namespace: format!("sbbench-{}", uuid::Uuid::new_v4().simple()),
        listen: "127.0.0.1:0".parse().expect("addr"),
        metrics_listen: None,
        metrics_token: Some("test-metrics-token-0123".into()),
        public_url: None,
        data_dir: dir.path().to_path_buf(),
        jwt_secret: Some("bench-secret-bench-secret-bench-secret-00".into()),
        secret_key: None,
        token_ttl_seconds: 900,
        operator_email: "op@bench.local".into(),
        operator_password: Some(PASSWORD.into()),
        log_format: LogFormat::Text,
        log: "warn".into(),
        db_max_connections: 20,
        geo_headers: Default::default(),
        geoip_db: None,
        trusted_proxies: Default::default(),
        webhook_allow_private: false,
        webhook_retry_seconds: 30,
        vapid_private_key: None,
        push_allow_private: false,
        smtp_url: None,
        smtp_ca_file: None,
        redis_ca_file: None,
        rate_limits: switchboard_service::limits::RateLimits::off(),
        smtp_from: "Switchboard <switchboard@localhost>".into(),
        mail_retry_seconds: 30,
        mail_digest_seconds: 600,
        visitor_grace_seconds: 60,
        require_2fa: false,
    };
    let app = Application::build(config).await.expect("app");
    let svc = app.service.clone();
    let op = svc
        .check_credentials(None, "op@bench.local", PASSWORD)
        .await
        .expect("operator");
    let created = svc
        .create_tenant(
            &op,
            NewTenantInput {
                name: "Bench",
                slug: "bench",
                plan: "prime",
                engagement_limit: Some(None),
                admin_email: "owner@bench.example.com",
                admin_display_name: "Owner",
                admin_password: PASSWORD,
            },
        )
        .await
        .expect("tenant");
    let owner = svc
        .check_credentials(Some("bench"), "owner@bench.example.com", PASSWORD)
        .await
        .expect("owner");
    svc.update_settings(
        &owner,
        SettingsChange {
            max_chats_per_agent: Some(100),
            ..Default::default()
        },
    )
    .await
    .expect("settings");
    let mut agents = std::collections::HashMap::new();
    for i in 0..60 {
        let email = format!("agent{i}@bench.example.com");
        let u = svc
            .create_user(
                &owner,
                NewUserInput {
                    email: &email,
                    display_name: "Agent",
                    role: "agent",
                    password: Some(PASSWORD),
                    live_chat_permission: true,
                },
            )
            .await
            .expect("agent");
        let p = svc
            .check_credentials(Some("bench"), &email, PASSWORD)
            .await
            .expect("agent login");
        svc.set_availability(&p, "available")
            .await
            .expect("available");
        agents.insert(switchboard_core::UserId::from_uuid(u.user.user.id), p);
    }
    let tenant = switchboard_core::TenantId::from_uuid(created.tenant.id);
    let agents = Arc::new(agents);

    // Decisions: `requests` live-chat requests, `concurrency` at a time.
    let started = Instant::now();
    let sem = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let mut tasks = Vec::with_capacity(requests);
    for _ in 0..requests {
        let (svc, sem) = (svc.clone(), sem.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = sem.acquire().await.expect("semaphore");
            let t0 = Instant::now();
            let l = svc
                .request_live_chat(tenant, RoutingMode::RoundRobin, None, Visitor::default())
                .await
                .expect("request");
            (t0.elapsed(), l)
        }));
    }
    let mut latencies = Vec::new();
    let mut offers = Vec::new();
    for t in tasks {
        let (d, l) = t.await.expect("task");
        latencies.push(d);
        if let LiveChatStatus::Offered {
            offer_id, agent_id, ..
        } = l.status
        {
            offers.push((offer_id, agent_id));
        }
    }
    let elapsed = started.elapsed();
    latencies.sort();
    println!(
        "{backend}: {requests} requests -> {} offers in {:.2} s = {:.0} decisions/s (concurrency {concurrency}); latency p50 {:.1} ms, p99 {:.1} ms",
        offers.len(),
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0
    );

    // Accepts: 1,000 offers accepted, 16 at a time.
    let sem = Arc::new(tokio::sync::Semaphore::new(16));
    let mut tasks = Vec::new();
    for (offer, agent) in offers.into_iter().take(1000) {
        let (svc, sem, agents) = (svc.clone(), sem.clone(), agents.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = sem.acquire().await.expect("semaphore");
            let t0 = Instant::now();
            svc.accept_offer(&agents[&agent], offer)
                .await
                .expect("accept");
            t0.elapsed()
        }));
    }
    let mut accepts = Vec::new();
    for t in tasks {
        accepts.push(t.await.expect("task"));
    }
    accepts.sort();
    if !accepts.is_empty() {
        println!(
            "{backend}: {} accepts, latency p50 {:.1} ms, p99 {:.1} ms",
            accepts.len(),
            percentile(&accepts, 0.5).as_secs_f64() * 1000.0,
            percentile(&accepts, 0.99).as_secs_f64() * 1000.0
        );
    }
}
