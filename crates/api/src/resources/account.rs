use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use switchboard_core::ApiKeyId;
use switchboard_core::settings::SettingsChange;
use switchboard_service::Service;
use uuid::Uuid;

use super::{ApiResult, ApiTags, Created, NoContent, page};
use crate::auth::BearerAuth;
use crate::dto::{
    ApiKeyList, AuditLog, ConsoleSession, ConsoleSessionList, CreateApiKeyRequest, CreatedApiKey,
    Erased, IdentitySecret, LocaleSettings, Me, NotificationPreferences, PushSubscriptionRequest,
    PushUnsubscribeRequest, RecoveryCodes, Schedule, Settings, TenantSummary, TwoFactorCode,
    TwoFactorEnrolment, UpdateSettingsRequest, Usage, VisitorExport,
};
use crate::nullable::Nullable;
use crate::text::Text;

pub struct TenantApi;

#[OpenApi(tag = "ApiTags::Tenant")]
impl TenantApi {
    /// The tenant's live-chat settings.
    #[oai(path = "/settings", method = "get", operation_id = "get_settings")]
    async fn settings(&self, svc: Data<&Service>, auth: BearerAuth) -> ApiResult<Json<Settings>> {
        Ok(Json(svc.settings(&auth.0).await?.into()))
    }

    /// Change settings: all fields or none (the first invalid field refuses the change).
    #[oai(path = "/settings", method = "patch", operation_id = "update_settings")]
    async fn update_settings(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        body: Json<UpdateSettingsRequest>,
    ) -> ApiResult<Json<Settings>> {
        let b = body.0;
        let change = SettingsChange {
            global_fallback_message: Text::into_option(b.global_fallback_message),
            accept_timeout_seconds: b.accept_timeout_seconds,
            max_chats_per_agent: b.max_chats_per_agent,
            idle_timeout_minutes: b.idle_timeout_minutes,
            failed_action_recipients: b
                .failed_action_recipients
                .map(|v| v.into_iter().map(|t| t.0).collect()),
            offer_attempts: match b.offer_attempts {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(v) => Some(Some(v)),
            },
            away_after_missed_offers: b.away_after_missed_offers,
            business_hours: match b.business_hours {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null | MaybeUndefined::Value(Nullable(None)) => Some(None),
                MaybeUndefined::Value(Nullable(Some(hours))) => Some(Some(hours.into())),
            },
            outside_hours_message: Text::into_option(b.outside_hours_message),
            widget_allowed_origins: b
                .widget_allowed_origins
                .map(|v| v.into_iter().map(|t| t.0).collect()),
            identity_verification: b.identity_verification,
            retention_days: match b.retention_days {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(v) => Some(Some(v)),
            },
            default_locale: b.default_locale,
            widget_color: b.widget_color,
            widget_title: b.widget_title.map(|t| t.0),
            widget_greeting: b.widget_greeting.map(|t| t.0),
            widget_position: b.widget_position,
            widget_agent_photos: b.widget_agent_photos,
            widget_locales: b
                .widget_locales
                .map(|v| v.into_iter().map(|l| l.as_str().to_owned()).collect()),
        };
        Ok(Json(svc.update_settings(&auth.0, change).await?.into()))
    }

