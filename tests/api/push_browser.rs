//! Browser notifications in headless Chromium (SPEC §6): the inbox asks for them with its
//! banner, registers the service worker (`/sw.js`), and the service worker shows the offer
//! the server pushed — the very payload the server sent to a push service, decrypted there
//! and delivered to the worker through DevTools (`ServiceWorker.deliverPushMessage`), since
//! no real push service is reachable offline.

use std::time::{Duration, Instant};

use fantoccini::Client;
use serde_json::{Value, json};

use crate::helpers::agents::available_agents;
use crate::helpers::browser::{click, console_login, screenshot, start_browser, until};
use crate::helpers::cdp::Cdp;
use crate::helpers::push::{Browser, subscribe};
use crate::helpers::receiver::{receiver_by_path, wait_for};
use crate::helpers::spawn_app_with;
use crate::helpers::widget::{publish, sales_dialogue, walk_to_live_chat};

/// Runs `script` (its last statement calls `done(value)`) in the page and returns the value.
async fn run_async(browser: &Client, script: &str) -> Value {
    browser
        .execute_async(
            &format!("const done = arguments[arguments.length - 1]; {script}"),
            vec![],
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn the_inbox_asks_for_notifications_and_its_service_worker_shows_a_pushed_offer() {
    let app = spawn_app_with(|c| c.push_allow_private = true).await;
    let (push_service, got) = receiver_by_path(|_| 201).await;
    let t = app.create_tenant("notified").await;
    let (_, agent) = available_agents(&app, &t, 1).await.remove(0);
    // The agent's phone, say: a subscription on the test push service.
    let phone = Browser::new();
    let r = subscribe(
        &app,
        &agent,
        phone.subscription(&format!("{push_service}/phone")),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text);

    // A visitor asks while no inbox is open: the offer goes to the push service.
    let key = publish(&app, &t, sales_dialogue(json!({"mode": "round_robin"}))).await;
    let waiting = walk_to_live_chat(&app, &key, Some("FR")).await;
    let conversation = waiting.body["conversation_id"].as_str().unwrap().to_owned();
    let pushed = wait_for(&got, 1, Duration::from_secs(10)).await;
    let payload = String::from_utf8(phone.decrypt(&pushed[0].body)).unwrap();

    // The agent opens the inbox in Chromium: the banner asks for notifications. (The
    // browser has granted them already, as the agent would in its prompt: the banner stays
    // until this browser's subscription is stored.)
    let (_driver, browser) = start_browser().await;
    let mut cdp = Cdp::connect(&browser).await;
    cdp.call(
        None,
        "Browser.grantPermissions",
        json!({"permissions": ["notifications"], "origin": app.base}),
    )
    .await;
    let email = format!("agent0@{}.example.com", t.slug);
    console_login(&browser, &app.base, &t.slug, &email).await;
    until(
        &browser,
        "the notifications banner",
        "document.getElementById('sb-push-banner') && !document.getElementById('sb-push-banner').hidden && document.getElementById('sb-push-text').textContent",
    )
    .await;
    let text = browser
        .execute(
            "return document.getElementById('sb-push-banner').innerText",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        text.as_str()
            .unwrap()
            .contains("Enable browser notifications to receive live chat notifications")
            && text.as_str().unwrap().contains("Enable"),
        "{text}"
    );
    screenshot(&browser, "inbox-push-banner").await;

    // The service worker is registered and active.
    let scope = run_async(
        &browser,
        "navigator.serviceWorker.ready.then(r => done(r.scope), e => done('failed: ' + e));",
    )
    .await;
    assert_eq!(scope, format!("{}/", app.base).as_str());

    // The push arrives at the worker, which shows it.
    let targets = cdp.call(None, "Target.getTargets", json!({})).await;
    let page = targets["targetInfos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["type"] == "page" && t["url"].as_str().unwrap().contains("/inbox"))
        .unwrap_or_else(|| panic!("the inbox page among {targets}"))["targetId"]
        .clone();
    let attached = cdp
        .call(
            None,
            "Target.attachToTarget",
            json!({"targetId": page, "flatten": true}),
        )
        .await;
    let session = attached["sessionId"].as_str().unwrap().to_owned();
    cdp.call(Some(&session), "ServiceWorker.enable", json!({}))
        .await;
    let origin = app.base.clone();
    let update = cdp
        .event(
            "the service worker's registration",
            Duration::from_secs(10),
            |e| {
                e["method"] == "ServiceWorker.workerRegistrationUpdated"
                    && e["params"]["registrations"].as_array().is_some_and(|r| {
                        r.iter().any(|r| {
                            r["scopeURL"]
                                .as_str()
                                .is_some_and(|s| s.starts_with(&origin))
                        })
                    })
            },
        )
        .await;
    let registration = update["params"]["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["isDeleted"] == false)
        .unwrap()["registrationId"]
        .clone();
    // What the worker asks the browser to show is recorded by a spy put into the worker
    // through DevTools (it calls the real `showNotification` too). Headless Chromium does
    // not always keep a shown notification where `getNotifications()` finds it, so the spy,
    // not that list, is what is checked.
    let targets = cdp.call(None, "Target.getTargets", json!({})).await;
    let worker = targets["targetInfos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["type"] == "service_worker"
                && t["url"].as_str().is_some_and(|u| u.ends_with("/sw.js"))
        })
        .unwrap_or_else(|| panic!("the service worker among {targets}"))["targetId"]
        .clone();
    let attached = cdp
        .call(
            None,
            "Target.attachToTarget",
            json!({"targetId": worker, "flatten": true}),
        )
        .await;
    let in_worker = attached["sessionId"].as_str().unwrap().to_owned();
    let spy = "(() => { const real = self.registration.showNotification.bind(self.registration); \
        self.shownForTest = []; \
        self.registration.showNotification = (title, o) => { self.shownForTest.push({title, body: o.body, tag: o.tag, url: o.data && o.data.url, requireInteraction: o.requireInteraction}); return real(title, o); }; \
        return true; })()";
    let r = cdp
        .call(
            Some(&in_worker),
            "Runtime.evaluate",
            json!({"expression": spy, "returnByValue": true}),
        )
        .await;
    assert_eq!(r["result"]["value"], true, "{r}");
    cdp.call(
        Some(&session),
        "ServiceWorker.deliverPushMessage",
        json!({"origin": app.base, "registrationId": registration, "data": payload}),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let shown = loop {
        let r = cdp
            .call(
                Some(&in_worker),
                "Runtime.evaluate",
                json!({"expression": "JSON.stringify(self.shownForTest)", "returnByValue": true}),
            )
            .await;
        let shown: Value =
            serde_json::from_str(r["result"]["value"].as_str().unwrap_or("[]")).unwrap();
        if shown.as_array().is_some_and(|a| !a.is_empty()) {
            break shown;
        }
        assert!(Instant::now() < deadline, "no notification shown: {r}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let n = &shown[0];
    assert_eq!(n["title"], "New live chat request", "{shown}");
    assert_eq!(
        n["body"], "Ada wants to talk to you. Accept before it expires.",
        "{shown}"
    );
    let url = format!("/inbox?conversation={conversation}");
    assert_eq!(n["url"], url.as_str(), "{shown}");
    assert_eq!(n["requireInteraction"], true, "{shown}");
    assert_eq!(
        n["tag"],
        format!(
            "offer-{}",
            serde_json::from_str::<Value>(&payload).unwrap()["offer_id"]
                .as_str()
                .unwrap()
        )
        .as_str()
    );

    // What a click opens: the inbox on that conversation, its offer ready to accept.
    browser.goto(&app.url(&url)).await.unwrap();
    until(
        &browser,
        "the offer's Accept button to have the focus",
        "document.activeElement && document.activeElement.classList.contains('accept')",
    )
    .await;
    screenshot(&browser, "inbox-from-notification").await;

    // Enable, with permission granted: the browser asks its push service for a subscription.
    // Offline, Chromium's own push service cannot be reached; then the banner stays, with
    // the reason, and nothing is stored. (Online, the subscription is stored and the banner
    // goes.) Either way the page and the server agree.
    click(&browser, "#sb-push-enable").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let state = browser
            .execute(
                "return [document.getElementById('sb-push-banner').hidden, document.getElementById('sb-push-error').textContent]",
                vec![],
            )
            .await
            .unwrap();
        let stored = app.get("/api/v1/me", &agent).await.body["push_subscriptions"]
            .as_i64()
            .unwrap();
        if state[0] == true {
            assert_eq!(
                stored, 2,
                "the banner went: this browser's subscription is stored"
            );
            break;
        }
        if let Some(error) = state[1]
            .as_str()
            .filter(|e| !e.is_empty() && !e.starts_with("Asking"))
        {
            assert!(
                error.starts_with("Could not enable notifications"),
                "{error}"
            );
            assert_eq!(stored, 1, "nothing stored for this browser");
            break;
        }
        assert!(Instant::now() < deadline, "Enable did nothing: {state}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    screenshot(&browser, "inbox-push-enable").await;

    // Turning browser notifications off in the inbox saves it and puts the banner away.
    click(&browser, "#sb-browser-on").await;
    until(
        &browser,
        "the preference to be saved",
        "document.getElementById('sb-connection').textContent === 'Preferences saved'",
    )
    .await;
    let me = app.get("/api/v1/me", &agent).await;
    let prefs = &me.body["notification_preferences"];
    assert_eq!(
        (
            &prefs["browser_notifications"],
            &prefs["sound"],
            &prefs["email_missed_chats"]
        ),
        (&json!(false), &json!(true), &json!(true)),
        "{}",
        me.text
    );
    until(
        &browser,
        "the banner to go",
        "document.getElementById('sb-push-banner').hidden",
    )
    .await;
    browser.close().await.unwrap();
}
