//! Tenant scoping, seen from outside the store: for every function scoped by a tenant, an id
//! of another tenant's row reads as not found (or changes nothing, or lists nothing), and the
//! other tenant's data is as it was. Run on SQLite and on PostgreSQL: the same queries go to
//! both, so a filter that one backend forgives cannot slip through.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../../tests/support/pg.rs"]
mod pg;

use chrono::Utc;
use serde_json::json;
use switchboard_core::page::PageRequest;
use switchboard_core::routing::trace::RoutingTrace;
use switchboard_core::tenant::{Plan, Slug};
use switchboard_core::user::Role;
use switchboard_core::{
    ApiKeyId, Availability, ConversationStatus, DeliveryStatus, OfferState, TeamId, TenantId,
    UserId,
};
use switchboard_store::conversations::{self, ListFilter, offers};
use switchboard_store::{
    Database, StoreError, api_keys, audit, dialogues, mail, participants, push, routing_rules,
    teams, tenants, users, webhooks,
};
use uuid::Uuid;

/// One tenant's rows of every kind, made through the store.
struct Seeded {
    tenant: TenantId,
    user: UserId,
    team: TeamId,
    key: ApiKeyId,
    rule: Uuid,
    dialogue: Uuid,
    conversation: Uuid,
    endpoint: Uuid,
    delivery: Uuid,
}

async fn seed(db: &Database, slug: &str) -> Seeded {
    let t = tenants::insert(
        db,
        tenants::NewTenant {
            slug: &Slug::parse(slug).unwrap(),
            name: slug,
            plan: Plan::Select,
            engagement_limit: Some(100),
            widget_key: &format!("wk_{slug}"),
        },
    )
    .await
    .unwrap();
    let tenant = TenantId::from_uuid(t.id);
    let u = users::insert(
        db,
        tenant,
        users::NewUser {
            email: &format!("agent@{slug}.example.com"),
            display_name: "Agent",
            role: Role::Agent,
            password_hash: None,
            invitation_token_hash: None,
            invitation_expires_at: None,
            live_chat_permission: true,
        },
    )
    .await
    .unwrap();
    let user = UserId::from_uuid(u.id);
    users::avatar::put(db, tenant, user, "image/png", vec![1, 2, 3])
        .await
        .unwrap();
    push::upsert(db, tenant, user, "https://push.example.com/1", "p", "a")
        .await
        .unwrap();
    let team = teams::insert(db, tenant, "Sales").await.unwrap();
    let team = TeamId::from_uuid(team.id);
    assert!(teams::add_member(db, tenant, team, user).await.unwrap());
    let key = api_keys::insert(
        db,
        tenant,
        api_keys::NewKey {
            name: "CRM",
            prefix: &format!("sb_{slug}"),
            secret_hash: "hash",
            scopes: &[switchboard_core::scope::ApiScope::Admin],
            expires_at: None,
        },
    )
    .await
    .unwrap();
    let rule = routing_rules::insert(
        db,
        tenant,
        routing_rules::RuleData {
            name: "France".into(),
            position: 10,
            conditions: json!([]),
            target_kind: "agent",
            target_id: user.as_uuid(),
        },
    )
    .await
    .unwrap();
    let dialogue = dialogues::insert(db, tenant, "Welcome".into(), json!([]))
        .await
        .unwrap();
    let at = Utc::now();
    let conversation = conversations::insert(
        db,
        conversations::Model {
            id: Uuid::now_v7(),
            tenant_id: tenant.as_uuid(),
            status: ConversationStatus::Live,
            visitor: json!({}),
            routing: json!({"mode": "round_robin"}),
            card_fallback_message: None,
            assigned_agent_id: Some(user.as_uuid()),
            reservation_id: None,
            fallback_reason: None,
            trace: serde_json::to_value(RoutingTrace::new("round_robin")).unwrap(),
            created_at: at,
            updated_at: at,
            ended_at: None,
            dialogue: None,
            card_id: None,
            visitor_token_hash: None,
            last_seq: 0,
            last_activity_at: Some(at),
            queue_max_wait_seconds: None,
            queue_target: None,
            queued_at: None,
            queue_deadline: None,
            visitor_id: None,
            left_message_name: None,
            left_message_email: None,
            left_message_body: None,
            left_message_at: None,
            visitor_ip_hash: None,
            dialogue_version_id: None,
            rating_score: None,
            rating_comment: None,
            rated_at: None,
            transcript_sent_at: None,
        },
    )
    .await
    .unwrap();
    offers::insert(
        db,
        offers::Model {
            id: Uuid::now_v7(),
            tenant_id: tenant.as_uuid(),
            conversation_id: conversation.id,
            agent_id: user.as_uuid(),
            state: OfferState::Pending,
            offered_at: at,
            expires_at: at + chrono::Duration::seconds(45),
            resolved_at: None,
            delivered_at: None,
            delivered_via: None,
            push_claimed_at: None,
            push_attempts: 0,
            push_next_at: None,
            transfer_from: None,
            transfer_by: None,
            transfer_note: None,
        },
    )
    .await
    .unwrap();
    mail::insert(
        db,
        mail::Model {
            id: Uuid::now_v7(),
            tenant_id: tenant.as_uuid(),
            kind: "failed_action".into(),
            conversation_id: Some(conversation.id),
            recipients: json!(["admin@example.com"]),
            subject: "Missed chat".into(),
            text_body: "text".into(),
            html_body: "<p>html</p>".into(),
            status: DeliveryStatus::Pending,
            attempts: 0,
            next_attempt_at: at,
            claim: None,
            claimed_until: None,
            last_error: None,
            sent_at: None,
            created_at: at,
            digest_key: None,
        },
    )
    .await
    .unwrap();
    let endpoint = webhooks::insert_endpoint(
        db,
        webhooks::endpoints::Model {
            id: Uuid::now_v7(),
            tenant_id: tenant.as_uuid(),
            url: "https://hooks.example.com/".into(),
            secret: "whsec".into(),
            events: json!(["conversation.ended"]),
            created_at: at,
        },
    )
    .await
    .unwrap();
    let delivery = webhooks::insert_delivery(
        db,
        webhooks::deliveries::Model {
            id: Uuid::now_v7(),
            tenant_id: tenant.as_uuid(),
            endpoint_id: endpoint.id,
            event: "conversation.ended".into(),
            body: "{}".into(),
            status: DeliveryStatus::Pending,
            attempts: 0,
            next_attempt_at: at,
            claim: None,
            claimed_until: None,
            last_status: None,
            last_error: None,
            delivered_at: None,
            replay_of: None,
            created_at: at,
        },
    )
    .await
    .unwrap();
    audit::append(
        db,
        tenant,
        &audit::Actor {
            kind: "user",
            id: Some(user.as_uuid()),
            label: "agent".into(),
        },
        audit::Entry {
            action: "test.seeded",
            target_kind: "tenant",
            target_id: None,
            details: json!({}),
        },
    )
    .await
    .unwrap();
    Seeded {
        tenant,
        user,
        team,
        key: ApiKeyId::from_uuid(key.id),
        rule: rule.id,
        dialogue: dialogue.id,
        conversation: conversation.id,
        endpoint: endpoint.id,
        delivery: delivery.id,
    }
}

