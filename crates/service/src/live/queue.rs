//! The waiting queue (SPEC §12.1). A live-chat card that says `when_busy: "queue"` puts a
//! visitor nobody can take right now in line: one first-in-first-out queue per routing target
//! (`all`, `team:<id>`, `agent:<id>`), kept in the realtime store so every node shares it.
//!
//! Serving a queue offers its head to the next free agent. One node at a time serves a given
//! queue (a lease in the realtime store); a node that asks while another serves makes that one
//! look again before it stops, so a freed slot is never missed and a head is offered once.
//! Anything that frees a slot (a chat ending, an offer declined or expired, an agent becoming
//! available, a larger capacity) asks for the tenant's queues to be served; every node also
//! serves every queue once a second, so nothing waits on a lost signal.
//!
//! A visitor leaves the line when they end the conversation, when their widget is gone (its
//! socket closed or silent) for longer than a grace period (a reload keeps the place), when
//! they are offered (and come back to their place if nobody else can be tried), or when their
//! wait runs out: the fallback with reason `queue_timeout`. Their engagement reservation,
//! taken when they asked, keeps the plan's limit exact; one who gives up releases it.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use switchboard_core::routing::RoutingMode;
use switchboard_core::routing::trace::{FallbackReason, Outcome, RoutingTrace};
use switchboard_core::{ConversationStatus, OfferState, TenantId, UserId};
use switchboard_realtime::{Dispatch, Presence, Queue, Topic, Widget};
use switchboard_store::conversations::{self, offers};
use switchboard_store::{StoreError, now, tenants};
use uuid::Uuid;

use super::{LiveChat, LiveChatStatus, fallback_text, trace_json};
use crate::events::Event;
use crate::outbox::Outbox;
use crate::views::{trace_of, visitor_from};
use crate::{Principal, Service, ServiceError, ServiceResult};

/// How long one node may serve a queue before another may take over (a node that died
/// while serving holds it no longer than this).
const SERVE_FOR: Duration = Duration::from_secs(10);
/// How many of the first visitors in line serving looks at: a visitor whose only free agents
/// already had them lets the next one be served.
const LOOK_AHEAD: usize = 20;
/// The most visitors of one queue told their place in one pass.
const TELL_AT_MOST: usize = 2000;
/// How long an open widget counts as here without its socket's next heartbeat (every 30 s).
const VISITOR_TTL: Duration = Duration::from_secs(60);
/// The default grace of a widget gone (its socket closed) before its visitor leaves the line.
pub const DEFAULT_VISITOR_GRACE: Duration = Duration::from_secs(60);

/// A chat's length assumed for the estimate until the tenant has ended chats to measure.
const DEFAULT_CHAT_SECONDS: i64 = 300;

/// One visitor in line (`GET /queue`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    pub conversation_id: Uuid,
    /// 1: next.
    pub position: u64,
    pub waiting_since: DateTime<Utc>,
    /// `all`, `team:<id>` or `agent:<id>`.
    pub target: String,
}

/// What serving did with one visitor in line.
enum Served {
    /// Offered to an agent.
    Offered,
    /// Not waiting any more (ended, offered elsewhere, fallen back): taken out of line.
    Gone,
    /// The only free agents already had this visitor: the next in line may be served.
    NotForThem,
    /// Nobody is free: serving stops.
    NobodyFree,
}

impl Service {
    /// Nobody was free for a card that queues, or it always queues first: the visitor takes
    /// their place in line for the routing target, then the line is served (they may be
    /// offered at once). `wait`: how long they may wait.
    pub(crate) async fn join_queue(
        &self,
        conversation: conversations::Model,
        mut trace: RoutingTrace,
        t: &tenants::Model,
        stored: bool,
        wait: i32,
    ) -> ServiceResult<LiveChat> {
        let tenant = TenantId::from_uuid(conversation.tenant_id);
        let mode: RoutingMode =
            serde_json::from_value(conversation.routing.clone()).map_err(ServiceError::internal)?;
        let target = match self
            .candidates(tenant, mode, &visitor_from(&conversation.visitor))
            .await?
        {
            Ok(c) => {
                trace.rule_matched = c.trace.rule_matched;
                c.pool
            }
            Err((found, reason)) => {
                trace.rule_matched = found.rule_matched;
                trace.considered.extend(found.considered);
                return self
                    .fall_back(conversation, &mut trace, reason, t, stored)
                    .await;
            }
        };
        let at = now();
        trace.target = Some(target.clone());
        trace.outcome = Outcome::Queued { since: at };
        let id = conversation.id;
        self.decisions()
            .write(
                conversations::Model {
                    queue_target: Some(target.clone()),
                    queued_at: Some(at),
                    queue_deadline: Some(at + chrono::Duration::seconds(i64::from(wait))),
                    trace: trace_json(&trace),
                    ..conversation
                },
                None,
                stored,
                Outbox::default(),
            )
            .await?;
        self.realtime().enqueue(tenant, &target, id, at).await?;
        self.serve_queue(tenant, &target).await?;
        self.where_in_line(tenant, &target, id).await
    }

