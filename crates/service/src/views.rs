//! What the use cases return about conversations and messages: plain values with typed
//! states and a parsed routing trace, so that `api` and `console` read them without knowing
//! how the store keeps them.

use chrono::{DateTime, Utc};
use switchboard_core::routing::trace::{FallbackReason, RoutingTrace};
use switchboard_core::{ConversationStatus, Sender, TenantId};
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
        }
    }
}

/// Messages as views, in the order given.
pub(crate) fn messages(list: Vec<messages::Model>) -> Vec<Message> {
    list.into_iter().map(Message::from).collect()
}
