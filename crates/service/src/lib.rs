#![forbid(unsafe_code)]
//! The use cases of Switchboard: each public function is one thing a user can do, with its
//! authorization check, its transaction and its audit entry. Handlers in `api` and `console`
//! parse input, call one of these, and map the result; no rule lives in a handler.

pub mod agents;
pub mod api_keys;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod canned;
pub mod chat;
pub mod conversations;
pub mod dialogues;
pub mod error;
pub mod events;
pub mod idempotency;
pub mod left_messages;
pub mod limits;
pub mod live;
pub mod lockout;
pub mod mail;
mod message_writer;
mod offers;
mod outbox;
pub mod password_reset;
pub mod preferences;
pub mod principal;
pub mod privacy;
pub mod push;
pub mod routing;
pub mod schedules;
pub mod seal;
pub mod sessions;
pub mod settings;
mod snapshot;
mod supervision;
pub mod teams;
pub mod tenants;
pub mod two_factor;
pub mod users;
pub mod views;
pub mod webhooks;
pub mod widget;
mod writer;

use std::sync::Arc;

pub use error::{ServiceError, ServiceResult};
pub use principal::Principal;
use switchboard_store::Database;

/// Everything a use case needs, cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct Service {
    inner: Arc<Inner>,
}

/// Agents' loads seen off: `(tenant, agent)` → (realtime's, database's).
type LoadsOff = std::collections::HashMap<(uuid::Uuid, uuid::Uuid), (u32, u32)>;

struct Inner {
    /// Agents seen without presence (while holding offers) at the last reconcile pass; an
    /// agent is treated as gone only when seen so twice in a row, so that another node's
    /// rebuild of a lost realtime state is not mistaken for everyone leaving.
    lapsed: std::sync::Mutex<
        std::collections::HashSet<(switchboard_core::TenantId, switchboard_core::UserId)>,
    >,
    /// Queues whose waiting visitors are to be told their new place (folded, then sent by
    /// the queue worker's next pass).
    queues_moved: std::sync::Mutex<std::collections::HashSet<(switchboard_core::TenantId, String)>>,
    /// Agents whose realtime load differed from the database's at the last pass: (realtime,
    /// database). Corrected only when seen the same twice in a row.
    loads_off: std::sync::Mutex<LoadsOff>,
    /// Queued visitors found out of their line (and not offered) at the last pass.
    queue_lost: std::sync::Mutex<std::collections::HashSet<uuid::Uuid>>,
    /// Conversations the last reconciliation found left in routing with no offer out.
    stranded: std::sync::Mutex<std::collections::HashSet<uuid::Uuid>>,
    /// How long a queued visitor whose widget closed keeps their place (set once at start-up).
    visitor_grace: std::sync::OnceLock<std::time::Duration>,
    /// True once the node is stopping (SIGTERM): sockets close, workers finish their step.
    stopping: tokio::sync::watch::Sender<bool>,
    /// Live-chat sockets open on this node (a stopping node waits for them to close).
    sockets: Arc<std::sync::atomic::AtomicUsize>,
    db: Database,
    realtime: switchboard_realtime::AnyRealtime,
    auth: auth::AuthConfig,
    public_url: String,
    snapshots: snapshot::SnapshotCache,
    /// Group commit of routing decisions.
    decisions: writer::DecisionWriter,
    /// Group commit of chat messages.
    messages: message_writer::MessageWriter,
    webhooks: webhooks::WebhookState,
    push: push::PushState,
    mail: mail::MailState,
    /// Rate limits (set once at start-up; unset: none).
    limits: std::sync::OnceLock<limits::RateLimits>,
}

