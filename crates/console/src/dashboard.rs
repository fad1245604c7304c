//! `/console`: an admin's first page — the plan and how much of its engagement limit is
//! used, recent activity, the newest failed chats, and the widget's tag to copy.

use askama::Template;
use poem::web::Data;
use poem::{Response, Route, get, handler};
use switchboard_core::page::PageRequest;
use switchboard_service::Service;
use uuid::Uuid;

use crate::guard::AdminSession;
use crate::pages::{Layout, ok};
use crate::shared::{Moment, error_page, layout, moment, reason_words, visitor_name};

pub(crate) fn add_routes(routes: Route) -> Route {
    routes.at("/", get(dashboard))
}

/// The tag a tenant puts on its site to show the widget.
fn widget_snippet(public_url: &str, widget_key: &str) -> String {
    format!(r#"<script src="{public_url}/widget.js" data-key="{widget_key}" async></script>"#)
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    tenant_name: String,
    plan: String,
    used: i64,
    limit: Option<i64>,
    /// Percentage of the limit used (0 when unlimited).
    percent: i64,
    /// `""`, `warn` (80 % or more) or `full` (100 %).
    level: &'static str,
    agents: u64,
    activity: switchboard_service::settings::Activity,
    /// The newest failed chats: `(conversation id, when, visitor, reason)`.
    failed: Vec<(Uuid, Moment, String, String)>,
    /// Visitors waiting in line, the longest waiting first: `(conversation id, how long they
    /// have waited, since when, who they wait for)`.
    waiting: Vec<(Uuid, String, Moment, String)>,
    /// The widget's `<script>` tag, to copy into the tenant's site.
    snippet: String,
    widget_key: String,
}

#[handler]
async fn dashboard(AdminSession(ctx): AdminSession, svc: Data<&Service>) -> Response {
    let (usage, tenant, activity, failed) = match (
        svc.usage(&ctx.principal).await,
        svc.own_tenant(&ctx.principal).await,
        svc.activity(&ctx.principal).await,
        svc.failed_actions(
            &ctx.principal,
            PageRequest {
                limit: 5,
                after: None,
            },
        )
        .await,
    ) {
        (Ok(u), Ok(t), Ok(a), Ok(f)) => (u, t, a, f),
        (Err(e), ..) | (_, Err(e), ..) | (.., Err(e), _) | (.., Err(e)) => {
            return error_page(&ctx, e);
        }
    };
    let waiting = match svc.queue(&ctx.principal).await {
        Ok(items) => waiting_lines(&svc, &ctx, items).await,
        Err(e) => return error_page(&ctx, e),
    };
    let percent = usage
        .engagement_limit
        .filter(|l| *l > 0)
        .map(|l| (usage.engagements_used.saturating_mul(100) / l).min(100))
        .unwrap_or(0);
    let level = match percent {
        100.. => "full",
        80.. => "warn",
        _ => "",
    };
    ok(&DashboardPage {
        layout: layout(&ctx, &ctx.tx().t("nav-dashboard"), "dashboard"),
        tenant_name: tenant.name,
        plan: crate::forms::capitalize(&usage.plan),
        used: usage.engagements_used,
        limit: usage.engagement_limit,
        percent,
        level,
        agents: usage.agents,
        activity,
        failed: failed
            .items
            .into_iter()
            .map(|f| {
                (
                    f.conversation.id,
                    moment(&ctx, f.conversation.updated_at),
                    visitor_name(&ctx, &f.conversation.visitor),
                    reason_words(&ctx, f.reason),
                )
            })
            .collect(),
        waiting,
        snippet: widget_snippet(svc.public_url(), &tenant.widget_key),
        widget_key: tenant.widget_key,
    })
}

/// The queue as the dashboard lists it: how long each visitor has waited, and for whom.
async fn waiting_lines(
    svc: &Service,
    ctx: &crate::session::Ctx,
    items: Vec<switchboard_service::live::QueueItem>,
) -> Vec<(Uuid, String, Moment, String)> {
    let tx = ctx.tx();
    let labels = match crate::shared::targets(svc, ctx).await {
        Ok((_, labels)) => labels,
        Err(_) => Default::default(),
    };
    let now = chrono::Utc::now();
    items
        .into_iter()
        .map(|i| {
            let minutes = (now - i.waiting_since).num_minutes().max(0);
            let waited = tx.t1("dash-waited", "minutes", minutes);
            let target = match i.target.split_once(':') {
                Some((_, id)) => id
                    .parse::<Uuid>()
                    .ok()
                    .and_then(|id| labels.get(&id).cloned())
                    .unwrap_or_else(|| tx.t("dash-target-gone")),
                None => tx.t("dash-target-any"),
            };
            (
                i.conversation_id,
                waited,
                moment(ctx, i.waiting_since),
                target,
            )
        })
        .collect()
}
