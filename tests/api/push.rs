//! Web Push groundwork (SPEC §6): the server's VAPID public key reaches the user, and each
//! browser's subscription is stored, replaced, and removed; bad ones are refused.

use std::time::{Duration, Instant};

use serde_json::json;
use switchboard_notify::push::VapidKey;

use crate::helpers::agents::{available_agents, set_preferences};
use crate::helpers::push::{Browser, b64, push_pass, subscribe};
use crate::helpers::receiver::{Received, receiver, receiver_by_path, wait_for};
use crate::helpers::widget::{publish, sales_dialogue, walk_to_live_chat};
use crate::helpers::ws::Ws;
use crate::helpers::{Reply, Tenant, TestApp, poll_until, spawn_app_with};

/// Forgets `agent`'s subscription of `endpoint`.
async fn unsubscribe(app: &TestApp, agent: &str, endpoint: String) -> Reply {
    app.call(
        reqwest::Method::DELETE,
        "/api/v1/me/push-subscriptions",
        Some(agent),
        Some(json!({"endpoint": endpoint})),
    )
    .await
}

fn auth_secret() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([9u8; 16])
}

#[tokio::test]
async fn browsers_subscribe_with_the_servers_vapid_key_and_bad_subscriptions_are_refused() {
    let key = VapidKey::generate();
    let configured = key.clone();
    let app = spawn_app_with(move |c| c.vapid_private_key = Some(configured)).await;
    let t = app.create_tenant("push").await;
    let (_, agent) = available_agents(&app, &t, 1).await.remove(0);
    let me = app.get("/api/v1/me", &agent).await;
    assert_eq!(
        me.body["push_public_key"],
        key.public_key().as_str(),
        "{}",
        me.text
    );
    assert_eq!(me.body["push_subscriptions"], 0);

    let browser = VapidKey::generate().public_key();
    let sub = json!({"endpoint": "https://push.example.com/send/abc",
                     "keys": {"p256dh": browser, "auth": auth_secret()}});
    let add = |body: serde_json::Value| {
        let (app, agent) = (&app, agent.clone());
        async move {
            app.call(
                reqwest::Method::POST,
                "/api/v1/me/push-subscriptions",
                Some(&agent),
                Some(body),
            )
            .await
        }
    };
    assert_eq!(add(sub.clone()).await.status, 204);
    assert_eq!(add(sub.clone()).await.status, 204, "the same browser again");
    assert_eq!(
        app.get("/api/v1/me", &agent).await.body["push_subscriptions"],
        1
    );

    for (body, field) in [
        (
            json!({"endpoint": "http://push.example.com/x", "keys": {"p256dh": browser, "auth": auth_secret()}}),
            "endpoint",
        ),
        (
            json!({"endpoint": "https://push.example.com/x", "keys": {"p256dh": "AAAA", "auth": auth_secret()}}),
            "keys.p256dh",
        ),
        (
            json!({"endpoint": "https://push.example.com/x", "keys": {"p256dh": browser, "auth": "AAAA"}}),
            "keys.auth",
        ),
    ] {
        assert_eq!(
            add(body.clone()).await.problem(422)["field"],
            field,
            "{body}"
        );
    }
    assert_eq!(
        add(json!({"endpoint": "https://x.example.com"}))
            .await
            .status,
        400
    );
    assert_eq!(
        app.get("/api/v1/me", &agent).await.body["push_subscriptions"],
        1
    );

    let remove = |endpoint: &'static str| unsubscribe(&app, &agent, endpoint.to_owned());
    assert_eq!(
        remove("https://push.example.com/send/abc").await.status,
        204
    );
    assert_eq!(
        remove("https://push.example.com/send/abc").await.status,
        404
    );
    assert_eq!(
        app.get("/api/v1/me", &agent).await.body["push_subscriptions"],
        0
    );

    // An API key has no browser.
    let api_key = app
        .post("/api/v1/api-keys", &t.token, json!({"name": "k"}))
        .await
        .body["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app
        .call(
            reqwest::Method::POST,
            "/api/v1/me/push-subscriptions",
            Some(&api_key),
            Some(sub),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
}

/// Checks a push's `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292): `k` is the server's
/// public key, and the JWT is signed with it (ES256) for the push service's origin.
fn check_vapid(received: &Received, server_key: &str, origin: &str) {
    let auth = received.header("Authorization");
    let rest = auth
        .strip_prefix("vapid ")
        .unwrap_or_else(|| panic!("not a vapid authorization: {auth:?}"));
    let mut t = None;
    let mut k = None;
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = Some(v.to_owned()),
            Some(("k", v)) => k = Some(v.to_owned()),
            _ => {}
        }
    }
    let (t, k) = (t.expect("t="), k.expect("k="));
    assert_eq!(k, server_key, "k is the server's VAPID public key");
    use base64::Engine;
    let point = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(&k)
        .unwrap();
    let key =
        jsonwebtoken::DecodingKey::from_ec_components(&b64(&point[1..33]), &b64(&point[33..]))
            .unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
    validation.set_audience(&[origin]);
    validation.set_required_spec_claims(&["exp", "aud", "sub"]);
    let claims = jsonwebtoken::decode::<serde_json::Value>(&t, &key, &validation)
        .expect("the VAPID JWT verifies with the server's public key")
        .claims;
    let exp = claims["exp"].as_i64().unwrap();
    let now = chrono::Utc::now().timestamp();
    assert!(
        exp > now && exp <= now + 24 * 3600,
        "exp within 24 h: {claims}"
    );
}

