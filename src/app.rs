//! The HTTP application: builds every part from the configuration, binds the listener first
//! (so tests know the port before anything runs) and serves until SIGTERM or Ctrl-C.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use poem::listener::{Acceptor, Listener, TcpAcceptor, TcpListener};
use poem::web::{Html, Redirect};
use poem::{EndpointExt, IntoResponse, Route, Server, handler};
use switchboard_service::Service;
use switchboard_service::auth::AuthConfig;

use crate::config::{Config, redact_url};
use crate::metrics::{self, Metrics};

/// What the operator's first start printed: the credentials, when they were generated here.
#[derive(Debug, Clone)]
pub struct FirstStart {
    pub email: String,
    pub password: Option<String>,
}

pub struct Application {
    acceptor: TcpAcceptor,
    app: poem::endpoint::BoxEndpoint<'static>,
    port: u16,
    url: String,
    pub first_start: Option<FirstStart>,
    pub service: Service,
    /// Background workers (expiry, housekeeping…) by name, stopped when the server stops.
    workers: Vec<(&'static str, tokio::task::JoinHandle<()>)>,
}

/// Opens the database named by the configuration and applies pending migrations.
async fn open_database(config: &Config) -> anyhow::Result<switchboard_store::Database> {
    let url = config.database_url();
    if url.starts_with("sqlite:") && config.database_url.is_none() {
        private_dir(&config.data_dir)?;
        // Created readable by its owner only; SQLite gives its WAL and shared-memory files
        // the database file's permissions.
        private_file(&config.data_dir.join("switchboard.db"))?;
    }
    let db = switchboard_store::connect(&url, config.db_max_connections)
        .await
        .with_context(|| format!("connecting to DATABASE_URL {}", redact_url(&url)))?;
    switchboard_store::db::migrate(&db)
        .await
        .context("migrating the database")?;
    Ok(db)
}

pub async fn migrate_only(config: &Config) -> anyhow::Result<()> {
    open_database(config).await?;
    tracing::info!("database migrated");
    Ok(())
}

/// The MaxMind database, when one is configured: read and checked before anything else
/// starts, so that a bad file stops start-up naming the variable.
fn geoip_db(config: &Config) -> anyhow::Result<Option<switchboard_api::GeoIpDb>> {
    let Some(path) = &config.geoip_db else {
        return Ok(None);
    };
    let db = switchboard_api::GeoIpDb::open(path)
        .map_err(|e| anyhow::anyhow!("SWITCHBOARD_GEOIP_DB: {e}"))?;
    tracing::info!(path = %path.display(), database_type = db.database_type(), "GeoIP database");
    Ok(Some(db))
}

/// The JWT secret: configured, or read from (or generated into) the data directory.
fn jwt_secret(config: &Config) -> anyhow::Result<Vec<u8>> {
    if let Some(secret) = &config.jwt_secret {
        return Ok(secret.as_bytes().to_vec());
    }
    if config
        .database_url
        .as_deref()
        .is_some_and(|u| u.starts_with("postgres"))
    {
        tracing::warn!(
            "SWITCHBOARD_JWT_SECRET is unset: using a secret kept in the data directory; nodes sharing this database must share it"
        );
    }
    read_or_create_secret(&config.data_dir.join("jwt_secret"))
}

/// The key that seals secrets stored in the database: configured, or kept in the data
/// directory (created on first start).
fn secret_key(config: &Config) -> anyhow::Result<Vec<u8>> {
    if let Some(secret) = &config.secret_key {
        return Ok(secret.as_bytes().to_vec());
    }
    read_or_create_secret(&config.data_dir.join("secret_key"))
}

/// The VAPID key pair: configured, or kept in the data directory (created on first start).
fn vapid_key(config: &Config) -> anyhow::Result<switchboard_notify::push::VapidKey> {
    use switchboard_notify::push::VapidKey;
    if let Some(key) = &config.vapid_private_key {
        return Ok(key.clone());
    }
    let path = config.data_dir.join("vapid_private_key");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return VapidKey::from_base64url(&existing)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()));
    }
    private_dir(&config.data_dir)?;
    let key = VapidKey::generate();
    write_private(&path, key.private_base64url().as_bytes())?;
    Ok(key)
}

