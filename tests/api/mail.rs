//! Failed-action email (SPEC §6) through a real SMTP server on loopback (aiosmtpd, see
//! `tests/support/smtp_sink.py`): who gets it, what it says, and that an SMTP server that
//! is down at first delays the mail and loses none.

use std::time::{Duration, Instant};

use serde_json::json;
use switchboard_core::TenantId;

use crate::helpers::agents::{available_agents, set_preferences};
use crate::helpers::smtp::SmtpSink;
use crate::helpers::tls::self_signed;
use crate::helpers::widget::{publish, sales_dialogue, walk_to_live_chat};
use crate::helpers::{Tenant, TestApp, free_port, poll_until, spawn_app_with};

/// The outbox rows written about a conversation.
async fn outbox(
    app: &TestApp,
    tenant: &str,
    conversation: &str,
) -> Vec<switchboard_store::mail::Model> {
    switchboard_store::mail::of_conversation(
        app.service.db(),
        TenantId::from_uuid(tenant.parse().unwrap()),
        conversation.parse().unwrap(),
    )
    .await
    .unwrap()
}

/// A visitor whose offer expires unanswered: the conversation's id once it fell back.
pub(crate) async fn missed_chat(app: &TestApp, t: &Tenant, key: &str) -> String {
    let waiting = walk_to_live_chat(app, key, Some("FR")).await;
    assert_eq!(waiting.body["status"], "waiting", "{}", waiting.text);
    let id = waiting.body["conversation_id"].as_str().unwrap().to_owned();
    poll_until(
        app,
        &format!("/api/v1/conversations/{id}"),
        &t.token,
        Instant::now(),
        Duration::from_secs(10),
        "the offer expired and the chat fell back",
        |b| b["status"] == "fallback",
    )
    .await;
    id
}