    /// Make a new identity-verification secret, shown in this answer only; the previous one
    /// stops verifying at once. Turn `identity_verification` on in the settings to require it.
    #[oai(
        path = "/settings/identity-secret",
        method = "post",
        operation_id = "create_identity_secret"
    )]
    async fn identity_secret(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
    ) -> ApiResult<Created<IdentitySecret>> {
        Ok(Created::Created(Json(IdentitySecret {
            secret: svc.new_identity_secret(&auth.0).await?,
        })))
    }

    /// Everything stored about the visitor with this email (captured in the dialogue or
    /// left with a message), with their other conversations from the same widget: the
    /// visitor's details, transcripts and left messages, as JSON. Audited.
    #[oai(
        path = "/privacy/visitors",
        method = "get",
        operation_id = "export_visitor"
    )]
    async fn export_visitor(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(validator(max_length = 320))] email: Query<String>,
    ) -> ApiResult<Json<VisitorExport>> {
        Ok(Json(svc.export_visitor(&auth.0, &email.0).await?.into()))
    }

    /// Erase every conversation of the visitor with this email, with its messages, the
    /// message they left, and the emails and webhook deliveries about it. A chat still
    /// waiting or live is to be ended first (409). Audited (the audit keeps a hash of the
    /// address).
    #[oai(
        path = "/privacy/visitors",
        method = "delete",
        operation_id = "erase_visitor"
    )]
    async fn erase_visitor(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(validator(max_length = 320))] email: Query<String>,
    ) -> ApiResult<Json<Erased>> {
        Ok(Json(Erased {
            conversations_erased: svc.erase_visitor(&auth.0, &email.0).await?,
        }))
    }

    /// Plan and engagements used against the limit.
    #[oai(path = "/usage", method = "get", operation_id = "get_usage")]
    async fn usage(&self, svc: Data<&Service>, auth: BearerAuth) -> ApiResult<Json<Usage>> {
        let u = svc.usage(&auth.0).await?;
        Ok(Json(Usage {
            plan: u.plan,
            engagement_limit: u.engagement_limit,
            engagements_used: u.engagements_used,
            live_chat_agents: u.agents,
        }))
    }

    /// List API keys (never their secrets).
    #[oai(path = "/api-keys", method = "get", operation_id = "list_api_keys")]
    async fn list_keys(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u64>>,
        #[oai(validator(
            pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        ))]
        cursor: Query<Option<String>>,
    ) -> ApiResult<Json<ApiKeyList>> {
        let page = page(limit.0, cursor.0)?;
        Ok(Json(svc.list_api_keys(&auth.0, page).await?.into()))
    }

    /// Create an API key. The key is in this answer only.
    #[oai(path = "/api-keys", method = "post", operation_id = "create_api_key")]
    async fn create_key(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(
            name = "Idempotency-Key",
            validator(min_length = 1, max_length = 255, pattern = r"^[!-~]([ -~]*[!-~])?$")
        )]
        _idempotency_key: Header<Option<String>>,
        body: Json<CreateApiKeyRequest>,
    ) -> ApiResult<Created<CreatedApiKey>> {
        let b = body.0;
        let scopes: Option<Vec<String>> = b
            .scopes
            .map(|list| list.iter().map(|s| s.as_str().to_owned()).collect());
        let created = svc
            .create_api_key(&auth.0, b.name.as_str(), scopes.as_deref(), b.expires_at)
            .await?;
        Ok(Created::Created(Json(CreatedApiKey {
            api_key: created.key.into(),
            key: created.secret,
        })))
    }

    /// Revoke an API key: it is refused from now on.
    #[oai(
        path = "/api-keys/:id",
        method = "delete",
        operation_id = "revoke_api_key"
    )]
    async fn revoke_key(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        svc.revoke_api_key(&auth.0, ApiKeyId::from_uuid(id.0))
            .await?;
        Ok(NoContent::NoContent)
    }

    /// The audit log of admin actions, newest first; narrowed to one actor, one action, or
    /// a time range when asked.
    #[oai(path = "/audit-log", method = "get", operation_id = "list_audit_log")]
    #[allow(clippy::too_many_arguments)]
    async fn audit_log(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u64>>,
        #[oai(validator(
            pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        ))]
        cursor: Query<Option<String>>,
        /// Only what this user, API key or platform operator did (their id, as in
        /// `actor.id`).
        #[oai(validator(
            pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        ))]
        actor: Query<Option<String>>,
        /// Only this action, e.g. `api_key.revoked`.
        #[oai(validator(max_length = 64, pattern = r"^[a-z_]+(\.[a-z_]+)*$"))]
        action: Query<Option<String>>,
        /// Only entries at or after this moment (RFC 3339, e.g. `2026-12-01T00:00:00Z`).
        #[oai(validator(max_length = 40))]
        from: Query<Option<String>>,
        /// Only entries before this moment (RFC 3339).
        #[oai(validator(max_length = 40))]
        to: Query<Option<String>>,
    ) -> ApiResult<Json<AuditLog>> {
        let page = page(limit.0, cursor.0)?;
        let filter = switchboard_service::audit::AuditFilter {
            actor_kind: None,
            actor_id: actor.0.as_deref().and_then(|a| a.parse().ok()),
            action: action.0,
            from: moment("from", from.0.as_deref())?,
            to: moment("to", to.0.as_deref())?,
        };
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && to < from
        {
            return Err(bad_query("to", "must not be before from"));
        }
        Ok(Json(svc.audit_log(&auth.0, &filter, page).await?.into()))
    }
}

