//! One socket's session: who is on the other end, which conversations it follows (with a
//! Bus listener each), and what it reacts to — a client frame, a Bus event, a lagging
//! subscription. It queues what is to go out; the transport loop sends it. What was
//! delivered is the [`Tracker`]'s business.

use std::collections::HashMap;

use switchboard_core::{ConversationStatus, EndReason, Sender, TenantId};
use switchboard_realtime::{Bus, Received, Topic};
use switchboard_service::chat::Side;
use switchboard_service::events::{Event, MessageFrame};
use switchboard_service::views::Message;
use switchboard_service::{Principal, Service, ServiceError};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::frames::{ClientFrame, EventHeader, EventKind, ServerFrame};
use super::tracker::{Arrival, Tracker};

/// Messages read from the database per catch-up query.
const CATCH_UP_PAGE: u64 = 500;

/// Who is on the other end.
pub(crate) enum Client {
    Agent(Principal),
    Visitor {
        tenant: TenantId,
        conversation: Uuid,
    },
}

impl Client {
    fn side(&self) -> Side {
        match self {
            Client::Agent(p) => p.user_id().map_or(Side::System, Side::Agent),
            Client::Visitor { .. } => Side::Visitor,
        }
    }
}

/// Where a Bus event came from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source {
    Agent,
    Conversation(Uuid),
}

/// One thing for the transport to send.
pub(crate) enum Out {
    Frame(ServerFrame),
    /// A Bus event, forwarded as it came.
    Forward(String),
    /// A WebSocket ping (the heartbeat).
    Ping,
}

pub(crate) struct Session {
    pub svc: Service,
    pub client: Client,
    tracker: Tracker,
    /// The Bus listener of each followed conversation.
    listeners: HashMap<Uuid, JoinHandle<()>>,
    agent_listener: Option<JoinHandle<()>>,
    events: mpsc::Sender<(Source, Received)>,
    pub out: Vec<Out>,
    /// Set when the socket must close (its token was revoked or expired): why.
    pub closing: Option<&'static str>,
}

impl Drop for Session {
    fn drop(&mut self) {
        for l in self.listeners.values() {
            l.abort();
        }
        if let Some(l) = &self.agent_listener {
            l.abort();
        }
    }
}

/// Forwards one subscription's events into the socket's queue until either side is gone.
fn listen(
    mut sub: switchboard_realtime::Subscription,
    source: Source,
    events: mpsc::Sender<(Source, Received)>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        while let Some(received) = sub.recv().await {
            if events.send((source, received)).await.is_err() {
                break;
            }
        }
    })
}

impl Session {
    /// A socket's session and the queue its Bus listeners fill.
    pub(crate) fn new(svc: Service, client: Client) -> (Self, mpsc::Receiver<(Source, Received)>) {
        let (events, rx) = mpsc::channel(64);
        let session = Session {
            svc,
            client,
            tracker: Tracker::default(),
            listeners: HashMap::new(),
            agent_listener: None,
            events,
            out: Vec::new(),
            closing: None,
        };
        (session, rx)
    }

    pub(crate) fn send(&mut self, frame: ServerFrame) {
        self.out.push(Out::Frame(frame));
    }

    fn send_event(&mut self, event: Event) {
        self.send(ServerFrame::Event(event));
    }

    fn send_message(&mut self, m: &Message) {
        self.send_event(Event::Message(MessageFrame::from(m)));
    }

    /// Listens to an agent's own topic (their offers, the chats they join).
    pub(crate) async fn listen_as_agent(
        &mut self,
        tenant: TenantId,
        agent: switchboard_core::UserId,
    ) -> Result<(), ServiceError> {
        let sub = self
            .svc
            .realtime()
            .subscribe(Topic::Agent(tenant, agent))
            .await?;
        self.agent_listener = Some(listen(sub, Source::Agent, self.events.clone()));
        Ok(())
    }

