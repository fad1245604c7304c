//! Authentication: Argon2id password hashes, short-lived HS256 JWTs with `aud`/`iss` checked,
//! tenant API keys, and turning any of them back into a [`Principal`].
//!
//! Login failures say the same thing whether the email exists or not, and take about the
//! same time (a dummy hash is verified when there is no user), so they reveal nothing.

use std::sync::LazyLock;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use switchboard_core::tenant::Slug;
use switchboard_core::user::{EmailAddress, Password};
use switchboard_core::{ApiKeyId, OperatorId, TenantId, UserId};
use switchboard_store::{api_keys, operators, tenants, users};

use crate::{Principal, Service, ServiceError, ServiceResult, sha256_hex};

/// The audience every token we issue names; a token for another audience is refused.
pub const AUDIENCE: &str = "switchboard-api";
/// The audience of a second-factor ticket (a password checked, a code to come).
const SECOND_FACTOR_AUDIENCE: &str = "switchboard-second-factor";
/// API keys start with this, so they are told from JWTs without parsing.
pub const API_KEY_PREFIX: &str = "sbk_";

const BAD_CREDENTIALS: &str = "the email, password or tenant is not correct";
const BAD_TOKEN: &str = "the token is missing, malformed, expired or revoked";

#[derive(Clone)]
pub struct AuthConfig {
    secret: Vec<u8>,
    pub issuer: String,
    pub token_ttl: Duration,
    /// Seals the secrets stored in the database.
    pub sealer: crate::seal::Sealer,
    /// Seals the tokens of widget sessions not stored yet: a key of its own, derived from
    /// the same secret, so a token can never be taken for a stored secret or the reverse.
    pub widget_sealer: crate::seal::Sealer,
    /// `SWITCHBOARD_REQUIRE_2FA`: the operator and owners must sign in with two factors.
    pub require_two_factor: bool,
}

impl AuthConfig {
    pub fn new(secret: Vec<u8>, secret_key: &[u8], issuer: String, token_ttl: Duration) -> Self {
        Self {
            secret,
            issuer,
            token_ttl,
            sealer: crate::seal::Sealer::new(secret_key),
            widget_sealer: crate::seal::Sealer::new(
                &[b"switchboard widget session\0".as_slice(), secret_key].concat(),
            ),
            require_two_factor: false,
        }
    }
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field("secret", &"<redacted>")
            .field("issuer", &self.issuer)
            .field("token_ttl", &self.token_ttl)
            .finish()
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    /// The tenant, absent for the platform operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tid: Option<String>,
    aud: String,
    iss: String,
    iat: i64,
    exp: i64,
    /// The account's token generation when the token was issued (logging out, a password
    /// change or disabling the account moves it on). Tokens issued before it existed: 0.
    #[serde(default, rename = "gen")]
    generation: i64,
}

/// An issued access token.
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub token: String,
    pub expires_in: u64,
}

/// Argon2 takes 19 MiB and tens of milliseconds per hash: at most this many run at once (one per
/// core), so a burst of logins queues instead of exhausting memory and blocking threads.
static HASHING: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
});

/// Hashes a password with Argon2id (the crate's default parameters, OWASP's minimum), on a
/// blocking thread: hashing is deliberately slow and must not stall the async workers.
pub async fn hash_password(password: &Password) -> ServiceResult<String> {
    let password = password.expose().to_owned();
    let _permit = HASHING.acquire().await.map_err(ServiceError::internal)?;
    tokio::task::spawn_blocking(move || {
        use rand::RngCore;
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let salt = SaltString::encode_b64(&salt).map_err(|e| ServiceError::internal(PwError(e)))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ServiceError::internal(PwError(e)))
    })
    .await
    .map_err(ServiceError::internal)?
}

/// A hash of a password nobody knows, verified when the account does not exist so that
/// a miss costs as much as a hit.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    SaltString::encode_b64(b"switchboard-dummy-salt")
        .ok()
        .and_then(|salt| {
            Argon2::default()
                .hash_password(b"not-a-password-anyone-has", &salt)
                .ok()
                .map(|h| h.to_string())
        })
        .unwrap_or_default()
});

/// Checks `password` against `hash` (or against the dummy hash when there is no account).
pub async fn verify_password(password: &str, hash: Option<&str>) -> bool {
    let password = password.to_owned();
    let known = hash.is_some();
    let hash = hash
        .map(str::to_owned)
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let Ok(_permit) = HASHING.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && known
    })
    .await
    .unwrap_or(false)
}

