//! Admins who joined a live chat beside its agent (supervision): they read it live and
//! write in it until they leave. The assigned agent is not a participant here.

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Query;
use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder, Set};
use switchboard_core::{ConversationStatus, TenantId};

use crate::{StoreResult, conversations, now};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conversation_participants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub conversation_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub tenant_id: Uuid,
    pub joined_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Records `user` in the conversation; false when they were in it already.
pub async fn join(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    conversation: Uuid,
    user: Uuid,
) -> StoreResult<bool> {
    if is_in(conn, tenant, conversation, user).await? {
        return Ok(false);
    }
    // Two joins at once: the second finds the row the first inserted (a unique violation),
    // which is a join that changed nothing.
    let inserted = ActiveModel {
        conversation_id: Set(conversation),
        user_id: Set(user),
        tenant_id: Set(tenant.as_uuid()),
        joined_at: Set(now()),
    }
    .insert(conn)
    .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// Takes `user` out of the conversation; false when they were not in it.
pub async fn leave(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    conversation: Uuid,
    user: Uuid,
) -> StoreResult<bool> {
    Ok(Entity::delete_many()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::ConversationId.eq(conversation))
        .filter(Column::UserId.eq(user))
        .exec(conn)
        .await?
        .rows_affected
        == 1)
}

/// Takes `user` out of every conversation they joined (they are no longer an admin).
pub async fn leave_all(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    user: Uuid,
) -> StoreResult<()> {
    Entity::delete_many()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::UserId.eq(user))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn is_in(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    conversation: Uuid,
    user: Uuid,
) -> StoreResult<bool> {
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::ConversationId.eq(conversation))
        .filter(Column::UserId.eq(user))
        .one(conn)
        .await?
        .is_some())
}

/// `(conversation, user)` of every participant of these conversations, oldest first.
pub async fn of_conversations(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> StoreResult<Vec<Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::ConversationId.is_in(ids.to_vec()))
        .order_by_asc(Column::JoinedAt)
        .all(conn)
        .await?)
}

/// The live conversations `user` joined (not the ones assigned to them).
pub async fn live_joined_by(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    user: Uuid,
) -> StoreResult<Vec<conversations::Model>> {
    Ok(conversations::Entity::find()
        .filter(conversations::Column::TenantId.eq(tenant.as_uuid()))
        .filter(conversations::Column::Status.eq(ConversationStatus::Live))
        .filter(conversations::Column::Id.in_subquery(joined_by(user)))
        .order_by_asc(conversations::Column::Id)
        .all(conn)
        .await?)
}

/// The ids of the conversations `user` takes part in, as a subquery (for a write that must
/// hold only while they do).
pub(crate) fn joined_by(user: Uuid) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(Column::ConversationId)
        .from(Entity)
        .and_where(Column::UserId.eq(user))
        .to_owned()
}
