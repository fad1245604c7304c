//! Live-chat requests, end to end on the routing side (SPEC §2, §5): reserve an engagement,
//! pick an agent (one atomic step in the realtime store), offer with a deadline; then accept
//! (exactly one wins, the engagement is counted durably), decline, expiry, withdrawal — and
//! after a failed offer, another agent of the team on the prime plan, else the fallback.
//!
//! The realtime store arbitrates every race (who resolves an offer, who gets the last slot);
//! the database records the outcome. The conversation carries the routing trace.
//!
//! [`request`] asks for an agent, [`resolution`] answers an offer (accept, decline, expiry,
//! withdrawal) and moves on, [`reconcile`] keeps the realtime store in line with the
//! database. Offers themselves are [`crate::offers`]'s.

mod reconcile;
mod request;
mod resolution;

use chrono::{DateTime, Utc};
use switchboard_core::UserId;
use switchboard_core::routing::trace::{FallbackReason, RoutingTrace};
use switchboard_store::tenants;
use uuid::Uuid;

/// Other agents of the team tried after a failed offer on the prime plan (SPEC: one retry).
pub(crate) const TEAM_RETRIES: usize = 1;

/// Where a live-chat request stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveChatStatus {
    /// Offered to an agent, who has until `expires_at` to accept.
    Offered {
        offer_id: Uuid,
        agent_id: UserId,
        expires_at: DateTime<Utc>,
    },
    /// An agent accepted.
    Live { agent_id: UserId },
    /// No agent: the visitor gets `message`.
    Fallback {
        message: String,
        reason: FallbackReason,
    },
    /// The visitor left before an agent took the chat.
    Ended,
}

#[derive(Debug, Clone)]
pub struct LiveChat {
    pub conversation_id: Uuid,
    pub status: LiveChatStatus,
}

pub(crate) fn trace_json(t: &RoutingTrace) -> serde_json::Value {
    serde_json::to_value(t).unwrap_or_default()
}

/// What a visitor without an agent reads: the card's fallback message if it has one, else
/// the tenant's global one — always the global one when the engagement limit was reached,
/// and the tenant's outside-hours message outside business hours.
pub(crate) fn fallback_text(
    reason: Option<FallbackReason>,
    card_message: Option<&str>,
    t: &tenants::Model,
) -> String {
    match (reason, card_message) {
        (Some(FallbackReason::OutsideHours), _) => t.settings().outside_hours_message,
        (Some(FallbackReason::LimitReached), _) | (_, None) => t.global_fallback_message.clone(),
        (_, Some(card)) => card.to_owned(),
    }
}
