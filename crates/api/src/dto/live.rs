//! Live-chat requests made through the API.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use uuid::Uuid;

/// Where a live-chat request stands.
#[derive(Debug, Object)]
pub struct LiveChatState {
    pub conversation_id: Uuid,
    /// `offered`, `queued` (every agent busy: the visitor waits in line), `live`, `fallback`,
    /// or `ended` (the visitor left before an agent took it).
    pub status: String,
    /// With `queued`: the visitor's place in line (1: next).
    pub position: Option<u64>,
    /// With `queued`: about how long until an agent is free, in seconds.
    pub estimated_wait_seconds: Option<u64>,
    pub offer_id: Option<Uuid>,
    pub agent_id: Option<Uuid>,
    pub expires_at: Option<DateTime<Utc>>,
    pub fallback_message: Option<String>,
    /// `limit_reached`, `no_rule_matched`, `no_agent_available`, `offer_expired`, `declined`,
    /// `queue_timeout` or `outside_hours`.
    pub fallback_reason: Option<String>,
}

impl From<switchboard_service::live::LiveChat> for LiveChatState {
    fn from(l: switchboard_service::live::LiveChat) -> Self {
        use switchboard_core::RequestStatus;
        use switchboard_service::live::LiveChatStatus;
        let mut s = Self {
            conversation_id: l.conversation_id,
            status: String::new(),
            position: None,
            estimated_wait_seconds: None,
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
            LiveChatStatus::Queued {
                position,
                estimated_wait_seconds,
            } => {
                s.status = RequestStatus::Queued.to_string();
                s.position = Some(position);
                s.estimated_wait_seconds = Some(estimated_wait_seconds);
            }
            LiveChatStatus::Ended => s.status = RequestStatus::Ended.to_string(),
        }
        s
    }
}

/// Who a line waits for: every agent (`all`), a team or one agent.
#[derive(Debug, Object)]
pub struct QueueTarget {
    /// `all`, `team` or `agent`.
    pub kind: String,
    /// The team's or agent's id; `null` for `all`.
    pub id: Option<Uuid>,
}

/// One visitor waiting in line for an agent.
#[derive(Debug, Object)]
pub struct QueueEntry {
    pub conversation_id: Uuid,
    /// The place in their line (1: next).
    pub position: u64,
    pub waiting_since: DateTime<Utc>,
    pub target: QueueTarget,
}

/// Every visitor waiting in the tenant's lines, longest waiting first.
#[derive(Debug, Object)]
pub struct QueueList {
    pub items: Vec<QueueEntry>,
}

impl From<Vec<switchboard_service::live::QueueItem>> for QueueList {
    fn from(items: Vec<switchboard_service::live::QueueItem>) -> Self {
        Self {
            items: items
                .into_iter()
                .map(|i| {
                    let (kind, id) = match i.target.split_once(':') {
                        Some((kind, id)) => (kind.to_owned(), id.parse().ok()),
                        None => (i.target.clone(), None),
                    };
                    QueueEntry {
                        conversation_id: i.conversation_id,
                        position: i.position,
                        waiting_since: i.waiting_since,
                        target: QueueTarget { kind, id },
                    }
                })
                .collect(),
        }
    }
}
