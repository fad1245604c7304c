//! The message a visitor leaves when no agent could take their chat (SPEC §12.2): a lead
//! the sales team must not lose. Stored on the conversation (one per conversation: the
//! first stands, a second is a conflict, so nobody's answer is built on a message that
//! then changed), emailed to the people the failed-action email goes to, and sent as the
//! webhook event `conversation.message_left`.

use serde_json::json;
use switchboard_core::error::bounded_text;
use switchboard_core::user::EmailAddress;
use switchboard_core::{ConversationStatus, TenantId};
use switchboard_store::conversations::{self, LeftMessage as Left};
use uuid::Uuid;

use crate::chat::MAX_BODY_CHARS;
use crate::views::LeftMessage;
use crate::{Service, ServiceError, ServiceResult};

/// The longest name a visitor may give.
const MAX_NAME_CHARS: usize = 200;

impl Service {
    /// The visitor leaves a message on their conversation, which fell back.
    pub async fn leave_message(
        &self,
        visitor_token: &str,
        id: Uuid,
        name: Option<&str>,
        email: &str,
        message: &str,
    ) -> ServiceResult<LeftMessage> {
        let c = self.visitor_conversation(visitor_token, id).await?;
        let tenant = TenantId::from_uuid(c.tenant_id);
        let name = match name.map(str::trim) {
            None | Some("") => None,
            Some(n) => Some(bounded_text("name", n, 1, MAX_NAME_CHARS)?),
        };
        let email = EmailAddress::parse(email)?;
        let message = bounded_text("message", message, 1, MAX_BODY_CHARS)?;
        let left = Left {
            name,
            email: email.as_str().to_owned(),
            body: message,
        };
        // The message, its webhook event and its emails are committed together.
        let txn = switchboard_store::begin_write(self.db()).await?;
        if !conversations::leave_message(&txn, tenant, c.id, left).await? {
            txn.rollback().await?;
            // An unsaved session (nothing stored yet) is still in its dialogue.
            let now = match conversations::find(self.db(), tenant, c.id).await {
                Err(switchboard_store::StoreError::NotFound) => c,
                found => found?,
            };
            return Err(why_not(&now));
        }
        let c = conversations::find(&txn, tenant, c.id).await?;
        let left = LeftMessage::of(&c).ok_or(ServiceError::NotFound)?;
        let mut outbox = self
            .webhook_outbox(
                tenant,
                &[(
                    "conversation.message_left",
                    json!({
                        "conversation_id": c.id,
                        "visitor_id": c.visitor_id,
                        "name": left.name,
                        "email": left.email,
                        "message": left.message,
                        "left_at": left.left_at,
                        "visitor": c.visitor,
                    }),
                )],
            )
            .await?;
        outbox.emails = self.left_message_emails(&txn, &c).await?;
        outbox.write(&txn).await?;
        txn.commit().await?;
        Ok(left)
    }
}

/// Why a conversation takes no message: it has one, or it did not fall back.
fn why_not(c: &conversations::Model) -> ServiceError {
    if c.left_message_at.is_some() {
        return ServiceError::conflict(
            "message",
            "a message was left on this conversation already",
        );
    }
    match c.status {
        ConversationStatus::Routing | ConversationStatus::Live => ServiceError::conflict(
            "conversation",
            "the conversation is waiting for an agent or live: write in the chat instead",
        ),
        _ => ServiceError::conflict(
            "conversation",
            "a message can be left only after no agent could take the chat",
        ),
    }
}

/// The longest comment with a rating.
const MAX_COMMENT_CHARS: usize = 2000;

