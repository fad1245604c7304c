//! `/console/dialogues/{id}`: the designer page — the map of the dialogue, every card with
//! its form, the add-card form — and the forms about the whole dialogue: rename, publish,
//! delete. A refused change comes back here with the error, in plain words, on the card at
//! fault (on the map and in the list).

use askama::Template;
use poem::web::{Data, Path, Query};
use poem::{Response, handler};
use switchboard_service::dialogues::{DialogueInput, DialogueView};
use switchboard_service::{Service, ServiceError};
use uuid::Uuid;

use serde::Deserialize;
use switchboard_core::Locale;
use switchboard_core::dialogue::Dialogue;
use switchboard_i18n::Texts;

use super::flow::{self, Flow};
use super::forms::{Editable, KINDS, NameForm, NewCardForm, editable};
use crate::forms::FormErrors;
use crate::guard::{AdminSession, CsrfForm};
use crate::pages::{self, Layout, see_other};
use crate::session::Ctx;
use crate::shared::{error_page, layout, not_found, parse_id, targets};

/// A card as the page shows it: its values, its error and tips.
struct CardView {
    e: Editable,
    index: usize,
    error: String,
    tips: Vec<String>,
    /// Shown after a refused change but not in the saved draft (a card being added): its
    /// forms would act on nothing, so it has none.
    unsaved: bool,
    /// Its delete button was pressed: the page asks to confirm.
    confirm_delete: bool,
}

#[derive(Template)]
#[template(path = "dialogue.html")]
struct DesignerPage {
    layout: Layout,
    id: Uuid,
    name: String,
    /// `draft` (never published), `changes` (the draft differs from the published version)
    /// or `published`.
    state: &'static str,
    widget: bool,
    cards: Vec<CardView>,
    /// Every card id, for the "next" selects.
    ids: Vec<String>,
    /// `(value, label)` of the agents and teams a live-chat card may name.
    targets: Vec<(String, String)>,
    kinds: Vec<(&'static str, String)>,
    /// Errors not tied to a card (the name, the publication, the deletion).
    errors: FormErrors,
    /// The add-card form as posted, after an error.
    new_card: NewCardForm,
    /// `(value, label)` of what a new card may come after: a card, or a question's choice.
    after: Vec<(String, String)>,
    new_card_error: String,
    /// The card a refused change is at fault on (the page links to it).
    fault: Option<String>,
    /// The map of the dialogue.
    flow: Flow,
    /// The deletion of the whole dialogue awaits its confirmation.
    confirm_dialogue: bool,
    /// `(card, choice index)` of a choice whose deletion awaits its confirmation.
    confirm_choice: Option<(String, usize)>,
    /// `(tag, name)` of the languages cards may have texts in besides their own: the
    /// widget's other languages, and any a card already has texts in.
    languages: Vec<(String, String)>,
    /// The name of the language cards are written in (the workspace's default).
    own_language: String,
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
    /// What a delete button asked to confirm: `dialogue`, `card:<id>` or
    /// `choice:<card>:<index>`.
    pub confirm: String,
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

/// The link an error's field names on its card (`next`, `choices[1].next`), if any.
fn link_of<'a>(card: &'a Editable, field: &str) -> Option<&'a str> {
    let rest = field.split_once("].")?.1;
    if rest == "next" {
        return Some(card.next.trim());
    }
    let j: usize = rest
        .strip_prefix("choices[")?
        .strip_suffix("].next")?
        .parse()
        .ok()?;
    card.choices.get(j).map(|c| c.next.trim())
}

