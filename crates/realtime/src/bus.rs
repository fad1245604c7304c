//! The Bus: events fanned out to whichever node holds the socket that wants them.
//!
//! Each node keeps one [`Hub`]: a broadcast channel per topic somebody on this node listens
//! to. The memory backend delivers a publish straight into it. The Redis backend publishes
//! with `PUBLISH` and keeps one pub/sub connection per node, subscribed to exactly the topics
//! its hub holds; a message from Redis is delivered into the hub. A subscription is dropped
//! when its last local listener goes, and every topic is subscribed again after the pub/sub
//! connection comes back.
//!
//! The Bus is a fast path, not a log: an event published while a node's pub/sub connection
//! is down, or to a listener that fell too far behind ([`Received::Lagged`]), is not
//! redelivered. What must not be lost (messages) is stored first, and clients catch up from
//! the database by sequence number: a listener is told when it lagged, and every listener of
//! the node is told when its pub/sub connection came back ([`Received::Reconnected`]).

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};

use switchboard_core::{TenantId, UserId};
use tokio::sync::{broadcast, mpsc, oneshot};
use uuid::Uuid;

use crate::RealtimeResult;

/// Events a slow listener may fall behind by before it is told it lagged. Each topic's
/// channel holds this many slots from its creation, and an agent's socket keeps two topics
/// open: 64 keeps an idle socket's memory small (the socket benchmark measured 37 KiB per
/// agent socket with 256), and a listener that lags catches up from the database.
const BACKLOG: usize = 64;

/// What an event is about; each topic is one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Everything for one agent's open inboxes (offers, withdrawals).
    Agent(TenantId, UserId),
    /// Everything in one conversation (messages, typing, joins, the end).
    Conversation(Uuid),
    /// Some tenant's routing configuration changed (users, rules, settings); the event is
    /// the tenant's id.
    Config,
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Topic::Agent(tenant, agent) => write!(f, "agent:{tenant}:{agent}"),
            Topic::Conversation(id) => write!(f, "conv:{id}"),
            Topic::Config => f.write_str("config"),
        }
    }
}

/// Publish and subscribe, across every node sharing the backend.
pub trait Bus: Send + Sync {
    /// Sends `event` to every current subscriber of `topic`, on any node.
    fn publish(&self, topic: Topic, event: &str)
    -> impl Future<Output = RealtimeResult<()>> + Send;

    /// Listens to `topic` until the subscription is dropped. Events published after this
    /// returns are received.
    fn subscribe(&self, topic: Topic) -> impl Future<Output = RealtimeResult<Subscription>> + Send;
}

/// What a subscription hands out next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    Event(Arc<str>),
    /// This many events were missed because the listener was too slow: catch up from the
    /// store of record.
    Lagged(u64),
    /// The node's link to the other nodes was down and is back: events published meanwhile
    /// were missed; catch up from the store of record.
    Reconnected,
}

/// What a topic's channel carries.
#[derive(Debug, Clone)]
enum Item {
    Event(Arc<str>),
    Reconnected,
}

/// One listener on one topic. Dropping it stops the listening (and, for the last listener of
/// the topic on this node, the backend's subscription).
pub struct Subscription {
    // Declared before `_leave` so it is dropped first: the hub then counts it gone.
    rx: broadcast::Receiver<Item>,
    _leave: Leave,
}

impl Subscription {
    /// The next event; `None` only if the hub itself is gone.
    pub async fn recv(&mut self) -> Option<Received> {
        match self.rx.recv().await {
            Ok(Item::Event(event)) => Some(Received::Event(event)),
            Ok(Item::Reconnected) => Some(Received::Reconnected),
            Err(broadcast::error::RecvError::Lagged(n)) => Some(Received::Lagged(n)),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}

struct Leave {
    hub: Arc<Hub>,
    topic: String,
}

impl Drop for Leave {
    fn drop(&mut self) {
        self.hub.leave(&self.topic);
    }
}

/// A change to the backend's subscriptions, applied in order by the node's pub/sub task.
pub(crate) enum Link {
    Subscribe(String, oneshot::Sender<RealtimeResult<()>>),
    Unsubscribe(String),
}

/// This node's listeners, by topic.
pub(crate) struct Hub {
    topics: Mutex<HashMap<String, broadcast::Sender<Item>>>,
    /// To the pub/sub task (Redis); none for the memory backend.
    link: Option<mpsc::UnboundedSender<Link>>,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new(None)
    }
}

impl Hub {
    pub(crate) fn new(link: Option<mpsc::UnboundedSender<Link>>) -> Self {
        Self {
            topics: Mutex::new(HashMap::new()),
            link,
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, broadcast::Sender<Item>>> {
        // Each critical section is one map operation: nothing half-done to recover from.
        self.topics
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Hands `event` to this node's listeners of `topic`, if any.
    pub(crate) fn deliver(&self, topic: &str, event: Arc<str>) {
        if let Some(tx) = self.lock().get(topic) {
            // No receiver left is not an error: the last one is leaving.
            let _ = tx.send(Item::Event(event));
        }
    }

    /// Tells every listener of this node that events may have been missed (the pub/sub
    /// connection came back).
    pub(crate) fn reconnected(&self) {
        for tx in self.lock().values() {
            let _ = tx.send(Item::Reconnected);
        }
    }

    /// Every topic listened to on this node (to subscribe again after a reconnection).
    pub(crate) fn topics(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }

    /// A new listener of `topic`. With a backend link, also asks for the backend's
    /// subscription and returns the receiver of its confirmation.
    pub(crate) fn join(
        self: &Arc<Self>,
        topic: String,
    ) -> (Subscription, Option<oneshot::Receiver<RealtimeResult<()>>>) {
        let mut topics = self.lock();
        let rx = topics
            .entry(topic.clone())
            .or_insert_with(|| broadcast::channel(BACKLOG).0)
            .subscribe();
        // Sent under the lock, so subscribe and unsubscribe reach the backend in the order
        // the hub saw them.
        let confirmed = self.link.as_ref().map(|link| {
            let (done, confirmed) = oneshot::channel();
            if let Err(mpsc::error::SendError(Link::Subscribe(_, done))) =
                link.send(Link::Subscribe(topic.clone(), done))
            {
                let _ = done.send(Err(crate::RealtimeError::Protocol(
                    "the pub/sub task has stopped".into(),
                )));
            }
            confirmed
        });
        drop(topics);
        let leave = Leave {
            hub: self.clone(),
            topic,
        };
        (Subscription { rx, _leave: leave }, confirmed)
    }

    fn leave(&self, topic: &str) {
        let mut topics = self.lock();
        if topics.get(topic).is_some_and(|tx| tx.receiver_count() == 0) {
            topics.remove(topic);
            if let Some(link) = &self.link {
                let _ = link.send(Link::Unsubscribe(topic.to_owned()));
            }
        }
    }
}