    /// A visitor offered from the line whose agent did not take the chat, with agents left to
    /// try but none free now: back to their place (the line keeps it), the trace saying so.
    pub(crate) async fn back_in_line(
        &self,
        conversation: conversations::Model,
        mut trace: RoutingTrace,
    ) -> ServiceResult<LiveChat> {
        let tenant = TenantId::from_uuid(conversation.tenant_id);
        let (Some(target), Some(since)) =
            (conversation.queue_target.clone(), conversation.queued_at)
        else {
            return Err(ServiceError::internal(NotQueued));
        };
        trace.outcome = Outcome::Queued { since };
        let id = conversation.id;
        let mut active: conversations::ActiveModel = conversation.into();
        active.trace = sea_orm::Set(trace_json(&trace));
        conversations::save(self.db(), active).await?;
        self.realtime().enqueue(tenant, &target, id, since).await?;
        self.queue_moved(tenant, &target);
        self.where_in_line(tenant, &target, id).await
    }

    /// Where a conversation that joined a line stands now: its place (and the visitor is
    /// told), or, when it left the line meanwhile, what became of it.
    async fn where_in_line(
        &self,
        tenant: TenantId,
        target: &str,
        id: Uuid,
    ) -> ServiceResult<LiveChat> {
        if let Some(frame) = self.queued_frame(tenant, target, id).await? {
            self.announce(Topic::Conversation(id), &frame).await;
            if let Event::Queued {
                position,
                estimated_wait_seconds,
                ..
            } = frame
            {
                return Ok(LiveChat {
                    conversation_id: id,
                    status: LiveChatStatus::Queued {
                        position,
                        estimated_wait_seconds,
                    },
                });
            }
        }
        let c = conversations::find(self.db(), tenant, id).await?;
        self.live_chat_of(&c).await
    }

    /// The `queued` frame of a conversation waiting in line (none when it is not in line).
    pub(crate) async fn place_in_line(
        &self,
        c: &conversations::Model,
    ) -> ServiceResult<Option<Event>> {
        match c.queue_target.as_deref() {
            Some(target) => {
                self.queued_frame(TenantId::from_uuid(c.tenant_id), target, c.id)
                    .await
            }
            None => Ok(None),
        }
    }

    /// The `queued` frame of a visitor in `target`'s line: their place and the estimate.
    async fn queued_frame(
        &self,
        tenant: TenantId,
        target: &str,
        id: Uuid,
    ) -> ServiceResult<Option<Event>> {
        let Some(position) = self.realtime().position(tenant, target, id).await? else {
            return Ok(None);
        };
        Ok(Some(Event::Queued {
            conversation_id: id,
            position,
            estimated_wait_seconds: self.estimate_wait(tenant, target, position).await?,
        }))
    }

    /// Where a conversation's live-chat request stands, read from the database.
    async fn live_chat_of(&self, c: &conversations::Model) -> ServiceResult<LiveChat> {
        let tenant = TenantId::from_uuid(c.tenant_id);
        let status = match c.status {
            ConversationStatus::Live => LiveChatStatus::Live {
                agent_id: UserId::from_uuid(c.assigned_agent_id.unwrap_or_default()),
            },
            ConversationStatus::Fallback => {
                let reason = c
                    .fallback_reason
                    .unwrap_or(FallbackReason::NoAgentAvailable);
                let t = tenants::find(self.db(), tenant).await?;
                LiveChatStatus::Fallback {
                    message: fallback_text(Some(reason), c, &t),
                    reason,
                }
            }
            ConversationStatus::Routing => {
                match offers::of_conversation_unscoped(self.db(), c.id)
                    .await?
                    .into_iter()
                    .find(|o| o.state == OfferState::Pending)
                {
                    Some(o) => LiveChatStatus::Offered {
                        offer_id: o.id,
                        agent_id: UserId::from_uuid(o.agent_id),
                        expires_at: o.expires_at,
                    },
                    // Between the line and an offer: about to be offered.
                    None => LiveChatStatus::Queued {
                        position: 1,
                        estimated_wait_seconds: 0,
                    },
                }
            }
            _ => LiveChatStatus::Ended,
        };
        Ok(LiveChat {
            conversation_id: c.id,
            status,
        })
    }

