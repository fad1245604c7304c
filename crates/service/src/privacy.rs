//! A visitor's data by their email (SPEC §12.4): exported as JSON, or erased, by an admin,
//! audited (the audit keeps a hash of the address, not the address). And the purges: a
//! tenant's `retention_days`, and dialogue-only sessions abandoned for a day.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use switchboard_core::TenantId;
use switchboard_core::user::EmailAddress;
use switchboard_store::{audit, messages, privacy, tenants};

use crate::{Principal, Service, ServiceError, ServiceResult, sha256_hex};

/// What is stored about a visitor: each conversation with its transcript.
#[derive(Debug)]
pub struct VisitorExport {
    pub email: String,
    pub conversations: Vec<(
        switchboard_store::conversations::Model,
        Vec<switchboard_store::messages::Model>,
    )>,
}

impl VisitorExport {
    /// As JSON, the shape of `GET /privacy/visitors` (the console's download).
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "email": self.email,
            "conversations": self.conversations.iter().map(|(c, messages)| json!({
                "id": c.id,
                "status": c.status.as_str(),
                "created_at": c.created_at,
                "ended_at": c.ended_at,
                "visitor": c.visitor,
                "left_message": c.left_message_body.as_ref().map(|message| json!({
                    "name": c.left_message_name,
                    "email": c.left_message_email,
                    "message": message,
                    "left_at": c.left_message_at,
                })),
                "messages": messages.iter().map(|m| json!({
                    "seq": m.seq,
                    "sender": m.sender.as_str(),
                    "body": m.body,
                    "sent_at": m.sent_at,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

/// Dialogue-only sessions untouched this long are purged.
pub const ABANDONED_AFTER_HOURS: i64 = 24;
/// Conversations purged per batch (and per transaction).
const BATCH: u64 = 200;

impl Service {
    async fn visitor_conversations(
        &self,
        tenant: TenantId,
        email: &str,
    ) -> ServiceResult<(EmailAddress, Vec<switchboard_store::conversations::Model>)> {
        let email = EmailAddress::parse(email).map_err(|e| e.at("email"))?;
        let found = privacy::conversations_of_email(self.db(), tenant, email.as_str()).await?;
        Ok((email, found))
    }

    /// Everything stored about the visitor with this email: their conversations with the
    /// visitor's details, the transcript (bot, visitor and agent messages) and what they left.
    pub async fn export_visitor(
        &self,
        who: &Principal,
        email: &str,
    ) -> ServiceResult<VisitorExport> {
        let tenant = who.admin_tenant()?;
        let (email, found) = self.visitor_conversations(tenant, email).await?;
        let mut conversations = Vec::with_capacity(found.len());
        for c in found {
            let transcript = messages::visible_after_unscoped(self.db(), c.id, 0, 100_000).await?;
            conversations.push((c, transcript));
        }
        let txn = switchboard_store::begin_write(self.db()).await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "privacy.visitor_exported",
                target_kind: "visitor",
                target_id: None,
                details: json!({"email_sha256": sha256_hex(email.as_str()), "conversations": conversations.len()}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(VisitorExport {
            email: email.as_str().to_owned(),
            conversations,
        })
    }

    /// Erases every conversation of the visitor with this email, with its messages, the
    /// message they left, the emails and webhook deliveries about it. A chat still being
    /// routed or live is to be ended first (409). Returns how many conversations went.
    pub async fn erase_visitor(&self, who: &Principal, email: &str) -> ServiceResult<u64> {
        use switchboard_core::ConversationStatus;
        let tenant = who.admin_tenant()?;
        let (email, found) = self.visitor_conversations(tenant, email).await?;
        if found.iter().any(|c| {
            matches!(
                c.status,
                ConversationStatus::Routing | ConversationStatus::Live
            )
        }) {
            return Err(ServiceError::conflict(
                "email",
                "this visitor is waiting for an agent or chatting now: end the chat first",
            ));
        }
        let ids: Vec<_> = found.iter().map(|c| c.id).collect();
        let txn = switchboard_store::begin_write(self.db()).await?;
        let erased = privacy::erase(&txn, tenant, &ids).await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "privacy.visitor_erased",
                target_kind: "visitor",
                target_id: None,
                details: json!({"email_sha256": sha256_hex(email.as_str()), "conversations": erased}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(erased)
    }

    /// Purges, as of `at`: each tenant's conversations over and untouched for longer than
    /// its `retention_days`, and everybody's dialogue-only sessions abandoned for a day.
    /// Returns how many conversations went. Every node may run it; deleting twice is
    /// harmless.
    pub async fn purge_expired_conversations(&self, at: DateTime<Utc>) -> ServiceResult<u64> {
        let mut purged = 0;
        for (tenant, days) in tenants::with_retention(self.db()).await? {
            let before = at - Duration::days(i64::from(days));
            loop {
                let ids = privacy::closed_before(self.db(), tenant, before, BATCH).await?;
                if ids.is_empty() {
                    break;
                }
                let txn = switchboard_store::begin_write(self.db()).await?;
                purged += privacy::erase(&txn, tenant, &ids).await?;
                txn.commit().await?;
                if (ids.len() as u64) < BATCH {
                    break;
                }
            }
        }
        // Abandoned in the dialogue without leaving a detail: nothing worth keeping. One
        // batch per pass (housekeeping runs hourly); a visitor who gave details is a lead.
        let before = at - Duration::hours(ABANDONED_AFTER_HOURS);
        let stale = privacy::stale_dialogues_unscoped(self.db(), before, 1000).await?;
        let abandoned: Vec<_> = stale
            .iter()
            .filter(|c| {
                c.visitor["captured"]
                    .as_object()
                    .is_none_or(|m| m.is_empty())
            })
            .collect();
        if !abandoned.is_empty() {
            let txn = switchboard_store::begin_write(self.db()).await?;
            for c in abandoned {
                purged += privacy::erase(&txn, TenantId::from_uuid(c.tenant_id), &[c.id]).await?;
            }
            txn.commit().await?;
        }
        Ok(purged)
    }
}
