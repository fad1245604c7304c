//! Canned responses (SPEC §12.3): the tenant's, which admins manage and every agent uses,
//! and each user's own. Listed for a conversation, their texts come filled in with that
//! chat's visitor and the agent asking.

use serde_json::json;
use switchboard_core::canned::{self, Scope};
use switchboard_core::{TenantId, UserId};
use switchboard_store::{audit, canned_responses, users};
use uuid::Uuid;

use crate::{Principal, Service, ServiceError, ServiceResult};

/// A canned response as callers see it.
#[derive(Debug, Clone)]
pub struct CannedResponse {
    pub id: Uuid,
    pub shortcut: String,
    pub text: String,
    pub scope: Scope,
    /// The text with the variables filled for the conversation asked about.
    pub filled_text: Option<String>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<canned_responses::Model> for CannedResponse {
    fn from(m: canned_responses::Model) -> Self {
        Self {
            id: m.id,
            shortcut: m.shortcut,
            text: m.text,
            scope: if m.owner_id.is_some() {
                Scope::Personal
            } else {
                Scope::Tenant
            },
            filled_text: None,
            updated_at: m.updated_at,
        }
    }
}

/// A change asked for (`None`: keep).
#[derive(Debug, Clone, Default)]
pub struct CannedChange {
    pub shortcut: Option<String>,
    pub text: Option<String>,
}

fn personal_needs_a_user() -> ServiceError {
    ServiceError::Forbidden("personal canned responses belong to a user, not to an API key")
}

impl Service {
    /// The tenant's canned responses and the caller's own, by shortcut. With `conversation`
    /// (one the caller may read), each carries its text filled for that chat.
    pub async fn list_canned_responses(
        &self,
        who: &Principal,
        conversation: Option<Uuid>,
    ) -> ServiceResult<Vec<CannedResponse>> {
        let tenant = who.member_tenant()?;
        let list = canned_responses::visible_to(self.db(), tenant, who.user_id()).await?;
        let mut out: Vec<CannedResponse> = list.into_iter().map(Into::into).collect();
        if let Some(id) = conversation {
            let c = self.conversation(who, id).await?;
            let agent = match who.user_id() {
                Some(u) => Some(users::find(self.db(), tenant, u).await?.display_name),
                None => None,
            };
            let captured = c.visitor["captured"].clone();
            let value = |name: &str| -> Option<String> {
                let field = |k: &str| captured[k].as_str().map(str::to_owned);
                match name {
                    "visitor.first_name" => field("first_name"),
                    "visitor.last_name" => field("last_name"),
                    "visitor.email" => field("email"),
                    "visitor.company" => field("company"),
                    "visitor.name" => {
                        let name = [field("first_name"), field("last_name")]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" ");
                        (!name.is_empty()).then_some(name)
                    }
                    "agent.display_name" => agent.clone(),
                    _ => None,
                }
            };
            for r in &mut out {
                r.filled_text = Some(canned::fill(&r.text, value));
            }
        }
        Ok(out)
    }

    /// A new canned response: the tenant's (admins) or the caller's own.
    pub async fn create_canned_response(
        &self,
        who: &Principal,
        shortcut: &str,
        text: &str,
        scope: Scope,
    ) -> ServiceResult<CannedResponse> {
        let shortcut = canned::parse_shortcut(shortcut)?;
        let text = canned::parse_text(text)?;
        let (tenant, owner) = self.canned_scope(who, scope)?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let m = canned_responses::insert(&txn, tenant, owner, &shortcut, &text).await?;
        if owner.is_none() {
            audit_change(&txn, tenant, who, "canned_response.created", &m).await?;
        }
        txn.commit().await?;
        Ok(m.into())
    }

    pub async fn update_canned_response(
        &self,
        who: &Principal,
        id: Uuid,
        change: CannedChange,
    ) -> ServiceResult<CannedResponse> {
        let (tenant, current) = self.own_canned(who, id).await?;
        let shortcut = match change.shortcut.as_deref() {
            Some(s) => canned::parse_shortcut(s)?,
            None => current.shortcut.clone(),
        };
        let text = match change.text.as_deref() {
            Some(t) => canned::parse_text(t)?,
            None => current.text.clone(),
        };
        let personal = current.owner_id.is_some();
        let txn = switchboard_store::begin_write(self.db()).await?;
        let m = canned_responses::update(&txn, current, &shortcut, &text).await?;
        if !personal {
            audit_change(&txn, tenant, who, "canned_response.updated", &m).await?;
        }
        txn.commit().await?;
        Ok(m.into())
    }

    pub async fn delete_canned_response(&self, who: &Principal, id: Uuid) -> ServiceResult<()> {
        let (tenant, current) = self.own_canned(who, id).await?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        canned_responses::delete(&txn, tenant, id).await?;
        if current.owner_id.is_none() {
            audit_change(&txn, tenant, who, "canned_response.deleted", &current).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Where a new response of `scope` goes: the tenant's needs an admin, a personal one a
    /// user.
    fn canned_scope(
        &self,
        who: &Principal,
        scope: Scope,
    ) -> ServiceResult<(TenantId, Option<UserId>)> {
        match scope {
            Scope::Tenant => Ok((who.admin_tenant()?, None)),
            Scope::Personal => {
                let user = who.user_id().ok_or_else(personal_needs_a_user)?;
                Ok((who.member_tenant()?, Some(user)))
            }
        }
    }

    /// A response the caller may change: the tenant's for admins, their own for anyone.
    /// Another user's own reads as not found; the tenant's, for an agent, as forbidden.
    async fn own_canned(
        &self,
        who: &Principal,
        id: Uuid,
    ) -> ServiceResult<(TenantId, canned_responses::Model)> {
        let tenant = who.member_tenant()?;
        let m = canned_responses::find(self.db(), tenant, id).await?;
        match m.owner_id {
            Some(owner) if who.user_id().map(|u| u.as_uuid()) != Some(owner) => {
                Err(ServiceError::NotFound)
            }
            Some(_) => Ok((tenant, m)),
            None => {
                who.admin_tenant()?;
                Ok((tenant, m))
            }
        }
    }
}

async fn audit_change(
    conn: &impl switchboard_store::ConnectionTrait,
    tenant: TenantId,
    who: &Principal,
    action: &'static str,
    m: &canned_responses::Model,
) -> ServiceResult<()> {
    audit::append(
        conn,
        tenant,
        &who.actor(),
        audit::Entry {
            action,
            target_kind: "canned_response",
            target_id: Some(m.id),
            details: json!({"shortcut": m.shortcut}),
        },
    )
    .await?;
    Ok(())
}