/// A CA certificate file named by the setting `var`, when there is one.
fn read_ca(path: Option<&Path>, var: &str) -> anyhow::Result<Option<Vec<u8>>> {
    path.map(|p| std::fs::read(p).with_context(|| format!("reading {var} {}", p.display())))
        .transpose()
}

/// The data directory: created readable by its owner only (0700), and made so if it was not.
fn private_dir(dir: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        builder.mode(0o700);
        builder
            .create(dir)
            .with_context(|| format!("creating {}", dir.display()))?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("making {} private (0700)", dir.display()))?;
    }
    #[cfg(not(unix))]
    builder
        .create(dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    Ok(())
}

/// Opens (creating it if need be) a file readable by its owner only (0600 from creation).
fn private_file(path: &Path) -> anyhow::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))
}

/// Writes a secret to a file readable by its owner only, never readable by others even for a
/// moment.
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let _ = std::fs::remove_file(path);
    private_file(path)?
        .write_all(bytes)
        .with_context(|| format!("writing {}", path.display()))
}

fn read_or_create_secret(path: &Path) -> anyhow::Result<Vec<u8>> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        let existing = existing.trim();
        if existing.len() >= 32 {
            return Ok(existing.as_bytes().to_vec());
        }
    }
    if let Some(dir) = path.parent() {
        private_dir(dir)?;
    }
    let secret = {
        use base64::Engine;
        use rand::RngCore;
        let mut bytes = [0u8; 48];
        rand::rng().fill_bytes(&mut bytes);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    };
    write_private(path, secret.as_bytes())?;
    Ok(secret.into_bytes())
}

#[handler]
fn healthz() -> &'static str {
    "ok"
}

#[handler]
async fn readyz(service: poem::web::Data<&Service>) -> poem::Response {
    match service.ready().await {
        Ok(()) => "ready".into_response(),
        Err(what) => (poem::http::StatusCode::SERVICE_UNAVAILABLE, what).into_response(),
    }
}

/// Who may read `/metrics` on the main listener.
#[derive(Clone)]
enum MetricsAccess {
    /// Requests with this bearer token.
    Token(String),
    /// Nobody: served on their own address, or not at all.
    Elsewhere,
}

fn render_metrics(metrics: &Metrics) -> poem::Response {
    metrics
        .render()
        .with_content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .into_response()
}

/// `/metrics` on the main listener: only with the configured bearer token (401 without it);
/// 404 when metrics are served on their own address or not configured.
#[handler]
fn metrics_endpoint(
    req: &poem::Request,
    metrics: poem::web::Data<&Metrics>,
    access: poem::web::Data<&MetricsAccess>,
) -> poem::Response {
    match access.0 {
        MetricsAccess::Elsewhere => not_found_page(),
        MetricsAccess::Token(token) => {
            let given = req
                .header(poem::http::header::AUTHORIZATION)
                .and_then(|h| h.strip_prefix("Bearer "))
                .unwrap_or("");
            if switchboard_service::auth::constant_time_eq(given.as_bytes(), token.as_bytes()) {
                render_metrics(&metrics)
            } else {
                poem::Response::builder()
                    .status(poem::http::StatusCode::UNAUTHORIZED)
                    .header("WWW-Authenticate", "Bearer realm=\"metrics\"")
                    .body("metrics need the bearer token SWITCHBOARD_METRICS_TOKEN")
            }
        }
    }
}

#[handler]
fn metrics_only(metrics: poem::web::Data<&Metrics>) -> poem::Response {
    render_metrics(&metrics)
}

#[handler]
fn index() -> Redirect {
    Redirect::see_other("/console")
}

