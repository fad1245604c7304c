//! Conversations and the offers made for them.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder, Set};
use switchboard_core::TenantId;
use switchboard_core::lifecycle::ConversationStatus;
use switchboard_core::routing::trace::FallbackReason;

use crate::{StoreError, StoreResult, now};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conversations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub status: ConversationStatus,
    pub visitor: Json,
    /// The live-chat card's routing: `{"mode": ..., "agent_id"?, "team_id"?}`.
    pub routing: Json,
    pub card_fallback_message: Option<String>,
    pub assigned_agent_id: Option<Uuid>,
    /// The engagement reservation held while routing.
    pub reservation_id: Option<Uuid>,
    pub fallback_reason: Option<FallbackReason>,
    pub trace: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    /// The published cards the visitor started with, for widget conversations stored
    /// before dialogue versions (migration 17); later ones have `dialogue_version_id`.
    pub dialogue: Option<Json>,
    /// The card the visitor stands at.
    pub card_id: Option<String>,
    /// SHA-256 of the visitor's token.
    pub visitor_token_hash: Option<String>,
    /// The `seq` of the conversation's last message (0: none yet).
    pub last_seq: i64,
    /// When either side last wrote, or the agent joined: for the idle timeout.
    pub last_activity_at: Option<DateTimeUtc>,
    /// How long the visitor may wait in the queue (none: the card falls back instead).
    pub queue_max_wait_seconds: Option<i32>,
    /// The routing target whose queue the visitor waits in (`all`, `team:<id>`, `agent:<id>`).
    pub queue_target: Option<String>,
    /// When the visitor started waiting: their place in the queue.
    pub queued_at: Option<DateTimeUtc>,
    /// When waiting becomes the `queue_timeout` fallback.
    pub queue_deadline: Option<DateTimeUtc>,
    /// The visitor it belongs to: the same for every conversation a visitor started with
    /// one token (widget conversations).
    pub visitor_id: Option<Uuid>,
    /// The message the visitor left after a fallback: who, how to answer, what, when.
    pub left_message_name: Option<String>,
    pub left_message_email: Option<String>,
    pub left_message_body: Option<String>,
    pub left_message_at: Option<DateTimeUtc>,
    /// SHA-256 of the address the widget session started from (none for the API's).
    pub visitor_ip_hash: Option<String>,
    /// The published dialogue version the visitor runs (widget conversations).
    pub dialogue_version_id: Option<Uuid>,
    /// The visitor's rating of the chat after it ended: 1 to 5, a comment, when.
    pub rating_score: Option<i32>,
    pub rating_comment: Option<String>,
    pub rated_at: Option<DateTimeUtc>,
    /// When the visitor asked for the transcript by email (once per conversation).
    pub transcript_sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Stores a new conversation; one whose id is taken already is a conflict (`conversation`).
pub async fn insert(conn: &impl ConnectionTrait, model: Model) -> StoreResult<Model> {
    ActiveModel::from(model)
        .insert(conn)
        .await
        .map_err(crate::on_unique("conversation"))
}

