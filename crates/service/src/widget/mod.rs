//! The visitor's side: a widget session runs the tenant's published dialogue on the server.
//! The widget sends answers and renders the card it gets back; reaching a live-chat card
//! asks for an agent. A visitor token (random, stored hashed on the conversation) lets a
//! reloaded page resume the same conversation.
//!
//! The dialogue is part of the transcript (SPEC §12.2): what the bot says at each card and
//! what the visitor answers are stored as messages (`bot`, `visitor`) in the transaction
//! that moves the visitor on, numbered like the chat that may follow, so a reload (and an
//! agent) reads the whole conversation in order.
//!
//! Nothing is stored for a visitor who only looks: see [`unsaved`]. A conversation runs the
//! published dialogue version it started with, by reference (older ones hold a copy).
//!
//! A visitor's token opens their latest conversation. Once it is over (ended, fallen back,
//! or the dialogue finished) `new_conversation` starts another for the same visitor: the
//! token moves to it, and both share the visitor's id, so agents see the earlier ones.

use std::collections::BTreeMap;
use std::sync::Arc;

use sea_orm::ConnectionTrait;
use serde_json::json;
use switchboard_core::dialogue::{Card, CardBody, Dialogue};
use switchboard_core::error::bounded_text;
use switchboard_core::routing::trace::{FallbackReason, RoutingTrace};
use switchboard_core::{ConversationStatus, Sender, TenantId, WidgetStatus};
use switchboard_store::{StoreError, now, tenants};
use switchboard_store::{conversations, messages};
use uuid::Uuid;

use crate::dialogues::parse_cards;
use crate::live::LiveChatStatus;
use crate::snapshot::Snapshot;
use crate::{Service, ServiceError, ServiceResult, random_token, sha256_hex};

pub mod look;
mod unsaved;
use unsaved::Unsaved;

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
    /// Waiting in line: their place (1: next) and the estimated wait in seconds.
    pub queued: Option<(u64, u64)>,
    /// What the visitor left after the fallback, once they did.
    pub left_message: Option<crate::views::LeftMessage>,
    /// The chat ended after an agent took it and the visitor has not rated it yet.
    pub rating_open: bool,
}

/// What the widget sends to start or resume a session.
#[derive(Debug, Default)]
pub struct WidgetStart<'a> {
    pub widget_key: &'a str,
    pub page_url: Option<&'a str>,
    pub visitor_token: Option<&'a str>,
    pub new_conversation: bool,
    pub location: Location,
    /// The browser's `Origin` header, if it sent one.
    pub origin: Option<&'a str>,
    /// The client's address (from the trusted proxies' view), for the cap on open chats.
    pub ip: Option<&'a str>,
    /// The tenant's own id for a visitor logged in on its site, and its HMAC.
    pub user_id: Option<&'a str>,
    pub user_hash: Option<&'a str>,
    /// The browser's `Accept-Language`: the visitor's language among the widget's.
    pub accept_language: Option<&'a str>,
}

/// The language of a conversation's visitor (chosen when it started, among the widget's),
/// else the workspace's default: the language of the lines the server writes into it.
pub(crate) fn visitor_language(
    c: &conversations::Model,
    default: switchboard_core::Locale,
) -> switchboard_core::Locale {
    c.visitor["locale"]
        .as_str()
        .and_then(switchboard_core::Locale::parse)
        .unwrap_or(default)
}

/// A widget call from a site the tenant did not list is refused (SPEC §12.4).
pub(crate) fn check_origin(tenant: &tenants::Model, origin: Option<&str>) -> ServiceResult<()> {
    if tenant.settings().origin_allowed(origin) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "this site is not among the workspace's allowed origins (widget_allowed_origins)",
        ))
    }
}

/// The most chats one address may hold waiting for an agent or live in a workspace: a script
/// cannot hold every agent's offers, while an office behind one address still chats.
pub const OPEN_CHATS_PER_IP: u64 = 3;

/// An unknown widget key names no workspace: 404, like any other unknown resource.
fn not_found_key() -> ServiceError {
    ServiceError::NotFound
}

fn answered_already() -> ServiceError {
    ServiceError::conflict("card_id", "this card was answered already")
}

/// Bytes of a hex string (either case); `None` when it is not one.
fn hex_bytes(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) || !hex.is_ascii() {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect()
}

