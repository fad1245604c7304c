//! The data pages in a French browser, then in English (issue 17 §3): webhooks, a webhook's
//! deliveries, API keys, the audit log, privacy, the platform's tenants, and the anonymous
//! password-reset and invitation pages — empty states, a destructive action confirmed with
//! the script (the browser's dialog) and without it (the server's question page), notices
//! that say what happened. Every page is checked with axe in both languages and
//! screenshotted at 1366 and 390 px (`test-artifacts/data-*`).

use fantoccini::Client;
use serde_json::json;

use crate::helpers::axe::{axe_source, inspect, visit_and_inspect};
use crate::helpers::browser::{
    click, console_login, start_browser, start_browser_in, type_into, until,
};
use crate::helpers::{OPERATOR_EMAIL, OPERATOR_PASSWORD, TestApp, spawn_app};

/// Goes to `path`, waits until `ready` (a JS expression) holds, screenshots the page at both
/// widths, checks that it fits and collects axe's findings.
async fn look(
    app: &TestApp,
    browser: &Client,
    axe_js: &str,
    path: &str,
    ready: &str,
    name: &str,
    found: &mut Vec<String>,
) {
    let url = app.url(path);
    visit_and_inspect(browser, &url, ready, axe_js, &format!("data-{name}"), found).await;
}

fn h1_is(text: &str) -> String {
    format!("document.querySelector('h1') && document.querySelector('h1').textContent === {text:?}")
}

