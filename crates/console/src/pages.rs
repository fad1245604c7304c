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
pub fn csrf_refused(back: &str, tx: Texts) -> Response {
    render(
        &MessagePage {
            layout: Layout::anonymous(&tx.t("csrf-title"), tx),
            heading: tx.t("csrf-heading"),
            message: tx.t("csrf-message"),
            back: back.to_owned(),
        },
        StatusCode::FORBIDDEN,
    )
}

/// Notices carried across the redirect after a change, by a fixed code in the query string
/// (never free text, so a link cannot make the console say something it did not), in the
/// reader's language.
pub fn notice(code: Option<&str>, tx: Texts) -> Option<String> {
    let id = match code? {
        "saved" => "notice-saved",
        "created" => "notice-created",
        "deleted" => "notice-deleted",
        "granted" => "notice-granted",
        "revoked" => "notice-revoked",
        "member-added" => "notice-member-added",
        "member-removed" => "notice-member-removed",
        "password-set" => "notice-password-set",
        "revoked-key" => "notice-revoked-key",
        "published" => "notice-published",
        "canned-created" => "notice-canned-created",
        "canned-saved" => "notice-canned-saved",
        "canned-deleted" => "notice-canned-deleted",
        "password-reset" => "notice-password-reset",
        "reset-sent" => "notice-reset-sent",
        "signed-out" => "notice-signed-out",
        "widget-saved" => "notice-widget-saved",
        // The admin pages (dashboard, users, teams, routing, settings).
        "user-created" => "notice-user-created",
        "user-saved" => "notice-user-saved",
        "avatar-saved" => "notice-avatar-saved",
        "schedule-saved" => "notice-schedule-saved",
        "team-created" => "notice-team-created",
        "team-deleted" => "notice-team-deleted",
        "team-member-added" => "notice-team-member-added",
        "team-member-removed" => "notice-team-member-removed",
        "rule-created" => "notice-rule-created",
        "rule-moved" => "notice-rule-moved",
        "rule-deleted" => "notice-rule-deleted",
        "settings-saved" => "notice-settings-saved",
        "hours-saved" => "notice-hours-saved",
        // Webhooks, API keys, privacy and the platform's tenants.
        "webhook-deleted" => "notice-webhook-deleted",
        "webhook-replayed" => "notice-webhook-replayed",
        "tenant-created" => "notice-tenant-created",
        "plan-saved" => "notice-plan-saved",
        _ => return None,
    };
    Some(tx.t(id))
}
