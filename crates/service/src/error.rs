//! The error every use case returns. Each variant maps to one HTTP status and one stable
//! problem `type` in the API, and to a message beside a field in the console.

use switchboard_core::ValidationError;
use switchboard_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Validation(#[from] ValidationError),
    /// Missing, or belonging to another tenant: the two are indistinguishable on purpose.
    #[error("not found")]
    NotFound,
    #[error("{message}")]
    Conflict { field: String, message: String },
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    /// The password was right and the account has two-factor sign-in: a one-time code (or
    /// a recovery code) is needed, or the one given is wrong.
    #[error("{0}")]
    OtpRequired(&'static str),
    /// The server requires two-factor sign-in of this account (the operator, an owner) and
    /// it is not on yet: nothing but turning it on is allowed.
    #[error("{0}")]
    TwoFactorRequired(&'static str),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Too many requests of this kind from this client: retry after the wait.
    #[error("too many requests")]
    RateLimited(std::time::Duration),
    /// A service this depends on (the database, Redis) did not answer in time: worth a retry.
    #[error("temporarily unavailable")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    pub fn conflict(field: &str, message: &str) -> Self {
        Self::Conflict {
            field: field.to_owned(),
            message: message.to_owned(),
        }
    }

    pub fn internal(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(err))
    }
}

impl From<StoreError> for ServiceError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => ServiceError::NotFound,
            StoreError::Conflict(rule) => match rule {
                "users_tenant_email_key" => {
                    ServiceError::conflict("email", "a user with this email already exists")
                }
                "tenants_slug_key" => {
                    ServiceError::conflict("slug", "a tenant with this slug already exists")
                }
                "teams_tenant_name_key" => {
                    ServiceError::conflict("name", "a team with this name already exists")
                }
                switchboard_store::canned_responses::SHORTCUT_TAKEN => ServiceError::conflict(
                    "shortcut",
                    "a canned response with this shortcut already exists here",
                ),
                "operators_email_key" => {
                    ServiceError::conflict("email", "an operator with this email already exists")
                }
                other => ServiceError::conflict(other, "already exists"),
            },
            StoreError::Db(e) => e.into(),
        }
    }
}

/// Redis not answering (down, restarting, too slow) is worth a retry; an answer the code did
/// not expect is a bug.
impl From<switchboard_realtime::RealtimeError> for ServiceError {
    fn from(err: switchboard_realtime::RealtimeError) -> Self {
        match err {
            switchboard_realtime::RealtimeError::Redis(_) => {
                ServiceError::Unavailable(Box::new(err))
            }
            switchboard_realtime::RealtimeError::Protocol(_) => ServiceError::internal(err),
        }
    }
}

/// No connection to the database (down, restarting, every connection busy past the wait, a
/// connection cut in the middle of a query, the server shutting down or starting up) is worth
/// a retry; any other database error is a bug.
impl From<sea_orm::DbErr> for ServiceError {
    fn from(err: sea_orm::DbErr) -> Self {
        if database_away(&err) {
            ServiceError::Unavailable(Box::new(err))
        } else {
            ServiceError::internal(err)
        }
    }
}

fn database_away(err: &sea_orm::DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    use sea_orm::{DbErr, RuntimeErr};
    let sqlx = match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => return true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => e,
        _ => return false,
    };
    match sqlx.as_ref() {
        Sqlx::Io(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed => true,
        // SQLSTATE class 08 (connection exception) and 57P (the server shutting down,
        // crashed, or not yet accepting connections).
        Sqlx::Database(db) => db
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
        _ => false,
    }
}
