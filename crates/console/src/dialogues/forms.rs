//! The designer's forms. A card is edited as [`Editable`]: every field a form may set,
//! whatever the kind, held as the form sends it (strings, `""` for none) so that a refused
//! change is shown again exactly as typed. It is read from the saved draft and written back
//! as the service's input; core's tree edits work on it through [`DraftCard`].

use std::collections::BTreeMap;

use serde::Deserialize;
use switchboard_core::Locale;
use switchboard_core::dialogue::edit::{After, Direction, DraftCard, DraftChoice};
use switchboard_core::dialogue::{
    Card, CardBody, CardInput, ChoiceInput, Dialogue, FieldInput, FieldName, TextsInput,
};
use switchboard_core::routing::RoutingMode;
use switchboard_service::dialogues::{CardWrite, RoutingInput};
use uuid::Uuid;

/// The kinds of card, with the catalogue ids of their names.
pub(super) const KINDS: [(&str, &str); 4] = [
    ("message", "kind-message"),
    ("question", "kind-question"),
    ("capture", "kind-capture"),
    ("live_chat", "kind-live-chat"),
];

#[derive(Debug, Clone, Default)]
pub(super) struct Editable {
    pub id: String,
    pub kind: String,
    pub text: String,
    pub next: String,
    pub choices: Vec<DraftChoice>,
    /// Per field name: `""` (not asked), `ask` or `required`.
    pub fields: Vec<(&'static str, String)>,
    /// `round_robin`, `custom_rules`, `agent:<id>` or `team:<id>`.
    pub target: String,
    pub fallback_message: String,
    /// `fallback` or `queue`.
    pub when_busy: String,
    /// Seconds, as typed (`""`: the default).
    pub max_wait_seconds: String,
    /// The card's texts in other languages, by language tag, as typed.
    pub translations: BTreeMap<String, EditTexts>,
}

/// A card's texts in one language, as the form sends them (`""`: the card's own).
#[derive(Debug, Clone, Default)]
pub(super) struct EditTexts {
    pub text: String,
    pub fallback_message: String,
}

impl DraftCard for Editable {
    fn id(&self) -> &str {
        &self.id
    }

    fn next_mut(&mut self) -> &mut String {
        &mut self.next
    }

    fn choices(&self) -> &[DraftChoice] {
        &self.choices
    }

    fn choices_mut(&mut self) -> &mut Vec<DraftChoice> {
        &mut self.choices
    }
}

/// The draft's cards, to edit.
pub(super) fn editable(d: &Dialogue) -> Vec<Editable> {
    d.cards.iter().map(Editable::from_card).collect()
}

impl Editable {
    /// A new card of `kind`, as the add-card form makes it: a question starts with Yes and
    /// No, a capture asks for the first name and email (what a live-chat card wants before
    /// it), a live-chat card goes to all agents in turn.
    pub fn new(id: &str, kind: &str, text: &str) -> Self {
        Self {
            id: id.trim().to_owned(),
            kind: kind.to_owned(),
            text: text.to_owned(),
            fields: FieldName::ALL
                .iter()
                .map(|f| {
                    let how = matches!(f, FieldName::FirstName | FieldName::Email);
                    (f.as_str(), if how { "required" } else { "" }.to_owned())
                })
                .collect(),
            target: "round_robin".into(),
            choices: if kind == "question" {
                ["Yes", "No"]
                    .into_iter()
                    .map(|label| DraftChoice {
                        label: label.into(),
                        ..DraftChoice::default()
                    })
                    .collect()
            } else {
                Vec::new()
            },
            ..Self::default()
        }
    }

