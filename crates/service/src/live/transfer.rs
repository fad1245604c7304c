//! Handing a live chat to a colleague (SPEC §12.3): the assigned agent or an admin asks for
//! an agent or a team, with a note; the target gets an offer under the usual rules (the
//! window, capacity, availability, the trace). The chat moves only when that offer is
//! accepted (the visitor is told who joined, the webhook `conversation.transferred` is
//! sent); on a decline, expiry or withdrawal it stays where it was and whoever asked is
//! told. One transfer at a time per chat.

use serde_json::json;
use switchboard_core::error::bounded_text;
use switchboard_core::routing::trace::{Outcome, RoutingTrace};
use switchboard_core::{
    ConversationStatus, MessageKind, OfferClosed, OfferState, TeamId, TenantId, UserId,
};
use switchboard_realtime::{Dispatch, Topic};
use switchboard_store::conversations::{self, offers};
use switchboard_store::{now, teams, tenants, users};
use uuid::Uuid;

use super::{LiveChat, LiveChatStatus, trace_json};
use crate::chat::write_line;
use crate::events::{Event, MessageFrame, TransferCard};
use crate::views::{Message, trace_of};
use crate::{Principal, Service, ServiceError, ServiceResult};

/// The longest transfer note.
const MAX_NOTE_CHARS: usize = 1000;

/// Whom a chat is handed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferTarget {
    Agent(UserId),
    Team(TeamId),
}

/// A transfer asked for: the offer made, to whom, until when.
#[derive(Debug, Clone)]
pub struct TransferOffer {
    pub offer_id: Uuid,
    pub agent_id: UserId,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Whom a chat may be handed to: the agents (with their availability) and the teams.
#[derive(Debug, Clone)]
pub struct TransferTargets {
    /// `(id, display name, availability)`, by name.
    pub agents: Vec<(UserId, String, switchboard_core::Availability)>,
    /// `(id, name)`, by name.
    pub teams: Vec<(TeamId, String)>,
}

fn transfer_conflict(message: &str) -> ServiceError {
    ServiceError::conflict("conversation", message)
}

impl Service {
    /// The agents holding the live-chat permission and the teams of the caller's tenant:
    /// whom a chat may be transferred to (any member may read it).
    pub async fn transfer_targets(&self, who: &Principal) -> ServiceResult<TransferTargets> {
        let tenant = who.member_tenant()?;
        let agents = users::chat_agents(self.db(), tenant)
            .await?
            .into_iter()
            .map(|u| (UserId::from_uuid(u.id), u.display_name, u.availability))
            .collect();
        let teams = teams::all(self.db(), tenant)
            .await?
            .into_iter()
            .map(|t| (TeamId::from_uuid(t.id), t.name))
            .collect();
        Ok(TransferTargets { agents, teams })
    }