fn not_found_page() -> poem::Response {
    (
        poem::http::StatusCode::NOT_FOUND,
        Html("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Not found</title><main><h1>Not found</h1><p><a href=\"/console\">Go to the console</a></p></main></html>"),
    )
        .into_response()
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let locator = switchboard_api::Locator::new(
            config.geo_headers.clone(),
            config.trusted_proxies.clone(),
            geoip_db(&config)?,
        );
        let proxies = config.trusted_proxies.clone();
        let acceptor = TcpListener::bind(config.listen)
            .into_acceptor()
            .await
            .with_context(|| format!("binding SWITCHBOARD_LISTEN {}", config.listen))?;
        let bound = acceptor
            .local_addr()
            .first()
            .and_then(|a| a.as_socket_addr().copied())
            .context("the listener has no address")?;
        let url = config.public_url(bound);

        let db = open_database(&config).await?;
        let mut auth = AuthConfig::new(
            jwt_secret(&config)?,
            &secret_key(&config)?,
            url.clone(),
            Duration::from_secs(config.token_ttl_seconds),
        );
        auth.require_two_factor = config.require_2fa;
        let realtime = match &config.redis_url {
            Some(redis) => {
                let ca = read_ca(config.redis_ca_file.as_deref(), "SWITCHBOARD_REDIS_CA_FILE")?;
                switchboard_realtime::AnyRealtime::Redis(
                    switchboard_realtime::redis::RedisRealtime::connect_trusting(
                        redis,
                        &config.redis_namespace,
                        ca.as_deref(),
                    )
                    .await
                    .with_context(|| format!("connecting to REDIS_URL {}", redact_url(redis)))?,
                )
            }
            None => switchboard_realtime::AnyRealtime::Memory(Box::default()),
        };
        tracing::info!(backend = realtime.backend(), "realtime state");
        let service = Service::new(db, realtime, auth, url.clone());
        service.configure_limits(config.rate_limits.clone());
        service.configure_push(switchboard_service::push::PushOptions {
            allow_private: config.push_allow_private,
            ..switchboard_service::push::PushOptions::new(vapid_key(&config)?)
        });
        let mailer = match &config.smtp_url {
            Some(url) => {
                let ca = read_ca(config.smtp_ca_file.as_deref(), "SWITCHBOARD_SMTP_CA_FILE")?;
                Some(
                    switchboard_notify::mail::Mailer::new(url, &config.smtp_from, ca.as_deref())
                        .map_err(|e| {
                            anyhow::anyhow!(
                                "SWITCHBOARD_SMTP_URL / SWITCHBOARD_SMTP_FROM / SWITCHBOARD_SMTP_CA_FILE: {e}"
                            )
                        })?,
                )
            }
            None => None,
        };
        service.configure_mail(switchboard_service::mail::MailOptions {
            mailer,
            retry_base: Duration::from_secs(config.mail_retry_seconds),
            digest_every: Duration::from_secs(config.mail_digest_seconds),
            ..Default::default()
        });
        service.configure_visitor_grace(Duration::from_secs(config.visitor_grace_seconds));
        service.configure_webhooks(switchboard_service::webhooks::WebhookOptions {
            allow_private: config.webhook_allow_private,
            retry_base: Duration::from_secs(config.webhook_retry_seconds),
            ..Default::default()
        });
        let first_start = service
            .ensure_operator(&config.operator_email, config.operator_password.as_deref())
            .await
            .map_err(|e| anyhow::anyhow!("creating the platform operator (SWITCHBOARD_OPERATOR_EMAIL / SWITCHBOARD_OPERATOR_PASSWORD): {e}"))?
            .map(|password| FirstStart {
                email: config.operator_email.clone(),
                password,
            });

        let workers = vec![
            ("housekeeping", tokio::spawn(housekeeping(service.clone()))),
            (
                "expire_offers",
                tokio::spawn(expire_offers(service.clone())),
            ),
            ("reconcile", tokio::spawn(reconcile(service.clone()))),
            (
                "reconcile_with_database",
                tokio::spawn(reconcile_with_database(service.clone())),
            ),
            ("serve_queues", tokio::spawn(serve_queues(service.clone()))),
            (
                "let_go_of_gone_visitors",
                tokio::spawn(let_go_of_gone_visitors(service.clone())),
            ),
            (
                "apply_schedules",
                tokio::spawn(apply_schedules(service.clone())),
            ),
            (
                "end_idle_chats",
                tokio::spawn(end_idle_chats(service.clone())),
            ),
            (
                "deliver_webhooks",
                tokio::spawn(deliver_webhooks(
                    service.clone(),
                    config.webhook_allow_private,
                )),
            ),
            (
                "push_offers",
                tokio::spawn(push_offers(service.clone(), config.push_allow_private)),
            ),
            ("send_email", tokio::spawn(send_email(service.clone()))),
            ("follow_config_changes", {
                let service = service.clone();
                tokio::spawn(async move {
                    tokio::select! {
                        () = service.stopped() => {}
                        () = service.follow_config_changes() => {}
                    }
                })
            }),
        ];

        let metrics = Metrics::new();
        let tracked = metrics.clone();
        let mut workers = workers;
        let access = match (&config.metrics_listen, &config.metrics_token) {
            (Some(addr), _) => {
                let listener = TcpListener::bind(*addr)
                    .into_acceptor()
                    .await
                    .with_context(|| format!("binding SWITCHBOARD_METRICS_LISTEN {addr}"))?;
                let served = Route::new()
                    .at("/metrics", metrics_only)
                    .data(metrics.clone());
                let stopping = service.clone();
                workers.push((
                    "serve_metrics",
                    tokio::spawn(async move {
                        let stopped = async move { stopping.stopped().await };
                        if let Err(e) = Server::new_with_acceptor(listener)
                            .run_with_graceful_shutdown(served, stopped, Some(SHUTDOWN_GRACE))
                            .await
                        {
                            tracing::error!(error = %e, "serving metrics");
                        }
                    }),
                ));
                MetricsAccess::Elsewhere
            }
            (None, Some(token)) => MetricsAccess::Token(token.clone()),
            (None, None) => MetricsAccess::Elsewhere,
        };
        let app = Route::new()
            .at("/", index)
            .at("/healthz", healthz)
            .at("/readyz", readyz)
            .at("/metrics", metrics_endpoint)
            .nest("/api", switchboard_api::routes(service.clone(), locator))
            .nest("/console", switchboard_console::console_routes())
            .nest("/platform", switchboard_console::platform_routes())
            .nest("/inbox", switchboard_console::inbox_routes())
            .at("/widget.js", switchboard_console::assets::widget_js)
            .at(
                "/static/inbox/:name",
                switchboard_console::assets::inbox_module,
            )
            .at("/sw.js", switchboard_console::assets::service_worker_js)
            .at(
                "/static/notify.wav",
                switchboard_console::assets::notify_wav,
            )
            .catch_error(|_: poem::error::NotFoundError| async move { not_found_page() })
            .around(switchboard_api::limit_body)
            .around(move |next, mut req| {
                // Whose request this is, for the rate limits of the API and the consoles.
                if let Some(ip) = proxies.client_addr_of(&req) {
                    req.extensions_mut()
                        .insert(switchboard_service::limits::ClientIp(ip));
                }
                async move { poem::Endpoint::call(&next, req).await }
            })
            .data(service.clone())
            .data(metrics)
            .data(access)
            .around(move |next, req| metrics::track(tracked.clone(), next, req))
            .boxed();
        Ok(Self {
            acceptor,
            app,
            port: bound.port(),
            url,
            first_start,
            service,
            workers,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Handles to abort the background workers, named after the function each runs
    /// (`push_offers`, `send_email`…). Tests use them to make a node vanish without any
    /// clean-up, as a killed process would, or to stop one worker and run its step
    /// themselves at a time they choose.
    pub fn worker_handles(&self) -> Vec<(&'static str, tokio::task::AbortHandle)> {
        self.workers
            .iter()
            .map(|(name, w)| (*name, w.abort_handle()))
            .collect()
    }

    /// Serves until SIGTERM or Ctrl-C, then stops gracefully: see the body.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        println!("Switchboard is listening on {}", self.url);
        println!(
            "  console:  {}/console    platform: {}/platform    API docs: {}/api/docs",
            self.url, self.url, self.url
        );
        if let Some(first) = &self.first_start {
            match &first.password {
                Some(password) => println!(
                    "  first start: platform operator {} with password {}  (shown once; log in at {}/platform)",
                    first.email, password, self.url
                ),
                None => println!(
                    "  first start: platform operator {} created with SWITCHBOARD_OPERATOR_PASSWORD",
                    first.email
                ),
            }
        }
        tracing::info!(url = %self.url, "serving");
        // On the signal: stop accepting, close the sockets with 1001 (their clients reconnect
        // to another node at once), let requests in flight finish (up to 10 s).
        let service = self.service.clone();
        let signal = async move {
            shutdown_signal().await;
            service.stop();
        };
        let served = Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(self.app, signal, Some(SHUTDOWN_GRACE))
            .await;
        // Workers finish the step in hand (the deliveries and emails they claimed), then
        // stop; one still busy past the grace is cut short (its claim lapses and another
        // node takes the work over).
        self.service.stop();
        let deadline = tokio::time::Instant::now() + SHUTDOWN_GRACE;
        // The sockets were told to close (1001): let them send it before the process ends.
        while self.service.open_sockets() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        for (name, worker) in self.workers {
            let abort = worker.abort_handle();
            if tokio::time::timeout_at(deadline, worker).await.is_err() {
                tracing::warn!(worker = name, "still busy when stopping; cut short");
                abort.abort();
            }
        }
        served.context("serving HTTP")?;
        tracing::info!("stopped");
        Ok(())
    }
}

/// How long, when stopping, requests in flight and workers' steps in hand may take to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Hourly, from an hour after start: clean-up of expired sessions and old idempotency
/// records, and a checkpoint of SQLite's write-ahead log.
async fn housekeeping(service: Service) {
    let period = Duration::from_secs(3600);
    let first = tokio::time::Instant::now() + period;
    repeat_from(&service, first, period, "housekeeping", || async {
        let purged = switchboard_store::db::purge_expired(service.db()).await;
        match service
            .purge_expired_conversations(chrono::Utc::now())
            .await
        {
            Ok(n) if n > 0 => {
                tracing::info!(conversations = n, "purged past retention or abandoned")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "purging conversations"),
        }
        let checkpointed = switchboard_store::db::checkpoint(service.db()).await;
        if let Ok(n) = purged
            && n > 0
        {
            tracing::info!(rows = n, "purged expired sessions and idempotency keys");
        }
        purged?;
        checkpointed?;
        Ok::<(), switchboard_service::ServiceError>(())
    })
    .await
}

/// Runs `step` every `period` until the node stops (the first run at once), logging a failure
/// as `what` and going on.
async fn repeat<F, Fut, T>(service: &Service, period: Duration, what: &'static str, step: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, switchboard_service::ServiceError>>,
{
    repeat_from(service, tokio::time::Instant::now(), period, what, step).await
}

/// [`repeat`], the first run at `first`.
async fn repeat_from<F, Fut, T>(
    service: &Service,
    first: tokio::time::Instant,
    period: Duration,
    what: &'static str,
    mut step: F,
) where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, switchboard_service::ServiceError>>,
{
    let mut every = tokio::time::interval_at(first, period);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let stopped = service.stopped();
    tokio::pin!(stopped);
    loop {
        // Stopping ends the loop between steps, never inside one: work a step claimed is
        // finished and recorded.
        tokio::select! {
            biased;
            () = &mut stopped => return,
            _ = every.tick() => {}
        }
        if let Err(e) = step().await {
            tracing::warn!(error = %e, "{what} failed");
        }
    }
}

/// The expiry worker: every node runs it; the realtime store hands each due offer to exactly
/// one of them, so an offer expires on time even when the node that made it is gone.
async fn expire_offers(service: Service) {
    repeat(
        &service,
        Duration::from_millis(200),
        "expiring offers",
        || service.expire_due_offers(chrono::Utc::now()),
    )
    .await
}

/// Each second: rebuild the realtime state if it was lost, and move on offers of agents whose
/// presence lapsed.
async fn reconcile(service: Service) {
    repeat(
        &service,
        Duration::from_secs(1),
        "reconciling the realtime state",
        || service.reconcile_realtime(),
    )
    .await
}

/// Every 15 s: check the realtime store against the database (agents' load, offers past
/// their deadline, visitors missing from their line) and correct what stays wrong.
async fn reconcile_with_database(service: Service) {
    repeat(
        &service,
        Duration::from_secs(15),
        "reconciling with the database",
        || service.reconcile_with_database(chrono::Utc::now()),
    )
    .await
}

/// Every 2 s: take out of line the visitors whose widget is gone past the grace period.
async fn let_go_of_gone_visitors(service: Service) {
    repeat(
        &service,
        Duration::from_secs(2),
        "letting go of visitors who left",
        || service.let_go_of_gone_visitors(),
    )
    .await
}

/// Every 500 ms: serve the waiting queues (a signal of a freed slot may have been lost), end
/// the waits that ran out, and tell visitors in lines that moved their new place.
async fn serve_queues(service: Service) {
    repeat(
        &service,
        Duration::from_millis(500),
        "serving the waiting queues",
        || async {
            service.serve_queues(None).await?;
            service.end_overdue_waits(chrono::Utc::now()).await?;
            service.tell_places().await
        },
    )
    .await
}

/// Each second: move agents whose schedule opened or closed (SPEC §12.1) to `available` or
/// `away`. Every node runs it; each move is made by one.
async fn apply_schedules(service: Service) {
    repeat(
        &service,
        Duration::from_secs(1),
        "applying agents' schedules",
        || service.apply_schedules(chrono::Utc::now()),
    )
    .await
}

/// Every 15 s: end live chats in which nobody wrote for the tenant's idle timeout. Every
/// node runs it; each chat is ended once.
async fn end_idle_chats(service: Service) {
    repeat(
        &service,
        Duration::from_secs(15),
        "ending idle chats",
        || service.end_idle_conversations(chrono::Utc::now()),
    )
    .await
}

/// An HTTP client for calls to addresses users gave (webhooks, push services): names are
/// resolved once and every answer checked (pinned: the connection goes to a checked
/// address), redirects are not followed (see `switchboard_notify::outbound`).
fn outbound_client(agent: &str, allow_private: bool) -> Option<reqwest::Client> {
    use switchboard_notify::outbound;
    match outbound::client(
        agent,
        allow_private,
        std::sync::Arc::new(outbound::SystemLookup),
    ) {
        Ok(c) => Some(c),
        Err(e) => {
            tracing::error!(error = %e, "no HTTP client for outbound calls");
            None
        }
    }
}

/// Every second: send the webhook deliveries that are due. Every node runs it; each
/// delivery is claimed by one.
async fn deliver_webhooks(service: Service, allow_private: bool) {
    let Some(client) = outbound_client("Switchboard-Webhooks", allow_private) else {
        return;
    };
    repeat(
        &service,
        Duration::from_secs(1),
        "delivering webhooks",
        || service.deliver_due_webhooks(&client, chrono::Utc::now()),
    )
    .await
}

/// Every 500 ms: take offers no inbox acknowledged in time to Web Push. Every node runs it;
/// each offer is pushed by one.
async fn push_offers(service: Service, allow_private: bool) {
    let Some(client) = outbound_client("Switchboard", allow_private) else {
        return;
    };
    repeat(
        &service,
        Duration::from_millis(500),
        "pushing unacknowledged offers",
        || service.push_unacknowledged_offers(&client, chrono::Utc::now()),
    )
    .await
}

/// Every second: hand the emails that are due to the SMTP server. Every node runs it; each
/// email is claimed by one.
async fn send_email(service: Service) {
    repeat(&service, Duration::from_secs(1), "sending email", || {
        service.send_due_email(chrono::Utc::now())
    })
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown signal received; finishing requests in flight");
}
