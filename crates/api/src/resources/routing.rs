use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use switchboard_core::routing::rules::Visitor;
use switchboard_service::Service;
use switchboard_service::routing::{ConditionInput, RuleChange, RuleInput};
use uuid::Uuid;

use super::{ApiResult, ApiTags, Created, NoContent};
use crate::auth::BearerAuth;
use crate::dto::{
    AgentSummary, AvailabilityRequest, AvailabilityResponse, ConditionRequest,
    CreateRoutingRuleRequest, DryRunRequest, DryRunResponse, RoutingRule, RoutingRuleList,
    UpdateRoutingRuleRequest,
};
use crate::problem::ApiError;
use crate::text::Text;

pub struct RoutingApi;

fn conditions(list: Vec<ConditionRequest>) -> Vec<ConditionInput> {
    list.into_iter()
        .map(|c| ConditionInput {
            field: c.field.0,
            operator: c.operator.0,
            values: c.values.into_iter().map(|v| v.0).collect(),
        })
        .collect()
}

#[OpenApi(tag = "ApiTags::Routing")]
impl RoutingApi {
    /// The tenant's custom routing rules, in the order they are tried.
    #[oai(
        path = "/routing-rules",
        method = "get",
        operation_id = "list_routing_rules"
    )]
    async fn list(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
    ) -> ApiResult<Json<RoutingRuleList>> {
        let items = svc
            .list_rules(&auth.0)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
        Ok(Json(RoutingRuleList { items }))
    }

    /// Add a rule: when all its conditions hold for a visitor, the chat goes to its agent or team.
    #[oai(
        path = "/routing-rules",
        method = "post",
        operation_id = "create_routing_rule"
    )]
    async fn create(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(
            name = "Idempotency-Key",
            validator(min_length = 1, max_length = 255, pattern = r"^[!-~]([ -~]*[!-~])?$")
        )]
        _idempotency_key: Header<Option<String>>,
        body: Json<CreateRoutingRuleRequest>,
    ) -> ApiResult<Created<RoutingRule>> {
        let b = body.0;
        let rule = svc
            .create_rule(
                &auth.0,
                RuleInput {
                    name: b.name.0,
                    position: b.position,
                    conditions: conditions(b.conditions),
                    target_kind: b.target.kind.0,
                    target_id: b.target.id,
                },
            )
            .await?;
        Ok(Created::Created(Json(rule.into())))
    }

    /// Change a rule (its position to reorder).
    #[oai(
        path = "/routing-rules/:id",
        method = "patch",
        operation_id = "update_routing_rule"
    )]
    async fn update(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<UpdateRoutingRuleRequest>,
    ) -> ApiResult<Json<RoutingRule>> {
        let b = body.0;
        let (target_kind, target_id) = match b.target {
            Some(t) => (Some(t.kind.0), Some(t.id)),
            None => (None, None),
        };
        let rule = svc
            .update_rule(
                &auth.0,
                id.0,
                RuleChange {
                    name: b.name.map(|n| n.0),
                    position: b.position,
                    conditions: b.conditions.map(conditions),
                    target_kind,
                    target_id,
                },
            )
            .await?;
        Ok(Json(rule.into()))
    }

    /// Delete a rule.
    #[oai(
        path = "/routing-rules/:id",
        method = "delete",
        operation_id = "delete_routing_rule"
    )]
    async fn delete(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        svc.delete_rule(&auth.0, id.0).await?;
        Ok(NoContent::NoContent)
    }

    /// Who would be offered a chat now, for this routing and this visitor — without changing
    /// anything (no engagement reserved, no agent's load taken, no round-robin turn used).
    #[oai(
        path = "/routing/dry-run",
        method = "post",
        operation_id = "routing_dry_run"
    )]
    async fn dry_run(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        body: Json<DryRunRequest>,
    ) -> ApiResult<Json<DryRunResponse>> {
        let b = body.0;
        let tenant = auth.0.admin_tenant().map_err(ApiError::from)?;
        let mode = svc
            .routing_mode(
                tenant,
                b.routing.mode.as_str(),
                b.routing.agent_id,
                b.routing.team_id,
            )
            .await?;
        let v = b.visitor.unwrap_or_default();
        let visitor = Visitor {
            country: Text::into_option(v.country),
            region: Text::into_option(v.region),
            city: Text::into_option(v.city),
            page_url: Text::into_option(v.page_url),
            captured: v
                .captured
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, v.0))
                .collect(),
        };
        let at = b.at.unwrap_or_else(chrono::Utc::now);
        let run = svc.dry_run(&auth.0, mode, &visitor, at).await?;
        let fallback_reason = run.fallback.map(|r| r.as_str().to_owned());
        Ok(Json(DryRunResponse {
            would_offer: run.would_offer.map(|a| AgentSummary {
                id: a.id.as_uuid(),
                display_name: a.display_name,
            }),
            fallback_reason,
            trace: serde_json::to_value(&run.trace).unwrap_or_default(),
        }))
    }

    /// Set your availability. `available` agents can be offered chats; the inbox keeps it
    /// alive with heartbeats (it lapses to offline after 90 s without one).
    #[oai(
        path = "/me/availability",
        method = "put",
        operation_id = "set_availability"
    )]
    async fn set_availability(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        body: Json<AvailabilityRequest>,
    ) -> ApiResult<Json<AvailabilityResponse>> {
        let status = svc
            .set_availability(&auth.0, body.0.status.as_str())
            .await?;
        Ok(Json(AvailabilityResponse {
            status: status.as_str().to_owned(),
        }))
    }
}
