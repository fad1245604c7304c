#![forbid(unsafe_code)]
//! Server-rendered consoles: `/console` for a tenant's admins, `/platform` for the operator.
//!
//! Every page works without JavaScript. Sessions are a random token in an HttpOnly,
//! SameSite=Lax cookie; every form that changes something carries the session's CSRF token,
//! checked before anything is read from the form. A form with an error is shown again with
//! the message beside the field at fault, and nothing is changed.

pub mod assets;
mod conversations;
mod dialogues;
mod forms;
mod inbox;
mod keys;
mod pages;
mod platform;
mod routing;
mod session;
mod tenant;
mod user;
mod webhooks;

use poem::{Route, get, handler};

const CSS: &str = include_str!("../../../web/console.css");

#[handler]
fn stylesheet() -> poem::Response {
    poem::Response::builder()
        .content_type("text/css; charset=utf-8")
        .header("Cache-Control", "public, max-age=3600")
        .body(CSS)
}

/// Routes under `/console`.
pub fn console_routes() -> Route {
    user::add_routes(tenant::routes())
        .nest("/routing", routing::routes())
        .nest("/conversations", conversations::routes())
        .nest("/failed-actions", conversations::failed_routes())
        .nest("/webhooks", webhooks::routes())
        .nest("/dialogues", dialogues::routes())
        .nest("/api-keys", keys::key_routes())
        .nest("/audit-log", keys::audit_routes())
        .at("/static/console.css", get(stylesheet))
}

/// Routes under `/inbox` (agents).
pub fn inbox_routes() -> Route {
    inbox::routes()
}

/// Routes under `/platform`.
pub fn platform_routes() -> Route {
    platform::routes()
}
