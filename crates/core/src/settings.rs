//! Tenant settings of SPEC §11 and their bounds.

use crate::ValidationError;
use crate::brand::{Color, Position, WidgetBrand, locales_from_field, optional_text};
use crate::error::bounded_text;
use crate::origin::Origin;
use crate::schedule::{DEFAULT_OUTSIDE_HOURS_MESSAGE, Hours, HoursInput};
use crate::tenant::Plan;
use crate::user::EmailAddress;

pub const DEFAULT_GLOBAL_FALLBACK_MESSAGE: &str = "Thanks for reaching out! All our agents are busy right now. Leave us your details and we will get back to you soon.";
pub const DEFAULT_ACCEPT_TIMEOUT_SECONDS: u32 = 45;
pub const DEFAULT_MAX_CHATS_PER_AGENT: u32 = 10;
pub const DEFAULT_IDLE_TIMEOUT_MINUTES: u32 = 10;
pub const DEFAULT_AWAY_AFTER_MISSED_OFFERS: u32 = 2;
/// The most different agents one live-chat request may be offered (SPEC §12.1).
pub const MAX_OFFER_ATTEMPTS: u32 = 5;

/// A tenant's live-chat settings. An empty `failed_action_recipients` means "the tenant's admins".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantSettings {
    pub global_fallback_message: String,
    pub accept_timeout_seconds: u32,
    pub max_chats_per_agent: u32,
    pub idle_timeout_minutes: u32,
    pub failed_action_recipients: Vec<EmailAddress>,
    /// How many different agents one request may be offered (1–5); `None` until an admin
    /// sets it: the plan's default applies (see [`offer_attempts`]).
    pub offer_attempts: Option<u32>,
    /// After this many offers in a row expire unanswered the agent is set `away` (0: never).
    pub away_after_missed_offers: u32,
    /// When live chat is open (SPEC §12.1); `None`: always.
    pub business_hours: Option<Hours>,
    /// What a visitor reads when they ask for an agent outside business hours.
    pub outside_hours_message: String,
    /// The sites the widget may run on; empty: any (SPEC §12.4).
    pub widget_allowed_origins: Vec<Origin>,
    /// Visitors' `user_id` must come with its HMAC (`user_hash`).
    pub identity_verification: bool,
    /// Conversations older than this are purged; `None`: kept.
    pub retention_days: Option<u32>,
    /// The language of readers with no preference and no browser to ask (issue 17).
    pub default_locale: crate::Locale,
    /// How the widget looks and which languages it speaks (issue 17).
    pub brand: WidgetBrand,
}

/// The most origins a tenant may list.
pub const MAX_ALLOWED_ORIGINS: usize = 50;
/// The longest retention one may set (ten years).
pub const MAX_RETENTION_DAYS: u32 = 3650;

impl Default for TenantSettings {
    fn default() -> Self {
        Self {
            global_fallback_message: DEFAULT_GLOBAL_FALLBACK_MESSAGE.to_owned(),
            accept_timeout_seconds: DEFAULT_ACCEPT_TIMEOUT_SECONDS,
            max_chats_per_agent: DEFAULT_MAX_CHATS_PER_AGENT,
            idle_timeout_minutes: DEFAULT_IDLE_TIMEOUT_MINUTES,
            failed_action_recipients: Vec::new(),
            offer_attempts: None,
            away_after_missed_offers: DEFAULT_AWAY_AFTER_MISSED_OFFERS,
            business_hours: None,
            outside_hours_message: DEFAULT_OUTSIDE_HOURS_MESSAGE.to_owned(),
            widget_allowed_origins: Vec::new(),
            identity_verification: false,
            retention_days: None,
            default_locale: crate::Locale::En,
            brand: WidgetBrand::default(),
        }
    }
}

impl TenantSettings {
    /// Whether a widget request whose browser sent this `Origin` may go on: any when no
    /// origin is listed; else only a listed one. A request without `Origin` is not from a
    /// page's script (browsers send it on every cross-origin call), so it is not refused here.
    pub fn origin_allowed(&self, origin: Option<&str>) -> bool {
        match origin {
            _ if self.widget_allowed_origins.is_empty() => true,
            None => true,
            Some(raw) => {
                Origin::from_header(raw).is_some_and(|o| self.widget_allowed_origins.contains(&o))
            }
        }
    }
}

/// Who a live-chat request is offered to, as far as the cascade cares (SPEC §12.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CascadeTarget {
    /// One named agent (`agent` mode, or a rule naming an agent): nobody else to try.
    Agent,
    /// A team in `team` mode.
    TeamMode,
    /// Every agent (`round_robin`) or a team a custom rule named.
    Pool,
}

