//! Rendering: templates become responses; a render failure is logged and answered with a
//! plain 500 page, never a panic.

use askama::Template;
use poem::http::StatusCode;
use poem::web::Redirect;
use poem::{IntoResponse, Response};
use switchboard_i18n::Texts;

/// What every page's layout needs.
pub struct Layout {
    pub title: String,
    /// `console`, `platform` or `none`: which navigation to show.
    pub nav: &'static str,
    /// The page's section, to mark the current link.
    pub section: &'static str,
    pub csrf: String,
    pub who: String,
    /// A notice after a successful action ("Saved.").
    pub notice: Option<String>,
    /// The reader's texts (their language).
    pub tx: Texts,
}

impl Layout {
    /// A page for someone not signed in: no navigation, no forms of the session's; in the
    /// language their browser asks for.
    pub fn anonymous(title: &str, tx: Texts) -> Self {
        Self {
            title: title.to_owned(),
            nav: "none",
            section: "",
            csrf: String::new(),
            who: String::new(),
            notice: None,
            tx,
        }
    }
}

pub fn render<T: Template>(template: &T, status: StatusCode) -> Response {
    match template.render() {
        Ok(html) => Response::builder()
            .status(status)
            .content_type("text/html; charset=utf-8")
            .header("Cache-Control", "no-store")
            .header("X-Frame-Options", "DENY")
            .header(
                "Content-Security-Policy",
                // Files sent in chats are read with the agent's token and shown from blob: URLs.
                "default-src 'self'; img-src 'self' blob:; frame-ancestors 'none'; form-action 'self'",
            )
            .header("Referrer-Policy", "same-origin")
            .body(html),
        Err(e) => {
            tracing::error!(error = %e, "rendering a console page");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side; it has been logged.",
            )
                .into_response()
        }
    }
}

pub fn ok<T: Template>(template: &T) -> Response {
    render(template, StatusCode::OK)
}

/// A page with a form: 200, or 422 when it comes back with errors (`ok` false).
pub fn form_status(ok: bool) -> StatusCode {
    if ok {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// A form with errors is shown again with 422, so that tools (and tests) see the refusal.
pub fn invalid<T: Template>(template: &T) -> Response {
    render(template, StatusCode::UNPROCESSABLE_ENTITY)
}

/// Post/redirect/get: after a successful change, go back to the page with a notice.
pub fn see_other(path: &str) -> Response {
    Redirect::see_other(path).into_response()
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub layout: Layout,
    pub heading: String,
    pub message: String,
    pub back: String,
}

/// A refused CSRF token: nothing was changed.
pub fn csrf_refused(back: &str) -> Response {
    render(
        &MessagePage {
            layout: Layout::anonymous("Form expired", Texts::default()),
            heading: "This form has expired".into(),
            message: "Nothing was changed. The form was sent without a valid security token (it may be from an old page or another site). Go back, reload the page and try again.".into(),
            back: back.to_owned(),
        },
        StatusCode::FORBIDDEN,
    )
}

/// Notices carried across the redirect after a change, by a fixed code in the query string
/// (never free text, so a link cannot make the console say something it did not).
pub fn notice(code: Option<&str>) -> Option<String> {
    let text = match code? {
        "saved" => "Saved.",
        "created" => "Created.",
        "deleted" => "Deleted.",
        "granted" => "Live-chat permission granted.",
        "revoked" => "Live-chat permission revoked.",
        "member-added" => "Member added.",
        "member-removed" => "Member removed.",
        "password-set" => "Your password is set. You can log in now.",
        "revoked-key" => "API key revoked: it no longer works.",
        "published" => "Published: the widget runs this dialogue now.",
        "canned-created" => "Canned response added: type / and its shortcut in the inbox.",
        "canned-saved" => "Canned response saved.",
        "canned-deleted" => "Canned response deleted.",
        "password-reset" => {
            "Your password is changed and every earlier sign-in ended. Log in with the new one."
        }
        "reset-sent" => {
            "If an account uses that address, an email with a link to choose a new password is on its way. The link works once, for an hour."
        }
        "signed-out" => {
            "You were signed out: you logged out elsewhere, your password was changed, or your account was disabled. Log in again to go on."
        }
        _ => return None,
    };
    Some(text.to_owned())
}
