//! Live conversations once routed (SPEC §7): messages numbered per conversation and stored
//! before anyone is told, typing, ending (by either side, or the idle timeout), offer
//! acknowledgements, and the transcripts.
//!
//! A message is acknowledged to its sender only once stored: the acknowledgement is the
//! stored message with its `seq`. A sender's `client_id` makes a retry return the stored
//! message instead of storing it twice. Ending frees the agent's slot at once.

use chrono::{DateTime, Utc};
use switchboard_core::error::bounded_text;
use switchboard_core::routing::trace::FallbackReason;
use switchboard_core::{ConversationStatus, EndReason, MessageKind, Sender, TenantId, UserId};
use switchboard_realtime::{Dispatch, Queue, Topic};
use switchboard_store::conversations::{self, offers};
use switchboard_store::{messages, participants};
use uuid::Uuid;

use crate::events::{Event, MessageFrame};
use crate::message_writer::{Draft, Written};
use crate::offers::offer_event;
use crate::views::{self, Conversation, Message};
use crate::{Principal, Service, ServiceError, ServiceResult};

/// The longest message body (SPEC §7).
pub(crate) const MAX_BODY_CHARS: usize = 4000;
/// The longest client id of a message.
pub(crate) const MAX_CLIENT_ID_CHARS: usize = 100;
/// The most messages one read returns.
pub(crate) const MAX_PAGE: u64 = 500;

/// Who writes or ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Visitor,
    Agent(UserId),
    /// The system itself (the idle timeout).
    System,
}

/// Why a conversation ends.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ending {
    /// A side asked.
    Asked,
    /// Nobody wrote since this moment (the idle timeout).
    Idle(DateTime<Utc>),
    /// The visitor's widget went away while they waited in line.
    VisitorGone,
}

impl Side {
    /// Who a message of this side is by (the agent writing), and the statuses in which a
    /// conversation takes it: the visitor's while waiting or live, an agent's live only;
    /// the system writes none through here.
    pub(crate) fn writes(self) -> Option<(Option<Uuid>, &'static [ConversationStatus])> {
        match self {
            Side::Visitor => Some((
                None,
                &[ConversationStatus::Routing, ConversationStatus::Live],
            )),
            Side::Agent(a) => Some((Some(a.as_uuid()), &[ConversationStatus::Live])),
            Side::System => None,
        }
    }

    /// Whom the side's messages read as from.
    pub const fn sender(self) -> Sender {
        match self {
            Side::Visitor => Sender::Visitor,
            Side::Agent(_) => Sender::Agent,
            Side::System => Sender::System,
        }
    }
}

/// What an agent's inbox shows when it opens.
#[derive(Debug, Clone)]
pub struct Inbox {
    /// Offers waiting for this agent, as their `offer` frames.
    pub offers: Vec<Event>,
    /// The conversations the agent holds live, and those they joined (admins).
    pub live: Vec<Conversation>,
}

/// Writes a line the server composes — a system line, or a note by `author` — at the next
/// number of conversation `id` if its status is one of `open`, in the caller's transaction;
/// `None` when it is not open.
pub(crate) async fn write_line(
    conn: &impl switchboard_store::ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
    open: &[ConversationStatus],
    author: Option<Uuid>,
    kind: MessageKind,
    body: String,
) -> ServiceResult<Option<messages::Model>> {
    let Some(locked) = conversations::next_seq(conn, tenant, id, open, None, None).await? else {
        return Ok(None);
    };
    let sender = if kind == MessageKind::Note {
        Sender::Agent
    } else {
        Sender::System
    };
    let mut m = messages::Model::compose(
        locked.tenant_id,
        locked.id,
        locked.last_seq,
        sender,
        author,
        body,
        None,
    );
    m.kind = kind;
    Ok(Some(messages::insert(conn, m).await?))
}

pub(crate) fn not_open() -> ServiceError {
    ServiceError::conflict(
        "conversation",
        "this conversation is not open for messages: it has ended, or no agent took it",
    )
}

impl Service {
    /// A visitor writes in their conversation (while waiting for an agent, or live).
    pub async fn visitor_send(
        &self,
        visitor_token: &str,
        id: Uuid,
        body: &str,
        client_id: Option<&str>,
    ) -> ServiceResult<Message> {
        let c = self.visitor_conversation(visitor_token, id).await?;
        self.send(
            TenantId::from_uuid(c.tenant_id),
            c.id,
            Side::Visitor,
            body,
            client_id,
        )
        .await
    }

