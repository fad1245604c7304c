//! The visitor's side: a widget session runs the tenant's published dialogue on the server.
//! The widget sends answers and renders the card it gets back; reaching a live-chat card
//! asks for an agent. A visitor token (random, stored hashed on the conversation) lets a
//! reloaded page resume the same conversation.

use std::collections::BTreeMap;

use serde_json::json;
use switchboard_core::dialogue::{Card, CardBody, Dialogue};
use switchboard_core::error::bounded_text;
use switchboard_core::routing::trace::{FallbackReason, RoutingTrace};
use switchboard_core::{ConversationStatus, TenantId, ValidationError, WidgetStatus};
use switchboard_store::conversations;
use switchboard_store::{StoreError, now, tenants};
use uuid::Uuid;

use crate::dialogues::parse_cards;
use crate::live::LiveChatStatus;
use crate::{Service, ServiceError, ServiceResult, random_token, sha256_hex};

/// Visitor tokens start with this.
pub const VISITOR_TOKEN_PREFIX: &str = "sbv_";

/// Where the visitor is, from the trusted proxy's headers.
#[derive(Debug, Clone, Default)]
pub struct Location {
    pub country: Option<String>,
    pub region: Option<String>,
    pub city: Option<String>,
}

/// Where a visitor's conversation stands, as the widget shows it.
#[derive(Debug, Clone)]
pub struct WidgetState {
    pub conversation_id: Uuid,
    pub visitor_token: String,
    pub status: WidgetStatus,
    /// The card to show; `None` once the dialogue is over.
    pub card: Option<Card>,
    pub fallback_message: Option<String>,
    pub fallback_reason: Option<FallbackReason>,
}

fn not_found_key() -> ServiceError {
    ServiceError::Validation(ValidationError::new(
        "widget_key",
        "no workspace has this widget key",
    ))
}

fn dialogue_of(c: &conversations::Model) -> ServiceResult<Dialogue> {
    parse_cards(c.dialogue.as_ref().ok_or(ServiceError::NotFound)?)
}

fn clean(field: &str, raw: Option<&str>, max: usize) -> ServiceResult<Option<String>> {
    Ok(match raw.map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(bounded_text(field, v, 1, max)?),
    })
}

