//! Live-chat socket benchmark (not a test): two `switchboard` release processes on one
//! PostgreSQL database and one Redis. `conversations` live chats, each with its visitor's
//! socket on process A and its agent's socket on process B (so every message crosses Redis
//! pub/sub); each side sends a message every 2 s. Measures delivery latency sender →
//! receiver and sender → acknowledgement (p50/p99), messages per second, and the servers' RSS
//! per idle socket. Then the same load against a minimal echo server on the same WebSocket
//! stack (poem, in its own process: this binary started again), for the ratio.
//!
//! cargo bench --bench sockets -- [conversations, default 2000] [seconds, default 30]
//! Needs PostgreSQL (SWITCHBOARD_TEST_PG_URL) and Redis (SWITCHBOARD_TEST_REDIS_URL).

// A benchmark harness: a failed unwrap ends the run, which is what it should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/args.rs"]
mod args;
#[path = "../tests/support/pg.rs"]
mod pg;
#[path = "../tests/support/process.rs"]
mod process;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use process::{Cluster, Process};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "bench-password-1";
const PUBLIC_URL: &str = "http://switchboard.bench.test";
const SECRET: &str = "bench-secret-bench-secret-bench-secret-00";
const PERIOD: Duration = Duration::from_secs(2);
const ECHO_ENV: &str = "SWITCHBOARD_BENCH_ECHO_LISTEN";

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)] as f64 / 1000.0
}

/// Resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Option<Value>,
) -> Value {
    let mut req = client.request(method, url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.expect("request");
    let status = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// An access token for a user, signed with the cluster's secret (no password hashing, so
/// thousands of agents are set up in seconds).
fn mint(tenant: &str, user: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &json!({"sub": user, "tid": tenant, "aud": "switchboard-api", "iss": PUBLIC_URL,
                "iat": now, "exp": now + 3600}),
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .expect("token")
}

/// Runs `f` over `items` with at most `n` at once.
async fn each<T, F, Fut>(items: Vec<T>, n: usize, f: F) -> Vec<Fut::Output>
where
    F: Fn(T) -> Fut,
    Fut: std::future::Future,
{
    futures_util::stream::iter(items.into_iter().map(f))
        .buffered(n)
        .collect()
        .await
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn open(url: String) -> Socket {
    for attempt in 0.. {
        match tokio_tungstenite::connect_async(&url).await {
            Ok((s, _)) => return s,
            Err(e) if attempt < 5 => {
                eprintln!("retrying {url}: {e}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("{url}: {e}"),
        }
    }
    unreachable!()
}

/// What one socket measured: latencies in µs of the other side's messages (delivery) and
/// of its own (acknowledgement or echo).
#[derive(Default)]
struct Measured {
    delivered: Vec<u64>,
    acked: Vec<u64>,
}

/// Drives one socket: sends `frame(now_us)` every 2 s from a random phase until `stop`, and
/// records the latency of what comes back. `mine`: whether a received frame is this
/// socket's own (an acknowledgement or an echo); `sent_at`: the send time it carries.
async fn drive(
    socket: Socket,
    origin: Instant,
    measure_from: Instant,
    stop: Arc<AtomicBool>,
    frame: impl Fn(u64) -> String + Send + 'static,
    mine: fn(&Value) -> Option<bool>,
) -> Measured {
    let (mut sink, mut stream) = socket.split();
    let phase = Duration::from_micros(rand::random::<u64>() % PERIOD.as_micros() as u64);
    let stop_w = stop.clone();
    let writer = tokio::spawn(async move {
        tokio::time::sleep(phase).await;
        let mut every = tokio::time::interval(PERIOD);
        while !stop_w.load(Ordering::Relaxed) {
            every.tick().await;
            let now = origin.elapsed().as_micros() as u64;
            if sink.send(Message::text(frame(now))).await.is_err() {
                break;
            }
        }
        let _ = sink.close().await;
    });
    let mut m = Measured::default();
    while let Ok(Some(Ok(msg))) = tokio::time::timeout(Duration::from_secs(5), stream.next()).await
    {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let Message::Text(text) = msg else { continue };
        let Ok(v) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let Some(own) = mine(&v) else { continue };
        let Some(sent) = v["body"].as_str().and_then(|b| b.parse::<u64>().ok()) else {
            continue;
        };
        let now = origin.elapsed().as_micros() as u64;
        if Instant::now() < measure_from {
            continue;
        }
        let latency = now.saturating_sub(sent);
        if own {
            m.acked.push(latency);
        } else {
            m.delivered.push(latency);
        }
    }
    writer.abort();
    m
}

struct Report {
    delivered: Vec<u64>,
    acked: Vec<u64>,
    seconds: f64,
}

impl Report {
    fn from(all: Vec<Measured>, seconds: f64) -> Self {
        let mut delivered: Vec<u64> = all.iter().flat_map(|m| m.delivered.clone()).collect();
        let mut acked: Vec<u64> = all.iter().flat_map(|m| m.acked.clone()).collect();
        delivered.sort_unstable();
        acked.sort_unstable();
        Report {
            delivered,
            acked,
            seconds,
        }
    }
}

/// The minimal echo server: poem's WebSocket, every text frame sent straight back.
async fn echo_server(listen: &str) {
    use poem::web::websocket::{Message as PoemMessage, WebSocket};
    use poem::{EndpointExt, IntoResponse, Route, Server, get, handler, listener::TcpListener};

    #[handler]
    fn ws(ws: WebSocket) -> impl IntoResponse {
        ws.on_upgrade(|socket| async move {
            let (mut sink, mut stream) = socket.split();
            while let Some(Ok(msg)) = stream.next().await {
                if let PoemMessage::Text(t) = msg
                    && sink.send(PoemMessage::Text(t)).await.is_err()
                {
                    break;
                }
            }
        })
    }
    let app = Route::new().at("/ws", get(ws)).boxed();
    Server::new(TcpListener::bind(listen.to_owned()))
        .run(app)
        .await
        .expect("echo server");
}

#[tokio::main]
async fn main() {
    if let Ok(listen) = std::env::var(ECHO_ENV) {
        echo_server(&listen).await;
        return;
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args = args::args();
    let conversations: usize = args::number(&args, 0, 2000);
    let seconds: u64 = args::number(&args, 1, 30);

    let database_url = pg::new_pg_database().await;
    let namespace = format!("sbbench-{}", uuid::Uuid::new_v4().simple());
    let dir = tempfile::tempdir().expect("temp dir");
    let cluster = Cluster {
        database_url: &database_url,
        redis_namespace: &namespace,
        public_url: PUBLIC_URL,
        jwt_secret: SECRET,
        operator_email: "op@bench.local",
        operator_password: PASSWORD,
    };
    let mut nodes = Vec::new();
    for i in 0..2 {
        let data = dir.path().join(format!("node{i}"));
        std::fs::create_dir_all(&data).expect("data dir");
        nodes.push(Process::start(&cluster, &data).await);
    }
    let urls: Vec<String> = nodes.iter().map(|n| n.url.clone()).collect();
    let api = |node: usize, path: &str| format!("{}/api/v1{path}", urls[node]);
    let client = reqwest::Client::new();
    let set_up = Instant::now();

    // An unlimited tenant, one agent per conversation (invited: no password to hash), a
    // dialogue that asks for an agent at once.
    let op = call(
        &client,
        reqwest::Method::POST,
        api(0, "/auth/token"),
        None,
        Some(json!({"email": "op@bench.local", "password": PASSWORD})),
    )
    .await;
    let op = op["access_token"].as_str().expect("token").to_owned();
    let tenant = call(&client, reqwest::Method::POST, api(0, "/platform/tenants"), Some(&op), Some(json!({
        "name": "Bench", "slug": "bench", "plan": "prime", "engagement_limit": null,
        "admin": {"email": "owner@bench.example.com", "display_name": "Owner", "password": PASSWORD}}))).await;
    let tenant_id = tenant["id"].as_str().expect("tenant id").to_owned();
    let owner = call(
        &client,
        reqwest::Method::POST,
        api(0, "/auth/token"),
        None,
        Some(json!({"tenant": "bench", "email": "owner@bench.example.com", "password": PASSWORD})),
    )
    .await;
    let owner = owner["access_token"].as_str().expect("token").to_owned();
    let agents: Vec<(String, String)> = each((0..conversations).collect(), 32, |i| {
        let (client, url, owner, tenant_id) =
            (client.clone(), api(0, "/users"), owner.clone(), tenant_id.clone());
        let availability = api(1, "/me/availability");
        async move {
            let u = call(&client, reqwest::Method::POST, url, Some(&owner), Some(json!({
                "email": format!("agent{i}@bench.example.com"), "display_name": format!("Agent {i}"),
                "role": "agent", "live_chat_permission": true}))).await;
            let id = u["id"].as_str().expect("id").to_owned();
            let token = mint(&tenant_id, &id);
            call(&client, reqwest::Method::PUT, availability, Some(&token),
                Some(json!({"status": "available"}))).await;
            (id, token)
        }
    })
    .await;
    let tokens: std::collections::HashMap<String, String> = agents.into_iter().collect();
    let d = call(&client, reqwest::Method::POST, api(0, "/dialogues"), Some(&owner), Some(json!({
        "name": "Direct", "cards": [{"id": "connect", "kind": "live_chat", "routing": {"mode": "round_robin"}}]}))).await;
    call(
        &client,
        reqwest::Method::POST,
        api(
            0,
            &format!("/dialogues/{}/publish", d["id"].as_str().expect("id")),
        ),
        Some(&owner),
        Some(json!({})),
    )
    .await;
    let settings = call(
        &client,
        reqwest::Method::GET,
        api(0, "/settings"),
        Some(&owner),
        None,
    )
    .await;
    let key = settings["widget_key"].as_str().expect("key").to_owned();

    // The chats: each visitor asks on A; its agent accepts on B.
    let chats: Vec<(String, String)> = each((0..conversations).collect(), 32, |_| {
        let (client, key, owner, tokens) = (client.clone(), key.clone(), owner.clone(), &tokens);
        let (session_url, api) = (api(0, "/widget/sessions"), api);
        async move {
            let s = call(
                &client,
                reqwest::Method::POST,
                session_url,
                None,
                Some(json!({"widget_key": key})),
            )
            .await;
            assert_eq!(s["status"], "waiting", "{s}");
            let id = s["conversation_id"].as_str().expect("id").to_owned();
            let c = call(
                &client,
                reqwest::Method::GET,
                api(1, &format!("/conversations/{id}")),
                Some(&owner),
                None,
            )
            .await;
            let offer = &c["trace"]["offers"][0];
            let agent_token = tokens[offer["agent_id"].as_str().expect("agent")].clone();
            call(
                &client,
                reqwest::Method::POST,
                api(
                    1,
                    &format!(
                        "/offers/{}/accept",
                        offer["offer_id"].as_str().expect("offer")
                    ),
                ),
                Some(&agent_token),
                Some(json!({})),
            )
            .await;
            (
                s["visitor_token"].as_str().expect("token").to_owned(),
                agent_token,
            )
        }
    })
    .await;
    println!(
        "set-up: {conversations} live chats with {conversations} agents in {:.1} s",
        set_up.elapsed().as_secs_f64()
    );

    // Idle sockets: the servers' memory before and after opening them.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_before: Vec<u64> = nodes.iter().map(|n| rss_kib(n.pid())).collect();
    let ws = |node: usize, side: &str, token: &str| {
        format!(
            "{}/api/v1/ws/{side}?token={token}",
            urls[node].replacen("http", "ws", 1)
        )
    };
    // In two halves: the second half's growth is what one more idle socket costs, without
    // the one-off growth the first sockets cause (database pools, caches, allocator arenas).
    let half = conversations / 2;
    let (mut visitors, mut agents): (Vec<Socket>, Vec<Socket>) = (Vec::new(), Vec::new());
    let mut rss_mid = Vec::new();
    for range in [0..half, half..conversations] {
        if range.start > 0 {
            tokio::time::sleep(Duration::from_secs(3)).await;
            rss_mid = nodes.iter().map(|n| rss_kib(n.pid())).collect();
        }
        let chats = &chats[range];
        visitors.extend(
            each(
                chats.iter().map(|c| ws(0, "visitor", &c.0)).collect(),
                64,
                open,
            )
            .await,
        );
        agents.extend(
            each(
                chats.iter().map(|c| ws(1, "agent", &c.1)).collect(),
                64,
                open,
            )
            .await,
        );
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss_after: Vec<u64> = nodes.iter().map(|n| rss_kib(n.pid())).collect();
    let per_socket: Vec<f64> = rss_mid
        .iter()
        .zip(&rss_after)
        .map(|(b, a)| (a.saturating_sub(*b)) as f64 / (conversations - half) as f64)
        .collect();

    // The load: each side writes every 2 s for `seconds`; the first 4 s are not measured.
    let origin = Instant::now();
    let measure_from = origin + Duration::from_secs(4);
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for (i, socket) in visitors.into_iter().enumerate() {
        tasks.push(tokio::spawn(drive(socket, origin, measure_from, stop.clone(),
            move |now| json!({"type": "message", "body": now.to_string(), "client_id": format!("v{i}-{now}")}).to_string(),
            |v| (v["type"] == "message").then(|| v["sender"] == "visitor"))));
    }
    for socket in agents {
        // The agent's socket names its conversation, learnt from its `hello`.
        let (mut sink, mut stream) = socket.split();
        let hello: Value = loop {
            if let Some(Ok(Message::Text(t))) = stream.next().await
                && let Ok(v) = serde_json::from_str::<Value>(&t)
                && v["type"] == "hello"
            {
                break v;
            }
        };
        let conversation = hello["conversations"][0]["conversation_id"]
            .as_str()
            .expect("the agent holds one chat")
            .to_owned();
        let _ = sink.flush().await;
        let socket = sink.reunite(stream).expect("same socket");
        tasks.push(tokio::spawn(drive(socket, origin, measure_from, stop.clone(),
            move |now| json!({"type": "message", "conversation_id": conversation, "body": now.to_string(), "client_id": format!("a-{now}")}).to_string(),
            |v| (v["type"] == "message").then(|| v["sender"] == "agent"))));
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let measured_secs = (Instant::now() - measure_from).as_secs_f64();
    let mut all = Vec::new();
    for t in tasks {
        all.push(t.await.expect("socket task"));
    }
    let sb = Report::from(all, measured_secs);
    let rss_loaded: Vec<u64> = nodes.iter().map(|n| rss_kib(n.pid())).collect();
    drop(nodes);

    if std::env::var_os("SWITCHBOARD_BENCH_NO_ECHO").is_some() {
        print_switchboard(
            &sb,
            conversations,
            &per_socket,
            [&rss_before, &rss_after, &rss_loaded],
        );
        return;
    }
    // The same load against the minimal echo server.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut echo = std::process::Command::new(std::env::current_exe().expect("this binary"))
        .env(ECHO_ENV, &listen)
        .spawn()
        .expect("echo server");
    for _ in 0..100 {
        if std::net::TcpStream::connect(&listen).is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let url = format!("ws://{listen}/ws");
    let mut sockets: Vec<Socket> = each(vec![url.clone(); conversations], 64, open).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let echo_mid = rss_kib(echo.id());
    sockets.extend(each(vec![url; conversations], 64, open).await);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let echo_per_socket = rss_kib(echo.id()).saturating_sub(echo_mid) as f64 / conversations as f64;
    let origin = Instant::now();
    let measure_from = origin + Duration::from_secs(4);
    let stop = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = sockets
        .into_iter()
        .map(|s| {
            tokio::spawn(drive(
                s,
                origin,
                measure_from,
                stop.clone(),
                |now| json!({"type": "message", "body": now.to_string()}).to_string(),
                |v| (v["type"] == "message").then_some(true),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let measured_secs = (Instant::now() - measure_from).as_secs_f64();
    let mut all = Vec::new();
    for t in tasks {
        all.push(t.await.expect("socket task"));
    }
    let echo_report = Report::from(all, measured_secs);
    let _ = echo.kill();
    let _ = echo.wait();

    let (d50, d99) = print_switchboard(
        &sb,
        conversations,
        &per_socket,
        [&rss_before, &rss_after, &rss_loaded],
    );
    let (e50, e99) = (
        percentile(&echo_report.acked, 0.5),
        percentile(&echo_report.acked, 0.99),
    );
    println!(
        "minimal echo (poem WebSocket, same load, {} sockets, one process):",
        2 * conversations
    );
    println!(
        "  round trip: p50 {e50:.1} ms, p99 {e99:.1} ms ({} messages, {:.0}/s); RSS per idle socket (second half) {echo_per_socket:.1} KiB",
        echo_report.acked.len(),
        echo_report.acked.len() as f64 / echo_report.seconds
    );
    println!(
        "ratio switchboard delivery / echo round trip: p50 {:.1}x, p99 {:.1}x",
        d50 / e50,
        d99 / e99
    );
}

/// Prints Switchboard's figures; returns the delivery p50 and p99 (ms).
fn print_switchboard(
    sb: &Report,
    conversations: usize,
    per_socket: &[f64],
    [rss_before, rss_after, rss_loaded]: [&Vec<u64>; 3],
) -> (f64, f64) {
    let (d50, d99) = (
        percentile(&sb.delivered, 0.5),
        percentile(&sb.delivered, 0.99),
    );
    let (a50, a99) = (percentile(&sb.acked, 0.5), percentile(&sb.acked, 0.99));
    println!(
        "\n{conversations} conversations, {} sockets on 2 processes, each side writing every 2 s, {:.0} s measured",
        2 * conversations,
        sb.seconds
    );
    println!(
        "  delivery sender → receiver: p50 {d50:.1} ms, p99 {d99:.1} ms ({} messages, {:.0}/s)",
        sb.delivered.len(),
        sb.delivered.len() as f64 / sb.seconds
    );
    println!(
        "  acknowledgement (stored):   p50 {a50:.1} ms, p99 {a99:.1} ms ({} messages)",
        sb.acked.len()
    );
    println!(
        "  server RSS per idle socket (growth over the second half): A (visitors) {:.1} KiB, B (agents) {:.1} KiB",
        per_socket[0], per_socket[1]
    );
    println!(
        "  server RSS: before sockets {rss_before:?} KiB, idle sockets {rss_after:?} KiB, after the load {rss_loaded:?} KiB"
    );
    (d50, d99)
}
