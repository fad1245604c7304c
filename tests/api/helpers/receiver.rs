//! A bare HTTP receiver on loopback, standing in for the services Switchboard calls out to
//! (webhook endpoints, push services): it answers with given statuses in turn and records
//! every request, body as raw bytes.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::wait_for_count;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When it arrived.
    pub at: std::time::Instant,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub type Log = Arc<Mutex<Vec<Received>>>;

/// A receiver at `http://127.0.0.1:<port>` answering each request to a path with the next
/// status `answer(path)` gives, recording every request.
pub async fn receiver_by_path(
    mut answer: impl FnMut(&str) -> u16 + Send + 'static,
) -> (String, Log) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let got: Log = Arc::new(Mutex::new(Vec::new()));
    let seen = got.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            // Headers, then the body by its length.
            let (head, mut body) = loop {
                let n = socket.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break (String::new(), Vec::new());
                }
                buf.extend_from_slice(&chunk[..n]);
                if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    break (
                        String::from_utf8_lossy(&buf[..end]).into_owned(),
                        buf[end + 4..].to_vec(),
                    );
                }
            };
            let path = head
                .lines()
                .next()
                .and_then(|l| l.split(' ').nth(1))
                .unwrap_or("")
                .to_owned();
            let headers: Vec<(String, String)> = head
                .lines()
                .skip(1)
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect();
            let length: usize = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            while body.len() < length {
                let n = socket.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
            let status = answer(&path);
            seen.lock().unwrap().push(Received {
                path,
                headers,
                body,
                at: std::time::Instant::now(),
            });
            let reply =
                format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            let _ = socket.write_all(reply.as_bytes()).await;
        }
    });
    (base, got)
}

/// A receiver at `<base>/hooks` answering with `statuses` in turn (then 200).
pub async fn receiver(statuses: Vec<u16>) -> (String, Log) {
    let mut answers = statuses.into_iter();
    let (base, got) = receiver_by_path(move |_| answers.next().unwrap_or(200)).await;
    (format!("{base}/hooks"), got)
}

/// The first `n` requests, once they arrived (within `limit`).
pub async fn wait_for(got: &Log, n: usize, limit: Duration) -> Vec<Received> {
    wait_for_count(n, limit, "requests the receiver got", || {
        got.lock().unwrap().clone()
    })
    .await
}
