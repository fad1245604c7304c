//! The waiting queue (SPEC §12.1): a live-chat card with `when_busy: "queue"` lets a visitor
//! wait in line when every agent is busy. Positions are reported and updated; visitors are
//! served in arrival order as slots free; leaving removes them; the wait running out is the
//! fallback `queue_timeout`; `GET /queue` shows the lines; bad card options are refused.

use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::{Value, json};
use switchboard_core::routing::RoutingMode;
use switchboard_service::live::LiveChatStatus;

use crate::helpers::agents::available_agents;
use crate::helpers::browser::{
    both_widths, both_widths_at, console_login, fits_its_width, log_out_and_in, start_browser,
    until,
};
use crate::helpers::live::{offer_of, tid};
use crate::helpers::redis::OwnRedis;
use crate::helpers::widget::{publish, start_session};
use crate::helpers::ws::Ws;
use crate::helpers::{Tenant, TestApp, spawn_app, spawn_app_with};

/// A dialogue that goes straight to a live-chat card that queues.
fn queue_dialogue(max_wait: u32) -> Value {
    json!({"name": "Queue", "cards": [
        {"id": "connect", "kind": "live_chat", "routing": {"mode": "round_robin"},
         "text": "Connecting you with our team…",
         "when_busy": "queue", "max_wait_seconds": max_wait,
         "fallback_message": "Sorry, nobody could take your chat."}]})
}

async fn one_slot(app: &TestApp, slug: &str) -> (Tenant, (String, String), String) {
    let t = app.create_tenant_on(slug, "select", Value::Null).await;
    let capacity = json!({"max_chats_per_agent": 1});
    assert_eq!(
        app.patch("/api/v1/settings", &t.token, capacity)
            .await
            .status,
        200
    );
    let agent = available_agents(app, &t, 1).await.remove(0);
    let key = publish(app, &t, queue_dialogue(600)).await;
    (t, agent, key)
}

