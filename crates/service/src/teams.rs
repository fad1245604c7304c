//! Teams of agents: CRUD and membership. Members must be users of the same tenant.

use sea_orm::ConnectionTrait;
use serde_json::json;
use switchboard_core::error::bounded_text;
use switchboard_core::page::{Page, PageRequest};
use switchboard_core::{TeamId, UserId};
use switchboard_store::{audit, teams, users};
use uuid::Uuid;

use crate::{Principal, Service, ServiceResult};

/// A team with its member ids, in the order they joined.
#[derive(Debug, Clone)]
pub struct TeamView {
    pub team: crate::views::Team,
    pub members: Vec<Uuid>,
}

fn parse_team_name(raw: &str) -> Result<String, switchboard_core::ValidationError> {
    bounded_text("name", raw, 1, 100)
}

impl Service {
    /// The teams with their members, read through `conn` (a transaction's own view when
    /// answering a change: what was written, even if another request changes it next).
    async fn team_views(
        conn: &impl ConnectionTrait,
        tenant: switchboard_core::TenantId,
        list: Vec<teams::Model>,
    ) -> ServiceResult<Vec<TeamView>> {
        let ids: Vec<Uuid> = list.iter().map(|t| t.id).collect();
        let pairs = teams::member_ids(conn, tenant, &ids).await?;
        Ok(list
            .into_iter()
            .map(|team| TeamView {
                members: pairs
                    .iter()
                    .filter(|(t, _)| *t == team.id)
                    .map(|(_, u)| *u)
                    .collect(),
                team: team.into(),
            })
            .collect())
    }

    pub async fn list_teams(
        &self,
        who: &Principal,
        page: PageRequest,
    ) -> ServiceResult<Page<TeamView>> {
        let tenant = who.admin_tenant()?;
        let page = teams::list(self.db(), tenant, page).await?;
        Ok(Page {
            items: Self::team_views(self.db(), tenant, page.items).await?,
            next_cursor: page.next_cursor,
        })
    }

    pub async fn get_team(&self, who: &Principal, id: TeamId) -> ServiceResult<TeamView> {
        let tenant = who.admin_tenant()?;
        let team = teams::find(self.db(), tenant, id).await?;
        let mut views = Self::team_views(self.db(), tenant, vec![team]).await?;
        views.pop().ok_or(crate::ServiceError::NotFound)
    }

    pub async fn create_team(&self, who: &Principal, name: &str) -> ServiceResult<TeamView> {
        let tenant = who.admin_tenant()?;
        let name = parse_team_name(name)?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let team = teams::insert(&txn, tenant, &name).await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "team.created",
                target_kind: "team",
                target_id: Some(team.id),
                details: json!({"name": name}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(TeamView {
            team: team.into(),
            members: Vec::new(),
        })
    }

    pub async fn rename_team(
        &self,
        who: &Principal,
        id: TeamId,
        name: &str,
    ) -> ServiceResult<TeamView> {
        let tenant = who.admin_tenant()?;
        let name = parse_team_name(name)?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let before = teams::find(&txn, tenant, id).await?;
        let mut after = before.clone();
        if before.name != name {
            after = teams::rename(&txn, tenant, id, &name).await?;
            audit::append(
                &txn,
                tenant,
                &who.actor(),
                audit::Entry {
                    action: "team.renamed",
                    target_kind: "team",
                    target_id: Some(id.as_uuid()),
                    details: json!({"from": before.name, "to": name}),
                },
            )
            .await?;
        }
        // Answered from the transaction: a delete committed right after cannot turn a
        // rename that was made into a 404.
        let mut views = Self::team_views(&txn, tenant, vec![after]).await?;
        txn.commit().await?;
        views.pop().ok_or(crate::ServiceError::NotFound)
    }

    pub async fn delete_team(&self, who: &Principal, id: TeamId) -> ServiceResult<()> {
        let tenant = who.admin_tenant()?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let team = teams::find(&txn, tenant, id).await?;
        teams::delete(&txn, tenant, id).await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "team.deleted",
                target_kind: "team",
                target_id: Some(team.id),
                details: json!({"name": team.name}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Adds (`true`) or removes (`false`) a member. Both team and user must be the tenant's.
    pub async fn set_team_member(
        &self,
        who: &Principal,
        team: TeamId,
        user: UserId,
        member: bool,
    ) -> ServiceResult<TeamView> {
        let tenant = who.admin_tenant()?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let t = teams::find(&txn, tenant, team).await?;
        let u = users::find(&txn, tenant, user).await?;
        let changed = if member {
            teams::add_member(&txn, tenant, team, user).await?
        } else {
            teams::remove_member(&txn, tenant, team, user).await?
        };
        if changed {
            audit::append(
                &txn,
                tenant,
                &who.actor(),
                audit::Entry {
                    action: if member {
                        "team.member_added"
                    } else {
                        "team.member_removed"
                    },
                    target_kind: "team",
                    target_id: Some(t.id),
                    details: json!({"team": t.name, "user_id": u.id, "email": u.email}),
                },
            )
            .await?;
        }
        let mut views = Self::team_views(&txn, tenant, vec![t]).await?;
        txn.commit().await?;
        views.pop().ok_or(crate::ServiceError::NotFound)
    }
}
