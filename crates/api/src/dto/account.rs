//! The caller's own account: profile, availability, notification preferences, push subscriptions.

use poem_openapi::Object;

use super::*;
use crate::text::{Availabilities, Keyword};

/// The caller: their user record and their tenant.
/// Which notifications the user wants (all on by default).
#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct NotificationPreferences {
    /// The inbox plays a sound on each offer.
    pub sound: bool,
    /// Offers reach the browser as notifications (Web Push) when no inbox acknowledged them.
    pub browser_notifications: bool,
    /// An email when a chat offered to the user was missed.
    pub email_missed_chats: bool,
}

impl From<switchboard_service::preferences::Preferences> for NotificationPreferences {
    fn from(p: switchboard_service::preferences::Preferences) -> Self {
        Self {
            sound: p.sound,
            browser_notifications: p.browser_notifications,
            email_missed_chats: p.email_missed_chats,
        }
    }
}

/// A browser's push subscription, as `PushSubscription.toJSON()` gives it.
#[derive(Debug, Object)]
pub struct PushSubscriptionRequest {
    /// The push service's https URL for this browser.
    pub endpoint: crate::text::Text,
    pub keys: PushKeys,
}

#[derive(Debug, Object)]
pub struct PushKeys {
    /// The browser's P-256 public key (65 bytes, base64url).
    pub p256dh: crate::text::Text,
    /// Its authentication secret (16 bytes, base64url).
    pub auth: crate::text::Text,
}

/// Which subscription to forget.
#[derive(Debug, Object)]
pub struct PushUnsubscribeRequest {
    pub endpoint: crate::text::Text,
}

#[derive(Debug, Object)]
pub struct Me {
    #[oai(flatten)]
    pub user: User,
    /// The user's availability: the one they last chose, or the one their schedule set.
    /// `available`, `away` or `offline`.
    pub availability: String,
    /// With a schedule: the user's manual availability change holds until then (the
    /// schedule's next boundary), after which the schedule decides again. `null`: no manual
    /// change holds.
    pub availability_override_until: Option<chrono::DateTime<chrono::Utc>>,
    pub notification_preferences: NotificationPreferences,
    /// The server's VAPID public key: browsers subscribe to push with it.
    pub push_public_key: Option<String>,
    /// How many of the user's browsers are subscribed to push.
    pub push_subscriptions: u64,
    pub tenant: TenantSummary,
    /// The user's language and time zone (`PUT /me/locale`).
    pub locale: LocaleSettings,
}

/// Your language and time zone: the console, the inbox, emails and notifications use them.
#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct LocaleSettings {
    /// `en` or `fr`; null or absent: as your browser asks (else the workspace's default).
    #[oai(validator(pattern = "^(en|fr)$"))]
    pub locale: Option<String>,
    /// An IANA time zone such as `Europe/Paris`; null or absent: your browser's.
    #[oai(validator(max_length = 64))]
    pub timezone: Option<String>,
}

impl From<switchboard_service::preferences::LocaleChoice> for LocaleSettings {
    fn from(c: switchboard_service::preferences::LocaleChoice) -> Self {
        Self {
            locale: c.locale.map(|l| l.as_str().to_owned()),
            timezone: c.timezone,
        }
    }
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct AvailabilityRequest {
    /// `available`, `away` or `offline`.
    pub status: Keyword<Availabilities>,
}

#[derive(Debug, Object)]
pub struct AvailabilityResponse {
    /// `available`, `away` or `offline`.
    pub status: String,
}

/// A new TOTP secret for the caller's authenticator app (two-factor is not on until
/// confirmed with a code).
#[derive(Debug, Object)]
pub struct TwoFactorEnrolment {
    /// Base32, to type into the app.
    pub secret: String,
    /// `otpauth://totp/…`, to show as a QR code.
    pub otpauth_uri: String,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct TwoFactorCode {
    /// The authenticator app's current 6-digit code (turning it off: or a recovery code).
    pub code: crate::text::Text,
}

/// Two-factor is on: the recovery codes, each good once, shown this once.
#[derive(Debug, Object)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// A console session of the caller (a browser signed in to the console or the inbox).
#[derive(Debug, Object)]
pub struct ConsoleSession {
    /// Its handle, to end it with `DELETE /me/sessions/{id}`.
    pub id: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// The browser that opened it.
    pub user_agent: Option<String>,
    /// The address it was opened from.
    pub ip: Option<String>,
}

#[derive(Debug, Object)]
pub struct ConsoleSessionList {
    /// Newest first.
    pub items: Vec<ConsoleSession>,
}