/// [`one_slot`], taken by a first visitor's live chat: the next ones wait in line.
async fn one_slot_taken(app: &TestApp) -> (Tenant, String, String, Value) {
    let (t, (_, agent), key) = one_slot(app, "acme").await;
    let first = visitor(app, &key).await;
    let offer = until_offered(app, &t, first["conversation_id"].as_str().unwrap()).await;
    let r = app
        .post(&format!("/api/v1/offers/{offer}/accept"), &agent, json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    (t, agent, key, first)
}

async fn visitor(app: &TestApp, key: &str) -> Value {
    let s = start_session(
        app,
        json!({"widget_key": key, "page_url": "https://shop.example.com/"}),
        None,
    )
    .await;
    assert_eq!(s.status, 200, "{}", s.text);
    s.body
}

/// The agent's pending offer for this conversation, from their inbox's point of view.
async fn offer_for(app: &TestApp, t: &Tenant, conversation: &str) -> String {
    let c = app
        .get(&format!("/api/v1/conversations/{conversation}"), &t.token)
        .await;
    let offers = c.body["trace"]["offers"].as_array().unwrap();
    let last = offers.last().expect("an offer");
    assert_eq!(last["resolution"], "pending", "{}", c.text);
    last["offer_id"].as_str().unwrap().to_owned()
}

/// Waits until `conversation` has a pending offer (served from the line).
async fn until_offered(app: &TestApp, t: &Tenant, conversation: &str) -> String {
    let started = Instant::now();
    loop {
        let c = app
            .get(&format!("/api/v1/conversations/{conversation}"), &t.token)
            .await;
        if c.body["trace"]["offers"]
            .as_array()
            .is_some_and(|o| o.last().is_some_and(|o| o["resolution"] == "pending"))
        {
            return offer_for(app, t, conversation).await;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never offered: {}",
            c.text
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The next `queued` frame telling this position.
async fn until_position(ws: &mut Ws, position: u64) -> Value {
    loop {
        let f = ws.until("queued").await;
        if f["position"] == position {
            return f;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_visitors_for_one_slot_wait_in_order_see_their_place_and_are_served_as_chats_end() {
    let app = spawn_app().await;
    let (t, (_, agent), key) = one_slot(&app, "acme").await;
    let mut visitors = Vec::new();
    for i in 0..5 {
        let v = visitor(&app, &key).await;
        assert_eq!(v["status"], "waiting", "{v}");
        if i == 0 {
            assert_eq!(
                v["position"],
                Value::Null,
                "the first is offered at once: {v}"
            );
        } else {
            assert_eq!(v["position"], i, "{v}");
            assert!(v["estimated_wait_seconds"].as_u64().unwrap() > 0, "{v}");
        }
        visitors.push(v);
    }
    let queue = app.get("/api/v1/queue", &agent).await;
    assert_eq!(queue.status, 200, "{}", queue.text);
    let items = queue.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 4, "{}", queue.text);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["conversation_id"], visitors[i + 1]["conversation_id"]);
        assert_eq!(item["position"], i + 1);
        assert_eq!(item["target"]["kind"], "all");
    }
    // Each waiting visitor's socket tells them where they stand.
    let mut sockets = Vec::new();
    for (i, v) in visitors.iter().enumerate().skip(1) {
        let mut ws = Ws::open(&app.base, "visitor", v["visitor_token"].as_str().unwrap()).await;
        let f = ws.until("queued").await;
        assert_eq!(f["position"], i, "{f}");
        sockets.push(ws);
    }
    // Served in order, one at a time, as each chat ends; the others move up.
    for i in 0..5 {
        let conversation = visitors[i]["conversation_id"].as_str().unwrap();
        let offer = until_offered(&app, &t, conversation).await;
        let r = app
            .post(&format!("/api/v1/offers/{offer}/accept"), &agent, json!({}))
            .await;
        assert_eq!(r.status, 200, "visitor {i}: {}", r.text);
        // Visitor i left the line when offered: the ones behind moved up one place.
        for (j, ws) in sockets.iter_mut().enumerate() {
            let waiting = j + 1;
            if i > 0 && waiting > i {
                until_position(ws, (waiting - i) as u64).await;
            }
        }
        // Nobody else is offered while the one slot is taken.
        if i + 1 < 5 {
            let next = visitors[i + 1]["conversation_id"].as_str().unwrap();
            let c = app
                .get(&format!("/api/v1/conversations/{next}"), &t.token)
                .await;
            assert!(
                c.body["trace"]["offers"].as_array().unwrap().is_empty(),
                "{}",
                c.text
            );
        }
        let r = app
            .post(
                &format!("/api/v1/conversations/{conversation}/end"),
                &agent,
                json!({}),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.text);
    }
    assert_eq!(
        app.get("/api/v1/queue", &agent).await.body["items"],
        json!([])
    );
}

#[tokio::test]
async fn a_visitor_who_leaves_the_line_is_removed_and_the_wait_running_out_is_queue_timeout() {
    let app = spawn_app().await;
    let (t, _, key, _) = one_slot_taken(&app).await;
    let leaving = visitor(&app, &key).await;
    let staying = visitor(&app, &key).await;
    assert_eq!(staying["position"], 2);
    // The first in line ends their conversation: out of the line.
    let r = app
        .post(
            &format!(
                "/api/v1/widget/conversations/{}/end",
                leaving["conversation_id"].as_str().unwrap()
            ),
            leaving["visitor_token"].as_str().unwrap(),
            json!({}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    let items = app.get("/api/v1/queue", &t.token).await.body["items"].clone();
    assert_eq!(items.as_array().unwrap().len(), 1, "{items}");
    assert_eq!(items[0]["conversation_id"], staying["conversation_id"]);
    assert_eq!(items[0]["position"], 1);

    // Their wait runs out (driven at a time past the card's 600 s): the fallback.
    let ended = app
        .service
        .end_overdue_waits(Utc::now() + chrono::Duration::seconds(601))
        .await
        .unwrap();
    assert_eq!(ended, 1);
    let c = app
        .get(
            &format!(
                "/api/v1/conversations/{}",
                staying["conversation_id"].as_str().unwrap()
            ),
            &t.token,
        )
        .await;
    assert_eq!(c.body["status"], "fallback", "{}", c.text);
    assert_eq!(c.body["fallback_reason"], "queue_timeout");
    assert_eq!(
        app.get("/api/v1/queue", &t.token).await.body["items"],
        json!([])
    );
    // Neither used an engagement (only the chat that went live did).
    assert_eq!(
        app.get("/api/v1/usage", &t.token).await.body["engagements_used"],
        1
    );
}

/// Leaving the page leaves the line once the grace period is over (SPEC §12.1); a reload
/// within it keeps the place, and a visitor whose widget never opened a socket waits on.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_visitor_whose_widget_is_gone_past_the_grace_leaves_the_line_and_a_reload_keeps_the_place()
 {
    let app = spawn_app_with(|c| c.visitor_grace_seconds = 1).await;
    let (t, agent, key, first) = one_slot_taken(&app).await;
    let gone = visitor(&app, &key).await;
    let reloading = visitor(&app, &key).await;
    let socketless = visitor(&app, &key).await;
    assert_eq!(socketless["position"], 3, "{socketless}");
    let token = |v: &Value| v["visitor_token"].as_str().unwrap().to_owned();
    let id = |v: &Value| v["conversation_id"].as_str().unwrap().to_owned();

    let mut gone_ws = Ws::open(&app.base, "visitor", &token(&gone)).await;
    until_position(&mut gone_ws, 1).await;
    gone_ws.close().await;
    // The reloading visitor's page goes away and comes back within the grace.
    let ws = Ws::open(&app.base, "visitor", &token(&reloading)).await;
    ws.close().await;
    let mut reloaded = Ws::open(&app.base, "visitor", &token(&reloading)).await;
    until_position(&mut reloaded, 2).await;

    // Past the grace, the closed widget's visitor is out and the others move up.
    let f = until_position(&mut reloaded, 1).await;
    assert_eq!(f["conversation_id"], id(&reloading).as_str(), "{f}");
    let items = app.get("/api/v1/queue", &agent).await.body["items"].clone();
    let waiting: Vec<&Value> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["conversation_id"])
        .collect();
    assert_eq!(
        waiting,
        [&json!(id(&reloading)), &json!(id(&socketless))],
        "{items}"
    );
    // The line moves up as soon as the visitor is out of it; the conversation's end is
    // written in the same pass, just after.
    let c = crate::helpers::poll_until(
        &app,
        &format!("/api/v1/conversations/{}", id(&gone)),
        &t.token,
        std::time::Instant::now(),
        std::time::Duration::from_secs(5),
        "the gone visitor's conversation ended",
        |c| c["status"] == "ended",
    )
    .await;
    assert_eq!(c.body["status"], "ended", "{}", c.text);
    let messages = app
        .get(
            &format!("/api/v1/conversations/{}/messages", id(&gone)),
            &t.token,
        )
        .await;
    assert!(
        messages
            .text
            .contains("The visitor left before an agent was free."),
        "{}",
        messages.text
    );
    // Their reservation went back: only the live chat used an engagement, and a slot freed
    // later goes to the reloaded visitor, now at the head.
    assert_eq!(
        app.get("/api/v1/usage", &t.token).await.body["engagements_used"],
        1
    );
    app.post(
        &format!("/api/v1/conversations/{}/end", id(&first)),
        &agent,
        json!({}),
    )
    .await;
    until_offered(&app, &t, &id(&reloading)).await;
    // Still waiting after several passes: the socketless visitor was never seen, so never gone.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let items = app.get("/api/v1/queue", &agent).await.body["items"].clone();
    assert_eq!(
        items[0]["conversation_id"],
        id(&socketless).as_str(),
        "{items}"
    );
}

/// What agents and admins see of the line: the dashboard's count and table, the inbox's
/// notice, and the designer's options of a live-chat card, in a real browser.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_dashboard_the_inbox_and_the_designer_show_the_line() {
    let app = spawn_app().await;
    let (t, _, key, _) = one_slot_taken(&app).await;
    let mut queued = Vec::new();
    for _ in 0..2 {
        let v = visitor(&app, &key).await;
        queued.push(v["conversation_id"].as_str().unwrap().to_owned());
    }

    let (_driver, browser) = start_browser().await;
    console_login(&browser, &app.base, &t.slug, &t.admin_email).await;
    let links = until(
        &browser,
        "the line on the dashboard",
        "document.getElementById('visitors-waiting') && \
         document.getElementById('visitors-waiting').textContent === '2' && \
         [...document.querySelectorAll('#waiting-line tbody tr')].map(r => \
           [r.cells[0].textContent, r.querySelector('a').getAttribute('href'), r.cells[3].textContent])",
    )
    .await;
    assert_eq!(
        links,
        json!([
            [
                "1",
                format!("/console/conversations/{}", queued[0]),
                "Any agent"
            ],
            [
                "2",
                format!("/console/conversations/{}", queued[1]),
                "Any agent"
            ]
        ]),
    );
    browser.set_window_size(390, 844).await.unwrap();
    assert!(
        fits_its_width(&browser).await,
        "the dashboard scrolls sideways on a phone"
    );
    both_widths_at(&browser, "console-dashboard-queue", Some("waiting-line")).await;

    let dialogue = app.get("/api/v1/dialogues", &t.token).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    browser
        .goto(&format!("{}/console/dialogues/{dialogue}", app.base))
        .await
        .unwrap();
    let options = until(
        &browser,
        "the live-chat card's options",
        "document.getElementById('busy-connect') && \
         [document.getElementById('busy-connect').value, document.getElementById('wait-connect').value]",
    )
    .await;
    assert_eq!(options, json!(["queue", "600"]));
    both_widths_at(&browser, "console-designer-when-busy", Some("busy-connect")).await;

    log_out_and_in(&browser, &app.base, &t.slug, "agent0@acme.example.com").await;
    let notice = until(
        &browser,
        "the line in the inbox",
        "location.pathname === '/inbox' && !document.getElementById('sb-queue').hidden && \
         document.getElementById('sb-queue').textContent",
    )
    .await;
    assert!(
        notice
            .as_str()
            .unwrap()
            .starts_with("2 visitors are waiting in line"),
        "{notice}"
    );
    both_widths(&browser, "inbox-queue").await;
}

/// The line lives in Redis: when Redis loses everything (restarted empty), the node rebuilds
/// it from the database in arrival order, and the next freed slot goes to its head. The test
/// runs its own `redis-server`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_line_is_rebuilt_in_order_after_redis_loses_its_state() {
    let mut redis = OwnRedis::start().await;
    let url = redis.url();
    let app = spawn_app_with(move |c| c.redis_url = Some(url)).await;
    let (t, agent, key, first) = one_slot_taken(&app).await;
    let mut waiting = Vec::new();
    for _ in 0..3 {
        let v = visitor(&app, &key).await;
        waiting.push(v["conversation_id"].as_str().unwrap().to_owned());
    }

    redis.restart().await;
    let since = Instant::now();
    loop {
        let r = app.get("/api/v1/queue", &agent).await;
        let line: Vec<&str> = r.body["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i["conversation_id"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        if line == waiting {
            break;
        }
        assert!(
            since.elapsed() < Duration::from_secs(20),
            "the line was not rebuilt: {}",
            r.text
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The agent's slot was rebuilt as taken: nobody is offered until the chat ends, then
    // the head of the line is.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let second = app
        .get(&format!("/api/v1/conversations/{}", waiting[0]), &t.token)
        .await;
    assert_eq!(second.body["trace"]["offers"], json!([]), "{}", second.text);
    let r = app
        .post(
            &format!(
                "/api/v1/conversations/{}/end",
                first["conversation_id"].as_str().unwrap()
            ),
            &agent,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    until_offered(&app, &t, &waiting[0]).await;
    let third = app
        .get(&format!("/api/v1/conversations/{}", waiting[1]), &t.token)
        .await;
    assert_eq!(third.body["trace"]["offers"], json!([]), "{}", third.text);
}

#[tokio::test]
async fn a_freed_slot_offers_the_head_once_and_a_decline_keeps_their_place_on_prime() {
    let app = spawn_app().await;
    let t = app.create_tenant_on("acme", "prime", Value::Null).await;
    app.patch(
        "/api/v1/settings",
        &t.token,
        json!({"max_chats_per_agent": 1, "offer_attempts": 3}),
    )
    .await;
    let agents = available_agents(&app, &t, 2).await;
    // Both agents busy with a live chat.
    for (id, token) in &agents {
        let l = app
            .service
            .request_live_chat(
                tid(&t),
                RoutingMode::Agent {
                    agent_id: id.parse().unwrap(),
                },
                None,
                Default::default(),
            )
            .await
            .unwrap();
        let (offer, _) = offer_of(&l);
        app.post(&format!("/api/v1/offers/{offer}/accept"), token, json!({}))
            .await;
    }
    let waiting = app
        .service
        .request_live_chat_queued(tid(&t), RoutingMode::RoundRobin, 300, Default::default())
        .await
        .unwrap();
    assert!(
        matches!(waiting.status, LiveChatStatus::Queued { position: 1, .. }),
        "{waiting:?}"
    );
    // Agent 0 becomes free: the head is offered to them, once.
    let live: Vec<Value> = app
        .get("/api/v1/conversations?status=live", &t.token)
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .clone();
    let of_agent0 = live
        .iter()
        .find(|c| c["assigned_agent_id"] == agents[0].0.as_str())
        .unwrap();
    app.post(
        &format!(
            "/api/v1/conversations/{}/end",
            of_agent0["id"].as_str().unwrap()
        ),
        &agents[0].1,
        json!({}),
    )
    .await;
    let id = waiting.conversation_id.to_string();
    let offer = until_offered(&app, &t, &id).await;
    // Serving again changes nothing: offered exactly once.
    app.service.serve_queues(None).await.unwrap();
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    assert_eq!(c.body["trace"]["offers"].as_array().unwrap().len(), 1);
    assert_eq!(
        c.body["trace"]["offers"][0]["agent_id"],
        agents[0].0.as_str()
    );
    // Agent 0 declines; agent 1 is busy: back to the head of the line, not the fallback.
    let r = app
        .post(
            &format!("/api/v1/offers/{offer}/decline"),
            &agents[0].1,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "queued", "{}", r.text);
    assert_eq!(r.body["position"], 1, "{}", r.text);
    // Agent 1's chat ends: offered to agent 1 (never to agent 0 again).
    let of_agent1 = live
        .iter()
        .find(|c| c["assigned_agent_id"] == agents[1].0.as_str())
        .unwrap();
    app.post(
        &format!(
            "/api/v1/conversations/{}/end",
            of_agent1["id"].as_str().unwrap()
        ),
        &agents[1].1,
        json!({}),
    )
    .await;
    let offer = until_offered(&app, &t, &id).await;
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    assert_eq!(
        c.body["trace"]["offers"][1]["agent_id"],
        agents[1].0.as_str()
    );
    let r = app
        .post(
            &format!("/api/v1/offers/{offer}/accept"),
            &agents[1].1,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn queue_options_out_of_range_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let t = app.create_tenant("acme").await;
    for (card, field) in [
        (
            json!({"when_busy": "queue", "max_wait_seconds": 29}),
            "cards[0].max_wait_seconds",
        ),
        (
            json!({"when_busy": "queue", "max_wait_seconds": 1801}),
            "cards[0].max_wait_seconds",
        ),
        (json!({"when_busy": "wait"}), "cards[0].when_busy"),
        (json!({"max_wait_seconds": 60}), "cards[0].max_wait_seconds"),
    ] {
        let mut c =
            json!({"id": "connect", "kind": "live_chat", "routing": {"mode": "round_robin"}});
        for (k, v) in card.as_object().unwrap() {
            c[k] = v.clone();
        }
        let r = app
            .post(
                "/api/v1/dialogues",
                &t.token,
                json!({"name": "Q", "cards": [c]}),
            )
            .await;
        assert_eq!(r.problem(422)["field"], field, "{card}: {}", r.text);
    }
    let r = app
        .post(
            "/api/v1/dialogues",
            &t.token,
            json!({"name": "Q", "cards": [{"id": "m", "kind": "message", "text": "Hi", "when_busy": "queue"}]}),
        )
        .await;
    assert_eq!(r.problem(422)["field"], "cards[0].when_busy");
    assert_eq!(
        app.get("/api/v1/dialogues", &t.token).await.body["items"],
        json!([])
    );
    // A good one reads back as written.
    let r = app
        .post("/api/v1/dialogues", &t.token, queue_dialogue(90))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["cards"][0]["when_busy"], "queue");
    assert_eq!(r.body["cards"][0]["max_wait_seconds"], 90);
}
