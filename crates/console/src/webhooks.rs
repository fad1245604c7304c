//! `/console/webhooks`: the tenant's endpoints (add one with the event kinds it wants, see
//! its secret once, delete it after confirming) and each endpoint's delivery log, where any
//! delivery can be replayed.

use std::collections::HashMap;

use askama::Template;
use poem::web::{Data, Path, Query};
use poem::{Response, Route, get, handler, post};
use switchboard_service::Service;
use switchboard_service::webhooks::EVENT_KINDS;
use uuid::Uuid;

use crate::confirm_step::{self, Ask, Confirmed};
use crate::forms::FormErrors;
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::{self, Layout, see_other};
use crate::session::Ctx;
use crate::shared::{Moment, PageQuery, error_page, layout, moment, not_found, parse_id};

pub fn routes() -> Route {
    Route::new()
        .at("/", get(list).post(create))
        .at("/:id", get(detail))
        .at("/:id/delete", post(delete))
        .at("/:id/deliveries/:delivery_id/replay", post(replay))
}

struct EndpointRow {
    id: Uuid,
    url: String,
    /// The event kinds it wants, in words.
    events: Vec<String>,
}

/// An event kind of the new-webhook form: `(kind, checkbox name, words, checked)`.
struct Kind {
    kind: &'static str,
    field: String,
    words: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "webhooks.html")]
struct ListPage {
    layout: Layout,
    endpoints: Vec<EndpointRow>,
    kinds: Vec<Kind>,
    url: String,
    errors: FormErrors,
    /// The secret of the endpoint just created: shown this once.
    secret: Option<String>,
}

fn field_name(kind: &str) -> String {
    format!("event_{}", kind.replace('.', "_"))
}

/// An event kind in words ("A visitor rated a chat"); Fluent's variant keys have no dots.
fn event_words(ctx: &Ctx, kind: &str) -> String {
    ctx.tx().t2(
        "webhook-event",
        "event",
        kind.replace('.', "-"),
        "code",
        kind,
    )
}

async fn list_view(
    svc: &Service,
    ctx: &Ctx,
    url: String,
    checked: &[String],
    errors: FormErrors,
    secret: Option<String>,
    notice_text: Option<String>,
) -> Response {
    let endpoints = match svc.list_webhooks(&ctx.principal).await {
        Ok(e) => e,
        Err(e) => return error_page(ctx, e),
    };
    let tx = ctx.tx();
    let status = crate::pages::form_status(errors.is_empty());
    let mut l = layout(ctx, &tx.t("webhooks-title"), "webhooks");
    l.notice = notice_text;
    if secret.is_some() {
        l.notice = Some(tx.t("webhooks-added"));
    }
    pages::render(
        &ListPage {
            layout: l,
            endpoints: endpoints
                .into_iter()
                .map(|e| EndpointRow {
                    id: e.id,
                    events: e.events.iter().map(|k| event_words(ctx, k)).collect(),
                    url: e.url,
                })
                .collect(),
            kinds: EVENT_KINDS
                .iter()
                .map(|k| Kind {
                    kind: k,
                    field: field_name(k),
                    words: event_words(ctx, k),
                    checked: checked.iter().any(|c| c == k),
                })
                .collect(),
            url,
            errors,
            secret,
        },
        status,
    )
}

#[handler]
async fn list(
    Query(q): Query<PageQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    let errors = FormErrors::default();
    list_view(&svc, &ctx, String::new(), &[], errors, None, q.notice(&ctx)).await
}

/// The form names its event kinds by checkbox (`event_conversation_ended`), so it is read
/// as name/value pairs.
#[handler]
async fn create(
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
    svc: Data<&Service>,
) -> Response {
    let url = form.get("url").cloned().unwrap_or_default();
    let events: Vec<String> = EVENT_KINDS
        .iter()
        .filter(|k| form.contains_key(&field_name(k)))
        .map(|k| (*k).to_owned())
        .collect();
    match svc.create_webhook(&ctx.principal, &url, &events).await {
        Ok(created) => {
            list_view(
                &svc,
                &ctx,
                String::new(),
                &[],
                FormErrors::default(),
                Some(created.secret),
                None,
            )
            .await
        }
        Err(e) => {
            list_view(
                &svc,
                &ctx,
                url,
                &events,
                FormErrors::from_service(e, ctx.tx()),
                None,
                None,
            )
            .await
        }
    }
}

