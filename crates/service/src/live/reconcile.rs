//! Keeping the realtime store in line with the database: rebuilding it after it lost its
//! state, and moving on the offers of agents whose presence lapsed.

use switchboard_core::{TenantId, UserId};
use switchboard_realtime::{Dispatch, Offer, Presence};
use switchboard_store::conversations::{self, offers};
use switchboard_store::users;
use uuid::Uuid;

use crate::{Service, ServiceResult};

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
            let mut load = std::collections::HashMap::<(Uuid, Uuid), u32>::new();
            for (tenant, agent) in conversations::live_assignments_unscoped(self.db()).await? {
                *load.entry((tenant, agent)).or_default() += 1;
            }
            for o in &pending {
                *load.entry((o.tenant_id, o.agent_id)).or_default() += 1;
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
            tracing::info!(
                offers = pending.len(),
                agents = load.len(),
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
