//! The states a conversation, an offer and an agent go through, and who writes a message:
//! each an enum with exactly one string mapping, written once in [`string_enum!`]. That one
//! table gives the name on the wire (serde), in the database (sea-orm, with the `db` feature)
//! and in the API, so nothing above the edges compares strings.

use std::fmt;
use std::str::FromStr;

use crate::ValidationError;

/// Declares a fieldless enum and its one string table: `as_str`, `FromStr` (refusing any
/// other string with a [`ValidationError`] naming `field`), `Display`, serde as that string,
/// `ALL` in declaration order, and with the `db` feature a sea-orm string column type.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident (field = $field:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "db", derive(sea_orm::DeriveValueType), sea_orm(value_type = "String"))]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value's one name: on the wire, in the database and in the API.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }
        }

        impl FromStr for $name {
            type Err = ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $text => Ok($name::$variant), )+
                    _ => Err(ValidationError::new(
                        $field,
                        concat!("must be one of: ", string_enum!(@join $($text),+)),
                    )),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                raw.parse().map_err(|e: ValidationError| serde::de::Error::custom(e.message))
            }
        }
    };
    (@join $first:literal $(, $rest:literal)*) => { concat!($first $(, ", ", $rest)*) };
}

pub(crate) use string_enum;

string_enum! {
    /// Where a conversation stands. A widget conversation starts in `Dialogue` (the visitor
    /// walks the cards) and ends `Completed` when no card asks for a live chat; the live-chat
/// card moves it to `Routing` (offers out), then `Live`
    /// (an agent accepted) or `Fallback` (no agent); a live chat becomes `Ended`.
    pub enum ConversationStatus (field = "status") {
        Dialogue = "dialogue",
        /// The dialogue ended without a live chat.
        Completed = "completed",
        Routing = "routing",
        Live = "live",
        Fallback = "fallback",
        Ended = "ended",
    }
}

impl ConversationStatus {
    /// The statuses a visitor may still write in (an agent is being sought, or is here).
    pub const fn visitor_may_write(self) -> bool {
        matches!(self, ConversationStatus::Routing | ConversationStatus::Live)
    }

    /// Not over yet: the visitor is in the dialogue, waiting, or talking.
    pub const fn is_open(self) -> bool {
        matches!(
            self,
            ConversationStatus::Dialogue | ConversationStatus::Routing | ConversationStatus::Live
        )
    }
}

string_enum! {
    /// Where a visitor's conversation stands as their widget shows it: the conversation's
    /// status, but `Waiting` while an agent is sought.
    pub enum WidgetStatus (field = "status") {
        Dialogue = "dialogue",
        Waiting = "waiting",
        Live = "live",
        Fallback = "fallback",
        Completed = "completed",
        Ended = "ended",
    }
}

impl From<ConversationStatus> for WidgetStatus {
    fn from(s: ConversationStatus) -> Self {
        match s {
            ConversationStatus::Dialogue => WidgetStatus::Dialogue,
            ConversationStatus::Completed => WidgetStatus::Completed,
            ConversationStatus::Routing => WidgetStatus::Waiting,
            ConversationStatus::Live => WidgetStatus::Live,
            ConversationStatus::Fallback => WidgetStatus::Fallback,
            ConversationStatus::Ended => WidgetStatus::Ended,
        }
    }
}

string_enum! {
    /// Where a live-chat request asked through the API stands: offered to an agent, live,
    /// fallen back, or ended (the visitor left before an agent took it).
    pub enum RequestStatus (field = "status") {
        Offered = "offered",
        Queued = "queued",
        Live = "live",
        Fallback = "fallback",
        Ended = "ended",
    }
}

string_enum! {
    /// Where one offer of a chat to one agent stands. Only `Pending` may change, once.
    pub enum OfferState (field = "state") {
        Pending = "pending",
        Accepted = "accepted",
        Declined = "declined",
        Expired = "expired",
        /// The agent went offline or their presence lapsed while the offer was pending, or the
        /// conversation ended first.
        Withdrawn = "withdrawn",
    }
}

