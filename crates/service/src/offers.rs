//! Offers of a chat to one agent, in one place: making one (the next eligible agent, a unit
//! of their load taken, the offer planned into the trace), publishing it (its deadline in the
//! realtime store, the `offer` frame in the agent's inboxes), reading the caller's own, and
//! closing one without an accept (its state recorded, the load given back, the inboxes told).
//! Live-chat requests and their resolution use it, and so does chat when a conversation ends
//! with offers still out.
//!
//! The realtime store decides who resolves an offer (exactly one caller wins); these steps
//! run for the winner only.

use switchboard_core::routing::RoutingMode;
use switchboard_core::routing::trace::{FallbackReason, OfferTrace, Outcome, RoutingTrace};
use switchboard_core::{OfferClosed, OfferState, TenantId, UserId};
use switchboard_realtime::{Dispatch, Offer, Resolution, Topic};
use switchboard_store::conversations::{self, offers};
use switchboard_store::{now, tenants};
use uuid::Uuid;

use crate::events::Event;
use crate::live::{LiveChat, LiveChatStatus, trace_json};
use crate::views::visitor_from;
use crate::{Principal, Service, ServiceError, ServiceResult};
use sea_orm::Set;

/// The `offer` frame of an offer made for conversation `c`.
pub(crate) fn offer_event(o: &offers::Model, c: &conversations::Model) -> Event {
    Event::Offer {
        offer_id: o.id,
        conversation_id: c.id,
        expires_at: o.expires_at,
        visitor: c.visitor.clone(),
        transfer: o.transfer_from.map(|from| crate::events::TransferCard {
            from_agent_id: from,
            note: o.transfer_note.clone(),
        }),
    }
}

impl Service {
    /// Picks the next eligible agent not in `exclude` (taking one unit of their load) and
    /// plans the offer, recorded in the trace; the caller stores it and then publishes it.
    /// `None` (with the fallback reason in the trace) when there is nobody.
    pub(crate) async fn plan_offer(
        &self,
        conversation: &conversations::Model,
        trace: &mut RoutingTrace,
        exclude: &[UserId],
        t: &tenants::Model,
    ) -> ServiceResult<Option<offers::Model>> {
        let tenant = TenantId::from_uuid(conversation.tenant_id);
        let settings = t.settings();
        let mode: RoutingMode =
            serde_json::from_value(conversation.routing.clone()).map_err(ServiceError::internal)?;
        let c = match self
            .candidates(tenant, mode, &visitor_from(&conversation.visitor))
            .await?
        {
            Ok(c) => c,
            Err((t, reason)) => {
                trace.rule_matched = t.rule_matched;
                trace.considered.extend(t.considered);
                trace.fallback(reason);
                return Ok(None);
            }
        };
        if trace.rule_matched.is_none() {
            trace.rule_matched = c.trace.rule_matched.clone();
        }
        trace.target = Some(c.pool.clone());
        if trace.offers.is_empty() {
            trace.considered.extend(c.trace.considered.clone());
        }
        let ids: Vec<UserId> = c.agents.iter().map(|a| a.id).collect();
        let pick = self
            .realtime()
            .pick_agent(tenant, &c.pool, &ids, exclude, settings.max_chats_per_agent)
            .await?;
        for (agent, reason) in pick.skipped {
            trace.skipped(agent, reason);
        }
        let Some(agent) = pick.chosen else {
            trace.fallback(FallbackReason::NoAgentAvailable);
            return Ok(None);
        };
        let at = now();
        let expires_at = at + chrono::Duration::seconds(i64::from(settings.accept_timeout_seconds));
        let offer = offers::Model {
            id: Uuid::now_v7(),
            tenant_id: tenant.as_uuid(),
            conversation_id: conversation.id,
            agent_id: agent.as_uuid(),
            state: OfferState::Pending,
            offered_at: at,
            expires_at,
            resolved_at: None,
            delivered_at: None,
            delivered_via: None,
            push_claimed_at: None,
            push_attempts: 0,
            push_next_at: None,
            transfer_from: None,
            transfer_by: None,
            transfer_note: None,
        };
        trace.offered(OfferTrace {
            offer_id: offer.id,
            agent_id: agent,
            offered_at: at,
            expires_at,
            resolution: OfferState::Pending,
            resolved_at: None,
            delivered: None,
        });
        trace.outcome = Outcome::Pending;
        Ok(Some(offer))
    }

