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
