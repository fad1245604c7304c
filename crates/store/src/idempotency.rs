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
    /// Seen before with a different request.
    Mismatch,
    /// The first request with this key is still running.
    InProgress,
}

pub async fn claim(
    conn: &impl ConnectionTrait,
    scope: &str,
    key: &str,
    request_hash: &str,
) -> StoreResult<Claim> {
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
    let existing = Entity::find_by_id((scope.to_owned(), key.to_owned()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    if existing.request_hash != request_hash {
        return Ok(Claim::Mismatch);
    }
    Ok(match (existing.status_code, existing.response_body) {
        (Some(status), Some(body)) => Claim::Replay {
            status: u16::try_from(status).unwrap_or(200),
            body,
        },
        _ => Claim::InProgress,
    })
}

pub async fn complete(
    conn: &impl ConnectionTrait,
    scope: &str,
    key: &str,
    status: u16,
    body: &str,
) -> StoreResult<()> {
    Entity::update_many()
        .col_expr(Column::StatusCode, Expr::value(i32::from(status)))
        .col_expr(Column::ResponseBody, Expr::value(body.to_owned()))
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
