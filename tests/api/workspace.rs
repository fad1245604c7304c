//! The agent's workspace over the API and the sockets (SPEC §12.3, issue 16): internal notes
//! that never reach the visitor by any path, canned responses in their scopes with their
//! variables filled for a chat, and the visitor's rating after the end.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::live::first_offer_id;
use crate::helpers::widget::waiting_visitor;
use crate::helpers::ws::Ws;
use crate::helpers::{TestApp, spawn_app};

/// A live chat: `(tenant, (agent id, agent token), conversation id, visitor token)`.
async fn live_chat(
    app: &TestApp,
    slug: &str,
) -> (crate::helpers::Tenant, (String, String), String, String) {
    let (t, agent, session) = waiting_visitor(app, slug).await;
    let id = session["conversation_id"].as_str().unwrap().to_owned();
    let token = session["visitor_token"].as_str().unwrap().to_owned();
    let offer = first_offer_id(app, &t, &id).await;
    let r = app
        .post(
            &format!("/api/v1/offers/{offer}/accept"),
            &agent.1,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    (t, agent, id, token)
}

fn bodies(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn a_note_reaches_agents_and_admins_and_never_the_visitor() {
    let app = spawn_app().await;
    let (t, (_, agent), id, visitor) = live_chat(&app, "notes").await;
    let mut inbox = Ws::open(&app.base, "agent", &agent).await;
    assert_eq!(inbox.next().await["type"], "hello");
    let mut widget = Ws::open(&app.base, "visitor", &visitor).await;
    assert_eq!(widget.next().await["type"], "hello");

    let secret = "Internal: she is the CFO, offer the annual plan";
    let note = app
        .post(
            &format!("/api/v1/conversations/{id}/notes"),
            &agent,
            json!({"body": secret}),
        )
        .await;
    assert_eq!(note.status, 201, "{}", note.text);
    assert_eq!(note.body["kind"], "note");
    assert_eq!(note.body["sender"], "agent");
    let note_seq = note.body["seq"].as_i64().unwrap();

    // The agent's socket gets the note as a message marked as such.
    let got = inbox.until("message").await;
    assert_eq!(
        (
            got["kind"].as_str(),
            got["body"].as_str(),
            got["seq"].as_i64()
        ),
        (Some("note"), Some(secret), Some(note_seq))
    );

    // An admin writes one too; then the agent writes to the visitor.
    let admin_note = app
        .post(
            &format!("/api/v1/conversations/{id}/notes"),
            &t.token,
            json!({"body": "Admin: watch the discount"}),
        )
        .await;
    assert_eq!(admin_note.status, 201, "{}", admin_note.text);
    assert_eq!(admin_note.body["author_id"], t.admin_id.as_str());
    let sent = app
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            &agent,
            json!({"body": "Hello Ada, how can I help?"}),
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.text);

    // The visitor's socket gets the agent's message, with its number, and nothing else.
    let got = widget.until("message").await;
    assert_eq!(got["body"], "Hello Ada, how can I help?", "{got}");
    assert_eq!(got["seq"], sent.body["seq"]);
    widget.no_more("message", Duration::from_millis(300)).await;
    // A visitor who reconnects and resumes from the start reads no note either.
    let mut again = Ws::open(&app.base, "visitor", &visitor).await;
    assert_eq!(again.next().await["type"], "hello");
    again.send(json!({"type": "resume", "after_seq": 0})).await;
    let mut resumed = Vec::new();
    while let Some(f) = again.next_within(Duration::from_millis(500)).await {
        if f["type"] == "message" {
            resumed.push(f);
        }
    }
    assert!(!resumed.is_empty());
    for f in &resumed {
        assert!(f.get("kind").is_none(), "{f}");
        assert!(!f.to_string().contains("CFO"), "{f}");
    }

    // REST: the agent and the admin read the notes in place; the visitor does not.
    let staff = app
        .get(&format!("/api/v1/conversations/{id}/messages"), &t.token)
        .await;
    assert!(
        bodies(&staff.body).contains(&secret.to_owned()),
        "{}",
        staff.text
    );
    let kinds: Vec<&str> = staff.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "note").count(),
        2,
        "{kinds:?}"
    );
    let theirs = app
        .get(
            &format!("/api/v1/widget/conversations/{id}/messages"),
            &visitor,
        )
        .await;
    assert_eq!(theirs.status, 200, "{}", theirs.text);
    assert!(!theirs.text.contains("CFO"), "{}", theirs.text);
    assert!(!theirs.text.contains("discount"), "{}", theirs.text);
    assert!(bodies(&theirs.body).contains(&"Hello Ada, how can I help?".to_owned()));

    // The end, then a note after it (a follow-up for the team), still unseen by the visitor.
    let r = app
        .post(
            &format!("/api/v1/conversations/{id}/end"),
            &agent,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let after = app
        .post(
            &format!("/api/v1/conversations/{id}/notes"),
            &t.token,
            json!({"body": "Called her back: deal closed"}),
        )
        .await;
    assert_eq!(after.status, 201, "{}", after.text);
    let theirs = app
        .get(
            &format!("/api/v1/widget/conversations/{id}/messages"),
            &visitor,
        )
        .await;
    assert!(!theirs.text.contains("deal closed"), "{}", theirs.text);

    // The privacy export (what the visitor may be handed) carries no note.
    let export = app
        .get("/api/v1/privacy/visitors?email=ada@example.com", &t.token)
        .await;
    assert_eq!(export.status, 200, "{}", export.text);
    assert!(export.text.contains("Hello Ada"), "{}", export.text);
    for hidden in ["CFO", "discount", "deal closed"] {
        assert!(!export.text.contains(hidden), "{hidden} in {}", export.text);
    }

    // Bad notes change nothing: empty, too long, someone else's chat, unknown fields.
    let before = app
        .get(&format!("/api/v1/conversations/{id}/messages"), &t.token)
        .await;
    for (body, status) in [
        (json!({"body": "   "}), 422),
        (json!({"body": "x".repeat(4001)}), 422),
        (json!({"body": "hi", "kind": "message"}), 400),
    ] {
        let r = app
            .post(&format!("/api/v1/conversations/{id}/notes"), &t.token, body)
            .await;
        assert!(
            r.status == status || r.status == 422,
            "{} {}",
            r.status,
            r.text
        );
    }
    let other = app
        .create_user(&t, "other@notes.example.com", "agent")
        .await;
    assert!(!other.is_empty());
    let other_token = app.user_token(&t, "other@notes.example.com").await;
    let r = app
        .post(
            &format!("/api/v1/conversations/{id}/notes"),
            &other_token,
            json!({"body": "not my chat"}),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.text);
    let after = app
        .get(&format!("/api/v1/conversations/{id}/messages"), &t.token)
        .await;
    assert_eq!(before.body, after.body);
}

