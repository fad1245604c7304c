//! `/console/conversations`: the tenant's conversations (newest first, filtered by status),
//! and one conversation's page: who the visitor is, the transcript, and the routing trace.
//! Everything a visitor wrote is escaped by the templates, never trusted as HTML.

use askama::Template;
use poem::web::{Data, Path, Query};
use poem::{Response, Route, get, handler};
use serde::Deserialize;
use serde_json::Value;
use switchboard_core::page::PageRequest;
use switchboard_core::routing::trace::Outcome;
use switchboard_core::{ConversationStatus, DeliveryStatus};
use switchboard_service::Service;
use uuid::Uuid;

use crate::guard::AdminSession;
use crate::pages::{Layout, ok};
use crate::session::Ctx;
use crate::shared::{
    Moment, error_page, layout, moment, not_found, parse_id, reason_words, skip_words,
    visitor_name, when,
};
use switchboard_core::Sender;
use switchboard_i18n::Texts;

pub fn routes() -> Route {
    Route::new().at("/", get(list)).at("/:id", get(detail))
}

struct Row {
    id: Uuid,
    visitor: String,
    /// The status's value (`live`), for its class, and in words.
    status: &'static str,
    status_words: String,
    agent: String,
    created_at: Moment,
    messages: i64,
}

#[derive(Template)]
#[template(path = "conversations.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    statuses: &'static [ConversationStatus],
    status: String,
    next_cursor: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    status: String,
    cursor: Option<String>,
}

/// Display names of the tenant's users, for the agents a page mentions.
async fn names(svc: &Service, ctx: &Ctx) -> std::collections::HashMap<Uuid, String> {
    svc.display_names(&ctx.principal).await.unwrap_or_default()
}

#[handler]
async fn list(
    Query(q): Query<ListQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    let page =
        PageRequest::parse(None, q.cursor.as_deref()).unwrap_or_else(|_| PageRequest::first());
    // An unknown status (an edited address) shows every conversation.
    let status = q.status.parse::<ConversationStatus>().ok();
    let filter = switchboard_service::views::ConversationFilter {
        agent: None,
        statuses: status.into_iter().collect(),
        visitor: None,
    };
    let found = match svc.list_conversations(&ctx.principal, filter, page).await {
        Ok(p) => p,
        Err(e) => return error_page(&ctx, e),
    };
    let names = names(&svc, &ctx).await;
    let rows = found
        .items
        .into_iter()
        .map(|c| Row {
            id: c.id,
            visitor: visitor_name(&ctx, &c.visitor),
            agent: c
                .assigned_agent_id
                .and_then(|a| names.get(&a).cloned())
                .unwrap_or_default(),
            status: c.status.as_str(),
            status_words: status_words(ctx.tx(), c.status),
            created_at: moment(&ctx, c.created_at),
            messages: c.last_seq,
        })
        .collect();
    ok(&ListPage {
        layout: layout(&ctx, &ctx.tx().t("nav-conversations"), "conversations"),
        rows,
        statuses: ConversationStatus::ALL,
        status: status.map(|s| s.to_string()).unwrap_or_default(),
        next_cursor: found.next_cursor.map(|c| c.to_string()),
    })
}

struct Line {
    sender: String,
    /// Who wrote it, as shown: the agent's name for agents' messages and notes.
    who: String,
    body: String,
    sent_at: String,
    note: bool,
    /// A file's name and type, when the message carries one.
    file: Option<(String, String)>,
    author: Option<Uuid>,
}

struct OfferRow {
    agent: String,
    offered_at: String,
    /// The offer's state (`declined`), for its class, and in words.
    state: &'static str,
    resolution: String,
    delivered: String,
}

#[derive(Template)]
#[template(path = "conversation.html")]
struct DetailPage {
    layout: Layout,
    visitor: String,
    status: String,
    created_at: String,
    ended_at: String,
    agent: String,
    details: Vec<(String, String)>,
    lines: Vec<Line>,
    mode: String,
    rule: String,
    considered: Vec<(String, String)>,
    offers: Vec<OfferRow>,
    outcome: String,
    /// What the visitor left after the fallback: `(name, email, message, when)`.
    left: Option<(String, String, String, String)>,
    /// The visitor's other conversations, newest first: `(id, started, status)`.
    earlier: Vec<(Uuid, Moment, String)>,
    /// The visitor's rating: `(score, comment, when)`.
    rating: Option<(i32, String, String)>,
}

/// A conversation's status in words.
fn status_words(tx: Texts, status: ConversationStatus) -> String {
    tx.t1("conv-status", "status", status.as_str())
}

