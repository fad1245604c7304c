//! Bodies of the dialogue and widget operations. A dialogue is written as a flat list of
//! cards naming their successors by id; the first card is where visitors start.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use switchboard_core::dialogue::{Card, CardBody};
use switchboard_core::routing::RoutingMode;
use switchboard_service::dialogues::{CardWrite, DialogueInput, DialogueView, RoutingInput};
use switchboard_service::widget::WidgetState;
use uuid::Uuid;

use crate::dto::RoutingRequest;
use crate::text::{Bounded, CaptureFields, CardId, Checked, Keyword, NonBlank, Text};

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct ChoiceRequest {
    /// Unique within the card; defaults to the choice's position (`1`, `2`…).
    pub id: Option<Text>,
    pub label: Text,
    /// The card this choice leads to; none: the branch ends here.
    pub next: Option<Checked<CardId>>,
    /// The label for visitors who read another language, by language tag (`en`, `fr`).
    pub translations: Option<BTreeMap<String, ChoiceTexts>>,
}

/// A choice's label in one language.
#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct ChoiceTexts {
    /// Blank: the choice's own label.
    pub label: Text,
}

/// A card's texts in one language; what is left out reads in the card's own words.
#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CardTexts {
    pub text: Option<Text>,
    /// `live_chat` only.
    pub fallback_message: Option<Text>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CaptureFieldRequest {
    /// `first_name`, `last_name`, `email`, `job_title`, `company` or `phone`.
    pub name: Keyword<CaptureFields>,
    /// Default false.
    pub required: Option<bool>,
}

/// One card. `kind` decides which other fields it may have.
#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CardRequest {
    /// Unique within the dialogue: letters, digits, `-` and `_`.
    pub id: Checked<CardId>,
    /// `message`, `question`, `capture` or `live_chat`.
    pub kind: Text,
    /// What the bot says (required for `message` and `question`).
    pub text: Option<Text>,
    /// The next card (`message`, `capture`). A `live_chat` card never has one: it is the last
    /// card of its branch.
    pub next: Option<Checked<CardId>>,
    /// `question` only: 1 to 10 choices, each opening a branch.
    pub choices: Option<Vec<ChoiceRequest>>,
    /// `capture` only: the fields asked.
    pub fields: Option<Vec<CaptureFieldRequest>>,
    /// `live_chat` only: who is offered the chat.
    pub routing: Option<RoutingRequest>,
    /// `live_chat` only: what visitors read when no agent takes the chat (else the global message).
    pub fallback_message: Option<Text>,
    /// `live_chat` only: `fallback` (default: the fallback message at once when no agent is
    /// free) or `queue` (the visitor waits in line for the first free agent).
    pub when_busy: Option<Text>,
    /// `live_chat` with `when_busy: "queue"` only: the longest wait, 30–1800 seconds (default
    /// 300); then the fallback with reason `queue_timeout`.
    pub max_wait_seconds: Option<i64>,
    /// The card's texts for visitors who read another language, by language tag (`en`,
    /// `fr`): a visitor whose widget speaks that language reads them instead of `text` and
    /// `fallback_message` (choices carry their own).
    pub translations: Option<BTreeMap<String, CardTexts>>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct DialogueRequest {
    pub name: NonBlank<100>,
    /// The cards (at least one); the first is where visitors start.
    #[oai(validator(min_items = 1))]
    pub cards: Vec<CardRequest>,
}

