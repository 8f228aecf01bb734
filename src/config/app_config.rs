//! `config.json`: the raw shape read with serde, and the validated `AppConfig`.
//!
//! Unknown fields are refused (`deny_unknown_fields`) because a misspelt knob
//! silently falling back to a default is exactly the kind of mistake that
//! makes a session end early in production.

use std::time::Duration;

use serde::Deserialize;

use super::duration::parse_duration;
use super::error::ConfigError;

/// Cognito's allowed refresh token validity: 60 minutes to 10 years.
const COGNITO_MIN_REFRESH_VALIDITY: Duration = Duration::from_secs(60 * 60);
const COGNITO_MAX_REFRESH_VALIDITY: Duration = Duration::from_secs(3650 * 86_400);

/// The validated configuration the app runs on.
#[derive(Debug, Clone, PartialEq)]
pub struct AppConfig {
    pub cognito: CognitoConfig,
    pub session: SessionConfig,
    pub storage: TokenStorage,
    pub api: ApiConfig,
    /// Notes for the console: accepted settings that would be refused against
    /// real Cognito (e.g. a 60-second refresh validity on an emulator).
    pub notes: Vec<String>,
}

/// Where the identity provider is and how to check its tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct CognitoConfig {
    pub region: String,
    pub user_pool_id: String,
    pub client_id: String,
    /// The JSON API endpoint: the configured override (an emulator) or the
    /// regional Cognito endpoint.
    pub endpoint: String,
    /// True when `endpoint` was overridden (an emulator or a proxy).
    pub endpoint_overridden: bool,
    /// The `iss` every token must carry.
    pub issuer: String,
    /// Where the signing keys are; emulators serve them at another host than
    /// their issuer, so this is configurable on its own.
    pub jwks_url: String,
    /// The app client's refresh token validity: with `auth_time` it fixes the
    /// session's hard end, which the refresh token itself does not say.
    pub refresh_token_validity: Duration,
    /// Refresh token rotation on the app client (GetTokensFromRefreshToken).
    pub refresh_token_rotation: bool,
    /// How long one call to Cognito may take before it counts as failed.
    pub request_timeout: Duration,
}

/// The session policy: a named preset plus knob overrides.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionConfig {
    pub preset: String,
    pub overrides: PolicyKnobs,
}

/// Knob overrides for the session policy; `None` keeps the preset's value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PolicyKnobs {
    pub refresh_lead: Option<Duration>,
    pub idle_timeout: Option<Duration>,
    pub idle_warning_lead: Option<Duration>,
    pub session_end_warning_leads: Option<Vec<Duration>>,
    pub min_session_at_load: Option<Duration>,
    pub min_session_after_idle: Option<Duration>,
    pub idle_gap: Option<Duration>,
    pub reauth_in_place: Option<bool>,
    pub autosave: Option<bool>,
    pub retry_initial: Option<Duration>,
    pub retry_max: Option<Duration>,
}

/// Where the tokens are kept between page loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenStorage {
    /// Only in this tab's memory: a reload signs out (other open tabs can hand
    /// the session over).
    Memory,
    /// `sessionStorage`: survives reloads of this tab.
    Session,
    /// `localStorage`: shared by every tab of this origin.
    Local,
}

/// The app's own API.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiConfig {
    pub base_url: Option<String>,
    pub token: ApiToken,
}

