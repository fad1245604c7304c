//! `/console/settings`: the tenant's settings in one form — the global fallback message,
//! the numbers that pace live chat, and who is emailed about failed chats — and the business
//! hours in a second one (time zone, weekly intervals, holidays, the outside-hours message).

use std::collections::HashMap;

use askama::Template;
use poem::web::{Data, Query};
use poem::{Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_core::ValidationError;
use switchboard_core::settings::{SettingsChange, TenantSettings};
use switchboard_core::tenant::Plan;
use switchboard_service::{Service, ServiceError};

use crate::confirm_step::{self, Ask, confirmed};
use crate::forms::FormErrors;
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::{self, Layout, see_other};
use crate::session::Ctx;
use crate::shared::{PageQuery, error_page, layout};
use crate::weekly::WeekForm;

pub(crate) fn add_routes(routes: Route) -> Route {
    routes
        .at("/settings", get(settings_page).post(save_settings))
        .at("/settings/business-hours", post(save_business_hours))
        .at("/settings/identity-secret", post(new_identity_secret))
}

/// Makes a new identity secret and shows it on this page only (a reload does not show it
/// again).
///
/// Replacing a secret that is set is asked first: the current one stops verifying visitors.
#[handler]
async fn new_identity_secret(
    AdminSession(ctx): AdminSession,
    CsrfForm(fields): CsrfForm<HashMap<String, String>>,
    svc: Data<&Service>,
) -> Response {
    if !confirmed(fields.get("confirm").map(String::as_str)) {
        match svc.settings(&ctx.principal).await {
            Ok(s) if s.identity_secret_set => {
                let tx = ctx.tx();
                return confirm_step::ask(
                    &ctx,
                    "settings",
                    Ask {
                        question: tx.t("settings-secret-question"),
                        detail: tx.t("settings-secret-detail"),
                        button: tx.t("settings-secret-button"),
                        action: "/console/settings/identity-secret".into(),
                        fields: Vec::new(),
                        back: "/console/settings#identity-secret".into(),
                    },
                );
            }
            Ok(_) => {}
            Err(e) => return error_page(&ctx, e),
        }
    }
    let made = match svc.new_identity_secret(&ctx.principal).await {
        Ok(secret) => secret,
        Err(e) => return error_page(&ctx, e),
    };
    match svc.settings(&ctx.principal).await {
        Ok(s) => {
            let mut shown = Shown::from(&s);
            shown.new_secret = Some(made);
            settings_view(
                &ctx,
                shown,
                SettingsForm::from_settings(&s.settings),
                FormErrors::default(),
                Some(ctx.tx().t("settings-secret-made")),
                hours_of(&s.settings, &ctx),
            )
        }
        Err(e) => error_page(&ctx, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SettingsForm {
    global_fallback_message: String,
    accept_timeout_seconds: String,
    max_chats_per_agent: String,
    idle_timeout_minutes: String,
    failed_action_recipients: String,
    /// Not sent by an older page: unchanged.
    away_after_missed_offers: Option<String>,
    /// Empty: the plan's default. Not sent on `select`, where it is fixed.
    offer_attempts: Option<String>,
    /// The security part (allowed origins, identity verification, retention); not sent by an
    /// older page: unchanged.
    security: Option<String>,
    widget_allowed_origins: String,
    /// The checkbox: sent ("on") only when ticked.
    identity_verification: Option<String>,
    /// Empty: keep conversations.
    retention_days: String,
    /// `en` or `fr`; not sent by an older page: unchanged.
    default_locale: Option<String>,
}

impl SettingsForm {
    fn from_settings(s: &TenantSettings) -> Self {
        Self {
            global_fallback_message: s.global_fallback_message.clone(),
            accept_timeout_seconds: s.accept_timeout_seconds.to_string(),
            max_chats_per_agent: s.max_chats_per_agent.to_string(),
            idle_timeout_minutes: s.idle_timeout_minutes.to_string(),
            failed_action_recipients: s
                .failed_action_recipients
                .iter()
                .map(|e| e.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            away_after_missed_offers: Some(s.away_after_missed_offers.to_string()),
            offer_attempts: Some(s.offer_attempts.map(|n| n.to_string()).unwrap_or_default()),
            security: Some("1".into()),
            widget_allowed_origins: s
                .widget_allowed_origins
                .iter()
                .map(|o| o.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            identity_verification: s.identity_verification.then(|| "on".into()),
            retention_days: s.retention_days.map(|d| d.to_string()).unwrap_or_default(),
            default_locale: Some(s.default_locale.as_str().to_owned()),
        }
    }

    /// The change the form asks for; a number that is not one is refused beside its field.
    fn change(&self) -> Result<SettingsChange, ServiceError> {
        Ok(SettingsChange {
            global_fallback_message: Some(self.global_fallback_message.clone()),
            accept_timeout_seconds: Some(number(
                "accept_timeout_seconds",
                &self.accept_timeout_seconds,
            )?),
            max_chats_per_agent: Some(number("max_chats_per_agent", &self.max_chats_per_agent)?),
            idle_timeout_minutes: Some(number("idle_timeout_minutes", &self.idle_timeout_minutes)?),
            failed_action_recipients: Some(
                self.failed_action_recipients
                    .split(['\n', ',', ';'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            away_after_missed_offers: match &self.away_after_missed_offers {
                None => None,
                Some(raw) => Some(number("away_after_missed_offers", raw)?),
            },
            offer_attempts: match self.offer_attempts.as_deref().map(str::trim) {
                None => None,
                Some("") => Some(None),
                Some(raw) => Some(Some(number("offer_attempts", raw)?)),
            },
            widget_allowed_origins: self.security.as_ref().map(|_| {
                self.widget_allowed_origins
                    .split(['\n', ',', ' '])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            }),
            identity_verification: self
                .security
                .as_ref()
                .map(|_| self.identity_verification.is_some()),
            retention_days: match (&self.security, self.retention_days.trim()) {
                (None, _) => None,
                (Some(_), "") => Some(None),
                (Some(_), raw) => Some(Some(number("retention_days", raw)?)),
            },
            default_locale: self.default_locale.as_deref().map(|l| l.trim().to_owned()),
            ..SettingsChange::default()
        })
    }
}

fn number(field: &str, raw: &str) -> Result<i64, ServiceError> {
    raw.trim()
        .parse::<i64>()
        .map_err(|_| ValidationError::new(field, "must be a whole number").into())
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    form: SettingsForm,
    /// (field, label, current value)
    numbers: Vec<(&'static str, String, String)>,
    errors: FormErrors,
    recipients_error: String,
    origins_error: String,
    /// A new identity secret, shown on the page that made it only.
    new_secret: Option<String>,
    identity_secret_set: bool,
    /// Offer attempts can be set (prime plan).
    cascade: bool,
    /// The business-hours form (`week` is the name its template part uses).
    week: WeekForm,
    hours: HoursForm,
}

impl SettingsForm {
    /// The fallback message is still the built-in one (visitors read it in their language).
    fn fallback_built_in(&self) -> bool {
        self.global_fallback_message.trim()
            == switchboard_core::settings::DEFAULT_GLOBAL_FALLBACK_MESSAGE
    }
}

/// The business-hours form's other fields.
#[derive(Default)]
struct HoursForm {
    outside_hours_message: String,
    message_error: String,
    /// An error of the business-hours form not tied to one of its fields.
    general: String,
}

impl HoursForm {
    /// The outside-hours message is still the built-in one.
    fn message_built_in(&self) -> bool {
        self.outside_hours_message.trim()
            == switchboard_core::schedule::DEFAULT_OUTSIDE_HOURS_MESSAGE
    }
}

/// The business-hours form showing the settings `s`.
fn hours_of(s: &TenantSettings, ctx: &Ctx) -> (WeekForm, HoursForm) {
    (
        labelled(WeekForm::from_hours(s.business_hours.as_ref()), ctx),
        HoursForm {
            outside_hours_message: s.outside_hours_message.clone(),
            ..HoursForm::default()
        },
    )
}

fn labelled(week: WeekForm, ctx: &Ctx) -> WeekForm {
    let tx = ctx.tx();
    week.labelled(
        tx.t("settings-hours"),
        tx.t("settings-hours-off"),
        tx.t("settings-hours-on"),
    )
}

/// What the settings page shows beside the form: the plan, whether an identity secret was
/// made, a secret just made.
struct Shown {
    plan: Plan,
    identity_secret_set: bool,
    new_secret: Option<String>,
}

impl From<&switchboard_service::settings::SettingsView> for Shown {
    fn from(s: &switchboard_service::settings::SettingsView) -> Self {
        Self {
            plan: s.plan,
            identity_secret_set: s.identity_secret_set,
            new_secret: None,
        }
    }
}

fn settings_view(
    ctx: &Ctx,
    shown: Shown,
    form: SettingsForm,
    errors: FormErrors,
    notice_text: Option<String>,
    (week, hours): (WeekForm, HoursForm),
) -> Response {
    let tx = ctx.tx();
    let numbers = vec![
        (
            "accept_timeout_seconds",
            tx.t("settings-accept-timeout"),
            form.accept_timeout_seconds.clone(),
        ),
        (
            "max_chats_per_agent",
            tx.t("settings-max-chats"),
            form.max_chats_per_agent.clone(),
        ),
        (
            "idle_timeout_minutes",
            tx.t("settings-idle-timeout"),
            form.idle_timeout_minutes.clone(),
        ),
        (
            "away_after_missed_offers",
            tx.t("settings-away-after"),
            form.away_after_missed_offers.clone().unwrap_or_default(),
        ),
    ];
    // Recipient errors name an index (`failed_action_recipients[1]`); show them on the one box.
    let recipients_error = errors
        .first_with_prefix("failed_action_recipients")
        .to_owned();
    let origins_error = errors
        .first_with_prefix("widget_allowed_origins")
        .to_owned();
    let mut l = layout(ctx, &tx.t("nav-settings"), "settings");
    l.notice = notice_text;
    let hours_ok = hours.general.is_empty()
        && hours.message_error.is_empty()
        && week.timezone_error.is_empty()
        && week.holidays_error.is_empty()
        && week.days.iter().all(|d| d.error.is_empty());
    let status = pages::form_status(errors.is_empty() && hours_ok);
    pages::render(
        &SettingsPage {
            layout: l,
            form,
            numbers,
            errors,
            recipients_error,
            origins_error,
            new_secret: shown.new_secret,
            identity_secret_set: shown.identity_secret_set,
            cascade: shown.plan == Plan::Prime,
            week,
            hours,
        },
        status,
    )
}

#[handler]
async fn settings_page(
    Query(q): Query<PageQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    match svc.settings(&ctx.principal).await {
        Ok(s) => settings_view(
            &ctx,
            (&s).into(),
            SettingsForm::from_settings(&s.settings),
            FormErrors::default(),
            q.notice(&ctx),
            hours_of(&s.settings, &ctx),
        ),
        Err(e) => error_page(&ctx, e),
    }
}

#[handler]
async fn save_settings(
    AdminSession(ctx): AdminSession,
    CsrfForm(mut form): CsrfForm<SettingsForm>,
    svc: Data<&Service>,
) -> Response {
    let current = match svc.settings(&ctx.principal).await {
        Ok(s) => s,
        Err(e) => return error_page(&ctx, e),
    };
    if current.plan == Plan::Select {
        form.offer_attempts = None;
    }
    let result = match form.change() {
        Ok(change) => svc.update_settings(&ctx.principal, change).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see_other("/console/settings?notice=settings-saved"),
        Err(e) => settings_view(
            &ctx,
            (&current).into(),
            form,
            FormErrors::from_service(e, ctx.tx()),
            None,
            hours_of(&current.settings, &ctx),
        ),
    }
}

/// The business-hours form: all of it or nothing, errors beside their field.
#[handler]
async fn save_business_hours(
    AdminSession(ctx): AdminSession,
    CsrfForm(fields): CsrfForm<HashMap<String, String>>,
    svc: Data<&Service>,
) -> Response {
    let mut week = labelled(WeekForm::from_fields(&fields), &ctx);
    let mut hours = HoursForm {
        outside_hours_message: fields
            .get("outside_hours_message")
            .cloned()
            .unwrap_or_default(),
        ..HoursForm::default()
    };
    let (input, cells) = week.input();
    let change = SettingsChange {
        business_hours: Some(input),
        outside_hours_message: Some(hours.outside_hours_message.clone()),
        ..SettingsChange::default()
    };
    let current = match svc.update_settings(&ctx.principal, change).await {
        Ok(_) => return see_other("/console/settings?notice=hours-saved"),
        Err(ServiceError::Validation(v)) => {
            if v.field == "outside_hours_message" {
                hours.message_error = format!("The message {}.", v.message);
            } else if !week.place_error("business_hours", &cells, &v) {
                hours.general = v.to_string();
            }
            svc.settings(&ctx.principal).await
        }
        Err(e) => return error_page(&ctx, e),
    };
    match current {
        Ok(s) => settings_view(
            &ctx,
            (&s).into(),
            SettingsForm::from_settings(&s.settings),
            FormErrors::default(),
            None,
            (week, hours),
        ),
        Err(e) => error_page(&ctx, e),
    }
}
