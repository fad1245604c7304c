//! A visitor's data, exported by email.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use uuid::Uuid;

#[derive(Debug, Object)]
pub struct VisitorExport {
    pub email: String,
    /// Oldest first.
    pub conversations: Vec<ExportedConversation>,
}

#[derive(Debug, Object)]
pub struct ExportedConversation {
    pub id: Uuid,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Location, page, captured fields, the tenant's user id.
    pub visitor: serde_json::Value,
    pub left_message: Option<ExportedLeftMessage>,
    /// The transcript: the bot, the visitor and agents, in order.
    pub messages: Vec<ExportedMessage>,
}

#[derive(Debug, Object)]
pub struct ExportedLeftMessage {
    pub name: Option<String>,
    pub email: Option<String>,
    pub message: String,
    pub left_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Object)]
pub struct ExportedMessage {
    pub seq: i64,
    /// `visitor`, `agent` or `bot`.
    pub sender: String,
    pub body: String,
    pub sent_at: DateTime<Utc>,
}

/// How many conversations were erased.
#[derive(Debug, Object)]
pub struct Erased {
    pub conversations_erased: u64,
}

impl From<switchboard_service::privacy::VisitorExport> for VisitorExport {
    fn from(e: switchboard_service::privacy::VisitorExport) -> Self {
        Self {
            email: e.email,
            conversations: e
                .conversations
                .into_iter()
                .map(|(c, messages)| ExportedConversation {
                    id: c.id,
                    status: c.status.as_str().to_owned(),
                    created_at: c.created_at,
                    ended_at: c.ended_at,
                    visitor: c.visitor,
                    left_message: c.left_message_body.map(|message| ExportedLeftMessage {
                        name: c.left_message_name,
                        email: c.left_message_email,
                        message,
                        left_at: c.left_message_at,
                    }),
                    messages: messages
                        .into_iter()
                        .map(|m| ExportedMessage {
                            seq: m.seq,
                            sender: m.sender.as_str().to_owned(),
                            body: m.body,
                            sent_at: m.sent_at,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
