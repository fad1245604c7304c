//! An offer answered: accepted (exactly one accept wins; the engagement is counted durably
//! and the conversation goes live), declined, expired or withdrawn — then the next eligible
//! agent within the request's offer attempts (SPEC §12.1), else the fallback.

use chrono::{DateTime, Utc};
use serde_json::json;
use switchboard_core::routing::RoutingMode;
use switchboard_core::routing::trace::{FallbackReason, Outcome};
use switchboard_core::{
    Availability, AvailabilityReason, ConversationStatus, OfferClosed, OfferState, TenantId, UserId,
};
use switchboard_realtime::{Dispatch, Resolution, Topic};
use switchboard_store::conversations::{self, offers};
use switchboard_store::{now, tenants, users};
use uuid::Uuid;

use super::{LiveChat, LiveChatStatus, attempts_for, trace_json};
use crate::events::Event;
use crate::views::trace_of;
use crate::{Principal, Service, ServiceError, ServiceResult};

impl Service {
    /// The offered agent accepts. Exactly one accept of an offer wins, on any node; a late
    /// or repeated one is refused with a conflict.
    pub async fn accept_offer(&self, who: &Principal, offer_id: Uuid) -> ServiceResult<LiveChat> {
        let offer = self.own_offer(who, offer_id).await?;
        let Some(won) = self
            .realtime()
            .resolve_offer(offer_id, Resolution::Accepted)
            .await?
        else {
            return Err(ServiceError::conflict(
                "offer",
                "this offer is no longer open: it expired, was declined or was already accepted",
            ));
        };
        let committed = self.commit_accept(offer).await;
        if let Err(ServiceError::Internal(_) | ServiceError::Unavailable(_)) = &committed {
            // Won in the realtime store but not committed: the offer goes back as it was
            // (pending, its deadline unchanged), so the agent can try again and it still
            // expires on time.
            if let Err(e) = self.realtime().put_offer(&won).await {
                tracing::warn!(error = %e, offer = %offer_id, "putting back an offer not accepted");
            }
        }
        committed
    }

    /// The rest of an accept that won the offer: the database's part, in one transaction.
    async fn commit_accept(&self, offer: offers::Model) -> ServiceResult<LiveChat> {
        let offer_id = offer.id;
        let tenant = TenantId::from_uuid(offer.tenant_id);
        let conversation = conversations::find(self.db(), tenant, offer.conversation_id).await?;
        if let Some(from) = offer.transfer_from {
            return self.commit_transfer(offer, conversation, from).await;
        }
        let agent = UserId::from_uuid(offer.agent_id);
        if conversation.status != ConversationStatus::Routing {
            return self.accept_too_late(&offer).await;
        }
        let reservation = conversation.reservation_id;
        let id = conversation.id;
        // The webhook events are committed with the accept.
        let data = json!({"conversation_id": id, "agent_id": agent});
        let outbox = self
            .webhook_outbox(
                tenant,
                &[
                    ("conversation.accepted", data.clone()),
                    ("engagement.consumed", data),
                ],
            )
            .await?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        if !tenants::consume_engagement(&txn, tenant).await? {
            // The database refuses past the limit even if the realtime store forgot a count.
            txn.rollback().await?;
            self.release_offer(&offer, OfferState::Withdrawn, OfferClosed::Withdrawn)
                .await?;
            let mut trace = trace_of(&conversation);
            trace.resolve(offer_id, OfferState::Withdrawn, now());
            let t = tenants::find(self.db(), tenant).await?;
            self.fall_back(
                conversation,
                &mut trace,
                FallbackReason::LimitReached,
                &t,
                true,
            )
            .await?;
            return Err(ServiceError::conflict(
                "offer",
                "the workspace's engagement limit is reached",
            ));
        }
        if !offers::resolve_unscoped(&txn, offer_id, OfferState::Accepted).await? {
            // The reconciler closed it in the database (its deadline long past) meanwhile,
            // and gave the load back itself.
            txn.rollback().await?;
            return Err(ServiceError::conflict(
                "offer",
                "this offer is no longer open: it expired",
            ));
        }
        users::reset_missed_offers(&txn, tenant, agent).await?;
        let mut trace = trace_of(&conversation);
        trace.resolve(offer_id, OfferState::Accepted, now());
        trace.outcome = Outcome::Accepted { agent_id: agent };
        // Only if still waiting: the visitor may have left since it was read.
        if !conversations::go_live(&txn, tenant, id, agent.as_uuid(), trace_json(&trace)).await? {
            txn.rollback().await?;
            return self.accept_too_late(&offer).await;
        }
        outbox.write(&txn).await?;
        txn.commit().await?;
        if let Some(r) = reservation
            && let Err(e) = self.realtime().consume_engagement(tenant, r).await
        {
            // The database counted it; the reservation lapses with its TTL.
            tracing::warn!(error = %e, "turning a reservation into an engagement");
        }
        self.announce(
            Topic::Agent(tenant, agent),
            &Event::ConversationAssigned {
                conversation_id: id,
            },
        )
        .await;
        match self.agent_card(tenant, agent).await {
            Ok(card) => {
                self.announce(
                    Topic::Conversation(id),
                    &Event::AgentJoined {
                        conversation_id: id,
                        agent: card,
                    },
                )
                .await
            }
            Err(e) => tracing::warn!(error = %e, "reading the agent who joined"),
        }
        Ok(LiveChat {
            conversation_id: id,
            status: LiveChatStatus::Live { agent_id: agent },
        })
    }

