//! Webhook endpoints and the outbox of their deliveries.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder};
use switchboard_core::TenantId;
use switchboard_core::page::{Page, PageRequest};

use crate::{StoreResult, now};

pub mod endpoints {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_endpoints")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub url: String,
        /// Signs every delivery; shown once, when the endpoint is created.
        pub secret: String,
        /// The event kinds it wants, a JSON array of strings.
        pub events: Json,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    impl Model {
        pub fn wants(&self, kind: &str) -> bool {
            self.events
                .as_array()
                .is_some_and(|a| a.iter().any(|e| e.as_str() == Some(kind)))
        }
    }
}

pub mod deliveries {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_deliveries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub endpoint_id: Uuid,
        pub event: String,
        pub body: String,
        pub status: switchboard_core::DeliveryStatus,
        pub attempts: i32,
        pub next_attempt_at: DateTimeUtc,
        /// The worker holding it, and until when.
        pub claim: Option<Uuid>,
        pub claimed_until: Option<DateTimeUtc>,
        /// The receiver's last HTTP status, or why there was none.
        pub last_status: Option<i32>,
        pub last_error: Option<String>,
        pub delivered_at: Option<DateTimeUtc>,
        /// The delivery this one replays.
        pub replay_of: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub async fn insert_endpoint(
    conn: &impl ConnectionTrait,
    model: endpoints::Model,
) -> StoreResult<endpoints::Model> {
    Ok(endpoints::ActiveModel::from(model).insert(conn).await?)
}

pub async fn endpoints_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
) -> StoreResult<Vec<endpoints::Model>> {
    Ok(endpoints::Entity::find()
        .filter(endpoints::Column::TenantId.eq(tenant.as_uuid()))
        .order_by_asc(endpoints::Column::Id)
        .all(conn)
        .await?)
}

pub async fn find_endpoint(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> StoreResult<endpoints::Model> {
    crate::find_in_tenant::<endpoints::Entity>(conn, endpoints::Column::TenantId, tenant, id).await
}

pub async fn delete_endpoint(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> StoreResult<()> {
    crate::delete_in_tenant::<endpoints::Entity>(
        conn,
        endpoints::Column::Id,
        endpoints::Column::TenantId,
        tenant,
        id,
    )
    .await
}

pub async fn insert_delivery(
    conn: &impl ConnectionTrait,
    model: deliveries::Model,
) -> StoreResult<deliveries::Model> {
    Ok(deliveries::ActiveModel::from(model).insert(conn).await?)
}

/// Delivery `id` of endpoint `endpoint` of the tenant.
pub async fn find_delivery(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    endpoint: Uuid,
    id: Uuid,
) -> StoreResult<deliveries::Model> {
    let d =
        crate::find_in_tenant::<deliveries::Entity>(conn, deliveries::Column::TenantId, tenant, id)
            .await?;
    if d.endpoint_id != endpoint {
        return Err(crate::StoreError::NotFound);
    }
    Ok(d)
}

/// One page of an endpoint's deliveries, newest first.
pub async fn deliveries_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    endpoint: Uuid,
    page: PageRequest,
) -> StoreResult<Page<deliveries::Model>> {
    let query = deliveries::Entity::find()
        .filter(deliveries::Column::TenantId.eq(tenant.as_uuid()))
        .filter(deliveries::Column::EndpointId.eq(endpoint));
    crate::keyset_page(conn, query, deliveries::Column::Id, page, true, |d| d.id).await
}

impl crate::outbox::Outbox for deliveries::Entity {
    const ID: deliveries::Column = deliveries::Column::Id;
    const STATUS: deliveries::Column = deliveries::Column::Status;
    const ATTEMPTS: deliveries::Column = deliveries::Column::Attempts;
    const NEXT_ATTEMPT_AT: deliveries::Column = deliveries::Column::NextAttemptAt;
    const CLAIM: deliveries::Column = deliveries::Column::Claim;
    const CLAIMED_UNTIL: deliveries::Column = deliveries::Column::ClaimedUntil;
}

/// Claims up to `limit` due deliveries for worker `claim` until `until` (see
/// [`crate::outbox::claim_due`]).
pub async fn claim_due_unscoped(
    conn: &impl ConnectionTrait,
    claim: Uuid,
    at: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: u64,
) -> StoreResult<Vec<deliveries::Model>> {
    crate::outbox::claim_due_unscoped::<deliveries::Entity>(conn, claim, at, until, limit).await
}

/// Extends worker `claim`'s hold on delivery `id` (see [`crate::outbox::renew_claim`]).
pub async fn renew_claim_unscoped(
    conn: &impl ConnectionTrait,
    id: Uuid,
    claim: Uuid,
    until: DateTime<Utc>,
) -> StoreResult<bool> {
    crate::outbox::renew_claim::<deliveries::Entity>(conn, id, claim, until).await
}

/// Records an attempt of a claimed delivery: `delivered`, or the next attempt's time
/// (`None`: no retry left, it failed). Only the holder of claim `claim` records; false when
/// it no longer holds it (nothing changed).
pub async fn record_attempt_unscoped(
    conn: &impl ConnectionTrait,
    id: Uuid,
    claim: Uuid,
    status: Option<i32>,
    error: Option<String>,
    delivered: bool,
    next_attempt_at: Option<DateTime<Utc>>,
) -> StoreResult<bool> {
    use deliveries::Column as C;
    let mut update = crate::outbox::attempt_update::<deliveries::Entity>(
        id,
        claim,
        delivered,
        switchboard_core::DeliveryStatus::Delivered,
        next_attempt_at,
    )
    .col_expr(C::LastStatus, Expr::value(status))
    .col_expr(C::LastError, Expr::value(error));
    if delivered {
        update = update.col_expr(C::DeliveredAt, Expr::value(Some(now())));
    }
    Ok(update.exec(conn).await?.rows_affected == 1)
}
