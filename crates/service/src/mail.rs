//! Failed-action email (SPEC §6): when a live chat fails, the tenant's recipients (its
//! configured addresses, else its admins) and the agents who were offered it get one email
//! each, with the visitor's captured details and the transcript so far.
//!
//! Emails go through a durable outbox: a row per recipient is written first, then every
//! node's worker claims due rows and hands them to the SMTP server, retrying failures with
//! exponential back-off. An SMTP outage delays mail and loses none. Users who turned email
//! for missed chats off are left out (configured addresses are not users: they always get it).
//! A message the visitor leaves after the fallback (SPEC §12.2) is added to that email, or
//! follows it when it went already.
//!
//! When failures flood, a recipient gets at most one failed-action email per reason every
//! `MailOptions::digest_every` (`SWITCHBOARD_MAIL_DIGEST_SECONDS`, 10 minutes): the first goes at once, the ones after wait for the slot and go
//! together as a digest listing each chat (issue 15). The slot is taken in the database, so
//! it holds whichever node sends.

use std::sync::OnceLock;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;
use switchboard_core::routing::trace::FallbackReason;
use switchboard_core::{TenantId, UserId};
use switchboard_notify::mail::{self, Email, Mailer};
use switchboard_store::mail::slots::{self, Slot};
use switchboard_store::{
    ConnectionTrait, conversations, mail as outbox, messages, now, tenants, users,
};
use uuid::Uuid;

use crate::preferences::Reader;
use crate::{Service, ServiceResult};
use switchboard_i18n::{Texts, format};

/// How email is sent; set once at start-up.
#[derive(Debug, Clone)]
pub struct MailOptions {
    /// `None`: no SMTP server configured, no email is written.
    pub mailer: Option<Mailer>,
    /// The first retry's delay; each next one doubles it, up to an hour.
    pub retry_base: Duration,
    /// Attempts before an email is given up as failed.
    pub max_attempts: i32,
    /// At most one failed-action email per recipient and reason this often.
    pub digest_every: Duration,
}

impl Default for MailOptions {
    fn default() -> Self {
        Self {
            mailer: None,
            retry_base: Duration::from_secs(30),
            max_attempts: 10,
            digest_every: Duration::from_secs(600),
        }
    }
}

/// What [`Service`] keeps for email.
#[derive(Default)]
pub(crate) struct MailState {
    options: OnceLock<MailOptions>,
}

/// The reason in words, in the reader's language.
fn reason_text(tx: Texts, reason: FallbackReason) -> String {
    tx.t(match reason {
        FallbackReason::LimitReached => "reason-limit-reached",
        FallbackReason::NoRuleMatched => "reason-no-rule-matched",
        FallbackReason::NoAgentAvailable => "reason-no-agent-available",
        FallbackReason::OfferExpired => "reason-offer-expired",
        FallbackReason::Declined => "reason-declined",
        FallbackReason::QueueTimeout => "reason-queue-timeout",
        FallbackReason::OutsideHours => "reason-outside-hours",
    })
}

/// What the visitor said of themselves (`captured`) and where they were, as `(field,
/// value)`, in a fixed order.
const CAPTURED: [(&str, &str); 6] = [
    ("first_name", "field-first-name"),
    ("last_name", "field-last-name"),
    ("email", "field-email"),
    ("job_title", "field-job-title"),
    ("company", "field-company"),
    ("phone", "field-phone"),
];
const LOCATED: [(&str, &str); 4] = [
    ("country", "field-country"),
    ("region", "field-region"),
    ("city", "field-city"),
    ("page_url", "field-page"),
];

/// The captured fields and location, labelled in the reader's language, in a fixed order.
fn visitor_lines(tx: Texts, visitor: &serde_json::Value) -> Vec<(String, String)> {
    let text = |v: &serde_json::Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    CAPTURED
        .iter()
        .filter_map(|(k, label)| Some((tx.t(label), text(&visitor["captured"][k])?)))
        .chain(
            LOCATED
                .iter()
                .filter_map(|(k, label)| Some((tx.t(label), text(&visitor[k])?))),
        )
        .collect()
}

