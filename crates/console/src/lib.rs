#![forbid(unsafe_code)]
//! Server-rendered consoles: `/console` for a tenant's admins, `/platform` for the operator,
//! and the `/inbox` page agents work in.
//!
//! Every page works without JavaScript. Sessions are a random token in an HttpOnly,
//! SameSite=Lax cookie; every form that changes something carries the session's CSRF token,
//! checked before the handler runs (`guard`). A form with an error is shown again with
//! the message beside the field at fault, and nothing is changed.
//!
//! A page is a file: its handlers, its form and its template's struct. Pages share `shared`
//! (layout, error page, formatting), `pages` (rendering), `forms` and `guard`, never each
//! other.

mod account;
pub mod assets;
mod canned;
mod confirm_step;
mod conversations;
mod dashboard;
mod dialogues;
mod forms;
mod guard;
mod inbox;
mod invitation;
mod keys;
mod login;
mod pages;
mod password_reset;
mod platform;
mod privacy;
mod routing;
mod session;
mod settings;
mod shared;
mod teams;
mod user;
mod users;
mod webhooks;
mod weekly;
mod widget;

use poem::{Endpoint, Response, Route, get, handler};

const CSS: &str = include_str!("../../../web/console.css");
const JS: &str = include_str!("../../../web/console.js");

#[handler]
fn script() -> poem::Response {
    poem::Response::builder()
        .content_type("application/javascript; charset=utf-8")
        .header("Cache-Control", "public, max-age=3600")
        .header("X-Content-Type-Options", "nosniff")
        .body(JS)
}

#[handler]
fn stylesheet() -> poem::Response {
    poem::Response::builder()
        .content_type("text/css; charset=utf-8")
        .header("Cache-Control", "public, max-age=3600")
        .body(CSS)
}

/// Routes under `/console`.
pub fn console_routes() -> impl Endpoint<Output = Response> {
    let pages = [
        login::add_console_routes,
        account::add_routes,
        dashboard::add_routes,
        users::add_routes,
        user::add_routes,
        teams::add_routes,
        canned::add_routes,
        settings::add_routes,
        invitation::add_routes,
        password_reset::add_routes,
        widget::add_routes,
    ];
    let routes = pages
        .into_iter()
        .fold(Route::new(), |routes, add| add(routes))
        .nest("/routing", routing::routes())
        .nest("/conversations", conversations::routes())
        .nest("/failed-actions", conversations::failed_routes())
        .nest("/webhooks", webhooks::routes())
        .nest("/dialogues", dialogues::routes())
        .nest("/api-keys", keys::key_routes())
        .nest("/audit-log", keys::audit_routes())
        .nest("/privacy", privacy::routes())
        .at("/static/console.css", get(stylesheet))
        .at("/static/console.js", get(script));
    guard::with_session(routes)
}

/// Routes under `/inbox` (agents).
pub fn inbox_routes() -> impl Endpoint<Output = Response> {
    guard::with_session(inbox::routes())
}

/// Routes under `/platform`.
pub fn platform_routes() -> impl Endpoint<Output = Response> {
    guard::with_session(account::add_routes(platform::add_routes(
        login::add_platform_routes(Route::new()),
    )))
}
