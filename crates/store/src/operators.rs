//! Platform operators: the only cross-tenant accounts.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, PaginatorTrait, QueryFilter, Set};
use switchboard_core::OperatorId;

use crate::{StoreResult, now, on_unique};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "operators")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub created_at: DateTimeUtc,
    /// In every access token issued to the operator; moved on to revoke them all.
    pub token_generation: i64,
    /// Two-factor sign-in, as for users.
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    pub recovery_codes: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub async fn count(conn: &impl ConnectionTrait) -> StoreResult<u64> {
    Ok(Entity::find().count(conn).await?)
}

pub async fn insert(
    conn: &impl ConnectionTrait,
    email: &str,
    display_name: &str,
    password_hash: &str,
) -> StoreResult<Model> {
    ActiveModel {
        id: Set(OperatorId::new().as_uuid()),
        email: Set(email.to_owned()),
        display_name: Set(display_name.to_owned()),
        password_hash: Set(password_hash.to_owned()),
        created_at: Set(now()),
        token_generation: Set(0),
        totp_secret: Set(None),
        totp_enabled: Set(false),
        recovery_codes: Set(None),
    }
    .insert(conn)
    .await
    .map_err(on_unique("operators_email_key"))
}

pub async fn find_by_email(conn: &impl ConnectionTrait, email: &str) -> StoreResult<Option<Model>> {
    Ok(Entity::find()
        .filter(Column::Email.eq(email))
        .one(conn)
        .await?)
}

pub async fn find(conn: &impl ConnectionTrait, id: OperatorId) -> StoreResult<Option<Model>> {
    Ok(Entity::find_by_id(id.as_uuid()).one(conn).await?)
}

/// Moves the operator's token generation on: every token issued before is refused.
pub async fn revoke_tokens(conn: &impl ConnectionTrait, id: OperatorId) -> StoreResult<()> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    Entity::update_many()
        .col_expr(
            Column::TokenGeneration,
            Expr::col(Column::TokenGeneration).add(1),
        )
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(conn)
        .await?;
    Ok(())
}