impl From<DialogueRequest> for DialogueInput {
    fn from(d: DialogueRequest) -> Self {
        use switchboard_core::dialogue::{CardInput, ChoiceInput, FieldInput, TextsInput};
        DialogueInput {
            name: d.name.0,
            cards: d
                .cards
                .into_iter()
                .map(|c| CardWrite {
                    card: CardInput {
                        id: c.id.0,
                        kind: c.kind.0,
                        text: Text::into_option(c.text),
                        next: Checked::into_option(c.next),
                        choices: c.choices.map(|list| {
                            list.into_iter()
                                .map(|ch| ChoiceInput {
                                    id: Text::into_option(ch.id),
                                    label: ch.label.0,
                                    next: Checked::into_option(ch.next),
                                    translations: ch
                                        .translations
                                        .unwrap_or_default()
                                        .into_iter()
                                        .map(|(lang, t)| (lang, t.label.0))
                                        .collect(),
                                })
                                .collect()
                        }),
                        fields: c.fields.map(|list| {
                            list.into_iter()
                                .map(|f| FieldInput {
                                    name: f.name.0,
                                    required: f.required.unwrap_or(false),
                                })
                                .collect()
                        }),
                        routing: None,
                        fallback_message: Text::into_option(c.fallback_message),
                        when_busy: Text::into_option(c.when_busy),
                        max_wait_seconds: c.max_wait_seconds,
                        translations: c
                            .translations
                            .unwrap_or_default()
                            .into_iter()
                            .map(|(lang, t)| {
                                let texts = TextsInput {
                                    text: Text::into_option(t.text),
                                    fallback_message: Text::into_option(t.fallback_message),
                                };
                                (lang, texts)
                            })
                            .collect(),
                    },
                    routing: c.routing.map(|r| RoutingInput {
                        mode: r.mode.0,
                        agent_id: r.agent_id,
                        team_id: r.team_id,
                    }),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Object)]
pub struct ChoiceView {
    pub id: String,
    pub label: String,
    pub next: Option<String>,
    /// The label in other languages, by language tag.
    pub translations: BTreeMap<String, ChoiceTextsView>,
}

#[derive(Debug, Object)]
pub struct ChoiceTextsView {
    pub label: String,
}

#[derive(Debug, Object)]
pub struct CardTextsView {
    pub text: Option<String>,
    pub fallback_message: Option<String>,
}

#[derive(Debug, Object)]
pub struct CaptureFieldView {
    pub name: String,
    pub required: bool,
}

#[derive(Debug, Object)]
pub struct CardRouting {
    /// `round_robin`, `agent`, `custom_rules` or `team`.
    pub mode: String,
    pub agent_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
}

#[derive(Debug, Object)]
pub struct CardView {
    pub id: String,
    pub kind: String,
    pub text: Option<String>,
    pub next: Option<String>,
    pub choices: Option<Vec<ChoiceView>>,
    pub fields: Option<Vec<CaptureFieldView>>,
    pub routing: Option<CardRouting>,
    pub fallback_message: Option<String>,
    /// `live_chat` only: `fallback` or `queue`.
    pub when_busy: Option<String>,
    /// `live_chat` with `queue` only: the longest wait in seconds.
    pub max_wait_seconds: Option<u32>,
    /// The card's texts in other languages, by language tag (`{}`: none).
    pub translations: BTreeMap<String, CardTextsView>,
}

fn fields_view(fields: &[switchboard_core::dialogue::CaptureField]) -> Vec<CaptureFieldView> {
    fields
        .iter()
        .map(|f| CaptureFieldView {
            name: f.name.as_str().to_owned(),
            required: f.required,
        })
        .collect()
}

impl From<&Card> for CardView {
    fn from(card: &Card) -> Self {
        let mut v = CardView {
            id: card.id.clone(),
            kind: card.body.kind().to_owned(),
            text: None,
            next: None,
            choices: None,
            fields: None,
            routing: None,
            fallback_message: None,
            when_busy: None,
            max_wait_seconds: None,
            translations: card
                .translations
                .iter()
                .map(|(lang, t)| {
                    let texts = CardTextsView {
                        text: t.text.clone(),
                        fallback_message: t.fallback_message.clone(),
                    };
                    (lang.clone(), texts)
                })
                .collect(),
        };
        match &card.body {
            CardBody::Message { text, next } => {
                v.text = Some(text.clone());
                v.next = next.clone();
            }
            CardBody::Question { text, choices } => {
                v.text = Some(text.clone());
                v.choices = Some(
                    choices
                        .iter()
                        .map(|c| ChoiceView {
                            id: c.id.clone(),
                            label: c.label.clone(),
                            next: c.next.clone(),
                            translations: c
                                .translations
                                .iter()
                                .map(|(lang, label)| {
                                    let label = label.clone();
                                    (lang.clone(), ChoiceTextsView { label })
                                })
                                .collect(),
                        })
                        .collect(),
                );
            }
            CardBody::Capture { text, fields, next } => {
                v.text = text.clone();
                v.fields = Some(fields_view(fields));
                v.next = next.clone();
            }
            CardBody::LiveChat {
                text,
                routing,
                fallback_message,
                when_busy,
                ..
            } => {
                v.text = text.clone();
                v.fallback_message = fallback_message.clone();
                v.when_busy = Some(when_busy.as_str().to_owned());
                v.max_wait_seconds = card.body.queue_wait();
                let (agent_id, team_id) = match routing {
                    RoutingMode::Agent { agent_id } => (Some(agent_id.as_uuid()), None),
                    RoutingMode::Team { team_id } => (None, Some(team_id.as_uuid())),
                    RoutingMode::RoundRobin | RoutingMode::CustomRules => (None, None),
                };
                v.routing = Some(CardRouting {
                    mode: routing.name().to_owned(),
                    agent_id,
                    team_id,
                });
            }
        }
        v
    }
}

/// A best-practice warning: saving and publishing still work.
#[derive(Debug, Object)]
pub struct DialogueWarning {
    /// The live-chat card concerned.
    pub card_id: String,
    /// `no_question_before_live_chat` or `no_capture_before_live_chat`.
    pub code: String,
    pub message: String,
}

#[derive(Debug, Object)]
pub struct Dialogue {
    pub id: Uuid,
    pub name: String,
    /// The draft's cards; the first is where visitors start.
    pub cards: Vec<CardView>,
    pub warnings: Vec<DialogueWarning>,
    /// Whether the widget runs this dialogue (as of its last publish).
    pub published: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<DialogueView> for Dialogue {
    fn from(v: DialogueView) -> Self {
        Self {
            id: v.model.id,
            name: v.model.name,
            cards: v.draft.cards.iter().map(CardView::from).collect(),
            warnings: v
                .warnings
                .into_iter()
                .map(|w| DialogueWarning {
                    card_id: w.card_id,
                    code: w.code,
                    message: w.message,
                })
                .collect(),
            published: v.is_widget_dialogue,
            published_at: v.model.published_at,
            created_at: v.model.created_at,
            updated_at: v.model.updated_at,
        }
    }
}

#[derive(Debug, Object)]
pub struct DialogueList {
    pub items: Vec<Dialogue>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct WidgetSessionRequest {
    /// The tenant's public widget key (the `data-key` of the script tag).
    pub widget_key: Text,
    /// The page the visitor is on (at most 2000 characters).
    pub page_url: Option<Bounded<2000>>,
    /// The token of an earlier session: resumes its conversation.
    pub visitor_token: Option<Text>,
    /// With `visitor_token`: start a new conversation for the same visitor once theirs is
    /// over (ended, fallen back, or the dialogue finished); 409 while it is still open.
    pub new_conversation: Option<bool>,
    /// The visitor's id on the tenant's site, when they are logged in there (at most 200
    /// characters); shown to agents.
    pub user_id: Option<Bounded<200>>,
    /// The hex HMAC-SHA256 of `user_id` under the workspace's identity secret, computed by the
    /// tenant's server. Required with `user_id` when identity verification is on (a wrong or
    /// missing one is 403); the visitor then shows as verified.
    pub user_hash: Option<Bounded<128>>,
}

/// A message the visitor leaves after a fallback.
#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct LeaveMessageRequest {
    /// Up to 200 characters.
    pub name: Option<Text>,
    /// Where the team answers.
    pub email: Text,
    /// Plain text, 1 to 4,000 characters.
    pub message: Text,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct AnswerRequest {
    /// The card answered: the one the visitor is at.
    pub card_id: Text,
    /// A question's choice id.
    pub choice: Option<Text>,
    /// A capture card's values by field name.
    pub fields: Option<BTreeMap<String, String>>,
}

/// A card as the visitor sees it (no routing, no successors).
#[derive(Debug, Object)]
pub struct WidgetCard {
    pub id: String,
    /// `message`, `question`, `capture` or `live_chat`.
    pub kind: String,
    pub text: Option<String>,
    pub choices: Option<Vec<WidgetChoice>>,
    pub fields: Option<Vec<CaptureFieldView>>,
}

#[derive(Debug, Object)]
pub struct WidgetChoice {
    pub id: String,
    pub label: String,
}

impl From<&Card> for WidgetCard {
    fn from(card: &Card) -> Self {
        let full = CardView::from(card);
        WidgetCard {
            id: full.id,
            kind: full.kind,
            text: full.text,
            choices: full.choices.map(|list| {
                list.into_iter()
                    .map(|c| WidgetChoice {
                        id: c.id,
                        label: c.label,
                    })
                    .collect()
            }),
            fields: full.fields,
        }
    }
}

/// Where the visitor's conversation stands.
#[derive(Debug, Object)]
pub struct WidgetSession {
    /// Send it back to resume after a reload, and as `Authorization: Bearer` on answers.
    pub visitor_token: String,
    pub conversation_id: Uuid,
    /// `dialogue`, `waiting` (an agent is being offered the chat), `live`, `fallback`,
    /// `completed` (the dialogue ended without a live chat) or `ended`.
    pub status: String,
    /// The card to show; none once the dialogue is over.
    pub card: Option<WidgetCard>,
    /// With status `fallback`: what to tell the visitor.
    pub fallback_message: Option<String>,
    /// `limit_reached`, `no_rule_matched`, `no_agent_available`, `offer_expired`, `declined`,
    /// `queue_timeout` or `outside_hours`.
    pub fallback_reason: Option<String>,
    /// With status `waiting`, when every agent is busy and the card queues: the visitor's
    /// place in line (1: next). The visitor socket's `queued` frames follow it.
    pub position: Option<u64>,
    /// With `position`: about how long until an agent is free, in seconds.
    pub estimated_wait_seconds: Option<u64>,
    /// What the visitor left after the fallback; null until they do.
    pub left_message: Option<crate::dto::LeftMessage>,
    /// With status `ended`: true while the visitor may still rate the chat (an agent took
    /// it and it is not rated yet; `POST /widget/conversations/{id}/rating`).
    pub rating_open: bool,
}

impl From<WidgetState> for WidgetSession {
    fn from(s: WidgetState) -> Self {
        Self {
            visitor_token: s.visitor_token,
            conversation_id: s.conversation_id,
            status: s.status.to_string(),
            card: s.card.as_ref().map(WidgetCard::from),
            fallback_message: s.fallback_message,
            fallback_reason: s.fallback_reason.map(|r| r.to_string()),
            position: s.queued.map(|q| q.0),
            estimated_wait_seconds: s.queued.map(|q| q.1),
            left_message: s.left_message.map(Into::into),
            rating_open: s.rating_open,
        }
    }
}
