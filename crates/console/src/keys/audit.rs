//! `/console/audit-log`: what was done in the workspace, newest first, as a person reads it —
//! who acted by name, what they did in words, on what, with the details as labelled values
//! — filtered by who, what and between which days (in the reader's time zone). The filters
//! are part of the store's query, so every page is full.

use std::collections::HashMap;

use askama::Template;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use poem::web::{Data, Query};
use poem::{Response, handler};
use serde::Deserialize;
use serde_json::Value;
use switchboard_core::page::PageRequest;
use switchboard_i18n::Texts;
use switchboard_service::Service;
use switchboard_service::audit::AuditFilter;
use switchboard_service::views::AuditEntry;
use uuid::Uuid;

use crate::forms::FormErrors;
use crate::guard::AdminSession;
use crate::pages::{self, Layout};
use crate::session::Ctx;
use crate::shared::{Moment, error_page, everything, layout, moment, when};

/// Every action the service writes to the log, in the order the filter lists them.
const ACTIONS: [&str; 45] = [
    "user.created",
    "user.updated",
    "user.disabled",
    "user.enabled",
    "user.deleted",
    "user.invitation_accepted",
    "user.logged_in",
    "user.locked_out",
    "user.password_reset",
    "user.two_factor_enabled",
    "user.two_factor_disabled",
    "user.recovery_code_used",
    "user.schedule_updated",
    "avatar.updated",
    "live_chat_permission.granted",
    "live_chat_permission.revoked",
    "team.created",
    "team.renamed",
    "team.deleted",
    "team.member_added",
    "team.member_removed",
    "routing_rule.created",
    "routing_rule.updated",
    "routing_rule.deleted",
    "dialogue.created",
    "dialogue.updated",
    "dialogue.published",
    "dialogue.deleted",
    "canned_response.created",
    "canned_response.updated",
    "canned_response.deleted",
    "conversation.joined",
    "conversation.left",
    "settings.updated",
    "settings.identity_secret_created",
    "webhook.created",
    "webhook.deleted",
    "webhook.replayed",
    "api_key.created",
    "api_key.revoked",
    "api_key.used",
    "privacy.visitor_exported",
    "privacy.visitor_erased",
    "tenant.created",
    "plan.changed",
];

/// The page's query: where the list resumes, and the filters as the form sends them.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct AuditQuery {
    cursor: Option<String>,
    /// `operator`, or the id of a user or an API key; empty: anyone.
    actor: String,
    action: String,
    /// Days (`2026-12-01`) in the reader's time zone; `to` is included.
    from: String,
    to: String,
}

impl AuditQuery {
    fn page(&self) -> PageRequest {
        PageRequest::parse(None, self.cursor.as_deref()).unwrap_or_else(|_| PageRequest::first())
    }

    fn is_filtered(&self) -> bool {
        !(self.actor.is_empty()
            && self.action.is_empty()
            && self.from.is_empty()
            && self.to.is_empty())
    }

    /// The store's filter, and what is wrong with the form's fields (a field in error does
    /// not filter).
    fn filter(&self, ctx: &Ctx) -> (AuditFilter, FormErrors) {
        let tx = ctx.tx();
        let mut errors = FormErrors::default();
        let mut filter = AuditFilter::default();
        match self.actor.trim() {
            "" => {}
            "operator" => filter.actor_kind = Some("operator".into()),
            id => match id.parse::<Uuid>() {
                Ok(id) => filter.actor_id = Some(id),
                // A made-up actor matches nobody.
                Err(_) => filter.actor_kind = Some(String::new()),
            },
        }
        let action = self.action.trim();
        if !action.is_empty() {
            filter.action = Some(action.chars().take(64).collect());
        }
        let day = |field: &str, raw: &str, errors: &mut FormErrors| -> Option<NaiveDate> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            let parsed = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
            if parsed.is_none() {
                errors.add(field, tx.t("audit-filter-bad-date"));
            }
            parsed
        };
        let from = day("from", &self.from, &mut errors);
        let to = day("to", &self.to, &mut errors);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.add("to", tx.t("audit-filter-to-before-from"));
            return (filter, errors);
        }
        filter.from = from.map(|d| start_of(ctx, d));
        filter.to = to.and_then(|d| d.succ_opt()).map(|d| start_of(ctx, d));
        (filter, errors)
    }

    /// The query string of another page of the same filtered list.
    fn with_cursor(&self, cursor: &str) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("actor", &self.actor)
            .append_pair("action", &self.action)
            .append_pair("from", &self.from)
            .append_pair("to", &self.to)
            .append_pair("cursor", cursor)
            .finish()
    }
}

