//! Webhook endpoints and their deliveries as the API shows them.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use switchboard_service::views;
use uuid::Uuid;

use crate::text::Text;

/// An endpoint (its secret is shown only when it is created).
#[derive(Debug, Object)]
pub struct Webhook {
    pub id: Uuid,
    pub url: String,
    /// The event kinds it receives.
    pub events: Vec<String>,
    pub created_at: DateTime<Utc>,
}

impl From<views::WebhookEndpoint> for Webhook {
    fn from(e: views::WebhookEndpoint) -> Self {
        Self {
            id: e.id,
            url: e.url,
            events: e.events,
            created_at: e.created_at,
        }
    }
}

#[derive(Debug, Object)]
pub struct WebhookList {
    pub items: Vec<Webhook>,
}

/// A new endpoint, with the secret that signs its deliveries: shown this once.
#[derive(Debug, Object)]
pub struct CreatedWebhook {
    #[oai(flatten)]
    pub webhook: Webhook,
    /// HMAC-SHA256 key of the `Switchboard-Signature` header: `t=<unix seconds>,v1=<hex of
    /// HMAC-SHA256(secret, "<t>.<body>")>`.
    pub secret: String,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    /// An http(s) URL; private and loopback addresses are refused unless the deployment
    /// allows them.
    pub url: Text,
    /// `conversation.accepted`, `conversation.ended`, `conversation.fallback`,
    /// `conversation.message_left`, `conversation.rated`, `engagement.consumed`,
    /// `engagement.limit_reached`.
    pub events: Vec<String>,
}

/// One delivery of an event to an endpoint, with how it went.
#[derive(Debug, Object)]
pub struct WebhookDelivery {
    pub id: Uuid,
    pub webhook_id: Uuid,
    pub event: String,
    /// `pending` (waiting or retrying), `delivered` or `failed` (every retry used).
    pub status: String,
    pub attempts: i32,
    /// The receiver's last HTTP status.
    pub last_status: Option<i32>,
    /// Why the last attempt got no answer.
    pub last_error: Option<String>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// The delivery this one replays.
    pub replay_of: Option<Uuid>,
    /// The JSON body sent (the same on every attempt and replay).
    pub body: String,
    pub created_at: DateTime<Utc>,
}

impl From<views::WebhookDelivery> for WebhookDelivery {
    fn from(d: views::WebhookDelivery) -> Self {
        Self {
            id: d.id,
            webhook_id: d.endpoint_id,
            event: d.event,
            next_attempt_at: (d.status == switchboard_core::DeliveryStatus::Pending)
                .then_some(d.next_attempt_at),
            status: d.status.to_string(),
            attempts: d.attempts,
            last_status: d.last_status,
            last_error: d.last_error,
            delivered_at: d.delivered_at,
            replay_of: d.replay_of,
            body: d.body,
            created_at: d.created_at,
        }
    }
}

#[derive(Debug, Object)]
pub struct WebhookDeliveryList {
    pub items: Vec<WebhookDelivery>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}