fn notice_has(text: &str) -> String {
    format!(
        "document.querySelector('.notice') && document.querySelector('.notice').textContent.includes({text:?})"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_french_admin_runs_the_data_pages_and_every_page_passes_axe_in_both_languages() {
    let app = spawn_app().await;
    let t = app.create_tenant("donnees").await;
    let invited = app
        .post(
            "/api/v1/users",
            &t.token,
            json!({"email": "lea@donnees.example.com", "display_name": "Léa", "role": "agent"}),
        )
        .await;
    assert_eq!(invited.status, 201, "{}", invited.text);
    let invitation = invited.body["invitation_url"].as_str().unwrap().to_owned();
    let invitation_path = invitation[invitation.find("/console/").unwrap()..].to_owned();
    let axe_js = axe_source();
    let mut found = Vec::new();
    let (_d, browser) = start_browser_in("fr").await;

    // Not signed in: the password-reset and invitation pages in French.
    look(
        &app,
        &browser,
        &axe_js,
        "/console/password-reset",
        &h1_is("Mot de passe oublié ?"),
        "reset-fr",
        &mut found,
    )
    .await;
    look(
        &app,
        &browser,
        &axe_js,
        "/console/password-reset?token=pas-un-jeton",
        &h1_is("Ce lien n’est pas valide"),
        "reset-gone-fr",
        &mut found,
    )
    .await;
    look(
        &app,
        &browser,
        &axe_js,
        &invitation_path,
        &format!(
            "{} && document.body.textContent.includes('Vous êtes invité dans donnees Inc.')",
            h1_is("Choisissez votre mot de passe")
        ),
        "invitation-fr",
        &mut found,
    )
    .await;
    console_login(&browser, &app.base, &t.slug, &t.admin_email).await;
    until(
        &browser,
        "the dashboard",
        "location.pathname === '/console'",
    )
    .await;

    // Webhooks: the empty state says what to do; add one; its deliveries are empty too.
    look(
        &app,
        &browser,
        &axe_js,
        "/console/webhooks",
        "document.querySelector('.empty-state') && document.querySelector('.empty-state').textContent.includes('Aucun webhook pour l’instant')",
        "webhooks-empty-fr",
        &mut found,
    )
    .await;
    type_into(&browser, "#url", "https://hooks.example.com/switchboard").await;
    click(&browser, "input[name=event_conversation_fallback]").await;
    click(
        &browser,
        "form[action='/console/webhooks'] button[type=submit]",
    )
    .await;
    until(
        &browser,
        "the secret, once",
        &format!(
            "{} && document.getElementById('webhook-secret').textContent.startsWith('whsec_')",
            notice_has("Webhook ajouté")
        ),
    )
    .await;
    inspect(&browser, &axe_js, "data-webhooks-fr", &mut found).await;
    let hook = app.get("/api/v1/webhooks", &t.token).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    look(
        &app,
        &browser,
        &axe_js,
        &format!("/console/webhooks/{hook}"),
        "document.querySelector('.empty-state') && document.querySelector('.empty-state').textContent.includes('Événements suivis : Une conversation n’a trouvé aucun agent.')",
        "webhook-fr",
        &mut found,
    )
    .await;
    // Deleting asks first (the browser's dialog): dismissed, nothing happens; accepted, gone.
    browser.goto(&app.url("/console/webhooks")).await.unwrap();
    click(&browser, "form[action$='/delete'] button").await;
    let asked = browser.get_alert_text().await.unwrap();
    assert!(
        asked.starts_with("Supprimer le webhook vers https://hooks.example.com/switchboard ?"),
        "{asked}"
    );
    browser.dismiss_alert().await.unwrap();
    assert_eq!(
        app.get("/api/v1/webhooks", &t.token).await.body["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    click(&browser, "form[action$='/delete'] button").await;
    browser.accept_alert().await.unwrap();
    until(
        &browser,
        "the deletion's notice",
        &notice_has("Webhook supprimé : ses événements ne sont plus envoyés."),
    )
    .await;
    assert_eq!(
        app.get("/api/v1/webhooks", &t.token).await.body["items"],
        json!([])
    );

    // API keys: empty, then one created; revoking without the script asks on a page.
    look(
        &app,
        &browser,
        &axe_js,
        "/console/api-keys",
        "document.querySelector('.empty-state') && document.querySelector('.empty-state').textContent.includes('Aucune clé pour l’instant')",
        "api-keys-empty-fr",
        &mut found,
    )
    .await;
    type_into(&browser, "#name", "Synchro CRM").await;
    click(
        &browser,
        "form[action='/console/api-keys'] button[type=submit]",
    )
    .await;
    until(
        &browser,
        "the new key",
        &format!(
            "{} && document.getElementById('secret').value.startsWith('sbk_')",
            notice_has("Clé d’API créée")
        ),
    )
    .await;
    inspect(&browser, &axe_js, "data-api-keys-fr", &mut found).await;
    // The form as a browser without the script sends it: no confirmation in it.
    browser
        .execute(
            "const f = document.querySelector('form[action$=\"/revoke\"]');
             const bare = f.cloneNode(true); f.replaceWith(bare); bare.submit();",
            vec![],
        )
        .await
        .unwrap();
    until(&browser, "the question", &h1_is("Révoquer la clé")).await;
    assert!(
        browser
            .execute("return document.body.textContent", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap()
            .contains("Révoquer la clé Synchro CRM ?")
    );
    inspect(&browser, &axe_js, "data-confirm-fr", &mut found).await;
    let keys = app.get("/api/v1/api-keys", &t.token).await;
    assert_eq!(keys.body["items"][0]["revoked_at"], json!(null), "not yet");
    click(&browser, ".confirm-step button[type=submit]").await;
    until(
        &browser,
        "the revocation's notice",
        &notice_has("Clé d’API révoquée"),
    )
    .await;
    let keys = app.get("/api/v1/api-keys", &t.token).await;
    assert!(
        keys.body["items"][0]["revoked_at"].is_string(),
        "{}",
        keys.text
    );

    // The audit log: names and words, filtered by an action chosen in the form.
    look(
        &app,
        &browser,
        &axe_js,
        "/console/audit-log",
        "document.querySelector('[data-action=\"api_key.revoked\"]') && document.querySelector('[data-action=\"api_key.revoked\"]').textContent === 'A révoqué une clé d’API'",
        "audit-fr",
        &mut found,
    )
    .await;
    browser
        .execute(
            "document.getElementById('action').value = 'webhook.deleted';",
            vec![],
        )
        .await
        .unwrap();
    click(&browser, ".audit-filters button[type=submit]").await;
    until(
        &browser,
        "only the webhook's deletion",
        "location.search.includes('action=webhook.deleted') && document.querySelectorAll('[data-action]').length === 1 && document.querySelector('[data-action=\"webhook.deleted\"]')",
    )
    .await;
    inspect(&browser, &axe_js, "data-audit-filtered-fr", &mut found).await;

    // Privacy: search a visitor nobody knows.
    look(
        &app,
        &browser,
        &axe_js,
        "/console/privacy?email=personne%40example.com",
        "document.getElementById('found') && document.getElementById('found').textContent === 'Rien n’est conservé sur personne@example.com'",
        "privacy-fr",
        &mut found,
    )
    .await;

    // The same pages in English, once the admin chooses it.
    let r = app
        .put_json("/api/v1/me/locale", &t.token, json!({"locale": "en"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    for (path, ready, name) in [
        ("/console/webhooks", h1_is("Webhooks"), "webhooks-en"),
        ("/console/api-keys", h1_is("API keys"), "api-keys-en"),
        (
            "/console/audit-log",
            "document.querySelector('[data-action=\"api_key.revoked\"]').textContent === 'Revoked an API key'".to_owned(),
            "audit-en",
        ),
        ("/console/privacy", h1_is("Privacy"), "privacy-en"),
    ] {
        look(&app, &browser, &axe_js, path, &ready, name, &mut found).await;
    }

    // The platform operator's console, in French.
    click(&browser, "form.logout button").await;
    until(
        &browser,
        "the login page",
        "location.pathname === '/console/login'",
    )
    .await;
    browser.goto(&app.url("/platform/login")).await.unwrap();
    type_into(&browser, "#email", OPERATOR_EMAIL).await;
    type_into(&browser, "#password", OPERATOR_PASSWORD).await;
    click(&browser, "button[type=submit]").await;
    until(
        &browser,
        "the tenants in French",
        &format!("location.pathname === '/platform' && {}", h1_is("Espaces")),
    )
    .await;
    inspect(&browser, &axe_js, "data-platform-fr", &mut found).await;

    // An English browser: the anonymous pages and the platform in English.
    let (_e, english) = start_browser().await;
    for (path, ready, name) in [
        (
            "/console/password-reset".to_owned(),
            h1_is("Forgot your password?"),
            "reset-en",
        ),
        (
            invitation_path.clone(),
            h1_is("Choose your password"),
            "invitation-en",
        ),
    ] {
        look(&app, &english, &axe_js, &path, &ready, name, &mut found).await;
    }
    english.goto(&app.url("/platform/login")).await.unwrap();
    type_into(&english, "#email", OPERATOR_EMAIL).await;
    type_into(&english, "#password", OPERATOR_PASSWORD).await;
    click(&english, "button[type=submit]").await;
    until(
        &english,
        "the tenants in English",
        &format!("location.pathname === '/platform' && {}", h1_is("Tenants")),
    )
    .await;
    inspect(&english, &axe_js, "data-platform-en", &mut found).await;
    assert!(found.is_empty(), "{found:#?}");
}

#[tokio::test]
async fn the_password_reset_and_invitation_pages_answer_a_french_browser_in_french() {
    use crate::helpers::console::browser;
    let app = spawn_app().await;
    let t = app.create_tenant("accueil").await;
    let invited = app
        .post(
            "/api/v1/users",
            &t.token,
            json!({"email": "lea@accueil.example.com", "display_name": "Léa", "role": "agent"}),
        )
        .await;
    let invitation = invited.body["invitation_url"].as_str().unwrap().to_owned();
    let b = browser();
    let get = |url: String| {
        let b = b.clone();
        async move {
            let r = b
                .get(url)
                .header("accept-language", "fr-FR,fr;q=0.9")
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, html) = get(invitation.clone()).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="fr">"#), "{html}");
    assert!(
        html.contains("Vous êtes invité dans accueil Inc. sur Switchboard en tant que lea@accueil.example.com."),
        "{html}"
    );
    // A refused password: the form again, in French, with the service's reason beside it.
    let r = b
        .post(&invitation)
        .header("accept-language", "fr")
        .form(&[("password", "short")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Veuillez corriger le champ") || html.contains(r#"id="password-error""#),
        "{html}"
    );
    assert!(html.contains("Enregistrer le mot de passe"), "{html}");
    let (status, html) = get(app.url("/console/invitation/not-a-real-token")).await;
    assert_eq!(status, 404);
    assert!(html.contains("Cette invitation n’est pas valide"), "{html}");

    let (status, html) = get(app.url("/console/password-reset")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Mot de passe oublié ?"), "{html}");
    let r = b
        .post(app.url("/console/password-reset/confirm"))
        .header("accept-language", "fr")
        .form(&[
            ("token", "whatever"),
            ("password", "a-long-password-1"),
            ("password_again", "a-long-password-2"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Les deux mots de passe ne sont pas identiques."),
        "{html}"
    );
    let (status, html) = get(app.url("/console/password-reset?token=used-or-made-up")).await;
    assert_eq!(status, 404);
    assert!(html.contains("Ce lien n’est pas valide"), "{html}");
}
