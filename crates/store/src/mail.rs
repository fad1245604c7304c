//! The email outbox: each email is a row before anything is sent (see [`crate::outbox`]).

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveModelTrait, ConnectionTrait, QueryFilter, QueryOrder};
use switchboard_core::TenantId;

use crate::outbox::{self, Outbox};
use crate::{StoreResult, now};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// What it is about: `failed_action`, or `left_message` (the follow-up of one that went
    /// before the visitor left a message).
    pub kind: String,
    pub conversation_id: Option<Uuid>,
    /// The addresses it goes to, a JSON array of strings.
    pub recipients: Json,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub status: switchboard_core::DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub claim: Option<Uuid>,
    pub claimed_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Outbox for Entity {
    const ID: Column = Column::Id;
    const STATUS: Column = Column::Status;
    const ATTEMPTS: Column = Column::Attempts;
    const NEXT_ATTEMPT_AT: Column = Column::NextAttemptAt;
    const CLAIM: Column = Column::Claim;
    const CLAIMED_UNTIL: Column = Column::ClaimedUntil;
}

impl Model {
    /// The recipients' addresses.
    pub fn recipient_list(&self) -> Vec<String> {
        self.recipients
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|r| r.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub async fn insert(conn: &impl ConnectionTrait, model: Model) -> StoreResult<Model> {
    Ok(ActiveModel::from(model).insert(conn).await?)
}

/// Replaces the content of an email no worker took yet (pending and unclaimed); false when
/// one has it, or it went.
pub async fn rewrite_unsent_unscoped(
    conn: &impl ConnectionTrait,
    id: Uuid,
    text_body: String,
    html_body: String,
) -> StoreResult<bool> {
    let res = Entity::update_many()
        .col_expr(Column::TextBody, Expr::value(text_body))
        .col_expr(Column::HtmlBody, Expr::value(html_body))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(switchboard_core::DeliveryStatus::Pending))
        .filter(Column::Claim.is_null())
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Claims up to `limit` due emails (see [`outbox::claim_due`]).
pub async fn claim_due_unscoped(
    conn: &impl ConnectionTrait,
    claim: Uuid,
    at: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: u64,
) -> StoreResult<Vec<Model>> {
    outbox::claim_due_unscoped::<Entity>(conn, claim, at, until, limit).await
}

/// Extends worker `claim`'s hold on email `id` (see [`outbox::renew_claim`]).
pub async fn renew_claim_unscoped(
    conn: &impl ConnectionTrait,
    id: Uuid,
    claim: Uuid,
    until: DateTime<Utc>,
) -> StoreResult<bool> {
    outbox::renew_claim::<Entity>(conn, id, claim, until).await
}

/// Records an attempt of a claimed email: `sent`, or the next attempt's time (`None`: no
/// retry left, it failed). Only the holder of claim `claim` records; false when it no longer
/// holds it (nothing changed).
pub async fn record_attempt_unscoped(
    conn: &impl ConnectionTrait,
    id: Uuid,
    claim: Uuid,
    error: Option<String>,
    sent: bool,
    next_attempt_at: Option<DateTime<Utc>>,
) -> StoreResult<bool> {
    let mut update = outbox::attempt_update::<Entity>(
        id,
        claim,
        sent,
        switchboard_core::DeliveryStatus::Sent,
        next_attempt_at,
    )
    .col_expr(Column::LastError, Expr::value(error));
    if sent {
        update = update.col_expr(Column::SentAt, Expr::value(Some(now())));
    }
    Ok(update.exec(conn).await?.rows_affected == 1)
}

/// The emails about any of `conversations`, oldest first (one query for a page of them).
pub async fn of_conversations(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    conversations: Vec<Uuid>,
) -> StoreResult<Vec<Model>> {
    if conversations.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::ConversationId.is_in(conversations))
        .order_by_asc(Column::Id)
        .all(conn)
        .await?)
}

/// The emails about one conversation, oldest first.
pub async fn of_conversation(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    conversation: Uuid,
) -> StoreResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::ConversationId.eq(conversation))
        .order_by_asc(Column::Id)
        .all(conn)
        .await?)
}