/// Who sent a message, in words (agents' messages name their agent instead).
fn sender_words(tx: Texts, sender: Sender) -> String {
    match sender {
        Sender::Visitor => tx.t("sender-visitor"),
        Sender::Agent => tx.t("sender-agent"),
        Sender::Bot => tx.t("sender-bot"),
        Sender::System => tx.t("sender-system"),
    }
}

/// The visitor's known details as label/value rows.
fn details(tx: Texts, v: &Value) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    if let Some(captured) = v["captured"].as_object() {
        for (k, val) in captured {
            let label = match k.as_str() {
                "first_name" => tx.t("field-first-name"),
                "last_name" => tx.t("field-last-name"),
                "email" => tx.t("field-email"),
                "job_title" => tx.t("field-job-title"),
                "company" => tx.t("field-company"),
                "phone" => tx.t("field-phone"),
                other => other.to_owned(),
            };
            rows.push((label, val.as_str().unwrap_or_default().to_owned()));
        }
    }
    if let Some(user) = v["user_id"].as_str() {
        let verified = v["verified"].as_bool() == Some(true);
        rows.push((
            tx.t("conv-customer-id"),
            tx.t2(
                "conv-customer-id-value",
                "id",
                user,
                "verified",
                if verified { "yes" } else { "no" },
            ),
        ));
    }
    let place: Vec<&str> = ["city", "region", "country"]
        .iter()
        .filter_map(|k| v[*k].as_str())
        .collect();
    if !place.is_empty() {
        rows.push((tx.t("conv-location"), place.join(", ")));
    }
    if let Some(page) = v["page_url"].as_str() {
        rows.push((tx.t("field-page"), page.to_owned()));
    }
    rows
}

#[handler]
async fn detail(
    Path(id): Path<String>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return not_found(&ctx);
    };
    let c = match svc.conversation(&ctx.principal, id).await {
        Ok(c) => c,
        Err(e) => return error_page(&ctx, e),
    };
    let mut lines = Vec::new();
    let mut after = 0;
    loop {
        let page = match svc.messages(&ctx.principal, id, after, 500).await {
            Ok(p) => p,
            Err(e) => return error_page(&ctx, e),
        };
        let Some(last) = page.last().map(|m| m.seq) else {
            break;
        };
        lines.extend(page.into_iter().map(|m| {
            Line {
                sender: m.sender.to_string(),
                who: sender_words(ctx.tx(), m.sender),
                note: m.kind == switchboard_core::MessageKind::Note,
                file: m
                    .attachment
                    .as_ref()
                    .map(|a| (a.name.clone(), a.content_type.clone())),
                author: m.author_id,
                body: m.body,
                sent_at: when(&ctx, m.sent_at),
            }
        }));
        after = last;
    }
    let mut earlier = Vec::new();
    if let Some(visitor) = c.visitor_id {
        let filter = switchboard_service::views::ConversationFilter {
            visitor: Some(visitor),
            ..Default::default()
        };
        let page = PageRequest::parse(Some(20), None).unwrap_or_else(|_| PageRequest::first());
        match svc.list_conversations(&ctx.principal, filter, page).await {
            Ok(p) => earlier.extend(p.items.into_iter().filter(|o| o.id != c.id).map(|o| {
                (
                    o.id,
                    moment(&ctx, o.created_at),
                    status_words(ctx.tx(), o.status),
                )
            })),
            Err(e) => return error_page(&ctx, e),
        }
    }
    let names = names(&svc, &ctx).await;
    let name = |a: &Uuid| names.get(a).cloned().unwrap_or_else(|| a.to_string());
    for l in &mut lines {
        if let Some(a) = &l.author {
            l.who = name(a);
        }
    }
    let t = &c.trace;
    let tx = ctx.tx();
    let outcome = match &t.outcome {
        Outcome::Accepted { agent_id } => {
            tx.t1("conv-outcome-accepted", "name", name(&agent_id.as_uuid()))
        }
        Outcome::Fallback { reason } => tx.t1(
            "conv-outcome-fallback",
            "reason",
            reason_words(&ctx, Some(*reason)),
        ),
        Outcome::Pending => tx.t("conv-outcome-pending"),
        Outcome::Queued { since } => tx.t1("conv-outcome-queued", "since", when(&ctx, *since)),
    };
    let visitor = visitor_name(&ctx, &c.visitor);
    ok(&DetailPage {
        layout: layout(&ctx, &visitor, "conversations"),
        visitor,
        status: status_words(tx, c.status),
        created_at: when(&ctx, c.created_at),
        ended_at: c.ended_at.map(|t| when(&ctx, t)).unwrap_or_default(),
        // An agent no longer in the workspace is left blank here, as before (the trace below
        // still names them by id).
        agent: c
            .assigned_agent_id
            .and_then(|a| names.get(&a).cloned())
            .unwrap_or_default(),
        details: details(tx, &c.visitor),
        lines,
        mode: if t.mode.is_empty() {
            String::new()
        } else {
            tx.t1("conv-mode", "mode", &t.mode)
        },
        rule: t
            .rule_matched
            .as_ref()
            .map(|r| r.name.clone())
            .unwrap_or_default(),
        considered: t
            .considered
            .iter()
            .map(|x| {
                (
                    name(&x.agent_id.as_uuid()),
                    x.skipped.map_or_else(
                        || tx.t("conv-considered-offered"),
                        |s| tx.t1("conv-considered-skipped", "reason", skip_words(&ctx, s)),
                    ),
                )
            })
            .collect(),
        offers: t
            .offers
            .iter()
            .map(|o| OfferRow {
                agent: name(&o.agent_id.as_uuid()),
                offered_at: when(&ctx, o.offered_at),
                state: o.resolution.as_str(),
                resolution: tx.t1("offer-state", "state", o.resolution.as_str()),
                delivered: o
                    .delivered
                    .as_ref()
                    .map(|d| {
                        tx.t2(
                            "conv-delivered",
                            "channel",
                            &d.channel,
                            "time",
                            switchboard_i18n::format::time(
                                ctx.reader.locale,
                                ctx.reader.timezone,
                                d.at,
                            ),
                        )
                    })
                    .unwrap_or_default(),
            })
            .collect(),
        outcome,
        left: c.left_message.as_ref().map(|m| {
            (
                m.name.clone().unwrap_or_default(),
                m.email.clone(),
                m.message.clone(),
                when(&ctx, m.left_at),
            )
        }),
        earlier,
        rating: c.rating.as_ref().map(|r| {
            (
                r.score,
                r.comment.clone().unwrap_or_default(),
                when(&ctx, r.rated_at),
            )
        }),
    })
}

