#![forbid(unsafe_code)]
//! The REST API `/api/v1` (poem-openapi), its OpenAPI document, and the middleware every
//! call goes through: body size limit, idempotency keys, problem+json errors.
//!
//! Handlers stay thin: parse, call one service function, map the result to a DTO.

mod auth;
mod client_addr;
mod dto;
mod geo;
mod geoip;
mod idempotency;
mod nullable;
mod problem;
mod resources;
mod text;
mod ws;

use poem::middleware::AddData;
use poem::{Endpoint, EndpointExt, IntoEndpoint, Request, Response, Route};
use poem_openapi::OpenApiService;
use switchboard_service::Service;

pub use client_addr::TrustedProxies;
pub use geo::{GeoHeaders, Locator};
pub use geoip::{GeoIpDb, GeoIpError};
pub use problem::{Problem, problem_from_poem_error};
pub use resources::Api;

/// Every operation's path (`/teams/{id}`) and method, from the API's own description.
fn operations() -> &'static [(Vec<String>, String)] {
    use poem_openapi::OpenApi;
    static OPERATIONS: std::sync::OnceLock<Vec<(Vec<String>, String)>> = std::sync::OnceLock::new();
    OPERATIONS.get_or_init(|| {
        resources::Api::meta()
            .into_iter()
            .flat_map(|api| api.paths)
            .flat_map(|path| {
                let segments: Vec<String> = path
                    .path
                    .trim_matches('/')
                    .split('/')
                    .map(str::to_owned)
                    .collect();
                path.operations
                    .into_iter()
                    .map(move |op| (segments.clone(), op.method.to_string()))
            })
            .collect()
    })
}

/// The methods an API path answers (`GET, POST`), for the `Allow` header of a 405.
fn allowed_methods(path: &str) -> Option<String> {
    let asked: Vec<&str> = path.trim_matches('/').split('/').collect();
    let fits = |segments: &[String]| {
        segments.len() == asked.len()
            && segments.iter().zip(&asked).all(|(s, a)| {
                s.starts_with(':') || (s.starts_with('{') && s.ends_with('}')) || s == a
            })
    };
    let mut methods: Vec<&str> = operations()
        .iter()
        .filter(|(segments, _)| fits(segments))
        .map(|(_, method)| method.as_str())
        .collect();
    methods.sort_unstable();
    methods.dedup();
    (!methods.is_empty()).then(|| methods.join(", "))
}

/// A 405 says which methods the path does answer (RFC 9110 §15.5.6).
async fn allow_header<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    use poem::IntoResponse;
    let path = req
        .original_uri()
        .path()
        .split_once("/api/v1")
        .map(|(_, rest)| rest.to_owned())
        .unwrap_or_default();
    let mut resp = next.call(req).await?.into_response();
    if resp.status() == poem::http::StatusCode::METHOD_NOT_ALLOWED
        && let Some(allow) = allowed_methods(&path)
        && let Ok(value) = poem::http::HeaderValue::from_str(&allow)
    {
        resp.headers_mut().insert(poem::http::header::ALLOW, value);
    }
    Ok(resp)
}

/// The largest request body accepted (SPEC: bodies over 1 MiB are refused).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The largest body of a file upload (`…/attachments`): a 10 MiB file and its multipart
/// framing.
pub const MAX_UPLOAD_BYTES: usize = switchboard_core::attachment::MAX_BYTES + 64 * 1024;

/// The OpenAPI service with every operation, its server set to the path prefix so the
/// document does not depend on the host or port it is served from.
pub fn openapi() -> OpenApiService<Api, ()> {
    OpenApiService::new(resources::api(), "Switchboard API", env!("CARGO_PKG_VERSION"))
        .description(
            "Multi-tenant live chat. Authenticate with `POST /auth/token` (a short-lived JWT) or a \
             tenant API key, sent as `Authorization: Bearer …`; `POST /auth/logout` revokes every \
             token of the caller at once (so do a password change and disabling an account). Too \
             many requests are answered 429 with `Retry-After`. Errors are RFC 9457 problem details. \
             Lists are paginated with `limit` and `cursor` (the `next_cursor` of the previous page). \
             Creating calls accept an `Idempotency-Key` header: a retry with the same key and body \
             returns the first response without acting twice.",
        )
        .server("/api/v1")
}

