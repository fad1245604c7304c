//! Reading conversations: the tenant's list, one conversation with its trace (deliveries
//! included), its status for a socket, and the failed live chats.

use switchboard_core::ConversationStatus;
use switchboard_core::TenantId;
use switchboard_core::page::{Page, PageRequest};
use switchboard_core::routing::trace::{Delivery, FallbackReason};
use switchboard_store::conversations::{self, ListFilter, offers};
use uuid::Uuid;

use crate::views::{self, Conversation};
use crate::{Principal, Service, ServiceError, ServiceResult};

impl Service {
    /// The tenant's conversations, newest first: admins see all of them (optionally one
    /// agent's, or some statuses), an agent only those assigned to them.
    pub async fn list_conversations(
        &self,
        who: &Principal,
        filter: views::ConversationFilter,
        page: PageRequest,
    ) -> ServiceResult<Page<Conversation>> {
        let tenant = who.member_tenant()?;
        let mut filter = ListFilter::from(filter);
        if who.admin_tenant().is_err() {
            filter.agent = Some(who.user_id().ok_or(ServiceError::NotFound)?.as_uuid());
        }
        let mut page = conversations::list(self.db(), tenant, &filter, page)
            .await?
            .map(Conversation::from);
        let ids: Vec<Uuid> = page.items.iter().map(|c| c.id).collect();
        for (conversation, user) in self.participants_of(tenant, &ids).await? {
            if let Some(c) = page.items.iter_mut().find(|c| c.id == conversation) {
                c.participants.push(user);
            }
        }
        Ok(page)
    }

    /// A conversation's status, for a caller already allowed to see it (a socket).
    pub async fn conversation_status(
        &self,
        tenant: TenantId,
        id: Uuid,
    ) -> ServiceResult<ConversationStatus> {
        Ok(conversations::find(self.db(), tenant, id).await?.status)
    }

    /// A conversation with its trace: for the tenant's admins and its assigned agent.
    pub async fn conversation(
        &self,
        who: &Principal,
        id: Uuid,
    ) -> ServiceResult<crate::views::Conversation> {
        let tenant = who.member_tenant()?;
        let c = conversations::find(self.db(), tenant, id).await?;
        let assigned = who
            .user_id()
            .is_some_and(|u| c.assigned_agent_id == Some(u.as_uuid()));
        if who.admin_tenant().is_err() && !assigned {
            return Err(ServiceError::NotFound);
        }
        // Deliveries are recorded on the offers (acknowledgements race with the decisions
        // that rewrite the trace); the trace shown carries them.
        let delivered: Vec<_> = offers::of_conversation_unscoped(self.db(), c.id)
            .await?
            .into_iter()
            .filter_map(|o| Some((o.id, o.delivered_via?, o.delivered_at?)))
            .collect();
        let mut c = crate::views::Conversation::from(c);
        c.participants = self
            .participants_of(tenant, &[c.id])
            .await?
            .into_iter()
            .map(|(_, user)| user)
            .collect();
        for o in &mut c.trace.offers {
            if let Some((_, via, at)) = delivered.iter().find(|d| d.0 == o.offer_id) {
                o.delivered = Some(Delivery {
                    channel: via.clone(),
                    at: *at,
                });
            }
        }
        Ok(c)
    }
}

/// A live chat that failed (SPEC §6): the visitor got the fallback message instead of an
/// agent.
#[derive(Debug, Clone)]
pub struct FailedAction {
    pub conversation: Conversation,
    pub reason: Option<FallbackReason>,
    /// The agents who were offered the chat and did not take it.
    pub missed_by: Vec<Uuid>,
    /// The failed-action emails written about it, oldest first.
    pub emails: Vec<crate::views::Email>,
}

impl Service {
    /// The tenant's failed live chats, newest first (admins).
    pub async fn failed_actions(
        &self,
        who: &Principal,
        page: PageRequest,
    ) -> ServiceResult<Page<FailedAction>> {
        let tenant = who.admin_tenant()?;
        let filter = ListFilter {
            agent: None,
            statuses: vec![ConversationStatus::Fallback],
            visitor: None,
        };
        let found = conversations::list(self.db(), tenant, &filter, page).await?;
        let ids = found.items.iter().map(|c| c.id).collect();
        let mut emails = switchboard_store::mail::of_conversations(self.db(), tenant, ids).await?;
        Ok(found.map(|c| {
            let c = Conversation::from(c);
            let missed_by = c.trace.tried().iter().map(|a| a.as_uuid()).collect();
            let (mine, rest) = std::mem::take(&mut emails)
                .into_iter()
                .partition(|m| m.conversation_id == Some(c.id));
            emails = rest;
            FailedAction {
                reason: c.fallback_reason,
                missed_by,
                emails: mine.into_iter().map(Into::into).collect(),
                conversation: c,
            }
        }))
    }
}
