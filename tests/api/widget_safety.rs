//! The public widget on the open internet (issue 15, SPEC §12.4): a tenant lists the sites
//! its widget may run on (a session or visitor socket from another `Origin` is 403, nothing
//! stored), and verifies logged-in visitors with an HMAC of their `user_id` (a wrong hash
//! is 403; a right one shows the visitor as verified to agents).

use hmac::Mac;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::widget::{publish, start_session_with, straight_to_live_chat};
use crate::helpers::{Tenant, TestApp, spawn_app};

async fn conversations_stored(app: &TestApp, t: &Tenant) -> u64 {
    use sea_orm::{ColumnTrait, QueryFilter};
    use switchboard_store::conversations;
    conversations::Entity::find()
        .filter(conversations::Column::TenantId.eq(uuid::Uuid::parse_str(&t.id).unwrap()))
        .count(app.service.db())
        .await
        .unwrap()
}

/// Opens the visitor socket sending `origin`; the handshake's HTTP status when refused.
async fn visitor_socket(app: &TestApp, token: &str, origin: &str) -> Result<(), u16> {
    let url = format!(
        "{}/api/v1/ws/visitor?token={token}",
        app.base.replacen("http", "ws", 1)
    );
    let mut req = url.into_client_request().unwrap();
    req.headers_mut().insert("origin", origin.parse().unwrap());
    match tokio_tungstenite::connect_async(req).await {
        Ok(_) => Ok(()),
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => Err(resp.status().as_u16()),
        Err(e) => panic!("visitor socket: {e}"),
    }
}

#[tokio::test]
async fn a_foreign_origin_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    let t = app.create_tenant("origins").await;
    let key = publish(&app, &t, straight_to_live_chat()).await;

    // A list with one bad entry changes nothing and names the entry.
    let bad = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"widget_allowed_origins": ["https://shop.example.com", "shop.example.com/contact"]}),
        )
        .await;
    assert_eq!(bad.problem(422)["field"], "widget_allowed_origins[1]");
    let s = app.get("/api/v1/settings", &t.token).await;
    assert_eq!(s.body["widget_allowed_origins"], json!([]));

    let set = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"widget_allowed_origins": ["https://Shop.Example.com/", "http://localhost:8080"]}),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(
        set.body["widget_allowed_origins"],
        json!(["https://shop.example.com", "http://localhost:8080"])
    );

    let body = json!({"widget_key": key});
    for foreign in [
        "https://evil.example",
        "https://shop.example.com.evil.example",
        "null",
    ] {
        let refused = start_session_with(&app, body.clone(), &[("origin", foreign)]).await;
        let p = refused.problem(403);
        assert!(
            p["detail"].as_str().unwrap().contains("allowed origins"),
            "{p}"
        );
    }
    assert_eq!(conversations_stored(&app, &t).await, 0);

    let allowed = start_session_with(
        &app,
        body.clone(),
        &[("origin", "https://shop.example.com")],
    )
    .await;
    assert_eq!(allowed.status, 200, "{}", allowed.text);
    assert_eq!(conversations_stored(&app, &t).await, 1);
    let token = allowed.body["visitor_token"].as_str().unwrap();

    // The visitor socket: the listed site opens it; another is refused before the upgrade.
    assert_eq!(
        visitor_socket(&app, token, "https://evil.example").await,
        Err(403)
    );
    assert_eq!(
        visitor_socket(&app, token, "https://shop.example.com").await,
        Ok(())
    );

    // `[]` lets any site run the widget again.
    let any = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"widget_allowed_origins": []}),
        )
        .await;
    assert_eq!(any.status, 200, "{}", any.text);
    let elsewhere = start_session_with(&app, body, &[("origin", "https://evil.example")]).await;
    assert_eq!(elsewhere.status, 200, "{}", elsewhere.text);
}

