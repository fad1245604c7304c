//! Console sessions: login with a password yields a random session token (kept by the browser
//! in an HttpOnly cookie) and a CSRF token (echoed in every form).

use chrono::Duration;
use switchboard_core::{OperatorId, TenantId, UserId};
use switchboard_store::{now, operators, sessions, users};

use crate::{Principal, Service, ServiceError, ServiceResult, random_token, sha256_hex};

/// How long a console session lasts without logging in again.
pub const SESSION_HOURS: i64 = 12;

pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

pub struct ConsoleSession {
    pub principal: Principal,
    pub csrf_token: String,
}

/// How a console login form went.
pub enum ConsoleLogin {
    /// Signed in: the new session.
    Done(NewSession, Principal),
    /// The password was right and the account has two-factor sign-in: the form asks for a
    /// code, carrying this ticket instead of the password.
    NeedsCode { ticket: String },
}

/// Where a console session is opened from (shown to its user in their list of sessions).
#[derive(Debug, Clone, Default)]
pub struct SessionClient {
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

/// A console session as its user sees it.
#[derive(Debug, Clone)]
pub struct SessionView {
    /// A public handle (the start of the stored hash): enough to end it, nothing to use it.
    pub id: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    /// The session the request came with.
    pub current: bool,
}

const SESSION_ID_CHARS: usize = 16;

/// What a console login form sent: a password, or (second step) a ticket and a code.
pub enum Credentials<'a> {
    Password(&'a str),
    Code { ticket: &'a str, code: &'a str },
}

impl Service {
    /// Logs in to the console; `tenant: None` is the platform console. An account with
    /// two-factor sign-in takes two steps: the password, then a code with the ticket.
    pub async fn console_login(
        &self,
        tenant: Option<&str>,
        email: &str,
        credentials: Credentials<'_>,
        client: SessionClient,
    ) -> ServiceResult<ConsoleLogin> {
        let principal = match credentials {
            Credentials::Password(password) => {
                let who = self.check_credentials(tenant, email, password).await?;
                if self.two_factor_enabled(&who).await? {
                    return Ok(ConsoleLogin::NeedsCode {
                        ticket: self.second_factor_ticket(&who).await?,
                    });
                }
                who
            }
            Credentials::Code { ticket, code } => {
                let who = self.second_factor_account(ticket).await?;
                self.check_second_factor(&who, Some(code)).await?;
                who
            }
        };
        let (session, principal) = self.open_console_session(principal, client).await?;
        Ok(ConsoleLogin::Done(session, principal))
    }

    async fn open_console_session(
        &self,
        principal: Principal,
        client: SessionClient,
    ) -> ServiceResult<(NewSession, Principal)> {
        let token = random_token(32);
        let csrf_token = random_token(24);
        let at = now();
        let (tenant_id, user_id, operator_id) = match &principal {
            Principal::Operator { id, .. } => (None, None, Some(id.as_uuid())),
            Principal::User { tenant, id, .. } => {
                (Some(tenant.as_uuid()), Some(id.as_uuid()), None)
            }
            Principal::ApiKey { .. } => {
                return Err(ServiceError::Unauthorized(
                    "API keys cannot log in to the console",
                ));
            }
        };
        sessions::insert(
            self.db(),
            sessions::Model {
                token_hash: sha256_hex(&token),
                tenant_id,
                user_id,
                operator_id,
                csrf_token: csrf_token.clone(),
                created_at: at,
                expires_at: at + Duration::hours(SESSION_HOURS),
                user_agent: client.user_agent.map(|ua| ua.chars().take(300).collect()),
                ip: client.ip,
            },
        )
        .await?;
        Ok((NewSession { token, csrf_token }, principal))
    }

