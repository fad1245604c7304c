//! Redis trouble (issue 14): with the node's Redis stopped, `/readyz` says so, a call that
//! needs it answers 503 with `Retry-After` within about a second instead of hanging, and it
//! leaves nothing in the database; once Redis is back (empty), the same calls work again.
//! After the pub/sub link comes back, open sockets catch up from the database. Redis AUTH
//! and TLS (`rediss://`) work. Each test runs its own `redis-server`, so stopping it
//! disturbs no other test.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::agents::available_agents;
use crate::helpers::live::first_offer_id;
use crate::helpers::redis::OwnRedis;
use crate::helpers::tls::self_signed;
use crate::helpers::widget::{publish, start_session, straight_to_live_chat, waiting_visitor};
use crate::helpers::ws::Ws;
use crate::helpers::{TestApp, spawn_app_with, test_config};

async fn readyz(app: &TestApp) -> (u16, String) {
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_redis_stopped_calls_fail_fast_with_503_change_nothing_and_work_once_it_is_back() {
    let mut redis = OwnRedis::start().await;
    let url = redis.url();
    let app = spawn_app_with(move |c| c.redis_url = Some(url)).await;
    let t = app.create_tenant("acme").await;
    let (_, agent) = available_agents(&app, &t, 1).await.remove(0);
    let key = publish(&app, &t, straight_to_live_chat()).await;
    assert_eq!(readyz(&app).await, (200, "ready".into()));

    redis.stop();
    let started = Instant::now();
    assert_eq!(readyz(&app).await, (503, "redis unavailable".into()));
    let readiness_took = started.elapsed();

    // A visitor asks for an agent: refused at once, with a hint to retry.
    let started = Instant::now();
    let r = app
        .client
        .post(app.url("/api/v1/widget/sessions"))
        .json(&json!({"widget_key": key}))
        .send()
        .await
        .unwrap();
    let refused_in = started.elapsed();
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "1");
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["status"], 503, "{problem}");
    // An agent changing availability (presence lives in Redis) too.
    let r = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/me/availability",
            Some(&agent),
            Some(json!({"status": "away"})),
        )
        .await;
    assert_eq!(r.status, 503, "{}", r.text);
    println!(
        "with Redis stopped: /readyz answered in {readiness_took:?}, a widget session in {refused_in:?}"
    );
    assert!(
        refused_in < Duration::from_secs(5) && readiness_took < Duration::from_secs(5),
        "calls hang while Redis is away: {refused_in:?}, {readiness_took:?}"
    );
    // Nothing was written for the refused visitor.
    let list = app.get("/api/v1/conversations", &t.token).await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(list.body["items"], json!([]), "{}", list.text);

    // Redis comes back, empty: ready again, and a visitor is offered to the agent.
    redis.restart().await;
    let since = Instant::now();
    while readyz(&app).await.0 != 200 {
        assert!(
            since.elapsed() < Duration::from_secs(15),
            "not ready after Redis came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let r = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/me/availability",
            Some(&agent),
            Some(json!({"status": "available"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let s = start_session(&app, json!({"widget_key": key}), None).await;
    assert_eq!(s.status, 200, "{}", s.text);
    assert_eq!(s.body["status"], "waiting", "{}", s.text);
}

/// Redis with a password (`requirepass`): the URL's password is used; a wrong one stops
/// start-up with a message naming `REDIS_URL` and not showing the password.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_redis_with_a_password_is_reached_with_the_urls_and_a_wrong_one_stops_start_up() {
    let redis = OwnRedis::start_with(&["--requirepass", "s3cret-redis-pass"]).await;
    let url = format!("redis://:s3cret-redis-pass@127.0.0.1:{}", redis.port);
    let app = spawn_app_with(move |c| c.redis_url = Some(url)).await;
    assert_eq!(readyz(&app).await, (200, "ready".into()));
    let t = app.create_tenant("acme").await;
    let (_, agent) = available_agents(&app, &t, 1).await.remove(0);
    let me = app.get("/api/v1/me", &agent).await;
    assert_eq!(me.body["availability"], "available", "{}", me.text);

    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(
        format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("wrong.db").display()
        ),
        dir.path().to_path_buf(),
    );
    config.redis_url = Some(format!(
        "redis://:not-the-password@127.0.0.1:{}",
        redis.port
    ));
    let refused = switchboard::app::Application::build(config)
        .await
        .err()
        .expect("a wrong Redis password stops start-up");
    let message = format!("{refused:#}");
    assert!(message.contains("REDIS_URL"), "{message}");
    assert!(!message.contains("not-the-password"), "{message}");
}

/// The pub/sub connection (Redis) is down while an agent writes: once it is back, the
/// visitor's open socket catches up from the database and shows the message, though the
/// event published for it reached nobody.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_the_pub_sub_link_comes_back_open_sockets_catch_up_from_the_database() {
    let mut redis = OwnRedis::start().await;
    let url = redis.url();
    let app = spawn_app_with(move |c| c.redis_url = Some(url)).await;
    let (t, (_, agent), session) = waiting_visitor(&app, "acme").await;
    let conversation = session["conversation_id"].as_str().unwrap().to_owned();
    let offer = first_offer_id(&app, &t, &conversation).await;
    let r = app
        .post(&format!("/api/v1/offers/{offer}/accept"), &agent, json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut widget = Ws::open(
        &app.base,
        "visitor",
        session["visitor_token"].as_str().unwrap(),
    )
    .await;
    widget.until("hello").await;

    // Redis goes away long enough for the pub/sub task to back off for seconds; as soon as
    // it is back the agent writes, before that task subscribes again: the event is lost.
    redis.stop();
    tokio::time::sleep(Duration::from_secs(4)).await;
    redis.restart().await;
    let since = Instant::now();
    let sent = loop {
        let r = app
            .post(
                &format!("/api/v1/conversations/{conversation}/messages"),
                &agent,
                json!({"body": "sent while the link was down", "client_id": "a-1"}),
            )
            .await;
        if r.status == 201 {
            break r;
        }
        assert_eq!(r.status, 503, "{}", r.text);
        assert!(since.elapsed() < Duration::from_secs(10), "{}", r.text);
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let seq = sent.body["seq"].as_i64().unwrap();

    // The socket, still open, gets it once the link is back.
    let got = loop {
        let frame = widget
            .next_within(Duration::from_secs(15))
            .await
            .expect("the message never reached the open socket");
        if frame["type"] == "message" {
            break frame;
        }
    };
    assert_eq!(got["body"], "sent while the link was down");
    assert_eq!(got["seq"].as_i64(), Some(seq));
}

/// Redis over TLS (`rediss://`): with the server's private CA trusted
/// (`SWITCHBOARD_REDIS_CA_FILE`) the node is ready and routes; without it, start-up stops
/// naming `REDIS_URL`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_over_tls_works_with_its_ca_trusted_and_stops_start_up_otherwise() {
    let certs = tempfile::tempdir().unwrap();
    let (cert, key) = self_signed(certs.path());
    let redis = OwnRedis::start_tls(&cert, &key).await;
    let (url, ca) = (redis.tls_url(), cert.clone());
    let app = spawn_app_with(move |c| {
        c.redis_url = Some(url);
        c.redis_ca_file = Some(ca);
    })
    .await;
    assert_eq!(readyz(&app).await, (200, "ready".into()));
    let t = app.create_tenant("acme").await;
    available_agents(&app, &t, 1).await;
    let key_ = publish(&app, &t, straight_to_live_chat()).await;
    let s = start_session(&app, json!({"widget_key": key_}), None).await;
    assert_eq!(s.body["status"], "waiting", "{}", s.text);

    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(
        format!("sqlite://{}?mode=rwc", dir.path().join("tls.db").display()),
        dir.path().to_path_buf(),
    );
    config.redis_url = Some(redis.tls_url());
    let refused = switchboard::app::Application::build(config)
        .await
        .err()
        .expect("an untrusted certificate stops start-up");
    assert!(format!("{refused:#}").contains("REDIS_URL"), "{refused:#}");
}
