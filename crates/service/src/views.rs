//! What the use cases return about conversations and messages: plain values with typed
//! states and a parsed routing trace, so that `api` and `console` read them without knowing
//! how the store keeps them.

use chrono::{DateTime, Utc};
use serde_json::json;
use switchboard_core::routing::rules::Visitor;
use switchboard_core::routing::trace::{FallbackReason, RoutingTrace};
use switchboard_core::{ConversationStatus, MessageKind, Sender, TenantId};
use switchboard_store::{conversations, messages};
use uuid::Uuid;

/// A conversation with its routing trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversation {
    pub id: Uuid,
    pub tenant: TenantId,
    pub status: ConversationStatus,
    /// What is known of the visitor: location, page, captured fields.
    pub visitor: serde_json::Value,
    /// The live-chat card's routing.
    pub routing: serde_json::Value,
    pub assigned_agent_id: Option<Uuid>,
    pub fallback_reason: Option<FallbackReason>,
    pub trace: RoutingTrace,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The `seq` of its last message (0: none yet).
    pub last_seq: i64,
    /// The visitor it belongs to: every conversation they started with one widget token.
    pub visitor_id: Option<Uuid>,
    /// What the visitor left after a fallback.
    pub left_message: Option<LeftMessage>,
    /// The visitor's rating, once they gave one.
    pub rating: Option<Rating>,
    /// Admins who joined the chat beside its agent, in order of joining (filled where the
    /// API shows a conversation; empty elsewhere).
    pub participants: Vec<Uuid>,
}

/// A visitor's rating of a chat (SPEC §12.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    pub score: i32,
    pub comment: Option<String>,
    pub rated_at: DateTime<Utc>,
}

impl Rating {
    pub(crate) fn of(c: &conversations::Model) -> Option<Self> {
        Some(Self {
            score: c.rating_score?,
            comment: c.rating_comment.clone(),
            rated_at: c.rated_at?,
        })
    }
}

/// A message a visitor left after a fallback (SPEC §12.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftMessage {
    pub name: Option<String>,
    pub email: String,
    pub message: String,
    pub left_at: DateTime<Utc>,
}

impl LeftMessage {
    /// What a conversation carries, if the visitor left one.
    pub(crate) fn of(c: &conversations::Model) -> Option<Self> {
        Some(Self {
            name: c.left_message_name.clone(),
            email: c.left_message_email.clone()?,
            message: c.left_message_body.clone()?,
            left_at: c.left_message_at?,
        })
    }
}

/// The trace a conversation carries; one written by an older version that no longer reads
/// shows as an empty trace of mode `unknown` rather than failing the page.
pub(crate) fn trace_of(c: &conversations::Model) -> RoutingTrace {
    serde_json::from_value(c.trace.clone()).unwrap_or_else(|_| RoutingTrace::new("unknown"))
}

impl From<conversations::Model> for Conversation {
    fn from(c: conversations::Model) -> Self {
        Self {
            trace: trace_of(&c),
            left_message: LeftMessage::of(&c),
            rating: Rating::of(&c),
            visitor_id: c.visitor_id,
            id: c.id,
            tenant: TenantId::from_uuid(c.tenant_id),
            status: c.status,
            visitor: c.visitor,
            routing: c.routing,
            assigned_agent_id: c.assigned_agent_id,
            fallback_reason: c.fallback_reason,
            created_at: c.created_at,
            updated_at: c.updated_at,
            ended_at: c.ended_at,
            last_seq: c.last_seq,
            participants: Vec::new(),
        }
    }
}

/// One stored message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: Uuid,
    pub conversation_id: Uuid,
    /// Its number in the conversation, from 1, without gaps.
    pub seq: i64,
    pub sender: Sender,
    /// Plain text; never to be shown as HTML.
    pub body: String,
    pub sent_at: DateTime<Utc>,
    /// The sender's id for the message, when it gave one.
    pub client_id: Option<String>,
    /// The agent or admin who wrote it (agent messages and notes).
    pub author_id: Option<Uuid>,
    /// A message, or an internal note (agents and admins only).
    pub kind: MessageKind,
    /// The file it carries.
    pub attachment: Option<AttachmentMeta>,
}

