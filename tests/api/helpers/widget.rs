//! The visitor's side: a published dialogue and its widget key, a widget session, its
//! answers, and a visitor walked to the live-chat card.

use serde_json::{Value, json};

use super::agents::available_agents;
use super::{Reply, Tenant, TestApp};

/// question → (yes) capture → live chat; (no) goodbye message.
/// A dialogue that asks for an agent at once (round robin).
pub fn straight_to_live_chat() -> Value {
    json!({"name": "Direct", "cards": [
        {"id": "connect", "kind": "live_chat", "routing": {"mode": "round_robin"}}]})
}

pub fn sales_dialogue(routing: Value) -> Value {
    json!({"name": "Sales", "cards": [
        {"id": "ask", "kind": "question", "text": "Talk to sales?", "choices": [
            {"id": "yes", "label": "Yes please", "next": "form"},
            {"id": "no", "label": "No thanks", "next": "bye"}]},
        {"id": "form", "kind": "capture", "text": "Who are you?", "next": "connect", "fields": [
            {"name": "first_name", "required": true},
            {"name": "email", "required": true},
            {"name": "phone"}]},
        {"id": "connect", "kind": "live_chat", "routing": routing,
         "fallback_message": "Nobody is free; we will email you."},
        {"id": "bye", "kind": "message", "text": "Have a nice day!"}]})
}

/// Creates and publishes `dialogue`; returns the widget key.
pub async fn publish(app: &TestApp, t: &Tenant, dialogue: Value) -> String {
    let d = app.post("/api/v1/dialogues", &t.token, dialogue).await;
    assert_eq!(d.status, 201, "{}", d.text);
    publish_draft(app, t, &d.id()).await
}

/// Publishes the draft of dialogue `id`; returns the widget key.
pub async fn publish_draft(app: &TestApp, t: &Tenant, id: &str) -> String {
    let p = app
        .post(
            &format!("/api/v1/dialogues/{id}/publish"),
            &t.token,
            json!({}),
        )
        .await;
    assert_eq!(p.status, 200, "{}", p.text);
    assert_eq!(p.body["published"], true);
    let settings = app.get("/api/v1/settings", &t.token).await;
    settings.body["widget_key"].as_str().unwrap().to_owned()
}

/// Sets the languages the workspace's widget speaks.
pub async fn widget_speaks(app: &TestApp, t: &Tenant, locales: &[&str]) {
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"widget_locales": locales}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// The geo proxy's headers placing a visitor in `country` (in Paris, whatever the country).
fn geo_headers(country: Option<&str>) -> Vec<(&'static str, &str)> {
    match country {
        Some(c) => vec![
            ("X-Geo-Country", c),
            ("X-Geo-Region", "IDF"),
            ("X-Geo-City", "Paris"),
        ],
        None => vec![],
    }
}

pub async fn start_session(app: &TestApp, body: Value, country: Option<&str>) -> Reply {
    start_session_with(app, body, &geo_headers(country)).await
}

/// Starts a widget session sending `headers` (a proxy's: forwarding, location).
pub async fn start_session_with(app: &TestApp, body: Value, headers: &[(&str, &str)]) -> Reply {
    let mut req = app
        .client
        .post(app.url("/api/v1/widget/sessions"))
        .json(&body);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    TestApp::reply(req.send().await.unwrap()).await
}

pub async fn answer(app: &TestApp, session: &Value, body: Value) -> Reply {
    app.post(
        &format!(
            "/api/v1/widget/conversations/{}/answers",
            session["conversation_id"].as_str().unwrap()
        ),
        session["visitor_token"].as_str().unwrap(),
        body,
    )
    .await
}

/// Walks the sales dialogue to its live-chat card; returns the last reply.
pub async fn walk_to_live_chat(app: &TestApp, key: &str, country: Option<&str>) -> Reply {
    walk_to_live_chat_with(app, key, &geo_headers(country)).await
}

/// [`walk_to_live_chat`], the session started with `headers`.
pub async fn walk_to_live_chat_with(app: &TestApp, key: &str, headers: &[(&str, &str)]) -> Reply {
    let s = start_session_with(
        app,
        json!({"widget_key": key, "page_url": "https://shop.example.com/pricing"}),
        headers,
    )
    .await;
    assert_eq!(s.status, 200, "{}", s.text);
    let r = answer(app, &s.body, json!({"card_id": "ask", "choice": "yes"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = answer(
        app,
        &s.body,
        json!({"card_id": "form", "fields": {"first_name": "Ada", "email": "ada@example.com"}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r
}

/// A visitor waiting for the tenant's one agent: `(tenant, (agent id, agent token), visitor
/// session)`.
pub async fn waiting_visitor(app: &TestApp, slug: &str) -> (Tenant, (String, String), Value) {
    let t = app.create_tenant(slug).await;
    let agent = available_agents(app, &t, 1).await.remove(0);
    let key = publish(app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let waiting = walk_to_live_chat(app, &key, Some("FR")).await;
    assert_eq!(waiting.body["status"], "waiting", "{}", waiting.text);
    (t, agent, waiting.body)
}
