//! `/console/canned-responses`: prepared answers agents insert in the inbox with `/` and a
//! shortcut. Admins manage the team's (every agent sees them); anyone keeps their own.

use askama::Template;
use poem::web::{Data, Path, Query};
use poem::{Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_core::canned::{Scope, VARIABLES};
use switchboard_service::Service;
use switchboard_service::canned::{CannedChange, CannedResponse};

use crate::confirm_step::{self, Ask, confirmed};
use crate::forms::FormErrors;
use crate::guard::{AgentSession, CsrfForm};
use crate::pages::{self, Layout, see_other};
use crate::session::Ctx;
use crate::shared::{PageQuery, error_page, layout, parse_id};

pub(crate) fn add_routes(routes: Route) -> Route {
    routes
        .at("/canned-responses", get(page).post(create))
        .at("/canned-responses/:id", post(update))
        .at("/canned-responses/:id/delete", post(delete))
}

#[derive(Template)]
#[template(path = "canned.html")]
struct CannedPage {
    layout: Layout,
    admin: bool,
    team: Vec<CannedResponse>,
    mine: Vec<CannedResponse>,
    variables: Vec<String>,
    errors: FormErrors,
    form: CannedForm,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct CannedForm {
    shortcut: String,
    text: String,
    scope: String,
    /// `yes` once a deletion is confirmed.
    confirm: Option<String>,
}

async fn view(
    svc: &Service,
    ctx: &Ctx,
    errors: FormErrors,
    form: CannedForm,
    notice: Option<String>,
) -> Response {
    let all = match svc.list_canned_responses(&ctx.principal, None).await {
        Ok(l) => l,
        Err(e) => return error_page(ctx, e),
    };
    let admin = ctx.principal.admin_tenant().is_ok();
    let (team, mine): (Vec<_>, Vec<_>) = all.into_iter().partition(|c| c.scope == Scope::Tenant);
    let mut l = layout(ctx, &ctx.tx().t("nav-canned"), "canned");
    if !admin {
        l.nav = "inbox";
    }
    l.notice = notice;
    let status = pages::form_status(errors.is_empty());
    pages::render(
        &CannedPage {
            layout: l,
            admin,
            team,
            mine,
            variables: VARIABLES.iter().map(|v| format!("{{{v}}}")).collect(),
            errors,
            form,
        },
        status,
    )
}

#[handler]
async fn page(
    Query(q): Query<PageQuery>,
    AgentSession(ctx): AgentSession,
    svc: Data<&Service>,
) -> Response {
    let form = CannedForm {
        scope: "personal".into(),
        ..Default::default()
    };
    view(&svc, &ctx, FormErrors::default(), form, q.notice(&ctx)).await
}

#[handler]
async fn create(
    AgentSession(ctx): AgentSession,
    CsrfForm(form): CsrfForm<CannedForm>,
    svc: Data<&Service>,
) -> Response {
    let scope = match form.scope.parse::<Scope>() {
        Ok(s) => s,
        Err(e) => {
            let errors = FormErrors::from_service(e.into(), ctx.tx());
            return view(&svc, &ctx, errors, form, None).await;
        }
    };
    match svc
        .create_canned_response(&ctx.principal, &form.shortcut, &form.text, scope)
        .await
    {
        Ok(_) => see_other("/console/canned-responses?notice=canned-created"),
        Err(e) => {
            view(
                &svc,
                &ctx,
                FormErrors::from_service(e, ctx.tx()),
                form,
                None,
            )
            .await
        }
    }
}

#[handler]
async fn update(
    Path(id): Path<String>,
    AgentSession(ctx): AgentSession,
    CsrfForm(form): CsrfForm<CannedForm>,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return see_other("/console/canned-responses");
    };
    let change = CannedChange {
        shortcut: Some(form.shortcut.clone()),
        text: Some(form.text.clone()),
    };
    match svc.update_canned_response(&ctx.principal, id, change).await {
        Ok(_) => see_other("/console/canned-responses?notice=canned-saved"),
        Err(e) => {
            let blank = CannedForm {
                scope: "personal".into(),
                ..Default::default()
            };
            view(
                &svc,
                &ctx,
                FormErrors::from_service(e, ctx.tx()),
                blank,
                None,
            )
            .await
        }
    }
}

/// Deleting is asked first.
#[handler]
async fn delete(
    Path(id): Path<String>,
    AgentSession(ctx): AgentSession,
    CsrfForm(form): CsrfForm<CannedForm>,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return see_other("/console/canned-responses");
    };
    if !confirmed(form.confirm.as_deref()) {
        let shortcut = match svc.list_canned_responses(&ctx.principal, None).await {
            Ok(all) => all.into_iter().find(|c| c.id == id).map(|c| c.shortcut),
            Err(e) => return error_page(&ctx, e),
        };
        if let Some(shortcut) = shortcut {
            let tx = ctx.tx();
            return confirm_step::ask(
                &ctx,
                "canned",
                Ask {
                    question: tx.t1("canned-delete-question", "shortcut", &shortcut),
                    detail: tx.t("canned-delete-detail"),
                    button: tx.t("canned-delete-button"),
                    action: format!("/console/canned-responses/{id}/delete"),
                    fields: Vec::new(),
                    back: "/console/canned-responses".into(),
                },
            );
        }
    }
    match svc.delete_canned_response(&ctx.principal, id).await {
        Ok(()) => see_other("/console/canned-responses?notice=canned-deleted"),
        Err(e) => {
            let blank = CannedForm {
                scope: "personal".into(),
                ..Default::default()
            };
            view(
                &svc,
                &ctx,
                FormErrors::from_service(e, ctx.tx()),
                blank,
                None,
            )
            .await
        }
    }
}
