//! The test toolkit. Every test gets its own server on a random port and its own database
//! (SQLite file in a temp dir, or a fresh PostgreSQL database), chosen by
//! `SWITCHBOARD_TEST_DATABASE=sqlite|postgres`. No test shares state with another, and no
//! test file imports another: what several tests use lives here, by subject.
//!
//! - this module: spawning apps and clusters, `TestApp` with one method per HTTP verb, a
//!   tenant and its users, polling the API until a condition holds, stopping a background
//!   worker so that a test can run its step at a time it chooses (`TestApp::stop_worker`);
//! - [`agents`]: agents made available, teams, notification preferences;
//! - [`widget`]: a published dialogue, the visitor's session and answers, a waiting visitor;
//! - [`ws`]: the live-chat sockets as JSON frames;
//! - [`console`]: the server-rendered consoles without JavaScript (cookies, CSRF, forms);
//! - [`browser`]: headless Chromium through chromedriver; [`cdp`]: what WebDriver cannot do;
//! - [`receiver`]: an HTTP endpoint Switchboard calls out to (webhooks, push services);
//! - [`push`]: a browser's side of Web Push; [`smtp`]: an SMTP server that keeps what it gets;
//! - [`processes`]: real server processes sharing PostgreSQL and Redis ([`process`]: one of
//!   them, and [`pg`]: a fresh database, both shared with the benches).

pub mod agents;
pub mod axe;
pub mod browser;
pub mod cdp;
pub mod console;
pub mod failpoint;
pub mod live;
pub mod mmdb;
pub mod own_pg;
#[path = "../../support/pg.rs"]
mod pg;
#[path = "../../support/process.rs"]
pub mod process;
pub mod processes;
pub mod push;
pub mod receiver;
#[path = "../../support/redis.rs"]
pub mod redis;
pub mod smtp;
pub mod tls;
pub mod totp;
pub mod widget;
pub mod ws;

use std::net::SocketAddr;
use std::path::PathBuf;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use switchboard::app::Application;
use switchboard::config::{Config, LogFormat};

pub const OPERATOR_EMAIL: &str = "operator@test.local";
/// The bearer token of `/metrics` in the tests.
pub const METRICS_TOKEN: &str = "test-metrics-token-0123";
pub const OPERATOR_PASSWORD: &str = "operator-password-123";
pub const ADMIN_PASSWORD: &str = "admin-password-123";

pub struct TestApp {
    pub base: String,
    /// The running app's service, for tests that look under the API.
    pub service: switchboard_service::Service,
    /// Everything the app runs, by name (its workers, and `server`): aborting them all makes
    /// the node vanish like a killed process.
    tasks: Vec<(&'static str, tokio::task::AbortHandle)>,
    /// The Redis key namespace, when the app uses Redis.
    pub redis_namespace: Option<String>,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// A tenant made for a test, with its owner's token.
pub struct Tenant {
    pub id: String,
    pub slug: String,
    pub admin_id: String,
    pub admin_email: String,
    pub token: String,
}

/// The backend under test. In CI the PostgreSQL run must not fall back to SQLite: a
/// missing server fails the test instead of skipping it.
pub fn backend() -> String {
    std::env::var("SWITCHBOARD_TEST_DATABASE").unwrap_or_else(|_| "sqlite".into())
}

pub use pg::new_pg_database;

pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match backend().as_str() {
        "postgres" => new_pg_database().await,
        "sqlite" => format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
        other => panic!("SWITCHBOARD_TEST_DATABASE must be sqlite or postgres, not {other}"),
    }
}

pub fn test_config(database_url: String, data_dir: PathBuf) -> Config {
    Config {
        database_url: Some(database_url),
        // Redis for the PostgreSQL run (the multi-node configuration), in-process for SQLite.
        redis_url: (backend() == "postgres").then(|| {
            std::env::var("SWITCHBOARD_TEST_REDIS_URL")
                .unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
        }),
        redis_namespace: format!("sbtest-{}", uuid::Uuid::new_v4().simple()),
        listen: "127.0.0.1:0".parse::<SocketAddr>().expect("address"),
        metrics_listen: None,
        metrics_token: Some(METRICS_TOKEN.into()),
        public_url: None,
        data_dir,
        jwt_secret: Some("test-secret-test-secret-test-secret-0123".into()),
        secret_key: None,
        token_ttl_seconds: 900,
        operator_email: OPERATOR_EMAIL.into(),
        operator_password: Some(OPERATOR_PASSWORD.into()),
        log_format: LogFormat::Text,
        log: std::env::var("TEST_LOG").unwrap_or_else(|_| "off".into()),
        db_max_connections: 5,
        geo_headers: Default::default(),
        geoip_db: None,
        trusted_proxies: Default::default(),
        webhook_allow_private: false,
        webhook_retry_seconds: 30,
        vapid_private_key: None,
        push_allow_private: false,
        smtp_url: None,
        smtp_ca_file: None,
        redis_ca_file: None,
        rate_limits: switchboard_service::limits::RateLimits::off(),
        smtp_from: "Switchboard <switchboard@localhost>".into(),
        mail_retry_seconds: 30,
        mail_digest_seconds: 600,
        visitor_grace_seconds: 60,
        require_2fa: false,
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = fresh_database_url(dir.path()).await;
    let mut config = test_config(database_url.clone(), dir.path().to_path_buf());
    adjust(&mut config);
    if std::env::var("TEST_LOG").is_ok() {
        switchboard::telemetry::init(&config);
    }
    let config_namespace = config
        .redis_url
        .as_ref()
        .map(|_| config.redis_namespace.clone());
    let app = Application::build(config).await.expect("build the app");
    let base = format!("http://127.0.0.1:{}", app.port());
    let service = app.service.clone();
    let redis_namespace = config_namespace;
    let mut tasks = app.worker_handles();
    tasks.push((
        "server",
        tokio::spawn(app.run_until_stopped()).abort_handle(),
    ));
    TestApp {
        base,
        service,
        tasks,
        redis_namespace,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),

        _dir: dir,
    }
}

/// A status and a JSON body (or `Null` when the body is empty or not JSON).
pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Value,
    pub text: String,
}

