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

/// Behind TLS (an https public URL) the session cookie is `__Host-` and `Secure`: no other
/// host or subdomain can set or shadow it. Over plain http it is a plain cookie.
#[tokio::test]
async fn the_session_cookie_is_host_prefixed_and_secure_behind_tls() {
    for (public, expected) in [
        (Some("https://chat.example.com"), "__Host-sb_session="),
        (None, "sb_session="),
    ] {
        let app = crate::helpers::spawn_app_with(move |c| {
            c.public_url = public.map(str::to_owned);
        })
        .await;
        let t = app.create_tenant("cookies").await;
        let b = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = b
            .post(app.url("/console/login"))
            .form(&[
                ("tenant", "cookies"),
                ("email", t.admin_email.as_str()),
                ("password", ADMIN_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let cookie = r
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(cookie.starts_with(expected), "{cookie}");
        assert!(cookie.contains("HttpOnly") && cookie.contains("Path=/"));
        assert!(!cookie.contains("Domain"));
        assert_eq!(cookie.contains("Secure"), public.is_some(), "{cookie}");
        // The cookie signs the browser in (sent back as a browser would over TLS).
        let pair = cookie.split(';').next().unwrap();
        let page = b
            .get(app.url("/console/account"))
            .header("cookie", pair)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200, "{public:?}");
    }
}