/// The conversation, once its trace records that its first offer reached the agent by
/// `channel` (`inbox` or `push`).
async fn delivered_by(app: &TestApp, t: &Tenant, conversation: &str, channel: &str) -> Reply {
    poll_until(
        app,
        &format!("/api/v1/conversations/{conversation}"),
        &t.token,
        Instant::now(),
        Duration::from_secs(5),
        &format!("the offer's delivery by {channel} recorded in the trace"),
        |b| b["trace"]["offers"][0]["delivered"]["channel"] == channel,
    )
    .await
}

#[tokio::test]
async fn an_offer_no_inbox_acknowledged_is_pushed_encrypted_and_signed_and_the_trace_says_so() {
    let key = VapidKey::generate();
    let configured = key.clone();
    let app = spawn_app_with(move |c| {
        c.vapid_private_key = Some(configured);
        c.push_allow_private = true;
    })
    .await;
    // The push service: `/gone` answers 410 (the browser unsubscribed), the rest 201.
    let (base, got) =
        receiver_by_path(|path| if path.ends_with("/gone") { 410 } else { 201 }).await;
    let t = app.create_tenant("pushed").await;
    let (_, agent) = available_agents(&app, &t, 1).await.remove(0);
    // The agent reads French: the notification's words are in it.
    let r = app
        .put_json("/api/v1/me/locale", &agent, json!({"locale": "fr"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let browser = Browser::new();
    let stale = Browser::new();
    for (b, path) in [(&browser, "/push/live"), (&stale, "/push/gone")] {
        let r = subscribe(&app, &agent, b.subscription(&format!("{base}{path}"))).await;
        assert_eq!(r.status, 204, "{}", r.text);
    }

    // A visitor asks for an agent; no inbox is open to acknowledge the offer.
    let key_w = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let waiting = walk_to_live_chat(&app, &key_w, Some("FR")).await;
    assert_eq!(waiting.body["status"], "waiting", "{}", waiting.text);
    let conversation = waiting.body["conversation_id"].as_str().unwrap().to_owned();
    let asked = Instant::now();

    let pushes = wait_for(&got, 2, Duration::from_secs(10)).await;
    assert!(
        asked.elapsed() >= Duration::from_millis(2500),
        "the push waits for the inbox's acknowledgement first ({:?})",
        asked.elapsed()
    );
    let live = pushes.iter().find(|p| p.path == "/push/live").unwrap();
    assert_eq!(live.header("Content-Encoding"), "aes128gcm");
    assert_eq!(live.header("Urgency"), "high");
    let ttl: u64 = live.header("TTL").parse().unwrap();
    assert!(
        (1..=45).contains(&ttl),
        "the push lives until the offer expires: {ttl}"
    );
    check_vapid(live, &key.public_key(), &base);
    let offer: serde_json::Value = serde_json::from_slice(&browser.decrypt(&live.body)).unwrap();
    assert_eq!(offer["type"], "offer", "{offer}");
    assert_eq!(offer["conversation_id"], conversation.as_str());
    assert_eq!(offer["visitor"]["country"], "FR");
    assert_eq!(
        offer["title"], "Nouvelle demande de conversation",
        "{offer}"
    );
    assert_eq!(
        offer["body"],
        "Ada souhaite vous parler. Acceptez avant l’expiration."
    );
    assert_eq!(
        offer["url"],
        format!("/inbox?conversation={conversation}").as_str()
    );

    // The trace records that the push reached the agent; the gone subscription is removed.
    let c = delivered_by(&app, &t, &conversation, "push").await;
    assert_eq!(c.body["trace"]["offers"][0]["offer_id"], offer["offer_id"]);
    assert_eq!(
        app.get("/api/v1/me", &agent).await.body["push_subscriptions"],
        1
    );
    // Pushed once, however many passes the workers make: a pass a minute on takes nothing.
    let later = chrono::Utc::now() + chrono::Duration::minutes(1);
    assert_eq!(push_pass(&app, later).await, 0);
    assert_eq!(got.lock().unwrap().len(), 2);
}

/// A push the push service refuses is tried again with back-off (1 s, then 2 s) until one
/// is accepted, within the offer's window (issue 14).
#[tokio::test]
async fn a_push_the_push_service_refuses_is_tried_again_until_it_is_accepted() {
    let app = spawn_app_with(move |c| {
        c.vapid_private_key = Some(VapidKey::generate());
        c.push_allow_private = true;
    })
    .await;
    // Down twice (500, then 503), then up.
    let (base, got) = receiver(vec![500, 503]).await;
    let t = app.create_tenant("retried").await;
    let (_, agent) = available_agents(&app, &t, 1).await.remove(0);
    let browser = Browser::new();
    let r = subscribe(&app, &agent, browser.subscription(&format!("{base}/push"))).await;
    assert_eq!(r.status, 204, "{}", r.text);
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let waiting = walk_to_live_chat(&app, &key, None).await;
    let conversation = waiting.body["conversation_id"].as_str().unwrap().to_owned();

    let pushes = wait_for(&got, 3, Duration::from_secs(15)).await;
    let gaps: Vec<Duration> = pushes
        .windows(2)
        .map(|w| w[1].at.duration_since(w[0].at))
        .collect();
    assert!(
        gaps[0] >= Duration::from_millis(900) && gaps[1] >= Duration::from_millis(1900),
        "tries back off: {gaps:?}"
    );
    delivered_by(&app, &t, &conversation, "push").await;
    // Accepted once: no more tries.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(got.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn an_offer_an_open_inbox_acknowledged_is_not_pushed_nor_to_an_agent_who_turned_pushes_off() {
    let app = spawn_app_with(|c| c.push_allow_private = true).await;
    // The test runs the push worker's pass itself, at a time past the acknowledgement window.
    app.stop_worker("push_offers");
    let (base, got) = receiver_by_path(|_| 201).await;
    let t = app.create_tenant("acked").await;
    let mut agents = available_agents(&app, &t, 2).await;
    let (_, quiet) = agents.remove(1);
    let (_, watching) = agents.remove(0);
    for token in [&watching, &quiet] {
        let r = subscribe(
            &app,
            token,
            Browser::new().subscription(&format!("{base}/push")),
        )
        .await;
        assert_eq!(r.status, 204, "{}", r.text);
    }
    set_preferences(&app, &quiet, true, false, true).await;

    let mut inbox = Ws::open(&app.base, "agent", &watching).await;
    let key_w = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    // Round robin: the first visitor goes to the watching agent, the second to the quiet one.
    let first = walk_to_live_chat(&app, &key_w, None).await;
    let offer = inbox.until("offer").await;
    inbox
        .send(json!({"type": "offer_ack", "offer_id": offer["offer_id"]}))
        .await;
    let second = walk_to_live_chat(&app, &key_w, None).await;
    assert_eq!(first.body["status"], "waiting", "{}", first.text);
    assert_eq!(second.body["status"], "waiting", "{}", second.text);
    // The watching agent's inbox acknowledged its offer: the trace says so.
    let conversation_of = |r: &Reply| r.body["conversation_id"].as_str().unwrap().to_owned();
    delivered_by(&app, &t, &conversation_of(&first), "inbox").await;

    // Ten seconds on, past the three an inbox has to acknowledge (and before the offers
    // expire): the worker takes the unacknowledged offer, and pushes nothing.
    let later = chrono::Utc::now() + chrono::Duration::seconds(10);
    assert_eq!(push_pass(&app, later).await, 1, "the quiet agent's offer");
    assert!(
        got.lock().unwrap().is_empty(),
        "no push: one offer was acknowledged, the other agent wants none"
    );
    let c = app
        .get(
            &format!("/api/v1/conversations/{}", conversation_of(&second)),
            &t.token,
        )
        .await;
    assert!(
        c.body["trace"]["offers"][0]["delivered"].is_null(),
        "{}",
        c.text
    );
}

/// One user keeps at most ten browsers subscribed: an eleventh replaces the oldest (a
/// browser that has not subscribed again since), so a script cannot pile up endpoints.
#[tokio::test]
async fn a_user_keeps_at_most_ten_subscriptions_the_newest() {
    let app = spawn_app_with(|_| {}).await;
    let t = app.create_tenant("push").await;
    let (_, agent) = available_agents(&app, &t, 1).await.remove(0);
    let endpoint = |i: usize| format!("https://push.example.com/send/browser-{i}");
    for i in 0..12 {
        let r = app
            .post(
                "/api/v1/me/push-subscriptions",
                &agent,
                Browser::new().subscription(&endpoint(i)),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.text);
    }
    let me = app.get("/api/v1/me", &agent).await;
    assert_eq!(me.body["push_subscriptions"], 10, "{}", me.text);
    let remove = |i: usize| unsubscribe(&app, &agent, endpoint(i));
    // The two oldest are gone, the newest kept.
    assert_eq!(remove(0).await.status, 404);
    assert_eq!(remove(1).await.status, 404);
    assert_eq!(remove(2).await.status, 204);
    assert_eq!(remove(11).await.status, 204);
}