impl Reply {
    pub fn id(&self) -> String {
        self.body["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no id in {}", self.text))
            .to_owned()
    }

    /// Asserts an RFC 9457 problem with this status and returns it.
    pub fn problem(&self, status: u16) -> &Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        assert!(
            self.content_type.starts_with("application/problem+json"),
            "not a problem: {} {}",
            self.content_type,
            self.text
        );
        for key in ["type", "title", "status", "detail"] {
            assert!(
                !self.body[key].is_null(),
                "problem without {key}: {}",
                self.text
            );
        }
        assert_eq!(self.body["status"], status);
        &self.body
    }
}

/// Several nodes sharing one PostgreSQL database and one Redis namespace, whatever the
/// backend of the run: sharing state between nodes is what PostgreSQL and Redis are for.
pub async fn spawn_cluster(nodes: usize) -> Vec<TestApp> {
    let database_url = new_pg_database().await;
    let namespace = format!("sbtest-{}", uuid::Uuid::new_v4().simple());
    let redis = std::env::var("SWITCHBOARD_TEST_REDIS_URL")
        .unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let mut apps = Vec::new();
    for _ in 0..nodes {
        let (url, ns, redis) = (database_url.clone(), namespace.clone(), redis.clone());
        apps.push(
            spawn_app_with(move |c| {
                c.database_url = Some(url);
                c.redis_url = Some(redis);
                c.redis_namespace = ns;
                // Behind a load balancer every node has the same public URL (the tokens'
                // issuer), as in production.
                c.public_url = Some("http://switchboard.cluster.test".into());
            })
            .await,
        );
    }
    apps
}

impl TestApp {
    /// Stops the node at once: server and workers, with no clean-up.
    pub fn kill(&self) {
        for (_, t) in &self.tasks {
            t.abort();
        }
    }

