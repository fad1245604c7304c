//! What the console pages share: the admin console's layout and error page, the query of
//! a list page, ids from the path, and how times, visitors and routing targets are written.
//! Pages use this module and never each other.

use std::collections::HashMap;

use poem::Response;
use poem::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;
use switchboard_core::page::PageRequest;
use switchboard_core::routing::eligibility::SkipReason;
use switchboard_core::routing::trace::FallbackReason;
use switchboard_service::{Service, ServiceError};
use uuid::Uuid;

use crate::forms::FormErrors;
use crate::pages::{self, Layout};
use crate::session::Ctx;

/// The layout of an admin console page; `section` marks its link in the navigation.
pub(crate) fn layout(ctx: &Ctx, title: &str, section: &'static str) -> Layout {
    Layout {
        title: title.to_owned(),
        nav: "console",
        section,
        csrf: ctx.csrf.clone(),
        who: ctx.email().to_owned(),
        notice: None,
        tx: ctx.tx(),
    }
}

/// A page that cannot be shown (an item gone, a permission refused): 404 with why.
pub(crate) fn error_page(ctx: &Ctx, err: ServiceError) -> Response {
    let tx = ctx.tx();
    let errors = FormErrors::from_service(err, tx);
    pages::render(
        &pages::MessagePage {
            layout: layout(ctx, &tx.t("error-title"), ""),
            heading: tx.t("error-heading"),
            message: errors.general.unwrap_or_else(|| tx.t("error-try-again")),
            back: "/console".into(),
        },
        StatusCode::NOT_FOUND,
    )
}

/// The error page of an id that names nothing.
pub(crate) fn not_found(ctx: &Ctx) -> Response {
    error_page(ctx, ServiceError::NotFound)
}

/// The query of a page: the notice after a change, and where a list resumes.
#[derive(Deserialize, Default)]
pub(crate) struct PageQuery {
    pub notice: Option<String>,
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The notice after a change, in the reader's language.
    pub fn notice(&self, ctx: &Ctx) -> Option<String> {
        pages::notice(self.notice.as_deref(), ctx.tx())
    }

    /// The page of the list to show: the first when the cursor is missing or not ours.
    pub fn page(&self) -> PageRequest {
        PageRequest::parse(None, self.cursor.as_deref()).unwrap_or_else(|_| PageRequest::first())
    }
}

/// Up to 200 items at once, for a select or a lookup of names.
pub(crate) fn everything() -> PageRequest {
    PageRequest::parse(Some(200), None).unwrap_or_else(|_| PageRequest::first())
}

/// An id from the path; one that is not a UUID names nothing.
pub(crate) fn parse_id(raw: &str) -> Option<Uuid> {
    raw.parse().ok()
}

/// A moment as the reader reads it: date and time in their language and time zone.
pub(crate) fn when(ctx: &Ctx, t: chrono::DateTime<chrono::Utc>) -> String {
    switchboard_i18n::format::date_time(ctx.reader.locale, ctx.reader.timezone, t)
}

/// A moment in a list: relative ("5 minutes ago") with the full date and time beside it
/// (templates write `<time datetime="{{ m.iso }}" title="{{ m.full }}">{{ m.ago }}</time>`).
#[derive(Debug, Clone)]
pub(crate) struct Moment {
    pub ago: String,
    pub full: String,
    pub iso: String,
}

pub(crate) fn moment(ctx: &Ctx, t: chrono::DateTime<chrono::Utc>) -> Moment {
    let r = &ctx.reader;
    Moment {
        ago: switchboard_i18n::format::relative(r.locale, r.timezone, t, chrono::Utc::now()),
        full: switchboard_i18n::format::date_time(r.locale, r.timezone, t),
        iso: t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

/// A visitor's name as far as it is known.
pub(crate) fn visitor_name(ctx: &Ctx, v: &Value) -> String {
    let c = &v["captured"];
    let name = [c["first_name"].as_str(), c["last_name"].as_str()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !name.is_empty() {
        return name;
    }
    c["email"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| ctx.tx().t("visitor-anonymous"))
}

/// Why an agent was not offered a chat, in words ("at capacity").
pub(crate) fn skip_words(ctx: &Ctx, reason: SkipReason) -> String {
    ctx.tx().t1("skip-reason", "reason", reason.as_str())
}

/// Why a chat fell back, in words ("no agent available"); empty when it did not.
pub(crate) fn reason_words(ctx: &Ctx, reason: Option<FallbackReason>) -> String {
    let tx = ctx.tx();
    reason
        .map(|r| tx.t1("fallback-reason", "reason", r.as_str()))
        .unwrap_or_default()
}

/// What a chat may be routed to: `(agent:<id> or team:<id>, label)` for the agents who may
/// chat and every team, and the same labels by id.
pub(crate) async fn targets(
    svc: &Service,
    ctx: &Ctx,
) -> Result<(Vec<(String, String)>, HashMap<Uuid, String>), ServiceError> {
    let tx = ctx.tx();
    let mut names = HashMap::new();
    let mut out = Vec::new();
    for u in svc.list_users(&ctx.principal, everything()).await?.items {
        if u.user.live_chat_permission && u.user.active {
            let label = tx.t1("target-agent", "name", &u.user.display_name);
            names.insert(u.user.id, label.clone());
            out.push((format!("agent:{}", u.user.id), label));
        }
    }
    for t in svc.list_teams(&ctx.principal, everything()).await?.items {
        let label = tx.t1("target-team", "name", &t.team.name);
        names.insert(t.team.id, label.clone());
        out.push((format!("team:{}", t.team.id), label));
    }
    Ok((out, names))
}
