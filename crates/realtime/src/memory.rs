//! The in-process backend: all state under one `std::sync::Mutex`. A std mutex, not tokio's:
//! no critical section awaits, each is a few map operations, so a blocking lock held for
//! microseconds is cheaper than an async one and can never be held across a suspension.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use switchboard_core::routing::Availability;
use switchboard_core::routing::eligibility::SkipReason;
use switchboard_core::routing::round_robin;
use switchboard_core::{TenantId, UserId};
use uuid::Uuid;

use crate::bus::{Bus, Hub, Subscription, Topic};
use crate::{Dispatch, Offer, PickOutcome, Presence, RealtimeResult, Resolution};

#[derive(Default)]
struct State {
    presence: HashMap<(TenantId, UserId), (Availability, Instant)>,
    used: HashMap<TenantId, u64>,
    reservations: HashMap<TenantId, HashMap<Uuid, Instant>>,
    load: HashMap<(TenantId, UserId), u32>,
    cursors: HashMap<(TenantId, String), u64>,
    offers: HashMap<Uuid, Offer>,
    alive: bool,
    /// Pending offers by deadline, for the expiry worker.
    due: BTreeSet<(DateTime<Utc>, Uuid)>,
}

#[derive(Default)]
pub struct MemoryRealtime {
    state: Mutex<State>,
    hub: Arc<Hub>,
}

impl MemoryRealtime {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave a half-made change here (every
        // critical section is a few infallible map operations), so the data stays usable.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl State {
    fn availability(&self, tenant: TenantId, agent: UserId) -> Availability {
        match self.presence.get(&(tenant, agent)) {
            Some((a, until)) if *until > Instant::now() => *a,
            _ => Availability::Offline,
        }
    }
}

impl Presence for MemoryRealtime {
    async fn heartbeat(
        &self,
        tenant: TenantId,
        agent: UserId,
        availability: Availability,
        ttl: Duration,
    ) -> RealtimeResult<()> {
        self.lock()
            .presence
            .insert((tenant, agent), (availability, Instant::now() + ttl));
        Ok(())
    }

    async fn availability(&self, tenant: TenantId, agent: UserId) -> RealtimeResult<Availability> {
        Ok(self.lock().availability(tenant, agent))
    }
}

impl Dispatch for MemoryRealtime {
    async fn reserve_engagement(
        &self,
        tenant: TenantId,
        limit: Option<u32>,
        used: u64,
        reservation: Uuid,
        ttl: Duration,
    ) -> RealtimeResult<bool> {
        let mut s = self.lock();
        let used = *s.used.entry(tenant).or_insert(used);
        let now = Instant::now();
        let live = s.reservations.entry(tenant).or_default();
        live.retain(|_, until| *until > now);
        if limit.is_some_and(|limit| used + live.len() as u64 >= u64::from(limit)) {
            return Ok(false);
        }
        live.insert(reservation, now + ttl);
        Ok(true)
    }

    async fn consume_engagement(
        &self,
        tenant: TenantId,
        reservation: Uuid,
    ) -> RealtimeResult<bool> {
        let mut s = self.lock();
        let removed = s
            .reservations
            .get_mut(&tenant)
            .and_then(|r| r.remove(&reservation))
            .is_some();
        if removed {
            *s.used.entry(tenant).or_insert(0) += 1;
        }
        Ok(removed)
    }

    async fn release_engagement(&self, tenant: TenantId, reservation: Uuid) -> RealtimeResult<()> {
        if let Some(r) = self.lock().reservations.get_mut(&tenant) {
            r.remove(&reservation);
        }
        Ok(())
    }

    async fn engagements_used(&self, tenant: TenantId) -> RealtimeResult<Option<u64>> {
        Ok(self.lock().used.get(&tenant).copied())
    }

