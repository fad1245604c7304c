//! API keys (the secret shown once).

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use switchboard_core::page::Page;
use switchboard_service::views;
use uuid::Uuid;

use crate::text::NonBlank;

#[derive(Debug, Object)]
pub struct ApiKey {
    pub id: Uuid,
    pub name: String,
    /// The public start of the key, to recognise it.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<views::ApiKey> for ApiKey {
    fn from(k: views::ApiKey) -> Self {
        Self {
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            created_at: k.created_at,
            last_used_at: k.last_used_at,
            revoked_at: k.revoked_at,
        }
    }
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    /// What the key is for, e.g. "CRM sync".
    pub name: NonBlank<100>,
}

#[derive(Debug, Object)]
pub struct CreatedApiKey {
    #[oai(flatten)]
    pub api_key: ApiKey,
    /// The key itself. Shown only in this answer; store it now.
    pub key: String,
}

list_type!(
    /// A page of API keys.
    ApiKeyList,
    ApiKey
);
