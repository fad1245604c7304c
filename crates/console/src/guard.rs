//! The guards of the console pages, as extractors: a handler that needs an admin takes an
//! [`AdminSession`] and cannot forget the check; a form that changes something is a
//! [`CsrfForm`], refused (403, nothing changed) before the handler runs when its token is not
//! the session's.
//!
//! A guard that fails answers what the page would: no session sends the browser to its
//! area's login page, an agent on an admin page to the inbox. A handler takes its guard
//! before its `CsrfForm`, so that a signed-out browser is sent to log in rather than told
//! its form expired.
//!
//! The session is read from the database once per request, by whichever extractor asks
//! first: [`with_session`] puts an empty slot in the request (an extractor sees the request
//! read-only, so the slot must be there before) and the first to ask fills it. Pages that
//! need no session (login, invitation, the stylesheet) never ask, so never read it.

use std::sync::Arc;

use poem::web::{Data, Form};
use poem::{Body, Endpoint, EndpointExt, FromRequest, IntoResponse, Request, RequestBody};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use switchboard_service::{Principal, Service};
use tokio::sync::OnceCell;

use crate::pages::{csrf_refused, see_other};
use crate::session::{self, Ctx};

/// The request's session, read at most once: `None` inside when there is none.
#[derive(Clone, Default)]
struct SessionSlot(Arc<OnceCell<Option<Arc<Ctx>>>>);

/// Gives every request to `ep` a session slot, for the extractors below to share.
pub fn with_session(ep: impl Endpoint + 'static) -> impl Endpoint<Output = poem::Response> {
    ep.around(|ep, mut req| async move {
        req.extensions_mut().insert(SessionSlot::default());
        Ok(ep.call(req).await?.into_response())
    })
}

/// The live session of this request, if any.
async fn signed_in(req: &Request) -> poem::Result<Option<Arc<Ctx>>> {
    let Data(svc) = Data::<&Service>::from_request_without_body(req).await?;
    let load = || async { session::load(req, svc).await.map(Arc::new) };
    Ok(match req.extensions().get::<SessionSlot>() {
        Some(slot) => slot.0.get_or_init(load).await.clone(),
        // A route outside `with_session` still gets the right answer, read each time.
        None => load().await,
    })
}

/// The answer of a failed guard: the browser goes to `path`.
fn go_to(path: &str) -> poem::Error {
    poem::Error::from_response(see_other(path))
}

/// Anyone signed in: an operator, an admin or an agent.
pub struct SignedIn(pub Arc<Ctx>);

/// A tenant's admin (or owner), in the console. An agent is sent to the inbox.
pub struct AdminSession(pub Arc<Ctx>);

/// A user of a tenant, in the inbox: an agent, or an admin answering chats.
pub struct AgentSession(pub Arc<Ctx>);

/// The platform operator.
pub struct OperatorSession(pub Arc<Ctx>);

/// A person's own account page: an admin (or owner) or the operator. The one guard that
/// lets in an account the server requires to turn two-factor sign-in on first; every
/// other sends it here.
pub struct AccountSession(pub Arc<Ctx>);

/// The answer to an account that must turn two-factor sign-in on first.
fn enrol_first(ctx: &Ctx) -> poem::Error {
    // The page says why beside its form.
    go_to(ctx.account_page())
}

impl<'a> FromRequest<'a> for SignedIn {
    async fn from_request(req: &'a Request, _: &mut RequestBody) -> poem::Result<Self> {
        match signed_in(req).await? {
            Some(ctx) => Ok(Self(ctx)),
            None => Err(go_to("/console/login")),
        }
    }
}

impl<'a> FromRequest<'a> for AdminSession {
    async fn from_request(req: &'a Request, _: &mut RequestBody) -> poem::Result<Self> {
        match signed_in(req).await? {
            Some(ctx) if ctx.two_factor_required => Err(enrol_first(&ctx)),
            Some(ctx) if matches!(ctx.principal, Principal::User { .. }) => {
                if ctx.principal.admin_tenant().is_ok() {
                    Ok(Self(ctx))
                } else {
                    // Agents work in the inbox; the console is for admins.
                    Err(go_to("/inbox"))
                }
            }
            _ => Err(go_to("/console/login")),
        }
    }
}

impl<'a> FromRequest<'a> for AgentSession {
    async fn from_request(req: &'a Request, _: &mut RequestBody) -> poem::Result<Self> {
        match signed_in(req).await? {
            Some(ctx) if ctx.two_factor_required => Err(enrol_first(&ctx)),
            Some(ctx) if matches!(ctx.principal, Principal::User { .. }) => Ok(Self(ctx)),
            _ => Err(go_to("/console/login")),
        }
    }
}

impl<'a> FromRequest<'a> for OperatorSession {
    async fn from_request(req: &'a Request, _: &mut RequestBody) -> poem::Result<Self> {
        match signed_in(req).await? {
            Some(ctx) if ctx.two_factor_required => Err(enrol_first(&ctx)),
            Some(ctx) if matches!(ctx.principal, Principal::Operator { .. }) => Ok(Self(ctx)),
            _ => Err(go_to("/platform/login")),
        }
    }
}

