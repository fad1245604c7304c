//! Files sent in conversations, kept in the database (so every node serves them) and deleted
//! with their conversation.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryFilter, Set};
use switchboard_core::TenantId;

use crate::{StoreResult, now};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub conversation_id: Uuid,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub data: Vec<u8>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub async fn insert(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    conversation: Uuid,
    name: &str,
    content_type: &str,
    data: Vec<u8>,
) -> StoreResult<Model> {
    ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant.as_uuid()),
        conversation_id: Set(conversation),
        name: Set(name.to_owned()),
        content_type: Set(content_type.to_owned()),
        size: Set(i64::try_from(data.len()).unwrap_or(i64::MAX)),
        data: Set(data),
        created_at: Set(now()),
    }
    .insert(conn)
    .await
    .map_err(Into::into)
}

pub async fn find(conn: &impl ConnectionTrait, tenant: TenantId, id: Uuid) -> StoreResult<Model> {
    crate::find_in_tenant::<Entity>(conn, Column::TenantId, tenant, id).await
}

pub async fn find_unscoped(conn: &impl ConnectionTrait, id: Uuid) -> StoreResult<Model> {
    Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(crate::StoreError::NotFound)
}

pub async fn delete(conn: &impl ConnectionTrait, tenant: TenantId, id: Uuid) -> StoreResult<()> {
    crate::delete_in_tenant::<Entity>(conn, Column::Id, Column::TenantId, tenant, id).await
}

/// Deletes the attachments of these conversations (their erasure).
pub async fn delete_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> StoreResult<()> {
    Entity::delete_many()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::ConversationId.is_in(ids.to_vec()))
        .exec(conn)
        .await?;
    Ok(())
}
