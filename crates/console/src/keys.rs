//! `/console/api-keys` (create, with the key shown once; revoke) and `/console/audit-log`
//! (what admins did, newest first).

use askama::Template;
use poem::web::{Data, Path, Query};
use poem::{Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_core::ApiKeyId;
use switchboard_core::page::PageRequest;
use switchboard_service::Service;
use uuid::Uuid;

use crate::forms::FormErrors;
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::{self, Layout, see_other};
use crate::session::Ctx;
use crate::shared::{PageQuery, error_page, layout, not_found, parse_id, when};

pub fn key_routes() -> Route {
    Route::new()
        .at("/", get(keys_page).post(create_key))
        .at("/:id/revoke", post(revoke_key))
}

pub fn audit_routes() -> Route {
    Route::new().at("/", get(audit_page))
}

struct KeyRow {
    id: Uuid,
    name: String,
    prefix: String,
    created: String,
    last_used: String,
    revoked: bool,
    /// The key's scopes, and when it expires ("never").
    access: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "api_keys.html")]
struct KeysPage {
    layout: Layout,
    keys: Vec<KeyRow>,
    next_cursor: Option<String>,
    errors: FormErrors,
    name: String,
    /// A key just created: shown this once.
    secret: Option<String>,
}

async fn keys_view(
    svc: &Service,
    ctx: &Ctx,
    page: PageRequest,
    errors: FormErrors,
    name: String,
    secret: Option<String>,
    notice_text: Option<String>,
) -> Response {
    let list = match svc.list_api_keys(&ctx.principal, page).await {
        Ok(l) => l,
        Err(e) => return error_page(ctx, e),
    };
    let status = crate::pages::form_status(errors.is_empty());
    let mut l = layout(ctx, "API keys", "api-keys");
    l.notice = notice_text;
    pages::render(
        &KeysPage {
            layout: l,
            keys: list
                .items
                .into_iter()
                .map(|k| KeyRow {
                    id: k.id,
                    name: k.name,
                    prefix: k.prefix,
                    created: when(ctx, k.created_at),
                    last_used: k
                        .last_used_at
                        .map(|t| when(ctx, t))
                        .unwrap_or_else(|| "never".into()),
                    access: k
                        .scopes
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    expires: k
                        .expires_at
                        .map(|t| when(ctx, t))
                        .unwrap_or_else(|| "never".into()),
                    revoked: k.revoked_at.is_some(),
                })
                .collect(),
            next_cursor: list.next_cursor.map(|c| c.to_string()),
            errors,
            name,
            secret,
        },
        status,
    )
}

#[handler]
async fn keys_page(
    Query(q): Query<PageQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    let errors = FormErrors::default();
    keys_view(
        &svc,
        &ctx,
        q.page(),
        errors,
        String::new(),
        None,
        q.notice(&ctx),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct KeyForm {
    name: String,
    /// `read`, `write` or `admin` (absent: admin).
    access: Option<String>,
    /// Days until it expires; empty or absent: never.
    expires_days: Option<String>,
}

#[handler]
async fn create_key(
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<KeyForm>,
    svc: Data<&Service>,
) -> Response {
    let scopes = form.access.clone().map(|a| vec![a]);
    let expires_at = form
        .expires_days
        .as_deref()
        .and_then(|d| d.trim().parse::<i64>().ok())
        .map(|days| chrono::Utc::now() + chrono::Duration::days(days));
    match svc
        .create_api_key(&ctx.principal, &form.name, scopes.as_deref(), expires_at)
        .await
    {
        // The key is shown once, on this page: no redirect.
        Ok(created) => {
            keys_view(
                &svc,
                &ctx,
                PageRequest::first(),
                FormErrors::default(),
                String::new(),
                Some(created.secret),
                Some("API key created. Copy it now: it will not be shown again.".into()),
            )
            .await
        }
        Err(e) => {
            keys_view(
                &svc,
                &ctx,
                PageRequest::first(),
                FormErrors::from_service(e, ctx.tx()),
                form.name,
                None,
                None,
            )
            .await
        }
    }
}

#[handler]
async fn revoke_key(
    Path(id): Path<String>,
    AdminSession(ctx): AdminSession,
    _: CsrfForm,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return not_found(&ctx);
    };
    match svc
        .revoke_api_key(&ctx.principal, ApiKeyId::from_uuid(id))
        .await
    {
        Ok(()) => see_other("/console/api-keys?notice=revoked-key"),
        Err(e) => error_page(&ctx, e),
    }
}

struct AuditRow {
    at: String,
    actor: String,
    action: String,
    target: String,
    details: String,
}

#[derive(Template)]
#[template(path = "audit_log.html")]
struct AuditPage {
    layout: Layout,
    rows: Vec<AuditRow>,
    next_cursor: Option<String>,
}

#[handler]
async fn audit_page(
    Query(q): Query<PageQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    let log = match svc.audit_log(&ctx.principal, q.page()).await {
        Ok(l) => l,
        Err(e) => return error_page(&ctx, e),
    };
    pages::ok(&AuditPage {
        layout: layout(&ctx, "Audit log", "audit"),
        rows: log
            .items
            .into_iter()
            .map(|e| AuditRow {
                at: when(&ctx, e.created_at),
                actor: e.actor_label,
                action: e.action,
                target: match e.target_id {
                    Some(id) => format!("{} {id}", e.target_kind),
                    None => e.target_kind,
                },
                details: match &e.details {
                    serde_json::Value::Object(m) if m.is_empty() => String::new(),
                    serde_json::Value::Null => String::new(),
                    d => d.to_string(),
                },
            })
            .collect(),
        next_cursor: log.next_cursor.map(|c| c.to_string()),
    })
}
