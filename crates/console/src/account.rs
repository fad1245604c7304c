//! `/console/account` (and `/platform/account` for the operator): the signed-in person's own
//! account — two-factor sign-in (turn it on
//! with an authenticator app, see the recovery codes once, turn it off with a code).

use askama::Template;
use poem::web::{Data, Query};
use poem::{Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_service::Service;

use crate::forms::FormErrors;
use crate::guard::{AccountSession, CsrfForm};
use crate::pages::{self, Layout, see_other};
use crate::session::Ctx;
use crate::shared::{PageQuery, error_page, layout};

pub(crate) fn add_routes(routes: Route) -> Route {
    routes
        .at("/account", get(account_page))
        .at("/account/two-factor", post(start))
        .at("/account/two-factor/confirm", post(confirm))
        .at("/account/two-factor/disable", post(disable))
        .at("/account/sessions/:id/end", post(end_session))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    /// This page's address (the console's, or the platform console's for the operator).
    base: &'static str,
    /// The server requires two-factor sign-in of this account and it is not on yet.
    required: bool,
    email: String,
    enabled: bool,
    /// Enrolment under way: the secret and its `otpauth://` URI.
    enrolment: Option<(String, String)>,
    /// Just turned on: the recovery codes, shown once.
    recovery: Vec<String>,
    errors: FormErrors,
    /// The user's console sessions: (id, browser, address, since, this one).
    sessions: Vec<(String, String, String, String, bool)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CodeForm {
    code: String,
    /// The enrolment's secret and URI, carried to show them again beside an error.
    secret: String,
    uri: String,
}

struct View {
    enrolment: Option<(String, String)>,
    recovery: Vec<String>,
    errors: FormErrors,
    notice: Option<String>,
}

async fn view(svc: &Service, ctx: &Ctx, v: View) -> Response {
    let enabled = match svc.two_factor_enabled(&ctx.principal).await {
        Ok(e) => e,
        Err(e) => return error_page(ctx, e),
    };
    let sessions = match svc.list_sessions(&ctx.principal, Some(&ctx.token)).await {
        Ok(list) => list
            .into_iter()
            .map(|s| {
                (
                    s.id,
                    s.user_agent
                        .map(|ua| browser_name(&ua))
                        .unwrap_or_else(|| "Unknown browser".into()),
                    s.ip.unwrap_or_else(|| "unknown address".into()),
                    crate::shared::when_minute(s.created_at),
                    s.current,
                )
            })
            .collect(),
        Err(e) => return error_page(ctx, e),
    };
    let status = pages::form_status(v.errors.is_empty());
    let mut l = layout(ctx, "Your account", "account");
    if matches!(
        ctx.principal,
        switchboard_service::Principal::Operator { .. }
    ) {
        l.nav = "platform";
    }
    l.notice = v.notice;
    pages::render(
        &AccountPage {
            layout: l,
            base: ctx.account_page(),
            required: ctx.two_factor_required && !enabled,
            email: ctx.email().to_owned(),
            enabled,
            enrolment: v.enrolment,
            recovery: v.recovery,
            errors: v.errors,
            sessions,
        },
        status,
    )
}

fn plain(notice: Option<String>) -> View {
    View {
        enrolment: None,
        recovery: Vec::new(),
        errors: FormErrors::default(),
        notice,
    }
}

#[handler]
async fn account_page(
    Query(q): Query<PageQuery>,
    AccountSession(ctx): AccountSession,
    svc: Data<&Service>,
) -> Response {
    view(&svc, &ctx, plain(q.notice())).await
}

#[handler]
async fn start(
    AccountSession(ctx): AccountSession,
    CsrfForm(_): CsrfForm,
    svc: Data<&Service>,
) -> Response {
    match svc.start_two_factor(&ctx.principal).await {
        Ok(e) => {
            let mut v = plain(None);
            v.enrolment = Some((e.secret, e.otpauth_uri));
            view(&svc, &ctx, v).await
        }
        Err(e) => {
            let mut v = plain(None);
            v.errors = FormErrors::from_service(e);
            view(&svc, &ctx, v).await
        }
    }
}

#[handler]
async fn confirm(
    AccountSession(ctx): AccountSession,
    CsrfForm(form): CsrfForm<CodeForm>,
    svc: Data<&Service>,
) -> Response {
    match svc.confirm_two_factor(&ctx.principal, &form.code).await {
        Ok(codes) => {
            let mut v = plain(Some(
                "Two-factor sign-in is on. Keep your recovery codes somewhere safe.".into(),
            ));
            v.recovery = codes;
            view(&svc, &ctx, v).await
        }
        Err(e) => {
            let mut v = plain(None);
            v.enrolment = Some((form.secret, form.uri));
            v.errors = FormErrors::from_service(e);
            view(&svc, &ctx, v).await
        }
    }
}

#[handler]
async fn disable(
    AccountSession(ctx): AccountSession,
    CsrfForm(form): CsrfForm<CodeForm>,
    svc: Data<&Service>,
) -> Response {
    match svc.disable_two_factor(&ctx.principal, &form.code).await {
        Ok(()) => see_other(&format!("{}?notice=two-factor-off", ctx.account_page())),
        Err(e) => {
            let mut v = plain(None);
            v.errors = FormErrors::from_service(e);
            view(&svc, &ctx, v).await
        }
    }
}

/// A readable name for a `User-Agent`: the browser and the system, or the header cut short.
fn browser_name(ua: &str) -> String {
    let browser = ["Edg/", "OPR/", "Firefox/", "Chrome/", "Safari/"]
        .iter()
        .find(|b| ua.contains(*b))
        .map(|b| match *b {
            "Edg/" => "Edge",
            "OPR/" => "Opera",
            "Firefox/" => "Firefox",
            "Chrome/" => "Chrome",
            _ => "Safari",
        });
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(k, _)| ua.contains(k))
    .map(|(_, v)| *v);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_owned(),
        _ => ua.chars().take(60).collect(),
    }
}

#[handler]
async fn end_session(
    poem::web::Path(id): poem::web::Path<String>,
    AccountSession(ctx): AccountSession,
    CsrfForm(_): CsrfForm,
    svc: Data<&Service>,
) -> Response {
    match svc.end_session(&ctx.principal, &id).await {
        Ok(()) => see_other(&format!("{}?notice=session-ended", ctx.account_page())),
        Err(e) => error_page(&ctx, e),
    }
}