/// The OpenAPI document as served and as committed in `openapi/openapi.json`.
///
/// poem-openapi documents an `Option` field as one that may be absent; ours are also written
/// as `null`, and read `null` as absent (or as the default). So every property that is not
/// required is declared nullable (a `$ref` wrapped in `allOf`: OpenAPI 3.0 ignores a
/// `$ref`'s siblings), and a client can trust the document about `null`.
pub fn openapi_json() -> String {
    let spec = openapi().spec();
    let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(&spec) else {
        return spec;
    };
    let bodies = request_bodies(&doc);
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(serde_json::Value::as_object_mut)
    {
        schemas.values_mut().for_each(declare_nullable);
        // Request bodies refuse fields they do not know (400), but for a browser's push
        // subscription, which carries more than is read (`expirationTime`, and whatever
        // browsers add next).
        for (name, schema) in schemas.iter_mut() {
            if bodies.contains(name)
                && !LENIENT_BODIES.contains(&name.as_str())
                && let Some(o) = schema.as_object_mut()
                && o.contains_key("properties")
            {
                o.insert(
                    "additionalProperties".into(),
                    serde_json::Value::Bool(false),
                );
            }
        }
    }
    declare_links(&mut doc);
    tidy_schemas(&mut doc);
    serde_json::to_string_pretty(&doc).unwrap_or(spec)
}

/// What client generators stumble on, smoothed everywhere in the document:
/// - `allOf: [{$ref}, {description}]` (poem-openapi's way to describe a referenced field)
///   becomes `allOf: [{$ref}]` with the description beside it; generators otherwise make an
///   anonymous copy of the referenced type;
/// - an enum whose values only differ by punctuation (`GMT+0`, `GMT0`, `GMT-0`) gets
///   `x-enum-varnames`, so that generators naming members after values keep them apart.
fn tidy_schemas(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(o) => {
            if let Some(Value::Array(all)) = o.get_mut("allOf") {
                let mut description = None;
                all.retain(|member| {
                    let only_description = member
                        .as_object()
                        .is_some_and(|m| m.len() == 1 && m.contains_key("description"));
                    if only_description {
                        description = member.get("description").cloned();
                    }
                    !only_description
                });
                if let Some(d) = description {
                    o.entry("description").or_insert(d);
                }
            }
            if let Some(names) = o
                .get("enum")
                .and_then(Value::as_array)
                .and_then(|v| enum_names(v))
            {
                o.insert("x-enum-varnames".into(), names);
            }
            o.values_mut().for_each(tidy_schemas);
        }
        Value::Array(a) => a.iter_mut().for_each(tidy_schemas),
        _ => {}
    }
}

/// Member names for a string enum whose values would collide once punctuation is dropped
/// (`None` when they would not): `+` and `-` spelled out, other punctuation `_`.
fn enum_names(values: &[serde_json::Value]) -> Option<serde_json::Value> {
    let plain = |v: &str| -> String {
        v.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_uppercase()
    };
    let strings: Vec<&str> = values
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect();
    if strings.len() != values.len() {
        return None;
    }
    let distinct: std::collections::HashSet<String> = strings.iter().map(|v| plain(v)).collect();
    if distinct.len() == strings.len() {
        return None;
    }
    let spelled = |v: &str| -> String {
        v.chars()
            .map(|c| match c {
                '+' => "_PLUS_".to_owned(),
                '-' => "_MINUS_".to_owned(),
                c if c.is_ascii_alphanumeric() => c.to_ascii_uppercase().to_string(),
                _ => "_".to_owned(),
            })
            .collect()
    };
    Some(
        strings
            .iter()
            .map(|v| spelled(v))
            .collect::<Vec<_>>()
            .into(),
    )
}

