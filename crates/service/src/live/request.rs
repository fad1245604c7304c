//! A live-chat request: reserve an engagement, offer the chat to the first eligible agent,
//! or fall back (no slot, no rule, nobody available) with the reason on the conversation.

use serde_json::json;
use switchboard_core::routing::RoutingMode;
use switchboard_core::routing::rules::Visitor;
use switchboard_core::routing::trace::{FallbackReason, Outcome, RoutingTrace};
use switchboard_core::{ConversationStatus, TenantId, UserId};
use switchboard_realtime::{Dispatch, Topic};
use switchboard_store::conversations::{self};
use switchboard_store::{now, tenants};
use uuid::Uuid;

use super::{LiveChat, LiveChatStatus, fallback_text, most_attempts, trace_json};
use crate::events::Event;
use crate::offers::offer_event;
use crate::outbox::Outbox;
use crate::views::trace_of;
use crate::views::visitor_json;
use crate::{Service, ServiceResult};

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
        self.new_live_chat(tenant, mode, card_fallback_message, None, visitor)
            .await
    }

    /// A visitor asks for an agent through a card that queues: when every agent is busy they
    /// wait in line for up to `max_wait_seconds`.
    pub async fn request_live_chat_queued(
        &self,
        tenant: TenantId,
        mode: RoutingMode,
        max_wait_seconds: u32,
        visitor: Visitor,
    ) -> ServiceResult<LiveChat> {
        self.new_live_chat(tenant, mode, None, Some(max_wait_seconds), visitor)
            .await
    }

    async fn new_live_chat(
        &self,
        tenant: TenantId,
        mode: RoutingMode,
        card_fallback_message: Option<&str>,
        max_wait_seconds: Option<u32>,
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
            queue_max_wait_seconds: max_wait_seconds.map(|w| i32::try_from(w).unwrap_or(i32::MAX)),
            queue_target: None,
            queued_at: None,
            queue_deadline: None,
            visitor_id: None,
            left_message_name: None,
            left_message_email: None,
            left_message_body: None,
            left_message_at: None,
            visitor_ip_hash: None,
            dialogue_version_id: None,
            rating_score: None,
            rating_comment: None,
            rated_at: None,
            transcript_sent_at: None,
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
        // Closed: no engagement is reserved, nobody is offered the chat.
        if settings
            .business_hours
            .as_ref()
            .is_some_and(|hours| !hours.is_open(now()))
        {
            let mut trace = trace_of(&conversation);
            return self
                .fall_back(
                    conversation,
                    &mut trace,
                    FallbackReason::OutsideHours,
                    t,
                    stored,
                )
                .await;
        }
        let reservation = Uuid::now_v7();
        let conversation = conversations::Model {
            reservation_id: Some(reservation),
            ..conversation
        };
        // A reservation outlives every offer it may see (the whole cascade), plus slack.
        let wait = conversation
            .queue_max_wait_seconds
            .and_then(|w| u64::try_from(w).ok())
            .unwrap_or(0);
        let ttl = std::time::Duration::from_secs(
            u64::from(settings.accept_timeout_seconds) * u64::from(most_attempts(t)) + wait + 60,
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
        if let Some(wait) = conversation.queue_max_wait_seconds {
            return self.join_queue(conversation, trace, t, stored, wait).await;
        }
        match self.plan_offer(&conversation, &mut trace, &[], t).await? {
            Some(offer) => {
                let id = conversation.id;
                let event = offer_event(&offer, &conversation);
                let written = self
                    .decisions()
                    .write(
                        conversations::Model {
                            trace: trace_json(&trace),
                            ..conversation
                        },
                        Some(offer.clone()),
                        stored,
                        Outbox::default(),
                    )
                    .await;
                if let Err(e) = written {
                    // Nothing was stored: the agent's slot and the engagement go back at once.
                    self.give_back_load(tenant, UserId::from_uuid(offer.agent_id))
                        .await;
                    if let Err(e) = self
                        .realtime()
                        .release_engagement(tenant, reservation)
                        .await
                    {
                        tracing::warn!(error = %e, "giving back a reservation not stored");
                    }
                    return Err(e);
                }
                self.publish_offer(&offer, &event).await?;
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

    /// Ends routing without an agent: the reservation goes back, the visitor gets the card's
    /// message (the global one when there is none, and always for `limit_reached`). `stored`:
    /// whether the conversation is in the database yet (else it is inserted now).
    pub(crate) async fn fall_back(
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
        let message = fallback_text(Some(reason), &conversation, t);
        trace.fallback(reason);
        let id = conversation.id;
        let event = Event::Fallback {
            conversation_id: id,
            message: message.clone(),
            reason,
        };
        let fell = conversations::Model {
            status: ConversationStatus::Fallback,
            fallback_reason: Some(reason),
            reservation_id: None,
            trace: trace_json(trace),
            ..conversation
        };
        // The webhook events and the failed-action email are committed with the fallback.
        let data = json!({"conversation_id": id, "reason": reason.as_str()});
        let mut events = vec![("conversation.fallback", data.clone())];
        if reason == FallbackReason::LimitReached {
            events.push(("engagement.limit_reached", data));
        }
        let mut outbox = self.webhook_outbox(tenant, &events).await?;
        outbox.emails = self.failed_action_emails(t, &fell, reason).await?;
        self.decisions().write(fell, None, stored, outbox).await?;
        self.announce(Topic::Conversation(id), &event).await;
        Ok(LiveChat {
            conversation_id: id,
            status: LiveChatStatus::Fallback { message, reason },
        })
    }
}