    /// The session behind a cookie token, with a fresh view of who it is (a disabled user's
    /// session ends at once).
    pub async fn console_session(&self, token: &str) -> ServiceResult<Option<ConsoleSession>> {
        let Some(session) = sessions::find(self.db(), &sha256_hex(token)).await? else {
            return Ok(None);
        };
        let principal = match (session.operator_id, session.tenant_id, session.user_id) {
            (Some(op), _, _) => {
                match operators::find(self.db(), OperatorId::from_uuid(op)).await? {
                    Some(o) => Principal::Operator {
                        id: OperatorId::from_uuid(o.id),
                        email: o.email,
                    },
                    None => return Ok(None),
                }
            }
            (None, Some(t), Some(u)) => {
                match users::find(self.db(), TenantId::from_uuid(t), UserId::from_uuid(u)).await {
                    Ok(user) if user.active => Principal::User {
                        tenant: user.tenant(),
                        id: user.user_id(),
                        role: user.role(),
                        email: user.email,
                    },
                    Ok(_) | Err(switchboard_store::StoreError::NotFound) => return Ok(None),
                    Err(e) => return Err(e.into()),
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(ConsoleSession {
            principal,
            csrf_token: session.csrf_token,
        }))
    }

    /// How many live chats the signed-in agent still holds (the console warns before a
    /// logout leaves them).
    pub async fn own_live_chats(&self, who: &Principal) -> ServiceResult<u64> {
        let (Ok(tenant), Some(user)) = (who.member_tenant(), who.user_id()) else {
            return Ok(0);
        };
        Ok(
            switchboard_store::conversations::count_live_of(self.db(), tenant, user.as_uuid())
                .await?,
        )
    }

    /// Logging out of the console (and its inbox): a member goes offline, so their pending
    /// offers move on at once instead of waiting out their deadline; then the session ends.
    pub async fn log_out(&self, who: &Principal, token: &str) -> ServiceResult<()> {
        if let (Ok(tenant), Some(user)) = (who.member_tenant(), who.user_id()) {
            self.change_availability(
                tenant,
                user,
                switchboard_core::Availability::Offline,
                switchboard_core::AvailabilityReason::Chosen,
                None,
            )
            .await?;
        }
        self.revoke_tokens(who).await?;
        self.console_logout(token).await
    }

    pub async fn console_logout(&self, token: &str) -> ServiceResult<()> {
        Ok(sessions::delete(self.db(), &sha256_hex(token)).await?)
    }

    /// Creates the platform operator on first start. Returns the password when it was
    /// generated here (to be printed once), `None` when an operator already existed or the
    /// password came from configuration.
    pub async fn ensure_operator(
        &self,
        email: &str,
        password: Option<&str>,
    ) -> ServiceResult<Option<Option<String>>> {
        if operators::count(self.db()).await? > 0 {
            return Ok(None);
        }
        let email = switchboard_core::user::EmailAddress::parse(email)?;
        let generated = password.is_none().then(|| random_token(18));
        let raw = password.or(generated.as_deref()).unwrap_or_default();
        let password = switchboard_core::user::Password::parse(raw)?;
        let hash = crate::auth::hash_password(&password).await?;
        match operators::insert(self.db(), email.as_str(), "Platform operator", &hash).await {
            Ok(_) => Ok(Some(generated)),
            // Another node starting at the same moment created it first: nothing to do.
            Err(switchboard_store::StoreError::Conflict(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The caller's live console sessions, newest first; `current_token` marks the one the
    /// request came with.
    pub async fn list_sessions(
        &self,
        who: &Principal,
        current_token: Option<&str>,
    ) -> ServiceResult<Vec<SessionView>> {
        let Some(user) = who.user_id() else {
            return Ok(Vec::new());
        };
        let current = current_token.map(sha256_hex);
        Ok(sessions::of_user(self.db(), user)
            .await?
            .into_iter()
            .map(|s| SessionView {
                id: s.token_hash.chars().take(SESSION_ID_CHARS).collect(),
                current: current.as_deref() == Some(s.token_hash.as_str()),
                created_at: s.created_at,
                expires_at: s.expires_at,
                user_agent: s.user_agent,
                ip: s.ip,
            })
            .collect())
    }

    /// Ends one of the caller's console sessions (404 when it is not theirs or is over).
    pub async fn end_session(&self, who: &Principal, id: &str) -> ServiceResult<()> {
        let user = who.user_id().ok_or(ServiceError::NotFound)?;
        if id.len() != SESSION_ID_CHARS {
            return Err(ServiceError::NotFound);
        }
        let session = sessions::of_user(self.db(), user)
            .await?
            .into_iter()
            .find(|s| s.token_hash.starts_with(id))
            .ok_or(ServiceError::NotFound)?;
        sessions::delete(self.db(), &session.token_hash).await?;
        Ok(())
    }
}