/// A refusal of the tree in plain words, on the card at fault: `(index of that card,
/// message)`. The service names the field that broke a rule; the words say which card and
/// why as the admin sees them. A rule not known here keeps the service's (English) reason.
fn refusal(cards: &[Editable], field: &str, reason: &str, tx: Texts) -> Option<(usize, String)> {
    let i = card_index(field)?;
    let card = cards.get(i)?;
    if let Some(next) = link_of(card, field).filter(|n| !n.is_empty()) {
        let follower = cards.iter().position(|c| c.id == next);
        if card.kind == "live_chat" {
            // The card added after the hand-off is the one refused; the hand-off is why.
            return Some((
                follower.unwrap_or(i),
                tx.t2("refused-after-live-chat", "card", next, "live", &card.id),
            ));
        }
        if follower == Some(0) {
            return Some((
                i,
                tx.t2("refused-back-to-start", "card", &card.id, "start", next),
            ));
        }
    }
    if field.ends_with("].id") && !card.id.is_empty() {
        if cards[..i].iter().any(|c| c.id == card.id) {
            return Some((i, tx.t1("refused-duplicate", "card", &card.id)));
        }
        if i > 0 && super::flow::unreached(cards, i) {
            return Some((i, tx.t1("refused-unreached", "card", &card.id)));
        }
    }
    Some((i, tx.t2("refused-card", "card", &card.id, "reason", reason)))
}

/// A best-practice warning in the reader's words, by its code.
fn tip(code: &str, tx: Texts) -> Option<String> {
    match code {
        "no_question_before_live_chat" => Some(tx.t("warning-no-question")),
        "no_capture_before_live_chat" => Some(tx.t("warning-no-capture")),
        _ => None,
    }
}

/// The kinds of card, named for the reader.
fn kinds(tx: Texts) -> Vec<(&'static str, String)> {
    KINDS.iter().map(|(kind, id)| (*kind, tx.t(id))).collect()
}

/// What a new card may come after: `(value, label)` of each card, or of each choice of a
/// question. Not a live-chat card: it hands the visitor over, nothing follows it.
fn after_options(cards: &[Editable], tx: Texts) -> Vec<(String, String)> {
    cards
        .iter()
        .filter(|c| c.kind != "live_chat")
        .flat_map(|c| {
            if c.kind == "question" {
                c.choices
                    .iter()
                    .enumerate()
                    .map(|(j, ch)| {
                        (
                            format!("{}#{j}", c.id),
                            tx.t2("add-card-after-choice", "card", &c.id, "label", &ch.label),
                        )
                    })
                    .collect::<Vec<_>>()
            } else {
                vec![(c.id.clone(), c.id.clone())]
            }
        })
        .collect()
}

/// Where the draft stands against what visitors see.
pub(super) fn state(view: &DialogueView) -> &'static str {
    let published = view
        .model
        .published_cards
        .as_ref()
        .and_then(|raw| serde_json::from_value::<Dialogue>(raw.clone()).ok());
    match published {
        None => "draft",
        Some(p) if p != view.draft => "changes",
        Some(_) => "published",
    }
}

