use poem::web::Data;
use poem::{IntoResponse, Response};
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, MetaSchema, Registry};
use poem_openapi::types::multipart::Upload;
use poem_openapi::{ApiResponse, Multipart, OpenApi, SecurityScheme};
use switchboard_core::attachment;
use switchboard_service::Service;
use uuid::Uuid;

use super::{ApiResult, ApiTags, Created};
use crate::auth::{BearerAuth, VisitorAuth};
use crate::dto::Message;

pub struct AttachmentsApi;

/// One file, sent as `multipart/form-data`.
#[derive(Debug, Multipart)]
pub struct UploadRequest {
    /// A PNG, JPEG, GIF or WebP image or a PDF document (told by its bytes), at most 10 MiB;
    /// its name may not hold `< > " \``, control characters, nor an extension of another type.
    pub file: Upload,
}

/// Who reads a file: the conversation's admins and assigned agent, or its visitor.
#[derive(SecurityScheme)]
pub enum ReaderAuth {
    Staff(BearerAuth),
    Visitor(VisitorAuth),
}

/// The file's bytes, with the headers that keep a browser from running anything in them.
pub struct FileDownload(switchboard_service::attachments::AttachmentFile);

impl IntoResponse for FileDownload {
    fn into_response(self) -> Response {
        let a = self.0;
        Response::builder()
            .content_type(a.content_type.clone())
            .header(
                "Content-Disposition",
                attachment::content_disposition(&a.name, &a.content_type),
            )
            .header("X-Content-Type-Options", "nosniff")
            .header(
                "Content-Security-Policy",
                "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
            )
            .header("Cache-Control", "private, max-age=86400")
            .body(a.data)
    }
}

impl ApiResponse for FileDownload {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The file, with `Content-Disposition` (inline for images, attachment for PDFs) and `X-Content-Type-Options: nosniff`.",
                status: Some(200),
                status_range: None,
                content: attachment::CONTENT_TYPES
                    .iter()
                    .map(|t| MetaMediaType {
                        content_type: t,
                        schema: poem_openapi::registry::MetaSchemaRef::Inline(Box::new(
                            MetaSchema {
                                format: Some("binary"),
                                ..MetaSchema::new("string")
                            },
                        )),
                    })
                    .collect(),
                headers: vec![],
            }],
        }
    }

    fn register(_registry: &mut Registry) {}
}

async fn read_upload(upload: Upload) -> ApiResult<(String, Vec<u8>)> {
    let name = upload.file_name().unwrap_or_default().to_owned();
    let bytes = upload.into_vec().await.map_err(|_| {
        switchboard_service::ServiceError::Validation(switchboard_core::ValidationError::new(
            "file",
            "the file could not be read",
        ))
    })?;
    Ok((name, bytes))
}

#[OpenApi(tag = "ApiTags::Conversations")]
impl AttachmentsApi {
    /// Send a file in a live conversation (its assigned agent): an image (shown in place) or
    /// a PDF, at most 10 MiB. The answer is the message that carries it (`attachment`).
    #[oai(
        path = "/conversations/:id/attachments",
        method = "post",
        operation_id = "send_attachment"
    )]
    async fn agent_upload(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        form: UploadRequest,
    ) -> ApiResult<Created<Message>> {
        let (name, bytes) = read_upload(form.file).await?;
        let m = svc.agent_attach(&auth.0, id.0, &name, bytes).await?;
        Ok(Created::Created(Json(m.into())))
    }

    /// Send a file as the visitor (waiting for an agent, or live): an image or a PDF, at most
    /// 10 MiB; it counts as a message for the rate limit.
    #[oai(
        path = "/widget/conversations/:id/attachments",
        method = "post",
        operation_id = "send_visitor_attachment",
        tag = "ApiTags::Widget"
    )]
    async fn visitor_upload(
        &self,
        svc: Data<&Service>,
        auth: VisitorAuth,
        id: Path<Uuid>,
        form: UploadRequest,
    ) -> ApiResult<Created<Message>> {
        let (name, bytes) = read_upload(form.file).await?;
        let m = svc.visitor_attach(&auth, id.0, &name, bytes).await?;
        Ok(Created::Created(Json(m.into())))
    }

    /// A file sent in a conversation, for its admins and assigned agent (their token) or its
    /// visitor (the visitor token). Served with `Content-Disposition`,
    /// `X-Content-Type-Options: nosniff` and a sandboxing content security policy, so it
    /// never runs as a page.
    #[oai(
        path = "/attachments/:id",
        method = "get",
        operation_id = "get_attachment"
    )]
    async fn get(
        &self,
        svc: Data<&Service>,
        auth: ReaderAuth,
        id: Path<Uuid>,
    ) -> ApiResult<FileDownload> {
        let a = match auth {
            ReaderAuth::Staff(who) => svc.attachment_for_staff(&who.0, id.0).await?,
            ReaderAuth::Visitor(token) => svc.attachment_for_visitor(&token, id.0).await?,
        };
        Ok(FileDownload(a))
    }
}
