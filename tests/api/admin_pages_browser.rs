//! The admin pages in French, as a new owner whose browser asks for French reads them
//! (issue 17): the dashboard, users and a user, teams, routing with a dry run, settings,
//! canned replies, conversations, one conversation's routing trace, and failed chats — each
//! in French with no English left over, an empty state with the next step where the list is
//! empty, a confirmation before a destructive action (asked in place with the script, on its
//! own page without it, and nothing done until confirmed), axe-core in French and in English,
//! and screenshots at a laptop's and a phone's width with nothing scrolling sideways.

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::helpers::agents::available_agents;
use crate::helpers::axe::{axe_source, inspect, visit_and_inspect};
use crate::helpers::browser::{
    click, console_login, fits_its_width, start_browser_in, type_into, until,
};
use crate::helpers::widget::{publish, sales_dialogue};
use crate::helpers::{Tenant, TestApp, spawn_app};
use crate::mail::missed_chat;

/// Words of the English pages that must not show on a French one (whole words, in the
/// page's own text: not what visitors wrote, the transcript, the widget's tag or code).
const ENGLISH: [&str; 30] = [
    "Delete", "Save", "Remove", "Add", "Status", "Users", "Teams", "Settings", "Waiting",
    "skipped", "would", "offered", "Fallback", "Routing", "Nobody", "None", "yet", "Revoke",
    "Grant", "Name", "Role", "the", "and", "Live", "Started", "Visitor", "Outcome", "Offers",
    "Schedule", "Business",
];

/// The page's own words: `main` without the transcript, form values, code and the widget's
/// tag.
const PAGE_TEXT: &str = "(() => { const m = document.querySelector('main').cloneNode(true); \
    m.querySelectorAll('.transcript, textarea, code, select, input, .left-message blockquote').forEach(e => e.remove()); \
    return m.innerText; })()";

/// Waits for a French page at `path`, checks that it fits a phone's width, screenshots it at
/// both widths, runs axe, and checks it says `expect` and no English word.
async fn visit_fr(
    browser: &Client,
    app: &TestApp,
    axe_js: &str,
    path: &str,
    name: &str,
    expect: &[&str],
    found: &mut Vec<String>,
) {
    visit_and_inspect(
        browser,
        &app.url(path),
        "document.documentElement.lang === 'fr' && document.querySelector('h1')",
        axe_js,
        &format!("admin-{name}-fr"),
        found,
    )
    .await;
    check_fr(browser, name, expect).await;
}

/// Checks the page in view says `expect` and no English word.
async fn check_fr(browser: &Client, name: &str, expect: &[&str]) {
    let text = browser
        .execute(&format!("return {PAGE_TEXT};"), vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    for e in expect {
        assert!(text.contains(e), "{name}: {e:?} missing from\n{text}");
    }
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '’' && c != '-')
        .collect();
    let left: Vec<&&str> = ENGLISH.iter().filter(|w| words.contains(w)).collect();
    assert!(
        left.is_empty(),
        "{name}: English left over {left:?} in\n{text}"
    );
}

