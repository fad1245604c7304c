//! Dialogues: admins write a card tree (a draft), publish it, and the widget runs the
//! published one. Every save is validated in full (core::dialogue) and returns the
//! best-practice warnings; publishing checks again that each live-chat card's agent or team
//! still exists, and makes the dialogue the widget's.

use sea_orm::Set;
use serde::Deserialize;
use serde_json::json;
use switchboard_core::dialogue::{self, CardBody, CardInput, Dialogue, Warning};
use switchboard_core::error::bounded_text;
use switchboard_core::page::{Page, PageRequest};
use switchboard_core::routing::RoutingMode;
use switchboard_core::{TenantId, ValidationError};
use switchboard_store::{audit, dialogue_versions, dialogues, now, tenants};
use uuid::Uuid;

use crate::{Principal, Service, ServiceError, ServiceResult};

/// A live-chat card's routing as a client writes it.
#[derive(Debug, Clone)]
pub struct RoutingInput {
    pub mode: String,
    pub agent_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
}

/// A card as a client writes it: the core input, with its routing not yet resolved.
#[derive(Debug, Clone, Default)]
pub struct CardWrite {
    pub card: CardInput,
    pub routing: Option<RoutingInput>,
}

#[derive(Debug, Clone)]
pub struct DialogueInput {
    pub name: String,
    pub cards: Vec<CardWrite>,
}

/// A dialogue with its draft parsed and its warnings.
#[derive(Debug, Clone)]
pub struct DialogueView {
    pub model: crate::views::DialogueRecord,
    pub draft: Dialogue,
    pub warnings: Vec<Warning>,
    /// Whether the widget runs this dialogue.
    pub is_widget_dialogue: bool,
}

/// Cards stored as JSON (a draft, a publication, a conversation's copy), read in place.
pub(crate) fn parse_cards(raw: &serde_json::Value) -> ServiceResult<Dialogue> {
    Dialogue::deserialize(raw).map_err(ServiceError::internal)
}

impl Service {
    fn view(&self, model: dialogues::Model, widget: Option<Uuid>) -> ServiceResult<DialogueView> {
        let draft = parse_cards(&model.cards)?;
        Ok(DialogueView {
            warnings: draft.warnings(),
            is_widget_dialogue: widget == Some(model.id),
            draft,
            model: model.into(),
        })
    }

    /// Checks a live-chat card's routing against the tenant (the named agent or team must be
    /// the tenant's), reporting errors at the card's own field.
    async fn card_routing(
        &self,
        tenant: TenantId,
        index: usize,
        routing: &RoutingInput,
    ) -> ServiceResult<RoutingMode> {
        self.routing_mode(tenant, &routing.mode, routing.agent_id, routing.team_id)
            .await
            .map_err(|e| match e {
                ServiceError::Validation(v) => {
                    let field = format!("cards[{index}].{}", v.field);
                    ServiceError::Validation(v.at(field))
                }
                other => other,
            })
    }

    async fn parse_dialogue(
        &self,
        tenant: TenantId,
        input: DialogueInput,
    ) -> ServiceResult<(String, Dialogue)> {
        let name = bounded_text("name", &input.name, 1, 100)?;
        let mut cards = Vec::with_capacity(input.cards.len());
        for (i, write) in input.cards.into_iter().enumerate() {
            let mut card = write.card;
            if let Some(routing) = &write.routing {
                // The kind check comes first: a message card with routing is refused as such.
                card.routing = Some(if card.kind.trim() == "live_chat" {
                    self.card_routing(tenant, i, routing).await?
                } else {
                    RoutingMode::RoundRobin
                });
            }
            cards.push(card);
        }
        Ok((name, dialogue::parse(&cards)?))
    }