/// Which token the app's API receives as `Authorization: Bearer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiToken {
    /// The ID token (the default: it says who the user is, which is what the
    /// app's API needs; see the article).
    Id,
    Access,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    cognito: Option<RawCognito>,
    #[serde(default)]
    session: RawSession,
    storage: Option<String>,
    #[serde(default)]
    api: RawApi,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCognito {
    region: Option<String>,
    user_pool_id: Option<String>,
    client_id: Option<String>,
    endpoint: Option<String>,
    issuer: Option<String>,
    jwks_url: Option<String>,
    refresh_token_validity: Option<String>,
    #[serde(default)]
    refresh_token_rotation: bool,
    request_timeout: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSession {
    preset: Option<String>,
    #[serde(default)]
    overrides: RawKnobs,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawKnobs {
    refresh_lead: Option<String>,
    idle_timeout: Option<String>,
    idle_warning_lead: Option<String>,
    session_end_warning_leads: Option<Vec<String>>,
    min_session_at_load: Option<String>,
    min_session_after_idle: Option<String>,
    idle_gap: Option<String>,
    reauth_in_place: Option<bool>,
    autosave: Option<bool>,
    retry_initial: Option<String>,
    retry_max: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawApi {
    base_url: Option<String>,
    token: Option<String>,
}

const PRESETS: [&str; 4] = ["standard", "solution_one", "strict", "protective"];

impl AppConfig {
    /// Parses and validates `config.json`.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let raw: RawConfig = serde_json::from_str(text).map_err(|error| {
            ConfigError::new(
                "config.json",
                format!("is not valid: {error}"),
                "Fix the JSON at that line and column; see config.example.json for every field.",
            )
        })?;
        let cognito = validate_cognito(raw.cognito.ok_or_else(|| {
            missing("cognito", "an object with region, user_pool_id, client_id and refresh_token_validity")
        })?)?;
        let mut notes = Vec::new();
        check_refresh_validity(&cognito, &mut notes)?;
        let session = validate_session(raw.session)?;
        let storage = match raw.storage.as_deref().unwrap_or("session") {
            "memory" => TokenStorage::Memory,
            "session" => TokenStorage::Session,
            "local" => TokenStorage::Local,
            other => {
                return Err(ConfigError::new(
                    "storage",
                    format!("\"{other}\" is not a token storage"),
                    "Use \"memory\", \"session\" or \"local\".",
                ));
            }
        };
        let api = validate_api(raw.api)?;
        Ok(Self { cognito, session, storage, api, notes })
    }
}

fn missing(field: &str, what: &str) -> ConfigError {
    ConfigError::new(field, "is missing", format!("Add \"{}\": {what}.", field.rsplit('.').next().unwrap_or(field)))
}

fn required_text(value: Option<String>, field: &str, what: &str) -> Result<String, ConfigError> {
    match value {
        Some(text) if !text.trim().is_empty() => Ok(text.trim().to_owned()),
        Some(_) => Err(ConfigError::new(field, "is empty", format!("Set it to {what}."))),
        None => Err(missing(field, what)),
    }
}

fn duration_field(value: Option<&str>, field: &str) -> Result<Option<Duration>, ConfigError> {
    value
        .map(|text| {
            parse_duration(text).map_err(|error| {
                ConfigError::new(field, error.to_string(), "Durations look like \"30d\", \"20m\", \"90s\" or \"1h30m\".")
            })
        })
        .transpose()
}

fn url_field(value: Option<String>, field: &str) -> Result<Option<String>, ConfigError> {
    match value {
        None => Ok(None),
        Some(url) => {
            let url = url.trim().to_owned();
            let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
            match rest {
                Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(Some(url)),
                _ => Err(ConfigError::new(
                    field,
                    format!("\"{url}\" is not an http(s) URL"),
                    "Write a full URL such as \"http://127.0.0.1:9229\".",
                )),
            }
        }
    }
}

