//! cognito-local on a free loopback port, seeded by the same script `make serve` uses.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::process::{ChildProcess, free_port, repo_root, scratch_dir, wait_for_port};

/// A running cognito-local with its own empty database.
pub struct CognitoLocal {
    process: Option<ChildProcess>,
    /// e.g. `http://127.0.0.1:41234`
    pub endpoint: String,
    dir: PathBuf,
}

/// Token lifetimes and policy for one seeded pool (cognito-local honours seconds).
pub struct Seed<'a> {
    pub id_validity: &'a str,
    pub refresh_validity: &'a str,
    pub preset: &'a str,
    pub storage: &'a str,
    /// A second user with the demo user's password, when a test needs two people.
    pub other_user: Option<&'a str>,
}

impl Default for Seed<'_> {
    fn default() -> Self {
        Self {
            id_validity: "2m",
            refresh_validity: "20m",
            preset: "protective",
            storage: "session",
            other_user: None,
        }
    }
}

impl Seed<'_> {
    /// 10-second ID/access tokens, shared by all tabs through localStorage:
    /// refreshes happen in real time, and every tab sees every one.
    pub fn short_tokens_shared_by_tabs() -> Self {
        Self {
            id_validity: "10s",
            storage: "local",
            ..Self::default()
        }
    }
}

impl CognitoLocal {
    pub fn start() -> Self {
        let port = free_port();
        let dir = scratch_dir("cognito-local");
        let process = Self::spawn_in(&dir, port);
        Self {
            process: Some(process),
            endpoint: format!("http://127.0.0.1:{port}"),
            dir,
        }
    }

    fn spawn_in(dir: &Path, port: u16) -> ChildProcess {
        std::fs::create_dir_all(dir.join(".cognito")).expect("create .cognito");
        std::fs::write(
            dir.join(".cognito/config.json"),
            format!(
                r#"{{"ServerConfig":{{"hostname":"127.0.0.1","port":{port}}},"TokenConfig":{{"IssuerDomain":"http://127.0.0.1:{port}"}}}}"#
            ),
        )
        .expect("write cognito-local config");
        let mut command = Command::new("node");
        command
            .arg(repo_root().join("node_modules/cognito-local/lib/bin/start.js"))
            .current_dir(&dir);
        let mut process =
            ChildProcess::spawn("cognito-local", command, &dir.join("cognito-local.log"));
        wait_for_port(port, "cognito-local", Duration::from_secs(20));
        process.assert_running();
        process
    }

    /// Stops cognito-local, lets `edit` change the stored user whose
    /// `Username` or `email` is `user`, and starts it again on the same
    /// port with the same data. For settings its API cannot make, such as
    /// an SMS `MFAOptions` entry (cognito-local 5.3.0 has no
    /// AdminSetUserSettings). The log starts afresh.
    pub fn restart_editing_user(
        &mut self,
        pool_id: &str,
        user: &str,
        edit: impl FnOnce(&mut serde_json::Value),
    ) {
        let path = self.dir.join(format!(".cognito/db/{pool_id}.json"));
        // cognito-local rewrites the file after each call: stop it only once
        // the file is whole and has stopped changing, so no write is cut short.
        settle(&path);
        drop(self.process.take());
        let mut db: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&path).expect("cognito-local's pool database"),
        )
        .expect("pool database JSON");
        let users = db["Users"]
            .as_object_mut()
            .expect("Users in the pool database");
        let stored = users
            .values_mut()
            .find(|stored| {
                stored["Username"] == user
                    || stored["Attributes"].as_array().is_some_and(|attributes| {
                        attributes
                            .iter()
                            .any(|a| a["Name"] == "email" && a["Value"] == user)
                    })
            })
            .unwrap_or_else(|| panic!("no stored user {user}"));
        edit(stored);
        std::fs::write(&path, serde_json::to_string_pretty(&db).expect("JSON"))
            .expect("write the pool database");
        let port: u16 = self
            .endpoint
            .rsplit(':')
            .next()
            .and_then(|port| port.parse().ok())
            .expect("endpoint port");
        self.process = Some(Self::spawn_in(&self.dir, port));
    }

    /// The latest code cognito-local "sent" to `destination` (it prints
    /// codes for sign-up, MFA and forgotten passwords to its log instead).
    pub fn last_code_sent_to(&self, destination: &str) -> Option<String> {
        let log = std::fs::read_to_string(self.dir.join("cognito-local.log")).ok()?;
        let at = log.rfind(&format!("Destination: {destination}"))?;
        let line = log[at..].lines().find(|line| line.contains("Code:"))?;
        let code: String = line
            .split("Code:")
            .nth(1)?
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        (!code.is_empty()).then_some(code)
    }

    /// Creates a pool, an app client and the demo user, and writes the app's
    /// config.json to `out`.
    pub fn seed(&self, seed: &Seed<'_>, out: &Path) {
        let status = Command::new("node")
            .arg(repo_root().join("scripts/seed-cognito.mjs"))
            .args(["--endpoint", &self.endpoint, "--out"])
            .arg(out)
            .args([
                "--id-validity",
                seed.id_validity,
                "--refresh-validity",
                seed.refresh_validity,
            ])
            .args(["--preset", seed.preset, "--storage", seed.storage])
            .args(
                seed.other_user
                    .map(|user| ["--other-user", user])
                    .into_iter()
                    .flatten(),
            )
            .status()
            .expect("run node scripts/seed-cognito.mjs");
        assert!(
            status.success(),
            "seeding cognito-local failed (see output above)"
        );
    }
}

impl Drop for CognitoLocal {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Waits (up to 10 s) until `path` holds JSON that stays the same for 300 ms.
fn settle(path: &std::path::Path) {
    let start = std::time::Instant::now();
    let mut last = String::new();
    loop {
        let now = std::fs::read_to_string(path).unwrap_or_default();
        if !now.is_empty() && now == last && serde_json::from_str::<serde_json::Value>(&now).is_ok()
        {
            return;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "cognito-local kept rewriting {} for 10 s",
            path.display()
        );
        last = now;
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
}
