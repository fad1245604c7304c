use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use switchboard_service::Service;
use uuid::Uuid;

use super::{ApiResult, ApiTags};
use crate::auth::BearerAuth;
use crate::dto::LiveChatState;

pub struct OffersApi;

#[OpenApi(tag = "ApiTags::Routing")]
impl OffersApi {
    /// Accept an offer (the offered agent only). Exactly one accept wins; a late one gets 409.
    #[oai(
        path = "/offers/:id/accept",
        method = "post",
        operation_id = "accept_offer"
    )]
    async fn accept(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<LiveChatState>> {
        Ok(Json(svc.accept_offer(&auth.0, id.0).await?.into()))
    }

    /// Decline an offer (the offered agent only). The answer says where the request went next.
    #[oai(
        path = "/offers/:id/decline",
        method = "post",
        operation_id = "decline_offer"
    )]
    async fn decline(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<LiveChatState>> {
        Ok(Json(svc.decline_offer(&auth.0, id.0).await?.into()))
    }
}
