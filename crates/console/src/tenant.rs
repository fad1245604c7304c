//! `/console`: a tenant admin's pages — login, dashboard, users and the live-chat permission,
//! teams and members, settings, and the invitation page for invited users.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query};
use poem::{IntoResponse, Request, Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_core::page::PageRequest;
use switchboard_core::settings::{SettingsChange, TenantSettings};
use switchboard_core::{TeamId, UserId};
use switchboard_service::{Principal, Service, ServiceError};
use uuid::Uuid;

use crate::forms::FormErrors;
use crate::pages::{self, Layout, csrf_refused, invalid, notice, ok, see_other};
use crate::session::{self, Ctx};

pub fn routes() -> Route {
    Route::new()
        .at("/", get(dashboard))
        .at("/login", get(login_page).post(login))
        .at("/logout", post(logout))
        .at("/users", get(users_page).post(create_user))
        .at("/users/:id/live-chat-permission", post(set_permission))
        .at("/teams", get(teams_page).post(create_team))
        .at("/teams/:id/members", post(add_member))
        .at("/teams/:id/members/:user_id/remove", post(remove_member))
        .at("/teams/:id/delete", post(delete_team))
        .at("/settings", get(settings_page).post(save_settings))
        .at(
            "/invitation/:token",
            get(invitation_page).post(accept_invitation),
        )
}

/// The admin session, or the response to give instead: the login page for no session,
/// the inbox for a signed-in agent (the console is for admins).
pub(crate) async fn admin(req: &Request, svc: &Service) -> Result<Ctx, Response> {
    match session::load(req, svc).await {
        Some(ctx) if matches!(ctx.principal, Principal::User { .. }) => {
            if ctx.principal.admin_tenant().is_ok() {
                Ok(ctx)
            } else {
                // Agents work in the inbox; the console is for admins.
                Err(see_other("/inbox"))
            }
        }
        _ => Err(see_other("/console/login")),
    }
}

/// The session of a changing form: signed in as expected, and the form's CSRF token is the
/// session's. Otherwise the response to give instead (nothing is changed).
pub(crate) async fn admin_form(
    req: &Request,
    svc: &Service,
    csrf: &str,
    back: &str,
) -> Result<Ctx, Response> {
    let ctx = admin(req, svc).await?;
    if !ctx.csrf_ok(csrf) {
        return Err(csrf_refused(back));
    }
    Ok(ctx)
}

pub(crate) fn layout(ctx: &Ctx, title: &str, section: &'static str) -> Layout {
    Layout {
        title: title.to_owned(),
        nav: "console",
        section,
        csrf: ctx.csrf.clone(),
        who: ctx.email().to_owned(),
        notice: None,
    }
}

fn anonymous(title: &str) -> Layout {
    Layout {
        title: title.to_owned(),
        nav: "none",
        section: "",
        csrf: String::new(),
        who: String::new(),
        notice: None,
    }
}

#[derive(Deserialize, Default)]
struct NoticeQuery {
    notice: Option<String>,
    cursor: Option<String>,
}

// ---------------------------------------------------------------- login

#[derive(Template)]
#[template(path = "login.html")]
pub(crate) struct LoginPage {
    pub layout: Layout,
    pub heading: &'static str,
    pub action: &'static str,
    pub with_tenant: bool,
    pub tenant: String,
    pub email: String,
    pub error: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct LoginForm {
    pub tenant: String,
    pub email: String,
    pub password: String,
}

#[handler]
async fn login_page(Query(q): Query<NoticeQuery>) -> Response {
    let mut layout = anonymous("Log in");
    layout.notice = notice(q.notice.as_deref());
    ok(&LoginPage {
        layout,
        heading: "Log in to your workspace",
        action: "/console/login",
        with_tenant: true,
        tenant: String::new(),
        email: String::new(),
        error: String::new(),
    })
}

/// Logs in and sets the session cookie; shared by the platform console (`tenant: None`).
pub(crate) async fn do_login(
    svc: &Service,
    tenant: Option<&str>,
    form: &LoginForm,
    home: &str,
) -> Result<Response, String> {
    match svc.console_login(tenant, &form.email, &form.password).await {
        Ok((session, _)) => Ok(see_other(home)
            .with_header(
                poem::http::header::SET_COOKIE,
                session::set_cookie(&session.token, svc.public_url().starts_with("https://")),
            )
            .into_response()),
        Err(ServiceError::Unauthorized(m)) => Err(capitalized(m)),
        Err(e) => {
            tracing::error!(error = %e, "console login");
            Err("Something went wrong on our side; please try again.".into())
        }
    }
}

fn capitalized(m: &str) -> String {
    let mut c = m.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[handler]
async fn login(svc: Data<&Service>, Form(form): Form<LoginForm>) -> Response {
    match do_login(&svc, Some(form.tenant.trim()), &form, "/console").await {
        Ok(resp) => resp,
        Err(error) => invalid(&LoginPage {
            layout: anonymous("Log in"),
            heading: "Log in to your workspace",
            action: "/console/login",
            with_tenant: true,
            tenant: form.tenant.clone(),
            email: form.email.clone(),
            error,
        }),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct CsrfForm {
    pub csrf: String,
}

/// Ends the session (CSRF-checked, so another site cannot log an admin out).
pub(crate) async fn do_logout(
    req: &Request,
    svc: &Service,
    csrf: &str,
    login_path: &str,
) -> Response {
    if let Some(ctx) = session::load(req, svc).await {
        if !ctx.csrf_ok(csrf) {
            return csrf_refused(login_path);
        }
        if let Err(e) = svc.console_logout(&ctx.token).await {
            tracing::error!(error = %e, "console logout");
        }
    }
    see_other(login_path)
        .with_header(poem::http::header::SET_COOKIE, session::clear_cookie())
        .into_response()
}

#[handler]
async fn logout(req: &Request, svc: Data<&Service>, Form(form): Form<CsrfForm>) -> Response {
    do_logout(req, &svc, &form.csrf, "/console/login").await
}

// ---------------------------------------------------------------- dashboard

/// The tag a tenant puts on its site to show the widget.
pub(crate) fn widget_snippet(public_url: &str, widget_key: &str) -> String {
    format!(r#"<script src="{public_url}/widget.js" data-key="{widget_key}" async></script>"#)
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    tenant_name: String,
    plan: String,
    used: i64,
    limit: Option<i64>,
    /// Percentage of the limit used (0 when unlimited).
    percent: i64,
    /// `""`, `warn` (80 % or more) or `full` (100 %).
    level: &'static str,
    agents: u64,
    activity: switchboard_service::settings::Activity,
    /// The newest failed chats: `(conversation id, when, visitor, reason)`.
    failed: Vec<(Uuid, String, String, String)>,
    /// The widget's `<script>` tag, to copy into the tenant's site.
    snippet: String,
    widget_key: String,
}

#[handler]
async fn dashboard(req: &Request, svc: Data<&Service>) -> Response {
    let ctx = match admin(req, &svc).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (usage, tenant, activity, failed) = match (
        svc.usage(&ctx.principal).await,
        svc.own_tenant(&ctx.principal).await,
        svc.activity(&ctx.principal).await,
        svc.failed_actions(
            &ctx.principal,
            PageRequest {
                limit: 5,
                after: None,
            },
        )
        .await,
    ) {
        (Ok(u), Ok(t), Ok(a), Ok(f)) => (u, t, a, f),
        (Err(e), ..) | (_, Err(e), ..) | (.., Err(e), _) | (.., Err(e)) => {
            return error_page(&ctx, e);
        }
    };
    let percent = usage
        .engagement_limit
        .filter(|l| *l > 0)
        .map(|l| (usage.engagements_used.saturating_mul(100) / l).min(100))
        .unwrap_or(0);
    let level = match percent {
        100.. => "full",
        80.. => "warn",
        _ => "",
    };
    ok(&DashboardPage {
        layout: layout(&ctx, "Dashboard", "dashboard"),
        tenant_name: tenant.name,
        plan: usage.plan,
        used: usage.engagements_used,
        limit: usage.engagement_limit,
        percent,
        level,
        agents: usage.agents,
        activity,
        failed: failed
            .items
            .into_iter()
            .map(|f| {
                (
                    f.conversation.id,
                    f.conversation
                        .updated_at
                        .format("%Y-%m-%d %H:%M UTC")
                        .to_string(),
                    crate::conversations::visitor_name(&f.conversation.visitor),
                    crate::conversations::reason_words(f.reason),
                )
            })
            .collect(),
        snippet: widget_snippet(svc.public_url(), &tenant.widget_key),
        widget_key: tenant.widget_key,
    })
}

pub(crate) fn error_page(ctx: &Ctx, err: ServiceError) -> Response {
    let errors = FormErrors::from_service(err);
    pages::render(
        &pages::MessagePage {
            layout: layout(ctx, "Error", ""),
            heading: "That did not work".into(),
            message: errors.general.unwrap_or_else(|| "Please try again.".into()),
            back: "/console".into(),
        },
        StatusCode::NOT_FOUND,
    )
}

// ---------------------------------------------------------------- users

struct UserRow {
    id: Uuid,
    display_name: String,
    email: String,
    role: String,
    active: bool,
    has_password: bool,
    live_chat_permission: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewUserForm {
    csrf: String,
    email: String,
    display_name: String,
    role: String,
    password: String,
    live_chat: Option<String>,
}

struct NewUserValues {
    email: String,
    display_name: String,
    role: String,
    live_chat: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<UserRow>,
    next_cursor: Option<String>,
    errors: FormErrors,
    form: NewUserValues,
    invitation_url: Option<String>,
}

/// The users page: the list, the add-user form (with `form` values and `errors`), an optional
/// notice, and the invitation link of a user just invited (shown once, here).
async fn users_view(
    svc: &Service,
    ctx: &Ctx,
    cursor: Option<&str>,
    errors: FormErrors,
    form: NewUserValues,
    notice_text: Option<String>,
    invitation_url: Option<String>,
) -> Response {
    let page = PageRequest::parse(None, cursor).unwrap_or_else(|_| PageRequest::first());
    let list = match svc.list_users(&ctx.principal, page).await {
        Ok(l) => l,
        Err(e) => return error_page(ctx, e),
    };
    let status = crate::pages::form_status(errors.is_empty());
    let mut l = layout(ctx, "Users", "users");
    l.notice = notice_text;
    pages::render(
        &UsersPage {
            layout: l,
            users: list
                .items
                .into_iter()
                .map(|v| UserRow {
                    id: v.user.id,
                    display_name: v.user.display_name,
                    email: v.user.email,
                    role: v.user.role,
                    active: v.user.active,
                    has_password: v.user.has_password,
                    live_chat_permission: v.user.live_chat_permission,
                })
                .collect(),
            next_cursor: list.next_cursor.map(|c| c.to_string()),
            errors,
            form,
            invitation_url,
        },
        status,
    )
}

fn empty_user_form() -> NewUserValues {
    NewUserValues {
        email: String::new(),
        display_name: String::new(),
        role: "agent".into(),
        live_chat: true,
    }
}

#[handler]
async fn users_page(req: &Request, svc: Data<&Service>, Query(q): Query<NoticeQuery>) -> Response {
    match admin(req, &svc).await {
        Ok(ctx) => {
            let notice_text = notice(q.notice.as_deref());
            users_view(
                &svc,
                &ctx,
                q.cursor.as_deref(),
                FormErrors::default(),
                empty_user_form(),
                notice_text,
                None,
            )
            .await
        }
        Err(r) => r,
    }
}

#[handler]
async fn create_user(
    req: &Request,
    svc: Data<&Service>,
    Form(form): Form<NewUserForm>,
) -> Response {
    let ctx = match admin_form(req, &svc, &form.csrf, "/console/users").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let live_chat = form.live_chat.as_deref() == Some("true");
    let password = Some(form.password.as_str()).filter(|p| !p.is_empty());
    let created = svc
        .create_user(
            &ctx.principal,
            switchboard_service::users::NewUserInput {
                email: &form.email,
                display_name: &form.display_name,
                role: &form.role,
                password,
                live_chat_permission: live_chat,
            },
        )
        .await;
    let values = NewUserValues {
        email: form.email.clone(),
        display_name: form.display_name.clone(),
        role: form.role.clone(),
        live_chat,
    };
    match created {
        Ok(created) => {
            match created.invitation_url {
                // The invitation link is shown once, on this page: no redirect.
                Some(url) => {
                    let notice_text = Some("User invited.".to_owned());
                    users_view(
                        &svc,
                        &ctx,
                        None,
                        FormErrors::default(),
                        empty_user_form(),
                        notice_text,
                        Some(url),
                    )
                    .await
                }
                None => see_other("/console/users?notice=created"),
            }
        }
        Err(e) => {
            users_view(
                &svc,
                &ctx,
                None,
                FormErrors::from_service(e),
                values,
                None,
                None,
            )
            .await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PermissionForm {
    csrf: String,
    grant: String,
}

#[handler]
async fn set_permission(
    req: &Request,
    svc: Data<&Service>,
    Path(id): Path<String>,
    Form(form): Form<PermissionForm>,
) -> Response {
    let ctx = match admin_form(req, &svc, &form.csrf, "/console/users").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Ok(id) = id.parse::<Uuid>() else {
        return error_page(&ctx, ServiceError::NotFound);
    };
    let grant = match form.grant.as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return users_view(
                &svc,
                &ctx,
                None,
                FormErrors::general("Choose to grant or revoke."),
                empty_user_form(),
                None,
                None,
            )
            .await;
        }
    };
    match svc
        .set_live_chat_permission(&ctx.principal, UserId::from_uuid(id), grant)
        .await
    {
        Ok(_) => see_other(if grant {
            "/console/users?notice=granted"
        } else {
            "/console/users?notice=revoked"
        }),
        Err(e) => {
            users_view(
                &svc,
                &ctx,
                None,
                FormErrors::from_service(e),
                empty_user_form(),
                None,
                None,
            )
            .await
        }
    }
}

// ---------------------------------------------------------------- teams

struct TeamRow {
    id: Uuid,
    name: String,
    /// (user id, display name)
    members: Vec<(Uuid, String)>,
}

#[derive(Template)]
#[template(path = "teams.html")]
struct TeamsPage {
    layout: Layout,
    teams: Vec<TeamRow>,
    /// Every user, to pick members from: (id, "name <email>").
    users: Vec<(Uuid, String)>,
    errors: FormErrors,
    name: String,
}

async fn teams_view(
    svc: &Service,
    ctx: &Ctx,
    errors: FormErrors,
    name: String,
    notice_text: Option<String>,
) -> Response {
    let teams = match svc
        .list_teams(
            &ctx.principal,
            PageRequest::parse(Some(200), None).unwrap_or_else(|_| PageRequest::first()),
        )
        .await
    {
        Ok(t) => t,
        Err(e) => return error_page(ctx, e),
    };
    let users = match svc
        .list_users(
            &ctx.principal,
            PageRequest::parse(Some(200), None).unwrap_or_else(|_| PageRequest::first()),
        )
        .await
    {
        Ok(u) => u,
        Err(e) => return error_page(ctx, e),
    };
    let names: std::collections::HashMap<Uuid, String> = users
        .items
        .iter()
        .map(|v| (v.user.id, v.user.display_name.clone()))
        .collect();
    let status = crate::pages::form_status(errors.is_empty());
    let mut l = layout(ctx, "Teams", "teams");
    l.notice = notice_text;
    pages::render(
        &TeamsPage {
            layout: l,
            teams: teams
                .items
                .into_iter()
                .map(|t| TeamRow {
                    id: t.team.id,
                    name: t.team.name,
                    members: t
                        .members
                        .iter()
                        .map(|m| (*m, names.get(m).cloned().unwrap_or_else(|| m.to_string())))
                        .collect(),
                })
                .collect(),
            users: users
                .items
                .into_iter()
                .map(|v| {
                    (
                        v.user.id,
                        format!("{} <{}>", v.user.display_name, v.user.email),
                    )
                })
                .collect(),
            errors,
            name,
        },
        status,
    )
}

#[handler]
async fn teams_page(req: &Request, svc: Data<&Service>, Query(q): Query<NoticeQuery>) -> Response {
    match admin(req, &svc).await {
        Ok(ctx) => {
            teams_view(
                &svc,
                &ctx,
                FormErrors::default(),
                String::new(),
                notice(q.notice.as_deref()),
            )
            .await
        }
        Err(r) => r,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TeamForm {
    csrf: String,
    name: String,
}

#[handler]
async fn create_team(req: &Request, svc: Data<&Service>, Form(form): Form<TeamForm>) -> Response {
    let ctx = match admin_form(req, &svc, &form.csrf, "/console/teams").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match svc.create_team(&ctx.principal, &form.name).await {
        Ok(_) => see_other("/console/teams?notice=created"),
        Err(e) => teams_view(&svc, &ctx, FormErrors::from_service(e), form.name, None).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MemberForm {
    csrf: String,
    user_id: String,
}

async fn change_member(
    req: &Request,
    svc: &Service,
    team: &str,
    user: &str,
    csrf: &str,
    add: bool,
) -> Response {
    let ctx = match admin_form(req, svc, csrf, "/console/teams").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (Ok(team), Ok(user)) = (team.parse::<Uuid>(), user.parse::<Uuid>()) else {
        return teams_view(
            svc,
            &ctx,
            FormErrors::general("Choose a user to add."),
            String::new(),
            None,
        )
        .await;
    };
    match svc
        .set_team_member(
            &ctx.principal,
            TeamId::from_uuid(team),
            UserId::from_uuid(user),
            add,
        )
        .await
    {
        Ok(_) => see_other(if add {
            "/console/teams?notice=member-added"
        } else {
            "/console/teams?notice=member-removed"
        }),
        Err(e) => teams_view(svc, &ctx, FormErrors::from_service(e), String::new(), None).await,
    }
}

#[handler]
async fn add_member(
    req: &Request,
    svc: Data<&Service>,
    Path(team): Path<String>,
    Form(form): Form<MemberForm>,
) -> Response {
    change_member(req, &svc, &team, &form.user_id, &form.csrf, true).await
}

#[handler]
async fn remove_member(
    req: &Request,
    svc: Data<&Service>,
    Path((team, user)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Response {
    change_member(req, &svc, &team, &user, &form.csrf, false).await
}

#[handler]
async fn delete_team(
    req: &Request,
    svc: Data<&Service>,
    Path(team): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let ctx = match admin_form(req, &svc, &form.csrf, "/console/teams").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Ok(team) = team.parse::<Uuid>() else {
        return error_page(&ctx, ServiceError::NotFound);
    };
    match svc
        .delete_team(&ctx.principal, TeamId::from_uuid(team))
        .await
    {
        Ok(()) => see_other("/console/teams?notice=deleted"),
        Err(e) => teams_view(&svc, &ctx, FormErrors::from_service(e), String::new(), None).await,
    }
}

// ---------------------------------------------------------------- settings

#[derive(Deserialize, Default)]
#[serde(default)]
struct SettingsForm {
    csrf: String,
    global_fallback_message: String,
    accept_timeout_seconds: String,
    max_chats_per_agent: String,
    idle_timeout_minutes: String,
    failed_action_recipients: String,
}

impl SettingsForm {
    fn from_settings(s: &TenantSettings) -> Self {
        Self {
            csrf: String::new(),
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
        }
    }
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    form: SettingsForm,
    /// (field, label, current value)
    numbers: Vec<(&'static str, &'static str, String)>,
    errors: FormErrors,
    recipients_error: String,
}

fn settings_view(
    ctx: &Ctx,
    form: SettingsForm,
    errors: FormErrors,
    notice_text: Option<String>,
) -> Response {
    let numbers = vec![
        (
            "accept_timeout_seconds",
            "Seconds an agent has to accept a chat (1–600)",
            form.accept_timeout_seconds.clone(),
        ),
        (
            "max_chats_per_agent",
            "Live chats per agent at once (1–100)",
            form.max_chats_per_agent.clone(),
        ),
        (
            "idle_timeout_minutes",
            "Minutes of silence before a chat ends (1–1440)",
            form.idle_timeout_minutes.clone(),
        ),
    ];
    // Recipient errors name an index (`failed_action_recipients[1]`); show them on the one box.
    let recipients_error = errors
        .first_with_prefix("failed_action_recipients")
        .to_owned();
    let mut l = layout(ctx, "Settings", "settings");
    l.notice = notice_text;
    let status = crate::pages::form_status(errors.is_empty());
    pages::render(
        &SettingsPage {
            layout: l,
            form,
            numbers,
            errors,
            recipients_error,
        },
        status,
    )
}

#[handler]
async fn settings_page(
    req: &Request,
    svc: Data<&Service>,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let ctx = match admin(req, &svc).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match svc.settings(&ctx.principal).await {
        Ok(s) => settings_view(
            &ctx,
            SettingsForm::from_settings(&s.settings),
            FormErrors::default(),
            notice(q.notice.as_deref()),
        ),
        Err(e) => error_page(&ctx, e),
    }
}

fn number(field: &str, raw: &str) -> Result<i64, ServiceError> {
    raw.trim()
        .parse::<i64>()
        .map_err(|_| switchboard_core::ValidationError::new(field, "must be a whole number").into())
}

#[handler]
async fn save_settings(
    req: &Request,
    svc: Data<&Service>,
    Form(form): Form<SettingsForm>,
) -> Response {
    let ctx = match admin_form(req, &svc, &form.csrf, "/console/settings").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let change = (|| -> Result<SettingsChange, ServiceError> {
        Ok(SettingsChange {
            global_fallback_message: Some(form.global_fallback_message.clone()),
            accept_timeout_seconds: Some(number(
                "accept_timeout_seconds",
                &form.accept_timeout_seconds,
            )?),
            max_chats_per_agent: Some(number("max_chats_per_agent", &form.max_chats_per_agent)?),
            idle_timeout_minutes: Some(number("idle_timeout_minutes", &form.idle_timeout_minutes)?),
            failed_action_recipients: Some(
                form.failed_action_recipients
                    .split(['\n', ',', ';'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
        })
    })();
    let result = match change {
        Ok(change) => svc.update_settings(&ctx.principal, change).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see_other("/console/settings?notice=saved"),
        Err(e) => settings_view(&ctx, form, FormErrors::from_service(e), None),
    }
}

// ---------------------------------------------------------------- invitations

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    layout: Layout,
    token: String,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InvitationForm {
    password: String,
}

fn invitation_gone() -> Response {
    pages::render(
        &pages::MessagePage {
            layout: anonymous("Invitation"),
            heading: "This invitation is not valid".into(),
            message: "It may have expired or been used already. Ask an admin of your workspace for a new one.".into(),
            back: "/console/login".into(),
        },
        StatusCode::NOT_FOUND,
    )
}

/// Invitation tokens are URL-safe base64; anything else is not one of ours.
fn plausible_token(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= 64
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[handler]
async fn invitation_page(svc: Data<&Service>, Path(token): Path<String>) -> Response {
    if !plausible_token(&token) {
        return invitation_gone();
    }
    match svc.invitation_is_valid(&token).await {
        Ok(true) => ok(&InvitationPage {
            layout: anonymous("Choose your password"),
            token,
            errors: FormErrors::default(),
        }),
        Ok(false) => invitation_gone(),
        Err(e) => {
            tracing::error!(error = %e, "reading an invitation");
            invitation_gone()
        }
    }
}

#[handler]
async fn accept_invitation(
    svc: Data<&Service>,
    Path(token): Path<String>,
    Form(form): Form<InvitationForm>,
) -> Response {
    if !plausible_token(&token) {
        return invitation_gone();
    }
    match svc.accept_invitation(&token, &form.password).await {
        Ok(_) => see_other("/console/login?notice=password-set"),
        Err(ServiceError::NotFound) => invitation_gone(),
        Err(e) => invalid(&InvitationPage {
            layout: anonymous("Choose your password"),
            token,
            errors: FormErrors::from_service(e),
        }),
    }
}
