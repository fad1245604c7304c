//! A `redis-server` of a test's own (the one scripts/test.sh installs) on a free port, so that
//! stopping or restarting it disturbs no other test.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct OwnRedis {
    pub port: u16,
    options: Vec<String>,
    child: Option<Child>,
    /// Where it saves its data when told to (`SAVE`), and loads them from on start.
    dir: std::path::PathBuf,
}

impl OwnRedis {
    /// Starts a server on a free port and waits until it accepts connections.
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// [`OwnRedis::start`] with more of redis-server's options (`--requirepass …`).
    pub async fn start_with(options: &[&str]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut server = Self {
            port,
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            child: None,
            dir: std::env::temp_dir()
                .join(format!("switchboard-redis-{}-{port}", std::process::id())),
        };
        std::fs::create_dir_all(&server.dir).expect("a directory for redis-server");
        server.restart().await;
        server
    }

    /// A server speaking only TLS, with this certificate and key (clients need no
    /// certificate of their own); reached at [`OwnRedis::tls_url`].
    #[allow(dead_code)] // the realtime tests do not use it
    pub async fn start_tls(cert: &std::path::Path, key: &std::path::Path) -> Self {
        let (cert, key) = (cert.display().to_string(), key.display().to_string());
        let mut server = Self::start_with(&[]).await;
        server.stop();
        server.options = vec![
            "--port".into(),
            "0".into(),
            "--tls-port".into(),
            server.port.to_string(),
            "--tls-cert-file".into(),
            cert.clone(),
            "--tls-key-file".into(),
            key,
            "--tls-ca-cert-file".into(),
            cert,
            "--tls-auth-clients".into(),
            "no".into(),
        ];
        server.restart().await;
        server
    }

    #[allow(dead_code)] // the realtime tests do not use it
    pub fn tls_url(&self) -> String {
        format!("rediss://127.0.0.1:{}", self.port)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts the server again, empty (it keeps nothing on disk), on the same port.
    pub async fn restart(&mut self) {
        self.stop();
        let _ = std::fs::remove_file(self.dir.join("dump.rdb"));
        self.start_server().await;
    }

    /// Has the server save its data (`SAVE`), kills it, and starts it again: it comes back
    /// with what it held, as after a restart with persistence.
    #[allow(dead_code)] // the realtime tests do not use it
    pub async fn restart_with_data(&mut self) {
        let client = redis::Client::open(self.url()).expect("a Redis URL");
        let mut conn = client
            .get_multiplexed_async_connection()
            .await
            .expect("a connection to the test's redis-server");
        let _: () = redis::cmd("SAVE")
            .query_async(&mut conn)
            .await
            .expect("SAVE");
        self.stop();
        self.start_server().await;
    }

    /// Agents' loads as the server holds them (`…load:<agent>` keys), by key.
    #[allow(dead_code)] // the realtime tests do not use it
    pub async fn agent_loads(&self) -> std::collections::BTreeMap<String, i64> {
        let client = redis::Client::open(self.url()).expect("a Redis URL");
        let mut conn = client
            .get_multiplexed_async_connection()
            .await
            .expect("a connection to the test's redis-server");
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg("*}:load:*")
            .query_async(&mut conn)
            .await
            .expect("KEYS");
        let mut loads = std::collections::BTreeMap::new();
        for key in keys {
            let n: Option<i64> = redis::cmd("GET")
                .arg(&key)
                .query_async(&mut conn)
                .await
                .unwrap_or(None);
            loads.insert(key, n.unwrap_or(0));
        }
        loads
    }

    async fn start_server(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .args(&self.options)
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("redis-server is required for this test: {e}"));
        self.child = Some(child);
        wait_listening(self.port, "redis-server").await;
    }

    /// Kills the server (SIGKILL).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Waits (up to 5 s) until a server accepts connections on `port` of 127.0.0.1.
pub async fn wait_listening(port: u16, server: &str) {
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{server} on port {port} did not start");
}
