//! Keeping the realtime store in line with the database: rebuilding it after it lost its
//! state, moving on the offers of agents whose presence lapsed, and — every node, every 15 s —
//! checking it against the database so that no failure leaves a slot taken or a visitor
//! waiting: loads corrected, offers long past their deadline closed, lost visitors put back
//! in line.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use switchboard_core::routing::trace::FallbackReason;
use switchboard_core::{OfferState, TenantId, UserId};
use switchboard_realtime::{Dispatch, Offer, Presence, Resolution};
use switchboard_store::conversations::{self, offers};
use switchboard_store::{StoreError, tenants, users};
use uuid::Uuid;

use crate::views::trace_of;
use crate::{Service, ServiceResult};

/// How long a conversation may stay in routing with no offer out and no place in line before
/// the reconciler takes its routing for stopped (a node died between storing it and making
/// the offer, or the offer's write failed): routing takes milliseconds.
const STRANDED_AFTER: chrono::Duration = chrono::Duration::seconds(60);

/// The ids found now that the last pass found too (all of them `at_once`); `now` is kept for
/// the next pass. Seen on two passes in a row, a state is no change in flight.
pub(super) fn seen_twice(
    last: &Mutex<HashSet<Uuid>>,
    now: HashSet<Uuid>,
    at_once: bool,
) -> Vec<Uuid> {
    let mut seen = last.lock().unwrap_or_else(|p| p.into_inner());
    let confirmed = now
        .iter()
        .filter(|id| at_once || seen.contains(*id))
        .copied()
        .collect();
    *seen = now;
    confirmed
}

/// How long past its deadline a pending offer may stay open in the database before the
/// reconciler closes it itself (the expiry worker normally does it on time).
const OFFER_GRACE: chrono::Duration = chrono::Duration::seconds(5);

/// What one pass of [`Service::reconcile_with_database`] corrected.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reconciled {
    pub loads: usize,
    pub offers: usize,
    pub requeued: usize,
    /// Conversations left in routing with no offer, closed with the fallback.
    pub stranded: usize,
}

/// Each agent's load as the database has it: live chats plus pending offers.
async fn database_loads(
    svc: &Service,
    pending: &[offers::Model],
) -> ServiceResult<HashMap<(Uuid, Uuid), u32>> {
    let mut load = HashMap::<(Uuid, Uuid), u32>::new();
    for (tenant, agent) in conversations::live_assignments_unscoped(svc.db()).await? {
        *load.entry((tenant, agent)).or_default() += 1;
    }
    for o in pending {
        *load.entry((o.tenant_id, o.agent_id)).or_default() += 1;
    }
    Ok(load)
}

impl Service {
    /// Keeps the realtime store in line with the database; every node runs it each second.
    ///
    /// After the store lost its state (a Redis restart), it rebuilds agents' load (live chats
    /// and pending offers), restores presence as agents last chose it, and puts pending offers
    /// back with their deadlines, so they still expire on time. Reservations in flight are not
    /// rebuilt: the database's conditional count keeps the limit.
    ///
    /// It also moves on the pending offers of agents whose presence lapsed (no heartbeat),
    /// once seen lapsed on two passes in a row.
    pub async fn reconcile_realtime(&self) -> ServiceResult<()> {
        let rt = self.realtime();
        let pending = offers::pending_unscoped(self.db()).await?;
        if rt.mark_alive().await? {
            self.forget_all_snapshots();
            let load = database_loads(self, &pending).await?;
            for o in &pending {
                rt.put_offer(&Offer {
                    id: o.id,
                    tenant: TenantId::from_uuid(o.tenant_id),
                    agent: UserId::from_uuid(o.agent_id),
                    deadline: o.expires_at,
                })
                .await?;
            }
            for ((tenant, agent), n) in &load {
                rt.set_load(TenantId::from_uuid(*tenant), UserId::from_uuid(*agent), *n)
                    .await?;
            }
            // Presume agents are where they said they were; without a heartbeat from their
            // inbox within the TTL their presence lapses as usual.
            for (tenant, user, availability) in users::present_unscoped(self.db()).await? {
                rt.heartbeat(
                    TenantId::from_uuid(tenant),
                    UserId::from_uuid(user),
                    availability,
                    crate::routing::PRESENCE_TTL,
                )
                .await?;
            }
            let requeued = self.requeue_lost(true).await?;
            tracing::info!(
                offers = pending.len(),
                agents = load.len(),
                requeued,
                "realtime state rebuilt from the database"
            );
        }
        // Each agent with pending offers once, however many offers they hold.
        let agents: std::collections::HashSet<_> = pending
            .iter()
            .map(|o| {
                (
                    TenantId::from_uuid(o.tenant_id),
                    UserId::from_uuid(o.agent_id),
                )
            })
            .collect();
        let mut now_lapsed = std::collections::HashSet::new();
        for key in agents {
            if rt.availability(key.0, key.1).await?
                != switchboard_core::routing::Availability::Available
            {
                now_lapsed.insert(key);
            }
        }
        let gone: Vec<_> = {
            let mut seen = self.lapsed().lock().unwrap_or_else(|p| p.into_inner());
            let gone = now_lapsed.intersection(&seen).copied().collect();
            *seen = now_lapsed;
            gone
        };
        for (tenant, agent) in gone {
            self.withdraw_offers_of(tenant, agent).await?;
        }
        Ok(())
    }
}