    /// Serves `target`'s line: offers its first visitors to free agents, in order, for as
    /// long as agents are free. When another node serves it, that node is asked to look
    /// again instead. Returns how many this call offered.
    pub(crate) async fn serve_queue(&self, tenant: TenantId, target: &str) -> ServiceResult<usize> {
        let rt = self.realtime();
        let holder = Uuid::now_v7();
        if !rt.start_serving(tenant, target, holder, SERVE_FOR).await? {
            return Ok(0);
        }
        let mut offered = 0;
        loop {
            match self.serve_line(tenant, target).await {
                Ok(n) => offered += n,
                Err(e) => {
                    // Let another pass (any node) serve it rather than wait for the lease.
                    let _ = rt.end_serving(tenant, target, holder).await;
                    return Err(e);
                }
            }
            if !rt.end_serving(tenant, target, holder).await? {
                break;
            }
        }
        if offered > 0 {
            self.queue_moved(tenant, target);
        }
        Ok(offered)
    }

    async fn serve_line(&self, tenant: TenantId, target: &str) -> ServiceResult<usize> {
        let mut offered = 0;
        'line: loop {
            let first = self.realtime().waiting(tenant, target, LOOK_AHEAD).await?;
            if first.is_empty() {
                break;
            }
            let mut moved = false;
            for id in first {
                match self.serve_one(tenant, target, id).await? {
                    Served::Offered => {
                        offered += 1;
                        moved = true;
                        break;
                    }
                    Served::Gone => {
                        moved = true;
                        break;
                    }
                    Served::NotForThem => {}
                    Served::NobodyFree => break 'line,
                }
            }
            if !moved {
                break;
            }
        }
        Ok(offered)
    }

    /// Offers one visitor in line to the next free agent they have not had yet.
    async fn serve_one(&self, tenant: TenantId, target: &str, id: Uuid) -> ServiceResult<Served> {
        let rt = self.realtime();
        let c = match conversations::find(self.db(), tenant, id).await {
            Ok(c) => c,
            Err(StoreError::NotFound) => {
                rt.leave_queue(tenant, target, id).await?;
                return Ok(Served::Gone);
            }
            Err(e) => return Err(e.into()),
        };
        let offered_already = offers::of_conversation_unscoped(self.db(), id)
            .await?
            .iter()
            .any(|o| o.state == OfferState::Pending);
        if c.status != ConversationStatus::Routing
            || c.queue_target.as_deref() != Some(target)
            || offered_already
        {
            rt.leave_queue(tenant, target, id).await?;
            return Ok(Served::Gone);
        }
        let t = tenants::find(self.db(), tenant).await?;
        let mut trace = trace_of(&c);
        let tried = trace.tried();
        let Some(offer) = self.plan_offer(&c, &mut trace, &tried, &t).await? else {
            return Ok(match trace.outcome {
                Outcome::Fallback {
                    reason: FallbackReason::NoAgentAvailable,
                } if !tried.is_empty() => Served::NotForThem,
                Outcome::Fallback {
                    reason: FallbackReason::NoAgentAvailable,
                } => Served::NobodyFree,
                Outcome::Fallback { reason } => {
                    // The target itself is gone (no rule matches any more, say).
                    if rt.leave_queue(tenant, target, id).await? {
                        self.fall_back(c, &mut trace, reason, &t, true).await?;
                    }
                    Served::Gone
                }
                _ => Served::NobodyFree,
            });
        };
        if !rt.leave_queue(tenant, target, id).await? {
            // It left the line meanwhile (ended, timed out): the pick's load goes back.
            rt.release_load(tenant, UserId::from_uuid(offer.agent_id))
                .await?;
            return Ok(Served::Gone);
        }
        if let Err(e) = self.store_offer(c.clone(), &trace, offer).await {
            // Not offered after all: back to their place, to be served again.
            if let Some(since) = c.queued_at {
                rt.enqueue(tenant, target, id, since).await?;
            }
            return Err(e);
        }
        Ok(Served::Offered)
    }

    /// Serves every line of a tenant, in the background (a slot may have been freed).
    pub(crate) fn serve_queues_soon(&self, tenant: TenantId) {
        let svc = self.clone();
        tokio::spawn(async move {
            if let Err(e) = svc.serve_queues(Some(tenant)).await {
                tracing::warn!(error = %e, %tenant, "serving waiting queues");
            }
        });
    }

    /// Serves every line (of one tenant, or of all). Every node runs it each second.
    pub async fn serve_queues(&self, tenant: Option<TenantId>) -> ServiceResult<usize> {
        let mut offered = 0;
        for (t, target) in self.realtime().queues().await? {
            if tenant.is_none_or(|only| only == t) {
                offered += self.serve_queue(t, &target).await?;
            }
        }
        Ok(offered)
    }

    /// Ends the waits that ran out by `at`: the fallback with reason `queue_timeout`. Every
    /// node runs it; each visitor is ended once. Returns how many this call ended.
    pub async fn end_overdue_waits(&self, at: DateTime<Utc>) -> ServiceResult<usize> {
        let mut ended = 0;
        for c in conversations::queue_overdue_unscoped(self.db(), at, 200).await? {
            let tenant = TenantId::from_uuid(c.tenant_id);
            let Some(target) = c.queue_target.clone() else {
                continue;
            };
            // Only one that is in line: one being offered waits for its offer's answer.
            if !self.realtime().leave_queue(tenant, &target, c.id).await? {
                continue;
            }
            let t = tenants::find(self.db(), tenant).await?;
            let mut trace = trace_of(&c);
            self.fall_back(c, &mut trace, FallbackReason::QueueTimeout, &t, true)
                .await?;
            self.queue_moved(tenant, &target);
            ended += 1;
        }
        Ok(ended)
    }

    /// Sets how long a queued visitor whose widget closed keeps their place (once, at
    /// start-up; later calls change nothing).
    pub fn configure_visitor_grace(&self, grace: Duration) {
        let _ = self.inner_visitor_grace().set(grace);
    }

    /// The visitor's widget did something: a socket opened, beat or closed. A closed one
    /// (the last of the visitor's) keeps them here for the grace period (a reload, a network
    /// change), then they read as gone.
    pub async fn visitor_widget(
        &self,
        tenant: TenantId,
        conversation: Uuid,
        widget: Widget,
    ) -> ServiceResult<()> {
        let ttl = match widget {
            Widget::Opened | Widget::Beat => VISITOR_TTL,
            Widget::Closed => self
                .inner_visitor_grace()
                .get()
                .copied()
                .unwrap_or(DEFAULT_VISITOR_GRACE),
        };
        Ok(self
            .realtime()
            .visitor_widget(tenant, conversation, widget, ttl)
            .await?)
    }

    /// Takes out of line the visitors whose widget is gone past the grace period, and ends
    /// their conversations (SPEC §12.1: leaving removes the visitor). A visitor whose widget
    /// was never seen waits on. Every node runs it; each visitor is let go once. Returns how
    /// many this call let go.
    pub async fn let_go_of_gone_visitors(&self) -> ServiceResult<usize> {
        let mut gone = 0;
        for (tenant, target) in self.realtime().queues().await? {
            let line = self
                .realtime()
                .waiting(tenant, &target, TELL_AT_MOST)
                .await?;
            for id in self.realtime().visitors_gone(tenant, &line).await? {
                if !self.realtime().leave_queue(tenant, &target, id).await? {
                    continue;
                }
                self.queue_moved(tenant, &target);
                let c = match conversations::find(self.db(), tenant, id).await {
                    Ok(c) => c,
                    Err(StoreError::NotFound) => continue,
                    Err(e) => return Err(e.into()),
                };
                if self
                    .end_conversation(
                        c,
                        crate::chat::Side::Visitor,
                        crate::chat::Ending::VisitorGone,
                    )
                    .await?
                {
                    gone += 1;
                }
            }
        }
        Ok(gone)
    }

    /// The line `target` changed: its visitors are told their new place by the next pass of
    /// [`Service::tell_places`] (folding a burst of changes into one message each).
    pub(crate) fn queue_moved(&self, tenant: TenantId, target: &str) {
        self.queues_moved()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert((tenant, target.to_owned()));
    }

    /// Tells each visitor of every line that moved since the last pass their place and the
    /// estimated wait (`queued` frames). Returns how many visitors were told.
    pub async fn tell_places(&self) -> ServiceResult<usize> {
        let moved: HashSet<(TenantId, String)> = std::mem::take(
            &mut *self
                .queues_moved()
                .lock()
                .unwrap_or_else(|p| p.into_inner()),
        );
        let mut told = 0;
        for (tenant, target) in moved {
            let line = self
                .realtime()
                .waiting(tenant, &target, TELL_AT_MOST)
                .await?;
            let per_place = self.seconds_per_place(tenant, &target).await?;
            for (i, id) in line.into_iter().enumerate() {
                let position = i as u64 + 1;
                self.announce(
                    Topic::Conversation(id),
                    &Event::Queued {
                        conversation_id: id,
                        position,
                        estimated_wait_seconds: position * per_place,
                    },
                )
                .await;
                told += 1;
            }
        }
        Ok(told)
    }

    async fn estimate_wait(
        &self,
        tenant: TenantId,
        target: &str,
        position: u64,
    ) -> ServiceResult<u64> {
        Ok(position * self.seconds_per_place(tenant, target).await?)
    }

    /// How long each place in `target`'s line takes, about: a recent chat's length shared by
    /// the slots of the target's agents (agents × chats each).
    async fn seconds_per_place(&self, tenant: TenantId, target: &str) -> ServiceResult<u64> {
        let snapshot = self.routing_snapshot(tenant).await?;
        let agents = match target.split_once(':') {
            Some(("agent", _)) => 1,
            Some(("team", id)) => match id.parse() {
                Ok(team) => self
                    .team_member_ids(tenant, switchboard_core::TeamId::from_uuid(team))
                    .await?
                    .len(),
                Err(_) => 1,
            },
            _ => snapshot
                .roster
                .iter()
                .filter(|a| a.active && a.live_chat_permission)
                .count(),
        };
        let slots =
            (agents as u64 * u64::from(snapshot.tenant.settings().max_chats_per_agent)).max(1);
        let recent = conversations::recent_chat_seconds(self.db(), tenant, 50).await?;
        let chat = if recent.is_empty() {
            DEFAULT_CHAT_SECONDS
        } else {
            recent.iter().sum::<i64>() / recent.len() as i64
        };
        Ok((u64::try_from(chat).unwrap_or(0) / slots).max(1))
    }

    /// The visitors waiting in the caller's tenant, line by line, in order (`GET /queue`).
    pub async fn queue(&self, who: &Principal) -> ServiceResult<Vec<QueueItem>> {
        let tenant = who.member_tenant()?;
        let mut items = Vec::new();
        for (t, target) in self.realtime().queues().await? {
            if t != tenant {
                continue;
            }
            let line = self
                .realtime()
                .waiting(tenant, &target, TELL_AT_MOST)
                .await?;
            let found = conversations::find_many(self.db(), tenant, &line).await?;
            for (i, id) in line.into_iter().enumerate() {
                let Some(c) = found.iter().find(|c| c.id == id) else {
                    continue;
                };
                items.push(QueueItem {
                    conversation_id: id,
                    position: i as u64 + 1,
                    waiting_since: c.queued_at.unwrap_or(c.created_at),
                    target: target.clone(),
                });
            }
        }
        items.sort_by(|a, b| {
            (a.waiting_since, a.conversation_id).cmp(&(b.waiting_since, b.conversation_id))
        });
        Ok(items)
    }

    /// Puts back in line the visitors the realtime store lost (it restarted empty, or a node
    /// died between taking one out of line and offering it): still routing, queued, with no
    /// offer out, and not in their line. Right after a rebuild (`at_once`) they go back at
    /// once; otherwise only those found so on two passes in a row, since a visitor being
    /// offered right now is briefly out of line with no offer stored yet.
    pub(crate) async fn requeue_lost(&self, at_once: bool) -> ServiceResult<usize> {
        let mut lost = HashSet::new();
        let mut tenant_of = std::collections::HashMap::new();
        for c in conversations::queued_unscoped(self.db()).await? {
            let (Some(target), Some(_)) = (c.queue_target.as_deref(), c.queued_at) else {
                continue;
            };
            let tenant = TenantId::from_uuid(c.tenant_id);
            if self
                .realtime()
                .position(tenant, target, c.id)
                .await?
                .is_some()
            {
                continue;
            }
            if !self.offered(c.id).await? {
                lost.insert(c.id);
                tenant_of.insert(c.id, tenant);
            }
        }
        let put_back = super::reconcile::seen_twice(self.queue_lost(), lost, at_once);
        let mut n = 0;
        for id in put_back {
            let Some(tenant) = tenant_of.get(&id).copied() else {
                continue;
            };
            // Read again: it may have been offered or ended since the scan.
            let c = conversations::find(self.db(), tenant, id).await?;
            let offered = self.offered(id).await?;
            let (Some(target), Some(since)) = (c.queue_target.as_deref(), c.queued_at) else {
                continue;
            };
            if c.status != ConversationStatus::Routing || offered {
                continue;
            }
            self.realtime().enqueue(tenant, target, c.id, since).await?;
            self.queue_moved(tenant, target);
            n += 1;
        }
        Ok(n)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the conversation never waited in a queue")]
struct NotQueued;