    /// The assigned agent (or an admin who joined) writes in a live conversation.
    pub async fn agent_send(
        &self,
        who: &Principal,
        id: Uuid,
        body: &str,
        client_id: Option<&str>,
    ) -> ServiceResult<Message> {
        let (c, agent) = self.writable_conversation(who, id).await?;
        self.send(
            TenantId::from_uuid(c.tenant_id),
            c.id,
            Side::Agent(agent),
            body,
            client_id,
        )
        .await
    }

    /// The conversation `id` if `who` is its assigned agent; anything else reads as not found.
    pub(crate) async fn assigned_conversation(
        &self,
        who: &Principal,
        id: Uuid,
    ) -> ServiceResult<(conversations::Model, UserId)> {
        self.agents_conversation(who, id, false).await
    }

    /// The conversation `id` if `who` may write in it as an agent: it is assigned to them,
    /// or they are an admin who joined it. Anything else reads as not found.
    pub(crate) async fn writable_conversation(
        &self,
        who: &Principal,
        id: Uuid,
    ) -> ServiceResult<(conversations::Model, UserId)> {
        self.agents_conversation(who, id, true).await
    }

    async fn agents_conversation(
        &self,
        who: &Principal,
        id: Uuid,
        or_joined: bool,
    ) -> ServiceResult<(conversations::Model, UserId)> {
        let tenant = who.member_tenant()?;
        let agent = who.user_id().ok_or(ServiceError::NotFound)?;
        let c = conversations::find(self.db(), tenant, id).await?;
        if c.assigned_agent_id == Some(agent.as_uuid()) {
            return Ok((c, agent));
        }
        let joined = or_joined
            && who.admin_tenant().is_ok()
            && participants::is_in(self.db(), tenant, c.id, agent.as_uuid()).await?;
        if !joined {
            return Err(ServiceError::NotFound);
        }
        Ok((c, agent))
    }

    /// Stores a message of `side` in a conversation of `tenant` (the visitor's while waiting
    /// or live; an agent's only live and assigned to them, which the write itself checks),
    /// then tells both sides. Callers have established that `side` may write there: the
    /// REST calls above by looking it up, a socket when it opened. A `client_id` the sender
    /// used before returns the stored message (its acknowledgement was lost) without storing
    /// or telling again.
    pub async fn send(
        &self,
        tenant: TenantId,
        conversation: Uuid,
        side: Side,
        body: &str,
        client_id: Option<&str>,
    ) -> ServiceResult<Message> {
        let body = bounded_text("body", body, 1, MAX_BODY_CHARS)?;
        let client_id = match client_id.map(str::trim) {
            None | Some("") => None,
            Some(id) => Some(bounded_text("client_id", id, 1, MAX_CLIENT_ID_CHARS)?),
        };
        let (author, open) = side.writes().ok_or_else(not_open)?;
        if matches!(side, Side::Visitor) {
            self.limit(
                crate::limits::Limit::VisitorMessages,
                &conversation.to_string(),
            )
            .await?;
        }
        let sender = side.sender();
        let written = self
            .messages_writer()
            .write(Draft {
                tenant,
                conversation,
                sender,
                author,
                body,
                client_id,
                open,
                attachment: None,
            })
            .await?;
        match written {
            Written::Stored(m) => {
                let m = Message::from(m);
                self.announce(
                    Topic::Conversation(conversation),
                    &Event::Message(MessageFrame::from(&m)),
                )
                .await;
                Ok(m)
            }
            Written::Repeated(m) => Ok(m.into()),
            Written::NotOpen => Err(not_open()),
        }
    }

    /// The visitor's transcript from `after` on (`seq` above it).
    pub async fn visitor_messages(
        &self,
        visitor_token: &str,
        id: Uuid,
        after: i64,
        limit: u64,
    ) -> ServiceResult<Vec<Message>> {
        self.visitor_transcript(visitor_token, id, after, limit)
            .await
    }

    /// A conversation's transcript from `after` on: for admins and its assigned agent.
    pub async fn messages(
        &self,
        who: &Principal,
        id: Uuid,
        after: i64,
        limit: u64,
    ) -> ServiceResult<Vec<Message>> {
        let c = self.conversation(who, id).await?;
        self.messages_after(c.id, after, limit).await
    }