/// How many different agents one request may be offered: 1 on `select` whatever is stored;
/// on `prime` what the admin set, else 2 for `team` routing and 1 otherwise; always 1 when
/// one agent is named.
pub fn offer_attempts(plan: Plan, configured: Option<u32>, target: CascadeTarget) -> u32 {
    match (plan, target, configured) {
        (Plan::Select, _, _) | (_, CascadeTarget::Agent, _) => 1,
        (Plan::Prime, _, Some(n)) => n.clamp(1, MAX_OFFER_ATTEMPTS),
        (Plan::Prime, CascadeTarget::TeamMode, None) => 2,
        (Plan::Prime, CascadeTarget::Pool, None) => 1,
    }
}

/// A partial change of settings as a client sent it, not yet validated.
#[derive(Debug, Clone, Default)]
pub struct SettingsChange {
    pub global_fallback_message: Option<String>,
    pub accept_timeout_seconds: Option<i64>,
    pub max_chats_per_agent: Option<i64>,
    pub idle_timeout_minutes: Option<i64>,
    pub failed_action_recipients: Option<Vec<String>>,
    /// `Some(None)`: back to the plan's default.
    pub offer_attempts: Option<Option<i64>>,
    pub away_after_missed_offers: Option<i64>,
    /// `Some(None)`: always open again.
    pub business_hours: Option<Option<HoursInput>>,
    pub outside_hours_message: Option<String>,
    pub widget_allowed_origins: Option<Vec<String>>,
    pub identity_verification: Option<bool>,
    /// `Some(None)`: keep conversations for ever.
    pub retention_days: Option<Option<i64>>,
    pub default_locale: Option<String>,
    pub widget_color: Option<String>,
    /// Empty: the default title.
    pub widget_title: Option<String>,
    /// Empty: no greeting.
    pub widget_greeting: Option<String>,
    pub widget_position: Option<String>,
    pub widget_agent_photos: Option<bool>,
    pub widget_locales: Option<Vec<String>>,
}

fn in_range(field: &str, value: i64, min: u32, max: u32) -> Result<u32, ValidationError> {
    u32::try_from(value)
        .ok()
        .filter(|v| (min..=max).contains(v))
        .ok_or_else(|| ValidationError::new(field, format!("must be between {min} and {max}")))
}

impl TenantSettings {
    /// Applies a change, all or nothing: the first invalid field refuses the whole change.
    /// On `select` the number of offer attempts is fixed at 1 (asking for 1 changes nothing).
    pub fn apply(
        &self,
        plan: Plan,
        change: &SettingsChange,
    ) -> Result<TenantSettings, ValidationError> {
        let mut next = self.clone();
        match change.offer_attempts {
            None | Some(None) | Some(Some(1)) if plan == Plan::Select => {}
            Some(_) if plan == Plan::Select => {
                return Err(ValidationError::new(
                    "offer_attempts",
                    "is fixed at 1 on the select plan; upgrade to prime to offer a request to more agents",
                ));
            }
            Some(Some(v)) => {
                next.offer_attempts = Some(in_range("offer_attempts", v, 1, MAX_OFFER_ATTEMPTS)?)
            }
            Some(None) => next.offer_attempts = None,
            None => {}
        }
        if let Some(v) = change.away_after_missed_offers {
            next.away_after_missed_offers = in_range("away_after_missed_offers", v, 0, 10)?;
        }
        if let Some(msg) = &change.global_fallback_message {
            next.global_fallback_message = bounded_text("global_fallback_message", msg, 1, 1000)?;
        }
        if let Some(v) = change.accept_timeout_seconds {
            next.accept_timeout_seconds = in_range("accept_timeout_seconds", v, 1, 600)?;
        }
        if let Some(v) = change.max_chats_per_agent {
            next.max_chats_per_agent = in_range("max_chats_per_agent", v, 1, 100)?;
        }
        if let Some(v) = change.idle_timeout_minutes {
            next.idle_timeout_minutes = in_range("idle_timeout_minutes", v, 1, 1440)?;
        }
        if let Some(list) = &change.failed_action_recipients {
            if list.len() > 50 {
                return Err(ValidationError::new(
                    "failed_action_recipients",
                    "must list at most 50 addresses",
                ));
            }
            let mut parsed = Vec::with_capacity(list.len());
            for (i, raw) in list.iter().enumerate() {
                let email = EmailAddress::parse(raw)
                    .map_err(|e| e.at(format!("failed_action_recipients[{i}]")))?;
                if !parsed.contains(&email) {
                    parsed.push(email);
                }
            }
            next.failed_action_recipients = parsed;
        }
        next.apply_hours(change)?;
        next.apply_security(change)?;
        next.apply_brand(change)?;
        Ok(next)
    }
}

