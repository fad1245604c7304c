use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::payload::Json;
use switchboard_service::Service;

use super::{ApiResult, ApiTags, NoContent};
use crate::auth::BearerAuth;
use crate::dto::{TokenRequest, TokenResponse};
use crate::text::Text;

pub struct AuthApi;

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
}