    /// An accept that won the offer but found the visitor gone: the agent's load goes back
    /// and the accept is refused.
    async fn accept_too_late(&self, offer: &offers::Model) -> ServiceResult<LiveChat> {
        self.release_offer(offer, OfferState::Withdrawn, OfferClosed::ConversationEnded)
            .await?;
        Err(ServiceError::conflict(
            "offer",
            "the visitor has left: this chat has ended",
        ))
    }

    /// The offered agent declines.
    pub async fn decline_offer(&self, who: &Principal, offer_id: Uuid) -> ServiceResult<LiveChat> {
        let offer = self.own_offer(who, offer_id).await?;
        if self
            .realtime()
            .resolve_offer(offer_id, Resolution::Declined)
            .await?
            .is_none()
        {
            return Err(ServiceError::conflict(
                "offer",
                "this offer is no longer open",
            ));
        }
        users::reset_missed_offers(
            self.db(),
            TenantId::from_uuid(offer.tenant_id),
            UserId::from_uuid(offer.agent_id),
        )
        .await?;
        self.after_failed_offer(offer, OfferState::Declined, FallbackReason::Declined)
            .await
    }

    /// Expires due offers: every node runs this; each offer is claimed by exactly one.
    /// Returns how many this call expired.
    pub async fn expire_due_offers(&self, at: DateTime<Utc>) -> ServiceResult<usize> {
        let due = self.realtime().due_offers(at, 200).await?;
        self.end_offers(
            due,
            Resolution::Expired,
            OfferState::Expired,
            FallbackReason::OfferExpired,
        )
        .await
    }

    /// Moves on the pending offers of an agent who went away or offline (at once, instead of
    /// waiting for their deadline).
    pub(crate) async fn withdraw_offers_of(
        &self,
        tenant: TenantId,
        agent: UserId,
    ) -> ServiceResult<usize> {
        let pending = self.realtime().pending_offers_of(tenant, agent).await?;
        self.end_offers(
            pending,
            Resolution::Withdrawn,
            OfferState::Withdrawn,
            FallbackReason::NoAgentAvailable,
        )
        .await
    }