/// The first moment of `day` in the reader's time zone.
fn start_of(ctx: &Ctx, day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    ctx.reader
        .timezone
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        // A day that starts inside a clock change: its first hour.
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

/// Something named in an entry, with a link to its page when it has one.
struct Named {
    text: String,
    link: Option<String>,
}

impl Named {
    fn plain(text: String) -> Self {
        Self { text, link: None }
    }
}

struct AuditRow {
    at: Moment,
    actor: Named,
    action: String,
    /// The action's own name (`api_key.revoked`), for integrators reading the page.
    code: String,
    target: Named,
    details: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "audit_log.html")]
struct AuditPage {
    layout: Layout,
    rows: Vec<AuditRow>,
    next: Option<String>,
    /// `(value, label)` of the filters' choices.
    actors: Vec<(String, String)>,
    actions: Vec<(String, String)>,
    q: AuditQuery,
    filtered: bool,
    errors: FormErrors,
}

/// Names of what entries point at, read once per page.
#[derive(Default)]
struct Names {
    users: HashMap<Uuid, String>,
    teams: HashMap<Uuid, String>,
    keys: HashMap<Uuid, String>,
}

async fn names(svc: &Service, ctx: &Ctx) -> Names {
    let mut n = Names::default();
    if let Ok(users) = svc.list_users(&ctx.principal, everything()).await {
        n.users = users
            .items
            .into_iter()
            .map(|u| (u.user.id, u.user.display_name))
            .collect();
    }
    if let Ok(teams) = svc.list_teams(&ctx.principal, everything()).await {
        n.teams = teams
            .items
            .into_iter()
            .map(|t| (t.team.id, t.team.name))
            .collect();
    }
    if let Ok(keys) = svc.list_api_keys(&ctx.principal, everything()).await {
        n.keys = keys.items.into_iter().map(|k| (k.id, k.name)).collect();
    }
    n
}

#[handler]
pub(super) async fn page(
    Query(q): Query<AuditQuery>,
    AdminSession(ctx): AdminSession,
    svc: Data<&Service>,
) -> Response {
    let (filter, errors) = q.filter(&ctx);
    let log = match svc.audit_log(&ctx.principal, &filter, q.page()).await {
        Ok(l) => l,
        Err(e) => return error_page(&ctx, e),
    };
    let actors = match svc.audit_actors(&ctx.principal).await {
        Ok(a) => a,
        Err(e) => return error_page(&ctx, e),
    };
    let n = names(&svc, &ctx).await;
    let tx = ctx.tx();
    let mut actor_choices: Vec<(String, String)> = Vec::new();
    for a in actors {
        let choice = match (a.kind.as_str(), a.id) {
            ("operator", _) => ("operator".to_owned(), tx.t("audit-operator")),
            ("api_key", Some(id)) => (
                id.to_string(),
                tx.t1(
                    "audit-api-key",
                    "name",
                    n.keys.get(&id).cloned().unwrap_or(a.label),
                ),
            ),
            (_, Some(id)) => (
                id.to_string(),
                match n.users.get(&id) {
                    Some(name) => format!("{name} ({})", a.label),
                    None => a.label,
                },
            ),
            (_, None) => continue,
        };
        if !actor_choices.iter().any(|c| c.0 == choice.0) {
            actor_choices.push(choice);
        }
    }
    actor_choices.sort_by_key(|c| c.1.to_lowercase());
    let mut actions: Vec<(String, String)> = ACTIONS
        .iter()
        .map(|a| ((*a).to_owned(), action_words(tx, a)))
        .collect();
    let asked = q.action.trim();
    if !asked.is_empty() && !ACTIONS.contains(&asked) {
        actions.push((asked.to_owned(), asked.to_owned()));
    }
    let rows = log.items.into_iter().map(|e| row(&ctx, &n, e)).collect();
    let status = pages::form_status(errors.is_empty());
    pages::render(
        &AuditPage {
            layout: layout(&ctx, &tx.t("audit-title"), "audit"),
            rows,
            next: log.next_cursor.map(|c| q.with_cursor(&c.to_string())),
            actors: actor_choices,
            actions,
            filtered: q.is_filtered(),
            q,
            errors,
        },
        status,
    )
}

