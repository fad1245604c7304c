//! Tenants: plan, engagement limit and counter, live-chat settings, widget key.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, QueryFilter, Set};
use switchboard_core::brand::{Color, WidgetBrand, locales_from_text, locales_to_text};
use switchboard_core::page::{Page, PageRequest};
use switchboard_core::schedule::{Hours, HoursInput};
use switchboard_core::settings::TenantSettings;
use switchboard_core::tenant::{Plan, Slug};
use switchboard_core::user::EmailAddress;

use crate::{StoreError, StoreResult, TenantId, now, on_unique};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub plan: String,
    pub engagement_limit: Option<i64>,
    pub engagements_used: i64,
    pub global_fallback_message: String,
    pub accept_timeout_seconds: i32,
    pub max_chats_per_agent: i32,
    pub idle_timeout_minutes: i32,
    pub failed_action_recipients: Json,
    pub offer_attempts: Option<i32>,
    pub away_after_missed_offers: i32,
    pub widget_key: String,
    /// The published dialogue the widget runs.
    pub widget_dialogue_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Business hours in their canonical JSON form; NULL: always open.
    pub business_hours: Option<Json>,
    /// NULL: the built-in default.
    pub outside_hours_message: Option<String>,
    /// Origins the widget may run on (JSON array); NULL or empty: any.
    pub widget_allowed_origins: Option<Json>,
    pub identity_verification: bool,
    /// The identity-verification secret, sealed with the server's key; NULL until made.
    pub identity_secret: Option<String>,
    pub retention_days: Option<i32>,
    /// `en` or `fr`: the language of readers with no preference and no browser to ask.
    pub default_locale: String,
    /// The widget's colour, `#rrggbb`.
    pub widget_color: String,
    /// NULL: the built-in title in the visitor's language.
    pub widget_title: Option<String>,
    /// NULL: no greeting.
    pub widget_greeting: Option<String>,
    /// `right` or `left`.
    pub widget_position: String,
    pub widget_agent_photos: bool,
    /// The languages the widget speaks, `en,fr`.
    pub widget_locales: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn tenant_id(&self) -> TenantId {
        TenantId::from_uuid(self.id)
    }

    /// The plan as a domain value; a value the code does not know reads as `select`,
    /// the more restrictive plan.
    pub fn plan(&self) -> Plan {
        self.plan.parse().unwrap_or(Plan::Select)
    }

    /// The settings as a domain value. Stored values were validated on the way in; a value
    /// out of range (edited by hand in the database) falls back to the default.
    pub fn settings(&self) -> TenantSettings {
        let d = TenantSettings::default();
        let pos =
            |v: i32, default: u32| u32::try_from(v).ok().filter(|v| *v > 0).unwrap_or(default);
        let recipients = self
            .failed_action_recipients
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|v| v.as_str())
                    .filter_map(|s| EmailAddress::parse(s).ok())
                    .collect()
            })
            .unwrap_or_default();
        TenantSettings {
            global_fallback_message: self.global_fallback_message.clone(),
            accept_timeout_seconds: pos(self.accept_timeout_seconds, d.accept_timeout_seconds),
            max_chats_per_agent: pos(self.max_chats_per_agent, d.max_chats_per_agent),
            idle_timeout_minutes: pos(self.idle_timeout_minutes, d.idle_timeout_minutes),
            failed_action_recipients: recipients,
            offer_attempts: self
                .offer_attempts
                .and_then(|v| u32::try_from(v).ok())
                .filter(|v| (1..=switchboard_core::settings::MAX_OFFER_ATTEMPTS).contains(v)),
            away_after_missed_offers: u32::try_from(self.away_after_missed_offers)
                .ok()
                .filter(|v| *v <= 10)
                .unwrap_or(d.away_after_missed_offers),
            business_hours: self.business_hours.as_ref().and_then(hours_from_json),
            outside_hours_message: self
                .outside_hours_message
                .clone()
                .unwrap_or(d.outside_hours_message),
            widget_allowed_origins: self
                .widget_allowed_origins
                .as_ref()
                .and_then(|v| v.as_array())
                .map(|list| {
                    list.iter()
                        .filter_map(|v| v.as_str())
                        .filter_map(switchboard_core::origin::Origin::from_header)
                        .collect()
                })
                .unwrap_or_default(),
            identity_verification: self.identity_verification,
            retention_days: self
                .retention_days
                .and_then(|v| u32::try_from(v).ok())
                .filter(|v| *v > 0),
            default_locale: switchboard_core::Locale::parse(&self.default_locale)
                .unwrap_or_default(),
            brand: self.brand(),
        }
    }

    fn brand(&self) -> WidgetBrand {
        let d = WidgetBrand::default();
        WidgetBrand {
            color: Color::parse(&self.widget_color).unwrap_or(d.color),
            title: self.widget_title.clone(),
            greeting: self.widget_greeting.clone(),
            position: self.widget_position.parse().unwrap_or(d.position),
            agent_photos: self.widget_agent_photos,
            locales: locales_from_text(&self.widget_locales),
        }
    }
}

