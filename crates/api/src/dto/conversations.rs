//! Conversations with their routing trace.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use switchboard_core::page::Page;
use uuid::Uuid;

list_type!(
    /// A page of conversations, newest first.
    ConversationList,
    Conversation
);

/// A conversation with its routing trace.
#[derive(Debug, Object)]
pub struct Conversation {
    pub id: Uuid,
    /// `dialogue` (the visitor walks the cards), `completed` (the dialogue ended without a
    /// live chat), `routing`, `live`, `fallback` or `ended`.
    pub status: String,
    /// What is known of the visitor: location, page, captured fields.
    pub visitor: serde_json::Value,
    /// The live-chat card's routing.
    pub routing: serde_json::Value,
    pub assigned_agent_id: Option<Uuid>,
    pub fallback_reason: Option<String>,
    /// Mode, rule matched, agents considered and why skipped, offers, outcome.
    pub trace: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The `seq` of its last message (0: none yet).
    pub last_seq: i64,
    /// The visitor it belongs to, shared by the conversations they started from one widget
    /// (list them with `GET /conversations?visitor_id=`); none for one asked through the API.
    pub visitor_id: Option<Uuid>,
    /// What the visitor left after a fallback (`POST /widget/conversations/{id}/leave-message`);
    /// null when none.
    pub left_message: Option<LeftMessage>,
    /// The visitor's rating after the chat ended, once given.
    pub rating: Option<Rating>,
    /// Admins who joined the chat beside its agent (`POST /conversations/{id}/join`), in
    /// order of joining; they read it live and write in it until they leave.
    pub participants: Vec<Uuid>,
}

/// A visitor's rating of a chat.
#[derive(Debug, Object)]
pub struct Rating {
    /// 1 (poor) to 5 (excellent).
    pub score: i32,
    pub comment: Option<String>,
    pub rated_at: DateTime<Utc>,
}

impl From<switchboard_service::views::Rating> for Rating {
    fn from(r: switchboard_service::views::Rating) -> Self {
        Self {
            score: r.score,
            comment: r.comment,
            rated_at: r.rated_at,
        }
    }
}

/// What a visitor sends to rate their chat.
#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct RatingRequest {
    /// 1 (poor) to 5 (excellent).
    #[oai(validator(minimum(value = "1"), maximum(value = "5")))]
    pub score: i64,
    /// Up to 2,000 characters.
    pub comment: Option<crate::text::Bounded<2000>>,
}

/// A message a visitor left after a fallback.
#[derive(Debug, Object)]
pub struct LeftMessage {
    pub name: Option<String>,
    /// Where to answer.
    pub email: String,
    pub message: String,
    pub left_at: DateTime<Utc>,
}

impl From<switchboard_service::views::LeftMessage> for LeftMessage {
    fn from(m: switchboard_service::views::LeftMessage) -> Self {
        Self {
            name: m.name,
            email: m.email,
            message: m.message,
            left_at: m.left_at,
        }
    }
}

impl From<switchboard_service::views::Conversation> for Conversation {
    fn from(c: switchboard_service::views::Conversation) -> Self {
        Self {
            id: c.id,
            status: c.status.to_string(),
            visitor: c.visitor,
            routing: c.routing,
            assigned_agent_id: c.assigned_agent_id,
            fallback_reason: c.fallback_reason.map(|r| r.to_string()),
            trace: serde_json::to_value(&c.trace).unwrap_or_default(),
            created_at: c.created_at,
            updated_at: c.updated_at,
            ended_at: c.ended_at,
            last_seq: c.last_seq,
            visitor_id: c.visitor_id,
            left_message: c.left_message.map(Into::into),
            rating: c.rating.map(Into::into),
            participants: c.participants,
        }
    }
}
