//! `/console/account` (and `/platform/account` for the operator): the signed-in person's own
//! account — two-factor sign-in (turn it on
//! with an authenticator app, see the recovery codes once, turn it off with a code).

use askama::Template;
use poem::web::{Data, Query};
use poem::{Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_i18n::{Texts, format};
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
        .at("/account/locale", post(set_locale))
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
    /// A workspace member (the operator has no language setting): their language (`""`: as
    /// the browser asks) and time zone (`""`: the browser's), and the zones to choose from.
    locale: Option<(String, String)>,
    zones: Vec<&'static str>,
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
    let tx = ctx.tx();
    let sessions = match svc.list_sessions(&ctx.principal, Some(&ctx.token)).await {
        Ok(list) => list
            .into_iter()
            .map(|s| {
                (
                    s.id,
                    s.user_agent
                        .map(|ua| browser_name(tx, &ua))
                        .unwrap_or_else(|| tx.t("account-unknown-browser")),
                    s.ip.unwrap_or_else(|| tx.t("account-unknown-address")),
                    format::date_time(ctx.reader.locale, ctx.reader.timezone, s.created_at),
                    s.current,
                )
            })
            .collect(),
        Err(e) => return error_page(ctx, e),
    };
    let locale = match ctx.principal.user_id() {
        Some(_) => match svc.me(&ctx.principal).await {
            Ok(me) => Some((
                me.user.locale.unwrap_or_default(),
                me.user.timezone.unwrap_or_default(),
            )),
            Err(e) => return error_page(ctx, e),
        },
        None => None,
    };
    let status = pages::form_status(v.errors.is_empty());
    let mut l = layout(ctx, &tx.t("account-title"), "account");
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
            zones: if locale.is_some() {
                switchboard_core::schedule::zone_names().collect()
            } else {
                Vec::new()
            },
            locale,
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
    let tx = ctx.tx();
    let notice = match q.notice.as_deref() {
        Some("language") => Some(tx.t("account-language-saved")),
        Some("two-factor-off") => Some(tx.t("account-two-factor-now-off")),
        Some("session-ended") => Some(tx.t("account-session-ended")),
        _ => q.notice(&ctx),
    };
    view(&svc, &ctx, plain(notice)).await
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
            v.errors = FormErrors::from_service(e, ctx.tx());
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
            let mut v = plain(Some(ctx.tx().t("account-two-factor-now-on")));
            v.recovery = codes;
            view(&svc, &ctx, v).await
        }
        Err(e) => {
            let mut v = plain(None);
            v.enrolment = Some((form.secret, form.uri));
            v.errors = FormErrors::from_service(e, ctx.tx());
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
            v.errors = FormErrors::from_service(e, ctx.tx());
            view(&svc, &ctx, v).await
        }
    }
}

/// A readable name for a `User-Agent`: the browser and the system, or the header cut short.
fn browser_name(tx: Texts, ua: &str) -> String {
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
        (Some(b), Some(s)) => tx.t2("account-browser-on", "browser", b, "system", s),
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

#[derive(Deserialize, Default)]
#[serde(default)]
struct LocaleForm {
    locale: String,
    timezone: String,
}

/// The user's language and time zone; empty: as the browser says.
#[handler]
async fn set_locale(
    AccountSession(ctx): AccountSession,
    CsrfForm(form): CsrfForm<LocaleForm>,
    svc: Data<&Service>,
) -> Response {
    let locale = Some(form.locale.trim()).filter(|l| !l.is_empty());
    let zone = Some(form.timezone.trim()).filter(|z| !z.is_empty());
    match svc.set_locale(&ctx.principal, locale, zone).await {
        // The next page is read in the language just chosen.
        Ok(_) => see_other(&format!("{}?notice=language", ctx.account_page())),
        Err(e) => {
            let mut v = plain(None);
            v.errors = FormErrors::from_service(e, ctx.tx());
            view(&svc, &ctx, v).await
        }
    }
}
