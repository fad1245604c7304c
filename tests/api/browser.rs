//! The console in a real browser: headless Chromium driven through chromedriver. An admin
//! logs in with the form and grants the live-chat permission with its button. Screenshots
//! are kept in `test-artifacts/`. Chromium and chromedriver are installed by scripts/test.sh;
//! when they are missing this test fails (it never skips).

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::{ADMIN_PASSWORD, free_port, spawn_app};

/// A chromedriver process on a free port, killed when dropped.
pub struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    /// Kills chromedriver and the Chromium it started: they share a process group, so a
    /// failed test (which never reaches `close`) leaves no browser running.
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn start_browser() -> (Driver, Client) {
    let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let port = free_port();
    let child = Command::new(&driver_bin)
        .arg(format!("--port={port}"))
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "{driver_bin} is required for the browser tests (scripts/test.sh installs it): {e}"
            )
        });
    let profile = tempfile::tempdir().unwrap();
    let driver = Driver {
        child,
        port,
        _profile: profile,
    };
    let status = format!("http://127.0.0.1:{}/status", driver.port);
    let deadline = Instant::now() + Duration::from_secs(20);
    while reqwest::get(&status).await.is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut caps = serde_json::Map::new();
    let mut options = json!({"args": [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--window-size=1280,900",
        // The inbox's offer sound plays without a click first, and silently.
        "--autoplay-policy=no-user-gesture-required", "--mute-audio",
        format!("--user-data-dir={}", driver._profile.path().display()),
    ]});
    if let Ok(bin) = std::env::var("CHROMIUM") {
        options["binary"] = json!(bin);
    } else if std::path::Path::new("/usr/bin/chromium").exists() {
        options["binary"] = json!("/usr/bin/chromium");
    }
    caps.insert("goog:chromeOptions".into(), options);
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session");
    (driver, client)
}

pub async fn screenshot(client: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    let png = client.screenshot().await.unwrap();
    std::fs::write(
        dir.join(format!("{name}-{}.png", crate::helpers::backend())),
        png,
    )
    .unwrap();
}

#[tokio::test]
async fn an_admin_grants_the_live_chat_permission_in_the_browser() {
    let app = spawn_app().await;
    let a = app.create_tenant("acme").await;
    let agent = app.create_user(&a, "agent@acme.example.com", "agent").await;
    let (_driver, browser) = start_browser().await;

    browser.goto(&app.url("/console/login")).await.unwrap();
    browser
        .find(Locator::Id("tenant"))
        .await
        .unwrap()
        .send_keys("acme")
        .await
        .unwrap();
    browser
        .find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys(&a.admin_email)
        .await
        .unwrap();
    browser
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(ADMIN_PASSWORD)
        .await
        .unwrap();
    screenshot(&browser, "console-login").await;
    browser
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let heading = browser
        .wait()
        .for_element(Locator::XPath("//h1[text()='acme Inc.']"))
        .await
        .unwrap();
    assert_eq!(heading.text().await.unwrap(), "acme Inc.");
    screenshot(&browser, "console-dashboard").await;

    browser
        .find(Locator::LinkText("Users"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let grant = browser
        .wait()
        .for_element(Locator::Css(
            "button[aria-label='Grant live-chat permission to agent']",
        ))
        .await
        .unwrap();
    grant.click().await.unwrap();
    let notice = browser
        .wait()
        .for_element(Locator::Css("p.notice"))
        .await
        .unwrap();
    assert_eq!(
        notice.text().await.unwrap(),
        "Live-chat permission granted."
    );
    browser
        .find(Locator::Css(
            "button[aria-label='Revoke live-chat permission of agent']",
        ))
        .await
        .expect("the toggle now offers to revoke");
    screenshot(&browser, "console-users").await;
    let user = app.get(&format!("/api/v1/users/{agent}"), &a.token).await;
    assert_eq!(user.body["live_chat_permission"], true);

    // The form shows the server's errors beside the field, in the browser too (an address
    // already taken: the browser's own checks cannot know that).
    browser
        .find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys("agent@acme.example.com")
        .await
        .unwrap();
    browser
        .find(Locator::Id("display_name"))
        .await
        .unwrap()
        .send_keys("Zed")
        .await
        .unwrap();
    browser
        .find(Locator::Css(
            "form[aria-labelledby=add-user] button[type=submit]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let error = browser
        .wait()
        .for_element(Locator::Id("email-error"))
        .await
        .unwrap();
    assert_eq!(
        error.text().await.unwrap(),
        "A user with this email already exists"
    );
    screenshot(&browser, "console-users-error").await;
    browser.close().await.unwrap();
}
