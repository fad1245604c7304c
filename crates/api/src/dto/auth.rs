//! Token requests and answers.

use poem_openapi::Object;

use crate::text::Text;

/// Credentials for a token.
#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct TokenRequest {
    /// The tenant's slug; absent for the platform operator.
    pub tenant: Option<Text>,
    pub email: Text,
    pub password: Text,
    /// With two-factor sign-in on: the authenticator app's current 6-digit code, or an
    /// unused recovery code. Missing or wrong: 401 with the problem type `…/otp-required`.
    pub otp: Option<Text>,
}

/// A short-lived access token, sent as `Authorization: Bearer <access_token>`.
#[derive(Debug, Object)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct PasswordResetRequest {
    /// The workspace's slug; absent: every workspace where the address has an account.
    pub tenant: Option<Text>,
    pub email: Text,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct PasswordResetConfirm {
    /// The token of the emailed link.
    pub token: Text,
    /// The new password (10–200 characters).
    pub password: Text,
}
