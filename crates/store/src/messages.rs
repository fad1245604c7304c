//! Messages of conversations. Each has a `seq`, handed out by its conversation
//! ([`crate::conversations::next_seq`]) in the transaction that inserts it, so numbers have no
//! gaps and a reader who saw `n` knows exactly what it missed.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder, QuerySelect};

use switchboard_core::lifecycle::{MessageKind, Sender};

use crate::{StoreError, StoreResult};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub conversation_id: Uuid,
    pub seq: i64,
    pub sender: Sender,
    /// The agent who wrote it (agent messages).
    pub author_id: Option<Uuid>,
    pub body: String,
    /// The sender's own id for the message, so a retry is recognised.
    pub client_id: Option<String>,
    pub sent_at: DateTimeUtc,
    /// A message, or an internal note (never shown to the visitor).
    pub kind: MessageKind,
    /// The file it carries: `{id, name, content_type, size}`.
    pub attachment: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// Message `seq` of a conversation, sent now.
    pub fn compose(
        tenant_id: Uuid,
        conversation_id: Uuid,
        seq: i64,
        sender: Sender,
        author_id: Option<Uuid>,
        body: String,
        client_id: Option<String>,
    ) -> Self {
        Self {
            id: Uuid::now_v7(),
            tenant_id,
            conversation_id,
            seq,
            sender,
            author_id,
            body,
            client_id,
            sent_at: crate::now(),
            kind: MessageKind::Message,
            attachment: None,
        }
    }
}

/// Inserts a message; a client id already used by this sender in this conversation is a
/// conflict (the caller returns the stored message instead).
pub async fn insert(conn: &impl ConnectionTrait, model: Model) -> StoreResult<Model> {
    ActiveModel::from(model)
        .insert(conn)
        .await
        .map_err(crate::on_unique("client_id"))
}

/// Inserts a message unless its sender used its client id in the conversation before;
/// false when it did (nothing is inserted, and the transaction stays usable).
pub async fn insert_once(conn: &impl ConnectionTrait, model: Model) -> StoreResult<bool> {
    use sea_orm::TryInsertResult;
    let res = Entity::insert(ActiveModel::from(model))
        .on_conflict_do_nothing_on([Column::ConversationId, Column::Sender, Column::ClientId])
        .exec_without_returning(conn)
        .await?;
    Ok(matches!(res, TryInsertResult::Inserted(n) if n > 0))
}

/// The message `sender` sent with `client_id` in the conversation, if any.
pub async fn by_client_id_unscoped(
    conn: &impl ConnectionTrait,
    conversation: Uuid,
    sender: Sender,
    client_id: &str,
) -> StoreResult<Option<Model>> {
    Ok(Entity::find()
        .filter(Column::ConversationId.eq(conversation))
        .filter(Column::Sender.eq(sender))
        .filter(Column::ClientId.eq(client_id))
        .one(conn)
        .await?)
}

/// Up to `limit` messages of the conversation with `seq` above `after`, in order, notes
/// included.
pub async fn after_unscoped(
    conn: &impl ConnectionTrait,
    conversation: Uuid,
    after: i64,
    limit: u64,
) -> StoreResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::ConversationId.eq(conversation))
        .filter(Column::Seq.gt(after))
        .order_by_asc(Column::Seq)
        .limit(limit)
        .all(conn)
        .await?)
}

/// [`after_unscoped`] without the internal notes: what the visitor may read.
pub async fn visible_after_unscoped(
    conn: &impl ConnectionTrait,
    conversation: Uuid,
    after: i64,
    limit: u64,
) -> StoreResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::ConversationId.eq(conversation))
        .filter(Column::Seq.gt(after))
        .filter(Column::Kind.eq(MessageKind::Message))
        .order_by_asc(Column::Seq)
        .limit(limit)
        .all(conn)
        .await?)
}

/// Message `seq` of a conversation.
pub async fn find_unscoped(
    conn: &impl ConnectionTrait,
    conversation: Uuid,
    seq: i64,
) -> StoreResult<Model> {
    Entity::find()
        .filter(Column::ConversationId.eq(conversation))
        .filter(Column::Seq.eq(seq))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}
