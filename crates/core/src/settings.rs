//! Tenant settings of SPEC §11 and their bounds.

use crate::ValidationError;
use crate::error::bounded_text;
use crate::schedule::{DEFAULT_OUTSIDE_HOURS_MESSAGE, Hours, HoursInput};
use crate::user::EmailAddress;

pub const DEFAULT_GLOBAL_FALLBACK_MESSAGE: &str = "Thanks for reaching out! All our agents are busy right now. Leave us your details and we will get back to you soon.";
pub const DEFAULT_ACCEPT_TIMEOUT_SECONDS: u32 = 45;
pub const DEFAULT_MAX_CHATS_PER_AGENT: u32 = 10;
pub const DEFAULT_IDLE_TIMEOUT_MINUTES: u32 = 10;

/// A tenant's live-chat settings. An empty `failed_action_recipients` means "the tenant's admins".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantSettings {
    pub global_fallback_message: String,
    pub accept_timeout_seconds: u32,
    pub max_chats_per_agent: u32,
    pub idle_timeout_minutes: u32,
    pub failed_action_recipients: Vec<EmailAddress>,
    /// When live chat is open (SPEC §12.1); `None`: always.
    pub business_hours: Option<Hours>,
    /// What a visitor reads when they ask for an agent outside business hours.
    pub outside_hours_message: String,
}

impl Default for TenantSettings {
    fn default() -> Self {
        Self {
            global_fallback_message: DEFAULT_GLOBAL_FALLBACK_MESSAGE.to_owned(),
            accept_timeout_seconds: DEFAULT_ACCEPT_TIMEOUT_SECONDS,
            max_chats_per_agent: DEFAULT_MAX_CHATS_PER_AGENT,
            idle_timeout_minutes: DEFAULT_IDLE_TIMEOUT_MINUTES,
            failed_action_recipients: Vec::new(),
            business_hours: None,
            outside_hours_message: DEFAULT_OUTSIDE_HOURS_MESSAGE.to_owned(),
        }
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
    /// `Some(None)`: always open again.
    pub business_hours: Option<Option<HoursInput>>,
    pub outside_hours_message: Option<String>,
}

fn in_range(field: &str, value: i64, min: u32, max: u32) -> Result<u32, ValidationError> {
    u32::try_from(value)
        .ok()
        .filter(|v| (min..=max).contains(v))
        .ok_or_else(|| ValidationError::new(field, format!("must be between {min} and {max}")))
}

impl TenantSettings {
    /// Applies a change, all or nothing: the first invalid field refuses the whole change.
    pub fn apply(&self, change: &SettingsChange) -> Result<TenantSettings, ValidationError> {
        let mut next = self.clone();
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

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(base.apply(&change).is_ok(), ok, "{v}");
        }
    }

    #[test]
    fn max_chats_per_agent_is_bounded_1_to_100() {
        let base = TenantSettings::default();
        let bad = SettingsChange {
            max_chats_per_agent: Some(101),
            ..Default::default()
        };
        assert_eq!(base.apply(&bad).unwrap_err().field, "max_chats_per_agent");
    }

    #[test]
    fn one_bad_recipient_refuses_the_whole_change_and_names_its_index() {
        let base = TenantSettings::default();
        let change = SettingsChange {
            accept_timeout_seconds: Some(30),
            failed_action_recipients: Some(vec!["a@example.com".into(), "nope".into()]),
            ..Default::default()
        };
        let err = base.apply(&change).unwrap_err();
        assert_eq!(err.field, "failed_action_recipients[1]");
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
            .apply(&SettingsChange {
                business_hours: Some(Some(hours.clone())),
                outside_hours_message: Some(" Closed. ".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(set.business_hours.as_ref().unwrap().input(), hours);
        assert_eq!(set.outside_hours_message, "Closed.");
        let bad = HoursInput {
            timezone: "Europe/Pariss".into(),
            ..hours
        };
        let err = set
            .apply(&SettingsChange {
                accept_timeout_seconds: Some(30),
                business_hours: Some(Some(bad)),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(err.field, "business_hours.timezone");
        let cleared = set
            .apply(&SettingsChange {
                business_hours: Some(None),
                ..Default::default()
            })
            .unwrap();
        assert!(cleared.business_hours.is_none());
        assert_eq!(cleared.outside_hours_message, "Closed.");
    }
}
