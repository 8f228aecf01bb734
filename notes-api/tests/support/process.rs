//! The real `notes-api` binary as a child process on 127.0.0.1:0.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    pub base: String,
    pub stderr_file: std::path::PathBuf,
}

impl Server {
    /// Starts the binary with the test pool (JWKS at `jwks_url`) and `extra`
    /// flags; stderr goes to `stderr_file`.
    pub fn start(jwks_url: &str, extra: &[&str], stderr_file: &std::path::Path) -> Self {
        let stderr = std::fs::File::create(stderr_file).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_notes-api"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--issuer",
                super::ISSUER,
                "--client-id",
                super::CLIENT_ID,
            ])
            .args(["--jwks-url", jwks_url])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("notes-api starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        let Some(base) = first.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            panic!(
                "notes-api did not start: {first:?}\n{}",
                std::fs::read_to_string(stderr_file).unwrap_or_default()
            );
        };
        Self {
            base: base.to_owned(),
            child,
            stderr_file: stderr_file.to_owned(),
        }
    }

    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to end.
    pub fn wait(&mut self, limit: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(exit) = self.child.try_wait().unwrap() {
                return exit;
            }
            assert!(Instant::now() < deadline, "notes-api did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_file).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
