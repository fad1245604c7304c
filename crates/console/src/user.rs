//! `/console/users/{id}`: one user's page — name, role, active or disabled, the profile
//! image visitors see, and their weekly schedule — each a form that works without
//! JavaScript. The image is uploaded as `multipart/form-data` and checked by the service
//! (PNG, JPEG or WebP, at most 1 MiB).

use std::collections::HashMap;

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Multipart, Path, Query};
use poem::{Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_core::UserId;
use switchboard_service::users::UserChange;
use switchboard_service::{Service, ServiceError};
use uuid::Uuid;

use crate::confirm_step::{self, Ask, confirmed};
use crate::forms::FormErrors;
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::{self, Layout, csrf_refused, see_other};
use crate::session::Ctx;
use crate::shared::{PageQuery, error_page, layout, not_found};
use crate::weekly::WeekForm;

/// Its routes, under `/console/users` beside the list's.
pub(crate) fn add_routes(routes: Route) -> Route {
    routes
        .at("/users/:id", get(page).post(save))
        .at("/users/:id/avatar", get(avatar).post(upload_avatar))
        .at("/users/:id/schedule", post(save_schedule))
}

#[derive(Template)]
#[template(path = "user.html")]
struct UserPage {
    layout: Layout,
    id: Uuid,
    email: String,
    display_name: String,
    role: String,
    active: bool,
    has_avatar: bool,
    errors: FormErrors,
    avatar_error: String,
    /// The schedule form (`week` is the name its template part uses).
    week: WeekForm,
    /// An error of the schedule form not tied to one of its fields.
    schedule_error: String,
}

fn labelled(week: WeekForm, ctx: &Ctx) -> WeekForm {
    let tx = ctx.tx();
    week.labelled(
        tx.t("user-schedule"),
        tx.t("user-schedule-off"),
        tx.t("user-schedule-on"),
    )
}

fn parse_id(raw: &str) -> Option<UserId> {
    crate::shared::parse_id(raw).map(UserId::from_uuid)
}

/// What the page shows beside the profile form: the avatar form's error, and the schedule
/// form as posted with its errors (`None`: as stored).
#[derive(Default)]
struct Others {
    avatar_error: String,
    schedule: Option<(WeekForm, String)>,
}

/// The page, with the values shown (`shown`: the form as posted, after an error).
async fn view(
    svc: &Service,
    ctx: &Ctx,
    id: UserId,
    shown: Option<&UserForm>,
    errors: FormErrors,
    others: Others,
    notice_text: Option<String>,
) -> Response {
    let v = match svc.get_user(&ctx.principal, id).await {
        Ok(v) => v,
        Err(e) => return error_page(ctx, e),
    };
    let (week, schedule_error) = match others.schedule {
        Some(shown) => shown,
        None => match svc.user_schedule(&ctx.principal, id).await {
            Ok(s) => (
                labelled(WeekForm::from_hours(s.as_ref()), ctx),
                String::new(),
            ),
            Err(e) => return error_page(ctx, e),
        },
    };
    let avatar_error = others.avatar_error;
    let schedule_ok = schedule_error.is_empty()
        && week.timezone_error.is_empty()
        && week.days.iter().all(|d| d.error.is_empty());
    let status =
        crate::pages::form_status(errors.is_empty() && avatar_error.is_empty() && schedule_ok);
    let mut l = layout(ctx, &v.user.display_name, "users");
    l.notice = notice_text;
    pages::render(
        &UserPage {
            layout: l,
            id: v.user.id,
            email: v.user.email,
            display_name: shown.map_or(v.user.display_name, |f| f.display_name.clone()),
            role: shown.map_or(v.user.role, |f| f.role.clone()),
            active: shown.map_or(v.user.active, |f| f.active.as_deref() == Some("true")),
            has_avatar: v.has_avatar,
            errors,
            avatar_error,
            week,
            schedule_error,
        },
        status,
    )
}

#[handler]
async fn page(
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return not_found(&ctx);
    };
    let errors = FormErrors::default();
    view(
        &svc,
        &ctx,
        id,
        None,
        errors,
        Others::default(),
        q.notice(&ctx),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UserForm {
    display_name: String,
    role: String,
    /// `true` when the box is ticked (absent otherwise, as browsers send checkboxes).
    active: Option<String>,
    /// `yes` once disabling the user is confirmed.
    confirm: Option<String>,
}

#[handler]
async fn save(
    Path(raw): Path<String>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<UserForm>,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&raw) else {
        return not_found(&ctx);
    };
    let active = form.active.as_deref() == Some("true");
    if !active && !confirmed(form.confirm.as_deref()) {
        // Disabling an active user is asked first: it signs them out.
        let current = match svc.get_user(&ctx.principal, id).await {
            Ok(v) => v.user,
            Err(e) => return error_page(&ctx, e),
        };
        if current.active {
            let tx = ctx.tx();
            return confirm_step::ask(
                &ctx,
                "users",
                Ask {
                    question: tx.t1("user-disable-question", "name", &current.display_name),
                    detail: tx.t("user-disable-detail"),
                    button: tx.t("user-disable-button"),
                    action: format!("/console/users/{raw}"),
                    fields: vec![
                        ("display_name".into(), form.display_name.clone()),
                        ("role".into(), form.role.clone()),
                    ],
                    back: format!("/console/users/{raw}"),
                },
            );
        }
    }
    let change = UserChange {
        email: None,
        display_name: Some(&form.display_name),
        role: Some(&form.role),
        password: None,
        active: Some(active),
        current_password: None,
    };
    match svc.update_user(&ctx.principal, id, change).await {
        Ok(_) => see_other(&format!("/console/users/{raw}?notice=user-saved")),
        Err(e) => {
            view(
                &svc,
                &ctx,
                id,
                Some(&form),
                FormErrors::from_service(e, ctx.tx()),
                Others::default(),
                None,
            )
            .await
        }
    }
}

/// The user's image, for the admin's page (the public one serves agents' only).
#[handler]
async fn avatar(
    Path(raw): Path<String>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&raw) else {
        return not_found(&ctx);
    };
    match svc.get_avatar(&ctx.principal, id).await {
        Ok(a) => Response::builder()
            .content_type(a.mime)
            .header("Cache-Control", "private, no-store")
            .header("X-Content-Type-Options", "nosniff")
            .body(a.bytes),
        Err(_) => StatusCode::NOT_FOUND.into(),
    }
}