    /// Starts following a conversation whose messages up to `floor` the client has (or gets
    /// by resuming). Subscribes before reading anything, so nothing falls between.
    pub(crate) async fn follow(
        &mut self,
        conversation: Uuid,
        floor: i64,
    ) -> Result<(), ServiceError> {
        if self.tracker.follows(conversation) {
            return Ok(());
        }
        let sub = self
            .svc
            .realtime()
            .subscribe(Topic::Conversation(conversation))
            .await?;
        let listener = listen(sub, Source::Conversation(conversation), self.events.clone());
        self.tracker.follow(conversation, floor);
        self.listeners.insert(conversation, listener);
        Ok(())
    }

    /// The client has the conversation up to `seq` (read after the subscription).
    pub(crate) fn start_at(&mut self, conversation: Uuid, seq: i64) {
        self.tracker.start_at(conversation, seq);
    }

    fn unfollow(&mut self, conversation: Uuid) {
        self.tracker.unfollow(conversation);
        if let Some(l) = self.listeners.remove(&conversation) {
            l.abort();
        }
    }

    /// Up to a page of stored messages above `from`: for an agent notes included, for a
    /// visitor without them (their numbers are skipped: a visitor never reads a note).
    async fn read_after(
        &self,
        conversation: Uuid,
        from: i64,
    ) -> Result<Vec<Message>, ServiceError> {
        match self.client {
            Client::Agent(_) => {
                self.svc
                    .messages_after(conversation, from, CATCH_UP_PAGE)
                    .await
            }
            Client::Visitor { .. } => {
                self.svc
                    .visible_messages_after(conversation, from, CATCH_UP_PAGE)
                    .await
            }
        }
    }

    /// Queues every stored message of the conversation above what was delivered.
    pub(crate) async fn catch_up(&mut self, conversation: Uuid) -> Result<(), ServiceError> {
        loop {
            let Some(from) = self.tracker.delivered(conversation) else {
                return Ok(());
            };
            let page = self.read_after(conversation, from).await?;
            let full = page.len() as u64 == CATCH_UP_PAGE;
            for m in &page {
                if self.tracker.record(conversation, m.seq) {
                    self.send_message(m);
                }
            }
            if !full {
                return Ok(());
            }
        }
    }

    /// The client reconnected and has everything up to `after`: send what it lacks. In
    /// order when `resume` is its first frame (later, the older messages come after).
    async fn resume(&mut self, conversation: Uuid, after: i64) -> Result<(), ServiceError> {
        let backfill = self
            .tracker
            .resume(conversation, after)
            .ok_or(ServiceError::NotFound)?;
        // What came before this socket opened (this socket sent only what is above it).
        let mut from = backfill.after;
        while from < backfill.through {
            let page = self.read_after(conversation, from).await?;
            let Some(last) = page.last().map(|m| m.seq) else {
                break;
            };
            for m in page.iter().filter(|m| m.seq <= backfill.through) {
                self.send_message(m);
            }
            from = last;
        }
        self.catch_up(conversation).await
    }