/// Hours as stored: their canonical form (see [`Hours::input`]).
pub fn hours_json(hours: &Hours) -> Json {
    serde_json::to_value(hours.input()).unwrap_or(Json::Null)
}

/// Stored hours read back. They were validated on the way in; hours that no longer parse
/// (a zone the compiled-in database dropped, a hand edit) read as none, and are logged.
pub fn hours_from_json(raw: &Json) -> Option<Hours> {
    let parsed = serde_json::from_value::<HoursInput>(raw.clone())
        .map_err(|e| e.to_string())
        .and_then(|input| Hours::parse("", &input).map_err(|e| e.to_string()));
    match parsed {
        Ok(h) => Some(h),
        Err(e) => {
            tracing::warn!(error = %e, "stored hours do not parse; ignored");
            None
        }
    }
}

fn recipients_json(settings: &TenantSettings) -> Json {
    Json::Array(
        settings
            .failed_action_recipients
            .iter()
            .map(|e| Json::String(e.as_str().to_owned()))
            .collect(),
    )
}

fn to_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

pub struct NewTenant<'a> {
    pub slug: &'a Slug,
    pub name: &'a str,
    pub plan: Plan,
    pub engagement_limit: Option<u32>,
    pub widget_key: &'a str,
}

pub async fn insert(conn: &impl ConnectionTrait, new: NewTenant<'_>) -> StoreResult<Model> {
    let settings = TenantSettings::default();
    let at = now();
    ActiveModel {
        id: Set(TenantId::new().as_uuid()),
        slug: Set(new.slug.as_str().to_owned()),
        name: Set(new.name.to_owned()),
        plan: Set(new.plan.as_str().to_owned()),
        engagement_limit: Set(new.engagement_limit.map(i64::from)),
        engagements_used: Set(0),
        global_fallback_message: Set(settings.global_fallback_message.clone()),
        accept_timeout_seconds: Set(to_i32(settings.accept_timeout_seconds)),
        max_chats_per_agent: Set(to_i32(settings.max_chats_per_agent)),
        idle_timeout_minutes: Set(to_i32(settings.idle_timeout_minutes)),
        failed_action_recipients: Set(recipients_json(&settings)),
        offer_attempts: Set(None),
        away_after_missed_offers: Set(to_i32(settings.away_after_missed_offers)),
        widget_key: Set(new.widget_key.to_owned()),
        widget_dialogue_id: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        business_hours: Set(None),
        outside_hours_message: Set(None),
        widget_allowed_origins: Set(None),
        identity_verification: Set(false),
        identity_secret: Set(None),
        retention_days: Set(None),
        default_locale: Set(settings.default_locale.as_str().to_owned()),
        widget_color: Set(settings.brand.color.hex()),
        widget_title: Set(None),
        widget_greeting: Set(None),
        widget_position: Set(settings.brand.position.as_str().to_owned()),
        widget_agent_photos: Set(settings.brand.agent_photos),
        widget_locales: Set(locales_to_text(&settings.brand.locales)),
    }
    .insert(conn)
    .await
    .map_err(on_unique("tenants_slug_key"))
}

