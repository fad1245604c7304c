//! `/console/dialogues`: the dialogue designer. A dialogue is a tree of cards; every change
//! here (add, edit, move, delete a card or a choice) is one plain form that works without
//! JavaScript. The designer reads the draft, applies the change, and saves the whole tree
//! through the service, which validates it in full: a refused change is shown on the card
//! at fault (the live-chat card must be the last of its branch) and nothing is saved.
//! Best-practice warnings are shown on their cards; publishing makes the widget run it.
//!
//! `list` and `designer` are the pages, `flow` the designer's map (cards as boxes, branches
//! as arrows; `web/designer.js` adds drag and connect over the forms), `forms` what their
//! forms send, `edits` the changes to the cards (the rules of the tree are core's
//! `dialogue::edit`).

mod designer;
mod edits;
mod flow;
mod forms;
mod list;

use poem::{Response, Route, get, handler, post};

const DESIGNER_JS: &str = include_str!("../../../../web/designer.js");

/// `/console/dialogues/designer.js`: the map's drag and connect (the page works without it).
#[handler]
fn script() -> Response {
    Response::builder()
        .content_type("application/javascript; charset=utf-8")
        .header("Cache-Control", "public, max-age=3600")
        .header("X-Content-Type-Options", "nosniff")
        .body(DESIGNER_JS)
}

pub fn routes() -> Route {
    Route::new()
        .at("/", get(list::list_page).post(list::create))
        .at("/designer.js", get(script))
        .at("/:id", get(designer::designer))
        .at("/:id/name", post(designer::rename))
        .at("/:id/cards", post(edits::add_card))
        .at("/:id/cards/:card/save", post(edits::save_card))
        .at("/:id/cards/:card/move", post(edits::move_card))
        .at("/:id/cards/:card/delete", post(edits::delete_card))
        .at("/:id/cards/:card/choices", post(edits::add_choice))
        .at(
            "/:id/cards/:card/choices/:index/delete",
            post(edits::delete_choice),
        )
        .at("/:id/publish", post(designer::publish))
        .at("/:id/delete", post(designer::delete_dialogue))
}