/// A sender, in the reader's language.
fn sender_text(tx: Texts, sender: switchboard_core::Sender) -> String {
    use switchboard_core::Sender;
    tx.t(match sender {
        Sender::Visitor => "sender-visitor",
        Sender::Agent => "sender-agent",
        Sender::Bot => "sender-bot",
        Sender::System => "sender-system",
    })
}

/// What a failed-action email tells, before it is written for a reader.
struct FailedActionFacts {
    workspace: String,
    reason: FallbackReason,
    visitor: serde_json::Value,
    missed_by: Vec<String>,
    transcript: Vec<(switchboard_core::Sender, DateTime<Utc>, String)>,
    link: String,
    /// name, email, message, when
    left_message: Option<(Option<String>, String, String, DateTime<Utc>)>,
}

impl FailedActionFacts {
    /// The email as `reader` reads it: their language, times in their zone.
    fn email(&self, reader: Reader) -> mail::FailedAction {
        let tx = Texts(reader.locale);
        let when = |at: DateTime<Utc>| format::date_time(reader.locale, reader.timezone, at);
        mail::FailedAction {
            tx,
            workspace: self.workspace.clone(),
            reason: reason_text(tx, self.reason),
            visitor: visitor_lines(tx, &self.visitor),
            missed_by: self.missed_by.clone(),
            transcript: self
                .transcript
                .iter()
                .map(|(sender, at, body)| mail::TranscriptLine {
                    sender: sender_text(tx, *sender),
                    at: when(*at),
                    body: body.clone(),
                })
                .collect(),
            link: self.link.clone(),
            left_message: self
                .left_message
                .as_ref()
                .map(|(name, email, message, at)| mail::LeftMessage {
                    name: name.clone(),
                    email: email.clone(),
                    message: message.clone(),
                    at: when(*at),
                }),
        }
    }
}

/// How long a worker holds an email it claimed: longer than one attempt takes (the SMTP
/// timeout is 20 s per command).
const EMAIL_LEASE: chrono::Duration = chrono::Duration::seconds(120);

impl Service {
    /// Sets how email is sent (once, at start-up; later calls change nothing).
    pub fn configure_mail(&self, options: MailOptions) {
        let _ = self.inner_mail().options.set(options);
    }

    pub(crate) fn mail_options(&self) -> Option<&MailOptions> {
        self.inner_mail()
            .options
            .get()
            .filter(|o| o.mailer.is_some())
    }

    /// The failed-action email of a conversation falling back (`c` as it is written, with its
    /// trace), one outbox row per recipient: written in the fallback's own transaction. None
    /// when email is not configured or nobody is to get it.
    pub(crate) async fn failed_action_emails(
        &self,
        t: &tenants::Model,
        c: &conversations::Model,
        reason: FallbackReason,
    ) -> ServiceResult<Vec<outbox::Model>> {
        if self.mail_options().is_none() {
            return Ok(Vec::new());
        }
        let Some((recipients, facts)) = self.failed_action(self.db(), t, c, Some(reason)).await?
        else {
            return Ok(Vec::new());
        };
        let workspace = Reader::of_workspace(&t.settings());
        let mut rows = Vec::with_capacity(recipients.len());
        for to in recipients {
            let (action, text, html) = self
                .failed_action_for(self.db(), t.tenant_id(), workspace, &facts, &to)
                .await?;
            let mut row = outbox_row(
                c.tenant_id,
                "failed_action",
                Some(c.id),
                &to,
                &action.subject(),
                (text, html),
            );
            row.digest_key = Some(format!("{}:{}", reason.as_str(), to.to_lowercase()));
            rows.push(row);
        }
        Ok(rows)
    }

    /// The failed-action email as `to` reads it, and its text and HTML parts.
    async fn failed_action_for(
        &self,
        conn: &impl ConnectionTrait,
        tenant: TenantId,
        workspace: Reader,
        facts: &FailedActionFacts,
        to: &str,
    ) -> ServiceResult<(mail::FailedAction, String, String)> {
        let reader = self.reader_by_email(conn, tenant, to, workspace).await?;
        let action = facts.email(reader);
        let (text, html) = action.render().map_err(crate::ServiceError::internal)?;
        Ok((action, text, html))
    }

