//! French and English (issue 17, first part): a user's language and time zone, the
//! workspace's default language, emails in each recipient's language with times in their
//! zone, push notifications in the agent's, and the console's frame and login page in the
//! language the browser asks for (or the user chose), checked with axe in both.

use std::time::Duration;

use serde_json::json;

use crate::helpers::agents::available_agents;
use crate::helpers::axe::{axe, axe_source};
use crate::helpers::browser::{both_widths, click, console_login, start_browser_in, texts, until};
use crate::helpers::smtp::SmtpSink;
use crate::helpers::widget::{publish, sales_dialogue};
use crate::helpers::{free_port, spawn_app, spawn_app_with};
use crate::mail::missed_chat;

#[tokio::test]
async fn a_user_chooses_a_language_and_a_time_zone_and_bad_ones_change_nothing() {
    let app = spawn_app().await;
    let t = app.create_tenant("lang").await;
    let me = app.get("/api/v1/me", &t.token).await;
    assert_eq!(
        me.body["locale"],
        json!({"locale": null, "timezone": null}),
        "{}",
        me.text
    );
    let r = app
        .put_json(
            "/api/v1/me/locale",
            &t.token,
            json!({"locale": "fr", "timezone": "Europe/Paris"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, json!({"locale": "fr", "timezone": "Europe/Paris"}));
    for bad in [
        json!({"locale": "de"}),
        json!({"locale": "FR"}),
        json!({"locale": "fr", "timezone": "Mars/Olympus"}),
        json!({"timezone": "x".repeat(65)}),
        json!({"locale": 3}),
        json!({"language": "fr"}),
    ] {
        let r = app
            .put_json("/api/v1/me/locale", &t.token, bad.clone())
            .await;
        assert!(
            r.status == 400 || r.status == 422,
            "{bad}: {} {}",
            r.status,
            r.text
        );
        assert_eq!(
            r.body["type"].as_str().map(|t| t.starts_with("https://")),
            Some(true),
            "a problem: {}",
            r.text
        );
    }
    let me = app.get("/api/v1/me", &t.token).await;
    assert_eq!(
        me.body["locale"],
        json!({"locale": "fr", "timezone": "Europe/Paris"}),
        "unchanged by the refused ones"
    );
    // Back to the browser's.
    let r = app.put_json("/api/v1/me/locale", &t.token, json!({})).await;
    assert_eq!(
        r.body,
        json!({"locale": null, "timezone": null}),
        "{}",
        r.text
    );

    // The workspace's default language.
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"default_locale": "fr"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["default_locale"], "fr");
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"default_locale": "de"}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let s = app.get("/api/v1/settings", &t.token).await;
    assert_eq!(s.body["default_locale"], "fr");
}

