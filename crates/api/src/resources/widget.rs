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
                accept_language: req.header("accept-language"),
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

    /// How the widget with this key looks, in the visitor's language (their browser's
    /// `Accept-Language` among the widget's languages, else the workspace's default): its
    /// colour, title, greeting, launcher corner, whether agents' photos show, and the texts
    /// it shows (the catalogue's `widget-` messages, formatted by the widget). Public; 403
    /// from a site the workspace does not allow, 404 for an unknown key.
    #[oai(
        path = "/widget/config",
        method = "get",
        operation_id = "get_widget_config"
    )]
    async fn config(
        &self,
        req: &Request,
        svc: Data<&Service>,
        #[oai(validator(max_length = 200))] widget_key: Query<String>,
    ) -> ApiResult<WidgetConfigResponse> {
        let look = svc
            .widget_look(
                &widget_key.0,
                req.header("origin"),
                req.header("accept-language"),
            )
            .await?;
        Ok(WidgetConfigResponse::Ok(
            Json(look.into()),
            "public, max-age=60".to_owned(),
            "Accept-Language, Origin".to_owned(),
        ))
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

/// The widget's look, cached a minute per language.
#[derive(poem_openapi::ApiResponse)]
pub enum WidgetConfigResponse {
    #[oai(status = 200)]
    Ok(
        Json<WidgetConfig>,
        #[oai(header = "Cache-Control")] String,
        #[oai(header = "Vary")] String,
    ),
}

/// How a workspace's widget looks and what it says, in one visitor's language.
#[derive(Debug, poem_openapi::Object)]
pub struct WidgetConfig {
    /// `en` or `fr`: the language of the texts.
    pub locale: String,
    /// `#rrggbb`, with white text on it.
    pub color: String,
    /// The header's title.
    pub title: String,
    /// A first line shown before the conversation; `null`: none.
    pub greeting: Option<String>,
    /// `right` or `left`.
    pub position: String,
    /// Whether agents' photos show.
    pub agent_photos: bool,
    /// The widget's texts by message id, each a list of parts: a string, `{"v": name}` for
    /// a variable, `{"s": name, "k": {key: parts}, "d": default key}` for a choice on a
    /// variable (an exact value, else the plural category of a number).
    pub texts: serde_json::Value,
}

impl From<switchboard_service::widget::look::WidgetLook> for WidgetConfig {
    fn from(look: switchboard_service::widget::look::WidgetLook) -> Self {
        let b = look.brand;
        let locale = look.locale;
        Self {
            locale: locale.as_str().to_owned(),
            color: b.color.hex(),
            title: b
                .title
                .unwrap_or_else(|| switchboard_i18n::text(locale, "widget-title", &[])),
            greeting: b.greeting,
            position: b.position.as_str().to_owned(),
            agent_photos: b.agent_photos,
            texts: switchboard_i18n::script::script_messages(locale, &["widget-"]),
        }
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
