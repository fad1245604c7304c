//! The designer's changes to the cards: add, save, move and delete a card, add and delete a
//! choice. Each reads the draft, applies one edit (core's rules of the tree, or the card's
//! own form), and saves the whole tree through the service, which validates it in full. A
//! refused change is shown on the designer page with the changed cards and nothing saved.

use poem::web::{Data, Path};
use poem::{Response, handler};
use switchboard_core::dialogue::edit::{self, EditError};
use switchboard_service::dialogues::DialogueInput;
use switchboard_service::{Service, ServiceError};

use super::designer::{ConfirmForm, Shown, designer_view};
use super::forms::{ChoiceForm, Editable, MoveForm, NewCardForm, editable, new_links};
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::see_other;
use crate::session::Ctx;
use crate::shared::{error_page, not_found, parse_id};

/// Applies `change` to the cards of dialogue `raw_id`'s draft and saves the whole tree; on a
/// refusal the page comes back with the changed cards and the error on the card at fault.
/// `new_card` is the add-card form, shown again as it was posted.
async fn change_cards(
    svc: &Service,
    ctx: &Ctx,
    raw_id: &str,
    new_card: NewCardForm,
    change: impl FnOnce(&mut Vec<Editable>) -> Result<(), EditError>,
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
        // The card or choice named is gone (another tab deleted it).
        Err(_) => Err(ServiceError::NotFound),
    };
    let error = match outcome {
        Ok(()) => return see_other(&format!("/console/dialogues/{raw_id}?notice=card-saved")),
        Err(e) => e,
    };
    // A refusal of the tree is shown on the changed cards; any other error on the draft.
    let cards = matches!(error, ServiceError::Validation(_)).then_some(cards);
    let shown = Shown {
        cards,
        error: Some(error),
        new_card,
        ..Shown::default()
    };
    designer_view(svc, ctx, view, shown).await
}

#[handler]
pub(super) async fn add_card(
    Path(id): Path<String>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<NewCardForm>,
    svc: Data<&Service>,
) -> Response {
    let new = Editable::new(&form.card_id, &form.kind, &form.text);
    let shown = form.clone();
    change_cards(&svc, &ctx, &id, shown, |cards| {
        edit::add_card(cards, new, form.after())
    })
    .await
}

/// The card's form: text, where it leads, its choices, fields or routing, as its kind has.
/// Read as name/value pairs, since a question's choices are numbered fields. A branch set to
/// a card that already had its place in the tree moves that card here (the map's drag and
/// connect posts this form too).
#[handler]
pub(super) async fn save_card(
    Path((id, card)): Path<(String, String)>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
    svc: Data<&Service>,
) -> Response {
    change_cards(&svc, &ctx, &id, NewCardForm::default(), |cards| {
        let before = edit::card_mut(cards, &card)?.clone();
        // A branch now leading to a card that another branch led to moves that card here:
        // a card has one place in the tree, so the branch it came from ends.
        let moved = new_links(&before, &form);
        for (_, to) in &moved {
            edit::unlink(cards, to);
        }
        let c = edit::card_mut(cards, &card)?;
        *c = before;
        c.apply(&form);
        for (field, to) in &moved {
            c.end_links_to(to, field);
        }
        Ok(())
    })
    .await
}

#[handler]
pub(super) async fn move_card(
    Path((id, card)): Path<(String, String)>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<MoveForm>,
    svc: Data<&Service>,
) -> Response {
    change_cards(&svc, &ctx, &id, NewCardForm::default(), |cards| {
        match form.direction() {
            Some(direction) => edit::move_card(cards, &card, direction),
            // Neither up nor down: nothing moves, but the card must exist.
            None => edit::find(cards, &card).map(drop),
        }
    })
    .await
}

#[handler]
pub(super) async fn delete_card(
    Path((id, card)): Path<(String, String)>,
    AdminSession(ctx): AdminSession,
    CsrfForm(confirm): CsrfForm<ConfirmForm>,
    svc: Data<&Service>,
) -> Response {
    if !confirm.confirmed() {
        return see_other(&format!(
            "/console/dialogues/{id}?confirm=card:{card}#card-{card}"
        ));
    }
    change_cards(&svc, &ctx, &id, NewCardForm::default(), |cards| {
        edit::delete_card(cards, &card)
    })
    .await
}

#[handler]
pub(super) async fn add_choice(
    Path((id, card)): Path<(String, String)>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<ChoiceForm>,
    svc: Data<&Service>,
) -> Response {
    change_cards(&svc, &ctx, &id, NewCardForm::default(), |cards| {
        edit::add_choice(cards, &card, form.choice())
    })
    .await
}

#[handler]
pub(super) async fn delete_choice(
    Path((id, card, index)): Path<(String, String, usize)>,
    AdminSession(ctx): AdminSession,
    CsrfForm(confirm): CsrfForm<ConfirmForm>,
    svc: Data<&Service>,
) -> Response {
    if !confirm.confirmed() {
        return see_other(&format!(
            "/console/dialogues/{id}?confirm=choice:{card}:{index}#card-{card}"
        ));
    }
    change_cards(&svc, &ctx, &id, NewCardForm::default(), |cards| {
        edit::delete_choice(cards, &card, index)
    })
    .await
}
