//! The WebSockets of live chat (SPEC §11, documented in `openapi/asyncapi.yaml`):
//! `/api/v1/ws/agent?token=<JWT>` for an agent's inbox and `/api/v1/ws/visitor?token=<visitor
//! token>` for a visitor's widget.
//!
//! A socket listens on the Bus to the topics its client follows (the agent's own topic and
//! each conversation they hold; the visitor's conversation) and forwards the frames as they
//! come. Messages are kept exactly once and in order per conversation: the socket remembers
//! the highest `seq` it sent, drops what it sent already, and reads from the database what it
//! missed (a gap, a lagging Bus, a `resume {after_seq}` from a client that reconnected).
//!
//! A message a client sends is stored before it is acknowledged: the acknowledgement is the
//! stored message (with its `seq` and the client's `client_id`), sent back on the socket.

use std::collections::HashMap;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use poem::web::websocket::{Message as WsMessage, WebSocket, WebSocketConfig};
use poem::web::{Data, Query};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;
use switchboard_core::TenantId;
use switchboard_realtime::{Bus, Received, Topic};
use switchboard_service::chat::Side;
use switchboard_service::events::{Event, MessageFrame};
use switchboard_service::{Principal, Service, ServiceError};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::problem::ApiError;

/// How often the server pings, and renews an agent's presence.
const HEARTBEAT: Duration = Duration::from_secs(30);
/// A client silent (not even a pong) for this long is gone.
const SILENCE: Duration = Duration::from_secs(75);
/// How long a socket waits for its client's first frame (a `resume`) before forwarding live
/// events.
const FIRST_FRAME_GRACE: Duration = Duration::from_millis(1000);
/// The longest a frame may take to go out before the client is given up.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// Messages read from the database per catch-up query.
const CATCH_UP_PAGE: u64 = 500;

/// Small buffers: most sockets sit idle, and their memory is the cost of an idle client.
/// Frames are small (a message body is at most 4,000 characters).
fn socket_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_write_buffer_size(1024 * 1024)
        .max_message_size(Some(64 * 1024))
        .max_frame_size(Some(64 * 1024))
}

#[derive(Deserialize)]
pub struct TokenParam {
    token: Option<String>,
}

/// What a client may send.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientFrame {
    /// The inbox displayed this offer.
    OfferAck {
        offer_id: Uuid,
    },
    Message {
        /// Required from agents; a visitor writes in their one conversation.
        conversation_id: Option<Uuid>,
        body: String,
        client_id: Option<String>,
    },
    Typing {
        conversation_id: Option<Uuid>,
        #[serde(default = "yes")]
        typing: bool,
    },
    /// After reconnecting: send what came after `after_seq`.
    Resume {
        conversation_id: Option<Uuid>,
        after_seq: i64,
    },
    Ping,
}

fn yes() -> bool {
    true
}

/// The parts of a Bus event a socket needs to route it.
#[derive(Deserialize)]
struct Peek {
    #[serde(rename = "type")]
    kind: String,
    conversation_id: Option<Uuid>,
    seq: Option<i64>,
    sender: Option<String>,
}

