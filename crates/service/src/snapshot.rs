//! What routing reads on every live-chat request, cached per tenant: the tenant (plan,
//! limit, settings), its users as routing sees them, its custom rules and the widget's
//! published dialogue. Without it each
//! request would read them all again; with it a request reads nothing before it writes its
//! decision.
//!
//! A change through this service forgets the tenant's entry on this node at once and tells
//! the other nodes over the Bus ([`Topic::Config`]); an entry is in any case reloaded after
//! [`FRESH_FOR`], which bounds how long a node that missed the message (its pub/sub
//! connection was down) can route on old data. Counts that must be exact are not taken from
//! here: the engagement count of record is the database's conditional update on accept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use switchboard_core::routing::rules;
use switchboard_core::{TenantId, UserId};
use switchboard_realtime::{Bus, Received, Topic};
use switchboard_store::{dialogues, routing_rules, tenants, users};
use uuid::Uuid;

use crate::{Service, ServiceResult};

/// The longest an entry is used without being reloaded.
pub const FRESH_FOR: Duration = Duration::from_secs(2);

/// A user as routing sees them.
#[derive(Debug, Clone)]
pub struct RosterEntry {
    pub id: UserId,
    pub display_name: String,
    pub active: bool,
    pub live_chat_permission: bool,
}

/// One tenant's routing configuration at one moment.
pub struct Snapshot {
    pub tenant: tenants::Model,
    /// Every user, by id: the round-robin order.
    pub roster: Vec<RosterEntry>,
    /// Custom rules in position order (rules that no longer parse are left out).
    pub rules: Vec<rules::Rule<Uuid>>,
    /// The published dialogue version the widget runs, if any.
    pub widget_dialogue: Option<WidgetDialogue>,
    /// The tenant's webhook endpoints (each event looks up who wants it).
    pub webhooks: Vec<switchboard_store::webhooks::endpoints::Model>,
    loaded: Instant,
}

/// A published version of a dialogue, parsed.
#[derive(Clone)]
pub struct WidgetDialogue {
    pub version: Uuid,
    pub dialogue: Arc<switchboard_core::dialogue::Dialogue>,
}

impl Snapshot {
    pub fn user(&self, id: UserId) -> Option<&RosterEntry> {
        self.roster
            .binary_search_by(|u| u.id.as_uuid().cmp(&id.as_uuid()))
            .ok()
            .map(|i| &self.roster[i])
    }
}

#[derive(Default)]
struct Entry {
    /// Bumped by every change, so a load that began before a change is not kept after it.
    generation: u64,
    snapshot: Option<Arc<Snapshot>>,
}

#[derive(Default)]
pub(crate) struct SnapshotCache {
    entries: Mutex<HashMap<TenantId, Entry>>,
    /// Widget keys never change: which tenant each names, once looked up.
    widget_keys: Mutex<HashMap<String, TenantId>>,
}

impl SnapshotCache {
    fn lock(&self) -> MutexGuard<'_, HashMap<TenantId, Entry>> {
        // Each critical section is one map operation: nothing half-done to recover from.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A fresh entry, or the generation a new load must carry.
    fn lookup(&self, tenant: TenantId) -> Result<Arc<Snapshot>, u64> {
        let entries = self.lock();
        match entries.get(&tenant) {
            Some(Entry {
                snapshot: Some(s), ..
            }) if s.loaded.elapsed() < FRESH_FOR => Ok(s.clone()),
            Some(e) => Err(e.generation),
            None => Err(0),
        }
    }

    fn store(&self, tenant: TenantId, generation: u64, snapshot: Arc<Snapshot>) {
        let mut entries = self.lock();
        let entry = entries.entry(tenant).or_default();
        if entry.generation == generation {
            entry.snapshot = Some(snapshot);
        }
    }

    fn forget(&self, tenant: TenantId) {
        let mut entries = self.lock();
        let entry = entries.entry(tenant).or_default();
        entry.generation += 1;
        entry.snapshot = None;
    }

    fn widget_keys(&self) -> MutexGuard<'_, HashMap<String, TenantId>> {
        self.widget_keys.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn forget_all(&self) {
        for entry in self.lock().values_mut() {
            entry.generation += 1;
            entry.snapshot = None;
        }
    }
}

