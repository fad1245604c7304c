//! Routing rules of SPEC §5, as pure functions: who is eligible, whom round-robin picks next,
//! which custom rule matches a visitor, and the trace that explains a decision. The realtime
//! backends apply these same rules atomically; here they are specified and tested.

pub mod eligibility;
pub mod round_robin;
pub mod rules;
pub mod trace;

use crate::{TeamId, UserId};

/// How a live-chat card chooses whom to offer a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum RoutingMode {
    /// All agents of the tenant, in a stable order, each in turn.
    RoundRobin,
    /// One named agent.
    Agent { agent_id: UserId },
    /// The tenant's ordered custom rules, evaluated against the visitor.
    CustomRules,
    /// The members of one team, round-robin within the team.
    Team { team_id: TeamId },
}

impl RoutingMode {
    pub const fn name(&self) -> &'static str {
        match self {
            RoutingMode::RoundRobin => "round_robin",
            RoutingMode::Agent { .. } => "agent",
            RoutingMode::CustomRules => "custom_rules",
            RoutingMode::Team { .. } => "team",
        }
    }
}

pub use crate::lifecycle::Availability;
