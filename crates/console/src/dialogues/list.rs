//! `/console/dialogues`: the tenant's dialogues, where each stands (published, with
//! unpublished changes, not yet), and the form that creates one.

use askama::Template;
use poem::web::{Data, Query};
use poem::{Response, handler};
use switchboard_service::Service;
use switchboard_service::dialogues::DialogueInput;
use uuid::Uuid;

use super::designer::{DesignerQuery, state};
use super::forms::{Editable, NameForm};
use crate::forms::FormErrors;
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::{self, Layout, see_other};
use crate::session::Ctx;
use crate::shared::{error_page, everything, layout};

struct DialogueRow {
    id: Uuid,
    name: String,
    cards: usize,
    /// `draft`, `changes` or `published` (see the designer).
    state: &'static str,
    widget: bool,
}

#[derive(Template)]
#[template(path = "dialogues.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<DialogueRow>,
    errors: FormErrors,
    name: String,
}

async fn list_view(
    svc: &Service,
    ctx: &Ctx,
    errors: FormErrors,
    name: String,
    notice_text: Option<String>,
) -> Response {
    let list = match svc.list_dialogues(&ctx.principal, everything()).await {
        Ok(l) => l,
        Err(e) => return error_page(ctx, e),
    };
    let status = pages::form_status(errors.is_empty());
    let mut l = layout(ctx, &ctx.tx().t("nav-dialogues"), "dialogues");
    l.notice = notice_text;
    pages::render(
        &ListPage {
            layout: l,
            rows: list
                .items
                .into_iter()
                .map(|v| DialogueRow {
                    id: v.model.id,
                    name: v.model.name.clone(),
                    cards: v.draft.cards.len(),
                    state: state(&v),
                    widget: v.is_widget_dialogue,
                })
                .collect(),
            errors,
            name,
        },
        status,
    )
}

#[handler]
pub(super) async fn list_page(
    Query(q): Query<DesignerQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    list_view(
        &svc,
        &ctx,
        FormErrors::default(),
        String::new(),
        q.notice(ctx.tx()),
    )
    .await
}

#[handler]
pub(super) async fn create(
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<NameForm>,
    svc: Data<&Service>,
) -> Response {
    // A new dialogue starts with a greeting; the designer takes it from there.
    let first = Editable {
        id: "welcome".into(),
        kind: "message".into(),
        text: ctx.tx().t("dialogues-first-card"),
        ..Default::default()
    };
    let input = DialogueInput {
        name: form.name.clone(),
        cards: vec![first.to_write()],
    };
    match svc.create_dialogue(&ctx.principal, input).await {
        Ok(v) => see_other(&format!(
            "/console/dialogues/{}?notice=dialogue-created",
            v.model.id
        )),
        Err(e) => {
            list_view(
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
