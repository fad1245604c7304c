//! `/console/privacy`: an admin finds a visitor by email, downloads what is stored about
//! them (JSON), or erases it after confirming. Both are audited by the service.

use askama::Template;
use poem::web::{Data, Query};
use poem::{IntoResponse, Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_service::{Service, ServiceError};

use crate::forms::FormErrors;
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::{self, Layout};
use crate::session::Ctx;
use crate::shared::{Moment, layout, moment};

pub fn routes() -> Route {
    Route::new()
        .at("/", get(page))
        .at("/export", get(export))
        .at("/erase", post(erase))
}

/// A conversation found: when it started, its status, how many messages.
struct Found {
    started: Moment,
    status: String,
    messages: usize,
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    layout: Layout,
    email: String,
    /// After a search: what was found.
    found: Option<Vec<Found>>,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EmailQuery {
    email: String,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EraseForm {
    email: String,
    confirm: Option<String>,
}

fn render(
    ctx: &Ctx,
    email: String,
    found: Option<Vec<Found>>,
    errors: FormErrors,
    notice: Option<String>,
) -> Response {
    let status = pages::form_status(errors.is_empty());
    let mut l = layout(ctx, &ctx.tx().t("privacy-title"), "privacy");
    l.notice = notice;
    pages::render(
        &PrivacyPage {
            layout: l,
            email,
            found,
            errors,
        },
        status,
    )
}

/// What is stored about the visitor of `email`, as rows to show.
async fn search(svc: &Service, ctx: &Ctx, email: &str) -> Result<Vec<Found>, ServiceError> {
    Ok(svc
        .export_visitor(&ctx.principal, email)
        .await?
        .conversations
        .iter()
        .map(|(c, messages)| Found {
            started: moment(ctx, c.created_at),
            status: ctx.tx().t1("privacy-status", "status", c.status.as_str()),
            messages: messages.len(),
        })
        .collect())
}

#[handler]
async fn page(
    Query(q): Query<EmailQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    let notice = pages::notice(q.notice.as_deref(), ctx.tx());
    if q.email.trim().is_empty() {
        return render(&ctx, String::new(), None, FormErrors::default(), notice);
    }
    match search(&svc, &ctx, &q.email).await {
        Ok(found) => render(&ctx, q.email, Some(found), FormErrors::default(), notice),
        Err(e) => render(
            &ctx,
            q.email,
            None,
            FormErrors::from_service(e, ctx.tx()),
            notice,
        ),
    }
}

/// The visitor's data as a JSON file.
#[handler]
async fn export(
    Query(q): Query<EmailQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    match svc.export_visitor(&ctx.principal, &q.email).await {
        Ok(e) => {
            let body = serde_json::to_string_pretty(&e.to_json()).unwrap_or_default();
            body.with_content_type("application/json; charset=utf-8")
                .with_header(
                    "Content-Disposition",
                    "attachment; filename=\"visitor-data.json\"",
                )
                .into_response()
        }
        Err(e) => render(
            &ctx,
            q.email,
            None,
            FormErrors::from_service(e, ctx.tx()),
            None,
        ),
    }
}

#[handler]
async fn erase(
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<EraseForm>,
    svc: Data<&Service>,
) -> Response {
    if !crate::confirm_step::confirmed(form.confirm.as_deref()) {
        let mut errors = FormErrors::default();
        errors.add("confirm", ctx.tx().t("privacy-confirm-needed"));
        let found = search(&svc, &ctx, &form.email).await.ok();
        return render(&ctx, form.email, found, errors, None);
    }
    match svc.erase_visitor(&ctx.principal, &form.email).await {
        Ok(n) => render(
            &ctx,
            String::new(),
            None,
            FormErrors::default(),
            Some(
                ctx.tx()
                    .t2("privacy-erased", "count", n, "email", form.email.trim()),
            ),
        ),
        Err(e) => render(
            &ctx,
            form.email,
            None,
            FormErrors::from_service(e, ctx.tx()),
            None,
        ),
    }
}
