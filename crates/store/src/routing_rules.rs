//! Custom routing rules of a tenant, in position order.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder, Set};
use switchboard_core::TenantId;

use crate::{StoreResult, now};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "routing_rules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub position: i32,
    /// `[{"field": "country", "operator": "is", "values": ["FR"]}, ...]`
    pub conditions: Json,
    /// `agent` or `team`.
    pub target_kind: String,
    pub target_id: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub struct RuleData {
    pub name: String,
    pub position: i32,
    pub conditions: Json,
    pub target_kind: &'static str,
    pub target_id: Uuid,
}

/// Every rule of the tenant, in position order (ties by creation).
pub async fn list(conn: &impl ConnectionTrait, tenant: TenantId) -> StoreResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .order_by_asc(Column::Position)
        .order_by_asc(Column::Id)
        .all(conn)
        .await?)
}

pub async fn find(conn: &impl ConnectionTrait, tenant: TenantId, id: Uuid) -> StoreResult<Model> {
    crate::find_in_tenant::<Entity>(conn, Column::TenantId, tenant, id).await
}

pub async fn insert(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    data: RuleData,
) -> StoreResult<Model> {
    let at = now();
    Ok(ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant.as_uuid()),
        name: Set(data.name),
        position: Set(data.position),
        conditions: Set(data.conditions),
        target_kind: Set(data.target_kind.to_owned()),
        target_id: Set(data.target_id),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(conn)
    .await?)
}

pub async fn update(
    conn: &impl ConnectionTrait,
    rule: Model,
    data: RuleData,
) -> StoreResult<Model> {
    let mut active: ActiveModel = rule.into();
    active.name = Set(data.name);
    active.position = Set(data.position);
    active.conditions = Set(data.conditions);
    active.target_kind = Set(data.target_kind.to_owned());
    active.target_id = Set(data.target_id);
    active.updated_at = Set(now());
    Ok(active.update(conn).await?)
}

pub async fn delete(conn: &impl ConnectionTrait, tenant: TenantId, id: Uuid) -> StoreResult<()> {
    crate::delete_in_tenant::<Entity>(conn, Column::Id, Column::TenantId, tenant, id).await
}
