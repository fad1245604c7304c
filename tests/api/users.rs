//! Users, the live-chat permission, avatars, invitations.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{ADMIN_PASSWORD, spawn_app, tiny_png};

#[tokio::test]
async fn admins_grant_and_revoke_the_live_chat_permission_and_it_is_audited() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let id = app.create_user(&a, "agent@acme.example.com", "agent").await;
    let user = app.get(&format!("/api/v1/users/{id}"), &a.token).await;
    assert_eq!(
        user.body["live_chat_permission"], false,
        "not granted by default"
    );

    let granted = app
        .put(
            &format!("/api/v1/users/{id}/live-chat-permission"),
            &a.token,
        )
        .await;
    assert_eq!(
        granted.body["live_chat_permission"], true,
        "{}",
        granted.text
    );
    // Idempotent: granting again changes nothing and logs nothing.
    app.put(
        &format!("/api/v1/users/{id}/live-chat-permission"),
        &a.token,
    )
    .await;
    assert_eq!(
        app.get("/api/v1/usage", &a.token).await.body["live_chat_agents"],
        1
    );
    let revoked = app
        .delete(
            &format!("/api/v1/users/{id}/live-chat-permission"),
            &a.token,
        )
        .await;
    assert_eq!(revoked.body["live_chat_permission"], false);

    let audit = app.get("/api/v1/audit-log", &a.token).await;
    let actions: Vec<_> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        &actions[..3],
        [
            "live_chat_permission.revoked",
            "live_chat_permission.granted",
            "user.created"
        ]
    );
    assert_eq!(audit.body["items"][0]["target"]["id"], id.as_str());
    assert_eq!(
        audit.body["items"][0]["actor"]["label"],
        a.admin_email.as_str()
    );
}

#[tokio::test]
async fn users_are_created_read_updated_and_deleted() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let created = app
        .post("/api/v1/users", &a.token, json!({"email": "  Bo@Acme.example.com ", "display_name": " Bo ", "role": "admin", "password": ADMIN_PASSWORD}))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["email"], "bo@acme.example.com");
    assert_eq!(created.body["display_name"], "Bo");
    assert_eq!(created.body["invitation_url"], serde_json::Value::Null);
    let id = created.id();

    let dup = app.post("/api/v1/users", &a.token, json!({"email": "BO@acme.example.com", "display_name": "Bo", "role": "agent", "password": ADMIN_PASSWORD})).await;
    assert_eq!(dup.problem(409)["field"], "email");

    let updated = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &a.token,
            json!({"display_name": "Bo B.", "role": "agent"}),
        )
        .await;
    assert_eq!(updated.body["display_name"], "Bo B.", "{}", updated.text);
    assert_eq!(updated.body["role"], "agent");
    let new_pw = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &a.token,
            json!({"password": "brand-new-password"}),
        )
        .await;
    assert_eq!(new_pw.status, 200);
    app.login(Some("acme"), "bo@acme.example.com", "brand-new-password")
        .await;
    assert_eq!(
        app.login(Some("acme"), "bo@acme.example.com", "brand-new-password")
            .await
            .status,
        200
    );

    let deleted = app.delete(&format!("/api/v1/users/{id}"), &a.token).await;
    assert_eq!(deleted.status, 204);
    app.get(&format!("/api/v1/users/{id}"), &a.token)
        .await
        .problem(404);
    app.delete(&format!("/api/v1/users/{id}"), &a.token)
        .await
        .problem(404);
}

#[tokio::test]
async fn the_last_owner_is_protected_and_only_owners_manage_owners() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let owner = format!("/api/v1/users/{}", a.admin_id);
    assert_eq!(
        app.patch(&owner, &a.token, json!({"role": "admin"}))
            .await
            .problem(409)["field"],
        "role"
    );
    app.delete(&owner, &a.token).await.problem(409);

    app.create_user(&a, "admin@acme.example.com", "admin").await;
    let admin = app.user_token(&a, "admin@acme.example.com").await;
    app.post("/api/v1/users", &admin, json!({"email": "o2@acme.example.com", "display_name": "O2", "role": "owner", "password": ADMIN_PASSWORD}))
        .await
        .problem(403);
    app.patch(&owner, &admin, json!({"active": false}))
        .await
        .problem(403);
    app.delete(&owner, &admin).await.problem(403);
    let me = app.get("/api/v1/me", &a.token).await;
    assert_eq!(me.body["role"], "owner");
    assert_eq!(me.body["active"], true);
}

#[tokio::test]
async fn an_invited_user_chooses_a_password_through_the_link() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let created = app
        .post(
            "/api/v1/users",
            &a.token,
            json!({"email": "inv@acme.example.com", "display_name": "Inv", "role": "agent"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["has_password"], false);
    let url = created.body["invitation_url"]
        .as_str()
        .expect("invitation url")
        .to_owned();
    let path = url
        .strip_prefix(&app.base)
        .expect("link on this server")
        .to_owned();
    app.login(Some("acme"), "inv@acme.example.com", "chosen-password-1")
        .await
        .problem(401);

    let page = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let short = app
        .client
        .post(app.url(&path))
        .form(&[("password", "short")])
        .send()
        .await
        .unwrap();
    assert_eq!(short.status(), 422);
    assert!(
        short
            .text()
            .await
            .unwrap()
            .contains("at least 10 characters")
    );
    let set = app
        .client
        .post(app.url(&path))
        .form(&[("password", "chosen-password-1")])
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 303);
    assert_eq!(
        app.login(Some("acme"), "inv@acme.example.com", "chosen-password-1")
            .await
            .status,
        200
    );
    // The link works once.
    let again = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(again.status(), 404);
    // Invitations are audited: sent (the user created, invited) and accepted.
    let log = app.get("/api/v1/audit-log", &a.token).await;
    assert!(log.text.contains("\"invited\":true"), "{}", log.text);
    assert!(
        log.text.contains("user.invitation_accepted"),
        "{}",
        log.text
    );
}

