//! A real `switchboard` server process on PostgreSQL and Redis, for the tests and the
//! benches that run several nodes behind an imaginary load balancer.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What every node of one cluster shares.
pub struct Cluster<'a> {
    pub database_url: &'a str,
    pub redis_namespace: &'a str,
    /// The public URL, the tokens' issuer: the same on every node.
    pub public_url: &'a str,
    pub jwt_secret: &'a str,
    pub operator_email: &'a str,
    pub operator_password: &'a str,
}

/// One `switchboard serve` process; killed when dropped.
pub struct Process {
    child: Child,
    pub url: String,
}

impl Process {
    /// Starts a node of `cluster` with its own data dir, and waits until it is ready.
    #[allow(dead_code)] // the benches' way; the tests use `start_with`
    pub async fn start(cluster: &Cluster<'_>, data_dir: &std::path::Path) -> Self {
        Self::start_with(cluster, data_dir, None, &[]).await
    }

    /// [`Process::start`] on a Redis of its own (`redis_url`, else the shared one) and with
    /// more environment (an SMTP server, a webhook setting).
    pub async fn start_with(
        cluster: &Cluster<'_>,
        data_dir: &std::path::Path,
        redis_url: Option<&str>,
        env: &[(String, String)],
    ) -> Self {
        let redis = redis_url.map(str::to_owned).unwrap_or_else(|| {
            std::env::var("SWITCHBOARD_TEST_REDIS_URL")
                .unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
        });
        // The process prints its public URL; its own address is chosen here.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        // A bench may run another build (an earlier commit's, for a before/after figure).
        let binary = std::env::var("SWITCHBOARD_BENCH_BIN")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_switchboard").to_owned());
        let child = Command::new(binary)
            .env("DATABASE_URL", cluster.database_url)
            .env("REDIS_URL", redis)
            .env("SWITCHBOARD_REDIS_NAMESPACE", cluster.redis_namespace)
            .env("SWITCHBOARD_LISTEN", format!("127.0.0.1:{port}"))
            .env("SWITCHBOARD_PUBLIC_URL", cluster.public_url)
            .env("SWITCHBOARD_JWT_SECRET", cluster.jwt_secret)
            // Every node opens the secrets another sealed.
            .env(
                "SWITCHBOARD_SECRET_KEY",
                format!("{}-sealing-key", cluster.jwt_secret),
            )
            .env("SWITCHBOARD_OPERATOR_EMAIL", cluster.operator_email)
            .env("SWITCHBOARD_OPERATOR_PASSWORD", cluster.operator_password)
            .env("SWITCHBOARD_DATA_DIR", data_dir)
            .env("SWITCHBOARD_LOG", "warn")
            // Hundreds of visitors from one address: the tests that need limits set them.
            .env("SWITCHBOARD_RATE_LIMITS", "off")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .spawn()
            .expect("start the switchboard binary");
        let url = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let since = Instant::now();
        loop {
            let ready = client
                .get(format!("{url}/readyz"))
                .timeout(Duration::from_secs(5))
                .send()
                .await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            assert!(
                since.elapsed() < Duration::from_secs(60),
                "the process on {url} did not become ready"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, url }
    }

    /// The process id (the benches read its memory).
    #[allow(dead_code)] // the tests do not
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM: the node stops gracefully.
    #[allow(dead_code)] // the benches never stop a node
    pub fn terminate(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(sent.success(), "kill -TERM failed");
    }

    /// Waits up to `limit` for the process to exit; its status, or `None` if it is still
    /// running.
    #[allow(dead_code)] // the benches never stop a node
    pub async fn exited_within(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let since = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("the process's status") {
                return Some(status);
            }
            if since.elapsed() > limit {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no clean-up of any kind.
    #[allow(dead_code)] // the benches never kill a node
    pub fn kill9(&mut self) {
        self.child.kill().expect("kill -9");
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
