//! Dialogues (SPEC §4): a tree of cards the widget walks the visitor through, ending (on some
//! branches) in a live-chat card that hands the visitor to an agent.
//!
//! A dialogue is written as a flat list of cards that name their successors by id (`next`,
//! or each choice's `next` for a question); the first card is where the visitor starts. It
//! must be a tree: every card reachable from the first, none with two parents, no cycle. The
//! rule of the product: **a live-chat card is the last card of its branch** — one with a
//! successor is refused, naming the card. Best practices are warnings, not errors.
//!
//! The server runs the dialogue ([`Dialogue::advance`]); the widget only renders cards.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::error::bounded_text;
use crate::lifecycle::string_enum;
use crate::routing::RoutingMode;
use crate::user::EmailAddress;
use std::fmt;
use std::str::FromStr;

pub mod edit;
pub mod languages;
pub mod transcript;

pub use languages::{CardTexts, TextsInput};

pub const MAX_CARDS: usize = 200;
pub const MAX_CHOICES: usize = 10;
pub const MAX_TEXT: usize = 2000;
pub const MAX_LABEL: usize = 200;
pub const MAX_ID: usize = 64;
/// A card id as the API documents it, checked as `check_id` does.
pub const CARD_ID_PATTERN: &str = "^[A-Za-z0-9_-]{1,64}$";
/// Most characters of a captured value.
pub const MAX_CAPTURED: usize = 200;

/// A validated dialogue: `cards[0]` is where every visitor starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dialogue {
    pub cards: Vec<Card>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub id: String,
    #[serde(flatten)]
    pub body: CardBody,
    /// Its texts in other languages, by language tag (`fr`): see [`languages`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, CardTexts>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CardBody {
    /// The bot says something; the visitor continues.
    Message { text: String, next: Option<String> },
    /// The bot asks; each choice opens its own branch.
    Question { text: String, choices: Vec<Choice> },
    /// A form: the visitor's details.
    Capture {
        text: Option<String>,
        fields: Vec<CaptureField>,
        next: Option<String>,
    },
    /// Hand-off to a live agent; always the last card of its branch.
    LiveChat {
        text: Option<String>,
        routing: RoutingMode,
        fallback_message: Option<String>,
        /// When no agent is free: the fallback at once, or a wait in the queue.
        #[serde(default)]
        when_busy: WhenBusy,
        /// With `queue`: how long a visitor may wait (30–1800 s; none: 300).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_wait_seconds: Option<u32>,
    },
}

string_enum! {
    /// What a live-chat card does when no agent is free (SPEC §12.1).
    #[derive(Default)]
    pub enum WhenBusy (field = "when_busy") {
        /// The fallback message at once (the default).
        #[default]
        Fallback = "fallback",
        /// The visitor waits in a first-in-first-out queue for the first free agent.
        Queue = "queue",
    }
}

/// How long a queued visitor waits when the card does not say.
pub const DEFAULT_MAX_WAIT_SECONDS: u32 = 300;

impl CardBody {
    /// A live-chat card that queues: how long its visitors may wait. `None`: it falls back.
    pub fn queue_wait(&self) -> Option<u32> {
        match self {
            CardBody::LiveChat {
                when_busy: WhenBusy::Queue,
                max_wait_seconds,
                ..
            } => Some(max_wait_seconds.unwrap_or(DEFAULT_MAX_WAIT_SECONDS)),
            _ => None,
        }
    }
}

impl CardBody {
    pub const fn kind(&self) -> &'static str {
        match self {
            CardBody::Message { .. } => "message",
            CardBody::Question { .. } => "question",
            CardBody::Capture { .. } => "capture",
            CardBody::LiveChat { .. } => "live_chat",
        }
    }

    /// The ids this card leads to, with the input field that names each.
    fn successors(&self) -> Vec<(String, &str)> {
        match self {
            CardBody::Message { next, .. } | CardBody::Capture { next, .. } => next
                .as_deref()
                .map(|n| vec![("next".to_owned(), n)])
                .unwrap_or_default(),
            CardBody::Question { choices, .. } => choices
                .iter()
                .enumerate()
                .filter_map(|(i, c)| Some((format!("choices[{i}].next"), c.next.as_deref()?)))
                .collect(),
            CardBody::LiveChat { .. } => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub label: String,
    pub next: Option<String>,
    /// Its label in other languages, by language tag.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureField {
    pub name: FieldName,
    pub required: bool,
}

/// What a capture card may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldName {
    FirstName,
    LastName,
    Email,
    JobTitle,
    Company,
    Phone,
}

