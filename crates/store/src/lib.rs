#![forbid(unsafe_code)]
//! Durable state: sea-orm entities and tenant-scoped queries, on PostgreSQL and SQLite.
//!
//! Invariant: every query on tenant data takes a [`TenantId`] and filters by it, so a caller
//! that holds a tenant's id cannot reach another tenant's rows by passing a foreign id. The
//! exceptions say so in their name, `*_unscoped`: the workers' sweeps over every tenant
//! (due offers, idle chats, outboxes), lookups by a secret that itself names the tenant (a
//! visitor token, an API key prefix, an invitation), and reads and writes by an id that the
//! caller reached through a scoped query first (an offer, a conversation's messages). Inserts
//! and saves take a row that carries its tenant. `tests/scoping.rs` checks, on both
//! databases, that every scoped function reads another tenant's id as not found.
//! Functions take `&impl ConnectionTrait` so the service decides what runs in one transaction.

pub mod api_keys;
pub mod attachments;
pub mod audit;
pub mod canned_responses;
pub mod conversations;
pub mod db;
pub mod dialogue_versions;
pub mod dialogues;
pub mod idempotency;
pub mod mail;
pub mod messages;
pub mod operators;
pub mod outbox;
pub mod participants;
pub mod password_resets;
pub mod privacy;
pub mod push;
pub mod routing_rules;
pub mod sessions;
pub mod teams;
pub mod tenants;
pub mod two_factor;
pub mod users;
pub mod webhooks;

pub use db::{Database, begin_write, connect};
pub use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionTrait};
pub use switchboard_core::TenantId;

/// Why a store call failed. `NotFound` covers rows of other tenants too: the caller cannot
/// tell a foreign id from a missing one, which is what keeps tenants apart.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; the string names the rule (e.g. `users_tenant_email_key`).
    #[error("conflict on {0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Db(sea_orm::DbErr),
}

/// An update of a row that another transaction deleted since it was read finds nothing to
/// update, and an insert referring to such a row breaks its foreign key: both are
/// [`StoreError::NotFound`] (a 404 for the racing request), not a failure. (Every write
/// checks first that what it refers to exists, so only a race gets this far.)
impl From<sea_orm::DbErr> for StoreError {
    fn from(err: sea_orm::DbErr) -> Self {
        if matches!(
            err.sql_err(),
            Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_))
        ) {
            return StoreError::NotFound;
        }
        match err {
            sea_orm::DbErr::RecordNotUpdated => StoreError::NotFound,
            other => StoreError::Db(other),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Turns a unique-constraint violation into [`StoreError::Conflict`] naming `rule`; other
/// errors as [`From`] does.
pub(crate) fn on_unique(rule: &'static str) -> impl Fn(sea_orm::DbErr) -> StoreError {
    move |err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict(rule),
        _ => err.into(),
    }
}

/// Row `id` of entity `E` if it belongs to `tenant` (`tenant_id` is the entity's tenant
/// column); another tenant's row reads as not found.
pub(crate) async fn find_in_tenant<E>(
    conn: &impl ConnectionTrait,
    tenant_id: E::Column,
    tenant: TenantId,
    id: uuid::Uuid,
) -> StoreResult<E::Model>
where
    E: sea_orm::EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<uuid::Uuid>,
{
    use sea_orm::{ColumnTrait, QueryFilter};
    E::find_by_id(id)
        .filter(tenant_id.eq(tenant.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Deletes row `id` (column `id_column`) of entity `E` if it belongs to `tenant`; not found
/// otherwise, another tenant's row included.
pub(crate) async fn delete_in_tenant<E: sea_orm::EntityTrait>(
    conn: &impl ConnectionTrait,
    id_column: E::Column,
    tenant_id: E::Column,
    tenant: TenantId,
    id: uuid::Uuid,
) -> StoreResult<()> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let res = E::delete_many()
        .filter(id_column.eq(id))
        .filter(tenant_id.eq(tenant.as_uuid()))
        .exec(conn)
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// One page of `query`, in id order (`newest_first`: descending), starting after the page's
/// cursor. Ids are UUID v7, so id order is creation order and the cursor is stable while rows
/// are added. Fetches one row more than the page to know whether another page follows.
pub(crate) async fn keyset_page<E: sea_orm::EntityTrait>(
    conn: &impl ConnectionTrait,
    query: sea_orm::Select<E>,
    id: E::Column,
    page: switchboard_core::page::PageRequest,
    newest_first: bool,
    id_of: impl Fn(&E::Model) -> uuid::Uuid,
) -> StoreResult<switchboard_core::page::Page<E::Model>> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
    let mut query = if newest_first {
        query.order_by_desc(id)
    } else {
        query.order_by_asc(id)
    };
    if let Some(cursor) = page.after {
        query = query.filter(if newest_first {
            id.lt(cursor)
        } else {
            id.gt(cursor)
        });
    }
    let rows = query.limit(page.limit + 1).all(conn).await?;
    Ok(switchboard_core::page::Page::from_overfetch(
        rows, page.limit, id_of,
    ))
}

/// Now, truncated to microseconds so that what is written equals what is read back on
/// both PostgreSQL and SQLite.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::{SubsecRound, Utc};
    Utc::now().trunc_subsecs(6)
}