impl TenantSettings {
    /// The business-hours part of a change (SPEC §12.1).
    fn apply_hours(&mut self, change: &SettingsChange) -> Result<(), ValidationError> {
        if let Some(hours) = &change.business_hours {
            self.business_hours = match hours {
                Some(input) => Some(Hours::parse("business_hours", input)?),
                None => None,
            };
        }
        if let Some(msg) = &change.outside_hours_message {
            self.outside_hours_message = bounded_text("outside_hours_message", msg, 1, 1000)?;
        }
        Ok(())
    }
}

impl TenantSettings {
    /// The widget's and the data's safety settings (SPEC §12.4).
    fn apply_security(&mut self, change: &SettingsChange) -> Result<(), ValidationError> {
        if let Some(list) = &change.widget_allowed_origins {
            if list.len() > MAX_ALLOWED_ORIGINS {
                return Err(ValidationError::new(
                    "widget_allowed_origins",
                    format!("must list at most {MAX_ALLOWED_ORIGINS} origins"),
                ));
            }
            let mut parsed = Vec::with_capacity(list.len());
            for (i, raw) in list.iter().enumerate() {
                let o = Origin::parse(&format!("widget_allowed_origins[{i}]"), raw)?;
                if !parsed.contains(&o) {
                    parsed.push(o);
                }
            }
            self.widget_allowed_origins = parsed;
        }
        if let Some(on) = change.identity_verification {
            self.identity_verification = on;
        }
        match change.retention_days {
            Some(Some(v)) => {
                self.retention_days = Some(in_range("retention_days", v, 1, MAX_RETENTION_DAYS)?)
            }
            Some(None) => self.retention_days = None,
            None => {}
        }
        if let Some(l) = &change.default_locale {
            self.default_locale = crate::Locale::from_field("default_locale", l)?;
        }
        Ok(())
    }
}

