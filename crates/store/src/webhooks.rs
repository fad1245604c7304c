//! Webhook endpoints and the outbox of their deliveries.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder, QuerySelect};
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
        /// `pending`, `delivered` or `failed` (every retry used).
        pub status: String,
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

/// Claims up to `limit` due deliveries for worker `claim` until `until`, and returns them.
/// Every node runs a worker; a delivery is held by one claim at a time (the update re-checks
/// the claim's conditions on the row it locks).
pub async fn claim_due(
    conn: &impl ConnectionTrait,
    claim: Uuid,
    at: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: u64,
) -> StoreResult<Vec<deliveries::Model>> {
    use deliveries::Column as C;
    let due: Vec<Uuid> = deliveries::Entity::find()
        .select_only()
        .column(C::Id)
        .filter(C::Status.eq("pending"))
        .filter(C::NextAttemptAt.lte(at))
        .filter(C::ClaimedUntil.is_null().or(C::ClaimedUntil.lt(at)))
        .order_by_asc(C::NextAttemptAt)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    deliveries::Entity::update_many()
        .col_expr(C::Claim, Expr::value(Some(claim)))
        .col_expr(C::ClaimedUntil, Expr::value(Some(until)))
        .filter(C::Id.is_in(due))
        .filter(C::Status.eq("pending"))
        .filter(C::ClaimedUntil.is_null().or(C::ClaimedUntil.lt(at)))
        .exec(conn)
        .await?;
    Ok(deliveries::Entity::find()
        .filter(C::Claim.eq(claim))
        .filter(C::ClaimedUntil.eq(until))
        .all(conn)
        .await?)
}

/// Records an attempt of a claimed delivery: `delivered`, or the next attempt's time
/// (`None`: no retry left, it failed).
pub async fn record_attempt(
    conn: &impl ConnectionTrait,
    id: Uuid,
    status: Option<i32>,
    error: Option<String>,
    delivered: bool,
    next_attempt_at: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    use deliveries::Column as C;
    let state = match (delivered, next_attempt_at) {
        (true, _) => "delivered",
        (false, Some(_)) => "pending",
        (false, None) => "failed",
    };
    let mut update = deliveries::Entity::update_many()
        .col_expr(C::Status, Expr::value(state))
        .col_expr(C::Attempts, Expr::col(C::Attempts).add(1))
        .col_expr(C::LastStatus, Expr::value(status))
        .col_expr(C::LastError, Expr::value(error))
        .col_expr(C::Claim, Expr::value(Option::<Uuid>::None))
        .col_expr(C::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None));
    if delivered {
        update = update.col_expr(C::DeliveredAt, Expr::value(Some(now())));
    }
    if let Some(next) = next_attempt_at {
        update = update.col_expr(C::NextAttemptAt, Expr::value(next));
    }
    update.filter(C::Id.eq(id)).exec(conn).await?;
    Ok(())
}
