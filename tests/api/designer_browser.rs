//! The designer's map in a real browser, in French and in English: one box per card and one
//! arrow per branch; dragging from a branch's handle onto a card links it there (the draft
//! changes); a refused change is shown on the box and the card at fault; axe finds no
//! serious violation; screenshots at a laptop's and a phone's width.

use fantoccini::Client;
use serde_json::{Value, json};

use crate::helpers::axe::{axe, axe_source};
use crate::helpers::browser::{
    Driver, both_widths_at, click, console_login, drag, fits_its_width, start_browser_in,
    type_into, until,
};
use crate::helpers::widget::{publish_draft, sales_dialogue, widget_speaks};
use crate::helpers::{Tenant, TestApp, spawn_app};

/// The links of a draft: `(card, where it leads)` for each branch that leads somewhere.
fn links(draft: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for card in draft["cards"].as_array().unwrap() {
        let id = card["id"].as_str().unwrap().to_owned();
        if let Some(next) = card["next"].as_str() {
            out.push((id.clone(), next.to_owned()));
        }
        for choice in card["choices"].as_array().into_iter().flatten() {
            if let Some(next) = choice["next"].as_str() {
                out.push((id.clone(), next.to_owned()));
            }
        }
    }
    out.sort();
    out
}

async fn draft(app: &TestApp, t: &Tenant, id: &str) -> Value {
    app.get(&format!("/api/v1/dialogues/{id}"), &t.token)
        .await
        .body
}