string_enum! {
    /// Why an agent's offer closed without an accept (the `reason` of `offer_withdrawn`).
    pub enum OfferClosed (field = "reason") {
        Declined = "declined",
        Expired = "expired",
        Withdrawn = "withdrawn",
        /// The visitor left first.
        ConversationEnded = "conversation_ended",
    }
}

impl From<OfferState> for OfferClosed {
    /// How a resolved offer that was not accepted reads to its agent (an accepted one becomes
    /// `conversation_assigned` instead; it and `pending` never close so).
    fn from(s: OfferState) -> Self {
        match s {
            OfferState::Declined => OfferClosed::Declined,
            OfferState::Withdrawn => OfferClosed::Withdrawn,
            OfferState::Pending | OfferState::Accepted | OfferState::Expired => {
                OfferClosed::Expired
            }
        }
    }
}

string_enum! {
    /// Where one delivery of an outbox stands (a webhook event, an email): `Pending` until
    /// done (`Delivered` to a webhook receiver, `Sent` to the SMTP server) or given up
    /// (`Failed`, every retry used).
    pub enum DeliveryStatus (field = "status") {
        Pending = "pending",
        Delivered = "delivered",
        Sent = "sent",
        Failed = "failed",
    }
}

string_enum! {
    /// Who wrote a message, or is typing.
    pub enum Sender (field = "sender") {
        Visitor = "visitor",
        Agent = "agent",
        System = "system",
        /// The dialogue's cards, as the visitor saw them (SPEC §12.2).
        Bot = "bot",
    }
}

string_enum! {
    /// What a stored message is: part of the conversation, or an internal note that agents
    /// and admins read and the visitor never does (SPEC §12.3).
    pub enum MessageKind (field = "kind") {
        Message = "message",
        Note = "note",
    }
}

string_enum! {
    /// An agent's availability, set by the agent in the inbox.
    pub enum Availability (field = "status") {
        Available = "available",
        Away = "away",
        Offline = "offline",
    }
}

string_enum! {
    /// Why an agent's availability changed (the `reason` of `availability_changed`).
    pub enum AvailabilityReason (field = "reason") {
        /// The agent chose it (in any of their inboxes, or by logging out).
        Chosen = "chosen",
        /// Offers in a row expired unanswered (`away_after_missed_offers`).
        MissedOffers = "missed_offers",
        /// Their schedule opened or closed.
        Schedule = "schedule",
    }
}

string_enum! {
    /// Why a conversation ended: someone ended it, or nobody wrote for the idle timeout.
    pub enum EndReason (field = "reason") {
        Ended = "ended",
        Idle = "idle",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T])
    where
        T: Copy + PartialEq + fmt::Debug + fmt::Display + FromStr + serde::Serialize,
        T: serde::de::DeserializeOwned,
    {
        for &v in all {
            let name = v.to_string();
            assert_eq!(name.parse::<T>().ok(), Some(v), "{name}");
            assert_eq!(serde_json::to_value(v).unwrap(), serde_json::json!(name));
            assert_eq!(
                serde_json::from_value::<T>(serde_json::json!(name)).unwrap(),
                v
            );
        }
    }

    #[test]
    fn every_state_has_one_name_everywhere() {
        round_trips(ConversationStatus::ALL);
        round_trips(OfferState::ALL);
        round_trips(Sender::ALL);
        round_trips(Availability::ALL);
        round_trips(EndReason::ALL);
        round_trips(DeliveryStatus::ALL);
        round_trips(RequestStatus::ALL);
        round_trips(OfferClosed::ALL);
        round_trips(WidgetStatus::ALL);
    }

    #[test]
    fn an_unknown_name_is_refused_with_the_choices() {
        let e = "busy".parse::<Availability>().unwrap_err();
        assert_eq!(e.field, "status");
        assert_eq!(e.message, "must be one of: available, away, offline");
        assert!(serde_json::from_str::<OfferState>("\"maybe\"").is_err());
    }

    #[test]
    fn a_visitor_writes_only_while_routing_or_live() {
        let may: Vec<_> = ConversationStatus::ALL
            .iter()
            .copied()
            .filter(|s| s.visitor_may_write())
            .collect();
        assert_eq!(may, [ConversationStatus::Routing, ConversationStatus::Live]);
    }
}
