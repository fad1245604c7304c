use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use switchboard_service::Service;
use uuid::Uuid;

use super::{ApiResult, ApiTags, Created, NoContent, page};
use crate::auth::BearerAuth;
use crate::dto::{
    CreateWebhookRequest, CreatedWebhook, WebhookDelivery, WebhookDeliveryList, WebhookList,
};

pub struct WebhooksApi;

#[derive(ApiResponse)]
pub enum Replayed {
    /// The replay is queued: a new delivery of the same body.
    #[oai(status = 202)]
    Accepted(Json<WebhookDelivery>),
}

#[OpenApi(tag = "ApiTags::Webhooks")]
impl WebhooksApi {
    /// The tenant's webhook endpoints (never their secrets).
    #[oai(path = "/webhooks", method = "get", operation_id = "list_webhooks")]
    async fn list(&self, svc: Data<&Service>, auth: BearerAuth) -> ApiResult<Json<WebhookList>> {
        let items = svc.list_webhooks(&auth.0).await?;
        Ok(Json(WebhookList {
            items: items.into_iter().map(Into::into).collect(),
        }))
    }

    /// Register an endpoint for some event kinds. Deliveries are JSON POSTs signed with the
    /// secret in this answer (shown only here): header `Switchboard-Signature:
    /// t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, with `Switchboard-Event`
    /// and `Switchboard-Delivery`. A non-2xx answer or none is retried with exponential
    /// back-off.
    #[oai(path = "/webhooks", method = "post", operation_id = "create_webhook")]
    async fn create(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(
            name = "Idempotency-Key",
            validator(min_length = 1, max_length = 255, pattern = r"^[!-~]([ -~]*[!-~])?$")
        )]
        _idempotency_key: Header<Option<String>>,
        body: Json<CreateWebhookRequest>,
    ) -> ApiResult<Created<CreatedWebhook>> {
        let b = body.0;
        let created = svc
            .create_webhook(&auth.0, b.url.as_str(), &b.events)
            .await?;
        let secret = created.secret.clone();
        Ok(Created::Created(Json(CreatedWebhook {
            webhook: created.endpoint.into(),
            secret,
        })))
    }

    /// Remove an endpoint, and its deliveries.
    #[oai(
        path = "/webhooks/:id",
        method = "delete",
        operation_id = "delete_webhook"
    )]
    async fn delete(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        svc.delete_webhook(&auth.0, id.0).await?;
        Ok(NoContent::NoContent)
    }

    /// An endpoint's delivery log, newest first.
    #[oai(
        path = "/webhooks/:id/deliveries",
        method = "get",
        operation_id = "list_webhook_deliveries"
    )]
    async fn deliveries(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u64>>,
        #[oai(validator(
            pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        ))]
        cursor: Query<Option<String>>,
    ) -> ApiResult<Json<WebhookDeliveryList>> {
        let page = page(limit.0, cursor.0)?;
        let (_, found) = svc.webhook_deliveries(&auth.0, id.0, page).await?;
        Ok(Json(WebhookDeliveryList {
            items: found.items.into_iter().map(Into::into).collect(),
            next_cursor: found.next_cursor.map(|c| c.to_string()),
        }))
    }

    /// Send a delivery's body again, as a new delivery.
    #[oai(
        path = "/webhooks/:id/deliveries/:delivery_id/replay",
        method = "post",
        operation_id = "replay_webhook_delivery"
    )]
    async fn replay(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        /// The delivery's id (a UUID).
        delivery_id: Path<String>,
    ) -> ApiResult<Replayed> {
        // Parsed here rather than by poem-openapi, whose errors name path parameters by
        // position (see problem.rs): an id that is not a UUID names no delivery.
        let delivery = delivery_id
            .0
            .parse::<Uuid>()
            .map_err(|_| switchboard_service::ServiceError::NotFound)?;
        let d = svc.replay_webhook(&auth.0, id.0, delivery).await?;
        Ok(Replayed::Accepted(Json(d.into())))
    }
}