    /// A Bus event for this socket: forwarded, or used to fill a gap first.
    pub(crate) async fn on_event(&mut self, event: &str) -> Result<(), ServiceError> {
        let Ok(header) = serde_json::from_str::<EventHeader>(event) else {
            return Ok(());
        };
        match header.kind {
            EventKind::Message => {
                let (Some(conversation), Some(seq)) = (header.conversation_id, header.seq) else {
                    return Ok(());
                };
                match self.tracker.arrival(conversation, seq) {
                    // Something was missed (the Bus is not a log): the database has it.
                    Arrival::Gap => return self.catch_up(conversation).await,
                    Arrival::Next => {
                        self.tracker.record(conversation, seq);
                        self.out.push(Out::Forward(event.to_owned()));
                    }
                    Arrival::Duplicate | Arrival::NotFollowed => {}
                }
            }
            // A note carries no text on the Bus: an agent reads it (and anything missed)
            // from the database; a visitor's socket only notes that its number is taken.
            EventKind::NoteAdded => {
                let (Some(conversation), Some(seq)) = (header.conversation_id, header.seq) else {
                    return Ok(());
                };
                match (&self.client, self.tracker.arrival(conversation, seq)) {
                    (_, Arrival::Duplicate | Arrival::NotFollowed) => {}
                    (Client::Visitor { .. }, Arrival::Next) => {
                        self.tracker.record(conversation, seq);
                    }
                    _ => return self.catch_up(conversation).await,
                }
            }
            EventKind::Typing => {
                if header.sender != Some(self.client.side().sender()) {
                    self.out.push(Out::Forward(event.to_owned()));
                }
            }
            // Held, or joined beside its agent (admins): followed from now on.
            EventKind::ConversationAssigned | EventKind::ConversationJoined => {
                if let Some(conversation) = header.conversation_id {
                    if !self.tracker.follows(conversation) {
                        self.out.push(Out::Forward(event.to_owned()));
                        self.take_on(conversation).await?;
                    } else if header.kind == EventKind::ConversationAssigned {
                        // A chat this admin had joined was transferred to them: theirs now.
                        self.out.push(Out::Forward(event.to_owned()));
                    }
                }
            }
            EventKind::ConversationEnded => {
                self.out.push(Out::Forward(event.to_owned()));
                if let (Client::Agent(_), Some(conversation)) =
                    (&self.client, header.conversation_id)
                {
                    self.catch_up(conversation).await?;
                    self.unfollow(conversation);
                }
            }
            // The chat went to a colleague, or the admin left it: this user's sockets stop
            // following it.
            EventKind::ConversationTransferred | EventKind::ConversationLeft => {
                self.out.push(Out::Forward(event.to_owned()));
                if let (Client::Agent(_), Some(conversation)) =
                    (&self.client, header.conversation_id)
                {
                    self.unfollow(conversation);
                }
            }
            EventKind::TokensRevoked => {
                if let Client::Agent(_) = &self.client {
                    self.closing = Some("the token was revoked: log in again");
                }
            }
            EventKind::Other => self.out.push(Out::Forward(event.to_owned())),
        }
        Ok(())
    }

    /// An agent's socket takes on a conversation assigned to them while it is open: follows
    /// it and sends all of it (none of it was sent here). Checked again once subscribed, so an
    /// end published before the subscription is not missed.
    async fn take_on(&mut self, conversation: Uuid) -> Result<(), ServiceError> {
        self.follow(conversation, 0).await?;
        self.catch_up(conversation).await?;
        self.check_open(conversation).await
    }

    /// Tells an agent's client, and stops following, if the conversation ended meanwhile.
    pub(crate) async fn check_open(&mut self, conversation: Uuid) -> Result<(), ServiceError> {
        let Client::Agent(who) = &self.client else {
            return Ok(());
        };
        let Some(tenant) = who.tenant() else {
            return Ok(());
        };
        if self.svc.conversation_status(tenant, conversation).await? != ConversationStatus::Live {
            self.catch_up(conversation).await?;
            self.send_event(Event::ConversationEnded {
                conversation_id: conversation,
                by: Sender::System,
                reason: EndReason::Ended,
            });
            self.unfollow(conversation);
        }
        Ok(())
    }

    /// A subscription fell behind: whatever it dropped is read from the database.
    pub(crate) async fn on_lagged(&mut self, source: Source) -> Result<(), ServiceError> {
        match source {
            Source::Conversation(c) => {
                self.catch_up(c).await?;
                self.check_open(c).await
            }
            Source::Agent => {
                let Client::Agent(who) = &self.client else {
                    return Ok(());
                };
                let inbox = self.svc.inbox(who).await?;
                let me = who.user_id().map(|u| u.as_uuid());
                for offer in inbox.offers {
                    self.send_event(offer);
                }
                for c in &inbox.live {
                    if !self.tracker.follows(c.id) {
                        let conversation_id = c.id;
                        self.send_event(if c.assigned_agent_id == me {
                            Event::ConversationAssigned { conversation_id }
                        } else {
                            Event::ConversationJoined { conversation_id }
                        });
                        self.take_on(conversation_id).await?;
                    }
                }
                Ok(())
            }
        }
    }

