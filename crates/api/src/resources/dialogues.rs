use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use switchboard_service::Service;
use uuid::Uuid;

use super::{ApiResult, ApiTags, Created, NoContent, page};
use crate::auth::BearerAuth;
use crate::dto::{Dialogue, DialogueList, DialogueRequest};

pub struct DialoguesApi;

#[OpenApi(tag = "ApiTags::Dialogues")]
impl DialoguesApi {
    /// List dialogues.
    #[oai(path = "/dialogues", method = "get", operation_id = "list_dialogues")]
    async fn list(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u64>>,
        #[oai(validator(
            pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        ))]
        cursor: Query<Option<String>>,
    ) -> ApiResult<Json<DialogueList>> {
        let page = svc
            .list_dialogues(&auth.0, page(limit.0, cursor.0)?)
            .await?;
        Ok(Json(DialogueList {
            items: page.items.into_iter().map(Into::into).collect(),
            next_cursor: page.next_cursor.map(|c| c.to_string()),
        }))
    }

    /// Create a dialogue (a draft). Refused, naming the card, when a live-chat card has a
    /// successor; best-practice warnings come back with it.
    #[oai(path = "/dialogues", method = "post", operation_id = "create_dialogue")]
    async fn create(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(
            name = "Idempotency-Key",
            validator(min_length = 1, max_length = 255, pattern = r"^[!-~]([ -~]*[!-~])?$")
        )]
        _idempotency_key: Header<Option<String>>,
        body: Json<DialogueRequest>,
    ) -> ApiResult<Created<Dialogue>> {
        Ok(Created::Created(Json(
            svc.create_dialogue(&auth.0, body.0.into()).await?.into(),
        )))
    }

    /// Get a dialogue's draft with its warnings.
    #[oai(path = "/dialogues/:id", method = "get", operation_id = "get_dialogue")]
    async fn get(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Dialogue>> {
        Ok(Json(svc.get_dialogue(&auth.0, id.0).await?.into()))
    }

    /// Replace a dialogue's draft. Visitors keep the published version until the next publish.
    #[oai(
        path = "/dialogues/:id",
        method = "put",
        operation_id = "replace_dialogue"
    )]
    async fn replace(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<DialogueRequest>,
    ) -> ApiResult<Json<Dialogue>> {
        Ok(Json(
            svc.replace_dialogue(&auth.0, id.0, body.0.into())
                .await?
                .into(),
        ))
    }

    /// Delete a dialogue. Conversations under way keep their copy of its cards.
    #[oai(
        path = "/dialogues/:id",
        method = "delete",
        operation_id = "delete_dialogue"
    )]
    async fn delete(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        svc.delete_dialogue(&auth.0, id.0).await?;
        Ok(NoContent::NoContent)
    }

    /// Publish the draft: new visitors of the widget get it from now on.
    #[oai(
        path = "/dialogues/:id/publish",
        method = "post",
        operation_id = "publish_dialogue"
    )]
    async fn publish(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Dialogue>> {
        Ok(Json(svc.publish_dialogue(&auth.0, id.0).await?.into()))
    }
}
