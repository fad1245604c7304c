//! The realtime store and the database agree after failures (issue 13 point 6): a database
//! write that fails while a chat is offered gives the agent's slot and the engagement back at
//! once; the periodic reconciliation corrects a load that drifted and closes an offer the
//! realtime store lost, so no slot stays taken and no visitor waits past the deadline.

use serde_json::{Value, json};
use switchboard_core::routing::RoutingMode;
use switchboard_realtime::Dispatch;
use switchboard_service::live::LiveChatStatus;

use crate::helpers::agents::available_agents;
use crate::helpers::failpoint::inserts_fail;
use crate::helpers::live::{offer_of, request, tid};
use crate::helpers::spawn_app;
use crate::helpers::widget::{publish, start_session, straight_to_live_chat};

#[tokio::test]
async fn a_failed_offer_write_gives_the_slot_and_the_engagement_back_at_once() {
    let app = spawn_app().await;
    // One agent of capacity 1 and one engagement left: anything kept by the failed request
    // would refuse the next one.
    let t = app.create_tenant_on("acme", "select", json!(1)).await;
    app.patch(
        "/api/v1/settings",
        &t.token,
        json!({"max_chats_per_agent": 1}),
    )
    .await;
    let (agent, token) = available_agents(&app, &t, 1).await.remove(0);
    inserts_fail(&app, "offers", true).await;
    let failed = app
        .service
        .request_live_chat(tid(&t), RoutingMode::RoundRobin, None, Default::default())
        .await;
    assert!(failed.is_err(), "the write failed: {failed:?}");
    let load = app
        .service
        .realtime()
        .load(tid(&t), agent.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(load, 0, "the agent's slot was given back");
    inserts_fail(&app, "offers", false).await;
    let next = request(&app, &t, RoutingMode::RoundRobin, None).await;
    let (offer, offered) = offer_of(&next);
    assert_eq!(
        offered.to_string(),
        agent,
        "offered to the agent whose slot came back"
    );
    let r = app
        .post(&format!("/api/v1/offers/{offer}/accept"), &token, json!({}))
        .await;
    assert_eq!(r.status, 200, "the engagement came back too: {}", r.text);
}

#[tokio::test]
async fn reconciling_corrects_a_drifted_load_and_closes_an_offer_the_realtime_store_lost() {
    let app = spawn_app().await;
    let t = app.create_tenant_on("acme", "select", Value::Null).await;
    let (agent, _) = available_agents(&app, &t, 1).await.remove(0);
    let agent_id = agent.parse().unwrap();
    let rt = app.service.realtime();
    // A load left behind (say, by a node that died between taking it and writing the offer).
    rt.set_load(tid(&t), agent_id, 3).await.unwrap();
    let at = chrono::Utc::now();
    // Seen once: maybe a change in flight, left alone. Seen twice: corrected.
    assert_eq!(
        app.service.reconcile_with_database(at).await.unwrap().loads,
        0
    );
    assert_eq!(
        app.service.reconcile_with_database(at).await.unwrap().loads,
        1
    );
    assert_eq!(rt.load(tid(&t), agent_id).await.unwrap(), 0);

    // An offer the realtime store no longer knows: resolved there (as if lost) but still
    // pending in the database. Past its deadline, the reconciler closes it and the visitor
    // gets their answer.
    let l = request(
        &app,
        &t,
        RoutingMode::RoundRobin,
        Some("We will write back"),
    )
    .await;
    let (offer, _) = offer_of(&l);
    rt.resolve_offer(offer, switchboard_realtime::Resolution::Withdrawn)
        .await
        .unwrap();
    let later = chrono::Utc::now() + chrono::Duration::seconds(60);
    let done = app.service.reconcile_with_database(later).await.unwrap();
    assert_eq!(done.offers, 1);
    let c = app
        .get(
            &format!("/api/v1/conversations/{}", l.conversation_id),
            &t.token,
        )
        .await;
    assert_eq!(c.body["status"], "fallback", "{}", c.text);
    assert_eq!(c.body["fallback_reason"], "offer_expired");
    assert_eq!(rt.load(tid(&t), agent_id).await.unwrap(), 0);
    // And the agent is free for the next visitor.
    let next = request(&app, &t, RoutingMode::RoundRobin, None).await;
    assert!(
        matches!(next.status, LiveChatStatus::Offered { .. }),
        "{next:?}"
    );
}

#[tokio::test]
async fn a_conversation_whose_routing_stopped_before_any_offer_falls_back() {
    let app = spawn_app().await;
    let t = app.create_tenant_on("acme", "select", Value::Null).await;
    available_agents(&app, &t, 1).await;
    let key = publish(&app, &t, straight_to_live_chat()).await;
    // The visitor's conversation is stored, then its offer cannot be written: it is left in
    // routing with nothing out (as when the node routing it dies in between). Twice: the
    // second one is claimed first by another node's pass, and this node's passes leave it.
    let mut stranded = Vec::new();
    inserts_fail(&app, "offers", true).await;
    for _ in 0..2 {
        let failed = start_session(&app, json!({"widget_key": key}), None).await;
        assert!(failed.status.is_server_error(), "{}", failed.text);
        let routing = app
            .get("/api/v1/conversations?status=routing", &t.token)
            .await;
        let new = routing.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["id"].as_str())
            .find(|c| !stranded.iter().any(|s: &String| s == c))
            .unwrap_or_else(|| panic!("left in routing: {}", routing.text))
            .to_owned();
        stranded.push(new);
    }
    inserts_fail(&app, "offers", false).await;
    let (id, claimed) = (
        stranded[0].clone(),
        stranded[1].parse::<uuid::Uuid>().unwrap(),
    );
    let later = chrono::Utc::now() + chrono::Duration::seconds(61);
    let claim = || {
        switchboard_store::conversations::claim_stale_routing_unscoped(
            app.service.db(),
            claimed,
            later - chrono::Duration::seconds(60),
            later,
        )
    };
    assert!(claim().await.unwrap(), "the first claim lands");
    assert!(!claim().await.unwrap(), "a second node's does not");
    let waiting = start_session(&app, json!({"widget_key": key}), None).await;
    assert_eq!(waiting.body["status"], "waiting", "{}", waiting.text);

    // Routing takes milliseconds: a minute on, seen on two passes, it is taken for stopped.
    let now = chrono::Utc::now();
    let mut closed = Vec::new();
    for at in [now, now, later, later] {
        closed.push(
            app.service
                .reconcile_with_database(at)
                .await
                .unwrap()
                .stranded,
        );
    }
    assert_eq!(closed, [0, 0, 0, 1], "young, young, seen once, seen twice");
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    assert_eq!(c.body["status"], "fallback", "{}", c.text);
    assert_eq!(c.body["fallback_reason"], "no_agent_available");
    let other = app
        .get(
            &format!(
                "/api/v1/conversations/{}",
                waiting.body["conversation_id"].as_str().unwrap()
            ),
            &t.token,
        )
        .await;
    // The one offered a minute before `later` ran past its deadline: closed as an expired
    // offer, not taken for stopped.
    assert_eq!(
        other.body["fallback_reason"], "offer_expired",
        "{}",
        other.text
    );
    // Closed once: the next passes find nothing.
    let again = app.service.reconcile_with_database(later).await.unwrap();
    assert_eq!(again.stranded, 0);
    // Its trace says why, like any other fallback (the team's email and webhook go with it:
    // tests/api/drills.rs, with an SMTP server).
    assert_eq!(c.body["trace"]["outcome"]["reason"], "no_agent_available");
}
