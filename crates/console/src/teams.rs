//! `/console/teams`: the tenant's teams, each with its members (added and removed here),
//! the form that creates one, and deleting one.

use std::collections::HashMap;

use askama::Template;
use poem::web::{Data, Path, Query};
use poem::{Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_core::{TeamId, UserId};
use switchboard_service::Service;
use uuid::Uuid;

use crate::confirm_step::{self, Ask, Confirmed};
use crate::forms::FormErrors;
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::{self, Layout, see_other};
use crate::session::Ctx;
use crate::shared::{PageQuery, error_page, everything, layout, not_found, parse_id};

pub(crate) fn add_routes(routes: Route) -> Route {
    routes
        .at("/teams", get(teams_page).post(create_team))
        .at("/teams/:id/members", post(add_member))
        .at("/teams/:id/members/:user_id/remove", post(remove_member))
        .at("/teams/:id/delete", post(delete_team))
}

struct TeamRow {
    id: Uuid,
    name: String,
    /// (user id, display name)
    members: Vec<(Uuid, String)>,
    /// The users who may be added: everyone not yet a member, as (id, "name <email>").
    others: Vec<(Uuid, String)>,
}

#[derive(Template)]
#[template(path = "teams.html")]
struct TeamsPage {
    layout: Layout,
    teams: Vec<TeamRow>,
    errors: FormErrors,
    name: String,
}

/// The teams page; `name` and `errors` are the new-team form's.
async fn teams_view(
    svc: &Service,
    ctx: &Ctx,
    errors: FormErrors,
    name: String,
    notice_text: Option<String>,
) -> Response {
    let teams = match svc.list_teams(&ctx.principal, everything()).await {
        Ok(t) => t,
        Err(e) => return error_page(ctx, e),
    };
    let users = match svc.list_users(&ctx.principal, everything()).await {
        Ok(u) => u,
        Err(e) => return error_page(ctx, e),
    };
    let names: HashMap<Uuid, String> = users
        .items
        .iter()
        .map(|v| (v.user.id, v.user.display_name.clone()))
        .collect();
    let status = pages::form_status(errors.is_empty());
    let mut l = layout(ctx, &ctx.tx().t("nav-teams"), "teams");
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
                    others: users
                        .items
                        .iter()
                        .filter(|v| !t.members.contains(&v.user.id))
                        .map(|v| {
                            (
                                v.user.id,
                                format!("{} <{}>", v.user.display_name, v.user.email),
                            )
                        })
                        .collect(),
                })
                .collect(),
            errors,
            name,
        },
        status,
    )
}

/// The teams page after a refused change.
async fn refused(svc: &Service, ctx: &Ctx, errors: FormErrors) -> Response {
    teams_view(svc, ctx, errors, String::new(), None).await
}

#[handler]
async fn teams_page(
    Query(q): Query<PageQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    teams_view(
        &svc,
        &ctx,
        FormErrors::default(),
        String::new(),
        q.notice(&ctx),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TeamForm {
    name: String,
}

#[handler]
async fn create_team(
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<TeamForm>,
    svc: Data<&Service>,
) -> Response {
    match svc.create_team(&ctx.principal, &form.name).await {
        Ok(_) => see_other("/console/teams?notice=team-created"),
        Err(e) => {
            teams_view(
                &svc,
                &ctx,
                FormErrors::from_service(e, ctx.tx()),
                form.name,
                None,
            )
            .await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MemberForm {
    user_id: String,
}

/// The name of `team` and of `user` (empty when not asked), or why they cannot be read.
async fn names_of(
    svc: &Service,
    ctx: &Ctx,
    team: Uuid,
    user: Option<Uuid>,
) -> Result<(String, String), Response> {
    let team = match svc.get_team(&ctx.principal, TeamId::from_uuid(team)).await {
        Ok(t) => t.team.name,
        Err(e) => return Err(error_page(ctx, e)),
    };
    let user = match user {
        Some(u) => match svc.get_user(&ctx.principal, UserId::from_uuid(u)).await {
            Ok(v) => v.user.display_name,
            Err(e) => return Err(error_page(ctx, e)),
        },
        None => String::new(),
    };
    Ok((team, user))
}

/// Adds `user` to `team` or removes them.
async fn change_member(svc: &Service, ctx: &Ctx, team: &str, user: &str, add: bool) -> Response {
    let (Some(team), Some(user)) = (parse_id(team), parse_id(user)) else {
        return refused(
            svc,
            ctx,
            FormErrors::general(ctx.tx().t("teams-choose-user")),
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
            "/console/teams?notice=team-member-added"
        } else {
            "/console/teams?notice=team-member-removed"
        }),
        Err(e) => refused(svc, ctx, FormErrors::from_service(e, ctx.tx())).await,
    }
}

#[handler]
async fn add_member(
    Path(team): Path<String>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<MemberForm>,
    svc: Data<&Service>,
) -> Response {
    change_member(&svc, &ctx, &team, &form.user_id, true).await
}

/// Removing a member is asked first.
#[handler]
async fn remove_member(
    Path((team, user)): Path<(String, String)>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<Confirmed>,
    svc: Data<&Service>,
) -> Response {
    if !form.yes()
        && let (Some(team_id), Some(user_id)) = (parse_id(&team), parse_id(&user))
    {
        let (team_name, user_name) = match names_of(&svc, &ctx, team_id, Some(user_id)).await {
            Ok(n) => n,
            Err(page) => return page,
        };
        let tx = ctx.tx();
        return confirm_step::ask(
            &ctx,
            "teams",
            Ask {
                question: tx.t2(
                    "teams-remove-question",
                    "name",
                    &user_name,
                    "team",
                    &team_name,
                ),
                detail: tx.t("teams-remove-detail"),
                button: tx.t("teams-remove-button"),
                action: format!("/console/teams/{team_id}/members/{user_id}/remove"),
                fields: Vec::new(),
                back: "/console/teams".into(),
            },
        );
    }
    change_member(&svc, &ctx, &team, &user, false).await
}

/// Deleting a team is asked first.
#[handler]
async fn delete_team(
    Path(team): Path<String>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<Confirmed>,
    svc: Data<&Service>,
) -> Response {
    let Some(team) = parse_id(&team) else {
        return not_found(&ctx);
    };
    if !form.yes() {
        let (name, _) = match names_of(&svc, &ctx, team, None).await {
            Ok(n) => n,
            Err(page) => return page,
        };
        let tx = ctx.tx();
        return confirm_step::ask(
            &ctx,
            "teams",
            Ask {
                question: tx.t1("teams-delete-question", "team", &name),
                detail: tx.t("teams-delete-detail"),
                button: tx.t("teams-delete-button"),
                action: format!("/console/teams/{team}/delete"),
                fields: Vec::new(),
                back: "/console/teams".into(),
            },
        );
    }
    match svc
        .delete_team(&ctx.principal, TeamId::from_uuid(team))
        .await
    {
        Ok(()) => see_other("/console/teams?notice=team-deleted"),
        Err(e) => refused(&svc, &ctx, FormErrors::from_service(e, ctx.tx())).await,
    }
}
