//! Routing, as far as it needs no conversation yet: agents' availability, the tenant's
//! custom rules, and the dry run that says whom a visitor would be offered to — with the
//! same candidate selection and the same trace that live requests will use.

use std::time::Duration;

use serde_json::json;
use switchboard_core::error::bounded_text;
use switchboard_core::routing::eligibility::{AgentState, SkipReason};
use switchboard_core::routing::round_robin;
use switchboard_core::routing::rules::{self, Condition, Field, Operator, Target, Visitor};
use switchboard_core::routing::trace::{FallbackReason, Outcome, RoutingTrace, RuleMatched};
use switchboard_core::routing::{Availability, RoutingMode};
use switchboard_core::{AvailabilityReason, TeamId, TenantId, UserId, ValidationError};
use switchboard_realtime::{Dispatch, Presence, Topic};
use switchboard_store::{audit, routing_rules, teams, tenants, users};
use uuid::Uuid;

use crate::events::Event;
use crate::views::RoutingRule;
use crate::{Principal, Service, ServiceError, ServiceResult};

/// How long an availability lasts without a heartbeat from the agent's inbox.
pub(crate) const PRESENCE_TTL: Duration = Duration::from_secs(90);

/// Most conditions a rule may have.
pub const MAX_CONDITIONS: usize = 20;

/// A condition as a client writes it.
#[derive(Debug, Clone)]
pub struct ConditionInput {
    pub field: String,
    pub operator: String,
    pub values: Vec<String>,
}

/// A rule as a client writes it (create, or the full state after a change).
#[derive(Debug, Clone)]
pub struct RuleInput {
    pub name: String,
    pub position: Option<i32>,
    pub conditions: Vec<ConditionInput>,
    /// `agent` or `team`.
    pub target_kind: String,
    pub target_id: Uuid,
}

/// A change of a rule: absent fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct RuleChange {
    pub name: Option<String>,
    pub position: Option<i32>,
    pub conditions: Option<Vec<ConditionInput>>,
    pub target_kind: Option<String>,
    pub target_id: Option<Uuid>,
}

/// A candidate agent with what the trace shows of them.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: UserId,
    pub display_name: String,
}

/// Whom a routing mode would consider, in round-robin order, before presence and load.
pub struct Candidates {
    /// The round-robin pool: `all`, `team:<id>` or `agent:<id>`.
    pub pool: String,
    pub agents: Vec<Candidate>,
    pub trace: RoutingTrace,
}

/// The answer of a dry run.
pub struct DryRun {
    pub would_offer: Option<Candidate>,
    pub fallback: Option<FallbackReason>,
    pub trace: RoutingTrace,
}

fn conditions_json(conditions: &[Condition]) -> serde_json::Value {
    serde_json::Value::Array(
        conditions
            .iter()
            .map(|c| json!({"field": c.field.name(), "operator": c.operator.name(), "values": c.operator.values()}))
            .collect(),
    )
}

