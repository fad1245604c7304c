#![forbid(unsafe_code)]
//! The shared, fast state of live chat, behind three traits — [`Presence`], [`Dispatch`] and
//! [`Bus`] (together: [`Realtime`]) — with two backends:
//!
//! - [`memory::MemoryRealtime`]: in-process, one node, one lock — the embedded default.
//! - [`redis::RedisRealtime`]: Redis, for many nodes. Every decision that must be atomic
//!   across nodes is one Lua script, so it costs one round trip and no node can interleave.
//!
//! What lives here: agent presence (heartbeats with a TTL), engagement reservations against
//! the plan's limit, agent load (live chats + pending offers) and round-robin cursors, and
//! pending offers with their deadlines, waiting queues ([`Queue`]); and the fan-out of events to sockets on any node
//! (pub/sub). What does not: anything durable. The database holds
//! the counts of record; after a Redis restart the engagement counter is re-seeded from the
//! database value passed in, and loads are rebuilt with [`Dispatch::set_load`].
//!
//! One conformance suite (`tests/conformance.rs`) runs unchanged against both backends.

mod any;
pub mod bus;
pub mod limits;
pub mod memory;
mod queue;
pub mod redis;

pub use any::AnyRealtime;
pub use bus::{Bus, Received, Subscription, Topic};
pub use limits::{Limits, Rate};
pub use queue::Queue;

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use switchboard_core::routing::Availability;
use switchboard_core::routing::eligibility::SkipReason;
use switchboard_core::{TenantId, UserId};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum RealtimeError {
    #[error("redis: {0}")]
    Redis(#[from] ::redis::RedisError),
    #[error("unexpected answer from the realtime store: {0}")]
    Protocol(String),
}

pub type RealtimeResult<T> = Result<T, RealtimeError>;

/// The result of one atomic pick among candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickOutcome {
    /// The agent now holding one more unit of load, if any was eligible.
    pub chosen: Option<UserId>,
    /// Candidates passed over, in the order they were looked at, and why.
    pub skipped: Vec<(UserId, SkipReason)>,
}

/// A pending offer of a chat to one agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: Uuid,
    pub tenant: TenantId,
    pub agent: UserId,
    pub deadline: DateTime<Utc>,
}

/// How a pending offer ends. Only the first resolution of an offer takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    Accepted,
    Declined,
    Expired,
    Withdrawn,
}

impl Resolution {
    /// The offer's state once resolved so.
    pub const fn state(self) -> switchboard_core::OfferState {
        use switchboard_core::OfferState;
        match self {
            Resolution::Accepted => OfferState::Accepted,
            Resolution::Declined => OfferState::Declined,
            Resolution::Expired => OfferState::Expired,
            Resolution::Withdrawn => OfferState::Withdrawn,
        }
    }

    pub const fn as_str(self) -> &'static str {
        self.state().as_str()
    }
}

/// Everything the shared state does: one bound for code that needs all of it.
pub trait Realtime: Presence + Dispatch + Bus + Queue + Limits {}

impl<T: Presence + Dispatch + Bus + Queue + Limits> Realtime for T {}

/// Who is here: agents' presence and availability, kept alive by heartbeats.
pub trait Presence: Send + Sync {
    /// Records that an agent is here, with an availability, for `ttl`. Without a new
    /// heartbeat within `ttl` the agent reads as offline.
    fn heartbeat(
        &self,
        tenant: TenantId,
        agent: UserId,
        availability: Availability,
        ttl: Duration,
    ) -> impl Future<Output = RealtimeResult<()>> + Send;

    /// The agent's availability now; `Offline` when their presence has lapsed.
    fn availability(
        &self,
        tenant: TenantId,
        agent: UserId,
    ) -> impl Future<Output = RealtimeResult<Availability>> + Send;

    /// Records what the widget of `conversation` did. [`Widget::Opened`] and [`Widget::Beat`]
    /// count it as open for `ttl`; [`Widget::Closed`] shortens that to `ttl` (a grace period,
    /// so a reload keeps the visitor's place) once no other socket of it is open. An open
    /// socket that never closes (its node died) stops beating, so its visitor lapses too. The
    /// record is kept for [`VISITOR_SEEN_FOR`] after it lapses.
    fn visitor_widget(
        &self,
        tenant: TenantId,
        conversation: Uuid,
        widget: Widget,
        ttl: Duration,
    ) -> impl Future<Output = RealtimeResult<()>> + Send;

    /// Those of `conversations` whose widget was seen and is gone: a heartbeat was recorded
    /// and has lapsed. A conversation whose widget was never seen is not among them.
    fn visitors_gone(
        &self,
        tenant: TenantId,
        conversations: &[Uuid],
    ) -> impl Future<Output = RealtimeResult<Vec<Uuid>>> + Send;
}

/// What a visitor's widget socket did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Widget {
    /// A socket opened.
    Opened,
    /// An open socket's heartbeat.
    Beat,
    /// A socket closed.
    Closed,
}

