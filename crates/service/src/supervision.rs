//! Supervision (issue 16): an admin joins a live chat beside its agent, writes in it (the
//! visitor sees who joined and who wrote), and leaves it. Joining and leaving are lines of
//! the transcript, audited, and told to the admin's inboxes so they follow the chat live.

use serde_json::json;
use switchboard_core::{ConversationStatus, MessageKind, TenantId};
use switchboard_realtime::Topic;
use switchboard_store::conversations;
use switchboard_store::{audit, participants};
use uuid::Uuid;

use crate::chat::write_line;
use crate::events::{Event, MessageFrame};
use crate::views::{Conversation, Message};
use crate::{Principal, Service, ServiceError, ServiceResult};

/// Joining or leaving.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Move {
    Join,
    Leave,
}

impl Service {
    /// An admin joins a live chat held by another agent: from now on they read it live and
    /// may write in it. Joining twice changes nothing.
    pub async fn join_conversation(
        &self,
        who: &Principal,
        id: Uuid,
    ) -> ServiceResult<Conversation> {
        self.supervise(who, id, Move::Join).await
    }

    /// An admin leaves a chat they joined.
    pub async fn leave_conversation(
        &self,
        who: &Principal,
        id: Uuid,
    ) -> ServiceResult<Conversation> {
        self.supervise(who, id, Move::Leave).await
    }

    async fn supervise(
        &self,
        who: &Principal,
        id: Uuid,
        step: Move,
    ) -> ServiceResult<Conversation> {
        let tenant = who.admin_tenant()?;
        let c = conversations::find(self.db(), tenant, id).await?;
        let user = who.user_id().ok_or(ServiceError::Forbidden(
            "joining a chat is for a signed-in admin, not an API key",
        ))?;
        // Whether the admin holds the chat and whether it is live are read in the
        // transaction below (a transfer or an end may commit meanwhile).
        let name = self.agent_card(tenant, user).await?.display_name;
        let language = self.visitor_language_of(&c).await?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        if conversations::find(&txn, tenant, c.id)
            .await?
            .assigned_agent_id
            == Some(user.as_uuid())
        {
            txn.rollback().await?;
            return Err(ServiceError::conflict(
                "conversation",
                "you hold this chat: end it or transfer it instead",
            ));
        }
        let changed = match step {
            Move::Join => participants::join(&txn, tenant, c.id, user.as_uuid()).await?,
            Move::Leave => participants::leave(&txn, tenant, c.id, user.as_uuid()).await?,
        };
        if !changed {
            txn.rollback().await?;
            return match step {
                Move::Join => self.conversation(who, id).await,
                Move::Leave => Err(ServiceError::conflict(
                    "conversation",
                    "you have not joined this chat",
                )),
            };
        }
        // The transcript says who came and went, for the visitor too; a join needs the chat
        // still live (checked with the line), a leave writes one only while it is.
        let line_id = match step {
            Move::Join => "chat-joined",
            Move::Leave => "chat-left",
        };
        let text = switchboard_i18n::text(language, line_id, &[("name", name.as_str().into())]);
        let live = [ConversationStatus::Live];
        let line = write_line(&txn, tenant, c.id, &live, None, MessageKind::Message, text).await?;
        if line.is_none() && step == Move::Join {
            txn.rollback().await?;
            return Err(ServiceError::conflict(
                "conversation",
                "only a live chat can be joined: this one is not live",
            ));
        }
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: match step {
                    Move::Join => "conversation.joined",
                    Move::Leave => "conversation.left",
                },
                target_kind: "conversation",
                target_id: Some(c.id),
                details: json!({}),
            },
        )
        .await?;
        txn.commit().await?;
        self.announce(
            Topic::Agent(tenant, user),
            &match step {
                Move::Join => Event::ConversationJoined {
                    conversation_id: c.id,
                },
                Move::Leave => Event::ConversationLeft {
                    conversation_id: c.id,
                },
            },
        )
        .await;
        if let Some(m) = line {
            self.announce(
                Topic::Conversation(c.id),
                &Event::Message(MessageFrame::from(&Message::from(m))),
            )
            .await;
        }
        self.conversation(who, id).await
    }

    /// Who joined each of these conversations beside its agent, in order of joining.
    pub(crate) async fn participants_of(
        &self,
        tenant: TenantId,
        ids: &[Uuid],
    ) -> ServiceResult<Vec<(Uuid, Uuid)>> {
        Ok(participants::of_conversations(self.db(), tenant, ids)
            .await?
            .into_iter()
            .map(|p| (p.conversation_id, p.user_id))
            .collect())
    }
}
