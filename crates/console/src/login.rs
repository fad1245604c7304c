//! Logging in and out of both consoles: `/console/login` for a tenant's users (named by
//! their workspace) and `/platform/login` for the operator. A login sets the session cookie;
//! logging out is a form like any other, so another site cannot log anyone out.

use askama::Template;
use poem::web::{Data, Form, Query};
use poem::{IntoResponse, Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_i18n::Texts;
use switchboard_service::{Service, ServiceError};

use crate::guard::SignedIn;
use crate::pages::{Layout, csrf_refused, invalid, ok, see_other};
use crate::session;
use crate::shared::layout;

/// The console's login and logout, under `/console`.
pub(crate) fn add_console_routes(routes: Route) -> Route {
    routes
        .at("/login", get(console_page).post(console_login))
        .at("/logout", post(console_logout))
}

/// The operator's login and logout, under `/platform`.
pub(crate) fn add_platform_routes(routes: Route) -> Route {
    routes
        .at("/login", get(platform_page).post(platform_login))
        .at("/logout", post(platform_logout))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    heading: String,
    action: &'static str,
    with_tenant: bool,
    tenant: String,
    email: String,
    error: String,
    /// Second step: the ticket of a password checked; the page asks for a code.
    ticket: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    tenant: String,
    email: String,
    password: String,
    /// Second step of a two-factor sign-in.
    ticket: String,
    code: String,
}

impl LoginPage {
    /// The console's login page, with what was typed and why it was refused.
    fn console(form: &LoginForm, error: String, tx: Texts) -> Self {
        Self {
            layout: Layout::anonymous(&tx.t("login-title"), tx),
            heading: tx.t("login-heading"),
            action: "/console/login",
            with_tenant: true,
            tenant: form.tenant.clone(),
            email: form.email.clone(),
            error,
            ticket: None,
        }
    }

    /// The operator's login page (no workspace to name).
    fn platform(form: &LoginForm, error: String, tx: Texts) -> Self {
        Self {
            layout: Layout::anonymous(&tx.t("platform-login-title"), tx),
            heading: tx.t("platform-login-heading"),
            action: "/platform/login",
            with_tenant: false,
            tenant: String::new(),
            email: form.email.clone(),
            error,
            ticket: None,
        }
    }
}

/// The login page's query: a notice, and the workspace and address to fill in (after an
/// invitation is accepted).
#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginQuery {
    notice: Option<String>,
    tenant: String,
    email: String,
}

#[handler]
async fn console_page(
    req: &poem::Request,
    svc: Data<&Service>,
    Query(q): Query<LoginQuery>,
) -> Response {
    let tx = session::anonymous_texts(req, &svc).await;
    let form = LoginForm {
        tenant: q.tenant.chars().take(100).collect(),
        email: q.email.chars().take(320).collect(),
        ..LoginForm::default()
    };
    let mut page = LoginPage::console(&form, String::new(), tx);
    page.layout.notice = crate::pages::notice(q.notice.as_deref(), tx);
    ok(&page)
}

#[handler]
async fn platform_page(req: &poem::Request, svc: Data<&Service>) -> Response {
    let tx = session::anonymous_texts(req, &svc).await;
    ok(&LoginPage::platform(
        &LoginForm::default(),
        String::new(),
        tx,
    ))
}

/// Why a login form is shown again: a message, and the ticket when a code is asked for.
struct Again {
    error: String,
    ticket: Option<String>,
}

impl From<String> for Again {
    fn from(error: String) -> Self {
        Self {
            error,
            ticket: None,
        }
    }
}

/// Logs in (`tenant: None` for the operator) and sets the session cookie, or says why not.
/// An account with two-factor sign-in is asked for a code next (the form carries a ticket,
/// never the password); every step counts against the login limits.
async fn log_in(
    svc: &Service,
    from: Option<switchboard_service::limits::ClientIp>,
    user_agent: Option<&str>,
    tenant: Option<&str>,
    form: &LoginForm,
    home: &str,
    tx: Texts,
) -> Result<Response, Again> {
    use switchboard_service::sessions::{ConsoleLogin, Credentials};
    let credentials = if form.ticket.is_empty() {
        Credentials::Password(&form.password)
    } else {
        Credentials::Code {
            ticket: &form.ticket,
            code: &form.code,
        }
    };
    let client = switchboard_service::sessions::SessionClient {
        user_agent: user_agent.map(str::to_owned),
        ip: from.map(|f| f.0.to_string()),
    };
    let attempt = match svc.limit_login(from, tenant, &form.email).await {
        Ok(()) => {
            svc.console_login(tenant, &form.email, credentials, client)
                .await
        }
        Err(e) => Err(e),
    };
    match attempt {
        Ok(ConsoleLogin::Done(session, _)) => Ok(see_other(home)
            .with_header(
                poem::http::header::SET_COOKIE,
                session::set_cookie(&session.token, svc.public_url().starts_with("https://")),
            )
            .into_response()),
        Ok(ConsoleLogin::NeedsCode { ticket }) => Err(Again {
            error: String::new(),
            ticket: Some(ticket),
        }),
        Err(ServiceError::OtpRequired(_)) => Err(Again {
            error: tx.t("login-wrong-code"),
            ticket: Some(form.ticket.clone()),
        }),
        // A code step whose ticket ran out starts again from the password.
        Err(ServiceError::Unauthorized(_)) if !form.ticket.is_empty() => {
            Err(tx.t("login-took-too-long").into())
        }
        Err(ServiceError::Unauthorized(_)) => Err(tx.t("login-bad-credentials").into()),
        Err(ServiceError::RateLimited(wait)) => Err(crate::forms::wait_message(wait, tx).into()),
        Err(e) => {
            tracing::error!(error = %e, "console login");
            Err(tx.t("form-internal").into())
        }
    }
}

