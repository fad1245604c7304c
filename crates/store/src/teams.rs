//! Teams of agents and their memberships.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder, Set};
use switchboard_core::page::{Page, PageRequest};
use switchboard_core::{TeamId, TenantId, UserId};

use crate::{StoreResult, now, on_unique};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "teams")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub async fn insert(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    name: &str,
) -> StoreResult<Model> {
    ActiveModel {
        id: Set(TeamId::new().as_uuid()),
        tenant_id: Set(tenant.as_uuid()),
        name: Set(name.to_owned()),
        created_at: Set(now()),
    }
    .insert(conn)
    .await
    .map_err(on_unique("teams_tenant_name_key"))
}

pub async fn find(conn: &impl ConnectionTrait, tenant: TenantId, id: TeamId) -> StoreResult<Model> {
    crate::find_in_tenant::<Entity>(conn, Column::TenantId, tenant, id.as_uuid()).await
}

pub async fn list(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    page: PageRequest,
) -> StoreResult<Page<Model>> {
    let query = Entity::find().filter(Column::TenantId.eq(tenant.as_uuid()));
    crate::keyset_page(conn, query, Column::Id, page, false, |m| m.id).await
}

/// Every team of the tenant, by name.
pub async fn all(conn: &impl ConnectionTrait, tenant: TenantId) -> StoreResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .order_by_asc(Column::Name)
        .all(conn)
        .await?)
}

pub async fn rename(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: TeamId,
    name: &str,
) -> StoreResult<Model> {
    let mut team: ActiveModel = find(conn, tenant, id).await?.into();
    team.name = Set(name.to_owned());
    team.update(conn)
        .await
        .map_err(on_unique("teams_tenant_name_key"))
}

pub async fn delete(conn: &impl ConnectionTrait, tenant: TenantId, id: TeamId) -> StoreResult<()> {
    members::Entity::delete_many()
        .filter(members::Column::TeamId.eq(id.as_uuid()))
        .filter(members::Column::TenantId.eq(tenant.as_uuid()))
        .exec(conn)
        .await?;
    crate::delete_in_tenant::<Entity>(conn, Column::Id, Column::TenantId, tenant, id.as_uuid())
        .await
}

/// Member ids of each of `teams`, in the order members joined.
pub async fn member_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    teams: &[Uuid],
) -> StoreResult<Vec<(Uuid, Uuid)>> {
    if teams.is_empty() {
        return Ok(Vec::new());
    }
    Ok(members::Entity::find()
        .filter(members::Column::TenantId.eq(tenant.as_uuid()))
        .filter(members::Column::TeamId.is_in(teams.iter().copied()))
        .order_by_asc(members::Column::CreatedAt)
        .order_by_asc(members::Column::UserId)
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.team_id, m.user_id))
        .collect())
}

/// Adds a member; adding one who is already a member changes nothing (PUT is idempotent).
/// Another tenant's team or user reads as not found.
pub async fn add_member(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    team: TeamId,
    user: UserId,
) -> StoreResult<bool> {
    // Both must be the tenant's: a membership row carries the tenant's id, and must never
    // tie another tenant's team or user to it.
    find(conn, tenant, team).await?;
    crate::users::find(conn, tenant, user).await?;
    let res = members::Entity::insert(members::ActiveModel {
        team_id: Set(team.as_uuid()),
        user_id: Set(user.as_uuid()),
        tenant_id: Set(tenant.as_uuid()),
        created_at: Set(now()),
    })
    .on_conflict_do_nothing()
    .exec(conn)
    .await;
    match res {
        Ok(sea_orm::TryInsertResult::Inserted(_)) => Ok(true),
        Ok(_) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Removes a member; true when there was one to remove.
pub async fn remove_member(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    team: TeamId,
    user: UserId,
) -> StoreResult<bool> {
    let res = members::Entity::delete_many()
        .filter(members::Column::TenantId.eq(tenant.as_uuid()))
        .filter(members::Column::TeamId.eq(team.as_uuid()))
        .filter(members::Column::UserId.eq(user.as_uuid()))
        .exec(conn)
        .await?;
    Ok(res.rows_affected > 0)
}

pub mod members {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "team_members")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub team_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: Uuid,
        pub tenant_id: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
