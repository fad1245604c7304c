#![forbid(unsafe_code)]
//! Durable state: sea-orm entities and tenant-scoped queries, on PostgreSQL and SQLite.
//!
//! Invariant: every query on tenant data takes a [`TenantId`] and filters by it, so a caller
//! that holds a tenant's id cannot reach another tenant's rows by passing a foreign id.
//! Functions take `&impl ConnectionTrait` so the service decides what runs in one transaction.

pub mod api_keys;
pub mod audit;
pub mod db;
pub mod idempotency;
pub mod operators;
pub mod sessions;
pub mod teams;
pub mod tenants;
pub mod users;

pub use db::{Database, connect};
pub use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionTrait};
pub use switchboard_core::TenantId;

/// Why a store call failed. `NotFound` covers rows of other tenants too: the caller cannot
/// tell a foreign id from a missing one, which is what keeps tenants apart.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; the string names the rule (e.g. `users_tenant_email_key`).
    #[error("conflict on {0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Turns a unique-constraint violation into [`StoreError::Conflict`] naming `rule`;
/// other errors pass through.
pub(crate) fn on_unique(rule: &'static str) -> impl Fn(sea_orm::DbErr) -> StoreError {
    move |err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict(rule),
        _ => StoreError::Db(err),
    }
}

/// Now, truncated to microseconds so that what is written equals what is read back on
/// both PostgreSQL and SQLite.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::{SubsecRound, Utc};
    Utc::now().trunc_subsecs(6)
}