fn clean(field: &str, raw: Option<&str>, max: usize) -> ServiceResult<Option<String>> {
    Ok(match raw.map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(bounded_text(field, v, 1, max)?),
    })
}

impl Service {
    /// The visitor's identity on the tenant's site: `(user_id, verified)`. With identity
    /// verification on, a `user_id` must come with its HMAC-SHA256 under the tenant's secret
    /// (hex, `user_hash`): a wrong or missing one is refused. Without it, a `user_id` is shown
    /// to agents as unverified.
    fn identity(
        &self,
        tenant: &tenants::Model,
        user_id: Option<&str>,
        user_hash: Option<&str>,
    ) -> ServiceResult<Option<(String, bool)>> {
        let Some(user_id) = clean("user_id", user_id, 200)? else {
            if user_hash.is_some_and(|h| !h.trim().is_empty()) {
                return Err(switchboard_core::ValidationError::new(
                    "user_hash",
                    "comes with user_id: it is the HMAC of the user id",
                )
                .into());
            }
            return Ok(None);
        };
        if !tenant.identity_verification {
            return Ok(Some((user_id, false)));
        }
        const WRONG: &str =
            "user_hash is not the HMAC-SHA256 of user_id under this workspace's identity secret";
        let secret = match &tenant.identity_secret {
            Some(sealed) => self.auth_config().sealer.open(sealed)?,
            None => return Err(ServiceError::Forbidden(WRONG)),
        };
        let expected = user_hash
            .map(str::trim)
            .and_then(hex_bytes)
            .ok_or(ServiceError::Forbidden(WRONG))?;
        use hmac::Mac;
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
            .map_err(ServiceError::internal)?;
        mac.update(user_id.as_bytes());
        // Compared in constant time.
        mac.verify_slice(&expected)
            .map_err(|_| ServiceError::Forbidden(WRONG))?;
        Ok(Some((user_id, true)))
    }

    /// The visitor is on another page of the site (the widget resumed there): an open,
    /// stored conversation keeps the pages visited during it (the last 20, with when), which
    /// agents read with the visitor's details.
    async fn record_page(
        &self,
        mut c: conversations::Model,
        page_url: Option<&str>,
    ) -> ServiceResult<conversations::Model> {
        const KEPT: usize = 20;
        let Some(url) = page_url else {
            return Ok(c);
        };
        if !c.status.is_open() || c.visitor["page_url"].as_str() == Some(url) {
            return Ok(c);
        }
        let mut pages = c.visitor["pages"].as_array().cloned().unwrap_or_default();
        if pages.is_empty()
            && let Some(first) = c.visitor["page_url"].as_str()
        {
            pages.push(json!({"url": first, "at": c.created_at}));
        }
        pages.push(json!({"url": url, "at": now()}));
        let skip = pages.len().saturating_sub(KEPT);
        let pages: Vec<_> = pages.into_iter().skip(skip).collect();
        let mut visitor = c.visitor.clone();
        visitor["pages"] = json!(pages);
        visitor["page_url"] = json!(url);
        let tenant = TenantId::from_uuid(c.tenant_id);
        if conversations::set_visitor(self.db(), tenant, c.id, visitor.clone()).await? {
            c.visitor = visitor;
        }
        Ok(c)
    }

    /// Refuses a new session or a step of the dialogue while the address already holds
    /// [`OPEN_CHATS_PER_IP`] chats waiting or live (429: one is to end first).
    async fn check_open_chats(
        &self,
        tenant: TenantId,
        ip_hash: Option<&str>,
        except: Option<Uuid>,
    ) -> ServiceResult<()> {
        let Some(hash) = ip_hash else {
            return Ok(());
        };
        if !self.limits_on() {
            return Ok(());
        }
        if conversations::open_chats_from(self.db(), tenant, hash, except).await?
            >= OPEN_CHATS_PER_IP
        {
            return Err(ServiceError::RateLimited(std::time::Duration::from_secs(
                60,
            )));
        }
        Ok(())
    }