    fn from_card(card: &Card) -> Self {
        let mut e = Editable {
            id: card.id.clone(),
            kind: card.body.kind().to_owned(),
            fields: FieldName::ALL
                .iter()
                .map(|f| (f.as_str(), String::new()))
                .collect(),
            target: "round_robin".into(),
            translations: card
                .translations
                .iter()
                .map(|(lang, t)| {
                    let texts = EditTexts {
                        text: t.text.clone().unwrap_or_default(),
                        fallback_message: t.fallback_message.clone().unwrap_or_default(),
                    };
                    (lang.clone(), texts)
                })
                .collect(),
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
                    .map(|c| DraftChoice {
                        id: Some(c.id.clone()),
                        label: c.label.clone(),
                        next: c.next.clone().unwrap_or_default(),
                        translations: c.translations.clone(),
                    })
                    .collect();
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
                when_busy,
                max_wait_seconds,
            } => {
                e.text = text.clone().unwrap_or_default();
                e.fallback_message = fallback_message.clone().unwrap_or_default();
                e.when_busy = when_busy.as_str().to_owned();
                e.max_wait_seconds = max_wait_seconds.map(|s| s.to_string()).unwrap_or_default();
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

    /// The catalogue id of its text field's label (the same in every language).
    pub fn text_label(&self) -> &'static str {
        match self.kind.as_str() {
            "live_chat" => "card-text-live-chat",
            "capture" => "card-text-capture",
            _ => "card-text",
        }
    }

    /// Its text in `lang`, as typed (`""`: none).
    pub fn text_in(&self, lang: &str) -> &str {
        self.translations.get(lang).map_or("", |t| t.text.as_str())
    }

    /// Its fallback message in `lang`, as typed.
    pub fn fallback_in(&self, lang: &str) -> &str {
        self.translations
            .get(lang)
            .map_or("", |t| t.fallback_message.as_str())
    }

    /// The label of its choice `j` in `lang`, as typed.
    pub fn choice_in(&self, j: usize, lang: &str) -> &str {
        self.choices
            .get(j)
            .and_then(|c| c.translations.get(lang))
            .map_or("", String::as_str)
    }

    /// Whether any of its texts is written in `lang` (its fields then show open).
    pub fn speaks(&self, lang: &str) -> bool {
        !self.text_in(lang).trim().is_empty()
            || !self.fallback_in(lang).trim().is_empty()
            || (0..self.choices.len()).any(|j| !self.choice_in(j, lang).trim().is_empty())
    }

    /// The card as the service takes it: only its kind's fields, blanks as none.
    pub fn to_write(&self) -> CardWrite {
        let text = |s: &str| Some(s.to_owned()).filter(|t| !t.trim().is_empty());
        let live_chat = self.kind == "live_chat";
        let mut card = CardInput {
            id: self.id.clone(),
            kind: self.kind.clone(),
            text: text(&self.text),
            next: text(&self.next),
            translations: self
                .translations
                .iter()
                .map(|(lang, t)| {
                    let texts = TextsInput {
                        text: text(&t.text),
                        fallback_message: text(&t.fallback_message).filter(|_| live_chat),
                    };
                    (lang.clone(), texts)
                })
                .collect(),
            ..Default::default()
        };
        let mut routing = None;
        match self.kind.as_str() {
            "question" => {
                card.next = None;
                card.choices = Some(
                    self.choices
                        .iter()
                        .map(|c| ChoiceInput {
                            id: c.id.clone(),
                            label: c.label.clone(),
                            next: text(&c.next),
                            translations: c
                                .translations
                                .iter()
                                .map(|(lang, l)| (lang.clone(), l.clone()))
                                .collect(),
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
                card.when_busy = text(&self.when_busy);
                if self.when_busy == "queue" {
                    card.max_wait_seconds = match self.max_wait_seconds.trim() {
                        "" => None,
                        // Not a number: out of range, so the card is refused beside the field.
                        raw => Some(raw.parse().unwrap_or(-1)),
                    };
                }
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

    /// Ends this card's branches that lead to `to`, but the one named `kept` (a form's
    /// field: `next` or `choice_<j>_next`).
    pub fn end_links_to(&mut self, to: &str, kept: &str) {
        if kept != "next" && self.next == to {
            self.next.clear();
        }
        for (j, choice) in self.choices.iter_mut().enumerate() {
            if choice.next == to && kept != format!("choice_{j}_next") {
                choice.next.clear();
            }
        }
    }

    /// Takes what the card's save form sent (name/value pairs); a field the form did not
    /// send is left as it was, but a capture's fields are all on its form.
    pub fn apply(&mut self, form: &[(String, String)]) {
        let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        if let Some(t) = get("text") {
            self.text = t;
        }
        if let Some(n) = get("next") {
            self.next = n;
        }
        for (j, choice) in self.choices.iter_mut().enumerate() {
            if let Some(l) = get(&format!("choice_{j}_label")) {
                choice.label = l;
            }
            if let Some(n) = get(&format!("choice_{j}_next")) {
                choice.next = n;
            }
            for lang in Locale::ALL.map(Locale::as_str) {
                if let Some(l) = get(&format!("choice_{j}_label_{lang}")) {
                    choice.translations.insert(lang.to_owned(), l);
                }
            }
        }
        for lang in Locale::ALL.map(Locale::as_str) {
            if let Some(t) = get(&format!("text_{lang}")) {
                self.translations.entry(lang.to_owned()).or_default().text = t;
            }
            if let Some(m) = get(&format!("fallback_message_{lang}")) {
                self.translations
                    .entry(lang.to_owned())
                    .or_default()
                    .fallback_message = m;
            }
        }
        if self.kind == "capture" {
            for f in self.fields.iter_mut() {
                f.1 = get(&format!("field_{}", f.0)).unwrap_or_default();
            }
        }
        if let Some(t) = get("target") {
            self.target = t;
        }
        if let Some(m) = get("fallback_message") {
            self.fallback_message = m;
        }
        if let Some(w) = get("when_busy") {
            self.when_busy = w;
        }
        if let Some(w) = get("max_wait_seconds") {
            self.max_wait_seconds = w;
        }
    }
}

/// The branches a card's save `form` newly links to a card: `(field, card)`, a branch's
/// select set to a card that branch did not lead to before (another branch of the same card
/// may have: the card then moves to this one). One branch per card: when several fields name
/// the same new card, the first keeps it.
pub(super) fn new_links(card: &Editable, form: &[(String, String)]) -> Vec<(String, String)> {
    let before = |field: &str| -> Option<&str> {
        if field == "next" {
            return Some(card.next.as_str());
        }
        let j: usize = field
            .strip_prefix("choice_")?
            .strip_suffix("_next")?
            .parse()
            .ok()?;
        card.choices.get(j).map(|c| c.next.as_str())
    };
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, to) in form {
        let to = to.trim();
        let branch = name == "next" || (name.starts_with("choice_") && name.ends_with("_next"));
        if !branch || to.is_empty() || to == card.id || before(name) == Some(to) {
            continue;
        }
        if !out.iter().any(|(_, t)| t == to) {
            out.push((name.clone(), to.to_owned()));
        }
    }
    out
}

/// A dialogue's name, to create or rename it.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct NameForm {
    pub name: String,
}

/// The add-card form, kept to be shown again after a refusal.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct NewCardForm {
    pub kind: String,
    pub card_id: String,
    pub text: String,
    /// What leads to it: `""` (nothing yet), `<card id>`, or `<card id>#<choice index>`.
    pub after: String,
}

impl NewCardForm {
    /// Where the new card is linked from. An index that is not a number names the card.
    pub fn after(&self) -> After<'_> {
        if self.after.is_empty() {
            return After::Nothing;
        }
        match self.after.split_once('#') {
            Some((card, choice)) => match choice.parse() {
                Ok(index) => After::Choice(card, index),
                Err(_) => After::Card(card),
            },
            None => After::Card(&self.after),
        }
    }
}

/// A card's up or down button.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct MoveForm {
    direction: String,
}

impl MoveForm {
    /// `None` for anything but `up` and `down`.
    pub fn direction(&self) -> Option<Direction> {
        match self.direction.as_str() {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            _ => None,
        }
    }
}

/// A question's new choice.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ChoiceForm {
    label: String,
    next: String,
}

impl ChoiceForm {
    /// The choice it adds: no id until the dialogue is saved.
    pub fn choice(self) -> DraftChoice {
        DraftChoice {
            id: None,
            label: self.label,
            next: self.next,
            translations: BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_add_card_form_names_a_card_or_one_of_its_choices() {
        let form = |after: &str| NewCardForm {
            after: after.into(),
            ..NewCardForm::default()
        };
        assert_eq!(form("").after(), After::Nothing);
        assert_eq!(form("ask").after(), After::Card("ask"));
        assert_eq!(form("ask#1").after(), After::Choice("ask", 1));
        assert_eq!(form("ask#x").after(), After::Card("ask"));
    }

    #[test]
    fn a_branch_moved_to_a_card_a_sibling_led_to_is_a_new_link_and_one_card_has_one_branch() {
        let mut ask = Editable::new("ask", "question", "Talk to us?");
        ask.choices[0].next = "x".into();
        let form = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect()
        };
        // Choice 1 dragged onto x, which choice 0 led to: x moves to choice 1.
        assert_eq!(
            new_links(
                &ask,
                &form(&[("choice_0_next", "x"), ("choice_1_next", "x")])
            ),
            [("choice_1_next".to_owned(), "x".to_owned())]
        );
        // Nothing changed: nothing new.
        assert!(
            new_links(
                &ask,
                &form(&[("choice_0_next", "x"), ("choice_1_next", "")])
            )
            .is_empty()
        );
        // Both branches set to a new card: the first keeps it.
        assert_eq!(
            new_links(
                &ask,
                &form(&[("choice_0_next", "y"), ("choice_1_next", "y")])
            ),
            [("choice_0_next".to_owned(), "y".to_owned())]
        );
        // A link to the card itself is never new.
        assert!(new_links(&ask, &form(&[("choice_1_next", "ask")])).is_empty());
    }

    #[test]
    fn a_card_written_back_keeps_only_its_kinds_fields() {
        let mut question = Editable::new(" ask ", "question", "Talk to us?");
        question.next = "stray".into();
        let w = question.to_write();
        assert_eq!(w.card.id, "ask");
        assert_eq!(w.card.next, None);
        assert_eq!(w.card.fields.map(|f| f.len()), None);
        let labels: Vec<_> = w.card.choices.unwrap_or_default();
        assert_eq!(labels.len(), 2);
        assert_eq!(
            (labels[0].label.as_str(), labels[0].id.clone()),
            ("Yes", None)
        );

        let capture = Editable::new("form", "capture", " ").to_write();
        assert_eq!(capture.card.text, None);
        let asked: Vec<_> = capture
            .card
            .fields
            .unwrap_or_default()
            .into_iter()
            .map(|f| (f.name, f.required))
            .collect();
        assert_eq!(
            asked,
            [("first_name".to_owned(), true), ("email".to_owned(), true)]
        );

        let mut live = Editable::new("connect", "live_chat", "");
        live.target = format!("team:{}", Uuid::nil());
        let routing = live
            .to_write()
            .routing
            .map(|r| (r.mode, r.agent_id, r.team_id));
        assert_eq!(routing, Some(("team".into(), None, Some(Uuid::nil()))));
    }
}
