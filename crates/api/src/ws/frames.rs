//! The frames of the live-chat sockets (SPEC §11, `openapi/asyncapi.yaml`): one enum for what
//! a client may send, one for what the server sends. The server's frames are the Bus's events
//! (the service's [`Event`]) plus the socket's own: `hello`, `error` and `pong`.

use serde::{Deserialize, Serialize};
use switchboard_core::{ConversationStatus, Sender};
use switchboard_service::events::Event;
use uuid::Uuid;

/// What a client may send.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum ClientFrame {
    /// The inbox displayed this offer.
    OfferAck {
        offer_id: Uuid,
    },
    Message {
        /// Required from agents; a visitor writes in their one conversation.
        conversation_id: Option<Uuid>,
        body: String,
        client_id: Option<String>,
    },
    Typing {
        conversation_id: Option<Uuid>,
        #[serde(default = "yes")]
        typing: bool,
    },
    /// After reconnecting: send what came after `after_seq`.
    Resume {
        conversation_id: Option<Uuid>,
        after_seq: i64,
    },
    Ping,
}

fn yes() -> bool {
    true
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum ServerFrame {
    /// The socket is ready: where the client's conversations stand.
    Hello(Hello),
    /// A client frame was refused (`client_id`: the message it was about).
    Error {
        detail: String,
        client_id: Option<String>,
    },
    /// The answer to a client's `ping`.
    Pong,
    /// Something happened in live chat (carries its own `type`).
    #[serde(untagged)]
    Event(Event),
}

/// The `hello` frame's body: an agent's live conversations, or a visitor's one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub(crate) enum Hello {
    Agent {
        conversations: Vec<Position>,
    },
    Visitor {
        conversation_id: Uuid,
        status: ConversationStatus,
        last_seq: i64,
    },
}

/// A conversation and the `seq` of its last message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Position {
    pub conversation_id: Uuid,
    pub last_seq: i64,
}

impl ServerFrame {
    pub(crate) fn error(detail: impl Into<String>, client_id: Option<&str>) -> Self {
        ServerFrame::Error {
            detail: detail.into(),
            client_id: client_id.map(str::to_owned),
        }
    }

    pub(crate) fn to_json(&self) -> String {
        // Plain data with string keys: serializing cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The parts of a Bus event a socket reads to route it; the event itself is forwarded as it
/// came, without being parsed whole.
#[derive(Debug, Deserialize)]
pub(crate) struct EventHeader {
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub conversation_id: Option<Uuid>,
    pub seq: Option<i64>,
    pub sender: Option<Sender>,
}

/// The kinds of Bus event a socket treats apart; every other kind is forwarded as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum EventKind {
    Message,
    NoteAdded,
    Typing,
    ConversationAssigned,
    ConversationJoined,
    ConversationLeft,
    ConversationEnded,
    ConversationTransferred,
    TokensRevoked,
    #[serde(other)]
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use switchboard_core::EndReason;

    #[test]
    fn the_sockets_own_frames_keep_their_wire_form() {
        let id = Uuid::nil();
        let agent = ServerFrame::Hello(Hello::Agent {
            conversations: vec![Position {
                conversation_id: id,
                last_seq: 3,
            }],
        });
        assert_eq!(
            serde_json::to_value(&agent).unwrap(),
            json!({"type": "hello", "conversations": [{"conversation_id": id, "last_seq": 3}]})
        );
        let visitor = ServerFrame::Hello(Hello::Visitor {
            conversation_id: id,
            status: ConversationStatus::Routing,
            last_seq: 0,
        });
        assert_eq!(
            serde_json::to_value(&visitor).unwrap(),
            json!({"type": "hello", "conversation_id": id, "status": "routing", "last_seq": 0})
        );
        assert_eq!(
            serde_json::to_value(ServerFrame::error("no", Some("c1"))).unwrap(),
            json!({"type": "error", "detail": "no", "client_id": "c1"})
        );
        assert_eq!(ServerFrame::Pong.to_json(), r#"{"type":"pong"}"#);
    }

    #[test]
    fn an_event_goes_out_as_the_event_itself() {
        let event = Event::ConversationEnded {
            conversation_id: Uuid::nil(),
            by: Sender::System,
            reason: EndReason::Ended,
        };
        assert_eq!(ServerFrame::Event(event.clone()).to_json(), event.to_json());
    }

    #[test]
    fn client_frames_read_as_documented() {
        let f: ClientFrame =
            serde_json::from_value(json!({"type": "typing", "conversation_id": null})).unwrap();
        assert_eq!(
            f,
            ClientFrame::Typing {
                conversation_id: None,
                typing: true
            }
        );
        let f: ClientFrame = serde_json::from_str(r#"{"type":"ping"}"#).unwrap();
        assert_eq!(f, ClientFrame::Ping);
        assert!(serde_json::from_str::<ClientFrame>(r#"{"type":"shout"}"#).is_err());
    }

    #[test]
    fn an_event_header_names_the_kinds_a_socket_treats_apart() {
        let h: EventHeader = serde_json::from_str(
            r#"{"type":"typing","conversation_id":null,"sender":"agent","typing":true}"#,
        )
        .unwrap();
        assert_eq!(h.kind, EventKind::Typing);
        assert_eq!(h.sender, Some(Sender::Agent));
        let h: EventHeader = serde_json::from_str(r#"{"type":"agent_joined"}"#).unwrap();
        assert_eq!(h.kind, EventKind::Other);
    }
}
