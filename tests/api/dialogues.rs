//! Dialogues through the API, and the visitor walking the published one through the widget
//! endpoints: question → capture → live chat, with the live-chat card's rule enforced.

use serde_json::{Value, json};

use crate::helpers::agents::{available_agents, team_with};
use crate::helpers::spawn_app;
use crate::helpers::widget::{answer, publish, sales_dialogue, start_session, walk_to_live_chat};

#[tokio::test]
async fn a_live_chat_card_with_a_successor_is_refused_on_save_naming_the_card() {
    let app = spawn_app().await;
    let t = app.create_tenant("acme").await;
    let mut bad = sales_dialogue(json!({"mode": "round_robin"}));
    bad["cards"][2]["next"] = json!("bye");
    bad["cards"][0]["choices"][1]["next"] = Value::Null;
    let r = app.post("/api/v1/dialogues", &t.token, bad.clone()).await;
    let p = r.problem(422);
    assert_eq!(p["field"], "cards[2].next");
    assert!(p["detail"].as_str().unwrap().contains("\"connect\""), "{p}");
    assert!(
        app.get("/api/v1/dialogues", &t.token).await.body["items"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing was saved"
    );

    // A good one saves, without warnings; the same edit by PUT is refused and changes nothing.
    let good = app
        .post(
            "/api/v1/dialogues",
            &t.token,
            sales_dialogue(json!({"mode": "round_robin"})),
        )
        .await;
    assert_eq!(good.status, 201, "{}", good.text);
    assert_eq!(good.body["warnings"], json!([]));
    assert_eq!(good.body["published"], false);
    let id = good.id();
    let r = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/dialogues/{id}"),
            Some(&t.token),
            Some(bad),
        )
        .await;
    assert_eq!(r.problem(422)["field"], "cards[2].next");
    let after = app.get(&format!("/api/v1/dialogues/{id}"), &t.token).await;
    assert_eq!(after.body["cards"], good.body["cards"]);

    // Other mistakes name their field.
    for (patch, field) in [
        (json!({"id": "x", "kind": "video"}), "cards[0].kind"),
        (
            json!({"id": "x", "kind": "message", "text": "hi", "next": "nowhere"}),
            "cards[0].next",
        ),
        (
            json!({"id": "x", "kind": "live_chat", "routing": {"mode": "team"}}),
            "cards[0].routing.team_id",
        ),
        (
            json!({"id": "x", "kind": "live_chat", "routing": {"mode": "agent", "agent_id": uuid::Uuid::nil()}}),
            "cards[0].routing.agent_id",
        ),
        (
            json!({"id": "x", "kind": "capture", "fields": [{"name": "age"}]}),
            "cards[0].fields[0].name",
        ),
    ] {
        let r = app
            .post(
                "/api/v1/dialogues",
                &t.token,
                json!({"name": "Bad", "cards": [patch]}),
            )
            .await;
        assert_eq!(r.problem(422)["field"], field, "{}", r.text);
    }
}

