//! Headless Chromium for the browser tests: a chromedriver on a free port (killed with its
//! browser when dropped), screenshots kept in `test-artifacts/`, and the few WebDriver steps
//! every browser test takes (wait for a condition, click, type, log in to the console, a
//! shop's page embedding the widget).
//! Chromium and chromedriver are installed by scripts/test.sh; when they are missing the
//! tests fail (they never skip).

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{ADMIN_PASSWORD, backend, free_port};

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
    start_browser_asking(None).await
}

/// A browser whose language is `lang` (`fr`, `en-US`…): it sends it as `Accept-Language`.
pub async fn start_browser_in(lang: &str) -> (Driver, Client) {
    start_browser_asking(Some(lang)).await
}

async fn start_browser_asking(lang: Option<&str>) -> (Driver, Client) {
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
    if let Some(lang) = lang {
        options["args"]
            .as_array_mut()
            .unwrap()
            .push(json!(format!("--lang={lang}")));
        options["prefs"] = json!({"intl.accept_languages": lang});
    }
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
    std::fs::write(dir.join(format!("{name}-{}.png", backend())), png).unwrap();
}

/// Screenshots at a laptop's and a phone's width, then back to the laptop.
pub async fn both_widths(browser: &Client, name: &str) {
    both_widths_at(browser, name, None).await;
}

/// [`both_widths`], with the element `id` (if any) scrolled into view at each width.
pub async fn both_widths_at(browser: &Client, name: &str, id: Option<&str>) {
    for (width, height) in [(1366, 900), (390, 844)] {
        browser.set_window_size(width, height).await.unwrap();
        if let Some(id) = id {
            browser
                .execute(
                    &format!("document.getElementById('{id}').scrollIntoView()"),
                    vec![],
                )
                .await
                .unwrap();
        }
        screenshot(browser, &format!("{name}-{width}")).await;
    }
    browser.set_window_size(1366, 900).await.unwrap();
}

/// Waits until `script` (a JS expression) is truthy in the page; returns its value.
pub async fn until(browser: &Client, what: &str, script: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let v = browser
            .execute(&format!("return ({script});"), vec![])
            .await
            .unwrap();
        if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn click(browser: &Client, css: &str) {
    browser
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

pub async fn type_into(browser: &Client, css: &str, text: &str) {
    let e = browser
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

pub async fn console_login(browser: &Client, base: &str, tenant: &str, email: &str) {
    browser
        .goto(&format!("{base}/console/login"))
        .await
        .unwrap();
    type_into(browser, "#tenant", tenant).await;
    type_into(browser, "#email", email).await;
    type_into(browser, "#password", ADMIN_PASSWORD).await;
    click(browser, "button[type=submit]").await;
}

/// True when the page does not scroll sideways at the window's width (tables scroll inside
/// their own frame).
pub async fn fits_its_width(browser: &Client) -> bool {
    browser
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth + 1",
            vec![],
        )
        .await
        .unwrap()
        == serde_json::json!(true)
}

/// Logs the console's user out (the header's button), then `email` in.
pub async fn log_out_and_in(browser: &Client, base: &str, tenant: &str, email: &str) {
    click(browser, "form.logout button").await;
    until(
        browser,
        "the login page",
        "location.pathname === '/console/login'",
    )
    .await;
    console_login(browser, base, tenant, email).await;
}

/// A shop's page on its own origin, embedding the widget of `server` with `key`.
pub async fn shop_page(server: &str, key: &str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/pricing", listener.local_addr().unwrap());
    let html = format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Shop</title></head>\
         <body><h1>Acme shop</h1><p>Our prices.</p>\
         <script src=\"{server}/widget.js\" data-key=\"{key}\" async></script></body></html>"
    );
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let html = html.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{html}",
                    html.len()
                );
                let _ = socket.write_all(reply.as_bytes()).await;
            });
        }
    });
    url
}

/// The texts of the elements matching `css`.
pub fn texts(css: &str) -> String {
    format!("Array.from(document.querySelectorAll({css:?})).map(e => e.textContent)")
}

/// Drags with the mouse from the element `from` to the element `to` (their centres), as a
/// person pressing, moving and releasing would. Both must be in view.
pub async fn drag(browser: &Client, from: &str, to: &str) {
    use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
    let (from, to) = (
        browser
            .find(Locator::Css(from))
            .await
            .unwrap_or_else(|e| panic!("{from}: {e}")),
        browser
            .find(Locator::Css(to))
            .await
            .unwrap_or_else(|e| panic!("{to}: {e}")),
    );
    let mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: from,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(100)),
            x: 20.0,
            y: 10.0,
        })
        .then(PointerAction::MoveToElement {
            element: to,
            duration: Some(Duration::from_millis(300)),
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    browser.perform_actions(mouse).await.unwrap();
}
