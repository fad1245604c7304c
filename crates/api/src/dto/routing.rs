//! Custom routing rules, routing modes and the dry run.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use switchboard_service::views;
use uuid::Uuid;

use crate::text::{Keyword, NonBlank, RoutingModes, TargetKinds, Text};

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct ConditionRequest {
    /// `country`, `region`, `city`, `page_url` or `captured.<first_name|last_name|email|job_title|company|phone>`.
    pub field: Text,
    /// `is`, `is_not`, `one_of` or `contains`.
    pub operator: Text,
    /// One value (`one_of`: one to 100). Compared trimmed and case-insensitively.
    pub values: Vec<Text>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct TargetRequest {
    /// `agent` or `team`.
    pub kind: Keyword<TargetKinds>,
    pub id: Uuid,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CreateRoutingRuleRequest {
    pub name: NonBlank<100>,
    /// Lower first; absent: after the last rule.
    pub position: Option<i32>,
    /// All must hold; none: the rule matches every visitor.
    pub conditions: Vec<ConditionRequest>,
    pub target: TargetRequest,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct UpdateRoutingRuleRequest {
    pub name: Option<NonBlank<100>>,
    pub position: Option<i32>,
    pub conditions: Option<Vec<ConditionRequest>>,
    pub target: Option<TargetRequest>,
}

#[derive(Debug, Object)]
pub struct RuleCondition {
    pub field: String,
    pub operator: String,
    pub values: Vec<String>,
}

#[derive(Debug, Object)]
pub struct RuleTarget {
    /// `agent` or `team`.
    pub kind: String,
    pub id: Uuid,
}

#[derive(Debug, Object)]
pub struct RoutingRule {
    pub id: Uuid,
    pub name: String,
    pub position: i32,
    pub conditions: Vec<RuleCondition>,
    pub target: RuleTarget,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<views::RoutingRule> for RoutingRule {
    fn from(r: views::RoutingRule) -> Self {
        Self {
            conditions: switchboard_service::routing::stored_conditions(&r.conditions)
                .into_iter()
                .map(|c| RuleCondition {
                    field: c.field,
                    operator: c.operator,
                    values: c.values,
                })
                .collect(),
            target: RuleTarget {
                kind: r.target_kind,
                id: r.target_id,
            },
            id: r.id,
            name: r.name,
            position: r.position,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The tenant's rules in the order they are tried (at most a few hundred: one page).
#[derive(Debug, Object)]
pub struct RoutingRuleList {
    pub items: Vec<RoutingRule>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct RoutingRequest {
    /// `round_robin`, `agent`, `custom_rules` or `team`.
    pub mode: Keyword<RoutingModes>,
    /// With mode `agent`.
    pub agent_id: Option<Uuid>,
    /// With mode `team`.
    pub team_id: Option<Uuid>,
}

#[derive(Debug, Object, Default)]
#[oai(deny_unknown_fields)]
pub struct VisitorRequest {
    /// ISO 3166 country code, e.g. `FR`.
    pub country: Option<Text>,
    pub region: Option<Text>,
    pub city: Option<Text>,
    pub page_url: Option<Text>,
    /// Captured fields by name (`first_name`, `email`, `company`…).
    pub captured: Option<std::collections::BTreeMap<String, Text>>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct DryRunRequest {
    pub routing: RoutingRequest,
    pub visitor: Option<VisitorRequest>,
    /// The instant asked about (default: now): business hours and agents' schedules are
    /// evaluated then; presence and load are as they are now.
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Object)]
pub struct AgentSummary {
    pub id: Uuid,
    pub display_name: String,
}

/// Who would be offered the chat now, and the trace of the decision. Nothing was changed.
#[derive(Debug, Object)]
pub struct DryRunResponse {
    /// `null`: nobody; see `fallback_reason`.
    pub would_offer: Option<AgentSummary>,
    /// `outside_hours`, `limit_reached`, `no_rule_matched` or `no_agent_available`; `null`
    /// when someone would be offered.
    pub fallback_reason: Option<String>,
    /// Mode, rule matched, each agent considered and why skipped, outcome.
    pub trace: serde_json::Value,
}