#[tokio::test]
async fn each_recipient_reads_the_missed_chat_email_in_their_language_and_time_zone() {
    let port = free_port();
    let app = spawn_app_with(move |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.smtp_from = "Switchboard <alerts@switchboard.example.com>".into();
        c.mail_retry_seconds = 1;
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(port, dir.path());
    let t = app.create_tenant("bilingue").await;
    let agents = available_agents(&app, &t, 1).await;
    // The workspace speaks French; the agent chose English and New York time.
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"default_locale": "fr", "accept_timeout_seconds": 1}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = app
        .put_json(
            "/api/v1/me/locale",
            &agents[0].1,
            json!({"locale": "en", "timezone": "America/New_York"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let id = missed_chat(&app, &t, &key).await;
    let got = sink.wait_for(2, Duration::from_secs(15)).await;
    let to = |who: &str| {
        got.iter()
            .find(|m| m["rcpt_tos"][0] == who)
            .unwrap_or_else(|| panic!("no email to {who}: {got:?}"))
    };
    let owner = to(&t.admin_email);
    assert_eq!(
        owner["subject"],
        "Conversation manquée avec ada@example.com : aucun agent n’a accepté à temps"
    );
    let text = owner["text"].as_str().unwrap();
    for line in [
        "Prénom : Ada",
        "E-mail : ada@example.com",
        "Pays : FR",
        "Proposée à, sans réponse de : agent0",
        "La conversation jusqu’ici",
        &format!("/console/conversations/{id}"),
    ] {
        assert!(text.contains(line), "{line:?} missing from\n{text}");
    }
    assert!(
        owner["html"]
            .as_str()
            .unwrap()
            .contains("<html lang=\"fr\">")
    );
    let agent = to(&format!("agent0@{}.example.com", t.slug));
    assert_eq!(
        agent["subject"],
        "Missed live chat with ada@example.com: no agent accepted in time"
    );
    let text = agent["text"].as_str().unwrap();
    assert!(text.contains("First name: Ada"), "{text}");
    // Times in New York: the message's minute, as 12-hour time.
    let c = app
        .get(&format!("/api/v1/conversations/{id}/messages"), &t.token)
        .await;
    let first: chrono::DateTime<chrono::Utc> = c.body["items"][0]["sent_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let ny = first.with_timezone(&chrono_tz::America::New_York);
    let shown = ny.format("%-I:%M %p").to_string();
    assert!(text.contains(&shown), "{shown} missing from\n{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_speaks_the_browsers_language_until_the_user_chooses_one() {
    let app = spawn_app().await;
    let t = app.create_tenant("francais").await;
    let (_d, browser) = start_browser_in("fr").await;
    let axe_js = axe_source();
    let mut found = Vec::new();

    // Not signed in: the login page in French.
    browser.goto(&app.url("/console/login")).await.unwrap();
    until(
        &browser,
        "the French login page",
        "document.documentElement.lang === 'fr' && document.querySelector('h1').textContent === 'Connectez-vous à votre espace'",
    )
    .await;
    both_widths(&browser, "i18n-login-fr").await;
    found.extend(axe(&browser, &axe_js, "login (fr)").await);

    // Signed in, no choice made: the console's frame in French.
    console_login(&browser, &app.base, &t.slug, &t.admin_email).await;
    until(
        &browser,
        "the French navigation",
        &format!(
            "{}.includes('Tableau de bord') && {}.includes('Se déconnecter')",
            texts("nav a"),
            texts("button")
        ),
    )
    .await;
    found.extend(axe(&browser, &axe_js, "dashboard (fr)").await);

    // The account page: choose English and a zone; the next page is in English.
    browser.goto(&app.url("/console/account")).await.unwrap();
    until(
        &browser,
        "the language form",
        "document.getElementById('locale') !== null",
    )
    .await;
    both_widths(&browser, "i18n-account-fr").await;
    found.extend(axe(&browser, &axe_js, "account (fr)").await);
    browser
        .execute(
            "document.getElementById('locale').value = 'en';
             document.getElementById('timezone').value = 'Europe/Paris';",
            vec![],
        )
        .await
        .unwrap();
    click(
        &browser,
        "form[action='/console/account/locale'] button[type=submit]",
    )
    .await;
    until(
        &browser,
        "the account page in English, saying it was saved",
        "document.documentElement.lang === 'en' && document.querySelector('.notice') !== null && document.querySelector('.notice').textContent.includes('Language and time zone saved')",
    )
    .await;
    both_widths(&browser, "i18n-account-en").await;
    found.extend(axe(&browser, &axe_js, "account (en)").await);
    let me = app.get("/api/v1/me", &t.token).await;
    assert_eq!(
        me.body["locale"],
        json!({"locale": "en", "timezone": "Europe/Paris"})
    );
    // The browser's zone reached the server as a cookie (for users who chose none).
    let zone = browser
        .execute("return document.cookie", vec![])
        .await
        .unwrap();
    assert!(zone.as_str().unwrap().contains("sb_tz="), "{zone}");
    assert!(found.is_empty(), "{found:#?}");
}

/// The inbox in French for a French agent: the page, an offer with its countdown, the chat's
/// messages, the visitor's details and the waiting time, from the catalogue; axe in French.
#[tokio::test]
async fn the_inbox_speaks_french_to_a_french_agent() {
    let app = spawn_app().await;
    let t = app.create_tenant("boite").await;
    available_agents(&app, &t, 1).await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let (_driver, inbox) = start_browser_in("fr").await;
    console_login(&inbox, &app.base, &t.slug, "agent0@boite.example.com").await;
    until(
        &inbox,
        "the inbox connected, in French",
        "document.getElementById('sb-connection') && document.getElementById('sb-connection').textContent === 'Connecté'",
    )
    .await;
    let page = inbox
        .execute(
            "return [document.querySelector('h1').textContent, document.getElementById('sb-live-empty').textContent, document.documentElement.lang];",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        page[0].as_str().unwrap().starts_with("Boîte de réception"),
        "{page}"
    );
    assert!(
        page[1]
            .as_str()
            .unwrap()
            .starts_with("Aucune discussion en cours"),
        "{page}"
    );
    assert_eq!(page[2], "fr");
    let mut violations = axe(&inbox, &axe_source(), "inbox fr").await;
    // A visitor asks for an agent: the offer, in French.
    let s =
        crate::helpers::widget::start_session(&app, json!({"widget_key": key}), Some("FR")).await;
    crate::helpers::widget::answer(&app, &s.body, json!({"card_id": "ask", "choice": "yes"})).await;
    crate::helpers::widget::answer(
        &app,
        &s.body,
        json!({"card_id": "form", "fields": {"first_name": "Zoé", "email": "zoe@example.com"}}),
    )
    .await;
    until(
        &inbox,
        "the French offer",
        &format!(
            "{}.some(t => t.includes('Zoé') && t.includes('souhaite discuter') && t.includes('encore'))",
            texts(".offer-banner")
        ),
    )
    .await;
    let buttons = inbox
        .execute(
            "return Array.from(document.querySelectorAll('.offer-banner button')).map(b => b.textContent);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(buttons, json!(["Accepter", "Refuser"]));
    both_widths(&inbox, "inbox-offer-fr").await;
    violations.append(&mut axe(&inbox, &axe_source(), "inbox offer fr").await);
    click(&inbox, ".offer-banner button.accept").await;
    until(
        &inbox,
        "the chat open, with the bot's lines named in French",
        &format!("{}.includes('Robot')", texts("#sb-messages .who")),
    )
    .await;
    let details = inbox
        .execute(
            "return [Array.from(document.querySelectorAll('#sb-details dt')).map(e => e.textContent), document.getElementById('sb-text').placeholder];",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        details[0].as_array().unwrap().iter().any(|d| d == "Prénom"),
        "{details}"
    );
    assert!(
        details[1]
            .as_str()
            .unwrap()
            .starts_with("Écrivez un message"),
        "{details}"
    );
    until(
        &inbox,
        "the waiting time in French",
        &format!(
            "{}.some(t => t.startsWith('attend depuis'))",
            texts("#sb-live .chat-wait")
        ),
    )
    .await;
    both_widths(&inbox, "inbox-chat-fr").await;
    violations.append(&mut axe(&inbox, &axe_source(), "inbox chat fr").await);
    assert!(violations.is_empty(), "{violations:?}");
}

/// The lines the server writes into a conversation are in its visitor's language (their
/// browser's among the widget's), else the workspace's default.
#[tokio::test]
async fn the_server_s_lines_are_in_the_visitor_s_language() {
    let app = spawn_app().await;
    let t = app.create_tenant("lignes").await;
    available_agents(&app, &t, 1).await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    for (language, said) in [
        ("fr-CA,fr;q=0.9", "Le visiteur a terminé la discussion."),
        ("en-US", "The visitor ended the chat."),
        ("de-DE", "The visitor ended the chat."),
    ] {
        let waiting = crate::helpers::widget::walk_to_live_chat_with(
            &app,
            &key,
            &[("accept-language", language)],
        )
        .await;
        let id = waiting.body["conversation_id"].as_str().unwrap().to_owned();
        let token = waiting.body["visitor_token"].as_str().unwrap().to_owned();
        let r = app
            .post(
                &format!("/api/v1/widget/conversations/{id}/end"),
                &token,
                json!({}),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);
        let messages = app
            .get(
                &format!("/api/v1/widget/conversations/{id}/messages"),
                &token,
            )
            .await;
        let last = messages.body["items"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert_eq!(last["sender"], "system", "{}", messages.text);
        assert_eq!(last["body"], said, "{language}");
    }
}

/// A dialogue whose cards carry French texts, but for the last card and one choice.
fn bilingual_dialogue() -> serde_json::Value {
    json!({"name": "Bilingual", "cards": [
        {"id": "welcome", "kind": "message", "text": "Hello!", "next": "ask",
         "translations": {"fr": {"text": "Bonjour !"}}},
        {"id": "ask", "kind": "question", "text": "Talk to sales?",
         "translations": {"fr": {"text": "Parler à un commercial ?"}},
         "choices": [
            {"id": "yes", "label": "Yes", "next": "connect",
             "translations": {"fr": {"label": "Oui"}}},
            {"id": "no", "label": "No", "next": "bye"}]},
        {"id": "connect", "kind": "live_chat", "routing": {"mode": "round_robin"},
         "text": "Connecting you.", "fallback_message": "Nobody is free.",
         "translations": {"fr": {"text": "Nous vous mettons en relation.",
                                 "fallback_message": "Personne n’est disponible."}}},
        {"id": "bye", "kind": "message", "text": "Goodbye."}]})
}

#[tokio::test]
async fn dialogue_cards_speak_the_visitor_s_language_else_their_own() {
    let app = spawn_app().await;
    let t = app.create_tenant("cartes").await;
    let d = app
        .post("/api/v1/dialogues", &t.token, bilingual_dialogue())
        .await;
    assert_eq!(d.status, 201, "{}", d.text);
    // The API gives the translations back as written; a card without any has `{}`.
    let read = app
        .get(&format!("/api/v1/dialogues/{}", d.id()), &t.token)
        .await;
    let cards = &read.body["cards"];
    assert_eq!(cards[0]["translations"]["fr"]["text"], "Bonjour !");
    assert_eq!(cards[1]["choices"][0]["translations"]["fr"]["label"], "Oui");
    assert_eq!(cards[1]["choices"][1]["translations"], json!({}));
    assert_eq!(
        cards[2]["translations"]["fr"]["fallback_message"],
        "Personne n’est disponible."
    );
    assert_eq!(cards[3]["translations"], json!({}));
    let key = publish(&app, &t, bilingual_dialogue()).await;

    // No agent is free: the live-chat card falls back with its own message.
    let walk = |language: &'static str| {
        let (app, key) = (&app, key.clone());
        async move {
            let headers = [("accept-language", language)];
            let start = crate::helpers::widget::start_session_with(
                app,
                json!({"widget_key": key}),
                &headers,
            )
            .await;
            assert_eq!(start.status, 200, "{}", start.text);
            let welcome = start.body["card"]["text"].clone();
            let ask =
                crate::helpers::widget::answer(app, &start.body, json!({"card_id": "welcome"}))
                    .await;
            assert_eq!(ask.status, 200, "{}", ask.text);
            let labels: Vec<serde_json::Value> = ask.body["card"]["choices"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["label"].clone())
                .collect();
            let end = crate::helpers::widget::answer(
                app,
                &start.body,
                json!({"card_id": "ask", "choice": "yes"}),
            )
            .await;
            assert_eq!(end.status, 200, "{}", end.text);
            assert_eq!(end.body["status"], "fallback", "{}", end.text);
            let id = start.body["conversation_id"].as_str().unwrap().to_owned();
            let transcript = app
                .get(
                    &format!("/api/v1/widget/conversations/{id}/messages"),
                    start.body["visitor_token"].as_str().unwrap(),
                )
                .await;
            let lines: Vec<(String, String)> = transcript.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|m| m["sender"] != "system")
                .map(|m| {
                    (
                        m["sender"].as_str().unwrap().to_owned(),
                        m["body"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            (
                welcome,
                ask.body["card"]["text"].clone(),
                labels,
                end.body["fallback_message"].clone(),
                lines,
                id,
            )
        }
    };
    let line = |who: &str, what: &str| (who.to_owned(), what.to_owned());

    let (welcome, ask, labels, fallback, lines, id) = walk("fr-CA,fr;q=0.9").await;
    assert_eq!(welcome, "Bonjour !");
    assert_eq!(ask, "Parler à un commercial ?");
    // A choice without a French label reads in the card's own words.
    assert_eq!(labels, [json!("Oui"), json!("No")]);
    assert_eq!(fallback, "Personne n’est disponible.");
    assert_eq!(
        lines,
        [
            line("bot", "Bonjour !"),
            line("bot", "Parler à un commercial ?"),
            line("visitor", "Oui"),
            line("bot", "Nous vous mettons en relation."),
        ]
    );
    // Agents read the transcript as the visitor did.
    let agents_view = app
        .get(&format!("/api/v1/conversations/{id}/messages"), &t.token)
        .await;
    assert_eq!(
        agents_view.body["items"][2]["body"], "Oui",
        "{}",
        agents_view.text
    );

    for other in ["en-GB", "de-DE"] {
        let (welcome, ask, labels, fallback, lines, _) = walk(other).await;
        assert_eq!(welcome, "Hello!", "{other}");
        assert_eq!(ask, "Talk to sales?");
        assert_eq!(labels, [json!("Yes"), json!("No")]);
        assert_eq!(fallback, "Nobody is free.");
        assert_eq!(
            lines,
            [
                line("bot", "Hello!"),
                line("bot", "Talk to sales?"),
                line("visitor", "Yes"),
                line("bot", "Connecting you."),
            ]
        );
    }

    // A widget that speaks English only: a French browser reads the cards' own words.
    crate::helpers::widget::widget_speaks(&app, &t, &["en"]).await;
    let (welcome, _, labels, fallback, _, _) = walk("fr-FR").await;
    assert_eq!(welcome, "Hello!");
    assert_eq!(labels, [json!("Yes"), json!("No")]);
    assert_eq!(fallback, "Nobody is free.");
}

#[tokio::test]
async fn bad_card_translations_are_refused_naming_the_field_and_nothing_is_saved() {
    let app = spawn_app().await;
    let t = app.create_tenant("refus").await;
    let with = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut d = bilingual_dialogue();
        f(&mut d);
        d
    };
    let long = "x".repeat(2001);
    for (dialogue, field) in [
        (
            with(&|d| d["cards"][0]["translations"] = json!({"de": {"text": "Hallo"}})),
            "cards[0].translations.de",
        ),
        (
            with(&|d| {
                d["cards"][0]["translations"]["fr"]["fallback_message"] = json!("Non");
            }),
            "cards[0].translations.fr.fallback_message",
        ),
        (
            with(&|d| d["cards"][2]["translations"]["fr"]["text"] = json!(long.clone())),
            "cards[2].translations.fr.text",
        ),
        (
            with(&|d| {
                d["cards"][1]["choices"][1]["translations"] =
                    json!({"fr": {"label": "y".repeat(201)}});
            }),
            "cards[1].choices[1].translations.fr.label",
        ),
        (
            with(&|d| {
                d["cards"][1]["choices"][1]["translations"] = json!({"xx-YY": {"label": "Non"}});
            }),
            "cards[1].choices[1].translations.xx-YY",
        ),
    ] {
        let r = app.post("/api/v1/dialogues", &t.token, dialogue).await;
        assert_eq!(r.status, 422, "{field}: {}", r.text);
        assert!(
            r.text.contains(field),
            "the problem names {field}: {}",
            r.text
        );
    }
    // An unknown field inside a translation is refused too.
    let r = app
        .post(
            "/api/v1/dialogues",
            &t.token,
            with(&|d| d["cards"][0]["translations"]["fr"]["label"] = json!("?")),
        )
        .await;
    assert!(r.status == 400 || r.status == 422, "{}", r.text);
    let list = app.get("/api/v1/dialogues", &t.token).await;
    assert_eq!(list.body["items"], json!([]), "{}", list.text);
}

#[tokio::test]
async fn the_built_in_fallback_message_speaks_the_visitor_s_language_until_the_workspace_writes_its_own()
 {
    let app = spawn_app().await;
    let t = app.create_tenant("repli").await;
    let key = publish(&app, &t, crate::helpers::widget::straight_to_live_chat()).await;
    // Nobody is available: the fallback at once, with the workspace's message.
    let fallback = |language: &'static str| {
        let (app, key) = (&app, key.clone());
        async move {
            let s = crate::helpers::widget::start_session_with(
                app,
                json!({"widget_key": key}),
                &[("accept-language", language)],
            )
            .await;
            assert_eq!(s.body["status"], "fallback", "{}", s.text);
            s.body["fallback_message"].as_str().unwrap().to_owned()
        }
    };
    assert_eq!(
        fallback("en-US").await,
        switchboard_core::settings::DEFAULT_GLOBAL_FALLBACK_MESSAGE
    );
    assert!(
        fallback("fr-FR")
            .await
            .starts_with("Merci de nous avoir contactés !"),
        "the built-in message in French"
    );
    // The settings page says so beside the message while it is the built-in one.
    use crate::helpers::console::{console_login, page};
    let b = console_login(&app, &t.slug, &t.admin_email).await;
    let (_, html) = page(&app, &b, "/console/settings").await;
    assert!(html.contains("id=\"fallback-built-in\""), "{html}");
    // The workspace's own words are its visitors', whatever their language.
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"global_fallback_message": "Écrivez-nous à ventes@example.com."}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    for language in ["fr-FR", "en-US"] {
        assert_eq!(
            fallback(language).await,
            "Écrivez-nous à ventes@example.com."
        );
    }
    let (_, html) = page(&app, &b, "/console/settings").await;
    assert!(!html.contains("id=\"fallback-built-in\""), "{html}");
    assert!(html.contains("id=\"outside-built-in\""), "{html}");
}
