//! Users of a tenant, their live-chat permission and avatars.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use switchboard_core::lifecycle::Availability;
use switchboard_core::page::{Page, PageRequest};
use switchboard_core::user::Role;
use switchboard_core::{TenantId, UserId};

use crate::{StoreResult, now, on_unique};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: Option<String>,
    pub invitation_token_hash: Option<String>,
    pub invitation_expires_at: Option<DateTimeUtc>,
    pub live_chat_permission: bool,
    pub active: bool,
    /// The availability the user last chose.
    pub availability: Availability,
    /// Notification preferences: the inbox's offer sound, browser (Web Push) notifications,
    /// email for missed chats.
    pub notify_sound: bool,
    pub notify_browser: bool,
    pub notify_email: bool,
    /// The current run of offers that expired unanswered (an answer or a change of
    /// availability starts it again).
    pub missed_offers: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The agent's weekly schedule (SPEC §12.1) in its canonical JSON form; NULL: none.
    pub schedule: Option<Json>,
    /// A manual availability change holds over the schedule until then; NULL: no override.
    pub availability_override_until: Option<DateTimeUtc>,
    /// In every access token issued to the user; moved on to revoke them all.
    pub token_generation: i64,
    /// The TOTP secret, sealed; set from enrolment, in use once `totp_enabled`.
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    /// Hashes of the unused recovery codes (JSON array).
    pub recovery_codes: Option<Json>,
    /// Failed sign-ins in a row (a success starts again).
    pub failed_logins: i32,
    /// Locked out of signing in until then, after repeated failures.
    pub locked_until: Option<DateTimeUtc>,
    /// `en` or `fr`; NULL: as the user's browser asks (issue 17).
    pub locale: Option<String>,
    /// An IANA time zone; NULL: the browser's.
    pub timezone: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The language the user chose, if any.
    pub fn locale(&self) -> Option<switchboard_core::Locale> {
        self.locale
            .as_deref()
            .and_then(switchboard_core::Locale::parse)
    }

    /// The time zone the user chose, if any (one the compiled-in database knows).
    pub fn timezone(&self) -> Option<chrono_tz::Tz> {
        self.timezone.as_deref().and_then(|z| z.parse().ok())
    }

    pub fn user_id(&self) -> UserId {
        UserId::from_uuid(self.id)
    }

    pub fn tenant(&self) -> TenantId {
        TenantId::from_uuid(self.tenant_id)
    }

    /// The schedule as a domain value (stored schedules were validated on the way in).
    pub fn schedule(&self) -> Option<switchboard_core::schedule::Hours> {
        self.schedule
            .as_ref()
            .and_then(crate::tenants::hours_from_json)
    }

    /// The role as a domain value; an unknown stored value reads as `agent`, the least privileged.
    pub fn role(&self) -> Role {
        self.role.parse().unwrap_or(Role::Agent)
    }
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: Option<String>,
    pub invitation_token_hash: Option<String>,
    pub invitation_expires_at: Option<DateTimeUtc>,
    pub live_chat_permission: bool,
}

pub async fn insert(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    new: NewUser<'_>,
) -> StoreResult<Model> {
    let at = now();
    ActiveModel {
        id: Set(UserId::new().as_uuid()),
        tenant_id: Set(tenant.as_uuid()),
        email: Set(new.email.to_owned()),
        display_name: Set(new.display_name.to_owned()),
        role: Set(new.role.as_str().to_owned()),
        password_hash: Set(new.password_hash),
        invitation_token_hash: Set(new.invitation_token_hash),
        invitation_expires_at: Set(new.invitation_expires_at),
        live_chat_permission: Set(new.live_chat_permission),
        active: Set(true),
        availability: Set(Availability::Offline),
        notify_sound: Set(true),
        notify_browser: Set(true),
        notify_email: Set(true),
        missed_offers: Set(0),
        created_at: Set(at),
        updated_at: Set(at),
        schedule: Set(None),
        availability_override_until: Set(None),
        token_generation: Set(0),
        totp_secret: Set(None),
        totp_enabled: Set(false),
        recovery_codes: Set(None),
        failed_logins: Set(0),
        locked_until: Set(None),
        locale: Set(None),
        timezone: Set(None),
    }
    .insert(conn)
    .await
    .map_err(on_unique("users_tenant_email_key"))
}

