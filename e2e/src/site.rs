//! Serves a copy of the release build (`dist/`) with a test's own config.json.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::process::{ChildProcess, free_port, repo_root, scratch_dir, wait_for_port};

/// A static web server on loopback over a private copy of `dist/`.
pub struct StaticSite {
    _process: ChildProcess,
    pub url: String,
    pub root: PathBuf,
}

impl StaticSite {
    /// Copies `dist/` (built by `make dist`) and starts serving it.
    pub fn start() -> Self {
        Self::serve_copy_of(&repo_root().join("dist"))
    }

    /// Copies a Trunk output directory (`make dist`, or the benchmark's
    /// baseline) and starts serving it.
    pub fn serve_copy_of(dist: &Path) -> Self {
        assert!(
            dist.join("index.html").exists(),
            "{} has no release build; run `make dist` (make test does it first)",
            dist.display()
        );
        let root = scratch_dir("site");
        copy_dir(dist, &root);
        let port = free_port();
        let mut command = Command::new("python3");
        command
            .args([
                "-m",
                "http.server",
                "--bind",
                "127.0.0.1",
                &port.to_string(),
                "--directory",
            ])
            .arg(&root);
        let process =
            ChildProcess::spawn("static web server", command, &root.with_extension("log"));
        wait_for_port(port, "the static web server", Duration::from_secs(10));
        Self {
            _process: process,
            url: format!("http://127.0.0.1:{port}/"),
            root,
        }
    }

    /// Where this site's config.json lives.
    pub fn config_path(&self) -> PathBuf {
        self.root.join("config.json")
    }
}

impl Drop for StaticSite {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create site dir");
    for entry in std::fs::read_dir(from).expect("read dist") {
        let entry = entry.expect("dist entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy dist file");
        }
    }
}
