//! The OpenAPI document: committed, in step with the code, and free of name clashes.

use std::collections::HashSet;

use poem_openapi::OpenApi;
use poem_openapi::registry::Registry;

use crate::helpers::spawn_app;

#[test]
fn the_committed_document_matches_the_code() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .expect("openapi/openapi.json is committed");
    let generated = switchboard_api::openapi_json() + "\n";
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: run `cargo run -- openapi` and commit the result"
    );
}

#[test]
fn operation_ids_and_routes_are_unique_and_schemas_register_without_clashes() {
    // Registering panics when two different types share one schema name.
    let mut registry = Registry::new();
    switchboard_api::Api::register(&mut registry);
    let mut ids = HashSet::new();
    let mut routes = HashSet::new();
    for api in switchboard_api::Api::meta() {
        for path in api.paths {
            for op in path.operations {
                assert!(
                    routes.insert((path.path.clone(), op.method.clone())),
                    "duplicate route {} {}",
                    op.method,
                    path.path
                );
                let id = op
                    .operation_id
                    .unwrap_or_else(|| panic!("{} {} has no operation id", op.method, path.path));
                assert!(ids.insert(id), "duplicate operation id {id}");
            }
        }
    }
    // problem.rs names path parameters by position: the first is always `id`, the second `user_id`.
    let mut named = 0;
    for api in switchboard_api::Api::meta() {
        for path in api.paths {
            let names: Vec<&str> = path
                .path
                .split('/')
                .filter_map(|s| {
                    s.strip_prefix(':')
                        .or_else(|| s.strip_prefix('{')?.strip_suffix('}'))
                })
                .collect();
            for (i, name) in names.iter().enumerate() {
                assert_eq!(
                    Some(name),
                    ["id", "user_id"].get(i),
                    "{}: path parameters must be named id, then user_id",
                    path.path
                );
                named += 1;
            }
        }
    }
    assert!(
        named >= 8,
        "path parameters were not found in the meta paths"
    );
    assert!(ids.len() >= 29, "operations went missing: {ids:?}");
    assert!(registry.schemas.contains_key("Problem"));
}

#[tokio::test]
async fn the_document_and_the_interactive_page_are_served() {
    let app = spawn_app().await;
    let spec: serde_json::Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(spec["servers"][0]["url"], "/api/v1");
    for path in [
        "/auth/token",
        "/platform/tenants",
        "/users/{id}/live-chat-permission",
        "/teams/{id}/members/{user_id}",
        "/settings",
        "/usage",
        "/api-keys",
        "/audit-log",
        "/me",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} missing");
    }
    let docs = app.client.get(app.url("/api/docs")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"));
}
