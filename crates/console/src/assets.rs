//! The static files browsers load, compiled into the binary (one file to deploy): the
//! visitor's widget, the inbox's script modules, its notification sound and the service
//! worker that shows Web Push notifications.

use poem::error::NotFoundError;
use poem::web::Path;
use poem::{Response, handler};

/// The widget with the catalogue's formatter (`makeTexts`), in one function so that neither
/// leaks a name into the tenant's page.
const WIDGET_JS: &str = concat!(
    "(function () {\n",
    include_str!("../../../web/texts.js"),
    include_str!("../../../web/widget.js"),
    "})();\n"
);
/// The inbox's ES modules by file name. They import each other by relative path, so every
/// module of `web/inbox/` has to be listed here or the page fails to load.
const INBOX_MODULES: &[(&str, &str)] = &[
    ("main.js", include_str!("../../../web/inbox/main.js")),
    ("api.js", include_str!("../../../web/inbox/api.js")),
    ("socket.js", include_str!("../../../web/inbox/socket.js")),
    ("dom.js", include_str!("../../../web/inbox/dom.js")),
    ("offers.js", include_str!("../../../web/inbox/offers.js")),
    ("chats.js", include_str!("../../../web/inbox/chats.js")),
    ("compose.js", include_str!("../../../web/inbox/compose.js")),
    (
        "texts.js",
        concat!(
            include_str!("../../../web/texts.js"),
            "export { makeTexts };\n"
        ),
    ),
];
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

/// `/static/inbox/:name`: one of the inbox's modules; any other name is not found.
#[handler]
pub fn inbox_module(Path(name): Path<String>) -> poem::Result<Response> {
    let (_, source) = INBOX_MODULES
        .iter()
        .find(|(file, _)| *file == name)
        .ok_or(NotFoundError)?;
    // Not cached: modules of two versions must never mix after an upgrade.
    Ok(asset("application/javascript; charset=utf-8", 0, *source))
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
