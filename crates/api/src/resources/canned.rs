use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use switchboard_core::canned::Scope;
use switchboard_core::{TeamId, UserId};
use switchboard_service::Service;
use switchboard_service::canned::CannedChange;
use switchboard_service::live::TransferTarget;
use uuid::Uuid;

use super::{ApiResult, ApiTags, Created, NoContent};
use crate::auth::BearerAuth;
use crate::dto::{
    CannedResponse, CannedResponseList, CreateCannedResponseRequest, TransferOffer,
    TransferRequest, TransferTargets, UpdateCannedResponseRequest,
};

pub struct CannedApi;

#[OpenApi(tag = "ApiTags::Conversations")]
impl CannedApi {
    /// The tenant's canned responses and the caller's own, by shortcut. With
    /// `conversation_id` (a conversation the caller may read), each carries `filled_text`:
    /// its text with that chat's visitor and the caller filled in.
    #[oai(
        path = "/canned-responses",
        method = "get",
        operation_id = "list_canned_responses"
    )]
    async fn list(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        conversation_id: Query<Option<Uuid>>,
    ) -> ApiResult<Json<CannedResponseList>> {
        let items = svc
            .list_canned_responses(&auth.0, conversation_id.0)
            .await?;
        Ok(Json(CannedResponseList {
            items: items.into_iter().map(Into::into).collect(),
        }))
    }

    /// Create a canned response: the tenant's (`scope: "tenant"`, admins) or the caller's own
    /// (`personal`, the default). A shortcut taken in its scope is a 409.
    #[oai(
        path = "/canned-responses",
        method = "post",
        operation_id = "create_canned_response"
    )]
    async fn create(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(
            name = "Idempotency-Key",
            validator(min_length = 1, max_length = 255, pattern = r"^[!-~]([ -~]*[!-~])?$")
        )]
        _idempotency_key: Header<Option<String>>,
        body: Json<CreateCannedResponseRequest>,
    ) -> ApiResult<Created<CannedResponse>> {
        let b = body.0;
        let scope = match b.scope {
            Some(s) => s
                .as_str()
                .parse::<Scope>()
                .map_err(switchboard_service::ServiceError::Validation)?,
            None => Scope::Personal,
        };
        let created = svc
            .create_canned_response(&auth.0, b.shortcut.as_str(), b.text.as_str(), scope)
            .await?;
        Ok(Created::Created(Json(created.into())))
    }

    /// Change a canned response: the tenant's (admins) or the caller's own.
    #[oai(
        path = "/canned-responses/:id",
        method = "patch",
        operation_id = "update_canned_response"
    )]
    async fn update(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<UpdateCannedResponseRequest>,
    ) -> ApiResult<Json<CannedResponse>> {
        let b = body.0;
        let change = CannedChange {
            shortcut: b.shortcut.map(|s| s.as_str().to_owned()),
            text: b.text.map(|t| t.as_str().to_owned()),
        };
        Ok(Json(
            svc.update_canned_response(&auth.0, id.0, change)
                .await?
                .into(),
        ))
    }

    /// Delete a canned response: the tenant's (admins) or the caller's own.
    #[oai(
        path = "/canned-responses/:id",
        method = "delete",
        operation_id = "delete_canned_response"
    )]
    async fn delete(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        svc.delete_canned_response(&auth.0, id.0).await?;
        Ok(NoContent::NoContent)
    }

    /// Hand a live chat to another agent or a team (the assigned agent, or an admin), with a
    /// note. The target gets an offer under the usual rules (the accept window, capacity,
    /// availability; a team's next eligible agent other than the current one); the chat moves
    /// when it is accepted (the visitor gets `agent_joined`, the webhook event is
    /// `conversation.transferred`) and stays where it is on a decline or expiry, which whoever
    /// asked is told on their socket (`transfer_failed`). 409 when the chat is not live, a
    /// transfer is already waiting, or nobody there can take it now.
    #[oai(
        path = "/conversations/:id/transfer",
        method = "post",
        operation_id = "transfer_conversation"
    )]
    async fn transfer(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<TransferRequest>,
    ) -> ApiResult<Accepted<TransferOffer>> {
        let b = body.0;
        let to = match b.to.kind.as_str() {
            "team" => TransferTarget::Team(TeamId::from_uuid(b.to.id)),
            "agent" => TransferTarget::Agent(UserId::from_uuid(b.to.id)),
            _ => {
                return Err(switchboard_service::ServiceError::Validation(
                    switchboard_core::ValidationError::new("to.kind", "must be agent or team"),
                )
                .into());
            }
        };
        let offer = svc
            .transfer(&auth.0, id.0, to, b.note.as_ref().map(|n| n.as_str()))
            .await?;
        Ok(Accepted::Accepted(Json(TransferOffer {
            offer_id: offer.offer_id,
            agent_id: offer.agent_id.as_uuid(),
            expires_at: offer.expires_at,
        })))
    }

    /// Whom the caller's chats may be transferred to: the agents holding the live-chat
    /// permission, with their availability, and the teams.
    #[oai(
        path = "/transfer-targets",
        method = "get",
        operation_id = "list_transfer_targets"
    )]
    async fn transfer_targets(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
    ) -> ApiResult<Json<TransferTargets>> {
        Ok(Json(svc.transfer_targets(&auth.0).await?.into()))
    }
}

/// 202 with what was started.
#[derive(ApiResponse)]
pub enum Accepted<T: poem_openapi::types::ToJSON + poem_openapi::types::Type> {
    /// Asked; the outcome comes later.
    #[oai(status = 202)]
    Accepted(Json<T>),
}
