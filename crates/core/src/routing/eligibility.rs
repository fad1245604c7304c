//! Who may be offered a chat (SPEC §5): an active user holding the live-chat permission,
//! available, whose live chats plus pending offers are below the per-agent limit.

use super::Availability;
use std::fmt;
use std::str::FromStr;

use crate::lifecycle::string_enum;
use crate::{UserId, ValidationError};

/// What routing needs to know of one agent at the moment of a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentState {
    pub id: UserId,
    pub active: bool,
    pub live_chat_permission: bool,
    pub availability: Availability,
    /// Live chats the agent is in now.
    pub live_chats: u32,
    /// Offers made to the agent and not yet accepted, declined or expired.
    pub pending_offers: u32,
}

string_enum! {
    /// Why an agent was passed over; recorded in the routing trace.
    pub enum SkipReason (field = "skipped") {
        Inactive = "inactive",
        NoPermission = "no_permission",
        Away = "away",
        Offline = "offline",
        AtCapacity = "at_capacity",
        /// Already offered this chat (a retry never goes back to the same agent).
        AlreadyTried = "already_tried",
    }
}

impl AgentState {
    /// `Ok` when the agent may be offered a chat now, else the first reason they may not,
    /// checked in the order an admin would look: account, permission, availability, load.
    pub fn eligibility(&self, max_chats_per_agent: u32) -> Result<(), SkipReason> {
        if !self.active {
            return Err(SkipReason::Inactive);
        }
        if !self.live_chat_permission {
            return Err(SkipReason::NoPermission);
        }
        match self.availability {
            Availability::Available => {}
            Availability::Away => return Err(SkipReason::Away),
            Availability::Offline => return Err(SkipReason::Offline),
        }
        if self.live_chats.saturating_add(self.pending_offers) >= max_chats_per_agent {
            return Err(SkipReason::AtCapacity);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn agent() -> AgentState {
        AgentState {
            id: UserId::new(),
            active: true,
            live_chat_permission: true,
            availability: Availability::Available,
            live_chats: 0,
            pending_offers: 0,
        }
    }

    #[test]
    fn an_available_agent_with_the_permission_and_room_is_eligible() {
        assert_eq!(agent().eligibility(10), Ok(()));
    }

    #[test]
    fn each_condition_of_eligibility_is_checked() {
        let cases = [
            (
                AgentState {
                    active: false,
                    ..agent()
                },
                SkipReason::Inactive,
            ),
            (
                AgentState {
                    live_chat_permission: false,
                    ..agent()
                },
                SkipReason::NoPermission,
            ),
            (
                AgentState {
                    availability: Availability::Away,
                    ..agent()
                },
                SkipReason::Away,
            ),
            (
                AgentState {
                    availability: Availability::Offline,
                    ..agent()
                },
                SkipReason::Offline,
            ),
            (
                AgentState {
                    live_chats: 10,
                    ..agent()
                },
                SkipReason::AtCapacity,
            ),
            (
                AgentState {
                    live_chats: 7,
                    pending_offers: 3,
                    ..agent()
                },
                SkipReason::AtCapacity,
            ),
        ];
        for (state, reason) in cases {
            assert_eq!(state.eligibility(10), Err(reason), "{state:?}");
        }
    }

    proptest! {
        #[test]
        fn pending_offers_count_against_the_limit_like_live_chats(chats in 0u32..200, offers in 0u32..200, max in 1u32..=100) {
            let state = AgentState { live_chats: chats, pending_offers: offers, ..agent() };
            prop_assert_eq!(state.eligibility(max).is_ok(), chats + offers < max);
        }
    }
}
