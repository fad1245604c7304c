//! Two-factor sign-in (SPEC §12.4): TOTP (RFC 6238: SHA-1, 6 digits, 30-s steps, one step of
//! drift either way, as every authenticator app does) with ten single-use recovery codes.
//!
//! Enrolment is two steps, so that an account is never locked behind a secret its app did not
//! take: `start` stores a new secret (sealed) without turning anything on and returns it with
//! its `otpauth://` URI; `confirm` with a code from the app turns it on and returns the
//! recovery codes, shown that once and stored hashed. Turning it off takes a code too. Once
//! on, a login needs `otp`: a current code or an unused recovery code (which is then spent).

use serde_json::json;
use switchboard_store::audit;
use switchboard_store::two_factor::{self, Account, TwoFactor};
use totp_rs::{Algorithm, TOTP};

use crate::{Principal, Service, ServiceError, ServiceResult, sha256_hex};

/// What an authenticator app needs to add the account.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// Base32, for typing in.
    pub secret: String,
    /// `otpauth://totp/…`, for a QR code.
    pub otpauth_uri: String,
}

const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "Switchboard";
const WRONG_CODE: &str =
    "the code is not the current one of the authenticator app, nor an unused recovery code";

fn account(who: &Principal) -> ServiceResult<Account> {
    match who {
        Principal::User { tenant, id, .. } => Ok(Account::User(*tenant, *id)),
        Principal::Operator { id, .. } => Ok(Account::Operator(*id)),
        Principal::ApiKey { .. } => Err(ServiceError::Forbidden(
            "two-factor sign-in belongs to a person's account, not an API key",
        )),
    }
}

fn email(who: &Principal) -> &str {
    match who {
        Principal::User { email, .. } | Principal::Operator { email, .. } => email,
        Principal::ApiKey { label, .. } => label,
    }
}

fn totp(secret: Vec<u8>, label: &str) -> ServiceResult<TOTP> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        secret,
        Some(ISSUER.to_owned()),
        label.replace(':', " "),
    )
    .map_err(|e| ServiceError::internal(std::io::Error::other(e.to_string())))
}

/// A recovery code as people read it: `xxxx-xxxx-xxxx`, lower case, no look-alikes (about
/// 58 bits).
fn recovery_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..12)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    let group = |r: std::ops::Range<usize>| chars[r].iter().collect::<String>();
    format!("{}-{}-{}", group(0..4), group(4..8), group(8..12))
}

fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

impl Service {
    fn totp_of(&self, state: &TwoFactor, label: &str) -> ServiceResult<Option<TOTP>> {
        let Some(sealed) = &state.secret else {
            return Ok(None);
        };
        let secret = self.auth_config().sealer.open(sealed)?;
        let bytes = totp_rs::Secret::Encoded(secret)
            .to_bytes()
            .map_err(|e| ServiceError::internal(std::io::Error::other(format!("{e:?}"))))?;
        Ok(Some(totp(bytes, label)?))
    }