/// An RFC 3339 moment from the query string (`field` names it in the problem).
fn moment(
    field: &'static str,
    raw: Option<&str>,
) -> ApiResult<Option<chrono::DateTime<chrono::Utc>>> {
    raw.map(|r| {
        chrono::DateTime::parse_from_rfc3339(r)
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|_| {
                bad_query(
                    field,
                    "must be a date and time in RFC 3339 form, e.g. 2026-12-01T00:00:00Z",
                )
            })
    })
    .transpose()
}

fn bad_query(field: &'static str, message: &'static str) -> crate::problem::ApiError {
    switchboard_service::ServiceError::from(switchboard_core::ValidationError::new(field, message))
        .into()
}

pub struct MeApi;

#[OpenApi(tag = "ApiTags::Me")]
impl MeApi {
    /// The caller's user record and tenant.
    #[oai(path = "/me", method = "get", operation_id = "get_me")]
    async fn me(&self, svc: Data<&Service>, auth: BearerAuth) -> ApiResult<Json<Me>> {
        let user = svc.me(&auth.0).await?;
        let tenant = svc.own_tenant(&auth.0).await?;
        let subscriptions = svc.push_subscription_count(&auth.0).await?;
        Ok(Json(Me {
            push_public_key: svc.vapid_public_key(),
            push_subscriptions: subscriptions as u64,
            availability: user.user.availability.to_string(),
            availability_override_until: user
                .user
                .availability_override_until
                .filter(|until| *until > chrono::Utc::now()),
            notification_preferences: switchboard_service::preferences::Preferences::from(
                &user.user,
            )
            .into(),
            locale: LocaleSettings {
                locale: user.user.locale.clone(),
                timezone: user.user.timezone.clone(),
            },
            user: user.into(),
            tenant: TenantSummary {
                id: tenant.id,
                slug: tenant.slug,
                name: tenant.name,
                plan: tenant.plan,
            },
        }))
    }

