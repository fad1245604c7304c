//! Published dialogues, one row per publish: the cards visitors got from then on. Rows are
//! never changed; a widget conversation names the version it runs.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryFilter, Set};
use switchboard_core::TenantId;

use crate::{StoreError, StoreResult, now};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dialogue_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// The dialogue it was published from (it may have been deleted since).
    pub dialogue_id: Option<Uuid>,
    pub cards: Json,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Keeps `cards` as published now from `dialogue`; returns the new version's id.
pub async fn insert(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    dialogue: Uuid,
    cards: Json,
) -> StoreResult<Uuid> {
    let id = Uuid::now_v7();
    ActiveModel {
        id: Set(id),
        tenant_id: Set(tenant.as_uuid()),
        dialogue_id: Set(Some(dialogue)),
        cards: Set(cards),
        published_at: Set(now()),
    }
    .insert(conn)
    .await?;
    Ok(id)
}

/// The cards of a version of the tenant's.
pub async fn cards(conn: &impl ConnectionTrait, tenant: TenantId, id: Uuid) -> StoreResult<Json> {
    Entity::find_by_id(id)
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .one(conn)
        .await?
        .map(|v| v.cards)
        .ok_or(StoreError::NotFound)
}
