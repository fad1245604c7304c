//! Web Push benchmark (not a test): how many offers one node can push per second, each
//! encrypted for its browser (aes128gcm) and signed (VAPID ES256), to a push service on
//! loopback that answers 201 at once — the server's own cost, without a real push service's
//! latency.
//!
//! cargo bench --bench push -- [pushes] [concurrency]

// A benchmark harness: a failed unwrap ends the run, which is what it should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/args.rs"]
mod args;

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use switchboard_notify::push::{PushOutcome, Subscription, VapidKey, send};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A push service that reads each request and answers 201, keeping connections open.
async fn push_service() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16384];
                let mut pending = Vec::new();
                loop {
                    let Ok(n) = socket.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    pending.extend_from_slice(&buf[..n]);
                    // One request: headers, then content-length bytes.
                    while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&pending[..end]).to_lowercase();
                        let length: usize = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse().ok())
                            .unwrap_or(0);
                        if pending.len() < end + 4 + length {
                            break;
                        }
                        pending.drain(..end + 4 + length);
                        let reply = b"HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n";
                        if socket.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    base
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args = args::args();
    let pushes: usize = args::number(&args, 0, 5000);
    let concurrency: usize = args::number(&args, 1, 32);
    let base = push_service().await;
    let key = Arc::new(VapidKey::generate());
    let browser = VapidKey::generate().public_key();
    let auth = URL_SAFE_NO_PAD.encode([7u8; 16]);
    let client = reqwest::Client::new();
    let payload = br#"{"type":"offer","offer_id":"0190e0e0-0000-7000-8000-000000000000","conversation_id":"0190e0e0-0000-7000-8000-000000000001","expires_at":"2026-12-02T10:00:00Z","visitor":{"country":"FR","captured":{"first_name":"Ada","email":"ada@example.com"}},"title":"New live chat request","body":"Ada wants to talk to you. Accept before it expires.","url":"/inbox?conversation=0190e0e0-0000-7000-8000-000000000001"}"#;

    let started = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (key, client, next, base, browser, auth) = (
            key.clone(),
            client.clone(),
            next.clone(),
            base.clone(),
            browser.clone(),
            auth.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < pushes {
                let endpoint = format!("{base}/push/bench");
                let t = Instant::now();
                let outcome = send(
                    &client,
                    &key,
                    "mailto:ops@example.com",
                    &Subscription {
                        endpoint: &endpoint,
                        p256dh: &browser,
                        auth: &auth,
                    },
                    payload,
                    Duration::from_secs(45),
                    true,
                )
                .await;
                assert_eq!(outcome, PushOutcome::Accepted);
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.expect("worker"));
    }
    let elapsed = started.elapsed();
    all.sort();
    let p = |q: f64| all[((all.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{pushes} pushes, concurrency {concurrency}: {:.0} pushes/s, latency p50 {:.2} ms, p99 {:.2} ms",
        pushes as f64 / elapsed.as_secs_f64(),
        p(0.5).as_secs_f64() * 1000.0,
        p(0.99).as_secs_f64() * 1000.0
    );
}
