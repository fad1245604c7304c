//! Each user's notification preferences (SPEC §6), which every channel honours: the inbox
//! plays the offer sound only with `sound`; browser notifications and missed-chat email go
//! out only with theirs.

use sea_orm::Set;
use switchboard_store::users;

use crate::{Principal, Service, ServiceError, ServiceResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preferences {
    pub sound: bool,
    pub browser_notifications: bool,
    pub email_missed_chats: bool,
}

impl From<&users::Model> for Preferences {
    fn from(u: &users::Model) -> Self {
        Self {
            sound: u.notify_sound,
            browser_notifications: u.notify_browser,
            email_missed_chats: u.notify_email,
        }
    }
}

impl From<&crate::views::User> for Preferences {
    fn from(u: &crate::views::User) -> Self {
        Self {
            sound: u.notify_sound,
            browser_notifications: u.notify_browser,
            email_missed_chats: u.notify_email,
        }
    }
}

impl Service {
    /// Replaces the caller's notification preferences.
    pub async fn set_notification_preferences(
        &self,
        who: &Principal,
        p: Preferences,
    ) -> ServiceResult<Preferences> {
        let tenant = who.member_tenant()?;
        let id = who.user_id().ok_or(ServiceError::Forbidden(
            "notification preferences belong to a user, not an API key",
        ))?;
        let user = users::find(self.db(), tenant, id).await?;
        let mut active: users::ActiveModel = user.into();
        active.notify_sound = Set(p.sound);
        active.notify_browser = Set(p.browser_notifications);
        active.notify_email = Set(p.email_missed_chats);
        let saved = users::save(self.db(), active).await?;
        Ok(Preferences::from(&saved))
    }
}

/// A user's language and time zone as they chose them (`None`: as their browser says).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocaleChoice {
    pub locale: Option<switchboard_core::Locale>,
    pub timezone: Option<String>,
}

/// How a reader reads: their language, and the time zone times are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    pub locale: switchboard_core::Locale,
    pub timezone: chrono_tz::Tz,
}

impl Reader {
    /// How someone who is no member reads: the workspace's default language, times in its
    /// business-hours zone, else UTC.
    pub fn of_workspace(settings: &switchboard_core::settings::TenantSettings) -> Self {
        Self {
            locale: settings.default_locale,
            timezone: settings
                .business_hours
                .as_ref()
                .map_or(chrono_tz::Tz::UTC, |h| h.zone()),
        }
    }
}

impl Reader {
    /// How a member reads: their own choices, else as their workspace reads.
    pub fn of_member(user: &users::Model, workspace: Reader) -> Self {
        Self {
            locale: user.locale().unwrap_or(workspace.locale),
            timezone: user.timezone().unwrap_or(workspace.timezone),
        }
    }
}

impl Default for Reader {
    fn default() -> Self {
        Self {
            locale: switchboard_core::Locale::En,
            timezone: chrono_tz::Tz::UTC,
        }
    }
}

impl Service {
    /// Sets the caller's language and time zone; a zone must be an IANA name
    /// (`Europe/Paris`), a language `en` or `fr`.
    pub async fn set_locale(
        &self,
        who: &Principal,
        locale: Option<&str>,
        timezone: Option<&str>,
    ) -> ServiceResult<LocaleChoice> {
        let tenant = who.member_tenant()?;
        let id = who.user_id().ok_or(ServiceError::Forbidden(
            "a language belongs to a user, not an API key",
        ))?;
        let locale = locale
            .map(|l| switchboard_core::Locale::from_field("locale", l))
            .transpose()?;
        let timezone = match timezone.map(str::trim) {
            None | Some("") => None,
            Some(z) => Some(
                z.parse::<chrono_tz::Tz>()
                    .map_err(|_| {
                        switchboard_core::ValidationError::new(
                            "timezone",
                            "must be an IANA time zone such as Europe/Paris",
                        )
                    })?
                    .name()
                    .to_owned(),
            ),
        };
        let saved = users::set_locale(self.db(), tenant, id, locale, timezone.as_deref()).await?;
        Ok(LocaleChoice {
            locale: saved.locale(),
            timezone: saved.timezone,
        })
    }

    /// How `who` reads: their chosen language, else the best their browser asks for
    /// (`accept_language`), else their workspace's default; their chosen time zone, else
    /// the one their browser said (`browser_zone`), else the workspace's business-hours zone,
    /// else UTC. Anyone not signed in to a workspace reads by their browser, else English.
    pub async fn reader(
        &self,
        who: Option<&Principal>,
        accept_language: Option<&str>,
        browser_zone: Option<&str>,
    ) -> Reader {
        let browser_zone = browser_zone.and_then(|z| z.parse().ok());
        let (Some(tenant), Some(user)) = (
            who.and_then(Principal::tenant),
            who.and_then(Principal::user_id),
        ) else {
            return Reader {
                locale: switchboard_i18n::negotiate(
                    None,
                    accept_language,
                    &switchboard_core::Locale::ALL,
                    switchboard_core::Locale::En,
                ),
                timezone: browser_zone.unwrap_or(chrono_tz::Tz::UTC),
            };
        };
        let user = users::find(self.db(), tenant, user).await.ok();
        let workspace = self
            .routing_snapshot(tenant)
            .await
            .map(|s| Reader::of_workspace(&s.tenant.settings()))
            .unwrap_or_default();
        Reader {
            locale: switchboard_i18n::negotiate(
                user.as_ref().and_then(users::Model::locale),
                accept_language,
                &switchboard_core::Locale::ALL,
                workspace.locale,
            ),
            timezone: user
                .as_ref()
                .and_then(users::Model::timezone)
                .or(browser_zone)
                .unwrap_or(workspace.timezone),
        }
    }

    /// How the owner of an email address in `tenant` reads: a member by their choices, else
    /// as the workspace reads (`workspace`: an address that is no member's, such as a
    /// configured recipient).
    pub(crate) async fn reader_by_email(
        &self,
        conn: &impl switchboard_store::ConnectionTrait,
        tenant: switchboard_core::TenantId,
        email: &str,
        workspace: Reader,
    ) -> ServiceResult<Reader> {
        let user = users::find_by_email(conn, tenant, email)
            .await
            .ok()
            .flatten();
        Ok(user.map_or(workspace, |u| Reader::of_member(&u, workspace)))
    }

    /// How someone who is no member reads (a visitor): the workspace's default language,
    /// times in its business-hours zone, else UTC.
    pub(crate) async fn workspace_reader(
        &self,
        conn: &impl switchboard_store::ConnectionTrait,
        tenant: switchboard_core::TenantId,
    ) -> ServiceResult<Reader> {
        let t = switchboard_store::tenants::find(conn, tenant).await?;
        Ok(Reader::of_workspace(&t.settings()))
    }
}