    /// Ends each of these offers that this caller wins the resolution of (another node, or an
    /// accept, may win some), and moves their conversations on. Returns how many it ended.
    async fn end_offers(
        &self,
        ids: Vec<Uuid>,
        resolution: Resolution,
        traced: OfferState,
        reason: FallbackReason,
    ) -> ServiceResult<usize> {
        let mut ended = 0;
        for id in ids {
            if self
                .realtime()
                .resolve_offer(id, resolution)
                .await?
                .is_none()
            {
                continue;
            }
            let offer = offers::find_unscoped(self.db(), id).await?;
            self.after_failed_offer(offer, traced, reason).await?;
            ended += 1;
        }
        Ok(ended)
    }

    /// An offer of this agent's expired unanswered: after `away_after_missed_offers` in a
    /// row they are set away (and their inboxes say why), so the next visitors are not kept
    /// waiting on someone who is not there.
    pub(super) async fn missed_offer(&self, tenant: TenantId, agent: UserId) -> ServiceResult<()> {
        let run = users::record_missed_offer(self.db(), tenant, agent).await?;
        let limit = tenants::find(self.db(), tenant)
            .await?
            .settings()
            .away_after_missed_offers;
        if limit > 0 && run >= limit {
            tracing::info!(%agent, run, "agent set away after missed offers");
            // Boxed: setting them away moves their other offers on, which may miss again.
            Box::pin(self.change_availability(
                tenant,
                agent,
                Availability::Away,
                AvailabilityReason::MissedOffers,
                Some(run),
            ))
            .await?;
        }
        Ok(())
    }

    /// After an offer ended without an accept (the caller won its resolution): free the
    /// agent's load, then offer the next eligible agent not yet tried (within the request's
    /// offer attempts), else fall back.
    pub(super) async fn after_failed_offer(
        &self,
        offer: offers::Model,
        resolution: OfferState,
        reason: FallbackReason,
    ) -> ServiceResult<LiveChat> {
        if let Some(from) = offer.transfer_from {
            return self.transfer_failed(offer, from, resolution).await;
        }
        let tenant = TenantId::from_uuid(offer.tenant_id);
        self.release_offer(&offer, resolution, OfferClosed::from(resolution))
            .await?;
        if resolution == OfferState::Expired {
            self.missed_offer(tenant, UserId::from_uuid(offer.agent_id))
                .await?;
        }
        let conversation = conversations::find(self.db(), tenant, offer.conversation_id).await?;
        if conversation.status == ConversationStatus::Ended {
            // The visitor left while it was offered: nobody else is asked, nothing to say.
            return Ok(LiveChat {
                conversation_id: conversation.id,
                status: LiveChatStatus::Ended,
            });
        }
        let mut trace = trace_of(&conversation);
        trace.resolve(offer.id, resolution, now());
        let t = tenants::find(self.db(), tenant).await?;
        let mode: Option<RoutingMode> = serde_json::from_value(conversation.routing.clone()).ok();
        if trace.offers.len() < attempts_for(&t, mode.as_ref(), &trace) {
            let tried = trace.tried();
            if let Some(next) = self
                .plan_offer(&conversation, &mut trace, &tried, &t)
                .await?
            {
                let chat = self.store_offer(conversation, &trace, next).await?;
                self.serve_queues_soon(tenant);
                return Ok(chat);
            }
            let waiting = conversation
                .queue_deadline
                .is_some_and(|deadline| deadline > now());
            if waiting
                && trace.outcome
                    == (Outcome::Fallback {
                        reason: FallbackReason::NoAgentAvailable,
                    })
            {
                let chat = self.back_in_line(conversation, trace).await?;
                self.serve_queues_soon(tenant);
                return Ok(chat);
            }
        }
        // A visitor offered from the line whose wait ran out meanwhile: the wait is what ended.
        let reason = match conversation.queue_deadline {
            Some(deadline) if deadline <= now() => FallbackReason::QueueTimeout,
            _ => reason,
        };
        self.serve_queues_soon(tenant);
        self.fall_back(conversation, &mut trace, reason, &t, true)
            .await
    }
}