fn validate_cognito(raw: RawCognito) -> Result<CognitoConfig, ConfigError> {
    let region = required_text(raw.region, "cognito.region", "the pool's AWS region, e.g. \"us-east-1\"")?;
    if !region.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(ConfigError::new(
            "cognito.region",
            format!("\"{region}\" is not an AWS region name"),
            "Use the region part of the user pool id, e.g. \"eu-west-1\".",
        ));
    }
    let user_pool_id = required_text(
        raw.user_pool_id,
        "cognito.user_pool_id",
        "the user pool id, e.g. \"eu-west-1_AbCdEf123\"",
    )?;
    let pool_ok = user_pool_id
        .split_once('_')
        .is_some_and(|(prefix, id)| !prefix.is_empty() && !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric()));
    if !pool_ok {
        return Err(ConfigError::new(
            "cognito.user_pool_id",
            format!("\"{user_pool_id}\" is not a user pool id"),
            "Copy it from the Cognito console (<region>_<id>, e.g. \"eu-west-1_AbCdEf123\").",
        ));
    }
    let client_id = required_text(raw.client_id, "cognito.client_id", "the app client id (an app client without a secret)")?;
    if !client_id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ConfigError::new(
            "cognito.client_id",
            "contains characters an app client id never has",
            "Copy the app client id from the Cognito console (letters and digits only).",
        ));
    }
    let endpoint_override = url_field(raw.endpoint, "cognito.endpoint")?;
    let endpoint_overridden = endpoint_override.is_some();
    let endpoint = endpoint_override.unwrap_or_else(|| format!("https://cognito-idp.{region}.amazonaws.com/"));
    let issuer = url_field(raw.issuer, "cognito.issuer")?.unwrap_or_else(|| {
        if endpoint_overridden {
            // Emulators such as cognito-local issue tokens under their own origin.
            format!("{}/{user_pool_id}", endpoint.trim_end_matches('/'))
        } else {
            format!("https://cognito-idp.{region}.amazonaws.com/{user_pool_id}")
        }
    });
    let jwks_url = url_field(raw.jwks_url, "cognito.jwks_url")?
        .unwrap_or_else(|| format!("{}/.well-known/jwks.json", issuer.trim_end_matches('/')));
    let refresh_token_validity = duration_field(raw.refresh_token_validity.as_deref(), "cognito.refresh_token_validity")?
        .ok_or_else(|| {
            missing(
                "cognito.refresh_token_validity",
                "the app client's refresh token expiration, e.g. \"30d\" (the token itself does not say it)",
            )
        })?;
    let request_timeout = duration_field(raw.request_timeout.as_deref(), "cognito.request_timeout")?
        .unwrap_or(Duration::from_secs(10));
    if request_timeout.is_zero() {
        return Err(ConfigError::new(
            "cognito.request_timeout",
            "is zero, so every call would time out",
            "Use a few seconds, e.g. \"10s\".",
        ));
    }
    Ok(CognitoConfig {
        region,
        user_pool_id,
        client_id,
        endpoint,
        endpoint_overridden,
        issuer,
        jwks_url,
        refresh_token_validity,
        refresh_token_rotation: raw.refresh_token_rotation,
        request_timeout,
    })
}

/// Cognito only allows 60 minutes to 10 years. Against real Cognito anything
/// else is a typo; emulators run sessions of seconds, so there it is a note.
fn check_refresh_validity(cognito: &CognitoConfig, notes: &mut Vec<String>) -> Result<(), ConfigError> {
    let validity = cognito.refresh_token_validity;
    if validity.is_zero() {
        return Err(ConfigError::new(
            "cognito.refresh_token_validity",
            "is zero",
            "Set the app client's refresh token expiration, e.g. \"30d\".",
        ));
    }
    if (COGNITO_MIN_REFRESH_VALIDITY..=COGNITO_MAX_REFRESH_VALIDITY).contains(&validity) {
        return Ok(());
    }
    let shown = super::HumanDuration(validity);
    if cognito.endpoint_overridden {
        notes.push(format!(
            "cognito.refresh_token_validity {shown} is outside Cognito's 60 minutes to 10 years; accepted because the endpoint is overridden (an emulator)."
        ));
        Ok(())
    } else {
        Err(ConfigError::new(
            "cognito.refresh_token_validity",
            format!("{shown} is outside what Cognito allows (60 minutes to 10 years)"),
            "Copy the app client's refresh token expiration from the Cognito console.",
        ))
    }
}

