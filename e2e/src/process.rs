//! Child processes that cannot outlive the test, free loopback ports, paths.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A started helper process (emulator, web server, chromedriver). It runs in
/// a process group of its own; dropping it kills the whole group (so the
/// Chromium that chromedriver started goes too) and reaps it.
pub struct ChildProcess {
    name: String,
    child: Child,
}

impl ChildProcess {
    /// Starts `command` with its output sent to `log` (a file under the
    /// system temp dir, named in failures so the cause can be read).
    pub fn spawn(name: &str, mut command: Command, log: &std::path::Path) -> Self {
        let out = std::fs::File::create(log)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", log.display()));
        let err = out.try_clone().expect("clone log handle");
        use std::os::unix::process::CommandExt;
        let child = command
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {name} ({command:?}): {e}; did `make setup` run?")
            });
        Self {
            name: name.to_owned(),
            child,
        }
    }

    /// Takes ownership of an already started child.
    pub fn adopt(name: &str, child: Child) -> Self {
        Self {
            name: name.to_owned(),
            child,
        }
    }

    /// Fails the test with the process's name if it has already exited.
    pub fn assert_running(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("{} exited early with {status}", self.name);
        }
    }
}

impl Drop for ChildProcess {
    fn drop(&mut self) {
        // The group id is the child's pid (`process_group(0)`); `kill -KILL -pgid`.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("no free loopback port")
}

/// Waits until something accepts connections on `port`, or panics naming `what`.
pub fn wait_for_port(port: u16, what: &str, limit: Duration) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if start.elapsed() > limit {
            panic!("{what} did not start listening on 127.0.0.1:{port} within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The repository root (the e2e crate lives in `<root>/e2e`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e has a parent")
        .to_path_buf()
}

/// A fresh, empty scratch directory for one test's files.
pub fn scratch_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "session-guard-e2e-{label}-{}-{}",
        std::process::id(),
        free_port()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}