impl Service {
    /// Checks the realtime store against the database; every node runs it every 15 s.
    ///
    /// - An agent's load (live chats + pending offers) that differs from the database's on
    ///   two passes in a row (so not a change in flight) is set to the database's.
    /// - An offer still pending in the database well past its deadline (the realtime store
    ///   lost it, or a write failed after it was resolved) is expired now, exactly once
    ///   across nodes, and its request moves on.
    /// - A visitor waiting in line whom the realtime store lost is put back in their place.
    pub async fn reconcile_with_database(&self, at: DateTime<Utc>) -> ServiceResult<Reconciled> {
        let mut done = Reconciled::default();
        let pending = offers::pending_unscoped(self.db()).await?;
        for o in pending.iter().filter(|o| o.expires_at + OFFER_GRACE < at) {
            let won = self
                .realtime()
                .resolve_offer(o.id, Resolution::Expired)
                .await?
                .is_some()
                || offers::resolve_unscoped(self.db(), o.id, OfferState::Expired).await?;
            if won {
                tracing::warn!(offer = %o.id, "closing an offer long past its deadline");
                self.after_failed_offer(
                    o.clone(),
                    OfferState::Expired,
                    FallbackReason::OfferExpired,
                )
                .await?;
                done.offers += 1;
            }
        }
        let pending = offers::pending_unscoped(self.db()).await?;
        let wanted = database_loads(self, &pending).await?;
        let mut agents: Vec<(Uuid, Uuid)> = users::agents_unscoped(self.db()).await?;
        agents.extend(wanted.keys().copied());
        agents.sort_unstable();
        agents.dedup();
        let mut now_off = HashMap::new();
        for (tenant, agent) in agents {
            let (t, a) = (TenantId::from_uuid(tenant), UserId::from_uuid(agent));
            let want = wanted.get(&(tenant, agent)).copied().unwrap_or(0);
            let have = self.realtime().load(t, a).await?;
            if have != want {
                now_off.insert((tenant, agent), (have, want));
            }
        }
        let fix: Vec<_> = {
            let mut seen = self.loads_off().lock().unwrap_or_else(|p| p.into_inner());
            let fix = now_off
                .iter()
                .filter(|(k, v)| seen.get(*k) == Some(*v))
                .map(|(k, v)| (*k, v.1))
                .collect();
            *seen = now_off;
            fix
        };
        for ((tenant, agent), want) in fix {
            tracing::warn!(%agent, load = want, "agent load corrected from the database");
            let t = TenantId::from_uuid(tenant);
            self.realtime()
                .set_load(t, UserId::from_uuid(agent), want)
                .await?;
            self.serve_queues_soon(t);
            done.loads += 1;
        }
        done.requeued = self.requeue_lost(false).await?;
        done.stranded = self.close_stranded(at).await?;
        Ok(done)
    }

    /// Closes the conversations whose routing stopped before any offer (see
    /// [`STRANDED_AFTER`]), once seen on two passes: the visitor got no answer and asked
    /// again, or left; the fallback gives the engagement back and tells the team (webhook,
    /// failed-action email with what the visitor left), so the lead is not lost.
    async fn close_stranded(&self, at: DateTime<Utc>) -> ServiceResult<usize> {
        let mut found = HashSet::new();
        let mut tenant_of = HashMap::new();
        for c in conversations::routing_since_unscoped(self.db(), at - STRANDED_AFTER).await? {
            if !self.offered(c.id).await? {
                found.insert(c.id);
                tenant_of.insert(c.id, TenantId::from_uuid(c.tenant_id));
            }
        }
        let mut n = 0;
        for id in seen_twice(self.stranded(), found, false) {
            let Some(tenant) = tenant_of.get(&id).copied() else {
                continue;
            };
            // Offered, queued, touched or ended since the scan, or taken by another node's
            // pass: left alone. An offer made after this check moves `updated_at` first.
            if self.offered(id).await?
                || !conversations::claim_stale_routing_unscoped(
                    self.db(),
                    id,
                    at - STRANDED_AFTER,
                    at,
                )
                .await?
            {
                continue;
            }
            let c = match conversations::find(self.db(), tenant, id).await {
                Ok(c) => c,
                // Erased (privacy) or forgotten since: nothing to close.
                Err(StoreError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            tracing::warn!(conversation = %id, "closing a conversation whose routing stopped before any offer");
            let t = tenants::find(self.db(), tenant).await?;
            let mut trace = trace_of(&c);
            self.fall_back(c, &mut trace, FallbackReason::NoAgentAvailable, &t, true)
                .await?;
            n += 1;
        }
        Ok(n)
    }

    /// Whether conversation `id` has an offer out.
    pub(super) async fn offered(&self, id: Uuid) -> ServiceResult<bool> {
        Ok(offers::of_conversation_unscoped(self.db(), id)
            .await?
            .iter()
            .any(|o| o.state == OfferState::Pending))
    }
}
