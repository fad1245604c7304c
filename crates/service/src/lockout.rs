//! Repeated failed sign-ins lock an account (issue 15): after [`LOCK_AFTER`] failures in a
//! row the account is locked for a minute, and each further failure doubles it (2, 4, 8…
//! up to an hour), whatever address the guesses come from. While locked even the right
//! password is answered 429 with the wait. The first lockout of a run is audited and the
//! account's owner is emailed (with how to reset the password). A success ends the run.
//! Successful sign-ins are audited too.

use chrono::Duration;
use serde_json::json;
use switchboard_store::{audit, mail as outbox, now, users};

use crate::password_reset::escape;
use crate::preferences::Reader;
use crate::{Principal, Service, ServiceError, ServiceResult};

/// Failures in a row before the account is locked.
pub const LOCK_AFTER: i32 = 5;
/// The longest lockout.
const MAX_LOCK_MINUTES: i64 = 60;

/// How long `failures` failures in a row lock the account for (none below [`LOCK_AFTER`]).
pub fn lock_for(failures: i32) -> Option<Duration> {
    let beyond = u32::try_from(failures.checked_sub(LOCK_AFTER)?).ok()?;
    let minutes = (1i64 << beyond.min(10)).min(MAX_LOCK_MINUTES);
    Some(Duration::minutes(minutes))
}

fn actor_of(user: &users::Model) -> audit::Actor {
    Principal::User {
        tenant: user.tenant(),
        id: user.user_id(),
        role: user.role(),
        email: user.email.clone(),
    }
    .actor()
}

impl Service {
    /// Refuses a sign-in while the account is locked: 429 with the time left.
    pub(crate) fn check_not_locked(&self, user: &users::Model) -> ServiceResult<()> {
        match user.locked_until.map(|until| until - now()) {
            Some(left) if left > Duration::zero() => {
                Err(ServiceError::RateLimited(left.to_std().unwrap_or_default()))
            }
            _ => Ok(()),
        }
    }

    /// A wrong password for an existing account: counted; past the threshold, locked.
    pub(crate) async fn login_failed(&self, user: &users::Model) -> ServiceResult<()> {
        let txn = switchboard_store::begin_write(self.db()).await?;
        let failures = users::record_failed_login(&txn, user.user_id()).await?;
        if let Some(wait) = lock_for(failures) {
            users::lock_out(&txn, user.user_id(), now() + wait).await?;
            if failures == LOCK_AFTER {
                audit::append(
                    &txn,
                    user.tenant(),
                    &actor_of(user),
                    audit::Entry {
                        action: "user.locked_out",
                        target_kind: "user",
                        target_id: Some(user.id),
                        details: json!({"failed_logins": failures, "minutes": wait.num_minutes()}),
                    },
                )
                .await?;
                if self.mail_options().is_some() {
                    let link = format!("{}/console/password-reset", self.public_url());
                    let workspace = self.workspace_reader(&txn, user.tenant()).await?;
                    let reader = Reader::of_member(user, workspace);
                    let tx = switchboard_i18n::Texts(reader.locale);
                    let body = tx.t2("email-locked-body", "email", &user.email, "count", failures);
                    let text = format!(
                        "{body}\n\n{} {link}\n{}\n",
                        tx.t("email-locked-if-you"),
                        tx.t("email-locked-not-you"),
                    );
                    let html = format!(
                        "<p>{}</p><p>{} <a href=\"{link}\">{}</a></p><p>{}</p>",
                        escape(&body),
                        escape(&tx.t("email-locked-if-you")),
                        escape(&tx.t("email-locked-new-password")),
                        escape(&tx.t("email-locked-not-you")),
                    );
                    outbox::insert(
                        &txn,
                        crate::mail::outbox_row(
                            user.tenant_id,
                            "account_locked",
                            None,
                            &user.email,
                            &tx.t("email-locked-subject"),
                            (text, html),
                        ),
                    )
                    .await?;
                }
            }
        }
        txn.commit().await?;
        Ok(())
    }

    /// The right password: the run of failures ends; the sign-in is audited.
    pub(crate) async fn login_succeeded(&self, user: &users::Model) -> ServiceResult<()> {
        let txn = switchboard_store::begin_write(self.db()).await?;
        users::clear_failed_logins(&txn, user.user_id()).await?;
        audit::append(
            &txn,
            user.tenant(),
            &actor_of(user),
            audit::Entry {
                action: "user.logged_in",
                target_kind: "user",
                target_id: Some(user.id),
                details: json!({}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lockout_doubles_from_a_minute_up_to_an_hour() {
        assert_eq!(lock_for(4), None);
        assert_eq!(lock_for(5), Some(Duration::minutes(1)));
        assert_eq!(lock_for(6), Some(Duration::minutes(2)));
        assert_eq!(lock_for(8), Some(Duration::minutes(8)));
        assert_eq!(lock_for(11), Some(Duration::minutes(60)));
        assert_eq!(lock_for(1000), Some(Duration::minutes(60)));
    }
}
