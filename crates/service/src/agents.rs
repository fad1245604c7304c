//! Agents as visitors see them: the card shown when one joins, and their public avatar.

use switchboard_core::{TenantId, UserId};
use switchboard_store::StoreError;

use crate::events::AgentCard;
use crate::{Service, ServiceError, ServiceResult};

impl Service {
    /// The agent as a visitor sees them: name and, when they have one, a public avatar URL.
    pub async fn agent_card(&self, tenant: TenantId, agent: UserId) -> ServiceResult<AgentCard> {
        let user = match switchboard_store::users::find(self.db(), tenant, agent).await {
            Ok(u) => u,
            // Deleted since: the visitor still sees that an agent was there.
            Err(StoreError::NotFound) => {
                return Ok(AgentCard {
                    id: agent.as_uuid(),
                    display_name: "Agent".into(),
                    avatar_url: None,
                });
            }
            Err(e) => return Err(e.into()),
        };
        // A workspace that hides agents' photos never hands their address to visitors.
        let photos = self
            .routing_snapshot(tenant)
            .await?
            .tenant
            .settings()
            .brand
            .agent_photos;
        let has_avatar =
            photos && switchboard_store::users::avatar::exists(self.db(), tenant, agent).await?;
        Ok(AgentCard {
            id: agent.as_uuid(),
            display_name: user.display_name,
            avatar_url: has_avatar
                .then(|| format!("{}/api/v1/widget/agents/{agent}/avatar", self.public_url())),
        })
    }
}

impl Service {
    /// The avatar of an agent, for visitors' widgets: public, but only for active users who
    /// hold the live-chat permission (the people visitors may chat with), of a workspace that
    /// shows agents' photos.
    pub async fn public_agent_avatar(&self, agent: UserId) -> ServiceResult<crate::users::Avatar> {
        let avatar = switchboard_store::users::avatar::find_unscoped(self.db(), agent)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let user =
            switchboard_store::users::find(self.db(), TenantId::from_uuid(avatar.tenant_id), agent)
                .await?;
        if !user.active || !user.live_chat_permission {
            return Err(ServiceError::NotFound);
        }
        let tenant = TenantId::from_uuid(avatar.tenant_id);
        if !self
            .routing_snapshot(tenant)
            .await?
            .tenant
            .settings()
            .brand
            .agent_photos
        {
            return Err(ServiceError::NotFound);
        }
        Ok(crate::users::Avatar {
            mime: avatar.mime,
            bytes: avatar.bytes,
        })
    }
}