impl FieldName {
    pub const ALL: [FieldName; 6] = [
        FieldName::FirstName,
        FieldName::LastName,
        FieldName::Email,
        FieldName::JobTitle,
        FieldName::Company,
        FieldName::Phone,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            FieldName::FirstName => "first_name",
            FieldName::LastName => "last_name",
            FieldName::Email => "email",
            FieldName::JobTitle => "job_title",
            FieldName::Company => "company",
            FieldName::Phone => "phone",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw)
    }

    /// Checks and normalises a value the visitor typed for this field.
    pub fn check(self, field: &str, raw: &str) -> Result<String, ValidationError> {
        match self {
            FieldName::Email => EmailAddress::parse(raw)
                .map(|e| e.as_str().to_owned())
                .map_err(|e| e.at(field)),
            FieldName::Phone => {
                let value = bounded_text(field, raw, 1, 30)?;
                let digits = value.chars().filter(char::is_ascii_digit).count();
                let allowed = value
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +-().".contains(c));
                if !allowed || digits < 5 {
                    return Err(ValidationError::new(
                        field,
                        "must be a phone number: digits, spaces and + - ( ) only, at least 5 digits",
                    ));
                }
                Ok(value)
            }
            _ => bounded_text(field, raw, 1, MAX_CAPTURED),
        }
    }
}

/// A best-practice warning about a live-chat card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub card_id: String,
    /// `no_question_before_live_chat` or `no_capture_before_live_chat`.
    pub code: String,
    pub message: String,
}

/// A card as a client writes it, before validation. A live-chat card's routing is resolved
/// (and checked against the tenant) by the caller.
#[derive(Debug, Clone, Default)]
pub struct CardInput {
    pub id: String,
    pub kind: String,
    pub text: Option<String>,
    pub next: Option<String>,
    pub choices: Option<Vec<ChoiceInput>>,
    pub fields: Option<Vec<FieldInput>>,
    pub routing: Option<RoutingMode>,
    pub fallback_message: Option<String>,
    /// `live_chat` only: `fallback` (default) or `queue`.
    pub when_busy: Option<String>,
    /// `live_chat` with `queue` only: 30–1800.
    pub max_wait_seconds: Option<i64>,
    /// The card's texts in other languages: (language tag, texts).
    pub translations: Vec<(String, TextsInput)>,
}

#[derive(Debug, Clone, Default)]
pub struct ChoiceInput {
    pub id: Option<String>,
    pub label: String,
    pub next: Option<String>,
    /// The label in other languages: (language tag, label).
    pub translations: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct FieldInput {
    pub name: String,
    pub required: bool,
}

fn err(field: String, message: impl Into<String>) -> ValidationError {
    ValidationError::new(field, message)
}

fn check_id(field: &str, raw: &str) -> Result<String, ValidationError> {
    let id = raw;
    if id.is_empty() || id.len() > MAX_ID {
        return Err(err(
            field.to_owned(),
            format!("must be 1 to {MAX_ID} characters"),
        ));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(err(
            field.to_owned(),
            "may contain only letters, digits, '-' and '_'",
        ));
    }
    Ok(id.to_owned())
}

fn optional_text(
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => bounded_text(field, t, 1, max).map(Some),
    }
}

fn next_id(field: &str, raw: Option<&str>) -> Result<Option<String>, ValidationError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(n) => check_id(field, n).map(Some),
    }
}

