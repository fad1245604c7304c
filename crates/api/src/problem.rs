//! RFC 9457 problem details: the one shape of every error the API answers, with a stable
//! `type`, a human `detail`, and the `field` at fault when there is one.
//!
//! Internal errors are logged with their whole chain and answered with a generic detail:
//! a client never sees a database message.

use poem::Response;
use poem::http::StatusCode;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object};
use switchboard_service::ServiceError;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";
const TYPE_BASE: &str = "https://switchboard.dev/problems/";

/// A problem detail (RFC 9457).
#[derive(Debug, Clone, Object)]
pub struct Problem {
    /// A URI naming the kind of problem; stable, safe to branch on.
    #[oai(rename = "type")]
    pub type_: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request, for a person.
    pub detail: String,
    /// The request field at fault (JSON field name, query parameter or header), when known.
    #[oai(skip_serializing_if_is_none)]
    pub field: Option<String>,
    /// Seconds to wait before retrying (sent as `Retry-After`, not in the body).
    #[oai(skip)]
    pub retry_after: Option<u32>,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &str, detail: impl Into<String>) -> Self {
        Self {
            type_: format!("{TYPE_BASE}{kind}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            field: None,
            retry_after: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The problem as a complete HTTP response.
    pub fn into_http(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut body = serde_json::json!({
            "type": self.type_,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        });
        if let (Some(field), Some(map)) = (self.field, body.as_object_mut()) {
            map.insert("field".into(), field.into());
        }
        let mut r = Response::builder()
            .status(status)
            .content_type(PROBLEM_CONTENT_TYPE);
        if status == StatusCode::SERVICE_UNAVAILABLE || status == StatusCode::TOO_MANY_REQUESTS {
            r = r.header(
                "Retry-After",
                self.retry_after.unwrap_or(RETRY_AFTER_SECONDS),
            );
        }
        r.body(body.to_string())
    }
}

/// Every error an operation can answer, so that the OpenAPI document lists them.
#[derive(Debug, ApiResponse)]
pub enum ApiError {
    /// The request is malformed: bad JSON, a wrong type, an unknown field, a bad id.
    #[oai(status = 400, content_type = "application/problem+json")]
    BadRequest(Json<Problem>),
    /// Missing, malformed, expired or revoked credentials.
    #[oai(status = 401, content_type = "application/problem+json")]
    Unauthorized(Json<Problem>),
    /// The caller may not do this.
    #[oai(status = 403, content_type = "application/problem+json")]
    Forbidden(Json<Problem>),
    /// No such resource in the caller's tenant.
    #[oai(status = 404, content_type = "application/problem+json")]
    NotFound(Json<Problem>),
    /// The request conflicts with the current state (a duplicate, the last owner…).
    #[oai(status = 409, content_type = "application/problem+json")]
    Conflict(Json<Problem>),
    /// The body is larger than 1 MiB.
    #[oai(status = 413, content_type = "application/problem+json")]
    PayloadTooLarge(Json<Problem>),
    /// The body is not `application/json` (or, where an operation says so, another type it
    /// accepts).
    #[oai(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Json<Problem>),
    /// A value is well-formed but not acceptable (an invalid email, a limit out of range…).
    #[oai(status = 422, content_type = "application/problem+json")]
    Unprocessable(Json<Problem>),
    /// Too many requests of this kind from this client (an address, an account, a key):
    /// retry after the seconds given.
    #[oai(status = 429, content_type = "application/problem+json")]
    TooManyRequests(
        Json<Problem>,
        /// Seconds to wait before retrying.
        #[oai(header = "Retry-After")]
        u32,
    ),
    /// Something failed on our side; it has been logged.
    #[oai(status = 500, content_type = "application/problem+json")]
    Internal(Json<Problem>),
    /// The database or Redis did not answer in time; nothing was changed. Retry after the
    /// seconds given.
    #[oai(status = 503, content_type = "application/problem+json")]
    Unavailable(
        Json<Problem>,
        /// Seconds to wait before retrying.
        #[oai(header = "Retry-After")]
        u32,
    ),
}

/// What a client is told to wait before retrying after a 503.
pub const RETRY_AFTER_SECONDS: u32 = 1;

impl ApiError {
    pub fn problem(p: Problem) -> Self {
        match p.status {
            400 => ApiError::BadRequest(Json(p)),
            401 => ApiError::Unauthorized(Json(p)),
            403 => ApiError::Forbidden(Json(p)),
            404 => ApiError::NotFound(Json(p)),
            409 => ApiError::Conflict(Json(p)),
            413 => ApiError::PayloadTooLarge(Json(p)),
            415 => ApiError::UnsupportedMediaType(Json(p)),
            429 => {
                let wait = p.retry_after.unwrap_or(RETRY_AFTER_SECONDS);
                ApiError::TooManyRequests(Json(p), wait)
            }
            503 => ApiError::Unavailable(Json(p), RETRY_AFTER_SECONDS),
            422 => ApiError::Unprocessable(Json(p)),
            _ => ApiError::Internal(Json(p)),
        }
    }

    pub fn not_found() -> Self {
        Self::problem(Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "no such resource",
        ))
    }

    pub fn bad_id(field: &str) -> Self {
        Self::problem(
            Problem::new(
                StatusCode::BAD_REQUEST,
                "malformed-request",
                "must be a UUID",
            )
            .with_field(field),
        )
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        Self::problem(match err {
            ServiceError::Validation(v) => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation-error",
                format!("{} {}", v.field, v.message),
            )
            .with_field(v.field),
            ServiceError::NotFound => {
                Problem::new(StatusCode::NOT_FOUND, "not-found", "no such resource")
            }
            ServiceError::Conflict { field, message } => {
                Problem::new(StatusCode::CONFLICT, "conflict", message).with_field(field)
            }
            ServiceError::Unauthorized(msg) => {
                Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", msg)
            }
            ServiceError::Forbidden(msg) => Problem::new(StatusCode::FORBIDDEN, "forbidden", msg),
            ServiceError::OtpRequired(msg) => {
                Problem::new(StatusCode::UNAUTHORIZED, "otp-required", msg).with_field("otp")
            }
            ServiceError::TwoFactorRequired(msg) => {
                Problem::new(StatusCode::FORBIDDEN, "two-factor-required", msg)
            }
            ServiceError::Internal(e) => {
                log_internal(e.as_ref());
                internal_problem()
            }
            ServiceError::RateLimited(wait) => {
                let seconds = u32::try_from(wait.as_secs())
                    .unwrap_or(u32::MAX)
                    .saturating_add(u32::from(wait.subsec_nanos() > 0));
                let mut p = Problem::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate-limited",
                    format!("too many requests: retry in {seconds} s"),
                );
                p.retry_after = Some(seconds.max(1));
                p
            }
            ServiceError::Unavailable(e) => {
                tracing::warn!(error = %e, "a dependency is unavailable");
                Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the service is briefly unavailable: retry in a moment",
                )
            }
        })
    }
}

