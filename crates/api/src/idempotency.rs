//! `Idempotency-Key` on creating calls (every POST): the first request with a key runs and
//! its successful response is kept; a retry with the same key and the same request gets that
//! response again, marked `Idempotent-Replayed: true`, without acting twice. The same key with
//! a different request is refused (409, `idempotency-key-reused`: the key is taken); one still
//! running is refused (409 too). A failed request
//! releases its key so the client can retry. Keys are scoped to the caller (one user, one API
//! key). An answer holding a secret shown once (a new API key, an invitation link, a webhook
//! or identity secret, two-factor secrets) is not
//! kept: a retry of it is refused with 409 rather than storing the secret in clear.

use poem::http::{Method, StatusCode};
use poem::{Endpoint, IntoResponse, Request, Response};
use switchboard_service::idempotency::Claim;
use switchboard_service::{Principal, Service};

use crate::problem::{ApiError, Problem};

pub const HEADER: &str = "Idempotency-Key";

pub async fn middleware<E: Endpoint>(next: E, mut req: Request) -> poem::Result<Response> {
    let key = req
        .headers()
        .get(HEADER)
        .map(|v| v.to_str().map(str::to_owned));
    let (Method::POST, Some(key)) = (req.method().clone(), key) else {
        return Ok(next.call(req).await?.into_response());
    };
    let key = key.map_err(|_| {
        ApiError::problem(
            Problem::new(
                StatusCode::BAD_REQUEST,
                "malformed-request",
                "must be ASCII text",
            )
            .with_field(HEADER),
        )
    })?;
    let Some(principal) = principal_of(&req).await else {
        // Unauthenticated: let the operation answer 401 (or run, for `/auth/token`, which
        // creates nothing worth replaying).
        return Ok(next.call(req).await?.into_response());
    };
    let Some(service) = req.data::<Service>().cloned() else {
        return Ok(next.call(req).await?.into_response());
    };
    let body = req
        .take_body()
        .into_bytes()
        .await
        .map_err(|e| poem::Error::new(e, StatusCode::BAD_REQUEST))?;
    let mut fingerprint = Vec::with_capacity(body.len() + 64);
    fingerprint.extend_from_slice(req.uri().path().as_bytes());
    fingerprint.push(b'\n');
    fingerprint.extend_from_slice(&body);
    req.set_body(body);

    match service
        .claim_idempotency_key(&principal, &key, &fingerprint)
        .await
        .map_err(ApiError::from)?
    {
        Claim::Run => {}
        Claim::Replay { status, body } => {
            return Ok(Response::builder()
                .status(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
                .content_type("application/json")
                .header("Idempotent-Replayed", "true")
                .body(body));
        }
        Claim::CompletedWithSecret => {
            return Err(ApiError::problem(
                Problem::new(
                    StatusCode::CONFLICT,
                    "idempotency-key-completed",
                    "the request with this Idempotency-Key was completed; its answer held a secret shown only once",
                )
                .with_field(HEADER),
            )
            .into());
        }
        Claim::Mismatch => {
            return Err(ApiError::problem(
                Problem::new(
                    StatusCode::CONFLICT,
                    "idempotency-key-reused",
                    "this Idempotency-Key was used with a different request",
                )
                .with_field(HEADER),
            )
            .into());
        }
        Claim::InProgress => {
            return Err(ApiError::problem(
                Problem::new(
                    StatusCode::CONFLICT,
                    "idempotency-key-in-progress",
                    "a request with this Idempotency-Key is still being processed; retry later",
                )
                .with_field(HEADER),
            )
            .into());
        }
    }

    let result = next.call(req).await.map(IntoResponse::into_response);
    match result {
        Ok(resp) if resp.status().is_success() => {
            let status = resp.status();
            let (parts, body) = resp.into_parts();
            let bytes = body
                .into_bytes()
                .await
                .map_err(|e| poem::Error::new(e, StatusCode::INTERNAL_SERVER_ERROR))?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let keep = (!holds_secret(&text)).then_some(text.as_str());
            if let Err(e) = service
                .complete_idempotency_key(&principal, &key, status.as_u16(), keep)
                .await
            {
                tracing::error!(error = %e, "could not store an idempotent response; releasing the key");
                let _ = service.release_idempotency_key(&principal, &key).await;
            }
            Ok(Response::from_parts(parts, bytes.into()))
        }
        other => {
            if let Err(e) = service.release_idempotency_key(&principal, &key).await {
                tracing::error!(error = %e, "could not release an idempotency key");
            }
            other
        }
    }
}

/// Fields of answers that carry a secret shown once (an API key, an invitation link, a
/// webhook's or the identity-verification secret, a TOTP secret, recovery codes).
const SECRET_FIELDS: [&str; 4] = ["key", "invitation_url", "secret", "recovery_codes"];

fn holds_secret(body: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body).is_ok_and(|v| {
        SECRET_FIELDS
            .iter()
            .any(|f| v.get(f).is_some_and(|x| !x.is_null()))
    })
}

async fn principal_of(req: &Request) -> Option<Principal> {
    let service = req.data::<Service>()?;
    let header = req
        .headers()
        .get(poem::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))?;
    service.authenticate(token.trim()).await.ok()
}
