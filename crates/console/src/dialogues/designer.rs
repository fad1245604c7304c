//! `/console/dialogues/{id}`: the designer page — every card with its form, the add-card
//! form, a preview of the tree — and the forms about the whole dialogue: rename, publish,
//! delete. A refused change comes back here with the error on the card at fault.

use askama::Template;
use poem::web::{Data, Path, Query};
use poem::{Response, handler};
use switchboard_service::dialogues::{DialogueInput, DialogueView};
use switchboard_service::{Service, ServiceError};
use uuid::Uuid;

use super::forms::{Editable, KINDS, NameForm, NewCardForm, editable};
use crate::forms::FormErrors;
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::{self, Layout, see_other};
use crate::session::Ctx;
use crate::shared::{PageQuery, error_page, layout, not_found, parse_id, targets};

/// A card as the page shows it: its values, its error and warnings.
struct CardView {
    e: Editable,
    index: usize,
    error: String,
    warnings: Vec<String>,
    /// Shown after a refused change but not in the saved draft (a card being added): its
    /// forms would act on nothing, so it has none.
    unsaved: bool,
}

#[derive(Template)]
#[template(path = "dialogue.html")]
struct DesignerPage {
    layout: Layout,
    id: Uuid,
    name: String,
    published: bool,
    widget: bool,
    cards: Vec<CardView>,
    /// Every card id, for the "next" selects.
    ids: Vec<String>,
    /// `(value, label)` of the agents and teams a live-chat card may name.
    targets: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    /// Errors not tied to a card (the name, the publication).
    errors: FormErrors,
    /// The add-card form as posted, after an error.
    new_card: NewCardForm,
    /// `(value, label)` of what a new card may come after: a card, or a question's choice.
    after: Vec<(String, String)>,
    new_card_error: String,
    /// The card a refused change is at fault on (the page links to it).
    fault: Option<String>,
    /// The tree from the start card, for the preview: `(depth, line)`.
    preview: Vec<(usize, String)>,
}

/// What the page shows besides the saved draft.
#[derive(Default)]
pub(super) struct Shown {
    /// The cards after a refused change, instead of the draft's.
    pub cards: Option<Vec<Editable>>,
    /// Why the change was refused.
    pub error: Option<ServiceError>,
    /// The add-card form as posted.
    pub new_card: NewCardForm,
    pub notice: Option<String>,
}

impl Shown {
    pub fn error(error: ServiceError) -> Self {
        Self {
            error: Some(error),
            ..Self::default()
        }
    }
}

/// Which card an error's field names (`cards[3].next` → 3).
fn card_index(field: &str) -> Option<usize> {
    field
        .strip_prefix("cards[")?
        .split(']')
        .next()?
        .parse()
        .ok()
}

fn field_label(name: &str) -> &'static str {
    match name {
        "first_name" => "First name",
        "last_name" => "Last name",
        "email" => "Email",
        "job_title" => "Job title",
        "company" => "Company",
        _ => "Phone",
    }
}

/// The preview: the tree walked from the start, each card once.
fn preview(cards: &[Editable]) -> Vec<(usize, String)> {
    fn walk(
        cards: &[Editable],
        id: &str,
        depth: usize,
        seen: &mut Vec<String>,
        out: &mut Vec<(usize, String)>,
    ) {
        let Some(c) = cards.iter().find(|c| c.id == id) else {
            return;
        };
        if seen.contains(&c.id) || depth > 50 {
            out.push((depth, format!("↺ back to “{}”", c.id)));
            return;
        }
        seen.push(c.id.clone());
        let what = match c.kind.as_str() {
            "question" => format!("Bot asks: {}", c.text),
            "capture" => {
                let asked: Vec<_> = c
                    .fields
                    .iter()
                    .filter(|f| !f.1.is_empty())
                    .map(|f| field_label(f.0))
                    .collect();
                format!("Form: {}", asked.join(", "))
            }
            "live_chat" => "Hands the visitor to a live agent".to_owned(),
            _ => format!("Bot says: {}", c.text),
        };
        out.push((depth, what));
        if c.kind == "question" {
            for choice in &c.choices {
                out.push((depth + 1, format!("Visitor picks “{}”", choice.label)));
                walk(cards, &choice.next, depth + 2, seen, out);
            }
        } else {
            walk(cards, &c.next, depth, seen, out);
        }
    }
    let mut out = Vec::new();
    if let Some(first) = cards.first() {
        walk(cards, &first.id, 0, &mut Vec::new(), &mut out);
    }
    out
}

/// What a new card may come after: `(value, label)` of each card, or of each choice of a
/// question.
fn after_options(cards: &[Editable]) -> Vec<(String, String)> {
    cards
        .iter()
        .flat_map(|c| {
            if c.kind == "question" {
                c.choices
                    .iter()
                    .enumerate()
                    .map(|(j, ch)| {
                        (
                            format!("{}#{j}", c.id),
                            format!("{}, choice “{}”", c.id, ch.label),
                        )
                    })
                    .collect::<Vec<_>>()
            } else {
                vec![(c.id.clone(), c.id.clone())]
            }
        })
        .collect()
}