    /// The failed-action email of conversation `c` and whom it goes to (`None`: nobody),
    /// read through `conn`. `reason`: the fallback's, else the conversation's own.
    async fn failed_action(
        &self,
        conn: &impl ConnectionTrait,
        t: &tenants::Model,
        c: &conversations::Model,
        reason: Option<FallbackReason>,
    ) -> ServiceResult<Option<(Vec<String>, FailedActionFacts)>> {
        let tenant = TenantId::from_uuid(t.id);
        let mut recipients: Vec<String> = t
            .settings()
            .failed_action_recipients
            .iter()
            .map(|e| e.as_str().to_owned())
            .collect();
        if recipients.is_empty() {
            recipients = users::admin_emails(conn, tenant).await?;
        }
        let mut missed_by = Vec::new();
        let offered = c.trace["offers"].as_array().cloned().unwrap_or_default();
        for o in offered {
            let Some(id) = o["agent_id"].as_str().and_then(|s| s.parse().ok()) else {
                continue;
            };
            let Ok(agent) = users::find(conn, tenant, UserId::from_uuid(id)).await else {
                continue;
            };
            if agent.active && agent.notify_email {
                recipients.push(agent.email.clone());
            }
            missed_by.push(agent.display_name);
        }
        let mut seen = std::collections::HashSet::new();
        recipients.retain(|r| seen.insert(r.to_lowercase()));
        if recipients.is_empty() {
            return Ok(None);
        }
        let transcript = messages::visible_after_unscoped(conn, c.id, 0, 500)
            .await?
            .into_iter()
            .map(|m| (m.sender, m.sent_at, m.body))
            .collect();
        let left_message = match (
            c.left_message_email.clone(),
            c.left_message_body.clone(),
            c.left_message_at,
        ) {
            (Some(email), Some(message), Some(at)) => {
                Some((c.left_message_name.clone(), email, message, at))
            }
            _ => None,
        };
        let reason = reason
            .or(c.fallback_reason)
            .unwrap_or(FallbackReason::NoAgentAvailable);
        Ok(Some((
            recipients,
            FailedActionFacts {
                workspace: t.name.clone(),
                reason,
                visitor: c.visitor.clone(),
                missed_by,
                transcript,
                link: format!("{}/console/conversations/{}", self.public_url(), c.id),
                left_message,
            },
        )))
    }

    /// A visitor left a message on conversation `c` (as it is now, message included), which
    /// fell back: it reaches the people the failed-action email goes to. What a sales team
    /// expects is one email with everything, as soon as possible: a failed-action email no
    /// worker took yet is rewritten with the message in it; each one that went (or is going)
    /// gets a follow-up to the same address with the message and the same details; with no
    /// failed-action email at all, the follow-up goes to whom it would go. Runs in the
    /// transaction that stores the message (`conn`); returns the follow-ups to write there.
    pub(crate) async fn left_message_emails(
        &self,
        conn: &impl ConnectionTrait,
        c: &conversations::Model,
    ) -> ServiceResult<Vec<outbox::Model>> {
        if self.mail_options().is_none() {
            return Ok(Vec::new());
        }
        let tenant = TenantId::from_uuid(c.tenant_id);
        let t = tenants::find(conn, tenant).await?;
        let Some((recipients, facts)) = self.failed_action(conn, &t, c, None).await? else {
            return Ok(Vec::new());
        };
        let sent_before: Vec<_> = outbox::of_conversation(conn, tenant, c.id)
            .await?
            .into_iter()
            .filter(|m| m.kind == "failed_action")
            .collect();
        let workspace = Reader::of_workspace(&t.settings());
        let mut follow_up = Vec::new();
        for m in &sent_before {
            // Each recipient's email in their own language.
            let to = m.recipient_list().concat();
            let (_, text, html) = self
                .failed_action_for(conn, tenant, workspace, &facts, &to)
                .await?;
            if !outbox::rewrite_unsent_unscoped(conn, m.id, text, html).await? {
                follow_up.extend(m.recipient_list());
            }
        }
        if sent_before.is_empty() {
            follow_up = recipients;
        }
        let mut rows = Vec::with_capacity(follow_up.len());
        for to in follow_up {
            let (action, text, html) = self
                .failed_action_for(conn, tenant, workspace, &facts, &to)
                .await?;
            rows.push(outbox_row(
                c.tenant_id,
                "left_message",
                Some(c.id),
                &to,
                &action.follow_up_subject(),
                (text, html),
            ));
        }
        Ok(rows)
    }

