//! A PostgreSQL server of a test's own (the binaries of the one scripts/test.sh installs), on
//! a free port in a temporary directory, so that stopping it disturbs no other test. Run as
//! the `postgres` user when the tests run as root (PostgreSQL refuses root).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

pub struct OwnPostgres {
    pub port: u16,
    dir: PathBuf,
    bin: PathBuf,
}

/// The newest installed server's binaries (`/usr/lib/postgresql/<version>/bin`).
fn binaries() -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL's server binaries under /usr/lib/postgresql")
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().expect("an installed PostgreSQL server").1
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

impl OwnPostgres {
    /// A new cluster, started and accepting connections.
    pub async fn start() -> Self {
        let port = super::free_port();
        let dir = std::env::temp_dir().join(format!(
            "switchboard-pg-{}-{port}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let server = Self {
            port,
            dir,
            bin: binaries(),
        };
        if is_root() {
            let owned = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&server.dir)
                .status()
                .unwrap();
            assert!(owned.success(), "chown the cluster's directory to postgres");
        }
        let data = server.data();
        server.run(
            "initdb",
            &[
                "-D",
                path(&data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        server.start_server().await;
        server
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// One of the server's programs, to run as `postgres` when we are root.
    fn command(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        }
    }

    fn run(&self, program: &str, args: &[&str]) {
        let out = self
            .command(program)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        assert!(
            out.status.success(),
            "{program} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    async fn start_server(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("server.log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                path(&self.data()),
                "-o",
                &options,
                "-l",
                path(&log),
                "-w",
                "start",
            ],
        );
        super::redis::wait_listening(self.port, "PostgreSQL").await;
    }

    /// Stops the server at once (`-m immediate`: no shutdown checkpoint, as a crash), waits
    /// `down`, and starts it again on the same port (it recovers from its WAL).
    pub async fn restart(&mut self, down: Duration) {
        self.run(
            "pg_ctl",
            &["-D", path(&self.data()), "-m", "immediate", "-w", "stop"],
        );
        tokio::time::sleep(down).await;
        self.start_server().await;
    }

    /// A new, empty database on this server; its URL.
    pub async fn new_database(&self) -> String {
        use sea_orm::ConnectionTrait;
        let admin = format!("postgres://postgres@127.0.0.1:{}/postgres", self.port);
        let conn = sea_orm::Database::connect(&admin).await.unwrap();
        conn.execute_unprepared("CREATE DATABASE switchboard")
            .await
            .unwrap();
        let _ = conn.close().await;
        format!("postgres://postgres@127.0.0.1:{}/switchboard", self.port)
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .args(["-D", path(&self.data()), "-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