fn validate_session(raw: RawSession) -> Result<SessionConfig, ConfigError> {
    let preset = raw.preset.unwrap_or_else(|| "protective".to_owned());
    if !PRESETS.contains(&preset.as_str()) {
        return Err(ConfigError::new(
            "session.preset",
            format!("\"{preset}\" is not a session policy"),
            "Use \"standard\", \"solution_one\", \"strict\" or \"protective\".",
        ));
    }
    let k = raw.overrides;
    let field = |name: &str| format!("session.overrides.{name}");
    let session_end_warning_leads = k
        .session_end_warning_leads
        .map(|leads| {
            leads
                .iter()
                .enumerate()
                .map(|(index, lead)| {
                    duration_field(Some(lead), &format!("session.overrides.session_end_warning_leads[{index}]"))
                        .map(|lead| lead.unwrap_or_default())
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let overrides = PolicyKnobs {
        refresh_lead: duration_field(k.refresh_lead.as_deref(), &field("refresh_lead"))?,
        idle_timeout: duration_field(k.idle_timeout.as_deref(), &field("idle_timeout"))?,
        idle_warning_lead: duration_field(k.idle_warning_lead.as_deref(), &field("idle_warning_lead"))?,
        session_end_warning_leads,
        min_session_at_load: duration_field(k.min_session_at_load.as_deref(), &field("min_session_at_load"))?,
        min_session_after_idle: duration_field(k.min_session_after_idle.as_deref(), &field("min_session_after_idle"))?,
        idle_gap: duration_field(k.idle_gap.as_deref(), &field("idle_gap"))?,
        reauth_in_place: k.reauth_in_place,
        autosave: k.autosave,
        retry_initial: duration_field(k.retry_initial.as_deref(), &field("retry_initial"))?,
        retry_max: duration_field(k.retry_max.as_deref(), &field("retry_max"))?,
    };
    Ok(SessionConfig { preset, overrides })
}

fn validate_api(raw: RawApi) -> Result<ApiConfig, ConfigError> {
    let base_url = url_field(raw.base_url, "api.base_url")?.map(|url| url.trim_end_matches('/').to_owned());
    let token = match raw.token.as_deref().unwrap_or("id") {
        "id" => ApiToken::Id,
        "access" => ApiToken::Access,
        other => {
            return Err(ConfigError::new(
                "api.token",
                format!("\"{other}\" is not a token the API can receive"),
                "Use \"id\" (recommended) or \"access\".",
            ));
        }
    };
    Ok(ApiConfig { base_url, token })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCAL: &str = r#"{
        "cognito": {
            "region": "us-east-1",
            "user_pool_id": "local_4Xb9QkPz",
            "client_id": "7hd2kq0c1rbm5a2nfxk9m3w8z",
            "endpoint": "http://127.0.0.1:9229/",
            "refresh_token_validity": "20m"
        }
    }"#;

    fn error_of(json: &str) -> ConfigError {
        AppConfig::from_json(json).expect_err("config should be refused")
    }

    #[test]
    fn minimal_local_config_gets_emulator_defaults() {
        let config = AppConfig::from_json(LOCAL).expect("valid");
        assert_eq!(config.cognito.issuer, "http://127.0.0.1:9229/local_4Xb9QkPz");
        assert_eq!(config.cognito.jwks_url, "http://127.0.0.1:9229/local_4Xb9QkPz/.well-known/jwks.json");
        assert_eq!(config.cognito.refresh_token_validity, Duration::from_secs(1_200));
        assert_eq!(config.cognito.request_timeout, Duration::from_secs(10));
        assert_eq!(config.session.preset, "protective");
        assert_eq!(config.storage, TokenStorage::Session);
        assert_eq!(config.api.token, ApiToken::Id);
        assert_eq!(config.notes.len(), 1, "20m is below Cognito's minimum: noted, accepted");
    }

    #[test]
    fn real_cognito_defaults_to_the_regional_endpoint_and_issuer() {
        let config = AppConfig::from_json(
            r#"{"cognito":{"region":"eu-west-1","user_pool_id":"eu-west-1_AbC123","client_id":"abc123","refresh_token_validity":"30d"},
                "storage":"local","api":{"base_url":"https://api.example.com/","token":"access"},
                "session":{"preset":"strict","overrides":{"idle_timeout":"20m","session_end_warning_leads":["15m","2m"]}}}"#,
        )
        .expect("valid");
        assert_eq!(config.cognito.endpoint, "https://cognito-idp.eu-west-1.amazonaws.com/");
        assert_eq!(config.cognito.issuer, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123");
        assert!(!config.cognito.endpoint_overridden);
        assert!(config.notes.is_empty());
        assert_eq!(config.storage, TokenStorage::Local);
        assert_eq!(config.api.base_url.as_deref(), Some("https://api.example.com"));
        assert_eq!(config.api.token, ApiToken::Access);
        assert_eq!(config.session.overrides.idle_timeout, Some(Duration::from_secs(1_200)));
        assert_eq!(
            config.session.overrides.session_end_warning_leads,
            Some(vec![Duration::from_secs(900), Duration::from_secs(120)])
        );
    }

    #[test]
    fn moto_style_issuer_and_jwks_are_separate() {
        let config = AppConfig::from_json(
            r#"{"cognito":{"region":"us-east-1","user_pool_id":"us-east-1_abc","client_id":"c1","refresh_token_validity":"1h",
               "endpoint":"http://127.0.0.1:5055","issuer":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
               "jwks_url":"http://127.0.0.1:5055/us-east-1_abc/.well-known/jwks.json"}}"#,
        )
        .expect("valid");
        assert_eq!(config.cognito.issuer, "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc");
        assert_eq!(config.cognito.jwks_url, "http://127.0.0.1:5055/us-east-1_abc/.well-known/jwks.json");
    }

    #[test]
    fn broken_json_names_the_file_and_position() {
        let error = error_of("{\"cognito\": {");
        assert_eq!(error.field, "config.json");
        assert!(error.problem.contains("line 1"), "{}", error.problem);
    }

    #[test]
    fn each_required_field_is_named_when_missing() {
        assert_eq!(error_of("{}").field, "cognito");
        for (field, json) in [
            ("cognito.region", r#"{"cognito":{"user_pool_id":"a_b","client_id":"c","refresh_token_validity":"1h"}}"#),
            ("cognito.user_pool_id", r#"{"cognito":{"region":"us-east-1","client_id":"c","refresh_token_validity":"1h"}}"#),
            ("cognito.client_id", r#"{"cognito":{"region":"us-east-1","user_pool_id":"a_b","refresh_token_validity":"1h"}}"#),
            ("cognito.refresh_token_validity", r#"{"cognito":{"region":"us-east-1","user_pool_id":"a_b","client_id":"c"}}"#),
        ] {
            let error = error_of(json);
            assert_eq!(error.field, field);
            assert_eq!(error.problem, "is missing");
        }
    }

    #[test]
    fn misspelt_fields_are_refused_not_ignored() {
        let error = error_of(
            r#"{"cognito":{"region":"us-east-1","user_pool_id":"a_b","clientId":"c","refresh_token_validity":"1h"}}"#,
        );
        assert!(error.problem.contains("unknown field `clientId`"), "{}", error.problem);
    }

    #[test]
    fn bad_values_say_how_to_fix_them() {
        let base = |patch: &str| {
            format!(
                r#"{{"cognito":{{"region":"us-east-1","user_pool_id":"us-east-1_abc","client_id":"c1","refresh_token_validity":"30d"{patch}}}}}"#
            )
        };
        assert_eq!(error_of(&base(r#","endpoint":"localhost:9229""#)).field, "cognito.endpoint");
        assert_eq!(error_of(&base(r#","request_timeout":"0s""#)).field, "cognito.request_timeout");
        assert_eq!(error_of(&base(r#","request_timeout":"10""#)).field, "cognito.request_timeout");
        let pool = error_of(
            r#"{"cognito":{"region":"us-east-1","user_pool_id":"nounderscore","client_id":"c1","refresh_token_validity":"30d"}}"#,
        );
        assert_eq!(pool.field, "cognito.user_pool_id");
        let preset = error_of(
            r#"{"cognito":{"region":"us-east-1","user_pool_id":"us-east-1_abc","client_id":"c1","refresh_token_validity":"30d"},"session":{"preset":"lenient"}}"#,
        );
        assert_eq!(preset.field, "session.preset");
        assert!(preset.fix.contains("protective"));
        let knob = error_of(
            r#"{"cognito":{"region":"us-east-1","user_pool_id":"us-east-1_abc","client_id":"c1","refresh_token_validity":"30d"},"session":{"overrides":{"session_end_warning_leads":["15m","2x"]}}}"#,
        );
        assert_eq!(knob.field, "session.overrides.session_end_warning_leads[1]");
        let storage = error_of(
            r#"{"cognito":{"region":"us-east-1","user_pool_id":"us-east-1_abc","client_id":"c1","refresh_token_validity":"30d"},"storage":"cookie"}"#,
        );
        assert_eq!(storage.field, "storage");
    }

    #[test]
    fn refresh_validity_outside_cognito_limits_is_refused_for_real_cognito() {
        let error = error_of(
            r#"{"cognito":{"region":"us-east-1","user_pool_id":"us-east-1_abc","client_id":"c1","refresh_token_validity":"20m"}}"#,
        );
        assert_eq!(error.field, "cognito.refresh_token_validity");
        assert!(error.problem.contains("60 minutes to 10 years"));
        let long = error_of(
            r#"{"cognito":{"region":"us-east-1","user_pool_id":"us-east-1_abc","client_id":"c1","refresh_token_validity":"3651d"}}"#,
        );
        assert_eq!(long.field, "cognito.refresh_token_validity");
    }
}