fn user_hash(secret: &str, user_id: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(user_id.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn conversation(app: &TestApp, t: &Tenant, session: &Value) -> Value {
    let id = session["conversation_id"].as_str().unwrap();
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    assert_eq!(c.status, 200, "{}", c.text);
    c.body
}

#[tokio::test]
async fn a_wrong_user_hash_is_refused_and_a_right_one_shows_the_visitor_verified() {
    let app = spawn_app().await;
    let t = app.create_tenant("identity").await;
    let key = publish(&app, &t, straight_to_live_chat()).await;

    // Without verification a user id is shown as it came: unverified.
    let plain =
        start_session_with(&app, json!({"widget_key": key, "user_id": "cust-42"}), &[]).await;
    assert_eq!(plain.status, 200, "{}", plain.text);
    let c = conversation(&app, &t, &plain.body).await;
    assert_eq!(c["visitor"]["user_id"], "cust-42");
    assert_eq!(c["visitor"]["verified"], false);

    let made = app
        .post("/api/v1/settings/identity-secret", &t.token, json!({}))
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let secret = made.body["secret"].as_str().unwrap().to_owned();
    assert!(secret.len() >= 40, "{secret}");
    let s = app.get("/api/v1/settings", &t.token).await;
    assert_eq!(s.body["identity_secret_set"], true);
    assert!(!s.text.contains(&secret), "the secret is shown once only");
    // Stored sealed: the database does not hold it.
    let stored =
        switchboard_store::tenants::Entity::find_by_id(uuid::Uuid::parse_str(&t.id).unwrap())
            .one(app.service.db())
            .await
            .unwrap()
            .unwrap();
    let sealed = stored.identity_secret.unwrap();
    assert!(
        !sealed.contains(&secret) && sealed.starts_with("sealed:"),
        "{sealed}"
    );

    let on = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"identity_verification": true}),
        )
        .await;
    assert_eq!(on.status, 200, "{}", on.text);
    assert_eq!(on.body["identity_verification"], true);

    let before = conversations_stored(&app, &t).await;
    let good = user_hash(&secret, "cust-42");
    for (hash, what) in [
        (Some(user_hash(&secret, "cust-43")), "another user's hash"),
        (
            Some(user_hash("not-the-secret", "cust-42")),
            "another secret's",
        ),
        (Some("zz".repeat(32)), "not hex"),
        (Some(good[..62].to_owned()), "cut short"),
        (None, "missing"),
    ] {
        let mut body = json!({"widget_key": key, "user_id": "cust-42"});
        if let Some(h) = hash {
            body["user_hash"] = json!(h);
        }
        let refused = start_session_with(&app, body, &[]).await;
        let p = refused.problem(403);
        assert!(
            p["detail"].as_str().unwrap().contains("user_hash"),
            "{what}: {p}"
        );
    }
    assert_eq!(conversations_stored(&app, &t).await, before);

    let verified = start_session_with(
        &app,
        json!({"widget_key": key, "user_id": "cust-42", "user_hash": good.to_uppercase()}),
        &[],
    )
    .await;
    assert_eq!(verified.status, 200, "{}", verified.text);
    let c = conversation(&app, &t, &verified.body).await;
    assert_eq!(c["visitor"]["user_id"], "cust-42");
    assert_eq!(c["visitor"]["verified"], true);

    // Anonymous visitors still chat; a hash without a user id is refused.
    let anonymous = start_session_with(&app, json!({"widget_key": key}), &[]).await;
    assert_eq!(anonymous.status, 200, "{}", anonymous.text);
    let stray = start_session_with(&app, json!({"widget_key": key, "user_hash": good}), &[]).await;
    assert_eq!(stray.problem(422)["field"], "user_hash");

    // A new secret: the old one's hashes stop verifying at once.
    let again = app
        .post("/api/v1/settings/identity-secret", &t.token, json!({}))
        .await;
    assert_eq!(again.status, 201, "{}", again.text);
    let stale = start_session_with(
        &app,
        json!({"widget_key": key, "user_id": "cust-42", "user_hash": good}),
        &[],
    )
    .await;
    stale.problem(403);

    let log = app.get("/api/v1/audit-log", &t.token).await;
    assert!(
        log.text.contains("settings.identity_secret_created"),
        "{}",
        log.text
    );
    assert!(!log.text.contains(&secret));
    // Agents cannot make one.
    let agent = app.create_user(&t, "agent@identity.example", "agent").await;
    let _ = agent;
    let agent_token = app.user_token(&t, "agent@identity.example").await;
    let denied = app
        .post("/api/v1/settings/identity-secret", &agent_token, json!({}))
        .await;
    denied.problem(403);
}

#[tokio::test]
async fn the_console_sets_origins_identity_and_retention_and_shows_a_new_secret_once() {
    use crate::helpers::console::{console_login, csrf, page, post};
    let app = spawn_app().await;
    let t = app.create_tenant("secure").await;
    let b = console_login(&app, "secure", &t.admin_email).await;
    let (_, html) = page(&app, &b, "/console/settings").await;
    let token = csrf(&html);
    let form = |origins: &'static str, retention: &'static str| {
        vec![
            ("global_fallback_message", "Back soon"),
            ("accept_timeout_seconds", "45"),
            ("max_chats_per_agent", "10"),
            ("idle_timeout_minutes", "10"),
            ("failed_action_recipients", ""),
            ("security", "1"),
            ("widget_allowed_origins", origins),
            ("identity_verification", "on"),
            ("retention_days", retention),
        ]
    };
    let mut bad = form("https://shop.example.com\nshop.example.com/contact", "30");
    bad.push(("csrf", &token));
    let (status, _, body) = post(&app, &b, "/console/settings", &bad).await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"origins-error\""), "{body}");
    let mut bad = form("https://shop.example.com", "0");
    bad.push(("csrf", &token));
    let (status, _, body) = post(&app, &b, "/console/settings", &bad).await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"retention_days-error\""), "{body}");
    let s = app.get("/api/v1/settings", &t.token).await;
    assert_eq!(s.body["identity_verification"], false);

    let mut good = form("https://shop.example.com", "30");
    good.push(("csrf", &token));
    let (status, location, _) = post(&app, &b, "/console/settings", &good).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/console/settings?notice=settings-saved")
    );
    let s = app.get("/api/v1/settings", &t.token).await;
    assert_eq!(
        s.body["widget_allowed_origins"],
        json!(["https://shop.example.com"])
    );
    assert_eq!(s.body["identity_verification"], true);
    assert_eq!(s.body["retention_days"], 30);

    let (status, _, body) = post(
        &app,
        &b,
        "/console/settings/identity-secret",
        &[("csrf", &token)],
    )
    .await;
    assert_eq!(status, 200);
    let start = body.find("id=\"new-identity-secret\">").unwrap() + 25;
    let secret = &body[start..start + body[start..].find('<').unwrap()];
    assert!(secret.starts_with("sbi_"), "{secret}");
    let (_, again) = page(&app, &b, "/console/settings").await;
    assert!(!again.contains(secret), "shown once only");
    assert!(again.contains("An identity secret is set"));
    // The secret works.
    let key = app.get("/api/v1/settings", &t.token).await.body["widget_key"]
        .as_str()
        .unwrap()
        .to_owned();
    publish(&app, &t, straight_to_live_chat()).await;
    let ok = start_session_with(
        &app,
        json!({"widget_key": key, "user_id": "u1", "user_hash": user_hash(secret, "u1")}),
        &[("origin", "https://shop.example.com")],
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
}
