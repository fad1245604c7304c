//! Password-reset links: single use, expiring, kept by the hash of their token.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryFilter, Set};
use switchboard_core::UserId;

use crate::{StoreResult, now};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "password_resets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    pub user_id: Uuid,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub async fn insert(
    conn: &impl ConnectionTrait,
    token_hash: &str,
    user: UserId,
    expires_at: DateTimeUtc,
) -> StoreResult<()> {
    ActiveModel {
        token_hash: Set(token_hash.to_owned()),
        user_id: Set(user.as_uuid()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Uses a link: the user it belongs to when it is unused and unexpired, and then it is
/// spent (a concurrent second use finds it spent). Every other link of that user goes too.
pub async fn redeem(conn: &impl ConnectionTrait, token_hash: &str) -> StoreResult<Option<UserId>> {
    let at = now();
    let spent = Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(Some(at)))
        .filter(Column::TokenHash.eq(token_hash))
        .filter(Column::UsedAt.is_null())
        .filter(Column::ExpiresAt.gt(at))
        .exec(conn)
        .await?;
    if spent.rows_affected == 0 {
        return Ok(None);
    }
    let Some(link) = Entity::find_by_id(token_hash.to_owned()).one(conn).await? else {
        return Ok(None);
    };
    Entity::delete_many()
        .filter(Column::UserId.eq(link.user_id))
        .filter(Column::TokenHash.ne(token_hash))
        .exec(conn)
        .await?;
    Ok(Some(UserId::from_uuid(link.user_id)))
}

/// How many links were made for the user since `since` (a flood of reset emails is refused).
pub async fn count_since(
    conn: &impl ConnectionTrait,
    user: UserId,
    since: DateTimeUtc,
) -> StoreResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(Entity::find()
        .filter(Column::UserId.eq(user.as_uuid()))
        .filter(Column::CreatedAt.gt(since))
        .count(conn)
        .await?)
}
