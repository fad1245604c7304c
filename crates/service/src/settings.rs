//! Tenant settings and usage, as the tenant's admins see them.

use serde_json::json;
use switchboard_core::settings::{SettingsChange, TenantSettings};
use switchboard_store::{audit, tenants, users};

use crate::{Principal, Service, ServiceResult};

/// `GET /usage`: where the tenant stands against its plan.
#[derive(Debug, Clone)]
pub struct Usage {
    pub plan: String,
    pub engagement_limit: Option<i64>,
    pub engagements_used: i64,
    pub agents: u64,
}

/// What is happening now in a tenant (the console's dashboard).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activity {
    pub agents_available: u64,
    pub live_chats: u64,
    pub offers_pending: u64,
}

/// `GET /settings`: the settings, and the public key of the tenant's widget (read-only).
#[derive(Debug, Clone)]
pub struct SettingsView {
    pub settings: TenantSettings,
    pub plan: switchboard_core::tenant::Plan,
    pub widget_key: String,
    /// Whether an identity-verification secret was made (it is never shown again).
    pub identity_secret_set: bool,
}

impl From<tenants::Model> for SettingsView {
    fn from(t: tenants::Model) -> Self {
        Self {
            settings: t.settings(),
            plan: t.plan(),
            identity_secret_set: t.identity_secret.is_some(),
            widget_key: t.widget_key,
        }
    }
}

impl Service {
    pub async fn settings(&self, who: &Principal) -> ServiceResult<SettingsView> {
        let tenant = who.admin_tenant()?;
        Ok(tenants::find(self.db(), tenant).await?.into())
    }

    pub async fn update_settings(
        &self,
        who: &Principal,
        change: SettingsChange,
    ) -> ServiceResult<SettingsView> {
        let tenant = who.admin_tenant()?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let current = tenants::find(&txn, tenant).await?;
        let next = current.settings().apply(current.plan(), &change)?;
        let saved = tenants::update_settings(&txn, tenant, &next).await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "settings.updated",
                target_kind: "tenant",
                target_id: Some(tenant.as_uuid()),
                details: json!({
                    "global_fallback_message": change.global_fallback_message.is_some(),
                    "accept_timeout_seconds": next.accept_timeout_seconds,
                    "max_chats_per_agent": next.max_chats_per_agent,
                    "idle_timeout_minutes": next.idle_timeout_minutes,
                    "failed_action_recipients": next.failed_action_recipients.iter().map(|e| e.as_str()).collect::<Vec<_>>(),
                    "offer_attempts": next.offer_attempts,
                    "away_after_missed_offers": next.away_after_missed_offers,
                    "business_hours": next.business_hours.as_ref().map(tenants::hours_json),
                    "widget_allowed_origins": next.widget_allowed_origins.iter().map(|o| o.as_str()).collect::<Vec<_>>(),
                    "identity_verification": next.identity_verification,
                    "retention_days": next.retention_days,
                    "default_locale": next.default_locale.as_str(),
                    "widget_color": next.brand.color.hex(),
                    "widget_title": next.brand.title,
                    "widget_greeting": next.brand.greeting,
                    "widget_position": next.brand.position.as_str(),
                    "widget_agent_photos": next.brand.agent_photos,
                    "widget_locales": switchboard_core::brand::locales_to_text(&next.brand.locales),
                }),
            },
        )
        .await?;
        txn.commit().await?;
        self.config_changed(tenant).await;
        // A larger capacity frees slots for visitors waiting in line.
        self.serve_queues_soon(tenant);
        Ok(saved.into())
    }

    /// Makes a new identity-verification secret (the previous one stops verifying at once)
    /// and returns it: it is shown this once, and stored sealed.
    pub async fn new_identity_secret(&self, who: &Principal) -> ServiceResult<String> {
        let tenant = who.admin_tenant()?;
        let secret = format!("sbi_{}", crate::random_token(32));
        let txn = switchboard_store::begin_write(self.db()).await?;
        tenants::set_identity_secret(&txn, tenant, &self.auth_config().sealer.seal(&secret))
            .await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "settings.identity_secret_created",
                target_kind: "tenant",
                target_id: Some(tenant.as_uuid()),
                details: json!({}),
            },
        )
        .await?;
        txn.commit().await?;
        self.config_changed(tenant).await;
        Ok(secret)
    }

    pub async fn usage(&self, who: &Principal) -> ServiceResult<Usage> {
        let tenant = who.admin_tenant()?;
        let t = tenants::find(self.db(), tenant).await?;
        let agents = users::count_agents(self.db(), tenant).await?;
        Ok(Usage {
            plan: t.plan,
            engagement_limit: t.engagement_limit,
            engagements_used: t.engagements_used,
            agents,
        })
    }

    /// What the console's dashboard shows beside the usage: agents available now (holding
    /// the permission, active, present and `available`), live chats, offers waiting for an
    /// answer.
    pub async fn activity(&self, who: &Principal) -> ServiceResult<Activity> {
        use switchboard_realtime::Presence;
        let tenant = who.admin_tenant()?;
        let snapshot = self.routing_snapshot(tenant).await?;
        let agents: Vec<_> = snapshot
            .roster
            .iter()
            .filter(|a| a.active && a.live_chat_permission)
            .map(|a| a.id)
            .collect();
        // As routing sees them: presence, with schedules applied by the schedule pass.
        let mut available = 0;
        for agent in agents {
            if self.realtime().availability(tenant, agent).await?
                == switchboard_core::routing::Availability::Available
            {
                available += 1;
            }
        }
        Ok(Activity {
            agents_available: available,
            live_chats: switchboard_store::conversations::count_with_status(
                self.db(),
                tenant,
                switchboard_core::ConversationStatus::Live,
            )
            .await?,
            offers_pending: switchboard_store::conversations::offers::count_pending(
                self.db(),
                tenant,
            )
            .await?,
        })
    }

    /// The tenant record of the caller (name, slug, widget key), for the console.
    pub async fn own_tenant(&self, who: &Principal) -> ServiceResult<crate::views::Tenant> {
        let tenant = who.member_tenant()?;
        Ok(tenants::find(self.db(), tenant).await?.into())
    }
}
