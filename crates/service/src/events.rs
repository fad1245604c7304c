//! What happens in live chat, as the JSON frames the WebSockets carry (SPEC §11). The service
//! publishes each event on the Bus once the change it reports is stored; every node's sockets
//! forward the frames of the topics they listen to as they are.
//!
//! Topics: [`Topic::Agent`] carries an agent's offers (and the conversations they join);
//! [`Topic::Conversation`] carries everything both sides of one conversation see.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use switchboard_core::routing::trace::FallbackReason;
use switchboard_core::{
    Availability, AvailabilityReason, EndReason, MessageKind, OfferClosed, Sender,
};
use switchboard_realtime::{Bus, Topic};
use uuid::Uuid;

use crate::Service;

/// The agent as the visitor sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentCard {
    pub id: Uuid,
    pub display_name: String,
    /// A public URL of their profile image, when they have one.
    pub avatar_url: Option<String>,
}

/// One stored message: the `message` frame. Its `seq` numbers it within its conversation;
/// sent back to its sender, it is the acknowledgement that the message is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageFrame {
    pub conversation_id: Uuid,
    pub seq: i64,
    pub sender: Sender,
    pub body: String,
    pub sent_at: DateTime<Utc>,
    /// The sender's id for the message, echoed so it can match the acknowledgement.
    pub client_id: Option<String>,
    /// The agent or admin who wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_id: Option<Uuid>,
    /// `note` for an internal note (only ever sent to agents); absent for a message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<MessageKind>,
    /// The file the message carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<crate::views::AttachmentMeta>,
}

impl From<&crate::views::Message> for MessageFrame {
    fn from(m: &crate::views::Message) -> Self {
        Self {
            conversation_id: m.conversation_id,
            seq: m.seq,
            sender: m.sender,
            body: m.body.clone(),
            sent_at: m.sent_at,
            client_id: m.client_id.clone(),
            author_id: m.author_id,
            kind: (m.kind == MessageKind::Note).then_some(MessageKind::Note),
            attachment: m.attachment.clone(),
        }
    }
}

/// What an offer frame says of a transfer: who holds the chat, and their note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferCard {
    pub from_agent_id: Uuid,
    pub note: Option<String>,
}

/// Every frame the server sends, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// To an agent: a chat to accept before `expires_at`. `visitor` holds what is known of
    /// them (location, page, captured fields).
    Offer {
        offer_id: Uuid,
        conversation_id: Uuid,
        expires_at: DateTime<Utc>,
        visitor: serde_json::Value,
        /// A transfer from a colleague (absent for a visitor's new request).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        transfer: Option<TransferCard>,
    },
    /// To an agent: an offer is no longer open (`declined`, `expired`, `withdrawn` or
    /// `conversation_ended`). An accepted offer becomes `conversation_assigned` instead.
    OfferWithdrawn {
        offer_id: Uuid,
        conversation_id: Uuid,
        reason: OfferClosed,
    },
    /// To the agent who held a chat: it was transferred to `to_agent_id`, who accepted; their
    /// inboxes stop following it.
    ConversationTransferred {
        conversation_id: Uuid,
        to_agent_id: Uuid,
    },
    /// To whoever asked for a transfer: the agent offered did not take it (`declined`,
    /// `expired`, `withdrawn`); the chat stays where it was.
    TransferFailed {
        conversation_id: Uuid,
        offer_id: Uuid,
        agent_id: Uuid,
        reason: OfferClosed,
    },
    /// To an agent: they hold this conversation now (every inbox of theirs follows it).
    ConversationAssigned {
        conversation_id: Uuid,
    },
    /// To an admin: they joined this live conversation beside its agent (every inbox of
    /// theirs follows it and may write in it until they leave).
    ConversationJoined {
        conversation_id: Uuid,
    },
    /// To an admin: they left a conversation they had joined (their inboxes stop following).
    ConversationLeft {
        conversation_id: Uuid,
    },
    Message(MessageFrame),
    /// To sockets following a conversation: an internal note was stored at `seq`. It carries
    /// no text: an agent's socket reads the note from the database, a visitor's skips the
    /// number (a note never reaches a visitor).
    NoteAdded {
        conversation_id: Uuid,
        seq: i64,
    },
    /// One side is typing (`typing: false`: stopped).
    Typing {
        conversation_id: Uuid,
        sender: Sender,
        typing: bool,
    },
    /// To the visitor: an agent accepted.
    AgentJoined {
        conversation_id: Uuid,
        agent: AgentCard,
    },
    /// To the visitor: every agent is busy and they wait in line; sent whenever their place
    /// or the estimate changes. `position` 1 is next.
    Queued {
        conversation_id: Uuid,
        position: u64,
        estimated_wait_seconds: u64,
    },
    /// To the visitor: no agent; `message` is what to show, `reason` why.
    Fallback {
        conversation_id: Uuid,
        message: String,
        reason: FallbackReason,
    },
    /// To an agent's inboxes: their availability is now `status`, and why (chosen in another
    /// inbox, set away after `missed` offers in a row expired, or their schedule).
    AvailabilityChanged {
        status: Availability,
        reason: AvailabilityReason,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        missed: Option<u32>,
    },
    /// To a user's sockets: their tokens were revoked (they logged out, their password
    /// changed, their account was disabled); the sockets close.
    TokensRevoked {},
    /// The conversation is over: who ended it, and why.
    ConversationEnded {
        conversation_id: Uuid,
        by: Sender,
        reason: EndReason,
    },
}

impl Event {
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Service {
    /// Publishes an event whose change is already stored. A failure is logged, not returned:
    /// the change stands, and clients catch up from the database when they resume.
    pub(crate) async fn announce(&self, topic: Topic, event: &Event) {
        if let Err(e) = self.realtime().publish(topic, &event.to_json()).await {
            tracing::warn!(error = %e, %topic, "publishing a live-chat event failed");
        }
    }
}