#[derive(Debug)]
struct PwError(argon2::password_hash::Error);
impl std::fmt::Display for PwError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "password hashing failed: {}", self.0)
    }
}
impl std::error::Error for PwError {}

impl Service {
    fn issue(
        &self,
        sub: String,
        tid: Option<TenantId>,
        generation: i64,
    ) -> ServiceResult<AccessToken> {
        self.issue_for(
            AUDIENCE,
            self.auth_config().token_ttl.as_secs(),
            sub,
            tid,
            generation,
        )
    }

    fn issue_for(
        &self,
        audience: &str,
        ttl: u64,
        sub: String,
        tid: Option<TenantId>,
        generation: i64,
    ) -> ServiceResult<AccessToken> {
        let cfg = self.auth_config();
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub,
            tid: tid.map(|t| t.to_string()),
            aud: audience.to_owned(),
            iss: cfg.issuer.clone(),
            iat: now,
            exp: now + i64::try_from(ttl).unwrap_or(i64::MAX / 2),
            generation,
        };
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(&cfg.secret),
        )
        .map_err(ServiceError::internal)?;
        Ok(AccessToken {
            token,
            expires_in: ttl,
        })
    }

    /// Checks credentials and returns who they belong to. No tenant: the platform operator.
    pub async fn check_credentials(
        &self,
        tenant: Option<&str>,
        email: &str,
        password: &str,
    ) -> ServiceResult<Principal> {
        let email = EmailAddress::parse(email).ok();
        match tenant {
            None => {
                let operator = match &email {
                    Some(e) => operators::find_by_email(self.db(), e.as_str()).await?,
                    None => None,
                };
                if !verify_password(
                    password,
                    operator.as_ref().map(|o| o.password_hash.as_str()),
                )
                .await
                {
                    return Err(ServiceError::Unauthorized(BAD_CREDENTIALS));
                }
                let operator = operator.ok_or(ServiceError::Unauthorized(BAD_CREDENTIALS))?;
                Ok(Principal::Operator {
                    id: OperatorId::from_uuid(operator.id),
                    email: operator.email,
                })
            }
            Some(slug) => {
                let tenant = match Slug::parse(slug) {
                    Ok(slug) => tenants::find_by_slug(self.db(), slug.as_str()).await?,
                    Err(_) => None,
                };
                let user = match (&tenant, &email) {
                    (Some(t), Some(e)) => {
                        users::find_by_email(self.db(), t.tenant_id(), e.as_str()).await?
                    }
                    _ => None,
                };
                if let Some(u) = user.as_ref().filter(|u| u.active) {
                    self.check_not_locked(u)?;
                }
                let hash = user
                    .as_ref()
                    .filter(|u| u.active)
                    .and_then(|u| u.password_hash.as_deref());
                if !verify_password(password, hash).await {
                    if let Some(u) = user.as_ref().filter(|u| u.active) {
                        self.login_failed(u).await?;
                    }
                    return Err(ServiceError::Unauthorized(BAD_CREDENTIALS));
                }
                let user = user.ok_or(ServiceError::Unauthorized(BAD_CREDENTIALS))?;
                self.login_succeeded(&user).await?;
                Ok(Principal::User {
                    tenant: user.tenant(),
                    id: user.user_id(),
                    role: user.role(),
                    email: user.email,
                })
            }
        }
    }

    /// `POST /auth/token`: credentials in, short-lived JWT out.
    pub async fn login(
        &self,
        tenant: Option<&str>,
        email: &str,
        password: &str,
        otp: Option<&str>,
    ) -> ServiceResult<AccessToken> {
        let who = self.check_credentials(tenant, email, password).await?;
        self.check_second_factor(&who, otp).await?;
        let generation = self.token_generation(&who).await?;
        match who {
            Principal::Operator { id, .. } => self.issue(id.to_string(), None, generation),
            Principal::User { tenant, id, .. } => {
                self.issue(id.to_string(), Some(tenant), generation)
            }
            Principal::ApiKey { .. } => Err(ServiceError::Unauthorized(BAD_CREDENTIALS)),
        }
    }

    /// A fresh access token for a user already signed in another way (the inbox page, from
    /// its console session, so its script can use the API and the agent socket).
    pub async fn access_token_for(&self, who: &Principal) -> ServiceResult<AccessToken> {
        match who {
            Principal::User { tenant, id, .. } => {
                let generation = self.token_generation(who).await?;
                self.issue(id.to_string(), Some(*tenant), generation)
            }
            _ => Err(ServiceError::Forbidden("only users have an inbox")),
        }
    }

    /// The account's current token generation (an API key has none: 0).
    async fn token_generation(&self, who: &Principal) -> ServiceResult<i64> {
        Ok(match who {
            Principal::Operator { id, .. } => operators::find(self.db(), *id)
                .await?
                .map_or(0, |o| o.token_generation),
            Principal::User { tenant, id, .. } => {
                users::find(self.db(), *tenant, *id).await?.token_generation
            }
            Principal::ApiKey { .. } => 0,
        })
    }

    /// Revokes every access token of the account at once (logging out, a password change,
    /// disabling): REST calls with them are refused from now on, and the user's open
    /// sockets are closed.
    pub async fn revoke_tokens(&self, who: &Principal) -> ServiceResult<()> {
        match who {
            Principal::Operator { id, .. } => operators::revoke_tokens(self.db(), *id).await?,
            Principal::User { tenant, id, .. } => self.revoke_user_tokens(*tenant, *id).await?,
            Principal::ApiKey { .. } => {}
        }
        Ok(())
    }

    /// [`Service::revoke_tokens`] of a user of `tenant`.
    pub(crate) async fn revoke_user_tokens(
        &self,
        tenant: TenantId,
        user: switchboard_core::UserId,
    ) -> ServiceResult<()> {
        let txn = switchboard_store::begin_write(self.db()).await?;
        end_sessions_and_tokens(&txn, tenant, user).await?;
        txn.commit().await?;
        self.tokens_revoked(tenant, user).await;
        Ok(())
    }

    /// Tells a user's open sockets (on every node) that their tokens were revoked: they
    /// close.
    pub(crate) async fn tokens_revoked(&self, tenant: TenantId, user: switchboard_core::UserId) {
        self.announce(
            switchboard_realtime::Topic::Agent(tenant, user),
            &crate::events::Event::TokensRevoked {},
        )
        .await;
    }

    /// When a bearer credential stops being valid: a JWT's expiry (an API key: never).
    pub fn token_expiry(&self, bearer: &str) -> Option<chrono::DateTime<chrono::Utc>> {
        if bearer.starts_with(API_KEY_PREFIX) {
            return None;
        }
        let claims = self.decode(bearer).ok()?;
        chrono::DateTime::from_timestamp(claims.exp, 0)
    }

    /// Resolves a bearer credential (JWT or API key) to a principal, checking on every call
    /// that the account still exists and is active.
    pub async fn authenticate(&self, bearer: &str) -> ServiceResult<Principal> {
        if bearer.starts_with(API_KEY_PREFIX) {
            return self.authenticate_api_key(bearer).await;
        }
        let claims = self.decode(bearer)?;
        self.principal_of(claims).await
    }

    /// A password checked, a second factor to come: a ticket naming the account for the
    /// console's code form, good for five minutes (it is no access token: another audience).
    pub async fn second_factor_ticket(&self, who: &Principal) -> ServiceResult<String> {
        let generation = self.token_generation(who).await?;
        let (sub, tid) = match who {
            Principal::Operator { id, .. } => (id.to_string(), None),
            Principal::User { tenant, id, .. } => (id.to_string(), Some(*tenant)),
            Principal::ApiKey { .. } => return Err(ServiceError::Unauthorized(BAD_CREDENTIALS)),
        };
        Ok(self
            .issue_for(SECOND_FACTOR_AUDIENCE, 300, sub, tid, generation)?
            .token)
    }

    /// The account a second-factor ticket names, while it is valid.
    pub async fn second_factor_account(&self, ticket: &str) -> ServiceResult<Principal> {
        let claims = self
            .decode_for(ticket, SECOND_FACTOR_AUDIENCE)
            .map_err(|_| {
                ServiceError::Unauthorized("the sign-in took too long: enter your password again")
            })?;
        self.principal_of(claims).await
    }

    async fn principal_of(&self, claims: Claims) -> ServiceResult<Principal> {
        let sub: uuid::Uuid = claims
            .sub
            .parse()
            .map_err(|_| ServiceError::Unauthorized(BAD_TOKEN))?;
        match claims.tid {
            None => {
                let operator = operators::find(self.db(), OperatorId::from_uuid(sub))
                    .await?
                    .filter(|o| o.token_generation == claims.generation)
                    .ok_or(ServiceError::Unauthorized(BAD_TOKEN))?;
                Ok(Principal::Operator {
                    id: OperatorId::from_uuid(operator.id),
                    email: operator.email,
                })
            }
            Some(tid) => {
                let tenant: TenantId = tid
                    .parse()
                    .map_err(|_| ServiceError::Unauthorized(BAD_TOKEN))?;
                let user = match users::find(self.db(), tenant, UserId::from_uuid(sub)).await {
                    Ok(user) if user.active && user.token_generation == claims.generation => user,
                    Ok(_) | Err(switchboard_store::StoreError::NotFound) => {
                        return Err(ServiceError::Unauthorized(BAD_TOKEN));
                    }
                    Err(e) => return Err(e.into()),
                };
                Ok(Principal::User {
                    tenant,
                    id: user.user_id(),
                    role: user.role(),
                    email: user.email,
                })
            }
        }
    }

    /// A JWT's claims once its signature, audience, issuer and expiry hold.
    fn decode(&self, bearer: &str) -> ServiceResult<Claims> {
        self.decode_for(bearer, AUDIENCE)
    }

    fn decode_for(&self, bearer: &str, audience: &str) -> ServiceResult<Claims> {
        let cfg = self.auth_config();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[audience]);
        validation.set_issuer(&[&cfg.issuer]);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
        jsonwebtoken::decode::<Claims>(bearer, &DecodingKey::from_secret(&cfg.secret), &validation)
            .map(|data| data.claims)
            .map_err(|_| ServiceError::Unauthorized(BAD_TOKEN))
    }

    async fn authenticate_api_key(&self, token: &str) -> ServiceResult<Principal> {
        let prefix = api_key_prefix(token).ok_or(ServiceError::Unauthorized(BAD_TOKEN))?;
        let key = api_keys::find_by_prefix_unscoped(self.db(), prefix)
            .await?
            .filter(|k| k.revoked_at.is_none())
            .ok_or(ServiceError::Unauthorized(BAD_TOKEN))?;
        if !constant_time_eq(sha256_hex(token).as_bytes(), key.secret_hash.as_bytes()) {
            return Err(ServiceError::Unauthorized(BAD_TOKEN));
        }
        if key
            .expires_at
            .is_some_and(|at| at <= switchboard_store::now())
        {
            return Err(ServiceError::Unauthorized("the API key expired"));
        }
        self.limit(crate::limits::Limit::ApiKey, &key.id.to_string())
            .await?;
        let tenant = TenantId::from_uuid(key.tenant_id);
        let who = Principal::ApiKey {
            tenant,
            id: ApiKeyId::from_uuid(key.id),
            label: format!("{} ({})", key.name, key.prefix),
            scopes: key.scopes(),
        };
        if api_keys::touch(self.db(), &key).await? {
            // Key use is audited: its first use in an hour.
            switchboard_store::audit::append(
                self.db(),
                tenant,
                &who.actor(),
                switchboard_store::audit::Entry {
                    action: "api_key.used",
                    target_kind: "api_key",
                    target_id: Some(key.id),
                    details: serde_json::json!({"prefix": key.prefix}),
                },
            )
            .await?;
        }
        Ok(who)
    }
}

