//! Who is calling, as established from a verified token, key or session. The tenant a request
//! acts on comes only from here, never from a path or a body.

use switchboard_core::user::Role;
use switchboard_core::{ApiKeyId, OperatorId, TenantId, UserId};
use switchboard_store::audit::Actor;

use crate::{ServiceError, ServiceResult};

#[derive(Debug, Clone)]
pub enum Principal {
    /// The platform operator: cross-tenant, but only through the platform operations.
    Operator { id: OperatorId, email: String },
    /// A user of a tenant; `role` is read from the database on every request, so a demotion
    /// takes effect at once.
    User {
        tenant: TenantId,
        id: UserId,
        role: Role,
        email: String,
    },
    /// A tenant API key: acts as an admin (never as an owner).
    ApiKey {
        tenant: TenantId,
        id: ApiKeyId,
        label: String,
        /// What the key may do (checked per call by the API).
        scopes: Vec<switchboard_core::scope::ApiScope>,
    },
}

impl Principal {
    /// The tenant this principal belongs to; operators have none.
    pub fn tenant(&self) -> Option<TenantId> {
        match self {
            Principal::Operator { .. } => None,
            Principal::User { tenant, .. } | Principal::ApiKey { tenant, .. } => Some(*tenant),
        }
    }

    /// The tenant, for an operation any member of a tenant may do.
    pub fn member_tenant(&self) -> ServiceResult<TenantId> {
        self.tenant().ok_or(ServiceError::Forbidden(
            "this operation is for users of a tenant",
        ))
    }

    /// The tenant, for an operation reserved to its owners and admins (and API keys).
    pub fn admin_tenant(&self) -> ServiceResult<TenantId> {
        match self {
            Principal::User { tenant, role, .. } if role.is_admin() => Ok(*tenant),
            Principal::ApiKey { tenant, .. } => Ok(*tenant),
            Principal::User { .. } => Err(ServiceError::Forbidden(
                "this operation is reserved to the tenant's admins",
            )),
            Principal::Operator { .. } => Err(ServiceError::Forbidden(
                "this operation is for users of a tenant",
            )),
        }
    }

    pub fn require_operator(&self) -> ServiceResult<OperatorId> {
        match self {
            Principal::Operator { id, .. } => Ok(*id),
            _ => Err(ServiceError::Forbidden(
                "this operation is reserved to the platform operator",
            )),
        }
    }

    pub fn is_owner(&self) -> bool {
        matches!(
            self,
            Principal::User {
                role: Role::Owner,
                ..
            }
        )
    }

    pub fn user_id(&self) -> Option<UserId> {
        match self {
            Principal::User { id, .. } => Some(*id),
            _ => None,
        }
    }

    /// How this principal appears in the audit log.
    pub fn actor(&self) -> Actor {
        match self {
            Principal::Operator { id, email } => Actor {
                kind: "operator",
                id: Some(id.as_uuid()),
                label: email.clone(),
            },
            Principal::User { id, email, .. } => Actor {
                kind: "user",
                id: Some(id.as_uuid()),
                label: email.clone(),
            },
            Principal::ApiKey { id, label, .. } => Actor {
                kind: "api_key",
                id: Some(id.as_uuid()),
                label: label.clone(),
            },
        }
    }
}
