//! Canned responses, and transfers (the other tools of the agent's workspace).

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use uuid::Uuid;

use crate::text::{CannedScopes, Checked, Keyword, NonBlank, Shortcut};

/// A prepared answer an agent inserts by typing `/` and its shortcut in the inbox.
#[derive(Debug, Object)]
pub struct CannedResponse {
    pub id: Uuid,
    /// Lower case, without the `/`.
    pub shortcut: String,
    /// May use `{visitor.first_name}`, `{visitor.last_name}`, `{visitor.name}`,
    /// `{visitor.email}`, `{visitor.company}` and `{agent.display_name}`.
    pub text: String,
    /// `tenant` (every agent sees it; admins manage it) or `personal` (the caller's own).
    pub scope: String,
    /// The text with its variables filled for the conversation named by `conversation_id`
    /// (absent without it; a variable with no value is left empty).
    pub filled_text: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl From<switchboard_service::canned::CannedResponse> for CannedResponse {
    fn from(c: switchboard_service::canned::CannedResponse) -> Self {
        Self {
            id: c.id,
            shortcut: c.shortcut,
            text: c.text,
            scope: c.scope.to_string(),
            filled_text: c.filled_text,
            updated_at: c.updated_at,
        }
    }
}

/// The tenant's canned responses and the caller's own, by shortcut.
#[derive(Debug, Object)]
pub struct CannedResponseList {
    pub items: Vec<CannedResponse>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CreateCannedResponseRequest {
    /// 1 to 32 letters, digits, `-` or `_` (a leading `/` is dropped); unique in its scope.
    pub shortcut: Checked<Shortcut>,
    /// 1 to 4,000 characters; `{visitor.…}` and `{agent.…}` variables must be known ones.
    pub text: NonBlank<4000>,
    /// `tenant` (admins only) or `personal` (default).
    pub scope: Option<Keyword<CannedScopes>>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct UpdateCannedResponseRequest {
    pub shortcut: Option<Checked<Shortcut>>,
    pub text: Option<NonBlank<4000>>,
}

/// Whom a chat is transferred to.
#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct TransferTo {
    /// `agent` or `team`.
    pub kind: Keyword<crate::text::TargetKinds>,
    pub id: Uuid,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct TransferRequest {
    pub to: TransferTo,
    /// For the agent offered (up to 1,000 characters); also kept as an internal note.
    pub note: Option<crate::text::Bounded<1000>>,
}

/// The offer a transfer made: the chat moves when this agent accepts it.
#[derive(Debug, Object)]
pub struct TransferOffer {
    pub offer_id: Uuid,
    pub agent_id: Uuid,
    pub expires_at: DateTime<Utc>,
}

/// An agent a chat may be transferred to.
#[derive(Debug, Object)]
pub struct TransferAgent {
    pub id: Uuid,
    pub display_name: String,
    /// `available`, `away` or `offline`.
    pub availability: String,
}

/// A team a chat may be transferred to.
#[derive(Debug, Object)]
pub struct TransferTeam {
    pub id: Uuid,
    pub name: String,
}

/// Whom a chat may be transferred to.
#[derive(Debug, Object)]
pub struct TransferTargets {
    pub agents: Vec<TransferAgent>,
    pub teams: Vec<TransferTeam>,
}

impl From<switchboard_service::live::TransferTargets> for TransferTargets {
    fn from(t: switchboard_service::live::TransferTargets) -> Self {
        Self {
            agents: t
                .agents
                .into_iter()
                .map(|(id, display_name, a)| TransferAgent {
                    id: id.as_uuid(),
                    display_name,
                    availability: a.to_string(),
                })
                .collect(),
            teams: t
                .teams
                .into_iter()
                .map(|(id, name)| TransferTeam {
                    id: id.as_uuid(),
                    name,
                })
                .collect(),
        }
    }
}
