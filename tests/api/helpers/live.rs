//! Live-chat requests straight through the service (the widget's path without the widget),
//! and reading where they stand.

use switchboard_core::routing::RoutingMode;
use switchboard_core::routing::rules::Visitor;
use switchboard_core::{TenantId, UserId};
use switchboard_service::live::{LiveChat, LiveChatStatus};

use super::{Tenant, TestApp};

pub fn tid(t: &Tenant) -> TenantId {
    t.id.parse().unwrap()
}

/// A visitor of tenant `t` asks for an agent with this routing (and card fallback message).
pub async fn request(app: &TestApp, t: &Tenant, mode: RoutingMode, card: Option<&str>) -> LiveChat {
    app.service
        .request_live_chat(tid(t), mode, card, Visitor::default())
        .await
        .unwrap()
}

/// The offer a request is waiting on: `(offer id, agent)`.
pub fn offer_of(l: &LiveChat) -> (uuid::Uuid, UserId) {
    match &l.status {
        LiveChatStatus::Offered {
            offer_id, agent_id, ..
        } => (*offer_id, *agent_id),
        other => panic!("not offered: {other:?}"),
    }
}

/// The id of the first offer made for `conversation`, as its trace shows it.
pub async fn first_offer_id(app: &TestApp, t: &Tenant, conversation: &str) -> String {
    let c = app
        .get(&format!("/api/v1/conversations/{conversation}"), &t.token)
        .await;
    c.body["trace"]["offers"][0]["offer_id"]
        .as_str()
        .unwrap_or_else(|| panic!("no offer yet: {}", c.text))
        .to_owned()
}
