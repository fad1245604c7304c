//! A minimal Chrome DevTools Protocol client for the browser tests, for what WebDriver has
//! no command for: granting a permission, and delivering a push message to a service worker
//! (`ServiceWorker.deliverPushMessage`), as a push service would.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub struct Cdp {
    socket: Socket,
    next_id: u64,
    /// Events received while waiting for answers, oldest first.
    events: Vec<Value>,
}

impl Cdp {
    /// Connects to the browser of a chromedriver session (its DevTools address is in the
    /// session's capabilities).
    pub async fn connect(browser: &fantoccini::Client) -> Cdp {
        let caps = browser.capabilities().expect("session capabilities");
        let address = caps["goog:chromeOptions"]["debuggerAddress"]
            .as_str()
            .expect("chromedriver names the DevTools address")
            .to_owned();
        let version: Value = reqwest::get(format!("http://{address}/json/version"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let url = version["webSocketDebuggerUrl"].as_str().unwrap();
        let (socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        Cdp {
            socket,
            next_id: 1,
            events: Vec::new(),
        }
    }

    /// Calls `method` (on a target's `session`, or the browser) and returns its result.
    pub async fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut frame = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            frame["sessionId"] = json!(s);
        }
        self.socket
            .send(Message::text(frame.to_string()))
            .await
            .unwrap();
        loop {
            let v = self.receive(Duration::from_secs(15)).await;
            if v["id"] == json!(id) {
                assert!(v.get("error").is_none(), "{method} failed: {v}");
                return v["result"].clone();
            }
            self.events.push(v);
        }
    }

    /// The first event (already received, or to come within `limit`) that `matches`.
    pub async fn event(
        &mut self,
        what: &str,
        limit: Duration,
        matches: impl Fn(&Value) -> bool,
    ) -> Value {
        if let Some(i) = self.events.iter().position(&matches) {
            return self.events.remove(i);
        }
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "timed out waiting for {what}");
            let v = self.receive(left).await;
            if matches(&v) {
                return v;
            }
        }
    }

    async fn receive(&mut self, limit: Duration) -> Value {
        loop {
            let msg = tokio::time::timeout(limit, self.socket.next())
                .await
                .expect("DevTools answered in time")
                .expect("the DevTools connection is open")
                .unwrap();
            if let Message::Text(t) = msg {
                return serde_json::from_str(&t).unwrap();
            }
        }
    }
}
