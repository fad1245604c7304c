//! `/platform`: the operator's console — tenants, plans, limits, engagements used.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_core::TenantId;
use switchboard_core::page::PageRequest;
use switchboard_service::tenants::{NewTenantInput, PlanChange};
use switchboard_service::{Service, ServiceError};

use crate::forms::FormErrors;
use crate::guard::{CsrfForm, OperatorSession};
use crate::pages::{self, Layout, see_other};
use crate::session::Ctx;
use crate::shared::{PageQuery, parse_id};

/// The tenants page and its forms; login and logout are added beside them.
pub(crate) fn add_routes(routes: Route) -> Route {
    routes
        .at("/", get(tenants_page))
        .at("/tenants", post(create_tenant))
        .at("/tenants/:id", post(update_tenant))
}

fn layout(ctx: &Ctx, notice_text: Option<String>) -> Layout {
    Layout {
        title: ctx.tx().t("platform-title"),
        nav: "platform",
        section: "tenants",
        csrf: ctx.csrf.clone(),
        who: ctx.email().to_owned(),
        notice: notice_text,
        tx: ctx.tx(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TenantForm {
    name: String,
    slug: String,
    plan: String,
    engagement_limit: String,
    #[serde(rename = "admin.email")]
    admin_email: String,
    #[serde(rename = "admin.display_name")]
    admin_display_name: String,
    #[serde(rename = "admin.password")]
    admin_password: String,
}

#[derive(Template)]
#[template(path = "platform_tenants.html")]
struct TenantsPage {
    layout: Layout,
    /// Each tenant, with its engagements used (of its limit) in words.
    tenants: Vec<(switchboard_service::views::Tenant, String)>,
    next_cursor: Option<String>,
    errors: FormErrors,
    /// (name, label, input type, value) of the new-tenant form.
    fields: Vec<(&'static str, String, &'static str, String)>,
    plan: String,
}

async fn tenants_view(
    svc: &Service,
    ctx: &Ctx,
    page: PageRequest,
    form: TenantForm,
    errors: FormErrors,
    notice_text: Option<String>,
) -> Response {
    let list = match svc.list_tenants(&ctx.principal, page).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, "listing tenants");
            return pages::render(
                &pages::MessagePage {
                    layout: layout(ctx, None),
                    heading: ctx.tx().t("error-heading"),
                    message: ctx.tx().t("form-internal"),
                    back: "/platform".into(),
                },
                StatusCode::INTERNAL_SERVER_ERROR,
            );
        }
    };
    let tx = ctx.tx();
    let status = crate::pages::form_status(errors.is_empty());
    pages::render(
        &TenantsPage {
            layout: layout(ctx, notice_text),
            tenants: list
                .items
                .into_iter()
                .map(|t| {
                    let used = match t.engagement_limit {
                        Some(limit) => tx.t2(
                            "platform-used-of",
                            "used",
                            t.engagements_used,
                            "limit",
                            limit,
                        ),
                        None => tx.t1("platform-used-unlimited", "used", t.engagements_used),
                    };
                    (t, used)
                })
                .collect(),
            next_cursor: list.next_cursor.map(|c| c.to_string()),
            errors,
            fields: vec![
                ("name", tx.t("platform-name"), "text", form.name),
                ("slug", tx.t("platform-slug"), "text", form.slug),
                (
                    "engagement_limit",
                    tx.t("platform-limit"),
                    "text",
                    form.engagement_limit,
                ),
                (
                    "admin.email",
                    tx.t("platform-admin-email"),
                    "email",
                    form.admin_email,
                ),
                (
                    "admin.display_name",
                    tx.t("platform-admin-name"),
                    "text",
                    form.admin_display_name,
                ),
                (
                    "admin.password",
                    tx.t("platform-admin-password"),
                    "password",
                    String::new(),
                ),
            ],
            plan: if form.plan.is_empty() {
                "select".into()
            } else {
                form.plan
            },
        },
        status,
    )
}

#[handler]
async fn tenants_page(
    Query(q): Query<PageQuery>,
    OperatorSession(ctx): OperatorSession,
    svc: Data<&Service>,
) -> Response {
    let (form, errors) = (TenantForm::default(), FormErrors::default());
    tenants_view(&svc, &ctx, q.page(), form, errors, q.notice(&ctx)).await
}

/// An empty limit field means "not given"; anything else must be a whole number.
fn limit_field(raw: &str) -> Result<Option<i64>, ServiceError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<i64>().map(Some).map_err(|_| {
        switchboard_core::ValidationError::new(
            "engagement_limit",
            "must be a whole number, or empty",
        )
        .into()
    })
}

/// The form's errors, the limit's own check said in the reader's language.
fn form_errors(ctx: &Ctx, err: ServiceError) -> FormErrors {
    let limit = matches!(&err, ServiceError::Validation(v)
        if v.field == "engagement_limit" && v.message == "must be a whole number, or empty");
    let mut errors = FormErrors::from_service(err, ctx.tx());
    if limit {
        errors.add("engagement_limit", ctx.tx().t("platform-limit-invalid"));
    }
    errors
}

#[handler]
async fn create_tenant(
    OperatorSession(ctx): OperatorSession,
    CsrfForm(form): CsrfForm<TenantForm>,
    svc: Data<&Service>,
) -> Response {
    let result = match limit_field(&form.engagement_limit) {
        Ok(limit) => {
            svc.create_tenant(
                &ctx.principal,
                NewTenantInput {
                    name: &form.name,
                    slug: &form.slug,
                    plan: &form.plan,
                    engagement_limit: limit.map(Some),
                    admin_email: &form.admin_email,
                    admin_display_name: &form.admin_display_name,
                    admin_password: &form.admin_password,
                },
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see_other("/platform?notice=tenant-created"),
        Err(e) => {
            let errors = form_errors(&ctx, e);
            tenants_view(&svc, &ctx, PageRequest::first(), form, errors, None).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PlanForm {
    plan: String,
    engagement_limit: String,
}

#[handler]
async fn update_tenant(
    Path(id): Path<String>,
    OperatorSession(ctx): OperatorSession,
    CsrfForm(form): CsrfForm<PlanForm>,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        let errors = FormErrors::general(ctx.tx().t("form-gone"));
        return refused(&svc, &ctx, errors).await;
    };
    let result = match limit_field(&form.engagement_limit) {
        // On this form an empty limit means "unlimited": the field shows the current limit.
        Ok(limit) => {
            svc.change_plan(
                &ctx.principal,
                TenantId::from_uuid(id),
                PlanChange {
                    plan: Some(form.plan.as_str()),
                    engagement_limit: Some(limit),
                },
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see_other("/platform?notice=plan-saved"),
        // The row's form has no place for a field's message: it goes above the table.
        Err(e) => {
            let errors = form_errors(&ctx, e);
            let field = [errors.of("engagement_limit"), errors.of("plan")]
                .into_iter()
                .find(|m| !m.is_empty())
                .map(str::to_owned);
            let general = field.or(errors.general).unwrap_or_default();
            refused(&svc, &ctx, FormErrors::general(general)).await
        }
    }
}

/// The tenants page after a refused plan change, with an empty new-tenant form.
async fn refused(svc: &Service, ctx: &Ctx, errors: FormErrors) -> Response {
    tenants_view(
        svc,
        ctx,
        PageRequest::first(),
        TenantForm::default(),
        errors,
        None,
    )
    .await
}
