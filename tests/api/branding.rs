//! A widget each workspace makes its own (issue 17 §2): its colour — refused, with nothing
//! changed, when white text on it fails WCAG AA — title, greeting, launcher corner, agents'
//! photos and languages, through the API and the console; the widget's look and texts in the
//! visitor's language; and in real browsers, French and English: the branded widget (colour,
//! corner, greeting, close button and Esc, times, bot/agent/system lines) and the console's
//! widget page with its live preview, checked with axe, at 1366 and 390 px.

use fantoccini::Client;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::axe::{axe, axe_source};
use crate::helpers::browser::{
    both_widths, click, console_login, shop_page, start_browser_in, texts, until,
};
use crate::helpers::widget::{publish, sales_dialogue};
use crate::helpers::{Reply, TestApp, spawn_app};

async fn config(app: &TestApp, key: &str, language: &str) -> Reply {
    let resp = app
        .client
        .get(app.url(&format!("/api/v1/widget/config?widget_key={key}")))
        .header("accept-language", language)
        .send()
        .await
        .unwrap();
    TestApp::reply(resp).await
}

/// The text of a widget message in a config's texts (a plain message: one string part).
fn plain(config: &Value, id: &str) -> String {
    config["texts"][id][0]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_colour_white_text_cannot_be_read_on_is_refused_and_the_look_is_kept() {
    let app = spawn_app().await;
    let t = app.create_tenant("brandapi").await;
    let s = app.get("/api/v1/settings", &t.token).await;
    assert_eq!(s.body["widget_color"], "#1d4ed8", "{}", s.text);
    assert_eq!(s.body["widget_position"], "right");
    assert_eq!(s.body["widget_agent_photos"], true);
    assert_eq!(s.body["widget_locales"], json!(["en", "fr"]));
    assert_eq!(s.body["widget_title"], Value::Null);
    // Yellow, light grey, white: white text on them fails 4.5:1.
    for light in ["#ffdd00", "#999999", "#fff", "#22c55e"] {
        let r = app
            .patch(
                "/api/v1/settings",
                &t.token,
                json!({"widget_color": light, "widget_title": "Changed"}),
            )
            .await;
        assert_eq!(r.status, 422, "{light}: {}", r.text);
        assert!(
            r.body["detail"].as_str().unwrap().contains("4.5:1"),
            "{}",
            r.text
        );
        assert_eq!(r.body["field"], "widget_color", "{}", r.text);
    }
    for bad in [
        json!({"widget_color": "blue"}),
        json!({"widget_color": "#12345"}),
        json!({"widget_position": "top"}),
        json!({"widget_locales": []}),
        json!({"widget_locales": ["de"]}),
        json!({"widget_title": "x".repeat(61)}),
        json!({"widget_greeting": "x".repeat(301)}),
        json!({"widget_agent_photos": "yes"}),
    ] {
        let r = app.patch("/api/v1/settings", &t.token, bad.clone()).await;
        assert!(
            r.status == 400 || r.status == 422,
            "{bad}: {} {}",
            r.status,
            r.text
        );
    }
    // Nothing of the refused changes stuck.
    let after = app.get("/api/v1/settings", &t.token).await;
    assert_eq!(after.body["widget_color"], "#1d4ed8");
    assert_eq!(after.body["widget_title"], Value::Null);

    let ok = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({
                "widget_color": "#0F766E",
                "widget_title": "  Talk to Acme  ",
                "widget_greeting": "Hi! Questions about an order?",
                "widget_position": "left",
                "widget_agent_photos": false,
                "widget_locales": ["fr", "fr"],
            }),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.body["widget_color"], "#0f766e");
    assert_eq!(ok.body["widget_title"], "Talk to Acme");
    assert_eq!(ok.body["widget_greeting"], "Hi! Questions about an order?");
    assert_eq!(ok.body["widget_position"], "left");
    assert_eq!(ok.body["widget_agent_photos"], false);
    assert_eq!(ok.body["widget_locales"], json!(["fr"]));
    // An empty title and greeting go back to the defaults.
    let cleared = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"widget_title": "", "widget_greeting": " "}),
        )
        .await;
    assert_eq!(
        cleared.body["widget_title"],
        Value::Null,
        "{}",
        cleared.text
    );
    assert_eq!(cleared.body["widget_greeting"], Value::Null);
}