    /// Stores an offer planned for `conversation` (with the trace that records it) and
    /// publishes it. Should the database refuse the write, the unit of load the pick took goes
    /// back at once: no agent is held by an offer that does not exist.
    pub(crate) async fn store_offer(
        &self,
        conversation: conversations::Model,
        trace: &RoutingTrace,
        offer: offers::Model,
    ) -> ServiceResult<LiveChat> {
        let id = conversation.id;
        let event = offer_event(&offer, &conversation);
        let agent = UserId::from_uuid(offer.agent_id);
        let tenant = TenantId::from_uuid(offer.tenant_id);
        let written = async {
            let txn = switchboard_store::begin_write(self.db()).await?;
            let offer = offers::insert(&txn, offer).await?;
            let mut active: conversations::ActiveModel = conversation.into();
            active.trace = Set(trace_json(trace));
            conversations::save(&txn, active).await?;
            txn.commit().await?;
            Ok::<_, ServiceError>(offer)
        }
        .await;
        let offer = match written {
            Ok(o) => o,
            Err(e) => {
                self.give_back_load(tenant, agent).await;
                return Err(e);
            }
        };
        self.publish_offer(&offer, &event).await?;
        Ok(LiveChat {
            conversation_id: id,
            status: LiveChatStatus::Offered {
                offer_id: offer.id,
                agent_id: agent,
                expires_at: offer.expires_at,
            },
        })
    }

    /// Gives back a unit of load taken for an offer that was never stored (logged: the
    /// reconciler rebuilds loads from the database should this fail too).
    pub(crate) async fn give_back_load(&self, tenant: TenantId, agent: UserId) {
        if let Err(e) = self.realtime().release_load(tenant, agent).await {
            tracing::warn!(error = %e, %agent, "giving back the load of an offer not stored");
        }
    }

    /// Makes a stored offer known to the realtime store (its deadline, its resolution) and
    /// shows it in the agent's inboxes (`event`: its `offer` frame).
    pub(crate) async fn publish_offer(
        &self,
        offer: &offers::Model,
        event: &Event,
    ) -> ServiceResult<()> {
        self.realtime()
            .put_offer(&Offer {
                id: offer.id,
                tenant: TenantId::from_uuid(offer.tenant_id),
                agent: UserId::from_uuid(offer.agent_id),
                deadline: offer.expires_at,
            })
            .await?;
        self.announce(
            Topic::Agent(
                TenantId::from_uuid(offer.tenant_id),
                UserId::from_uuid(offer.agent_id),
            ),
            event,
        )
        .await;
        Ok(())
    }

    /// Tells the agent's inboxes that an offer is no longer open, and why.
    pub(crate) async fn announce_withdrawn(&self, offer: &offers::Model, reason: OfferClosed) {
        self.announce(
            Topic::Agent(
                TenantId::from_uuid(offer.tenant_id),
                UserId::from_uuid(offer.agent_id),
            ),
            &Event::OfferWithdrawn {
                offer_id: offer.id,
                conversation_id: offer.conversation_id,
                reason,
            },
        )
        .await;
    }

    /// Closes an offer whose resolution this caller won (in the realtime store) without an
    /// accept: records its state, gives the agent's load back and tells their inboxes why.
    pub(crate) async fn release_offer(
        &self,
        offer: &offers::Model,
        state: OfferState,
        closed: OfferClosed,
    ) -> ServiceResult<()> {
        offers::resolve_unscoped(self.db(), offer.id, state).await?;
        self.realtime()
            .release_load(
                TenantId::from_uuid(offer.tenant_id),
                UserId::from_uuid(offer.agent_id),
            )
            .await?;
        self.announce_withdrawn(offer, closed).await;
        Ok(())
    }

    /// Withdraws the pending offers of a conversation that ended. Only the winner of an
    /// offer's resolution frees the load: an accept may win instead, find the conversation
    /// ended, and give its load back itself.
    pub(crate) async fn withdraw_open_offers(&self, conversation: Uuid) -> ServiceResult<()> {
        for offer in offers::of_conversation_unscoped(self.db(), conversation).await? {
            if offer.state != OfferState::Pending {
                continue;
            }
            if self
                .realtime()
                .resolve_offer(offer.id, Resolution::Withdrawn)
                .await?
                .is_some()
            {
                self.release_offer(
                    &offer,
                    OfferState::Withdrawn,
                    OfferClosed::ConversationEnded,
                )
                .await?;
            }
        }
        Ok(())
    }

    /// The offer, if it is the caller's; anything else reads as not found.
    pub(crate) async fn own_offer(
        &self,
        who: &Principal,
        offer_id: Uuid,
    ) -> ServiceResult<offers::Model> {
        let tenant = who.member_tenant()?;
        let user = who.user_id().ok_or(ServiceError::NotFound)?;
        let offer = offers::find_unscoped(self.db(), offer_id).await?;
        if offer.tenant_id != tenant.as_uuid() || offer.agent_id != user.as_uuid() {
            return Err(ServiceError::NotFound);
        }
        Ok(offer)
    }

    /// An open inbox displayed the offer: record the delivery (the first one counts).
    pub async fn acknowledge_offer(&self, who: &Principal, offer_id: Uuid) -> ServiceResult<()> {
        let agent = who.user_id().ok_or(ServiceError::NotFound)?;
        offers::mark_delivered_unscoped(self.db(), offer_id, agent.as_uuid(), "inbox").await?;
        Ok(())
    }
}
