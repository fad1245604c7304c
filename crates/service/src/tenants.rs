//! Platform operations on tenants: create with a first admin, list, change plan and limit.

use serde_json::json;
use switchboard_core::TenantId;
use switchboard_core::page::{Page, PageRequest};
use switchboard_core::tenant::{self, Plan, Slug};
use switchboard_core::user::{EmailAddress, Password, Role, parse_display_name};
use switchboard_store::{audit, tenants, users};

use crate::auth::hash_password;
use crate::{Principal, Service, ServiceResult, random_token};

pub struct NewTenantInput<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub plan: &'a str,
    /// `None`: the default limit for the plan.
    pub engagement_limit: Option<Option<i64>>,
    pub admin_email: &'a str,
    pub admin_display_name: &'a str,
    pub admin_password: &'a str,
}

pub struct CreatedTenant {
    pub tenant: crate::views::Tenant,
    pub admin: crate::views::User,
}

/// A change of plan or limit; `engagement_limit: Some(None)` removes the limit.
#[derive(Default)]
pub struct PlanChange<'a> {
    pub plan: Option<&'a str>,
    pub engagement_limit: Option<Option<i64>>,
}

impl Service {
    pub async fn create_tenant(
        &self,
        who: &Principal,
        input: NewTenantInput<'_>,
    ) -> ServiceResult<CreatedTenant> {
        who.require_operator()?;
        let name = tenant::parse_tenant_name(input.name)?;
        let slug = Slug::parse(input.slug)?;
        let plan = Plan::parse("plan", input.plan)?;
        let engagement_limit = match input.engagement_limit {
            Some(limit) => tenant::parse_engagement_limit(limit)?,
            None => match plan {
                Plan::Select => Some(tenant::DEFAULT_ENGAGEMENT_LIMIT),
                Plan::Prime => None,
            },
        };
        let email = EmailAddress::parse(input.admin_email).map_err(|e| e.at("admin.email"))?;
        let display_name =
            parse_display_name(input.admin_display_name).map_err(|e| e.at("admin.display_name"))?;
        let password = Password::parse(input.admin_password).map_err(|e| e.at("admin.password"))?;
        let password_hash = hash_password(&password).await?;
        let widget_key = format!("wk_{}", random_token(18));

        let txn = switchboard_store::begin_write(self.db()).await?;
        let tenant = tenants::insert(
            &txn,
            tenants::NewTenant {
                slug: &slug,
                name: &name,
                plan,
                engagement_limit,
                widget_key: &widget_key,
            },
        )
        .await?;
        let admin = users::insert(
            &txn,
            tenant.tenant_id(),
            users::NewUser {
                email: email.as_str(),
                display_name: &display_name,
                role: Role::Owner,
                password_hash: Some(password_hash),
                invitation_token_hash: None,
                invitation_expires_at: None,
                live_chat_permission: false,
            },
        )
        .await?;
        audit::append(
            &txn,
            tenant.tenant_id(),
            &who.actor(),
            audit::Entry {
                action: "tenant.created",
                target_kind: "tenant",
                target_id: Some(tenant.id),
                details: json!({"slug": slug.as_str(), "plan": plan.as_str(), "engagement_limit": engagement_limit, "admin": email.as_str()}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(CreatedTenant {
            tenant: tenant.into(),
            admin: admin.into(),
        })
    }

    pub async fn list_tenants(
        &self,
        who: &Principal,
        page: PageRequest,
    ) -> ServiceResult<Page<crate::views::Tenant>> {
        who.require_operator()?;
        Ok(tenants::list(self.db(), page).await?.map(Into::into))
    }

    pub async fn get_tenant(
        &self,
        who: &Principal,
        id: TenantId,
    ) -> ServiceResult<crate::views::Tenant> {
        who.require_operator()?;
        Ok(tenants::find(self.db(), id).await?.into())
    }

    /// The upgrade path: the operator changes a tenant's plan and/or engagement limit.
    pub async fn change_plan(
        &self,
        who: &Principal,
        id: TenantId,
        change: PlanChange<'_>,
    ) -> ServiceResult<crate::views::Tenant> {
        who.require_operator()?;
        let plan = change.plan.map(|p| Plan::parse("plan", p)).transpose()?;
        let limit = change
            .engagement_limit
            .map(tenant::parse_engagement_limit)
            .transpose()?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let before = tenants::find(&txn, id).await?;
        let after = tenants::update_plan(&txn, id, plan, limit).await?;
        audit::append(
            &txn,
            id,
            &who.actor(),
            audit::Entry {
                action: "plan.changed",
                target_kind: "tenant",
                target_id: Some(id.as_uuid()),
                details: json!({
                    "plan": {"from": before.plan, "to": after.plan},
                    "engagement_limit": {"from": before.engagement_limit, "to": after.engagement_limit},
                }),
            },
        )
        .await?;
        txn.commit().await?;
        self.config_changed(id).await;
        Ok(after.into())
    }
}
