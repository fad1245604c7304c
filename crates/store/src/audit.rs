//! The audit log of admin actions: append-only, per tenant.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryFilter, Set};
use switchboard_core::page::{Page, PageRequest};
use switchboard_core::{AuditEntryId, TenantId};

use crate::{StoreResult, now};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// `user`, `api_key` or `operator`.
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    /// Who acted, as a person reads it (an email, a key's name and prefix).
    pub actor_label: String,
    /// What happened, e.g. `live_chat_permission.granted`.
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<Uuid>,
    pub details: Json,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Who did something.
#[derive(Debug, Clone)]
pub struct Actor {
    pub kind: &'static str,
    pub id: Option<Uuid>,
    pub label: String,
}

pub struct Entry<'a> {
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target_id: Option<Uuid>,
    pub details: Json,
}

pub async fn append(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    actor: &Actor,
    entry: Entry<'_>,
) -> StoreResult<()> {
    ActiveModel {
        id: Set(AuditEntryId::new().as_uuid()),
        tenant_id: Set(tenant.as_uuid()),
        actor_kind: Set(actor.kind.to_owned()),
        actor_id: Set(actor.id),
        actor_label: Set(actor.label.clone()),
        action: Set(entry.action.to_owned()),
        target_kind: Set(entry.target_kind.to_owned()),
        target_id: Set(entry.target_id),
        details: Set(entry.details),
        created_at: Set(now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Which entries to read: every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Who acted: `user`, `api_key` or `operator`.
    pub actor_kind: Option<String>,
    /// Who acted: a user's, an API key's or the operator's id.
    pub actor_id: Option<Uuid>,
    /// What happened, exactly (`api_key.revoked`).
    pub action: Option<String>,
    /// At or after this moment.
    pub from: Option<DateTimeUtc>,
    /// Before this moment.
    pub to: Option<DateTimeUtc>,
}

/// Newest first: that is how an admin reads an audit log.
pub async fn list(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    page: PageRequest,
) -> StoreResult<Page<Model>> {
    find(conn, tenant, &Filter::default(), page).await
}

/// The entries matching `filter`, newest first; the filter is part of the query, so a page
/// is full whenever there are enough matching entries.
pub async fn find(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    filter: &Filter,
    page: PageRequest,
) -> StoreResult<Page<Model>> {
    let mut query = Entity::find().filter(Column::TenantId.eq(tenant.as_uuid()));
    if let Some(kind) = &filter.actor_kind {
        query = query.filter(Column::ActorKind.eq(kind.as_str()));
    }
    if let Some(id) = filter.actor_id {
        query = query.filter(Column::ActorId.eq(id));
    }
    if let Some(action) = &filter.action {
        query = query.filter(Column::Action.eq(action.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(Column::CreatedAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(Column::CreatedAt.lt(to));
    }
    crate::keyset_page(conn, query, Column::Id, page, true, |m| m.id).await
}

/// Everyone who acted in the tenant, once each: `(kind, id, latest label)`, for a filter's
/// choices.
pub async fn actors(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
) -> StoreResult<Vec<(String, Option<Uuid>, String)>> {
    use sea_orm::{QueryOrder, QuerySelect};
    let rows: Vec<(String, Option<Uuid>, String)> = Entity::find()
        .select_only()
        .column(Column::ActorKind)
        .column(Column::ActorId)
        .column(Column::ActorLabel)
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .distinct()
        .order_by_asc(Column::ActorKind)
        .order_by_asc(Column::ActorLabel)
        .into_tuple()
        .all(conn)
        .await?;
    let mut seen = std::collections::HashSet::new();
    Ok(rows
        .into_iter()
        .filter(|(kind, id, _)| seen.insert((kind.clone(), *id)))
        .collect())
}