pub async fn find(conn: &impl ConnectionTrait, tenant: TenantId, id: UserId) -> StoreResult<Model> {
    crate::find_in_tenant::<Entity>(conn, Column::TenantId, tenant, id.as_uuid()).await
}

pub async fn find_by_email(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    email: &str,
) -> StoreResult<Option<Model>> {
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Email.eq(email))
        .one(conn)
        .await?)
}

/// Records a failed sign-in of the user (atomically: concurrent failures all count) and
/// returns the run of failures it makes.
pub async fn record_failed_login(conn: &impl ConnectionTrait, id: UserId) -> StoreResult<i32> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    Entity::update_many()
        .col_expr(Column::FailedLogins, Expr::col(Column::FailedLogins).add(1))
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(conn)
        .await?;
    Ok(find_by_id_unscoped(conn, id).await?.failed_logins)
}

/// Locks the user out of signing in until `until`.
pub async fn lock_out(
    conn: &impl ConnectionTrait,
    id: UserId,
    until: DateTimeUtc,
) -> StoreResult<()> {
    use sea_orm::sea_query::Expr;
    Entity::update_many()
        .col_expr(Column::LockedUntil, Expr::value(Some(until)))
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(conn)
        .await?;
    Ok(())
}

/// A success (or a new password): the run of failures and any lockout end.
pub async fn clear_failed_logins(conn: &impl ConnectionTrait, id: UserId) -> StoreResult<()> {
    use sea_orm::sea_query::Expr;
    Entity::update_many()
        .col_expr(Column::FailedLogins, Expr::value(0))
        .col_expr(
            Column::LockedUntil,
            Expr::value(Option::<DateTimeUtc>::None),
        )
        .filter(Column::Id.eq(id.as_uuid()))
        .filter(Column::FailedLogins.ne(0))
        .exec(conn)
        .await?;
    Ok(())
}

/// A user whatever their tenant (a reset link names only the user).
pub async fn find_by_id_unscoped(conn: &impl ConnectionTrait, id: UserId) -> StoreResult<Model> {
    Entity::find_by_id(id.as_uuid())
        .one(conn)
        .await?
        .ok_or(crate::StoreError::NotFound)
}

/// Active users with this address, in every tenant (a password reset that names no
/// workspace).
pub async fn find_active_by_email_unscoped(
    conn: &impl ConnectionTrait,
    email: &str,
) -> StoreResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::Email.eq(email))
        .filter(Column::Active.eq(true))
        .all(conn)
        .await?)
}

pub async fn find_by_invitation_unscoped(
    conn: &impl ConnectionTrait,
    token_hash: &str,
) -> StoreResult<Option<Model>> {
    Ok(Entity::find()
        .filter(Column::InvitationTokenHash.eq(token_hash))
        .one(conn)
        .await?)
}

pub async fn list(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    page: PageRequest,
) -> StoreResult<Page<Model>> {
    let query = Entity::find().filter(Column::TenantId.eq(tenant.as_uuid()));
    crate::keyset_page(conn, query, Column::Id, page, false, |m| m.id).await
}

/// Active owners of the tenant: the last one may not be demoted, disabled or deleted.
pub async fn count_active_owners(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
) -> StoreResult<u64> {
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Role.eq(Role::Owner.as_str()))
        .filter(Column::Active.eq(true))
        .count(conn)
        .await?)
}

/// Active users holding the live-chat permission: the agents who can be offered chats.
pub async fn count_agents(conn: &impl ConnectionTrait, tenant: TenantId) -> StoreResult<u64> {
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::LiveChatPermission.eq(true))
        .filter(Column::Active.eq(true))
        .count(conn)
        .await?)
}

/// Every user of the tenant as routing sees them, by id (the round-robin order):
/// `(id, display name, active, live-chat permission)`.
pub async fn roster(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
) -> StoreResult<Vec<(Uuid, String, bool, bool)>> {
    Ok(Entity::find()
        .select_only()
        .columns([
            Column::Id,
            Column::DisplayName,
            Column::Active,
            Column::LiveChatPermission,
        ])
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .order_by_asc(Column::Id)
        .into_tuple()
        .all(conn)
        .await?)
}