    /// Messages above `after`, for a caller already allowed to read them (a socket checked
    /// when it opened). Negative `after` reads from the start.
    pub async fn messages_after(
        &self,
        conversation: Uuid,
        after: i64,
        limit: u64,
    ) -> ServiceResult<Vec<Message>> {
        Ok(views::messages(
            messages::after_unscoped(
                self.db(),
                conversation,
                after.max(0),
                limit.clamp(1, MAX_PAGE),
            )
            .await?,
        ))
    }

    /// [`Service::messages_after`] without the internal notes: what a visitor may read.
    pub async fn visible_messages_after(
        &self,
        conversation: Uuid,
        after: i64,
        limit: u64,
    ) -> ServiceResult<Vec<Message>> {
        Ok(views::messages(
            messages::visible_after_unscoped(
                self.db(),
                conversation,
                after.max(0),
                limit.clamp(1, MAX_PAGE),
            )
            .await?,
        ))
    }

    /// An internal note in a conversation, by an admin or its assigned agent: stored in the
    /// conversation's sequence (so agents read it in place) and never shown to the visitor.
    /// Taken at any time after the dialogue (live, waiting, ended, fallen back). Sockets are
    /// told a note exists at its `seq`, without its text: an agent's reads it from the
    /// database, a visitor's skips it.
    pub async fn add_note(&self, who: &Principal, id: Uuid, body: &str) -> ServiceResult<Message> {
        let body = bounded_text("body", body, 1, MAX_BODY_CHARS)?;
        let c = self.conversation(who, id).await?;
        let author = who.user_id().map(|u| u.as_uuid());
        let tenant = c.tenant;
        let open = [
            ConversationStatus::Routing,
            ConversationStatus::Live,
            ConversationStatus::Fallback,
            ConversationStatus::Ended,
            ConversationStatus::Completed,
        ];
        let txn = switchboard_store::begin_write(self.db()).await?;
        let Some(m) =
            write_line(&txn, tenant, c.id, &open, author, MessageKind::Note, body).await?
        else {
            txn.rollback().await?;
            return Err(ServiceError::conflict(
                "conversation",
                "notes are taken once the visitor has asked for an agent",
            ));
        };
        txn.commit().await?;
        let m = Message::from(m);
        self.announce(
            Topic::Conversation(c.id),
            &Event::NoteAdded {
                conversation_id: c.id,
                seq: m.seq,
            },
        )
        .await;
        Ok(m)
    }

    /// One side is typing: only told, never stored.
    pub async fn typing(&self, conversation: Uuid, side: Side, typing: bool) {
        self.announce(
            Topic::Conversation(conversation),
            &Event::Typing {
                conversation_id: conversation,
                sender: side.sender(),
                typing,
            },
        )
        .await;
    }

    /// The visitor ends their conversation (while waiting for an agent, or live).
    pub async fn visitor_end(&self, visitor_token: &str, id: Uuid) -> ServiceResult<()> {
        let c = self.saved_conversation(visitor_token, id).await?;
        self.end_or_conflict(c, Side::Visitor).await
    }

    /// The assigned agent ends a live conversation.
    pub async fn agent_end(&self, who: &Principal, id: Uuid) -> ServiceResult<()> {
        let (c, agent) = self.assigned_conversation(who, id).await?;
        self.end_or_conflict(c, Side::Agent(agent)).await
    }

    async fn end_or_conflict(&self, c: conversations::Model, side: Side) -> ServiceResult<()> {
        if self.end_conversation(c, side, Ending::Asked).await? {
            Ok(())
        } else {
            Err(ServiceError::conflict(
                "conversation",
                "this conversation has ended already",
            ))
        }
    }

