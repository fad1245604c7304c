//! A visitor's data, found by their email address and erased (SPEC §12.4), and conversations
//! past a tenant's retention. Erasing a conversation takes with it its messages and offers
//! (foreign keys), the emails about it (transcripts) and the webhook deliveries that carried
//! it, sent or not.

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait, Func, SimpleExpr};
use sea_orm::{Condition, ConnectionTrait, DbBackend, QueryFilter, QuerySelect};
use switchboard_core::TenantId;
use switchboard_core::lifecycle::ConversationStatus;

use crate::{StoreResult, conversations, mail, webhooks};

/// The visitor's captured email, lower-cased, in the backend's JSON dialect.
fn captured_email(backend: DbBackend) -> SimpleExpr {
    match backend {
        DbBackend::Postgres => Expr::cust("LOWER(visitor->'captured'->>'email')"),
        _ => Expr::cust("LOWER(json_extract(visitor, '$.captured.email'))"),
    }
}

/// Every conversation of the visitor with this email (captured in the dialogue, or left
/// with a message), and every other conversation of the same visitor (their widget token).
pub async fn conversations_of_email(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    email: &str,
) -> StoreResult<Vec<conversations::Model>> {
    let email = email.trim().to_lowercase();
    let matched: Vec<conversations::Model> = conversations::Entity::find()
        .filter(conversations::Column::TenantId.eq(tenant.as_uuid()))
        .filter(
            Condition::any()
                .add(ExprTrait::eq(
                    captured_email(conn.get_database_backend()),
                    email.clone(),
                ))
                .add(ExprTrait::eq(
                    SimpleExpr::from(Func::lower(Expr::col(
                        conversations::Column::LeftMessageEmail,
                    ))),
                    email,
                )),
        )
        .all(conn)
        .await?;
    let visitors: Vec<Uuid> = matched.iter().filter_map(|c| c.visitor_id).collect();
    let mut all = matched;
    if !visitors.is_empty() {
        let same_visitor = conversations::Entity::find()
            .filter(conversations::Column::TenantId.eq(tenant.as_uuid()))
            .filter(conversations::Column::VisitorId.is_in(visitors))
            .all(conn)
            .await?;
        for c in same_visitor {
            if !all.iter().any(|a| a.id == c.id) {
                all.push(c);
            }
        }
    }
    all.sort_by_key(|c| c.created_at);
    Ok(all)
}

/// Deletes conversations of the tenant with what refers to them; returns how many.
pub async fn erase(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> StoreResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    mail::Entity::delete_many()
        .filter(mail::Column::TenantId.eq(tenant.as_uuid()))
        .filter(mail::Column::ConversationId.is_in(ids.to_vec()))
        .exec(conn)
        .await?;
    for chunk in ids.chunks(50) {
        let mut mentions = Condition::any();
        for id in chunk {
            mentions = mentions.add(webhooks::deliveries::Column::Body.contains(id.to_string()));
        }
        webhooks::deliveries::Entity::delete_many()
            .filter(webhooks::deliveries::Column::TenantId.eq(tenant.as_uuid()))
            .filter(mentions)
            .exec(conn)
            .await?;
    }
    crate::attachments::delete_of(conn, tenant, ids).await?;
    Ok(conversations::Entity::delete_many()
        .filter(conversations::Column::TenantId.eq(tenant.as_uuid()))
        .filter(conversations::Column::Id.is_in(ids.to_vec()))
        .exec(conn)
        .await?
        .rows_affected)
}

/// Up to `limit` conversations of the tenant that are over and untouched since `before`.
pub async fn closed_before(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    before: DateTimeUtc,
    limit: u64,
) -> StoreResult<Vec<Uuid>> {
    Ok(conversations::Entity::find()
        .select_only()
        .column(conversations::Column::Id)
        .filter(conversations::Column::TenantId.eq(tenant.as_uuid()))
        .filter(conversations::Column::UpdatedAt.lt(before))
        .filter(conversations::Column::Status.is_not_in([
            ConversationStatus::Dialogue,
            ConversationStatus::Routing,
            ConversationStatus::Live,
        ]))
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?)
}

/// Up to `limit` conversations, of any tenant, still in the dialogue and untouched since
/// `before` (the caller keeps those where the visitor gave details).
pub async fn stale_dialogues_unscoped(
    conn: &impl ConnectionTrait,
    before: DateTimeUtc,
    limit: u64,
) -> StoreResult<Vec<conversations::Model>> {
    use sea_orm::QueryOrder;
    Ok(conversations::Entity::find()
        .filter(conversations::Column::Status.eq(ConversationStatus::Dialogue))
        .filter(conversations::Column::UpdatedAt.lt(before))
        .order_by_asc(conversations::Column::UpdatedAt)
        .limit(limit)
        .all(conn)
        .await?)
}