fn parse_card(i: usize, input: &CardInput) -> Result<Card, ValidationError> {
    let at = |f: &str| format!("cards[{i}].{f}");
    let id = check_id(&at("id"), &input.id)?;
    let refuse = |present: bool, f: &str, kind: &str| {
        if present {
            Err(err(at(f), format!("a {kind} card has no {f}")))
        } else {
            Ok(())
        }
    };
    let kind = input.kind.trim();
    let body = match kind {
        "message" | "question" | "capture" | "live_chat" => {
            if kind != "question" {
                refuse(input.choices.is_some(), "choices", kind)?;
            }
            if kind != "capture" {
                refuse(input.fields.is_some(), "fields", kind)?;
            }
            if kind != "live_chat" {
                refuse(input.routing.is_some(), "routing", kind)?;
                refuse(input.fallback_message.is_some(), "fallback_message", kind)?;
                refuse(input.when_busy.is_some(), "when_busy", kind)?;
                refuse(input.max_wait_seconds.is_some(), "max_wait_seconds", kind)?;
            }
            match kind {
                "message" => CardBody::Message {
                    text: bounded_text(
                        &at("text"),
                        input.text.as_deref().unwrap_or(""),
                        1,
                        MAX_TEXT,
                    )?,
                    next: next_id(&at("next"), input.next.as_deref())?,
                },
                "question" => {
                    refuse(
                        input.next.is_some(),
                        "next",
                        "question (each choice has its own)",
                    )?;
                    let raw = input.choices.as_deref().unwrap_or_default();
                    if raw.is_empty() || raw.len() > MAX_CHOICES {
                        return Err(err(
                            at("choices"),
                            format!("a question needs 1 to {MAX_CHOICES} choices"),
                        ));
                    }
                    let mut choices = Vec::with_capacity(raw.len());
                    for (j, c) in raw.iter().enumerate() {
                        let cf = |f: &str| at(&format!("choices[{j}].{f}"));
                        let id = match c.id.as_deref().map(str::trim) {
                            None | Some("") => (j + 1).to_string(),
                            Some(id) => check_id(&cf("id"), id)?,
                        };
                        if choices.iter().any(|o: &Choice| o.id == id) {
                            return Err(err(cf("id"), format!("choice id \"{id}\" is used twice")));
                        }
                        choices.push(Choice {
                            id,
                            label: bounded_text(&cf("label"), &c.label, 1, MAX_LABEL)?,
                            next: next_id(&cf("next"), c.next.as_deref())?,
                            translations: languages::parse_labels(
                                &at(&format!("choices[{j}]")),
                                &c.translations,
                            )?,
                        });
                    }
                    CardBody::Question {
                        text: bounded_text(
                            &at("text"),
                            input.text.as_deref().unwrap_or(""),
                            1,
                            MAX_TEXT,
                        )?,
                        choices,
                    }
                }
                "capture" => {
                    let raw = input.fields.as_deref().unwrap_or_default();
                    if raw.is_empty() {
                        return Err(err(
                            at("fields"),
                            "a capture card asks for at least one field",
                        ));
                    }
                    let mut fields: Vec<CaptureField> = Vec::with_capacity(raw.len());
                    for (j, f) in raw.iter().enumerate() {
                        let name = FieldName::parse(f.name.trim()).ok_or_else(|| {
                            err(
                                at(&format!("fields[{j}].name")),
                                "must be one of first_name, last_name, email, job_title, company, phone",
                            )
                        })?;
                        if fields.iter().any(|o| o.name == name) {
                            return Err(err(
                                at(&format!("fields[{j}].name")),
                                format!("{} is asked twice", name.as_str()),
                            ));
                        }
                        fields.push(CaptureField {
                            name,
                            required: f.required,
                        });
                    }
                    CardBody::Capture {
                        text: optional_text(&at("text"), input.text.as_deref(), MAX_TEXT)?,
                        fields,
                        next: next_id(&at("next"), input.next.as_deref())?,
                    }
                }
                _ => {
                    if let Some(n) = input
                        .next
                        .as_deref()
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                    {
                        return Err(err(
                            at("next"),
                            format!(
                                "the live-chat card \"{id}\" must be the last card of its branch, but it is followed by \"{n}\""
                            ),
                        ));
                    }
                    CardBody::LiveChat {
                        text: optional_text(&at("text"), input.text.as_deref(), MAX_TEXT)?,
                        routing: input.routing.ok_or_else(|| {
                            err(at("routing"), "a live-chat card needs a routing mode")
                        })?,
                        fallback_message: optional_text(
                            &at("fallback_message"),
                            input.fallback_message.as_deref(),
                            MAX_TEXT,
                        )?,
                        when_busy: match input.when_busy.as_deref().map(str::trim) {
                            None | Some("") => WhenBusy::Fallback,
                            Some(raw) => raw
                                .parse()
                                .map_err(|e: ValidationError| err(at("when_busy"), e.message))?,
                        },
                        max_wait_seconds: match input.max_wait_seconds {
                            None => None,
                            Some(_)
                                if input.when_busy.as_deref().map(str::trim) != Some("queue") =>
                            {
                                return Err(err(
                                    at("max_wait_seconds"),
                                    "is only for a card whose when_busy is \"queue\"",
                                ));
                            }
                            Some(v) => Some(
                                u32::try_from(v)
                                    .ok()
                                    .filter(|v| (30..=1800).contains(v))
                                    .ok_or_else(|| {
                                        err(at("max_wait_seconds"), "must be between 30 and 1800")
                                    })?,
                            ),
                        },
                    }
                }
            }
        }
        _ => {
            return Err(err(
                at("kind"),
                "must be one of message, question, capture, live_chat",
            ));
        }
    };
    let translations =
        languages::parse_card_texts(&format!("cards[{i}]"), kind, &input.translations)?;
    Ok(Card {
        id,
        body,
        translations,
    })
}

