//! Routing rules of SPEC §5, as pure functions: who is eligible, whom round-robin picks next,
//! which custom rule matches a visitor, and the trace that explains a decision. The realtime
//! backends apply these same rules atomically; here they are specified and tested.

pub mod eligibility;
pub mod round_robin;
pub mod rules;
pub mod trace;

use std::fmt;
use std::str::FromStr;

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

/// An agent's availability, set by the agent in the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    Available,
    Away,
    Offline,
}

impl Availability {
    pub const fn as_str(self) -> &'static str {
        match self {
            Availability::Available => "available",
            Availability::Away => "away",
            Availability::Offline => "offline",
        }
    }
}

impl FromStr for Availability {
    type Err = crate::ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "available" => Ok(Availability::Available),
            "away" => Ok(Availability::Away),
            "offline" => Ok(Availability::Offline),
            _ => Err(crate::ValidationError::new(
                "status",
                "must be one of: available, away, offline",
            )),
        }
    }
}

impl fmt::Display for Availability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
