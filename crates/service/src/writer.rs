//! Group commit of routing decisions. Every live-chat request ends in one write (the
//! conversation, with its first offer or its fallback); under load, one task gathers the
//! decisions waiting at that moment and writes them in one transaction, so a thousand
//! requests cost a handful of commits instead of a thousand, and SQLite's single writer is
//! never fought over. A caller's decision is stored (committed) when `write` returns;
//! nothing waits on a timer: a lone request is written at once.

use switchboard_store::conversations::{self, offers};
use switchboard_store::{Database, StoreResult};
use tokio::sync::{mpsc, oneshot};

use crate::outbox::Outbox;
use crate::{ServiceError, ServiceResult};

/// Decisions written per transaction at most, and their approximate size at most. Kept
/// small enough for one statement to fit one loopback segment: the database drivers leave
/// Nagle's algorithm on, and a statement spanning several segments waits out the server's
/// delayed ACK (40 ms) on its last one — which costs more than a second commit.
const MAX_BATCH: usize = 24;
const MAX_BATCH_BYTES: usize = 48 * 1024;
/// Decisions waiting before callers wait to hand theirs over (back-pressure).
const QUEUE: usize = 4096;

struct Decision {
    conversation: conversations::Model,
    /// Whether the conversation is stored already (then its decision is written, else it is
    /// inserted).
    stored: bool,
    offer: Option<offers::Model>,
    /// What the decision tells the outside world, committed with it.
    outbox: Outbox,
    done: oneshot::Sender<StoreResult<()>>,
    /// About how many bytes its rows take in a statement.
    size: usize,
}

pub(crate) struct DecisionWriter {
    tx: mpsc::Sender<Decision>,
}

impl DecisionWriter {
    /// Starts the writing task; it stops when the writer is dropped.
    pub(crate) fn start(db: Database) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(db, rx));
        Self { tx }
    }

    /// Stores a conversation (new, or `stored` already and its decision now written) and, if
    /// routing made one, its first offer, with the rows `outbox` adds (webhook deliveries,
    /// emails); returns once they are committed, all together.
    pub(crate) async fn write(
        &self,
        conversation: conversations::Model,
        offer: Option<offers::Model>,
        stored: bool,
        outbox: Outbox,
    ) -> ServiceResult<()> {
        let (done, written) = oneshot::channel();
        // Fixed columns, plus the JSON ones as they will be written (a stored conversation's
        // visitor and dialogue copy are not written again).
        let inserted = |json: Option<&serde_json::Value>| {
            json.filter(|_| !stored).map_or(0, |j| j.to_string().len())
        };
        let size = 512
            + outbox.size()
            + conversation.trace.to_string().len()
            + inserted(Some(&conversation.visitor))
            + inserted(conversation.dialogue.as_ref())
            + conversation
                .card_fallback_message
                .as_ref()
                .map_or(0, String::len);
        self.tx
            .send(Decision {
                conversation,
                stored,
                offer,
                outbox,
                done,
                size,
            })
            .await
            .map_err(|_| ServiceError::internal(Stopped))?;
        written
            .await
            .map_err(|_| ServiceError::internal(Stopped))??;
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the decision writer has stopped")]
struct Stopped;

async fn run(db: Database, mut rx: mpsc::Receiver<Decision>) {
    // A decision that did not fit in the previous batch opens the next one.
    let mut carried: Option<Decision> = None;
    loop {
        let first = match carried.take() {
            Some(d) => d,
            None => match rx.recv().await {
                Some(d) => d,
                None => return,
            },
        };
        let mut bytes = first.size;
        let mut decisions = vec![first];
        while decisions.len() < MAX_BATCH {
            let Ok(d) = rx.try_recv() else { break };
            if bytes + d.size > MAX_BATCH_BYTES {
                carried = Some(d);
                break;
            }
            bytes += d.size;
            decisions.push(d);
        }
        match commit(&db, &decisions).await {
            Ok(()) => {
                for d in decisions {
                    let _ = d.done.send(Ok(()));
                }
            }
            // One bad decision must not fail the others: write each alone, so each caller
            // gets its own answer.
            Err(_) if decisions.len() > 1 => {
                for d in decisions {
                    let result = commit(&db, std::slice::from_ref(&d)).await;
                    let _ = d.done.send(result);
                }
            }
            Err(e) => {
                if let Some(d) = decisions.into_iter().next() {
                    let _ = d.done.send(Err(e));
                }
            }
        }
    }
}

async fn commit(db: &Database, decisions: &[Decision]) -> StoreResult<()> {
    let txn = switchboard_store::begin_write(db).await?;
    for d in decisions.iter().filter(|d| d.stored) {
        conversations::save_decision_unscoped(&txn, d.conversation.clone()).await?;
    }
    conversations::insert_batch(
        &txn,
        decisions
            .iter()
            .filter(|d| !d.stored)
            .map(|d| d.conversation.clone())
            .collect(),
        decisions.iter().filter_map(|d| d.offer.clone()).collect(),
    )
    .await?;
    for d in decisions {
        d.outbox.write(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}