    /// Whether `code` is the app's current code (or the one either side of it).
    fn code_matches(&self, state: &TwoFactor, label: &str, code: &str) -> ServiceResult<bool> {
        let code = normalise(code);
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Ok(false);
        }
        Ok(match self.totp_of(state, label)? {
            Some(t) => t.check_current(&code).unwrap_or(false),
            None => false,
        })
    }

    /// With `SWITCHBOARD_REQUIRE_2FA`, the operator and owners whose two-factor sign-in is
    /// not on may do nothing else than turn it on (and sign out): refused with
    /// [`ServiceError::TwoFactorRequired`].
    pub async fn check_two_factor_required(&self, who: &Principal) -> ServiceResult<()> {
        let bound = matches!(
            who,
            Principal::Operator { .. }
                | Principal::User {
                    role: switchboard_core::user::Role::Owner,
                    ..
                }
        );
        if self.auth_config().require_two_factor && bound && !self.two_factor_enabled(who).await? {
            return Err(ServiceError::TwoFactorRequired(
                "this server requires two-factor sign-in for the operator and owners: turn it on first (POST /api/v1/me/two-factor, or the console's account page)",
            ));
        }
        Ok(())
    }

    pub async fn two_factor_enabled(&self, who: &Principal) -> ServiceResult<bool> {
        Ok(match account(who) {
            Ok(a) => two_factor::get(self.db(), a).await?.enabled,
            Err(_) => false,
        })
    }

    /// Step one: a new secret for the app (replacing one not confirmed). Refused while
    /// two-factor is on: it is turned off first, with a code.
    pub async fn start_two_factor(&self, who: &Principal) -> ServiceResult<Enrolment> {
        let a = account(who)?;
        let state = two_factor::get(self.db(), a).await?;
        if state.enabled {
            return Err(ServiceError::conflict(
                "two_factor",
                "two-factor sign-in is on already: turn it off first to enrol another app",
            ));
        }
        let mut raw = [0u8; 20];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut raw);
        let secret = totp_rs::Secret::Raw(raw.to_vec()).to_encoded().to_string();
        let uri = self.totp_of(
            &TwoFactor {
                secret: Some(self.auth_config().sealer.seal(&secret)),
                ..TwoFactor::default()
            },
            email(who),
        )?;
        let otpauth_uri = uri.map(|t| t.get_url()).unwrap_or_default();
        two_factor::set(
            self.db(),
            a,
            &TwoFactor {
                secret: Some(self.auth_config().sealer.seal(&secret)),
                enabled: false,
                recovery: Vec::new(),
            },
        )
        .await?;
        Ok(Enrolment {
            secret,
            otpauth_uri,
        })
    }

    /// Step two: a code from the app turns two-factor on; returns the recovery codes (shown
    /// this once).
    pub async fn confirm_two_factor(
        &self,
        who: &Principal,
        code: &str,
    ) -> ServiceResult<Vec<String>> {
        let a = account(who)?;
        let state = two_factor::get(self.db(), a).await?;
        if state.enabled {
            return Err(ServiceError::conflict(
                "two_factor",
                "two-factor sign-in is on already",
            ));
        }
        if state.secret.is_none() {
            return Err(ServiceError::conflict(
                "two_factor",
                "start the enrolment first (POST /me/two-factor)",
            ));
        }
        if !self.code_matches(&state, email(who), code)? {
            return Err(switchboard_core::ValidationError::new(
                "code",
                "is not the current code of the authenticator app",
            )
            .into());
        }
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
        let txn = switchboard_store::begin_write(self.db()).await?;
        two_factor::set(
            &txn,
            a,
            &TwoFactor {
                secret: state.secret,
                enabled: true,
                recovery: codes.iter().map(sha256_hex).collect(),
            },
        )
        .await?;
        self.audit_account(&txn, who, "user.two_factor_enabled")
            .await?;
        txn.commit().await?;
        Ok(codes)
    }

    /// Turns two-factor off; takes a current code or a recovery code.
    pub async fn disable_two_factor(&self, who: &Principal, code: &str) -> ServiceResult<()> {
        let a = account(who)?;
        let state = two_factor::get(self.db(), a).await?;
        if !state.enabled {
            return Err(ServiceError::conflict(
                "two_factor",
                "two-factor sign-in is not on",
            ));
        }
        let txn = switchboard_store::begin_write(self.db()).await?;
        if !self.second_factor_in(&txn, who, a, code).await? {
            return Err(switchboard_core::ValidationError::new("code", WRONG_CODE).into());
        }
        two_factor::set(&txn, a, &TwoFactor::default()).await?;
        self.audit_account(&txn, who, "user.two_factor_disabled")
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// At login, after the password: nothing to do without two-factor; with it, `otp` must
    /// be the current code or an unused recovery code (spent now).
    pub(crate) async fn check_second_factor(
        &self,
        who: &Principal,
        otp: Option<&str>,
    ) -> ServiceResult<()> {
        let Ok(a) = account(who) else {
            return Ok(());
        };
        if !two_factor::get(self.db(), a).await?.enabled {
            return Ok(());
        }
        let Some(code) = otp.filter(|c| !c.trim().is_empty()) else {
            return Err(ServiceError::OtpRequired(
                "this account has two-factor sign-in: send otp, the authenticator app's current code or a recovery code",
            ));
        };
        let txn = switchboard_store::begin_write(self.db()).await?;
        let ok = self.second_factor_in(&txn, who, a, code).await?;
        txn.commit().await?;
        if ok {
            Ok(())
        } else {
            Err(ServiceError::OtpRequired(WRONG_CODE))
        }
    }

    /// Checks a code in `txn`; a recovery code that matches is spent in it.
    async fn second_factor_in(
        &self,
        txn: &impl switchboard_store::ConnectionTrait,
        who: &Principal,
        a: Account,
        code: &str,
    ) -> ServiceResult<bool> {
        let mut state = two_factor::get(txn, a).await?;
        if self.code_matches(&state, email(who), code)? {
            return Ok(true);
        }
        let hash = sha256_hex(normalise(code));
        let before = state.recovery.len();
        state.recovery.retain(|h| *h != hash);
        if state.recovery.len() == before {
            return Ok(false);
        }
        two_factor::set(txn, a, &state).await?;
        if let Principal::User { tenant, .. } = who {
            audit::append(
                txn,
                *tenant,
                &who.actor(),
                audit::Entry {
                    action: "user.recovery_code_used",
                    target_kind: "user",
                    target_id: who.user_id().map(|u| u.as_uuid()),
                    details: json!({"left": state.recovery.len()}),
                },
            )
            .await?;
        }
        Ok(true)
    }

    async fn audit_account(
        &self,
        txn: &impl switchboard_store::ConnectionTrait,
        who: &Principal,
        action: &'static str,
    ) -> ServiceResult<()> {
        if let Principal::User { tenant, .. } = who {
            audit::append(
                txn,
                *tenant,
                &who.actor(),
                audit::Entry {
                    action,
                    target_kind: "user",
                    target_id: who.user_id().map(|u| u.as_uuid()),
                    details: json!({}),
                },
            )
            .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_readable_and_distinct() {
        let a = recovery_code();
        assert_eq!(a.len(), 14);
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_alphanumeric()));
        assert_ne!(a, recovery_code());
        assert_eq!(normalise(" ABCD-efgh-1234 "), "abcd-efgh-1234");
    }
}