/// Declares OpenAPI links from each creating call (`POST /teams`, answering 201 with an
/// `id`) to the operations on what it created (`/teams/{id}`, `/teams/{id}/members/…`
/// when `id` is their only unknown), so that a client or a stateful fuzzer can follow them.
fn declare_links(doc: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let Some(paths) = doc["paths"].as_object() else {
        return;
    };
    let mut links: Vec<(String, String)> = Vec::new();
    for (created, ops) in paths {
        let Some(schema) = ops
            .pointer("/post/responses/201/content")
            .and_then(Value::as_object)
            .and_then(|c| c.values().next())
            .map(|c| &c["schema"])
        else {
            continue;
        };
        let schema = match schema["$ref"].as_str() {
            Some(r) => doc
                .pointer(r.trim_start_matches('#'))
                .unwrap_or(&Value::Null),
            None => schema,
        };
        if schema.pointer("/properties/id").is_none() {
            continue;
        }
        let on_it = format!("{created}/{{id}}");
        for (path, ops) in paths {
            let rest = path.strip_prefix(&on_it);
            if !rest.is_some_and(|r| r.is_empty() || (r.starts_with('/') && !r.contains('{'))) {
                continue;
            }
            for op in ops.as_object().into_iter().flat_map(|o| o.values()) {
                if let Some(id) = op["operationId"].as_str() {
                    links.push((created.clone(), id.to_owned()));
                }
            }
        }
    }
    for (created, operation) in links {
        if let Some(response) = doc
            .pointer_mut(&format!(
                "/paths/{}/post/responses/201",
                created.replace('~', "~0").replace('/', "~1")
            ))
            .and_then(Value::as_object_mut)
        {
            let entry = response.entry("links").or_insert_with(|| json!({}));
            if let Some(map) = entry.as_object_mut() {
                map.insert(
                    operation.clone(),
                    json!({
                        "operationId": operation,
                        "parameters": { "id": "$response.body#/id" },
                    }),
                );
            }
        }
    }
}

/// The request bodies that take fields they do not know.
const LENIENT_BODIES: [&str; 3] = [
    "PushSubscriptionRequest",
    "PushKeys",
    "PushUnsubscribeRequest",
];

/// The names of the schemas a request body uses, directly or inside another.
fn request_bodies(doc: &serde_json::Value) -> std::collections::HashSet<String> {
    fn refs(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(o) => {
                for (k, v) in o {
                    match (k.as_str(), v.as_str()) {
                        ("$ref", Some(r)) => out.push(r.rsplit('/').next().unwrap_or(r).into()),
                        _ => refs(v, out),
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut todo = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for op in paths
            .values()
            .filter_map(|p| p.as_object())
            .flat_map(|p| p.values())
        {
            refs(&op["requestBody"], &mut todo);
        }
    }
    let mut seen = std::collections::HashSet::new();
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            refs(&doc["components"]["schemas"][&name], &mut todo);
        }
    }
    seen
}

/// Marks the optional properties of an object schema nullable (see [`openapi_json`]).
fn declare_nullable(schema: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let required: Vec<Value> = schema
        .get("required")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (name, property) in properties.iter_mut() {
        // A property with a default reads `null` as absent too: the default.
        if required.contains(&Value::String(name.clone())) {
            continue;
        }
        let Some(p) = property.as_object_mut() else {
            continue;
        };
        if let Some(target) = p.remove("$ref") {
            p.insert("allOf".into(), json!([{ "$ref": target }]));
        }
        // OpenAPI 3.0: a nullable enum admits null only when its list names it.
        if let Some(choices) = p.get_mut("enum").and_then(Value::as_array_mut)
            && !choices.contains(&Value::Null)
        {
            choices.push(Value::Null);
        }
        p.insert("nullable".into(), Value::Bool(true));
    }
}

/// The API's documentation page (Swagger UI, every asset inline, showing the document as
/// served) and its content security policy: only its own inline scripts run (by hash),
/// nothing is loaded from elsewhere, calls go to this origin, and no page may frame it.
fn docs_page(api: &OpenApiService<Api, ()>, spec: &str) -> (String, String) {
    use base64::Engine;
    use sha2::Digest;
    let html = api.swagger_ui_html().replacen(&api.spec(), spec, 1);
    let mut scripts = Vec::new();
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<script") {
        let Some(open_end) = rest[start..].find('>') else {
            break;
        };
        let body_start = start + open_end + 1;
        let Some(len) = rest[body_start..].find("</script>") else {
            break;
        };
        let body = &rest[body_start..body_start + len];
        scripts.push(format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(body))
        ));
        rest = &rest[body_start + len..];
    }
    let policy = format!(
        "default-src 'none'; script-src {}; style-src 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        scripts.join(" ")
    );
    (html, policy)
}

