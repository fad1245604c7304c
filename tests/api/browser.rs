//! The console in a real browser: headless Chromium driven through chromedriver. An admin
//! logs in with the form and grants the live-chat permission with its button. Screenshots
//! are kept in `test-artifacts/`. Chromium and chromedriver are installed by scripts/test.sh;
//! when they are missing this test fails (it never skips).

use fantoccini::Locator;

use crate::helpers::browser::{screenshot, start_browser};
use crate::helpers::{ADMIN_PASSWORD, spawn_app};

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

    // Users are under the Team menu.
    browser
        .find(Locator::XPath("//summary[text()='Team']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
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
