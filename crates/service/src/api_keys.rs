//! Tenant API keys: created (the secret shown once), listed, revoked.

use serde_json::json;
use switchboard_core::ApiKeyId;
use switchboard_core::error::bounded_text;
use switchboard_core::page::{Page, PageRequest};
use switchboard_store::{api_keys, audit};

use crate::auth::API_KEY_PREFIX;
use crate::{Principal, Service, ServiceResult, random_token, sha256_hex};

pub struct CreatedKey {
    pub key: crate::views::ApiKey,
    /// The whole key; never stored, never shown again.
    pub secret: String,
}

/// Twelve characters of lowercase letters and digits: the public, unique part of a key.
fn random_prefix() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..12)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

impl Service {
    /// Makes a key. `scopes` absent: `admin` (what keys could always do); `expires_at`
    /// absent: never (else in the future, within two years).
    pub async fn create_api_key(
        &self,
        who: &Principal,
        name: &str,
        scopes: Option<&[String]>,
        expires_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> ServiceResult<CreatedKey> {
        use switchboard_core::scope::ApiScope;
        let tenant = who.admin_tenant()?;
        let name = bounded_text("name", name, 1, 100)?;
        let scopes = match scopes {
            None => vec![ApiScope::Admin],
            Some([]) => {
                return Err(switchboard_core::ValidationError::new(
                    "scopes",
                    "must name at least one of read, write, admin",
                )
                .into());
            }
            Some(list) => {
                let mut parsed = Vec::new();
                for (i, raw) in list.iter().enumerate() {
                    let s = ApiScope::parse(&format!("scopes[{i}]"), raw)?;
                    if !parsed.contains(&s) {
                        parsed.push(s);
                    }
                }
                parsed
            }
        };
        if let Some(at) = expires_at {
            let now = switchboard_store::now();
            if at <= now || at > now + chrono::Duration::days(731) {
                return Err(switchboard_core::ValidationError::new(
                    "expires_at",
                    "must be in the future and within two years",
                )
                .into());
            }
        }
        // A key never gets more than its maker may do (an admin key makes admin keys).
        if let Principal::ApiKey { scopes: own, .. } = who
            && !scopes
                .iter()
                .all(|s| switchboard_core::scope::allows(own, *s))
        {
            return Err(crate::ServiceError::Forbidden(
                "an API key cannot make a key with more scopes than its own",
            ));
        }
        let prefix = format!("{API_KEY_PREFIX}{}", random_prefix());
        let secret = format!("{prefix}_{}", random_token(32));
        let txn = switchboard_store::begin_write(self.db()).await?;
        let key = api_keys::insert(
            &txn,
            tenant,
            api_keys::NewKey {
                name: &name,
                prefix: &prefix,
                secret_hash: &sha256_hex(&secret),
                scopes: &scopes,
                expires_at,
            },
        )
        .await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "api_key.created",
                target_kind: "api_key",
                target_id: Some(key.id),
                details: json!({
                    "name": name,
                    "prefix": prefix,
                    "scopes": scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                    "expires_at": expires_at,
                }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(CreatedKey {
            key: key.into(),
            secret,
        })
    }

    pub async fn list_api_keys(
        &self,
        who: &Principal,
        page: PageRequest,
    ) -> ServiceResult<Page<crate::views::ApiKey>> {
        let tenant = who.admin_tenant()?;
        Ok(api_keys::list(self.db(), tenant, page)
            .await?
            .map(Into::into))
    }

    pub async fn revoke_api_key(&self, who: &Principal, id: ApiKeyId) -> ServiceResult<()> {
        let tenant = who.admin_tenant()?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let key = api_keys::revoke(&txn, tenant, id).await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "api_key.revoked",
                target_kind: "api_key",
                target_id: Some(key.id),
                details: json!({"name": key.name, "prefix": key.prefix}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
