//! Files in conversations (SPEC §12.3): an agent or the visitor sends one (an image shown in
//! place, or a PDF), checked by its bytes and name, kept in the database and carried by a
//! message of its own (its body is the file's name, so transcripts and emails name it).
//! Read back by the conversation's staff or its visitor only.

use switchboard_core::attachment;
use switchboard_core::{ConversationStatus, TenantId};
use switchboard_realtime::Topic;
use switchboard_store::attachments;
use uuid::Uuid;

use crate::chat::{Side, not_open};
use crate::events::{Event, MessageFrame};
use crate::message_writer::{Draft, Written};
use crate::views::{AttachmentMeta, Message};
use crate::{Principal, Service, ServiceResult};

/// A file as it is served.
#[derive(Debug, Clone)]
pub struct AttachmentFile {
    pub name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

impl From<attachments::Model> for AttachmentFile {
    fn from(a: attachments::Model) -> Self {
        Self {
            name: a.name,
            content_type: a.content_type,
            data: a.data,
        }
    }
}

impl Service {
    /// The assigned agent (or an admin who joined) sends a file in a live conversation.
    pub async fn agent_attach(
        &self,
        who: &Principal,
        id: Uuid,
        name: &str,
        bytes: Vec<u8>,
    ) -> ServiceResult<Message> {
        let (c, agent) = self.writable_conversation(who, id).await?;
        if c.status != ConversationStatus::Live {
            return Err(not_open());
        }
        self.attach(
            TenantId::from_uuid(c.tenant_id),
            c.id,
            Side::Agent(agent),
            name,
            bytes,
        )
        .await
    }

    /// The visitor sends a file in their conversation (waiting for an agent, or live); it
    /// counts as one of their messages for the rate limit.
    pub async fn visitor_attach(
        &self,
        visitor_token: &str,
        id: Uuid,
        name: &str,
        bytes: Vec<u8>,
    ) -> ServiceResult<Message> {
        let c = self.visitor_conversation(visitor_token, id).await?;
        if !c.status.visitor_may_write() {
            return Err(not_open());
        }
        self.limit(crate::limits::Limit::VisitorMessages, &c.id.to_string())
            .await?;
        self.attach(
            TenantId::from_uuid(c.tenant_id),
            c.id,
            Side::Visitor,
            name,
            bytes,
        )
        .await
    }

    /// Checks the file, stores it, then the message that carries it (which the conversation
    /// must still take: else the file goes too), and tells both sides.
    async fn attach(
        &self,
        tenant: TenantId,
        conversation: Uuid,
        side: Side,
        name: &str,
        bytes: Vec<u8>,
    ) -> ServiceResult<Message> {
        let (author, open) = side.writes().ok_or_else(not_open)?;
        let content_type = attachment::detect(&bytes)?;
        let name = attachment::clean_name(name, content_type)?;
        let stored =
            attachments::insert(self.db(), tenant, conversation, &name, content_type, bytes)
                .await?;
        let meta = AttachmentMeta {
            id: stored.id,
            name: stored.name.clone(),
            content_type: stored.content_type.clone(),
            size: stored.size,
        };
        let written = self
            .messages_writer()
            .write(Draft {
                tenant,
                conversation,
                sender: side.sender(),
                author,
                body: name,
                client_id: None,
                open,
                attachment: serde_json::to_value(&meta).ok(),
            })
            .await;
        let m = match written {
            Ok(Written::Stored(m)) => Message::from(m),
            other => {
                // Not taken: the file is not kept either.
                if let Err(e) = attachments::delete(self.db(), tenant, stored.id).await {
                    tracing::warn!(error = %e, "deleting a file whose message was not stored");
                }
                return Err(match other {
                    Err(e) => e,
                    _ => not_open(),
                });
            }
        };
        self.announce(
            Topic::Conversation(conversation),
            &Event::Message(MessageFrame::from(&m)),
        )
        .await;
        Ok(m)
    }

    /// A file, for the conversation's admins and assigned agent.
    pub async fn attachment_for_staff(
        &self,
        who: &Principal,
        id: Uuid,
    ) -> ServiceResult<AttachmentFile> {
        let tenant = who.member_tenant()?;
        let a = attachments::find(self.db(), tenant, id).await?;
        self.conversation(who, a.conversation_id).await?;
        Ok(AttachmentFile::from(a))
    }

    /// A file, for the visitor of its conversation.
    pub async fn attachment_for_visitor(
        &self,
        visitor_token: &str,
        id: Uuid,
    ) -> ServiceResult<AttachmentFile> {
        let a = attachments::find_unscoped(self.db(), id).await?;
        self.visitor_conversation(visitor_token, a.conversation_id)
            .await?;
        Ok(AttachmentFile::from(a))
    }
}
