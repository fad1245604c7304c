//! Live-chat requests, end to end on the routing side (SPEC §2, §5): reserve an engagement,
//! pick an agent (one atomic step in the realtime store), offer with a deadline; then accept
//! (exactly one wins, the engagement is counted durably), decline, expiry, withdrawal — and
//! after a failed offer, another agent of the team on the prime plan, else the fallback.
//!
//! The realtime store arbitrates every race (who resolves an offer, who gets the last slot);
//! the database records the outcome. The conversation carries the routing trace.

use chrono::{DateTime, Utc};
use sea_orm::{Set, TransactionTrait};
use serde_json::json;
use switchboard_core::routing::RoutingMode;
use switchboard_core::routing::rules::Visitor;
use switchboard_core::routing::trace::{
    Delivery, FallbackReason, OfferTrace, Outcome, RoutingTrace,
};
use switchboard_core::tenant::Plan;
use switchboard_core::{ConversationStatus, OfferClosed, OfferState};
use switchboard_core::{TenantId, UserId};
use switchboard_realtime::{Dispatch, Offer, Presence, Resolution, Topic};
use switchboard_store::conversations::{self, offers};
use switchboard_store::{now, tenants, users};
use uuid::Uuid;

use crate::events::Event;
use crate::views::trace_of;
use crate::{Principal, Service, ServiceError, ServiceResult};

/// Other agents of the team tried after a failed offer on the prime plan (SPEC: one retry).
pub const TEAM_RETRIES: usize = 1;

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

fn visitor_json(v: &Visitor) -> serde_json::Value {
    json!({"country": v.country, "region": v.region, "city": v.city, "page_url": v.page_url, "captured": v.captured})
}

