//! Webhooks (SPEC §9): a tenant registers endpoints for conversation and engagement events.
//! Each event is written to the outbox (one delivery per endpoint that wants it) once the
//! change it reports is committed; every node's worker claims due deliveries, signs and
//! sends them, and retries failures with exponential back-off. A delivery's log is kept, and
//! any delivery can be replayed (a new delivery of the same body).

use std::sync::OnceLock;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;
use switchboard_core::page::{Page, PageRequest};
use switchboard_core::{TenantId, ValidationError};
use switchboard_notify::webhook::{self, Attempt};
use switchboard_store::now;
use switchboard_store::webhooks::{self as store, deliveries, endpoints};
use uuid::Uuid;

use crate::outbox::Outbox;
use crate::{Principal, Service, ServiceError, ServiceResult, random_token};

/// The event kinds an endpoint may ask for.
pub const EVENT_KINDS: [&str; 7] = [
    "conversation.accepted",
    "conversation.ended",
    "conversation.fallback",
    "conversation.message_left",
    "conversation.rated",
    "engagement.consumed",
    "engagement.limit_reached",
];

/// Endpoints per tenant at most.
pub const MAX_ENDPOINTS: usize = 20;

/// How deliveries are made; set once at start-up.
#[derive(Debug, Clone)]
pub struct WebhookOptions {
    /// Whether endpoints may be on private or loopback addresses (off in production: it
    /// would let a tenant probe the server's network).
    pub allow_private: bool,
    /// The first retry's delay; each next one doubles it, up to an hour.
    pub retry_base: Duration,
    /// Attempts before a delivery is given up as failed.
    pub max_attempts: i32,
}

impl Default for WebhookOptions {
    fn default() -> Self {
        Self {
            allow_private: false,
            retry_base: Duration::from_secs(30),
            max_attempts: 8,
        }
    }
}

/// A new endpoint, with its secret (shown this once).
pub struct CreatedEndpoint {
    pub endpoint: crate::views::WebhookEndpoint,
    /// Signs every delivery; shown this once.
    pub secret: String,
}

fn invalid(field: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::Validation(ValidationError::new(field, message))
}

impl Service {
    /// Sets how webhooks are delivered (once, at start-up; later calls change nothing).
    pub fn configure_webhooks(&self, options: WebhookOptions) {
        let _ = self.inner_webhooks().options.set(options);
    }

    fn webhook_options(&self) -> WebhookOptions {
        self.inner_webhooks()
            .options
            .get()
            .cloned()
            .unwrap_or_default()
    }

    /// Registers an endpoint for some event kinds.
    pub async fn create_webhook(
        &self,
        who: &Principal,
        url: &str,
        events: &[String],
    ) -> ServiceResult<CreatedEndpoint> {
        let tenant = who.admin_tenant()?;
        let url = webhook::check_url(url, self.webhook_options().allow_private)
            .map_err(|e| invalid("url", e.to_string()))?;
        if url.as_str().len() > 2000 {
            return Err(invalid("url", "must be at most 2000 characters"));
        }
        if events.is_empty() {
            return Err(invalid("events", "must name at least one event kind"));
        }
        let mut kinds: Vec<&str> = Vec::new();
        for (i, e) in events.iter().enumerate() {
            let Some(kind) = EVENT_KINDS.iter().find(|k| **k == e.as_str()) else {
                return Err(invalid(
                    &format!("events[{i}]"),
                    format!("must be one of {}", EVENT_KINDS.join(", ")),
                ));
            };
            if !kinds.contains(kind) {
                kinds.push(kind);
            }
        }
        if store::endpoints_of(self.db(), tenant).await?.len() >= MAX_ENDPOINTS {
            return Err(ServiceError::conflict(
                "url",
                "this workspace has the most webhook endpoints it may have",
            ));
        }
        // Kept sealed: the database alone does not let anyone sign as this server.
        let secret = format!("whsec_{}", random_token(32));
        let txn = switchboard_store::begin_write(self.db()).await?;
        let endpoint = store::insert_endpoint(
            &txn,
            endpoints::Model {
                id: Uuid::now_v7(),
                tenant_id: tenant.as_uuid(),
                url: url.to_string(),
                secret: self.auth_config().sealer.seal(&secret),
                events: json!(kinds),
                created_at: now(),
            },
        )
        .await?;
        audit_webhook(
            &txn,
            who,
            tenant,
            "webhook.created",
            endpoint.id,
            json!({"url": endpoint.url, "events": kinds}),
        )
        .await?;
        txn.commit().await?;
        self.config_changed(tenant).await;
        Ok(CreatedEndpoint {
            secret,
            endpoint: endpoint.into(),
        })
    }

