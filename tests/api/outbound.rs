//! Outbound calls reach public addresses only (issue 15, point 4): webhook and push targets
//! that are not public are refused as written and as they resolve, and the address checked
//! is the address connected to (a DNS answer that changes between the two cannot slip a call
//! inside).

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;
use switchboard_notify::outbound::{self, Lookup};
use switchboard_notify::webhook::{Attempt, Delivery, deliver};

use crate::helpers::receiver::receiver;
use crate::helpers::spawn_app;

/// Targets no tenant may make Switchboard call: each with what it is.
const FORBIDDEN: &[(&str, &str)] = &[
    ("0.1.2.3", "this network (0/8)"),
    ("0.0.0.0", "unspecified"),
    ("10.0.0.1", "private"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback, far end"),
    ("169.254.169.254", "cloud metadata (link local)"),
    ("172.16.5.4", "private"),
    ("172.31.255.255", "private, far end"),
    ("192.0.0.8", "IETF protocol assignments"),
    ("192.0.2.10", "TEST-NET-1"),
    ("192.88.99.1", "6to4 relay anycast"),
    ("192.168.1.1", "private"),
    ("198.18.0.1", "benchmarking"),
    ("198.19.255.1", "benchmarking, far end"),
    ("198.51.100.7", "TEST-NET-2"),
    ("203.0.113.9", "TEST-NET-3"),
    ("224.0.0.251", "multicast (mDNS)"),
    ("239.255.255.250", "multicast (SSDP)"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "broadcast"),
    ("[::]", "unspecified"),
    ("[::1]", "loopback"),
    ("[::ffff:127.0.0.1]", "IPv4-mapped loopback"),
    ("[::ffff:169.254.169.254]", "IPv4-mapped metadata"),
    ("[::ffff:a00:1]", "IPv4-mapped private, in hex"),
    ("[::127.0.0.1]", "IPv4-compatible (deprecated)"),
    ("[64:ff9b::a9fe:a9fe]", "NAT64 to the metadata address"),
    ("[64:ff9b::7f00:1]", "NAT64 to loopback"),
    ("[64:ff9b:1::1]", "local-use NAT64"),
    ("[100::1]", "discard only"),
    ("[2001::1]", "Teredo"),
    ("[2001:2::1]", "benchmarking"),
    ("[2001:db8::1]", "documentation"),
    ("[2002:7f00:1::]", "6to4 of loopback"),
    ("[2002:a9fe:a9fe::1]", "6to4 of the metadata address"),
    ("[3fff::1]", "documentation (2024)"),
    ("[5f00::1]", "SRv6"),
    ("[fc00::1]", "unique local"),
    ("[fd12:3456::1]", "unique local"),
    ("[fe80::1]", "link local"),
    ("[febf::1]", "link local, far end"),
    ("[fec0::1]", "site local (deprecated)"),
    ("[ff02::1]", "multicast"),
    ("localhost", "the local host by name"),
    ("api.localhost", "a name under localhost"),
];

#[test]
fn every_special_purpose_address_is_refused_and_public_ones_pass() {
    assert!(FORBIDDEN.len() >= 30);
    for (target, what) in FORBIDDEN {
        let url = format!("https://{target}/hook");
        assert!(
            switchboard_notify::webhook::check_url(&url, false).is_err(),
            "{target} ({what}) was accepted"
        );
        // As a name's answer, too.
        if let Ok(ip) = target.trim_matches(['[', ']']).parse::<IpAddr>() {
            assert!(
                outbound::forbidden(ip).is_some(),
                "{ip} ({what}) passes as an answer"
            );
        }
    }
    for public in [
        "https://hooks.example.com/x",
        "https://93.184.216.34/",
        "https://[2606:4700::1111]/",
    ] {
        assert!(
            switchboard_notify::webhook::check_url(public, false).is_ok(),
            "{public}"
        );
    }
}

#[tokio::test]
async fn the_api_refuses_every_forbidden_webhook_and_push_target_and_stores_none() {
    let app = spawn_app().await;
    let t = app.create_tenant("ssrf").await;
    for (target, what) in FORBIDDEN {
        let r = app
            .post(
                "/api/v1/webhooks",
                &t.token,
                json!({"url": format!("https://{target}/hook"), "events": ["conversation.ended"]}),
            )
            .await;
        assert_eq!(r.problem(422)["field"], "url", "{target} ({what})");
        let p = app
            .post(
                "/api/v1/me/push-subscriptions",
                &t.token,
                json!({"endpoint": format!("https://{target}/push"),
                       "keys": {"p256dh": "x", "auth": "y"}}),
            )
            .await;
        assert_eq!(p.status, 422, "{target} ({what}): {}", p.text);
    }
    let listed = app.get("/api/v1/webhooks", &t.token).await;
    assert_eq!(listed.body["items"], json!([]));
}

/// A resolver whose answer changes: `first` for the first lookup, `then` for every other;
/// it counts lookups.
struct Rebinding {
    first: IpAddr,
    then: IpAddr,
    lookups: Arc<AtomicUsize>,
}

impl Lookup for Rebinding {
    fn lookup(
        &self,
        _host: String,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>
    {
        let n = self.lookups.fetch_add(1, Ordering::SeqCst);
        let ip = if n == 0 { self.first } else { self.then };
        Box::pin(async move { Ok(vec![ip]) })
    }
}

async fn attempt(client: &reqwest::Client, url: &str) -> Attempt {
    deliver(
        client,
        &Delivery {
            url,
            secret: "s",
            event: "conversation.ended",
            id: "d1",
            body: "{}",
        },
        false,
        0,
    )
    .await
}

#[tokio::test]
async fn a_dns_answer_that_changes_between_check_and_connect_is_still_refused() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    // A receiver on loopback: what a rebinding attacker would reach.
    let (base, got) = receiver(vec![200, 200, 200]).await;
    let port = base.rsplit(':').next().unwrap();
    let url = format!("http://rebind.attacker.example:{port}/hook");

    // The name first answers a public address (the check passes), then loopback. Checked
    // and connected with one lookup, the call goes to the public address or nowhere.
    let lookups = Arc::new(AtomicUsize::new(0));
    let client = outbound::client(
        "test",
        false,
        Arc::new(Rebinding {
            first: "192.0.3.1".parse().unwrap(),
            then: "127.0.0.1".parse().unwrap(),
            lookups: lookups.clone(),
        }),
    )
    .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(20), attempt(&client, &url))
        .await
        .expect("the attempt ends");
    assert!(matches!(first, Attempt::Failed(_)), "{first:?}");
    assert_eq!(lookups.load(Ordering::SeqCst), 1, "one lookup per attempt");
    // The next attempt resolves again: loopback now, refused before connecting.
    let second = attempt(&client, &url).await;
    match &second {
        Attempt::Failed(why) => assert!(why.contains("public addresses only"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(
        got.lock().unwrap().is_empty(),
        "the loopback receiver was reached"
    );

    // A name answering loopback from the start never gets a call either; with private
    // targets allowed (a test or self-hosted setup) the same name is called.
    let loopback = || {
        Arc::new(Rebinding {
            first: "127.0.0.1".parse().unwrap(),
            then: "127.0.0.1".parse().unwrap(),
            lookups: Arc::new(AtomicUsize::new(0)),
        })
    };
    let refused = attempt(&outbound::client("test", false, loopback()).unwrap(), &url).await;
    assert!(matches!(refused, Attempt::Failed(_)), "{refused:?}");
    assert!(got.lock().unwrap().is_empty());
    let allowed = deliver(
        &outbound::client("test", true, loopback()).unwrap(),
        &Delivery {
            url: &url,
            secret: "s",
            event: "conversation.ended",
            id: "d2",
            body: "{}",
        },
        true,
        0,
    )
    .await;
    assert_eq!(allowed, Attempt::Delivered(200));
    assert_eq!(got.lock().unwrap().len(), 1);
}