pub fn internal_problem() -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "something went wrong on our side; it has been logged",
    )
}

fn log_internal(err: &(dyn std::error::Error + 'static)) {
    let mut chain = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        source = s.source();
    }
    tracing::error!(error = %chain, "internal error");
}

/// Turns any error that escaped the operations (a parse error of poem-openapi, a missing
/// route, a wrong method, a body too large) into a problem response. Responses that are
/// problems already pass unchanged.
pub fn problem_from_poem_error(err: poem::Error) -> Response {
    let status = err.status();
    let message = err.to_string();
    if err.is_from_response() {
        let resp = err.into_response();
        let is_problem = resp
            .headers()
            .get(poem::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with(PROBLEM_CONTENT_TYPE));
        if is_problem {
            return resp;
        }
    }
    let problem = match status {
        StatusCode::NOT_FOUND => Problem::new(status, "not-found", "no such resource"),
        StatusCode::METHOD_NOT_ALLOWED => Problem::new(
            status,
            "method-not-allowed",
            "this method is not allowed on this path",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => Problem::new(
            status,
            "payload-too-large",
            "the request body must be at most 1 MiB",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Problem::new(
            status,
            "unsupported-media-type",
            "the request body must be application/json",
        ),
        StatusCode::UNAUTHORIZED => Problem::new(
            status,
            "unauthorized",
            "a bearer token or API key is required",
        ),
        s if s.is_server_error() => {
            tracing::error!(error = %message, "internal error");
            internal_problem()
        }
        // A value of the right type outside the documented bounds (`limit=0`): as the
        // service's own range checks answer.
        StatusCode::BAD_REQUEST if message.contains("verification failed") => {
            let mut p = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation-error",
                message.clone(),
            );
            if let Some(field) = field_in_message(&message) {
                p = p.with_field(field);
            }
            p
        }
        s => {
            let mut p = Problem::new(s, "malformed-request", message.clone());
            if let Some(field) = field_in_message(&message) {
                p = p.with_field(field);
            }
            p
        }
    };
    problem.into_http()
}

/// poem-openapi names path parameters by position (`param0`, `param1`) in its errors. By the
/// convention of this API the first path parameter is always `id` and the second `user_id`
/// (`/teams/{id}/members/{user_id}`); the OpenAPI test keeps that true.
const PATH_PARAMS: [&str; 2] = ["id", "user_id"];

/// Finds the field a poem-openapi parse error names: the first name in backticks or quotes
/// after "field", "parameter" or "path".
fn field_in_message(message: &str) -> Option<String> {
    let field = raw_field_in_message(message)?;
    Some(
        match field
            .strip_prefix("param")
            .and_then(|n| n.parse::<usize>().ok())
        {
            Some(i) => PATH_PARAMS
                .get(i)
                .map_or(field.clone(), |s| (*s).to_owned()),
            None => field,
        },
    )
}

fn raw_field_in_message(message: &str) -> Option<String> {
    for marker in [
        "field `",
        "parameter `",
        "path `",
        "field \"",
        "parameter \"",
    ] {
        if let Some(start) = message.find(marker) {
            let rest = &message[start + marker.len()..];
            let close = if marker.ends_with('`') { '`' } else { '"' };
            if let Some(end) = rest.find(close) {
                return Some(rest[..end].to_owned());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_field_named_in_a_parse_error() {
        assert_eq!(
            field_in_message("unknown field `emal`, expected one of").as_deref(),
            Some("emal")
        );
        assert_eq!(
            field_in_message("failed to parse parameter `limit`: x").as_deref(),
            Some("limit")
        );
        assert_eq!(field_in_message("expected value at line 1"), None);
        assert_eq!(
            field_in_message("failed to parse path `param1`: x").as_deref(),
            Some("user_id")
        );
    }
}