    /// Your weekly schedule (`null`: none): inside it you are `available`, outside it `away`.
    #[oai(
        path = "/me/schedule",
        method = "get",
        operation_id = "get_my_schedule"
    )]
    async fn schedule(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
    ) -> ApiResult<Json<Nullable<Schedule>>> {
        let s = svc.my_schedule(&auth.0).await?;
        Ok(Json(Nullable(s.as_ref().map(Into::into))))
    }

    /// Replace your weekly schedule; `null` removes it. It applies at once; afterwards a
    /// manual availability change holds until the schedule's next boundary.
    #[oai(
        path = "/me/schedule",
        method = "put",
        operation_id = "set_my_schedule"
    )]
    async fn set_schedule(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        body: Json<Nullable<Schedule>>,
    ) -> ApiResult<Json<Nullable<Schedule>>> {
        let s = svc
            .set_my_schedule(&auth.0, body.0.0.map(Into::into))
            .await?;
        Ok(Json(Nullable(s.as_ref().map(Into::into))))
    }

    /// Replace your notification preferences: the inbox's sound, browser notifications, and
    /// email for missed chats.
    #[oai(
        path = "/me/notification-preferences",
        method = "put",
        operation_id = "set_notification_preferences"
    )]
    async fn set_preferences(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        body: Json<NotificationPreferences>,
    ) -> ApiResult<Json<NotificationPreferences>> {
        let b = body.0;
        let saved = svc
            .set_notification_preferences(
                &auth.0,
                switchboard_service::preferences::Preferences {
                    sound: b.sound,
                    browser_notifications: b.browser_notifications,
                    email_missed_chats: b.email_missed_chats,
                },
            )
            .await?;
        Ok(Json(saved.into()))
    }

    /// Set your language (`en`, `fr`) and time zone (IANA, such as `Europe/Paris`); null
    /// or absent: as your browser says. The console, the inbox, emails and notifications
    /// follow them.
    #[oai(path = "/me/locale", method = "put", operation_id = "set_locale")]
    async fn set_locale(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        body: Json<LocaleSettings>,
    ) -> ApiResult<Json<LocaleSettings>> {
        let b = body.0;
        let saved = svc
            .set_locale(&auth.0, b.locale.as_deref(), b.timezone.as_deref())
            .await?;
        Ok(Json(saved.into()))
    }

    /// Store this browser's Web Push subscription (from `pushManager.subscribe` with the
    /// `push_public_key` of `GET /me`). The same endpoint again replaces its keys.
    #[oai(
        path = "/me/push-subscriptions",
        method = "post",
        operation_id = "add_push_subscription"
    )]
    async fn add_push(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        body: Json<PushSubscriptionRequest>,
    ) -> ApiResult<NoContent> {
        let b = body.0;
        svc.add_push_subscription(
            &auth.0,
            b.endpoint.as_str(),
            b.keys.p256dh.as_str(),
            b.keys.auth.as_str(),
        )
        .await?;
        Ok(NoContent::NoContent)
    }

    /// Forget a browser's Web Push subscription.
    #[oai(
        path = "/me/push-subscriptions",
        method = "delete",
        operation_id = "remove_push_subscription"
    )]
    async fn remove_push(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        body: Json<PushUnsubscribeRequest>,
    ) -> ApiResult<NoContent> {
        svc.remove_push_subscription(&auth.0, body.0.endpoint.as_str())
            .await?;
        Ok(NoContent::NoContent)
    }

    /// Start two-factor sign-in: a new TOTP secret for the caller's authenticator app. It is
    /// not on until confirmed with a code (`POST /me/two-factor/confirm`); 409 while it is on.
    #[oai(
        path = "/me/two-factor",
        method = "post",
        operation_id = "start_two_factor"
    )]
    async fn start_two_factor(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
    ) -> ApiResult<Json<TwoFactorEnrolment>> {
        let e = svc.start_two_factor(&auth.0).await?;
        Ok(Json(TwoFactorEnrolment {
            secret: e.secret,
            otpauth_uri: e.otpauth_uri,
        }))
    }

    /// Turn two-factor sign-in on with the app's current code; the answer holds ten
    /// single-use recovery codes, shown this once. From now on `POST /auth/token` needs `otp`.
    #[oai(
        path = "/me/two-factor/confirm",
        method = "post",
        operation_id = "confirm_two_factor"
    )]
    async fn confirm_two_factor(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        body: Json<TwoFactorCode>,
    ) -> ApiResult<Json<RecoveryCodes>> {
        let codes = svc
            .confirm_two_factor(&auth.0, body.0.code.as_str())
            .await?;
        Ok(Json(RecoveryCodes {
            recovery_codes: codes,
        }))
    }

    /// Turn two-factor sign-in off, with a current code or a recovery code.
    #[oai(
        path = "/me/two-factor",
        method = "delete",
        operation_id = "disable_two_factor"
    )]
    async fn disable_two_factor(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        body: Json<TwoFactorCode>,
    ) -> ApiResult<NoContent> {
        svc.disable_two_factor(&auth.0, body.0.code.as_str())
            .await?;
        Ok(NoContent::NoContent)
    }

    /// The caller's console sessions (browsers signed in to the console or the inbox),
    /// newest first. Access tokens are not sessions: `POST /auth/logout` revokes them all.
    #[oai(
        path = "/me/sessions",
        method = "get",
        operation_id = "list_my_sessions"
    )]
    async fn list_sessions(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
    ) -> ApiResult<Json<ConsoleSessionList>> {
        let items = svc
            .list_sessions(&auth.0, None)
            .await?
            .into_iter()
            .map(|s| ConsoleSession {
                id: s.id,
                created_at: s.created_at,
                expires_at: s.expires_at,
                user_agent: s.user_agent,
                ip: s.ip,
            })
            .collect();
        Ok(Json(ConsoleSessionList { items }))
    }

    /// End one of the caller's console sessions: that browser is signed out at its next
    /// page. 404 when it is not the caller's or is over.
    #[oai(
        path = "/me/sessions/:id",
        method = "delete",
        operation_id = "end_my_session"
    )]
    async fn end_session(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(validator(max_length = 64))] id: Path<String>,
    ) -> ApiResult<NoContent> {
        svc.end_session(&auth.0, &id.0).await?;
        Ok(NoContent::NoContent)
    }
}
