//! Headless Chromium driven through chromedriver.

use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::process::{ChildProcess, free_port, scratch_dir, wait_for_port};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// One browser session. Close it with [`Browser::close`]; if a test panics
/// first, dropping the chromedriver process takes the browser down with it.
pub struct Browser {
    pub client: Client,
    _driver: ChildProcess,
}

impl Browser {
    pub async fn start() -> Self {
        let port = free_port();
        let logs = scratch_dir("chromedriver");
        let mut command =
            Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.to_owned()));
        command.arg(format!("--port={port}"));
        let driver = ChildProcess::spawn("chromedriver", command, &logs.join("chromedriver.log"));
        wait_for_port(port, "chromedriver", Duration::from_secs(20));
        let profile = logs.join("profile");
        let capabilities = json!({
            "browserName": "chrome",
            "goog:loggingPrefs": { "browser": "ALL" },
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        });
        let capabilities = match capabilities {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("capabilities are an object"),
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("start a headless Chromium session through chromedriver");
        Self {
            client,
            _driver: driver,
        }
    }

    /// Waits until `css` matches an element whose text contains `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str, limit: Duration) -> String {
        let start = Instant::now();
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                if let Ok(found) = element.text().await {
                    if found.contains(text) {
                        return found;
                    }
                }
            }
            if start.elapsed() > limit {
                let body = self.client.source().await.unwrap_or_default();
                panic!("no `{css}` containing {text:?} within {limit:?}; page was:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Console messages the page logged at level SEVERE (uncaught errors, panics).
    pub async fn severe_console_messages(&self) -> Vec<String> {
        let logs = self
            .client
            .issue_cmd(SessionPost {
                path: "se/log",
                body: r#"{"type":"browser"}"#.to_owned(),
            })
            .await
            .unwrap_or(serde_json::Value::Null);
        logs.as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["level"] == "SEVERE")
            .filter_map(|entry| entry["message"].as_str().map(str::to_owned))
            .collect()
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// A POST to one of chromedriver's session endpoints that fantoccini does
/// not wrap (`se/log` for console messages, `goog/cdp/execute` for CDP).
#[derive(Debug)]
pub(crate) struct SessionPost {
    pub path: &'static str,
    pub body: String,
}

impl fantoccini::wd::WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.clone()))
    }
}