    async fn pick_agent(
        &self,
        tenant: TenantId,
        pool: &str,
        candidates: &[UserId],
        exclude: &[UserId],
        max_load: u32,
    ) -> RealtimeResult<PickOutcome> {
        let mut s = self.lock();
        let cursor = s
            .cursors
            .get(&(tenant, pool.to_owned()))
            .copied()
            .unwrap_or(0);
        let pick = round_robin::pick(candidates.len(), cursor, |i| {
            let agent = candidates[i];
            if exclude.contains(&agent) {
                return Err(SkipReason::AlreadyTried);
            }
            match s.availability(tenant, agent) {
                Availability::Available => {}
                Availability::Away => return Err(SkipReason::Away),
                Availability::Offline => return Err(SkipReason::Offline),
            }
            if s.load.get(&(tenant, agent)).copied().unwrap_or(0) >= max_load {
                return Err(SkipReason::AtCapacity);
            }
            Ok(())
        });
        let chosen = pick.chosen.map(|i| candidates[i]);
        if let Some(agent) = chosen {
            *s.load.entry((tenant, agent)).or_insert(0) += 1;
            s.cursors
                .insert((tenant, pool.to_owned()), pick.next_cursor);
        }
        Ok(PickOutcome {
            chosen,
            skipped: pick
                .skipped
                .into_iter()
                .map(|(i, r)| (candidates[i], r))
                .collect(),
        })
    }

    async fn cursor(&self, tenant: TenantId, pool: &str) -> RealtimeResult<u64> {
        Ok(self
            .lock()
            .cursors
            .get(&(tenant, pool.to_owned()))
            .copied()
            .unwrap_or(0))
    }

    async fn release_load(&self, tenant: TenantId, agent: UserId) -> RealtimeResult<()> {
        if let Some(n) = self.lock().load.get_mut(&(tenant, agent)) {
            *n = n.saturating_sub(1);
        }
        Ok(())
    }

    async fn load(&self, tenant: TenantId, agent: UserId) -> RealtimeResult<u32> {
        Ok(self.lock().load.get(&(tenant, agent)).copied().unwrap_or(0))
    }

    async fn set_load(&self, tenant: TenantId, agent: UserId, load: u32) -> RealtimeResult<()> {
        self.lock().load.insert((tenant, agent), load);
        Ok(())
    }

    async fn mark_alive(&self) -> RealtimeResult<bool> {
        let mut s = self.lock();
        Ok(!std::mem::replace(&mut s.alive, true))
    }

    async fn put_offer(&self, offer: &Offer) -> RealtimeResult<()> {
        let mut s = self.lock();
        s.due.insert((offer.deadline, offer.id));
        s.offers.insert(offer.id, offer.clone());
        Ok(())
    }

    async fn resolve_offer(
        &self,
        id: Uuid,
        _resolution: Resolution,
    ) -> RealtimeResult<Option<Offer>> {
        let mut s = self.lock();
        let offer = s.offers.remove(&id);
        if let Some(o) = &offer {
            s.due.remove(&(o.deadline, o.id));
        }
        Ok(offer)
    }

    async fn due_offers(&self, now: DateTime<Utc>, max: usize) -> RealtimeResult<Vec<Uuid>> {
        Ok(self
            .lock()
            .due
            .iter()
            .take_while(|(deadline, _)| *deadline <= now)
            .take(max)
            .map(|(_, id)| *id)
            .collect())
    }

    async fn pending_offers_of(
        &self,
        tenant: TenantId,
        agent: UserId,
    ) -> RealtimeResult<Vec<Uuid>> {
        Ok(self
            .lock()
            .offers
            .values()
            .filter(|o| o.tenant == tenant && o.agent == agent)
            .map(|o| o.id)
            .collect())
    }
}

impl Bus for MemoryRealtime {
    async fn publish(&self, topic: Topic, event: &str) -> RealtimeResult<()> {
        self.hub.deliver(&topic.to_string(), Arc::from(event));
        Ok(())
    }

    async fn subscribe(&self, topic: Topic) -> RealtimeResult<Subscription> {
        Ok(self.hub.join(topic.to_string()).0)
    }
}
