//! Idempotency keys for creating calls: the first request with a key is run and its response
//! kept; a retry with the same key and the same request gets the same response without
//! running again; the same key with another request is refused.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryFilter, Set};

use crate::{StoreError, StoreResult, now};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub scope: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub request_hash: String,
    /// Unset while the first request is still running.
    pub status_code: Option<i32>,
    pub response_body: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// What to do with a request carrying an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First use: run the request, then `complete` or `release`.
    Run,
    /// Seen before with the same request: answer this.
    Replay { status: u16, body: String },
    /// Seen before with the same request, whose answer held a secret shown once (an API key,
    /// an invitation link): it was not kept, so it cannot be replayed.
    CompletedWithSecret,
    /// Seen before with a different request.
    Mismatch,
    /// The first request with this key is still running.
    InProgress,
}

/// A claim still running after this long is taken over: its request died (a dropped
/// connection, a crash) without completing or releasing it.
pub const ABANDONED_AFTER_SECONDS: i64 = 60;

pub async fn claim(
    conn: &impl ConnectionTrait,
    scope: &str,
    key: &str,
    request_hash: &str,
) -> StoreResult<Claim> {
    // Another request may release the key between our insert and our read: try again then.
    for _ in 0..3 {
        let inserted = Entity::insert(ActiveModel {
            scope: Set(scope.to_owned()),
            key: Set(key.to_owned()),
            request_hash: Set(request_hash.to_owned()),
            status_code: Set(None),
            response_body: Set(None),
            created_at: Set(now()),
        })
        .on_conflict_do_nothing()
        .exec(conn)
        .await?;
        if matches!(inserted, sea_orm::TryInsertResult::Inserted(_)) {
            return Ok(Claim::Run);
        }
        let Some(existing) = Entity::find_by_id((scope.to_owned(), key.to_owned()))
            .one(conn)
            .await?
        else {
            continue;
        };
        if existing.request_hash != request_hash {
            return Ok(Claim::Mismatch);
        }
        return Ok(match (existing.status_code, existing.response_body) {
            (Some(status), Some(body)) => Claim::Replay {
                status: u16::try_from(status).unwrap_or(200),
                body,
            },
            (Some(_), None) => Claim::CompletedWithSecret,
            (None, _) => {
                let stale = now() - chrono::Duration::seconds(ABANDONED_AFTER_SECONDS);
                // Take the abandoned claim over, unless another request just did.
                let taken = Entity::update_many()
                    .col_expr(Column::CreatedAt, Expr::value(now()))
                    .filter(Column::Scope.eq(scope))
                    .filter(Column::Key.eq(key))
                    .filter(Column::StatusCode.is_null())
                    .filter(Column::CreatedAt.lt(stale))
                    .exec(conn)
                    .await?;
                if taken.rows_affected == 1 {
                    Claim::Run
                } else {
                    Claim::InProgress
                }
            }
        });
    }
    Err(StoreError::Conflict("idempotency_keys_pkey"))
}

/// Records the answer of a claimed request; `body: None` when it held a secret not to be kept.
pub async fn complete(
    conn: &impl ConnectionTrait,
    scope: &str,
    key: &str,
    status: u16,
    body: Option<&str>,
) -> StoreResult<()> {
    Entity::update_many()
        .col_expr(Column::StatusCode, Expr::value(i32::from(status)))
        .col_expr(Column::ResponseBody, Expr::value(body.map(str::to_owned)))
        .filter(Column::Scope.eq(scope))
        .filter(Column::Key.eq(key))
        .exec(conn)
        .await?;
    Ok(())
}

/// Forgets a claim whose request failed, so that the client may retry with the same key.
pub async fn release(conn: &impl ConnectionTrait, scope: &str, key: &str) -> StoreResult<()> {
    Entity::delete_by_id((scope.to_owned(), key.to_owned()))
        .exec(conn)
        .await?;
    Ok(())
}