/// Validates a dialogue as written. The first error wins, named by its input field
/// (`cards[2].next`) and, where a card is at fault, by the card's id in the message.
pub fn parse(cards: &[CardInput]) -> Result<Dialogue, ValidationError> {
    if cards.is_empty() {
        return Err(err("cards".into(), "a dialogue needs at least one card"));
    }
    if cards.len() > MAX_CARDS {
        return Err(err(
            "cards".into(),
            format!("a dialogue has at most {MAX_CARDS} cards"),
        ));
    }
    let parsed = cards
        .iter()
        .enumerate()
        .map(|(i, c)| parse_card(i, c))
        .collect::<Result<Vec<_>, _>>()?;
    let mut index = HashMap::new();
    for (i, card) in parsed.iter().enumerate() {
        if index.insert(card.id.as_str(), i).is_some() {
            return Err(err(
                format!("cards[{i}].id"),
                format!("card id \"{}\" is used twice", card.id),
            ));
        }
    }
    // A tree: the first card has no parent, every other exactly one, all reachable.
    let mut parent: Vec<Option<usize>> = vec![None; parsed.len()];
    for (i, card) in parsed.iter().enumerate() {
        for (field, next) in card.body.successors() {
            let at = format!("cards[{i}].{field}");
            let Some(&j) = index.get(next) else {
                return Err(err(
                    at,
                    format!(
                        "card \"{}\" leads to \"{next}\", which does not exist",
                        card.id
                    ),
                ));
            };
            if j == 0 {
                return Err(err(
                    at,
                    format!("card \"{}\" leads back to the first card", card.id),
                ));
            }
            if let Some(p) = parent[j] {
                return Err(err(
                    at,
                    format!(
                        "card \"{next}\" already follows card \"{}\": a card has one place in the tree",
                        parsed[p].id
                    ),
                ));
            }
            parent[j] = Some(i);
        }
    }
    let mut reached = vec![false; parsed.len()];
    let mut stack = vec![0];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut reached[i], true) {
            continue;
        }
        for (_, next) in parsed[i].body.successors() {
            stack.push(index[next]);
        }
    }
    if let Some(i) = reached.iter().position(|r| !r) {
        return Err(err(
            format!("cards[{i}].id"),
            format!(
                "card \"{}\" cannot be reached from the first card",
                parsed[i].id
            ),
        ));
    }
    Ok(Dialogue { cards: parsed })
}

impl Dialogue {
    pub fn start(&self) -> &Card {
        &self.cards[0]
    }

    pub fn card(&self, id: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }

    /// The cards from the first one down to `id`, both included.
    fn path_to(&self, id: &str) -> Vec<&Card> {
        let mut parent: HashMap<&str, &Card> = HashMap::new();
        for card in &self.cards {
            for (_, next) in card.body.successors() {
                if let Some(child) = self.card(next) {
                    parent.insert(child.id.as_str(), card);
                }
            }
        }
        let mut path = Vec::new();
        let mut at = self.card(id);
        while let Some(card) = at {
            path.push(card);
            at = parent.get(card.id.as_str()).copied();
        }
        path.reverse();
        path
    }

