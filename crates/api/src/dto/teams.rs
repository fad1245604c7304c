//! Teams of agents.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use switchboard_core::page::Page;
use switchboard_service::teams::TeamView;
use uuid::Uuid;

use crate::text::NonBlank;

#[derive(Debug, Object)]
pub struct Team {
    pub id: Uuid,
    pub name: String,
    /// Members' user ids, in the order they joined.
    pub member_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<TeamView> for Team {
    fn from(v: TeamView) -> Self {
        Self {
            id: v.team.id,
            name: v.team.name,
            member_ids: v.members,
            created_at: v.team.created_at,
        }
    }
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CreateTeamRequest {
    pub name: NonBlank<100>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct UpdateTeamRequest {
    pub name: Option<NonBlank<100>>,
}

list_type!(
    /// A page of teams.
    TeamList,
    Team
);
