//! `/console/invitation/{token}`: where an invited user chooses a password. No session is
//! needed: the token in the link is the proof, used once.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::{Response, Route, get, handler};
use serde::Deserialize;
use switchboard_service::{Service, ServiceError};

use switchboard_i18n::Texts;

use crate::forms::FormErrors;
use crate::pages::{self, Layout, invalid, ok, see_other};
use crate::session::anonymous_texts;

pub(crate) fn add_routes(routes: Route) -> Route {
    routes.at(
        "/invitation/:token",
        get(invitation_page).post(accept_invitation),
    )
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    layout: Layout,
    token: String,
    errors: FormErrors,
    /// `(workspace name, slug, email)` of the invitation.
    invited: (String, String, String),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InvitationForm {
    password: String,
}

fn invitation_gone(tx: Texts) -> Response {
    pages::render(
        &pages::MessagePage {
            layout: Layout::anonymous(&tx.t("invitation-gone-title"), tx),
            heading: tx.t("invitation-gone"),
            message: tx.t("invitation-gone-text"),
            back: "/console/login".into(),
        },
        StatusCode::NOT_FOUND,
    )
}

/// Invitation tokens are URL-safe base64; anything else is not one of ours.
fn plausible_token(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= 64
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[handler]
async fn invitation_page(
    req: &poem::Request,
    svc: Data<&Service>,
    Path(token): Path<String>,
) -> Response {
    let tx = anonymous_texts(req, &svc).await;
    if !plausible_token(&token) {
        return invitation_gone(tx);
    }
    match svc.invitation(&token).await {
        Ok(Some(invited)) => ok(&InvitationPage {
            layout: Layout::anonymous(&tx.t("invitation-title"), tx),
            token,
            errors: FormErrors::default(),
            invited,
        }),
        Ok(None) => invitation_gone(tx),
        Err(e) => {
            tracing::error!(error = %e, "reading an invitation");
            invitation_gone(tx)
        }
    }
}

#[handler]
async fn accept_invitation(
    req: &poem::Request,
    svc: Data<&Service>,
    Path(token): Path<String>,
    Form(form): Form<InvitationForm>,
) -> Response {
    let tx = anonymous_texts(req, &svc).await;
    if !plausible_token(&token) {
        return invitation_gone(tx);
    }
    let invited = match svc.invitation(&token).await {
        Ok(Some(invited)) => invited,
        Ok(None) => return invitation_gone(tx),
        Err(e) => {
            tracing::error!(error = %e, "reading an invitation");
            return invitation_gone(tx);
        }
    };
    match svc.accept_invitation(&token, &form.password).await {
        // The login form comes filled in with the workspace and the address.
        Ok(_) => see_other(&format!(
            "/console/login?notice=password-set&tenant={}&email={}",
            url_encode(&invited.1),
            url_encode(&invited.2)
        )),
        Err(ServiceError::NotFound) => invitation_gone(tx),
        Err(e) => invalid(&InvitationPage {
            layout: Layout::anonymous(&tx.t("invitation-title"), tx),
            token,
            errors: FormErrors::from_service(e, tx),
            invited,
        }),
    }
}

/// A query-string value, percent-encoded.
fn url_encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
