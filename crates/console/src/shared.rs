//! What the console pages share: the admin console's layout and error page, the query of
//! a list page, ids from the path, and how times, visitors and routing targets are written.
//! Pages use this module and never each other.

use std::collections::HashMap;

use poem::Response;
use poem::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;
use switchboard_core::page::PageRequest;
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
    let errors = FormErrors::from_service(err);
    pages::render(
        &pages::MessagePage {
            layout: layout(ctx, "Error", ""),
            heading: "That did not work".into(),
            message: errors.general.unwrap_or_else(|| "Please try again.".into()),
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
    pub fn notice(&self) -> Option<String> {
        pages::notice(self.notice.as_deref())
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

/// A moment, to the second.
pub(crate) fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// A moment, to the minute.
pub(crate) fn when_minute(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A visitor's name as far as it is known.
pub(crate) fn visitor_name(v: &Value) -> String {
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
        .unwrap_or("Anonymous visitor")
        .to_owned()
}

/// A name written with underscores (`no_agent_available`), as words.
pub(crate) fn words(name: &str) -> String {
    name.replace('_', " ")
}

/// Why a chat fell back, in words ("no agent available"); empty when it did not.
pub(crate) fn reason_words(reason: Option<FallbackReason>) -> String {
    reason.map(|r| words(r.as_str())).unwrap_or_default()
}

/// What a chat may be routed to: `(agent:<id> or team:<id>, label)` for the agents who may
/// chat and every team, and the same labels by id.
pub(crate) async fn targets(
    svc: &Service,
    ctx: &Ctx,
) -> Result<(Vec<(String, String)>, HashMap<Uuid, String>), ServiceError> {
    let mut names = HashMap::new();
    let mut out = Vec::new();
    for u in svc.list_users(&ctx.principal, everything()).await?.items {
        if u.user.live_chat_permission && u.user.active {
            names.insert(u.user.id, format!("Agent: {}", u.user.display_name));
            out.push((
                format!("agent:{}", u.user.id),
                format!("Agent: {}", u.user.display_name),
            ));
        }
    }
    for t in svc.list_teams(&ctx.principal, everything()).await?.items {
        names.insert(t.team.id, format!("Team: {}", t.team.name));
        out.push((
            format!("team:{}", t.team.id),
            format!("Team: {}", t.team.name),
        ));
    }
    Ok((out, names))
}
