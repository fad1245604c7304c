//! The server-rendered consoles driven as a browser without JavaScript would: a session
//! cookie, forms posted with the page's CSRF token, redirects read rather than followed.

use super::{ADMIN_PASSWORD, TestApp};

/// A browser without JavaScript: it keeps cookies and does not follow redirects (tests read
/// where a form sends them).
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The CSRF token in a page's forms.
pub fn csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a form with a CSRF token") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// GETs `path` with the browser's cookies: the status and the page.
pub async fn page(app: &TestApp, browser: &reqwest::Client, path: &str) -> (u16, String) {
    let resp = browser.get(app.url(path)).send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

/// Posts a form: the status, where it redirects (`Location`, or empty) and the body.
pub async fn post(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String, String) {
    let resp = browser.post(app.url(path)).form(form).send().await.unwrap();
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, location, resp.text().await.unwrap())
}

/// Logs `email` of tenant `slug` in through the login form; the browser now has the session.
pub async fn console_login(app: &TestApp, slug: &str, email: &str) -> reqwest::Client {
    let b = browser();
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