/// The designer page of `view`; 422 when `shown` carries an error.
pub(super) async fn designer_view(
    svc: &Service,
    ctx: &Ctx,
    view: DialogueView,
    shown: Shown,
) -> Response {
    let tx = ctx.tx();
    let targets = match targets(svc, ctx).await {
        Ok((t, _)) => t,
        Err(e) => return error_page(ctx, e),
    };
    let settings = match svc.settings(&ctx.principal).await {
        Ok(s) => s.settings,
        Err(e) => return error_page(ctx, e),
    };
    let mut cards = shown.cards.unwrap_or_else(|| editable(&view.draft));
    let own = settings.default_locale;
    let language_name = |l: Locale| match l {
        Locale::En => tx.t("designer-lang-en"),
        Locale::Fr => tx.t("designer-lang-fr"),
    };
    // The widget's other languages, and any a card has texts in (its own included: texts
    // written before the workspace changed its language still reach those visitors).
    let languages = Locale::ALL
        .into_iter()
        .filter(|l| {
            (*l != own && settings.brand.locales.contains(l))
                || cards.iter().any(|c| c.speaks(l.as_str()))
        })
        .map(|l| (l.as_str().to_owned(), language_name(l)))
        .collect();
    let saved = |c: &Editable, i: usize| {
        i < view.draft.cards.len() && view.draft.cards.iter().any(|d| d.id == c.id)
    };
    let failed = shown.error.is_some();
    let (mut errors, mut at_card, mut new_card_error) =
        (FormErrors::default(), None, String::new());
    match shown.error {
        Some(ServiceError::Validation(v)) => match refusal(&cards, &v.field, &v.message, tx) {
            Some((i, message)) => {
                if !saved(&cards[i], i) {
                    // The card being added: the reason goes beside the add-card form too.
                    new_card_error = message.clone();
                }
                if !saved(&cards[i], i) && cards[..i].iter().any(|c| c.id == cards[i].id) {
                    // Its name is taken: shown as a card, it would be taken for the other.
                    // The draft is shown as it is, the reason beside the add-card form.
                    cards = editable(&view.draft);
                } else {
                    at_card = Some((i, message));
                }
            }
            None => errors = FormErrors::from_service(ServiceError::Validation(v), tx),
        },
        Some(e) => errors = FormErrors::from_service(e, tx),
        None => {}
    }
    let tips: Vec<(String, Vec<String>)> = if failed {
        Vec::new()
    } else {
        cards
            .iter()
            .map(|e| {
                let mine = view
                    .warnings
                    .iter()
                    .filter(|w| w.card_id == e.id)
                    .filter_map(|w| tip(&w.code, tx))
                    .collect();
                (e.id.clone(), mine)
            })
            .collect()
    };
    let unsaved: Vec<String> = cards
        .iter()
        .enumerate()
        .filter(|(i, c)| !saved(c, *i))
        .map(|(_, c)| c.id.clone())
        .collect();
    let fault = at_card.as_ref().map(|(i, _)| cards[*i].id.clone());
    let flow = flow::flow(
        &cards,
        &flow::Marks {
            fault: at_card
                .as_ref()
                .map(|(i, m)| (cards[*i].id.as_str(), m.as_str())),
            tips: &tips,
            unsaved: &unsaved,
        },
        tx,
    );
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
            tips: tips
                .iter()
                .find(|(id, _)| *id == e.id)
                .map(|(_, t)| t.clone())
                .unwrap_or_default(),
            unsaved: unsaved.contains(&e.id),
            confirm_delete: shown.confirm.strip_prefix("card:") == Some(e.id.as_str()),
        })
        .collect();
    if failed && errors.general.is_none() && fault.is_none() && new_card_error.is_empty() {
        errors.general = Some(tx.t("form-correct-below"));
    }
    let confirm_choice = shown
        .confirm
        .strip_prefix("choice:")
        .and_then(|r| r.rsplit_once(':'))
        .and_then(|(card, j)| Some((card.to_owned(), j.parse().ok()?)));
    let mut l = layout(
        ctx,
        &tx.t1("designer-title", "name", &view.model.name),
        "dialogues",
    );
    l.notice = shown.notice;
    pages::render(
        &DesignerPage {
            layout: l,
            id: view.model.id,
            name: view.model.name.clone(),
            state: state(&view),
            widget: view.is_widget_dialogue,
            ids: cards.iter().map(|c| c.id.clone()).collect(),
            after: after_options(&cards, tx),
            flow,
            cards: views,
            targets,
            kinds: kinds(tx),
            errors,
            new_card: shown.new_card,
            new_card_error,
            fault,
            confirm_dialogue: shown.confirm == "dialogue",
            confirm_choice,
            languages,
            own_language: language_name(own),
        },
        pages::form_status(!failed),
    )
}

/// The designer's query: the notice after a change, and what a delete button asks to
/// confirm.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct DesignerQuery {
    notice: Option<String>,
    confirm: String,
}

impl DesignerQuery {
    pub fn notice(&self, tx: Texts) -> Option<String> {
        notice(self.notice.as_deref(), tx)
    }
}

/// The notices of the dialogue pages, by their code in the query string.
fn notice(code: Option<&str>, tx: Texts) -> Option<String> {
    let id = match code? {
        "dialogue-created" => "notice-dialogue-created",
        "dialogue-deleted" => "notice-dialogue-deleted",
        "dialogue-renamed" => "notice-dialogue-renamed",
        "card-saved" => "notice-card-saved",
        other => return pages::notice(Some(other), tx),
    };
    Some(tx.t(id))
}