    /// Stops the background worker `name` (`push_offers`, `send_email`…, see `src/app.rs`),
    /// for a test that runs the worker's step itself with an explicit time: its own passes
    /// can then not race the test's assertions.
    pub fn stop_worker(&self, name: &str) {
        let (_, worker) = self
            .tasks
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("the app runs no worker named {name}"));
        worker.abort();
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        Self::reply(req.send().await.expect("request")).await
    }

    pub async fn reply(resp: reqwest::Response) -> Reply {
        let status = resp.status();
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let text = resp.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            content_type,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn put(&self, path: &str, token: &str) -> Reply {
        self.call(Method::PUT, path, Some(token), None).await
    }

    pub async fn put_json(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    /// Sends raw bytes with a content type (malformed JSON, images…).
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let mut req = self
            .client
            .request(method, self.url(path))
            .header("content-type", content_type)
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        Self::reply(req.send().await.expect("request")).await
    }

    pub async fn login(&self, tenant: Option<&str>, email: &str, password: &str) -> Reply {
        let mut body = json!({"email": email, "password": password});
        if let Some(t) = tenant {
            body["tenant"] = json!(t);
        }
        self.call(Method::POST, "/api/v1/auth/token", None, Some(body))
            .await
    }

    pub async fn operator_token(&self) -> String {
        let reply = self.login(None, OPERATOR_EMAIL, OPERATOR_PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        reply.body["access_token"]
            .as_str()
            .expect("token")
            .to_owned()
    }

    pub async fn create_tenant(&self, slug: &str) -> Tenant {
        let op = self.operator_token().await;
        let admin_email = format!("owner@{slug}.example.com");
        let reply = self
            .post(
                "/api/v1/platform/tenants",
                &op,
                json!({
                    "name": format!("{slug} Inc."),
                    "slug": slug,
                    "plan": "select",
                    "admin": {"email": admin_email, "display_name": "Owner", "password": ADMIN_PASSWORD}
                }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        let token = self.login(Some(slug), &admin_email, ADMIN_PASSWORD).await;
        assert_eq!(token.status, StatusCode::OK, "{}", token.text);
        Tenant {
            id: reply.id(),
            slug: slug.to_owned(),
            admin_id: reply.body["admin"]["id"]
                .as_str()
                .expect("admin id")
                .to_owned(),
            admin_email,
            token: token.body["access_token"]
                .as_str()
                .expect("token")
                .to_owned(),
        }
    }

    /// A tenant on `plan` (`select` or `prime`) with `engagement_limit` (`null`: unlimited).
    pub async fn create_tenant_on(&self, slug: &str, plan: &str, limit: Value) -> Tenant {
        let t = self.create_tenant(slug).await;
        let op = self.operator_token().await;
        let r = self
            .patch(
                &format!("/api/v1/platform/tenants/{}", t.id),
                &op,
                json!({"plan": plan, "engagement_limit": limit}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        t
    }

    /// Creates a user with a password and returns its id.
    pub async fn create_user(&self, tenant: &Tenant, email: &str, role: &str) -> String {
        let reply = self
            .post(
                "/api/v1/users",
                &tenant.token,
                json!({"email": email, "display_name": email.split('@').next().unwrap_or(email), "role": role, "password": ADMIN_PASSWORD}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        reply.id()
    }

    pub async fn user_token(&self, tenant: &Tenant, email: &str) -> String {
        let reply = self.login(Some(&tenant.slug), email, ADMIN_PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        reply.body["access_token"]
            .as_str()
            .expect("token")
            .to_owned()
    }
}

/// Reads `path` every 50 ms until `done` holds for its body, and returns that reply; fails
/// with `what` once `limit` has passed since `since`.
pub async fn poll_until(
    app: &TestApp,
    path: &str,
    token: &str,
    since: std::time::Instant,
    limit: std::time::Duration,
    what: &str,
    done: impl Fn(&serde_json::Value) -> bool,
) -> Reply {
    loop {
        let reply = app.get(path, token).await;
        if done(&reply.body) {
            return reply;
        }
        assert!(
            since.elapsed() < limit,
            "{what} (last answer: {})",
            reply.text
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Reads `read` every 50 ms until it holds `n` items or more, and returns them; fails naming
/// `what` once `limit` has passed.
pub async fn wait_for_count<T>(
    n: usize,
    limit: std::time::Duration,
    what: &str,
    read: impl Fn() -> Vec<T>,
) -> Vec<T> {
    let since = std::time::Instant::now();
    loop {
        let got = read();
        if got.len() >= n {
            return got;
        }
        assert!(since.elapsed() < limit, "{what}: {}, not {n}", got.len());
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// A 1x1 PNG (valid signature and IHDR).
pub fn tiny_png() -> Vec<u8> {
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    png.extend_from_slice(&[0, 0, 0, 13]);
    png.extend_from_slice(b"IHDR");
    png.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
    png.extend_from_slice(&[0x1f, 0x15, 0xc4, 0x89]);
    png
}

/// A `multipart/form-data` body with one file in the field `file`: `(content type, body)`.
pub fn multipart_file(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "sb-test-boundary-7d1f";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl TestApp {
    /// Uploads one file as `multipart/form-data` (field `file`).
    pub async fn upload(&self, path: &str, token: &str, name: &str, bytes: &[u8]) -> Reply {
        let (content_type, body) = multipart_file(name, bytes);
        self.send_raw(Method::POST, path, Some(token), &content_type, body)
            .await
    }
}

/// A TCP port on loopback nobody listens on (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
