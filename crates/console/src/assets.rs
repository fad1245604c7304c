//! The static files browsers load, compiled into the binary (one file to deploy): the
//! visitor's widget, the inbox's script, its notification sound and the service worker that
//! shows Web Push notifications.

use poem::{Response, handler};

const WIDGET_JS: &str = include_str!("../../../web/widget.js");
const INBOX_JS: &str = include_str!("../../../web/inbox.js");
const NOTIFY_WAV: &[u8] = include_bytes!("../../../web/notify.wav");
const SERVICE_WORKER_JS: &str = include_str!("../../../web/sw.js");

fn asset(content_type: &str, max_age: u32, body: impl Into<poem::Body>) -> Response {
    Response::builder()
        .content_type(content_type)
        .header("Cache-Control", format!("public, max-age={max_age}"))
        .header("X-Content-Type-Options", "nosniff")
        .body(body)
}

/// `/widget.js`: tenants' pages load it from anywhere; short cache so updates spread soon.
#[handler]
pub fn widget_js() -> Response {
    asset("application/javascript; charset=utf-8", 300, WIDGET_JS)
}

/// `/static/inbox.js`
#[handler]
pub fn inbox_js() -> Response {
    asset("application/javascript; charset=utf-8", 300, INBOX_JS)
}

/// `/static/notify.wav`: the sound an offer makes.
#[handler]
pub fn notify_wav() -> Response {
    asset("audio/wav", 86400, NOTIFY_WAV)
}

/// `/sw.js`: the service worker, at the root so that its scope covers `/inbox`. Not cached:
/// browsers compare it byte for byte to pick up a new version.
#[handler]
pub fn service_worker_js() -> Response {
    asset(
        "application/javascript; charset=utf-8",
        0,
        SERVICE_WORKER_JS,
    )
}