/// The public part of an API key: `sbk_` and the twelve characters after it.
pub(crate) fn api_key_prefix(token: &str) -> Option<&str> {
    let end = API_KEY_PREFIX.len() + 12;
    (token.len() > end && token.is_char_boundary(end)).then(|| &token[..end])
}

/// Whether two byte strings are equal, in time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Ends a user's console sessions and revokes their tokens, in the caller's transaction (the
/// sockets are told once it is committed: [`Service::tokens_revoked`]).
pub(crate) async fn end_sessions_and_tokens(
    conn: &impl switchboard_store::ConnectionTrait,
    tenant: TenantId,
    user: switchboard_core::UserId,
) -> ServiceResult<()> {
    switchboard_store::sessions::delete_for_user(conn, user).await?;
    users::revoke_tokens(conn, tenant, user).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let pw = Password::parse("correct horse battery").unwrap();
        let hash = hash_password(&pw).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", Some(&hash)).await);
        assert!(!verify_password("wrong horse battery", Some(&hash)).await);
    }

    #[tokio::test]
    async fn no_account_never_verifies() {
        assert!(!verify_password("not-a-password-anyone-has", None).await);
    }

    #[test]
    fn api_key_prefix_is_the_first_sixteen_characters() {
        assert_eq!(
            api_key_prefix("sbk_abcdefghijkl_secret"),
            Some("sbk_abcdefghijkl")
        );
        assert_eq!(api_key_prefix("sbk_short"), None);
    }
}