    /// Sends the emails that are due; every node runs it. Returns how many it attempted.
    pub async fn send_due_email(&self, at: DateTime<Utc>) -> ServiceResult<usize> {
        let Some(options) = self.mail_options() else {
            return Ok(0);
        };
        let Some(mailer) = options.mailer.as_ref() else {
            return Ok(0);
        };
        let claim = Uuid::now_v7();
        let due =
            outbox::claim_due_unscoped(self.db(), claim, at, at + crate::outbox::BATCH_LEASE, 20)
                .await?;
        let n = due.len();
        // Emails already sent in a digest of this pass.
        let mut done = std::collections::HashSet::new();
        for m in due {
            if done.contains(&m.id) {
                continue;
            }
            // The lease is renewed before each attempt, so one batch's slow emails never let
            // a later one's lapse while it waits; a row whose lease was lost is left alone.
            let until = Utc::now() + EMAIL_LEASE;
            if !outbox::renew_claim_unscoped(self.db(), m.id, claim, until).await? {
                continue;
            }
            // A failed-action email goes only if its recipient got none for this reason in
            // the last `digest_every`, and takes every other one waiting for them with it.
            let mut slot = None;
            let mut group = vec![m.clone()];
            if let Some(key) = &m.digest_key {
                // When it goes: now (or the injected clock, when it is later).
                let sending = at.max(Utc::now());
                let every = chrono::Duration::from_std(options.digest_every)
                    .unwrap_or(chrono::Duration::minutes(10));
                match slots::take(self.db(), m.tenant_id, key, sending, every).await? {
                    Slot::Busy(free_at) => {
                        outbox::postpone_unscoped(self.db(), m.id, claim, free_at).await?;
                        continue;
                    }
                    Slot::Taken { at, previous } => {
                        slot = Some((key.clone(), at, previous));
                        group = outbox::claim_digest_unscoped(
                            self.db(),
                            m.tenant_id,
                            key,
                            claim,
                            at,
                            until,
                        )
                        .await?;
                        if !group.iter().any(|g| g.id == m.id) {
                            group.push(m.clone());
                        }
                    }
                }
            }
            done.extend(group.iter().map(|g| g.id));
            let to = m.recipient_list();
            // Whatever fails from here (the content, the SMTP server) is an attempt of every
            // email of the group, recorded below, and gives the slot back.
            let sent = async {
                let (subject, text, html) = if group.len() > 1 {
                    self.digest(&group).await?
                } else {
                    // Bodies carrying a secret (a reset link) are stored sealed.
                    let sealer = &self.auth_config().sealer;
                    (
                        m.subject.clone(),
                        sealer.open(&m.text_body)?,
                        sealer.open(&m.html_body)?,
                    )
                };
                mailer
                    .send(&Email {
                        id: &m.id.to_string(),
                        to: &to,
                        subject: &subject,
                        text: &text,
                        html: &html,
                    })
                    .await
                    .map_err(crate::ServiceError::internal)
            }
            .await;
            let error = match sent {
                Ok(()) => None,
                Err(e) => {
                    tracing::warn!(error = %e, email = %m.id, "an email was not sent");
                    if let Some((key, at, previous)) = &slot {
                        slots::give_back(self.db(), m.tenant_id, key, *at, *previous).await?;
                    }
                    Some(match e {
                        crate::ServiceError::Internal(e) => e.to_string(),
                        other => other.to_string(),
                    })
                }
            };
            for g in &group {
                let next = error.as_ref().and_then(|_| {
                    switchboard_store::outbox::next_retry(
                        g.attempts,
                        options.max_attempts,
                        options.retry_base,
                    )
                });
                if !outbox::record_attempt_unscoped(
                    self.db(),
                    g.id,
                    claim,
                    error.clone(),
                    error.is_none(),
                    next,
                )
                .await?
                {
                    tracing::warn!(email = %g.id, "an email's lease was lost during its attempt");
                }
            }
        }
        Ok(n)
    }