    /// Ends a conversation that is still open, with a system message saying so, frees the
    /// agent's slot at once, and tells both sides. A conversation still waiting for an agent
    /// has its offer withdrawn and its engagement reservation given back. [`Ending::Idle`]
    /// ends it only if nobody wrote since. False when it was over already
    /// (another request, node or the idle timeout ended it) or someone wrote meanwhile.
    ///
    /// What to release is read from the row as locked in the transaction, not from `c`: an
    /// accept may have committed since `c` was read.
    pub(crate) async fn end_conversation(
        &self,
        c: conversations::Model,
        side: Side,
        ending: Ending,
    ) -> ServiceResult<bool> {
        let tenant = TenantId::from_uuid(c.tenant_id);
        let idle_before = match ending {
            Ending::Idle(before) => Some(before),
            Ending::Asked | Ending::VisitorGone => None,
        };
        let id = match (side, ending) {
            (_, Ending::Idle(_)) => "chat-ended-idle",
            (_, Ending::VisitorGone) => "chat-ended-visitor-gone",
            (Side::Visitor, _) => "chat-ended-by-visitor",
            (Side::Agent(_), _) => "chat-ended-by-agent",
            (Side::System, _) => "chat-ended",
        };
        let text = switchboard_i18n::text(self.visitor_language_of(&c).await?, id, &[]);
        let open = [
            ConversationStatus::Dialogue,
            ConversationStatus::Routing,
            ConversationStatus::Live,
        ];
        let reason = if idle_before.is_some() {
            EndReason::Idle
        } else {
            EndReason::Ended
        };
        // The webhook event is committed with the end (read before the transaction, which
        // then needs no second connection).
        let outbox = self
            .webhook_outbox(
                tenant,
                &[(
                    "conversation.ended",
                    serde_json::json!({"conversation_id": c.id, "by": side.sender(), "reason": reason}),
                )],
            )
            .await?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let Some(locked) =
            conversations::next_seq(&txn, tenant, c.id, &open, idle_before, None).await?
        else {
            txn.rollback().await?;
            return Ok(false);
        };
        let m = messages::insert(
            &txn,
            messages::Model::compose(
                locked.tenant_id,
                locked.id,
                locked.last_seq,
                Sender::System,
                None,
                text,
                None,
            ),
        )
        .await?;
        if !conversations::end(&txn, tenant, c.id, &open).await? {
            txn.rollback().await?;
            return Ok(false);
        }
        outbox.write(&txn).await?;
        txn.commit().await?;
        // Ended for good: what follows frees resources and tells people. A failure there is
        // logged (the reconciler rebuilds loads from the database) and does not undo the end.
        if let Err(e) = self.release_after_end(&locked).await {
            tracing::warn!(error = %e, conversation = %c.id, "releasing after a chat ended");
        }
        let topic = Topic::Conversation(c.id);
        self.announce(
            topic,
            &Event::Message(MessageFrame::from(&Message::from(m))),
        )
        .await;
        self.announce(
            topic,
            &Event::ConversationEnded {
                conversation_id: c.id,
                by: side.sender(),
                reason,
            },
        )
        .await;
        Ok(true)
    }

    /// After a conversation ended (`c` as it stood just before): withdraws its pending offers,
    /// gives back its engagement reservation, frees its agent's slot.
    async fn release_after_end(&self, c: &conversations::Model) -> ServiceResult<()> {
        let tenant = TenantId::from_uuid(c.tenant_id);
        self.withdraw_open_offers(c.id).await?;
        if let Some(r) = c.reservation_id {
            self.realtime().release_engagement(tenant, r).await?;
        }
        if let Some(target) = c.queue_target.as_deref()
            && self.realtime().leave_queue(tenant, target, c.id).await?
        {
            self.queue_moved(tenant, target);
        }
        if c.status == ConversationStatus::Live
            && let Some(agent) = c.assigned_agent_id
        {
            self.realtime()
                .release_load(tenant, UserId::from_uuid(agent))
                .await?;
            self.serve_queues_soon(tenant);
        }
        Ok(())
    }

    /// Ends live conversations in which nobody wrote for the tenant's idle timeout. Every
    /// node runs it; each conversation is ended once. Returns how many this call ended.
    pub async fn end_idle_conversations(&self, at: DateTime<Utc>) -> ServiceResult<usize> {
        const BATCH: u64 = 500;
        // No tenant's timeout is under a minute: younger activity is never idle.
        let before = at - chrono::Duration::minutes(1);
        let (mut ended, mut skip) = (0, 0);
        loop {
            let candidates =
                conversations::idle_since_unscoped(self.db(), before, skip, BATCH).await?;
            let n = candidates.len() as u64;
            for c in candidates {
                let id = c.id;
                match self.end_if_idle(c, at).await {
                    Ok(true) => ended += 1,
                    // Not idle by its tenant's timeout: later batches start after it.
                    Ok(false) => skip += 1,
                    Err(e) => {
                        skip += 1;
                        tracing::warn!(error = %e, conversation = %id, "ending an idle chat");
                    }
                }
            }
            if n < BATCH {
                return Ok(ended);
            }
        }
    }