    /// Offers a live chat to another agent (or one of a team), keeping it with its agent
    /// until the offer is accepted.
    pub async fn transfer(
        &self,
        who: &Principal,
        id: Uuid,
        to: TransferTarget,
        note: Option<&str>,
    ) -> ServiceResult<TransferOffer> {
        // Admins and the assigned agent; anyone else reads it as not found.
        let view = self.conversation(who, id).await?;
        let tenant = view.tenant;
        let c = conversations::find(self.db(), tenant, id).await?;
        let (ConversationStatus::Live, Some(from)) = (c.status, c.assigned_agent_id) else {
            return Err(transfer_conflict(
                "only a live chat can be transferred: this one is not live",
            ));
        };
        let note = match note.map(str::trim) {
            None | Some("") => None,
            Some(n) => Some(bounded_text("note", n, 1, MAX_NOTE_CHARS)?),
        };
        let routing = match to {
            TransferTarget::Agent(agent) => {
                if agent.as_uuid() == from {
                    return Err(switchboard_core::ValidationError::new(
                        "to.id",
                        "this agent holds the chat already",
                    )
                    .into());
                }
                users::find(self.db(), tenant, agent).await.map_err(|_| {
                    switchboard_core::ValidationError::new("to.id", "no such agent")
                })?;
                json!({"mode": "agent", "agent_id": agent.as_uuid()})
            }
            TransferTarget::Team(team) => {
                teams::find(self.db(), tenant, team)
                    .await
                    .map_err(|_| switchboard_core::ValidationError::new("to.id", "no such team"))?;
                json!({"mode": "team", "team_id": team.as_uuid()})
            }
        };
        if offers::of_conversation_unscoped(self.db(), id)
            .await?
            .iter()
            .any(|o| o.state == OfferState::Pending)
        {
            return Err(transfer_conflict(
                "a transfer of this chat is waiting for an answer already",
            ));
        }
        let t = tenants::find(self.db(), tenant).await?;
        // The target's eligible agents, the holder excluded, picked as a request would be.
        let probe = conversations::Model {
            routing,
            ..c.clone()
        };
        let before = trace_of(&c);
        let mut trace = before.clone();
        let Some(mut offer) = self
            .plan_offer(&probe, &mut trace, &[UserId::from_uuid(from)], &t)
            .await?
        else {
            let why = match trace.outcome {
                Outcome::Fallback { reason } => reason.to_string(),
                _ => "no_agent_available".to_owned(),
            };
            return Err(ServiceError::conflict(
                "to",
                &format!(
                    "nobody there can take the chat now ({why}): away, offline or at capacity"
                ),
            ));
        };
        // The chat's routing record stays as it was; the transfer's offer is added to it.
        restore_route(&mut trace, &before);
        offer.transfer_from = Some(from);
        offer.transfer_by = who.user_id().map(|u| u.as_uuid());
        offer.transfer_note = note.clone();
        let agent = UserId::from_uuid(offer.agent_id);
        let written = async {
            let txn = switchboard_store::begin_write(self.db()).await?;
            let offer = offers::insert(&txn, offer).await?;
            conversations::set_trace(&txn, tenant, id, trace_json(&trace)).await?;
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
        let event = Event::Offer {
            offer_id: offer.id,
            conversation_id: id,
            expires_at: offer.expires_at,
            visitor: c.visitor.clone(),
            transfer: Some(TransferCard {
                from_agent_id: from,
                note,
            }),
        };
        self.publish_offer(&offer, &event).await?;
        Ok(TransferOffer {
            offer_id: offer.id,
            agent_id: agent,
            expires_at: offer.expires_at,
        })
    }

    /// A transfer's offer accepted (the caller won it): the chat moves to its new agent if
    /// it is still live with the one it was offered from.
    pub(super) async fn commit_transfer(
        &self,
        offer: offers::Model,
        c: conversations::Model,
        from: Uuid,
    ) -> ServiceResult<LiveChat> {
        let tenant = TenantId::from_uuid(offer.tenant_id);
        let to = UserId::from_uuid(offer.agent_id);
        if c.status != ConversationStatus::Live || c.assigned_agent_id != Some(from) {
            self.release_offer(
                &offer,
                OfferState::Withdrawn,
                OfferClosed::ConversationEnded,
            )
            .await?;
            return Err(transfer_conflict(
                "this chat has ended or moved since: the transfer is void",
            ));
        }
        let card = self.agent_card(tenant, to).await?;
        // The note is for agents (the workspace's language), the line for the visitor too.
        let workspace_language = self
            .routing_snapshot(tenant)
            .await?
            .tenant
            .settings()
            .default_locale;
        let visitor_language = self.visitor_language_of(&c).await?;
        let outbox = self
            .webhook_outbox(
                tenant,
                &[(
                    "conversation.transferred",
                    json!({"conversation_id": c.id, "from_agent_id": from, "to_agent_id": to,
                           "by": offer.transfer_by, "note": offer.transfer_note}),
                )],
            )
            .await?;
        let mut trace = trace_of(&c);
        trace.resolve(offer.id, OfferState::Accepted, now());
        trace.outcome = Outcome::Accepted { agent_id: to };
        let txn = switchboard_store::begin_write(self.db()).await?;
        if !offers::resolve_unscoped(&txn, offer.id, OfferState::Accepted).await? {
            txn.rollback().await?;
            return Err(ServiceError::conflict(
                "offer",
                "this offer is no longer open: it expired",
            ));
        }
        users::reset_missed_offers(&txn, tenant, to).await?;
        if !conversations::transfer(&txn, tenant, c.id, from, to.as_uuid(), trace_json(&trace))
            .await?
        {
            txn.rollback().await?;
            self.release_offer(
                &offer,
                OfferState::Withdrawn,
                OfferClosed::ConversationEnded,
            )
            .await?;
            return Err(transfer_conflict(
                "this chat has ended or moved since: the transfer is void",
            ));
        }
        // The new agent holds the chat now: if they had joined it (an admin), they no longer
        // take part beside its agent.
        switchboard_store::participants::leave(&txn, tenant, c.id, to.as_uuid()).await?;
        // The note for the new agent stays in the transcript, as an internal note by whoever
        // asked (never shown to the visitor); then the line saying who joined, for the visitor
        // too (a reload shows it).
        let live = [ConversationStatus::Live];
        let note = match &offer.transfer_note {
            Some(text) => {
                let body = switchboard_i18n::text(
                    workspace_language,
                    "chat-transfer-note",
                    &[("name", (&card.display_name).into()), ("text", text.into())],
                );
                write_line(
                    &txn,
                    tenant,
                    c.id,
                    &live,
                    offer.transfer_by,
                    MessageKind::Note,
                    body,
                )
                .await?
            }
            None => None,
        };
        let body = switchboard_i18n::text(
            visitor_language,
            "chat-joined",
            &[("name", (&card.display_name).into())],
        );
        let joined =
            write_line(&txn, tenant, c.id, &live, None, MessageKind::Message, body).await?;
        outbox.write(&txn).await?;
        txn.commit().await?;
        // The previous agent's slot is free; the new agent's was taken by the offer.
        if let Err(e) = self
            .realtime()
            .release_load(tenant, UserId::from_uuid(from))
            .await
        {
            tracing::warn!(error = %e, "freeing the slot of a transferred chat");
        }
        self.serve_queues_soon(tenant);
        self.announce(
            Topic::Agent(tenant, UserId::from_uuid(from)),
            &Event::ConversationTransferred {
                conversation_id: c.id,
                to_agent_id: to.as_uuid(),
            },
        )
        .await;
        self.announce(
            Topic::Agent(tenant, to),
            &Event::ConversationAssigned {
                conversation_id: c.id,
            },
        )
        .await;
        if let Some(m) = note {
            self.announce(
                Topic::Conversation(c.id),
                &Event::NoteAdded {
                    conversation_id: c.id,
                    seq: m.seq,
                },
            )
            .await;
        }
        if let Some(m) = joined {
            self.announce(
                Topic::Conversation(c.id),
                &Event::Message(MessageFrame::from(&Message::from(m))),
            )
            .await;
        }
        self.announce(
            Topic::Conversation(c.id),
            &Event::AgentJoined {
                conversation_id: c.id,
                agent: card,
            },
        )
        .await;
        Ok(LiveChat {
            conversation_id: c.id,
            status: LiveChatStatus::Live { agent_id: to },
        })
    }

    /// A transfer's offer ended without an accept (the caller won its resolution): the
    /// offered agent's slot goes back, the trace records it, and whoever asked is told; the
    /// chat stays with its agent.
    pub(super) async fn transfer_failed(
        &self,
        offer: offers::Model,
        from: Uuid,
        resolution: OfferState,
    ) -> ServiceResult<LiveChat> {
        let tenant = TenantId::from_uuid(offer.tenant_id);
        let closed = OfferClosed::from(resolution);
        self.release_offer(&offer, resolution, closed).await?;
        if resolution == OfferState::Expired {
            self.missed_offer(tenant, UserId::from_uuid(offer.agent_id))
                .await?;
        }
        let c = conversations::find(self.db(), tenant, offer.conversation_id).await?;
        let mut trace = trace_of(&c);
        trace.resolve(offer.id, resolution, now());
        conversations::set_trace(self.db(), tenant, c.id, trace_json(&trace)).await?;
        let told = offer.transfer_by.unwrap_or(from);
        self.announce(
            Topic::Agent(tenant, UserId::from_uuid(told)),
            &Event::TransferFailed {
                conversation_id: c.id,
                offer_id: offer.id,
                agent_id: offer.agent_id,
                reason: closed,
            },
        )
        .await;
        Ok(LiveChat {
            conversation_id: c.id,
            status: match (c.status, c.assigned_agent_id) {
                (ConversationStatus::Live, Some(a)) => LiveChatStatus::Live {
                    agent_id: UserId::from_uuid(a),
                },
                _ => LiveChatStatus::Ended,
            },
        })
    }
}

/// Puts back what planning an offer rewrote of a live chat's trace (where it was routed, how
/// it ended), keeping the offer it added.
fn restore_route(trace: &mut RoutingTrace, before: &RoutingTrace) {
    trace.target = before.target.clone();
    trace.rule_matched = before.rule_matched.clone();
    trace.outcome = before.outcome.clone();
}