    /// Starts the tenant's published dialogue for a new visitor, or resumes the visitor's
    /// conversation when `visitor_token` is theirs (for this widget). With
    /// `new_conversation`, a visitor whose conversation is over starts another one with the
    /// same token (one still open is a conflict: it is to be ended first).
    pub async fn start_widget_session(&self, start: WidgetStart<'_>) -> ServiceResult<WidgetState> {
        let WidgetStart {
            widget_key,
            page_url,
            visitor_token,
            new_conversation,
            location,
            origin,
            user_id,
            user_hash,
            ip,
            accept_language,
        } = start;
        let tenant_id = self
            .tenant_of_widget(widget_key.trim())
            .await?
            .ok_or_else(not_found_key)?;
        let snapshot = self.routing_snapshot(tenant_id).await?;
        let tenant = &snapshot.tenant;
        check_origin(tenant, origin)?;
        let identity = self.identity(tenant, user_id, user_hash)?;
        if visitor_token.is_none() || new_conversation {
            self.check_open_chats(tenant_id, ip.map(sha256_hex).as_deref(), None)
                .await?;
        }
        let page_url = clean("page_url", page_url, 2000)?;
        let mut previous = None;
        if let Some(token) = visitor_token {
            match self.token_conversation(token).await? {
                Some(c) if c.tenant_id == tenant.id && !new_conversation => {
                    let c = self.record_page(c, page_url.as_deref()).await?;
                    let dialogue = self.dialogue_of(&c, &snapshot).await?;
                    return Ok(widget_state(&c, token.to_owned(), tenant, &dialogue));
                }
                Some(c) if c.tenant_id == tenant.id => {
                    if c.status.is_open() {
                        return Err(ServiceError::conflict(
                            "new_conversation",
                            "the visitor's conversation is still open: end it first",
                        ));
                    }
                    previous = Some((c, token.to_owned()));
                }
                // A token from elsewhere, or one that expired with its conversation:
                // start afresh rather than fail the page.
                _ => {}
            }
        }
        let published = snapshot.widget_dialogue.clone().ok_or_else(|| {
            ServiceError::conflict(
                "widget_key",
                "this workspace has not published a dialogue yet",
            )
        })?;
        let settings = tenant.settings();
        let locale =
            look::visitor_locale(&settings.brand, settings.default_locale, accept_language);
        let dialogue = &*in_language(published.dialogue.clone(), locale);
        let start = dialogue.start();
        let id = Uuid::now_v7();
        let live_chat = matches!(start.body, CardBody::LiveChat { .. });
        let said: Vec<_> = start.says().map(str::to_owned).into_iter().collect();
        let unsaved = Unsaved {
            conversation: id,
            tenant: tenant.id,
            version: published.version,
            card: start.id.clone(),
            said: i64::try_from(said.len()).unwrap_or(0),
            started: now(),
            visitor: json!({
                "country": clean("country", location.country.as_deref(), 100)?,
                "region": clean("region", location.region.as_deref(), 100)?,
                "city": clean("city", location.city.as_deref(), 100)?,
                "page_url": page_url,
                "captured": {},
                "user_id": identity.as_ref().map(|i| i.0.clone()),
                "verified": identity.as_ref().is_some_and(|i| i.1),
                "locale": locale.as_str(),
            }),
            ip_hash: ip.map(sha256_hex),
            visitor_id: previous.as_ref().map(|(c, _)| c.visitor_id.unwrap_or(c.id)),
        };
        // A new visitor at a card of the dialogue: nothing is stored until they answer.
        // (One asking for a new conversation has chatted before: theirs is stored.)
        if previous.is_none() && !live_chat {
            let token = unsaved.token(&self.auth_config().widget_sealer);
            return Ok(widget_state(
                &unsaved.model(&token),
                token,
                tenant,
                dialogue,
            ));
        }
        let token = previous.as_ref().map_or_else(
            || format!("{VISITOR_TOKEN_PREFIX}{}", random_token(32)),
            |(_, t)| t.clone(),
        );
        let conversation = conversations::Model {
            // A live-chat card first: stored as routing, and routed below.
            status: if live_chat {
                ConversationStatus::Routing
            } else {
                ConversationStatus::Dialogue
            },
            ..unsaved.model(&token)
        };
        let txn = switchboard_store::begin_write(self.db()).await?;
        if let Some((c, token)) = &previous
            && !conversations::release_visitor_token_unscoped(&txn, c.id, &sha256_hex(token))
                .await?
        {
            // Another request moved the token to a new conversation first: that one is the
            // visitor's now.
            txn.rollback().await?;
            let c = self
                .token_conversation(token)
                .await?
                .ok_or(ServiceError::NotFound)?;
            let dialogue = self.dialogue_of(&c, &snapshot).await?;
            return Ok(widget_state(&c, token.clone(), tenant, &dialogue));
        }
        let conversation = conversations::insert(&txn, conversation).await?;
        for (seq, body) in (1..).zip(said) {
            messages::insert(
                &txn,
                messages::Model::compose(tenant.id, id, seq, Sender::Bot, None, body, None),
            )
            .await?;
        }
        txn.commit().await?;
        if live_chat {
            let reached = self
                .reach_live_chat(conversation, dialogue, start, token, tenant)
                .await;
            if let Err(ServiceError::Unavailable(_)) = &reached {
                // Redis (or the database) is away: the visitor is told to retry, so the
                // conversation they could not be routed in must not linger as "routing".
                self.forget_unrouted(id).await;
            }
            return reached;
        }
        Ok(widget_state(&conversation, token, tenant, dialogue))
    }