/// The conversation a visitor's token opens.
pub async fn find_by_visitor_token_unscoped(
    conn: &impl ConnectionTrait,
    token_hash: &str,
) -> StoreResult<Model> {
    Entity::find()
        .filter(Column::VisitorTokenHash.eq(token_hash))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Takes a visitor's token off conversation `id` (the visitor starts a new one, which gets
/// it); false when the token is not on it any more (a concurrent request moved it first).
pub async fn release_visitor_token_unscoped(
    conn: &impl ConnectionTrait,
    id: Uuid,
    token_hash: &str,
) -> StoreResult<bool> {
    let res = Entity::update_many()
        .col_expr(
            Column::VisitorTokenHash,
            Expr::value(Option::<String>::None),
        )
        .filter(Column::Id.eq(id))
        .filter(Column::VisitorTokenHash.eq(token_hash))
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// What a visitor left after a fallback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftMessage {
    pub name: Option<String>,
    pub email: String,
    pub body: String,
}

/// Stores the message a visitor leaves on a conversation that fell back and has none yet;
/// false when it did not fall back or has one already.
pub async fn leave_message(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
    left: LeftMessage,
) -> StoreResult<bool> {
    let at = now();
    let res = Entity::update_many()
        .col_expr(Column::LeftMessageName, Expr::value(left.name))
        .col_expr(Column::LeftMessageEmail, Expr::value(Some(left.email)))
        .col_expr(Column::LeftMessageBody, Expr::value(Some(left.body)))
        .col_expr(Column::LeftMessageAt, Expr::value(Some(at)))
        .col_expr(Column::UpdatedAt, Expr::value(at))
        .filter(Column::Id.eq(id))
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Status.eq(ConversationStatus::Fallback))
        .filter(Column::LeftMessageAt.is_null())
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Stores the visitor's rating of a chat that ended after an agent took it, once; false when
/// it is not such a chat or was rated already.
pub async fn rate(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
    score: i32,
    comment: Option<String>,
) -> StoreResult<bool> {
    let at = now();
    let res = Entity::update_many()
        .col_expr(Column::RatingScore, Expr::value(Some(score)))
        .col_expr(Column::RatingComment, Expr::value(comment))
        .col_expr(Column::RatedAt, Expr::value(Some(at)))
        .col_expr(Column::UpdatedAt, Expr::value(at))
        .filter(Column::Id.eq(id))
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Status.eq(ConversationStatus::Ended))
        .filter(Column::AssignedAgentId.is_not_null())
        .filter(Column::RatedAt.is_null())
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Replaces what is known of the visitor (the pages they visited); false when the
/// conversation is not stored.
pub async fn set_visitor(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
    visitor: Json,
) -> StoreResult<bool> {
    let res = Entity::update_many()
        .col_expr(Column::Visitor, Expr::value(visitor))
        .filter(Column::Id.eq(id))
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Marks the transcript as asked for by email; false when it was already.
pub async fn mark_transcript_sent(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> StoreResult<bool> {
    let res = Entity::update_many()
        .col_expr(Column::TranscriptSentAt, Expr::value(Some(now())))
        .filter(Column::Id.eq(id))
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::TranscriptSentAt.is_null())
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// A visitor's conversations, newest first (at most `limit`).
pub async fn of_visitor(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    visitor: Uuid,
    limit: u64,
) -> StoreResult<Vec<Model>> {
    use sea_orm::QuerySelect;
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::VisitorId.eq(visitor))
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(conn)
        .await?)
}

/// A visitor's step in the dialogue: from card `from` to card `to` (`None`: the dialogue is
/// over, with `status`), with what is now known of them. Only if the conversation still
/// stands at `from` in its dialogue: false when another request moved it first.
pub async fn step_unscoped(
    conn: &impl ConnectionTrait,
    id: Uuid,
    from: &str,
    to: Option<&str>,
    status: ConversationStatus,
    visitor: Json,
) -> StoreResult<bool> {
    let res = Entity::update_many()
        .col_expr(Column::CardId, Expr::value(to.map(str::to_owned)))
        .col_expr(Column::Status, Expr::value(status))
        .col_expr(Column::Visitor, Expr::value(visitor))
        .col_expr(Column::UpdatedAt, Expr::value(now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(ConversationStatus::Dialogue))
        .filter(Column::CardId.eq(from))
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Writes the routing decision of a stored conversation: its status, routing, card fallback
/// message, reservation, fallback reason and trace. What the visitor's dialogue wrote (card,
/// captured fields, the dialogue's copy) is left as it is, and an ended conversation (the
/// visitor left meanwhile) stays ended.
pub async fn save_decision_unscoped(conn: &impl ConnectionTrait, model: Model) -> StoreResult<()> {
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
        .col_expr(
            Column::QueueMaxWaitSeconds,
            Expr::value(model.queue_max_wait_seconds),
        )
        .col_expr(Column::QueueTarget, Expr::value(model.queue_target))
        .col_expr(Column::QueuedAt, Expr::value(model.queued_at))
        .col_expr(Column::QueueDeadline, Expr::value(model.queue_deadline))
        .col_expr(Column::UpdatedAt, Expr::value(now()))
        .filter(Column::Id.eq(model.id))
        .filter(Column::Status.ne(ConversationStatus::Ended))
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

/// Hands out the next message number of a conversation whose status is one of `open`, and
/// notes the activity; returns the conversation as it now stands (its `last_seq` is the
/// number), `None` when it is not open (or not the tenant's). Call it in the transaction that
/// inserts the message: the row stays locked until it commits, so concurrent senders get
/// consecutive numbers, a rolled-back message leaves no gap, and what the caller reads of the
/// row cannot change under it. `idle_before`: only if nobody wrote since then; `author`:
/// only if the conversation is assigned to this agent or they joined it.
pub async fn next_seq(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
    open: &[ConversationStatus],
    idle_before: Option<DateTimeUtc>,
    author: Option<Uuid>,
) -> StoreResult<Option<Model>> {
    let at = now();
    let mut update = Entity::update_many();
    if let Some(before) = idle_before {
        update = update.filter(Column::LastActivityAt.lte(before));
    }
    // An agent writes in the chats assigned to them and in those they joined (admins).
    if let Some(agent) = author {
        update = update.filter(
            sea_orm::Condition::any()
                .add(Column::AssignedAgentId.eq(agent))
                .add(Column::Id.in_subquery(crate::participants::joined_by(agent))),
        );
    }
    let update = update
        .col_expr(
            Column::LastSeq,
            sea_orm::sea_query::ExprTrait::add(Expr::col(Column::LastSeq), 1),
        )
        .col_expr(Column::LastActivityAt, Expr::value(at))
        .col_expr(Column::UpdatedAt, Expr::value(at))
        .filter(Column::Id.eq(id))
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Status.is_in(open.iter().copied()));
    // One round trip where the database can say what it updated (PostgreSQL); two otherwise
    // (SQLite, in-process).
    if conn.support_returning() {
        return Ok(update.exec_with_returning(conn).await?.into_iter().next());
    }
    if update.exec(conn).await?.rows_affected != 1 {
        return Ok(None);
    }
    Ok(Some(find(conn, tenant, id).await?))
}

/// Gives back the number [`next_seq`] just handed out, in the same transaction (the message
/// it was for was not stored).
pub async fn give_back_seq_unscoped(conn: &impl ConnectionTrait, id: Uuid) -> StoreResult<()> {
    Entity::update_many()
        .col_expr(
            Column::LastSeq,
            sea_orm::sea_query::ExprTrait::sub(Expr::col(Column::LastSeq), 1),
        )
        .filter(Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends a conversation whose status is one of `from`; false when it was not (another
/// request, node or the idle timeout ended it first).
pub async fn end(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
    from: &[ConversationStatus],
) -> StoreResult<bool> {
    let at = now();
    let res = Entity::update_many()
        .col_expr(Column::Status, Expr::value(ConversationStatus::Ended))
        .col_expr(Column::EndedAt, Expr::value(at))
        .col_expr(Column::UpdatedAt, Expr::value(at))
        .col_expr(Column::ReservationId, Expr::value(Option::<Uuid>::None))
        .filter(Column::Id.eq(id))
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Status.is_in(from.iter().copied()))
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Live conversations, all tenants, with no activity since `before`: candidates for the idle
/// timeout (each tenant's own timeout is checked by the caller), oldest activity first, from
/// the `skip`-th on.
pub async fn idle_since_unscoped(
    conn: &impl ConnectionTrait,
    before: DateTimeUtc,
    skip: u64,
    limit: u64,
) -> StoreResult<Vec<Model>> {
    use sea_orm::QuerySelect;
    Ok(Entity::find()
        .filter(Column::Status.eq(ConversationStatus::Live))
        .filter(Column::LastActivityAt.lt(before))
        .order_by_asc(Column::LastActivityAt)
        .order_by_asc(Column::Id)
        .offset(skip)
        .limit(limit)
        .all(conn)
        .await?)
}

/// An agent's accept: the conversation, still waiting for an agent, goes live with them.
/// False when it is not waiting any more (the visitor left first).
pub async fn go_live(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
    agent: Uuid,
    trace: Json,
) -> StoreResult<bool> {
    let at = now();
    let res = Entity::update_many()
        .col_expr(Column::Status, Expr::value(ConversationStatus::Live))
        .col_expr(Column::AssignedAgentId, Expr::value(Some(agent)))
        .col_expr(Column::ReservationId, Expr::value(Option::<Uuid>::None))
        .col_expr(Column::Trace, Expr::value(trace))
        .col_expr(Column::LastActivityAt, Expr::value(at))
        .col_expr(Column::UpdatedAt, Expr::value(at))
        .filter(Column::Id.eq(id))
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Status.eq(ConversationStatus::Routing))
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// A transfer's offer accepted: the live conversation, still `from`'s, becomes `to`'s. False
/// when it ended or moved meanwhile.
pub async fn transfer(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
    from: Uuid,
    to: Uuid,
    trace: Json,
) -> StoreResult<bool> {
    let at = now();
    let res = Entity::update_many()
        .col_expr(Column::AssignedAgentId, Expr::value(Some(to)))
        .col_expr(Column::Trace, Expr::value(trace))
        .col_expr(Column::LastActivityAt, Expr::value(at))
        .col_expr(Column::UpdatedAt, Expr::value(at))
        .filter(Column::Id.eq(id))
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Status.eq(ConversationStatus::Live))
        .filter(Column::AssignedAgentId.eq(from))
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Replaces a conversation's routing trace (a transfer's offer recorded or resolved).
pub async fn set_trace(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
    trace: Json,
) -> StoreResult<()> {
    Entity::update_many()
        .col_expr(Column::Trace, Expr::value(trace))
        .filter(Column::Id.eq(id))
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Which conversations a list shows.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only those assigned to this agent.
    pub agent: Option<Uuid>,
    /// Only those in one of these statuses (empty: all).
    pub statuses: Vec<ConversationStatus>,
    /// Only those of this visitor.
    pub visitor: Option<Uuid>,
}

/// One page of the tenant's conversations, newest first.
pub async fn list(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    filter: &ListFilter,
    page: switchboard_core::page::PageRequest,
) -> StoreResult<switchboard_core::page::Page<Model>> {
    let mut query = Entity::find().filter(Column::TenantId.eq(tenant.as_uuid()));
    if let Some(agent) = filter.agent {
        query = query.filter(Column::AssignedAgentId.eq(agent));
    }
    if !filter.statuses.is_empty() {
        query = query.filter(Column::Status.is_in(filter.statuses.iter().copied()));
    }
    if let Some(visitor) = filter.visitor {
        query = query.filter(Column::VisitorId.eq(visitor));
    }
    crate::keyset_page(conn, query, Column::Id, page, true, |c| c.id).await
}

/// The conversations an agent holds live now, oldest first.
pub async fn live_of_agent(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    agent: Uuid,
) -> StoreResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::AssignedAgentId.eq(agent))
        .filter(Column::Status.eq(ConversationStatus::Live))
        .order_by_asc(Column::Id)
        .all(conn)
        .await?)
}

/// Deletes, with its messages, a conversation that never got past routing (no agent, no
/// engagement reservation): undoing a visitor's start that could not be routed because a
/// dependency was down. False when it moved on meanwhile (then it stays).
pub async fn forget_unrouted_unscoped(conn: &impl ConnectionTrait, id: Uuid) -> StoreResult<bool> {
    let unrouted = Entity::find_by_id(id)
        .filter(Column::Status.eq(ConversationStatus::Routing))
        .filter(Column::AssignedAgentId.is_null())
        .filter(Column::ReservationId.is_null())
        .one(conn)
        .await?;
    if unrouted.is_none() {
        return Ok(false);
    }
    crate::messages::Entity::delete_many()
        .filter(crate::messages::Column::ConversationId.eq(id))
        .exec(conn)
        .await?;
    let gone = Entity::delete_by_id(id).exec(conn).await?;
    Ok(gone.rows_affected == 1)
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
    use sea_orm::sea_query::ExprTrait;
    use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder};

    use switchboard_core::lifecycle::OfferState;

    use crate::{StoreError, StoreResult};

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "offers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub conversation_id: Uuid,
        pub agent_id: Uuid,
        pub state: OfferState,
        pub offered_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub resolved_at: Option<DateTimeUtc>,
        /// When the offer was known to have reached the agent, and by which channel
        /// (`inbox`: an open inbox acknowledged it).
        pub delivered_at: Option<DateTimeUtc>,
        pub delivered_via: Option<String>,
        /// When a node took the offer to Web Push (no inbox acknowledged it in time): a lease
        /// of [`PUSH_LEASE`].
        pub push_claimed_at: Option<DateTimeUtc>,
        /// How many times Web Push was tried, and when the next try is due (null: at once).
        pub push_attempts: i32,
        pub push_next_at: Option<DateTimeUtc>,
        /// A transfer's offer: the agent holding the chat when it was asked (the chat stays
        /// theirs unless this offer is accepted), who asked (them or an admin), and the note
        /// for the agent offered.
        pub transfer_from: Option<Uuid>,
        pub transfer_by: Option<Uuid>,
        pub transfer_note: Option<String>,
    }

    /// How long a node holds an offer it took to Web Push: longer than one round of pushes
    /// takes. A node that died holding one is relieved of it after that.
    pub const PUSH_LEASE: chrono::Duration = chrono::Duration::seconds(30);

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    pub async fn insert(conn: &impl ConnectionTrait, model: Model) -> StoreResult<Model> {
        Ok(ActiveModel::from(model).insert(conn).await?)
    }

    /// An offer by id alone: the expiry worker knows no tenant. Callers acting for a user
    /// check the tenant themselves.
    pub async fn find_unscoped(conn: &impl ConnectionTrait, id: Uuid) -> StoreResult<Model> {
        Entity::find_by_id(id)
            .one(conn)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn of_conversation_unscoped(
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
    pub async fn pending_unscoped(conn: &impl ConnectionTrait) -> StoreResult<Vec<Model>> {
        Ok(Entity::find()
            .filter(Column::State.eq(OfferState::Pending))
            .all(conn)
            .await?)
    }

    /// The pending offers of one agent, oldest first: what an inbox opening now must show.
    pub async fn pending_of(
        conn: &impl ConnectionTrait,
        tenant: switchboard_core::TenantId,
        agent: Uuid,
    ) -> StoreResult<Vec<Model>> {
        Ok(Entity::find()
            .filter(Column::TenantId.eq(tenant.as_uuid()))
            .filter(Column::AgentId.eq(agent))
            .filter(Column::State.eq(OfferState::Pending))
            .order_by_asc(Column::OfferedAt)
            .all(conn)
            .await?)
    }

    /// Records the first confirmed delivery of an offer to its agent; later ones change
    /// nothing. False when the offer is not this agent's or was already delivered.
    pub async fn mark_delivered_unscoped(
        conn: &impl ConnectionTrait,
        id: Uuid,
        agent: Uuid,
        via: &str,
    ) -> StoreResult<bool> {
        let res = Entity::update_many()
            .col_expr(Column::DeliveredAt, Expr::value(crate::now()))
            .col_expr(Column::DeliveredVia, Expr::value(via.to_owned()))
            .filter(Column::Id.eq(id))
            .filter(Column::AgentId.eq(agent))
            .filter(Column::DeliveredAt.is_null())
            .exec(conn)
            .await?;
        Ok(res.rows_affected == 1)
    }

    /// How many of the tenant's offers wait for an answer.
    pub async fn count_pending(
        conn: &impl ConnectionTrait,
        tenant: switchboard_core::TenantId,
    ) -> StoreResult<u64> {
        use sea_orm::PaginatorTrait;
        Ok(Entity::find()
            .filter(Column::TenantId.eq(tenant.as_uuid()))
            .filter(Column::State.eq(OfferState::Pending))
            .count(conn)
            .await?)
    }

    /// Pending offers made at or before `before` that no inbox acknowledged and no node took
    /// to Web Push yet, oldest first.
    pub async fn unacknowledged_unscoped(
        conn: &impl ConnectionTrait,
        before: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<Model>> {
        Ok(Entity::find()
            .filter(Column::State.eq(OfferState::Pending))
            .filter(Column::OfferedAt.lte(before))
            .filter(Column::ExpiresAt.gt(now))
            .filter(Column::DeliveredAt.is_null())
            .filter(push_due(now))
            .order_by_asc(Column::OfferedAt)
            .all(conn)
            .await?)
    }

    /// An offer is due to Web Push when no node holds it (or its lease is over) and its
    /// next try has come.
    fn push_due(now: chrono::DateTime<chrono::Utc>) -> sea_orm::Condition {
        sea_orm::Condition::all()
            .add(
                sea_orm::Condition::any()
                    .add(Column::PushClaimedAt.is_null())
                    .add(Column::PushClaimedAt.lt(now - PUSH_LEASE)),
            )
            .add(
                sea_orm::Condition::any()
                    .add(Column::PushNextAt.is_null())
                    .add(Column::PushNextAt.lte(now)),
            )
    }

    /// Takes an unacknowledged offer to Web Push (a lease); exactly one caller gets true.
    pub async fn claim_push_unscoped(
        conn: &impl ConnectionTrait,
        id: Uuid,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<bool> {
        let res = Entity::update_many()
            .col_expr(Column::PushClaimedAt, Expr::value(now))
            .filter(Column::Id.eq(id))
            .filter(Column::DeliveredAt.is_null())
            .filter(push_due(now))
            .exec(conn)
            .await?;
        Ok(res.rows_affected == 1)
    }

    /// A try at Web Push reached no browser: counted, the lease let go, the next try due at
    /// `next` (the offer's deadline or later: never again, as it is no longer pending then).
    pub async fn push_missed_unscoped(
        conn: &impl ConnectionTrait,
        id: Uuid,
        next: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<()> {
        Entity::update_many()
            .col_expr(Column::PushAttempts, Expr::col(Column::PushAttempts).add(1))
            .col_expr(Column::PushNextAt, Expr::value(Some(next)))
            .col_expr(
                Column::PushClaimedAt,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .filter(Column::Id.eq(id))
            .filter(Column::DeliveredAt.is_null())
            .exec(conn)
            .await?;
        Ok(())
    }

    /// Marks a pending offer resolved; false when it was not pending any more.
    pub async fn resolve_unscoped(
        conn: &impl ConnectionTrait,
        id: Uuid,
        state: OfferState,
    ) -> StoreResult<bool> {
        let res = Entity::update_many()
            .col_expr(Column::State, Expr::value(state))
            .col_expr(Column::ResolvedAt, Expr::value(crate::now()))
            .filter(Column::Id.eq(id))
            .filter(Column::State.eq(OfferState::Pending))
            .exec(conn)
            .await?;
        Ok(res.rows_affected == 1)
    }
}

/// How many of the tenant's conversations have `status`.
pub async fn count_with_status(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    status: ConversationStatus,
) -> StoreResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Status.eq(status))
        .count(conn)
        .await?)
}

/// Queued visitors (still routing) whose wait ran out by `at`, earliest first.
pub async fn queue_overdue_unscoped(
    conn: &impl ConnectionTrait,
    at: DateTimeUtc,
    max: u64,
) -> StoreResult<Vec<Model>> {
    use sea_orm::QuerySelect;
    Ok(Entity::find()
        .filter(Column::Status.eq(ConversationStatus::Routing))
        .filter(Column::QueueDeadline.lte(at))
        .order_by_asc(Column::QueueDeadline)
        .limit(max)
        .all(conn)
        .await?)
}

/// Conversations still routing that have waited in a queue (in it now, or offered from it):
/// to put the waiting ones back after the realtime store lost its queues.
pub async fn queued_unscoped(conn: &impl ConnectionTrait) -> StoreResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::Status.eq(ConversationStatus::Routing))
        .filter(Column::QueueTarget.is_not_null())
        .order_by_asc(Column::QueuedAt)
        .all(conn)
        .await?)
}

