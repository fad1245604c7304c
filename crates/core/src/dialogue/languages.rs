//! A dialogue in the visitor's language (SPEC §12, issue 17): a card may carry its texts
//! per language (its text, a live-chat card's fallback message, each choice's label); a
//! visitor reads the texts of their language where the card has them, else the card's own
//! (written in the workspace's default language).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Card, CardBody, Dialogue, MAX_LABEL, MAX_TEXT, err, optional_text};
use crate::{Locale, ValidationError};

/// A card's texts in one language; what it leaves out is read in the card's own words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardTexts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A live-chat card's only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_message: Option<String>,
}

/// A card's texts in one language, as a client writes them.
#[derive(Debug, Clone, Default)]
pub struct TextsInput {
    pub text: Option<String>,
    pub fallback_message: Option<String>,
}

/// The language tag a client wrote for `field`, checked (`en` or `fr`) and not in `seen`.
fn new_language<T>(
    field: &str,
    tag: &str,
    seen: &BTreeMap<String, T>,
) -> Result<String, ValidationError> {
    let lang = Locale::from_field(field, tag.trim())?.as_str().to_owned();
    if seen.contains_key(&lang) {
        return Err(err(field.to_owned(), format!("\"{lang}\" is given twice")));
    }
    Ok(lang)
}

/// Checks a card's translations (`at`: the card's field prefix, `cards[2]`); blank texts
/// are dropped, and a language left with nothing is not kept.
pub(super) fn parse_card_texts(
    at: &str,
    kind: &str,
    input: &[(String, TextsInput)],
) -> Result<BTreeMap<String, CardTexts>, ValidationError> {
    let mut out = BTreeMap::new();
    for (tag, texts) in input {
        let field = format!("{at}.translations.{tag}");
        let lang = new_language(&field, tag, &out)?;
        let blank = |t: &Option<String>| t.as_deref().is_none_or(|t| t.trim().is_empty());
        if kind != "live_chat" && !blank(&texts.fallback_message) {
            return Err(err(
                format!("{field}.fallback_message"),
                format!("a {kind} card has no fallback_message"),
            ));
        }
        let parsed = CardTexts {
            text: optional_text(&format!("{field}.text"), texts.text.as_deref(), MAX_TEXT)?,
            fallback_message: optional_text(
                &format!("{field}.fallback_message"),
                texts.fallback_message.as_deref(),
                MAX_TEXT,
            )?,
        };
        if parsed != CardTexts::default() {
            out.insert(lang, parsed);
        }
    }
    Ok(out)
}

/// Checks a choice's labels per language (`at`: the choice's field prefix).
pub(super) fn parse_labels(
    at: &str,
    input: &[(String, String)],
) -> Result<BTreeMap<String, String>, ValidationError> {
    let mut out = BTreeMap::new();
    for (tag, label) in input {
        let field = format!("{at}.translations.{tag}");
        let lang = new_language(&field, tag, &out)?;
        if let Some(label) =
            optional_text(&format!("{field}.label"), Some(label.as_str()), MAX_LABEL)?
        {
            out.insert(lang, label);
        }
    }
    Ok(out)
}

impl Card {
    /// Whether any text of this card is written in `lang`.
    fn speaks(&self, lang: &str) -> bool {
        self.translations.contains_key(lang)
            || matches!(&self.body, CardBody::Question { choices, .. }
                if choices.iter().any(|c| c.translations.contains_key(lang)))
    }

    /// The card as a visitor reading `lang` sees it: its texts in that language where it
    /// has them, else its own.
    pub fn in_language(&self, lang: &str) -> Card {
        let mut card = Card {
            id: self.id.clone(),
            body: self.body.clone(),
            translations: BTreeMap::new(),
        };
        let texts = self.translations.get(lang).cloned().unwrap_or_default();
        match &mut card.body {
            CardBody::Message { text, .. } => {
                if let Some(t) = texts.text {
                    *text = t;
                }
            }
            CardBody::Question { text, choices } => {
                if let Some(t) = texts.text {
                    *text = t;
                }
                for c in choices.iter_mut() {
                    if let Some(label) = c.translations.remove(lang) {
                        c.label = label;
                    }
                    c.translations.clear();
                }
            }
            CardBody::Capture { text, .. } => {
                if texts.text.is_some() {
                    *text = texts.text;
                }
            }
            CardBody::LiveChat {
                text,
                fallback_message,
                ..
            } => {
                if texts.text.is_some() {
                    *text = texts.text;
                }
                if texts.fallback_message.is_some() {
                    *fallback_message = texts.fallback_message;
                }
            }
        }
        card
    }
}

