//! Live-chat requests made through the API.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use uuid::Uuid;

/// Where a live-chat request stands.
#[derive(Debug, Object)]
pub struct LiveChatState {
    pub conversation_id: Uuid,
    /// `offered`, `live`, `fallback`, or `ended` (the visitor left before an agent took it).
    pub status: String,
    pub offer_id: Option<Uuid>,
    pub agent_id: Option<Uuid>,
    pub expires_at: Option<DateTime<Utc>>,
    pub fallback_message: Option<String>,
    /// `limit_reached`, `no_rule_matched`, `no_agent_available`, `offer_expired` or `declined`.
    pub fallback_reason: Option<String>,
}

impl From<switchboard_service::live::LiveChat> for LiveChatState {
    fn from(l: switchboard_service::live::LiveChat) -> Self {
        use switchboard_core::RequestStatus;
        use switchboard_service::live::LiveChatStatus;
        let mut s = Self {
            conversation_id: l.conversation_id,
            status: String::new(),
            offer_id: None,
            agent_id: None,
            expires_at: None,
            fallback_message: None,
            fallback_reason: None,
        };
        match l.status {
            LiveChatStatus::Offered {
                offer_id,
                agent_id,
                expires_at,
            } => {
                s.status = RequestStatus::Offered.to_string();
                s.offer_id = Some(offer_id);
                s.agent_id = Some(agent_id.as_uuid());
                s.expires_at = Some(expires_at);
            }
            LiveChatStatus::Live { agent_id } => {
                s.status = RequestStatus::Live.to_string();
                s.agent_id = Some(agent_id.as_uuid());
            }
            LiveChatStatus::Fallback { message, reason } => {
                s.status = RequestStatus::Fallback.to_string();
                s.fallback_message = Some(message);
                s.fallback_reason = Some(reason.as_str().to_owned());
            }
            LiveChatStatus::Ended => s.status = RequestStatus::Ended.to_string(),
        }
        s
    }
}