impl Service {
    /// The visitor rates their chat (1 to 5, and a comment) once it ended after an agent took
    /// it; once only (a second rating is a conflict). Shown in the transcript and the API,
    /// and sent as the webhook event `conversation.rated`.
    pub async fn rate_conversation(
        &self,
        visitor_token: &str,
        id: Uuid,
        score: i64,
        comment: Option<&str>,
    ) -> ServiceResult<crate::views::Rating> {
        let c = self.saved_conversation(visitor_token, id).await?;
        let tenant = TenantId::from_uuid(c.tenant_id);
        let score = i32::try_from(score)
            .ok()
            .filter(|s| (1..=5).contains(s))
            .ok_or_else(|| {
                switchboard_core::ValidationError::new(
                    "score",
                    "must be a whole number from 1 to 5",
                )
            })?;
        let comment = match comment.map(str::trim) {
            None | Some("") => None,
            Some(t) => Some(bounded_text("comment", t, 1, MAX_COMMENT_CHARS)?),
        };
        let outbox = self
            .webhook_outbox(
                tenant,
                &[(
                    "conversation.rated",
                    json!({"conversation_id": c.id, "score": score, "comment": comment,
                           "agent_id": c.assigned_agent_id}),
                )],
            )
            .await?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        if !conversations::rate(&txn, tenant, c.id, score, comment).await? {
            txn.rollback().await?;
            let now = conversations::find(self.db(), tenant, c.id).await?;
            return Err(if now.rated_at.is_some() {
                ServiceError::conflict("score", "this chat was rated already")
            } else {
                ServiceError::conflict(
                    "conversation",
                    "a chat can be rated once it has ended, after an agent took it",
                )
            });
        }
        outbox.write(&txn).await?;
        let c = conversations::find(&txn, tenant, c.id).await?;
        txn.commit().await?;
        crate::views::Rating::of(&c).ok_or(ServiceError::NotFound)
    }
}

/// The most lines a transcript email carries.
const MAX_TRANSCRIPT_LINES: u64 = 2000;

impl Service {
    /// The visitor asks for their conversation by email, at the address they gave in it:
    /// what they saw (the dialogue, messages, files by name; never a note), once per
    /// conversation, through the outbox.
    pub async fn email_transcript(&self, visitor_token: &str, id: Uuid) -> ServiceResult<String> {
        let c = self.saved_conversation(visitor_token, id).await?;
        let tenant = TenantId::from_uuid(c.tenant_id);
        let Some(email) = c.visitor["captured"]["email"]
            .as_str()
            .and_then(|e| EmailAddress::parse(e).ok())
        else {
            return Err(ServiceError::conflict(
                "email",
                "no email address was given in this chat: there is nowhere to send it",
            ));
        };
        let workspace = switchboard_store::tenants::find(self.db(), tenant).await?;
        // The visitor reads in the workspace's language (they are no member).
        let reader = self.workspace_reader(self.db(), tenant).await?;
        let tx = switchboard_i18n::Texts(reader.locale);
        let mut names: std::collections::HashMap<Uuid, String> = Default::default();
        let mut lines = Vec::new();
        for m in switchboard_store::messages::visible_after_unscoped(
            self.db(),
            c.id,
            0,
            MAX_TRANSCRIPT_LINES,
        )
        .await?
        {
            let sender = match (m.sender, m.author_id) {
                (switchboard_core::Sender::Visitor, _) => tx.t("email-you"),
                (switchboard_core::Sender::Bot, _) => workspace.name.clone(),
                (switchboard_core::Sender::Agent, Some(a)) => match names.get(&a) {
                    Some(n) => n.clone(),
                    None => {
                        let card = self
                            .agent_card(tenant, switchboard_core::UserId::from_uuid(a))
                            .await?;
                        names.insert(a, card.display_name.clone());
                        card.display_name
                    }
                },
                (switchboard_core::Sender::Agent, None) => tx.t("sender-agent"),
                (switchboard_core::Sender::System, _) => "·".to_owned(),
            };
            let body = match &m.attachment {
                Some(_) => format!("{} {}", tx.t("email-file"), m.body),
                None => m.body,
            };
            lines.push(switchboard_notify::mail::TranscriptLine {
                sender,
                at: switchboard_i18n::format::date_time(reader.locale, reader.timezone, m.sent_at),
                body,
            });
        }
        let transcript = switchboard_notify::mail::VisitorTranscript {
            tx,
            workspace: workspace.name.clone(),
            name: c.visitor["captured"]["first_name"]
                .as_str()
                .map(str::to_owned),
            lines,
        };
        let (text, html) = transcript.render().map_err(ServiceError::internal)?;
        let sealer = &self.auth_config().sealer;
        let txn = switchboard_store::begin_write(self.db()).await?;
        if !conversations::mark_transcript_sent(&txn, tenant, c.id).await? {
            txn.rollback().await?;
            return Err(ServiceError::conflict(
                "conversation",
                "the transcript of this chat was emailed already",
            ));
        }
        switchboard_store::mail::insert(
            &txn,
            crate::mail::outbox_row(
                c.tenant_id,
                "visitor_transcript",
                Some(c.id),
                email.as_str(),
                &transcript.subject(),
                (sealer.seal(&text), sealer.seal(&html)),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(email.as_str().to_owned())
    }
}
