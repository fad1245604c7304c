//! `/console/routing`: the custom rules editor (add, reorder, delete) and the dry run. Forms
//! only; conditions are written one per line as `field operator value[, value…]`.

use askama::Template;
use poem::web::{Data, Path, Query};
use poem::{Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_core::ValidationError;
use switchboard_core::routing::rules::Visitor;
use switchboard_service::routing::{ConditionInput, RuleChange, RuleInput, stored_conditions};
use switchboard_service::{Service, ServiceError};
use uuid::Uuid;

use crate::confirm_step::{self, Ask, confirmed};
use crate::forms::FormErrors;
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::{self, see_other};
use crate::session::Ctx;
use crate::shared::{PageQuery, error_page, layout, parse_id, reason_words, skip_words, targets};

pub fn routes() -> Route {
    Route::new()
        .at("/", get(page))
        .at("/rules", post(create_rule))
        .at("/rules/:id/move", post(move_rule))
        .at("/rules/:id/delete", post(delete_rule))
        .at("/dry-run", post(dry_run))
}

struct RuleRow {
    id: Uuid,
    name: String,
    conditions: String,
    target: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RuleForm {
    name: String,
    conditions: String,
    target: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DryForm {
    mode: String,
    country: String,
    region: String,
    city: String,
    page_url: String,
}

#[derive(Default)]
struct DryState {
    mode: String,
    result: Option<String>,
    steps: Vec<String>,
}

#[derive(Template)]
#[template(path = "routing.html")]
struct RoutingPage {
    layout: crate::pages::Layout,
    rules: Vec<RuleRow>,
    /// (`agent:<id>` or `team:<id>`, label)
    targets: Vec<(String, String)>,
    form: RuleForm,
    errors: FormErrors,
    conditions_error: String,
    dry: DryState,
    /// (field, label, value)
    dry_fields: Vec<(&'static str, String, String)>,
}

/// Parses the conditions box: one `field operator value[, value…]` per line.
fn parse_conditions(raw: &str) -> Result<Vec<ConditionInput>, ServiceError> {
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, line)| {
            let mut parts = line.splitn(3, char::is_whitespace);
            let (Some(field), Some(operator), Some(rest)) =
                (parts.next(), parts.next(), parts.next())
            else {
                return Err(ValidationError::new(
                    format!("conditions[{i}]"),
                    format!("line {} must read: field operator value", i + 1),
                )
                .into());
            };
            let values = if operator == "one_of" {
                rest.split(',')
                    .map(|v| v.trim().to_owned())
                    .filter(|v| !v.is_empty())
                    .collect()
            } else {
                vec![rest.trim().to_owned()]
            };
            Ok(ConditionInput {
                field: field.to_owned(),
                operator: operator.to_owned(),
                values,
            })
        })
        .collect()
}

fn parse_target(raw: &str) -> Result<(String, Uuid), ServiceError> {
    raw.split_once(':')
        .and_then(|(kind, id)| Some((kind.to_owned(), id.parse().ok()?)))
        .ok_or_else(|| ValidationError::new("target.id", "choose an agent or a team").into())
}

async fn render(
    svc: &Service,
    ctx: &Ctx,
    form: RuleForm,
    errors: FormErrors,
    dry: DryState,
    dry_form: DryForm,
    notice_text: Option<String>,
) -> Response {
    let (targets, names) = match targets(svc, ctx).await {
        Ok(t) => t,
        Err(e) => return error_page(ctx, e),
    };
    let rules = match svc.list_rules(&ctx.principal).await {
        Ok(r) => r,
        Err(e) => return error_page(ctx, e),
    };
    let rows = rules
        .into_iter()
        .map(|r| RuleRow {
            id: r.id,
            conditions: stored_conditions(&r.conditions)
                .into_iter()
                .map(|c| format!("{} {} {}", c.field, c.operator, c.values.join(", ")))
                .collect::<Vec<_>>()
                .join("; "),
            target: names.get(&r.target_id).cloned().unwrap_or_else(|| {
                ctx.tx()
                    .t1("routing-target-removed", "kind", &r.target_kind)
            }),
            name: r.name,
        })
        .collect();
    let conditions_error = errors.first_with_prefix("conditions").to_owned();
    let status = crate::pages::form_status(errors.is_empty());
    let tx = ctx.tx();
    let mut l = layout(ctx, &tx.t("nav-routing"), "routing");
    l.notice = notice_text;
    pages::render(
        &RoutingPage {
            layout: l,
            rules: rows,
            targets,
            form,
            errors,
            conditions_error,
            dry,
            dry_fields: vec![
                ("country", tx.t("routing-dry-country"), dry_form.country),
                ("region", tx.t("routing-dry-region"), dry_form.region),
                ("city", tx.t("routing-dry-city"), dry_form.city),
                ("page_url", tx.t("routing-dry-page"), dry_form.page_url),
            ],
        },
        status,
    )
}

/// The page with empty forms and the error of a failed action.
async fn render_error(svc: &Service, ctx: &Ctx, err: ServiceError) -> Response {
    render(
        svc,
        ctx,
        RuleForm::default(),
        FormErrors::from_service(err, ctx.tx()),
        DryState::default(),
        DryForm::default(),
        None,
    )
    .await
}

#[handler]
async fn page(
    Query(q): Query<PageQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    render(
        &svc,
        &ctx,
        RuleForm::default(),
        FormErrors::default(),
        DryState::default(),
        DryForm::default(),
        q.notice(&ctx),
    )
    .await
}

#[handler]
async fn create_rule(
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<RuleForm>,
    svc: Data<&Service>,
) -> Response {
    let result = async {
        let conditions = parse_conditions(&form.conditions)?;
        let (kind, id) = parse_target(&form.target)?;
        svc.create_rule(
            &ctx.principal,
            RuleInput {
                name: form.name.clone(),
                position: None,
                conditions,
                target_kind: kind,
                target_id: id,
            },
        )
        .await
    }
    .await;
    match result {
        Ok(_) => see_other("/console/routing?notice=rule-created"),
        Err(e) => {
            render(
                &svc,
                &ctx,
                form,
                FormErrors::from_service(e, ctx.tx()),
                DryState::default(),
                DryForm::default(),
                None,
            )
            .await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MoveForm {
    direction: String,
}

/// Moves a rule one place up or down, renumbering positions 10, 20, 30… in the new order.
#[handler]
async fn move_rule(
    Path(id): Path<String>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<MoveForm>,
    svc: Data<&Service>,
) -> Response {
    let result = async {
        let id = parse_id(&id).ok_or(ServiceError::NotFound)?;
        let mut rules = svc.list_rules(&ctx.principal).await?;
        let i = rules
            .iter()
            .position(|r| r.id == id)
            .ok_or(ServiceError::NotFound)?;
        let j = match form.direction.as_str() {
            "up" if i > 0 => i - 1,
            "down" if i + 1 < rules.len() => i + 1,
            _ => return Ok(()),
        };
        rules.swap(i, j);
        for (n, r) in rules.iter().enumerate() {
            let position = i32::try_from((n + 1) * 10).unwrap_or(i32::MAX);
            if r.position != position {
                svc.update_rule(
                    &ctx.principal,
                    r.id,
                    RuleChange {
                        position: Some(position),
                        ..Default::default()
                    },
                )
                .await?;
            }
        }
        Ok::<(), ServiceError>(())
    }
    .await;
    match result {
        Ok(()) => see_other("/console/routing?notice=rule-moved"),
        Err(e) => render_error(&svc, &ctx, e).await,
    }
}

/// A destructive form's confirmation: `yes` once confirmed.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ConfirmForm {
    confirm: Option<String>,
}

/// Deleting a rule is asked first.
#[handler]
async fn delete_rule(
    Path(id): Path<String>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<ConfirmForm>,
    svc: Data<&Service>,
) -> Response {
    if !confirmed(form.confirm.as_deref())
        && let Some(rule) = parse_id(&id)
    {
        let rules = match svc.list_rules(&ctx.principal).await {
            Ok(r) => r,
            Err(e) => return error_page(&ctx, e),
        };
        let Some(rule) = rules.into_iter().find(|r| r.id == rule) else {
            return render_error(&svc, &ctx, ServiceError::NotFound).await;
        };
        let tx = ctx.tx();
        return confirm_step::ask(
            &ctx,
            "routing",
            Ask {
                question: tx.t1("routing-delete-question", "name", &rule.name),
                detail: tx.t("routing-delete-detail"),
                button: tx.t("routing-delete-button"),
                action: format!("/console/routing/rules/{}/delete", rule.id),
                fields: Vec::new(),
                back: "/console/routing".into(),
            },
        );
    }
    let result = match parse_id(&id) {
        Some(id) => svc.delete_rule(&ctx.principal, id).await,
        None => Err(ServiceError::NotFound),
    };
    match result {
        Ok(()) => see_other("/console/routing?notice=rule-deleted"),
        Err(e) => render_error(&svc, &ctx, e).await,
    }
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

#[handler]
async fn dry_run(
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<DryForm>,
    svc: Data<&Service>,
) -> Response {
    let Some(tenant) = ctx.principal.tenant() else {
        return see_other("/console/login");
    };
    let (mode, agent, team) = match form.mode.split_once(':') {
        Some(("agent", id)) => ("agent", id.parse().ok(), None),
        Some(("team", id)) => ("team", None, id.parse().ok()),
        _ => (form.mode.as_str(), None, None),
    };
    let visitor = Visitor {
        country: opt(&form.country),
        region: opt(&form.region),
        city: opt(&form.city),
        page_url: opt(&form.page_url),
        captured: Default::default(),
    };
    let run = match svc.routing_mode(tenant, mode, agent, team).await {
        Ok(mode) => {
            svc.dry_run(&ctx.principal, mode, &visitor, chrono::Utc::now())
                .await
        }
        Err(e) => Err(e),
    };
    let mut dry = DryState {
        mode: form.mode.clone(),
        ..DryState::default()
    };
    match run {
        Ok(run) => {
            let agents = match svc.display_names(&ctx.principal).await {
                Ok(n) => n,
                Err(e) => return error_page(&ctx, e),
            };
            let name = |id: switchboard_core::UserId| {
                agents
                    .get(&id.as_uuid())
                    .cloned()
                    .unwrap_or_else(|| id.to_string())
            };
            let tx = ctx.tx();
            dry.result = Some(match (&run.would_offer, run.fallback) {
                (Some(agent), _) => tx.t1("routing-dry-offered", "name", &agent.display_name),
                (None, Some(reason)) => tx.t1(
                    "routing-dry-fallback",
                    "reason",
                    reason_words(&ctx, Some(reason)),
                ),
                (None, None) => tx.t("routing-dry-nobody"),
            });
            if let Some(rule) = &run.trace.rule_matched {
                dry.steps
                    .push(tx.t1("routing-dry-rule-matched", "name", &rule.name));
            }
            for c in &run.trace.considered {
                dry.steps.push(match c.skipped {
                    Some(reason) => tx.t2(
                        "routing-dry-skipped",
                        "name",
                        name(c.agent_id),
                        "reason",
                        skip_words(&ctx, reason),
                    ),
                    None => tx.t1("routing-dry-would-offer", "name", name(c.agent_id)),
                });
            }
            render(
                &svc,
                &ctx,
                RuleForm::default(),
                FormErrors::default(),
                dry,
                form,
                None,
            )
            .await
        }
        Err(e) => {
            render(
                &svc,
                &ctx,
                RuleForm::default(),
                FormErrors::from_service(e, ctx.tx()),
                dry,
                form,
                None,
            )
            .await
        }
    }
}
