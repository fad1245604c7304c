//! Messages and transcripts as the API shows them.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use switchboard_service::views;
use uuid::Uuid;

use crate::text::Text;

/// One stored message of a conversation.
#[derive(Debug, Object)]
pub struct Message {
    pub id: Uuid,
    pub conversation_id: Uuid,
    /// Its number in the conversation, from 1, without gaps.
    pub seq: i64,
    /// `visitor`, `agent`, `system`, or `bot` (what a dialogue card said; the visitor's
    /// answers are `visitor` messages).
    pub sender: String,
    /// Plain text; never to be shown as HTML.
    pub body: String,
    pub sent_at: DateTime<Utc>,
    /// The sender's id for the message, when it gave one.
    pub client_id: Option<String>,
    /// The agent or admin who wrote it (agent messages and notes).
    pub author_id: Option<Uuid>,
    /// `message`, or `note`: an internal note, shown to agents and admins only.
    pub kind: String,
    /// The file the message carries (its `body` is the file's name); read it at
    /// `GET /api/v1/attachments/{id}`.
    pub attachment: Option<Attachment>,
}

/// A file sent in a conversation.
#[derive(Debug, Object)]
pub struct Attachment {
    pub id: Uuid,
    pub name: String,
    /// `image/png`, `image/jpeg`, `image/gif`, `image/webp` or `application/pdf`, from the
    /// file's bytes.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
}

impl From<views::Message> for Message {
    fn from(m: views::Message) -> Self {
        Self {
            id: m.id,
            conversation_id: m.conversation_id,
            seq: m.seq,
            sender: m.sender.to_string(),
            body: m.body,
            sent_at: m.sent_at,
            client_id: m.client_id,
            author_id: m.author_id,
            kind: m.kind.to_string(),
            attachment: m.attachment.map(|a| Attachment {
                id: a.id,
                name: a.name,
                content_type: a.content_type,
                size: a.size,
            }),
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
    pub fn new(items: Vec<views::Message>, after: i64) -> Self {
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

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct NoteRequest {
    /// Plain text, 1 to 4,000 characters.
    pub body: Text,
}

/// A live chat that failed: the visitor got the fallback message instead of an agent.
#[derive(Debug, Object)]
pub struct FailedAction {
    pub conversation_id: Uuid,
    /// `limit_reached`, `no_rule_matched`, `no_agent_available`, `offer_expired` or
    /// `declined`.
    pub reason: String,
    /// What is known of the visitor: location, page, captured fields.
    pub visitor: serde_json::Value,
    /// The agents who were offered the chat and did not take it.
    pub missed_by: Vec<Uuid>,
    pub at: DateTime<Utc>,
    /// The failed-action emails about it, one per recipient (none when no SMTP server is
    /// configured).
    pub emails: Vec<FailedActionEmail>,
}

/// One failed-action email and where it stands.
#[derive(Debug, Object)]
pub struct FailedActionEmail {
    pub to: String,
    /// `pending` (not sent yet, retried while the SMTP server refuses it), `sent`, or
    /// `failed` (every retry used).
    pub status: String,
    pub attempts: i32,
    pub sent_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

impl From<switchboard_service::conversations::FailedAction> for FailedAction {
    fn from(f: switchboard_service::conversations::FailedAction) -> Self {
        Self {
            conversation_id: f.conversation.id,
            reason: f.reason.map(|r| r.to_string()).unwrap_or_default(),
            visitor: f.conversation.visitor,
            missed_by: f.missed_by,
            at: f.conversation.updated_at,
            emails: f
                .emails
                .into_iter()
                .map(|m| FailedActionEmail {
                    to: m.recipients.join(", "),
                    status: m.status.to_string(),
                    attempts: m.attempts,
                    sent_at: m.sent_at,
                    last_error: m.last_error,
                })
                .collect(),
        }
    }
}

/// A page of failed live chats, newest first.
#[derive(Debug, Object)]
pub struct FailedActionList {
    pub items: Vec<FailedAction>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl From<switchboard_core::page::Page<switchboard_service::conversations::FailedAction>>
    for FailedActionList
{
    fn from(
        p: switchboard_core::page::Page<switchboard_service::conversations::FailedAction>,
    ) -> Self {
        Self {
            items: p.items.into_iter().map(Into::into).collect(),
            next_cursor: p.next_cursor.map(|c| c.to_string()),
        }
    }
}
