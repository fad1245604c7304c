use poem::Request;
use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use switchboard_service::Service;
use switchboard_service::widget::Location;
use uuid::Uuid;

use super::{ApiResult, ApiTags};
use crate::auth::VisitorAuth;
use crate::dialogue_dto::{AnswerRequest, WidgetSession, WidgetSessionRequest};

pub struct WidgetApi;

/// The visitor's location, from the headers a trusted proxy sets.
fn location(req: &Request) -> Location {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    Location {
        country: header("X-Geo-Country"),
        region: header("X-Geo-Region"),
        city: header("X-Geo-City"),
    }
}

#[OpenApi(tag = "ApiTags::Widget")]
impl WidgetApi {
    /// Start the tenant's published dialogue for a visitor, or resume theirs with
    /// `visitor_token`. The visitor's location comes from the `X-Geo-Country`,
    /// `X-Geo-Region` and `X-Geo-City` headers of the trusted proxy.
    #[oai(
        path = "/widget/sessions",
        method = "post",
        operation_id = "start_widget_session"
    )]
    async fn start(
        &self,
        req: &Request,
        svc: Data<&Service>,
        body: Json<WidgetSessionRequest>,
    ) -> ApiResult<Json<WidgetSession>> {
        let b = body.0;
        Ok(Json(
            svc.start_widget_session(
                b.widget_key.as_str(),
                b.page_url.as_ref().map(|p| p.as_str()),
                b.visitor_token.as_ref().map(|t| t.as_str()),
                location(req),
            )
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
}
