//! The agent's inbox under a full day's load (not a test), issue 16: two `switchboard`
//! release processes on PostgreSQL and Redis, one agent holding 10 live chats of 1,000
//! messages each. Measured in headless Chromium: the time to open the inbox until every chat
//! is listed and the open one's transcript is drawn, and the time to switch chats (click to
//! the next frame with the other transcript drawn). Then attachment throughput: 10 MiB files
//! uploaded and downloaded one after another.
//!
//! cargo bench --bench inbox -- [messages per chat] [files]
//! Needs PostgreSQL (SWITCHBOARD_TEST_PG_URL), Redis (SWITCHBOARD_TEST_REDIS_URL), chromium
//! and chromedriver (CHROMEDRIVER, CHROMIUM to override).

// A benchmark harness: a failed unwrap ends the run, which is what it should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/args.rs"]
mod args;
#[path = "support/cluster.rs"]
mod cluster;
#[path = "../tests/support/pg.rs"]
mod pg;
#[path = "../tests/support/process.rs"]
mod process;

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cluster::{Bench, PASSWORD, percentile, post};
use fantoccini::{ClientBuilder, Locator};
use serde_json::{Value, json};

const CHATS: usize = 10;

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let a = args::args();
    let per_chat: usize = args::number(&a, 0, 1000);
    let files: usize = args::number(&a, 1, 20);
    let bench = Bench::start(
        1,
        json!({"max_chats_per_agent": 20, "accept_timeout_seconds": 600}),
        json!({"name": "Straight", "cards": [
            {"id": "connect", "kind": "live_chat", "routing": {"mode": "round_robin"}}]}),
    )
    .await;
    let (_, agent) = bench.agents[0].clone();

    // Ten live chats, each filled with visitor and agent messages in turn.
    let mut chats = Vec::new();
    for _ in 0..CHATS {
        let s = post(
            &bench.client,
            bench.api(0, "/widget/sessions"),
            None,
            json!({"widget_key": bench.key}),
        )
        .await;
        let id = s["conversation_id"].as_str().unwrap().to_owned();
        let c = bench
            .get(0, &format!("/conversations/{id}"), &bench.owner)
            .await;
        let offer = c["trace"]["offers"][0]["offer_id"].as_str().unwrap();
        post(
            &bench.client,
            bench.api(1, &format!("/offers/{offer}/accept")),
            Some(&agent),
            json!({}),
        )
        .await;
        chats.push((id, s["visitor_token"].as_str().unwrap().to_owned()));
    }
    let filling = Instant::now();
    let tasks: Vec<_> = chats
        .iter()
        .enumerate()
        .map(|(c, (id, visitor))| {
            let (client, agent, id, visitor) = (
                bench.client.clone(),
                agent.clone(),
                id.clone(),
                visitor.clone(),
            );
            let urls = bench.urls.clone();
            tokio::spawn(async move {
                for i in 0..per_chat {
                    let (path, token) = if i % 2 == 0 {
                        (format!("/widget/conversations/{id}/messages"), &visitor)
                    } else {
                        (format!("/conversations/{id}/messages"), &agent)
                    };
                    let body = format!(
                        "Message {i} of chat {c}: about the annual plan, seats and onboarding."
                    );
                    post(
                        &client,
                        format!("{}/api/v1{path}", urls[i % 2]),
                        Some(token),
                        json!({"body": body}),
                    )
                    .await;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    println!(
        "filled {CHATS} chats x {per_chat} messages in {:.1} s",
        filling.elapsed().as_secs_f64()
    );

    // The browser.
    let driver_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let mut driver = Command::new(driver_bin)
        .arg(format!("--port={driver_port}"))
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver");
    let status = format!("http://127.0.0.1:{driver_port}/status");
    while reqwest::get(&status).await.is_err() {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile = tempfile::tempdir().unwrap();
    let mut options = json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--window-size=1366,900", "--mute-audio",
        format!("--user-data-dir={}", profile.path().display())]});
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if std::path::Path::new(&chromium).exists() {
        options["binary"] = json!(chromium);
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    let browser = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("a Chromium session");
    let base = &bench.urls[0];
    browser
        .goto(&format!("{base}/console/login"))
        .await
        .unwrap();
    for (css, value) in [
        ("#tenant", "bench"),
        ("#email", "agent0@bench.example.com"),
        ("#password", PASSWORD),
    ] {
        browser
            .find(Locator::Css(css))
            .await
            .unwrap()
            .send_keys(value)
            .await
            .unwrap();
    }
    browser
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Every chat listed and the open one drawn, in ms since the page's navigation started.
    let last = per_chat - 1;
    let ready = format!(
        "const done = arguments[arguments.length - 1];
         const check = () => {{
           const listed = document.querySelectorAll('#sb-live li').length;
           // The open chat draws its last 100 messages: done when its last one is there.
           const drawn = Array.from(document.querySelectorAll('#sb-messages li.msg'));
           const last = drawn.length && drawn[drawn.length - 1].textContent.includes('Message {last} of chat');
           if (listed === {CHATS} && last) requestAnimationFrame(() => done(performance.now()));
           else setTimeout(check, 2);
         }};
         check();"
    );
    let mut opens = Vec::new();
    for _ in 0..5 {
        browser.goto(&format!("{base}/inbox")).await.unwrap();
        let ms = browser.execute_async(&ready, vec![]).await.unwrap();
        opens.push(Duration::from_secs_f64(ms.as_f64().unwrap() / 1000.0));
    }
    opens.sort();
    // Switching: a click on chat `i`, until the next frame with its transcript drawn.
    let switch = "const [i, done] = arguments;
        const link = document.querySelectorAll('#sb-live .chat-link')[i];
        const t0 = performance.now();
        link.click();
        const check = () => {
          if (link.getAttribute('aria-current') === 'true' && document.querySelectorAll('#sb-messages li').length > 0)
            requestAnimationFrame(() => done(performance.now() - t0));
          else setTimeout(check, 1);
        };
        check();";
    let mut switches = Vec::new();
    for round in 0..5 {
        for i in 0..CHATS {
            let ms = browser
                .execute_async(switch, vec![json!((i + round) % CHATS)])
                .await
                .unwrap();
            switches.push(Duration::from_secs_f64(ms.as_f64().unwrap() / 1000.0));
        }
    }
    switches.sort();
    println!(
        "inbox with {CHATS} chats x {per_chat} messages: open p50 {:.0} ms, max {:.0} ms ({} opens); switch p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} switches)",
        percentile(&opens, 0.5).as_secs_f64() * 1000.0,
        opens.last().unwrap().as_secs_f64() * 1000.0,
        opens.len(),
        percentile(&switches, 0.5).as_secs_f64() * 1000.0,
        percentile(&switches, 0.99).as_secs_f64() * 1000.0,
        switches.last().unwrap().as_secs_f64() * 1000.0,
        switches.len()
    );
    let _ = browser.close().await;
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", driver.id())])
        .status();
    let _ = driver.wait();

    // Attachments: 10 MiB PDFs up, then down, one after another.
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.resize(10 * 1024 * 1024, b'x');
    let (id, _) = &chats[0];
    let mut ids = Vec::new();
    let up = Instant::now();
    for i in 0..files {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(pdf.clone()).file_name(format!("quote-{i}.pdf")),
        );
        let r = bench
            .client
            .post(bench.api(i, &format!("/conversations/{id}/attachments")))
            .bearer_auth(&agent)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let m: Value = r.json().await.unwrap();
        ids.push(m["attachment"]["id"].as_str().unwrap().to_owned());
    }
    let up = up.elapsed();
    let down = Instant::now();
    for (i, file) in ids.iter().enumerate() {
        let bytes = bench
            .client
            .get(bench.api(i + 1, &format!("/attachments/{file}")))
            .bearer_auth(&agent)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(bytes.len(), pdf.len());
    }
    let down = down.elapsed();
    let mib = (files * 10) as f64;
    println!(
        "attachments: {files} x 10 MiB uploaded at {:.0} MiB/s ({:.0} ms each), downloaded at {:.0} MiB/s ({:.0} ms each)",
        mib / up.as_secs_f64(),
        up.as_secs_f64() * 1000.0 / files as f64,
        mib / down.as_secs_f64(),
        down.as_secs_f64() * 1000.0 / files as f64
    );
}