    /// Best-practice warnings, for each live-chat card: no question before it on its path
    /// (ask whether the visitor wants to talk to someone), no capture of first name and email.
    pub fn warnings(&self) -> Vec<Warning> {
        let mut out = Vec::new();
        for card in &self.cards {
            if !matches!(card.body, CardBody::LiveChat { .. }) {
                continue;
            }
            let path = self.path_to(&card.id);
            let asked = path
                .iter()
                .any(|c| matches!(c.body, CardBody::Question { .. }));
            if !asked {
                out.push(Warning {
                    card_id: card.id.clone(),
                    code: "no_question_before_live_chat".into(),
                    message: format!(
                        "no question card comes before the live-chat card \"{}\": ask visitors whether they want to connect to an agent",
                        card.id
                    ),
                });
            }
            let captured = |name| {
                path.iter().any(|c| match &c.body {
                    CardBody::Capture { fields, .. } => fields.iter().any(|f| f.name == name),
                    _ => false,
                })
            };
            if !(captured(FieldName::FirstName) && captured(FieldName::Email)) {
                out.push(Warning {
                    card_id: card.id.clone(),
                    code: "no_capture_before_live_chat".into(),
                    message: format!(
                        "no capture card asks for first name and email before the live-chat card \"{}\"",
                        card.id
                    ),
                });
            }
        }
        out
    }

