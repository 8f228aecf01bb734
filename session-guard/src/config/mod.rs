//! The runtime configuration (`config.json`, fetched at start): which Cognito
//! user pool, which session policy, where tokens are kept, and which API gets
//! which token. Parsing and validation are pure so they are tested natively;
//! the fetch lives in `browser::config_source`.

mod app_config;
mod duration;
mod error;
mod options;
mod password_policy;

pub use app_config::{ApiConfig, ApiToken, AppConfig, TokenStorage};
pub use error::ConfigError;
pub use options::SessionOptions;
pub use password_policy::{COGNITO_SYMBOLS, PasswordPolicy};
