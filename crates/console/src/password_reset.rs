//! `/console/password-reset`: "Forgot your password?" — the form asking for a link (the
//! answer is the same whether or not the address has an account), and, from the emailed
//! link (`?token=`), the form choosing the new password. No session is needed.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form, Query};
use poem::{Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_service::{Service, ServiceError};

use switchboard_i18n::Texts;

use crate::forms::FormErrors;
use crate::pages::{self, Layout, invalid, ok, see_other};
use crate::session::anonymous_texts;

pub(crate) fn add_routes(routes: Route) -> Route {
    routes
        .at("/password-reset", get(page).post(ask))
        .at("/password-reset/confirm", post(confirm))
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    layout: Layout,
    /// With a link's token: the new-password form; without: the request form.
    token: Option<String>,
    tenant: String,
    email: String,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResetForm {
    token: String,
    tenant: String,
    email: String,
    password: String,
    password_again: String,
}

fn view(tx: Texts, token: Option<String>, form: &ResetForm, errors: FormErrors) -> ResetPage {
    ResetPage {
        layout: Layout::anonymous(&tx.t("reset-title"), tx),
        token,
        tenant: form.tenant.clone(),
        email: form.email.clone(),
        errors,
    }
}

fn link_gone(tx: Texts) -> Response {
    pages::render(
        &pages::MessagePage {
            layout: Layout::anonymous(&tx.t("reset-title"), tx),
            heading: tx.t("reset-link-gone"),
            message: tx.t("reset-link-gone-text"),
            back: "/console/password-reset".into(),
        },
        StatusCode::NOT_FOUND,
    )
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

#[handler]
async fn page(req: &poem::Request, Query(q): Query<TokenQuery>, svc: Data<&Service>) -> Response {
    let tx = anonymous_texts(req, &svc).await;
    match q.token.filter(|t| !t.is_empty() && t.len() <= 100) {
        None => ok(&view(
            tx,
            None,
            &ResetForm::default(),
            FormErrors::default(),
        )),
        Some(token) => match svc.reset_link_is_valid(&token).await {
            Ok(true) => ok(&view(
                tx,
                Some(token),
                &ResetForm::default(),
                FormErrors::default(),
            )),
            Ok(false) => link_gone(tx),
            Err(e) => invalid(&view(
                tx,
                Some(token),
                &ResetForm::default(),
                FormErrors::from_service(e, tx),
            )),
        },
    }
}

#[handler]
async fn ask(req: &poem::Request, svc: Data<&Service>, Form(form): Form<ResetForm>) -> Response {
    let tx = anonymous_texts(req, &svc).await;
    let tenant = Some(form.tenant.trim()).filter(|t| !t.is_empty());
    let asked = match svc
        .limit_login(req.extensions().get().copied(), tenant, &form.email)
        .await
    {
        Ok(()) => svc.request_password_reset(tenant, &form.email).await,
        Err(e) => Err(e),
    };
    match asked {
        Ok(()) => see_other("/console/login?notice=reset-sent"),
        Err(e) => invalid(&view(tx, None, &form, FormErrors::from_service(e, tx))),
    }
}

#[handler]
async fn confirm(
    req: &poem::Request,
    svc: Data<&Service>,
    Form(form): Form<ResetForm>,
) -> Response {
    let tx = anonymous_texts(req, &svc).await;
    if form.password != form.password_again {
        let mut errors = FormErrors::default();
        errors.add("password_again", tx.t("reset-mismatch"));
        return invalid(&view(tx, Some(form.token.clone()), &form, errors));
    }
    match svc
        .confirm_password_reset(&form.token, &form.password)
        .await
    {
        Ok(()) => see_other("/console/login?notice=password-reset"),
        Err(ServiceError::Validation(v)) if v.field == "token" => link_gone(tx),
        Err(e) => invalid(&view(
            tx,
            Some(form.token.clone()),
            &form,
            FormErrors::from_service(e, tx),
        )),
    }
}