fn not_found<T: std::fmt::Debug>(r: Result<T, StoreError>, what: &str) {
    assert!(
        matches!(r, Err(StoreError::NotFound)),
        "{what}: a foreign tenant's id must read as not found, got {r:?}"
    );
}

/// Every scoped function, called as tenant `b` with tenant `a`'s ids.
async fn a_foreign_tenants_ids_read_as_not_found(db: &Database) {
    let a = seed(db, "alpha").await;
    let b = seed(db, "bravo").await;
    let page = PageRequest::first();
    let (bt, at) = (b.tenant, a.tenant);

    // Finders: NotFound.
    not_found(users::find(db, bt, a.user).await, "users::find");
    not_found(teams::find(db, bt, a.team).await, "teams::find");
    not_found(api_keys::find(db, bt, a.key).await, "api_keys::find");
    not_found(
        routing_rules::find(db, bt, a.rule).await,
        "routing_rules::find",
    );
    not_found(dialogues::find(db, bt, a.dialogue).await, "dialogues::find");
    not_found(
        conversations::find(db, bt, a.conversation).await,
        "conversations::find",
    );
    not_found(
        webhooks::find_endpoint(db, bt, a.endpoint).await,
        "webhooks::find_endpoint",
    );
    not_found(
        webhooks::find_delivery(db, bt, a.endpoint, a.delivery).await,
        "webhooks::find_delivery",
    );
    assert_eq!(
        users::find_by_email(db, bt, "agent@alpha.example.com")
            .await
            .unwrap(),
        None,
        "users::find_by_email"
    );
    assert!(
        users::avatar::get(db, bt, a.user).await.unwrap().is_none(),
        "avatar::get"
    );
    assert!(
        !users::avatar::exists(db, bt, a.user).await.unwrap(),
        "avatar::exists"
    );

    // Changes: NotFound, false or nothing done.
    not_found(api_keys::revoke(db, bt, a.key).await, "api_keys::revoke");
    not_found(teams::rename(db, bt, a.team, "x").await, "teams::rename");
    not_found(teams::delete(db, bt, a.team).await, "teams::delete");
    not_found(users::delete(db, bt, a.user).await, "users::delete");
    not_found(
        routing_rules::delete(db, bt, a.rule).await,
        "routing_rules::delete",
    );
    not_found(
        dialogues::delete(db, bt, a.dialogue).await,
        "dialogues::delete",
    );
    not_found(
        webhooks::delete_endpoint(db, bt, a.endpoint).await,
        "webhooks::delete_endpoint",
    );
    not_found(
        teams::add_member(db, bt, a.team, b.user).await,
        "teams::add_member (another tenant's team)",
    );
    not_found(
        teams::add_member(db, bt, b.team, a.user).await,
        "teams::add_member (another tenant's user)",
    );
    assert!(
        !teams::remove_member(db, bt, a.team, a.user).await.unwrap(),
        "teams::remove_member"
    );
    assert!(
        !push::remove(db, bt, a.user, "https://push.example.com/1")
            .await
            .unwrap(),
        "push::remove"
    );
    not_found(
        tenants::set_widget_dialogue(db, bt, Some(a.dialogue)).await,
        "tenants::set_widget_dialogue",
    );
    not_found(
        users::avatar::put(db, bt, a.user, "image/png", vec![9]).await,
        "avatar::put",
    );
    not_found(
        push::upsert(db, bt, a.user, "https://push.example.com/2", "p", "a").await,
        "push::upsert",
    );
    let open = [ConversationStatus::Live];
    assert_eq!(
        conversations::next_seq(db, bt, a.conversation, &open, None, None)
            .await
            .unwrap(),
        None,
        "conversations::next_seq"
    );
    assert!(
        !conversations::go_live(db, bt, a.conversation, b.user.as_uuid(), json!({}))
            .await
            .unwrap(),
        "conversations::go_live"
    );
    assert!(
        !conversations::end(db, bt, a.conversation, &open)
            .await
            .unwrap(),
        "conversations::end"
    );

    // Lists and counts: none of the other tenant's rows.
    let other = |ids: Vec<Uuid>, mine: Uuid, what: &str| {
        assert!(!ids.contains(&mine), "{what} lists another tenant's row");
    };
    other(
        users::list(db, bt, page)
            .await
            .unwrap()
            .items
            .iter()
            .map(|u| u.id)
            .collect(),
        a.user.as_uuid(),
        "users::list",
    );
    other(
        teams::list(db, bt, page)
            .await
            .unwrap()
            .items
            .iter()
            .map(|t| t.id)
            .collect(),
        a.team.as_uuid(),
        "teams::list",
    );
    other(
        api_keys::list(db, bt, page)
            .await
            .unwrap()
            .items
            .iter()
            .map(|k| k.id)
            .collect(),
        a.key.as_uuid(),
        "api_keys::list",
    );
    other(
        routing_rules::list(db, bt)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect(),
        a.rule,
        "routing_rules::list",
    );
    other(
        dialogues::list(db, bt, page)
            .await
            .unwrap()
            .items
            .iter()
            .map(|d| d.id)
            .collect(),
        a.dialogue,
        "dialogues::list",
    );
    other(
        conversations::list(db, bt, &ListFilter::default(), page)
            .await
            .unwrap()
            .items
            .iter()
            .map(|c| c.id)
            .collect(),
        a.conversation,
        "conversations::list",
    );
    other(
        webhooks::endpoints_of(db, bt)
            .await
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect(),
        a.endpoint,
        "webhooks::endpoints_of",
    );
    assert!(
        webhooks::deliveries_of(db, bt, a.endpoint, page)
            .await
            .unwrap()
            .items
            .is_empty(),
        "webhooks::deliveries_of"
    );
    assert!(
        conversations::live_of_agent(db, bt, a.user.as_uuid())
            .await
            .unwrap()
            .is_empty(),
        "conversations::live_of_agent"
    );
    assert!(
        offers::pending_of(db, bt, a.user.as_uuid())
            .await
            .unwrap()
            .is_empty(),
        "offers::pending_of"
    );
    assert!(
        mail::of_conversation(db, bt, a.conversation)
            .await
            .unwrap()
            .is_empty(),
        "mail::of_conversation"
    );
    assert!(
        mail::of_conversations(db, bt, vec![a.conversation])
            .await
            .unwrap()
            .is_empty(),
        "mail::of_conversations"
    );
    assert!(
        push::of_user(db, bt, a.user).await.unwrap().is_empty(),
        "push::of_user"
    );
    assert!(
        teams::member_ids(db, bt, &[a.team.as_uuid()])
            .await
            .unwrap()
            .is_empty(),
        "teams::member_ids"
    );
    assert!(
        !users::roster(db, bt)
            .await
            .unwrap()
            .iter()
            .any(|r| r.0 == a.user.as_uuid()),
        "users::roster"
    );
    assert!(
        audit::list(db, bt, page)
            .await
            .unwrap()
            .items
            .iter()
            .all(|e| e.tenant_id == bt.as_uuid()),
        "audit::list"
    );
    assert!(
        !users::admin_emails(db, bt)
            .await
            .unwrap()
            .iter()
            .any(|e| e.contains("alpha")),
        "users::admin_emails"
    );
    assert_eq!(users::count_active_owners(db, bt).await.unwrap(), 0);
    // Each tenant counts its own: one live chat, one pending offer, one agent.
    assert_eq!(
        conversations::count_with_status(db, bt, ConversationStatus::Live)
            .await
            .unwrap(),
        1
    );
    assert_eq!(offers::count_pending(db, bt).await.unwrap(), 1);
    assert_eq!(users::count_agents(db, bt).await.unwrap(), 1);

    // Schedules: another tenant's are neither listed nor followed.
    let mut scheduled: users::ActiveModel = users::find(db, at, a.user).await.unwrap().into();
    scheduled.schedule = sea_orm::Set(Some(json!({"timezone": "UTC", "weekly": []})));
    users::save(db, scheduled).await.unwrap();
    assert!(
        users::schedules(db, bt)
            .await
            .unwrap()
            .iter()
            .all(|s| s.0 != a.user.as_uuid()),
        "users::schedules"
    );
    assert!(
        !users::follow_schedule(
            db,
            bt,
            a.user,
            Availability::Offline,
            Availability::Away,
            Utc::now()
        )
        .await
        .unwrap(),
        "users::follow_schedule"
    );

    // Participants (admins who joined a chat): a's reads as absent through b, and b cannot
    // take a's admin out of it.
    assert!(
        participants::join(db, at, a.conversation, a.user.as_uuid())
            .await
            .unwrap()
    );
    assert!(
        !participants::is_in(db, bt, a.conversation, a.user.as_uuid())
            .await
            .unwrap(),
        "participants::is_in"
    );
    assert!(
        participants::of_conversations(db, bt, &[a.conversation])
            .await
            .unwrap()
            .is_empty(),
        "participants::of_conversations"
    );
    assert!(
        participants::live_joined_by(db, bt, a.user.as_uuid())
            .await
            .unwrap()
            .is_empty(),
        "participants::live_joined_by"
    );
    assert!(
        !participants::leave(db, bt, a.conversation, a.user.as_uuid())
            .await
            .unwrap(),
        "participants::leave"
    );
    assert!(
        participants::is_in(db, at, a.conversation, a.user.as_uuid())
            .await
            .unwrap()
    );

    // Tenant a's rows are all still there, unchanged.
    let u = users::find(db, at, a.user).await.unwrap();
    assert_eq!(u.display_name, "Agent");
    assert_eq!(u.availability, Availability::Offline);
    assert_eq!(teams::find(db, at, a.team).await.unwrap().name, "Sales");
    assert!(
        api_keys::find(db, at, a.key)
            .await
            .unwrap()
            .revoked_at
            .is_none()
    );
    routing_rules::find(db, at, a.rule).await.unwrap();
    dialogues::find(db, at, a.dialogue).await.unwrap();
    let c = conversations::find(db, at, a.conversation).await.unwrap();
    assert_eq!(c.status, ConversationStatus::Live);
    assert_eq!(c.last_seq, 0);
    assert_eq!(c.assigned_agent_id, Some(a.user.as_uuid()));
    webhooks::find_endpoint(db, at, a.endpoint).await.unwrap();
    assert_eq!(push::of_user(db, at, a.user).await.unwrap().len(), 1);
    assert_eq!(
        teams::member_ids(db, at, &[a.team.as_uuid()])
            .await
            .unwrap(),
        vec![(a.team.as_uuid(), a.user.as_uuid())]
    );
    assert_eq!(
        users::avatar::get(db, at, a.user)
            .await
            .unwrap()
            .unwrap()
            .bytes,
        vec![1, 2, 3]
    );
    assert!(
        tenants::find(db, bt)
            .await
            .unwrap()
            .widget_dialogue_id
            .is_none(),
        "tenant b's widget runs no dialogue of a's"
    );
}

async fn sqlite() -> Database {
    let db = switchboard_store::connect("sqlite::memory:", 1)
        .await
        .unwrap();
    switchboard_store::db::migrate(&db).await.unwrap();
    db
}

async fn postgres() -> Database {
    let url = pg::new_pg_database().await;
    let db = switchboard_store::connect(&url, 4).await.unwrap();
    switchboard_store::db::migrate(&db).await.unwrap();
    db
}

#[tokio::test]
async fn on_sqlite_a_foreign_tenants_ids_read_as_not_found() {
    a_foreign_tenants_ids_read_as_not_found(&sqlite().await).await;
}

#[tokio::test]
async fn on_postgres_a_foreign_tenants_ids_read_as_not_found() {
    a_foreign_tenants_ids_read_as_not_found(&postgres().await).await;
}