    /// The conversation a client frame is about: a visitor's own, or the agent's named one
    /// (which they must follow).
    fn conversation_of(&self, named: Option<Uuid>) -> Option<Uuid> {
        match &self.client {
            Client::Visitor { conversation, .. } => Some(*conversation),
            Client::Agent(_) => named.filter(|c| self.tracker.follows(*c)),
        }
    }

    pub(crate) async fn on_client_frame(&mut self, text: &str) -> Result<(), ServiceError> {
        let frame = match serde_json::from_str::<ClientFrame>(text) {
            Ok(f) => f,
            Err(e) => {
                self.send(ServerFrame::error(format!("unreadable frame: {e}"), None));
                return Ok(());
            }
        };
        match frame {
            ClientFrame::Ping => self.send(ServerFrame::Pong),
            ClientFrame::OfferAck { offer_id } => {
                if let Client::Agent(who) = &self.client {
                    self.svc.acknowledge_offer(who, offer_id).await?;
                }
            }
            ClientFrame::Typing {
                conversation_id,
                typing,
            } => {
                if let Some(c) = self.conversation_of(conversation_id) {
                    self.svc.typing(c, self.client.side(), typing).await;
                }
            }
            ClientFrame::Resume {
                conversation_id,
                after_seq,
            } => match (self.conversation_of(conversation_id), conversation_id) {
                (Some(c), _) => self.resume(c, after_seq).await?,
                // An agent's `resume` naming no conversation applies to all it follows.
                (None, None) => {
                    for c in self.tracker.conversations() {
                        self.resume(c, after_seq).await?;
                    }
                }
                (None, Some(_)) => self.send(ServerFrame::error(
                    "resume names no conversation this socket follows",
                    None,
                )),
            },
            ClientFrame::Message {
                conversation_id,
                body,
                client_id,
            } => {
                self.on_message(conversation_id, &body, client_id.as_deref())
                    .await?;
            }
        }
        Ok(())
    }

    /// A client's message: stored, then acknowledged in order (the acknowledgement is the
    /// stored message), or refused with an error frame naming its `client_id`.
    async fn on_message(
        &mut self,
        conversation_id: Option<Uuid>,
        body: &str,
        client_id: Option<&str>,
    ) -> Result<(), ServiceError> {
        let Some(c) = self.conversation_of(conversation_id) else {
            self.send(ServerFrame::error(
                "the message names no conversation this socket follows",
                client_id,
            ));
            return Ok(());
        };
        // Who may write here was settled when the socket opened; the write checks that the
        // conversation is still open (and still the agent's).
        let tenant = match &self.client {
            Client::Agent(who) => who.tenant(),
            Client::Visitor { tenant, .. } => Some(*tenant),
        };
        let Some(tenant) = tenant else {
            return Ok(());
        };
        let side = self.client.side();
        match self.svc.send(tenant, c, side, body, client_id).await {
            Ok(m) => match self.tracker.arrival(c, m.seq) {
                // Delivered before (a retried client id): acknowledge again.
                Arrival::Duplicate | Arrival::NotFollowed => self.send_message(&m),
                // Everything before it first, so the acknowledgement keeps the order; the
                // catch-up sends the message itself too.
                Arrival::Gap => self.catch_up(c).await?,
                Arrival::Next => {
                    self.tracker.record(c, m.seq);
                    self.send_message(&m);
                }
            },
            Err(e) => {
                let detail = match &e {
                    ServiceError::Validation(v) => v.to_string(),
                    ServiceError::Conflict { message, .. } => (*message).to_owned(),
                    ServiceError::NotFound => "no such conversation".to_owned(),
                    ServiceError::RateLimited(wait) => format!(
                        "too many messages: send it again in {} s with the same client_id",
                        wait.as_secs().max(1)
                    ),
                    _ => {
                        tracing::warn!(error = %e, "storing a message from a socket");
                        "the message could not be stored; send it again with the same client_id"
                            .to_owned()
                    }
                };
                self.send(ServerFrame::error(detail, client_id));
            }
        }
        Ok(())
    }
}
