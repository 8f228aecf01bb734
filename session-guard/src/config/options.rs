//! The configuration from Rust: the settings of `config.json` as a plain
//! struct with `Default`s, `std::time::Duration`s and the policy presets.
//! [`SessionOptions::build`] checks them by the very rules `config.json`
//! gets, so a mistake is reported at the same field with the same fix.

use std::time::Duration;

use super::app_config::{AppConfig, TokenStorage};
use super::error::ConfigError;
use crate::cognito::SignInFlow;
use crate::json::Json;
use crate::session::PolicyPreset;

/// Session Guard's settings for one user pool and app client.
///
/// ```
/// use std::time::Duration;
/// use session_guard::config::SessionOptions;
/// use session_guard::session::PolicyPreset;
///
/// let mut options = SessionOptions::new("eu-west-1", "eu-west-1_AbCdEf123", "1example23456789abcdefghij");
/// options.refresh_token_validity = Duration::from_secs(12 * 3600);
/// options.preset = PolicyPreset::Strict;
/// let config = options.build().expect("valid settings");
/// assert_eq!(config.cognito.refresh_token_validity, Duration::from_secs(12 * 3600));
///
/// options.request_timeout = Duration::ZERO;
/// assert_eq!(options.build().unwrap_err().field, "cognito.request_timeout");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SessionOptions {
    /// The pool's AWS region, e.g. `eu-west-1`.
    pub region: String,
    /// The user pool's id, e.g. `eu-west-1_AbCdEf123`.
    pub user_pool_id: String,
    /// The app client's id (an app client without a secret).
    pub client_id: String,
    /// The app client's refresh token expiration: how long after sign-in
    /// the session ends at the latest. Must equal the app client's setting.
    pub refresh_token_validity: Duration,
    /// Which policy guards the session (the article's two, or `protective`).
    pub preset: PolicyPreset,
    /// How users sign in; `None` picks SRP for AWS and the password flow
    /// for an emulator (`endpoint` set).
    pub sign_in_flow: Option<SignInFlow>,
    /// The pool's managed login domain, for `SignInFlow::Hosted`.
    pub managed_login_domain: Option<String>,
    /// Another Cognito endpoint (an emulator); `None` for AWS.
    pub endpoint: Option<String>,
    /// Where tokens are kept between page loads.
    pub storage: TokenStorage,
    /// How long a call to Cognito may take.
    pub request_timeout: Duration,
    /// The app's own API, which [`crate::api::AuthorizedClient`] calls.
    pub api_base_url: Option<String>,
}

impl Default for SessionOptions {
    fn default() -> Self {
        Self {
            region: String::new(),
            user_pool_id: String::new(),
            client_id: String::new(),
            refresh_token_validity: Duration::from_secs(30 * 24 * 3600),
            preset: PolicyPreset::default(),
            sign_in_flow: None,
            managed_login_domain: None,
            endpoint: None,
            storage: TokenStorage::Session,
            request_timeout: Duration::from_secs(10),
            api_base_url: None,
        }
    }
}

impl SessionOptions {
    /// The settings for a pool and app client, every other setting at its default.
    pub fn new(
        region: impl Into<String>,
        user_pool_id: impl Into<String>,
        client_id: impl Into<String>,
    ) -> Self {
        Self {
            region: region.into(),
            user_pool_id: user_pool_id.into(),
            client_id: client_id.into(),
            ..Self::default()
        }
    }

    /// Checks the settings as `config.json` is checked and makes the
    /// configuration; a mistake names its field (`cognito.region`, …).
    pub fn build(&self) -> Result<AppConfig, ConfigError> {
        AppConfig::from_json(&crate::json::to_string(&self.as_json()))
    }

    /// The settings as the `config.json` document they stand for.
    fn as_json(&self) -> Json {
        let text = |value: &str| Json::String(value.to_owned());
        let duration = |value: Duration| Json::String(format!("{}ms", value.as_millis()));
        let mut cognito = vec![
            ("region", text(&self.region)),
            ("user_pool_id", text(&self.user_pool_id)),
            ("client_id", text(&self.client_id)),
            (
                "refresh_token_validity",
                duration(self.refresh_token_validity),
            ),
            ("request_timeout", duration(self.request_timeout)),
        ];
        if let Some(flow) = self.sign_in_flow {
            cognito.push(("sign_in_flow", text(flow.name())));
        }
        if let Some(domain) = &self.managed_login_domain {
            cognito.push((
                "managed_login",
                Json::object(vec![("domain", text(domain))]),
            ));
        }
        if let Some(endpoint) = &self.endpoint {
            cognito.push(("endpoint", text(endpoint)));
        }
        let storage = match self.storage {
            TokenStorage::Memory => "memory",
            TokenStorage::Session => "session",
            TokenStorage::Local => "local",
        };
        let mut document = vec![
            ("cognito", Json::object(cognito)),
            (
                "session",
                Json::object(vec![("preset", text(self.preset.name()))]),
            ),
            ("storage", text(storage)),
        ];
        if let Some(base_url) = &self.api_base_url {
            document.push(("api", Json::object(vec![("base_url", text(base_url))])));
        }
        Json::object(document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aws() -> SessionOptions {
        let mut options = SessionOptions::new(
            "eu-west-1",
            "eu-west-1_AbCdEf123",
            "1example23456789abcdefghij",
        );
        options.sign_in_flow = Some(SignInFlow::Password);
        options
    }

    #[test]
    fn options_from_rust_make_the_same_configuration_as_the_same_config_json() {
        let mut options = aws();
        options.refresh_token_validity = Duration::from_secs(12 * 3600);
        options.preset = PolicyPreset::Strict;
        options.storage = TokenStorage::Local;
        options.api_base_url = Some("https://api.example.com".into());
        let from_rust = options.build().expect("valid");
        let from_json = AppConfig::from_json(
            r#"{"cognito":{"region":"eu-west-1","user_pool_id":"eu-west-1_AbCdEf123",
                "client_id":"1example23456789abcdefghij","refresh_token_validity":"12h",
                "sign_in_flow":"password"},
                "session":{"preset":"strict"},"storage":"local",
                "api":{"base_url":"https://api.example.com"}}"#,
        )
        .expect("valid");
        assert_eq!(from_rust, from_json);
    }

    #[test]
    fn broken_options_name_the_field_and_the_fix_as_config_json_does() {
        let mut options = aws();
        options.region = String::new();
        assert_eq!(options.build().unwrap_err().field, "cognito.region");

        let mut options = aws();
        options.request_timeout = Duration::ZERO;
        let error = options.build().unwrap_err();
        assert_eq!(error.field, "cognito.request_timeout");
        assert!(error.to_string().contains("10s"), "{error}");

        // Cognito allows refresh tokens from 1 hour to 10 years.
        let mut options = aws();
        options.refresh_token_validity = Duration::from_secs(11 * 365 * 24 * 3600);
        assert_eq!(
            options.build().unwrap_err().field,
            "cognito.refresh_token_validity"
        );

        #[cfg(feature = "managed-login")]
        {
            let mut options = aws();
            options.sign_in_flow = Some(SignInFlow::Hosted);
            assert_eq!(
                options.build().unwrap_err().field,
                "cognito.managed_login.domain"
            );
            options.managed_login_domain =
                Some("https://myapp.auth.eu-west-1.amazoncognito.com".into());
            assert!(options.build().is_ok());
        }
    }
}