/// How long a visitor's lapsed heartbeat is remembered (so that a widget gone is told from a
/// widget never seen).
pub const VISITOR_SEEN_FOR: Duration = Duration::from_secs(3600);

/// Dispatch of live chats: engagement reservations, agent load, round-robin cursors and
/// pending offers with their deadlines. Implemented by both backends; each method is atomic.
pub trait Dispatch: Send + Sync {
    /// Reserves one engagement against `limit` (`None`: unlimited) before anyone is offered
    /// the chat. `used` is the database's count, used when this store has none (first use, or
    /// after a restart). A reservation not consumed or released within `ttl` lapses, so a
    /// node that dies does not hold a slot forever. False: the limit is reached.
    fn reserve_engagement(
        &self,
        tenant: TenantId,
        limit: Option<u32>,
        used: u64,
        reservation: Uuid,
        ttl: Duration,
    ) -> impl Future<Output = RealtimeResult<bool>> + Send;

    /// Turns a reservation into a used engagement (on accept). False when the reservation
    /// is unknown (released, lapsed, or lost in a restart).
    fn consume_engagement(
        &self,
        tenant: TenantId,
        reservation: Uuid,
    ) -> impl Future<Output = RealtimeResult<bool>> + Send;

    /// Gives a reservation back (the request ended without an accept).
    fn release_engagement(
        &self,
        tenant: TenantId,
        reservation: Uuid,
    ) -> impl Future<Output = RealtimeResult<()>> + Send;

    /// Engagements used as this store counts them (`None` before the first reservation).
    fn engagements_used(
        &self,
        tenant: TenantId,
    ) -> impl Future<Output = RealtimeResult<Option<u64>>> + Send;

    /// Round-robin over `candidates` (a stable order of agents who are active and hold the
    /// permission) from the cursor of `pool`: skips `exclude`d agents, agents not available
    /// and agents whose load is at `max_load`; gives the first other one one more unit of
    /// load and moves the cursor past them. One atomic step.
    fn pick_agent(
        &self,
        tenant: TenantId,
        pool: &str,
        candidates: &[UserId],
        exclude: &[UserId],
        max_load: u32,
    ) -> impl Future<Output = RealtimeResult<PickOutcome>> + Send;

    /// Where `pool`'s round-robin stands (for a dry run, which must not move it).
    fn cursor(
        &self,
        tenant: TenantId,
        pool: &str,
    ) -> impl Future<Output = RealtimeResult<u64>> + Send;

    /// One unit of load less (an offer ended without an accept, or a chat ended).
    fn release_load(
        &self,
        tenant: TenantId,
        agent: UserId,
    ) -> impl Future<Output = RealtimeResult<()>> + Send;

    /// The agent's load (live chats + pending offers) as counted here.
    fn load(
        &self,
        tenant: TenantId,
        agent: UserId,
    ) -> impl Future<Output = RealtimeResult<u32>> + Send;

    /// Sets an agent's load from the database's count (rebuild after a restart).
    fn set_load(
        &self,
        tenant: TenantId,
        agent: UserId,
        load: u32,
    ) -> impl Future<Output = RealtimeResult<()>> + Send;

    /// Marks this store as holding state; true when the mark was missing, i.e. the store is
    /// new or lost its state (a Redis restart or flush): the caller rebuilds it from the
    /// database. Only one caller, on any node, gets true per loss.
    fn mark_alive(&self) -> impl Future<Output = RealtimeResult<bool>> + Send;

    /// Stores a pending offer with its deadline.
    fn put_offer(&self, offer: &Offer) -> impl Future<Output = RealtimeResult<()>> + Send;

    /// Resolves a pending offer. Exactly one caller gets `Some(offer)`; every other call, on
    /// any node, gets `None` (already resolved, or unknown).
    fn resolve_offer(
        &self,
        id: Uuid,
        resolution: Resolution,
    ) -> impl Future<Output = RealtimeResult<Option<Offer>>> + Send;

    /// Up to `max` pending offers whose deadline is at or before `now`.
    fn due_offers(
        &self,
        now: DateTime<Utc>,
        max: usize,
    ) -> impl Future<Output = RealtimeResult<Vec<Uuid>>> + Send;

    /// The pending offers made to an agent (to move them on when the agent goes offline).
    fn pending_offers_of(
        &self,
        tenant: TenantId,
        agent: UserId,
    ) -> impl Future<Output = RealtimeResult<Vec<Uuid>>> + Send;
}

/// Skip reasons as the Redis script encodes them.
pub(crate) fn skip_from_code(code: i64) -> Option<SkipReason> {
    Some(match code {
        1 => SkipReason::AlreadyTried,
        2 => SkipReason::Offline,
        3 => SkipReason::Away,
        4 => SkipReason::AtCapacity,
        _ => return None,
    })
}
