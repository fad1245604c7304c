//! A user sees where they are signed in and ends a session (issue 15, point 3): in the API
//! (`GET /me/sessions`, `DELETE /me/sessions/{id}`) and on the console's account page.

use serde_json::json;

use crate::helpers::console::{csrf, page, post};
use crate::helpers::{ADMIN_PASSWORD, TestApp, spawn_app};

/// A browser with its own `User-Agent`, logged in to the console.
async fn signed_in(app: &TestApp, slug: &str, email: &str, ua: &str) -> reqwest::Client {
    let b = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(ua)
        .build()
        .unwrap();
    let (status, location, _) = post(
        app,
        &b,
        "/console/login",
        &[
            ("tenant", slug),
            ("email", email),
            ("password", ADMIN_PASSWORD),
        ],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/console"));
    b
}

#[tokio::test]
async fn a_user_lists_their_sessions_and_signs_one_out() {
    let app = spawn_app().await;
    let t = app.create_tenant("sessioned").await;
    let laptop = signed_in(
        &app,
        "sessioned",
        &t.admin_email,
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    )
    .await;
    let phone = signed_in(
        &app,
        "sessioned",
        &t.admin_email,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1",
    )
    .await;

    let listed = app.get("/api/v1/me/sessions", &t.token).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    let items = listed.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items[0]["user_agent"].as_str().unwrap().contains("iPhone"));
    assert_eq!(items[0]["ip"], "127.0.0.1");
    let phone_id = items[0]["id"].as_str().unwrap().to_owned();

    // The laptop's account page names both and marks itself.
    let (status, html) = page(&app, &laptop, "/console/account").await;
    assert_eq!(status, 200);
    assert!(html.contains("Firefox on Linux"), "{html}");
    assert!(html.contains("Safari on iPhone"), "{html}");
    assert!(html.contains("this browser"));
    let (status, location, _) = post(
        &app,
        &laptop,
        &format!("/console/account/sessions/{phone_id}/end"),
        &[("csrf", &csrf(&html))],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/console/account?notice=session-ended")
    );
    // The phone is signed out at its next page; the laptop is not.
    let (status, _) = page(&app, &phone, "/console/account").await;
    assert_eq!(status, 303);
    assert_eq!(page(&app, &laptop, "/console/account").await.0, 200);

    // Through the API: another user's session, or an unknown one, is not found.
    let listed = app.get("/api/v1/me/sessions", &t.token).await;
    let laptop_id = listed.body["items"][0]["id"].as_str().unwrap().to_owned();
    app.create_user(&t, "agent@sessioned.example.com", "agent")
        .await;
    let agent = app.user_token(&t, "agent@sessioned.example.com").await;
    app.delete(&format!("/api/v1/me/sessions/{laptop_id}"), &agent)
        .await
        .problem(404);
    app.delete("/api/v1/me/sessions/0000000000000000", &t.token)
        .await
        .problem(404);
    let ended = app
        .delete(&format!("/api/v1/me/sessions/{laptop_id}"), &t.token)
        .await;
    assert_eq!(ended.status, 204, "{}", ended.text);
    assert_eq!(page(&app, &laptop, "/console/account").await.0, 303);
    assert_eq!(
        app.get("/api/v1/me/sessions", &t.token).await.body["items"],
        json!([])
    );
}
