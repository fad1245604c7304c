//! Real server processes (the `switchboard` binary) sharing one PostgreSQL database and one
//! Redis namespace, as behind a load balancer, each with a `TestApp` pointed at it.

use super::process::{Cluster, Process};
use super::{OPERATOR_EMAIL, OPERATOR_PASSWORD, TestApp, new_pg_database, spawn_app_with};

/// Server processes of one cluster, and a client of each (a `TestApp` whose own server and
/// workers are stopped, pointed at the process).
pub struct Nodes {
    pub processes: Vec<Process>,
    pub clients: Vec<TestApp>,
    database_url: String,
    namespace: String,
    dir: tempfile::TempDir,
    redis_url: Option<String>,
    env: Vec<(String, String)>,
}

impl Nodes {
    fn cluster(&self) -> Cluster<'_> {
        Cluster {
            database_url: &self.database_url,
            redis_namespace: &self.namespace,
            public_url: "http://switchboard.processes.test",
            jwt_secret: "process-secret-process-secret-0123456",
            operator_email: OPERATOR_EMAIL,
            operator_password: OPERATOR_PASSWORD,
        }
    }

    async fn start(&mut self, i: usize) {
        let data = self.dir.path().join(format!("node{i}"));
        std::fs::create_dir_all(&data).unwrap();
        let p =
            Process::start_with(&self.cluster(), &data, self.redis_url.as_deref(), &self.env).await;
        self.clients[i].base = p.url.clone();
        if i < self.processes.len() {
            self.processes[i] = p;
        } else {
            self.processes.push(p);
        }
    }

    /// Kills process `i` with SIGKILL and starts it again (on a new port).
    pub async fn restart(&mut self, i: usize) {
        self.processes[i].kill9();
        self.start(i).await;
    }

    /// Starts process `i` again after it was killed (on a new port).
    pub async fn start_again(&mut self, i: usize) {
        self.start(i).await;
    }
}

/// `n` processes on one new PostgreSQL database and one Redis namespace.
pub async fn spawn_processes(n: usize) -> Nodes {
    spawn_processes_with(n, new_pg_database().await, None, Vec::new()).await
}

/// [`spawn_processes`] on a given database, a Redis of the test's own (`redis_url`, else the
/// shared one), with more environment for every process.
pub async fn spawn_processes_with(
    n: usize,
    database_url: String,
    redis_url: Option<String>,
    env: Vec<(String, String)>,
) -> Nodes {
    let namespace = format!("sbtest-{}", uuid::Uuid::new_v4().simple());
    // The clients first: building them migrates the database and installs the TLS
    // provider the HTTP client needs.
    let mut clients = Vec::new();
    for _ in 0..n {
        let (url, ns) = (database_url.clone(), namespace.clone());
        let client = spawn_app_with(move |c| {
            c.database_url = Some(url);
            c.redis_url = None;
            c.redis_namespace = ns;
        })
        .await;
        client.kill();
        clients.push(client);
    }
    let mut nodes = Nodes {
        processes: Vec::new(),
        clients,
        database_url,
        namespace,
        dir: tempfile::tempdir().unwrap(),
        redis_url,
        env,
    };
    for i in 0..n {
        nodes.start(i).await;
    }
    nodes
}
