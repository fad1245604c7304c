//! Group commit of chat messages. Each message takes the next `seq` of its conversation and
//! is inserted, and the sender is acknowledged only once that is committed. One task writes
//! the messages waiting at that moment in one transaction, so a thousand messages a second
//! cost a fraction of the commits (and disk flushes) they would one by one. A lone message is
//! written at once; nothing waits on a timer.
//!
//! On PostgreSQL several writers work side by side, each taking the conversations whose id
//! hashes to it (so one conversation's messages never wait on each other's locks across
//! writers); SQLite has one writer at a time anyway, so it gets one.
//!
//! A `client_id` used before by the same sender in the same conversation is not stored
//! twice: the insert does nothing, the `seq` it took is given back (the conversation's row is
//! locked by this transaction, so nobody took a later one), and the stored message is
//! returned instead.

use switchboard_core::TenantId;
use switchboard_store::{Database, StoreResult, conversations, messages};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::{ServiceError, ServiceResult};

/// Messages per transaction at most (small statements: see the decision writer on Nagle).
const MAX_BATCH: usize = 32;
/// Messages waiting before senders wait to hand theirs over (back-pressure).
const QUEUE: usize = 4096;

/// A message to store.
pub(crate) struct Draft {
    pub tenant: TenantId,
    pub conversation: Uuid,
    pub sender: switchboard_core::Sender,
    /// The agent writing: the conversation must be assigned to them.
    pub author: Option<Uuid>,
    pub body: String,
    pub client_id: Option<String>,
    /// The statuses in which the conversation takes this message.
    pub open: &'static [switchboard_core::ConversationStatus],
    /// The file it carries, as the message describes it.
    pub attachment: Option<serde_json::Value>,
}

/// What became of a draft.
pub(crate) enum Written {
    /// Stored now: tell everyone.
    Stored(messages::Model),
    /// Stored before under the same client id: acknowledge again, tell nobody.
    Repeated(messages::Model),
    /// The conversation does not take it (not open, or not the author's).
    NotOpen,
}

struct Job {
    draft: Draft,
    done: oneshot::Sender<StoreResult<Written>>,
}

pub(crate) struct MessageWriter {
    shards: Vec<mpsc::Sender<Job>>,
}

/// Writers side by side on a database that takes concurrent writes.
const SHARDS: usize = 8;

#[derive(Debug, thiserror::Error)]
#[error("the message writer has stopped")]
struct Stopped;

impl MessageWriter {
    /// Starts the writing task; it stops when the writer is dropped.
    pub(crate) fn start(db: Database) -> Self {
        let n = match db.get_database_backend() {
            sea_orm::DatabaseBackend::Sqlite => 1,
            _ => SHARDS,
        };
        let shards = (0..n)
            .map(|_| {
                let (tx, rx) = mpsc::channel(QUEUE);
                tokio::spawn(run(db.clone(), rx));
                tx
            })
            .collect();
        Self { shards }
    }

    /// Stores a message; returns once it is committed.
    pub(crate) async fn write(&self, draft: Draft) -> ServiceResult<Written> {
        let (done, written) = oneshot::channel();
        let shard = (draft.conversation.as_u128() % self.shards.len() as u128) as usize;
        self.shards[shard]
            .send(Job { draft, done })
            .await
            .map_err(|_| ServiceError::internal(Stopped))?;
        Ok(written
            .await
            .map_err(|_| ServiceError::internal(Stopped))??)
    }
}

async fn run(db: Database, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            let Ok(j) = rx.try_recv() else { break };
            jobs.push(j);
        }
        let drafts: Vec<&Draft> = jobs.iter().map(|j| &j.draft).collect();
        match commit(&db, &drafts).await {
            Ok(written) => {
                for (job, w) in jobs.into_iter().zip(written) {
                    let _ = job.done.send(Ok(w));
                }
            }
            // One failing message must not fail the others: each alone gets its own answer.
            Err(_) if jobs.len() > 1 => {
                for job in jobs {
                    let result = commit(&db, &[&job.draft]).await.map(|mut w| w.remove(0));
                    let _ = job.done.send(result);
                }
            }
            Err(e) => {
                if let Some(job) = jobs.into_iter().next() {
                    let _ = job.done.send(Err(e));
                }
            }
        }
    }
}

async fn commit(db: &Database, drafts: &[&Draft]) -> StoreResult<Vec<Written>> {
    let txn = switchboard_store::begin_write(db).await?;
    let mut written = Vec::with_capacity(drafts.len());
    for d in drafts {
        let Some(c) =
            conversations::next_seq(&txn, d.tenant, d.conversation, d.open, None, d.author).await?
        else {
            written.push(Written::NotOpen);
            continue;
        };
        let mut m = messages::Model::compose(
            d.tenant.as_uuid(),
            d.conversation,
            c.last_seq,
            d.sender,
            d.author,
            d.body.clone(),
            d.client_id.clone(),
        );
        m.attachment = d.attachment.clone();
        if messages::insert_once(&txn, m.clone()).await? {
            written.push(Written::Stored(m));
        } else {
            conversations::give_back_seq_unscoped(&txn, d.conversation).await?;
            let cid = d.client_id.as_deref().unwrap_or_default();
            match messages::by_client_id_unscoped(&txn, d.conversation, d.sender, cid).await? {
                Some(stored) => written.push(Written::Repeated(stored)),
                None => written.push(Written::NotOpen),
            }
        }
    }
    txn.commit().await?;
    Ok(written)
}
