//! The confirmation step before a destructive action (deleting a team, a rule or a canned
//! response, removing a member, revoking a permission, disabling a user, replacing the
//! identity secret). The server decides: a form posted without `confirm=yes` changes nothing
//! and is answered with a page that says what will happen, with the same form (every field
//! kept) to send again confirmed, and a way back. With the console's script, the form asks
//! in place (`data-confirm`) and adds the field itself, so a confirmed form acts at once.

use askama::Template;
use poem::Response;
use serde::Deserialize;
use switchboard_i18n::Texts;

use crate::pages::{self, Layout};
use crate::session::Ctx;
use crate::shared::layout;

/// True when the form carries its confirmation.
pub(crate) fn confirmed(confirm: Option<&str>) -> bool {
    confirm == Some("yes")
}

/// A destructive form that carries nothing but its answer to "are you sure?".
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct Confirmed {
    confirm: Option<String>,
}

impl Confirmed {
    pub(crate) fn yes(&self) -> bool {
        confirmed(self.confirm.as_deref())
    }
}

/// What to ask before acting.
pub(crate) struct Ask {
    /// The question, as the page's heading ("Delete the team “Sales”?").
    pub question: String,
    /// What will happen, in plain words.
    pub detail: String,
    /// The button that acts ("Delete the team").
    pub button: String,
    /// Where the form posts, and its fields besides the token and the confirmation.
    pub action: String,
    pub fields: Vec<(String, String)>,
    /// The page to go back to without acting.
    pub back: String,
}

impl Ask {
    /// An action that cannot be undone, on a form with nothing but its confirmation: `act`
    /// is the heading and the button ("Revoke the key"), `what` says what happens.
    pub fn for_good(tx: &Texts, act: String, what: String, action: String, back: &str) -> Self {
        Ask {
            question: act.clone(),
            detail: format!("{what} {}", tx.t("data-cannot-undo")),
            button: act,
            action,
            fields: Vec::new(),
            back: back.to_owned(),
        }
    }
}

#[derive(Template)]
#[template(path = "confirm_step.html")]
struct ConfirmPage {
    layout: Layout,
    ask: Ask,
}

/// The confirmation page: 200, nothing changed. An agent (on their canned replies) keeps
/// the inbox's navigation.
pub(crate) fn ask(ctx: &Ctx, section: &'static str, ask: Ask) -> Response {
    let mut layout = layout(ctx, &ask.question, section);
    if ctx.principal.admin_tenant().is_err() {
        layout.nav = "inbox";
    }
    pages::ok(&ConfirmPage { layout, ask })
}
