//! Visitor location without a geo proxy: a MaxMind City file (`SWITCHBOARD_GEOIP_DB`, here
//! one the test writes) looked up with the client's address, which is the socket's peer or,
//! behind a trusted proxy (`SWITCHBOARD_TRUSTED_PROXIES`), the nearest untrusted hop of
//! `X-Forwarded-For`. A trusted proxy's geo headers win over the file. Every in-process
//! client connects from 127.0.0.1, trusted by default, and placed in Reykjavik by the file.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::agents::available_agents;
use crate::helpers::mmdb::{PLACES, city_database, write_city_database};
use crate::helpers::widget::{
    answer, publish, sales_dialogue, start_session_with, walk_to_live_chat_with,
};
use crate::helpers::{Reply, Tenant, TestApp, spawn_app_with};

/// A server locating visitors with the test City database, trusting `proxies`.
async fn located_app(proxies: &str) -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = write_city_database(dir.path());
    let proxies = proxies.parse().unwrap();
    let app = spawn_app_with(move |c| {
        c.geoip_db = Some(db);
        c.trusted_proxies = proxies;
    })
    .await;
    (app, dir)
}

/// The location stored for the visitor of a session started with `headers`.
async fn located(app: &TestApp, t: &Tenant, key: &str, headers: &[(&str, &str)]) -> Value {
    let s = start_session_with(
        app,
        json!({"widget_key": key, "page_url": "https://shop.example.com/"}),
        headers,
    )
    .await;
    assert_eq!(s.status, 200, "{}", s.text);
    // Stored once the visitor answers.
    let a = answer(app, &s.body, json!({"card_id": "ask", "choice": "yes"})).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let id = s.body["conversation_id"].as_str().unwrap();
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    assert_eq!(c.status, 200, "{}", c.text);
    let v = &c.body["visitor"];
    json!([v["country"], v["region"], v["city"]])
}

/// The conversation a visitor walked to the live-chat card is waiting in.
async fn routed(app: &TestApp, t: &Tenant, r: Reply) -> Value {
    assert_eq!(r.body["status"], "waiting", "{}", r.text);
    let id = r.body["conversation_id"].as_str().unwrap();
    app.get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await
        .body
}

#[tokio::test]
async fn a_visitor_behind_a_trusted_proxy_is_routed_by_the_country_region_and_city_of_the_geoip_file()
 {
    let (app, _db) = located_app("127.0.0.0/8,::1").await;
    let t = app.create_tenant("geo-rules").await;
    let agents = available_agents(&app, &t, 2).await;
    for (name, conditions, agent) in [
        (
            "London",
            json!([{"field": "region", "operator": "is", "values": ["england"]},
                   {"field": "city", "operator": "is", "values": ["London"]}]),
            &agents[0].0,
        ),
        (
            "France",
            json!([{"field": "country", "operator": "is", "values": ["FR"]}]),
            &agents[1].0,
        ),
    ] {
        let r = app
            .post(
                "/api/v1/routing-rules",
                &t.token,
                json!({"name": name, "conditions": conditions, "target": {"kind": "agent", "id": agent}}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "custom_rules"}))).await;
    // The client wrote a hop of its own (in Paris); the proxy appended its real address.
    let r = walk_to_live_chat_with(
        &app,
        &key,
        &[("X-Forwarded-For", "2001:db8:1::9, 81.2.69.142")],
    )
    .await;
    let c = routed(&app, &t, r).await;
    assert_eq!(c["visitor"]["country"], "GB", "{c}");
    assert_eq!(c["visitor"]["region"], "England");
    assert_eq!(c["visitor"]["city"], "London");
    assert_eq!(c["trace"]["rule_matched"]["name"], "London");
    assert_eq!(c["trace"]["offers"][0]["agent_id"], agents[0].0.as_str());

    // An IPv6 visitor, through two proxies (the nearer one trusted too).
    let r = walk_to_live_chat_with(
        &app,
        &key,
        &[
            ("X-Forwarded-For", "2001:db8:1::9"),
            ("X-Forwarded-For", "127.0.0.2"),
        ],
    )
    .await;
    let c = routed(&app, &t, r).await;
    assert_eq!(c["visitor"]["city"], "Paris", "{c}");
    assert_eq!(c["trace"]["rule_matched"]["name"], "France");
    assert_eq!(c["trace"]["offers"][0]["agent_id"], agents[1].0.as_str());

    // Nothing forwarded: the peer itself is the client, and no rule is for Reykjavik.
    let r = walk_to_live_chat_with(&app, &key, &[]).await;
    assert_eq!(r.body["status"], "fallback", "{}", r.text);
    assert_eq!(r.body["fallback_reason"], "no_rule_matched");
    let s = located(&app, &t, &key, &[]).await;
    assert_eq!(s, json!(["IS", "Capital Region", "Reykjavik"]));

    // An address the file does not know: nowhere.
    let s = located(&app, &t, &key, &[("X-Forwarded-For", "198.51.100.4")]).await;
    assert_eq!(s, json!([null, null, null]));
}

