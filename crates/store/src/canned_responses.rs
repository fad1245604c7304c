//! Canned responses: prepared answers an agent inserts by their shortcut. A response is the
//! tenant's (every agent sees it; admins manage it) or one user's own (`owner_id`).
//! `owner_key` is `tenant` or the owner's id, so a shortcut is unique within its scope.

use sea_orm::entity::prelude::*;
use sea_orm::{Condition, ConnectionTrait, QueryFilter, QueryOrder, Set};
use switchboard_core::{TenantId, UserId};

use crate::{StoreResult, now, on_unique};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "canned_responses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// The user whose own response it is; none: the tenant's.
    pub owner_id: Option<Uuid>,
    pub owner_key: String,
    pub shortcut: String,
    pub text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The name of the rule a shortcut taken twice in one scope breaks.
pub const SHORTCUT_TAKEN: &str = "canned_responses_scope_shortcut";

fn owner_key(owner: Option<UserId>) -> String {
    owner.map_or_else(|| "tenant".to_owned(), |u| u.as_uuid().to_string())
}

pub async fn insert(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    owner: Option<UserId>,
    shortcut: &str,
    text: &str,
) -> StoreResult<Model> {
    let at = now();
    ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant.as_uuid()),
        owner_id: Set(owner.map(|u| u.as_uuid())),
        owner_key: Set(owner_key(owner)),
        shortcut: Set(shortcut.to_owned()),
        text: Set(text.to_owned()),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(conn)
    .await
    .map_err(on_unique(SHORTCUT_TAKEN))
}

pub async fn find(conn: &impl ConnectionTrait, tenant: TenantId, id: Uuid) -> StoreResult<Model> {
    crate::find_in_tenant::<Entity>(conn, Column::TenantId, tenant, id).await
}

/// The tenant's responses and `user`'s own, by shortcut (the tenant's first on a tie).
pub async fn visible_to(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    user: Option<UserId>,
) -> StoreResult<Vec<Model>> {
    let mut scope = Condition::any().add(Column::OwnerId.is_null());
    if let Some(u) = user {
        scope = scope.add(Column::OwnerId.eq(u.as_uuid()));
    }
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(scope)
        .order_by_asc(Column::Shortcut)
        .order_by_asc(Column::OwnerKey)
        .all(conn)
        .await?)
}

pub async fn update(
    conn: &impl ConnectionTrait,
    current: Model,
    shortcut: &str,
    text: &str,
) -> StoreResult<Model> {
    let mut active: ActiveModel = current.into();
    active.shortcut = Set(shortcut.to_owned());
    active.text = Set(text.to_owned());
    active.updated_at = Set(now());
    active.update(conn).await.map_err(on_unique(SHORTCUT_TAKEN))
}

pub async fn delete(conn: &impl ConnectionTrait, tenant: TenantId, id: Uuid) -> StoreResult<()> {
    crate::delete_in_tenant::<Entity>(conn, Column::Id, Column::TenantId, tenant, id).await
}