#[tokio::test]
async fn the_widget_s_look_comes_in_the_visitor_s_language_among_the_workspace_s() {
    let app = spawn_app().await;
    let t = app.create_tenant("brandcfg").await;
    let key = app.get("/api/v1/settings", &t.token).await.body["widget_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let fr = config(&app, &key, "fr-FR,fr;q=0.9,en;q=0.5").await;
    assert_eq!(fr.status, 200, "{}", fr.text);
    assert_eq!(fr.body["locale"], "fr");
    assert_eq!(fr.body["title"], "Discutons");
    assert_eq!(fr.body["color"], "#1d4ed8");
    assert_eq!(plain(&fr.body, "widget-send"), "Envoyer");
    let en = config(&app, &key, "en-GB").await;
    assert_eq!(en.body["locale"], "en");
    assert_eq!(en.body["title"], "Chat with us");
    assert_eq!(plain(&en.body, "widget-send"), "Send");
    // A plural is sent as a choice the widget makes with the number.
    let stars = &en.body["texts"]["widget-stars"][0];
    assert_eq!(stars["s"], "count");
    assert_eq!(stars["k"]["one"], json!([{"v": "count"}, " star"]));
    // A language the widget does not speak: the workspace's default.
    assert_eq!(config(&app, &key, "de-DE").await.body["locale"], "en");
    app.patch(
        "/api/v1/settings",
        &t.token,
        json!({"default_locale": "fr"}),
    )
    .await;
    assert_eq!(config(&app, &key, "de-DE").await.body["locale"], "fr");
    // A widget that speaks French only answers English browsers in French, with its title.
    app.patch(
        "/api/v1/settings",
        &t.token,
        json!({"widget_locales": ["fr"], "widget_title": "Parlons-en", "widget_position": "left"}),
    )
    .await;
    let only = config(&app, &key, "en-US").await;
    assert_eq!(only.body["locale"], "fr");
    assert_eq!(only.body["title"], "Parlons-en");
    assert_eq!(only.body["position"], "left");
    // Unknown keys and sites the workspace does not allow get nothing.
    assert_eq!(config(&app, "wk_nope", "en").await.status, 404);
    app.patch(
        "/api/v1/settings",
        &t.token,
        json!({"widget_allowed_origins": ["https://shop.example.com"]}),
    )
    .await;
    let elsewhere = app
        .client
        .request(
            Method::GET,
            app.url(&format!("/api/v1/widget/config?widget_key={key}")),
        )
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), 403);
}

/// The visitor's widget on a shop page: colour, corner, greeting, title, then the dialogue
/// with times and distinct bot lines; Esc closes it.
async fn visit_branded_widget(app: &TestApp, key: &str, lang: &str, label: &str) -> Vec<String> {
    let (_driver, visitor) = start_browser_in(lang).await;
    visitor
        .goto(&shop_page(&app.base, key).await)
        .await
        .unwrap();
    until(
        &visitor,
        "the launcher",
        "document.querySelector('.sbw-bubble')",
    )
    .await;
    let look = visitor
        .execute(
            "const b = document.querySelector('.sbw-bubble');
             const r = b.getBoundingClientRect();
             return [getComputedStyle(b).backgroundColor, r.left < innerWidth / 2, b.getAttribute('aria-label')];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(look[0], "rgb(15, 118, 110)", "{look}");
    assert_eq!(look[1], true, "the launcher sits bottom left: {look}");
    click(&visitor, ".sbw-bubble").await;
    until(
        &visitor,
        "the first card",
        &format!("{}.includes('Talk to sales?')", texts(".sbw-bot")),
    )
    .await;
    let panel = visitor
        .execute(
            "return [document.querySelector('.sbw-title').textContent,
                     document.querySelector('.sbw-greeting').textContent,
                     document.querySelector('.sbw-close').getAttribute('aria-label'),
                     document.querySelectorAll('.sbw-row-bot .sbw-name').length,
                     document.querySelector('.sbw-row-bot .sbw-time').textContent,
                     getComputedStyle(document.querySelector('.sbw-head')).backgroundColor];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        panel[1], "Bonjour ! Une question sur une commande ?",
        "{panel}"
    );
    assert_eq!(panel[3], 1, "the bot is named once: {panel}");
    assert!(
        panel[4]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| c.is_ascii_digit()),
        "a time beside the message: {panel}"
    );
    assert_eq!(panel[5], "rgb(15, 118, 110)", "{panel}");
    both_widths(&visitor, &format!("brand-widget-{label}")).await;
    let mut violations = axe(&visitor, &axe_source(), &format!("widget {label}")).await;
    // Esc closes the panel and gives the focus back to the launcher.
    visitor
        .execute(
            "document.querySelector('.sbw-panel').dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));",
            vec![],
        )
        .await
        .unwrap();
    until(
        &visitor,
        "the panel closed by Esc",
        "!document.querySelector('.sbw-panel').classList.contains('sbw-open') && document.activeElement === document.querySelector('.sbw-bubble')",
    )
    .await;
    let mut said = vec![
        panel[0].as_str().unwrap().to_owned(),
        panel[2].as_str().unwrap().to_owned(),
    ];
    said.append(&mut violations);
    visitor.close().await.unwrap();
    said
}

