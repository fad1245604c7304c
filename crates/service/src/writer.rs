//! Group commit of routing decisions. Every live-chat request ends in one write (the
//! conversation, with its first offer or its fallback); under load, one task gathers the
//! decisions waiting at that moment and writes them in one transaction, so a thousand
//! requests cost a handful of commits instead of a thousand, and SQLite's single writer is
//! never fought over. A caller's decision is stored (committed) when `write` returns;
//! nothing waits on a timer: a lone request is written at once.

use sea_orm::TransactionTrait;
use switchboard_store::conversations::{self, offers};
use switchboard_store::{Database, StoreResult};
use tokio::sync::{mpsc, oneshot};

use crate::{ServiceError, ServiceResult};

/// Decisions written per transaction at most.
const MAX_BATCH: usize = 256;
/// Decisions waiting before callers wait to hand theirs over (back-pressure).
const QUEUE: usize = 4096;

struct Decision {
    conversation: conversations::Model,
    offer: Option<offers::Model>,
    done: oneshot::Sender<StoreResult<()>>,
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

    /// Stores a new conversation and, if routing made one, its first offer; returns once
    /// they are committed.
    pub(crate) async fn write(
        &self,
        conversation: conversations::Model,
        offer: Option<offers::Model>,
    ) -> ServiceResult<()> {
        let (done, stored) = oneshot::channel();
        self.tx
            .send(Decision {
                conversation,
                offer,
                done,
            })
            .await
            .map_err(|_| ServiceError::internal(Stopped))?;
        stored
            .await
            .map_err(|_| ServiceError::internal(Stopped))??;
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the decision writer has stopped")]
struct Stopped;

async fn run(db: Database, mut rx: mpsc::Receiver<Decision>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let decisions = std::mem::take(&mut batch);
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
    let txn = db.begin().await?;
    conversations::insert_batch(
        &txn,
        decisions.iter().map(|d| d.conversation.clone()).collect(),
        decisions.iter().filter_map(|d| d.offer.clone()).collect(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
