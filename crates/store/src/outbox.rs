//! What every durable outbox shares (webhook deliveries, emails): rows `pending` until sent
//! or given up (`failed`), a next-attempt time, and a claim that keeps one worker on a row at
//! a time. Every node runs a worker; a claim lapses after `claimed_until`, so a row held by
//! a node that died is taken up again.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder, QuerySelect, UpdateMany};

use switchboard_core::DeliveryStatus;

use crate::StoreResult;

/// An outbox table: the columns the claim and the attempts work on.
pub trait Outbox: EntityTrait {
    const ID: Self::Column;
    const STATUS: Self::Column;
    const ATTEMPTS: Self::Column;
    const NEXT_ATTEMPT_AT: Self::Column;
    const CLAIM: Self::Column;
    const CLAIMED_UNTIL: Self::Column;
}

/// Claims up to `limit` due rows for worker `claim` until `until`, and returns them. The
/// update re-checks the claim's conditions on the rows it locks, so two workers never hold
/// the same row.
pub async fn claim_due_unscoped<E: Outbox>(
    conn: &impl ConnectionTrait,
    claim: Uuid,
    at: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: u64,
) -> StoreResult<Vec<E::Model>> {
    let unclaimed = || E::CLAIMED_UNTIL.is_null().or(E::CLAIMED_UNTIL.lt(at));
    let due: Vec<Uuid> = E::find()
        .select_only()
        .column(E::ID)
        .filter(E::STATUS.eq(DeliveryStatus::Pending))
        .filter(E::NEXT_ATTEMPT_AT.lte(at))
        .filter(unclaimed())
        .order_by_asc(E::NEXT_ATTEMPT_AT)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    E::update_many()
        .col_expr(E::CLAIM, Expr::value(Some(claim)))
        .col_expr(E::CLAIMED_UNTIL, Expr::value(Some(until)))
        .filter(E::ID.is_in(due))
        .filter(E::STATUS.eq(DeliveryStatus::Pending))
        .filter(unclaimed())
        .exec(conn)
        .await?;
    Ok(E::find()
        .filter(E::CLAIM.eq(claim))
        .filter(E::CLAIMED_UNTIL.eq(until))
        .all(conn)
        .await?)
}

/// Extends worker `claim`'s hold on row `id` until `until`, before an attempt that could
/// outlast the claim. False when the claim is no longer this worker's (it lapsed and another
/// took the row): then the worker must leave the row alone.
pub async fn renew_claim<E: Outbox>(
    conn: &impl ConnectionTrait,
    id: Uuid,
    claim: Uuid,
    until: DateTime<Utc>,
) -> StoreResult<bool> {
    let renewed = E::update_many()
        .col_expr(E::CLAIMED_UNTIL, Expr::value(Some(until)))
        .filter(E::ID.eq(id))
        .filter(E::CLAIM.eq(claim))
        .filter(E::STATUS.eq(DeliveryStatus::Pending))
        .exec(conn)
        .await?;
    Ok(renewed.rows_affected == 1)
}

/// The update recording an attempt of row `id` by the worker holding claim `claim` (only
/// the holder's record counts: one whose claim lapsed and was taken over changes nothing):
/// `done` (sent), or retried at `next_attempt_at`, or (`None`) failed for good. The claim is
/// let go. The caller adds its table's own columns and runs it.
pub fn attempt_update<E: Outbox>(
    id: Uuid,
    claim: Uuid,
    done: bool,
    done_state: DeliveryStatus,
    next_attempt_at: Option<DateTime<Utc>>,
) -> UpdateMany<E> {
    let state = match (done, next_attempt_at) {
        (true, _) => done_state,
        (false, Some(_)) => DeliveryStatus::Pending,
        (false, None) => DeliveryStatus::Failed,
    };
    let mut update = E::update_many()
        .col_expr(E::STATUS, Expr::value(state))
        .col_expr(E::ATTEMPTS, Expr::col(E::ATTEMPTS).add(1))
        .col_expr(E::CLAIM, Expr::value(Option::<Uuid>::None))
        .col_expr(E::CLAIMED_UNTIL, Expr::value(Option::<DateTime<Utc>>::None));
    if let (false, Some(next)) = (done, next_attempt_at) {
        update = update.col_expr(E::NEXT_ATTEMPT_AT, Expr::value(next));
    }
    update.filter(E::ID.eq(id)).filter(E::CLAIM.eq(claim))
}

/// When attempt number `attempts + 1` failed: the next one's time, doubling `base` each
/// time up to an hour; `None` once `max_attempts` were made.
pub fn next_retry(
    attempts: i32,
    max_attempts: i32,
    base: std::time::Duration,
) -> Option<DateTime<Utc>> {
    (attempts + 1 < max_attempts).then(|| {
        let factor = 2u32.saturating_pow(u32::try_from(attempts).unwrap_or(0));
        let delay = base
            .saturating_mul(factor)
            .min(std::time::Duration::from_secs(3600));
        crate::now() + chrono::Duration::from_std(delay).unwrap_or_default()
    })
}
