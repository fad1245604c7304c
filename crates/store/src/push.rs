//! Users' Web Push subscriptions.

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder, Set};
use switchboard_core::{TenantId, UserId};

use crate::{StoreResult, now};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "push_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Stores a subscription; the same endpoint again replaces its keys.
pub async fn upsert(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    user: UserId,
    endpoint: &str,
    p256dh: &str,
    auth: &str,
) -> StoreResult<()> {
    // Only for the tenant's own user (another tenant's user reads as not found).
    crate::users::find(conn, tenant, user).await?;
    Entity::insert(ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant.as_uuid()),
        user_id: Set(user.as_uuid()),
        endpoint: Set(endpoint.to_owned()),
        p256dh: Set(p256dh.to_owned()),
        auth: Set(auth.to_owned()),
        created_at: Set(now()),
    })
    .on_conflict(
        OnConflict::columns([Column::UserId, Column::Endpoint])
            .update_columns([Column::P256dh, Column::Auth])
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Removes a user's subscription; false when there was none.
pub async fn remove(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    user: UserId,
    endpoint: &str,
) -> StoreResult<bool> {
    let res = Entity::delete_many()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::UserId.eq(user.as_uuid()))
        .filter(Column::Endpoint.eq(endpoint))
        .exec(conn)
        .await?;
    Ok(res.rows_affected > 0)
}

/// A user's subscriptions, oldest first.
pub async fn of_user(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    user: UserId,
) -> StoreResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::UserId.eq(user.as_uuid()))
        .order_by_asc(Column::Id)
        .all(conn)
        .await?)
}

/// Forgets a subscription the push service says is gone (404 or 410).
pub async fn remove_gone_unscoped(conn: &impl ConnectionTrait, id: Uuid) -> StoreResult<()> {
    Entity::delete_by_id(id).exec(conn).await?;
    Ok(())
}

/// Keeps a user's `keep` newest subscriptions and forgets the others (their browsers have
/// not subscribed again since): how many were forgotten.
pub async fn keep_newest(conn: &impl ConnectionTrait, user: UserId, keep: u64) -> StoreResult<u64> {
    use sea_orm::{QueryOrder, QuerySelect};
    // A few rows per user: read them all (SQLite takes no OFFSET without a LIMIT).
    let all: Vec<Uuid> = Entity::find()
        .filter(Column::UserId.eq(user.as_uuid()))
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .select_only()
        .column(Column::Id)
        .into_tuple()
        .all(conn)
        .await?;
    let older: Vec<Uuid> = all
        .into_iter()
        .skip(usize::try_from(keep).unwrap_or(usize::MAX))
        .collect();
    if older.is_empty() {
        return Ok(0);
    }
    let gone = Entity::delete_many()
        .filter(Column::Id.is_in(older))
        .exec(conn)
        .await?;
    Ok(gone.rows_affected)
}