impl Dialogue {
    /// The dialogue as a visitor reading `lang` sees it; `None` when no text of it is
    /// written in that language (the dialogue reads as it is).
    pub fn in_language(&self, lang: &str) -> Option<Dialogue> {
        if !self.cards.iter().any(|c| c.speaks(lang)) {
            return None;
        }
        Some(Dialogue {
            cards: self.cards.iter().map(|c| c.in_language(lang)).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialogue::{CardInput, ChoiceInput, parse};
    use crate::routing::RoutingMode;

    fn fr(text: Option<&str>, fallback: Option<&str>) -> Vec<(String, TextsInput)> {
        vec![(
            "fr".into(),
            TextsInput {
                text: text.map(Into::into),
                fallback_message: fallback.map(Into::into),
            },
        )]
    }

    fn cards() -> Vec<CardInput> {
        vec![
            CardInput {
                id: "ask".into(),
                kind: "question".into(),
                text: Some("Talk to sales?".into()),
                choices: Some(vec![
                    ChoiceInput {
                        id: Some("yes".into()),
                        label: "Yes".into(),
                        next: Some("connect".into()),
                        translations: vec![("fr".into(), "Oui".into())],
                    },
                    ChoiceInput {
                        id: Some("no".into()),
                        label: "No".into(),
                        next: None,
                        translations: vec![],
                    },
                ]),
                translations: fr(Some("Parler aux ventes ?"), None),
                ..Default::default()
            },
            CardInput {
                id: "connect".into(),
                kind: "live_chat".into(),
                text: Some("Connecting you.".into()),
                routing: Some(RoutingMode::RoundRobin),
                fallback_message: Some("Nobody is free.".into()),
                translations: fr(None, Some("Personne n'est libre.")),
                ..Default::default()
            },
        ]
    }

    #[test]
    fn a_visitor_reads_the_texts_of_their_language_and_the_cards_own_where_it_has_none() {
        let d = parse(&cards()).unwrap();
        assert!(
            d.in_language("en").is_none(),
            "nothing is written in English"
        );
        let fr = d.in_language("fr").unwrap();
        let ask = fr.card("ask").unwrap();
        assert_eq!(ask.says(), Some("Parler aux ventes ?"));
        let none = BTreeMap::new();
        assert_eq!(ask.answer_reads(Some("yes"), &none).as_deref(), Some("Oui"));
        assert_eq!(ask.answer_reads(Some("no"), &none).as_deref(), Some("No"));
        let connect = fr.card("connect").unwrap();
        assert_eq!(connect.says(), Some("Connecting you."));
        assert!(
            matches!(&connect.body, CardBody::LiveChat { fallback_message: Some(m), .. }
            if m == "Personne n'est libre.")
        );
        // Answers still name the choice by its id.
        let (next, _) = fr.advance("ask", Some("yes"), &BTreeMap::new()).unwrap();
        assert_eq!(next.map(|c| c.id.as_str()), Some("connect"));
    }

    #[test]
    fn translations_round_trip_and_a_blank_language_is_not_kept() {
        let mut input = cards();
        input[1].translations.push((
            "en".into(),
            TextsInput {
                text: Some("  ".into()),
                fallback_message: None,
            },
        ));
        let d = parse(&input).unwrap();
        assert_eq!(d.cards[1].translations.keys().collect::<Vec<_>>(), ["fr"]);
        let json = serde_json::to_string(&d).unwrap();
        let back: Dialogue = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d);
        // A dialogue stored before translations reads as one without any.
        let old: Dialogue = serde_json::from_str(
            r#"{"cards":[{"id":"hi","kind":"message","text":"Hello","next":null}]}"#,
        )
        .unwrap();
        assert!(old.cards[0].translations.is_empty());
    }

    #[test]
    fn bad_translations_are_refused_naming_the_field() {
        let refused = |f: &dyn Fn(&mut Vec<CardInput>)| {
            let mut input = cards();
            f(&mut input);
            let e = parse(&input).unwrap_err();
            (e.field, e.message)
        };
        assert_eq!(
            refused(&|c| c[0].translations = fr(None, None)
                .into_iter()
                .map(|(_, t)| ("de".into(), t))
                .collect()),
            (
                "cards[0].translations.de".into(),
                "must be \"en\" or \"fr\"".into()
            )
        );
        assert_eq!(
            refused(&|c| c[0].translations = fr(Some("x"), Some("y"))).0,
            "cards[0].translations.fr.fallback_message"
        );
        assert_eq!(
            refused(&|c| c[0].translations = fr(Some(&"é".repeat(MAX_TEXT + 1)), None)).0,
            "cards[0].translations.fr.text"
        );
        assert_eq!(
            refused(&|c| {
                if let Some(ch) = c[0].choices.as_mut() {
                    ch[1].translations = vec![("fr".into(), "x".repeat(MAX_LABEL + 1))];
                }
            })
            .0,
            "cards[0].choices[1].translations.fr.label"
        );
        assert_eq!(
            refused(&|c| {
                let again = c[1].translations[0].clone();
                c[1].translations.push(again);
            })
            .0,
            "cards[1].translations.fr"
        );
    }
}
