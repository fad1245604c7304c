//! Edits of a draft dialogue: the designer's changes to the shape of the tree — a card added
//! after a card or after one of a question's choices, a card moved up or down or deleted, a
//! choice added or deleted.
//!
//! A draft is not a [`Dialogue`](super::Dialogue) yet. Its links are card ids as a form sends
//! them (`""` leads nowhere), and an edit may well leave it invalid: a card after a live-chat
//! card, a card nothing leads to. That is on purpose: the designer shows the edited draft
//! with the error on the card at fault, and [`parse`](super::parse) alone judges whether it
//! can be saved. An edit refuses only what names nothing (a card or a choice that is not
//! there), and then changes nothing.
//!
//! The edits need only a card's id and links, so they work on any card type that exposes
//! them ([`DraftCard`]): the console's form model implements it and keeps its own fields.

/// What the tree edits need of a draft card.
pub trait DraftCard {
    fn id(&self) -> &str;
    /// The card this one leads to (`""`: nowhere). A question's is ignored by the parser:
    /// each of its choices leads somewhere instead.
    fn next_mut(&mut self) -> &mut String;
    /// A question's choices; empty for the other kinds.
    fn choices(&self) -> &[DraftChoice];
    fn choices_mut(&mut self) -> &mut Vec<DraftChoice>;
}

/// A choice of a draft question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftChoice {
    /// Its id once saved; a new choice is given one when the dialogue is parsed.
    pub id: Option<String>,
    pub label: String,
    /// The card it leads to (`""`: nowhere).
    pub next: String,
    /// Its label in other languages, by language tag.
    pub translations: std::collections::BTreeMap<String, String>,
}

/// An edit that names nothing; the draft is left as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("no such card in this dialogue")]
    NoSuchCard,
    #[error("no such choice on this card")]
    NoSuchChoice,
}

/// Where a new card is linked from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After<'a> {
    /// Nothing leads to it yet: it is linked later.
    Nothing,
    /// It follows this card.
    Card(&'a str),
    /// The question's choice at this index leads to it.
    Choice(&'a str, usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// The index of card `id`.
pub fn find<C: DraftCard>(cards: &[C], id: &str) -> Result<usize, EditError> {
    cards
        .iter()
        .position(|c| c.id() == id)
        .ok_or(EditError::NoSuchCard)
}

/// Card `id`, to change its own fields.
pub fn card_mut<'a, C: DraftCard>(cards: &'a mut [C], id: &str) -> Result<&'a mut C, EditError> {
    let i = find(cards, id)?;
    Ok(&mut cards[i])
}

/// Adds `card` at the end of the list, linked from `after`. Its id is not checked here: a
/// duplicate is the parser's to refuse, on the new card.
pub fn add_card<C: DraftCard>(
    cards: &mut Vec<C>,
    card: C,
    after: After<'_>,
) -> Result<(), EditError> {
    let link = match after {
        After::Nothing => None,
        After::Card(parent) => Some(card_mut(cards, parent)?.next_mut()),
        After::Choice(parent, index) => Some(
            &mut card_mut(cards, parent)?
                .choices_mut()
                .get_mut(index)
                .ok_or(EditError::NoSuchChoice)?
                .next,
        ),
    };
    if let Some(link) = link {
        card.id().clone_into(link);
    }
    cards.push(card);
    Ok(())
}

/// Moves card `id` one place up or down the list; at that end of the list it stays. The
/// first card is where visitors start, so moving a card there makes it the start.
pub fn move_card<C: DraftCard>(
    cards: &mut [C],
    id: &str,
    direction: Direction,
) -> Result<(), EditError> {
    let i = find(cards, id)?;
    let j = match direction {
        Direction::Up if i > 0 => i - 1,
        Direction::Down if i + 1 < cards.len() => i + 1,
        _ => return Ok(()),
    };
    cards.swap(i, j);
    Ok(())
}

/// Deletes card `id`. What led to it now leads nowhere: those branches end there.
pub fn delete_card<C: DraftCard>(cards: &mut Vec<C>, id: &str) -> Result<(), EditError> {
    let i = find(cards, id)?;
    let deleted = cards.remove(i);
    unlink(cards, deleted.id());
    Ok(())
}

/// Every link to card `id` (a card's next, a choice's) leads nowhere instead.
pub fn unlink<C: DraftCard>(cards: &mut [C], id: &str) {
    for card in cards {
        let next = card.next_mut();
        if next == id {
            next.clear();
        }
        for choice in card.choices_mut().iter_mut().filter(|c| c.next == id) {
            choice.next.clear();
        }
    }
}

/// Adds a choice at the end of question `id`'s.
pub fn add_choice<C: DraftCard>(
    cards: &mut [C],
    id: &str,
    choice: DraftChoice,
) -> Result<(), EditError> {
    card_mut(cards, id)?.choices_mut().push(choice);
    Ok(())
}

