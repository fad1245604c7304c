//! Failed-action email (SPEC §6): when a live chat fails, the tenant's recipients (its
//! configured addresses, else its admins) and the agents who were offered it get one email
//! each, with the visitor's captured details and the transcript so far.
//!
//! Emails go through a durable outbox: a row per recipient is written first, then every
//! node's worker claims due rows and hands them to the SMTP server, retrying failures with
//! exponential back-off. An SMTP outage delays mail and loses none. Users who turned email
//! for missed chats off are left out (configured addresses are not users: they always get it).

use std::sync::OnceLock;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;
use switchboard_core::routing::trace::FallbackReason;
use switchboard_core::{TenantId, UserId};
use switchboard_notify::mail::{self, Email, Mailer};
use switchboard_store::{conversations, mail as outbox, messages, now, tenants, users};
use uuid::Uuid;

use crate::{Service, ServiceResult};

/// How email is sent; set once at start-up.
#[derive(Debug, Clone)]
pub struct MailOptions {
    /// `None`: no SMTP server configured, no email is written.
    pub mailer: Option<Mailer>,
    /// The first retry's delay; each next one doubles it, up to an hour.
    pub retry_base: Duration,
    /// Attempts before an email is given up as failed.
    pub max_attempts: i32,
}

impl Default for MailOptions {
    fn default() -> Self {
        Self {
            mailer: None,
            retry_base: Duration::from_secs(30),
            max_attempts: 10,
        }
    }
}

/// What [`Service`] keeps for email.
#[derive(Default)]
pub(crate) struct MailState {
    options: OnceLock<MailOptions>,
}

/// The reason in words, for people.
fn reason_text(reason: FallbackReason) -> &'static str {
    match reason {
        FallbackReason::LimitReached => "the plan's engagement limit is reached",
        FallbackReason::NoRuleMatched => "no routing rule matched the visitor",
        FallbackReason::NoAgentAvailable => "no agent was available",
        FallbackReason::OfferExpired => "no agent accepted in time",
        FallbackReason::Declined => "the agent declined",
        FallbackReason::QueueTimeout => "the wait in the queue ran out",
        FallbackReason::OutsideHours => "it came outside business hours",
    }
}

/// The captured fields and location, labelled, in a fixed order.
fn visitor_lines(visitor: &serde_json::Value) -> Vec<(String, String)> {
    let captured = [
        ("first_name", "First name"),
        ("last_name", "Last name"),
        ("email", "Email"),
        ("job_title", "Job title"),
        ("company", "Company"),
        ("phone", "Phone"),
    ];
    let located = [
        ("country", "Country"),
        ("region", "Region"),
        ("city", "City"),
        ("page_url", "Page"),
    ];
    let text = |v: &serde_json::Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    captured
        .iter()
        .filter_map(|(k, label)| Some(((*label).to_owned(), text(&visitor["captured"][k])?)))
        .chain(
            located
                .iter()
                .filter_map(|(k, label)| Some(((*label).to_owned(), text(&visitor[k])?))),
        )
        .collect()
}

impl Service {
    /// Sets how email is sent (once, at start-up; later calls change nothing).
    pub fn configure_mail(&self, options: MailOptions) {
        let _ = self.inner_mail().options.set(options);
    }

    fn mail_options(&self) -> Option<&MailOptions> {
        self.inner_mail()
            .options
            .get()
            .filter(|o| o.mailer.is_some())
    }

    /// Writes the failed-action email of a conversation that just fell back to the outbox,
    /// one row per recipient. Called once the fallback is committed; a failure is logged.
    pub(crate) async fn queue_failed_action_email(
        &self,
        tenant: TenantId,
        conversation: Uuid,
        reason: FallbackReason,
    ) {
        if self.mail_options().is_none() {
            return;
        }
        if let Err(e) = self
            .write_failed_action_email(tenant, conversation, reason)
            .await
        {
            tracing::warn!(error = %e, %conversation, "writing the failed-action email");
        }
    }

    async fn write_failed_action_email(
        &self,
        tenant: TenantId,
        conversation: Uuid,
        reason: FallbackReason,
    ) -> ServiceResult<()> {
        let db = self.db();
        let t = tenants::find(db, tenant).await?;
        let c = conversations::find(db, tenant, conversation).await?;
        let mut recipients: Vec<String> = t
            .settings()
            .failed_action_recipients
            .iter()
            .map(|e| e.as_str().to_owned())
            .collect();
        if recipients.is_empty() {
            recipients = users::admin_emails(db, tenant).await?;
        }
        let mut missed_by = Vec::new();
        let offered = c.trace["offers"].as_array().cloned().unwrap_or_default();
        for o in offered {
            let Some(id) = o["agent_id"].as_str().and_then(|s| s.parse().ok()) else {
                continue;
            };
            let Ok(agent) = users::find(db, tenant, UserId::from_uuid(id)).await else {
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
            return Ok(());
        }
        let transcript = messages::after_unscoped(db, conversation, 0, 500)
            .await?
            .into_iter()
            .map(|m| mail::TranscriptLine {
                sender: m.sender.to_string(),
                at: m.sent_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                body: m.body,
            })
            .collect();
        let action = mail::FailedAction {
            workspace: t.name.clone(),
            reason: reason_text(reason).to_owned(),
            visitor: visitor_lines(&c.visitor),
            missed_by,
            transcript,
            link: format!("{}/console/conversations/{conversation}", self.public_url()),
        };
        let subject = action.subject();
        let (text, html) = action.render().map_err(crate::ServiceError::internal)?;
        let at = now();
        for to in recipients {
            outbox::insert(
                db,
                outbox::Model {
                    id: Uuid::now_v7(),
                    tenant_id: tenant.as_uuid(),
                    kind: "failed_action".into(),
                    conversation_id: Some(conversation),
                    recipients: json!([to]),
                    subject: subject.clone(),
                    text_body: text.clone(),
                    html_body: html.clone(),
                    status: switchboard_core::DeliveryStatus::Pending,
                    attempts: 0,
                    next_attempt_at: at,
                    claim: None,
                    claimed_until: None,
                    last_error: None,
                    sent_at: None,
                    created_at: at,
                },
            )
            .await?;
        }
        Ok(())
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
        // Longer than any attempt takes (the SMTP timeout is 20 s per command).
        let until = at + chrono::Duration::seconds(120);
        let due = outbox::claim_due_unscoped(self.db(), claim, at, until, 20).await?;
        let n = due.len();
        for m in due {
            let to = m.recipient_list();
            let sent = mailer
                .send(&Email {
                    to: &to,
                    subject: &m.subject,
                    text: &m.text_body,
                    html: &m.html_body,
                })
                .await;
            let (error, next) = match sent {
                Ok(()) => (None, None),
                Err(e) => {
                    tracing::warn!(error = %e, email = %m.id, "an email was not sent");
                    (
                        Some(e.to_string()),
                        switchboard_store::outbox::next_retry(
                            m.attempts,
                            options.max_attempts,
                            options.retry_base,
                        ),
                    )
                }
            };
            outbox::record_attempt_unscoped(self.db(), m.id, error.clone(), error.is_none(), next)
                .await?;
        }
        Ok(n)
    }
}