impl Service {
    /// Starts the tenant's published dialogue for a new visitor, or resumes the visitor's
    /// conversation when `visitor_token` is theirs (for this widget).
    pub async fn start_widget_session(
        &self,
        widget_key: &str,
        page_url: Option<&str>,
        visitor_token: Option<&str>,
        location: Location,
    ) -> ServiceResult<WidgetState> {
        let tenant_id = self
            .tenant_of_widget(widget_key.trim())
            .await?
            .ok_or_else(not_found_key)?;
        let snapshot = self.routing_snapshot(tenant_id).await?;
        let tenant = &snapshot.tenant;
        let page_url = clean("page_url", page_url, 2000)?;
        if let Some(token) = visitor_token {
            match conversations::find_by_visitor_token_unscoped(self.db(), &sha256_hex(token)).await
            {
                Ok(c) if c.tenant_id == tenant.id => {
                    return Ok(widget_state(
                        &c,
                        token.to_owned(),
                        tenant,
                        &dialogue_of(&c)?,
                    ));
                }
                // A token from elsewhere, or one that expired with its conversation:
                // start afresh rather than fail the page.
                Ok(_) | Err(StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let published = snapshot.widget_cards.clone().ok_or_else(|| {
            ServiceError::conflict(
                "widget_key",
                "this workspace has not published a dialogue yet",
            )
        })?;
        let dialogue = parse_cards(&published)?;
        let token = format!("{VISITOR_TOKEN_PREFIX}{}", random_token(32));
        let at = now();
        let start = dialogue.start();
        let conversation = conversations::Model {
            id: Uuid::now_v7(),
            tenant_id: tenant.id,
            status: ConversationStatus::Dialogue,
            visitor: json!({
                "country": clean("country", location.country.as_deref(), 100)?,
                "region": clean("region", location.region.as_deref(), 100)?,
                "city": clean("city", location.city.as_deref(), 100)?,
                "page_url": page_url,
                "captured": {},
            }),
            routing: serde_json::Value::Null,
            card_fallback_message: None,
            assigned_agent_id: None,
            reservation_id: None,
            fallback_reason: None,
            trace: serde_json::to_value(RoutingTrace::new("none")).unwrap_or_default(),
            created_at: at,
            updated_at: at,
            ended_at: None,
            dialogue: Some(published),
            card_id: Some(start.id.clone()),
            visitor_token_hash: Some(sha256_hex(&token)),
            last_seq: 0,
            last_activity_at: None,
        };
        if matches!(start.body, CardBody::LiveChat { .. }) {
            // Stored with its routing decision, in one write.
            return self
                .reach_live_chat(conversation, &dialogue, start, token, tenant, false)
                .await;
        }
        let conversation = conversations::insert(self.db(), conversation).await?;
        Ok(widget_state(&conversation, token, tenant, &dialogue))
    }

    /// The visitor answers the card they stand at; returns where they are next.
    pub async fn answer_card(
        &self,
        visitor_token: &str,
        conversation_id: Uuid,
        card_id: &str,
        choice: Option<&str>,
        fields: &BTreeMap<String, String>,
    ) -> ServiceResult<WidgetState> {
        let c = self
            .visitor_conversation(visitor_token, conversation_id)
            .await?;
        let snapshot = self
            .routing_snapshot(TenantId::from_uuid(c.tenant_id))
            .await?;
        let tenant = &snapshot.tenant;
        if c.status != ConversationStatus::Dialogue {
            return Err(ServiceError::conflict(
                "card_id",
                "the dialogue is over: there is no card to answer",
            ));
        }
        if c.card_id.as_deref() != Some(card_id) {
            return Err(ServiceError::conflict(
                "card_id",
                "this is not the card the visitor is at; answer the current card",
            ));
        }
        let dialogue = dialogue_of(&c)?;
        let (next, captured) = dialogue.advance(card_id, choice, fields)?;
        let mut visitor = c.visitor.clone();
        if !visitor["captured"].is_object() {
            visitor["captured"] = json!({});
        }
        for (name, value) in captured {
            visitor["captured"][name.as_str()] = json!(value);
        }
        let status = match next {
            None => ConversationStatus::Completed,
            Some(card) if matches!(card.body, CardBody::LiveChat { .. }) => {
                ConversationStatus::Routing
            }
            Some(_) => ConversationStatus::Dialogue,
        };
        let moved = conversations::step_unscoped(
            self.db(),
            c.id,
            card_id,
            next.map(|n| n.id.as_str()),
            status,
            visitor.clone(),
        )
        .await?;
        if !moved {
            return Err(ServiceError::conflict(
                "card_id",
                "this card was answered already",
            ));
        }
        let c = conversations::Model {
            status,
            card_id: next.map(|n| n.id.clone()),
            visitor,
            ..c
        };
        match next {
            Some(card) if status == ConversationStatus::Routing => {
                self.reach_live_chat(c, &dialogue, card, visitor_token.to_owned(), tenant, true)
                    .await
            }
            _ => Ok(widget_state(
                &c,
                visitor_token.to_owned(),
                tenant,
                &dialogue,
            )),
        }
    }

    /// The conversation a visitor token opens, if any.
    pub(crate) async fn token_conversation(
        &self,
        visitor_token: &str,
    ) -> ServiceResult<Option<conversations::Model>> {
        match conversations::find_by_visitor_token_unscoped(self.db(), &sha256_hex(visitor_token))
            .await
        {
            Ok(c) => Ok(Some(c)),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The conversation the token opens, if it is `id`; anything else reads as not found.
    pub(crate) async fn visitor_conversation(
        &self,
        visitor_token: &str,
        id: Uuid,
    ) -> ServiceResult<conversations::Model> {
        // Not the visitor's conversation, whoever asks: not found.
        self.token_conversation(visitor_token)
            .await?
            .filter(|c| c.id == id)
            .ok_or(ServiceError::NotFound)
    }

    /// The visitor reached a live-chat card: route the conversation to an agent. `stored`:
    /// whether the conversation is in the database yet.
    async fn reach_live_chat(
        &self,
        c: conversations::Model,
        dialogue: &Dialogue,
        card: &Card,
        token: String,
        tenant: &tenants::Model,
        stored: bool,
    ) -> ServiceResult<WidgetState> {
        let CardBody::LiveChat {
            routing,
            fallback_message,
            ..
        } = &card.body
        else {
            return Ok(widget_state(&c, token, tenant, dialogue));
        };
        let c = conversations::Model {
            status: ConversationStatus::Routing,
            routing: serde_json::to_value(routing).unwrap_or_default(),
            card_fallback_message: fallback_message.clone(),
            trace: serde_json::to_value(RoutingTrace::new(routing.name())).unwrap_or_default(),
            ..c
        };
        let live = self.route(c.clone(), stored).await?;
        let (status, fallback_reason) = match live.status {
            LiveChatStatus::Offered { .. } => (ConversationStatus::Routing, None),
            LiveChatStatus::Live { .. } => (ConversationStatus::Live, None),
            LiveChatStatus::Fallback { reason, .. } => (ConversationStatus::Fallback, Some(reason)),
            LiveChatStatus::Ended => (ConversationStatus::Ended, None),
        };
        let c = conversations::Model {
            status,
            fallback_reason,
            ..c
        };
        Ok(widget_state(&c, token, tenant, dialogue))
    }
}

/// What the widget shows of a conversation whose cards are `dialogue`.
fn widget_state(
    c: &conversations::Model,
    visitor_token: String,
    tenant: &tenants::Model,
    dialogue: &Dialogue,
) -> WidgetState {
    let card = c
        .card_id
        .as_deref()
        .and_then(|id| dialogue.card(id))
        .cloned();
    let fallback_message = (c.status == ConversationStatus::Fallback).then(|| {
        crate::live::fallback_text(
            c.fallback_reason,
            c.card_fallback_message.as_deref(),
            tenant,
        )
    });
    WidgetState {
        conversation_id: c.id,
        visitor_token,
        status: c.status.into(),
        card,
        fallback_message,
        fallback_reason: c.fallback_reason,
    }
}