#[tokio::test]
async fn best_practice_warnings_come_back_with_the_dialogue_and_do_not_block() {
    let app = spawn_app().await;
    let t = app.create_tenant("acme").await;
    let r = app
        .post(
            "/api/v1/dialogues",
            &t.token,
            json!({"name": "Straight in", "cards": [
                {"id": "hi", "kind": "message", "text": "Hi", "next": "lc"},
                {"id": "lc", "kind": "live_chat", "routing": {"mode": "round_robin"}}]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let codes: Vec<&str> = r.body["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            assert_eq!(w["card_id"], "lc");
            w["code"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        codes,
        [
            "no_question_before_live_chat",
            "no_capture_before_live_chat"
        ]
    );
    let p = app
        .post(
            &format!("/api/v1/dialogues/{}/publish", r.id()),
            &t.token,
            json!({}),
        )
        .await;
    assert_eq!(p.status, 200, "{}", p.text);
}

#[tokio::test]
async fn a_visitor_walks_question_capture_and_live_chat_and_resumes_after_a_reload() {
    let app = spawn_app().await;
    let t = app.create_tenant("acme").await;
    let agents = available_agents(&app, &t, 1).await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;

    let s = start_session(
        &app,
        json!({"widget_key": key, "page_url": "https://shop.example.com/pricing"}),
        Some("FR"),
    )
    .await;
    assert_eq!(s.status, 200, "{}", s.text);
    assert_eq!(s.body["status"], "dialogue");
    assert_eq!(s.body["card"]["id"], "ask");
    assert_eq!(s.body["card"]["choices"][0]["label"], "Yes please");
    assert!(
        s.body["card"].get("routing").is_none(),
        "visitors see no routing"
    );
    let token = s.body["visitor_token"].as_str().unwrap().to_owned();

    // Wrong card, wrong choice, no token: refused, nothing moves.
    let r = answer(&app, &s.body, json!({"card_id": "form", "fields": {}})).await;
    assert_eq!(r.problem(409)["field"], "card_id");
    let r = answer(&app, &s.body, json!({"card_id": "ask", "choice": "maybe"})).await;
    assert_eq!(r.problem(422)["field"], "choice");
    let r = app
        .post(
            &format!(
                "/api/v1/widget/conversations/{}/answers",
                s.body["conversation_id"].as_str().unwrap()
            ),
            "sbv_not-a-token",
            json!({"card_id": "ask", "choice": "yes"}),
        )
        .await;
    r.problem(404);

    let r = answer(&app, &s.body, json!({"card_id": "ask", "choice": "yes"})).await;
    assert_eq!(r.body["card"]["id"], "form", "{}", r.text);
    assert_eq!(r.body["card"]["fields"][1]["name"], "email");
    let r = answer(
        &app,
        &s.body,
        json!({"card_id": "form", "fields": {"first_name": "Ada", "email": "not-an-email"}}),
    )
    .await;
    assert_eq!(r.problem(422)["field"], "fields.email");
    let r = answer(
        &app,
        &s.body,
        json!({"card_id": "form", "fields": {"first_name": "Ada"}}),
    )
    .await;
    assert_eq!(r.problem(422)["field"], "fields.email");

    let r = answer(
        &app,
        &s.body,
        json!({"card_id": "form", "fields": {"first_name": "Ada", "email": "Ada@Example.com"}}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "waiting");
    assert_eq!(r.body["card"]["id"], "connect");

    // The conversation carries what is known of the visitor and the routing trace, and the
    // agent holds the offer.
    let id = s.body["conversation_id"].as_str().unwrap();
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    assert_eq!(c.status, 200, "{}", c.text);
    assert_eq!(c.body["status"], "routing");
    assert_eq!(c.body["visitor"]["country"], "FR");
    assert_eq!(c.body["visitor"]["city"], "Paris");
    assert_eq!(
        c.body["visitor"]["page_url"],
        "https://shop.example.com/pricing"
    );
    assert_eq!(c.body["visitor"]["captured"]["email"], "ada@example.com");
    assert_eq!(c.body["trace"]["mode"], "round_robin");
    assert_eq!(
        c.body["trace"]["offers"][0]["agent_id"],
        agents[0].0.as_str()
    );

    // A reload resumes the same conversation where it stands.
    let again = start_session(
        &app,
        json!({"widget_key": key, "visitor_token": token}),
        None,
    )
    .await;
    assert_eq!(again.body["conversation_id"], s.body["conversation_id"]);
    assert_eq!(again.body["status"], "waiting");
    let r = answer(&app, &s.body, json!({"card_id": "form", "fields": {}})).await;
    assert_eq!(r.problem(409)["field"], "card_id");

    // The "no" branch ends the dialogue without a live chat.
    let other = start_session(&app, json!({"widget_key": key}), None).await;
    assert_ne!(other.body["conversation_id"], s.body["conversation_id"]);
    let r = answer(&app, &other.body, json!({"card_id": "ask", "choice": "no"})).await;
    assert_eq!(r.body["card"]["id"], "bye");
    let r = answer(&app, &other.body, json!({"card_id": "bye"})).await;
    assert_eq!(r.body["status"], "completed");
    assert_eq!(r.body["card"], Value::Null);

    // An unknown widget key is a clear error.
    let r = start_session(&app, json!({"widget_key": "nope"}), None).await;
    assert_eq!(
        r.problem(404)["type"],
        "https://switchboard.dev/problems/not-found"
    );
}

#[tokio::test]
async fn the_widget_routes_by_location_and_falls_back_with_the_cards_message() {
    let app = spawn_app().await;
    let t = app.create_tenant("acme").await;
    let agents = available_agents(&app, &t, 2).await;
    let team = team_with(&app, &t, &agents[1..]).await;
    let rule = app
        .post(
            "/api/v1/routing-rules",
            &t.token,
            json!({"name": "France", "conditions": [{"field": "country", "operator": "is", "values": ["FR"]}],
                   "target": {"kind": "team", "id": team}}),
        )
        .await;
    assert_eq!(rule.status, 201, "{}", rule.text);
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "custom_rules"}))).await;

    let r = walk_to_live_chat(&app, &key, Some("FR")).await;
    assert_eq!(r.body["status"], "waiting", "{}", r.text);
    let c = app
        .get(
            &format!(
                "/api/v1/conversations/{}",
                r.body["conversation_id"].as_str().unwrap()
            ),
            &t.token,
        )
        .await;
    assert_eq!(c.body["trace"]["rule_matched"]["name"], "France");
    assert_eq!(
        c.body["trace"]["offers"][0]["agent_id"],
        agents[1].0.as_str()
    );

    // No rule for Germany: the card's fallback message.
    let r = walk_to_live_chat(&app, &key, Some("DE")).await;
    assert_eq!(r.body["status"], "fallback", "{}", r.text);
    assert_eq!(r.body["fallback_reason"], "no_rule_matched");
    assert_eq!(
        r.body["fallback_message"],
        "Nobody is free; we will email you."
    );
}

#[tokio::test]
async fn publishing_is_refused_when_a_live_chat_card_names_an_agent_who_is_gone() {
    let app = spawn_app().await;
    let t = app.create_tenant("acme").await;
    let agents = available_agents(&app, &t, 1).await;
    let d = app
        .post(
            "/api/v1/dialogues",
            &t.token,
            sales_dialogue(json!({"mode": "agent", "agent_id": agents[0].0})),
        )
        .await;
    assert_eq!(d.status, 201, "{}", d.text);
    let r = app
        .delete(&format!("/api/v1/users/{}", agents[0].0), &t.token)
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let p = app
        .post(
            &format!("/api/v1/dialogues/{}/publish", d.id()),
            &t.token,
            json!({}),
        )
        .await;
    let problem = p.problem(422);
    assert_eq!(problem["field"], "cards[2].routing.agent_id");
    assert!(problem["detail"].as_str().unwrap().contains("\"connect\""));
    let after = app
        .get(&format!("/api/v1/dialogues/{}", d.id()), &t.token)
        .await;
    assert_eq!(after.body["published"], false);
    // No published dialogue: the widget says so.
    let key = app.get("/api/v1/settings", &t.token).await.body["widget_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let s = start_session(&app, json!({"widget_key": key}), None).await;
    assert_eq!(s.problem(409)["field"], "widget_key");
}

/// The console tells the draft from the published version: a dialogue changed through the
/// API after it was published shows "Unpublished changes" in the list and the designer,
/// with Publish beside it; publishing again makes it "Published".
#[tokio::test]
async fn the_console_shows_unpublished_changes_until_the_draft_is_published_again() {
    use crate::helpers::console::{console_login, csrf, page, post};

    let app = spawn_app().await;
    let t = app.create_tenant("acme").await;
    let admin = console_login(&app, &t.slug, &t.admin_email).await;
    let (_, list) = page(&app, &admin, "/console/dialogues").await;
    assert!(
        list.contains("No dialogues yet.") && list.contains(r##"href="#new-dialogue""##),
        "an empty state with the next step: {list}"
    );
    let d = app
        .post(
            "/api/v1/dialogues",
            &t.token,
            sales_dialogue(json!({"mode": "round_robin"})),
        )
        .await;
    assert_eq!(d.status, 201, "{}", d.text);
    let base = format!("/console/dialogues/{}", d.id());
    let (_, html) = page(&app, &admin, &base).await;
    assert!(html.contains("Not published yet"), "{html}");
    assert!(html.contains(r#"id="publish""#));

    let p = app
        .post(
            &format!("/api/v1/dialogues/{}/publish", d.id()),
            &t.token,
            json!({}),
        )
        .await;
    assert_eq!(p.status, 200, "{}", p.text);
    let (_, html) = page(&app, &admin, &base).await;
    assert!(html.contains("Visitors see exactly this draft."), "{html}");
    assert!(!html.contains("Unpublished changes"));

    let mut changed = sales_dialogue(json!({"mode": "round_robin"}));
    changed["cards"][3]["text"] = json!("See you soon!");
    let r = app
        .put_json(&format!("/api/v1/dialogues/{}", d.id()), &t.token, changed)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let (_, html) = page(&app, &admin, &base).await;
    let bar = &html[html.find(r#"id="publish-state""#).unwrap()..];
    let bar = &bar[..bar.find("</div>").unwrap()];
    assert!(bar.contains("Unpublished changes"), "{bar}");
    assert!(bar.contains("Publish the changes"), "{bar}");
    let (_, list) = page(&app, &admin, "/console/dialogues").await;
    assert!(list.contains("Unpublished changes"), "{list}");

    let token = csrf(&html);
    let (status, location, _) = post(
        &app,
        &admin,
        &format!("{base}/publish"),
        &[("csrf", &token)],
    )
    .await;
    assert_eq!(
        (status, location),
        (303, format!("{base}?notice=published"))
    );
    let (_, html) = page(&app, &admin, &base).await;
    assert!(!html.contains("Unpublished changes"), "{html}");
    assert!(html.contains(">Published</span>"), "{html}");
}
