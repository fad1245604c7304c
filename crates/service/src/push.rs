//! Web Push subscriptions (SPEC §6): an agent's browser subscribes with the server's VAPID
//! public key and hands its subscription over; the server keeps one per browser endpoint.
//! (Sending pushes, and removing subscriptions the push service says are gone, come with
//! the offer delivery chain.)

use std::sync::OnceLock;

use switchboard_core::ValidationError;
use switchboard_notify::push::{VapidKey, check_subscription};
use switchboard_store::push;

use crate::{Principal, Service, ServiceError, ServiceResult};

impl Service {
    /// Sets the server's VAPID key pair (once, at start-up).
    pub fn configure_vapid(&self, key: VapidKey) {
        let _ = self.inner_push().vapid.set(key);
    }

    /// The VAPID public key browsers subscribe with (`applicationServerKey`).
    pub fn vapid_public_key(&self) -> Option<String> {
        self.inner_push().vapid.get().map(VapidKey::public_key)
    }

    /// Stores the caller's browser subscription (the same endpoint again replaces its keys).
    pub async fn add_push_subscription(
        &self,
        who: &Principal,
        endpoint: &str,
        p256dh: &str,
        auth: &str,
    ) -> ServiceResult<()> {
        let tenant = who.member_tenant()?;
        let user = who.user_id().ok_or(ServiceError::Forbidden(
            "push subscriptions belong to a user, not an API key",
        ))?;
        check_subscription(endpoint, p256dh, auth)
            .map_err(|(field, message)| ValidationError::new(field, message))?;
        push::upsert(self.db(), tenant, user, endpoint, p256dh, auth).await?;
        Ok(())
    }

    /// Forgets the caller's subscription for this endpoint.
    pub async fn remove_push_subscription(
        &self,
        who: &Principal,
        endpoint: &str,
    ) -> ServiceResult<()> {
        let tenant = who.member_tenant()?;
        let user = who.user_id().ok_or(ServiceError::Forbidden(
            "push subscriptions belong to a user, not an API key",
        ))?;
        if !push::remove(self.db(), tenant, user, endpoint).await? {
            return Err(ServiceError::NotFound);
        }
        Ok(())
    }

    /// How many browsers the caller has subscribed.
    pub async fn push_subscription_count(&self, who: &Principal) -> ServiceResult<usize> {
        let tenant = who.member_tenant()?;
        let Some(user) = who.user_id() else {
            return Ok(0);
        };
        Ok(push::of_user(self.db(), tenant, user).await?.len())
    }
}

/// What [`Service`] keeps for Web Push.
#[derive(Default)]
pub(crate) struct PushState {
    vapid: OnceLock<VapidKey>,
}
