//! The transactional outbox (issue 14): what a change tells the outside world (webhook
//! deliveries, emails) is written in the change's own database transaction, so it is
//! committed with the change or not at all, and a crash between the two cannot lose it.
//! Workers on every node send the rows later, each row held by one worker at a time (a lease
//! renewed before each attempt; only its holder records the attempt).

use switchboard_store::webhooks::{self as hooks, deliveries};
use switchboard_store::{ConnectionTrait, StoreResult, mail};

/// How long the rows a worker claims in one batch wait for their attempt: a node that dies
/// holding a batch delays its untried rows by this much at most. Each attempt first renews
/// its row's lease to the attempt's own length (longer than an attempt takes).
pub(crate) const BATCH_LEASE: chrono::Duration = chrono::Duration::seconds(10);

/// The rows a change adds to the outbox.
#[derive(Debug, Default, Clone)]
pub(crate) struct Outbox {
    pub deliveries: Vec<deliveries::Model>,
    pub emails: Vec<mail::Model>,
}

impl Outbox {
    /// Writes the rows through `conn`: the change's own transaction.
    pub(crate) async fn write(&self, conn: &impl ConnectionTrait) -> StoreResult<()> {
        for d in &self.deliveries {
            hooks::insert_delivery(conn, d.clone()).await?;
        }
        for e in &self.emails {
            mail::insert(conn, e.clone()).await?;
        }
        Ok(())
    }

    /// About how many bytes the rows take in a statement.
    pub(crate) fn size(&self) -> usize {
        self.deliveries
            .iter()
            .map(|d| 256 + d.body.len())
            .chain(
                self.emails
                    .iter()
                    .map(|e| 256 + e.text_body.len() + e.html_body.len()),
            )
            .sum()
    }
}
