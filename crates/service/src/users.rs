//! Users of a tenant: CRUD, the live-chat permission, avatars, and invitations.
//!
//! Rules beyond "admins only": only an owner may create, change or delete an owner or make
//! someone an owner; the last active owner can be neither demoted, disabled nor deleted;
//! nobody deletes or disables themselves.

use std::collections::HashSet;

use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use switchboard_core::avatar::validate_avatar;
use switchboard_core::page::{Page, PageRequest};
use switchboard_core::user::{EmailAddress, Password, Role, parse_display_name};
use switchboard_core::{TenantId, UserId};
use switchboard_store::{audit, now, sessions, tenants, users};

use crate::auth::hash_password;
use crate::{Principal, Service, ServiceError, ServiceResult, random_token, sha256_hex};

/// How long an invitation link stays valid.
const INVITATION_DAYS: i64 = 7;

/// A user as shown to admins.
#[derive(Debug, Clone)]
pub struct UserView {
    pub user: crate::views::User,
    pub has_avatar: bool,
}

pub struct NewUserInput<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    /// No password: the user gets an invitation link to choose one.
    pub password: Option<&'a str>,
    /// Grant the live-chat permission at once (in the same transaction, audited as a grant).
    pub live_chat_permission: bool,
}

pub struct CreatedUser {
    pub user: UserView,
    /// Set when the user was invited rather than given a password.
    pub invitation_url: Option<String>,
}

#[derive(Default)]
pub struct UserChange<'a> {
    pub email: Option<&'a str>,
    pub display_name: Option<&'a str>,
    pub role: Option<&'a str>,
    pub password: Option<&'a str>,
    pub active: Option<bool>,
    /// The caller's own password, required to set another admin's (or owner's) password.
    pub current_password: Option<&'a str>,
}

/// An uploaded avatar as served back.
pub struct Avatar {
    pub mime: String,
    pub bytes: Vec<u8>,
}

fn owner_only() -> ServiceError {
    ServiceError::Forbidden("only an owner may create, change or delete an owner")
}

impl Service {
    async fn with_avatar_flags(
        &self,
        tenant: TenantId,
        list: Vec<users::Model>,
    ) -> ServiceResult<Vec<UserView>> {
        let ids: Vec<_> = list.iter().map(|u| u.id).collect();
        let with: HashSet<_> = users::avatar::Entity::find()
            .filter(users::avatar::Column::TenantId.eq(tenant.as_uuid()))
            .filter(users::avatar::Column::UserId.is_in(ids))
            .all(self.db())
            .await?
            .into_iter()
            .map(|a| a.user_id)
            .collect();
        Ok(list
            .into_iter()
            .map(|user| UserView {
                has_avatar: with.contains(&user.id),
                user: user.into(),
            })
            .collect())
    }

    pub async fn list_users(
        &self,
        who: &Principal,
        page: PageRequest,
    ) -> ServiceResult<Page<UserView>> {
        let tenant = who.admin_tenant()?;
        let page = users::list(self.db(), tenant, page).await?;
        let items = self.with_avatar_flags(tenant, page.items).await?;
        Ok(Page {
            items,
            next_cursor: page.next_cursor,
        })
    }

    /// Every member's id and display name (for any member: an inbox names who wrote each
    /// message, colleagues and admins who joined a chat alike).
    pub async fn colleague_names(
        &self,
        who: &Principal,
    ) -> ServiceResult<Vec<(uuid::Uuid, String)>> {
        let tenant = who.member_tenant()?;
        Ok(users::roster(self.db(), tenant)
            .await?
            .into_iter()
            .map(|(id, name, _, _)| (id, name))
            .collect())
    }

    /// Admins read any user of their tenant; any user reads themselves.
    pub async fn get_user(&self, who: &Principal, id: UserId) -> ServiceResult<UserView> {
        let tenant = self.self_or_admin(who, id)?;
        let user = users::find(self.db(), tenant, id).await?;
        let mut views = self.with_avatar_flags(tenant, vec![user]).await?;
        views.pop().ok_or(ServiceError::NotFound)
    }

    /// The caller's own user record (`GET /me`).
    pub async fn me(&self, who: &Principal) -> ServiceResult<UserView> {
        let id = who.user_id().ok_or(ServiceError::Forbidden(
            "this operation is for users of a tenant, not for API keys or operators",
        ))?;
        self.get_user(who, id).await
    }