/// The designer page of `view`; 422 when `shown` carries an error.
pub(super) async fn designer_view(
    svc: &Service,
    ctx: &Ctx,
    view: DialogueView,
    shown: Shown,
) -> Response {
    let targets = match targets(svc, ctx).await {
        Ok((t, _)) => t,
        Err(e) => return error_page(ctx, e),
    };
    let cards = shown.cards.unwrap_or_else(|| editable(&view.draft));
    let failed = shown.error.is_some();
    let (mut errors, mut at_card, mut new_card_error) =
        (FormErrors::default(), None, String::new());
    match shown.error {
        Some(ServiceError::Validation(v)) => match card_index(&v.field) {
            Some(i) if i < cards.len() => at_card = Some((i, v.message.clone())),
            // The card being added is the last one.
            Some(_) => new_card_error = v.message.clone(),
            None => errors = FormErrors::from_service(ServiceError::Validation(v), ctx.tx()),
        },
        Some(e) => errors = FormErrors::from_service(e, ctx.tx()),
        None => {}
    }
    let views = cards
        .iter()
        .enumerate()
        .map(|(i, e)| CardView {
            e: e.clone(),
            index: i,
            error: at_card
                .as_ref()
                .filter(|(j, _)| *j == i)
                .map(|(_, m)| m.clone())
                .unwrap_or_default(),
            warnings: if failed {
                Vec::new()
            } else {
                view.warnings
                    .iter()
                    .filter(|w| w.card_id == e.id)
                    .map(|w| w.message.clone())
                    .collect()
            },
            unsaved: !view.draft.cards.iter().any(|c| c.id == e.id),
        })
        .collect();
    let fault = at_card.as_ref().map(|(i, _)| cards[*i].id.clone());
    if failed && errors.general.is_none() && fault.is_none() {
        errors.general = Some("Nothing was saved: correct the form marked below.".into());
    }
    let mut l = layout(ctx, &format!("Dialogue {}", view.model.name), "dialogues");
    l.notice = shown.notice;
    pages::render(
        &DesignerPage {
            layout: l,
            id: view.model.id,
            name: view.model.name.clone(),
            published: view.model.published_cards.is_some(),
            widget: view.is_widget_dialogue,
            ids: cards.iter().map(|c| c.id.clone()).collect(),
            after: after_options(&cards),
            preview: preview(&cards),
            cards: views,
            targets,
            kinds: KINDS.to_vec(),
            errors,
            new_card: shown.new_card,
            new_card_error,
            fault,
        },
        pages::form_status(!failed),
    )
}

#[handler]
pub(super) async fn designer(
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return not_found(&ctx);
    };
    match svc.get_dialogue(&ctx.principal, id).await {
        Ok(v) => {
            let shown = Shown {
                notice: q.notice(&ctx),
                ..Shown::default()
            };
            designer_view(&svc, &ctx, v, shown).await
        }
        Err(e) => error_page(&ctx, e),
    }
}

#[handler]
pub(super) async fn rename(
    Path(raw): Path<String>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<NameForm>,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&raw) else {
        return not_found(&ctx);
    };
    let view = match svc.get_dialogue(&ctx.principal, id).await {
        Ok(v) => v,
        Err(e) => return error_page(&ctx, e),
    };
    let input = DialogueInput {
        name: form.name,
        cards: editable(&view.draft)
            .iter()
            .map(Editable::to_write)
            .collect(),
    };
    match svc.replace_dialogue(&ctx.principal, id, input).await {
        Ok(_) => see_other(&format!("/console/dialogues/{raw}?notice=saved")),
        Err(e) => designer_view(&svc, &ctx, view, Shown::error(e)).await,
    }
}

#[handler]
pub(super) async fn publish(
    Path(raw): Path<String>,
    AdminSession(ctx): AdminSession,
    _: CsrfForm,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&raw) else {
        return not_found(&ctx);
    };
    match svc.publish_dialogue(&ctx.principal, id).await {
        Ok(_) => see_other(&format!("/console/dialogues/{raw}?notice=published")),
        Err(e) => match svc.get_dialogue(&ctx.principal, id).await {
            Ok(view) => designer_view(&svc, &ctx, view, Shown::error(e)).await,
            Err(e) => error_page(&ctx, e),
        },
    }
}

#[handler]
pub(super) async fn delete_dialogue(
    Path(raw): Path<String>,
    AdminSession(ctx): AdminSession,
    _: CsrfForm,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&raw) else {
        return not_found(&ctx);
    };
    match svc.delete_dialogue(&ctx.principal, id).await {
        Ok(()) => see_other("/console/dialogues?notice=deleted"),
        Err(e) => error_page(&ctx, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_field_names_its_card_by_index() {
        assert_eq!(card_index("cards[3].next"), Some(3));
        assert_eq!(card_index("cards[12].choices[0].next"), Some(12));
        assert_eq!(card_index("name"), None);
    }

    #[test]
    fn the_preview_walks_the_tree_from_the_start_once() {
        let mut ask = Editable::new("ask", "question", "Talk?");
        ask.choices[0].next = "bye".into();
        ask.choices[1].next = "ask".into();
        let mut welcome = Editable::new("welcome", "message", "Hi");
        welcome.next = "ask".into();
        let cards = [welcome, ask, Editable::new("bye", "message", "Bye")];
        let lines: Vec<_> = preview(&cards)
            .into_iter()
            .map(|(depth, line)| format!("{depth} {line}"))
            .collect();
        assert_eq!(
            lines,
            [
                "0 Bot says: Hi",
                "0 Bot asks: Talk?",
                "1 Visitor picks “Yes”",
                "2 Bot says: Bye",
                "1 Visitor picks “No”",
                "2 ↺ back to “ask”",
            ]
        );
    }
}