#[tokio::test]
async fn a_missed_chat_emails_the_admins_and_the_agent_once_the_smtp_server_is_back() {
    let port = free_port();
    let app = spawn_app_with(move |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.smtp_from = "Switchboard <alerts@switchboard.example.com>".into();
        c.mail_retry_seconds = 1;
    })
    .await;
    let t = app.create_tenant("mailed").await;
    let (_, agent) = available_agents(&app, &t, 1).await.remove(0);
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"accept_timeout_seconds": 1}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;

    // The SMTP server is down: the emails wait in the outbox, with the error.
    let id = missed_chat(&app, &t, &key).await;
    let since = Instant::now();
    loop {
        let rows = outbox(&app, &t.id, &id).await;
        if rows.len() == 2 && rows.iter().all(|m| m.attempts >= 1) {
            assert!(
                rows.iter()
                    .all(|m| m.status.as_str() == "pending" && m.last_error.is_some()),
                "{rows:?}"
            );
            break;
        }
        assert!(since.elapsed() < Duration::from_secs(10), "{rows:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // It comes up: each recipient gets one email.
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(port, dir.path());
    let got = sink.wait_for(2, Duration::from_secs(15)).await;
    let agent_email = format!("agent0@{}.example.com", t.slug);
    let mut to: Vec<String> = got
        .iter()
        .map(|m| m["rcpt_tos"][0].as_str().unwrap().to_owned())
        .collect();
    to.sort();
    let mut expected = vec![t.admin_email.clone(), agent_email.clone()];
    expected.sort();
    assert_eq!(to, expected);
    for m in &got {
        assert_eq!(m["rcpt_tos"].as_array().unwrap().len(), 1, "{m}");
        assert_eq!(m["mail_from"], "alerts@switchboard.example.com");
        assert_eq!(m["content_type"], "multipart/alternative");
        assert_eq!(
            m["subject"],
            "Missed live chat with ada@example.com: no agent accepted in time"
        );
        let text = m["text"].as_str().unwrap();
        for line in [
            "First name: Ada",
            "Email: ada@example.com",
            "Country: FR",
            "Page: https://shop.example.com/pricing",
            "Offered to, not taken by: agent0",
            &format!("/console/conversations/{id}"),
        ] {
            assert!(text.contains(line), "{line:?} missing from\n{text}");
        }
        let html = m["html"].as_str().unwrap();
        assert!(html.contains("<td>ada@example.com</td>"), "{html}");
    }
    // The worker records a send once the SMTP server took it, so the sink can have both
    // emails a moment before the outbox says so.
    let sent = |rows: &[switchboard_store::mail::Model]| {
        rows.iter()
            .all(|m| m.status.as_str() == "sent" && m.attempts >= 2 && m.sent_at.is_some())
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut rows = outbox(&app, &t.id, &id).await;
    while !sent(&rows) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
        rows = outbox(&app, &t.id, &id).await;
    }
    assert!(sent(&rows), "{rows:?}");

    // Configured recipients replace the admins; an agent who turned the email off is left out.
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"failed_action_recipients": ["sales-leads@mailed.example.com"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    set_preferences(&app, &agent, true, true, false).await;
    let second = missed_chat(&app, &t, &key).await;
    let got = sink.wait_for(3, Duration::from_secs(15)).await;
    assert_eq!(
        got[2]["rcpt_tos"],
        json!(["sales-leads@mailed.example.com"])
    );
    // A pass of the mail worker a minute on (retries here are a second apart) has nothing
    // left to send. The app's own worker keeps running: a minute is inside the two minutes
    // an email it claimed stays claimed, so this pass cannot take one it is still sending.
    let later = chrono::Utc::now() + chrono::Duration::minutes(1);
    assert_eq!(app.service.send_due_email(later).await.unwrap(), 0);
    assert_eq!(sink.messages().len(), 3, "one email for the second chat");
    assert_eq!(outbox(&app, &t.id, &second).await.len(), 1);
}

#[tokio::test]
async fn email_goes_over_starttls_to_a_server_whose_certificate_is_trusted_and_waits_otherwise() {
    let certs = tempfile::tempdir().unwrap();
    let (cert, key) = self_signed(certs.path());
    let port = free_port();
    let inbox = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start_with(port, inbox.path(), &[&cert, &key]);
    let url = format!("smtp://127.0.0.1:{port}?tls=required");

    // Trusting the server's certificate: the mail goes, encrypted.
    let trusted = {
        let (url, cert) = (url.clone(), cert.clone());
        spawn_app_with(move |c| {
            c.smtp_url = Some(url);
            c.smtp_ca_file = Some(cert);
            c.mail_retry_seconds = 1;
        })
        .await
    };
    let t = trusted.create_tenant("tls").await;
    let key_w = publish(&trusted, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let nobody = walk_to_live_chat(&trusted, &key_w, None).await;
    assert_eq!(nobody.body["status"], "fallback", "{}", nobody.text);
    let got = sink.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(got[0]["rcpt_tos"], json!([t.admin_email]));
    assert_eq!(got[0]["tls"], true, "{}", got[0]);

    // Not trusting it: nothing is sent in the clear; the email waits with the reason.
    let untrusted = spawn_app_with(move |c| {
        c.smtp_url = Some(url);
        c.mail_retry_seconds = 1;
    })
    .await;
    let u = untrusted.create_tenant("notls").await;
    let key_u = publish(
        &untrusted,
        &u,
        sales_dialogue(json!({"mode": "round_robin"})),
    )
    .await;
    let nobody = walk_to_live_chat(&untrusted, &key_u, None).await;
    let id = nobody.body["conversation_id"].as_str().unwrap().to_owned();
    let since = Instant::now();
    loop {
        let rows = outbox(&untrusted, &u.id, &id).await;
        if let Some(m) = rows.first().filter(|m| m.attempts >= 1) {
            assert_eq!(m.status.as_str(), "pending");
            let error = m.last_error.clone().unwrap_or_default();
            assert!(error.to_lowercase().contains("certificate"), "{error}");
            break;
        }
        assert!(since.elapsed() < Duration::from_secs(10), "{rows:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(sink.messages().len(), 1);
}

/// Failures that flood (issue 15): each recipient gets the first failed-action email at
/// once, then at most one per reason every ten minutes — the ones in between wait and go
/// together as one digest naming each chat — whichever node sends.
#[tokio::test]
async fn a_flood_of_failed_chats_reaches_each_recipient_once_then_as_one_digest() {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(port, dir.path());
    let app = spawn_app_with(move |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.mail_retry_seconds = 1;
    })
    .await;
    let t = app.create_tenant("flooded").await;
    let r = app
        .patch(
            "/api/v1/settings",
            &t.token,
            json!({"failed_action_recipients": ["sales@flooded.example.com", "boss@flooded.example.com"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    // No agent at all: each chat falls back at once.
    let fail = || async {
        let r = walk_to_live_chat(&app, &key, Some("FR")).await;
        assert_eq!(r.body["status"], "fallback", "{}", r.text);
        (
            r.body["conversation_id"].as_str().unwrap().to_owned(),
            r.body["visitor_token"].as_str().unwrap().to_owned(),
        )
    };
    let (first, _) = fail().await;
    let got = sink.wait_for(2, Duration::from_secs(15)).await;
    for m in &got {
        assert_eq!(
            m["subject"],
            "Missed live chat with ada@example.com: no agent was available"
        );
    }

    // Five more within the ten minutes: nobody gets another email now. One of them leaves
    // a message meanwhile.
    let mut flood = Vec::new();
    for _ in 0..5 {
        flood.push(fail().await);
    }
    let left = app
        .post(
            &format!("/api/v1/widget/conversations/{}/leave-message", flood[2].0),
            &flood[2].1,
            json!({"email": "ada@example.com", "message": "Call me back about 40 seats, please."}),
        )
        .await;
    assert_eq!(left.status, 201, "{}", left.text);
    let flood: Vec<String> = flood.into_iter().map(|(id, _)| id).collect();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(sink.messages().len(), 2, "{:?}", sink.messages());
    let waiting = outbox(&app, &t.id, &flood[0]).await;
    assert_eq!(waiting.len(), 2);
    assert!(waiting.iter().all(|m| m.status.as_str() == "pending"));

    // Ten minutes on (an injected clock): one digest each, with the five chats.
    let later = chrono::Utc::now() + chrono::Duration::minutes(11);
    app.service.send_due_email(later).await.unwrap();
    let got = sink.wait_for(4, Duration::from_secs(5)).await;
    let digests = &got[2..];
    let mut to: Vec<_> = digests
        .iter()
        .map(|m| m["rcpt_tos"][0].as_str().unwrap().to_owned())
        .collect();
    to.sort();
    assert_eq!(
        to,
        ["boss@flooded.example.com", "sales@flooded.example.com"]
    );
    for m in digests {
        assert_eq!(
            m["subject"], "5 missed live chats in flooded Inc.: no agent was available",
            "{m}"
        );
        let text = m["text"].as_str().unwrap();
        for id in &flood {
            assert!(
                text.contains(&format!("/console/conversations/{id}")),
                "{text}"
            );
        }
        assert!(!text.contains(&first), "the first went on its own: {text}");
        assert!(text.contains("Ada · ada@example.com"), "{text}");
        assert!(
            text.contains("> Call me back about 40 seats, please."),
            "the message left is in the digest: {text}"
        );
        let html = m["html"].as_str().unwrap();
        assert!(
            html.contains("5 live chats in flooded Inc. failed"),
            "{html}"
        );
    }
    for id in &flood {
        let rows = outbox(&app, &t.id, id).await;
        assert!(
            rows.iter()
                .all(|m| m.status.as_str() == "sent" && m.sent_at.is_some()),
            "{rows:?}"
        );
    }
    assert_eq!(sink.messages().len(), 4);

    // One more failure: it waits for the next slot, ten minutes after the digest, and then
    // goes as the usual email (it is alone).
    let (last, _) = fail().await;
    let soon = later + chrono::Duration::minutes(2);
    app.service.send_due_email(soon).await.unwrap();
    assert_eq!(sink.messages().len(), 4);
    app.service
        .send_due_email(later + chrono::Duration::minutes(11))
        .await
        .unwrap();
    let got = sink.wait_for(6, Duration::from_secs(5)).await;
    for m in &got[4..] {
        assert_eq!(
            m["subject"],
            "Missed live chat with ada@example.com: no agent was available"
        );
        assert!(
            m["text"]
                .as_str()
                .unwrap()
                .contains(&format!("/console/conversations/{last}"))
        );
    }
}

/// The digest slot is taken in the database: of many workers (nodes) trying at once, one
/// sends; the others are told when the next may.
#[tokio::test]
async fn of_twenty_workers_taking_a_digest_slot_at_once_one_gets_it() {
    use switchboard_store::mail::slots::{self, Slot};
    let app = spawn_app_with(|_| {}).await;
    let t = app.create_tenant("slots").await;
    let tenant: uuid::Uuid = t.id.parse().unwrap();
    let every = chrono::Duration::minutes(10);
    let at = chrono::Utc::now();
    for round in 0..2 {
        let at = at + every * round;
        let takes = (0..20).map(|_| {
            let db = app.service.db().clone();
            tokio::spawn(async move {
                slots::take(&db, tenant, "no_agent_available:a@example.com", at, every)
                    .await
                    .unwrap()
            })
        });
        let got: Vec<Slot> = futures_util::future::join_all(takes)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let taken = got
            .iter()
            .filter(|s| matches!(s, Slot::Taken { .. }))
            .count();
        assert_eq!(taken, 1, "round {round}: {got:?}");
        assert!(
            got.iter()
                .all(|s| matches!(s, Slot::Taken { .. })
                    || matches!(s, Slot::Busy(next) if *next > at)),
            "{got:?}"
        );
    }
}
