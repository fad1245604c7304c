use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::payload::Json;
use switchboard_service::Service;

use super::{ApiResult, ApiTags, NoContent};
use crate::auth::BearerAuth;
use crate::dto::{PasswordResetConfirm, PasswordResetRequest, TokenRequest, TokenResponse};
use crate::text::Text;

pub struct AuthApi;

/// 202: taken in; what follows happens by email.
#[derive(poem_openapi::ApiResponse)]
pub enum Accepted {
    /// Accepted.
    #[oai(status = 202)]
    Accepted,
}

#[OpenApi(tag = "ApiTags::Auth")]
impl AuthApi {
    /// Exchange credentials for a short-lived access token.
    ///
    /// With `tenant` (its slug): a user of that tenant. Without: the platform operator. An
    /// account with two-factor sign-in also sends `otp`; without it (or with a wrong one)
    /// the answer is 401 with the problem type ending `otp-required`.
    /// A failure says the same whatever was wrong, so it does not reveal which emails exist.
    #[oai(path = "/auth/token", method = "post", operation_id = "create_token")]
    async fn token(
        &self,
        req: &poem::Request,
        svc: Data<&Service>,
        body: Json<TokenRequest>,
    ) -> ApiResult<Json<TokenResponse>> {
        let body = body.0;
        let tenant = body.tenant.as_ref().map(Text::as_str);
        svc.limit_login(req.extensions().get().copied(), tenant, body.email.as_str())
            .await?;
        let token = svc
            .login(
                body.tenant.as_ref().map(Text::as_str),
                body.email.as_str(),
                body.password.as_str(),
                body.otp.as_ref().map(Text::as_str),
            )
            .await?;
        Ok(Json(TokenResponse {
            access_token: token.token,
            token_type: "Bearer".to_owned(),
            expires_in: token.expires_in,
        }))
    }

    /// Log out everywhere: every access token of the caller (a user or the operator) is
    /// refused from now on, their console sessions end and their open sockets close (code
    /// 1008). A password change and disabling an account do the same.
    #[oai(path = "/auth/logout", method = "post", operation_id = "log_out")]
    async fn logout(&self, svc: Data<&Service>, auth: BearerAuth) -> ApiResult<NoContent> {
        svc.revoke_tokens(&auth.0).await?;
        Ok(NoContent::NoContent)
    }

    /// Ask for a password-reset email. The answer is always 202, whether or not the
    /// address has an account (it reveals nobody); each account of the address (in
    /// `tenant`, or in every workspace when it is absent) gets a link that works once,
    /// within an hour. Counted against the login limits.
    #[oai(
        path = "/auth/password-reset",
        method = "post",
        operation_id = "request_password_reset"
    )]
    async fn password_reset(
        &self,
        req: &poem::Request,
        svc: Data<&Service>,
        body: Json<PasswordResetRequest>,
    ) -> ApiResult<Accepted> {
        let b = body.0;
        let tenant = b.tenant.as_ref().map(Text::as_str);
        svc.limit_login(req.extensions().get().copied(), tenant, b.email.as_str())
            .await?;
        svc.request_password_reset(tenant, b.email.as_str()).await?;
        Ok(Accepted::Accepted)
    }

    /// Choose a new password with the emailed link's token. The link is spent, every other
    /// link of the account too, and the account's sessions and tokens end (its sockets
    /// close). A used, expired or unknown token is 422 on `token`.
    #[oai(
        path = "/auth/password-reset/confirm",
        method = "post",
        operation_id = "confirm_password_reset"
    )]
    async fn password_reset_confirm(
        &self,
        svc: Data<&Service>,
        body: Json<PasswordResetConfirm>,
    ) -> ApiResult<NoContent> {
        let b = body.0;
        svc.confirm_password_reset(b.token.as_str(), b.password.as_str())
            .await?;
        Ok(NoContent::NoContent)
    }
}
