//! A widget session that is not stored yet (issue 15). A visitor who opens the widget and
//! leaves writes nothing: until they answer a card or ask for an agent, their session lives
//! in their token only — the conversation's id, the published version and the card they
//! stand at, where they came from — sealed under the server's secret key, so it can be
//! neither read nor forged, and served by any node. Their first answer stores the
//! conversation (with the bot's first line) under that same id and token. A token unused for
//! [`ABANDONED_AFTER_HOURS`](crate::privacy::ABANDONED_AFTER_HOURS) starts afresh.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use switchboard_core::ConversationStatus;
use switchboard_core::dialogue::Dialogue;
use switchboard_core::routing::trace::RoutingTrace;
use switchboard_store::conversations;
use uuid::Uuid;

use crate::seal::Sealer;
use crate::sha256_hex;

/// Tokens of unsaved sessions start with this (stored ones are `sbv_` and base64url, which
/// has no `.`).
const PREFIX: &str = "sbv_p.";

/// What an unsaved session's token carries.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Unsaved {
    #[serde(rename = "c")]
    pub conversation: Uuid,
    #[serde(rename = "t")]
    pub tenant: Uuid,
    #[serde(rename = "v")]
    pub version: Uuid,
    /// The card the visitor stands at.
    #[serde(rename = "k")]
    pub card: String,
    /// How many lines the bot said so far.
    #[serde(rename = "n")]
    pub said: i64,
    #[serde(rename = "at")]
    pub started: DateTime<Utc>,
    /// The conversation's `visitor` (location, page, identity; nothing captured yet).
    #[serde(rename = "w")]
    pub visitor: serde_json::Value,
    #[serde(rename = "ip", default, skip_serializing_if = "Option::is_none")]
    pub ip_hash: Option<String>,
    /// The visitor's id, when it is not the conversation's (a returning visitor).
    #[serde(rename = "vi", default, skip_serializing_if = "Option::is_none")]
    pub visitor_id: Option<Uuid>,
}

impl Unsaved {
    pub fn token(&self, sealer: &Sealer) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        format!("{PREFIX}{}", sealer.seal_bare(&json))
    }

    /// The session a token carries, if it is one of this server's and not abandoned.
    pub fn open(token: &str, sealer: &Sealer, at: DateTime<Utc>) -> Option<Self> {
        let json = sealer.open_bare(token.strip_prefix(PREFIX)?)?;
        let unsaved: Self = serde_json::from_str(&json).ok()?;
        (at - unsaved.started < Duration::hours(crate::privacy::ABANDONED_AFTER_HOURS))
            .then_some(unsaved)
    }

    /// The conversation as it will be stored (and as the widget sees it until then).
    pub fn model(&self, token: &str) -> conversations::Model {
        conversations::Model {
            id: self.conversation,
            tenant_id: self.tenant,
            status: ConversationStatus::Dialogue,
            visitor: self.visitor.clone(),
            routing: serde_json::Value::Null,
            card_fallback_message: None,
            assigned_agent_id: None,
            reservation_id: None,
            fallback_reason: None,
            trace: serde_json::to_value(RoutingTrace::new("none")).unwrap_or_default(),
            created_at: self.started,
            updated_at: self.started,
            ended_at: None,
            dialogue: None,
            card_id: Some(self.card.clone()),
            visitor_token_hash: Some(sha256_hex(token)),
            last_seq: self.said,
            last_activity_at: None,
            queue_max_wait_seconds: None,
            queue_target: None,
            queued_at: None,
            queue_deadline: None,
            visitor_id: Some(self.visitor_id.unwrap_or(self.conversation)),
            left_message_name: None,
            left_message_email: None,
            left_message_body: None,
            left_message_at: None,
            visitor_ip_hash: self.ip_hash.clone(),
            dialogue_version_id: Some(self.version),
            rating_score: None,
            rating_comment: None,
            rated_at: None,
            transcript_sent_at: None,
        }
    }

    /// What the bot said so far: the start card's line. `None` if the token does not fit
    /// the dialogue.
    pub fn transcript(&self, dialogue: &Dialogue) -> Option<Vec<String>> {
        let start = dialogue.start();
        let lines: Vec<String> = start.says().map(str::to_owned).into_iter().collect();
        (start.id == self.card && i64::try_from(lines.len()).ok() == Some(self.said))
            .then_some(lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unsaved() -> Unsaved {
        Unsaved {
            conversation: Uuid::now_v7(),
            tenant: Uuid::now_v7(),
            version: Uuid::now_v7(),
            card: "start".into(),
            said: 1,
            started: Utc::now(),
            visitor: serde_json::json!({"country": "FR", "captured": {}}),
            ip_hash: Some(sha256_hex("203.0.113.9")),
            visitor_id: None,
        }
    }

    #[test]
    fn a_token_opens_with_its_key_only_and_not_once_abandoned() {
        let key = Sealer::new(b"0123456789abcdef0123456789abcdef");
        let u = unsaved();
        let token = u.token(&key);
        assert!(token.starts_with(PREFIX));
        assert!(!token.contains("203.0.113.9") && !token.contains("country"));
        let opened = Unsaved::open(&token, &key, Utc::now()).unwrap();
        assert_eq!(opened.conversation, u.conversation);
        assert_eq!(opened.visitor, u.visitor);
        let other = Sealer::new(b"another key, another server.....");
        assert!(Unsaved::open(&token, &other, Utc::now()).is_none());
        let mut altered = token.clone().into_bytes();
        let last = altered.len() - 3;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        assert!(Unsaved::open(&altered, &key, Utc::now()).is_none());
        assert!(Unsaved::open(&token, &key, Utc::now() + Duration::hours(25)).is_none());
        assert!(Unsaved::open("sbv_abcdef", &key, Utc::now()).is_none());
        let model = opened.model(&token);
        assert_eq!(model.visitor_token_hash, Some(sha256_hex(&token)));
        assert_eq!(model.dialogue_version_id, Some(u.version));
        assert_eq!(model.visitor_id, Some(u.conversation));
    }
}