/// Reads the upload form: its CSRF token and the file, or why it cannot be read (a message
/// id).
async fn read_upload(mut form: Multipart) -> Result<(String, Vec<u8>), &'static str> {
    let (mut csrf, mut file) = (String::new(), None);
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return Err("user-upload-unreadable"),
        };
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            // The whole request is capped at 1 MiB before it gets here (`limit_body`).
            Some("avatar") => match field.bytes().await {
                Ok(bytes) => file = Some(bytes),
                Err(_) => return Err("user-upload-unreadable"),
            },
            _ => {}
        }
    }
    match file {
        Some(f) if !f.is_empty() => Ok((csrf, f)),
        _ => Err("user-upload-choose"),
    }
}

/// A multipart form, so not a `CsrfForm`: the token is one of its fields, checked here once
/// the form is read. An unreadable form stores nothing and says why.
#[handler]
async fn upload_avatar(
    Path(raw): Path<String>,
    form: Multipart,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    let back = format!("/console/users/{raw}");
    let Some(id) = parse_id(&raw) else {
        return not_found(&ctx);
    };
    let upload = read_upload(form).await;
    let csrf_ok = match &upload {
        Ok((csrf, _)) => ctx.csrf_ok(csrf),
        Err(_) => true,
    };
    if !csrf_ok {
        return csrf_refused(&back, ctx.tx());
    }
    let message = match upload {
        Ok((_, bytes)) => match svc.put_avatar(&ctx.principal, id, bytes).await {
            Ok(()) => return see_other(&format!("{back}?notice=avatar-saved")),
            Err(ServiceError::Validation(v)) => format!("The image {}.", v.message),
            Err(e) => return error_page(&ctx, e),
        },
        Err(id) => ctx.tx().t(id),
    };
    let others = Others {
        avatar_error: message,
        ..Others::default()
    };
    view(&svc, &ctx, id, None, FormErrors::default(), others, None).await
}

/// The schedule form: all of it or nothing, errors beside their field.
#[handler]
async fn save_schedule(
    Path(raw): Path<String>,
    AdminSession(ctx): AdminSession,
    CsrfForm(fields): CsrfForm<HashMap<String, String>>,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&raw) else {
        return not_found(&ctx);
    };
    let mut week = labelled(WeekForm::from_fields(&fields), &ctx);
    let (input, cells) = week.input();
    let mut general = String::new();
    match svc.set_user_schedule(&ctx.principal, id, input).await {
        Ok(_) => return see_other(&format!("/console/users/{raw}?notice=schedule-saved")),
        Err(ServiceError::Validation(v)) => {
            if !week.place_error("", &cells, &v) {
                general = v.to_string();
            }
        }
        Err(e) => return error_page(&ctx, e),
    }
    let others = Others {
        schedule: Some((week, general)),
        ..Others::default()
    };
    view(&svc, &ctx, id, None, FormErrors::default(), others, None).await
}
