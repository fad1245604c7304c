//! Web Push (SPEC §5, §6): an agent's browser subscribes with the server's VAPID public key
//! and hands its subscription over; the server keeps one per browser endpoint.
//!
//! The offer delivery chain: an open inbox acknowledges each offer it shows (`offer_ack`).
//! An offer still unacknowledged [`PushOptions::ack_wait`] after it was made (no inbox open,
//! a dead socket) goes to the agent's browsers by Web Push — once, whichever node sees it
//! first (the claim is a conditional update). A push the push service accepted is recorded
//! as the offer's delivery (`push`), which the routing trace shows. Subscriptions the push
//! service says are gone (404, 410) are removed.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;
use switchboard_core::{TenantId, UserId, ValidationError};
use switchboard_i18n::Texts;
use switchboard_notify::push::{self as web_push, PushOutcome, VapidKey, check_subscription};
use switchboard_store::conversations::{self, offers};
use switchboard_store::{push, tenants, users};

use crate::{Principal, Service, ServiceError, ServiceResult};

/// How pushes are made; set once at start-up.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// The server's VAPID key pair.
    pub key: VapidKey,
    /// Whether subscription endpoints may be plain http or on private or loopback addresses
    /// (a self-hosted or test push service); off in production, where an endpoint would
    /// otherwise let a user make the server call into its own network.
    pub allow_private: bool,
    /// How long an offer may stay unacknowledged by an inbox before it goes out by push.
    pub ack_wait: Duration,
}

impl PushOptions {
    pub fn new(key: VapidKey) -> Self {
        Self {
            key,
            allow_private: false,
            ack_wait: Duration::from_secs(3),
        }
    }
}

/// The most browsers one user may have subscribed at once (a new one replaces the oldest).
pub const MAX_SUBSCRIPTIONS: u64 = 10;

/// The most pushes one tenant may have in flight on a node: an offer's pushes go to the
/// agent's browsers at once, but one tenant's slow push services cannot hold every
/// connection of the node.
pub const PUSHES_PER_TENANT: usize = 8;

impl Service {
    /// Sets how pushes are made (once, at start-up; later calls change nothing).
    pub fn configure_push(&self, options: PushOptions) {
        let _ = self.inner_push().options.set(options);
    }

    /// The VAPID public key browsers subscribe with (`applicationServerKey`).
    pub fn vapid_public_key(&self) -> Option<String> {
        self.inner_push().options.get().map(|o| o.key.public_key())
    }

    /// Stores the caller's browser subscription (the same endpoint again replaces its keys).
    /// A user keeps at most [`MAX_SUBSCRIPTIONS`]: a new one beyond that replaces the oldest.
    pub async fn add_push_subscription(
        &self,
        who: &Principal,
        endpoint: &str,
        p256dh: &str,
        auth: &str,
    ) -> ServiceResult<()> {
        let tenant = who.member_tenant()?;
        let user = who.user_id().ok_or(ServiceError::Forbidden(
            "push subscriptions belong to a user, not an API key",
        ))?;
        let allow_private = self
            .inner_push()
            .options
            .get()
            .is_some_and(|o| o.allow_private);
        check_subscription(endpoint, p256dh, auth, allow_private)
            .map_err(|(field, message)| ValidationError::new(field, message))?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        push::upsert(&txn, tenant, user, endpoint, p256dh, auth).await?;
        push::keep_newest(&txn, user, MAX_SUBSCRIPTIONS).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Forgets the caller's subscription for this endpoint.
    pub async fn remove_push_subscription(
        &self,
        who: &Principal,
        endpoint: &str,
    ) -> ServiceResult<()> {
        let tenant = who.member_tenant()?;
        let user = who.user_id().ok_or(ServiceError::Forbidden(
            "push subscriptions belong to a user, not an API key",
        ))?;
        if !push::remove(self.db(), tenant, user, endpoint).await? {
            return Err(ServiceError::NotFound);
        }
        Ok(())
    }

    /// How many browsers the caller has subscribed.
    pub async fn push_subscription_count(&self, who: &Principal) -> ServiceResult<usize> {
        let tenant = who.member_tenant()?;
        let Some(user) = who.user_id() else {
            return Ok(0);
        };
        Ok(push::of_user(self.db(), tenant, user).await?.len())
    }
}

impl Service {
    /// Takes the offers no inbox acknowledged in time to Web Push; every node runs it.
    /// Returns how many offers it took.
    pub async fn push_unacknowledged_offers(
        &self,
        client: &reqwest::Client,
        at: DateTime<Utc>,
    ) -> ServiceResult<usize> {
        let Some(options) = self.inner_push().options.get() else {
            return Ok(0);
        };
        let wait = chrono::Duration::from_std(options.ack_wait).unwrap_or_default();
        let due = offers::unacknowledged_unscoped(self.db(), at - wait, at).await?;
        let mut taken = 0;
        let mut pushes = tokio::task::JoinSet::new();
        for offer in due {
            if !offers::claim_push_unscoped(self.db(), offer.id, at).await? {
                continue;
            }
            taken += 1;
            let (service, client) = (self.clone(), client.clone());
            pushes.spawn(async move {
                let pushed = service.push_offer(&client, &offer).await;
                // Not reached: tried again with back-off (1 s, 2 s, 4 s, then every 8 s)
                // while the offer is open; nobody to push to: never again.
                let next = match &pushed {
                    Ok(Pushed::Reached) => return,
                    Ok(Pushed::Nobody) => offer.expires_at,
                    Ok(Pushed::Missed) | Err(_) => {
                        let backoff = 1i64 << offer.push_attempts.clamp(0, 3);
                        (Utc::now() + chrono::Duration::seconds(backoff)).min(offer.expires_at)
                    }
                };
                if let Err(e) = &pushed {
                    tracing::warn!(error = %e, offer = %offer.id, "pushing an offer");
                }
                if let Err(e) = offers::push_missed_unscoped(service.db(), offer.id, next).await {
                    tracing::warn!(error = %e, offer = %offer.id, "recording a push not delivered");
                }
            });
        }
        while pushes.join_next().await.is_some() {}
        Ok(taken)
    }