    pub(crate) fn self_or_admin(&self, who: &Principal, id: UserId) -> ServiceResult<TenantId> {
        if who.user_id() == Some(id) {
            return who.member_tenant();
        }
        match who.admin_tenant() {
            Ok(t) => Ok(t),
            // Another user's id from a non-admin: the same answer as for a foreign id.
            Err(ServiceError::Forbidden(_)) if who.tenant().is_some() => {
                Err(ServiceError::NotFound)
            }
            Err(e) => Err(e),
        }
    }

    pub async fn create_user(
        &self,
        who: &Principal,
        input: NewUserInput<'_>,
    ) -> ServiceResult<CreatedUser> {
        let tenant = who.admin_tenant()?;
        let email = EmailAddress::parse(input.email)?;
        let display_name = parse_display_name(input.display_name)?;
        let role = Role::parse(input.role)?;
        if role == Role::Owner && !who.is_owner() {
            return Err(owner_only());
        }
        let password = input.password.map(Password::parse).transpose()?;
        let password_hash = match &password {
            Some(p) => Some(hash_password(p).await?),
            None => None,
        };
        let invitation = password.is_none().then(|| random_token(24));
        let txn = switchboard_store::begin_write(self.db()).await?;
        let user = users::insert(
            &txn,
            tenant,
            users::NewUser {
                email: email.as_str(),
                display_name: &display_name,
                role,
                password_hash,
                invitation_token_hash: invitation.as_ref().map(sha256_hex),
                invitation_expires_at: invitation
                    .as_ref()
                    .map(|_| now() + Duration::days(INVITATION_DAYS)),
                live_chat_permission: input.live_chat_permission,
            },
        )
        .await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "user.created",
                target_kind: "user",
                target_id: Some(user.id),
                details: json!({"email": user.email, "role": user.role, "invited": invitation.is_some()}),
            },
        )
        .await?;
        if input.live_chat_permission {
            audit::append(
                &txn,
                tenant,
                &who.actor(),
                audit::Entry {
                    action: "live_chat_permission.granted",
                    target_kind: "user",
                    target_id: Some(user.id),
                    details: json!({"email": user.email}),
                },
            )
            .await?;
        }
        txn.commit().await?;
        self.config_changed(tenant).await;
        Ok(CreatedUser {
            user: UserView {
                user: user.into(),
                has_avatar: false,
            },
            invitation_url: invitation
                .map(|t| format!("{}/console/invitation/{t}", self.public_url())),
        })
    }

    /// Refuses to demote, disable or delete the last active owner. Called inside a transaction
    /// that holds the tenant's lock (`tenants::lock`), so two owners demoting each other at
    /// once cannot both pass.
    async fn guard_last_owner(
        conn: &impl sea_orm::ConnectionTrait,
        tenant: TenantId,
        user: &users::Model,
    ) -> ServiceResult<()> {
        if user.role() == Role::Owner
            && user.active
            && users::count_active_owners(conn, tenant).await? <= 1
        {
            return Err(ServiceError::conflict(
                "role",
                "the last active owner cannot be demoted, disabled or deleted",
            ));
        }
        Ok(())
    }

    pub async fn update_user(
        &self,
        who: &Principal,
        id: UserId,
        change: UserChange<'_>,
    ) -> ServiceResult<UserView> {
        let tenant = who.admin_tenant()?;
        let email = change.email.map(EmailAddress::parse).transpose()?;
        let display_name = change.display_name.map(parse_display_name).transpose()?;
        let role = change.role.map(Role::parse).transpose()?;
        let password = change.password.map(Password::parse).transpose()?;
        // Hash before the transaction: it is slow and needs no lock.
        let password_hash = match &password {
            Some(p) => Some(hash_password(p).await?),
            None => None,
        };
        let txn = switchboard_store::begin_write(self.db()).await?;
        tenants::lock(&txn, tenant).await?;
        let user = users::find(&txn, tenant, id).await?;
        if (user.role() == Role::Owner || role == Some(Role::Owner)) && !who.is_owner() {
            return Err(owner_only());
        }
        if password.is_some() && user.role().is_admin() && who.user_id() != Some(id) {
            self.reauthenticate(who, change.current_password).await?;
        }
        let demoted = role.is_some_and(|r| r != Role::Owner);
        let disabled = change.active == Some(false);
        if demoted || disabled {
            Self::guard_last_owner(&txn, tenant, &user).await?;
        }
        if disabled && who.user_id() == Some(id) {
            return Err(ServiceError::conflict(
                "active",
                "you cannot disable yourself",
            ));
        }
        let mut changes = serde_json::Map::new();
        let mut active: users::ActiveModel = user.clone().into();
        if let Some(email) = email.filter(|e| e.as_str() != user.email) {
            changes.insert(
                "email".into(),
                json!({"from": user.email, "to": email.as_str()}),
            );
            active.email = Set(email.as_str().to_owned());
        }
        if let Some(name) = display_name.filter(|n| *n != user.display_name) {
            changes.insert(
                "display_name".into(),
                json!({"from": user.display_name, "to": name}),
            );
            active.display_name = Set(name);
        }
        if let Some(role) = role.filter(|r| *r != user.role()) {
            changes.insert(
                "role".into(),
                json!({"from": user.role, "to": role.as_str()}),
            );
            active.role = Set(role.as_str().to_owned());
        }
        if let Some(hash) = password_hash {
            changes.insert("password".into(), json!("changed"));
            active.password_hash = Set(Some(hash));
            active.invitation_token_hash = Set(None);
            active.invitation_expires_at = Set(None);
        }
        let mut action = "user.updated";
        if let Some(flag) = change.active.filter(|a| *a != user.active) {
            changes.insert("active".into(), json!(flag));
            active.active = Set(flag);
            if !flag {
                action = "user.disabled";
            } else {
                action = "user.enabled";
            }
        }
        if changes.is_empty() {
            txn.rollback().await?;
            return self.get_user(who, id).await;
        }
        let saved = users::save(&txn, active).await?;
        // An admin made an agent no longer takes part in the chats they joined, and their
        // tokens (which carry the role) go with their sockets.
        let demoted = user.role().is_admin() && !saved.role().is_admin();
        if demoted {
            switchboard_store::participants::leave_all(&txn, tenant, saved.id).await?;
        }
        // A new password or a disabled account ends the user's console sessions and
        // revokes their tokens (their sockets close once this is committed).
        let revoked = changes.contains_key("password") || change.active == Some(false) || demoted;
        if revoked {
            crate::auth::end_sessions_and_tokens(&txn, tenant, id).await?;
        }
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action,
                target_kind: "user",
                target_id: Some(saved.id),
                details: serde_json::Value::Object(changes),
            },
        )
        .await?;
        txn.commit().await?;
        if revoked {
            self.tokens_revoked(tenant, id).await;
        }
        self.config_changed(tenant).await;
        self.get_user(who, id).await
    }

    pub async fn delete_user(&self, who: &Principal, id: UserId) -> ServiceResult<()> {
        let tenant = who.admin_tenant()?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        tenants::lock(&txn, tenant).await?;
        let user = users::find(&txn, tenant, id).await?;
        if user.role() == Role::Owner && !who.is_owner() {
            return Err(owner_only());
        }
        if who.user_id() == Some(id) {
            return Err(ServiceError::conflict("id", "you cannot delete yourself"));
        }
        Self::guard_last_owner(&txn, tenant, &user).await?;
        users::delete(&txn, tenant, id).await?;
        sessions::delete_for_user(&txn, id).await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "user.deleted",
                target_kind: "user",
                target_id: Some(user.id),
                details: json!({"email": user.email}),
            },
        )
        .await?;
        txn.commit().await?;
        // The deleted user's open sockets close.
        self.tokens_revoked(tenant, id).await;
        self.config_changed(tenant).await;
        Ok(())
    }

    /// Grants or revokes the live-chat permission. Setting it to what it already is changes
    /// nothing and writes no audit entry (PUT and DELETE are idempotent).
    pub async fn set_live_chat_permission(
        &self,
        who: &Principal,
        id: UserId,
        granted: bool,
    ) -> ServiceResult<UserView> {
        let tenant = who.admin_tenant()?;
        let user = users::find(self.db(), tenant, id).await?;
        if user.live_chat_permission != granted {
            let txn = switchboard_store::begin_write(self.db()).await?;
            let mut active: users::ActiveModel = user.clone().into();
            active.live_chat_permission = Set(granted);
            users::save(&txn, active).await?;
            audit::append(
                &txn,
                tenant,
                &who.actor(),
                audit::Entry {
                    action: if granted {
                        "live_chat_permission.granted"
                    } else {
                        "live_chat_permission.revoked"
                    },
                    target_kind: "user",
                    target_id: Some(user.id),
                    details: json!({"email": user.email}),
                },
            )
            .await?;
            txn.commit().await?;
            self.config_changed(tenant).await;
        }
        self.get_user(who, id).await
    }

    /// Stores a profile image after checking its real type, size and dimensions.
    pub async fn put_avatar(
        &self,
        who: &Principal,
        id: UserId,
        bytes: Vec<u8>,
    ) -> ServiceResult<()> {
        let tenant = self.self_or_admin(who, id)?;
        users::find(self.db(), tenant, id).await?;
        let kind = validate_avatar(&bytes)?;
        let size = bytes.len();
        let txn = switchboard_store::begin_write(self.db()).await?;
        users::avatar::put(&txn, tenant, id, kind.mime(), bytes).await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "avatar.updated",
                target_kind: "user",
                target_id: Some(id.as_uuid()),
                details: json!({"mime": kind.mime(), "bytes": size}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn get_avatar(&self, who: &Principal, id: UserId) -> ServiceResult<Avatar> {
        let tenant = self.self_or_admin(who, id)?;
        let avatar = users::avatar::get(self.db(), tenant, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        Ok(Avatar {
            mime: avatar.mime,
            bytes: avatar.bytes,
        })
    }

    /// Setting another admin's password takes the caller's own password again (a stolen
    /// session or token alone cannot take over another admin's account); API keys cannot.
    async fn reauthenticate(&self, who: &Principal, current: Option<&str>) -> ServiceResult<()> {
        const AGAIN: &str =
            "setting another admin's password needs your own password: send it as current_password";
        let (Principal::User { tenant, id, .. }, Some(current)) = (who, current) else {
            return Err(ServiceError::Forbidden(AGAIN));
        };
        let me = users::find(self.db(), *tenant, *id).await?;
        if !crate::auth::verify_password(current, me.password_hash.as_deref()).await {
            return Err(ServiceError::Forbidden(
                "current_password is not your password",
            ));
        }
        Ok(())
    }

    /// Accepts an invitation: the invited user chooses a password. Returns the user.
    pub async fn accept_invitation(
        &self,
        token: &str,
        password: &str,
    ) -> ServiceResult<crate::views::User> {
        let password = Password::parse(password)?;
        let user = users::find_by_invitation_unscoped(self.db(), &sha256_hex(token))
            .await?
            .filter(|u| u.invitation_expires_at.is_some_and(|at| at > now()))
            .ok_or(ServiceError::NotFound)?;
        let hash = hash_password(&password).await?;
        let mut active: users::ActiveModel = user.clone().into();
        active.password_hash = Set(Some(hash));
        active.invitation_token_hash = Set(None);
        active.invitation_expires_at = Set(None);
        let txn = switchboard_store::begin_write(self.db()).await?;
        let saved = users::save(&txn, active).await?;
        let who = Principal::User {
            tenant: saved.tenant(),
            id: saved.user_id(),
            role: saved.role(),
            email: saved.email.clone(),
        };
        audit::append(
            &txn,
            saved.tenant(),
            &who.actor(),
            audit::Entry {
                action: "user.invitation_accepted",
                target_kind: "user",
                target_id: Some(saved.id),
                details: serde_json::json!({}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(saved.into())
    }

    /// True when an invitation token is valid (to show the form or an error).
    pub async fn invitation_is_valid(&self, token: &str) -> ServiceResult<bool> {
        Ok(self.invitation(token).await?.is_some())
    }

    /// Whom a valid invitation is for: `(workspace name, workspace slug, email)`.
    pub async fn invitation(&self, token: &str) -> ServiceResult<Option<(String, String, String)>> {
        let Some(user) = users::find_by_invitation_unscoped(self.db(), &sha256_hex(token))
            .await?
            .filter(|u| u.invitation_expires_at.is_some_and(|at| at > now()))
        else {
            return Ok(None);
        };
        let t = tenants::find(self.db(), user.tenant()).await?;
        Ok(Some((t.name, t.slug, user.email)))
    }
}
