//! Request and response bodies of the API. These are not the store's entities: each is
//! converted with `From`, so the wire format can stay fixed while storage changes.
//! Request bodies deny unknown fields, so a typo is an error instead of a silent no-op.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use poem_openapi::types::MaybeUndefined;
use switchboard_core::page::Page;
use switchboard_service::teams::TeamView;
use switchboard_service::users::UserView;
use switchboard_store::{api_keys, audit, tenants};
use uuid::Uuid;

use crate::text::Text;

/// Credentials for a token.
#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct TokenRequest {
    /// The tenant's slug; absent for the platform operator.
    pub tenant: Option<Text>,
    pub email: Text,
    pub password: Text,
}

/// A short-lived access token, sent as `Authorization: Bearer <access_token>`.
#[derive(Debug, Object)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct NewAdmin {
    pub email: Text,
    pub display_name: Text,
    pub password: Text,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CreateTenantRequest {
    pub name: Text,
    /// 2–63 lowercase letters, digits and hyphens; what users name at login.
    pub slug: Text,
    /// `select` or `prime`.
    pub plan: Text,
    /// Lifetime engagement limit; `null` is unlimited; absent: 100 on `select`, unlimited on `prime`.
    pub engagement_limit: MaybeUndefined<i64>,
    /// The tenant's first user, created as its owner.
    pub admin: NewAdmin,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct UpdateTenantRequest {
    /// `select` or `prime`.
    pub plan: Option<Text>,
    /// A new limit; `null` removes the limit (unlimited); absent leaves it as it is.
    pub engagement_limit: MaybeUndefined<i64>,
}

#[derive(Debug, Object)]
pub struct Tenant {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub plan: String,
    /// `null`: unlimited.
    pub engagement_limit: Option<i64>,
    pub engagements_used: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<tenants::Model> for Tenant {
    fn from(t: tenants::Model) -> Self {
        Self {
            id: t.id,
            name: t.name,
            slug: t.slug,
            plan: t.plan,
            engagement_limit: t.engagement_limit,
            engagements_used: t.engagements_used,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

/// A new tenant and its first admin.
#[derive(Debug, Object)]
pub struct CreatedTenant {
    #[oai(flatten)]
    pub tenant: Tenant,
    pub admin: User,
}

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
            has_password: u.password_hash.is_some(),
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CreateUserRequest {
    pub email: Text,
    pub display_name: Text,
    /// `owner` (owners only), `admin` or `agent`.
    pub role: Text,
    /// Omit to invite the user: the answer carries an `invitation_url` to choose a password.
    pub password: Option<Text>,
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
    pub display_name: Option<Text>,
    pub role: Option<Text>,
    pub password: Option<Text>,
    /// `false` disables the user (they can no longer log in), `true` enables them again.
    pub active: Option<bool>,
}

#[derive(Debug, Object)]
pub struct Team {
    pub id: Uuid,
    pub name: String,
    /// Members' user ids, in the order they joined.
    pub member_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<TeamView> for Team {
    fn from(v: TeamView) -> Self {
        Self {
            id: v.team.id,
            name: v.team.name,
            member_ids: v.members,
            created_at: v.team.created_at,
        }
    }
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CreateTeamRequest {
    pub name: Text,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct UpdateTeamRequest {
    pub name: Option<Text>,
}

#[derive(Debug, Object)]
pub struct Settings {
    /// Sent to visitors when no live chat can be had and the card has no message of its own;
    /// always used when the engagement limit is reached.
    pub global_fallback_message: String,
    /// Seconds an agent has to accept an offer (1–600).
    pub accept_timeout_seconds: u32,
    /// Live chats plus pending offers per agent (1–100).
    pub max_chats_per_agent: u32,
    /// Minutes without a message after which a live chat ends (1–1440).
    pub idle_timeout_minutes: u32,
    /// Who gets failed-action email; empty: the tenant's admins.
    pub failed_action_recipients: Vec<String>,
    /// The public key of the tenant's widget (`data-key` of the script tag); read-only.
    pub widget_key: String,
}

impl From<switchboard_service::settings::SettingsView> for Settings {
    fn from(v: switchboard_service::settings::SettingsView) -> Self {
        let s = v.settings;
        Self {
            widget_key: v.widget_key,
            global_fallback_message: s.global_fallback_message,
            accept_timeout_seconds: s.accept_timeout_seconds,
            max_chats_per_agent: s.max_chats_per_agent,
            idle_timeout_minutes: s.idle_timeout_minutes,
            failed_action_recipients: s
                .failed_action_recipients
                .into_iter()
                .map(|e| e.as_str().to_owned())
                .collect(),
        }
    }
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct UpdateSettingsRequest {
    pub global_fallback_message: Option<Text>,
    pub accept_timeout_seconds: Option<i64>,
    pub max_chats_per_agent: Option<i64>,
    pub idle_timeout_minutes: Option<i64>,
    /// Replaces the list; `[]` goes back to the default (the tenant's admins).
    pub failed_action_recipients: Option<Vec<Text>>,
}

#[derive(Debug, Object)]
pub struct Usage {
    pub plan: String,
    /// `null`: unlimited.
    pub engagement_limit: Option<i64>,
    pub engagements_used: i64,
    /// Active users holding the live-chat permission.
    pub live_chat_agents: u64,
}

#[derive(Debug, Object)]
pub struct ApiKey {
    pub id: Uuid,
    pub name: String,
    /// The public start of the key, to recognise it.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<api_keys::Model> for ApiKey {
    fn from(k: api_keys::Model) -> Self {
        Self {
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            created_at: k.created_at,
            last_used_at: k.last_used_at,
            revoked_at: k.revoked_at,
        }
    }
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    /// What the key is for, e.g. "CRM sync".
    pub name: Text,
}

#[derive(Debug, Object)]
pub struct CreatedApiKey {
    #[oai(flatten)]
    pub api_key: ApiKey,
    /// The key itself. Shown only in this answer; store it now.
    pub key: String,
}

#[derive(Debug, Object)]
pub struct AuditActor {
    /// `user`, `api_key` or `operator`.
    pub kind: String,
    pub id: Option<Uuid>,
    pub label: String,
}

#[derive(Debug, Object)]
pub struct AuditTarget {
    pub kind: String,
    pub id: Option<Uuid>,
}

#[derive(Debug, Object)]
pub struct AuditEntry {
    pub id: Uuid,
    pub actor: AuditActor,
    /// E.g. `live_chat_permission.granted`, `plan.changed`, `api_key.created`.
    pub action: String,
    pub target: AuditTarget,
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl From<audit::Model> for AuditEntry {
    fn from(a: audit::Model) -> Self {
        Self {
            id: a.id,
            actor: AuditActor {
                kind: a.actor_kind,
                id: a.actor_id,
                label: a.actor_label,
            },
            action: a.action,
            target: AuditTarget {
                kind: a.target_kind,
                id: a.target_id,
            },
            details: a.details,
            created_at: a.created_at,
        }
    }
}

#[derive(Debug, Object)]
pub struct TenantSummary {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub plan: String,
}

/// The caller: their user record and their tenant.
/// Which notifications the user wants (all on by default).
#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct NotificationPreferences {
    /// The inbox plays a sound on each offer.
    pub sound: bool,
    /// Offers reach the browser as notifications (Web Push) when no inbox acknowledged them.
    pub browser_notifications: bool,
    /// An email when a chat offered to the user was missed.
    pub email_missed_chats: bool,
}

impl From<switchboard_service::preferences::Preferences> for NotificationPreferences {
    fn from(p: switchboard_service::preferences::Preferences) -> Self {
        Self {
            sound: p.sound,
            browser_notifications: p.browser_notifications,
            email_missed_chats: p.email_missed_chats,
        }
    }
}

/// A browser's push subscription, as `PushSubscription.toJSON()` gives it.
#[derive(Debug, Object)]
pub struct PushSubscriptionRequest {
    /// The push service's https URL for this browser.
    pub endpoint: crate::text::Text,
    pub keys: PushKeys,
}

#[derive(Debug, Object)]
pub struct PushKeys {
    /// The browser's P-256 public key (65 bytes, base64url).
    pub p256dh: crate::text::Text,
    /// Its authentication secret (16 bytes, base64url).
    pub auth: crate::text::Text,
}

/// Which subscription to forget.
#[derive(Debug, Object)]
pub struct PushUnsubscribeRequest {
    pub endpoint: crate::text::Text,
}

#[derive(Debug, Object)]
pub struct Me {
    #[oai(flatten)]
    pub user: User,
    /// The availability the user last chose: `available`, `away` or `offline`.
    pub availability: String,
    pub notification_preferences: NotificationPreferences,
    /// The server's VAPID public key: browsers subscribe to push with it.
    pub push_public_key: Option<String>,
    /// How many of the user's browsers are subscribed to push.
    pub push_subscriptions: u64,
    pub tenant: TenantSummary,
}

macro_rules! list_type {
    ($(#[$doc:meta])* $name:ident, $item:ty) => {
        $(#[$doc])*
        #[derive(Debug, Object)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass as `cursor` to get the next page; `null` on the last page.
            pub next_cursor: Option<String>,
        }

        impl<T: Into<$item>> From<Page<T>> for $name {
            fn from(page: Page<T>) -> Self {
                Self {
                    items: page.items.into_iter().map(Into::into).collect(),
                    next_cursor: page.next_cursor.map(|c| c.to_string()),
                }
            }
        }
    };
}

list_type!(
    /// A page of conversations, newest first.
    ConversationList,
    Conversation
);
list_type!(
    /// A page of tenants.
    TenantList,
    Tenant
);
list_type!(
    /// A page of users.
    UserList,
    User
);
list_type!(
    /// A page of teams.
    TeamList,
    Team
);
list_type!(
    /// A page of API keys.
    ApiKeyList,
    ApiKey
);
list_type!(
    /// A page of the audit log, newest first.
    AuditLog,
    AuditEntry
);

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct ConditionRequest {
    /// `country`, `region`, `city`, `page_url` or `captured.<first_name|last_name|email|job_title|company|phone>`.
    pub field: Text,
    /// `is`, `is_not`, `one_of` or `contains`.
    pub operator: Text,
    /// One value (`one_of`: one to 100). Compared trimmed and case-insensitively.
    pub values: Vec<Text>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct TargetRequest {
    /// `agent` or `team`.
    pub kind: Text,
    pub id: Uuid,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CreateRoutingRuleRequest {
    pub name: Text,
    /// Lower first; absent: after the last rule.
    pub position: Option<i32>,
    /// All must hold; none: the rule matches every visitor.
    pub conditions: Vec<ConditionRequest>,
    pub target: TargetRequest,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct UpdateRoutingRuleRequest {
    pub name: Option<Text>,
    pub position: Option<i32>,
    pub conditions: Option<Vec<ConditionRequest>>,
    pub target: Option<TargetRequest>,
}

#[derive(Debug, Object)]
pub struct RuleCondition {
    pub field: String,
    pub operator: String,
    pub values: Vec<String>,
}

#[derive(Debug, Object)]
pub struct RuleTarget {
    /// `agent` or `team`.
    pub kind: String,
    pub id: Uuid,
}

#[derive(Debug, Object)]
pub struct RoutingRule {
    pub id: Uuid,
    pub name: String,
    pub position: i32,
    pub conditions: Vec<RuleCondition>,
    pub target: RuleTarget,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<switchboard_store::routing_rules::Model> for RoutingRule {
    fn from(r: switchboard_store::routing_rules::Model) -> Self {
        Self {
            conditions: switchboard_service::routing::stored_conditions(&r.conditions)
                .into_iter()
                .map(|c| RuleCondition {
                    field: c.field,
                    operator: c.operator,
                    values: c.values,
                })
                .collect(),
            target: RuleTarget {
                kind: r.target_kind,
                id: r.target_id,
            },
            id: r.id,
            name: r.name,
            position: r.position,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The tenant's rules in the order they are tried (at most a few hundred: one page).
#[derive(Debug, Object)]
pub struct RoutingRuleList {
    pub items: Vec<RoutingRule>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct RoutingRequest {
    /// `round_robin`, `agent`, `custom_rules` or `team`.
    pub mode: Text,
    /// With mode `agent`.
    pub agent_id: Option<Uuid>,
    /// With mode `team`.
    pub team_id: Option<Uuid>,
}

#[derive(Debug, Object, Default)]
#[oai(deny_unknown_fields)]
pub struct VisitorRequest {
    /// ISO 3166 country code, e.g. `FR`.
    pub country: Option<Text>,
    pub region: Option<Text>,
    pub city: Option<Text>,
    pub page_url: Option<Text>,
    /// Captured fields by name (`first_name`, `email`, `company`…).
    pub captured: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct DryRunRequest {
    pub routing: RoutingRequest,
    pub visitor: Option<VisitorRequest>,
}

#[derive(Debug, Object)]
pub struct AgentSummary {
    pub id: Uuid,
    pub display_name: String,
}

/// Who would be offered the chat now, and the trace of the decision. Nothing was changed.
#[derive(Debug, Object)]
pub struct DryRunResponse {
    /// `null`: nobody; see `fallback_reason`.
    pub would_offer: Option<AgentSummary>,
    /// `limit_reached`, `no_rule_matched` or `no_agent_available`; `null` when someone would be offered.
    pub fallback_reason: Option<String>,
    /// Mode, rule matched, each agent considered and why skipped, outcome.
    pub trace: serde_json::Value,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct AvailabilityRequest {
    /// `available`, `away` or `offline`.
    pub status: Text,
}

#[derive(Debug, Object)]
pub struct AvailabilityResponse {
    /// `available`, `away` or `offline`.
    pub status: String,
}

/// Where a live-chat request stands.
#[derive(Debug, Object)]
pub struct LiveChatState {
    pub conversation_id: Uuid,
    /// `offered`, `live`, `fallback`, or `ended` (the visitor left before an agent took it).
    pub status: String,
    pub offer_id: Option<Uuid>,
    pub agent_id: Option<Uuid>,
    pub expires_at: Option<DateTime<Utc>>,
    pub fallback_message: Option<String>,
    /// `limit_reached`, `no_rule_matched`, `no_agent_available`, `offer_expired` or `declined`.
    pub fallback_reason: Option<String>,
}

impl From<switchboard_service::live::LiveChat> for LiveChatState {
    fn from(l: switchboard_service::live::LiveChat) -> Self {
        use switchboard_core::RequestStatus;
        use switchboard_service::live::LiveChatStatus;
        let mut s = Self {
            conversation_id: l.conversation_id,
            status: String::new(),
            offer_id: None,
            agent_id: None,
            expires_at: None,
            fallback_message: None,
            fallback_reason: None,
        };
        match l.status {
            LiveChatStatus::Offered {
                offer_id,
                agent_id,
                expires_at,
            } => {
                s.status = RequestStatus::Offered.to_string();
                s.offer_id = Some(offer_id);
                s.agent_id = Some(agent_id.as_uuid());
                s.expires_at = Some(expires_at);
            }
            LiveChatStatus::Live { agent_id } => {
                s.status = RequestStatus::Live.to_string();
                s.agent_id = Some(agent_id.as_uuid());
            }
            LiveChatStatus::Fallback { message, reason } => {
                s.status = RequestStatus::Fallback.to_string();
                s.fallback_message = Some(message);
                s.fallback_reason = Some(reason.as_str().to_owned());
            }
            LiveChatStatus::Ended => s.status = RequestStatus::Ended.to_string(),
        }
        s
    }
}

/// A conversation with its routing trace.
#[derive(Debug, Object)]
pub struct Conversation {
    pub id: Uuid,
    /// `dialogue` (the visitor walks the cards), `completed` (the dialogue ended without a
    /// live chat), `routing`, `live`, `fallback` or `ended`.
    pub status: String,
    /// What is known of the visitor: location, page, captured fields.
    pub visitor: serde_json::Value,
    /// The live-chat card's routing.
    pub routing: serde_json::Value,
    pub assigned_agent_id: Option<Uuid>,
    pub fallback_reason: Option<String>,
    /// Mode, rule matched, agents considered and why skipped, offers, outcome.
    pub trace: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The `seq` of its last message (0: none yet).
    pub last_seq: i64,
}

impl From<switchboard_service::views::Conversation> for Conversation {
    fn from(c: switchboard_service::views::Conversation) -> Self {
        Self {
            id: c.id,
            status: c.status.to_string(),
            visitor: c.visitor,
            routing: c.routing,
            assigned_agent_id: c.assigned_agent_id,
            fallback_reason: c.fallback_reason.map(|r| r.to_string()),
            trace: serde_json::to_value(&c.trace).unwrap_or_default(),
            created_at: c.created_at,
            updated_at: c.updated_at,
            ended_at: c.ended_at,
            last_seq: c.last_seq,
        }
    }
}
