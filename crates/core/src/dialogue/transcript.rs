//! The dialogue as a transcript (SPEC §12.2): what the bot said at each card and what the
//! visitor answered, as the messages a reload shows and agents read.

use std::collections::BTreeMap;

use super::{Card, CardBody, FieldName};

impl Card {
    /// What the bot says at this card: a message, a question, a form's introduction, the
    /// live-chat card's hand-off text. `None` when the card has no text.
    pub fn says(&self) -> Option<&str> {
        let text = match &self.body {
            CardBody::Message { text, .. } | CardBody::Question { text, .. } => Some(text),
            CardBody::Capture { text, .. } | CardBody::LiveChat { text, .. } => text.as_ref(),
        };
        text.map(|t| t.trim()).filter(|t| !t.is_empty())
    }

    /// What the visitor's answer to this card reads as: the label of the question's choice,
    /// or the form's values in the card's order, separated by ` · `. `None` for a message
    /// card (the visitor just reads on) and an empty form.
    pub fn answer_reads(
        &self,
        choice: Option<&str>,
        captured: &BTreeMap<FieldName, String>,
    ) -> Option<String> {
        match &self.body {
            CardBody::Question { choices, .. } => {
                let choice = choice?.trim();
                choices
                    .iter()
                    .find(|c| c.id == choice)
                    .map(|c| c.label.clone())
            }
            CardBody::Capture { fields, .. } => {
                let values: Vec<&str> = fields
                    .iter()
                    .filter_map(|f| captured.get(&f.name).map(String::as_str))
                    .collect();
                (!values.is_empty()).then(|| values.join(" · "))
            }
            CardBody::Message { .. } | CardBody::LiveChat { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialogue::{CaptureField, Choice};
    use crate::routing::RoutingMode;

    fn card(body: CardBody) -> Card {
        Card {
            id: "c".into(),
            body,
            translations: BTreeMap::new(),
        }
    }

    #[test]
    fn every_card_with_text_says_it_and_a_blank_one_says_nothing() {
        let question = card(CardBody::Question {
            text: "Talk to sales?".into(),
            choices: vec![],
        });
        assert_eq!(question.says(), Some("Talk to sales?"));
        let hand_off = card(CardBody::LiveChat {
            text: Some(" Connecting you… ".into()),
            routing: RoutingMode::RoundRobin,
            fallback_message: None,
            when_busy: Default::default(),
            max_wait_seconds: None,
        });
        assert_eq!(hand_off.says(), Some("Connecting you…"));
        let silent = card(CardBody::Capture {
            text: Some("  ".into()),
            fields: vec![],
            next: None,
        });
        assert_eq!(silent.says(), None);
    }

    #[test]
    fn an_answer_reads_as_the_choice_label_or_the_values_in_the_form_order() {
        let question = card(CardBody::Question {
            text: "?".into(),
            choices: vec![Choice {
                id: "yes".into(),
                label: "Yes please".into(),
                next: None,
                translations: BTreeMap::new(),
            }],
        });
        let none = BTreeMap::new();
        assert_eq!(
            question.answer_reads(Some("yes"), &none).as_deref(),
            Some("Yes please")
        );
        assert_eq!(question.answer_reads(Some("no"), &none), None);
        let form = card(CardBody::Capture {
            text: None,
            fields: vec![
                CaptureField {
                    name: FieldName::Email,
                    required: true,
                },
                CaptureField {
                    name: FieldName::FirstName,
                    required: true,
                },
                CaptureField {
                    name: FieldName::Phone,
                    required: false,
                },
            ],
            next: None,
        });
        let captured = BTreeMap::from([
            (FieldName::FirstName, "Ada".to_owned()),
            (FieldName::Email, "ada@example.com".to_owned()),
        ]);
        assert_eq!(
            form.answer_reads(None, &captured).as_deref(),
            Some("ada@example.com · Ada")
        );
        assert_eq!(form.answer_reads(None, &none), None);
        let message = card(CardBody::Message {
            text: "Hi".into(),
            next: None,
        });
        assert_eq!(message.answer_reads(None, &none), None);
    }
}
