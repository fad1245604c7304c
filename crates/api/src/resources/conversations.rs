use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use switchboard_service::Service;
use uuid::Uuid;

use super::{ApiResult, ApiTags, Created, NoContent, page};
use crate::auth::BearerAuth;
use crate::dto::{Conversation, ConversationList};
use crate::dto::{
    FailedActionList, Message, MessageList, NoteRequest, QueueList, SendMessageRequest,
};
use crate::text::Text;

pub struct ConversationsApi;

#[OpenApi(tag = "ApiTags::Conversations")]
impl ConversationsApi {
    /// The tenant's conversations, newest first. Admins see every conversation (narrow with
    /// `agent_id`, and `status`: one or more of `dialogue`, `completed`, `routing`, `live`,
    /// `fallback`, `ended`, comma-separated without spaces); an agent sees those assigned to them.
    /// `visitor_id` narrows to one visitor's conversations (a conversation's `visitor_id`:
    /// their earlier ones).
    #[oai(
        path = "/conversations",
        method = "get",
        operation_id = "list_conversations"
    )]
    // poem-openapi takes each query parameter as an argument of its own.
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u64>>,
        #[oai(validator(
            pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        ))]
        cursor: Query<Option<String>>,
        #[oai(validator(
            pattern = r"^(dialogue|completed|routing|live|fallback|ended)(,(dialogue|completed|routing|live|fallback|ended))*$"
        ))]
        status: Query<Option<String>>,
        agent_id: Query<Option<Uuid>>,
        visitor_id: Query<Option<Uuid>>,
    ) -> ApiResult<Json<ConversationList>> {
        let page = page(limit.0, cursor.0)?;
        let filter = switchboard_service::views::ConversationFilter {
            agent: agent_id.0,
            statuses: status
                .0
                .iter()
                .flat_map(|s| s.split(','))
                .map(str::parse::<switchboard_core::ConversationStatus>)
                .collect::<Result<_, _>>()
                .map_err(switchboard_service::ServiceError::Validation)?,
            visitor: visitor_id.0,
        };
        Ok(Json(
            svc.list_conversations(&auth.0, filter, page).await?.into(),
        ))
    }

    /// A conversation with its routing trace (admins, and the assigned agent).
    #[oai(
        path = "/conversations/:id",
        method = "get",
        operation_id = "get_conversation"
    )]
    async fn get(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Conversation>> {
        Ok(Json(svc.conversation(&auth.0, id.0).await?.into()))
    }

    /// The transcript: messages with `seq` above `after` (default 0), in order, at most
    /// `limit` (default and maximum 500). Admins, and the assigned agent.
    #[oai(
        path = "/conversations/:id/messages",
        method = "get",
        operation_id = "list_messages"
    )]
    async fn messages(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        after: Query<Option<i64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u64>>,
    ) -> ApiResult<Json<MessageList>> {
        let after = after.0.unwrap_or(0);
        let items = svc
            .messages(&auth.0, id.0, after, limit.0.unwrap_or(500))
            .await?;
        Ok(Json(MessageList::new(items, after)))
    }

    /// Send a message as the assigned agent of a live conversation (or an admin who joined
    /// it). The answer is the stored
    /// message with its `seq`; the same `client_id` again returns it without a copy.
    #[oai(
        path = "/conversations/:id/messages",
        method = "post",
        operation_id = "send_message"
    )]
    async fn send(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<SendMessageRequest>,
    ) -> ApiResult<Created<Message>> {
        let b = body.0;
        let client_id = Text::into_option(b.client_id);
        let m = svc
            .agent_send(&auth.0, id.0, b.body.as_str(), client_id.as_deref())
            .await?;
        Ok(Created::Created(Json(m.into())))
    }

    /// Write an internal note in a conversation (admins, and its assigned agent), once the
    /// visitor asked for an agent: live, waiting, ended or fallen back. Agents and admins read
    /// it in the transcript as a message with `kind: "note"`; the visitor never does (not in
    /// the widget, on the socket, in an email or an export).
    #[oai(
        path = "/conversations/:id/notes",
        method = "post",
        operation_id = "add_note"
    )]
    async fn add_note(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<NoteRequest>,
    ) -> ApiResult<Created<Message>> {
        let m = svc.add_note(&auth.0, id.0, body.0.body.as_str()).await?;
        Ok(Created::Created(Json(m.into())))
    }

    /// End a conversation (its assigned agent): the agent's slot is freed at once and the
    /// visitor is told. Ending one that is over already is a 409.
    #[oai(
        path = "/conversations/:id/end",
        method = "post",
        operation_id = "end_conversation"
    )]
    async fn end(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        svc.agent_end(&auth.0, id.0).await?;
        Ok(NoContent::NoContent)
    }

    /// Join a live chat held by another agent (admins, signed in): from now on the admin's
    /// inbox follows it live and they may write in it (`POST .../messages`, the socket, files)
    /// until they leave. The visitor and the agent see "<name> joined the chat." Joining twice
    /// changes nothing; a chat that is not live, or is the admin's own, is a 409.
    #[oai(
        path = "/conversations/:id/join",
        method = "post",
        operation_id = "join_conversation"
    )]
    async fn join(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Conversation>> {
        Ok(Json(svc.join_conversation(&auth.0, id.0).await?.into()))
    }

    /// Leave a chat the admin joined: their inbox stops following it ("<name> left the chat."
    /// while it is live). Leaving one not joined is a 409.
    #[oai(
        path = "/conversations/:id/leave",
        method = "post",
        operation_id = "leave_conversation"
    )]
    async fn leave(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Conversation>> {
        Ok(Json(svc.leave_conversation(&auth.0, id.0).await?.into()))
    }

    /// Live chats that failed, newest first (admins): the reason, the visitor, the agents
    /// who missed it.
    #[oai(
        path = "/failed-actions",
        method = "get",
        operation_id = "list_failed_actions"
    )]
    async fn failed_actions(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u64>>,
        #[oai(validator(
            pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        ))]
        cursor: Query<Option<String>>,
    ) -> ApiResult<Json<FailedActionList>> {
        let page = page(limit.0, cursor.0)?;
        Ok(Json(svc.failed_actions(&auth.0, page).await?.into()))
    }

    /// Visitors waiting in line for an agent (a live-chat card with `when_busy: "queue"`
    /// when every agent was busy), longest waiting first, with their place in their line.
    /// Admins and agents.
    #[oai(path = "/queue", method = "get", operation_id = "list_queue")]
    async fn queue(&self, svc: Data<&Service>, auth: BearerAuth) -> ApiResult<Json<QueueList>> {
        Ok(Json(svc.queue(&auth.0).await?.into()))
    }
}
