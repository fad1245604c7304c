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
use crate::{Dispatch, Offer, PickOutcome, Presence, Queue, RealtimeResult, Resolution, Widget};

#[derive(Default)]
struct State {
    presence: HashMap<(TenantId, UserId), (Availability, Instant)>,
    /// Visitors' widgets: until when each counts as open, and how many of its sockets are.
    visitors: HashMap<(TenantId, Uuid), (Instant, u32)>,
    /// When lapsed visitor records were last dropped.
    visitors_pruned: Option<Instant>,
    used: HashMap<TenantId, u64>,
    reservations: HashMap<TenantId, HashMap<Uuid, Instant>>,
    load: HashMap<(TenantId, UserId), u32>,
    cursors: HashMap<(TenantId, String), u64>,
    offers: HashMap<Uuid, Offer>,
    alive: bool,
    /// Pending offers by deadline, for the expiry worker.
    due: BTreeSet<(DateTime<Utc>, Uuid)>,
    /// Waiting queues by (tenant, target): members in order, and each member's place.
    queues: HashMap<(TenantId, String), WaitingLine>,
    /// Who serves a queue, until when, and whether someone asked meanwhile.
    serving: HashMap<(TenantId, String), (Uuid, Instant, bool)>,
}

#[derive(Default)]
struct WaitingLine {
    order: BTreeSet<(i64, Uuid)>,
    place: HashMap<Uuid, i64>,
}

#[derive(Default)]
pub struct MemoryRealtime {
    state: Mutex<State>,
    hub: Arc<Hub>,
    limits: crate::limits::MemoryLimits,
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

impl crate::Limits for MemoryRealtime {
    async fn take(&self, key: &str, rate: crate::Rate) -> RealtimeResult<Option<Duration>> {
        self.limits.take(key, rate).await
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

    async fn visitor_widget(
        &self,
        tenant: TenantId,
        conversation: Uuid,
        widget: Widget,
        ttl: Duration,
    ) -> RealtimeResult<()> {
        let now = Instant::now();
        let mut state = self.lock();
        let (until, open) = state
            .visitors
            .entry((tenant, conversation))
            .or_insert((now, 0));
        match widget {
            Widget::Opened => *open += 1,
            Widget::Beat => {}
            Widget::Closed => *open = open.saturating_sub(1),
        }
        if widget != Widget::Closed || *open == 0 {
            *until = now + ttl;
        }
        // Drop records lapsed long ago, at most once a minute.
        if state
            .visitors_pruned
            .is_none_or(|at| now.duration_since(at) > Duration::from_secs(60))
        {
            state.visitors.retain(|_, (until, _)| {
                now.saturating_duration_since(*until) < crate::VISITOR_SEEN_FOR
            });
            state.visitors_pruned = Some(now);
        }
        Ok(())
    }

    async fn visitors_gone(
        &self,
        tenant: TenantId,
        conversations: &[Uuid],
    ) -> RealtimeResult<Vec<Uuid>> {
        let now = Instant::now();
        let state = self.lock();
        Ok(conversations
            .iter()
            .copied()
            .filter(|c| {
                state.visitors.get(&(tenant, *c)).is_some_and(|(until, _)| {
                    *until <= now && now.duration_since(*until) < crate::VISITOR_SEEN_FOR
                })
            })
            .collect())
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

impl Queue for MemoryRealtime {
    async fn enqueue(
        &self,
        tenant: TenantId,
        target: &str,
        conversation: Uuid,
        since: DateTime<Utc>,
    ) -> RealtimeResult<u64> {
        let mut s = self.lock();
        let line = s.queues.entry((tenant, target.to_owned())).or_default();
        let key = *line
            .place
            .entry(conversation)
            .or_insert_with(|| since.timestamp_millis());
        line.order.insert((key, conversation));
        Ok(line.order.range(..=(key, conversation)).count() as u64)
    }

    async fn leave_queue(
        &self,
        tenant: TenantId,
        target: &str,
        conversation: Uuid,
    ) -> RealtimeResult<bool> {
        let mut s = self.lock();
        let k = (tenant, target.to_owned());
        let Some(line) = s.queues.get_mut(&k) else {
            return Ok(false);
        };
        let Some(key) = line.place.remove(&conversation) else {
            return Ok(false);
        };
        line.order.remove(&(key, conversation));
        if line.order.is_empty() {
            s.queues.remove(&k);
        }
        Ok(true)
    }

    async fn position(
        &self,
        tenant: TenantId,
        target: &str,
        conversation: Uuid,
    ) -> RealtimeResult<Option<u64>> {
        let s = self.lock();
        Ok(s.queues.get(&(tenant, target.to_owned())).and_then(|line| {
            let key = *line.place.get(&conversation)?;
            Some(line.order.range(..=(key, conversation)).count() as u64)
        }))
    }

    async fn waiting(
        &self,
        tenant: TenantId,
        target: &str,
        max: usize,
    ) -> RealtimeResult<Vec<Uuid>> {
        Ok(self
            .lock()
            .queues
            .get(&(tenant, target.to_owned()))
            .map(|line| line.order.iter().take(max).map(|(_, id)| *id).collect())
            .unwrap_or_default())
    }

    async fn queues(&self) -> RealtimeResult<Vec<(TenantId, String)>> {
        Ok(self.lock().queues.keys().cloned().collect())
    }

    async fn start_serving(
        &self,
        tenant: TenantId,
        target: &str,
        holder: Uuid,
        ttl: Duration,
    ) -> RealtimeResult<bool> {
        let mut s = self.lock();
        let now = Instant::now();
        match s.serving.get_mut(&(tenant, target.to_owned())) {
            Some((h, until, asked)) if *until > now && *h != holder => {
                *asked = true;
                Ok(false)
            }
            _ => {
                s.serving
                    .insert((tenant, target.to_owned()), (holder, now + ttl, false));
                Ok(true)
            }
        }
    }

    async fn end_serving(
        &self,
        tenant: TenantId,
        target: &str,
        holder: Uuid,
    ) -> RealtimeResult<bool> {
        let mut s = self.lock();
        let k = (tenant, target.to_owned());
        match s.serving.get_mut(&k) {
            Some((h, _, asked)) if *h == holder && *asked => {
                *asked = false;
                Ok(true)
            }
            Some((h, _, _)) if *h == holder => {
                s.serving.remove(&k);
                Ok(false)
            }
            _ => Ok(false),
        }
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
