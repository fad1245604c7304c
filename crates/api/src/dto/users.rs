//! A workspace's users.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use switchboard_core::page::Page;
use switchboard_service::users::UserView;
use uuid::Uuid;

use crate::text::{Checked, Keyword, NewPassword, NonBlank, Roles, Text};

#[derive(Debug, Object)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    /// `owner`, `admin` or `agent`.
    pub role: String,
    /// Whether the user may be offered live chats.
    pub live_chat_permission: bool,
    /// A disabled user can neither log in nor be offered chats.
    pub active: bool,
    /// Where the profile image is served; `null` when there is none.
    pub avatar_url: Option<String>,
    /// False while an invited user has not chosen a password.
    pub has_password: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<UserView> for User {
    fn from(v: UserView) -> Self {
        let u = v.user;
        Self {
            avatar_url: v
                .has_avatar
                .then(|| format!("/api/v1/users/{}/avatar", u.id)),
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            role: u.role,
            live_chat_permission: u.live_chat_permission,
            active: u.active,
            has_password: u.has_password,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CreateUserRequest {
    pub email: Text,
    pub display_name: NonBlank<100>,
    /// `owner` (owners only), `admin` or `agent`.
    pub role: Keyword<Roles>,
    /// Omit to invite the user: the answer carries an `invitation_url` to choose a password.
    pub password: Option<Checked<NewPassword>>,
    /// Grant the live-chat permission at once (default: not granted).
    pub live_chat_permission: Option<bool>,
}

#[derive(Debug, Object)]
pub struct CreatedUser {
    #[oai(flatten)]
    pub user: User,
    /// Present when the user was invited: a link, valid 7 days, to choose a password.
    pub invitation_url: Option<String>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct UpdateUserRequest {
    pub email: Option<Text>,
    pub display_name: Option<NonBlank<100>>,
    pub role: Option<Keyword<Roles>>,
    pub password: Option<Checked<NewPassword>>,
    /// `false` disables the user (they can no longer log in), `true` enables them again.
    pub active: Option<bool>,
    /// The caller's own password: needed with `password` when the user is another admin or
    /// owner (403 without it or when wrong; API keys cannot set their passwords).
    pub current_password: Option<Text>,
}

list_type!(
    /// A page of users.
    UserList,
    User
);
