//! A real SMTP server on loopback: aiosmtpd (`tests/support/smtp_sink.py`) writes each
//! message it accepts into a folder as JSON, which the tests read.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use super::wait_for_count;

/// The SMTP sink: an aiosmtpd process writing each message it accepts into `dir`.
pub struct SmtpSink {
    child: Child,
    dir: PathBuf,
}

impl SmtpSink {
    pub fn start(port: u16, dir: &Path) -> Self {
        Self::start_with(port, dir, &[])
    }

    /// `tls`: a certificate and key; the server then requires STARTTLS.
    pub fn start_with(port: u16, dir: &Path, tls: &[&Path]) -> Self {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .args([port.to_string(), dir.display().to_string()])
            .args(tls)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 with aiosmtpd (scripts/test.sh installs it)");
        let mut ready = String::new();
        use std::io::BufRead;
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut ready)
            .unwrap();
        assert_eq!(ready.trim(), "ready", "the SMTP sink did not start");
        Self {
            child,
            dir: dir.to_path_buf(),
        }
    }

    /// The messages received so far, oldest first.
    pub fn messages(&self) -> Vec<Value> {
        let mut names: Vec<_> = std::fs::read_dir(&self.dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
            .collect()
    }

    /// The first `n` messages, once they arrived (within `limit`).
    pub async fn wait_for(&self, n: usize, limit: Duration) -> Vec<Value> {
        wait_for_count(n, limit, "messages the SMTP server got", || self.messages()).await
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
