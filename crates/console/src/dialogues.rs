//! `/console/dialogues`: the dialogue designer. A dialogue is a tree of cards; every change
//! here (add, edit, move, delete a card or a choice) is one plain form that works without
//! JavaScript. The designer reads the draft, applies the change, and saves the whole tree
//! through the service, which validates it in full: a refused change is shown on the card
//! at fault (the live-chat card must be the last of its branch) and nothing is saved.
//! Best-practice warnings are shown on their cards; publishing makes the widget run it.

use askama::Template;
use poem::web::{Data, Path, Query};
use poem::{Response, Route, get, handler, post};
use serde::Deserialize;
use switchboard_core::dialogue::{
    CardBody, CardInput, ChoiceInput, Dialogue, FieldInput, FieldName,
};
use switchboard_core::routing::RoutingMode;
use switchboard_service::dialogues::{CardWrite, DialogueInput, DialogueView, RoutingInput};
use switchboard_service::{Service, ServiceError};
use uuid::Uuid;

use crate::forms::FormErrors;
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::{self, Layout, see_other};
use crate::session::Ctx;
use crate::shared::{PageQuery, error_page, everything, layout, not_found, parse_id, targets};

pub fn routes() -> Route {
    Route::new()
        .at("/", get(list_page).post(create))
        .at("/:id", get(designer))
        .at("/:id/name", post(rename))
        .at("/:id/cards", post(add_card))
        .at("/:id/cards/:card/save", post(save_card))
        .at("/:id/cards/:card/move", post(move_card))
        .at("/:id/cards/:card/delete", post(delete_card))
        .at("/:id/cards/:card/choices", post(add_choice))
        .at(
            "/:id/cards/:card/choices/:index/delete",
            post(delete_choice),
        )
        .at("/:id/publish", post(publish))
        .at("/:id/delete", post(delete_dialogue))
}

const KINDS: [(&str, &str); 4] = [
    ("message", "Message"),
    ("question", "Question"),
    ("capture", "Capture (form)"),
    ("live_chat", "Live chat"),
];

// ------------------------------------------------------------------ the editable tree