impl TenantSettings {
    /// The widget's look and languages (issue 17).
    fn apply_brand(&mut self, change: &SettingsChange) -> Result<(), ValidationError> {
        let b = &mut self.brand;
        if let Some(c) = &change.widget_color {
            b.color = Color::from_field("widget_color", c)?;
        }
        if let Some(t) = &change.widget_title {
            b.title = optional_text("widget_title", t, crate::brand::MAX_TITLE)?;
        }
        if let Some(g) = &change.widget_greeting {
            b.greeting = optional_text("widget_greeting", g, crate::brand::MAX_GREETING)?;
        }
        if let Some(p) = &change.widget_position {
            b.position = p.parse::<Position>()?;
        }
        if let Some(on) = change.widget_agent_photos {
            b.agent_photos = on;
        }
        if let Some(list) = &change.widget_locales {
            b.locales = locales_from_field("widget_locales", list)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_origins_are_parsed_deduplicated_and_enforced() {
        let base = TenantSettings::default();
        assert!(base.origin_allowed(Some("https://anything.example")));
        let set = base
            .apply(
                Plan::Select,
                &SettingsChange {
                    widget_allowed_origins: Some(vec![
                        "https://Shop.example.com/".into(),
                        "https://shop.example.com".into(),
                    ]),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(set.widget_allowed_origins.len(), 1);
        assert!(set.origin_allowed(Some("https://shop.example.com")));
        assert!(set.origin_allowed(None));
        assert!(!set.origin_allowed(Some("https://evil.example")));
        assert!(!set.origin_allowed(Some("null")));
        let err = base
            .apply(
                Plan::Select,
                &SettingsChange {
                    widget_allowed_origins: Some(vec!["https://a.example".into(), "nope".into()]),
                    ..Default::default()
                },
            )
            .unwrap_err();
        assert_eq!(err.field, "widget_allowed_origins[1]");
    }

    #[test]
    fn retention_is_1_to_3650_days_or_none() {
        let base = TenantSettings::default();
        let ask = |v| SettingsChange {
            retention_days: Some(v),
            ..Default::default()
        };
        assert_eq!(
            base.apply(Plan::Select, &ask(Some(30)))
                .unwrap()
                .retention_days,
            Some(30)
        );
        for bad in [0, -1, 3651] {
            assert!(base.apply(Plan::Select, &ask(Some(bad))).is_err(), "{bad}");
        }
        assert_eq!(
            base.apply(Plan::Select, &ask(None)).unwrap().retention_days,
            None
        );
    }

    #[test]
    fn defaults_follow_the_spec() {
        let s = TenantSettings::default();
        assert_eq!(s.accept_timeout_seconds, 45);
        assert_eq!(s.max_chats_per_agent, 10);
        assert_eq!(s.idle_timeout_minutes, 10);
        assert!(s.failed_action_recipients.is_empty());
    }

    #[test]
    fn accept_timeout_is_bounded_1_to_600() {
        let base = TenantSettings::default();
        for (v, ok) in [
            (0, false),
            (1, true),
            (600, true),
            (601, false),
            (-5, false),
        ] {
            let change = SettingsChange {
                accept_timeout_seconds: Some(v),
                ..Default::default()
            };
            assert_eq!(base.apply(Plan::Select, &change).is_ok(), ok, "{v}");
        }
    }

    #[test]
    fn max_chats_per_agent_is_bounded_1_to_100() {
        let base = TenantSettings::default();
        let bad = SettingsChange {
            max_chats_per_agent: Some(101),
            ..Default::default()
        };
        assert_eq!(
            base.apply(Plan::Select, &bad).unwrap_err().field,
            "max_chats_per_agent"
        );
    }

    #[test]
    fn one_bad_recipient_refuses_the_whole_change_and_names_its_index() {
        let base = TenantSettings::default();
        let change = SettingsChange {
            accept_timeout_seconds: Some(30),
            failed_action_recipients: Some(vec!["a@example.com".into(), "nope".into()]),
            ..Default::default()
        };
        let err = base.apply(Plan::Select, &change).unwrap_err();
        assert_eq!(err.field, "failed_action_recipients[1]");
    }

    #[test]
    fn offer_attempts_are_fixed_on_select_and_bounded_on_prime() {
        let base = TenantSettings::default();
        let ask = |v: Option<i64>| SettingsChange {
            offer_attempts: Some(v),
            ..Default::default()
        };
        assert_eq!(
            base.apply(Plan::Select, &ask(Some(3))).unwrap_err().field,
            "offer_attempts"
        );
        assert_eq!(base.apply(Plan::Select, &ask(Some(1))), Ok(base.clone()));
        assert_eq!(
            base.apply(Plan::Prime, &ask(Some(5)))
                .unwrap()
                .offer_attempts,
            Some(5)
        );
        for bad in [0, 6, -1] {
            assert!(base.apply(Plan::Prime, &ask(Some(bad))).is_err(), "{bad}");
        }
        let set = base.apply(Plan::Prime, &ask(Some(3))).unwrap();
        assert_eq!(
            set.apply(Plan::Prime, &ask(None)).unwrap().offer_attempts,
            None
        );
    }

    #[test]
    fn the_seed_cascade_is_the_default() {
        use CascadeTarget::*;
        assert_eq!(offer_attempts(Plan::Select, Some(5), TeamMode), 1);
        assert_eq!(offer_attempts(Plan::Prime, None, TeamMode), 2);
        assert_eq!(offer_attempts(Plan::Prime, None, Pool), 1);
        assert_eq!(offer_attempts(Plan::Prime, Some(4), Pool), 4);
        assert_eq!(offer_attempts(Plan::Prime, Some(4), Agent), 1);
    }

    #[test]
    fn away_after_missed_offers_is_0_to_10() {
        let base = TenantSettings::default();
        assert_eq!(base.away_after_missed_offers, 2);
        for (v, ok) in [(0, true), (10, true), (11, false), (-1, false)] {
            let change = SettingsChange {
                away_after_missed_offers: Some(v),
                ..Default::default()
            };
            assert_eq!(base.apply(Plan::Prime, &change).is_ok(), ok, "{v}");
        }
    }

    #[test]
    fn business_hours_are_set_validated_and_cleared() {
        use crate::schedule::IntervalInput;
        let base = TenantSettings::default();
        assert!(base.business_hours.is_none());
        let hours = HoursInput {
            timezone: "Europe/Paris".into(),
            weekly: vec![IntervalInput {
                day: "mon".into(),
                from: "09:00".into(),
                to: "17:00".into(),
            }],
            holidays: vec![],
        };
        let set = base
            .apply(
                Plan::Prime,
                &SettingsChange {
                    business_hours: Some(Some(hours.clone())),
                    outside_hours_message: Some(" Closed. ".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(set.business_hours.as_ref().unwrap().input(), hours);
        assert_eq!(set.outside_hours_message, "Closed.");
        let bad = HoursInput {
            timezone: "Europe/Pariss".into(),
            ..hours
        };
        let err = set
            .apply(
                Plan::Prime,
                &SettingsChange {
                    accept_timeout_seconds: Some(30),
                    business_hours: Some(Some(bad)),
                    ..Default::default()
                },
            )
            .unwrap_err();
        assert_eq!(err.field, "business_hours.timezone");
        let cleared = set
            .apply(
                Plan::Prime,
                &SettingsChange {
                    business_hours: Some(None),
                    ..Default::default()
                },
            )
            .unwrap();
        assert!(cleared.business_hours.is_none());
        assert_eq!(cleared.outside_hours_message, "Closed.");
    }
}
