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
                // The replay path's second parameter is SPEC's `delivery_id`: its handler
                // parses it itself, so poem-openapi never reports it by position.
                let second = if path.path.contains("/deliveries/") {
                    "delivery_id"
                } else {
                    "user_id"
                };
                assert_eq!(
                    Some(*name),
                    ["id", second].get(i).copied(),
                    "{}: path parameters must be named id, then {second}",
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

/// Every frame the sockets send is documented in `openapi/asyncapi.yaml`, with each of its
/// fields: a frame added to the code without its documentation fails here.
#[test]
fn the_asyncapi_document_names_every_server_frame_and_field() {
    use switchboard_service::events::{AgentCard, Event, MessageFrame};
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/openapi/asyncapi.yaml"
    ))
    .expect("openapi/asyncapi.yaml is committed");
    let id = uuid::Uuid::nil();
    let at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    let every = [
        Event::Offer {
            offer_id: id,
            conversation_id: id,
            expires_at: at,
            visitor: serde_json::json!({}),
            transfer: Some(switchboard_service::events::TransferCard {
                from_agent_id: id,
                note: Some(String::new()),
            }),
        },
        Event::ConversationTransferred {
            conversation_id: id,
            to_agent_id: id,
        },
        Event::TransferFailed {
            conversation_id: id,
            offer_id: id,
            agent_id: id,
            reason: switchboard_core::OfferClosed::Declined,
        },
        Event::OfferWithdrawn {
            offer_id: id,
            conversation_id: id,
            reason: switchboard_core::OfferClosed::Declined,
        },
        Event::ConversationAssigned {
            conversation_id: id,
        },
        Event::AvailabilityChanged {
            status: switchboard_core::Availability::Away,
            reason: switchboard_core::AvailabilityReason::MissedOffers,
            missed: Some(2),
        },
        Event::Message(MessageFrame {
            conversation_id: id,
            seq: 1,
            sender: switchboard_core::Sender::Visitor,
            body: String::new(),
            sent_at: at,
            client_id: None,
            author_id: Some(id),
            kind: Some(switchboard_core::MessageKind::Note),
            attachment: Some(switchboard_service::views::AttachmentMeta {
                id,
                name: String::new(),
                content_type: String::new(),
                size: 0,
            }),
        }),
        Event::Typing {
            conversation_id: id,
            sender: switchboard_core::Sender::Visitor,
            typing: true,
        },
        Event::AgentJoined {
            conversation_id: id,
            agent: AgentCard {
                id,
                display_name: String::new(),
                avatar_url: None,
            },
        },
        Event::Queued {
            conversation_id: id,
            position: 1,
            estimated_wait_seconds: 60,
        },
        Event::Fallback {
            conversation_id: id,
            message: String::new(),
            reason: switchboard_core::routing::trace::FallbackReason::Declined,
        },
        Event::ConversationEnded {
            conversation_id: id,
            by: switchboard_core::Sender::System,
            reason: switchboard_core::EndReason::Ended,
        },
    ];
    for event in every {
        let frame = serde_json::to_value(&event).unwrap();
        let kind = frame["type"].as_str().unwrap();
        assert!(
            doc.contains(&format!("const: {kind}")),
            "frame {kind} is not documented"
        );
        for field in frame.as_object().unwrap().keys() {
            assert!(
                doc.contains(&format!("{field}:")),
                "field {field} of {kind} is not documented"
            );
        }
    }
}
