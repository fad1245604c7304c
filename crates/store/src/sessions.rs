//! Console sessions: a random token in an HttpOnly cookie, stored hashed with its CSRF token,
//! so that logging out really ends the session.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryFilter};

use crate::{StoreResult, now};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "console_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    pub tenant_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub operator_id: Option<Uuid>,
    pub csrf_token: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// The browser that opened it (its `User-Agent`, cut to 300 characters).
    pub user_agent: Option<String>,
    /// The address it was opened from.
    pub ip: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub async fn insert(conn: &impl ConnectionTrait, session: Model) -> StoreResult<()> {
    ActiveModel::from(session).insert(conn).await?;
    Ok(())
}

/// The live session with this token hash; expired sessions are not returned.
pub async fn find(conn: &impl ConnectionTrait, token_hash: &str) -> StoreResult<Option<Model>> {
    Ok(Entity::find_by_id(token_hash.to_owned())
        .filter(Column::ExpiresAt.gt(now()))
        .one(conn)
        .await?)
}

pub async fn delete(conn: &impl ConnectionTrait, token_hash: &str) -> StoreResult<()> {
    Entity::delete_by_id(token_hash.to_owned())
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends every console session of a user (after a password change or a deletion).
pub async fn delete_for_user(
    conn: &impl ConnectionTrait,
    user: switchboard_core::UserId,
) -> StoreResult<()> {
    Entity::delete_many()
        .filter(Column::UserId.eq(user.as_uuid()))
        .exec(conn)
        .await?;
    Ok(())
}

/// The user's live sessions, newest first.
pub async fn of_user(
    conn: &impl ConnectionTrait,
    user: switchboard_core::UserId,
) -> StoreResult<Vec<Model>> {
    use sea_orm::QueryOrder;
    Ok(Entity::find()
        .filter(Column::UserId.eq(user.as_uuid()))
        .filter(Column::ExpiresAt.gt(now()))
        .order_by_desc(Column::CreatedAt)
        .all(conn)
        .await?)
}