#[tokio::test]
async fn a_branded_widget_speaks_the_visitor_s_language_in_a_real_browser() {
    let app = spawn_app().await;
    let t = app.create_tenant("brandweb").await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({
                "widget_color": "#0f766e",
                "widget_position": "left",
                "widget_greeting": "Bonjour ! Une question sur une commande ?",
            }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let fr = visit_branded_widget(&app, &key, "fr", "fr").await;
    assert_eq!(fr[0], "Discutons", "{fr:?}");
    assert_eq!(fr[1], "Fermer la discussion", "{fr:?}");
    assert!(fr.len() == 2, "axe: {:?}", &fr[2..]);
    let en = visit_branded_widget(&app, &key, "en", "en").await;
    assert_eq!(en[0], "Chat with us", "{en:?}");
    assert_eq!(en[1], "Close the chat", "{en:?}");
    assert!(en.len() == 2, "axe: {:?}", &en[2..]);
}

/// The console's widget page in `lang`: a poor colour refused beside its field in that
/// language with nothing saved; a good one previewed live, then saved.
async fn brand_in_console(app: &TestApp, browser: &Client, lang: &str, refusal: &str) {
    let t = app.create_tenant(&format!("brandui{lang}")).await;
    console_login(browser, &app.base, &t.slug, &t.admin_email).await;
    browser.goto(&app.url("/console/widget")).await.unwrap();
    until(
        browser,
        "the widget page",
        "document.getElementById('brand-form')",
    )
    .await;
    // The preview frame draws the real widget, open, with a sample conversation.
    until(
        browser,
        "the preview",
        "(() => { const d = document.getElementById('widget-preview').contentDocument; return !!(d && d.querySelector('.sbw-panel.sbw-open .sbw-agent')); })()",
    )
    .await;
    let mut violations = axe(browser, &axe_source(), &format!("widget page {lang}")).await;
    both_widths(browser, &format!("brand-console-{lang}")).await;
    // Typing a colour updates the preview before anything is saved.
    browser
        .execute(
            "const c = document.getElementById('color'); c.value = '#7c2d12'; c.dispatchEvent(new Event('input', {bubbles: true}));
             document.querySelector('input[name=position][value=left]').click();",
            vec![],
        )
        .await
        .unwrap();
    until(
        browser,
        "the preview in the new colour, bottom left",
        "(() => { const d = document.getElementById('widget-preview').contentDocument; const b = d && d.querySelector('.sbw-bubble.sbw-left'); return b && d.defaultView.getComputedStyle(b).backgroundColor === 'rgb(124, 45, 18)'; })()",
    )
    .await;
    let saved = app.get("/api/v1/settings", &t.token).await;
    assert_eq!(
        saved.body["widget_color"], "#1d4ed8",
        "a preview saves nothing"
    );
    // A yellow white text cannot be read on: refused beside the field, in the reader's language.
    browser
        .execute(
            "document.getElementById('color').value = '#ffdd00'; document.querySelector('#brand-form button[type=submit]').click();",
            vec![],
        )
        .await
        .unwrap();
    let error = until(
        browser,
        "the colour's refusal",
        "document.getElementById('color-error') && document.getElementById('color-error').textContent",
    )
    .await;
    assert!(error.as_str().unwrap().contains(refusal), "{error}");
    assert!(error.as_str().unwrap().contains("4"), "{error}");
    both_widths(browser, &format!("brand-console-refused-{lang}")).await;
    violations.append(&mut axe(browser, &axe_source(), &format!("refused {lang}")).await);
    let after = app.get("/api/v1/settings", &t.token).await;
    assert_eq!(after.body["widget_color"], "#1d4ed8", "nothing saved");
    assert_eq!(after.body["widget_position"], "right", "nothing saved");
    // A readable colour is saved with the rest of the form.
    browser
        .execute(
            "document.getElementById('color').value = '#7c2d12'; document.getElementById('title').value = 'Acme';
             document.querySelector('#brand-form button[type=submit]').click();",
            vec![],
        )
        .await
        .unwrap();
    until(browser, "the notice", "document.querySelector('.notice')").await;
    let after = app.get("/api/v1/settings", &t.token).await;
    assert_eq!(after.body["widget_color"], "#7c2d12", "{}", after.text);
    assert_eq!(after.body["widget_position"], "left");
    assert_eq!(after.body["widget_title"], "Acme");
    assert!(violations.is_empty(), "{violations:?}");
    click(browser, "form.logout button").await;
    until(
        browser,
        "logged out",
        "location.pathname === '/console/login'",
    )
    .await;
}

#[tokio::test]
async fn admins_brand_the_widget_in_the_console_with_a_live_preview_in_both_languages() {
    let app = spawn_app().await;
    let (_fr_driver, fr) = start_browser_in("fr").await;
    brand_in_console(&app, &fr, "fr", "plus foncée").await;
    let (_en_driver, en) = start_browser_in("en").await;
    brand_in_console(&app, &en, "en", "Choose a darker colour").await;
}

#[tokio::test]
async fn a_workspace_that_hides_agents_photos_never_serves_them_to_visitors() {
    let app = spawn_app().await;
    let t = app.create_tenant("nophotos").await;
    let (agent_id, agent_token) = crate::helpers::agents::available_agents(&app, &t, 1)
        .await
        .remove(0);
    let up = app
        .send_raw(
            Method::PUT,
            &format!("/api/v1/users/{agent_id}/avatar"),
            Some(&agent_token),
            "image/png",
            crate::helpers::tiny_png(),
        )
        .await;
    assert_eq!(up.status, 204, "{}", up.text);
    let path = format!("/api/v1/widget/agents/{agent_id}/avatar");
    let shown = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(shown.status(), 200);
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"widget_agent_photos": false}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let hidden = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(
        hidden.status(),
        404,
        "the photo is not served once photos are off"
    );
}
