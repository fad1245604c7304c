//! The bearer security scheme: a JWT from `/auth/token` or a tenant API key, both resolved
//! by the service on every request (a disabled user or a revoked key is refused at once).

use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;
use switchboard_service::{Principal, Service, ServiceError};

use crate::problem::ApiError;

/// `Authorization: Bearer <JWT or API key>`.
#[derive(SecurityScheme)]
#[oai(
    ty = "bearer",
    bearer_format = "JWT or API key",
    checker = "check_bearer"
)]
pub struct BearerAuth(pub Principal);

async fn check_bearer(req: &Request, bearer: Bearer) -> poem::Result<Principal> {
    let service = req.data::<Service>().ok_or_else(|| {
        poem::Error::from(ApiError::from(ServiceError::Unauthorized("no service")))
    })?;
    let who = service
        .authenticate(&bearer.token)
        .await
        .map_err(|e| poem::Error::from(ApiError::from(e)))?;
    if !enrolment_path(req.uri().path()) {
        service
            .check_two_factor_required(&who)
            .await
            .map_err(|e| poem::Error::from(ApiError::from(e)))?;
    }
    if let Principal::ApiKey { scopes, .. } = &who {
        let needed = switchboard_core::scope::needed(req.method().as_str(), req.uri().path());
        if !switchboard_core::scope::allows(scopes, needed) {
            return Err(ApiError::from(ServiceError::Forbidden(match needed {
                switchboard_core::scope::ApiScope::Admin => {
                    "this API key's scopes do not allow this call: it needs the admin scope"
                }
                _ => "this API key's scopes do not allow this call: it needs the write scope",
            }))
            .into());
        }
    }
    Ok(who)
}

/// What an account that must turn two-factor sign-in on may still call: its own account,
/// two-factor enrolment, its sessions, signing out.
fn enrolment_path(path: &str) -> bool {
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    matches!(
        path,
        "/me" | "/auth/logout" | "/me/two-factor" | "/me/two-factor/confirm" | "/me/sessions"
    ) || path
        .strip_prefix("/me/sessions/")
        .is_some_and(|id| !id.contains('/'))
}

/// `Authorization: Bearer <visitor token>` from `POST /widget/sessions`; checked by the
/// operation itself against the conversation it names.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "visitor token")]
pub struct VisitorAuth(pub Bearer);

impl std::ops::Deref for VisitorAuth {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0.token
    }
}