/// The tenant whose widget carries this key.
pub async fn find_by_widget_key(conn: &impl ConnectionTrait, key: &str) -> StoreResult<Model> {
    Entity::find()
        .filter(Column::WidgetKey.eq(key))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Makes `dialogue` the one the widget runs; another tenant's dialogue reads as not found.
pub async fn set_widget_dialogue(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    dialogue: Option<Uuid>,
) -> StoreResult<()> {
    if let Some(d) = dialogue {
        crate::dialogues::find(conn, tenant, d).await?;
    }
    Entity::update_many()
        .col_expr(Column::WidgetDialogueId, Expr::value(dialogue))
        .col_expr(Column::UpdatedAt, Expr::value(now()))
        .filter(Column::Id.eq(tenant.as_uuid()))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn find(conn: &impl ConnectionTrait, id: TenantId) -> StoreResult<Model> {
    Entity::find_by_id(id.as_uuid())
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn find_by_slug(conn: &impl ConnectionTrait, slug: &str) -> StoreResult<Option<Model>> {
    Ok(Entity::find()
        .filter(Column::Slug.eq(slug))
        .one(conn)
        .await?)
}

pub async fn list(conn: &impl ConnectionTrait, page: PageRequest) -> StoreResult<Page<Model>> {
    crate::keyset_page(conn, Entity::find(), Column::Id, page, false, |m| m.id).await
}

/// Takes the tenant's write lock for the rest of the transaction: a no-op update, so it is a
/// row lock on PostgreSQL and the database write lock on SQLite. Use cases whose checks read
/// what another may be changing at the same moment (the last owner) take it first.
pub async fn lock(conn: &impl ConnectionTrait, id: TenantId) -> StoreResult<()> {
    let res = Entity::update_many()
        .col_expr(Column::UpdatedAt, Expr::col(Column::UpdatedAt))
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(conn)
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Counts one engagement, durably, unless the limit is reached: the database has the last
/// word on the limit even if the realtime store lost its reservations. False: refused.
pub async fn consume_engagement(conn: &impl ConnectionTrait, id: TenantId) -> StoreResult<bool> {
    use sea_orm::sea_query::ExprTrait;
    let res = Entity::update_many()
        .col_expr(
            Column::EngagementsUsed,
            Expr::col(Column::EngagementsUsed).add(1),
        )
        .filter(Column::Id.eq(id.as_uuid()))
        .filter(
            sea_orm::Condition::any()
                .add(Column::EngagementLimit.is_null())
                .add(Expr::col(Column::EngagementsUsed).lt(Expr::col(Column::EngagementLimit))),
        )
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Changes plan and/or limit. `limit: Some(None)` removes the limit (unlimited).
pub async fn update_plan(
    conn: &impl ConnectionTrait,
    id: TenantId,
    plan: Option<Plan>,
    limit: Option<Option<u32>>,
) -> StoreResult<Model> {
    let current = find(conn, id).await?;
    let mut active: ActiveModel = current.into();
    if let Some(plan) = plan {
        active.plan = Set(plan.as_str().to_owned());
    }
    if let Some(limit) = limit {
        active.engagement_limit = Set(limit.map(i64::from));
    }
    active.updated_at = Set(now());
    Ok(active.update(conn).await?)
}

pub async fn update_settings(
    conn: &impl ConnectionTrait,
    id: TenantId,
    settings: &TenantSettings,
) -> StoreResult<Model> {
    let current = find(conn, id).await?;
    let mut active: ActiveModel = current.into();
    active.global_fallback_message = Set(settings.global_fallback_message.clone());
    active.accept_timeout_seconds = Set(to_i32(settings.accept_timeout_seconds));
    active.max_chats_per_agent = Set(to_i32(settings.max_chats_per_agent));
    active.idle_timeout_minutes = Set(to_i32(settings.idle_timeout_minutes));
    active.failed_action_recipients = Set(recipients_json(settings));
    active.offer_attempts = Set(settings.offer_attempts.map(to_i32));
    active.away_after_missed_offers = Set(to_i32(settings.away_after_missed_offers));
    active.business_hours = Set(settings.business_hours.as_ref().map(hours_json));
    // The default is kept as NULL, so that a better default reaches this tenant too.
    active.outside_hours_message = Set(Some(settings.outside_hours_message.clone())
        .filter(|m| m != switchboard_core::schedule::DEFAULT_OUTSIDE_HOURS_MESSAGE));
    active.widget_allowed_origins = Set(Some(Json::Array(
        settings
            .widget_allowed_origins
            .iter()
            .map(|o| Json::String(o.as_str().to_owned()))
            .collect(),
    )));
    active.identity_verification = Set(settings.identity_verification);
    active.retention_days = Set(settings.retention_days.map(to_i32));
    active.default_locale = Set(settings.default_locale.as_str().to_owned());
    let b = &settings.brand;
    active.widget_color = Set(b.color.hex());
    active.widget_title = Set(b.title.clone());
    active.widget_greeting = Set(b.greeting.clone());
    active.widget_position = Set(b.position.as_str().to_owned());
    active.widget_agent_photos = Set(b.agent_photos);
    active.widget_locales = Set(locales_to_text(&b.locales));
    active.updated_at = Set(now());
    Ok(active.update(conn).await?)
}

/// Stores a new identity-verification secret (sealed by the caller).
pub async fn set_identity_secret(
    conn: &impl ConnectionTrait,
    id: TenantId,
    sealed: &str,
) -> StoreResult<()> {
    let current = find(conn, id).await?;
    let mut active: ActiveModel = current.into();
    active.identity_secret = Set(Some(sealed.to_owned()));
    active.updated_at = Set(now());
    active.update(conn).await?;
    Ok(())
}

/// Tenants that keep conversations for a limited time, with that time.
pub async fn with_retention(conn: &impl ConnectionTrait) -> StoreResult<Vec<(TenantId, u32)>> {
    Ok(Entity::find()
        .filter(Column::RetentionDays.is_not_null())
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|t| Some((t.tenant_id(), u32::try_from(t.retention_days?).ok()?)))
        .collect())
}
