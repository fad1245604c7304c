//! Webhooks (SPEC §9) against a receiver on loopback: deliveries are signed (checked here
//! with an independent HMAC), a receiver that answers 500 twice gets the event on the third
//! try, the log shows it, a replay sends the same body again; bad endpoints are refused.

use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::receiver::{Received, receiver, wait_for};
use crate::helpers::widget::{publish, start_session, straight_to_live_chat};
use crate::helpers::{poll_until, spawn_app, spawn_app_with};

/// Checks `Switchboard-Signature: t=…,v1=…` against the body, as a receiver would.
fn verify(secret: &str, r: &Received) {
    let sig = r.header("Switchboard-Signature");
    let (t, v1) = sig
        .split_once(',')
        .and_then(|(t, v)| Some((t.strip_prefix("t=")?, v.strip_prefix("v1=")?)))
        .unwrap_or_else(|| panic!("malformed signature header {sig:?}"));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{}", r.text()).as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(v1, expected, "bad signature for {}", r.text());
    let age = chrono::Utc::now().timestamp() - t.parse::<i64>().unwrap();
    assert!((0..60).contains(&age), "stale timestamp {t}");
}

#[tokio::test]
async fn a_signed_event_reaches_a_receiver_that_failed_twice_and_a_replay_resends_it() {
    let app = spawn_app_with(|c| {
        c.webhook_allow_private = true;
        c.webhook_retry_seconds = 1;
    })
    .await;
    let t = app.create_tenant("hooks").await;
    let (url, got) = receiver(vec![500, 500]).await;
    let created = app
        .post(
            "/api/v1/webhooks",
            &t.token,
            json!({"url": url, "events": ["conversation.fallback", "conversation.ended"]}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let secret = created.body["secret"].as_str().unwrap().to_owned();
    let hook = created.id();
    let listed = app.get("/api/v1/webhooks", &t.token).await;
    assert!(!listed.text.contains(&secret), "the secret is shown once");

    // A visitor asks for an agent and there is none: a `conversation.fallback` event.
    let key = publish(&app, &t, straight_to_live_chat()).await;
    let s = start_session(&app, json!({"widget_key": key}), None).await;
    assert_eq!(s.body["status"], "fallback", "{}", s.text);

    // 500, 500, then 200: three attempts of the same delivery, each signed.
    let three = wait_for(&got, 3, Duration::from_secs(15)).await;
    for r in &three {
        verify(&secret, r);
        assert_eq!(r.header("Switchboard-Event"), "conversation.fallback");
        assert_eq!(r.body, three[0].body);
        assert_eq!(
            r.header("Switchboard-Delivery"),
            three[0].header("Switchboard-Delivery")
        );
    }
    let event: Value = serde_json::from_slice(&three[0].body).unwrap();
    assert_eq!(event["type"], "conversation.fallback");
    assert_eq!(event["data"]["conversation_id"], s.body["conversation_id"]);
    assert_eq!(event["data"]["reason"], "no_agent_available");
    assert_eq!(event["tenant_id"], t.id.as_str());

    // The log shows it delivered on the third attempt.
    let log = poll_until(
        &app,
        &format!("/api/v1/webhooks/{hook}/deliveries"),
        &t.token,
        Instant::now(),
        Duration::from_secs(5),
        "the delivery recorded as delivered",
        |b| b["items"][0]["status"] == "delivered",
    )
    .await;
    let d = &log.body["items"][0];
    assert_eq!(
        (d["attempts"].as_i64(), d["last_status"].as_i64()),
        (Some(3), Some(200))
    );
    let delivery = d["id"].as_str().unwrap().to_owned();

    // A replay sends the same body again, as a new delivery.
    let replay = app
        .post(
            &format!("/api/v1/webhooks/{hook}/deliveries/{delivery}/replay"),
            &t.token,
            json!({}),
        )
        .await;
    assert_eq!(replay.status, 202, "{}", replay.text);
    assert_eq!(replay.body["replay_of"], delivery.as_str());
    let four = wait_for(&got, 4, Duration::from_secs(10)).await;
    verify(&secret, &four[3]);
    assert_eq!(four[3].body, three[0].body);
    assert_ne!(four[3].header("Switchboard-Delivery"), delivery.as_str());

    // Deleting the endpoint stops everything.
    let r = app
        .delete(&format!("/api/v1/webhooks/{hook}"), &t.token)
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(
        app.get("/api/v1/webhooks", &t.token).await.body["items"],
        json!([])
    );
}

#[tokio::test]
async fn endpoints_on_private_addresses_or_not_http_or_for_unknown_events_are_refused() {
    let app = spawn_app().await;
    let t = app.create_tenant("hooks-bad").await;
    for (body, field) in [
        (
            json!({"url": "http://127.0.0.1:9/x", "events": ["conversation.ended"]}),
            "url",
        ),
        (
            json!({"url": "http://169.254.169.254/latest", "events": ["conversation.ended"]}),
            "url",
        ),
        (
            json!({"url": "http://localhost/x", "events": ["conversation.ended"]}),
            "url",
        ),
        (
            json!({"url": "ftp://example.com/x", "events": ["conversation.ended"]}),
            "url",
        ),
        (
            json!({"url": "https://hooks.example.com/x", "events": []}),
            "events",
        ),
        (
            json!({"url": "https://hooks.example.com/x", "events": ["nope"]}),
            "events[0]",
        ),
    ] {
        let r = app.post("/api/v1/webhooks", &t.token, body.clone()).await;
        assert_eq!(r.problem(422)["field"], field, "{body}");
    }
    let r = app
        .post(
            "/api/v1/webhooks",
            &t.token,
            json!({"url": 5, "events": ["conversation.ended"]}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(
        app.get("/api/v1/webhooks", &t.token).await.body["items"],
        json!([])
    );
    // A public endpoint is accepted.
    let ok = app
        .post(
            "/api/v1/webhooks",
            &t.token,
            json!({"url": "https://hooks.example.com/x", "events": ["conversation.ended", "conversation.ended"]}),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(ok.body["events"], json!(["conversation.ended"]));
}

/// A webhook's secret is kept sealed (the database alone cannot sign as the server) and never
/// in an idempotency record; deliveries are still signed with it.
#[tokio::test]
async fn the_webhook_secret_is_stored_sealed_and_never_in_an_idempotency_record() {
    use sea_orm::EntityTrait;
    let app = spawn_app().await;
    let t = app.create_tenant("sealed-hooks").await;
    let created = app
        .client
        .post(app.url("/api/v1/webhooks"))
        .bearer_auth(&t.token)
        .header("Idempotency-Key", "hook-1")
        .json(&json!({"url": "https://hooks.example.com/in", "events": ["conversation.ended"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let body: Value = created.json().await.unwrap();
    let secret = body["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    let db = app.service.db();
    let endpoints = switchboard_store::webhooks::endpoints::Entity::find()
        .all(db)
        .await
        .unwrap();
    assert_eq!(endpoints.len(), 1);
    assert!(endpoints[0].secret.starts_with("sealed:"));
    assert!(!endpoints[0].secret.contains(&secret));
    let records = switchboard_store::idempotency::Entity::find()
        .all(db)
        .await
        .unwrap();
    assert!(
        records
            .iter()
            .all(|r| !r.response_body.as_deref().unwrap_or("").contains(&secret)),
        "{records:?}"
    );
    // A retry does not show the secret again.
    let retry = app
        .client
        .post(app.url("/api/v1/webhooks"))
        .bearer_auth(&t.token)
        .header("Idempotency-Key", "hook-1")
        .json(&json!({"url": "https://hooks.example.com/in", "events": ["conversation.ended"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(retry.status(), 409);
    assert!(!retry.text().await.unwrap().contains(&secret));

    // Webhook changes are audited, without the secret.
    let id = body["id"].as_str().unwrap();
    assert_eq!(
        app.delete(&format!("/api/v1/webhooks/{id}"), &t.token)
            .await
            .status,
        204
    );
    let log = app.get("/api/v1/audit-log", &t.token).await;
    assert!(log.text.contains("webhook.created"), "{}", log.text);
    assert!(log.text.contains("webhook.deleted"), "{}", log.text);
    assert!(!log.text.contains(&secret));
}
