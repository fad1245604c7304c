//! A workspace's settings and usage.

use poem_openapi::Object;
use poem_openapi::types::MaybeUndefined;

use super::BusinessHours;
use crate::nullable::Nullable;
use crate::text::Text;

#[derive(Debug, Object)]
pub struct Settings {
    /// Sent to visitors when no live chat can be had and the card has no message of its own;
    /// always used when the engagement limit is reached.
    pub global_fallback_message: String,
    /// Seconds an agent has to accept an offer (1–600).
    pub accept_timeout_seconds: u32,
    /// Live chats plus pending offers per agent (1–100).
    pub max_chats_per_agent: u32,
    /// Minutes without a message after which a live chat ends (1–1440).
    pub idle_timeout_minutes: u32,
    /// Who gets failed-action email; empty: the tenant's admins.
    pub failed_action_recipients: Vec<String>,
    /// How many different agents one live-chat request may be offered (1–5): on `select`
    /// always 1; on `prime` `null` until an admin sets it, meaning 2 for `team` routing and 1
    /// otherwise. It applies to `round_robin`, `team` and rules naming a team, never to one
    /// named agent. Decline, expiry and withdrawal move on to the next agent.
    pub offer_attempts: Option<u32>,
    /// After this many offers in a row expire unanswered the agent is set `away` (0–10; 0:
    /// never).
    pub away_after_missed_offers: u32,
    /// The public key of the tenant's widget (`data-key` of the script tag); read-only.
    pub widget_key: String,
    /// When live chat is open; `null`: always.
    pub business_hours: Nullable<BusinessHours>,
    /// Sent to visitors who ask for an agent outside business hours (fallback reason
    /// `outside_hours`).
    pub outside_hours_message: String,
    /// The sites (origins such as `https://www.example.com`) the widget may run on: a widget
    /// session or visitor socket whose browser sends another `Origin` gets 403. Empty: any.
    pub widget_allowed_origins: Vec<String>,
    /// Visitors' `user_id` must come with `user_hash`, the hex HMAC-SHA256 of the user id
    /// under the identity secret (`POST /settings/identity-secret`); a wrong hash is 403,
    /// a right one shows the visitor as verified to agents.
    pub identity_verification: bool,
    /// Whether an identity secret was made (it is shown only when made).
    pub identity_secret_set: bool,
    /// Conversations that ended more than this many days ago are purged with their
    /// messages (1–3650); `null`: kept.
    pub retention_days: Nullable<u32>,
    /// `en` or `fr`: the language of readers who chose none and have no browser to ask
    /// (the failed-action email's configured recipients, a visitor's transcript email).
    pub default_locale: String,
    /// The widget's colour, `#rrggbb`: the launcher, the header, the visitor's messages and
    /// the buttons, with white text on it.
    pub widget_color: String,
    /// The widget header's title; `null`: "Chat with us" in the visitor's language.
    pub widget_title: Option<String>,
    /// A first line shown in the widget before the conversation; `null`: none.
    pub widget_greeting: Option<String>,
    /// `right` or `left`: the bottom corner the launcher sits in.
    pub widget_position: String,
    /// Whether agents' photos show in the widget.
    pub widget_agent_photos: bool,
    /// The languages the widget speaks (`en`, `fr`); a visitor gets the first their browser
    /// asks for among them, else `default_locale`.
    pub widget_locales: Vec<String>,
}

/// A new identity-verification secret, shown this once.
#[derive(Debug, Object)]
pub struct IdentitySecret {
    /// Compute `user_hash` as the hex HMAC-SHA256 of the visitor's `user_id` with it, on your
    /// server; never put it in a page.
    pub secret: String,
}

