//! The dialogue designer in the console, driven as a browser without JavaScript would:
//! every change is a form; the whole tree is validated on each; a refused change is shown on
//! the card at fault and saves nothing.

use crate::helpers::console::{console_login, csrf, page, post};
use crate::helpers::{TestApp, spawn_app};

/// The id of the dialogue a designer URL names.
fn dialogue_of(location: &str) -> String {
    location
        .trim_start_matches("/console/dialogues/")
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

async fn draft(app: &TestApp, token: &str, id: &str) -> serde_json::Value {
    app.get(&format!("/api/v1/dialogues/{id}"), token)
        .await
        .body
}

#[tokio::test]
async fn an_admin_builds_question_capture_live_chat_and_a_card_after_the_live_chat_is_refused() {
    let app = spawn_app().await;
    let t = app.create_tenant("designer").await;
    let admin = console_login(&app, &t.slug, &t.admin_email).await;
    let (status, html) = page(&app, &admin, "/console/dialogues").await;
    assert_eq!(status, 200);
    let token = csrf(&html);

    // A blank name is refused beside the field.
    let (status, _, html) = post(
        &app,
        &admin,
        "/console/dialogues",
        &[("csrf", &token), ("name", "")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="name-error""#), "{html}");

    let (status, location, _) = post(
        &app,
        &admin,
        "/console/dialogues",
        &[("csrf", &token), ("name", "Sales")],
    )
    .await;
    assert_eq!(status, 303);
    let id = dialogue_of(&location);
    let base = format!("/console/dialogues/{id}");
    let add = |kind: &'static str, card: &'static str, text: &'static str, after: &'static str| {
        let (app, admin, token, base) = (&app, &admin, token.clone(), base.clone());
        async move {
            post(
                app,
                admin,
                &format!("{base}/cards"),
                &[
                    ("csrf", &token),
                    ("kind", kind),
                    ("card_id", card),
                    ("text", text),
                    ("after", after),
                ],
            )
            .await
        }
    };
    assert_eq!(
        add("question", "ask", "Talk to sales?", "welcome").await.0,
        303
    );
    assert_eq!(add("capture", "form", "Who are you?", "ask#0").await.0, 303);
    assert_eq!(add("live_chat", "connect", "", "form").await.0, 303);
    assert_eq!(
        add("message", "bye", "Have a nice day!", "ask#1").await.0,
        303
    );
    let d = draft(&app, &t.token, &id).await;
    let kinds: Vec<_> = d["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        kinds,
        ["message", "question", "capture", "live_chat", "message"],
        "{d}"
    );
    assert_eq!(d["cards"][1]["choices"][0]["next"], "form");
    assert_eq!(d["cards"][2]["next"], "connect");

    // The live-chat card is not offered as what a new card comes after...
    let (_, html) = page(&app, &admin, &base).await;
    let after = &html[html.find(r#"id="new-after""#).unwrap()..];
    let after = &after[..after.find("</select>").unwrap()];
    assert!(!after.contains(r#"value="connect""#), "{after}");
    // ... and a form that names it anyway is refused on the card being added, in plain
    // words: which card, and why. Nothing is saved.
    let (status, _, html) = add("message", "after", "Too late", "connect").await;
    assert_eq!(status, 422);
    let at = html
        .find(r#"id="card-after-error""#)
        .expect("the error is on the card being added, not on the live-chat card");
    let error = &html[at..html[at..].find("</p>").unwrap() + at];
    assert!(
        error.contains(
            "“after” was not added: “connect” is a live-chat card. It hands the visitor to an agent, so nothing can follow it. Add “after” after another card or choice."
        ),
        "{error}"
    );
    assert!(!html.contains(r#"id="card-connect-error""#), "{html}");
    assert!(html.contains("Nothing was saved: correct the card “after”."));
    // Beside the add-card form, and on the card's box in the map.
    assert!(html.contains(r#"id="new-card-error""#), "{html}");
    let node = &html[html
        .find(r#"id="node-after-fault""#)
        .expect("the box at fault")..];
    assert!(node.contains("“connect” is a live-chat card"), "{node}");
    // The refused card is shown as not saved, without forms that would act on nothing.
    assert!(html.contains(r#"id="card-after-unsaved""#), "{html}");
    assert!(!html.contains("/cards/after/save"), "{html}");
    assert_eq!(
        draft(&app, &t.token, &id).await["cards"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    // A name already taken is refused beside the add-card form, naming it.
    let (status, _, html) = add("message", "ask", "Again", "bye").await;
    assert_eq!(status, 422);
    let error = &html[html.find(r#"id="new-card-error""#).unwrap()..];
    assert!(
        error.contains("There is already a card named “ask”. Choose another name."),
        "{error}"
    );
    assert_eq!(html.matches(r#"id="card-ask""#).count(), 1);

    // Editing a card: the capture asks for the last name too; the question's first choice
    // is relabelled.
    let (status, _, _) = post(
        &app,
        &admin,
        &format!("{base}/cards/form/save"),
        &[
            ("csrf", &token),
            ("text", "Who are you?"),
            ("next", "connect"),
            ("field_first_name", "required"),
            ("field_email", "required"),
            ("field_last_name", "ask"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (status, _, _) = post(
        &app,
        &admin,
        &format!("{base}/cards/ask/save"),
        &[
            ("csrf", &token),
            ("text", "Talk to sales?"),
            ("choice_0_label", "Yes please"),
            ("choice_0_next", "form"),
            ("choice_1_label", "No"),
            ("choice_1_next", "bye"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let d = draft(&app, &t.token, &id).await;
    assert_eq!(d["cards"][2]["fields"].as_array().unwrap().len(), 3, "{d}");
    assert_eq!(d["cards"][1]["choices"][0]["label"], "Yes please");

    // Moving and deleting: the goodbye goes up, then away (the choice leading to it ends)
    // once the page has asked.
    assert_eq!(
        post(
            &app,
            &admin,
            &format!("{base}/cards/bye/move"),
            &[("csrf", &token), ("direction", "up")]
        )
        .await
        .0,
        303
    );
    assert_eq!(draft(&app, &t.token, &id).await["cards"][3]["id"], "bye");
    let (status, location, _) = post(
        &app,
        &admin,
        &format!("{base}/cards/bye/delete"),
        &[("csrf", &token)],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("{base}?confirm=card:bye#card-bye").as_str())
    );
    assert_eq!(
        draft(&app, &t.token, &id).await["cards"]
            .as_array()
            .unwrap()
            .len(),
        5,
        "not deleted before it is confirmed"
    );
    let (_, html) = page(&app, &admin, &format!("{base}?confirm=card:bye")).await;
    assert!(
        html.contains("Delete the card “bye”? What led to it will end there."),
        "{html}"
    );
    assert_eq!(
        post(
            &app,
            &admin,
            &format!("{base}/cards/bye/delete"),
            &[("csrf", &token), ("confirm", "yes")]
        )
        .await
        .0,
        303
    );
    let d = draft(&app, &t.token, &id).await;
    assert_eq!(d["cards"].as_array().unwrap().len(), 4);
    assert!(d["cards"][1]["choices"][1]["next"].is_null(), "{d}");

    // Published: the widget runs it, and the page shows the preview.
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
    let d = draft(&app, &t.token, &id).await;
    assert_eq!(d["published"], true, "{d}");
    let (_, html) = page(&app, &admin, &base).await;
    // The map: one box per card, one arrow per link, the live-chat card as the hand-off.
    assert_eq!(html.matches(r##"<a href="#card-"##).count(), 4, "{html}");
    assert_eq!(html.matches(r##"<g class="edge"##).count(), 3, "{html}");
    let handoff = &html[html.find(r#"class="node kind-live_chat"#).unwrap()..];
    assert!(handoff.contains("Hand-off to an agent"), "{handoff}");
    assert!(html.contains("On the widget"));
    // Published and unchanged: said so, nothing to publish.
    assert!(
        html.contains(r#"<span class="pill on">Published</span>"#),
        "{html}"
    );
    assert!(!html.contains(r#"id="publish""#));
    let (_, list) = page(&app, &admin, "/console/dialogues").await;
    assert!(list.contains(">Published</span>"), "{list}");

    // A change to the draft: the page says visitors still see the published version, with
    // the Publish button beside it; the list says so too.
    let (status, location, _) = post(
        &app,
        &admin,
        &format!("{base}/cards/ask/save"),
        &[
            ("csrf", &token),
            ("text", "Talk to our sales team?"),
            ("choice_0_label", "Yes please"),
            ("choice_0_next", "form"),
            ("choice_1_label", "No"),
            ("choice_1_next", ""),
        ],
    )
    .await;
    assert_eq!(
        (status, location),
        (303, format!("{base}?notice=card-saved"))
    );
    let (_, html) = page(&app, &admin, &format!("{base}?notice=card-saved")).await;
    assert!(
        html.contains("Change saved in the draft. Publish to show it to visitors."),
        "{html}"
    );
    let bar = &html[html.find(r#"id="publish-state""#).unwrap()..];
    let bar = &bar[..bar.find("</div>").unwrap()];
    assert!(bar.contains("Unpublished changes"), "{bar}");
    assert!(
        bar.contains("visitors still see the published one"),
        "{bar}"
    );
    assert!(bar.contains("Publish the changes"), "{bar}");
    let (_, list) = page(&app, &admin, "/console/dialogues").await;
    assert!(list.contains("Unpublished changes"), "{list}");

    // In French: the state and a refusal.
    let r = app
        .put_json(
            "/api/v1/me/locale",
            &t.token,
            serde_json::json!({"locale": "fr"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let (_, html) = page(&app, &admin, &base).await;
    assert!(html.contains("Modifications non publiées"), "{html}");
    assert!(html.contains("Publier les modifications"), "{html}");
    let (status, _, html) = add("message", "apres", "Trop tard", "connect").await;
    assert_eq!(status, 422);
    let error = &html[html.find(r#"id="card-apres-error""#).unwrap()..];
    assert!(
        error.contains(
            "« apres » n’a pas été ajoutée : « connect » est une carte de chat en direct."
        ),
        "{error}"
    );
    let r = app
        .put_json("/api/v1/me/locale", &t.token, serde_json::json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Without the form's token nothing changes.
    let (status, _, _) = post(
        &app,
        &admin,
        &format!("{base}/cards/ask/delete"),
        &[("csrf", "forged")],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        draft(&app, &t.token, &id).await["cards"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[tokio::test]
async fn the_designer_warns_when_no_question_or_form_comes_before_the_live_chat() {
    let app = spawn_app().await;
    let t = app.create_tenant("warned").await;
    let admin = console_login(&app, &t.slug, &t.admin_email).await;
    let (_, html) = page(&app, &admin, "/console/dialogues").await;
    let token = csrf(&html);
    let (_, location, _) = post(
        &app,
        &admin,
        "/console/dialogues",
        &[("csrf", &token), ("name", "Direct")],
    )
    .await;
    let base = format!("/console/dialogues/{}", dialogue_of(&location));
    let (status, _, _) = post(
        &app,
        &admin,
        &format!("{base}/cards"),
        &[
            ("csrf", &token),
            ("kind", "live_chat"),
            ("card_id", "connect"),
            ("text", ""),
            ("after", "welcome"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, html) = page(&app, &admin, &base).await;
    let card = &html[html.find(r#"id="card-connect""#).unwrap()..];
    assert!(card.contains(r#"class="warning""#), "{card}");
    assert!(
        card.contains("No question comes before this hand-off"),
        "{card}"
    );
    // On the map too: the box is marked with its tips.
    let node = &html[html.find(r#"class="node kind-live_chat tip"#).unwrap()..];
    assert!(node.contains("Tip: No question comes before"), "{node}");
}

/// Without JavaScript, a branch's select set to a card that has its place elsewhere moves
/// that card there (the branch it came from ends), as the map's drag and connect does; a
/// branch back to the first card is refused on its card, in plain words.
#[tokio::test]
async fn linking_a_branch_to_a_card_moves_it_and_a_link_back_to_the_start_is_refused() {
    let app = spawn_app().await;
    let t = app.create_tenant("relink").await;
    let d = app
        .post(
            "/api/v1/dialogues",
            &t.token,
            crate::helpers::widget::sales_dialogue(serde_json::json!({"mode": "round_robin"})),
        )
        .await;
    assert_eq!(d.status, 201, "{}", d.text);
    let id = d.id();
    let admin = console_login(&app, &t.slug, &t.admin_email).await;
    let base = format!("/console/dialogues/{id}");
    let (_, html) = page(&app, &admin, &base).await;
    let token = csrf(&html);
    let (status, _, _) = post(
        &app,
        &admin,
        &format!("{base}/cards/bye/save"),
        &[
            ("csrf", &token),
            ("text", "Have a nice day!"),
            ("next", "form"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let after = draft(&app, &t.token, &id).await;
    assert_eq!(after["cards"][3]["next"], "form", "{after}");
    assert!(after["cards"][0]["choices"][0]["next"].is_null(), "{after}");

    let (status, _, html) = post(
        &app,
        &admin,
        &format!("{base}/cards/form/save"),
        &[
            ("csrf", &token),
            ("next", "ask"),
            ("field_first_name", "required"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    let error = &html[html
        .find(r#"id="card-form-error""#)
        .expect("on the form card")..];
    assert!(
        error.contains("“form” cannot lead to “ask”: every visitor starts at the first card"),
        "{error}"
    );
    assert_eq!(draft(&app, &t.token, &id).await, after, "nothing saved");
}
