//! The backend chosen at start-up: in-process without `REDIS_URL`, Redis with it. An enum
//! rather than a trait object: the trait's methods return `impl Future`, and a match costs
//! nothing next to a network round trip.

use std::time::Duration;

use chrono::{DateTime, Utc};
use switchboard_core::routing::Availability;
use switchboard_core::{TenantId, UserId};
use uuid::Uuid;

use crate::bus::{Bus, Subscription, Topic};
use crate::memory::MemoryRealtime;
use crate::redis::RedisRealtime;
use crate::{Dispatch, Offer, PickOutcome, Presence, Queue, RealtimeResult, Resolution, Widget};

pub enum AnyRealtime {
    // Boxed: the in-process state is large, the Redis handle small.
    Memory(Box<MemoryRealtime>),
    Redis(RedisRealtime),
}

impl AnyRealtime {
    /// Readiness: Redis answers a `PING` (within the connection's timeout); memory always does.
    pub async fn ping(&self) -> bool {
        match self {
            AnyRealtime::Memory(_) => true,
            AnyRealtime::Redis(rt) => rt.ping().await,
        }
    }

    /// `redis` or `memory`, for logs and `/readyz`.
    pub fn backend(&self) -> &'static str {
        match self {
            AnyRealtime::Memory(_) => "memory",
            AnyRealtime::Redis(_) => "redis",
        }
    }
}

impl crate::Limits for AnyRealtime {
    async fn take(&self, key: &str, rate: crate::Rate) -> RealtimeResult<Option<Duration>> {
        match self {
            AnyRealtime::Memory(rt) => rt.take(key, rate).await,
            AnyRealtime::Redis(rt) => rt.take(key, rate).await,
        }
    }
}

impl Presence for AnyRealtime {
    async fn heartbeat(
        &self,
        tenant: TenantId,
        agent: UserId,
        availability: Availability,
        ttl: Duration,
    ) -> RealtimeResult<()> {
        match self {
            AnyRealtime::Memory(rt) => rt.heartbeat(tenant, agent, availability, ttl).await,
            AnyRealtime::Redis(rt) => rt.heartbeat(tenant, agent, availability, ttl).await,
        }
    }

    async fn availability(&self, tenant: TenantId, agent: UserId) -> RealtimeResult<Availability> {
        match self {
            AnyRealtime::Memory(rt) => rt.availability(tenant, agent).await,
            AnyRealtime::Redis(rt) => rt.availability(tenant, agent).await,
        }
    }

    async fn visitor_widget(
        &self,
        tenant: TenantId,
        conversation: Uuid,
        widget: Widget,
        ttl: Duration,
    ) -> RealtimeResult<()> {
        match self {
            AnyRealtime::Memory(rt) => rt.visitor_widget(tenant, conversation, widget, ttl).await,
            AnyRealtime::Redis(rt) => rt.visitor_widget(tenant, conversation, widget, ttl).await,
        }
    }

    async fn visitors_gone(
        &self,
        tenant: TenantId,
        conversations: &[Uuid],
    ) -> RealtimeResult<Vec<Uuid>> {
        match self {
            AnyRealtime::Memory(rt) => rt.visitors_gone(tenant, conversations).await,
            AnyRealtime::Redis(rt) => rt.visitors_gone(tenant, conversations).await,
        }
    }
}

impl Dispatch for AnyRealtime {
    async fn reserve_engagement(
        &self,
        tenant: TenantId,
        limit: Option<u32>,
        used: u64,
        reservation: Uuid,
        ttl: Duration,
    ) -> RealtimeResult<bool> {
        match self {
            AnyRealtime::Memory(rt) => {
                rt.reserve_engagement(tenant, limit, used, reservation, ttl)
                    .await
            }
            AnyRealtime::Redis(rt) => {
                rt.reserve_engagement(tenant, limit, used, reservation, ttl)
                    .await
            }
        }
    }

    async fn consume_engagement(
        &self,
        tenant: TenantId,
        reservation: Uuid,
    ) -> RealtimeResult<bool> {
        match self {
            AnyRealtime::Memory(rt) => rt.consume_engagement(tenant, reservation).await,
            AnyRealtime::Redis(rt) => rt.consume_engagement(tenant, reservation).await,
        }
    }

    async fn release_engagement(&self, tenant: TenantId, reservation: Uuid) -> RealtimeResult<()> {
        match self {
            AnyRealtime::Memory(rt) => rt.release_engagement(tenant, reservation).await,
            AnyRealtime::Redis(rt) => rt.release_engagement(tenant, reservation).await,
        }
    }

    async fn engagements_used(&self, tenant: TenantId) -> RealtimeResult<Option<u64>> {
        match self {
            AnyRealtime::Memory(rt) => rt.engagements_used(tenant).await,
            AnyRealtime::Redis(rt) => rt.engagements_used(tenant).await,
        }
    }

    async fn pick_agent(
        &self,
        tenant: TenantId,
        pool: &str,
        candidates: &[UserId],
        exclude: &[UserId],
        max_load: u32,
    ) -> RealtimeResult<PickOutcome> {
        match self {
            AnyRealtime::Memory(rt) => {
                rt.pick_agent(tenant, pool, candidates, exclude, max_load)
                    .await
            }
            AnyRealtime::Redis(rt) => {
                rt.pick_agent(tenant, pool, candidates, exclude, max_load)
                    .await
            }
        }
    }

    async fn cursor(&self, tenant: TenantId, pool: &str) -> RealtimeResult<u64> {
        match self {
            AnyRealtime::Memory(rt) => rt.cursor(tenant, pool).await,
            AnyRealtime::Redis(rt) => rt.cursor(tenant, pool).await,
        }
    }

