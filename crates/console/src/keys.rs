//! `/console/api-keys` (create, with the key shown once; revoke after confirming) and
//! `/console/audit-log` (what was done and by whom, newest first, filtered: [`audit`]).

mod audit;

use askama::Template;
use poem::web::{Data, Path, Query};
use poem::{Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_core::ApiKeyId;
use switchboard_core::page::PageRequest;
use switchboard_service::Service;
use uuid::Uuid;

use crate::confirm_step::{self, Ask, Confirmed};
use crate::forms::FormErrors;
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::{self, Layout, see_other};
use crate::session::Ctx;
use crate::shared::{
    Moment, PageQuery, error_page, everything, layout, moment, not_found, parse_id, when,
};

pub fn key_routes() -> Route {
    Route::new()
        .at("/", get(keys_page).post(create_key))
        .at("/:id/revoke", post(revoke_key))
}

pub fn audit_routes() -> Route {
    Route::new().at("/", get(audit::page))
}

struct KeyRow {
    id: Uuid,
    name: String,
    prefix: String,
    created: Moment,
    last_used: Option<Moment>,
    revoked: bool,
    /// The key's scopes in words, and when it expires (`None`: never).
    access: String,
    expires: Option<String>,
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
    let tx = ctx.tx();
    let status = crate::pages::form_status(errors.is_empty());
    let mut l = layout(ctx, &tx.t("api-keys-title"), "api-keys");
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
                    created: moment(ctx, k.created_at),
                    last_used: k.last_used_at.map(|t| moment(ctx, t)),
                    access: k
                        .scopes
                        .iter()
                        .map(|s| tx.t1("api-key-scope", "scope", s.as_str()))
                        .collect::<Vec<_>>()
                        .join(", "),
                    expires: k.expires_at.map(|t| when(ctx, t)),
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
                Some(ctx.tx().t("api-keys-created")),
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

/// Revokes the key once confirmed; without the confirmation, asks first.
#[handler]
async fn revoke_key(
    Path(id): Path<String>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<Confirmed>,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return not_found(&ctx);
    };
    if !form.yes() {
        // The key's name for the question: looked for page by page.
        let mut page = everything();
        let key = loop {
            let list = match svc.list_api_keys(&ctx.principal, page).await {
                Ok(l) => l,
                Err(e) => return error_page(&ctx, e),
            };
            let next = list.next_cursor;
            if let Some(k) = list.items.into_iter().find(|k| k.id == id) {
                break Some(k);
            }
            match next.and_then(|c| PageRequest::parse(Some(200), Some(&c.to_string())).ok()) {
                Some(p) => page = p,
                None => break None,
            }
        };
        let Some(key) = key.filter(|k| k.revoked_at.is_none()) else {
            return not_found(&ctx);
        };
        let tx = ctx.tx();
        let ask = Ask::for_good(
            &tx,
            tx.t("api-keys-revoke-confirm"),
            tx.t1("api-keys-revoke-question", "name", &key.name),
            format!("/console/api-keys/{id}/revoke"),
            "/console/api-keys",
        );
        return confirm_step::ask(&ctx, "api-keys", ask);
    }
    match svc
        .revoke_api_key(&ctx.principal, ApiKeyId::from_uuid(id))
        .await
    {
        Ok(()) => see_other("/console/api-keys?notice=revoked-key"),
        Err(e) => error_page(&ctx, e),
    }
}