fn visitor_from(j: &serde_json::Value) -> Visitor {
    let s = |k: &str| j[k].as_str().map(str::to_owned);
    Visitor {
        country: s("country"),
        region: s("region"),
        city: s("city"),
        page_url: s("page_url"),
        captured: j["captured"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn trace_json(t: &RoutingTrace) -> serde_json::Value {
    serde_json::to_value(t).unwrap_or_default()
}

/// What a visitor without an agent reads: the card's fallback message if it has one, else
/// the tenant's global one — always the global one when the engagement limit was reached.
pub(crate) fn fallback_text(
    limit_reached: bool,
    card_message: Option<&str>,
    t: &tenants::Model,
) -> String {
    match card_message {
        Some(card) if !limit_reached => card.to_owned(),
        _ => t.global_fallback_message.clone(),
    }
}

impl Service {
    /// A visitor asks for a live agent (the live-chat card). Never fails for want of an
    /// agent: that is a fallback, with its reason, recorded on the conversation.
    pub async fn request_live_chat(
        &self,
        tenant: TenantId,
        mode: RoutingMode,
        card_fallback_message: Option<&str>,
        visitor: Visitor,
    ) -> ServiceResult<LiveChat> {
        let at = now();
        // Stored once routing has an answer: with its first offer, or with its fallback.
        let conversation = conversations::Model {
            id: Uuid::now_v7(),
            tenant_id: tenant.as_uuid(),
            status: ConversationStatus::Routing,
            visitor: visitor_json(&visitor),
            routing: serde_json::to_value(mode).unwrap_or_default(),
            card_fallback_message: card_fallback_message.map(str::to_owned),
            assigned_agent_id: None,
            reservation_id: None,
            fallback_reason: None,
            trace: trace_json(&RoutingTrace::new(mode.name())),
            created_at: at,
            updated_at: at,
            ended_at: None,
            dialogue: None,
            card_id: None,
            visitor_token_hash: None,
            last_seq: 0,
            last_activity_at: None,
        };
        self.route(conversation, false).await
    }

    /// Routes a conversation whose `routing` (and card fallback message) are set: reserve an
    /// engagement, pick an agent, offer. `stored`: whether the conversation is in the
    /// database already (a widget conversation reaching its live-chat card) or is new.
    pub(crate) async fn route(
        &self,
        conversation: conversations::Model,
        stored: bool,
    ) -> ServiceResult<LiveChat> {
        let tenant = TenantId::from_uuid(conversation.tenant_id);
        let snapshot = self.routing_snapshot(tenant).await?;
        let t = &snapshot.tenant;
        let settings = t.settings();
        let reservation = Uuid::now_v7();
        let conversation = conversations::Model {
            reservation_id: Some(reservation),
            ..conversation
        };
        // A reservation outlives every offer it may see (first offer and retries), plus slack.
        let ttl = std::time::Duration::from_secs(
            u64::from(settings.accept_timeout_seconds) * (TEAM_RETRIES as u64 + 1) + 60,
        );
        let limit = t
            .engagement_limit
            .map(|l| u32::try_from(l).unwrap_or(u32::MAX));
        let used = u64::try_from(t.engagements_used).unwrap_or(0);
        if !self
            .realtime()
            .reserve_engagement(tenant, limit, used, reservation, ttl)
            .await?
        {
            let mut trace = trace_of(&conversation);
            return self
                .fall_back(
                    conversation,
                    &mut trace,
                    FallbackReason::LimitReached,
                    t,
                    stored,
                )
                .await;
        }
        let mut trace = trace_of(&conversation);
        match self.plan_offer(&conversation, &mut trace, &[], t).await? {
            Some(offer) => {
                let id = conversation.id;
                let event = crate::chat::offer_event(&offer, &conversation);
                self.decisions()
                    .write(
                        conversations::Model {
                            trace: trace_json(&trace),
                            ..conversation
                        },
                        Some(offer.clone()),
                        stored,
                    )
                    .await?;
                self.publish_offer(&offer).await?;
                self.announce(
                    Topic::Agent(tenant, UserId::from_uuid(offer.agent_id)),
                    &event,
                )
                .await;
                Ok(LiveChat {
                    conversation_id: id,
                    status: LiveChatStatus::Offered {
                        offer_id: offer.id,
                        agent_id: UserId::from_uuid(offer.agent_id),
                        expires_at: offer.expires_at,
                    },
                })
            }
            None => {
                let reason = match trace.outcome {
                    Outcome::Fallback { reason } => reason,
                    _ => FallbackReason::NoAgentAvailable,
                };
                self.fall_back(conversation, &mut trace, reason, t, stored)
                    .await
            }
        }
    }

    /// Picks the next eligible agent not in `exclude` (taking one unit of their load) and
    /// plans the offer, recorded in the trace; the caller stores it and then publishes it.
    /// `None` (with the fallback reason in the trace) when there is nobody.
    async fn plan_offer(
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

    /// Tells the agent's inboxes that an offer is no longer open, and why.
    async fn announce_withdrawn(&self, offer: &offers::Model, reason: OfferClosed) {
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

    /// Makes a stored offer known to the realtime store (its deadline, its resolution).
    async fn publish_offer(&self, offer: &offers::Model) -> ServiceResult<()> {
        self.realtime()
            .put_offer(&Offer {
                id: offer.id,
                tenant: TenantId::from_uuid(offer.tenant_id),
                agent: UserId::from_uuid(offer.agent_id),
                deadline: offer.expires_at,
            })
            .await?;
        Ok(())
    }

    /// Ends routing without an agent: the reservation goes back, the visitor gets the card's
    /// message (the global one when there is none, and always for `limit_reached`). `stored`:
    /// whether the conversation is in the database yet (else it is inserted now).
    async fn fall_back(
        &self,
        conversation: conversations::Model,
        trace: &mut RoutingTrace,
        reason: FallbackReason,
        t: &tenants::Model,
        stored: bool,
    ) -> ServiceResult<LiveChat> {
        let tenant = TenantId::from_uuid(conversation.tenant_id);
        if let Some(r) = conversation.reservation_id {
            self.realtime().release_engagement(tenant, r).await?;
        }
        let message = fallback_text(
            reason == FallbackReason::LimitReached,
            conversation.card_fallback_message.as_deref(),
            t,
        );
        trace.fallback(reason);
        let id = conversation.id;
        let event = Event::Fallback {
            conversation_id: id,
            message: message.clone(),
            reason,
        };
        self.decisions()
            .write(
                conversations::Model {
                    status: ConversationStatus::Fallback,
                    fallback_reason: Some(reason),
                    reservation_id: None,
                    trace: trace_json(trace),
                    ..conversation
                },
                None,
                stored,
            )
            .await?;
        self.announce(Topic::Conversation(id), &event).await;
        let data = json!({"conversation_id": id, "reason": reason.as_str()});
        self.emit(tenant, "conversation.fallback", data.clone())
            .await;
        if reason == FallbackReason::LimitReached {
            self.emit(tenant, "engagement.limit_reached", data).await;
        }
        self.queue_failed_action_email(tenant, id, reason).await;
        Ok(LiveChat {
            conversation_id: id,
            status: LiveChatStatus::Fallback { message, reason },
        })
    }

    /// The offer, if it is the caller's; anything else reads as not found.
    async fn own_offer(&self, who: &Principal, offer_id: Uuid) -> ServiceResult<offers::Model> {
        let tenant = who.member_tenant()?;
        let user = who.user_id().ok_or(ServiceError::NotFound)?;
        let offer = offers::find(self.db(), offer_id).await?;
        if offer.tenant_id != tenant.as_uuid() || offer.agent_id != user.as_uuid() {
            return Err(ServiceError::NotFound);
        }
        Ok(offer)
    }

    /// The offered agent accepts. Exactly one accept of an offer wins, on any node; a late
    /// or repeated one is refused with a conflict.
    pub async fn accept_offer(&self, who: &Principal, offer_id: Uuid) -> ServiceResult<LiveChat> {
        let offer = self.own_offer(who, offer_id).await?;
        let tenant = TenantId::from_uuid(offer.tenant_id);
        if self
            .realtime()
            .resolve_offer(offer_id, Resolution::Accepted)
            .await?
            .is_none()
        {
            return Err(ServiceError::conflict(
                "offer",
                "this offer is no longer open: it expired, was declined or was already accepted",
            ));
        }
        let conversation = conversations::find(self.db(), tenant, offer.conversation_id).await?;
        let agent = UserId::from_uuid(offer.agent_id);
        if conversation.status != ConversationStatus::Routing {
            return self.accept_too_late(&offer).await;
        }
        let reservation = conversation.reservation_id;
        let txn = self.db().begin().await?;
        if !tenants::consume_engagement(&txn, tenant).await? {
            // The database refuses past the limit even if the realtime store forgot a count.
            txn.rollback().await?;
            offers::resolve(self.db(), offer_id, OfferState::Withdrawn).await?;
            self.realtime().release_load(tenant, agent).await?;
            self.announce_withdrawn(&offer, OfferClosed::Withdrawn)
                .await;
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
        offers::resolve(&txn, offer_id, OfferState::Accepted).await?;
        let mut trace = trace_of(&conversation);
        trace.resolve(offer_id, OfferState::Accepted, now());
        trace.outcome = Outcome::Accepted { agent_id: agent };
        let id = conversation.id;
        // Only if still waiting: the visitor may have left since it was read.
        if !conversations::go_live(&txn, tenant, id, agent.as_uuid(), trace_json(&trace)).await? {
            txn.rollback().await?;
            return self.accept_too_late(&offer).await;
        }
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
        let data = json!({"conversation_id": id, "agent_id": agent});
        self.emit(tenant, "conversation.accepted", data.clone())
            .await;
        self.emit(tenant, "engagement.consumed", data).await;
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
        offers::resolve(self.db(), offer.id, OfferState::Withdrawn).await?;
        self.realtime()
            .release_load(
                TenantId::from_uuid(offer.tenant_id),
                UserId::from_uuid(offer.agent_id),
            )
            .await?;
        self.announce_withdrawn(offer, OfferClosed::ConversationEnded)
            .await;
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
    pub async fn withdraw_offers_of(
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
            let offer = offers::find(self.db(), id).await?;
            self.after_failed_offer(offer, traced, reason).await?;
            ended += 1;
        }
        Ok(ended)
    }

    /// After an offer ended without an accept (the caller won its resolution): free the
    /// agent's load, then offer another agent of the team (prime plan, within the retries),
    /// else fall back.
    async fn after_failed_offer(
        &self,
        offer: offers::Model,
        resolution: OfferState,
        reason: FallbackReason,
    ) -> ServiceResult<LiveChat> {
        let tenant = TenantId::from_uuid(offer.tenant_id);
        let closed = OfferClosed::from(resolution);
        offers::resolve(self.db(), offer.id, resolution).await?;
        self.realtime()
            .release_load(tenant, UserId::from_uuid(offer.agent_id))
            .await?;
        self.announce_withdrawn(&offer, closed).await;
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
        let plan = t.plan();
        let mode: Option<RoutingMode> = serde_json::from_value(conversation.routing.clone()).ok();
        let retry = plan == Plan::Prime
            && matches!(mode, Some(RoutingMode::Team { .. }))
            && trace.offers.len() <= TEAM_RETRIES;
        if retry {
            let tried = trace.tried();
            if let Some(next) = self
                .plan_offer(&conversation, &mut trace, &tried, &t)
                .await?
            {
                let id = conversation.id;
                let event = crate::chat::offer_event(&next, &conversation);
                let txn = self.db().begin().await?;
                let next = offers::insert(&txn, next).await?;
                let mut active: conversations::ActiveModel = conversation.into();
                active.trace = Set(trace_json(&trace));
                conversations::save(&txn, active).await?;
                txn.commit().await?;
                self.publish_offer(&next).await?;
                self.announce(
                    Topic::Agent(tenant, UserId::from_uuid(next.agent_id)),
                    &event,
                )
                .await;
                return Ok(LiveChat {
                    conversation_id: id,
                    status: LiveChatStatus::Offered {
                        offer_id: next.id,
                        agent_id: UserId::from_uuid(next.agent_id),
                        expires_at: next.expires_at,
                    },
                });
            }
        }
        self.fall_back(conversation, &mut trace, reason, &t, true)
            .await
    }

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
        let pending = offers::pending(self.db()).await?;
        if rt.mark_alive().await? {
            self.forget_all_snapshots();
            let mut load = std::collections::HashMap::<(Uuid, Uuid), u32>::new();
            for (tenant, agent) in conversations::live_assignments(self.db()).await? {
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
            for (tenant, user, availability) in users::present_everywhere(self.db()).await? {
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

    /// A conversation with its trace: for the tenant's admins and its assigned agent.
    pub async fn conversation(
        &self,
        who: &Principal,
        id: Uuid,
    ) -> ServiceResult<crate::views::Conversation> {
        let tenant = who.member_tenant()?;
        let c = conversations::find(self.db(), tenant, id).await?;
        let assigned = who
            .user_id()
            .is_some_and(|u| c.assigned_agent_id == Some(u.as_uuid()));
        if who.admin_tenant().is_err() && !assigned {
            return Err(ServiceError::NotFound);
        }
        // Deliveries are recorded on the offers (acknowledgements race with the decisions
        // that rewrite the trace); the trace shown carries them.
        let delivered: Vec<_> = offers::of_conversation(self.db(), c.id)
            .await?
            .into_iter()
            .filter_map(|o| Some((o.id, o.delivered_via?, o.delivered_at?)))
            .collect();
        let mut c = crate::views::Conversation::from(c);
        for o in &mut c.trace.offers {
            if let Some((_, via, at)) = delivered.iter().find(|d| d.0 == o.offer_id) {
                o.delivered = Some(Delivery {
                    channel: via.clone(),
                    at: *at,
                });
            }
        }
        Ok(c)
    }
}