    async fn release_load(&self, tenant: TenantId, agent: UserId) -> RealtimeResult<()> {
        match self {
            AnyRealtime::Memory(rt) => rt.release_load(tenant, agent).await,
            AnyRealtime::Redis(rt) => rt.release_load(tenant, agent).await,
        }
    }

    async fn load(&self, tenant: TenantId, agent: UserId) -> RealtimeResult<u32> {
        match self {
            AnyRealtime::Memory(rt) => rt.load(tenant, agent).await,
            AnyRealtime::Redis(rt) => rt.load(tenant, agent).await,
        }
    }

    async fn set_load(&self, tenant: TenantId, agent: UserId, load: u32) -> RealtimeResult<()> {
        match self {
            AnyRealtime::Memory(rt) => rt.set_load(tenant, agent, load).await,
            AnyRealtime::Redis(rt) => rt.set_load(tenant, agent, load).await,
        }
    }

    async fn mark_alive(&self) -> RealtimeResult<bool> {
        match self {
            AnyRealtime::Memory(rt) => rt.mark_alive().await,
            AnyRealtime::Redis(rt) => rt.mark_alive().await,
        }
    }

    async fn put_offer(&self, offer: &Offer) -> RealtimeResult<()> {
        match self {
            AnyRealtime::Memory(rt) => rt.put_offer(offer).await,
            AnyRealtime::Redis(rt) => rt.put_offer(offer).await,
        }
    }

    async fn resolve_offer(
        &self,
        id: Uuid,
        resolution: Resolution,
    ) -> RealtimeResult<Option<Offer>> {
        match self {
            AnyRealtime::Memory(rt) => rt.resolve_offer(id, resolution).await,
            AnyRealtime::Redis(rt) => rt.resolve_offer(id, resolution).await,
        }
    }

    async fn due_offers(&self, now: DateTime<Utc>, max: usize) -> RealtimeResult<Vec<Uuid>> {
        match self {
            AnyRealtime::Memory(rt) => rt.due_offers(now, max).await,
            AnyRealtime::Redis(rt) => rt.due_offers(now, max).await,
        }
    }

    async fn pending_offers_of(
        &self,
        tenant: TenantId,
        agent: UserId,
    ) -> RealtimeResult<Vec<Uuid>> {
        match self {
            AnyRealtime::Memory(rt) => rt.pending_offers_of(tenant, agent).await,
            AnyRealtime::Redis(rt) => rt.pending_offers_of(tenant, agent).await,
        }
    }
}

impl Bus for AnyRealtime {
    async fn publish(&self, topic: Topic, event: &str) -> RealtimeResult<()> {
        match self {
            AnyRealtime::Memory(rt) => rt.publish(topic, event).await,
            AnyRealtime::Redis(rt) => rt.publish(topic, event).await,
        }
    }

    async fn subscribe(&self, topic: Topic) -> RealtimeResult<Subscription> {
        match self {
            AnyRealtime::Memory(rt) => rt.subscribe(topic).await,
            AnyRealtime::Redis(rt) => rt.subscribe(topic).await,
        }
    }
}

impl Queue for AnyRealtime {
    async fn enqueue(
        &self,
        tenant: TenantId,
        target: &str,
        conversation: Uuid,
        since: DateTime<Utc>,
    ) -> RealtimeResult<u64> {
        match self {
            AnyRealtime::Memory(rt) => rt.enqueue(tenant, target, conversation, since).await,
            AnyRealtime::Redis(rt) => rt.enqueue(tenant, target, conversation, since).await,
        }
    }

    async fn leave_queue(
        &self,
        tenant: TenantId,
        target: &str,
        conversation: Uuid,
    ) -> RealtimeResult<bool> {
        match self {
            AnyRealtime::Memory(rt) => rt.leave_queue(tenant, target, conversation).await,
            AnyRealtime::Redis(rt) => rt.leave_queue(tenant, target, conversation).await,
        }
    }

    async fn position(
        &self,
        tenant: TenantId,
        target: &str,
        conversation: Uuid,
    ) -> RealtimeResult<Option<u64>> {
        match self {
            AnyRealtime::Memory(rt) => rt.position(tenant, target, conversation).await,
            AnyRealtime::Redis(rt) => rt.position(tenant, target, conversation).await,
        }
    }

    async fn waiting(
        &self,
        tenant: TenantId,
        target: &str,
        max: usize,
    ) -> RealtimeResult<Vec<Uuid>> {
        match self {
            AnyRealtime::Memory(rt) => rt.waiting(tenant, target, max).await,
            AnyRealtime::Redis(rt) => rt.waiting(tenant, target, max).await,
        }
    }

    async fn queues(&self) -> RealtimeResult<Vec<(TenantId, String)>> {
        match self {
            AnyRealtime::Memory(rt) => rt.queues().await,
            AnyRealtime::Redis(rt) => rt.queues().await,
        }
    }

    async fn start_serving(
        &self,
        tenant: TenantId,
        target: &str,
        holder: Uuid,
        ttl: Duration,
    ) -> RealtimeResult<bool> {
        match self {
            AnyRealtime::Memory(rt) => rt.start_serving(tenant, target, holder, ttl).await,
            AnyRealtime::Redis(rt) => rt.start_serving(tenant, target, holder, ttl).await,
        }
    }

    async fn end_serving(
        &self,
        tenant: TenantId,
        target: &str,
        holder: Uuid,
    ) -> RealtimeResult<bool> {
        match self {
            AnyRealtime::Memory(rt) => rt.end_serving(tenant, target, holder).await,
            AnyRealtime::Redis(rt) => rt.end_serving(tenant, target, holder).await,
        }
    }
}
