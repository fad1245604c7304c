//! Tenant API keys. The secret is shown once at creation; only its SHA-256 is kept (keys are
//! 256-bit random, so a fast hash is enough: there is nothing to brute-force). The public
//! prefix identifies the key in lists and in the audit log.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryFilter, Set};
use switchboard_core::page::{Page, PageRequest};
use switchboard_core::{ApiKeyId, TenantId};

use crate::{StoreError, StoreResult, now, on_unique};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub prefix: String,
    pub secret_hash: String,
    pub created_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    /// What the key may do (JSON array); NULL: `admin`, as keys made before scopes.
    pub scopes: Option<Json>,
    /// NULL: never expires.
    pub expires_at: Option<DateTimeUtc>,
}

impl Model {
    pub fn scopes(&self) -> Vec<switchboard_core::scope::ApiScope> {
        use switchboard_core::scope::ApiScope;
        match self.scopes.as_ref().and_then(|v| v.as_array()) {
            None => vec![ApiScope::Admin],
            Some(list) => list
                .iter()
                .filter_map(|s| ApiScope::parse("", s.as_str()?).ok())
                .collect(),
        }
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub struct NewKey<'a> {
    pub name: &'a str,
    pub prefix: &'a str,
    pub secret_hash: &'a str,
    pub scopes: &'a [switchboard_core::scope::ApiScope],
    pub expires_at: Option<DateTimeUtc>,
}

pub async fn insert(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    new: NewKey<'_>,
) -> StoreResult<Model> {
    let NewKey {
        name,
        prefix,
        secret_hash,
        scopes,
        expires_at,
    } = new;
    ActiveModel {
        id: Set(ApiKeyId::new().as_uuid()),
        tenant_id: Set(tenant.as_uuid()),
        name: Set(name.to_owned()),
        prefix: Set(prefix.to_owned()),
        secret_hash: Set(secret_hash.to_owned()),
        created_at: Set(now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
        scopes: Set(Some(serde_json::json!(
            scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>()
        ))),
        expires_at: Set(expires_at),
    }
    .insert(conn)
    .await
    .map_err(on_unique("api_keys_prefix_key"))
}

/// The key with this public prefix, whatever its tenant: used only to authenticate, where
/// the tenant is what the key itself says.
pub async fn find_by_prefix_unscoped(
    conn: &impl ConnectionTrait,
    prefix: &str,
) -> StoreResult<Option<Model>> {
    Ok(Entity::find()
        .filter(Column::Prefix.eq(prefix))
        .one(conn)
        .await?)
}

pub async fn find(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: ApiKeyId,
) -> StoreResult<Model> {
    crate::find_in_tenant::<Entity>(conn, Column::TenantId, tenant, id.as_uuid()).await
}

pub async fn list(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    page: PageRequest,
) -> StoreResult<Page<Model>> {
    let query = Entity::find().filter(Column::TenantId.eq(tenant.as_uuid()));
    crate::keyset_page(conn, query, Column::Id, page, false, |m| m.id).await
}

/// Revokes a key. Revoking a revoked key is refused as not found: it no longer exists as a key.
pub async fn revoke(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: ApiKeyId,
) -> StoreResult<Model> {
    let key = find(conn, tenant, id).await?;
    if key.revoked_at.is_some() {
        return Err(StoreError::NotFound);
    }
    let mut key: ActiveModel = key.into();
    key.revoked_at = Set(Some(now()));
    Ok(key.update(conn).await?)
}

/// Records a use, at most once a minute per key so that reads do not become writes.
/// Returns whether it was the key's first use in an hour (worth an audit entry).
pub async fn touch(conn: &impl ConnectionTrait, key: &Model) -> StoreResult<bool> {
    let at = now();
    if key
        .last_used_at
        .is_some_and(|last| at - last < chrono::Duration::minutes(1))
    {
        return Ok(false);
    }
    Entity::update_many()
        .col_expr(Column::LastUsedAt, Expr::value(at))
        .filter(Column::Id.eq(key.id))
        .exec(conn)
        .await?;
    Ok(key
        .last_used_at
        .is_none_or(|last| at - last >= chrono::Duration::hours(1)))
}