#[tokio::test]
async fn avatars_are_checked_by_their_bytes_and_size() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let id = app.create_user(&a, "agent@acme.example.com", "agent").await;
    let path = format!("/api/v1/users/{id}/avatar");
    app.get(&path, &a.token).await.problem(404);

    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
    assert_eq!(
        app.send_raw(Method::PUT, &path, Some(&a.token), "image/png", gif)
            .await
            .problem(422)["field"],
        "avatar"
    );
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".to_vec();
    app.send_raw(Method::PUT, &path, Some(&a.token), "image/png", svg)
        .await
        .problem(422);
    app.send_raw(Method::PUT, &path, Some(&a.token), "text/html", tiny_png())
        .await;
    let mut big = tiny_png();
    big.resize(1024 * 1024 + 1, 0);
    app.send_raw(Method::PUT, &path, Some(&a.token), "image/png", big)
        .await
        .problem(413);
    app.get(&path, &a.token).await.problem(404);

    // The user themselves may set their avatar.
    let agent = app.user_token(&a, "agent@acme.example.com").await;
    let ok = app
        .send_raw(Method::PUT, &path, Some(&agent), "image/png", tiny_png())
        .await;
    assert_eq!(ok.status, 204, "{}", ok.text);
    let got = app
        .client
        .get(app.url(&path))
        .bearer_auth(&a.token)
        .send()
        .await
        .unwrap();
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.bytes().await.unwrap().to_vec(), tiny_png());
    let user = app.get(&format!("/api/v1/users/{id}"), &a.token).await;
    assert_eq!(
        user.body["avatar_url"],
        format!("/api/v1/users/{id}/avatar")
    );
}

#[tokio::test]
async fn lists_are_paginated_without_gaps_or_duplicates() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    for i in 0..5 {
        app.create_user(&a, &format!("u{i}@acme.example.com"), "agent")
            .await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/users?limit=2&cursor={c}"),
            None => "/api/v1/users?limit=2".to_owned(),
        };
        let page = app.get(&path, &a.token).await;
        let items = page.body["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|u| u["id"].as_str().unwrap().to_owned()));
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 6, "five users and the owner");
    let mut dedup = seen.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), 6);
    assert_eq!(
        app.get("/api/v1/users?limit=0", &a.token)
            .await
            .problem(422)["field"],
        "limit"
    );
    assert_eq!(
        app.get("/api/v1/users?cursor=nope", &a.token)
            .await
            .problem(422)["field"],
        "cursor"
    );
}

/// An admin cannot set another admin's password without their own (issue 15): a stolen
/// session or token alone cannot take over another admin account; API keys cannot at all.
/// An agent's password, or one's own, needs nothing more.
#[tokio::test]
async fn setting_another_admins_password_takes_your_own() {
    use crate::helpers::ADMIN_PASSWORD;
    let app = spawn_app().await;
    let a = app.create_tenant("reauth").await;
    let admin = app
        .create_user(&a, "second@reauth.example.com", "admin")
        .await;
    let agent = app
        .create_user(&a, "agent@reauth.example.com", "agent")
        .await;
    let path = format!("/api/v1/users/{admin}");
    let new = json!({"password": "taken-over-password"});
    let p = app.patch(&path, &a.token, new.clone()).await;
    assert!(
        p.problem(403)["detail"]
            .as_str()
            .unwrap()
            .contains("current_password")
    );
    let wrong = app
        .patch(
            &path,
            &a.token,
            json!({"password": "taken-over-password", "current_password": "not-my-password"}),
        )
        .await;
    wrong.problem(403);
    let key = app
        .post("/api/v1/api-keys", &a.token, json!({"name": "ops"}))
        .await;
    let key = key.body["key"].as_str().unwrap().to_owned();
    app.patch(&path, &key, new.clone()).await.problem(403);
    // Nothing changed: the second admin still signs in with their password.
    assert_eq!(
        app.login(Some("reauth"), "second@reauth.example.com", ADMIN_PASSWORD)
            .await
            .status,
        200
    );
    let ok = app
        .patch(
            &path,
            &a.token,
            json!({"password": "a-new-admin-password", "current_password": ADMIN_PASSWORD}),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(
        app.login(
            Some("reauth"),
            "second@reauth.example.com",
            "a-new-admin-password"
        )
        .await
        .status,
        200
    );
    // An agent's password: no re-entry needed.
    let agent_set = app
        .patch(
            &format!("/api/v1/users/{agent}"),
            &a.token,
            json!({"password": "agent-new-password"}),
        )
        .await;
    assert_eq!(agent_set.status, 200, "{}", agent_set.text);
}