/// A file a message carries (SPEC §12.3), read at `GET /api/v1/attachments/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AttachmentMeta {
    pub id: Uuid,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

impl From<messages::Model> for Message {
    fn from(m: messages::Model) -> Self {
        Self {
            id: m.id,
            conversation_id: m.conversation_id,
            seq: m.seq,
            sender: m.sender,
            body: m.body,
            sent_at: m.sent_at,
            client_id: m.client_id,
            author_id: m.author_id,
            kind: m.kind,
            attachment: m.attachment.and_then(|a| serde_json::from_value(a).ok()),
        }
    }
}

/// Messages as views, in the order given.
pub(crate) fn messages(list: Vec<messages::Model>) -> Vec<Message> {
    list.into_iter().map(Message::from).collect()
}

/// Which conversations a list shows.
#[derive(Debug, Clone, Default)]
pub struct ConversationFilter {
    /// Only those assigned to this agent.
    pub agent: Option<Uuid>,
    /// Only those in one of these statuses (empty: all).
    pub statuses: Vec<ConversationStatus>,
    /// Only those of this visitor (their earlier conversations).
    pub visitor: Option<Uuid>,
}

impl From<ConversationFilter> for conversations::ListFilter {
    fn from(f: ConversationFilter) -> Self {
        Self {
            agent: f.agent,
            statuses: f.statuses,
            visitor: f.visitor,
        }
    }
}