    /// The visitor answers card `card_id`: the choice for a question, the form for a
    /// capture, nothing for a message. Returns the next card (`None`: the branch ended) and
    /// the values captured, checked and normalised.
    pub fn advance(
        &self,
        card_id: &str,
        choice: Option<&str>,
        fields: &BTreeMap<String, String>,
    ) -> Result<(Option<&Card>, BTreeMap<FieldName, String>), ValidationError> {
        let card = self
            .card(card_id)
            .ok_or_else(|| err("card_id".into(), "no such card in this dialogue"))?;
        let mut captured = BTreeMap::new();
        let next = match &card.body {
            CardBody::Message { next, .. } => next.as_deref(),
            CardBody::Question { choices, .. } => {
                let choice = choice
                    .map(str::trim)
                    .ok_or_else(|| err("choice".into(), "choose one of the question's choices"))?;
                choices
                    .iter()
                    .find(|c| c.id == choice)
                    .ok_or_else(|| err("choice".into(), "no such choice on this card"))?
                    .next
                    .as_deref()
            }
            CardBody::Capture {
                fields: asked,
                next,
                ..
            } => {
                if let Some(unknown) = fields
                    .keys()
                    .find(|k| !asked.iter().any(|f| f.name.as_str() == k.as_str()))
                {
                    return Err(err(
                        format!("fields.{unknown}"),
                        "this card does not ask for it",
                    ));
                }
                for f in asked {
                    let field = format!("fields.{}", f.name.as_str());
                    match fields.get(f.name.as_str()).map(|v| v.trim()) {
                        None | Some("") if f.required => {
                            return Err(err(field, "is required"));
                        }
                        None | Some("") => {}
                        Some(v) => {
                            captured.insert(f.name, f.name.check(&field, v)?);
                        }
                    }
                }
                next.as_deref()
            }
            CardBody::LiveChat { .. } => {
                return Err(err(
                    "card_id".into(),
                    "the live-chat card is not answered: the visitor is being connected",
                ));
            }
        };
        Ok((next.and_then(|n| self.card(n)), captured))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn message(id: &str, next: Option<&str>) -> CardInput {
        CardInput {
            id: id.into(),
            kind: "message".into(),
            text: Some("Hello".into()),
            next: next.map(Into::into),
            ..Default::default()
        }
    }

    fn question(id: &str, nexts: &[Option<&str>]) -> CardInput {
        CardInput {
            id: id.into(),
            kind: "question".into(),
            text: Some("Talk to sales?".into()),
            choices: Some(
                nexts
                    .iter()
                    .enumerate()
                    .map(|(i, n)| ChoiceInput {
                        id: Some(format!("c{i}")),
                        label: format!("Choice {i}"),
                        next: n.map(Into::into),
                        translations: vec![],
                    })
                    .collect(),
            ),
            ..Default::default()
        }
    }

    fn capture(id: &str, names: &[&str], next: Option<&str>) -> CardInput {
        CardInput {
            id: id.into(),
            kind: "capture".into(),
            fields: Some(
                names
                    .iter()
                    .map(|n| FieldInput {
                        name: (*n).into(),
                        required: *n != "phone",
                    })
                    .collect(),
            ),
            next: next.map(Into::into),
            ..Default::default()
        }
    }

    fn live_chat(id: &str, next: Option<&str>) -> CardInput {
        CardInput {
            id: id.into(),
            kind: "live_chat".into(),
            routing: Some(RoutingMode::RoundRobin),
            next: next.map(Into::into),
            ..Default::default()
        }
    }

    fn good() -> Vec<CardInput> {
        vec![
            question("q", &[Some("cap"), Some("bye")]),
            capture("cap", &["first_name", "email", "phone"], Some("lc")),
            live_chat("lc", None),
            message("bye", None),
        ]
    }

    #[test]
    fn a_good_dialogue_parses_without_warnings() {
        let d = parse(&good()).unwrap();
        assert_eq!(d.start().id, "q");
        assert_eq!(d.warnings(), vec![]);
    }

    #[test]
    fn a_live_chat_card_with_a_successor_is_refused_naming_the_card() {
        let mut cards = good();
        cards[2] = live_chat("lc", Some("bye"));
        cards[0] = question("q", &[Some("cap"), None]);
        let e = parse(&cards).unwrap_err();
        assert_eq!(e.field, "cards[2].next");
        assert!(e.message.contains("\"lc\""), "{e}");
        assert!(e.message.contains("last card of its branch"), "{e}");
    }

    #[test]
    fn references_must_form_a_tree() {
        let e = parse(&[message("a", Some("zzz"))]).unwrap_err();
        assert_eq!(e.field, "cards[0].next");
        let e = parse(&[message("a", Some("b")), message("b", Some("a"))]).unwrap_err();
        assert!(e.message.contains("first card"), "{e}");
        let e = parse(&[question("q", &[Some("m"), Some("m")]), message("m", None)]).unwrap_err();
        assert_eq!(e.field, "cards[0].choices[1].next");
        let e = parse(&[
            message("a", None),
            message("b", Some("c")),
            message("c", None),
        ])
        .unwrap_err();
        assert!(e.message.contains("cannot be reached"), "{e}");
        let e = parse(&[message("a", None), message("a", None)]).unwrap_err();
        assert_eq!(e.field, "cards[1].id");
    }

    #[test]
    fn each_kind_keeps_to_its_own_fields() {
        let mut m = message("m", None);
        m.routing = Some(RoutingMode::RoundRobin);
        assert_eq!(parse(&[m]).unwrap_err().field, "cards[0].routing");
        let mut q = question("q", &[None]);
        q.next = Some("x".into());
        assert_eq!(parse(&[q]).unwrap_err().field, "cards[0].next");
        let e = parse(&[capture("c", &["first_name", "age"], None)]).unwrap_err();
        assert_eq!(e.field, "cards[0].fields[1].name");
        let e = parse(&[capture("c", &["email", "email"], None)]).unwrap_err();
        assert_eq!(e.field, "cards[0].fields[1].name");
        let mut lc = live_chat("lc", None);
        lc.routing = None;
        assert_eq!(parse(&[lc]).unwrap_err().field, "cards[0].routing");
        let e = parse(&[CardInput {
            id: "x".into(),
            kind: "video".into(),
            ..Default::default()
        }])
        .unwrap_err();
        assert_eq!(e.field, "cards[0].kind");
        assert_eq!(parse(&[]).unwrap_err().field, "cards");
        let e = parse(&[message("bad id!", None)]).unwrap_err();
        assert_eq!(e.field, "cards[0].id");
    }

    #[test]
    fn warnings_name_the_live_chat_card_and_the_missing_practice() {
        let d = parse(&[live_chat("lc", None)]).unwrap();
        let codes: Vec<_> = d
            .warnings()
            .into_iter()
            .map(|w| (w.card_id, w.code))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("lc".to_owned(), "no_question_before_live_chat".to_owned()),
                ("lc".to_owned(), "no_capture_before_live_chat".to_owned())
            ]
        );
        // First name alone is not enough; a question on another branch does not count.
        let d = parse(&[
            message("m", Some("cap")),
            capture("cap", &["first_name"], Some("lc")),
            live_chat("lc", None),
        ])
        .unwrap();
        assert_eq!(d.warnings().len(), 2);
    }

    #[test]
    fn the_server_walks_the_dialogue_and_checks_captured_values() {
        let d = parse(&good()).unwrap();
        let none = BTreeMap::new();
        let (next, _) = d.advance("q", Some("c0"), &none).unwrap();
        assert_eq!(next.unwrap().id, "cap");
        let (next, _) = d.advance("q", Some("c1"), &none).unwrap();
        assert_eq!(next.unwrap().id, "bye");
        assert_eq!(d.advance("q", None, &none).unwrap_err().field, "choice");
        assert_eq!(
            d.advance("q", Some("c9"), &none).unwrap_err().field,
            "choice"
        );
        let form = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect()
        };
        let e = d
            .advance("cap", None, &form(&[("first_name", "Ada")]))
            .unwrap_err();
        assert_eq!(e.field, "fields.email");
        let e = d
            .advance(
                "cap",
                None,
                &form(&[("first_name", "Ada"), ("email", "nope")]),
            )
            .unwrap_err();
        assert_eq!(e.field, "fields.email");
        let e = d
            .advance(
                "cap",
                None,
                &form(&[
                    ("first_name", "Ada"),
                    ("email", "a@b.co"),
                    ("phone", "call me"),
                ]),
            )
            .unwrap_err();
        assert_eq!(e.field, "fields.phone");
        let e = d
            .advance(
                "cap",
                None,
                &form(&[("first_name", "Ada"), ("email", "a@b.co"), ("age", "3")]),
            )
            .unwrap_err();
        assert_eq!(e.field, "fields.age");
        let (next, captured) = d
            .advance(
                "cap",
                None,
                &form(&[("first_name", " Ada "), ("email", "Ada@Example.COM")]),
            )
            .unwrap();
        assert_eq!(next.unwrap().id, "lc");
        assert_eq!(captured[&FieldName::FirstName], "Ada");
        assert_eq!(captured[&FieldName::Email], "ada@example.com");
        assert_eq!(d.advance("lc", None, &none).unwrap_err().field, "card_id");
        assert_eq!(d.advance("bye", None, &none).unwrap().0, None);
        assert_eq!(d.advance("nope", None, &none).unwrap_err().field, "card_id");
    }

    /// Random chains and branchings: whatever is written, the parser either refuses it or
    /// accepts a tree in which no live-chat card has a successor and every card is reached.
    fn arb_cards() -> impl Strategy<Value = Vec<CardInput>> {
        let card = (
            0usize..4,
            proptest::option::of(0usize..8),
            proptest::collection::vec(proptest::option::of(0usize..8), 1..3),
        );
        proptest::collection::vec(card, 1..8).prop_map(|specs| {
            specs
                .iter()
                .enumerate()
                .map(|(i, (kind, next, choices))| {
                    let id = format!("k{i}");
                    let n = next.map(|n| format!("k{n}"));
                    match kind {
                        0 => message(&id, n.as_deref()),
                        1 => {
                            let nexts: Vec<Option<String>> =
                                choices.iter().map(|c| c.map(|n| format!("k{n}"))).collect();
                            let refs: Vec<Option<&str>> =
                                nexts.iter().map(|o| o.as_deref()).collect();
                            question(&id, &refs)
                        }
                        2 => capture(&id, &["first_name", "email"], n.as_deref()),
                        _ => live_chat(&id, n.as_deref()),
                    }
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn accepted_dialogues_are_trees_ending_branches_in_live_chat_only(cards in arb_cards()) {
            if let Ok(d) = parse(&cards) {
                let mut parents: HashMap<&str, usize> = HashMap::new();
                for c in &d.cards {
                    for (_, n) in c.body.successors() {
                        *parents.entry(n).or_default() += 1;
                    }
                }
                prop_assert!(!parents.contains_key(d.start().id.as_str()));
                for c in &d.cards[1..] {
                    prop_assert_eq!(parents.get(c.id.as_str()).copied(), Some(1));
                }
                for (i, input) in cards.iter().enumerate() {
                    if input.kind == "live_chat" {
                        prop_assert!(input.next.is_none(), "card {} accepted with a successor", i);
                    }
                }
            } else {
                // Refusals always name a field.
                prop_assert!(!parse(&cards).unwrap_err().field.is_empty());
            }
        }
    }
}
