//! The email outbox: each email is a row before anything is sent (see [`crate::outbox`]).

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveModelTrait, ConnectionTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect};
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
    /// Emails with the same key (`<reason>:<recipient>`) may go as one digest, and at most
    /// one goes per key every so often (see [`slots`]); none: each goes on its own.
    pub digest_key: Option<String>,
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

/// Puts an email worker `claim` holds back until `at`, unclaimed, without counting an
/// attempt (its digest key had an email too recently).
pub async fn postpone_unscoped(
    conn: &impl ConnectionTrait,
    id: Uuid,
    claim: Uuid,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let res = Entity::update_many()
        .col_expr(Column::NextAttemptAt, Expr::value(at))
        .col_expr(Column::Claim, Expr::value(Option::<Uuid>::None))
        .col_expr(
            Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(Column::Id.eq(id))
        .filter(Column::Claim.eq(claim))
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// The most emails one digest carries; more wait for the next.
pub const DIGEST_MAX: u64 = 100;

/// Claims for worker `claim` (until `until`) the pending emails of the tenant with digest key
/// `key` that no other worker holds, due or not, oldest first and at most [`DIGEST_MAX`]:
/// they go together in one digest.
pub async fn claim_digest_unscoped(
    conn: &impl ConnectionTrait,
    tenant: Uuid,
    key: &str,
    claim: Uuid,
    at: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<Vec<Model>> {
    let free = || {
        Column::ClaimedUntil
            .is_null()
            .or(Column::ClaimedUntil.lt(at))
            .or(Column::Claim.eq(claim))
    };
    let oldest: Vec<Uuid> = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::TenantId.eq(tenant))
        .filter(Column::DigestKey.eq(key))
        .filter(Column::Status.eq(switchboard_core::DeliveryStatus::Pending))
        .filter(free())
        .order_by_asc(Column::Id)
        .limit(DIGEST_MAX)
        .into_tuple()
        .all(conn)
        .await?;
    Entity::update_many()
        .col_expr(Column::Claim, Expr::value(Some(claim)))
        .col_expr(Column::ClaimedUntil, Expr::value(Some(until)))
        .filter(Column::Id.is_in(oldest))
        .filter(Column::Status.eq(switchboard_core::DeliveryStatus::Pending))
        .filter(free())
        .exec(conn)
        .await?;
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant))
        .filter(Column::DigestKey.eq(key))
        .filter(Column::Status.eq(switchboard_core::DeliveryStatus::Pending))
        .filter(Column::Claim.eq(claim))
        .order_by_asc(Column::Id)
        .all(conn)
        .await?)
}

/// When each digest key last got an email: at most one per key per interval, whichever
/// node sends.
pub mod slots {
    use chrono::{DateTime, SubsecRound, Utc};
    use sea_orm::entity::prelude::*;
    use sea_orm::{ConnectionTrait, ExprTrait, QueryFilter, Set, TryInsertResult};

    use crate::StoreResult;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mail_digest_slots")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub digest_key: String,
        pub last_sent_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    /// Whether the slot was taken.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Slot {
        /// Taken at `at` (as stored); `previous`: the email before, to give it back.
        Taken {
            at: DateTime<Utc>,
            previous: Option<DateTime<Utc>>,
        },
        /// An email went too recently: the next may go at this time.
        Busy(DateTime<Utc>),
    }

    /// Takes key `key`'s slot at `at` if its last email went at least `every` before.
    pub async fn take(
        conn: &impl ConnectionTrait,
        tenant: Uuid,
        key: &str,
        at: DateTime<Utc>,
        every: chrono::Duration,
    ) -> StoreResult<Slot> {
        // Microseconds: what PostgreSQL keeps, so the value compares equal when read back.
        let at = at.trunc_subsecs(6);
        let inserted = Entity::insert(ActiveModel {
            tenant_id: Set(tenant),
            digest_key: Set(key.to_owned()),
            last_sent_at: Set(at),
        })
        .on_conflict_do_nothing_on([Column::TenantId, Column::DigestKey])
        .exec_without_returning(conn)
        .await?;
        if matches!(inserted, TryInsertResult::Inserted(n) if n > 0) {
            return Ok(Slot::Taken { at, previous: None });
        }
        let Some(last) = Entity::find_by_id((tenant, key.to_owned()))
            .one(conn)
            .await?
            .map(|s| s.last_sent_at)
        else {
            return Ok(Slot::Busy(at + every));
        };
        if last + every > at {
            return Ok(Slot::Busy(last + every));
        }
        // Another node may take it between the read and here: only one update matches.
        let res = Entity::update_many()
            .col_expr(Column::LastSentAt, Expr::value(at))
            .filter(Column::TenantId.eq(tenant))
            .filter(Column::DigestKey.eq(key))
            .filter(Column::LastSentAt.eq(last))
            .exec(conn)
            .await?;
        Ok(if res.rows_affected == 1 {
            Slot::Taken {
                at,
                previous: Some(last),
            }
        } else {
            Slot::Busy(at + every)
        })
    }

    /// Gives back a slot taken at `at` whose email did not go: the next attempt may send.
    pub async fn give_back(
        conn: &impl ConnectionTrait,
        tenant: Uuid,
        key: &str,
        at: DateTime<Utc>,
        previous: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        let mine = || {
            Column::TenantId
                .eq(tenant)
                .and(Column::DigestKey.eq(key))
                .and(Column::LastSentAt.eq(at))
        };
        match previous {
            Some(p) => {
                Entity::update_many()
                    .col_expr(Column::LastSentAt, Expr::value(p))
                    .filter(mine())
                    .exec(conn)
                    .await?;
            }
            None => {
                Entity::delete_many().filter(mine()).exec(conn).await?;
            }
        }
        Ok(())
    }
}