/// Conversations in routing, not waiting in line, untouched since `before`: those whose
/// routing may have stopped with the node that ran it (the caller checks for offers).
pub async fn routing_since_unscoped(
    conn: &impl ConnectionTrait,
    before: chrono::DateTime<chrono::Utc>,
) -> StoreResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::Status.eq(ConversationStatus::Routing))
        .filter(Column::QueueTarget.is_null())
        .filter(Column::UpdatedAt.lt(before))
        .all(conn)
        .await?)
}

/// Claims conversation `id`, found in routing (not in line) untouched since `before`, for
/// the pass that runs at `at`: true when this call moved its `updated_at` to `at`. Every node
/// reconciles; the one whose claim lands closes it, the others leave it.
pub async fn claim_stale_routing_unscoped(
    conn: &impl ConnectionTrait,
    id: Uuid,
    before: chrono::DateTime<chrono::Utc>,
    at: chrono::DateTime<chrono::Utc>,
) -> StoreResult<bool> {
    let r = Entity::update_many()
        .col_expr(Column::UpdatedAt, Expr::value(at))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(ConversationStatus::Routing))
        .filter(Column::QueueTarget.is_null())
        .filter(Column::UpdatedAt.lt(before))
        .exec(conn)
        .await?;
    Ok(r.rows_affected == 1)
}