    /// Deletes a conversation just started whose routing could not begin (see
    /// [`conversations::forget_unrouted_unscoped`]); a failure is logged, and the
    /// reconciler's checks still apply to what stays.
    async fn forget_unrouted(&self, id: Uuid) {
        let forgot = async {
            let txn = switchboard_store::begin_write(self.db()).await?;
            conversations::forget_unrouted_unscoped(&txn, id).await?;
            txn.commit().await?;
            Ok::<_, ServiceError>(())
        };
        if let Err(e) = forgot.await {
            tracing::warn!(error = %e, conversation = %id, "undoing an unrouted start");
        }
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
        let (c, unsaved) = self.session_for(visitor_token, conversation_id).await?;
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
        self.check_open_chats(
            TenantId::from_uuid(c.tenant_id),
            c.visitor_ip_hash.as_deref(),
            Some(c.id),
        )
        .await?;
        let dialogue = self.dialogue_of(&c, &snapshot).await?;
        let (next, captured) = dialogue.advance(card_id, choice, fields)?;
        let captured_now = captured.clone();
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
        // The visitor's answer and what the next card says join the transcript with the step.
        let answered = dialogue
            .card(card_id)
            .and_then(|card| card.answer_reads(choice, &captured_now));
        let said = answered.map(|a| (Sender::Visitor, a)).into_iter().chain(
            next.and_then(Card::says)
                .map(|t| (Sender::Bot, t.to_owned())),
        );
        let txn = switchboard_store::begin_write(self.db()).await?;
        let tenant_id = TenantId::from_uuid(c.tenant_id);
        // The visitor acted: an unsaved session is stored, with what the bot said first.
        if let Some(u) = &unsaved
            && !store_unsaved(&txn, &c, u, &dialogue).await?
        {
            txn.rollback().await?;
            return Err(answered_already());
        }
        let moved = conversations::step_unscoped(
            &txn,
            c.id,
            card_id,
            next.map(|n| n.id.as_str()),
            status,
            visitor.clone(),
        )
        .await?;
        if !moved {
            txn.rollback().await?;
            return Err(answered_already());
        }
        for (sender, body) in said {
            say(&txn, tenant_id, c.id, sender, body).await?;
        }
        txn.commit().await?;
        let c = conversations::Model {
            status,
            card_id: next.map(|n| n.id.clone()),
            visitor,
            ..c
        };
        match next {
            Some(card) if status == ConversationStatus::Routing => {
                self.reach_live_chat(c, &dialogue, card, visitor_token.to_owned(), tenant)
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

    /// The conversation a visitor token opens, if any (an unsaved one as it would be stored).
    pub(crate) async fn token_conversation(
        &self,
        visitor_token: &str,
    ) -> ServiceResult<Option<conversations::Model>> {
        Ok(self.token_session(visitor_token).await?.map(|(c, _)| c))
    }

    /// The visitor's conversation `id` (anything else reads as not found), and the unsaved
    /// session it still is if so.
    async fn session_for(
        &self,
        visitor_token: &str,
        id: Uuid,
    ) -> ServiceResult<(conversations::Model, Option<Unsaved>)> {
        self.token_session(visitor_token)
            .await?
            .filter(|(c, _)| c.id == id)
            .ok_or(ServiceError::NotFound)
    }

    /// The conversation a visitor token opens, and the unsaved session it still is if so.
    async fn token_session(
        &self,
        visitor_token: &str,
    ) -> ServiceResult<Option<(conversations::Model, Option<Unsaved>)>> {
        match conversations::find_by_visitor_token_unscoped(self.db(), &sha256_hex(visitor_token))
            .await
        {
            Ok(c) => Ok(Some((c, None))),
            Err(StoreError::NotFound) => {
                let Some(u) =
                    Unsaved::open(visitor_token, &self.auth_config().widget_sealer, now())
                else {
                    return Ok(None);
                };
                // Its conversation stored and then moved to another token (a new
                // conversation), or a stored one that was deleted since and whose id came
                // back: the token is spent.
                let tenant = TenantId::from_uuid(u.tenant);
                match conversations::find(self.db(), tenant, u.conversation).await {
                    Err(StoreError::NotFound) => Ok(Some((u.model(visitor_token), Some(u)))),
                    Ok(_) => Ok(None),
                    Err(e) => Err(e.into()),
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The visitor's conversation `id` as stored, storing it first if it is an unsaved
    /// session (the visitor acts on it: ends it).
    pub(crate) async fn saved_conversation(
        &self,
        visitor_token: &str,
        id: Uuid,
    ) -> ServiceResult<conversations::Model> {
        let (c, unsaved) = self.session_for(visitor_token, id).await?;
        let Some(u) = unsaved else {
            return Ok(c);
        };
        let snapshot = self
            .routing_snapshot(TenantId::from_uuid(c.tenant_id))
            .await?;
        let dialogue = self.dialogue_of(&c, &snapshot).await?;
        let txn = switchboard_store::begin_write(self.db()).await?;
        if store_unsaved(&txn, &c, &u, &dialogue).await? {
            txn.commit().await?;
        } else {
            txn.rollback().await?;
        }
        Ok(conversations::find(self.db(), TenantId::from_uuid(c.tenant_id), c.id).await?)
    }

    /// The visitor's conversation `id` from message `after` on: from the database, or for
    /// an unsaved session the bot's lines so far, as the messages they will be stored as.
    pub(crate) async fn visitor_transcript(
        &self,
        visitor_token: &str,
        id: Uuid,
        after: i64,
        limit: u64,
    ) -> ServiceResult<Vec<crate::views::Message>> {
        let (c, unsaved) = self.session_for(visitor_token, id).await?;
        let Some(u) = unsaved else {
            return self.visible_messages_after(c.id, after, limit).await;
        };
        let snapshot = self
            .routing_snapshot(TenantId::from_uuid(c.tenant_id))
            .await?;
        let dialogue = self.dialogue_of(&c, &snapshot).await?;
        let lines = u.transcript(&dialogue).ok_or(ServiceError::NotFound)?;
        Ok((1..)
            .zip(lines)
            .filter(|(seq, _)| *seq > after)
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(|(seq, body)| crate::views::Message {
                id: Uuid::now_v7(),
                conversation_id: c.id,
                seq,
                sender: Sender::Bot,
                body,
                sent_at: u.started,
                client_id: None,
                author_id: None,
                kind: switchboard_core::MessageKind::Message,
                attachment: None,
            })
            .collect())
    }

    /// The cards conversation `c` runs, in its visitor's language: its published version
    /// (the widget's current one from the snapshot, else read), or the copy stored before
    /// versions.
    async fn dialogue_of(
        &self,
        c: &conversations::Model,
        snapshot: &Snapshot,
    ) -> ServiceResult<Arc<Dialogue>> {
        let language = visitor_language(c, snapshot.tenant.settings().default_locale);
        let Some(version) = c.dialogue_version_id else {
            let cards = c.dialogue.as_ref().ok_or(ServiceError::NotFound)?;
            return Ok(in_language(Arc::new(parse_cards(cards)?), language));
        };
        if let Some(current) = snapshot
            .widget_dialogue
            .as_ref()
            .filter(|w| w.version == version)
        {
            return Ok(in_language(current.dialogue.clone(), language));
        }
        let cards = switchboard_store::dialogue_versions::cards(
            self.db(),
            TenantId::from_uuid(c.tenant_id),
            version,
        )
        .await?;
        Ok(in_language(Arc::new(parse_cards(&cards)?), language))
    }

    /// The conversation the token opens, if it is `id`; anything else reads as not found.
    pub(crate) async fn visitor_conversation(
        &self,
        visitor_token: &str,
        id: Uuid,
    ) -> ServiceResult<conversations::Model> {
        // Not the visitor's conversation, whoever asks: not found.
        Ok(self.session_for(visitor_token, id).await?.0)
    }

    /// The visitor reached a live-chat card: route the (stored) conversation to an agent.
    async fn reach_live_chat(
        &self,
        c: conversations::Model,
        dialogue: &Dialogue,
        card: &Card,
        token: String,
        tenant: &tenants::Model,
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
            queue_max_wait_seconds: card
                .body
                .queue_wait()
                .map(|w| i32::try_from(w).unwrap_or(i32::MAX)),
            trace: serde_json::to_value(RoutingTrace::new(routing.name())).unwrap_or_default(),
            ..c
        };
        let live = self.route(c.clone(), true).await?;
        let queued = match live.status {
            LiveChatStatus::Queued {
                position,
                estimated_wait_seconds,
            } => Some((position, estimated_wait_seconds)),
            _ => None,
        };
        let (status, fallback_reason) = match live.status {
            LiveChatStatus::Offered { .. } | LiveChatStatus::Queued { .. } => {
                (ConversationStatus::Routing, None)
            }
            LiveChatStatus::Live { .. } => (ConversationStatus::Live, None),
            LiveChatStatus::Fallback { reason, .. } => (ConversationStatus::Fallback, Some(reason)),
            LiveChatStatus::Ended => (ConversationStatus::Ended, None),
        };
        let c = conversations::Model {
            status,
            fallback_reason,
            ..c
        };
        Ok(WidgetState {
            queued,
            ..widget_state(&c, token, tenant, dialogue)
        })
    }
}

/// `dialogue` as a visitor reading `language` sees it (itself when none of its texts is
/// written in that language).
fn in_language(dialogue: Arc<Dialogue>, language: switchboard_core::Locale) -> Arc<Dialogue> {
    match dialogue.in_language(language.as_str()) {
        Some(d) => Arc::new(d),
        None => dialogue,
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
    let fallback_message = (c.status == ConversationStatus::Fallback)
        .then(|| crate::live::fallback_text(c.fallback_reason, c, tenant));
    WidgetState {
        conversation_id: c.id,
        visitor_token,
        status: c.status.into(),
        card,
        fallback_message,
        fallback_reason: c.fallback_reason,
        queued: None,
        left_message: crate::views::LeftMessage::of(c),
        rating_open: c.status == ConversationStatus::Ended
            && c.assigned_agent_id.is_some()
            && c.rated_at.is_none(),
    }
}

/// Stores unsaved session `u` (conversation `c`) with the bot's first line, in `txn`;
/// false when another request with its token stored it first.
async fn store_unsaved(
    txn: &impl ConnectionTrait,
    c: &conversations::Model,
    u: &Unsaved,
    dialogue: &Dialogue,
) -> ServiceResult<bool> {
    let lines = u.transcript(dialogue).ok_or(ServiceError::NotFound)?;
    match conversations::insert(txn, c.clone()).await {
        Ok(_) => {}
        Err(StoreError::Conflict(_)) => return Ok(false),
        Err(e) => return Err(e.into()),
    }
    for (seq, body) in (1..).zip(lines) {
        messages::insert(
            txn,
            messages::Model::compose(c.tenant_id, c.id, seq, Sender::Bot, None, body, None),
        )
        .await?;
    }
    Ok(true)
}

/// Adds a message to a conversation in the transaction `txn` (which locks its row until
/// it commits, so the number is the next one whatever the conversation's status).
async fn say(
    txn: &impl ConnectionTrait,
    tenant: TenantId,
    conversation: Uuid,
    sender: Sender,
    body: String,
) -> ServiceResult<()> {
    let c = conversations::next_seq(
        txn,
        tenant,
        conversation,
        ConversationStatus::ALL,
        None,
        None,
    )
    .await?
    .ok_or(ServiceError::NotFound)?;
    messages::insert(
        txn,
        messages::Model::compose(
            c.tenant_id,
            conversation,
            c.last_seq,
            sender,
            None,
            body,
            None,
        ),
    )
    .await?;
    Ok(())
}
