//! `/console/webhooks`: the tenant's endpoints (add one with the event kinds it wants, see
//! its secret once, delete it) and each endpoint's delivery log, where any delivery can be
//! replayed.

use std::collections::HashMap;

use askama::Template;
use poem::web::{Data, Path, Query};
use poem::{Response, Route, get, handler, post};
use switchboard_service::Service;
use switchboard_service::webhooks::EVENT_KINDS;
use uuid::Uuid;

use crate::forms::FormErrors;
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::{self, Layout, see_other};
use crate::session::Ctx;
use crate::shared::{PageQuery, error_page, layout, not_found, parse_id, when};

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
    events: String,
}

#[derive(Template)]
#[template(path = "webhooks.html")]
struct ListPage {
    layout: Layout,
    endpoints: Vec<EndpointRow>,
    kinds: Vec<(&'static str, String, bool)>,
    url: String,
    errors: FormErrors,
    /// The secret of the endpoint just created: shown this once.
    secret: Option<String>,
}

fn field_name(kind: &str) -> String {
    format!("event_{}", kind.replace('.', "_"))
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
    let status = crate::pages::form_status(errors.is_empty());
    let mut l = layout(ctx, "Webhooks", "webhooks");
    l.notice = notice_text;
    if secret.is_some() {
        l.notice =
            Some("Webhook added. Copy its signing secret now: it is not shown again.".into());
    }
    pages::render(
        &ListPage {
            layout: l,
            endpoints: endpoints
                .into_iter()
                .map(|e| EndpointRow {
                    id: e.id,
                    events: e.events.join(", "),
                    url: e.url,
                })
                .collect(),
            kinds: EVENT_KINDS
                .iter()
                .map(|k| (*k, field_name(k), checked.iter().any(|c| c == k)))
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

#[handler]
async fn delete(
    Path(id): Path<String>,
    AdminSession(ctx): AdminSession,
    _: CsrfForm,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return not_found(&ctx);
    };
    match svc.delete_webhook(&ctx.principal, id).await {
        Ok(()) => see_other("/console/webhooks?notice=deleted"),
        Err(e) => error_page(&ctx, e),
    }
}

struct DeliveryRow {
    id: Uuid,
    at: String,
    event: String,
    status: String,
    attempts: i32,
    answer: String,
    replay_of: String,
}

#[derive(Template)]
#[template(path = "webhook.html")]
struct DetailPage {
    layout: Layout,
    id: Uuid,
    url: String,
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
    let mut l = layout(&ctx, "Webhook deliveries", "webhooks");
    if q.notice.as_deref() == Some("replayed") {
        l.notice = Some("Replay queued: the same body goes out again as a new delivery.".into());
    }
    pages::ok(&DetailPage {
        layout: l,
        id,
        url: endpoint.url,
        rows: log
            .items
            .into_iter()
            .map(|d| DeliveryRow {
                id: d.id,
                at: when(&ctx, d.created_at),
                event: d.event,
                attempts: d.attempts,
                answer: match (d.last_status, d.last_error) {
                    (Some(s), _) => format!("HTTP {s}"),
                    (None, Some(e)) => e,
                    (None, None) => String::new(),
                },
                status: d.status.to_string(),
                replay_of: d.replay_of.map(|r| r.to_string()).unwrap_or_default(),
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
        Ok(_) => see_other(&format!("/console/webhooks/{id}?notice=replayed")),
        Err(e) => error_page(&ctx, e),
    }
}
