//! Password reset by email (SPEC §12.4). Asking always answers the same (202), whether or
//! not the address has an account, so it reveals nobody. Each account of the address (in
//! the named workspace, or in every workspace when none is named) gets an email with a link
//! that works once, for an hour; at most five links per account an hour. Using one sets the
//! password, spends every other link of the account, ends its sessions and tokens (sockets
//! close), and is audited. The email is sent through the outbox; its body (the link) is
//! stored sealed until it goes.

use chrono::Duration;
use serde_json::json;
use switchboard_core::user::{EmailAddress, Password};
use switchboard_core::{TenantId, ValidationError};
use switchboard_store::{audit, mail as outbox, now, password_resets, tenants, users};

use crate::auth::{end_sessions_and_tokens, hash_password};
use crate::preferences::Reader;
use crate::{Principal, Service, ServiceResult, random_token, sha256_hex};

/// How long a reset link works.
pub const LINK_HOURS: i64 = 1;
/// Links one account may be sent per hour.
const LINKS_PER_HOUR: u64 = 5;

const BAD_LINK: &str = "is not a valid reset link: it was used already, it expired, or it was mistyped; ask for a new one";

pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Service {
    /// Sends a reset link to every active account of `email` (in workspace `tenant` when
    /// named). Quietly does nothing for an unknown address, when email is not configured,
    /// or past the hourly allowance.
    pub async fn request_password_reset(
        &self,
        tenant: Option<&str>,
        email: &str,
    ) -> ServiceResult<()> {
        let Ok(email) = EmailAddress::parse(email) else {
            return Ok(());
        };
        if self.mail_options().is_none() {
            tracing::warn!("a password reset was asked for, but no SMTP server is configured");
            return Ok(());
        }
        let accounts = match tenant.map(str::trim).filter(|t| !t.is_empty()) {
            Some(slug) => match tenants::find_by_slug(self.db(), slug).await? {
                Some(t) => users::find_by_email(self.db(), t.tenant_id(), email.as_str())
                    .await?
                    .filter(|u| u.active)
                    .into_iter()
                    .collect(),
                None => Vec::new(),
            },
            None => users::find_active_by_email_unscoped(self.db(), email.as_str()).await?,
        };
        for user in accounts {
            let since = now() - Duration::hours(1);
            if password_resets::count_since(self.db(), user.user_id(), since).await?
                >= LINKS_PER_HOUR
            {
                tracing::warn!(user = %user.id, "password-reset links asked for too often; none sent");
                continue;
            }
            let workspace = tenants::find(self.db(), user.tenant()).await?;
            let token = random_token(32);
            let link = format!("{}/console/password-reset?token={token}", self.public_url());
            let reader = Reader::of_member(&user, Reader::of_workspace(&workspace.settings()));
            let tx = switchboard_i18n::Texts(reader.locale);
            let body = |email: &str, name: &str, slug: &str| {
                switchboard_i18n::text(
                    reader.locale,
                    "email-reset-body",
                    &[
                        ("email", email.into()),
                        ("workspace", name.into()),
                        ("slug", slug.into()),
                    ],
                )
            };
            let body = body(&user.email, &workspace.name, &workspace.slug);
            let text = format!(
                "{body}\n\n{}\n{link}\n{}\n\n{}\n",
                tx.t1("label-colon", "label", tx.t("email-reset-action")),
                tx.t("email-reset-once"),
                tx.t("email-reset-ignore"),
            );
            let html = format!(
                "<p>{}</p><p><a href=\"{}\">{}</a> ({})</p><p>{}</p>",
                escape(&body),
                escape(&link),
                escape(&tx.t("email-reset-action")),
                escape(&tx.t("email-reset-once")),
                escape(&tx.t("email-reset-ignore")),
            );
            let sealer = &self.auth_config().sealer;
            let at = now();
            let txn = switchboard_store::begin_write(self.db()).await?;
            password_resets::insert(
                &txn,
                &sha256_hex(&token),
                user.user_id(),
                at + Duration::hours(LINK_HOURS),
            )
            .await?;
            outbox::insert(
                &txn,
                crate::mail::outbox_row(
                    user.tenant_id,
                    "password_reset",
                    None,
                    &user.email,
                    &tx.t1("email-reset-subject", "workspace", &workspace.name),
                    (sealer.seal(&text), sealer.seal(&html)),
                ),
            )
            .await?;
            txn.commit().await?;
        }
        Ok(())
    }

    /// Whether a reset link can still be used (to show the form or say why not).
    pub async fn reset_link_is_valid(&self, token: &str) -> ServiceResult<bool> {
        use sea_orm::EntityTrait;
        Ok(password_resets::Entity::find_by_id(sha256_hex(token))
            .one(self.db())
            .await
            .map_err(switchboard_store::StoreError::from)?
            .is_some_and(|l| l.used_at.is_none() && l.expires_at > now()))
    }

    /// Uses a reset link: the new password is set, the link and every other one of the
    /// account spent, its sessions and tokens ended.
    pub async fn confirm_password_reset(&self, token: &str, password: &str) -> ServiceResult<()> {
        let password = Password::parse(password)?;
        let hash = hash_password(&password).await?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let Some(user_id) = password_resets::redeem(&txn, &sha256_hex(token.trim())).await? else {
            return Err(ValidationError::new("token", BAD_LINK).into());
        };
        let user = users::find_by_id_unscoped(&txn, user_id).await?;
        let tenant: TenantId = user.tenant();
        let mut active: users::ActiveModel = user.clone().into();
        active.password_hash = sea_orm::Set(Some(hash));
        // A new password ends a lockout.
        active.failed_logins = sea_orm::Set(0);
        active.locked_until = sea_orm::Set(None);
        users::save(&txn, active).await?;
        end_sessions_and_tokens(&txn, tenant, user_id).await?;
        let who = Principal::User {
            tenant,
            id: user_id,
            role: user.role(),
            email: user.email.clone(),
        };
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "user.password_reset",
                target_kind: "user",
                target_id: Some(user.id),
                details: json!({"by": "email link"}),
            },
        )
        .await?;
        txn.commit().await?;
        self.tokens_revoked(tenant, user_id).await;
        Ok(())
    }
}
