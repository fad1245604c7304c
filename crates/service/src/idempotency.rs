//! Idempotency keys of creating calls, scoped by who calls (one user, one API key, the
//! operator): nobody replays another caller's response, so a reused key can neither leak an
//! answer meant for an admin to an agent nor mix two integrations' requests.

use switchboard_store::idempotency;
pub use switchboard_store::idempotency::Claim;

use crate::{Principal, Service, ServiceError, ServiceResult, sha256_hex};

/// The longest key accepted; clients usually send a UUID.
pub const MAX_KEY_LEN: usize = 255;

fn scope(who: &Principal) -> String {
    match who {
        Principal::Operator { id, .. } => format!("operator:{id}"),
        Principal::User { id, .. } => format!("user:{id}"),
        Principal::ApiKey { id, .. } => format!("api_key:{id}"),
    }
}

impl Service {
    /// Claims `key` for a request whose method, path and body are `fingerprint`.
    pub async fn claim_idempotency_key(
        &self,
        who: &Principal,
        key: &str,
        fingerprint: &[u8],
    ) -> ServiceResult<Claim> {
        if key.is_empty() || key.len() > MAX_KEY_LEN || !key.is_ascii() {
            return Err(switchboard_core::ValidationError::new(
                "Idempotency-Key",
                "must be 1-255 ASCII characters",
            )
            .into());
        }
        let hash = sha256_hex(fingerprint);
        idempotency::claim(self.db(), &scope(who), key, &hash)
            .await
            .map_err(ServiceError::from)
    }

    /// Keeps the answer for replays; `body: None` when it held a secret shown once.
    pub async fn complete_idempotency_key(
        &self,
        who: &Principal,
        key: &str,
        status: u16,
        body: Option<&str>,
    ) -> ServiceResult<()> {
        Ok(idempotency::complete(self.db(), &scope(who), key, status, body).await?)
    }

    pub async fn release_idempotency_key(&self, who: &Principal, key: &str) -> ServiceResult<()> {
        Ok(idempotency::release(self.db(), &scope(who), key).await?)
    }
}