fn row(ctx: &Ctx, n: &Names, e: AuditEntry) -> AuditRow {
    let tx = ctx.tx();
    let actor = match (e.actor_kind.as_str(), e.actor_id) {
        ("operator", _) => Named::plain(tx.t("audit-operator")),
        ("api_key", id) => Named::plain(
            tx.t1(
                "audit-api-key",
                "name",
                id.and_then(|id| n.keys.get(&id).cloned())
                    .unwrap_or_else(|| e.actor_label.clone()),
            ),
        ),
        (_, Some(id)) => match n.users.get(&id) {
            Some(name) => Named {
                text: name.clone(),
                link: Some(format!("/console/users/{id}")),
            },
            None => Named::plain(e.actor_label.clone()),
        },
        (_, None) => Named::plain(e.actor_label.clone()),
    };
    let d = &e.details;
    let text_of = |key: &str| d.get(key).and_then(Value::as_str).map(str::to_owned);
    let removed = || tx.t("audit-removed");
    let target = match (e.target_kind.as_str(), e.target_id) {
        ("user", Some(id)) => match n.users.get(&id) {
            Some(name) => Named {
                text: name.clone(),
                link: Some(format!("/console/users/{id}")),
            },
            None => Named::plain(
                text_of("email")
                    .or_else(|| (e.actor_id == Some(id)).then(|| e.actor_label.clone()))
                    .unwrap_or_else(removed),
            ),
        },
        ("team", Some(id)) => Named::plain(
            n.teams
                .get(&id)
                .cloned()
                .or_else(|| text_of("to"))
                .or_else(|| text_of("name"))
                .or_else(|| text_of("team"))
                .unwrap_or_else(removed),
        ),
        ("api_key", Some(id)) => Named::plain(
            n.keys
                .get(&id)
                .cloned()
                .or_else(|| text_of("name"))
                .or_else(|| text_of("prefix"))
                .unwrap_or_else(removed),
        ),
        ("dialogue", Some(id)) => Named {
            text: text_of("name").unwrap_or_else(removed),
            link: (e.action != "dialogue.deleted").then(|| format!("/console/dialogues/{id}")),
        },
        ("routing_rule", _) => Named::plain(text_of("name").unwrap_or_else(removed)),
        ("webhook", _) => Named::plain(text_of("url").unwrap_or_else(removed)),
        ("canned_response", _) => Named::plain(
            text_of("shortcut")
                .map(|s| format!("/{s}"))
                .unwrap_or_else(removed),
        ),
        ("conversation", Some(id)) => Named {
            text: tx.t("audit-conversation"),
            link: Some(format!("/console/conversations/{id}")),
        },
        ("tenant", _) => Named::plain(tx.t("audit-workspace")),
        ("visitor", _) => Named::plain(tx.t("audit-visitor")),
        (kind, _) => Named::plain(kind.to_owned()),
    };
    let details = match d {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                (
                    tx.t1("audit-detail", "key", k.as_str()),
                    words(ctx, n, k, v),
                )
            })
            .collect(),
        Value::Null => Vec::new(),
        other => vec![(String::new(), other.to_string())],
    };
    AuditRow {
        at: moment(ctx, e.created_at),
        actor,
        action: action_words(tx, &e.action),
        code: e.action,
        target,
        details,
    }
}

/// An action in words ("Revoked an API key"); Fluent's variant keys have no dots.
fn action_words(tx: Texts, action: &str) -> String {
    tx.t2(
        "audit-action",
        "action",
        action.replace('.', "-"),
        "code",
        action,
    )
}

/// A detail's value in words: yes/no, names for ids, dates in the reader's zone, "before →
/// after" for a change, lists joined.
fn words(ctx: &Ctx, n: &Names, key: &str, v: &Value) -> String {
    let tx = ctx.tx();
    match v {
        Value::Null if key == "expires_at" => tx.t("data-never"),
        Value::Null => tx.t("data-none"),
        Value::Bool(true) => tx.t("data-yes"),
        Value::Bool(false) => tx.t("data-no"),
        Value::Number(x) => x.to_string(),
        Value::String(s) => match key {
            "user_id" => s
                .parse::<Uuid>()
                .ok()
                .and_then(|id| n.users.get(&id).cloned())
                .unwrap_or_else(|| s.clone()),
            "email_sha256" | "delivery" => {
                let short: String = s.chars().take(12).collect();
                format!("{short}…")
            }
            "plan" => tx.t1("platform-plan-name", "plan", s.as_str()),
            "events" | "event" => tx.t2(
                "webhook-event",
                "event",
                s.replace('.', "-"),
                "code",
                s.as_str(),
            ),
            "scopes" => tx.t1("api-key-scope", "scope", s.as_str()),
            _ => match DateTime::parse_from_rfc3339(s) {
                Ok(t) => when(ctx, t.with_timezone(&Utc)),
                Err(_) => s.clone(),
            },
        },
        Value::Array(items) if items.is_empty() => tx.t("data-none"),
        Value::Array(items) => items
            .iter()
            .map(|i| words(ctx, n, key, i))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(m) if m.contains_key("from") && m.contains_key("to") && m.len() == 2 => {
            format!(
                "{} → {}",
                words(ctx, n, key, &m["from"]),
                words(ctx, n, key, &m["to"])
            )
        }
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| {
                format!(
                    "{} {}",
                    tx.t1(
                        "label-colon",
                        "label",
                        tx.t1("audit-detail", "key", k.as_str())
                    ),
                    words(ctx, n, k, v)
                )
            })
            .collect::<Vec<_>>()
            .join(" · "),
    }
}