/// A card as the designer edits it: every field a form may set, whatever the kind.
#[derive(Debug, Clone, Default)]
struct Editable {
    id: String,
    kind: String,
    text: String,
    next: String,
    /// `(label, next)`; the choice ids are kept in `choice_ids`.
    choices: Vec<(String, String)>,
    choice_ids: Vec<String>,
    /// Per field name: `""` (not asked), `ask` or `required`.
    fields: Vec<(&'static str, String)>,
    /// `round_robin`, `custom_rules`, `agent:<id>` or `team:<id>`.
    target: String,
    fallback_message: String,
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

impl Editable {
    fn from_card(card: &switchboard_core::dialogue::Card) -> Self {
        let mut e = Editable {
            id: card.id.clone(),
            kind: card.body.kind().to_owned(),
            fields: FieldName::ALL
                .iter()
                .map(|f| (f.as_str(), String::new()))
                .collect(),
            target: "round_robin".into(),
            ..Default::default()
        };
        match &card.body {
            CardBody::Message { text, next } => {
                e.text = text.clone();
                e.next = next.clone().unwrap_or_default();
            }
            CardBody::Question { text, choices } => {
                e.text = text.clone();
                e.choices = choices
                    .iter()
                    .map(|c| (c.label.clone(), c.next.clone().unwrap_or_default()))
                    .collect();
                e.choice_ids = choices.iter().map(|c| c.id.clone()).collect();
            }
            CardBody::Capture { text, fields, next } => {
                e.text = text.clone().unwrap_or_default();
                e.next = next.clone().unwrap_or_default();
                for f in fields {
                    if let Some(slot) = e.fields.iter_mut().find(|s| s.0 == f.name.as_str()) {
                        slot.1 = if f.required { "required" } else { "ask" }.into();
                    }
                }
            }
            CardBody::LiveChat {
                text,
                routing,
                fallback_message,
            } => {
                e.text = text.clone().unwrap_or_default();
                e.fallback_message = fallback_message.clone().unwrap_or_default();
                e.target = match routing {
                    RoutingMode::RoundRobin => "round_robin".into(),
                    RoutingMode::CustomRules => "custom_rules".into(),
                    RoutingMode::Agent { agent_id } => format!("agent:{agent_id}"),
                    RoutingMode::Team { team_id } => format!("team:{team_id}"),
                };
            }
        }
        e
    }

    fn to_write(&self) -> CardWrite {
        let text = |s: &str| Some(s.to_owned()).filter(|t| !t.trim().is_empty());
        let mut card = CardInput {
            id: self.id.clone(),
            kind: self.kind.clone(),
            text: text(&self.text),
            next: text(&self.next),
            ..Default::default()
        };
        let mut routing = None;
        match self.kind.as_str() {
            "question" => {
                card.next = None;
                card.choices = Some(
                    self.choices
                        .iter()
                        .enumerate()
                        .map(|(i, (label, next))| ChoiceInput {
                            id: self.choice_ids.get(i).cloned(),
                            label: label.clone(),
                            next: text(next),
                        })
                        .collect(),
                );
            }
            "capture" => {
                card.fields = Some(
                    self.fields
                        .iter()
                        .filter(|(_, how)| !how.is_empty())
                        .map(|(name, how)| FieldInput {
                            name: (*name).to_owned(),
                            required: how == "required",
                        })
                        .collect(),
                );
            }
            "live_chat" => {
                card.fallback_message = text(&self.fallback_message);
                let (mode, id) = self.target.split_once(':').unwrap_or((&self.target, ""));
                let id = id.parse::<Uuid>().ok();
                routing = Some(RoutingInput {
                    mode: mode.to_owned(),
                    agent_id: id.filter(|_| mode == "agent"),
                    team_id: id.filter(|_| mode == "team"),
                });
            }
            _ => {}
        }
        CardWrite { card, routing }
    }
}

fn editable(d: &Dialogue) -> Vec<Editable> {
    d.cards.iter().map(Editable::from_card).collect()
}

// ------------------------------------------------------------------ pages

struct DialogueRow {
    id: Uuid,
    name: String,
    cards: usize,
    published: bool,
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
    let status = crate::pages::form_status(errors.is_empty());
    let mut l = layout(ctx, "Dialogues", "dialogues");
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
                    published: v.model.published_cards.is_some(),
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
async fn list_page(
    Query(q): Query<PageQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    list_view(&svc, &ctx, FormErrors::default(), String::new(), q.notice()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NameForm {
    name: String,
}

#[handler]
async fn create(
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<NameForm>,
    svc: Data<&Service>,
) -> Response {
    // A new dialogue starts with a greeting; the designer takes it from there.
    let first = Editable {
        id: "welcome".into(),
        kind: "message".into(),
        text: "Hi! How can we help you today?".into(),
        ..Default::default()
    };
    let input = DialogueInput {
        name: form.name.clone(),
        cards: vec![first.to_write()],
    };
    match svc.create_dialogue(&ctx.principal, input).await {
        Ok(v) => see_other(&format!("/console/dialogues/{}?notice=created", v.model.id)),
        Err(e) => list_view(&svc, &ctx, FormErrors::from_service(e), form.name, None).await,
    }
}

/// A card as the page shows it: its values, its error and warnings, and the choices of
/// what may follow it.
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

/// Which card an error's field names (`cards[3].next` → 3).
fn card_index(field: &str) -> Option<usize> {
    field
        .strip_prefix("cards[")?
        .split(']')
        .next()?
        .parse()
        .ok()
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
            for (label, next) in &c.choices {
                out.push((depth + 1, format!("Visitor picks “{label}”")));
                walk(cards, next, depth + 2, seen, out);
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

#[allow(clippy::too_many_arguments)]
async fn designer_view(
    svc: &Service,
    ctx: &Ctx,
    view: DialogueView,
    shown: Option<Vec<Editable>>,
    error: Option<ServiceError>,
    new_card: NewCardForm,
    notice_text: Option<String>,
) -> Response {
    let targets = match targets(svc, ctx).await {
        Ok((t, _)) => t,
        Err(e) => return error_page(ctx, e),
    };
    let cards = shown.unwrap_or_else(|| editable(&view.draft));
    let failed = error.is_some();
    let (mut errors, mut at_card, mut new_card_error) =
        (FormErrors::default(), None, String::new());
    match error {
        Some(ServiceError::Validation(v)) => match card_index(&v.field) {
            Some(i) if i < cards.len() => at_card = Some((i, v.message.clone())),
            // The card being added is the last one.
            Some(_) => new_card_error = v.message.clone(),
            None => errors = FormErrors::from_service(ServiceError::Validation(v)),
        },
        Some(e) => errors = FormErrors::from_service(e),
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
    l.notice = notice_text;
    pages::render(
        &DesignerPage {
            layout: l,
            id: view.model.id,
            name: view.model.name.clone(),
            published: view.model.published_cards.is_some(),
            widget: view.is_widget_dialogue,
            ids: cards.iter().map(|c| c.id.clone()).collect(),
            after: cards
                .iter()
                .flat_map(|c| {
                    if c.kind == "question" {
                        c.choices
                            .iter()
                            .enumerate()
                            .map(|(j, ch)| {
                                (
                                    format!("{}#{j}", c.id),
                                    format!("{}, choice “{}”", c.id, ch.0),
                                )
                            })
                            .collect::<Vec<_>>()
                    } else {
                        vec![(c.id.clone(), c.id.clone())]
                    }
                })
                .collect(),
            preview: preview(&cards),
            cards: views,
            targets,
            kinds: KINDS.to_vec(),
            errors,
            new_card,
            new_card_error,
            fault,
        },
        crate::pages::form_status(!failed),
    )
}

#[handler]
async fn designer(
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
            designer_view(
                &svc,
                &ctx,
                v,
                None,
                None,
                NewCardForm::default(),
                q.notice(),
            )
            .await
        }
        Err(e) => error_page(&ctx, e),
    }
}

/// Applies `change` to the draft's cards and saves the whole tree; on a refusal the page
/// comes back with the changed cards and the error on the card at fault.
async fn change_cards(
    svc: &Service,
    ctx: &Ctx,
    raw_id: &str,
    new_card: NewCardForm,
    change: impl FnOnce(&mut Vec<Editable>) -> Result<(), ServiceError>,
) -> Response {
    let Some(id) = parse_id(raw_id) else {
        return not_found(ctx);
    };
    let view = match svc.get_dialogue(&ctx.principal, id).await {
        Ok(v) => v,
        Err(e) => return error_page(ctx, e),
    };
    let mut cards = editable(&view.draft);
    let outcome = match change(&mut cards) {
        Ok(()) => {
            let input = DialogueInput {
                name: view.model.name.clone(),
                cards: cards.iter().map(Editable::to_write).collect(),
            };
            svc.replace_dialogue(&ctx.principal, id, input)
                .await
                .map(|_| ())
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => see_other(&format!("/console/dialogues/{raw_id}?notice=saved")),
        Err(ServiceError::Validation(v)) => {
            designer_view(
                svc,
                ctx,
                view,
                Some(cards),
                Some(ServiceError::Validation(v)),
                new_card,
                None,
            )
            .await
        }
        Err(e) => designer_view(svc, ctx, view, None, Some(e), new_card, None).await,
    }
}

fn position(cards: &[Editable], id: &str) -> Result<usize, ServiceError> {
    cards
        .iter()
        .position(|c| c.id == id)
        .ok_or(ServiceError::NotFound)
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct NewCardForm {
    kind: String,
    card_id: String,
    text: String,
    /// What leads to it: `""` (nothing yet), `<card id>`, or `<card id>#<choice index>`.
    after: String,
}

#[handler]
async fn add_card(
    Path(id): Path<String>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<NewCardForm>,
    svc: Data<&Service>,
) -> Response {
    let shown = form.clone();
    change_cards(&svc, &ctx, &id, shown, move |cards| {
        let new = Editable {
            id: form.card_id.trim().to_owned(),
            kind: form.kind.clone(),
            text: form.text.clone(),
            fields: FieldName::ALL
                .iter()
                .map(|f| {
                    (
                        f.as_str(),
                        if matches!(f, FieldName::FirstName | FieldName::Email) {
                            "required".into()
                        } else {
                            String::new()
                        },
                    )
                })
                .collect(),
            target: "round_robin".into(),
            choices: if form.kind == "question" {
                vec![("Yes".into(), String::new()), ("No".into(), String::new())]
            } else {
                Vec::new()
            },
            ..Default::default()
        };
        if !form.after.is_empty() {
            let (parent, choice) = match form.after.split_once('#') {
                Some((p, c)) => (p, c.parse::<usize>().ok()),
                None => (form.after.as_str(), None),
            };
            let p = position(cards, parent)?;
            match choice {
                Some(c) if c < cards[p].choices.len() => cards[p].choices[c].1 = new.id.clone(),
                Some(_) => return Err(ServiceError::NotFound),
                None => cards[p].next = new.id.clone(),
            }
        }
        cards.push(new);
        Ok(())
    })
    .await
}

#[handler]
async fn save_card(
    Path((id, card)): Path<(String, String)>,
    AdminSession(ctx): AdminSession,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
    svc: Data<&Service>,
) -> Response {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    change_cards(&svc, &ctx, &id, NewCardForm::default(), move |cards| {
        let i = position(cards, &card)?;
        let c = &mut cards[i];
        if let Some(t) = get("text") {
            c.text = t;
        }
        if let Some(n) = get("next") {
            c.next = n;
        }
        for (j, choice) in c.choices.iter_mut().enumerate() {
            if let Some(l) = get(&format!("choice_{j}_label")) {
                choice.0 = l;
            }
            if let Some(n) = get(&format!("choice_{j}_next")) {
                choice.1 = n;
            }
        }
        if c.kind == "capture" {
            for f in c.fields.iter_mut() {
                f.1 = get(&format!("field_{}", f.0)).unwrap_or_default();
            }
        }
        if let Some(t) = get("target") {
            c.target = t;
        }
        if let Some(m) = get("fallback_message") {
            c.fallback_message = m;
        }
        Ok(())
    })
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MoveForm {
    direction: String,
}

#[handler]
async fn move_card(
    Path((id, card)): Path<(String, String)>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<MoveForm>,
    svc: Data<&Service>,
) -> Response {
    change_cards(&svc, &ctx, &id, NewCardForm::default(), move |cards| {
        let i = position(cards, &card)?;
        let j = match form.direction.as_str() {
            "up" if i > 0 => i - 1,
            "down" if i + 1 < cards.len() => i + 1,
            _ => return Ok(()),
        };
        cards.swap(i, j);
        Ok(())
    })
    .await
}

#[handler]
async fn delete_card(
    Path((id, card)): Path<(String, String)>,
    AdminSession(ctx): AdminSession,
    _: CsrfForm,
    svc: Data<&Service>,
) -> Response {
    change_cards(&svc, &ctx, &id, NewCardForm::default(), move |cards| {
        let i = position(cards, &card)?;
        cards.remove(i);
        // What led to it now leads nowhere (that branch ends).
        for c in cards.iter_mut() {
            if c.next == card {
                c.next.clear();
            }
            for choice in c.choices.iter_mut().filter(|ch| ch.1 == card) {
                choice.1.clear();
            }
        }
        Ok(())
    })
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ChoiceForm {
    label: String,
    next: String,
}

#[handler]
async fn add_choice(
    Path((id, card)): Path<(String, String)>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<ChoiceForm>,
    svc: Data<&Service>,
) -> Response {
    change_cards(&svc, &ctx, &id, NewCardForm::default(), move |cards| {
        let i = position(cards, &card)?;
        cards[i]
            .choices
            .push((form.label.clone(), form.next.clone()));
        Ok(())
    })
    .await
}

#[handler]
async fn delete_choice(
    Path((id, card, index)): Path<(String, String, usize)>,
    AdminSession(ctx): AdminSession,
    _: CsrfForm,
    svc: Data<&Service>,
) -> Response {
    change_cards(&svc, &ctx, &id, NewCardForm::default(), move |cards| {
        let i = position(cards, &card)?;
        if index >= cards[i].choices.len() {
            return Err(ServiceError::NotFound);
        }
        cards[i].choices.remove(index);
        if index < cards[i].choice_ids.len() {
            cards[i].choice_ids.remove(index);
        }
        Ok(())
    })
    .await
}

#[handler]
async fn rename(
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
        name: form.name.clone(),
        cards: editable(&view.draft)
            .iter()
            .map(Editable::to_write)
            .collect(),
    };
    match svc.replace_dialogue(&ctx.principal, id, input).await {
        Ok(_) => see_other(&format!("/console/dialogues/{raw}?notice=saved")),
        Err(e) => {
            designer_view(
                &svc,
                &ctx,
                view,
                None,
                Some(e),
                NewCardForm::default(),
                None,
            )
            .await
        }
    }
}

#[handler]
async fn publish(
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
            Ok(view) => {
                designer_view(
                    &svc,
                    &ctx,
                    view,
                    None,
                    Some(e),
                    NewCardForm::default(),
                    None,
                )
                .await
            }
            Err(e) => error_page(&ctx, e),
        },
    }
}

#[handler]
async fn delete_dialogue(
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