/// Deletes the endpoint once confirmed; without the confirmation, asks first.
#[handler]
async fn delete(
    Path(id): Path<String>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<Confirmed>,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return not_found(&ctx);
    };
    if !form.yes() {
        let endpoint = match svc.list_webhooks(&ctx.principal).await {
            Ok(all) => all.into_iter().find(|e| e.id == id),
            Err(e) => return error_page(&ctx, e),
        };
        let Some(endpoint) = endpoint else {
            return not_found(&ctx);
        };
        let tx = ctx.tx();
        let ask = Ask::for_good(
            &tx,
            tx.t("webhooks-delete-confirm"),
            tx.t1("webhooks-delete-question", "url", &endpoint.url),
            format!("/console/webhooks/{id}/delete"),
            "/console/webhooks",
        );
        return confirm_step::ask(&ctx, "webhooks", ask);
    }
    match svc.delete_webhook(&ctx.principal, id).await {
        Ok(()) => see_other("/console/webhooks?notice=webhook-deleted"),
        Err(e) => error_page(&ctx, e),
    }
}

struct DeliveryRow {
    id: Uuid,
    at: Moment,
    event: String,
    status: String,
    /// `ok` (delivered), `bad` (failed) or `` (on its way): how its status is drawn.
    tone: &'static str,
    attempts: i32,
    answer: String,
    replay: bool,
}

#[derive(Template)]
#[template(path = "webhook.html")]
struct DetailPage {
    layout: Layout,
    id: Uuid,
    url: String,
    /// The event kinds it wants, in words (for the empty state).
    events: String,
    rows: Vec<DeliveryRow>,
    next_cursor: Option<String>,
}

#[handler]
async fn detail(
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return not_found(&ctx);
    };
    let (endpoint, log) = match svc.webhook_deliveries(&ctx.principal, id, q.page()).await {
        Ok(found) => found,
        Err(e) => return error_page(&ctx, e),
    };
    let tx = ctx.tx();
    let mut l = layout(&ctx, &tx.t("webhook-heading"), "webhooks");
    l.notice = q.notice(&ctx);
    pages::ok(&DetailPage {
        layout: l,
        id,
        events: endpoint
            .events
            .iter()
            .map(|k| event_words(&ctx, k))
            .collect::<Vec<_>>()
            .join(", "),
        url: endpoint.url,
        rows: log
            .items
            .into_iter()
            .map(|d| DeliveryRow {
                id: d.id,
                at: moment(&ctx, d.created_at),
                event: event_words(&ctx, &d.event),
                attempts: d.attempts,
                answer: match (d.last_status, d.last_error) {
                    (Some(s), _) => format!("HTTP {s}"),
                    (None, Some(e)) => e,
                    (None, None) => String::new(),
                },
                tone: match d.status.as_str() {
                    "delivered" | "sent" => "ok",
                    "failed" => "bad",
                    _ => "",
                },
                status: tx.t1("webhook-status", "status", d.status.as_str()),
                replay: d.replay_of.is_some(),
            })
            .collect(),
        next_cursor: log.next_cursor.map(|c| c.to_string()),
    })
}

#[handler]
async fn replay(
    Path((id, delivery)): Path<(String, String)>,
    AdminSession(ctx): AdminSession,
    _: CsrfForm,
    svc: Data<&Service>,
) -> Response {
    let (Some(id), Some(delivery)) = (parse_id(&id), parse_id(&delivery)) else {
        return not_found(&ctx);
    };
    match svc.replay_webhook(&ctx.principal, id, delivery).await {
        Ok(_) => see_other(&format!("/console/webhooks/{id}?notice=webhook-replayed")),
        Err(e) => error_page(&ctx, e),
    }
}
