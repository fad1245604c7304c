use poem::Request;
use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use switchboard_service::Service;
use uuid::Uuid;

use super::users::{AvatarResponse, avatar_response};
use super::{ApiResult, ApiTags, Created, NoContent};
use crate::auth::VisitorAuth;
use crate::dto::{
    AnswerRequest, LeaveMessageRequest, LeftMessage, WidgetSession, WidgetSessionRequest,
};
use crate::dto::{Message, MessageList, Rating, RatingRequest, SendMessageRequest};
use crate::geo::Locator;
use crate::text::Text;
use switchboard_core::UserId;

pub struct WidgetApi;

#[OpenApi(tag = "ApiTags::Widget")]
impl WidgetApi {
    /// Start the tenant's published dialogue for a visitor, or resume theirs with
    /// `visitor_token`. The visitor's location comes from a trusted proxy's headers
    /// (`X-Geo-Country`, `X-Geo-Region` and `X-Geo-City` unless the deployment names others
    /// in `SWITCHBOARD_GEO_HEADERS`) and, for what they leave out, from the MaxMind database
    /// named by `SWITCHBOARD_GEOIP_DB`, looked up with the client's address.
    #[oai(
        path = "/widget/sessions",
        method = "post",
        operation_id = "start_widget_session"
    )]
    async fn start(
        &self,
        req: &Request,
        svc: Data<&Service>,
        locator: Data<&Locator>,
        body: Json<WidgetSessionRequest>,
    ) -> ApiResult<Json<WidgetSession>> {
        let b = body.0;
        let client_ip = req
            .extensions()
            .get::<switchboard_service::limits::ClientIp>()
            .map(|c| c.0.to_string());
        if let Some(switchboard_service::limits::ClientIp(ip)) = req.extensions().get().copied() {
            svc.limit(
                switchboard_service::limits::Limit::WidgetIp,
                &ip.to_string(),
            )
            .await?;
        }
        svc.limit(
            switchboard_service::limits::Limit::WidgetKey,
            b.widget_key.as_str(),
        )
        .await?;
        Ok(Json(
            svc.start_widget_session(switchboard_service::widget::WidgetStart {
                widget_key: b.widget_key.as_str(),
                page_url: b.page_url.as_ref().map(|p| p.as_str()),
                visitor_token: b.visitor_token.as_ref().map(|t| t.as_str()),
                new_conversation: b.new_conversation.unwrap_or(false),
                location: locator.location(req),
                origin: req.header("origin"),
                ip: client_ip.as_deref(),
                user_id: b.user_id.as_ref().map(|u| u.as_str()),
                user_hash: b.user_hash.as_ref().map(|h| h.as_str()),
            })
            .await?
            .into(),
        ))
    }

    /// Answer the card the visitor is at: a message card with nothing, a question with its
    /// `choice`, a capture card with its `fields`. Returns the next card; reaching a
    /// live-chat card asks for an agent and returns where that stands.
    #[oai(
        path = "/widget/conversations/:id/answers",
        method = "post",
        operation_id = "answer_widget_card"
    )]
    async fn answer(
        &self,
        svc: Data<&Service>,
        auth: VisitorAuth,
        id: Path<Uuid>,
        body: Json<AnswerRequest>,
    ) -> ApiResult<Json<WidgetSession>> {
        let b = body.0;
        Ok(Json(
            svc.answer_card(
                &auth,
                id.0,
                b.card_id.as_str(),
                b.choice.as_ref().map(|c| c.as_str()),
                &b.fields.unwrap_or_default(),
            )
            .await?
            .into(),
        ))
    }

    /// Send a message as the visitor, while waiting for an agent or live. The answer is the
    /// stored message with its `seq`; the same `client_id` again returns it without a copy.
    #[oai(
        path = "/widget/conversations/:id/messages",
        method = "post",
        operation_id = "send_visitor_message"
    )]
    async fn send(
        &self,
        svc: Data<&Service>,
        auth: VisitorAuth,
        id: Path<Uuid>,
        body: Json<SendMessageRequest>,
    ) -> ApiResult<Created<Message>> {
        let b = body.0;
        let client_id = Text::into_option(b.client_id);
        let m = svc
            .visitor_send(&auth, id.0, b.body.as_str(), client_id.as_deref())
            .await?;
        Ok(Created::Created(Json(m.into())))
    }

    /// The visitor's transcript: messages with `seq` above `after` (default 0), in order,
    /// at most `limit` (default and maximum 500). The dialogue is part of it: what the bot
    /// said at each card (`sender: "bot"`) and the visitor's answers (`"visitor"`).
    #[oai(
        path = "/widget/conversations/:id/messages",
        method = "get",
        operation_id = "list_visitor_messages"
    )]
    async fn messages(
        &self,
        svc: Data<&Service>,
        auth: VisitorAuth,
        id: Path<Uuid>,
        after: Query<Option<i64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u64>>,
    ) -> ApiResult<Json<MessageList>> {
        let after = after.0.unwrap_or(0);
        let items = svc
            .visitor_messages(&auth, id.0, after, limit.0.unwrap_or(500))
            .await?;
        Ok(Json(MessageList::new(items, after)))
    }

    /// The visitor ends the conversation (waiting or live): the agent is told and their slot
    /// freed. Ending one that is over already is a 409.
    #[oai(
        path = "/widget/conversations/:id/end",
        method = "post",
        operation_id = "end_visitor_conversation"
    )]
    async fn end(
        &self,
        svc: Data<&Service>,
        auth: VisitorAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        svc.visitor_end(&auth, id.0).await?;
        Ok(NoContent::NoContent)
    }

    /// Leave a message after a fallback (SPEC §12.2): stored on the conversation (its
    /// `left_message`), emailed to the failed-action email's recipients (in that email when
    /// it has not gone yet, else in a follow-up), and sent as the webhook event
    /// `conversation.message_left`. 409 while the conversation is waiting or live (write in
    /// the chat), or once a message was left on it: one per conversation, the first stands.
    #[oai(
        path = "/widget/conversations/:id/leave-message",
        method = "post",
        operation_id = "leave_message"
    )]
    async fn leave_message(
        &self,
        svc: Data<&Service>,
        auth: VisitorAuth,
        id: Path<Uuid>,
        body: Json<LeaveMessageRequest>,
    ) -> ApiResult<Created<LeftMessage>> {
        let b = body.0;
        let left = svc
            .leave_message(
                &auth,
                id.0,
                b.name.as_ref().map(|n| n.as_str()),
                b.email.as_str(),
                b.message.as_str(),
            )
            .await?;
        Ok(Created::Created(Json(left.into())))
    }

    /// Rate the chat once it has ended after an agent took it (SPEC §12.3): a score from 1
    /// to 5 and an optional comment, once (a second rating is a 409). Admins see it on the
    /// conversation (`rating`) and in its transcript; the webhook event is
    /// `conversation.rated`.
    #[oai(
        path = "/widget/conversations/:id/rating",
        method = "post",
        operation_id = "rate_conversation"
    )]
    async fn rate(
        &self,
        svc: Data<&Service>,
        auth: VisitorAuth,
        id: Path<Uuid>,
        body: Json<RatingRequest>,
    ) -> ApiResult<Created<Rating>> {
        let b = body.0;
        let rating = svc
            .rate_conversation(&auth, id.0, b.score, b.comment.as_ref().map(|c| c.as_str()))
            .await?;
        Ok(Created::Created(Json(rating.into())))
    }

    /// Email the conversation's transcript to the address the visitor gave in it (a capture
    /// card): what they saw, never an internal note; once per conversation (409 after, or
    /// when no address was given).
    #[oai(
        path = "/widget/conversations/:id/transcript",
        method = "post",
        operation_id = "email_transcript"
    )]
    async fn email_transcript(
        &self,
        svc: Data<&Service>,
        auth: VisitorAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Accepted> {
        let to = svc.email_transcript(&auth, id.0).await?;
        Ok(Accepted::Accepted(Json(TranscriptSent { to })))
    }

    /// An agent's profile image, as visitors' widgets show it (the `avatar_url` of
    /// `agent_joined`). Public, for agents who hold the live-chat permission.
    #[oai(
        path = "/widget/agents/:id/avatar",
        method = "get",
        operation_id = "get_agent_avatar"
    )]
    async fn avatar(&self, svc: Data<&Service>, id: Path<Uuid>) -> ApiResult<AvatarResponse> {
        let avatar = svc.public_agent_avatar(UserId::from_uuid(id.0)).await?;
        Ok(avatar_response(avatar, "public, max-age=300"))
    }
}

/// Where the transcript goes.
#[derive(Debug, poem_openapi::Object)]
pub struct TranscriptSent {
    /// The address the visitor gave.
    pub to: String,
}

/// 202: the email is on its way.
#[derive(poem_openapi::ApiResponse)]
pub enum Accepted {
    /// Queued for sending.
    #[oai(status = 202)]
    Accepted(Json<TranscriptSent>),
}