/// The tenant's active users holding the live-chat permission, by name.
pub async fn chat_agents(conn: &impl ConnectionTrait, tenant: TenantId) -> StoreResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Active.eq(true))
        .filter(Column::LiveChatPermission.eq(true))
        .order_by_asc(Column::DisplayName)
        .all(conn)
        .await?)
}

/// Every user holding the live-chat permission, all tenants: `(tenant, user)`.
pub async fn agents_unscoped(conn: &impl ConnectionTrait) -> StoreResult<Vec<(Uuid, Uuid)>> {
    Ok(Entity::find()
        .select_only()
        .columns([Column::TenantId, Column::Id])
        .filter(Column::LiveChatPermission.eq(true))
        .into_tuple()
        .all(conn)
        .await?)
}

/// Users of every tenant whose chosen availability is not `offline`: `(tenant, user, status)`.
/// Their presence is restored (with its TTL) after the realtime store lost it.
pub async fn present_unscoped(
    conn: &impl ConnectionTrait,
) -> StoreResult<Vec<(Uuid, Uuid, Availability)>> {
    Ok(Entity::find()
        .filter(Column::Availability.ne(Availability::Offline))
        .filter(Column::Active.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.tenant_id, u.id, u.availability))
        .collect())
}

/// Active users of every tenant who have a schedule: the schedule pass looks at each.
pub async fn scheduled_unscoped(conn: &impl ConnectionTrait) -> StoreResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::Schedule.is_not_null())
        .filter(Column::Active.eq(true))
        .all(conn)
        .await?)
}

/// The tenant's users who have a schedule: `(id, schedule, override until)`.
pub async fn schedules(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
) -> StoreResult<Vec<(Uuid, Json, Option<DateTimeUtc>)>> {
    Ok(Entity::find()
        .select_only()
        .columns([
            Column::Id,
            Column::Schedule,
            Column::AvailabilityOverrideUntil,
        ])
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Schedule.is_not_null())
        .into_tuple()
        .all(conn)
        .await?)
}

/// Moves a user's availability from `from` to `to` as their schedule says, unless it moved
/// meanwhile or a manual change still holds at `at`; clears an override that ran out. True:
/// this call made the change (on several nodes exactly one does).
pub async fn follow_schedule(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: UserId,
    from: Availability,
    to: Availability,
    at: DateTimeUtc,
) -> StoreResult<bool> {
    let res = Entity::update_many()
        .col_expr(Column::Availability, Expr::value(to))
        .col_expr(
            Column::AvailabilityOverrideUntil,
            Expr::value(Option::<DateTimeUtc>::None),
        )
        .col_expr(Column::UpdatedAt, Expr::value(now()))
        .filter(Column::Id.eq(id.as_uuid()))
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Availability.eq(from))
        .filter(
            sea_orm::Condition::any()
                .add(Column::AvailabilityOverrideUntil.is_null())
                .add(Column::AvailabilityOverrideUntil.lte(at)),
        )
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Admins' addresses: the default recipients of failed-action email (those who turned
/// email for missed chats off are left out).
pub async fn admin_emails(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
) -> StoreResult<Vec<String>> {
    Ok(Entity::find()
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Role.is_in([Role::Owner.as_str(), Role::Admin.as_str()]))
        .filter(Column::Active.eq(true))
        .filter(Column::NotifyEmail.eq(true))
        .order_by_asc(Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.email)
        .collect())
}

/// Writes the changed fields of `user` (already loaded for this tenant).
pub async fn save(conn: &impl ConnectionTrait, user: ActiveModel) -> StoreResult<Model> {
    let mut user = user;
    user.updated_at = Set(now());
    user.update(conn)
        .await
        .map_err(on_unique("users_tenant_email_key"))
}

pub async fn delete(conn: &impl ConnectionTrait, tenant: TenantId, id: UserId) -> StoreResult<()> {
    crate::delete_in_tenant::<Entity>(conn, Column::Id, Column::TenantId, tenant, id.as_uuid())
        .await
}

