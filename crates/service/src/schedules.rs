//! Agent schedules (SPEC §12.1): inside their weekly schedule an agent is `available`,
//! outside it `away`; a manual availability change holds until the schedule's next boundary.
//!
//! The schedule is applied where availability already lives: the user's record (what the
//! inbox's heartbeats announce) and their presence in the realtime store (what routing
//! reads). [`Service::apply_schedules`] runs on every node each second and moves agents
//! whose schedule opened or closed — one node wins each move (a conditional update), and
//! that node announces it, withdrawing the offers of an agent going away. Readers that must
//! be exact at an instant of their choosing (the dry run, the dashboard) evaluate the
//! schedule themselves with [`switchboard_core::schedule::scheduled_availability`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::Set;
use serde_json::json;
use switchboard_core::routing::Availability;
use switchboard_core::schedule::{self, Hours, HoursInput};
use switchboard_core::{TenantId, UserId, ValidationError};
use switchboard_realtime::Presence;
use switchboard_store::{audit, now, tenants, users};

use crate::routing::PRESENCE_TTL;
use crate::{Principal, Service, ServiceError, ServiceResult};

/// Validates a schedule as a client wrote it (the whole body: fields are named `timezone`,
/// `weekly[2].to`). An agent's schedule has no holidays.
pub fn parse_schedule(input: &HoursInput) -> Result<Hours, ValidationError> {
    if !input.holidays.is_empty() {
        return Err(ValidationError::new(
            "holidays",
            "are for business hours; an agent's schedule has none",
        ));
    }
    Hours::parse("", input)
}

impl Service {
    /// The caller's own schedule.
    pub async fn my_schedule(&self, who: &Principal) -> ServiceResult<Option<Hours>> {
        let id = self_id(who)?;
        self.user_schedule(who, id).await
    }

    /// Replaces the caller's own schedule (`None`: no schedule).
    pub async fn set_my_schedule(
        &self,
        who: &Principal,
        input: Option<HoursInput>,
    ) -> ServiceResult<Option<Hours>> {
        let id = self_id(who)?;
        self.set_user_schedule(who, id, input).await
    }

    /// A user's schedule: for admins, and for the user themself.
    pub async fn user_schedule(&self, who: &Principal, id: UserId) -> ServiceResult<Option<Hours>> {
        let tenant = self.self_or_admin(who, id)?;
        Ok(users::find(self.db(), tenant, id).await?.schedule())
    }

    /// Replaces a user's schedule (`None`: no schedule). A new schedule applies at once: a
    /// manual override of the old one is dropped, and the agent is moved to what the new
    /// schedule says now.
    pub async fn set_user_schedule(
        &self,
        who: &Principal,
        id: UserId,
        input: Option<HoursInput>,
    ) -> ServiceResult<Option<Hours>> {
        let tenant = self.self_or_admin(who, id)?;
        let parsed = input.as_ref().map(parse_schedule).transpose()?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let user = users::find(&txn, tenant, id).await?;
        let mut active: users::ActiveModel = user.into();
        active.schedule = Set(parsed.as_ref().map(tenants::hours_json));
        active.availability_override_until = Set(None);
        let saved = users::save(&txn, active).await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "user.schedule_updated",
                target_kind: "user",
                target_id: Some(saved.id),
                details: json!({
                    "email": saved.email,
                    "schedule": saved.schedule,
                }),
            },
        )
        .await?;
        txn.commit().await?;
        self.follow_schedule(&saved, now()).await?;
        Ok(parsed)
    }

    /// Moves every scheduled agent whose schedule opened or closed by `at` (and whose manual
    /// change, if any, ran out). Every node runs it each second; `at` is passed so that tests
    /// drive it at chosen instants.
    pub async fn apply_schedules(&self, at: DateTime<Utc>) -> ServiceResult<()> {
        let mut first_error = None;
        for user in users::scheduled_unscoped(self.db()).await? {
            if let Err(e) = self.follow_schedule(&user, at).await {
                tracing::warn!(error = %e, user = %user.id, "applying a schedule failed");
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Moves one agent to what their schedule says at `at`, if that is not where they are.
    async fn follow_schedule(&self, user: &users::Model, at: DateTime<Utc>) -> ServiceResult<()> {
        let Some(hours) = user.schedule() else {
            return Ok(());
        };
        let wanted = schedule::scheduled_availability(
            user.availability,
            Some(&hours),
            user.availability_override_until,
            at,
        );
        let override_ran_out = user
            .availability_override_until
            .is_some_and(|until| until <= at);
        if wanted == user.availability && !override_ran_out {
            return Ok(());
        }
        let (tenant, id) = (user.tenant(), user.user_id());
        if !users::follow_schedule(self.db(), tenant, id, user.availability, wanted, at).await?
            || wanted == user.availability
        {
            // Another node moved them, they changed it themselves meanwhile, or only an
            // override that ran out was cleared.
            return Ok(());
        }
        tracing::info!(%tenant, agent = %id, from = %user.availability, to = %wanted, "schedule applied");
        // An agent who is here hears of it at once; one who is not carries it with their
        // next heartbeat (the inbox announces the availability on their record).
        if self.realtime().availability(tenant, id).await? != Availability::Offline {
            self.realtime()
                .heartbeat(tenant, id, wanted, PRESENCE_TTL)
                .await?;
        }
        // Every inbox of theirs follows, and says why.
        self.announce(
            switchboard_realtime::Topic::Agent(tenant, id),
            &crate::events::Event::AvailabilityChanged {
                status: wanted,
                reason: switchboard_core::AvailabilityReason::Schedule,
                missed: None,
            },
        )
        .await;
        if wanted == Availability::Available {
            // A schedule that opens frees slots for visitors waiting in line.
            self.serve_queues_soon(tenant);
        } else {
            self.withdraw_offers_of(tenant, id).await?;
        }
        Ok(())
    }

    /// Agents' availability at `at` as routing will see it: their presence now, with their
    /// schedule evaluated at `at` (an agent who is not here is offline whatever it says).
    pub(crate) async fn availability_at(
        &self,
        tenant: TenantId,
        agents: &[UserId],
        at: DateTime<Utc>,
    ) -> ServiceResult<Vec<Availability>> {
        let schedules: HashMap<_, _> = users::schedules(self.db(), tenant)
            .await?
            .into_iter()
            .map(|(id, raw, until)| (id, (tenants::hours_from_json(&raw), until)))
            .collect();
        let mut out = Vec::with_capacity(agents.len());
        for agent in agents {
            let present = self.realtime().availability(tenant, *agent).await?;
            out.push(match schedules.get(&agent.as_uuid()) {
                Some((hours, until)) if present != Availability::Offline => {
                    schedule::scheduled_availability(present, hours.as_ref(), *until, at)
                }
                _ => present,
            });
        }
        Ok(out)
    }
}

fn self_id(who: &Principal) -> ServiceResult<UserId> {
    who.user_id().ok_or(ServiceError::Forbidden(
        "a schedule is a user's own; with an API key use /users/{id}/schedule",
    ))
}
