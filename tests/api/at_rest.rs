//! Secrets and data at rest, and the API's documentation page (issue 15, SPEC §12.4): the
//! data folder is readable by its owner only (0700) and every file the server writes there
//! (the SQLite database and its WAL, the JWT secret, the VAPID key) 0600 from creation; the
//! documentation page runs only its own inline scripts (a content security policy by hash).

use crate::helpers::browser::{both_widths, start_browser, until};
use crate::helpers::{spawn_app, test_config};

#[cfg(unix)]
#[tokio::test]
async fn the_data_folder_and_every_file_in_it_are_private_from_creation() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut config = test_config(String::new(), data.clone());
    config.database_url = None;
    config.redis_url = None;
    config.jwt_secret = None;
    config.vapid_private_key = None;
    let app = switchboard::app::Application::build(config).await.unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "the data folder");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        names.push(path.file_name().unwrap().to_string_lossy().into_owned());
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
    names.sort();
    for expected in [
        "jwt_secret",
        "switchboard.db",
        "switchboard.db-wal",
        "vapid_private_key",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not in {names:?}"
        );
    }
    drop(app);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_api_docs_run_only_their_own_scripts_and_still_render() {
    let app = spawn_app().await;
    let r = app.client.get(app.url("/api/docs")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let policy = r
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    for directive in [
        "default-src 'none'",
        "frame-ancestors 'none'",
        "connect-src 'self'",
        "script-src 'sha256-",
    ] {
        assert!(
            policy.contains(directive),
            "{directive} missing from {policy}"
        );
    }
    assert!(!policy.contains("script-src 'unsafe-inline'"), "{policy}");

    // Under that policy, the page still shows the API, as served.
    let (_driver, browser) = start_browser().await;
    browser.goto(&app.url("/api/docs")).await.unwrap();
    until(
        &browser,
        "Swagger UI showing the API",
        "document.querySelector('.swagger-ui .info .title') && document.body.innerText.includes('Switchboard API') && document.body.innerText.includes('/auth/logout')",
    )
    .await;
    both_widths(&browser, "api-docs").await;
    browser.close().await.unwrap();
}