/// The workspace's teams, through the API.
async fn team_names(app: &TestApp, t: &Tenant) -> Vec<String> {
    app.get("/api/v1/teams", &t.token).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn notice(browser: &Client, what: &str, text: &str) {
    until(
        browser,
        what,
        &format!(
            "document.querySelector('.notice') && document.querySelector('.notice').textContent.includes({text:?})"
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_french_owner_runs_the_admin_pages_with_empty_states_and_confirmations() {
    let app = spawn_app().await;
    let t = app.create_tenant("bilingue").await;
    // One agent who may chat; a visitor whose chat was offered to them and missed.
    let agents = available_agents(&app, &t, 1).await;
    let agent = agents[0].0.clone();
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"accept_timeout_seconds": 1}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let missed = missed_chat(&app, &t, &key).await;

    let (_driver, browser) = start_browser_in("fr").await;
    let axe_js = axe_source();
    let mut found = Vec::new();
    console_login(&browser, &app.base, &t.slug, &t.admin_email).await;
    until(
        &browser,
        "the dashboard",
        "location.pathname === '/console'",
    )
    .await;

    visit_fr(
        &browser,
        &app,
        &axe_js,
        "/console",
        "dashboard",
        &[
            "Offre",
            "Engagements",
            "disponible maintenant",
            "File d’attente",
            "Personne n’attend",
            "Conversations manquées récentes",
            "Clé du widget",
        ],
        &mut found,
    )
    .await;
    visit_fr(
        &browser,
        &app,
        &axe_js,
        "/console/users",
        "users",
        &[
            "Utilisateurs",
            "Propriétaire",
            "autorisé",
            "Ajouter un utilisateur",
        ],
        &mut found,
    )
    .await;
    visit_fr(
        &browser,
        &app,
        &axe_js,
        &format!("/console/users/{agent}"),
        "user",
        &[
            "Profil et accès",
            "Photo de profil",
            "Horaires",
            "Lundi",
            "Dimanche",
        ],
        &mut found,
    )
    .await;

    // Teams: the empty state, a team made and a member added, then the confirmations.
    visit_fr(
        &browser,
        &app,
        &axe_js,
        "/console/teams",
        "teams-empty",
        &["Aucune équipe pour l’instant", "Nouvelle équipe"],
        &mut found,
    )
    .await;
    type_into(&browser, "#name", "Ventes").await;
    click(
        &browser,
        "form[action='/console/teams'] button[type=submit]",
    )
    .await;
    notice(&browser, "the team created", "Équipe créée").await;
    check_fr(&browser, "teams-new", &["Aucun membre pour l’instant"]).await;
    browser
        .find(Locator::Css(&format!(
            "select[name=user_id] option[value='{agent}']"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(&browser, "form[action$='/members'] button[type=submit]").await;
    notice(&browser, "the member added", "Membre ajouté").await;
    visit_fr(
        &browser,
        &app,
        &axe_js,
        "/console/teams",
        "teams",
        &["Ventes", "agent0", "Ajouter un membre"],
        &mut found,
    )
    .await;
    // With the script, deleting asks in place: dismissed, nothing is sent.
    click(&browser, "form[action$='/delete'] button[type=submit]").await;
    let asked = browser.get_alert_text().await.unwrap();
    assert_eq!(asked, "Supprimer l’équipe « Ventes » ?");
    browser.dismiss_alert().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(team_names(&app, &t).await, ["Ventes"], "nothing deleted");
    // Accepted, it acts at once (removing the member).
    click(&browser, "form[action$='/remove'] button[type=submit]").await;
    browser.accept_alert().await.unwrap();
    notice(&browser, "the member removed", "Membre retiré de l’équipe").await;
    // Without the script, the server asks on its own page; nothing is done until confirmed.
    browser
        .execute(
            "document.querySelectorAll('[data-confirm]').forEach(f => f.removeAttribute('data-confirm'))",
            vec![],
        )
        .await
        .unwrap();
    click(&browser, "form[action$='/delete'] button[type=submit]").await;
    until(
        &browser,
        "the confirmation page",
        "document.querySelector('h1').textContent === 'Supprimer l’équipe « Ventes » ?'",
    )
    .await;
    check_fr(
        &browser,
        "confirm",
        &["Cette action est définitive", "Annuler"],
    )
    .await;
    inspect(&browser, &axe_js, "admin-confirm-fr", &mut found).await;
    assert_eq!(team_names(&app, &t).await, ["Ventes"], "asked, not deleted");
    click(&browser, ".confirm-step button[type=submit]").await;
    notice(&browser, "the team deleted", "Équipe supprimée").await;
    assert!(team_names(&app, &t).await.is_empty());

    // Routing: the empty state, a rule added, and a dry run told in French.
    visit_fr(
        &browser,
        &app,
        &axe_js,
        "/console/routing",
        "routing-empty",
        &["Aucune règle personnalisée pour l’instant", "Simulation"],
        &mut found,
    )
    .await;
    type_into(&browser, "#name", "France").await;
    type_into(&browser, "#conditions", "country is FR").await;
    click(
        &browser,
        "form[action='/console/routing/rules'] button[type=submit]",
    )
    .await;
    notice(&browser, "the rule added", "Règle ajoutée").await;
    type_into(&browser, "#dry-country", "FR").await;
    browser
        .find(Locator::Css("#mode option[value=custom_rules]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(
        &browser,
        "form[action='/console/routing/dry-run'] button[type=submit]",
    )
    .await;
    until(
        &browser,
        "the dry run's answer",
        "document.getElementById('dry-run-result')",
    )
    .await;
    check_fr(
        &browser,
        "dry run",
        &[
            "Règle appliquée : France",
            "Comment la décision a été prise",
            "agent0",
        ],
    )
    .await;
    browser
        .execute(
            "document.getElementById('dry-run-result').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    inspect(&browser, &axe_js, "admin-routing-fr", &mut found).await;

    visit_fr(
        &browser,
        &app,
        &axe_js,
        "/console/settings",
        "settings",
        &[
            "Message de repli général",
            "Heures d’ouverture",
            "Toujours ouvert",
            "Mardi",
            "Secret d’identité",
        ],
        &mut found,
    )
    .await;
    visit_fr(
        &browser,
        &app,
        &axe_js,
        "/console/canned-responses",
        "canned-empty",
        &[
            "Celles de l’équipe",
            "Les vôtres",
            "Aucune pour l’instant",
            "Nouvelle réponse type",
        ],
        &mut found,
    )
    .await;
    visit_fr(
        &browser,
        &app,
        &axe_js,
        "/console/conversations",
        "conversations",
        &["Ada", "Manquée", "Début"],
        &mut found,
    )
    .await;
    visit_fr(
        &browser,
        &app,
        &axe_js,
        "/console/conversations?status=live",
        "conversations-none-live",
        &[
            "Aucune conversation n’a ce statut",
            "Afficher toutes les conversations",
        ],
        &mut found,
    )
    .await;
    visit_fr(
        &browser,
        &app,
        &axe_js,
        &format!("/console/conversations/{missed}"),
        "conversation",
        &[
            "Trace de routage",
            "Rotation entre tous les agents",
            "Message de repli : la proposition n’a pas été acceptée à temps",
            "agent0 : conversation proposée",
            "sans réponse à temps",
            "Prénom",
            "Transcription",
        ],
        &mut found,
    )
    .await;
    // The trace's offers read as one card per row on a phone, in the reader's local time.
    browser.set_window_size(390, 844).await.unwrap();
    browser
        .execute(
            "document.querySelector('.trace-offers').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    crate::helpers::browser::screenshot(&browser, "admin-trace-fr-390").await;
    assert!(fits_its_width(&browser).await, "the trace scrolls sideways");
    let table_fits = browser
        .execute(
            "const w = document.querySelector('.trace-offers').closest('.table-wrap'); return w.scrollWidth <= w.clientWidth + 1;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        table_fits,
        json!(true),
        "the offers table fits without scrolling"
    );
    browser.set_window_size(1366, 900).await.unwrap();
    visit_fr(
        &browser,
        &app,
        &axe_js,
        "/console/failed-actions",
        "failed",
        &[
            "Pourquoi",
            "Ada",
            "la proposition n’a pas été acceptée à temps",
            "agent0",
        ],
        &mut found,
    )
    .await;

    // The same pages in English, for axe and the screenshots.
    let r = app
        .put_json("/api/v1/me/locale", &t.token, json!({"locale": "en"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    for (path, name) in [
        ("/console".to_owned(), "dashboard"),
        ("/console/users".to_owned(), "users"),
        (format!("/console/users/{agent}"), "user"),
        ("/console/teams".to_owned(), "teams-empty"),
        ("/console/routing".to_owned(), "routing"),
        ("/console/settings".to_owned(), "settings"),
        ("/console/canned-responses".to_owned(), "canned-empty"),
        ("/console/conversations".to_owned(), "conversations"),
        (format!("/console/conversations/{missed}"), "conversation"),
        ("/console/failed-actions".to_owned(), "failed"),
    ] {
        browser.goto(&app.url(&path)).await.unwrap();
        until(
            &browser,
            &format!("{name} in English"),
            "document.documentElement.lang === 'en' && document.querySelector('h1')",
        )
        .await;
        inspect(&browser, &axe_js, &format!("admin-{name}-en"), &mut found).await;
    }
    assert!(found.is_empty(), "accessibility violations:\n{found:#?}");
    browser.close().await.unwrap();
}
