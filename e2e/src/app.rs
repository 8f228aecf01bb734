//! What a person does in the app, as WebDriver steps: sign in, write a note,
//! save it, answer dialogs. Selectors are the app's stable ids and classes.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::{Value, json};

use crate::browser::Browser;

pub const EMAIL: &str = "demo@example.com";
pub const PASSWORD: &str = "Demo-Passw0rd!";

impl Browser {
    /// A new browser, signed in as the demo user on the app at `url`.
    pub async fn signed_in(url: &str) -> Self {
        let browser = Browser::start().await;
        browser.open_sign_in(url).await;
        browser.sign_in(EMAIL, PASSWORD).await;
        browser
    }

    /// Opens the app and waits for the sign-in form.
    pub async fn open_sign_in(&self, url: &str) {
        self.client.goto(url).await.expect("open the app");
        self.wait_for(".sign-in-form #email", Duration::from_secs(20))
            .await;
    }

    /// Fills the sign-in form and waits for the signed-in app.
    pub async fn sign_in(&self, email: &str, password: &str) {
        self.type_into("#email", email).await;
        self.type_into("#password", password).await;
        self.click(".sign-in-form button[type=submit]").await;
        self.wait_signed_in_as(email).await;
    }

    /// Waits until the status bar shows `email` signed in.
    pub async fn wait_signed_in_as(&self, email: &str) {
        self.wait_for_text(
            ".status-bar .signed-in-user",
            email,
            Duration::from_secs(20),
        )
        .await;
    }

    /// Waits until `css` matches something, and returns how long that took.
    pub async fn wait_for(&self, css: &str, limit: Duration) -> Duration {
        let start = Instant::now();
        loop {
            if self.client.find(Locator::Css(css)).await.is_ok() {
                return start.elapsed();
            }
            if start.elapsed() > limit {
                let body = self.client.source().await.unwrap_or_default();
                panic!("`{css}` did not appear within {limit:?}; page was:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn is_present(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// The element `css` matches; fails the test naming it if there is none.
    pub async fn element(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("{css} is on the page"))
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.element(css).await;
        element
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Empties a text field the way a person does (select all, delete), so
    /// the page sees the input events.
    pub async fn clear(&self, css: &str) {
        // Control+A, release the modifiers, Backspace.
        self.type_into(css, "\u{E009}a\u{E000}\u{E003}").await;
    }

    /// The visible text of the first match.
    pub async fn text_of(&self, css: &str) -> String {
        self.element(css)
            .await
            .text()
            .await
            .unwrap_or_else(|e| panic!("text of {css}: {e}"))
    }

    /// How many elements match `css` now.
    pub async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map_or(0, |found| found.len())
    }

    /// Types if the element takes input now (a dialog may have just made
    /// the page inert); says whether it did.
    pub async fn try_type_into(&self, css: &str, text: &str) -> bool {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element.send_keys(text).await.is_ok(),
            Err(_) => false,
        }
    }

    pub async fn click(&self, css: &str) {
        let element = self.element(css).await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    pub async fn value_of(&self, css: &str) -> String {
        let element = self.element(css).await;
        element
            .prop("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// Runs `script` in the page (its `arguments`) and returns its result.
    pub async fn run(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    /// Saves a screenshot under `target/e2e-artifacts/` and returns its path.
    pub async fn screenshot(&self, name: &str) -> std::path::PathBuf {
        let dir = crate::process::repo_root().join("target/e2e-artifacts");
        std::fs::create_dir_all(&dir).expect("artifacts dir");
        let path = dir.join(format!("{name}.png"));
        // Let dialogs finish their fade-in first.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Sends a Chrome DevTools Protocol command through chromedriver.
    pub async fn cdp(&self, command: &str, params: Value) -> Value {
        self.client
            .issue_cmd(crate::browser::SessionPost {
                path: "goog/cdp/execute",
                body: json!({ "cmd": command, "params": params }).to_string(),
            })
            .await
            .unwrap_or_else(|e| panic!("CDP {command}: {e}"))
    }

    /// Opens a new tab on `url` and switches to it; returns its handle.
    pub async fn open_tab(&self, url: &str) -> fantoccini::wd::WindowHandle {
        let window = self.client.new_window(true).await.expect("new tab");
        let handle = window.handle;
        self.client
            .switch_to_window(handle.clone())
            .await
            .expect("switch to the new tab");
        self.client
            .goto(url)
            .await
            .expect("open the app in the new tab");
        handle
    }

    /// Opens another tab on the app (the session reaches it through shared
    /// storage or the open tabs) and waits until it shows the signed-in user.
    pub async fn open_signed_in_tab(&self, url: &str) -> fantoccini::wd::WindowHandle {
        let handle = self.open_tab(url).await;
        self.wait_signed_in_as(EMAIL).await;
        handle
    }

    pub async fn switch_to(&self, handle: &fantoccini::wd::WindowHandle) {
        self.client
            .switch_to_window(handle.clone())
            .await
            .expect("switch tab");
    }
}