/// A workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub plan: String,
    pub engagement_limit: Option<i64>,
    pub engagements_used: i64,
    pub widget_key: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<switchboard_store::tenants::Model> for Tenant {
    fn from(t: switchboard_store::tenants::Model) -> Self {
        Self {
            id: t.id,
            slug: t.slug,
            name: t.name,
            plan: t.plan,
            engagement_limit: t.engagement_limit,
            engagements_used: t.engagements_used,
            widget_key: t.widget_key,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

/// A user of a workspace, without their secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    /// False while an invitation waits to be accepted.
    pub has_password: bool,
    pub live_chat_permission: bool,
    pub active: bool,
    pub availability: switchboard_core::Availability,
    /// A manual availability change holds over the user's schedule until then.
    pub availability_override_until: Option<DateTime<Utc>>,
    pub notify_sound: bool,
    pub notify_browser: bool,
    pub notify_email: bool,
    /// `en` or `fr`; `None`: as their browser asks.
    pub locale: Option<String>,
    /// An IANA time zone; `None`: their browser's.
    pub timezone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<switchboard_store::users::Model> for User {
    fn from(u: switchboard_store::users::Model) -> Self {
        Self {
            id: u.id,
            tenant_id: u.tenant_id,
            email: u.email,
            display_name: u.display_name,
            role: u.role,
            has_password: u.password_hash.is_some(),
            live_chat_permission: u.live_chat_permission,
            active: u.active,
            availability: u.availability,
            availability_override_until: u.availability_override_until,
            notify_sound: u.notify_sound,
            notify_browser: u.notify_browser,
            notify_email: u.notify_email,
            locale: u.locale,
            timezone: u.timezone,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// A team of agents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

impl From<switchboard_store::teams::Model> for Team {
    fn from(t: switchboard_store::teams::Model) -> Self {
        Self {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
        }
    }
}

/// An API key as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: Uuid,
    pub name: String,
    /// The key's first characters, to recognise it.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub scopes: Vec<switchboard_core::scope::ApiScope>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<switchboard_store::api_keys::Model> for ApiKey {
    fn from(k: switchboard_store::api_keys::Model) -> Self {
        Self {
            scopes: k.scopes(),
            expires_at: k.expires_at,
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            created_at: k.created_at,
            last_used_at: k.last_used_at,
            revoked_at: k.revoked_at,
        }
    }
}

/// One entry of a workspace's audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: Uuid,
    /// `user`, `api_key` or `operator`.
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    /// Who acted, as a person reads it (an email, a key's name and prefix).
    pub actor_label: String,
    /// What happened, e.g. `live_chat_permission.granted`.
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<Uuid>,
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl From<switchboard_store::audit::Model> for AuditEntry {
    fn from(a: switchboard_store::audit::Model) -> Self {
        Self {
            id: a.id,
            actor_kind: a.actor_kind,
            actor_id: a.actor_id,
            actor_label: a.actor_label,
            action: a.action,
            target_kind: a.target_kind,
            target_id: a.target_id,
            details: a.details,
            created_at: a.created_at,
        }
    }
}

/// A custom routing rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutingRule {
    pub id: Uuid,
    pub name: String,
    pub position: i32,
    /// `[{"field": "country", "operator": "is", "values": ["FR"]}, ...]`
    pub conditions: serde_json::Value,
    /// `agent` or `team`.
    pub target_kind: String,
    pub target_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<switchboard_store::routing_rules::Model> for RoutingRule {
    fn from(r: switchboard_store::routing_rules::Model) -> Self {
        Self {
            id: r.id,
            name: r.name,
            position: r.position,
            conditions: r.conditions,
            target_kind: r.target_kind,
            target_id: r.target_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A webhook endpoint. Its signing secret is shown once, when it is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    pub id: Uuid,
    pub url: String,
    /// The event kinds it wants.
    pub events: Vec<String>,
    pub created_at: DateTime<Utc>,
}

impl From<switchboard_store::webhooks::endpoints::Model> for WebhookEndpoint {
    fn from(e: switchboard_store::webhooks::endpoints::Model) -> Self {
        Self {
            id: e.id,
            url: e.url,
            events: serde_json::from_value(e.events).unwrap_or_default(),
            created_at: e.created_at,
        }
    }
}

/// One delivery of an event to a webhook endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDelivery {
    pub id: Uuid,
    pub endpoint_id: Uuid,
    pub event: String,
    pub body: String,
    pub status: switchboard_core::DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    /// The receiver's last HTTP status, or why there was none.
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// The delivery this one replays.
    pub replay_of: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<switchboard_store::webhooks::deliveries::Model> for WebhookDelivery {
    fn from(d: switchboard_store::webhooks::deliveries::Model) -> Self {
        Self {
            id: d.id,
            endpoint_id: d.endpoint_id,
            event: d.event,
            body: d.body,
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            last_status: d.last_status,
            last_error: d.last_error,
            delivered_at: d.delivered_at,
            replay_of: d.replay_of,
            created_at: d.created_at,
        }
    }
}

/// An email of the outbox (a failed chat's), and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub conversation_id: Option<Uuid>,
    /// The addresses it goes to.
    pub recipients: Vec<String>,
    /// `Pending` (retried while the SMTP server refuses it), `Sent` or `Failed` (every
    /// retry used).
    pub status: switchboard_core::DeliveryStatus,
    pub attempts: i32,
    pub sent_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

impl From<switchboard_store::mail::Model> for Email {
    fn from(m: switchboard_store::mail::Model) -> Self {
        Self {
            recipients: m.recipient_list(),
            conversation_id: m.conversation_id,
            status: m.status,
            attempts: m.attempts,
            sent_at: m.sent_at,
            last_error: m.last_error,
        }
    }
}

/// A dialogue as stored: its draft and what was last published.
#[derive(Debug, Clone, PartialEq)]
pub struct DialogueRecord {
    pub id: Uuid,
    pub name: String,
    pub published_cards: Option<serde_json::Value>,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<switchboard_store::dialogues::Model> for DialogueRecord {
    fn from(d: switchboard_store::dialogues::Model) -> Self {
        Self {
            id: d.id,
            name: d.name,
            published_cards: d.published_cards,
            published_at: d.published_at,
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

/// What is known of a visitor, as a conversation stores it (location, page, captured
/// fields).
pub(crate) fn visitor_json(v: &Visitor) -> serde_json::Value {
    json!({"country": v.country, "region": v.region, "city": v.city, "page_url": v.page_url, "captured": v.captured})
}

pub(crate) fn visitor_from(j: &serde_json::Value) -> Visitor {
    let s = |k: &str| j[k].as_str().map(str::to_owned);
    Visitor {
        country: s("country"),
        region: s("region"),
        city: s("city"),
        page_url: s("page_url"),
        captured: j["captured"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default(),
    }
}