/// Reads stored conditions back; they were validated on the way in.
pub fn stored_conditions(raw: &serde_json::Value) -> Vec<ConditionInput> {
    raw.as_array()
        .map(|list| {
            list.iter()
                .map(|c| ConditionInput {
                    field: c["field"].as_str().unwrap_or_default().to_owned(),
                    operator: c["operator"].as_str().unwrap_or_default().to_owned(),
                    values: c["values"]
                        .as_array()
                        .map(|vs| {
                            vs.iter()
                                .filter_map(|v| v.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn parse_conditions(input: &[ConditionInput]) -> Result<Vec<Condition>, ValidationError> {
    if input.len() > MAX_CONDITIONS {
        return Err(ValidationError::new(
            "conditions",
            format!("must have at most {MAX_CONDITIONS} conditions"),
        ));
    }
    input
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let at = |e: ValidationError| {
                let field = e.field.clone();
                e.at(format!("conditions[{i}].{field}"))
            };
            Ok(Condition {
                field: Field::parse(&c.field).map_err(at)?,
                operator: Operator::parse(&c.operator, &c.values).map_err(at)?,
            })
        })
        .collect()
}

pub(crate) fn stored_rule(m: &routing_rules::Model) -> Option<rules::Rule<Uuid>> {
    let target = match m.target_kind.as_str() {
        "agent" => Target::Agent(UserId::from_uuid(m.target_id)),
        "team" => Target::Team(TeamId::from_uuid(m.target_id)),
        _ => return None,
    };
    Some(rules::Rule {
        id: m.id,
        name: m.name.clone(),
        position: m.position,
        conditions: parse_conditions(&stored_conditions(&m.conditions)).ok()?,
        target,
    })
}

impl Service {
    /// Sets the caller's availability: kept on their record, and announced to the realtime
    /// store with a TTL (the inbox's heartbeats keep it alive).
    pub async fn set_availability(
        &self,
        who: &Principal,
        status: &str,
    ) -> ServiceResult<Availability> {
        let tenant = who.member_tenant()?;
        let id = who.user_id().ok_or(ServiceError::Forbidden(
            "availability is set by a user, not an API key",
        ))?;
        let availability: Availability = status.parse()?;
        self.change_availability(tenant, id, availability, AvailabilityReason::Chosen, None)
            .await?;
        Ok(availability)
    }

    /// Puts an agent in `availability`: on their record (their run of missed offers ends),
    /// in the realtime store, and in every inbox of theirs (`availability_changed`); unless
    /// available, their pending offers move on at once.
    pub(crate) async fn change_availability(
        &self,
        tenant: TenantId,
        id: UserId,
        availability: Availability,
        reason: AvailabilityReason,
        missed: Option<u32>,
    ) -> ServiceResult<()> {
        let user = users::find(self.db(), tenant, id).await?;
        // Over a schedule, a manual change holds until the schedule's next boundary.
        let until = user
            .schedule()
            .map(|s| switchboard_core::schedule::override_until(&s, switchboard_store::now()));
        let mut active: users::ActiveModel = user.into();
        active.availability = sea_orm::Set(availability);
        active.missed_offers = sea_orm::Set(0);
        active.availability_override_until = sea_orm::Set(until);
        users::save(self.db(), active).await?;
        self.realtime()
            .heartbeat(tenant, id, availability, PRESENCE_TTL)
            .await?;
        self.announce(
            Topic::Agent(tenant, id),
            &Event::AvailabilityChanged {
                status: availability,
                reason,
                missed,
            },
        )
        .await;
        if availability == Availability::Available {
            self.serve_queues_soon(tenant);
        } else {
            self.withdraw_offers_of(tenant, id).await?;
        }
        Ok(())
    }

    /// An open inbox's heartbeat: renews the agent's presence with the availability they
    /// chose. False when the account was deactivated or deleted meanwhile (the inbox's socket
    /// then closes).
    pub async fn keep_present(&self, who: &Principal) -> ServiceResult<bool> {
        let tenant = who.member_tenant()?;
        let Some(id) = who.user_id() else {
            return Ok(false);
        };
        let user = match users::find(self.db(), tenant, id).await {
            Ok(u) if u.active => u,
            Ok(_) | Err(switchboard_store::StoreError::NotFound) => return Ok(false),
            Err(e) => return Err(e.into()),
        };
        self.realtime()
            .heartbeat(tenant, id, user.availability, PRESENCE_TTL)
            .await?;
        Ok(true)
    }

    /// The caller's availability as routing sees it now (offline once presence lapsed).
    pub async fn availability(&self, who: &Principal) -> ServiceResult<Availability> {
        let tenant = who.member_tenant()?;
        let id = who.user_id().ok_or(ServiceError::Forbidden(
            "availability is set by a user, not an API key",
        ))?;
        Ok(self.realtime().availability(tenant, id).await?)
    }

    /// Checks that agent or team `id` (`kind`) is the tenant's; refusals name `target.id`.
    pub(crate) async fn check_target(
        &self,
        tenant: TenantId,
        kind: &str,
        id: Uuid,
    ) -> ServiceResult<&'static str> {
        let missing = |kind: &str| {
            ServiceError::Validation(ValidationError::new(
                "target.id",
                format!("no such {kind} in this workspace"),
            ))
        };
        match kind {
            "agent" => match users::find(self.db(), tenant, UserId::from_uuid(id)).await {
                Ok(_) => Ok("agent"),
                Err(switchboard_store::StoreError::NotFound) => Err(missing("agent")),
                Err(e) => Err(e.into()),
            },
            "team" => match teams::find(self.db(), tenant, TeamId::from_uuid(id)).await {
                Ok(_) => Ok("team"),
                Err(switchboard_store::StoreError::NotFound) => Err(missing("team")),
                Err(e) => Err(e.into()),
            },
            _ => Err(ValidationError::new("target.kind", "must be agent or team").into()),
        }
    }

    pub async fn list_rules(&self, who: &Principal) -> ServiceResult<Vec<RoutingRule>> {
        let tenant = who.admin_tenant()?;
        Ok(routing_rules::list(self.db(), tenant)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    pub async fn create_rule(
        &self,
        who: &Principal,
        input: RuleInput,
    ) -> ServiceResult<RoutingRule> {
        let tenant = who.admin_tenant()?;
        let name = bounded_text("name", &input.name, 1, 100)?;
        let conditions = parse_conditions(&input.conditions)?;
        let target_kind = self
            .check_target(tenant, &input.target_kind, input.target_id)
            .await?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let position = match input.position {
            Some(p) => p,
            None => routing_rules::list(&txn, tenant)
                .await?
                .last()
                .map_or(10, |r| r.position.saturating_add(10)),
        };
        let rule = routing_rules::insert(
            &txn,
            tenant,
            routing_rules::RuleData {
                name,
                position,
                conditions: conditions_json(&conditions),
                target_kind,
                target_id: input.target_id,
            },
        )
        .await?;
        audit::append(&txn, tenant, &who.actor(), audit::Entry {
            action: "routing_rule.created",
            target_kind: "routing_rule",
            target_id: Some(rule.id),
            details: json!({"name": rule.name, "position": rule.position, "target": {"kind": target_kind, "id": input.target_id}}),
        })
        .await?;
        txn.commit().await?;
        self.config_changed(tenant).await;
        Ok(rule.into())
    }

    pub async fn update_rule(
        &self,
        who: &Principal,
        id: Uuid,
        change: RuleChange,
    ) -> ServiceResult<RoutingRule> {
        let tenant = who.admin_tenant()?;
        let rule = routing_rules::find(self.db(), tenant, id).await?;
        let name = match &change.name {
            Some(n) => bounded_text("name", n, 1, 100)?,
            None => rule.name.clone(),
        };
        let conditions = match &change.conditions {
            Some(c) => parse_conditions(c)?,
            None => parse_conditions(&stored_conditions(&rule.conditions))?,
        };
        let kind = change
            .target_kind
            .clone()
            .unwrap_or_else(|| rule.target_kind.clone());
        let target_id = change.target_id.unwrap_or(rule.target_id);
        let target_kind = self.check_target(tenant, &kind, target_id).await?;
        let position = change.position.unwrap_or(rule.position);
        let txn = switchboard_store::begin_write(self.db()).await?;
        let saved = routing_rules::update(
            &txn,
            rule,
            routing_rules::RuleData {
                name,
                position,
                conditions: conditions_json(&conditions),
                target_kind,
                target_id,
            },
        )
        .await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "routing_rule.updated",
                target_kind: "routing_rule",
                target_id: Some(saved.id),
                details: json!({"name": saved.name, "position": saved.position}),
            },
        )
        .await?;
        txn.commit().await?;
        self.config_changed(tenant).await;
        Ok(saved.into())
    }

    pub async fn delete_rule(&self, who: &Principal, id: Uuid) -> ServiceResult<()> {
        let tenant = who.admin_tenant()?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let rule = routing_rules::find(&txn, tenant, id).await?;
        routing_rules::delete(&txn, tenant, id).await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "routing_rule.deleted",
                target_kind: "routing_rule",
                target_id: Some(id),
                details: json!({"name": rule.name}),
            },
        )
        .await?;
        txn.commit().await?;
        self.config_changed(tenant).await;
        Ok(())
    }

    /// Parses a routing mode as a live-chat card or a dry run names it; the named agent or
    /// team must be the tenant's.
    pub async fn routing_mode(
        &self,
        tenant: TenantId,
        mode: &str,
        agent_id: Option<Uuid>,
        team_id: Option<Uuid>,
    ) -> ServiceResult<RoutingMode> {
        let required = |field: &str| {
            ServiceError::Validation(ValidationError::new(
                field,
                format!("is required with mode {mode}"),
            ))
        };
        Ok(match mode {
            "round_robin" => RoutingMode::RoundRobin,
            "custom_rules" => RoutingMode::CustomRules,
            "agent" => {
                let id = agent_id.ok_or_else(|| required("routing.agent_id"))?;
                self.check_target(tenant, "agent", id).await.map_err(|_| {
                    ServiceError::Validation(ValidationError::new(
                        "routing.agent_id",
                        "no such agent in this workspace",
                    ))
                })?;
                RoutingMode::Agent {
                    agent_id: UserId::from_uuid(id),
                }
            }
            "team" => {
                let id = team_id.ok_or_else(|| required("routing.team_id"))?;
                self.check_target(tenant, "team", id).await.map_err(|_| {
                    ServiceError::Validation(ValidationError::new(
                        "routing.team_id",
                        "no such team in this workspace",
                    ))
                })?;
                RoutingMode::Team {
                    team_id: TeamId::from_uuid(id),
                }
            }
            _ => {
                return Err(ValidationError::new(
                    "routing.mode",
                    "must be round_robin, agent, custom_rules or team",
                )
                .into());
            }
        })
    }

    /// The agents a mode considers, in round-robin order, with the skips that the database
    /// alone decides (inactive, no permission) already in the trace. `Err` is the fallback
    /// reason when the mode leads nowhere (no rule matched).
    pub async fn candidates(
        &self,
        tenant: TenantId,
        mode: RoutingMode,
        visitor: &Visitor,
    ) -> ServiceResult<Result<Candidates, (RoutingTrace, FallbackReason)>> {
        let mut trace = RoutingTrace::new(mode.name());
        let snapshot = self.routing_snapshot(tenant).await?;
        let (pool, ids): (String, Vec<Uuid>) = match mode {
            RoutingMode::RoundRobin => {
                let agents = snapshot
                    .roster
                    .iter()
                    .filter(|u| u.active && u.live_chat_permission)
                    .map(|u| Candidate {
                        id: u.id,
                        display_name: u.display_name.clone(),
                    })
                    .collect();
                return Ok(Ok(Candidates {
                    pool: "all".into(),
                    agents,
                    trace,
                }));
            }
            RoutingMode::Agent { agent_id } => {
                (format!("agent:{agent_id}"), vec![agent_id.as_uuid()])
            }
            RoutingMode::Team { team_id } => (
                format!("team:{team_id}"),
                self.team_member_ids(tenant, team_id).await?,
            ),
            RoutingMode::CustomRules => {
                let Some(rule) = rules::first_match(&snapshot.rules, visitor) else {
                    trace.fallback(FallbackReason::NoRuleMatched);
                    return Ok(Err((trace, FallbackReason::NoRuleMatched)));
                };
                trace.rule_matched = Some(RuleMatched {
                    rule_id: rule.id,
                    name: rule.name.clone(),
                });
                match rule.target {
                    Target::Agent(a) => (format!("agent:{a}"), vec![a.as_uuid()]),
                    Target::Team(t) => {
                        (format!("team:{t}"), self.team_member_ids(tenant, t).await?)
                    }
                }
            }
        };
        let mut agents = Vec::new();
        // In the order given (a team's: by joining), each user once.
        let mut seen = std::collections::HashSet::new();
        for user in ids
            .into_iter()
            .filter(|id| seen.insert(*id))
            .filter_map(|id| snapshot.user(UserId::from_uuid(id)))
        {
            let state = AgentState {
                id: user.id,
                active: user.active,
                live_chat_permission: user.live_chat_permission,
                availability: Availability::Available,
                live_chats: 0,
                pending_offers: 0,
            };
            match state.eligibility(u32::MAX) {
                Err(reason @ (SkipReason::Inactive | SkipReason::NoPermission)) => {
                    trace.skipped(user.id, reason)
                }
                _ => agents.push(Candidate {
                    id: user.id,
                    display_name: user.display_name.clone(),
                }),
            }
        }
        Ok(Ok(Candidates {
            pool,
            agents,
            trace,
        }))
    }

    pub(crate) async fn team_member_ids(
        &self,
        tenant: TenantId,
        team: TeamId,
    ) -> ServiceResult<Vec<Uuid>> {
        Ok(teams::member_ids(self.db(), tenant, &[team.as_uuid()])
            .await?
            .into_iter()
            .map(|(_, user)| user)
            .collect())
    }

    /// Who would be offered the chat now, and why — changing nothing (no load taken, no
    /// cursor moved, no engagement reserved).
    ///
    /// `at`: the instant asked about — business hours and agents' schedules are evaluated
    /// then; presence, load and the engagement count are as they are now.
    pub async fn dry_run(
        &self,
        who: &Principal,
        mode: RoutingMode,
        visitor: &Visitor,
        at: chrono::DateTime<chrono::Utc>,
    ) -> ServiceResult<DryRun> {
        let tenant = who.admin_tenant()?;
        let t = tenants::find(self.db(), tenant).await?;
        // Checked in the order a live request checks them, before anyone is considered.
        let closed = t
            .settings()
            .business_hours
            .is_some_and(|hours| !hours.is_open(at));
        let full = t
            .engagement_limit
            .is_some_and(|limit| t.engagements_used >= limit);
        if let Some(reason) = closed
            .then_some(FallbackReason::OutsideHours)
            .or(full.then_some(FallbackReason::LimitReached))
        {
            let mut trace = RoutingTrace::new(mode.name());
            trace.fallback(reason);
            return Ok(DryRun {
                would_offer: None,
                fallback: Some(reason),
                trace,
            });
        }
        let max = t.settings().max_chats_per_agent;
        let mut c = match self.candidates(tenant, mode, visitor).await? {
            Ok(c) => c,
            Err((trace, reason)) => {
                return Ok(DryRun {
                    would_offer: None,
                    fallback: Some(reason),
                    trace,
                });
            }
        };
        let rt = self.realtime();
        let ids: Vec<UserId> = c.agents.iter().map(|a| a.id).collect();
        let availability = self.availability_at(tenant, &ids, at).await?;
        let mut states = Vec::with_capacity(c.agents.len());
        for (a, availability) in c.agents.iter().zip(availability) {
            states.push((availability, rt.load(tenant, a.id).await?));
        }
        let cursor = rt.cursor(tenant, &c.pool).await?;
        let pick = round_robin::pick(c.agents.len(), cursor, |i| {
            let (availability, load) = states[i];
            AgentState {
                id: c.agents[i].id,
                active: true,
                live_chat_permission: true,
                availability,
                live_chats: load,
                pending_offers: 0,
            }
            .eligibility(max)
        });
        for (i, reason) in &pick.skipped {
            c.trace.skipped(c.agents[*i].id, *reason);
        }
        let would_offer = pick.chosen.map(|i| c.agents[i].clone());
        let fallback = match &would_offer {
            Some(agent) => {
                c.trace
                    .considered
                    .push(switchboard_core::routing::trace::AgentConsidered {
                        agent_id: agent.id,
                        skipped: None,
                    });
                None
            }
            None => {
                c.trace.fallback(FallbackReason::NoAgentAvailable);
                Some(FallbackReason::NoAgentAvailable)
            }
        };
        if would_offer.is_some() {
            c.trace.outcome = Outcome::Pending;
        }
        Ok(DryRun {
            would_offer,
            fallback,
            trace: c.trace,
        })
    }
}