/// One line on a failed chat's emails.
fn email_status(tx: Texts, emails: &[switchboard_service::views::Email]) -> String {
    if emails.is_empty() {
        return tx.t("failed-email-none");
    }
    emails
        .iter()
        .map(|m| {
            let to = m.recipients.join(", ");
            match m.status {
                DeliveryStatus::Sent | DeliveryStatus::Delivered => {
                    tx.t1("failed-email-sent", "to", to)
                }
                DeliveryStatus::Failed => tx.t1("failed-email-failed", "to", to),
                _ if m.attempts == 0 => tx.t1("failed-email-queued", "to", to),
                _ => tx.t2("failed-email-pending", "to", to, "count", m.attempts),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Routes under `/console/failed-actions`.
pub fn failed_routes() -> Route {
    Route::new().at("/", get(failed))
}

struct FailedRow {
    id: Uuid,
    at: Moment,
    visitor: String,
    reason: String,
    missed_by: String,
    /// Where its emails stand, e.g. "sent to a@x.com; pending for b@y.com (2 tries)".
    emails: String,
}

#[derive(Template)]
#[template(path = "failed_actions.html")]
struct FailedPage {
    layout: Layout,
    rows: Vec<FailedRow>,
    next_cursor: Option<String>,
}

#[handler]
async fn failed(
    Query(q): Query<ListQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    let page =
        PageRequest::parse(None, q.cursor.as_deref()).unwrap_or_else(|_| PageRequest::first());
    let found = match svc.failed_actions(&ctx.principal, page).await {
        Ok(p) => p,
        Err(e) => return error_page(&ctx, e),
    };
    let names = names(&svc, &ctx).await;
    let rows = found
        .items
        .into_iter()
        .map(|f| FailedRow {
            id: f.conversation.id,
            at: moment(&ctx, f.conversation.updated_at),
            visitor: visitor_name(&ctx, &f.conversation.visitor),
            reason: reason_words(&ctx, f.reason),
            missed_by: f
                .missed_by
                .iter()
                .map(|a| names.get(a).cloned().unwrap_or_else(|| a.to_string()))
                .collect::<Vec<_>>()
                .join(", "),
            emails: email_status(ctx.tx(), &f.emails),
        })
        .collect();
    ok(&FailedPage {
        layout: layout(&ctx, &ctx.tx().t("nav-failed"), "failed"),
        rows,
        next_cursor: found.next_cursor.map(|c| c.to_string()),
    })
}
