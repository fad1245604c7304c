//! `/console/users`: the tenant's users, the form that adds (or invites) one, and the
//! live-chat permission granted or revoked from the list.

use askama::Template;
use poem::web::{Data, Path, Query};
use poem::{Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_core::UserId;
use switchboard_core::page::PageRequest;
use switchboard_service::Service;
use switchboard_service::users::NewUserInput;
use uuid::Uuid;

use crate::confirm_step::{self, Ask, confirmed};
use crate::forms::FormErrors;
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::{self, Layout, see_other};
use crate::session::Ctx;
use crate::shared::{PageQuery, error_page, layout, not_found, parse_id};

pub(crate) fn add_routes(routes: Route) -> Route {
    routes
        .at("/users", get(users_page).post(create_user))
        .at("/users/:id/live-chat-permission", post(set_permission))
}

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

impl Default for NewUserValues {
    /// The add-user form as it first shows: an agent who may chat.
    fn default() -> Self {
        Self {
            email: String::new(),
            display_name: String::new(),
            role: "agent".into(),
            live_chat: true,
        }
    }
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

/// What the users page shows besides the list.
#[derive(Default)]
struct Shown {
    /// The add-user form's values and errors.
    errors: FormErrors,
    form: NewUserValues,
    notice: Option<String>,
    /// The invitation link of a user just invited: shown once, here.
    invitation_url: Option<String>,
}

impl Shown {
    fn error(errors: FormErrors) -> Self {
        Self {
            errors,
            ..Self::default()
        }
    }
}

/// The users page at `page` of the list.
async fn users_view(svc: &Service, ctx: &Ctx, page: PageRequest, shown: Shown) -> Response {
    let list = match svc.list_users(&ctx.principal, page).await {
        Ok(l) => l,
        Err(e) => return error_page(ctx, e),
    };
    let status = pages::form_status(shown.errors.is_empty());
    let mut l = layout(ctx, &ctx.tx().t("nav-users"), "users");
    l.notice = shown.notice;
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
            errors: shown.errors,
            form: shown.form,
            invitation_url: shown.invitation_url,
        },
        status,
    )
}

#[handler]
async fn users_page(
    Query(q): Query<PageQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    let shown = Shown {
        notice: q.notice(&ctx),
        ..Shown::default()
    };
    users_view(&svc, &ctx, q.page(), shown).await
}

#[handler]
async fn create_user(
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<NewUserForm>,
    svc: Data<&Service>,
) -> Response {
    let live_chat = form.live_chat.as_deref() == Some("true");
    let password = Some(form.password.as_str()).filter(|p| !p.is_empty());
    let created = svc
        .create_user(
            &ctx.principal,
            NewUserInput {
                email: &form.email,
                display_name: &form.display_name,
                role: &form.role,
                password,
                live_chat_permission: live_chat,
            },
        )
        .await;
    let shown = match created {
        Ok(created) => match created.invitation_url {
            // The invitation link is shown once, on this page: no redirect.
            Some(url) => Shown {
                notice: Some(ctx.tx().t("users-invited")),
                invitation_url: Some(url),
                ..Shown::default()
            },
            None => return see_other("/console/users?notice=user-created"),
        },
        Err(e) => Shown {
            form: NewUserValues {
                email: form.email,
                display_name: form.display_name,
                role: form.role,
                live_chat,
            },
            ..Shown::error(FormErrors::from_service(e, ctx.tx()))
        },
    };
    users_view(&svc, &ctx, PageRequest::first(), shown).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PermissionForm {
    grant: String,
    /// `yes` once a revocation is confirmed.
    confirm: Option<String>,
}

#[handler]
async fn set_permission(
    Path(id): Path<String>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<PermissionForm>,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return not_found(&ctx);
    };
    let grant = match form.grant.as_str() {
        "true" => true,
        "false" => false,
        _ => {
            let errors = FormErrors::general(ctx.tx().t("users-choose-grant"));
            return users_view(&svc, &ctx, PageRequest::first(), Shown::error(errors)).await;
        }
    };
    if !grant && !confirmed(form.confirm.as_deref()) {
        // Revoking is asked first: the agent stops being offered chats.
        let tx = ctx.tx();
        let name = match svc.get_user(&ctx.principal, UserId::from_uuid(id)).await {
            Ok(v) => v.user.display_name,
            Err(e) => return error_page(&ctx, e),
        };
        return confirm_step::ask(
            &ctx,
            "users",
            Ask {
                question: tx.t1("users-revoke-question", "name", &name),
                detail: tx.t("users-revoke-detail"),
                button: tx.t("users-revoke-button"),
                action: format!("/console/users/{id}/live-chat-permission"),
                fields: vec![("grant".into(), "false".into())],
                back: "/console/users".into(),
            },
        );
    }
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
            let errors = FormErrors::from_service(e, ctx.tx());
            users_view(&svc, &ctx, PageRequest::first(), Shown::error(errors)).await
        }
    }
}
