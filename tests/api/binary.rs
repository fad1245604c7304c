//! The binary itself: health, readiness and metrics; configuration errors name the variable;
//! SIGTERM stops it gracefully.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_readiness_and_metrics_are_served() {
    let app = spawn_app().await;
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(crate::helpers::METRICS_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("switchboard_http_requests_total"),
        "{metrics}"
    );
    assert!(
        metrics.contains("switchboard_http_request_duration_seconds"),
        "{metrics}"
    );
}

#[test]
fn a_bad_configuration_value_stops_start_up_naming_the_variable() {
    let bin = env!("CARGO_BIN_EXE_switchboard");
    for (var, value) in [
        ("SWITCHBOARD_LISTEN", "not-an-address"),
        ("DATABASE_URL", "mysql://root@localhost/x"),
        ("SWITCHBOARD_JWT_SECRET", "short"),
        ("SWITCHBOARD_TOKEN_TTL_SECONDS", "5"),
        ("SWITCHBOARD_LOG_FORMAT", "xml"),
        ("SWITCHBOARD_SMTP_URL", "http://mail.example.com"),
        ("SWITCHBOARD_MAIL_RETRY_SECONDS", "0"),
        ("SWITCHBOARD_VAPID_PRIVATE_KEY", "not-a-key"),
        ("SWITCHBOARD_PUSH_ALLOW_PRIVATE", "perhaps"),
        ("SWITCHBOARD_TRUSTED_PROXIES", "10.0.0.0/33"),
        ("SWITCHBOARD_TRUSTED_PROXIES", "proxy.internal"),
    ] {
        let out = Command::new(bin)
            .env(var, value)
            .arg("migrate")
            .output()
            .expect("run the binary");
        assert!(!out.status.success(), "{var}={value} was accepted");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(var), "{var}: {stderr}");
    }
}

#[test]
fn vapid_key_prints_a_key_the_server_takes() {
    let bin = env!("CARGO_BIN_EXE_switchboard");
    let out = Command::new(bin).arg("vapid-key").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let key = text
        .lines()
        .find_map(|l| l.strip_prefix("SWITCHBOARD_VAPID_PRIVATE_KEY="))
        .unwrap();
    let parsed = switchboard_notify::push::VapidKey::from_base64url(key).unwrap();
    assert!(text.contains(&parsed.public_key()), "{text}");
}

#[test]
fn the_server_starts_on_sqlite_prints_the_first_login_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .env("SWITCHBOARD_DATA_DIR", dir.path())
        .env("SWITCHBOARD_LISTEN", "127.0.0.1:0")
        .env("SWITCHBOARD_LOG", "warn")
        .env_remove("DATABASE_URL")
        .env_remove("SWITCHBOARD_OPERATOR_PASSWORD")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut url = String::new();
    let mut password = String::new();
    for line in lines.by_ref().take(10) {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("Switchboard is listening on ") {
            url = rest.trim().to_owned();
        }
        if let Some((_, rest)) = line.split_once("with password ") {
            password = rest.split_whitespace().next().unwrap().to_owned();
            break;
        }
    }
    assert!(url.starts_with("http://127.0.0.1:"), "no URL printed");
    assert!(password.len() >= 16, "no generated password printed");
    assert!(
        dir.path().join("switchboard.db").exists(),
        "the SQLite file is under the data dir"
    );
    assert!(
        dir.path().join("jwt_secret").exists(),
        "the generated secret is kept"
    );

    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let token = reqwest::Client::new()
            .post(format!("{url}/api/v1/auth/token"))
            .json(&serde_json::json!({"email": "operator@switchboard.local", "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(token.status(), 200, "the printed login works");
    });

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exit after SIGTERM: {status}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "did not stop after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn logs_are_json_lines_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .env("SWITCHBOARD_DATA_DIR", dir.path())
        .env("SWITCHBOARD_LOG_FORMAT", "json")
        .env_remove("DATABASE_URL")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<_> = stdout.lines().filter(|l| !l.is_empty()).collect();
    assert!(!lines.is_empty(), "no logs");
    for line in lines {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(
            v["level"].is_string() && v["timestamp"].is_string(),
            "{line}"
        );
    }
}

#[tokio::test]
async fn housekeeping_purges_expired_sessions_and_day_old_idempotency_keys() {
    use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
    use switchboard_store::{idempotency, now, sessions};
    let app = spawn_app().await;
    let db = app.service.db();
    let old = now() - chrono::Duration::hours(25);
    for (token, expires) in [
        ("expired", now() - chrono::Duration::minutes(1)),
        ("live", now() + chrono::Duration::hours(1)),
    ] {
        sessions::insert(
            db,
            sessions::Model {
                token_hash: token.into(),
                tenant_id: None,
                user_id: None,
                operator_id: None,
                csrf_token: "x".into(),
                created_at: old,
                expires_at: expires,
                user_agent: None,
                ip: None,
            },
        )
        .await
        .unwrap();
    }
    for (key, at) in [("old", old), ("new", now())] {
        idempotency::ActiveModel {
            scope: Set("s".into()),
            key: Set(key.into()),
            request_hash: Set("h".into()),
            status_code: Set(Some(201)),
            response_body: Set(Some("{}".into())),
            created_at: Set(at),
        }
        .insert(db)
        .await
        .unwrap();
    }
    assert_eq!(switchboard_store::db::purge_expired(db).await.unwrap(), 2);
    assert_eq!(sessions::Entity::find().count(db).await.unwrap(), 1);
    assert_eq!(idempotency::Entity::find().count(db).await.unwrap(), 1);
    assert!(sessions::find(db, "live").await.unwrap().is_some());
}

/// `/metrics` is not public (issue 15): on the main listener it needs the bearer token; with
/// `SWITCHBOARD_METRICS_LISTEN` it is served there only, and the main listener has none.
#[tokio::test]
async fn metrics_need_their_token_or_their_own_address() {
    let app = spawn_app().await;
    for token in [None, Some("wrong-token-wrong-token")] {
        let mut req = app.client.get(app.url("/metrics"));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 401, "{token:?}");
        assert!(!r.text().await.unwrap().contains("switchboard_http"));
    }

    let port = crate::helpers::free_port();
    let separate = crate::helpers::spawn_app_with(move |c| {
        c.metrics_listen = Some(format!("127.0.0.1:{port}").parse().unwrap());
    })
    .await;
    let main = separate
        .client
        .get(separate.url("/metrics"))
        .bearer_auth(crate::helpers::METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(main.status(), 404);
    let own = separate
        .client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
    assert!(
        own.text()
            .await
            .unwrap()
            .contains("switchboard_http_requests_total")
    );
}
