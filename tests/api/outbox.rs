//! The transactional outbox (issue 14): a webhook event is written in the transaction of the
//! change it reports, so it exists if and only if the change does (a failure of either undoes
//! both); and of two workers that held one delivery, only the lease's holder records an
//! attempt.

use chrono::Utc;
use serde_json::{Value, json};
use switchboard_store::webhooks::{self as store, deliveries};
use uuid::Uuid;

use crate::helpers::agents::available_agents;
use crate::helpers::failpoint::inserts_fail;
use crate::helpers::live::first_offer_id;
use crate::helpers::widget::{publish, start_session, straight_to_live_chat};
use crate::helpers::{Tenant, TestApp, spawn_app};

async fn endpoint(app: &TestApp, t: &Tenant, events: Value) -> String {
    let r = app
        .post(
            "/api/v1/webhooks",
            &t.token,
            json!({"url": "https://hooks.example.com/in", "events": events}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.id()
}

async fn events_of(app: &TestApp, t: &Tenant, hook: &str) -> Vec<String> {
    let r = app
        .get(&format!("/api/v1/webhooks/{hook}/deliveries"), &t.token)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["event"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_event_is_recorded_if_and_only_if_its_change_is_committed() {
    let app = spawn_app().await;
    let t = app.create_tenant("acme").await;
    let hook = endpoint(
        &app,
        &t,
        json!(["conversation.accepted", "conversation.ended"]),
    )
    .await;
    let (_, agent) = available_agents(&app, &t, 1).await.remove(0);
    let key = publish(&app, &t, straight_to_live_chat()).await;
    let s = start_session(&app, json!({"widget_key": key}), None).await;
    let conversation = s.body["conversation_id"].as_str().unwrap().to_owned();
    let offer = first_offer_id(&app, &t, &conversation).await;

    // The event cannot be written: the accept is not made either.
    inserts_fail(&app, "webhook_deliveries", true).await;
    let r = app
        .post(&format!("/api/v1/offers/{offer}/accept"), &agent, json!({}))
        .await;
    assert!(r.status.is_server_error(), "{} {}", r.status, r.text);
    let c = app
        .get(&format!("/api/v1/conversations/{conversation}"), &t.token)
        .await;
    assert_eq!(c.body["status"], "routing", "{}", c.text);
    assert_eq!(events_of(&app, &t, &hook).await, Vec::<String>::new());

    // Once it can: the accept and its event, together.
    inserts_fail(&app, "webhook_deliveries", false).await;
    let r = app
        .post(&format!("/api/v1/offers/{offer}/accept"), &agent, json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(events_of(&app, &t, &hook).await, ["conversation.accepted"]);

    // The same for the end of the chat.
    let end = format!("/api/v1/conversations/{conversation}/end");
    inserts_fail(&app, "webhook_deliveries", true).await;
    let r = app.post(&end, &agent, json!({})).await;
    assert!(r.status.is_server_error(), "{} {}", r.status, r.text);
    let c = app
        .get(&format!("/api/v1/conversations/{conversation}"), &t.token)
        .await;
    assert_eq!(c.body["status"], "live", "{}", c.text);
    inserts_fail(&app, "webhook_deliveries", false).await;
    let r = app.post(&end, &agent, json!({})).await;
    assert_eq!(r.status, 204, "{}", r.text);
    let mut events = events_of(&app, &t, &hook).await;
    events.sort();
    assert_eq!(events, ["conversation.accepted", "conversation.ended"]);
}

#[tokio::test]
async fn only_the_holder_of_a_deliverys_lease_records_its_attempt() {
    let app = spawn_app().await;
    let t = app.create_tenant("acme").await;
    let hook: Uuid = endpoint(&app, &t, json!(["conversation.ended"]))
        .await
        .parse()
        .unwrap();
    let db = app.service.db();
    let tenant = switchboard_core::TenantId::from_uuid(t.id.parse().unwrap());
    // Due only in a day: the node's own worker leaves it to this test.
    let due = Utc::now() + chrono::Duration::days(1);
    let id = Uuid::now_v7();
    store::insert_delivery(
        db,
        deliveries::Model {
            id,
            tenant_id: t.id.parse().unwrap(),
            endpoint_id: hook,
            event: "conversation.ended".into(),
            body: "{}".into(),
            status: switchboard_core::DeliveryStatus::Pending,
            attempts: 0,
            next_attempt_at: due,
            claim: None,
            claimed_until: None,
            last_status: None,
            last_error: None,
            delivered_at: None,
            replay_of: None,
            created_at: Utc::now(),
        },
    )
    .await
    .unwrap();

    // Worker a claims it, then stalls past its lease; worker b takes it over.
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let claimed = store::claim_due_unscoped(db, a, due, due + chrono::Duration::seconds(1), 5)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let later = due + chrono::Duration::seconds(2);
    let taken = store::claim_due_unscoped(db, b, later, later + chrono::Duration::seconds(60), 5)
        .await
        .unwrap();
    assert_eq!(taken.len(), 1);
    // a wakes up: it can neither renew nor record, and changes nothing.
    assert!(
        !store::renew_claim_unscoped(db, id, a, later + chrono::Duration::seconds(60))
            .await
            .unwrap()
    );
    assert!(
        !store::record_attempt_unscoped(db, id, a, Some(500), None, false, None)
            .await
            .unwrap()
    );
    let row = |d: &deliveries::Model| (d.status, d.attempts, d.claim);
    let now = store::find_delivery(db, tenant, hook, id).await.unwrap();
    assert_eq!(
        row(&now),
        (switchboard_core::DeliveryStatus::Pending, 0, Some(b))
    );
    // b, the holder, records its delivery.
    assert!(
        store::record_attempt_unscoped(db, id, b, Some(200), None, true, None)
            .await
            .unwrap()
    );
    let now = store::find_delivery(db, tenant, hook, id).await.unwrap();
    assert_eq!(
        row(&now),
        (switchboard_core::DeliveryStatus::Delivered, 1, None)
    );
}