    pub async fn list_dialogues(
        &self,
        who: &Principal,
        page: PageRequest,
    ) -> ServiceResult<Page<DialogueView>> {
        let tenant = who.admin_tenant()?;
        let widget = tenants::find(self.db(), tenant).await?.widget_dialogue_id;
        let page = dialogues::list(self.db(), tenant, page).await?;
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(|m| self.view(m, widget))
                .collect::<ServiceResult<_>>()?,
            next_cursor: page.next_cursor,
        })
    }

    pub async fn get_dialogue(&self, who: &Principal, id: Uuid) -> ServiceResult<DialogueView> {
        let tenant = who.admin_tenant()?;
        let widget = tenants::find(self.db(), tenant).await?.widget_dialogue_id;
        self.view(dialogues::find(self.db(), tenant, id).await?, widget)
    }

    pub async fn create_dialogue(
        &self,
        who: &Principal,
        input: DialogueInput,
    ) -> ServiceResult<DialogueView> {
        let tenant = who.admin_tenant()?;
        let (name, draft) = self.parse_dialogue(tenant, input).await?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let model = dialogues::insert(&txn, tenant, name, json!(draft)).await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "dialogue.created",
                target_kind: "dialogue",
                target_id: Some(model.id),
                details: json!({"name": model.name, "cards": draft.cards.len()}),
            },
        )
        .await?;
        txn.commit().await?;
        self.get_dialogue(who, model.id).await
    }

    /// Replaces the draft (name and cards). Visitors keep getting the published version
    /// until the next publish.
    pub async fn replace_dialogue(
        &self,
        who: &Principal,
        id: Uuid,
        input: DialogueInput,
    ) -> ServiceResult<DialogueView> {
        let tenant = who.admin_tenant()?;
        let existing = dialogues::find(self.db(), tenant, id).await?;
        let (name, draft) = self.parse_dialogue(tenant, input).await?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        let mut active: dialogues::ActiveModel = existing.into();
        active.name = Set(name.clone());
        active.cards = Set(json!(draft));
        dialogues::save(&txn, active).await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "dialogue.updated",
                target_kind: "dialogue",
                target_id: Some(id),
                details: json!({"name": name, "cards": draft.cards.len()}),
            },
        )
        .await?;
        txn.commit().await?;
        self.get_dialogue(who, id).await
    }

    /// Deletes a dialogue; if the widget ran it, the widget has no dialogue until another
    /// is published. Conversations under way keep running the version they started with.
    pub async fn delete_dialogue(&self, who: &Principal, id: Uuid) -> ServiceResult<()> {
        let tenant = who.admin_tenant()?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        tenants::lock(&txn, tenant).await?;
        let t = tenants::find(&txn, tenant).await?;
        let model = dialogues::find(&txn, tenant, id).await?;
        dialogues::delete(&txn, tenant, id).await?;
        if t.widget_dialogue_id == Some(id) {
            tenants::set_widget_dialogue(&txn, tenant, None).await?;
        }
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "dialogue.deleted",
                target_kind: "dialogue",
                target_id: Some(id),
                details: json!({"name": model.name}),
            },
        )
        .await?;
        txn.commit().await?;
        self.config_changed(tenant).await;
        Ok(())
    }

    /// Publishes the draft: from now on new visitors get it. Refused (nothing changed) when
    /// a live-chat card names an agent or team that no longer exists.
    pub async fn publish_dialogue(&self, who: &Principal, id: Uuid) -> ServiceResult<DialogueView> {
        let tenant = who.admin_tenant()?;
        let model = dialogues::find(self.db(), tenant, id).await?;
        let draft = parse_cards(&model.cards)?;
        for (i, card) in draft.cards.iter().enumerate() {
            let (kind, id) = match &card.body {
                CardBody::LiveChat {
                    routing: RoutingMode::Agent { agent_id },
                    ..
                } => ("agent", agent_id.as_uuid()),
                CardBody::LiveChat {
                    routing: RoutingMode::Team { team_id },
                    ..
                } => ("team", team_id.as_uuid()),
                _ => continue,
            };
            self.check_target(tenant, kind, id)
                .await
                .map_err(|e| match e {
                    ServiceError::Validation(_) => ServiceError::Validation(ValidationError::new(
                        format!("cards[{i}].routing.{kind}_id"),
                        format!(
                            "the live-chat card \"{}\" routes to a {kind} that no longer exists",
                            card.id
                        ),
                    )),
                    other => other,
                })?;
        }
        let txn = switchboard_store::begin_write(self.db()).await?;
        tenants::lock(&txn, tenant).await?;
        let version =
            dialogue_versions::insert(&txn, tenant, model.id, model.cards.clone()).await?;
        let mut active: dialogues::ActiveModel = model.clone().into();
        active.published_version_id = Set(Some(version));
        active.published_cards = Set(Some(model.cards.clone()));
        active.published_at = Set(Some(now()));
        dialogues::save(&txn, active).await?;
        tenants::set_widget_dialogue(&txn, tenant, Some(id)).await?;
        audit::append(
            &txn,
            tenant,
            &who.actor(),
            audit::Entry {
                action: "dialogue.published",
                target_kind: "dialogue",
                target_id: Some(id),
                details: json!({"name": model.name}),
            },
        )
        .await?;
        txn.commit().await?;
        self.config_changed(tenant).await;
        self.get_dialogue(who, id).await
    }
}