impl Service {
    pub fn new(
        db: Database,
        realtime: switchboard_realtime::AnyRealtime,
        auth: auth::AuthConfig,
        public_url: String,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                lapsed: Default::default(),
                queues_moved: Default::default(),
                loads_off: Default::default(),
                queue_lost: Default::default(),
                stranded: Default::default(),
                visitor_grace: Default::default(),
                stopping: tokio::sync::watch::Sender::new(false),
                sockets: Default::default(),
                snapshots: Default::default(),
                decisions: writer::DecisionWriter::start(db.clone()),
                messages: message_writer::MessageWriter::start(db.clone()),
                webhooks: Default::default(),
                push: Default::default(),
                mail: Default::default(),
                limits: Default::default(),
                db,
                realtime,
                auth,
                public_url: public_url.trim_end_matches('/').to_owned(),
            }),
        }
    }

    /// The node is stopping: its sockets close with code 1001 (the clients reconnect to
    /// another node at once) and its workers stop after the step in hand.
    pub fn stop(&self) {
        self.inner.stopping.send_replace(true);
    }

    /// Resolves once [`Service::stop`] was called (at once if it was already).
    pub async fn stopped(&self) {
        let mut stopping = self.inner.stopping.subscribe();
        // The sender lives as long as the service, so this only ends when stopping.
        let _ = stopping.wait_for(|s| *s).await;
    }

    /// Counts a socket as open until the guard is dropped.
    pub fn socket_open(&self) -> SocketOpen {
        self.inner
            .sockets
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        SocketOpen(self.inner.sockets.clone())
    }

    /// How many live-chat sockets are open on this node.
    pub fn open_sockets(&self) -> usize {
        self.inner.sockets.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn db(&self) -> &Database {
        &self.inner.db
    }

    pub(crate) fn inner_push(&self) -> &push::PushState {
        &self.inner.push
    }

    pub(crate) fn inner_mail(&self) -> &mail::MailState {
        &self.inner.mail
    }

    pub(crate) fn inner_webhooks(&self) -> &webhooks::WebhookState {
        &self.inner.webhooks
    }

    pub(crate) fn messages_writer(&self) -> &message_writer::MessageWriter {
        &self.inner.messages
    }

    pub(crate) fn decisions(&self) -> &writer::DecisionWriter {
        &self.inner.decisions
    }

    pub(crate) fn snapshots(&self) -> &snapshot::SnapshotCache {
        &self.inner.snapshots
    }

    pub(crate) fn inner_visitor_grace(&self) -> &std::sync::OnceLock<std::time::Duration> {
        &self.inner.visitor_grace
    }

    pub(crate) fn queues_moved(
        &self,
    ) -> &std::sync::Mutex<std::collections::HashSet<(switchboard_core::TenantId, String)>> {
        &self.inner.queues_moved
    }

    pub(crate) fn queue_lost(&self) -> &std::sync::Mutex<std::collections::HashSet<uuid::Uuid>> {
        &self.inner.queue_lost
    }

    pub(crate) fn stranded(&self) -> &std::sync::Mutex<std::collections::HashSet<uuid::Uuid>> {
        &self.inner.stranded
    }

    pub(crate) fn loads_off(&self) -> &std::sync::Mutex<LoadsOff> {
        &self.inner.loads_off
    }

    pub(crate) fn lapsed(
        &self,
    ) -> &std::sync::Mutex<
        std::collections::HashSet<(switchboard_core::TenantId, switchboard_core::UserId)>,
    > {
        &self.inner.lapsed
    }

    /// The shared, fast state of live chat (memory or Redis).
    pub fn realtime(&self) -> &switchboard_realtime::AnyRealtime {
        &self.inner.realtime
    }

    pub fn auth_config(&self) -> &auth::AuthConfig {
        &self.inner.auth
    }

    /// The URL the server is reached at, without a trailing slash (for links in answers and mail).
    pub fn public_url(&self) -> &str {
        &self.inner.public_url
    }

    /// Readiness: the database and the realtime store (Redis, when configured) answer. The
    /// error names the one that does not.
    pub async fn ready(&self) -> Result<(), &'static str> {
        if !switchboard_store::db::ping(self.db()).await {
            return Err("database unavailable");
        }
        if !self.realtime().ping().await {
            return Err("redis unavailable");
        }
        Ok(())
    }
}

/// An open socket, counted by [`Service::open_sockets`] until dropped.
pub struct SocketOpen(Arc<std::sync::atomic::AtomicUsize>);

impl Drop for SocketOpen {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Random URL-safe text carrying `bytes` bytes of entropy.
pub(crate) fn random_token(bytes: usize) -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// Hex SHA-256 of `data`: how high-entropy secrets (API keys, session tokens) are stored.
pub fn sha256_hex(data: impl AsRef<[u8]>) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(data.as_ref());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
