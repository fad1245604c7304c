//! The audit log.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use switchboard_core::page::Page;
use switchboard_service::views;
use uuid::Uuid;

#[derive(Debug, Object)]
pub struct AuditActor {
    /// `user`, `api_key` or `operator`.
    pub kind: String,
    pub id: Option<Uuid>,
    pub label: String,
}

#[derive(Debug, Object)]
pub struct AuditTarget {
    pub kind: String,
    pub id: Option<Uuid>,
}

#[derive(Debug, Object)]
pub struct AuditEntry {
    pub id: Uuid,
    pub actor: AuditActor,
    /// E.g. `live_chat_permission.granted`, `plan.changed`, `api_key.created`.
    pub action: String,
    pub target: AuditTarget,
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl From<views::AuditEntry> for AuditEntry {
    fn from(a: views::AuditEntry) -> Self {
        Self {
            id: a.id,
            actor: AuditActor {
                kind: a.actor_kind,
                id: a.actor_id,
                label: a.actor_label,
            },
            action: a.action,
            target: AuditTarget {
                kind: a.target_kind,
                id: a.target_id,
            },
            details: a.details,
            created_at: a.created_at,
        }
    }
}

list_type!(
    /// A page of the audit log, newest first.
    AuditLog,
    AuditEntry
);
