//! The routing trace (SPEC §5): what was decided and why — the mode, the rule that matched,
//! each agent considered and why they were skipped, the offers made, and the outcome. Kept
//! with the conversation, shown to admins, served by the API.

use super::eligibility::SkipReason;
use crate::UserId;
use crate::ValidationError;
use crate::lifecycle::{OfferState, string_enum};
use std::fmt;
use std::str::FromStr;

string_enum! {
    /// Why a visitor got the fallback message instead of an agent (the `reason` of the
    /// `fallback` WebSocket frame).
    pub enum FallbackReason (field = "reason") {
        LimitReached = "limit_reached",
        NoRuleMatched = "no_rule_matched",
        NoAgentAvailable = "no_agent_available",
        OfferExpired = "offer_expired",
        Declined = "declined",
        /// The wait in the queue ran out (SPEC §12.1).
        QueueTimeout = "queue_timeout",
        /// The request came outside the tenant's business hours (SPEC §12.1).
        OutsideHours = "outside_hours",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AgentConsidered {
    pub agent_id: UserId,
    /// `None`: offered the chat.
    pub skipped: Option<SkipReason>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OfferTrace {
    pub offer_id: uuid::Uuid,
    pub agent_id: UserId,
    pub offered_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub resolution: OfferState,
    pub resolved_at: Option<chrono::DateTime<chrono::Utc>>,
    /// How the offer reached the agent, once that is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered: Option<Delivery>,
}

/// An offer's confirmed arrival: by which channel (`inbox`), and when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Delivery {
    pub channel: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// An offer is out; no answer yet.
    Pending,
    /// Nobody was free: the visitor waits in the queue of `trace.target` since then.
    Queued {
        since: chrono::DateTime<chrono::Utc>,
    },
    Accepted {
        agent_id: UserId,
    },
    Fallback {
        reason: FallbackReason,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RuleMatched {
    pub rule_id: uuid::Uuid,
    pub name: String,
}

/// Everything a routing decision did, in order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RoutingTrace {
    /// `round_robin`, `agent`, `custom_rules` or `team`.
    pub mode: String,
    pub rule_matched: Option<RuleMatched>,
    /// Who the chat is offered among, once known: `all`, `team:<id>` or `agent:<id>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub considered: Vec<AgentConsidered>,
    pub offers: Vec<OfferTrace>,
    pub outcome: Outcome,
}

impl RoutingTrace {
    pub fn new(mode: &str) -> Self {
        Self {
            mode: mode.to_owned(),
            rule_matched: None,
            target: None,
            considered: Vec::new(),
            offers: Vec::new(),
            outcome: Outcome::Pending,
        }
    }

    pub fn skipped(&mut self, agent_id: UserId, reason: SkipReason) {
        self.considered.push(AgentConsidered {
            agent_id,
            skipped: Some(reason),
        });
    }

    pub fn offered(&mut self, offer: OfferTrace) {
        self.considered.push(AgentConsidered {
            agent_id: offer.agent_id,
            skipped: None,
        });
        self.offers.push(offer);
    }

    /// Agents already offered this chat: a retry never goes back to one of them.
    pub fn tried(&self) -> Vec<UserId> {
        self.offers.iter().map(|o| o.agent_id).collect()
    }

    /// Records how an offer ended; unknown offers are ignored.
    pub fn resolve(
        &mut self,
        offer_id: uuid::Uuid,
        resolution: OfferState,
        at: chrono::DateTime<chrono::Utc>,
    ) {
        if let Some(o) = self.offers.iter_mut().find(|o| o.offer_id == offer_id) {
            o.resolution = resolution;
            o.resolved_at = Some(at);
        }
    }

    pub fn fallback(&mut self, reason: FallbackReason) {
        self.outcome = Outcome::Fallback { reason };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fallback_reasons_name_is_its_json_form() {
        for &reason in FallbackReason::ALL {
            assert_eq!(serde_json::to_value(reason).unwrap(), reason.as_str());
        }
    }

    #[test]
    fn a_trace_records_skips_offers_and_the_outcome_and_serializes_plainly() {
        let (a, b) = (UserId::new(), UserId::new());
        let mut t = RoutingTrace::new("team");
        t.skipped(a, SkipReason::Away);
        let now = chrono::Utc::now();
        let offer = uuid::Uuid::now_v7();
        t.offered(OfferTrace {
            offer_id: offer,
            agent_id: b,
            offered_at: now,
            expires_at: now + chrono::Duration::seconds(45),
            resolution: OfferState::Pending,
            resolved_at: None,
            delivered: None,
        });
        t.resolve(offer, OfferState::Expired, now);
        t.fallback(FallbackReason::OfferExpired);
        assert_eq!(t.tried(), vec![b]);
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["considered"][0]["skipped"], "away");
        assert_eq!(json["considered"][1]["skipped"], serde_json::Value::Null);
        assert_eq!(json["offers"][0]["resolution"], "expired");
        assert_eq!(
            json["outcome"],
            serde_json::json!({"status": "fallback", "reason": "offer_expired"})
        );
        let back: RoutingTrace = serde_json::from_value(json).unwrap();
        assert_eq!(back, t);
    }
}