    /// Pushes one offer to every browser of its agent (if they want browser
    /// notifications); records the delivery when a push service accepted it.
    async fn push_offer(
        &self,
        client: &reqwest::Client,
        offer: &offers::Model,
    ) -> ServiceResult<Pushed> {
        let Some(options) = self.inner_push().options.get() else {
            return Ok(Pushed::Nobody);
        };
        let tenant = TenantId::from_uuid(offer.tenant_id);
        let agent = users::find(self.db(), tenant, UserId::from_uuid(offer.agent_id)).await?;
        if !agent.active || !agent.notify_browser {
            return Ok(Pushed::Nobody);
        }
        let subscriptions = push::of_user(self.db(), tenant, agent.user_id()).await?;
        if subscriptions.is_empty() {
            return Ok(Pushed::Nobody);
        }
        let conversation = conversations::find(self.db(), tenant, offer.conversation_id).await?;
        // In the agent's language (their choice, else the workspace's default).
        let locale = match agent.locale() {
            Some(l) => l,
            None => {
                tenants::find(self.db(), tenant)
                    .await?
                    .settings()
                    .default_locale
            }
        };
        let payload = offer_payload(offer, &conversation.visitor, Texts(locale)).to_string();
        let ttl = (offer.expires_at - Utc::now())
            .to_std()
            .unwrap_or(Duration::from_secs(1));
        let contact = format!("{}/inbox", self.public_url());
        // Sent to every browser at once, within the tenant's allowance.
        let slots = self.inner_push().slots(tenant);
        let mut sends = tokio::task::JoinSet::new();
        for s in subscriptions {
            let (client, key, contact, payload, slots) = (
                client.clone(),
                options.key.clone(),
                contact.clone(),
                payload.clone(),
                slots.clone(),
            );
            let allow_private = options.allow_private;
            sends.spawn(async move {
                let _permit = slots.acquire_owned().await;
                let outcome = web_push::send(
                    &client,
                    &key,
                    &contact,
                    &web_push::Subscription {
                        endpoint: &s.endpoint,
                        p256dh: &s.p256dh,
                        auth: &s.auth,
                    },
                    payload.as_bytes(),
                    ttl,
                    allow_private,
                )
                .await;
                (s.id, outcome)
            });
        }
        let mut reached = false;
        while let Some(done) = sends.join_next().await {
            let Ok((id, outcome)) = done else { continue };
            match outcome {
                PushOutcome::Accepted => reached = true,
                PushOutcome::Gone => push::remove_gone_unscoped(self.db(), id).await?,
                PushOutcome::Failed(why) => {
                    tracing::warn!(offer = %offer.id, reason = %why, "a push was not accepted")
                }
            }
        }
        if !reached {
            return Ok(Pushed::Missed);
        }
        offers::mark_delivered_unscoped(self.db(), offer.id, offer.agent_id, "push").await?;
        Ok(Pushed::Reached)
    }
}

/// What a try at pushing an offer came to.
enum Pushed {
    /// A push service accepted it for at least one of the agent's browsers.
    Reached,
    /// No push service accepted it: worth another try.
    Missed,
    /// Nobody to push to (no subscription, browser notifications off, push not set up).
    Nobody,
}

/// What a pushed offer carries (the service worker shows it, and opens `url` on a click):
/// the `offer` frame's fields, with a title and a line to show.
fn offer_payload(
    offer: &offers::Model,
    visitor: &serde_json::Value,
    tx: Texts,
) -> serde_json::Value {
    let captured = &visitor["captured"];
    let name = [&captured["first_name"], &captured["last_name"]]
        .iter()
        .filter_map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let who = if name.is_empty() {
        captured["email"]
            .as_str()
            .map_or_else(|| tx.t("push-a-visitor"), str::to_owned)
    } else {
        name
    };
    json!({
        "type": "offer",
        "offer_id": offer.id,
        "conversation_id": offer.conversation_id,
        "expires_at": offer.expires_at,
        "visitor": visitor,
        "title": tx.t("push-offer-title"),
        "body": tx.t1("push-offer-body", "who", who),
        "url": format!("/inbox?conversation={}", offer.conversation_id),
    })
}

/// What [`Service`] keeps for Web Push.
#[derive(Default)]
pub(crate) struct PushState {
    options: OnceLock<PushOptions>,
    /// Pushes in flight per tenant (see [`PUSHES_PER_TENANT`]).
    tenants: std::sync::Mutex<std::collections::HashMap<uuid::Uuid, Arc<tokio::sync::Semaphore>>>,
}

impl PushState {
    /// The tenant's allowance of pushes in flight on this node.
    fn slots(&self, tenant: TenantId) -> Arc<tokio::sync::Semaphore> {
        let mut map = self
            .tenants
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry(tenant.as_uuid())
            .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(PUSHES_PER_TENANT)))
            .clone()
    }
}
