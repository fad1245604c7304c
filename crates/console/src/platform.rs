//! `/platform`: the operator's console — tenants, plans, limits, engagements used.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query};
use poem::{Request, Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_core::TenantId;
use switchboard_core::page::PageRequest;
use switchboard_service::tenants::{NewTenantInput, PlanChange};
use switchboard_service::{Principal, Service, ServiceError};
use uuid::Uuid;

use crate::forms::FormErrors;
use crate::pages::{self, Layout, csrf_refused, invalid, notice, see_other};
use crate::session::{self, Ctx};
use crate::tenant::{CsrfForm, LoginForm, LoginPage, do_login, do_logout};

pub fn routes() -> Route {
    Route::new()
        .at("/", get(tenants_page))
        .at("/login", get(login_page).post(login))
        .at("/logout", post(logout))
        .at("/tenants", post(create_tenant))
        .at("/tenants/:id", post(update_tenant))
}

async fn operator(req: &Request, svc: &Service) -> Result<Ctx, Response> {
    match session::load(req, svc).await {
        Some(ctx) if matches!(ctx.principal, Principal::Operator { .. }) => Ok(ctx),
        _ => Err(see_other("/platform/login")),
    }
}

/// The session of a changing form: signed in as expected, and the form's CSRF token is the
/// session's. Otherwise the response to give instead (nothing is changed).
async fn operator_form(
    req: &Request,
    svc: &Service,
    csrf: &str,
    back: &str,
) -> Result<Ctx, Response> {
    let ctx = operator(req, svc).await?;
    if !ctx.csrf_ok(csrf) {
        return Err(csrf_refused(back));
    }
    Ok(ctx)
}

fn layout(ctx: &Ctx, notice_text: Option<String>) -> Layout {
    Layout {
        title: "Tenants".into(),
        nav: "platform",
        section: "tenants",
        csrf: ctx.csrf.clone(),
        who: ctx.email().to_owned(),
        notice: notice_text,
    }
}

fn login_view(form: &LoginForm, error: String) -> LoginPage {
    LoginPage {
        layout: Layout {
            title: "Platform login".into(),
            nav: "none",
            section: "",
            csrf: String::new(),
            who: String::new(),
            notice: None,
        },
        heading: "Platform operator login",
        action: "/platform/login",
        with_tenant: false,
        tenant: String::new(),
        email: form.email.clone(),
        error,
    }
}

#[handler]
fn login_page() -> Response {
    pages::ok(&login_view(&LoginForm::default(), String::new()))
}

#[handler]
async fn login(svc: Data<&Service>, Form(form): Form<LoginForm>) -> Response {
    match do_login(&svc, None, &form, "/platform").await {
        Ok(resp) => resp,
        Err(error) => invalid(&login_view(&form, error)),
    }
}

#[handler]
async fn logout(req: &Request, svc: Data<&Service>, Form(form): Form<CsrfForm>) -> Response {
    do_logout(req, &svc, &form.csrf, "/platform/login").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TenantForm {
    csrf: String,
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
    tenants: Vec<switchboard_service::views::Tenant>,
    next_cursor: Option<String>,
    errors: FormErrors,
    /// (name, label, input type, value) of the new-tenant form.
    fields: Vec<(&'static str, &'static str, &'static str, String)>,
    plan: String,
}

#[derive(Deserialize, Default)]
struct PageQuery {
    cursor: Option<String>,
    notice: Option<String>,
}

async fn tenants_view(
    svc: &Service,
    ctx: &Ctx,
    cursor: Option<&str>,
    form: TenantForm,
    errors: FormErrors,
    notice_text: Option<String>,
) -> Response {
    let page = PageRequest::parse(None, cursor).unwrap_or_else(|_| PageRequest::first());
    let list = match svc.list_tenants(&ctx.principal, page).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, "listing tenants");
            return pages::render(
                &pages::MessagePage {
                    layout: layout(ctx, None),
                    heading: "That did not work".into(),
                    message: "Something went wrong on our side; it has been logged.".into(),
                    back: "/platform".into(),
                },
                StatusCode::INTERNAL_SERVER_ERROR,
            );
        }
    };
    let status = crate::pages::form_status(errors.is_empty());
    pages::render(
        &TenantsPage {
            layout: layout(ctx, notice_text),
            tenants: list.items,
            next_cursor: list.next_cursor.map(|c| c.to_string()),
            errors,
            fields: vec![
                ("name", "Company name", "text", form.name),
                ("slug", "Slug (used at login)", "text", form.slug),
                (
                    "engagement_limit",
                    "Engagement limit (empty: 100 on select, unlimited on prime)",
                    "text",
                    form.engagement_limit,
                ),
                (
                    "admin.email",
                    "First admin's email",
                    "email",
                    form.admin_email,
                ),
                (
                    "admin.display_name",
                    "First admin's name",
                    "text",
                    form.admin_display_name,
                ),
                (
                    "admin.password",
                    "First admin's password",
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
async fn tenants_page(req: &Request, svc: Data<&Service>, Query(q): Query<PageQuery>) -> Response {
    match operator(req, &svc).await {
        Ok(ctx) => {
            tenants_view(
                &svc,
                &ctx,
                q.cursor.as_deref(),
                TenantForm::default(),
                FormErrors::default(),
                notice(q.notice.as_deref()),
            )
            .await
        }
        Err(r) => r,
    }
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

#[handler]
async fn create_tenant(
    req: &Request,
    svc: Data<&Service>,
    Form(form): Form<TenantForm>,
) -> Response {
    let ctx = match operator_form(req, &svc, &form.csrf, "/platform").await {
        Ok(c) => c,
        Err(r) => return r,
    };
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
        Ok(_) => see_other("/platform?notice=created"),
        Err(e) => tenants_view(&svc, &ctx, None, form, FormErrors::from_service(e), None).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PlanForm {
    csrf: String,
    plan: String,
    engagement_limit: String,
}

#[handler]
async fn update_tenant(
    req: &Request,
    svc: Data<&Service>,
    Path(id): Path<String>,
    Form(form): Form<PlanForm>,
) -> Response {
    let ctx = match operator_form(req, &svc, &form.csrf, "/platform").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Ok(id) = id.parse::<Uuid>() else {
        return tenants_view(
            &svc,
            &ctx,
            None,
            TenantForm::default(),
            FormErrors::general("That tenant no longer exists."),
            None,
        )
        .await;
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
        Ok(_) => see_other("/platform?notice=saved"),
        Err(e) => {
            tenants_view(
                &svc,
                &ctx,
                None,
                TenantForm::default(),
                FormErrors::from_service(e),
                None,
            )
            .await
        }
    }
}
