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

mod queue;
mod reconcile;
mod request;
mod resolution;
mod transfer;

pub use queue::QueueItem;
pub use reconcile::Reconciled;
pub use transfer::{TransferOffer, TransferTarget, TransferTargets};

use chrono::{DateTime, Utc};
use switchboard_core::UserId;
use switchboard_core::routing::RoutingMode;
use switchboard_core::routing::trace::{FallbackReason, RoutingTrace};
use switchboard_core::schedule::DEFAULT_OUTSIDE_HOURS_MESSAGE;
use switchboard_core::settings::DEFAULT_GLOBAL_FALLBACK_MESSAGE;
use switchboard_core::settings::{CascadeTarget, offer_attempts};
use switchboard_store::{conversations, tenants};
use uuid::Uuid;

/// How many different agents this request may be offered (SPEC §12.1): the plan, the
/// setting and who the chat is offered among (`trace.target`) decide.
pub(crate) fn attempts_for(
    t: &tenants::Model,
    mode: Option<&RoutingMode>,
    trace: &RoutingTrace,
) -> usize {
    let target = match (mode, trace.target.as_deref()) {
        (_, Some(pool)) if pool.starts_with("agent:") => CascadeTarget::Agent,
        (Some(RoutingMode::Agent { .. }), _) => CascadeTarget::Agent,
        (Some(RoutingMode::Team { .. }), _) => CascadeTarget::TeamMode,
        _ => CascadeTarget::Pool,
    };
    offer_attempts(t.plan(), t.settings().offer_attempts, target) as usize
}

/// The most offers any request of this tenant may see (to size an engagement reservation).
pub(crate) fn most_attempts(t: &tenants::Model) -> u32 {
    offer_attempts(
        t.plan(),
        t.settings().offer_attempts,
        CascadeTarget::TeamMode,
    )
}

/// Where a live-chat request stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveChatStatus {
    /// Offered to an agent, who has until `expires_at` to accept.
    Offered {
        offer_id: Uuid,
        agent_id: UserId,
        expires_at: DateTime<Utc>,
    },
    /// Every agent is busy: the visitor waits in line (`position` 1 is next).
    Queued {
        position: u64,
        estimated_wait_seconds: u64,
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

/// What the visitor of conversation `c` reads without an agent: the card's fallback message
/// if it has one (in the visitor's language, taken when the card was reached), else the
/// tenant's global one — always the global one when the engagement limit was reached, and
/// the tenant's outside-hours message outside business hours. A workspace's message that is
/// still the built-in one is read in the visitor's language.
pub(crate) fn fallback_text(
    reason: Option<FallbackReason>,
    c: &conversations::Model,
    t: &tenants::Model,
) -> String {
    let settings = t.settings();
    let language = crate::widget::visitor_language(c, settings.default_locale);
    // The built-in message in the visitor's language while the workspace keeps it.
    let worded = |set: String, built_in: &str, id: &str| {
        if set == built_in {
            switchboard_i18n::Texts(language).t(id)
        } else {
            set
        }
    };
    match (reason, c.card_fallback_message.as_deref()) {
        (Some(FallbackReason::OutsideHours), _) => worded(
            settings.outside_hours_message,
            DEFAULT_OUTSIDE_HOURS_MESSAGE,
            "widget-outside-hours-built-in",
        ),
        (Some(FallbackReason::LimitReached), _) | (_, None) => worded(
            t.global_fallback_message.clone(),
            DEFAULT_GLOBAL_FALLBACK_MESSAGE,
            "widget-fallback-built-in",
        ),
        (_, Some(card)) => card.to_owned(),
    }
}
