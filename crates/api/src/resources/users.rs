use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiRequest, ApiResponse, OpenApi, ResponseContent};
use switchboard_core::UserId;
use switchboard_core::avatar::ImageType;
use switchboard_service::Service;
use switchboard_service::users::{NewUserInput, UserChange};
use uuid::Uuid;

use super::{ApiResult, ApiTags, Created, NoContent, page};
use crate::auth::BearerAuth;
use crate::dto::{CreateUserRequest, CreatedUser, Schedule, UpdateUserRequest, User, UserList};
use crate::nullable::Nullable;
use crate::text::{Checked, Keyword, Text};

pub struct UsersApi;

/// A profile image: PNG, JPEG or WebP, at most 1 MiB. The type is read from the bytes.
#[derive(ApiRequest)]
pub enum AvatarUpload {
    #[oai(content_type = "image/png")]
    Png(Binary<Vec<u8>>),
    #[oai(content_type = "image/jpeg")]
    Jpeg(Binary<Vec<u8>>),
    #[oai(content_type = "image/webp")]
    Webp(Binary<Vec<u8>>),
}

#[derive(ResponseContent)]
pub enum AvatarImage {
    #[oai(content_type = "image/png")]
    Png(Binary<Vec<u8>>),
    #[oai(content_type = "image/jpeg")]
    Jpeg(Binary<Vec<u8>>),
    #[oai(content_type = "image/webp")]
    Webp(Binary<Vec<u8>>),
}