/// Who is on the other end.
enum Client {
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
enum Source {
    Agent,
    Conversation(Uuid),
}

/// One conversation this socket follows.
struct Followed {
    /// What the client has, or said it does not need: everything up to here that is not
    /// above `delivered` was not sent on this socket.
    floor: i64,
    /// The highest `seq` sent on this socket.
    delivered: i64,
    /// Forwards the conversation's Bus events into the socket's queue.
    listener: JoinHandle<()>,
}

/// A socket's state: the conversations it follows and the queue its Bus listeners feed.
struct Session {
    svc: Service,
    client: Client,
    followed: HashMap<Uuid, Followed>,
    agent_listener: Option<JoinHandle<()>>,
    events: mpsc::Sender<(Source, Received)>,
    out: Vec<String>,
}

impl Drop for Session {
    fn drop(&mut self) {
        for f in self.followed.values() {
            f.listener.abort();
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

fn error_frame(detail: &str, client_id: Option<&str>) -> String {
    serde_json::json!({"type": "error", "detail": detail, "client_id": client_id}).to_string()
}

impl Session {
    /// A socket's session and the queue its Bus listeners fill.
    fn new(svc: Service, client: Client) -> (Self, mpsc::Receiver<(Source, Received)>) {
        let (events, rx) = mpsc::channel(64);
        let session = Session {
            svc,
            client,
            followed: HashMap::new(),
            agent_listener: None,
            events,
            out: Vec::new(),
        };
        (session, rx)
    }

    /// Starts following a conversation whose messages up to `floor` the client has (or gets
    /// by resuming). Subscribes before reading anything, so nothing falls between.
    async fn follow(&mut self, conversation: Uuid, floor: i64) -> Result<(), ServiceError> {
        if self.followed.contains_key(&conversation) {
            return Ok(());
        }
        let sub = self
            .svc
            .realtime()
            .subscribe(Topic::Conversation(conversation))
            .await?;
        let listener = listen(sub, Source::Conversation(conversation), self.events.clone());
        self.followed.insert(
            conversation,
            Followed {
                floor,
                delivered: floor,
                listener,
            },
        );
        Ok(())
    }

    fn unfollow(&mut self, conversation: Uuid) {
        if let Some(f) = self.followed.remove(&conversation) {
            f.listener.abort();
        }
    }

    /// Queues every stored message of the conversation above what was delivered.
    async fn catch_up(&mut self, conversation: Uuid) -> Result<(), ServiceError> {
        loop {
            let Some(from) = self.followed.get(&conversation).map(|f| f.delivered) else {
                return Ok(());
            };
            let page = self
                .svc
                .messages_after(conversation, from, CATCH_UP_PAGE)
                .await?;
            let full = page.len() as u64 == CATCH_UP_PAGE;
            for m in &page {
                self.push_message(&MessageFrame::from(m));
            }
            if !full {
                return Ok(());
            }
        }
    }

    /// Queues a message frame unless it was sent already; records it as delivered.
    fn push_message(&mut self, m: &MessageFrame) {
        if let Some(f) = self.followed.get_mut(&m.conversation_id)
            && m.seq > f.delivered
        {
            f.delivered = m.seq;
            self.out.push(Event::Message(m.clone()).to_json());
        }
    }

    /// The client reconnected and has everything up to `after`: send what it lacks. In
    /// order when `resume` is its first frame (later, the older messages come after).
    async fn resume(&mut self, conversation: Uuid, after: i64) -> Result<(), ServiceError> {
        let Some(f) = self.followed.get_mut(&conversation) else {
            return Err(ServiceError::NotFound);
        };
        // A client cannot hold more than this socket's floor from before it opened, so a
        // larger `after` changes nothing (and must not hide messages yet to come).
        let floor = f.floor;
        f.floor = f.floor.min(after.max(0));
        // What came before this socket opened (this socket sent only what is above `floor`).
        let mut from = after.max(0);
        while from < floor {
            let page = self
                .svc
                .messages_after(conversation, from, CATCH_UP_PAGE)
                .await?;
            let Some(last) = page.last().map(|m| m.seq) else {
                break;
            };
            for m in page.iter().filter(|m| m.seq <= floor) {
                self.out
                    .push(Event::Message(MessageFrame::from(m)).to_json());
            }
            from = last;
        }
        self.catch_up(conversation).await
    }

    /// A Bus event for this socket: forwarded, or used to fill a gap first.
    async fn on_event(&mut self, event: &str) -> Result<(), ServiceError> {
        let Ok(peek) = serde_json::from_str::<Peek>(event) else {
            return Ok(());
        };
        match peek.kind.as_str() {
            "message" => {
                let (Some(conversation), Some(seq)) = (peek.conversation_id, peek.seq) else {
                    return Ok(());
                };
                let Some(delivered) = self.followed.get(&conversation).map(|f| f.delivered) else {
                    return Ok(());
                };
                if seq > delivered + 1 {
                    // Something was missed (the Bus is not a log): the database has it.
                    return self.catch_up(conversation).await;
                }
                if seq == delivered + 1
                    && let Ok(Event::Message(m)) = serde_json::from_str::<Event>(event)
                {
                    self.push_message(&m);
                }
            }
            "typing" => {
                if peek.sender.as_deref() != Some(self.client.side().as_str()) {
                    self.out.push(event.to_owned());
                }
            }
            "conversation_assigned" => {
                if let Some(conversation) = peek.conversation_id
                    && !self.followed.contains_key(&conversation)
                {
                    self.out.push(event.to_owned());
                    self.take_on(conversation).await?;
                }
            }
            "conversation_ended" => {
                self.out.push(event.to_owned());
                if let (Client::Agent(_), Some(conversation)) = (&self.client, peek.conversation_id)
                {
                    self.catch_up(conversation).await?;
                    self.unfollow(conversation);
                }
            }
            _ => self.out.push(event.to_owned()),
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
    async fn check_open(&mut self, conversation: Uuid) -> Result<(), ServiceError> {
        let Client::Agent(who) = &self.client else {
            return Ok(());
        };
        let Some(tenant) = who.tenant() else {
            return Ok(());
        };
        if self.svc.conversation_status(tenant, conversation).await? != "live" {
            self.catch_up(conversation).await?;
            self.out.push(
                Event::ConversationEnded {
                    conversation_id: conversation,
                    by: "system".into(),
                    reason: "ended".into(),
                }
                .to_json(),
            );
            self.unfollow(conversation);
        }
        Ok(())
    }

    /// A subscription fell behind: whatever it dropped is read from the database.
    async fn on_lagged(&mut self, source: Source) -> Result<(), ServiceError> {
        match source {
            Source::Conversation(c) => {
                self.catch_up(c).await?;
                self.check_open(c).await
            }
            Source::Agent => {
                if let Client::Agent(who) = &self.client {
                    let inbox = self.svc.inbox(who).await?;
                    self.out.extend(inbox.offers.iter().map(Event::to_json));
                    for c in inbox.live.iter().map(|c| c.id) {
                        if !self.followed.contains_key(&c) {
                            self.out
                                .push(Event::ConversationAssigned { conversation_id: c }.to_json());
                            self.take_on(c).await?;
                        }
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
            Client::Agent(_) => named.filter(|c| self.followed.contains_key(c)),
        }
    }

    async fn on_client_frame(&mut self, text: &str) -> Result<(), ServiceError> {
        let frame = match serde_json::from_str::<ClientFrame>(text) {
            Ok(f) => f,
            Err(e) => {
                self.out
                    .push(error_frame(&format!("unreadable frame: {e}"), None));
                return Ok(());
            }
        };
        match frame {
            ClientFrame::Ping => self.out.push(r#"{"type":"pong"}"#.to_owned()),
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
                    let all: Vec<Uuid> = self.followed.keys().copied().collect();
                    for c in all {
                        self.resume(c, after_seq).await?;
                    }
                }
                (None, Some(_)) => self.out.push(error_frame(
                    "resume names no conversation this socket follows",
                    None,
                )),
            },
            ClientFrame::Message {
                conversation_id,
                body,
                client_id,
            } => {
                let Some(c) = self.conversation_of(conversation_id) else {
                    self.out.push(error_frame(
                        "the message names no conversation this socket follows",
                        client_id.as_deref(),
                    ));
                    return Ok(());
                };
                // Who may write here was settled when the socket opened; the write checks
                // that the conversation is still open (and still the agent's).
                let tenant = match &self.client {
                    Client::Agent(who) => who.tenant(),
                    Client::Visitor { tenant, .. } => Some(*tenant),
                };
                let Some(tenant) = tenant else {
                    return Ok(());
                };
                let side = self.client.side();
                let sent = self
                    .svc
                    .send(tenant, c, side, &body, client_id.as_deref())
                    .await;
                match sent {
                    Ok(m) => {
                        let frame = MessageFrame::from(&m);
                        let delivered = self.followed.get(&c).map_or(0, |f| f.delivered);
                        if m.seq <= delivered {
                            // Delivered before (a retried client id): acknowledge again.
                            self.out.push(Event::Message(frame).to_json());
                        } else if m.seq > delivered + 1 {
                            // Everything before it first, so the acknowledgement keeps the
                            // order; the catch-up sends the message itself too.
                            self.catch_up(c).await?;
                        } else {
                            self.push_message(&frame);
                        }
                    }
                    Err(e) => {
                        let detail = match &e {
                            ServiceError::Validation(v) => v.to_string(),
                            ServiceError::Conflict { message, .. } => (*message).to_owned(),
                            ServiceError::NotFound => "no such conversation".to_owned(),
                            _ => {
                                tracing::warn!(error = %e, "storing a message from a socket");
                                "the message could not be stored; send it again with the same client_id".to_owned()
                            }
                        };
                        self.out.push(error_frame(&detail, client_id.as_deref()));
                    }
                }
            }
        }
        Ok(())
    }
}

/// Runs a socket until the client leaves, goes silent, or (agents) loses their account.
async fn run(
    socket: poem::web::websocket::WebSocketStream,
    mut session: Session,
    mut events: mpsc::Receiver<(Source, Received)>,
) {
    let (mut sink, mut stream) = socket.split();
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    heartbeat.tick().await;
    let mut heard = tokio::time::Instant::now();
    // A reconnecting client sends `resume` first: wait a moment for it before forwarding live
    // events, so that what it missed comes before what is new (events queue meanwhile).
    let mut first = Some(tokio::time::sleep(FIRST_FRAME_GRACE));
    loop {
        for frame in session.out.drain(..) {
            let msg = if frame.is_empty() {
                WsMessage::Ping(Vec::new())
            } else {
                WsMessage::Text(frame)
            };
            // A client that stops reading must not hold the socket's task forever.
            match tokio::time::timeout(SEND_TIMEOUT, sink.send(msg)).await {
                Ok(Ok(())) => {}
                _ => return,
            }
        }
        if let Some(grace) = first.take() {
            tokio::select! {
                incoming = stream.next() => {
                    heard = tokio::time::Instant::now();
                    let step = match incoming {
                        Some(Ok(WsMessage::Text(text))) => session.on_client_frame(&text).await,
                        Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => break,
                        Some(Ok(_)) => Ok(()),
                    };
                    if let Err(e) = step {
                        tracing::warn!(error = %e, "live-chat socket");
                        session.out.push(error_frame("the server could not do that; try again", None));
                    }
                }
                () = grace => {}
            }
            continue;
        }
        let step = tokio::select! {
            incoming = stream.next() => {
                heard = tokio::time::Instant::now();
                match incoming {
                    Some(Ok(WsMessage::Text(text))) => session.on_client_frame(&text).await,
                    Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => Ok(()),
                }
            }
            Some((source, received)) = events.recv() => match received {
                Received::Event(e) => session.on_event(&e).await,
                Received::Lagged(_) => session.on_lagged(source).await,
            },
            _ = heartbeat.tick() => {
                if heard.elapsed() > SILENCE {
                    break;
                }
                session.out.push(String::new());
                if let Client::Agent(who) = &session.client {
                    match session.svc.keep_present(who).await {
                        Ok(true) => Ok(()),
                        Ok(false) => break,
                        Err(e) => Err(e),
                    }
                } else {
                    Ok(())
                }
            }
        };
        if let Err(e) = step {
            tracing::warn!(error = %e, "live-chat socket");
            session
                .out
                .push(error_frame("the server could not do that; try again", None));
        }
    }
    let _ = sink.close().await;
}

fn unauthorized(detail: &'static str) -> Response {
    ApiError::from(ServiceError::Unauthorized(detail)).into_response()
}

/// `GET /api/v1/ws/agent?token=<JWT>`: an agent's inbox.
#[handler]
pub async fn agent(
    ws: WebSocket,
    Query(params): Query<TokenParam>,
    svc: Data<&Service>,
) -> Response {
    let Some(token) = params.token else {
        return unauthorized("the token query parameter is required");
    };
    let who = match svc.authenticate(&token).await {
        Ok(p @ Principal::User { .. }) => p,
        Ok(_) => return unauthorized("an agent's socket needs a user's token"),
        Err(e) => return ApiError::from(e).into_response(),
    };
    let svc = svc.0.clone();
    ws.config(socket_config())
        .on_upgrade(move |socket| async move {
            let (mut session, rx) = Session::new(svc.clone(), Client::Agent(who.clone()));
            let (Some(tenant), Some(user)) = (who.tenant(), who.user_id()) else {
                return;
            };
            let ready = async {
                let sub = svc.realtime().subscribe(Topic::Agent(tenant, user)).await?;
                session.agent_listener = Some(listen(sub, Source::Agent, session.events.clone()));
                svc.keep_present(&who).await?;
                let inbox = svc.inbox(&who).await?;
                let mut hello = Vec::new();
                for c in &inbox.live {
                    session.follow(c.id, c.last_seq).await?;
                    hello
                        .push(serde_json::json!({"conversation_id": c.id, "last_seq": c.last_seq}));
                }
                // Read after subscribing: a message stored in between is caught up, and an
                // end in between is noticed.
                for c in &inbox.live {
                    session.catch_up(c.id).await?;
                    session.check_open(c.id).await?;
                }
                session.out.insert(
                    0,
                    serde_json::json!({"type": "hello", "conversations": hello}).to_string(),
                );
                session.out.extend(inbox.offers.iter().map(Event::to_json));
                Ok::<_, ServiceError>(())
            };
            if let Err(e) = ready.await {
                tracing::warn!(error = %e, "opening an agent socket");
                return;
            }
            run(socket, session, rx).await;
        })
        .into_response()
}

/// `GET /api/v1/ws/visitor?token=<visitor token>`: a visitor's widget.
#[handler]
pub async fn visitor(
    ws: WebSocket,
    Query(params): Query<TokenParam>,
    svc: Data<&Service>,
) -> Response {
    let Some(token) = params.token else {
        return unauthorized("the token query parameter is required");
    };
    let (tenant, conversation) = match svc.visitor_session(&token).await {
        Ok(c) => c,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let svc = svc.0.clone();
    ws.config(socket_config())
        .on_upgrade(move |socket| async move {
            let (mut session, rx) = Session::new(
                svc.clone(),
                Client::Visitor {
                    tenant,
                    conversation,
                },
            );
            let ready = async {
                session.follow(conversation, 0).await?;
                // Read after subscribing, so a change in between is not missed.
                let state = svc.visitor_snapshot(&token).await?;
                if let Some(f) = session.followed.get_mut(&conversation) {
                    f.floor = state.last_seq;
                    f.delivered = state.last_seq;
                }
                session.out.push(
                    serde_json::json!({"type": "hello", "conversation_id": conversation, "status": state.status, "last_seq": state.last_seq})
                        .to_string(),
                );
                session.out.extend(state.events.iter().map(Event::to_json));
                Ok::<_, ServiceError>(())
            };
            if let Err(e) = ready.await {
                tracing::warn!(error = %e, "opening a visitor socket");
                return;
            }
            run(socket, session, rx).await;
        })
        .into_response()
}
