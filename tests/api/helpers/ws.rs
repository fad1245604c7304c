//! A WebSocket client of the live-chat sockets for tests: JSON frames in and out.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

pub struct Ws {
    stream: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl Ws {
    /// Opens `/api/v1/ws/{side}?token=…` on the server at `base` (an http:// URL).
    pub async fn open(base: &str, side: &str, token: &str) -> Ws {
        let url = format!(
            "{}/api/v1/ws/{side}?token={token}",
            base.replacen("http", "ws", 1)
        );
        let (stream, _) = tokio_tungstenite::connect_async(url)
            .await
            .unwrap_or_else(|e| panic!("opening the {side} socket: {e}"));
        Ws { stream }
    }

    /// Closes the socket as a browser leaving the page does (a close frame).
    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }

    /// The code of the close frame the server sends within `limit` (other frames skipped);
    /// `None` when none comes or the connection drops without one.
    pub async fn close_code(&mut self, limit: Duration) -> Option<u16> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            match tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .ok()??
            {
                Ok(Message::Close(frame)) => return frame.map(|f| u16::from(f.code)),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }

    pub async fn send(&mut self, frame: Value) {
        self.stream
            .send(Message::text(frame.to_string()))
            .await
            .unwrap();
    }

    /// The next JSON frame within 10 s (pings are answered by the library and skipped).
    /// Panics when none comes or the connection is gone.
    pub async fn next(&mut self) -> Value {
        self.next_within(Duration::from_secs(10))
            .await
            .expect("no frame within 10 s")
    }

    pub async fn next_within(&mut self, limit: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let msg = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .ok()?;
            match msg {
                Some(Ok(Message::Text(t))) => return Some(serde_json::from_str(&t).unwrap()),
                // Closed, or the connection died (a killed server): nothing more comes.
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return None,
                Some(Ok(_)) => continue,
            }
        }
    }

    /// Skips frames until one of type `kind` comes (within 10 s); returns it.
    pub async fn until(&mut self, kind: &str) -> Value {
        loop {
            let f = self.next().await;
            if f["type"] == kind {
                return f;
            }
        }
    }

    /// The `message` frames of the next `n` messages (other frames skipped).
    pub async fn messages(&mut self, n: usize) -> Vec<Value> {
        let mut out = Vec::new();
        while out.len() < n {
            out.push(self.until("message").await);
        }
        out
    }

    /// Asserts that no frame of type `kind` comes within `limit`.
    pub async fn no_more(&mut self, kind: &str, limit: Duration) {
        let deadline = tokio::time::Instant::now() + limit;
        while let Some(f) = self
            .next_within(deadline.saturating_duration_since(tokio::time::Instant::now()))
            .await
        {
            assert_ne!(f["type"], kind, "unexpected frame {f}");
        }
    }
}

/// The status of a WebSocket upgrade request to `path`.
pub async fn upgrade_status(app: &crate::helpers::TestApp, path: &str) -> u16 {
    app.client
        .get(app.url(path))
        .header("Connection", "Upgrade")
        .header("Upgrade", "websocket")
        .header("Sec-WebSocket-Version", "13")
        .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}