/// Whether a login form was posted from another site (login CSRF: a page elsewhere logging
/// the visitor's browser into an account of the attacker's). Browsers send `Origin` with
/// every form post and `Sec-Fetch-Site` with most: the origin must be this server's, as its
/// public URL or as the `Host` the request came to. A post without either (not a browser)
/// is not cross-site.
fn cross_site(req: &poem::Request, public_url: &str) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site") == Some("cross-site") {
        return true;
    }
    let Some(origin) = header("origin") else {
        return false;
    };
    let origin = origin.trim_end_matches('/');
    let public = public_url
        .split_once("://")
        .map(|(scheme, rest)| format!("{scheme}://{}", rest.split('/').next().unwrap_or(rest)))
        .unwrap_or_default();
    let same_host = origin
        .split_once("://")
        .is_some_and(|(_, authority)| header("host") == Some(authority));
    !(origin.eq_ignore_ascii_case(&public) || same_host)
}

/// A login form posted from another site: refused (403), nothing else looked at.
fn refused_cross_site(page: LoginPage) -> Response {
    let mut resp = invalid(&page);
    resp.set_status(poem::http::StatusCode::FORBIDDEN);
    resp
}

/// A login form posted: refused when it came from another site, else logged in (to `home`)
/// or shown again by `page` with why not.
async fn post_login(
    req: &poem::Request,
    svc: &Service,
    form: &LoginForm,
    tenant: Option<&str>,
    home: &str,
    page: fn(&LoginForm, String, Texts) -> LoginPage,
) -> Response {
    let tx = session::anonymous_texts(req, svc).await;
    if cross_site(req, svc.public_url()) {
        return refused_cross_site(page(form, tx.t("login-cross-site"), tx));
    }
    let from = req.extensions().get().copied();
    match log_in(svc, from, req.header("user-agent"), tenant, form, home, tx).await {
        Ok(resp) => resp,
        Err(Again { error, ticket }) => {
            let mut shown = page(form, error, tx);
            shown.ticket = ticket.filter(|t| !t.is_empty());
            if shown.ticket.is_some() && shown.error.is_empty() {
                // Asking for the code is not an error.
                return ok(&shown);
            }
            invalid(&shown)
        }
    }
}

#[handler]
async fn console_login(
    req: &poem::Request,
    svc: Data<&Service>,
    Form(form): Form<LoginForm>,
) -> Response {
    let tenant = Some(form.tenant.trim());
    post_login(req, &svc, &form, tenant, "/console", LoginPage::console).await
}

#[handler]
async fn platform_login(
    req: &poem::Request,
    svc: Data<&Service>,
    Form(form): Form<LoginForm>,
) -> Response {
    post_login(req, &svc, &form, None, "/platform", LoginPage::platform).await
}

/// The logout form: its token, and whether a warning about open chats was seen.
#[derive(Deserialize)]
struct LogoutForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: Option<String>,
}

#[derive(Template)]
#[template(path = "logout.html")]
struct LogoutPage {
    layout: Layout,
    live: u64,
}

/// Ends the session and clears the cookie; a member goes offline (their pending offers move
/// on at once). An agent who still holds live chats is asked first. Without a session there
/// is nothing to end (the cookie is cleared all the same), so this form checks its token
/// itself rather than through `CsrfForm`, which would refuse it.
async fn log_out(
    svc: &Service,
    session: Option<SignedIn>,
    form: &LogoutForm,
    login_path: &str,
) -> Response {
    if let Some(SignedIn(ctx)) = session {
        if !ctx.csrf_ok(&form.csrf) {
            return csrf_refused(login_path, ctx.tx());
        }
        if form.confirm.is_none() {
            match svc.own_live_chats(&ctx.principal).await {
                Ok(0) => {}
                Ok(live) => {
                    return ok(&LogoutPage {
                        layout: layout(&ctx, &ctx.tx().t("logout-heading"), ""),
                        live,
                    });
                }
                Err(e) => tracing::error!(error = %e, "counting live chats at logout"),
            }
        }
        if let Err(e) = svc.log_out(&ctx.principal, &ctx.token).await {
            tracing::error!(error = %e, "console logout");
            // The session ends all the same: a logout never keeps anyone signed in.
            if let Err(e) = svc.console_logout(&ctx.token).await {
                tracing::error!(error = %e, "console logout");
            }
        }
    }
    see_other(login_path)
        .with_header(
            poem::http::header::SET_COOKIE,
            session::clear_cookie(svc.public_url().starts_with("https://")),
        )
        .into_response()
}

#[handler]
async fn console_logout(
    svc: Data<&Service>,
    Form(form): Form<LogoutForm>,
    session: Option<SignedIn>,
) -> Response {
    log_out(&svc, session, &form, "/console/login").await
}

#[handler]
async fn platform_logout(
    svc: Data<&Service>,
    Form(form): Form<LogoutForm>,
    session: Option<SignedIn>,
) -> Response {
    log_out(&svc, session, &form, "/platform/login").await
}