#[handler]
pub(super) async fn designer(
    Path(id): Path<String>,
    Query(q): Query<DesignerQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return not_found(&ctx);
    };
    match svc.get_dialogue(&ctx.principal, id).await {
        Ok(v) => {
            let shown = Shown {
                notice: q.notice(ctx.tx()),
                confirm: q.confirm,
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
        Ok(_) => see_other(&format!("/console/dialogues/{raw}?notice=dialogue-renamed")),
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

/// A deletion's form: `confirm=yes` once the page asked "Delete …?" and the admin said yes.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ConfirmForm {
    confirm: String,
}

impl ConfirmForm {
    pub fn confirmed(&self) -> bool {
        self.confirm == "yes"
    }
}

#[handler]
pub(super) async fn delete_dialogue(
    Path(raw): Path<String>,
    AdminSession(ctx): AdminSession,
    CsrfForm(form): CsrfForm<ConfirmForm>,
    svc: Data<&Service>,
) -> Response {
    let Some(id) = parse_id(&raw) else {
        return not_found(&ctx);
    };
    if !form.confirmed() {
        // Not confirmed: the page asks first.
        return see_other(&format!(
            "/console/dialogues/{raw}?confirm=dialogue#delete-dialogue"
        ));
    }
    match svc.delete_dialogue(&ctx.principal, id).await {
        Ok(()) => see_other("/console/dialogues?notice=dialogue-deleted"),
        Err(e) => error_page(&ctx, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::Locale;

    #[test]
    fn an_error_field_names_its_card_by_index() {
        assert_eq!(card_index("cards[3].next"), Some(3));
        assert_eq!(card_index("cards[12].choices[0].next"), Some(12));
        assert_eq!(card_index("name"), None);
    }

    #[test]
    fn a_card_after_the_live_chat_card_is_refused_on_itself_in_plain_words() {
        let mut welcome = Editable::new("welcome", "message", "Hi");
        welcome.next = "connect".into();
        let mut connect = Editable::new("connect", "live_chat", "");
        connect.next = "after".into();
        let cards = [
            welcome,
            connect,
            Editable::new("after", "message", "Too late"),
        ];
        let (at, message) = refusal(
            &cards,
            "cards[1].next",
            "must be the last",
            Texts(Locale::En),
        )
        .unwrap();
        assert_eq!(at, 2, "the card being added, not the live-chat card");
        assert!(message.starts_with("“after” was not added: “connect” is a live-chat card"));
        assert!(message.contains("nothing can follow it"), "{message}");
        let (_, fr) = refusal(
            &cards,
            "cards[1].next",
            "must be the last",
            Texts(Locale::Fr),
        )
        .unwrap();
        assert!(
            fr.contains("« connect » est une carte de chat en direct"),
            "{fr}"
        );
    }

    #[test]
    fn other_refusals_name_their_card_and_why() {
        let mut welcome = Editable::new("welcome", "message", "Hi");
        welcome.next = "bye".into();
        let mut bye = Editable::new("bye", "message", "Bye");
        bye.next = "welcome".into();
        let tx = Texts(Locale::En);
        let cards = [
            welcome.clone(),
            bye,
            Editable::new("bye", "message", "Again"),
        ];
        assert_eq!(
            refusal(&cards, "cards[1].next", "leads back", tx).map(|r| r.0),
            Some(1)
        );
        assert!(
            refusal(&cards, "cards[1].next", "leads back", tx)
                .unwrap()
                .1
                .contains("“bye” cannot lead to “welcome”")
        );
        assert!(
            refusal(&cards, "cards[2].id", "used twice", tx)
                .unwrap()
                .1
                .contains("already a card named “bye”")
        );
        let lost = [welcome, Editable::new("lost", "message", "Alone")];
        assert!(
            refusal(&lost, "cards[1].id", "cannot be reached", tx)
                .unwrap()
                .1
                .contains("“lost” can no longer be reached")
        );
        assert_eq!(
            refusal(&lost, "cards[1].text", "must not be empty", tx)
                .unwrap()
                .1,
            "The card “lost” was refused: must not be empty"
        );
    }
}