#[tokio::test]
async fn a_trusted_proxys_geo_headers_win_over_the_geoip_file() {
    let (app, _db) = located_app("127.0.0.1").await;
    let t = app.create_tenant("geo-headers").await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let london = ("X-Forwarded-For", "81.2.69.142");

    let told = located(
        &app,
        &t,
        &key,
        &[
            london,
            ("X-Geo-Country", "DE"),
            ("X-Geo-Region", "Berlin"),
            ("X-Geo-City", "Berlin"),
        ],
    )
    .await;
    assert_eq!(told, json!(["DE", "Berlin", "Berlin"]));

    // A CDN that tells only the country: the file fills in the rest where it agrees…
    let same = located(&app, &t, &key, &[london, ("X-Geo-Country", "GB")]).await;
    assert_eq!(same, json!(["GB", "England", "London"]));
    // …and nothing of its own where it places the visitor elsewhere.
    let other = located(&app, &t, &key, &[london, ("X-Geo-Country", "FR")]).await;
    assert_eq!(other, json!(["FR", null, null]));
}

#[tokio::test]
async fn an_untrusted_peers_forwarded_for_and_geo_headers_are_ignored() {
    // Loopback is not a trusted proxy here: the test client is any visitor.
    let (app, _db) = located_app("10.0.0.0/8, fd00::/8").await;
    let t = app.create_tenant("geo-untrusted").await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let spoofed = located(
        &app,
        &t,
        &key,
        &[
            ("X-Forwarded-For", "81.2.69.142"),
            ("X-Geo-Country", "FR"),
            ("X-Geo-City", "Paris"),
        ],
    )
    .await;
    assert_eq!(spoofed, json!(["IS", "Capital Region", "Reykjavik"]));

    // Trusting no proxy at all, and no file: the headers are not believed either.
    let app = spawn_app_with(|c| c.trusted_proxies = "none".parse().unwrap()).await;
    let t = app.create_tenant("geo-none").await;
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let spoofed = located(&app, &t, &key, &[("X-Geo-Country", "FR")]).await;
    assert_eq!(spoofed, json!([null, null, null]));
}

/// Runs `switchboard serve` with `SWITCHBOARD_GEOIP_DB` set to `db`; it must stop by itself.
async fn serve_with_geoip_db(db: &PathBuf) -> std::process::Output {
    let data = tempfile::tempdir().unwrap();
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .arg("serve")
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env("SWITCHBOARD_DATA_DIR", data.path())
        .env("SWITCHBOARD_LISTEN", "127.0.0.1:0")
        .env("SWITCHBOARD_OPERATOR_PASSWORD", "operator-password-1")
        .env("SWITCHBOARD_GEOIP_DB", db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the server kept running with a bad SWITCHBOARD_GEOIP_DB")
        .unwrap()
}

#[tokio::test]
async fn a_missing_or_corrupt_geoip_file_stops_start_up_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let good = city_database(&PLACES);
    let garbage = dir.path().join("garbage.mmdb");
    std::fs::write(&garbage, b"GeoLite2-City, honest").unwrap();
    // Cut short: the metadata at its end is gone.
    let truncated = dir.path().join("truncated.mmdb");
    std::fs::write(&truncated, &good[..good.len() / 2]).unwrap();
    // Whole, but its root points past the data.
    let mut bad_tree = good.clone();
    bad_tree[..6].fill(0xff);
    let corrupt = dir.path().join("corrupt.mmdb");
    std::fs::write(&corrupt, bad_tree).unwrap();
    for db in [dir.path().join("missing.mmdb"), garbage, truncated, corrupt] {
        let out = serve_with_geoip_db(&db).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{}: {stderr}", db.display());
        assert!(
            stderr.contains("SWITCHBOARD_GEOIP_DB") && stderr.contains(&*db.to_string_lossy()),
            "{}: {stderr}",
            db.display()
        );
    }
}
