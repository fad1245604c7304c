//! Two `switchboard` release processes on one PostgreSQL database and one Redis, set up over
//! the API like a real tenant: the shared start of the multi-process benchmarks.

use std::time::Duration;

use serde_json::{Value, json};

use super::pg;
use super::process::{Cluster, Process};

pub const PASSWORD: &str = "bench-password-1";
const PUBLIC_URL: &str = "http://switchboard.bench.test";
const SECRET: &str = "bench-secret-bench-secret-bench-secret-00";

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub async fn post(
    client: &reqwest::Client,
    url: String,
    token: Option<&str>,
    body: Value,
) -> Value {
    let mut req = client.post(url).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.expect("request");
    let status = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// The running processes and a tenant made on them.
pub struct Bench {
    pub urls: Vec<String>,
    pub client: reqwest::Client,
    /// The tenant owner's token.
    #[allow(dead_code)] // read by some benches only
    pub owner: String,
    /// `(id, token)` of each available agent holding the live-chat permission.
    #[allow(dead_code)] // read by some benches only
    pub agents: Vec<(String, String)>,
    /// The widget key of the published dialogue.
    pub key: String,
    /// The database both processes use.
    #[allow(dead_code)] // read by some benches only
    pub database_url: String,
    _nodes: Vec<Process>,
    _dir: tempfile::TempDir,
}

impl Bench {
    /// `/api/v1{path}` on process `node` (modulo the number of processes).
    pub fn api(&self, node: usize, path: &str) -> String {
        format!("{}/api/v1{path}", self.urls[node % self.urls.len()])
    }

    #[allow(dead_code)] // used by some benches only
    pub async fn get(&self, node: usize, path: &str, token: &str) -> Value {
        self.client
            .get(self.api(node, path))
            .bearer_auth(token)
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json")
    }

    /// Two processes; an unlimited prime tenant with `settings` applied, `agents` available
    /// agents, and `dialogue` published.
    pub async fn start(agents: usize, settings: Value, dialogue: Value) -> Bench {
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
        // One at a time: the first migrates the database.
        let mut nodes = Vec::new();
        for i in 0..2 {
            let data = dir.path().join(format!("node{i}"));
            std::fs::create_dir_all(&data).expect("data dir");
            nodes.push(Process::start(&cluster, &data).await);
        }
        let urls: Vec<String> = nodes.iter().map(|n| n.url.clone()).collect();
        let client = reqwest::Client::new();
        let api = |path: &str| format!("{}/api/v1{path}", urls[0]);
        let op = post(
            &client,
            api("/auth/token"),
            None,
            json!({"email": "op@bench.local", "password": PASSWORD}),
        )
        .await;
        let op = op["access_token"].as_str().expect("token").to_owned();
        post(&client, api("/platform/tenants"), Some(&op), json!({
            "name": "Bench", "slug": "bench", "plan": "prime", "engagement_limit": null,
            "admin": {"email": "owner@bench.example.com", "display_name": "Owner", "password": PASSWORD}})).await;
        let login = |email: String| {
            let client = client.clone();
            let url = api("/auth/token");
            async move {
                post(
                    &client,
                    url,
                    None,
                    json!({"tenant": "bench", "email": email, "password": PASSWORD}),
                )
                .await["access_token"]
                    .as_str()
                    .expect("token")
                    .to_owned()
            }
        };
        let owner = login("owner@bench.example.com".into()).await;
        let r = client
            .patch(api("/settings"))
            .bearer_auth(&owner)
            .json(&settings)
            .send()
            .await
            .expect("settings");
        assert!(r.status().is_success(), "settings: {}", r.status());
        let mut made = Vec::new();
        for i in 0..agents {
            let email = format!("agent{i}@bench.example.com");
            let u = post(&client, api("/users"), Some(&owner), json!({
                "email": email, "display_name": format!("Agent {i}"), "role": "agent", "password": PASSWORD})).await;
            let id = u["id"].as_str().expect("id").to_owned();
            client
                .put(api(&format!("/users/{id}/live-chat-permission")))
                .bearer_auth(&owner)
                .send()
                .await
                .expect("grant");
            let token = login(email).await;
            client
                .put(api("/me/availability"))
                .bearer_auth(&token)
                .json(&json!({"status": "available"}))
                .send()
                .await
                .expect("available");
            made.push((id, token));
        }
        let d = post(&client, api("/dialogues"), Some(&owner), dialogue).await;
        post(
            &client,
            api(&format!(
                "/dialogues/{}/publish",
                d["id"].as_str().expect("id")
            )),
            Some(&owner),
            json!({}),
        )
        .await;
        let settings: Value = client
            .get(api("/settings"))
            .bearer_auth(&owner)
            .send()
            .await
            .expect("settings")
            .json()
            .await
            .expect("json");
        let key = settings["widget_key"].as_str().expect("key").to_owned();
        Bench {
            database_url,
            urls,
            client,
            owner,
            agents: made,
            key,
            _nodes: nodes,
            _dir: dir,
        }
    }
}
