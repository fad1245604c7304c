//! Waiting queues (SPEC §12.1): one first-in-first-out queue per routing target of a tenant
//! (`all`, `team:<id>`, `agent:<id>`), shared by every node, and the lease that lets one node
//! at a time serve a queue's head, so a freed slot offers it exactly once.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use switchboard_core::TenantId;
use uuid::Uuid;

use crate::RealtimeResult;

pub trait Queue: Send + Sync {
    /// Puts a conversation in `target`'s queue, ordered by `since` (then by id); a
    /// conversation already there keeps its place. Returns its position (1: the head).
    fn enqueue(
        &self,
        tenant: TenantId,
        target: &str,
        conversation: Uuid,
        since: DateTime<Utc>,
    ) -> impl Future<Output = RealtimeResult<u64>> + Send;

    /// Takes a conversation out of the queue: true for exactly one caller, on any node.
    fn leave_queue(
        &self,
        tenant: TenantId,
        target: &str,
        conversation: Uuid,
    ) -> impl Future<Output = RealtimeResult<bool>> + Send;

    /// Where a conversation stands in `target`'s queue (1: the head); `None` when not in it.
    fn position(
        &self,
        tenant: TenantId,
        target: &str,
        conversation: Uuid,
    ) -> impl Future<Output = RealtimeResult<Option<u64>>> + Send;

    /// Up to `max` conversations waiting for `target`, the head first.
    fn waiting(
        &self,
        tenant: TenantId,
        target: &str,
        max: usize,
    ) -> impl Future<Output = RealtimeResult<Vec<Uuid>>> + Send;

    /// Every queue with someone in it: `(tenant, target)`.
    fn queues(&self) -> impl Future<Output = RealtimeResult<Vec<(TenantId, String)>>> + Send;

    /// Asks to serve `target`'s queue, as `holder`, for at most `ttl`. False when another
    /// holder serves it: that holder is told to look again before it stops (see
    /// [`Queue::end_serving`]), so nothing this caller wanted served is missed.
    fn start_serving(
        &self,
        tenant: TenantId,
        target: &str,
        holder: Uuid,
        ttl: Duration,
    ) -> impl Future<Output = RealtimeResult<bool>> + Send;

    /// Stops serving. True when someone asked meanwhile: the holder keeps serving (it still
    /// holds the queue) and calls this again when done.
    fn end_serving(
        &self,
        tenant: TenantId,
        target: &str,
        holder: Uuid,
    ) -> impl Future<Output = RealtimeResult<bool>> + Send;
}
