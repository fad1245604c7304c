//! What a widget session stores (issue 15, SPEC §12.4): nothing until the visitor answers or
//! asks for an agent, and then a reference to the published dialogue version rather than a
//! copy of its cards. Checked in the database.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use switchboard_store::{conversations, dialogue_versions, messages};
use uuid::Uuid;

use crate::helpers::widget::{answer, publish, sales_dialogue, start_session};
use crate::helpers::{Tenant, TestApp, spawn_app};

/// Conversations and messages stored for the tenant.
async fn stored(app: &TestApp, t: &Tenant) -> (u64, u64) {
    let db = app.service.db();
    let tenant = Uuid::parse_str(&t.id).unwrap();
    (
        conversations::Entity::find()
            .filter(conversations::Column::TenantId.eq(tenant))
            .count(db)
            .await
            .unwrap(),
        messages::Entity::find()
            .filter(messages::Column::TenantId.eq(tenant))
            .count(db)
            .await
            .unwrap(),
    )
}

async fn transcript(app: &TestApp, session: &Value) -> Vec<(String, String)> {
    let page = app
        .get(
            &format!(
                "/api/v1/widget/conversations/{}/messages",
                session["conversation_id"].as_str().unwrap()
            ),
            session["visitor_token"].as_str().unwrap(),
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.text);
    page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["sender"].as_str().unwrap().to_owned(),
                m["body"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn id_of(session: &Value) -> Uuid {
    Uuid::parse_str(session["conversation_id"].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn a_visitor_who_only_looks_stores_nothing_and_their_first_answer_stores_the_conversation() {
    let app = spawn_app().await;
    let t = app.create_tenant("lookers").await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;

    // Twenty visitors open the widget and leave: nothing of theirs is written.
    let mut sessions = Vec::new();
    for _ in 0..20 {
        let s = start_session(&app, json!({"widget_key": key}), Some("FR")).await;
        assert_eq!(s.status, 200, "{}", s.text);
        assert_eq!(s.body["status"], "dialogue");
        assert_eq!(s.body["card"]["id"], "ask");
        sessions.push(s.body);
    }
    assert_eq!(stored(&app, &t).await, (0, 0));
    let s = sessions.pop().unwrap();
    assert!(
        s["visitor_token"].as_str().unwrap().len() < 1000,
        "{}",
        s["visitor_token"]
    );

    // The widget still reads its session as a conversation: it resumes on reload, its
    // transcript holds the bot's first line, and nothing is written by reading.
    let again = start_session(
        &app,
        json!({"widget_key": key, "visitor_token": s["visitor_token"]}),
        None,
    )
    .await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.body["conversation_id"], s["conversation_id"]);
    assert_eq!(again.body["card"]["id"], "ask");
    assert_eq!(
        transcript(&app, &s).await,
        vec![("bot".to_owned(), "Talk to sales?".to_owned())]
    );
    // Not an agent's or an admin's to see yet; nor is leaving a message or writing possible.
    let admin = app
        .get(&format!("/api/v1/conversations/{}", id_of(&s)), &t.token)
        .await;
    assert_eq!(admin.status, 404, "{}", admin.text);
    let write = app
        .post(
            &format!("/api/v1/widget/conversations/{}/messages", id_of(&s)),
            s["visitor_token"].as_str().unwrap(),
            json!({"body": "hello?"}),
        )
        .await;
    assert_eq!(write.status, 409, "{}", write.text);
    assert_eq!(stored(&app, &t).await, (0, 0));

    // The first answer stores it, under the same id and token, with the bot's line first.
    let step = answer(&app, &s, json!({"card_id": "ask", "choice": "yes"})).await;
    assert_eq!(step.status, 200, "{}", step.text);
    assert_eq!(step.body["conversation_id"], s["conversation_id"]);
    assert_eq!(step.body["visitor_token"], s["visitor_token"]);
    assert_eq!(step.body["card"]["id"], "form");
    assert_eq!(stored(&app, &t).await, (1, 3));
    assert_eq!(
        transcript(&app, &s).await,
        vec![
            ("bot".to_owned(), "Talk to sales?".to_owned()),
            ("visitor".to_owned(), "Yes please".to_owned()),
            ("bot".to_owned(), "Who are you?".to_owned()),
        ]
    );
    let row = conversations::Entity::find_by_id(id_of(&s))
        .one(app.service.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.visitor["country"], "FR");
    assert!(row.dialogue.is_none(), "no copy of the cards");
    assert!(row.dialogue_version_id.is_some());
    let admin = app
        .get(&format!("/api/v1/conversations/{}", id_of(&s)), &t.token)
        .await;
    assert_eq!(admin.status, 200, "{}", admin.text);
    assert_eq!(admin.body["status"], "dialogue");

    // The same answer again (a double click, another tab) is refused, nothing doubled.
    let twice = answer(&app, &s, json!({"card_id": "ask", "choice": "yes"})).await;
    assert_eq!(twice.status, 409, "{}", twice.text);
    assert_eq!(stored(&app, &t).await, (1, 3));

    // A token altered by hand opens nothing: a session starts afresh, answers are 404.
    let token = sessions[0]["visitor_token"].as_str().unwrap();
    let forged = format!("{}A", &token[..token.len() - 1]);
    let forged = if forged == token {
        format!("{}B", &token[..token.len() - 1])
    } else {
        forged
    };
    let fresh = start_session(
        &app,
        json!({"widget_key": key, "visitor_token": forged}),
        None,
    )
    .await;
    assert_eq!(fresh.status, 200, "{}", fresh.text);
    assert_ne!(
        fresh.body["conversation_id"],
        sessions[0]["conversation_id"]
    );
    let refused = app
        .post(
            &format!(
                "/api/v1/widget/conversations/{}/answers",
                sessions[0]["conversation_id"].as_str().unwrap()
            ),
            &forged,
            json!({"card_id": "ask", "choice": "yes"}),
        )
        .await;
    assert_eq!(refused.status, 404, "{}", refused.text);
    assert_eq!(stored(&app, &t).await, (1, 3));
}

#[tokio::test]
async fn a_visitor_who_ends_an_unsaved_session_can_start_another() {
    let app = spawn_app().await;
    let t = app.create_tenant("enders").await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let s = start_session(&app, json!({"widget_key": key}), None).await;
    let end = app
        .post(
            &format!("/api/v1/widget/conversations/{}/end", id_of(&s.body)),
            s.body["visitor_token"].as_str().unwrap(),
            json!({}),
        )
        .await;
    assert_eq!(end.status, 204, "{}", end.text);
    let row = conversations::Entity::find_by_id(id_of(&s.body))
        .one(app.service.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status.to_string(), "ended");
    let next = start_session(
        &app,
        json!({"widget_key": key, "visitor_token": s.body["visitor_token"], "new_conversation": true}),
        None,
    )
    .await;
    assert_eq!(next.status, 200, "{}", next.text);
    assert_ne!(next.body["conversation_id"], s.body["conversation_id"]);
    assert_eq!(next.body["card"]["id"], "ask");
    assert_eq!(next.body["visitor_token"], s.body["visitor_token"]);

    // The token moved to the new conversation; were that one gone (its routing undone, an
    // erasure), the token is spent: it never reopens the first one at its start.
    conversations::Entity::delete_by_id(id_of(&next.body))
        .exec(app.service.db())
        .await
        .unwrap();
    let again = start_session(
        &app,
        json!({"widget_key": key, "visitor_token": s.body["visitor_token"]}),
        None,
    )
    .await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_ne!(again.body["conversation_id"], s.body["conversation_id"]);
    assert_ne!(again.body["conversation_id"], next.body["conversation_id"]);
    assert_ne!(again.body["visitor_token"], s.body["visitor_token"]);
}

#[tokio::test]
async fn conversations_refer_to_the_version_they_started_with_across_publishes() {
    let app = spawn_app().await;
    let t = app.create_tenant("versions").await;
    let first = sales_dialogue(json!({"mode": "round_robin"}));
    let key = publish(&app, &t, first.clone()).await;
    let early = start_session(&app, json!({"widget_key": key}), None).await;
    let step = answer(&app, &early.body, json!({"card_id": "ask", "choice": "no"})).await;
    assert_eq!(step.status, 200, "{}", step.text);
    let early2 = start_session(&app, json!({"widget_key": key}), None).await;
    answer(
        &app,
        &early2.body,
        json!({"card_id": "ask", "choice": "yes"}),
    )
    .await;

    // The admin publishes a second dialogue whose question reads differently.
    let mut second = first.clone();
    second["name"] = json!("Sales, reworded");
    second["cards"][0]["text"] = json!("Shall we talk?");
    second["cards"][1]["text"] = json!("Your details, please");
    publish(&app, &t, second).await;

    // The visitor who started before keeps their cards; a new one gets the new ones.
    let resumed = start_session(
        &app,
        json!({"widget_key": key, "visitor_token": early2.body["visitor_token"]}),
        None,
    )
    .await;
    assert_eq!(resumed.body["card"]["text"], "Who are you?");
    let late = start_session(&app, json!({"widget_key": key}), None).await;
    assert_eq!(late.body["card"]["text"], "Shall we talk?");
    answer(&app, &late.body, json!({"card_id": "ask", "choice": "yes"})).await;

    let db = app.service.db();
    let tenant = Uuid::parse_str(&t.id).unwrap();
    let versions = dialogue_versions::Entity::find()
        .filter(dialogue_versions::Column::TenantId.eq(tenant))
        .all(db)
        .await
        .unwrap();
    assert_eq!(versions.len(), 2);
    let version_of = |id: Uuid| async move {
        conversations::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .dialogue_version_id
            .unwrap()
    };
    let (a, b, c) = (
        version_of(id_of(&early.body)).await,
        version_of(id_of(&early2.body)).await,
        version_of(id_of(&late.body)).await,
    );
    assert_eq!(a, b, "one version, referred to by both");
    assert_ne!(a, c);
    assert!(versions.iter().any(|v| v.id == a) && versions.iter().any(|v| v.id == c));

    // The first dialogue deleted: its version stays for the conversations that ran it.
    let dialogues = app.get("/api/v1/dialogues", &t.token).await;
    let old = dialogues.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Sales")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let gone = app
        .delete(&format!("/api/v1/dialogues/{old}"), &t.token)
        .await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    let form = answer(
        &app,
        &early2.body,
        json!({"card_id": "form", "fields": {"first_name": "Ada", "email": "ada@example.com"}}),
    )
    .await;
    assert_eq!(form.status, 200, "{}", form.text);
    assert_eq!(form.body["status"], "fallback", "{}", form.text);
}

#[tokio::test]
async fn a_conversation_stored_with_its_own_copy_of_the_cards_still_runs() {
    let app = spawn_app().await;
    let t = app.create_tenant("legacy-copy").await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let s = start_session(&app, json!({"widget_key": key}), None).await;
    answer(&app, &s.body, json!({"card_id": "ask", "choice": "yes"})).await;
    // As stored before versions: a copy of the cards, no version (its text differs, to
    // tell which one runs).
    let db = app.service.db();
    let row = conversations::Entity::find_by_id(id_of(&s.body))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let version = row.dialogue_version_id.unwrap();
    let mut cards = dialogue_versions::Entity::find_by_id(version)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .cards;
    cards["cards"][1]["text"] = json!("Who are you (copy)?");
    let mut legacy: conversations::ActiveModel = row.into();
    legacy.dialogue = Set(Some(cards));
    legacy.dialogue_version_id = Set(None);
    legacy.update(db).await.unwrap();

    let resumed = start_session(
        &app,
        json!({"widget_key": key, "visitor_token": s.body["visitor_token"]}),
        None,
    )
    .await;
    assert_eq!(resumed.status, 200, "{}", resumed.text);
    assert_eq!(resumed.body["card"]["text"], "Who are you (copy)?");
    let form = answer(
        &app,
        &s.body,
        json!({"card_id": "form", "fields": {"first_name": "Ada", "email": "ada@example.com"}}),
    )
    .await;
    assert_eq!(form.status, 200, "{}", form.text);
    assert_eq!(form.body["status"], "fallback");
}