/// The map's boxes and arrows as drawn: `(boxes, arrows as (from, to))`.
async fn drawn(browser: &Client) -> (Vec<String>, Vec<(String, String)>) {
    let v = browser
        .execute(
            "return [
               Array.from(document.querySelectorAll('#flow a.node')).map(n => n.dataset.card),
               Array.from(document.querySelectorAll('#flow g.edge')).map(e => [e.dataset.from, e.dataset.to])
             ];",
            vec![],
        )
        .await
        .unwrap();
    let nodes = v[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_owned())
        .collect();
    let mut edges: Vec<(String, String)> = v[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e[0].as_str().unwrap().to_owned(),
                e[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    edges.sort();
    (nodes, edges)
}

async fn map_in_view(browser: &Client) {
    browser
        .execute(
            "document.getElementById('flow-heading').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
}

/// One language's journey; `words` are what the page says in it: the state after a change,
/// and the start of the refusal of a card after the live-chat card.
/// A workspace with the sales dialogue as a draft, and its admin signed in to the console
/// in a browser reading `lang`: the app, the workspace, the dialogue's id and the browser.
async fn signed_in_with_a_draft(
    lang: &str,
    slug: &str,
) -> (TestApp, Tenant, String, (Driver, Client)) {
    let app = spawn_app().await;
    let t = app.create_tenant(slug).await;
    let d = app
        .post(
            "/api/v1/dialogues",
            &t.token,
            sales_dialogue(json!({"mode": "round_robin"})),
        )
        .await;
    assert_eq!(d.status, 201, "{}", d.text);
    let id = d.id();
    let (driver, browser) = start_browser_in(lang).await;
    console_login(&browser, &app.base, &t.slug, &t.admin_email).await;
    until(&browser, "signed in", "location.pathname === '/console'").await;
    (app, t, id, (driver, browser))
}

async fn journey(lang: &str, words: [&str; 2]) {
    let (app, t, id, (_d, browser)) = signed_in_with_a_draft(lang, &format!("map-{lang}")).await;
    publish_draft(&app, &t, &id).await;
    let axe_js = axe_source();
    let mut found = Vec::new();
    browser
        .goto(&app.url(&format!("/console/dialogues/{id}")))
        .await
        .unwrap();
    until(
        &browser,
        "the map, with its script",
        &format!(
            "document.documentElement.lang === '{lang}' && document.getElementById('flow') && \
             document.documentElement.classList.contains('designer-js')"
        ),
    )
    .await;

    // One box per card, one arrow per branch that leads somewhere.
    let before = draft(&app, &t, &id).await;
    let (nodes, edges) = drawn(&browser).await;
    assert_eq!(nodes.len(), before["cards"].as_array().unwrap().len());
    assert_eq!(edges, links(&before));
    assert_eq!(
        browser
            .execute(
                "return document.querySelector('#flow title').textContent",
                vec![]
            )
            .await
            .unwrap()
            .as_str()
            .map(|t| t.contains("Sales")),
        Some(true)
    );
    // Every box is a link to its card's form, reached with the keyboard.
    let focusable = browser
        .execute(
            "return Array.from(document.querySelectorAll('#flow a.node')).every(n =>
               n.tabIndex === 0 && n.getAttribute('href') === '#card-' + n.dataset.card &&
               n.getAttribute('aria-label').startsWith(n.dataset.card))",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focusable, json!(true));
    map_in_view(&browser).await;
    both_widths_at(
        &browser,
        &format!("designer-map-{lang}"),
        Some("flow-heading"),
    )
    .await;
    found.extend(axe(&browser, &axe_js, &format!("designer ({lang})")).await);

    // Drag from the goodbye's handle (its branch ends) onto the form: the form now follows
    // the goodbye, and the choice it followed ends.
    map_in_view(&browser).await;
    drag(
        &browser,
        "#flow .port[data-select='next-bye']",
        "#flow a.node[data-card='form']",
    )
    .await;
    until(
        &browser,
        "the change saved",
        "location.search.startsWith('?notice=card-saved') && document.getElementById('flow')",
    )
    .await;
    let after = draft(&app, &t, &id).await;
    assert_eq!(after["cards"][3]["next"], "form", "{after}");
    assert!(after["cards"][0]["choices"][0]["next"].is_null(), "{after}");
    let (_, edges) = drawn(&browser).await;
    assert_eq!(edges, links(&after));
    // The draft differs from what visitors see: said beside Publish.
    let bar = until(
        &browser,
        "the unpublished changes",
        "document.getElementById('publish-state').textContent",
    )
    .await;
    assert!(bar.as_str().unwrap().contains(words[0]), "{bar}");
    both_widths_at(
        &browser,
        &format!("designer-changes-{lang}"),
        Some("publish-state"),
    )
    .await;
    assert!(
        browser
            .execute("return !!document.getElementById('publish')", vec![])
            .await
            .unwrap()
            .as_bool()
            .unwrap()
    );

    // A card after the live-chat card (not offered; a form naming it anyway): refused on
    // that card's box and form, saying why.
    browser
        .execute(
            "const s = document.getElementById('new-after');
             s.add(new Option('connect', 'connect')); s.value = 'connect';",
            vec![],
        )
        .await
        .unwrap();
    type_into(&browser, "#new-id", "after").await;
    type_into(&browser, "#new-text", "One more thing").await;
    click(&browser, "form[action$='/cards'] button[type=submit]").await;
    let error = until(
        &browser,
        "the refusal on the new card",
        "document.getElementById('card-after-error') && document.getElementById('card-after-error').textContent",
    )
    .await;
    assert!(error.as_str().unwrap().starts_with(words[1]), "{error}");
    let node = until(
        &browser,
        "the box at fault",
        "document.getElementById('node-after-fault') && document.getElementById('node-after-fault').textContent",
    )
    .await;
    assert!(node.as_str().unwrap().contains("connect"), "{node}");
    assert_eq!(
        browser
            .execute(
                "return document.querySelectorAll('#flow a.node.fault').length",
                vec![]
            )
            .await
            .unwrap(),
        json!(1)
    );
    assert_eq!(
        links(&draft(&app, &t, &id).await),
        links(&after),
        "nothing saved"
    );
    both_widths_at(
        &browser,
        &format!("designer-refused-{lang}"),
        Some("flow-heading"),
    )
    .await;
    found.extend(axe(&browser, &axe_js, &format!("designer refused ({lang})")).await);

    // On a phone the page does not scroll sideways: the map scrolls in its own box.
    browser.set_window_size(390, 844).await.unwrap();
    assert!(fits_its_width(&browser).await, "the designer is too wide");
    let scrolls = browser
        .execute(
            "const w = document.querySelector('.flow-wrap'); return w.scrollWidth > w.clientWidth && getComputedStyle(w).overflowX === 'auto'",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(scrolls, json!(true));
    browser.set_window_size(1366, 900).await.unwrap();
    assert!(found.is_empty(), "{found:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_designer_map_in_french_draws_connects_and_refuses_on_the_right_card() {
    journey(
        "fr",
        [
            "Modifications non publiées",
            "« after » n’a pas été ajoutée : « connect » est une carte de chat en direct.",
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_designer_map_in_english_draws_connects_and_refuses_on_the_right_card() {
    journey(
        "en",
        [
            "Unpublished changes",
            "“after” was not added: “connect” is a live-chat card.",
        ],
    )
    .await;
}

/// The admin writes a card's texts for French readers in the designer (the workspace writes
/// in English; its widget speaks both): they are saved with the draft, shown again, and a
/// French visitor reads them once published. A workspace whose widget speaks one language
/// is told where to add another.
async fn texts_in_french(lang: &str, legend: &str) {
    let (app, t, id, (_d, browser)) = signed_in_with_a_draft(lang, &format!("texts-{lang}")).await;
    let axe_js = axe_source();
    browser
        .goto(&app.url(&format!("/console/dialogues/{id}")))
        .await
        .unwrap();
    // Closed while nothing is written in French.
    let summary = until(
        &browser,
        "the French texts of the question",
        "document.querySelector('#translation-ask-fr summary') && \
         !document.getElementById('translation-ask-fr').open && \
         document.querySelector('#translation-ask-fr summary').textContent",
    )
    .await;
    assert_eq!(summary, json!(legend));
    click(&browser, "#translation-ask-fr summary").await;
    type_into(&browser, "#text-ask-fr", "Parler à un commercial ?").await;
    type_into(&browser, "#choice-ask-0-fr", "Oui, volontiers").await;
    click(&browser, "#form-ask button[type=submit]").await;
    until(
        &browser,
        "the question saved",
        "location.search.startsWith('?notice=card-saved') && document.getElementById('translation-ask-fr')",
    )
    .await;
    // Shown again open, as written; the choice left blank reads in its own words.
    until(
        &browser,
        "the French texts shown again",
        "document.getElementById('translation-ask-fr').open && \
         document.getElementById('text-ask-fr').value === 'Parler à un commercial ?' && \
         document.getElementById('choice-ask-1-fr').placeholder === 'No thanks'",
    )
    .await;
    click(&browser, "#translation-connect-fr summary").await;
    type_into(
        &browser,
        "#fallback-connect-fr",
        "Personne n’est libre : nous vous écrirons.",
    )
    .await;
    // The page before the save already says "saved": it is marked, to wait for the next.
    browser
        .execute("window.beforeSave = true", vec![])
        .await
        .unwrap();
    click(&browser, "#form-connect button[type=submit]").await;
    until(
        &browser,
        "the live-chat card saved",
        "!window.beforeSave && location.search.startsWith('?notice=card-saved') && \
         document.getElementById('translation-connect-fr') && \
         document.getElementById('translation-connect-fr').open",
    )
    .await;
    let saved = draft(&app, &t, &id).await;
    assert_eq!(
        saved["cards"][0]["translations"],
        json!({"fr": {"text": "Parler à un commercial ?", "fallback_message": null}}),
        "{saved}"
    );
    assert_eq!(
        saved["cards"][0]["choices"][0]["translations"],
        json!({"fr": {"label": "Oui, volontiers"}})
    );
    assert_eq!(saved["cards"][0]["choices"][1]["translations"], json!({}));
    assert_eq!(
        saved["cards"][2]["translations"]["fr"]["fallback_message"],
        "Personne n’est libre : nous vous écrirons."
    );
    browser
        .execute(
            "document.getElementById('translation-connect-fr').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    both_widths_at(
        &browser,
        &format!("designer-texts-{lang}"),
        Some("card-ask"),
    )
    .await;
    let found = axe(&browser, &axe_js, &format!("designer texts ({lang})")).await;
    assert!(found.is_empty(), "{found:#?}");

    // Published, a French visitor reads them; an English one the card's own.
    let key = publish_draft(&app, &t, &id).await;
    for (language, text, label) in [
        ("fr-FR", "Parler à un commercial ?", "Oui, volontiers"),
        ("en-US", "Talk to sales?", "Yes please"),
    ] {
        let s = crate::helpers::widget::start_session_with(
            &app,
            json!({"widget_key": key}),
            &[("accept-language", language)],
        )
        .await;
        assert_eq!(s.body["card"]["text"], text, "{}", s.text);
        assert_eq!(s.body["card"]["choices"][0]["label"], label);
    }

    // A dialogue of a widget that speaks English only: no French fields, and a hint.
    widget_speaks(&app, &t, &["en"]).await;
    let other = app
        .post(
            "/api/v1/dialogues",
            &t.token,
            json!({"name": "Plain", "cards": [{"id": "hi", "kind": "message", "text": "Hi"}]}),
        )
        .await;
    browser
        .goto(&app.url(&format!("/console/dialogues/{}", other.id())))
        .await
        .unwrap();
    let hint = until(
        &browser,
        "the one-language hint",
        "document.getElementById('one-language') && \
         !document.querySelector('details.translation') && \
         document.querySelector('#one-language a').getAttribute('href') === '/console/widget' && \
         document.getElementById('one-language').textContent",
    )
    .await;
    assert!(
        hint.as_str()
            .unwrap()
            .contains(if lang == "fr" { "anglais" } else { "English" }),
        "{hint}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_designer_writes_a_card_s_french_texts_in_french() {
    texts_in_french("fr", "Textes pour les visiteurs en français").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_designer_writes_a_card_s_french_texts_in_english() {
    texts_in_french("en", "Texts for visitors who read French").await;
}
