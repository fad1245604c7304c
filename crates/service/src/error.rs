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
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
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
                "operators_email_key" => {
                    ServiceError::conflict("email", "an operator with this email already exists")
                }
                other => ServiceError::conflict(other, "already exists"),
            },
            StoreError::Db(e) => ServiceError::internal(e),
        }
    }
}

impl From<switchboard_realtime::RealtimeError> for ServiceError {
    fn from(err: switchboard_realtime::RealtimeError) -> Self {
        ServiceError::internal(err)
    }
}

impl From<sea_orm::DbErr> for ServiceError {
    fn from(err: sea_orm::DbErr) -> Self {
        ServiceError::internal(err)
    }
}
