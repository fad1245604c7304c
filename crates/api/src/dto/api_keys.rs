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
    /// `read` (GET calls outside the admin areas), `write` (read, and changes to
    /// conversations, offers and messages), `admin` (all an admin may do).
    pub scopes: Vec<String>,
    /// `null`: never expires.
    pub expires_at: Option<DateTime<Utc>>,
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
            scopes: k.scopes.iter().map(|s| s.as_str().to_owned()).collect(),
            expires_at: k.expires_at,
        }
    }
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    /// What the key is for, e.g. "CRM sync".
    pub name: NonBlank<100>,
    /// What it may do; absent: `["admin"]`.
    #[oai(validator(max_items = 3))]
    pub scopes: Option<Vec<crate::text::Keyword<crate::text::Scopes>>>,
    /// When it stops working (within two years); absent: never.
    pub expires_at: Option<DateTime<Utc>>,
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