#[tokio::test]
async fn canned_responses_live_in_their_scope_and_fill_their_variables_for_a_chat() {
    let app = spawn_app().await;
    let (t, (_, agent), id, _) = live_chat(&app, "canned").await;

    // The admin writes the tenant's; the agent writes their own.
    let tenant_wide = app
        .post(
            "/api/v1/canned-responses",
            &t.token,
            json!({"shortcut": "/Hello", "scope": "tenant",
                   "text": "Hi {visitor.first_name}, {agent.display_name} here. Your email: {visitor.email}{visitor.company}"}),
        )
        .await;
    assert_eq!(tenant_wide.status, 201, "{}", tenant_wide.text);
    assert_eq!(tenant_wide.body["shortcut"], "hello");
    assert_eq!(tenant_wide.body["scope"], "tenant");
    let mine = app
        .post(
            "/api/v1/canned-responses",
            &agent,
            json!({"shortcut": "bye", "text": "Bye {visitor.name}!"}),
        )
        .await;
    assert_eq!(mine.status, 201, "{}", mine.text);
    assert_eq!(mine.body["scope"], "personal");
    // The same shortcut in the other scope is fine; twice in one scope is a conflict.
    let r = app
        .post(
            "/api/v1/canned-responses",
            &agent,
            json!({"shortcut": "hello", "text": "My own hello"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = app
        .post(
            "/api/v1/canned-responses",
            &t.token,
            json!({"shortcut": "HELLO", "text": "again", "scope": "tenant"}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.body["field"], "shortcut", "{}", r.text);

    // Refused with the field named, nothing stored.
    for (who, body, status, field) in [
        (
            &agent,
            json!({"shortcut": "x", "text": "t", "scope": "tenant"}),
            403,
            None,
        ),
        (
            &agent,
            json!({"shortcut": "two words", "text": "t"}),
            422,
            Some("shortcut"),
        ),
        (
            &agent,
            json!({"shortcut": "ok", "text": "Hi {visitor.firstname}"}),
            422,
            Some("text"),
        ),
        (
            &agent,
            json!({"shortcut": "ok", "text": "  "}),
            422,
            Some("text"),
        ),
        (
            &agent,
            json!({"shortcut": "ok", "text": "t", "scope": "team"}),
            422,
            Some("scope"),
        ),
    ] {
        let r = app
            .post("/api/v1/canned-responses", who, body.clone())
            .await;
        assert_eq!(r.status, status, "{body}: {}", r.text);
        if let Some(f) = field {
            assert_eq!(r.body["field"], f, "{}", r.text);
        }
    }

    // The agent's list: the tenant's and theirs, filled for the chat.
    let list = app
        .get(
            &format!("/api/v1/canned-responses?conversation_id={id}"),
            &agent,
        )
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{}", list.text);
    let tenant_item = items.iter().find(|i| i["scope"] == "tenant").unwrap();
    assert_eq!(
        tenant_item["filled_text"],
        "Hi Ada, agent0 here. Your email: ada@example.com"
    );
    let bye = items.iter().find(|i| i["shortcut"] == "bye").unwrap();
    assert_eq!(bye["filled_text"], "Bye Ada!");
    // Without a conversation: the texts as written.
    let plain = app.get("/api/v1/canned-responses", &agent).await;
    assert!(
        plain.body["items"][0]
            .get("filled_text")
            .is_none_or(Value::is_null)
    );

    // Another agent sees the tenant's only, cannot change it nor touch the first agent's.
    app.create_user(&t, "second@canned.example.com", "agent")
        .await;
    let second = app.user_token(&t, "second@canned.example.com").await;
    let theirs = app.get("/api/v1/canned-responses", &second).await;
    assert_eq!(
        theirs.body["items"].as_array().unwrap().len(),
        1,
        "{}",
        theirs.text
    );
    let tenant_id = tenant_wide.id();
    let r = app
        .patch(
            &format!("/api/v1/canned-responses/{tenant_id}"),
            &second,
            json!({"text": "changed"}),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    let r = app
        .delete(&format!("/api/v1/canned-responses/{}", mine.id()), &second)
        .await;
    assert_eq!(r.status, 404, "{}", r.text);
    // A chat the caller may not read is not filled for them.
    let r = app
        .get(
            &format!("/api/v1/canned-responses?conversation_id={id}"),
            &second,
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.text);

    // Changes: the admin edits the tenant's, the agent deletes their own.
    let r = app
        .patch(
            &format!("/api/v1/canned-responses/{tenant_id}"),
            &t.token,
            json!({"shortcut": "hi"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["shortcut"], "hi");
    assert!(
        r.body["text"]
            .as_str()
            .unwrap()
            .starts_with("Hi {visitor.first_name}")
    );
    let r = app
        .delete(&format!("/api/v1/canned-responses/{}", mine.id()), &agent)
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let list = app.get("/api/v1/canned-responses", &agent).await;
    let shortcuts: Vec<&str> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["shortcut"].as_str().unwrap())
        .collect();
    assert_eq!(shortcuts, ["hello", "hi"], "{}", list.text);
    // The tenant's changes are in the audit log.
    let audit = app.get("/api/v1/audit-log", &t.token).await;
    assert!(
        audit.text.contains("canned_response.created"),
        "{}",
        audit.text
    );
    assert!(
        audit.text.contains("canned_response.updated"),
        "{}",
        audit.text
    );
}

#[tokio::test]
async fn the_visitor_rates_an_ended_chat_once() {
    let app = spawn_app().await;
    let (t, (_, agent), id, visitor) = live_chat(&app, "rating").await;
    let rate = |body: Value| {
        let (app, id, visitor) = (&app, id.clone(), visitor.clone());
        async move {
            app.post(
                &format!("/api/v1/widget/conversations/{id}/rating"),
                &visitor,
                body,
            )
            .await
        }
    };
    // Not before the end.
    let r = rate(json!({"score": 5})).await;
    assert_eq!(r.status, 409, "{}", r.text);
    let r = app
        .post(
            &format!("/api/v1/conversations/{id}/end"),
            &agent,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    for (body, status) in [
        (json!({"score": 0}), 422),
        (json!({"score": 6}), 422),
        (json!({"score": "5"}), 400),
        (json!({"score": 4, "comment": "x".repeat(2001)}), 422),
    ] {
        let r = rate(body.clone()).await;
        assert!(
            r.status == status || (status == 422 && r.status == 400),
            "{body}: {} {}",
            r.status,
            r.text
        );
    }
    let r = rate(json!({"score": 4, "comment": "Quick and clear, thanks"})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["score"], 4);
    // Once.
    let r = rate(json!({"score": 1})).await;
    assert_eq!(r.status, 409, "{}", r.text);
    // The admin and the agent read it on the conversation.
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &t.token)
        .await;
    assert_eq!(c.body["rating"]["score"], 4, "{}", c.text);
    assert_eq!(c.body["rating"]["comment"], "Quick and clear, thanks");
    // Another visitor's token cannot rate it.
    let r = app
        .post(
            &format!("/api/v1/widget/conversations/{id}/rating"),
            "sbv_not-a-token",
            json!({"score": 1}),
        )
        .await;
    assert!(r.status == 401 || r.status == 404, "{}", r.text);
}

/// Files and messages stored for the tenant.
async fn stored_files(app: &TestApp, t: &crate::helpers::Tenant) -> (u64, u64) {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use switchboard_store::{attachments, messages};
    let db = app.service.db();
    let tenant = uuid::Uuid::parse_str(&t.id).unwrap();
    (
        attachments::Entity::find()
            .filter(attachments::Column::TenantId.eq(tenant))
            .count(db)
            .await
            .unwrap(),
        messages::Entity::find()
            .filter(messages::Column::TenantId.eq(tenant))
            .count(db)
            .await
            .unwrap(),
    )
}

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

#[tokio::test]
async fn files_go_both_ways_checked_by_their_bytes_and_served_so_they_never_run() {
    let app = spawn_app().await;
    let (t, (_, agent), id, visitor) = live_chat(&app, "files").await;
    let mut widget = Ws::open(&app.base, "visitor", &visitor).await;
    assert_eq!(widget.next().await["type"], "hello");
    let png = crate::helpers::tiny_png();

    // The agent sends an image: a message carrying it, which the visitor's socket shows.
    let sent = app
        .upload(
            &format!("/api/v1/conversations/{id}/attachments"),
            &agent,
            "floor plan.png",
            &png,
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.text);
    let file = sent.body["attachment"].clone();
    assert_eq!(file["content_type"], "image/png");
    assert_eq!(file["name"], "floor plan.png");
    assert_eq!(file["size"], png.len());
    assert_eq!(sent.body["body"], "floor plan.png");
    let got = widget.until("message").await;
    assert_eq!(got["attachment"]["id"], file["id"], "{got}");
    let file_id = file["id"].as_str().unwrap();

    // The visitor reads it with their token; the agent and the admin with theirs.
    for token in [&visitor, &agent, &t.token] {
        let r = app
            .client
            .get(app.url(&format!("/api/v1/attachments/{file_id}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let h = r.headers().clone();
        assert_eq!(h["content-type"], "image/png");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(
            h["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("inline;")
        );
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("sandbox")
        );
        assert_eq!(r.bytes().await.unwrap().to_vec(), png);
    }

    // The visitor sends a PDF: offered as a download, never shown in place.
    let sent = app
        .upload(
            &format!("/api/v1/widget/conversations/{id}/attachments"),
            &visitor,
            "Devis été.pdf",
            PDF,
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.text);
    assert_eq!(sent.body["sender"], "visitor");
    let pdf_id = sent.body["attachment"]["id"].as_str().unwrap().to_owned();
    let r = app
        .client
        .get(app.url(&format!("/api/v1/attachments/{pdf_id}")))
        .bearer_auth(&agent)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"Devis _t_.pdf\"; filename*=UTF-8''Devis%20%C3%A9t%C3%A9.pdf"
    );

    // Strangers read nothing: another agent of the tenant, another tenant, no token.
    app.create_user(&t, "other@files.example.com", "agent")
        .await;
    let other = app.user_token(&t, "other@files.example.com").await;
    let elsewhere = app.create_tenant("files-other").await;
    for token in [
        other.as_str(),
        elsewhere.token.as_str(),
        "sbv_not-a-visitor",
    ] {
        let r = app
            .get(&format!("/api/v1/attachments/{file_id}"), token)
            .await;
        assert!(
            r.status == 404 || r.status == 401,
            "{}: {}",
            r.status,
            r.text
        );
    }
    let r = app
        .client
        .get(app.url(&format!("/api/v1/attachments/{file_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // Bad files are refused with a message and nothing is stored.
    let before = stored_files(&app, &t).await;
    assert_eq!(before.0, 2);
    let html = b"<html><body><script>alert(document.cookie)</script></body></html>";
    let mut too_big = png.clone();
    too_big.resize(10 * 1024 * 1024 + 1, 0);
    let cases: [(&str, &[u8], &str); 5] = [
        (
            "page.png",
            html,
            "only PNG, JPEG, GIF and WebP images and PDF documents",
        ),
        ("huge.png", &too_big, "larger than 10 MiB"),
        ("<script>alert(1)</script>.png", &png, "may not contain"),
        (
            "invoice.pdf",
            &png,
            "named .pdf but its content is image/png",
        ),
        ("empty.png", b"", "empty"),
    ];
    for (name, bytes, says) in cases {
        for (path, token) in [
            (format!("/api/v1/conversations/{id}/attachments"), &agent),
            (
                format!("/api/v1/widget/conversations/{id}/attachments"),
                &visitor,
            ),
        ] {
            let r = app.upload(&path, token, name, bytes).await;
            assert!(
                r.status == 422 || r.status == 413,
                "{name}: {} {}",
                r.status,
                r.text
            );
            if r.status == 422 {
                assert_eq!(r.body["field"], "file", "{}", r.text);
                assert!(r.text.contains(says), "{name}: {}", r.text);
            }
        }
    }
    // Not a file at all, and a chat that is over.
    let r = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/conversations/{id}/attachments"),
            Some(&agent),
            Some(json!({"file": "x"})),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.text);
    assert_eq!(stored_files(&app, &t).await, before);
    let r = app
        .post(
            &format!("/api/v1/conversations/{id}/end"),
            &agent,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let r = app
        .upload(
            &format!("/api/v1/widget/conversations/{id}/attachments"),
            &visitor,
            "late.png",
            &png,
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(stored_files(&app, &t).await.0, before.0);
    // Erasing the visitor takes their files with them.
    let r = app
        .delete("/api/v1/privacy/visitors?email=ada@example.com", &t.token)
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    assert_eq!(stored_files(&app, &t).await.0, 0);
}

#[tokio::test]
async fn the_visitor_gets_the_transcript_by_email_once_without_the_notes() {
    let port = crate::helpers::free_port();
    let dir = tempfile::tempdir().unwrap();
    let sink = crate::helpers::smtp::SmtpSink::start(port, dir.path());
    let app = crate::helpers::spawn_app_with(move |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.mail_retry_seconds = 1;
    })
    .await;
    let (t, (_, agent), id, visitor) = live_chat(&app, "mailed").await;
    for (path, body) in [
        (
            format!("/api/v1/conversations/{id}/messages"),
            "Our annual plan is 20% off <b>today</b>",
        ),
        (
            format!("/api/v1/conversations/{id}/notes"),
            "Internal: she asked for a discount",
        ),
    ] {
        let r = app.post(&path, &agent, json!({"body": body})).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let r = app
        .post(
            &format!("/api/v1/conversations/{id}/end"),
            &agent,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let path = format!("/api/v1/widget/conversations/{id}/transcript");
    let r = app.post(&path, &visitor, json!({})).await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(r.body["to"], "ada@example.com");
    // Once.
    let again = app.post(&path, &visitor, json!({})).await;
    assert_eq!(again.status, 409, "{}", again.text);
    let mails = sink.wait_for(1, Duration::from_secs(20)).await;
    let m = mails
        .iter()
        .find(|m| m["rcpt_tos"] == json!(["ada@example.com"]))
        .expect("the transcript email");
    let text = m["text"].as_str().unwrap();
    assert!(
        text.contains("Our annual plan is 20% off <b>today</b>"),
        "{text}"
    );
    assert!(text.contains("Talk to sales?"), "{text}");
    assert!(!text.contains("discount"), "{text}");
    let html = m["html"].as_str().unwrap_or_default();
    assert!(!html.contains("<b>today"), "escaped in HTML: {html}");
    assert!(!html.contains("discount"), "{html}");
    // Nobody else's token, and a chat without an email address: refused.
    let r = app.post(&path, "sbv_not-a-token", json!({})).await;
    assert!(r.status == 401 || r.status == 404, "{}", r.text);
    let key = crate::helpers::widget::publish(
        &app,
        &t,
        json!({"name": "Straight", "cards": [{"id": "connect", "kind": "live_chat", "routing": {"mode": "round_robin"}}]}),
    )
    .await;
    let s = crate::helpers::widget::start_session(&app, json!({"widget_key": key}), None).await;
    assert_eq!(s.status, 200, "{}", s.text);
    let other = s.body["conversation_id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/v1/widget/conversations/{other}/transcript"),
            s.body["visitor_token"].as_str().unwrap(),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.body["field"], "email", "{}", r.text);
}

#[tokio::test]
async fn agents_see_the_pages_the_visitor_visits_during_the_chat() {
    let app = spawn_app().await;
    let (t, (_, agent), id, visitor) = live_chat(&app, "pages").await;
    let key = app.get("/api/v1/settings", &t.token).await.body["widget_key"]
        .as_str()
        .unwrap()
        .to_owned();
    for page in [
        "https://shop.example.com/pricing",
        "https://shop.example.com/pricing",
        "https://shop.example.com/checkout",
    ] {
        let s = crate::helpers::widget::start_session(
            &app,
            json!({"widget_key": key, "visitor_token": visitor, "page_url": page}),
            None,
        )
        .await;
        assert_eq!(s.status, 200, "{}", s.text);
        assert_eq!(s.body["conversation_id"], id.as_str());
    }
    let c = app
        .get(&format!("/api/v1/conversations/{id}"), &agent)
        .await;
    let pages: Vec<&str> = c.body["visitor"]["pages"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", c.text))
        .iter()
        .map(|p| p["url"].as_str().unwrap_or("(start)"))
        .collect();
    // Where the chat started, then each new page once, the latest last.
    assert_eq!(
        &pages[pages.len() - 2..],
        [
            "https://shop.example.com/pricing",
            "https://shop.example.com/checkout"
        ],
        "{}",
        c.text
    );
    assert_eq!(
        c.body["visitor"]["page_url"],
        "https://shop.example.com/checkout"
    );
}
