//! The operations of `/api/v1`, one `#[OpenApi]` struct per resource.

mod account;
mod attachments;
mod auth;
mod canned;
mod conversations;
mod dialogues;
mod offers;
mod platform;
mod routing;
mod teams;
mod users;
mod webhooks;
mod widget;

use poem_openapi::payload::Json;
use poem_openapi::types::{ToJSON, Type};
use poem_openapi::{ApiResponse, Tags};
use switchboard_core::page::PageRequest;

use crate::problem::ApiError;

#[derive(Tags)]
pub enum ApiTags {
    /// Tokens for users and the platform operator.
    Auth,
    /// Tenants, plans and limits (platform operator only).
    Platform,
    /// Users of a tenant and their live-chat permission.
    Users,
    /// Teams of agents.
    Teams,
    /// Tenant settings, usage, API keys and audit log.
    Tenant,
    /// The caller's own account.
    Me,
    /// Custom routing rules, dry runs, availability.
    Routing,
    /// Dialogues: the card trees the widget runs.
    Dialogues,
    /// Conversations, their transcripts and messages.
    Conversations,
    /// Webhook endpoints, their delivery logs and replays.
    Webhooks,
    /// The visitor's side: widget sessions, answers and messages.
    Widget,
}

/// Every operation of the API, registered together.
pub type Api = (
    auth::AuthApi,
    platform::PlatformApi,
    users::UsersApi,
    teams::TeamsApi,
    account::TenantApi,
    account::MeApi,
    routing::RoutingApi,
    offers::OffersApi,
    conversations::ConversationsApi,
    canned::CannedApi,
    attachments::AttachmentsApi,
    dialogues::DialoguesApi,
    webhooks::WebhooksApi,
    widget::WidgetApi,
);

pub fn api() -> Api {
    (
        auth::AuthApi,
        platform::PlatformApi,
        users::UsersApi,
        teams::TeamsApi,
        account::TenantApi,
        account::MeApi,
        routing::RoutingApi,
        offers::OffersApi,
        conversations::ConversationsApi,
        canned::CannedApi,
        attachments::AttachmentsApi,
        dialogues::DialoguesApi,
        webhooks::WebhooksApi,
        widget::WidgetApi,
    )
}

/// 201 with the created resource.
#[derive(ApiResponse)]
pub enum Created<T: ToJSON + Type> {
    /// Created.
    #[oai(status = 201)]
    Created(Json<T>),
}

/// 204, nothing to say.
#[derive(ApiResponse)]
pub enum NoContent {
    /// Done.
    #[oai(status = 204)]
    NoContent,
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Validates `limit` and `cursor`.
pub fn page(limit: Option<u64>, cursor: Option<String>) -> ApiResult<PageRequest> {
    PageRequest::parse(limit, cursor.as_deref())
        .map_err(|e| ApiError::from(switchboard_service::ServiceError::from(e)))
}