impl<'a> FromRequest<'a> for AccountSession {
    async fn from_request(req: &'a Request, _: &mut RequestBody) -> poem::Result<Self> {
        let area = if req.uri().path().starts_with("/platform") {
            "/platform/login"
        } else {
            "/console/login"
        };
        match signed_in(req).await? {
            Some(ctx) if matches!(ctx.principal, Principal::Operator { .. }) => Ok(Self(ctx)),
            Some(ctx) if ctx.principal.admin_tenant().is_ok() => Ok(Self(ctx)),
            // Agents work in the inbox.
            Some(_) => Err(go_to("/inbox")),
            None => Err(go_to(area)),
        }
    }
}

/// The CSRF token every changing form carries, in its field `csrf`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfToken {
    pub csrf: String,
}

/// A form that is only a button: nothing but its token.
#[derive(Deserialize)]
pub struct NoFields {}

/// A urlencoded form `T` whose `csrf` field is the session's token (compared in constant
/// time). Otherwise the request is answered with the 403 "This form has expired" page and
/// the handler does not run. `T` needs no `csrf` field of its own: the token is read from
/// the same body apart.
///
/// A body poem's `Form` cannot read is refused as it would be (400, 415), before the token
/// is looked at.
pub struct CsrfForm<T = NoFields>(pub T);

impl<'a, T: DeserializeOwned + Send> FromRequest<'a> for CsrfForm<T> {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        // Two readings of one body: the form, and the token beside it.
        let bytes = body.take()?.into_vec().await?;
        let mut copy = RequestBody::new(Body::from(bytes.clone()));
        let Form(form) = Form::<T>::from_request(req, &mut copy).await?;
        let mut copy = RequestBody::new(Body::from(bytes));
        let Form(token) = Form::<CsrfToken>::from_request(req, &mut copy).await?;
        let ctx = signed_in(req).await?;
        if !ctx.as_ref().is_some_and(|ctx| ctx.csrf_ok(&token.csrf)) {
            let back = form_page(req.original_uri().path());
            let tx = match ctx {
                Some(ctx) => ctx.tx(),
                None => {
                    let Data(svc) = Data::<&Service>::from_request_without_body(req).await?;
                    session::anonymous_texts(req, svc).await
                }
            };
            return Err(poem::Error::from_response(csrf_refused(&back, tx)));
        }
        Ok(Self(form))
    }
}

/// The page a form belongs to, from the address it was posted to: where a refused form's
/// "Go back" link leads. Never the form's own address, which may answer POST only.
///
/// An item's forms are on its page, except deleting it and a user's live-chat permission,
/// which are done from the list; every other form is on its section's page.
pub(crate) fn form_page(path: &str) -> String {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        [
            "console",
            section @ ("users" | "webhooks" | "dialogues"),
            id,
            rest @ ..,
        ] => match rest {
            ["delete"] | ["live-chat-permission"] => format!("/console/{section}"),
            _ => format!("/console/{section}/{id}"),
        },
        ["console", section, ..] => format!("/console/{section}"),
        [area, ..] => format!("/{area}"),
        [] => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::form_page;

    #[test]
    fn a_refused_form_links_back_to_the_page_it_is_on() {
        for (posted, page) in [
            ("/console/users", "/console/users"),
            ("/console/users/:id", "/console/users/:id"),
            ("/console/users/:id/avatar", "/console/users/:id"),
            ("/console/users/:id/live-chat-permission", "/console/users"),
            ("/console/teams", "/console/teams"),
            ("/console/teams/:id/members", "/console/teams"),
            ("/console/teams/:id/members/:user/remove", "/console/teams"),
            ("/console/teams/:id/delete", "/console/teams"),
            ("/console/settings", "/console/settings"),
            ("/console/routing/rules", "/console/routing"),
            ("/console/routing/rules/:id/move", "/console/routing"),
            ("/console/routing/rules/:id/delete", "/console/routing"),
            ("/console/routing/dry-run", "/console/routing"),
            ("/console/webhooks", "/console/webhooks"),
            ("/console/webhooks/:id/delete", "/console/webhooks"),
            (
                "/console/webhooks/:id/deliveries/:delivery/replay",
                "/console/webhooks/:id",
            ),
            ("/console/api-keys", "/console/api-keys"),
            ("/console/api-keys/:id/revoke", "/console/api-keys"),
            ("/console/dialogues", "/console/dialogues"),
            ("/console/dialogues/:id/delete", "/console/dialogues"),
            ("/console/dialogues/:id/name", "/console/dialogues/:id"),
            ("/console/dialogues/:id/publish", "/console/dialogues/:id"),
            ("/console/dialogues/:id/cards", "/console/dialogues/:id"),
            (
                "/console/dialogues/:id/cards/ask/delete",
                "/console/dialogues/:id",
            ),
            (
                "/console/dialogues/:id/cards/ask/choices/0/delete",
                "/console/dialogues/:id",
            ),
            ("/inbox/availability", "/inbox"),
            ("/platform/tenants", "/platform"),
            ("/platform/tenants/:id", "/platform"),
        ] {
            assert_eq!(form_page(posted), page, "{posted}");
        }
    }
}