    pub async fn list_webhooks(
        &self,
        who: &Principal,
    ) -> ServiceResult<Vec<crate::views::WebhookEndpoint>> {
        let tenant = who.admin_tenant()?;
        Ok(store::endpoints_of(self.db(), tenant)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    pub async fn delete_webhook(&self, who: &Principal, id: Uuid) -> ServiceResult<()> {
        let tenant = who.admin_tenant()?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let gone = store::find_endpoint(&txn, tenant, id).await?;
        store::delete_endpoint(&txn, tenant, id).await?;
        audit_webhook(
            &txn,
            who,
            tenant,
            "webhook.deleted",
            id,
            json!({"url": gone.url}),
        )
        .await?;
        txn.commit().await?;
        self.config_changed(tenant).await;
        Ok(())
    }

    /// An endpoint and its delivery log, newest first.
    pub async fn webhook_deliveries(
        &self,
        who: &Principal,
        endpoint: Uuid,
        page: PageRequest,
    ) -> ServiceResult<(
        crate::views::WebhookEndpoint,
        Page<crate::views::WebhookDelivery>,
    )> {
        let tenant = who.admin_tenant()?;
        let e = store::find_endpoint(self.db(), tenant, endpoint).await?;
        let log = store::deliveries_of(self.db(), tenant, endpoint, page).await?;
        Ok((e.into(), log.map(Into::into)))
    }

    /// Sends a delivery's body again, as a new delivery (with its own log).
    pub async fn replay_webhook(
        &self,
        who: &Principal,
        endpoint: Uuid,
        delivery: Uuid,
    ) -> ServiceResult<crate::views::WebhookDelivery> {
        let tenant = who.admin_tenant()?;
        let d = store::find_delivery(self.db(), tenant, endpoint, delivery).await?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let replay = store::insert_delivery(
            &txn,
            new_delivery(tenant, endpoint, &d.event, d.body.clone(), Some(d.id)),
        )
        .await?;
        audit_webhook(
            &txn,
            who,
            tenant,
            "webhook.replayed",
            endpoint,
            json!({"delivery": d.id, "event": d.event}),
        )
        .await?;
        txn.commit().await?;
        Ok(replay.into())
    }

    /// The outbox of a change reporting `events` (type, data): one delivery per endpoint of
    /// the tenant that wants each. It is written in the change's own transaction, so an
    /// event is recorded if and only if its change is; a caller adds the change's emails.
    pub(crate) async fn webhook_outbox(
        &self,
        tenant: TenantId,
        events: &[(&str, serde_json::Value)],
    ) -> ServiceResult<Outbox> {
        let snapshot = self.routing_snapshot(tenant).await?;
        let mut rows = Vec::new();
        for (kind, data) in events {
            let wanted: Vec<_> = snapshot.webhooks.iter().filter(|e| e.wants(kind)).collect();
            if wanted.is_empty() {
                continue;
            }
            let body = json!({
                "id": Uuid::now_v7(),
                "type": kind,
                "created_at": now(),
                "tenant_id": tenant,
                "data": data,
            })
            .to_string();
            for e in wanted {
                rows.push(new_delivery(tenant, e.id, kind, body.clone(), None));
            }
        }
        Ok(Outbox {
            deliveries: rows,
            emails: Vec::new(),
        })
    }

    /// Sends the deliveries that are due; every node runs it. Returns how many it attempted.
    pub async fn deliver_due_webhooks(
        &self,
        client: &reqwest::Client,
        at: DateTime<Utc>,
    ) -> ServiceResult<usize> {
        let options = self.webhook_options();
        let claim = Uuid::now_v7();
        let due =
            store::claim_due_unscoped(self.db(), claim, at, at + crate::outbox::BATCH_LEASE, 20)
                .await?;
        let n = due.len();
        for d in due {
            // Renewed before each attempt (a batch's slow receivers must not let a later
            // delivery's lease lapse); a delivery whose lease was lost is left alone.
            if !store::renew_claim_unscoped(self.db(), d.id, claim, Utc::now() + WEBHOOK_LEASE)
                .await?
            {
                continue;
            }
            let tenant = TenantId::from_uuid(d.tenant_id);
            let endpoint = match store::find_endpoint(self.db(), tenant, d.endpoint_id).await {
                Ok(e) => e,
                // Deleted meanwhile (its deliveries go with it).
                Err(switchboard_store::StoreError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            let id = d.id.to_string();
            // Endpoints made before sealing hold it in clear; `open` reads both.
            let secret = self.auth_config().sealer.open(&endpoint.secret)?;
            let attempt = webhook::deliver(
                client,
                &webhook::Delivery {
                    url: &endpoint.url,
                    secret: &secret,
                    event: &d.event,
                    id: &id,
                    body: &d.body,
                },
                options.allow_private,
                Utc::now().timestamp(),
            )
            .await;
            let retry = || {
                switchboard_store::outbox::next_retry(
                    d.attempts,
                    options.max_attempts,
                    options.retry_base,
                )
            };
            let (status, error, delivered, next) = match attempt {
                Attempt::Delivered(s) => (Some(i32::from(s)), None, true, None),
                Attempt::Refused(s) => (Some(i32::from(s)), None, false, retry()),
                Attempt::Failed(why) => (None, Some(why), false, retry()),
            };
            if !store::record_attempt_unscoped(
                self.db(),
                d.id,
                claim,
                status,
                error,
                delivered,
                next,
            )
            .await?
            {
                tracing::warn!(delivery = %d.id, "a delivery's lease was lost during its attempt");
            }
        }
        Ok(n)
    }
}

fn new_delivery(
    tenant: TenantId,
    endpoint: Uuid,
    kind: &str,
    body: String,
    replay_of: Option<Uuid>,
) -> deliveries::Model {
    let at = now();
    deliveries::Model {
        id: Uuid::now_v7(),
        tenant_id: tenant.as_uuid(),
        endpoint_id: endpoint,
        event: kind.to_owned(),
        body,
        status: switchboard_core::DeliveryStatus::Pending,
        attempts: 0,
        next_attempt_at: at,
        claim: None,
        claimed_until: None,
        last_status: None,
        last_error: None,
        delivered_at: None,
        replay_of,
        created_at: at,
    }
}

/// How long a worker holds a delivery it is attempting: longer than one attempt takes (10 s),
/// and what a delivery in flight on a node that died waits before another node retries it.
const WEBHOOK_LEASE: chrono::Duration = chrono::Duration::seconds(30);

/// What [`Service`] keeps for webhooks.
#[derive(Default)]
pub(crate) struct WebhookState {
    options: OnceLock<WebhookOptions>,
}

/// Webhook changes are audited (issue 15).
async fn audit_webhook(
    conn: &impl switchboard_store::ConnectionTrait,
    who: &Principal,
    tenant: TenantId,
    action: &str,
    endpoint: Uuid,
    details: serde_json::Value,
) -> ServiceResult<()> {
    switchboard_store::audit::append(
        conn,
        tenant,
        &who.actor(),
        switchboard_store::audit::Entry {
            action,
            target_kind: "webhook",
            target_id: Some(endpoint),
            details,
        },
    )
    .await?;
    Ok(())
}
