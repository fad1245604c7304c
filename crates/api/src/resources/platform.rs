use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use switchboard_core::TenantId;
use switchboard_service::Service;
use switchboard_service::tenants::{NewTenantInput, PlanChange};
use uuid::Uuid;

use super::{ApiResult, ApiTags, Created, page};
use crate::auth::BearerAuth;
use crate::dto::{CreateTenantRequest, CreatedTenant, Tenant, TenantList, UpdateTenantRequest};
use crate::text::Keyword;

pub struct PlatformApi;

fn maybe(v: MaybeUndefined<i64>) -> Option<Option<i64>> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(n) => Some(Some(n)),
    }
}

#[OpenApi(tag = "ApiTags::Platform")]
impl PlatformApi {
    /// Create a tenant and its first admin (its owner).
    #[oai(
        path = "/platform/tenants",
        method = "post",
        operation_id = "create_tenant"
    )]
    async fn create(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(
            name = "Idempotency-Key",
            validator(min_length = 1, max_length = 255, pattern = r"^[!-~]([ -~]*[!-~])?$")
        )]
        _idempotency_key: Header<Option<String>>,
        body: Json<CreateTenantRequest>,
    ) -> ApiResult<Created<CreatedTenant>> {
        let b = body.0;
        let created = svc
            .create_tenant(
                &auth.0,
                NewTenantInput {
                    name: b.name.as_str(),
                    slug: b.slug.as_str(),
                    plan: b.plan.as_str(),
                    engagement_limit: maybe(b.engagement_limit),
                    admin_email: b.admin.email.as_str(),
                    admin_display_name: b.admin.display_name.as_str(),
                    admin_password: b.admin.password.as_str(),
                },
            )
            .await?;
        Ok(Created::Created(poem_openapi::payload::Json(
            CreatedTenant {
                tenant: created.tenant.into(),
                admin: switchboard_service::users::UserView {
                    user: created.admin,
                    has_avatar: false,
                }
                .into(),
            },
        )))
    }

    /// List tenants.
    #[oai(
        path = "/platform/tenants",
        method = "get",
        operation_id = "list_tenants"
    )]
    async fn list(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u64>>,
        #[oai(validator(
            pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        ))]
        cursor: Query<Option<String>>,
    ) -> ApiResult<Json<TenantList>> {
        let page = page(limit.0, cursor.0)?;
        Ok(Json(svc.list_tenants(&auth.0, page).await?.into()))
    }

    /// Get a tenant.
    #[oai(
        path = "/platform/tenants/:id",
        method = "get",
        operation_id = "get_tenant"
    )]
    async fn get(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Tenant>> {
        Ok(Json(
            svc.get_tenant(&auth.0, TenantId::from_uuid(id.0))
                .await?
                .into(),
        ))
    }

    /// Change a tenant's plan or engagement limit (the upgrade path).
    ///
    /// `engagement_limit: null` removes the limit.
    #[oai(
        path = "/platform/tenants/:id",
        method = "patch",
        operation_id = "update_tenant"
    )]
    async fn update(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<UpdateTenantRequest>,
    ) -> ApiResult<Json<Tenant>> {
        let b = body.0;
        let tenant = svc
            .change_plan(
                &auth.0,
                TenantId::from_uuid(id.0),
                PlanChange {
                    plan: b.plan.as_ref().map(Keyword::as_str),
                    engagement_limit: maybe(b.engagement_limit),
                },
            )
            .await?;
        Ok(Json(tenant.into()))
    }
}
