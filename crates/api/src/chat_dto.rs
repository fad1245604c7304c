//! Messages and transcripts as the API shows them.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use switchboard_store::messages;
use uuid::Uuid;

use crate::text::Text;

/// One stored message of a conversation.
#[derive(Debug, Object)]
pub struct Message {
    pub id: Uuid,
    pub conversation_id: Uuid,
    /// Its number in the conversation, from 1, without gaps.
    pub seq: i64,
    /// `visitor`, `agent` or `system`.
    pub sender: String,
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

/// Messages in `seq` order.
#[derive(Debug, Object)]
pub struct MessageList {
    pub items: Vec<Message>,
    /// Pass as `after` for the messages that follow; the `after` asked for when there are
    /// none yet.
    pub next_after: i64,
}

impl MessageList {
    pub fn new(items: Vec<messages::Model>, after: i64) -> Self {
        let next_after = items.last().map_or(after.max(0), |m| m.seq);
        Self {
            items: items.into_iter().map(Into::into).collect(),
            next_after,
        }
    }
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct SendMessageRequest {
    /// Plain text, 1 to 4,000 characters.
    pub body: Text,
    /// The sender's own id for the message (up to 100 characters): sending again with the
    /// same id returns the stored message instead of a copy.
    pub client_id: Option<Text>,
}