/// A tenant's conversations by id (those that exist), for the queue's view.
pub async fn find_many(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> StoreResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// How long the tenant's last `n` chats with an agent lasted, in seconds (from the request
/// to the end): what the queue's estimate is made of.
pub async fn recent_chat_seconds(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    n: u64,
) -> StoreResult<Vec<i64>> {
    use sea_orm::QuerySelect;
    let rows: Vec<(DateTimeUtc, Option<DateTimeUtc>)> = Entity::find()
        .select_only()
        .columns([Column::CreatedAt, Column::EndedAt])
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Status.eq(ConversationStatus::Ended))
        .filter(Column::AssignedAgentId.is_not_null())
        .order_by_desc(Column::EndedAt)
        .limit(n)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(start, end)| Some((end? - start).num_seconds().max(0)))
        .collect())
}

/// How many live chats this agent holds.
pub async fn count_live_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    agent: Uuid,
) -> StoreResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Status.eq(ConversationStatus::Live))
        .filter(Column::AssignedAgentId.eq(agent))
        .count(conn)
        .await?)
}

/// Every live conversation with an agent, all tenants: `(tenant, agent)` once per chat, to
/// rebuild agents' load after the realtime store lost it.
pub async fn live_assignments_unscoped(
    conn: &impl ConnectionTrait,
) -> StoreResult<Vec<(Uuid, Uuid)>> {
    Ok(Entity::find()
        .filter(Column::Status.eq(ConversationStatus::Live))
        .filter(Column::AssignedAgentId.is_not_null())
        .order_by_asc(Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|c| Some((c.tenant_id, c.assigned_agent_id?)))
        .collect())
}

/// Chats of the tenant waiting for an agent or live that were started from the address with
/// this hash, other than `except`.
pub async fn open_chats_from(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ip_hash: &str,
    except: Option<Uuid>,
) -> StoreResult<u64> {
    use sea_orm::PaginatorTrait;
    let mut q = Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::VisitorIpHash.eq(ip_hash))
        .filter(Column::Status.is_in([ConversationStatus::Routing, ConversationStatus::Live]));
    if let Some(id) = except {
        q = q.filter(Column::Id.ne(id));
    }
    Ok(q.count(conn).await?)
}