/// Everything under `/api`: `/api/v1/*`, `/api/openapi.json` and `/api/docs`.
///
/// Any origin may call the API from a browser (CORS): the widget runs on tenants' own sites,
/// and no API call is authorized by a cookie (only by a bearer token the page holds), so a
/// foreign page gains nothing it could not do with plain HTTP.
///
/// `locator` places visitors; its trusted proxies are also data of their own, for whatever
/// needs the client's address.
pub fn routes(service: Service, locator: Locator) -> impl Endpoint<Output = Response> {
    let api = openapi();
    let spec = openapi_json();
    let (docs, policy) = docs_page(&api, &spec);
    Route::new()
        .at("/v1/ws/agent", poem::get(ws::agent))
        .at("/v1/ws/visitor", poem::get(ws::visitor))
        .nest(
            "/v1",
            api.around(idempotency::middleware)
                .catch_all_error(|err| async move { problem_from_poem_error(err) })
                .around(allow_header),
        )
        .at(
            "/openapi.json",
            poem::get(poem::endpoint::make_sync(move |_| {
                Response::builder()
                    .content_type("application/json; charset=utf-8")
                    .body(spec.clone())
            })),
        )
        .at(
            "/docs",
            poem::get(poem::endpoint::make_sync(move |_| {
                Response::builder()
                    .content_type("text/html; charset=utf-8")
                    .header("Content-Security-Policy", policy.as_str())
                    .header("X-Content-Type-Options", "nosniff")
                    .body(docs.clone())
            })),
        )
        .with(AddData::new(service))
        .with(AddData::new(locator.proxies().clone()))
        .with(AddData::new(locator))
        .with(
            poem::middleware::Cors::new()
                .allow_credentials(false)
                .allow_headers(["authorization", "content-type", "idempotency-key"])
                .expose_headers(["location"])
                .max_age(600),
        )
        .into_endpoint()
        .map_to_response()
}

/// Reads the body up to [`MAX_BODY_BYTES`]: a larger body is refused with a 413 problem
/// before any handler sees it, whether or not it declared its length. Wraps the whole
/// application (console forms too), so no endpoint reads an unbounded body.
pub async fn limit_body<E: Endpoint>(next: E, mut req: Request) -> poem::Result<Response> {
    use poem::IntoResponse;
    use poem::http::StatusCode;
    let too_large =
        || problem_from_poem_error(poem::Error::from_status(StatusCode::PAYLOAD_TOO_LARGE));
    let declared = req
        .headers()
        .get(poem::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let limit =
        if req.method() == poem::http::Method::POST && req.uri().path().ends_with("/attachments") {
            MAX_UPLOAD_BYTES
        } else {
            MAX_BODY_BYTES
        };
    if declared.is_some_and(|n| n > limit) {
        return Ok(too_large());
    }
    let bytes = match req.take_body().into_bytes_limit(limit).await {
        Ok(bytes) => bytes,
        Err(poem::error::ReadBodyError::PayloadTooLarge) => return Ok(too_large()),
        Err(other) => {
            return Ok(problem_from_poem_error(poem::Error::new(
                other,
                StatusCode::BAD_REQUEST,
            )));
        }
    };
    req.set_body(bytes);
    Ok(next.call(req).await?.into_response())
}