#[derive(ApiResponse)]
pub enum AvatarResponse {
    /// The profile image.
    #[oai(status = 200)]
    Ok(AvatarImage, #[oai(header = "Cache-Control")] String),
}

#[OpenApi(tag = "ApiTags::Users")]
impl UsersApi {
    /// A user's weekly schedule (`null`: none): inside it the agent is `available`,
    /// outside it `away`.
    #[oai(
        path = "/users/:id/schedule",
        method = "get",
        operation_id = "get_user_schedule"
    )]
    async fn schedule(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Nullable<Schedule>>> {
        let s = svc.user_schedule(&auth.0, UserId::from_uuid(id.0)).await?;
        Ok(Json(Nullable(s.as_ref().map(Into::into))))
    }

    /// Replace a user's weekly schedule; `null` removes it. It applies at once: the agent is
    /// moved to what it says now, and a manual availability change no longer holds.
    #[oai(
        path = "/users/:id/schedule",
        method = "put",
        operation_id = "set_user_schedule"
    )]
    async fn set_schedule(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<Nullable<Schedule>>,
    ) -> ApiResult<Json<Nullable<Schedule>>> {
        let s = svc
            .set_user_schedule(&auth.0, UserId::from_uuid(id.0), body.0.0.map(Into::into))
            .await?;
        Ok(Json(Nullable(s.as_ref().map(Into::into))))
    }

    /// List the tenant's users.
    #[oai(path = "/users", method = "get", operation_id = "list_users")]
    async fn list(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u64>>,
        #[oai(validator(
            pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        ))]
        cursor: Query<Option<String>>,
    ) -> ApiResult<Json<UserList>> {
        let page = page(limit.0, cursor.0)?;
        Ok(Json(svc.list_users(&auth.0, page).await?.into()))
    }

    /// Add a user, with a password or an invitation link.
    #[oai(path = "/users", method = "post", operation_id = "create_user")]
    async fn create(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(
            name = "Idempotency-Key",
            validator(min_length = 1, max_length = 255, pattern = r"^[!-~]([ -~]*[!-~])?$")
        )]
        _idempotency_key: Header<Option<String>>,
        body: Json<CreateUserRequest>,
    ) -> ApiResult<Created<CreatedUser>> {
        let b = body.0;
        let created = svc
            .create_user(
                &auth.0,
                NewUserInput {
                    email: b.email.as_str(),
                    display_name: b.display_name.as_str(),
                    role: b.role.as_str(),
                    password: b.password.as_ref().map(Checked::as_str),
                    live_chat_permission: b.live_chat_permission.unwrap_or(false),
                },
            )
            .await?;
        Ok(Created::Created(Json(CreatedUser {
            user: created.user.into(),
            invitation_url: created.invitation_url,
        })))
    }

    /// Get a user (admins; any user for themselves).
    #[oai(path = "/users/:id", method = "get", operation_id = "get_user")]
    async fn get(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<User>> {
        Ok(Json(
            svc.get_user(&auth.0, UserId::from_uuid(id.0)).await?.into(),
        ))
    }

    /// Change a user's email, name, role, password, or disable/enable them.
    #[oai(path = "/users/:id", method = "patch", operation_id = "update_user")]
    async fn update(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<UpdateUserRequest>,
    ) -> ApiResult<Json<User>> {
        let b = body.0;
        let user = svc
            .update_user(
                &auth.0,
                UserId::from_uuid(id.0),
                UserChange {
                    email: b.email.as_ref().map(Text::as_str),
                    display_name: b.display_name.as_ref().map(|n| n.as_str()),
                    role: b.role.as_ref().map(Keyword::as_str),
                    password: b.password.as_ref().map(Checked::as_str),
                    active: b.active,
                    current_password: b.current_password.as_ref().map(Text::as_str),
                },
            )
            .await?;
        Ok(Json(user.into()))
    }

    /// Delete a user.
    #[oai(path = "/users/:id", method = "delete", operation_id = "delete_user")]
    async fn delete(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        svc.delete_user(&auth.0, UserId::from_uuid(id.0)).await?;
        Ok(NoContent::NoContent)
    }

    /// Grant the live-chat permission: the user may be offered chats.
    #[oai(
        path = "/users/:id/live-chat-permission",
        method = "put",
        operation_id = "grant_live_chat_permission"
    )]
    async fn grant(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<User>> {
        Ok(Json(
            svc.set_live_chat_permission(&auth.0, UserId::from_uuid(id.0), true)
                .await?
                .into(),
        ))
    }

    /// Revoke the live-chat permission. New offers stop at once; live chats continue until ended.
    #[oai(
        path = "/users/:id/live-chat-permission",
        method = "delete",
        operation_id = "revoke_live_chat_permission"
    )]
    async fn revoke(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<User>> {
        Ok(Json(
            svc.set_live_chat_permission(&auth.0, UserId::from_uuid(id.0), false)
                .await?
                .into(),
        ))
    }

    /// Upload a profile image (admins, or the user themselves).
    #[oai(
        path = "/users/:id/avatar",
        method = "put",
        operation_id = "put_avatar"
    )]
    async fn put_avatar(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: AvatarUpload,
    ) -> ApiResult<NoContent> {
        let (AvatarUpload::Png(b) | AvatarUpload::Jpeg(b) | AvatarUpload::Webp(b)) = body;
        svc.put_avatar(&auth.0, UserId::from_uuid(id.0), b.0)
            .await?;
        Ok(NoContent::NoContent)
    }

    /// Get a profile image.
    #[oai(
        path = "/users/:id/avatar",
        method = "get",
        operation_id = "get_avatar"
    )]
    async fn get_avatar(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<AvatarResponse> {
        let avatar = svc.get_avatar(&auth.0, UserId::from_uuid(id.0)).await?;
        Ok(avatar_response(avatar, "private, max-age=300"))
    }
}

/// An avatar as a response with its real type and the given `Cache-Control`.
pub(super) fn avatar_response(
    avatar: switchboard_service::users::Avatar,
    cache_control: &str,
) -> AvatarResponse {
    let bytes = Binary(avatar.bytes);
    let image = match ImageType::from_mime(&avatar.mime) {
        Some(ImageType::Jpeg) => AvatarImage::Jpeg(bytes),
        Some(ImageType::Webp) => AvatarImage::Webp(bytes),
        _ => AvatarImage::Png(bytes),
    };
    AvatarResponse::Ok(image, cache_control.to_owned())
}