pub mod avatar {
    //! Avatars live in their own table so that listing users never loads image bytes.
    use sea_orm::entity::prelude::*;
    use sea_orm::sea_query::OnConflict;
    use sea_orm::{ConnectionTrait, QueryFilter, Set};
    use switchboard_core::{TenantId, UserId};

    use crate::{StoreResult, now};

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "avatars")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: Uuid,
        pub tenant_id: Uuid,
        pub mime: String,
        pub bytes: Vec<u8>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    pub async fn put(
        conn: &impl ConnectionTrait,
        tenant: TenantId,
        user: UserId,
        mime: &str,
        bytes: Vec<u8>,
    ) -> StoreResult<()> {
        // The row is keyed by user alone: without this check another tenant's call would
        // replace their image.
        super::find(conn, tenant, user).await?;
        Entity::insert(ActiveModel {
            user_id: Set(user.as_uuid()),
            tenant_id: Set(tenant.as_uuid()),
            mime: Set(mime.to_owned()),
            bytes: Set(bytes),
            updated_at: Set(now()),
        })
        .on_conflict(
            OnConflict::column(Column::UserId)
                .update_columns([Column::Mime, Column::Bytes, Column::UpdatedAt])
                .to_owned(),
        )
        .exec(conn)
        .await?;
        Ok(())
    }

    /// Whether the user has an avatar, without loading its bytes.
    pub async fn exists(
        conn: &impl ConnectionTrait,
        tenant: TenantId,
        user: UserId,
    ) -> StoreResult<bool> {
        use sea_orm::PaginatorTrait;
        Ok(Entity::find_by_id(user.as_uuid())
            .filter(Column::TenantId.eq(tenant.as_uuid()))
            .count(conn)
            .await?
            > 0)
    }

    /// A user's avatar whatever their tenant: for the public URL visitors' widgets load
    /// (the caller decides whose avatars are public).
    pub async fn find_unscoped(
        conn: &impl ConnectionTrait,
        user: UserId,
    ) -> StoreResult<Option<Model>> {
        Ok(Entity::find_by_id(user.as_uuid()).one(conn).await?)
    }

    pub async fn get(
        conn: &impl ConnectionTrait,
        tenant: TenantId,
        user: UserId,
    ) -> StoreResult<Option<Model>> {
        Ok(Entity::find_by_id(user.as_uuid())
            .filter(Column::TenantId.eq(tenant.as_uuid()))
            .one(conn)
            .await?)
    }
}

/// Counts one more offer the agent let expire; returns the run's length now.
pub async fn record_missed_offer(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: UserId,
) -> StoreResult<u32> {
    Entity::update_many()
        .col_expr(
            Column::MissedOffers,
            sea_orm::sea_query::ExprTrait::add(
                sea_orm::sea_query::Expr::col(Column::MissedOffers),
                1,
            ),
        )
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(conn)
        .await?;
    let run = find(conn, tenant, id).await?.missed_offers;
    Ok(u32::try_from(run).unwrap_or(0))
}

/// The agent answered an offer or chose their availability: the run of missed offers ends.
pub async fn reset_missed_offers(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: UserId,
) -> StoreResult<()> {
    Entity::update_many()
        .col_expr(Column::MissedOffers, sea_orm::sea_query::Expr::value(0))
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .filter(Column::Id.eq(id.as_uuid()))
        .filter(Column::MissedOffers.ne(0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Moves the user's token generation on: every token issued before is refused.
pub async fn revoke_tokens(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    user: UserId,
) -> StoreResult<()> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    Entity::update_many()
        .col_expr(
            Column::TokenGeneration,
            Expr::col(Column::TokenGeneration).add(1),
        )
        .filter(Column::Id.eq(user.as_uuid()))
        .filter(Column::TenantId.eq(tenant.as_uuid()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Sets the user's language and time zone (`None`: as their browser says).
pub async fn set_locale(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: UserId,
    locale: Option<switchboard_core::Locale>,
    timezone: Option<&str>,
) -> StoreResult<Model> {
    let current = find(conn, tenant, id).await?;
    let mut active: ActiveModel = current.into();
    active.locale = Set(locale.map(|l| l.as_str().to_owned()));
    active.timezone = Set(timezone.map(str::to_owned));
    active.updated_at = Set(now());
    Ok(active.update(conn).await?)
}