    /// One email for several failed-action emails to one recipient (one reason): each
    /// chat as it is now (a message left since included).
    async fn digest(&self, group: &[outbox::Model]) -> ServiceResult<(String, String, String)> {
        let first = &group[0];
        let tenant = TenantId::from_uuid(first.tenant_id);
        let t = tenants::find(self.db(), tenant).await?;
        let reason = first
            .digest_key
            .as_deref()
            .and_then(|k| k.split_once(':'))
            .and_then(|(r, _)| r.parse::<FallbackReason>().ok())
            .unwrap_or(FallbackReason::NoAgentAvailable);
        let mut chats = Vec::new();
        for m in group {
            let Some(id) = m.conversation_id else {
                continue;
            };
            let c = match conversations::find(self.db(), tenant, id).await {
                Ok(c) => c,
                // Erased since (privacy): nothing to tell of it.
                Err(switchboard_store::StoreError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            chats.push((c.ended_at.unwrap_or(c.updated_at), c));
        }
        chats.sort_by_key(|(at, _)| *at);
        let to = first.recipient_list().concat();
        let reader = self
            .reader_by_email(self.db(), tenant, &to, Reader::of_workspace(&t.settings()))
            .await?;
        let tx = Texts(reader.locale);
        let digest = mail::FailedActionDigest {
            tx,
            workspace: t.name.clone(),
            reason: reason_text(tx, reason),
            chats: chats
                .into_iter()
                .map(|(at, c)| mail::DigestChat {
                    visitor: who(tx, &c.visitor),
                    at: format::date_time(reader.locale, reader.timezone, at),
                    link: format!("{}/console/conversations/{}", self.public_url(), c.id),
                    left_message: c
                        .left_message_email
                        .clone()
                        .zip(c.left_message_body.clone()),
                })
                .collect(),
            link: format!("{}/console/conversations", self.public_url()),
        };
        let (text, html) = digest.render().map_err(crate::ServiceError::internal)?;
        Ok((digest.subject(), text, html))
    }
}

/// The visitor in a few words: what they said of themselves, else where they were.
fn who(tx: Texts, visitor: &serde_json::Value) -> String {
    let text = |v: &serde_json::Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    let said: Vec<String> = ["first_name", "last_name", "email", "company"]
        .iter()
        .filter_map(|k| text(&visitor["captured"][k]))
        .collect();
    if !said.is_empty() {
        return said.join(" · ");
    }
    let place: Vec<String> = ["city", "country"]
        .iter()
        .filter_map(|k| text(&visitor[k]))
        .collect();
    if place.is_empty() {
        tx.t("email-visitor-no-details")
    } else {
        tx.t1("email-visitor-from", "place", place.join(", "))
    }
}

/// An email to one recipient, due now: `body` is its text and HTML.
pub(crate) fn outbox_row(
    tenant_id: Uuid,
    kind: &str,
    conversation_id: Option<Uuid>,
    to: &str,
    subject: &str,
    (text_body, html_body): (String, String),
) -> outbox::Model {
    let at = now();
    outbox::Model {
        id: Uuid::now_v7(),
        tenant_id,
        kind: kind.into(),
        conversation_id,
        recipients: json!([to]),
        subject: subject.to_owned(),
        text_body,
        html_body,
        status: switchboard_core::DeliveryStatus::Pending,
        attempts: 0,
        next_attempt_at: at,
        claim: None,
        claimed_until: None,
        last_error: None,
        sent_at: None,
        created_at: at,
        digest_key: None,
    }
}
