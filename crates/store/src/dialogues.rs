//! Dialogues of a tenant: the draft card tree an admin edits, and the cards last published.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryFilter, Set};
use switchboard_core::TenantId;
use switchboard_core::page::{Page, PageRequest};

use crate::{StoreResult, now};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dialogues")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    /// The draft: a validated `switchboard_core::dialogue::Dialogue`.
    pub cards: Json,
    /// What visitors get, as of the last publish.
    pub published_cards: Option<Json>,
    pub published_at: Option<DateTimeUtc>,
    /// The version visitors get (a row of `dialogue_versions`).
    pub published_version_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub async fn insert(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    name: String,
    cards: Json,
) -> StoreResult<Model> {
    let at = now();
    Ok(ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant.as_uuid()),
        name: Set(name),
        cards: Set(cards),
        published_cards: Set(None),
        published_at: Set(None),
        published_version_id: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(conn)
    .await?)
}

pub async fn find(conn: &impl ConnectionTrait, tenant: TenantId, id: Uuid) -> StoreResult<Model> {
    crate::find_in_tenant::<Entity>(conn, Column::TenantId, tenant, id).await
}

pub async fn list(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    page: PageRequest,
) -> StoreResult<Page<Model>> {
    let query = Entity::find().filter(Column::TenantId.eq(tenant.as_uuid()));
    crate::keyset_page(conn, query, Column::Id, page, false, |m| m.id).await
}

/// Writes the changed fields of a dialogue already loaded for its tenant.
pub async fn save(conn: &impl ConnectionTrait, dialogue: ActiveModel) -> StoreResult<Model> {
    let mut d = dialogue;
    d.updated_at = Set(now());
    Ok(d.update(conn).await?)
}

pub async fn delete(conn: &impl ConnectionTrait, tenant: TenantId, id: Uuid) -> StoreResult<()> {
    crate::delete_in_tenant::<Entity>(conn, Column::Id, Column::TenantId, tenant, id).await
}
