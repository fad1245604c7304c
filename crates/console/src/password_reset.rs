//! `/console/password-reset`: "Forgot your password?" — the form asking for a link (the
//! answer is the same whether or not the address has an account), and, from the emailed
//! link (`?token=`), the form choosing the new password. No session is needed.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form, Query};
use poem::{Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_service::{Service, ServiceError};

use crate::forms::FormErrors;
use crate::pages::{self, Layout, invalid, ok, see_other};

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

fn view(token: Option<String>, form: &ResetForm, errors: FormErrors) -> ResetPage {
    ResetPage {
        layout: Layout::anonymous("Reset your password", switchboard_i18n::Texts::default()),
        token,
        tenant: form.tenant.clone(),
        email: form.email.clone(),
        errors,
    }
}

fn link_gone() -> Response {
    pages::render(
        &pages::MessagePage {
            layout: Layout::anonymous("Reset your password", switchboard_i18n::Texts::default()),
            heading: "This link is not valid".into(),
            message: "It was used already, it expired (links work for an hour), or it was cut short. Ask for a new one.".into(),
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
async fn page(Query(q): Query<TokenQuery>, svc: Data<&Service>) -> Response {
    match q.token.filter(|t| !t.is_empty() && t.len() <= 100) {
        None => ok(&view(None, &ResetForm::default(), FormErrors::default())),
        Some(token) => match svc.reset_link_is_valid(&token).await {
            Ok(true) => ok(&view(
                Some(token),
                &ResetForm::default(),
                FormErrors::default(),
            )),
            Ok(false) => link_gone(),
            Err(e) => invalid(&view(
                Some(token),
                &ResetForm::default(),
                FormErrors::from_service(e, switchboard_i18n::Texts::default()),
            )),
        },
    }
}

#[handler]
async fn ask(req: &poem::Request, svc: Data<&Service>, Form(form): Form<ResetForm>) -> Response {
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
        Err(e) => invalid(&view(
            None,
            &form,
            FormErrors::from_service(e, switchboard_i18n::Texts::default()),
        )),
    }
}

#[handler]
async fn confirm(svc: Data<&Service>, Form(form): Form<ResetForm>) -> Response {
    if form.password != form.password_again {
        let mut errors = FormErrors::default();
        errors.add("password_again", "does not match the password above".into());
        return invalid(&view(Some(form.token.clone()), &form, errors));
    }
    match svc
        .confirm_password_reset(&form.token, &form.password)
        .await
    {
        Ok(()) => see_other("/console/login?notice=password-reset"),
        Err(ServiceError::Validation(v)) if v.field == "token" => link_gone(),
        Err(e) => invalid(&view(
            Some(form.token.clone()),
            &form,
            FormErrors::from_service(e, switchboard_i18n::Texts::default()),
        )),
    }
}
