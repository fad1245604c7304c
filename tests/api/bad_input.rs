//! Bad input gets a clear 4xx problem and changes nothing; nothing causes a 500.

use reqwest::Method;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn malformed_bodies_are_refused_with_problems_and_create_nothing() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let t = Some(a.token.as_str());
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("application/json", b"{not json".to_vec(), 400),
        ("application/json", b"".to_vec(), 400),
        ("application/json", br#"{"email": 5, "display_name": "X", "role": "agent"}"#.to_vec(), 400),
        ("application/json", br#"{"email": "x@acme.example.com", "display_name": "X", "role": "agent", "is_admin": true}"#.to_vec(), 400),
        ("application/json", br#"["x@acme.example.com"]"#.to_vec(), 400),
        ("application/json", br#"{"email": "not-an-email", "display_name": "X", "role": "agent"}"#.to_vec(), 422),
        ("application/json", br#"{"email": "x@acme.example.com", "display_name": "", "role": "agent"}"#.to_vec(), 422),
        ("application/json", br#"{"email": "x@acme.example.com", "display_name": "X", "role": "root"}"#.to_vec(), 422),
        ("application/json", br#"{"email": "x@acme.example.com", "display_name": "X", "role": "agent", "password": "short"}"#.to_vec(), 422),
        ("text/plain", br#"{"email": "x@acme.example.com", "display_name": "X", "role": "agent"}"#.to_vec(), 415),
    ];
    for (ct, body, status) in cases {
        let shown = String::from_utf8_lossy(&body).into_owned();
        let r = app
            .send_raw(Method::POST, "/api/v1/users", t, ct, body)
            .await;
        assert_eq!(r.status.as_u16(), status, "{shown}: {}", r.text);
        r.problem(status);
    }
    let field = app
        .send_raw(
            Method::POST,
            "/api/v1/users",
            t,
            "application/json",
            br#"{"email": "not-an-email", "display_name": "X", "role": "agent"}"#.to_vec(),
        )
        .await;
    assert_eq!(field.body["field"], "email");
    let unknown = app.send_raw(Method::POST, "/api/v1/users", t, "application/json",
        br#"{"email": "x@acme.example.com", "display_name": "X", "role": "agent", "is_admin": true}"#.to_vec()).await;
    assert!(
        unknown.body["detail"]
            .as_str()
            .unwrap()
            .contains("is_admin"),
        "{}",
        unknown.text
    );

    let users = app.get("/api/v1/users", &a.token).await;
    assert_eq!(
        users.body["items"].as_array().unwrap().len(),
        1,
        "only the owner"
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_they_are_read() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let name = "x".repeat(1024 * 1024 + 10);
    let body = serde_json::to_vec(&json!({"name": name})).unwrap();
    let r = app
        .send_raw(
            Method::POST,
            "/api/v1/teams",
            Some(&a.token),
            "application/json",
            body,
        )
        .await;
    r.problem(413);
    // Without a declared length (chunked), the limit holds too.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..17).map(|_| Ok(vec![b' '; 64 * 1024])).collect();
    let resp = app
        .client
        .post(app.url("/api/v1/teams"))
        .bearer_auth(&a.token)
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    assert_eq!(
        app.get("/api/v1/teams", &a.token).await.body["items"],
        json!([])
    );
}

#[tokio::test]
async fn bad_ids_and_unknown_paths_are_clear_problems() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let r = app.get("/api/v1/users/not-a-uuid", &a.token).await;
    assert_eq!(r.problem(400)["field"], "id");
    let team = app
        .post("/api/v1/teams", &a.token, json!({"name": "Sales"}))
        .await
        .id();
    let r = app
        .put(
            &format!("/api/v1/teams/{team}/members/not-a-uuid"),
            &a.token,
        )
        .await;
    assert_eq!(r.problem(400)["field"], "user_id");
    app.get(&format!("/api/v1/users/{}", uuid::Uuid::new_v4()), &a.token)
        .await
        .problem(404);
    app.get("/api/v1/no-such-thing", &a.token)
        .await
        .problem(404);
    app.call(
        Method::PUT,
        "/api/v1/users",
        Some(&a.token),
        Some(json!({})),
    )
    .await
    .problem(405);
    // A 405 names the methods the path answers (RFC 9110).
    for (path, allowed) in [
        ("/api/v1/users".to_owned(), "GET, POST"),
        (format!("/api/v1/teams/{team}"), "DELETE, GET, PATCH"),
    ] {
        let r = app
            .client
            .request(Method::TRACE, app.url(&path))
            .bearer_auth(&a.token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 405, "{path}");
        assert_eq!(r.headers()["allow"], allowed, "{path}");
    }
    let long = "é".repeat(300);
    let r = app
        .post("/api/v1/teams", &a.token, json!({"name": long}))
        .await;
    assert_eq!(r.problem(422)["field"], "name");
    let nul = app
        .post("/api/v1/teams", &a.token, json!({"name": "bad\u{0}name"}))
        .await;
    nul.problem(422);
}
