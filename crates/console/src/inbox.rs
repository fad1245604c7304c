//! `/inbox`: where agents work. The page is rendered here with a short-lived access token
//! for its script (the ES modules of `web/inbox/`), which does the live part over the API and the agent
//! socket: offers with the blue banner, a countdown and a sound; chats; visitor details.
//! `/inbox/token` renews that token from the session cookie before it expires.
//!
//! Availability is also a plain form, so it can be changed without the script.

use askama::Template;
use poem::web::{Data, Json};
use poem::{IntoResponse, Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_service::Service;

use crate::guard::{AgentSession, CsrfForm};
use crate::pages::{Layout, ok, see_other};

pub fn routes() -> Route {
    Route::new()
        .at("/", get(page))
        .at("/token", get(token))
        .at("/availability", post(set_availability))
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    layout: Layout,
    token: String,
    expires_in: u64,
    display_name: String,
    availability: String,
    can_chat: bool,
    sound: bool,
    browser: bool,
    email: bool,
    /// The VAPID public key the browser subscribes to push with.
    push_key: String,
    /// The agent's own id (their messages read as "You").
    me: String,
    /// Admins also see every live chat of the tenant (supervision).
    admin: bool,
    /// `{id: display name}` of the workspace's members, as JSON: who wrote each message.
    people: String,
    /// `{locale, messages}` as JSON: the scripts' texts in the reader's language.
    texts: String,
}

#[handler]
async fn page(AgentSession(ctx): AgentSession, svc: Data<&Service>) -> Response {
    let (me, access) = match (
        svc.me(&ctx.principal).await,
        svc.access_token_for(&ctx.principal).await,
    ) {
        (Ok(me), Ok(access)) => (me, access),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %e, "opening the inbox");
            return see_other("/console/login");
        }
    };
    let people: serde_json::Map<String, serde_json::Value> = svc
        .colleague_names(&ctx.principal)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|(id, name)| (id.to_string(), name.into()))
        .collect();
    ok(&InboxPage {
        layout: Layout {
            title: ctx.tx().t("inbox-title"),
            nav: if ctx.principal.admin_tenant().is_ok() {
                "console"
            } else {
                "inbox"
            },
            section: "inbox",
            csrf: ctx.csrf.clone(),
            who: ctx.email().to_owned(),
            notice: None,
            tx: ctx.tx(),
        },
        token: access.token,
        expires_in: access.expires_in,
        display_name: me.user.display_name,
        availability: me.user.availability.to_string(),
        can_chat: me.user.live_chat_permission,
        sound: me.user.notify_sound,
        browser: me.user.notify_browser,
        email: me.user.notify_email,
        push_key: svc.vapid_public_key().unwrap_or_default(),
        me: me.user.id.to_string(),
        admin: ctx.principal.admin_tenant().is_ok(),
        people: serde_json::Value::Object(people).to_string(),
        texts: serde_json::json!({
            "locale": ctx.tx().lang(),
            "messages": switchboard_i18n::script::script_messages(ctx.reader.locale, &["inbox-"]),
        })
        .to_string(),
    })
}

/// A new access token for the inbox's script. Only the page's own origin can read it: the
/// answer carries no CORS header, and the cookie is SameSite=Lax.
#[handler]
async fn token(session: poem::Result<AgentSession>, svc: Data<&Service>) -> Response {
    // A script asks, not a browser: no redirect to the login page, a plain 401.
    let Ok(AgentSession(ctx)) = session else {
        return poem::http::StatusCode::UNAUTHORIZED.into_response();
    };
    match svc.access_token_for(&ctx.principal).await {
        Ok(t) => Json(serde_json::json!({"access_token": t.token, "expires_in": t.expires_in}))
            .with_header("Cache-Control", "no-store")
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "renewing an inbox token");
            poem::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AvailabilityForm {
    status: String,
}

#[handler]
async fn set_availability(
    AgentSession(ctx): AgentSession,
    CsrfForm(form): CsrfForm<AvailabilityForm>,
    svc: Data<&Service>,
) -> Response {
    match svc.set_availability(&ctx.principal, &form.status).await {
        Ok(_) => see_other("/inbox"),
        Err(e) => {
            tracing::info!(error = %e, "availability refused");
            see_other("/inbox")
        }
    }
}
