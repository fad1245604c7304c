//! Workspaces as the platform operator manages them.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use poem_openapi::types::MaybeUndefined;
use switchboard_core::page::Page;
use switchboard_service::views;
use uuid::Uuid;

use super::*;
use crate::text::{Checked, Keyword, NewPassword, NonBlank, Plans, Text};

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct NewAdmin {
    pub email: Text,
    pub display_name: NonBlank<100>,
    pub password: Checked<NewPassword>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CreateTenantRequest {
    pub name: NonBlank<200>,
    /// 2–63 lowercase letters, digits and hyphens; what users name at login.
    pub slug: Text,
    /// `select` or `prime`.
    pub plan: Keyword<Plans>,
    /// Lifetime engagement limit; `null` is unlimited; absent: 100 on `select`, unlimited on `prime`.
    pub engagement_limit: MaybeUndefined<i64>,
    /// The tenant's first user, created as its owner.
    pub admin: NewAdmin,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct UpdateTenantRequest {
    /// `select` or `prime`.
    pub plan: Option<Keyword<Plans>>,
    /// A new limit; `null` removes the limit (unlimited); absent leaves it as it is.
    pub engagement_limit: MaybeUndefined<i64>,
}

#[derive(Debug, Object)]
pub struct Tenant {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub plan: String,
    /// `null`: unlimited.
    pub engagement_limit: Option<i64>,
    pub engagements_used: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<views::Tenant> for Tenant {
    fn from(t: views::Tenant) -> Self {
        Self {
            id: t.id,
            name: t.name,
            slug: t.slug,
            plan: t.plan,
            engagement_limit: t.engagement_limit,
            engagements_used: t.engagements_used,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

/// A new tenant and its first admin.
#[derive(Debug, Object)]
pub struct CreatedTenant {
    #[oai(flatten)]
    pub tenant: Tenant,
    pub admin: User,
}

#[derive(Debug, Object)]
pub struct TenantSummary {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub plan: String,
}

list_type!(
    /// A page of tenants.
    TenantList,
    Tenant
);