/// Deletes the choice at `index` of question `id`; the card it led to is left in the list.
pub fn delete_choice<C: DraftCard>(
    cards: &mut [C],
    id: &str,
    index: usize,
) -> Result<(), EditError> {
    let card = card_mut(cards, id)?;
    if index >= card.choices().len() {
        return Err(EditError::NoSuchChoice);
    }
    card.choices_mut().remove(index);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    struct Card {
        id: String,
        next: String,
        choices: Vec<DraftChoice>,
    }

    impl DraftCard for Card {
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

    fn card(id: &str, next: &str) -> Card {
        Card {
            id: id.into(),
            next: next.into(),
            choices: Vec::new(),
        }
    }

    fn choice(id: &str, next: &str) -> DraftChoice {
        DraftChoice {
            id: Some(id.into()),
            label: id.to_uppercase(),
            next: next.into(),
            ..DraftChoice::default()
        }
    }

    fn question(id: &str, choices: &[(&str, &str)]) -> Card {
        Card {
            choices: choices.iter().map(|(c, n)| choice(c, n)).collect(),
            ..card(id, "")
        }
    }

    /// welcome → ask; ask: yes → form, no → bye.
    fn draft() -> Vec<Card> {
        vec![
            card("welcome", "ask"),
            question("ask", &[("yes", "form"), ("no", "bye")]),
            card("form", ""),
            card("bye", ""),
        ]
    }

    fn ids(cards: &[Card]) -> Vec<&str> {
        cards.iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn a_card_added_after_a_card_becomes_its_next_and_goes_last() {
        let mut cards = draft();
        add_card(&mut cards, card("connect", ""), After::Card("form")).unwrap();
        assert_eq!(ids(&cards), ["welcome", "ask", "form", "bye", "connect"]);
        assert_eq!(cards[2].next, "connect");
    }

    #[test]
    fn a_card_added_after_a_choice_is_where_that_choice_leads() {
        let mut cards = draft();
        add_card(&mut cards, card("sorry", ""), After::Choice("ask", 1)).unwrap();
        assert_eq!(cards[1].choices[1].next, "sorry");
        assert_eq!(cards[1].choices[0].next, "form");
        assert_eq!(cards[1].next, "");
    }

    #[test]
    fn a_card_added_after_nothing_is_linked_from_nowhere() {
        let mut cards = draft();
        add_card(&mut cards, card("later", ""), After::Nothing).unwrap();
        assert_eq!(cards.len(), 5);
        assert_eq!(cards[..4], draft()[..]);
    }

    #[test]
    fn adding_after_a_missing_card_or_choice_changes_nothing() {
        let mut cards = draft();
        let e = add_card(&mut cards, card("x", ""), After::Card("gone")).unwrap_err();
        assert_eq!(e, EditError::NoSuchCard);
        let e = add_card(&mut cards, card("x", ""), After::Choice("ask", 2)).unwrap_err();
        assert_eq!(e, EditError::NoSuchChoice);
        let e = add_card(&mut cards, card("x", ""), After::Choice("gone", 0)).unwrap_err();
        assert_eq!(e, EditError::NoSuchCard);
        assert_eq!(cards, draft());
    }

    #[test]
    fn a_card_moves_one_place_and_stays_at_the_ends() {
        let mut cards = draft();
        move_card(&mut cards, "form", Direction::Up).unwrap();
        assert_eq!(ids(&cards), ["welcome", "form", "ask", "bye"]);
        move_card(&mut cards, "form", Direction::Down).unwrap();
        assert_eq!(cards, draft());
        move_card(&mut cards, "welcome", Direction::Up).unwrap();
        move_card(&mut cards, "bye", Direction::Down).unwrap();
        assert_eq!(cards, draft());
        assert_eq!(
            move_card(&mut cards, "gone", Direction::Up),
            Err(EditError::NoSuchCard)
        );
    }

    #[test]
    fn deleting_a_card_ends_the_branches_that_led_to_it() {
        let mut cards = draft();
        delete_card(&mut cards, "form").unwrap();
        assert_eq!(ids(&cards), ["welcome", "ask", "bye"]);
        assert_eq!(cards[1].choices[0].next, "");
        assert_eq!(cards[1].choices[1].next, "bye");
        delete_card(&mut cards, "ask").unwrap();
        assert_eq!(cards[0].next, "");
        assert_eq!(delete_card(&mut cards, "ask"), Err(EditError::NoSuchCard));
    }

    #[test]
    fn a_new_choice_has_no_id_until_parsed_and_a_choice_is_deleted_by_its_place() {
        let mut cards = draft();
        let maybe = DraftChoice {
            id: None,
            label: "Maybe".into(),
            next: String::new(),
            ..DraftChoice::default()
        };
        add_choice(&mut cards, "ask", maybe.clone()).unwrap();
        assert_eq!(cards[1].choices.len(), 3);
        assert_eq!(cards[1].choices[2], maybe);
        delete_choice(&mut cards, "ask", 0).unwrap();
        let left: Vec<_> = cards[1].choices.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(left, ["NO", "Maybe"]);
        // The card the deleted choice led to stays in the list.
        assert_eq!(ids(&cards), ["welcome", "ask", "form", "bye"]);
        assert_eq!(
            delete_choice(&mut cards, "ask", 2),
            Err(EditError::NoSuchChoice)
        );
        assert_eq!(
            add_choice(&mut cards, "gone", maybe),
            Err(EditError::NoSuchCard)
        );
    }
}
