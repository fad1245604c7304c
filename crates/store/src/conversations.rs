//! Conversations and the offers made for them.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder, Set};
use switchboard_core::TenantId;

use crate::{StoreError, StoreResult, now};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conversations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// `routing` (offers out), `live`, `fallback` (no agent), `ended`.
    pub status: String,
    pub visitor: Json,
    /// The live-chat card's routing: `{"mode": ..., "agent_id"?, "team_id"?}`.
    pub routing: Json,
    pub card_fallback_message: Option<String>,
    pub assigned_agent_id: Option<Uuid>,
    /// The engagement reservation held while routing.
    pub reservation_id: Option<Uuid>,
    pub fallback_reason: Option<String>,
    pub trace: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    /// The published cards the visitor started with (widget conversations).
    pub dialogue: Option<Json>,
    /// The card the visitor stands at.
    pub card_id: Option<String>,
    /// SHA-256 of the visitor's token.
    pub visitor_token_hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub async fn insert(conn: &impl ConnectionTrait, model: Model) -> StoreResult<Model> {
    Ok(ActiveModel::from(model).insert(conn).await?)
}

/// The conversation a visitor's token opens.
pub async fn find_by_visitor_token(
    conn: &impl ConnectionTrait,
    token_hash: &str,
) -> StoreResult<Model> {
    Entity::find()
        .filter(Column::VisitorTokenHash.eq(token_hash))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// A visitor's step in the dialogue: from card `from` to card `to` (`None`: the dialogue is
/// over, with `status`), with what is now known of them. Only if the conversation still
/// stands at `from` in its dialogue: false when another request moved it first.
pub async fn step(
    conn: &impl ConnectionTrait,
    id: Uuid,
    from: &str,
    to: Option<&str>,
    status: &str,
    visitor: Json,
) -> StoreResult<bool> {
    let res = Entity::update_many()
        .col_expr(Column::CardId, Expr::value(to.map(str::to_owned)))
        .col_expr(Column::Status, Expr::value(status))
        .col_expr(Column::Visitor, Expr::value(visitor))
        .col_expr(Column::UpdatedAt, Expr::value(now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq("dialogue"))
        .filter(Column::CardId.eq(from))
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Writes the routing decision of a stored conversation: its status, routing, card fallback
/// message, reservation, fallback reason and trace. What the visitor's dialogue wrote (card,
/// captured fields, the dialogue's copy) is left as it is.
pub async fn save_decision(conn: &impl ConnectionTrait, model: Model) -> StoreResult<()> {
    Entity::update_many()
        .col_expr(Column::Status, Expr::value(model.status))
        .col_expr(Column::Routing, Expr::value(model.routing))
        .col_expr(
            Column::CardFallbackMessage,
            Expr::value(model.card_fallback_message),
        )
        .col_expr(Column::ReservationId, Expr::value(model.reservation_id))
        .col_expr(Column::FallbackReason, Expr::value(model.fallback_reason))
        .col_expr(Column::Trace, Expr::value(model.trace))
        .col_expr(Column::UpdatedAt, Expr::value(now()))
        .filter(Column::Id.eq(model.id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Inserts many conversations and their first offers in one statement each (group commit of
/// routing decisions). Offers refer to conversations, so conversations go first.
pub async fn insert_batch(
    conn: &impl ConnectionTrait,
    conversations: Vec<Model>,
    first_offers: Vec<offers::Model>,
) -> StoreResult<()> {
    Entity::insert_many(conversations.into_iter().map(ActiveModel::from))
        .exec_without_returning(conn)
        .await?;
    offers::Entity::insert_many(first_offers.into_iter().map(offers::ActiveModel::from))
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

pub async fn find(conn: &impl ConnectionTrait, tenant: TenantId, id: Uuid) -> StoreResult<Model> {
    crate::find_in_tenant::<Entity>(conn, Column::TenantId, tenant, id).await
}

/// Writes the changed fields of a conversation already loaded for its tenant.
pub async fn save(conn: &impl ConnectionTrait, conversation: ActiveModel) -> StoreResult<Model> {
    let mut c = conversation;
    c.updated_at = Set(now());
    Ok(c.update(conn).await?)
}

pub mod offers {
    use sea_orm::entity::prelude::*;
    use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder};

    use crate::{StoreError, StoreResult};

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "offers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub conversation_id: Uuid,
        pub agent_id: Uuid,
        /// `pending`, `accepted`, `declined`, `expired`, `withdrawn`.
        pub state: String,
        pub offered_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub resolved_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    pub async fn insert(conn: &impl ConnectionTrait, model: Model) -> StoreResult<Model> {
        Ok(ActiveModel::from(model).insert(conn).await?)
    }

    /// An offer by id alone: the expiry worker knows no tenant. Callers acting for a user
    /// check the tenant themselves.
    pub async fn find(conn: &impl ConnectionTrait, id: Uuid) -> StoreResult<Model> {
        Entity::find_by_id(id)
            .one(conn)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn of_conversation(
        conn: &impl ConnectionTrait,
        conversation: Uuid,
    ) -> StoreResult<Vec<Model>> {
        Ok(Entity::find()
            .filter(Column::ConversationId.eq(conversation))
            .order_by_asc(Column::OfferedAt)
            .all(conn)
            .await?)
    }

    /// Every pending offer, all tenants: for the reconciler (lapsed presence, lost state).
    pub async fn pending(conn: &impl ConnectionTrait) -> StoreResult<Vec<Model>> {
        Ok(Entity::find()
            .filter(Column::State.eq("pending"))
            .all(conn)
            .await?)
    }

    /// Marks a pending offer resolved; false when it was not pending any more.
    pub async fn resolve(conn: &impl ConnectionTrait, id: Uuid, state: &str) -> StoreResult<bool> {
        let res = Entity::update_many()
            .col_expr(Column::State, Expr::value(state.to_owned()))
            .col_expr(Column::ResolvedAt, Expr::value(crate::now()))
            .filter(Column::Id.eq(id))
            .filter(Column::State.eq("pending"))
            .exec(conn)
            .await?;
        Ok(res.rows_affected == 1)
    }
}

/// Every live conversation with an agent, all tenants: `(tenant, agent)` once per chat, to
/// rebuild agents' load after the realtime store lost it.
pub async fn live_assignments(conn: &impl ConnectionTrait) -> StoreResult<Vec<(Uuid, Uuid)>> {
    Ok(Entity::find()
        .filter(Column::Status.eq("live"))
        .filter(Column::AssignedAgentId.is_not_null())
        .order_by_asc(Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|c| Some((c.tenant_id, c.assigned_agent_id?)))
        .collect())
}