impl From<switchboard_service::settings::SettingsView> for Settings {
    fn from(v: switchboard_service::settings::SettingsView) -> Self {
        let s = v.settings;
        let offer_attempts = match v.plan {
            switchboard_core::tenant::Plan::Select => Some(1),
            switchboard_core::tenant::Plan::Prime => s.offer_attempts,
        };
        Self {
            widget_allowed_origins: s
                .widget_allowed_origins
                .iter()
                .map(|o| o.as_str().to_owned())
                .collect(),
            identity_verification: s.identity_verification,
            identity_secret_set: v.identity_secret_set,
            retention_days: Nullable(s.retention_days),
            default_locale: s.default_locale.as_str().to_owned(),
            widget_color: s.brand.color.hex(),
            widget_title: s.brand.title.clone(),
            widget_greeting: s.brand.greeting.clone(),
            widget_position: s.brand.position.as_str().to_owned(),
            widget_agent_photos: s.brand.agent_photos,
            widget_locales: s
                .brand
                .locales
                .iter()
                .map(|l| l.as_str().to_owned())
                .collect(),
            offer_attempts,
            away_after_missed_offers: s.away_after_missed_offers,
            widget_key: v.widget_key,
            global_fallback_message: s.global_fallback_message,
            accept_timeout_seconds: s.accept_timeout_seconds,
            max_chats_per_agent: s.max_chats_per_agent,
            idle_timeout_minutes: s.idle_timeout_minutes,
            failed_action_recipients: s
                .failed_action_recipients
                .into_iter()
                .map(|e| e.as_str().to_owned())
                .collect(),
            business_hours: Nullable(s.business_hours.as_ref().map(Into::into)),
            outside_hours_message: s.outside_hours_message,
        }
    }
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct UpdateSettingsRequest {
    pub global_fallback_message: Option<Text>,
    /// 1–600.
    #[oai(validator(minimum(value = "1"), maximum(value = "600")))]
    pub accept_timeout_seconds: Option<i64>,
    /// 1–100.
    #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
    pub max_chats_per_agent: Option<i64>,
    /// 1–1440.
    #[oai(validator(minimum(value = "1"), maximum(value = "1440")))]
    pub idle_timeout_minutes: Option<i64>,
    /// Replaces the list; `[]` goes back to the default (the tenant's admins).
    pub failed_action_recipients: Option<Vec<Text>>,
    /// 1–5, prime plan only (on `select` anything but 1 is refused); `null`: back to the
    /// plan's default.
    #[oai(validator(minimum(value = "1"), maximum(value = "5")))]
    pub offer_attempts: MaybeUndefined<i64>,
    /// 0–10.
    #[oai(validator(minimum(value = "0"), maximum(value = "10")))]
    pub away_after_missed_offers: Option<i64>,
    /// Replaces the business hours; `null`: always open; absent leaves them as they are.
    pub business_hours: MaybeUndefined<Nullable<BusinessHours>>,
    /// 1–1000 characters.
    pub outside_hours_message: Option<Text>,
    /// Replaces the list (at most 50); `[]`: any site.
    #[oai(validator(max_items = "50"))]
    pub widget_allowed_origins: Option<Vec<Text>>,
    pub identity_verification: Option<bool>,
    /// 1–3650; `null`: keep conversations.
    #[oai(validator(minimum(value = "1"), maximum(value = "3650")))]
    pub retention_days: MaybeUndefined<i64>,
    /// `en` or `fr`.
    #[oai(validator(pattern = "^(en|fr)$"))]
    pub default_locale: Option<String>,
    /// `#rrggbb` (or `#rgb`) on which white text reaches the WCAG AA contrast of 4.5:1; a
    /// lighter colour is refused (422).
    #[oai(validator(pattern = "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"))]
    pub widget_color: Option<String>,
    /// At most 60 characters; `""`: the default title.
    pub widget_title: Option<Text>,
    /// At most 300 characters; `""`: no greeting.
    pub widget_greeting: Option<Text>,
    /// `right` or `left`.
    #[oai(validator(pattern = "^(right|left)$"))]
    pub widget_position: Option<String>,
    pub widget_agent_photos: Option<bool>,
    /// At least one of `en`, `fr`.
    #[oai(validator(min_items = 1, max_items = 2))]
    pub widget_locales: Option<Vec<WidgetLocale>>,
}

/// A language of the widget.
#[derive(Debug, Clone, Copy, poem_openapi::Enum)]
#[oai(rename_all = "lowercase")]
pub enum WidgetLocale {
    En,
    Fr,
}

impl WidgetLocale {
    pub fn as_str(self) -> &'static str {
        match self {
            WidgetLocale::En => "en",
            WidgetLocale::Fr => "fr",
        }
    }
}

#[derive(Debug, Object)]
pub struct Usage {
    pub plan: String,
    /// `null`: unlimited.
    pub engagement_limit: Option<i64>,
    pub engagements_used: i64,
    /// Active users holding the live-chat permission.
    pub live_chat_agents: u64,
}