impl Service {
    /// Display names of the caller's workspace's users by id, for pages that mention agents.
    pub async fn display_names(
        &self,
        who: &crate::Principal,
    ) -> ServiceResult<std::collections::HashMap<uuid::Uuid, String>> {
        let snapshot = self.routing_snapshot(who.member_tenant()?).await?;
        Ok(snapshot
            .roster
            .iter()
            .map(|u| (u.id.as_uuid(), u.display_name.clone()))
            .collect())
    }

    /// The tenant's routing configuration, at most [`FRESH_FOR`] old.
    pub(crate) async fn routing_snapshot(&self, tenant: TenantId) -> ServiceResult<Arc<Snapshot>> {
        let generation = match self.snapshots().lookup(tenant) {
            Ok(s) => return Ok(s),
            Err(g) => g,
        };
        let t = tenants::find(self.db(), tenant).await?;
        let roster = users::roster(self.db(), tenant)
            .await?
            .into_iter()
            .map(
                |(id, display_name, active, live_chat_permission)| RosterEntry {
                    id: UserId::from_uuid(id),
                    display_name,
                    active,
                    live_chat_permission,
                },
            )
            .collect();
        let rules = routing_rules::list(self.db(), tenant)
            .await?
            .iter()
            .filter_map(crate::routing::stored_rule)
            .collect();
        let published = match t.widget_dialogue_id {
            Some(id) => match dialogues::find(self.db(), tenant, id).await {
                Ok(d) => d.published_version_id.zip(d.published_cards),
                Err(switchboard_store::StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        // Checked when it was published: a version that no longer parses is a bug, and the
        // widget says it has no dialogue rather than routing failing for the whole tenant.
        let widget_dialogue = published.and_then(|(version, cards)| {
            match crate::dialogues::parse_cards(&cards) {
                Ok(d) => Some(WidgetDialogue {
                    version,
                    dialogue: Arc::new(d),
                }),
                Err(e) => {
                    tracing::error!(error = %e, %version, "a published dialogue does not parse");
                    None
                }
            }
        });
        let webhooks = switchboard_store::webhooks::endpoints_of(self.db(), tenant).await?;
        let snapshot = Arc::new(Snapshot {
            tenant: t,
            roster,
            rules,
            widget_dialogue,
            webhooks,
            loaded: Instant::now(),
        });
        self.snapshots().store(tenant, generation, snapshot.clone());
        Ok(snapshot)
    }

    /// The tenant whose widget has this key.
    pub(crate) async fn tenant_of_widget(&self, key: &str) -> ServiceResult<Option<TenantId>> {
        let known = self.snapshots().widget_keys().get(key).copied();
        if let Some(t) = known {
            return Ok(Some(t));
        }
        match tenants::find_by_widget_key(self.db(), key).await {
            Ok(t) => {
                let id = t.tenant_id();
                // Bounded: unknown keys are never remembered, known ones are one per tenant.
                self.snapshots().widget_keys().insert(key.to_owned(), id);
                Ok(Some(id))
            }
            Err(switchboard_store::StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Call after any change to what a snapshot holds (tenant, plan, settings, users,
    /// permissions, rules, the published dialogue), once it is committed.
    pub(crate) async fn config_changed(&self, tenant: TenantId) {
        self.snapshots().forget(tenant);
        if let Err(e) = self
            .realtime()
            .publish(Topic::Config, &tenant.to_string())
            .await
        {
            // The other nodes reload within FRESH_FOR anyway.
            tracing::warn!(error = %e, %tenant, "could not announce a configuration change");
        }
    }

    /// Forgets what other nodes announce as changed; runs on every node until the server
    /// stops.
    pub async fn follow_config_changes(&self) {
        loop {
            let mut changes = match self.realtime().subscribe(Topic::Config).await {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot follow configuration changes; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            while let Some(received) = changes.recv().await {
                match received {
                    Received::Event(tenant) => match tenant.parse::<Uuid>() {
                        Ok(id) => self.snapshots().forget(TenantId::from_uuid(id)),
                        Err(_) => self.snapshots().forget_all(),
                    },
                    Received::Lagged(_) | Received::Reconnected => self.snapshots().forget_all(),
                }
            }
        }
    }

    /// After the realtime store lost its state, nothing cached is trusted.
    pub(crate) fn forget_all_snapshots(&self) {
        self.snapshots().forget_all();
    }
}