    async fn end_if_idle(&self, c: conversations::Model, at: DateTime<Utc>) -> ServiceResult<bool> {
        let snapshot = self
            .routing_snapshot(TenantId::from_uuid(c.tenant_id))
            .await?;
        let idle =
            chrono::Duration::minutes(i64::from(snapshot.tenant.settings().idle_timeout_minutes));
        self.end_conversation(c, Side::System, Ending::Idle(at - idle))
            .await
    }

    /// What an agent's inbox shows as it opens: pending offers, live conversations held and
    /// joined.
    pub async fn inbox(&self, who: &Principal) -> ServiceResult<Inbox> {
        let tenant = who.member_tenant()?;
        let agent = who.user_id().ok_or(ServiceError::NotFound)?;
        let mut offer_frames = Vec::new();
        for o in offers::pending_of(self.db(), tenant, agent.as_uuid()).await? {
            let c = conversations::find(self.db(), tenant, o.conversation_id).await?;
            offer_frames.push(offer_event(&o, &c));
        }
        let mut live = conversations::live_of_agent(self.db(), tenant, agent.as_uuid()).await?;
        if who.admin_tenant().is_ok() {
            let joined =
                switchboard_store::participants::live_joined_by(self.db(), tenant, agent.as_uuid())
                    .await?;
            // Each chat once, held or joined.
            let held: std::collections::HashSet<Uuid> = live.iter().map(|c| c.id).collect();
            live.extend(joined.into_iter().filter(|c| !held.contains(&c.id)));
        }
        Ok(Inbox {
            offers: offer_frames,
            live: live.into_iter().map(Conversation::from).collect(),
        })
    }
}

/// Where a visitor's conversation stands as their socket opens.
#[derive(Debug, Clone)]
pub struct VisitorSnapshot {
    pub status: ConversationStatus,
    pub last_seq: i64,
    /// What the widget must know already: who joined, the fallback, or the end.
    pub events: Vec<Event>,
}

impl Service {
    /// The conversation a visitor token opens, and its tenant.
    pub async fn visitor_session(
        &self,
        visitor_token: &str,
        origin: Option<&str>,
    ) -> ServiceResult<(TenantId, Uuid)> {
        let c = self.known_token(visitor_token).await?;
        let tenant = TenantId::from_uuid(c.tenant_id);
        crate::widget::check_origin(&self.routing_snapshot(tenant).await?.tenant, origin)?;
        Ok((tenant, c.id))
    }

    /// The conversation of a visitor token a socket opens with; an unknown one is refused.
    async fn known_token(&self, visitor_token: &str) -> ServiceResult<conversations::Model> {
        self.token_conversation(visitor_token)
            .await?
            .ok_or(ServiceError::Unauthorized(
                "the visitor token is unknown or expired",
            ))
    }

    /// Where the visitor's conversation stands, as frames their widget may have missed.
    pub async fn visitor_snapshot(&self, visitor_token: &str) -> ServiceResult<VisitorSnapshot> {
        let c = self.known_token(visitor_token).await?;
        let tenant = TenantId::from_uuid(c.tenant_id);
        let mut events = Vec::new();
        match (c.status, c.assigned_agent_id) {
            (ConversationStatus::Live | ConversationStatus::Ended, Some(agent)) => {
                events.push(Event::AgentJoined {
                    conversation_id: c.id,
                    agent: self.agent_card(tenant, UserId::from_uuid(agent)).await?,
                });
            }
            (ConversationStatus::Fallback, _) => {
                let t = switchboard_store::tenants::find(self.db(), tenant).await?;
                events.push(Event::Fallback {
                    conversation_id: c.id,
                    message: crate::live::fallback_text(c.fallback_reason, &c, &t),
                    reason: c
                        .fallback_reason
                        .unwrap_or(FallbackReason::NoAgentAvailable),
                });
            }
            (ConversationStatus::Routing, _) => {
                // Waiting in line: their place now.
                events.extend(self.place_in_line(&c).await?);
            }
            _ => {}
        }
        if c.status == ConversationStatus::Ended {
            events.push(Event::ConversationEnded {
                conversation_id: c.id,
                by: Sender::System,
                reason: EndReason::Ended,
            });
        }
        Ok(VisitorSnapshot {
            status: c.status,
            last_seq: c.last_seq,
            events,
        })
    }
}
