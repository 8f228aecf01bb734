//! `config.json`: the raw shape as written, and the validated `AppConfig`.
//!
//! Unknown fields are refused (and the error lists the fields their object
//! takes) because a misspelt knob silently falling back to a default is
//! exactly the kind of mistake that makes a session end early in production.

use std::time::Duration;

use super::duration::parse_duration;
use super::error::ConfigError;
use super::password_policy::PasswordPolicy;
use crate::cognito::{CognitoConfig, DEFAULT_CLOCK_LEEWAY_SECS, ManagedLoginConfig, SignInFlow};
use crate::json::{FromJson, Json, JsonError, Object, Problem};
use crate::session::{
    DraftRetention, IdentityEndpoint, PolicyError, PolicyOverrides, PolicyPreset, SessionPolicy,
    SessionSettings,
};

/// The validated configuration the app runs on.
#[derive(Debug, Clone, PartialEq)]
pub struct AppConfig {
    /// The user pool and app client (`cognito`).
    pub cognito: CognitoConfig,
    /// The pool's password rules, shown when a new user chooses a password.
    pub password_policy: PasswordPolicy,
    /// The named policy the knobs started from (shown in the settings view).
    pub preset: PolicyPreset,
    /// The session policy: the preset with `session.overrides` applied, validated.
    pub policy: SessionPolicy,
    /// What the session core needs to know about the app client.
    pub settings: SessionSettings,
    /// Where the tokens are kept between page loads (`storage`).
    pub storage: TokenStorage,
    /// The app's own API (`api`), for [`crate::api::AuthorizedClient`].
    pub api: ApiConfig,
    /// How long drafts are kept on the device after their last save.
    pub drafts: DraftRetention,
    /// Notes for the console: accepted settings that would be refused against
    /// real Cognito (e.g. a 60-second refresh validity on an emulator).
    pub notes: Vec<String>,
}

/// Where the tokens are kept between page loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenStorage {
    /// Only in this tab's memory: a reload signs out (other open tabs can hand
    /// the session over).
    Memory,
    /// `sessionStorage`: survives reloads of this tab; a tab with nothing
    /// stored (or an old copy) takes the session the open tabs offer.
    Session,
    /// `localStorage`: shared by every tab of this origin.
    Local,
}

/// The app's own API.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiConfig {
    /// The API's address, without a trailing slash; request paths are
    /// appended to it. `None`: no API is configured.
    pub base_url: Option<String>,
    /// Which token it receives.
    pub token: ApiToken,
    /// How long one API request may take before it is abandoned (the
    /// user's work is kept and the page says to try again).
    pub request_timeout: Duration,
}

/// Which token the app's API receives as `Authorization: Bearer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiToken {
    /// The ID token (the default: it says who the user is, which is what the
    /// app's API needs; see the article).
    Id,
    /// The access token, for an API that checks scopes.
    Access,
}

struct RawConfig {
    cognito: Option<RawCognito>,
    session: RawSession,
    storage: Option<String>,
    api: RawApi,
    drafts: RawDrafts,
}

#[derive(Default)]
struct RawDrafts {
    max_age: Option<String>,
}

struct RawCognito {
    region: Option<String>,
    user_pool_id: Option<String>,
    client_id: Option<String>,
    endpoint: Option<String>,
    issuer: Option<String>,
    jwks_url: Option<String>,
    refresh_token_validity: Option<String>,
    refresh_token_rotation: bool,
    request_timeout: Option<String>,
    sign_in_flow: Option<String>,
    password_policy: Option<RawPasswordPolicy>,
    managed_login: Option<RawManagedLogin>,
}

struct RawManagedLogin {
    domain: Option<String>,
    redirect_uri: Option<String>,
    logout_uri: Option<String>,
    scopes: Option<Vec<String>>,
    identity_provider: Option<String>,
}

struct RawPasswordPolicy {
    min_length: Option<u64>,
    require_lowercase: Option<bool>,
    require_uppercase: Option<bool>,
    require_numbers: Option<bool>,
    require_symbols: Option<bool>,
}

#[derive(Default)]
struct RawSession {
    preset: Option<String>,
    overrides: RawKnobs,
}

/// Knob overrides; names match [`PolicyOverrides`]. Durations are human
/// strings; `"off"` switches an optional knob off.
#[derive(Default)]
struct RawKnobs {
    refresh_lead: Option<String>,
    watch_session_end: Option<bool>,
    idle_timeout: Option<String>,
    idle_warning_lead: Option<String>,
    session_end_warning_leads: Option<Vec<String>>,
    min_remaining_at_load: Option<String>,
    min_remaining_on_return: Option<String>,
    return_idle_gap: Option<String>,
    reauth_in_place: Option<bool>,
    autosave: Option<bool>,
    save_drafts_before_sign_out: Option<bool>,
    retry_backoff_base: Option<String>,
    retry_backoff_cap: Option<String>,
    activity_broadcast_interval: Option<String>,
}

#[derive(Default)]
struct RawApi {
    base_url: Option<String>,
    token: Option<String>,
    request_timeout: Option<String>,
}

const CONFIG_FIELDS: &[&str] = &["cognito", "session", "storage", "api", "drafts"];
const DRAFTS_FIELDS: &[&str] = &["max_age"];
const COGNITO_FIELDS: &[&str] = &[
    "region",
    "user_pool_id",
    "client_id",
    "endpoint",
    "issuer",
    "jwks_url",
    "refresh_token_validity",
    "refresh_token_rotation",
    "request_timeout",
    "sign_in_flow",
    "password_policy",
    "managed_login",
];
const MANAGED_LOGIN_FIELDS: &[&str] = &[
    "domain",
    "redirect_uri",
    "logout_uri",
    "scopes",
    "identity_provider",
];
const PASSWORD_POLICY_FIELDS: &[&str] = &[
    "min_length",
    "require_lowercase",
    "require_uppercase",
    "require_numbers",
    "require_symbols",
];
const SESSION_FIELDS: &[&str] = &["preset", "overrides"];
const KNOB_FIELDS: &[&str] = &[
    "refresh_lead",
    "watch_session_end",
    "idle_timeout",
    "idle_warning_lead",
    "session_end_warning_leads",
    "min_remaining_at_load",
    "min_remaining_on_return",
    "return_idle_gap",
    "reauth_in_place",
    "autosave",
    "save_drafts_before_sign_out",
    "retry_backoff_base",
    "retry_backoff_cap",
    "activity_broadcast_interval",
];
const API_FIELDS: &[&str] = &["base_url", "token", "request_timeout"];

/// The refusal of a member no settings object of `config.json` has.
const UNKNOWN_SETTING: &str = "is not a setting this app knows";

/// The settings object `value` must be, holding only the members `known`.
fn settings<'a>(value: &'a Json, known: &[&str]) -> Result<&'a Object, JsonError> {
    let object = value.object_or_err()?;
    match object.unknown_key(known) {
        Some(key) => Err(JsonError::invalid(UNKNOWN_SETTING).within(key)),
        None => Ok(object),
    }
}

/// The members the settings object at dotted path `parent` may have.
fn known_settings(parent: &str) -> &'static [&'static str] {
    match parent {
        "" => CONFIG_FIELDS,
        "drafts" => DRAFTS_FIELDS,
        "cognito" => COGNITO_FIELDS,
        "cognito.managed_login" => MANAGED_LOGIN_FIELDS,
        "cognito.password_policy" => PASSWORD_POLICY_FIELDS,
        "session" => SESSION_FIELDS,
        "session.overrides" => KNOB_FIELDS,
        "api" => API_FIELDS,
        _ => &[],
    }
}

impl FromJson for RawConfig {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let o = settings(value, CONFIG_FIELDS)?;
        Ok(Self {
            cognito: o.field("cognito")?,
            session: o.field_or_default("session")?,
            storage: o.field("storage")?,
            api: o.field_or_default("api")?,
            drafts: o.field_or_default("drafts")?,
        })
    }
}

impl FromJson for RawDrafts {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let o = settings(value, DRAFTS_FIELDS)?;
        Ok(Self {
            max_age: o.field("max_age")?,
        })
    }
}

impl FromJson for RawCognito {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let o = settings(value, COGNITO_FIELDS)?;
        Ok(Self {
            region: o.field("region")?,
            user_pool_id: o.field("user_pool_id")?,
            client_id: o.field("client_id")?,
            endpoint: o.field("endpoint")?,
            issuer: o.field("issuer")?,
            jwks_url: o.field("jwks_url")?,
            refresh_token_validity: o.field("refresh_token_validity")?,
            refresh_token_rotation: o.field_or_default("refresh_token_rotation")?,
            request_timeout: o.field("request_timeout")?,
            sign_in_flow: o.field("sign_in_flow")?,
            password_policy: o.field("password_policy")?,
            managed_login: o.field("managed_login")?,
        })
    }
}

impl FromJson for RawManagedLogin {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let o = settings(value, MANAGED_LOGIN_FIELDS)?;
        Ok(Self {
            domain: o.field("domain")?,
            redirect_uri: o.field("redirect_uri")?,
            logout_uri: o.field("logout_uri")?,
            scopes: o.field("scopes")?,
            identity_provider: o.field("identity_provider")?,
        })
    }
}

impl FromJson for RawPasswordPolicy {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let o = settings(value, PASSWORD_POLICY_FIELDS)?;
        Ok(Self {
            min_length: o.field("min_length")?,
            require_lowercase: o.field("require_lowercase")?,
            require_uppercase: o.field("require_uppercase")?,
            require_numbers: o.field("require_numbers")?,
            require_symbols: o.field("require_symbols")?,
        })
    }
}

impl FromJson for RawSession {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let o = settings(value, SESSION_FIELDS)?;
        Ok(Self {
            preset: o.field("preset")?,
            overrides: o.field_or_default("overrides")?,
        })
    }
}

impl FromJson for RawKnobs {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let o = settings(value, KNOB_FIELDS)?;
        Ok(Self {
            refresh_lead: o.field("refresh_lead")?,
            watch_session_end: o.field("watch_session_end")?,
            idle_timeout: o.field("idle_timeout")?,
            idle_warning_lead: o.field("idle_warning_lead")?,
            session_end_warning_leads: o.field("session_end_warning_leads")?,
            min_remaining_at_load: o.field("min_remaining_at_load")?,
            min_remaining_on_return: o.field("min_remaining_on_return")?,
            return_idle_gap: o.field("return_idle_gap")?,
            reauth_in_place: o.field("reauth_in_place")?,
            autosave: o.field("autosave")?,
            save_drafts_before_sign_out: o.field("save_drafts_before_sign_out")?,
            retry_backoff_base: o.field("retry_backoff_base")?,
            retry_backoff_cap: o.field("retry_backoff_cap")?,
            activity_broadcast_interval: o.field("activity_broadcast_interval")?,
        })
    }
}

impl FromJson for RawApi {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let o = settings(value, API_FIELDS)?;
        Ok(Self {
            base_url: o.field("base_url")?,
            token: o.field("token")?,
            request_timeout: o.field("request_timeout")?,
        })
    }
}

/// Says what is wrong with the text or shape of `config.json`, naming the
/// field, and how to fix it.
fn shape_error(error: JsonError) -> ConfigError {
    let field = if error.path.is_empty() {
        "config.json"
    } else {
        error.path.as_str()
    };
    match error.problem {
        Problem::Syntax { .. } => ConfigError::new(
            "config.json",
            format!("is not valid: {error}"),
            "Fix the JSON at that line and column; see config.example.json for every field.",
        ),
        Problem::Invalid(UNKNOWN_SETTING) => {
            let parent = field.rsplit_once('.').map_or("", |(parent, _)| parent);
            let holder = if parent.is_empty() {
                "config.json"
            } else {
                parent
            };
            ConfigError::new(
                field,
                UNKNOWN_SETTING,
                format!(
                    "Check its spelling: {holder} takes {}.",
                    known_settings(parent).join(", ")
                ),
            )
        }
        Problem::NotA(kind) => ConfigError::new(
            field,
            format!("is not {kind}"),
            "Write it as config.example.json does: durations and names in quotes, switches as true or false.",
        ),
        Problem::Missing | Problem::Invalid(_) => ConfigError::new(
            field,
            error.to_string(),
            "See config.example.json for every field.",
        ),
    }
}

impl AppConfig {
    /// Parses and validates `config.json`.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let raw: RawConfig = crate::json::from_str(text).map_err(shape_error)?;
        let mut raw_cognito = raw.cognito.ok_or_else(|| {
            missing(
                "cognito",
                "an object with region, user_pool_id, client_id and refresh_token_validity",
            )
        })?;
        let password_policy = validate_password_policy(raw_cognito.password_policy.take())?;
        let cognito = validate_cognito(raw_cognito)?;
        let (preset, policy) = validate_session(raw.session)?;
        let mut settings = SessionSettings::new(cognito.refresh_token_validity);
        settings.refresh_answer_limit =
            crate::session::settings::refresh_answer_limit_for(cognito.request_timeout);
        settings.endpoint = if cognito.endpoint_overridden() {
            IdentityEndpoint::Overridden
        } else {
            IdentityEndpoint::Cognito
        };
        let notes = match settings.validate(&policy) {
            Ok(note) => note.into_iter().map(|note| note.to_string()).collect(),
            Err(error) => return Err(policy_error(error)),
        };
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
        let drafts = validate_drafts(raw.drafts)?;
        Ok(Self {
            cognito,
            password_policy,
            preset,
            policy,
            settings,
            storage,
            api,
            drafts,
            notes,
        })
    }
}

fn missing(field: &str, what: &str) -> ConfigError {
    ConfigError::new(
        field,
        "is missing",
        format!(
            "Add \"{}\": {what}.",
            field.rsplit('.').next().unwrap_or(field)
        ),
    )
}

fn required_text(value: Option<String>, field: &str, what: &str) -> Result<String, ConfigError> {
    match value {
        Some(text) if !text.trim().is_empty() => Ok(text.trim().to_owned()),
        Some(_) => Err(ConfigError::new(
            field,
            "is empty",
            format!("Set it to {what}."),
        )),
        None => Err(missing(field, what)),
    }
}

fn duration_field(value: Option<&str>, field: &str) -> Result<Option<Duration>, ConfigError> {
    value
        .map(|text| {
            parse_duration(text).map_err(|error| {
                ConfigError::new(
                    field,
                    error.to_string(),
                    "Durations look like \"30d\", \"20m\", \"90s\" or \"1h30m\".",
                )
            })
        })
        .transpose()
}

fn validate_drafts(raw: RawDrafts) -> Result<DraftRetention, ConfigError> {
    match duration_field(raw.max_age.as_deref(), "drafts.max_age")? {
        None => Ok(DraftRetention::default()),
        Some(max_age) if max_age < Duration::from_secs(60) => Err(ConfigError::new(
            "drafts.max_age",
            "is under a minute, so drafts would be deleted before anyone could come back for them",
            "Use the time a user may take to come back to unsaved work, e.g. \"30d\" (the default) or \"12h\" on shared computers.",
        )),
        Some(max_age) => Ok(DraftRetention::new(max_age)),
    }
}

fn url_field(value: Option<String>, field: &str) -> Result<Option<String>, ConfigError> {
    match value {
        None => Ok(None),
        Some(url) => {
            let url = url.trim().to_owned();
            let rest = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"));
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
    let region = required_text(
        raw.region,
        "cognito.region",
        "the pool's AWS region, e.g. \"us-east-1\"",
    )?;
    if !region
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
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
    let pool_ok = user_pool_id.split_once('_').is_some_and(|(prefix, id)| {
        !prefix.is_empty() && !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric())
    });
    if !pool_ok {
        return Err(ConfigError::new(
            "cognito.user_pool_id",
            format!("\"{user_pool_id}\" is not a user pool id"),
            "Copy it from the Cognito console (<region>_<id>, e.g. \"eu-west-1_AbCdEf123\").",
        ));
    }
    let client_id = required_text(
        raw.client_id,
        "cognito.client_id",
        "the app client id (an app client without a secret)",
    )?;
    if !client_id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ConfigError::new(
            "cognito.client_id",
            "contains characters an app client id never has",
            "Copy the app client id from the Cognito console (letters and digits only).",
        ));
    }
    let endpoint = url_field(raw.endpoint, "cognito.endpoint")?;
    let issuer = url_field(raw.issuer, "cognito.issuer")?.or_else(|| {
        // Emulators such as cognito-local issue tokens under their own origin;
        // one that does not (moto) sets `issuer` explicitly.
        endpoint
            .as_ref()
            .map(|endpoint| format!("{}/{user_pool_id}", endpoint.trim_end_matches('/')))
    });
    let jwks_url = url_field(raw.jwks_url, "cognito.jwks_url")?;
    let refresh_token_validity = duration_field(raw.refresh_token_validity.as_deref(), "cognito.refresh_token_validity")?
        .ok_or_else(|| {
            missing(
                "cognito.refresh_token_validity",
                "the app client's refresh token expiration, e.g. \"30d\" (the token itself does not say it)",
            )
        })?;
    let request_timeout =
        duration_field(raw.request_timeout.as_deref(), "cognito.request_timeout")?
            .unwrap_or(Duration::from_secs(10));
    if request_timeout.is_zero() {
        return Err(ConfigError::new(
            "cognito.request_timeout",
            "is zero, so every call would time out",
            "Use a few seconds, e.g. \"10s\".",
        ));
    }
    let sign_in_flow = match raw.sign_in_flow.as_deref().map(str::trim) {
        Some("srp") => SignInFlow::Srp,
        Some("password") => SignInFlow::Password,
        Some("hosted") => SignInFlow::Hosted,
        // Neither emulator checks SRP proofs (cognito-local has no SRP at all).
        None if endpoint.is_some() => SignInFlow::Password,
        None => SignInFlow::Srp,
        Some(other) => {
            return Err(ConfigError::new(
                "cognito.sign_in_flow",
                format!("\"{other}\" is not a sign-in flow"),
                "Use \"srp\" (USER_SRP_AUTH, what AWS console and Amplify app clients allow), \"password\" \
                 (USER_PASSWORD_AUTH, must be enabled on the app client) or \"hosted\" (managed login, with \
                 cognito.managed_login.domain).",
            ));
        }
    };
    if sign_in_flow == SignInFlow::Srp && !cfg!(feature = "srp") {
        return Err(ConfigError::new(
            "cognito.sign_in_flow",
            "is \"srp\" (the default for AWS pools), but this build has no SRP: session-guard's `srp` feature is off",
            "Enable the `srp` feature of session-guard, or use \"password\" (USER_PASSWORD_AUTH, must be enabled \
             on the app client) or \"hosted\" (managed login, with cognito.managed_login.domain).",
        ));
    }
    if sign_in_flow == SignInFlow::Hosted && !cfg!(feature = "managed-login") {
        return Err(ConfigError::new(
            "cognito.sign_in_flow",
            "is \"hosted\" (managed login), but this build has no managed login: session-guard's `managed-login` feature is off",
            "Enable the `managed-login` feature of session-guard, or use \"srp\" (USER_SRP_AUTH) or \"password\" \
             (USER_PASSWORD_AUTH) with the app's own sign-in form.",
        ));
    }
    let managed_login = raw.managed_login.map(validate_managed_login).transpose()?;
    if sign_in_flow == SignInFlow::Hosted && managed_login.is_none() {
        return Err(missing(
            "cognito.managed_login.domain",
            "the pool's managed login domain, e.g. \"https://myapp.auth.eu-west-1.amazoncognito.com\"",
        ));
    }
    Ok(CognitoConfig {
        region,
        user_pool_id,
        client_id,
        endpoint,
        issuer,
        jwks_url,
        request_timeout,
        sign_in_flow,
        managed_login,
        refresh_token_rotation: raw.refresh_token_rotation,
        clock_leeway_secs: DEFAULT_CLOCK_LEEWAY_SECS,
        refresh_token_validity,
    })
}

fn validate_managed_login(raw: RawManagedLogin) -> Result<ManagedLoginConfig, ConfigError> {
    let domain = url_field(raw.domain, "cognito.managed_login.domain")?.ok_or_else(|| {
        missing(
            "cognito.managed_login.domain",
            "the pool's managed login domain, e.g. \"https://myapp.auth.eu-west-1.amazoncognito.com\"",
        )
    })?;
    if domain.trim_end_matches('/').contains(['?', '#'])
        || domain.trim_end_matches('/').matches('/').count() > 2
    {
        return Err(ConfigError::new(
            "cognito.managed_login.domain",
            format!("\"{domain}\" is not just a domain"),
            "Write only the scheme and host, e.g. \"https://myapp.auth.eu-west-1.amazoncognito.com\" (no path).",
        ));
    }
    let scopes = match raw.scopes {
        Some(scopes)
            if scopes.is_empty()
                || scopes
                    .iter()
                    .any(|s| s.trim().is_empty() || s.contains(' ')) =>
        {
            return Err(ConfigError::new(
                "cognito.managed_login.scopes",
                "has an empty scope, a scope with a space, or none at all",
                "List scopes one per entry, e.g. [\"openid\", \"email\", \"profile\"].",
            ));
        }
        Some(scopes) if !scopes.iter().any(|s| s == "openid") => {
            return Err(ConfigError::new(
                "cognito.managed_login.scopes",
                "does not include \"openid\", without which Cognito sends no ID token",
                "Add \"openid\" to the scopes.",
            ));
        }
        Some(scopes) => scopes,
        None => crate::cognito::managed_login::DEFAULT_SCOPES
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    Ok(ManagedLoginConfig {
        domain: domain.trim_end_matches('/').to_owned(),
        redirect_uri: url_field(raw.redirect_uri, "cognito.managed_login.redirect_uri")?,
        logout_uri: url_field(raw.logout_uri, "cognito.managed_login.logout_uri")?,
        scopes,
        identity_provider: raw
            .identity_provider
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty()),
    })
}

fn validate_password_policy(raw: Option<RawPasswordPolicy>) -> Result<PasswordPolicy, ConfigError> {
    let default = PasswordPolicy::default();
    let Some(raw) = raw else { return Ok(default) };
    let min_length = raw.min_length.unwrap_or(default.min_length as u64);
    // Cognito's own bounds for a pool's minimum length.
    if !(6..=99).contains(&min_length) {
        return Err(ConfigError::new(
            "cognito.password_policy.min_length",
            format!("{min_length} is outside Cognito's range of 6 to 99"),
            "Copy the minimum length from the pool's sign-in settings in the Cognito console.",
        ));
    }
    Ok(PasswordPolicy {
        // Within 6 to 99, so it fits.
        min_length: min_length as usize,
        require_lowercase: raw.require_lowercase.unwrap_or(default.require_lowercase),
        require_uppercase: raw.require_uppercase.unwrap_or(default.require_uppercase),
        require_numbers: raw.require_numbers.unwrap_or(default.require_numbers),
        require_symbols: raw.require_symbols.unwrap_or(default.require_symbols),
    })
}

/// Names the config field behind a policy the session core refused.
fn policy_error(error: PolicyError) -> ConfigError {
    let field = match &error {
        PolicyError::UnknownPreset(_) => "session.preset".to_owned(),
        PolicyError::RefreshValidityOutOfCognitoRange { .. } => {
            "cognito.refresh_token_validity".to_owned()
        }
        PolicyError::ZeroDuration {
            knob: "refresh_token_validity",
        } => "cognito.refresh_token_validity".to_owned(),
        PolicyError::ZeroDuration { knob }
        | PolicyError::RequiresWatchingSessionEnd { knob }
        | PolicyError::LongerThanSession { knob, .. } => format!("session.overrides.{knob}"),
        PolicyError::IdleWarningNotShorterThanIdleTimeout { .. }
        | PolicyError::IdleWarningWithoutIdleTimeout => {
            "session.overrides.idle_warning_lead".to_owned()
        }
        PolicyError::BackoffCapBelowBase { .. } => "session.overrides.retry_backoff_cap".to_owned(),
        PolicyError::RefreshLeadNotShorterThanTokenLifetime { .. } => {
            "session.overrides.refresh_lead".to_owned()
        }
    };
    ConfigError::new(
        field,
        error.to_string(),
        "Change the value or remove the override to keep the preset's.",
    )
}

/// A knob that can be switched off: a duration, or `"off"`.
fn optional_knob(
    value: Option<&str>,
    field: &str,
) -> Result<Option<Option<Duration>>, ConfigError> {
    match value.map(str::trim) {
        Some("off") => Ok(Some(None)),
        other => duration_field(other, field).map(|duration| duration.map(Some)),
    }
}

fn validate_session(raw: RawSession) -> Result<(PolicyPreset, SessionPolicy), ConfigError> {
    let preset: PolicyPreset = match raw.preset {
        None => PolicyPreset::default(),
        Some(name) => name.parse().map_err(|_| {
            ConfigError::new(
                "session.preset",
                format!("\"{name}\" is not a session policy"),
                "Use \"standard\", \"solution_one\", \"strict\" or \"protective\".",
            )
        })?,
    };
    let k = raw.overrides;
    let field = |name: &str| format!("session.overrides.{name}");
    let session_end_warning_leads = k
        .session_end_warning_leads
        .map(|leads| {
            leads
                .iter()
                .enumerate()
                .map(|(index, lead)| {
                    duration_field(
                        Some(lead),
                        &format!("session.overrides.session_end_warning_leads[{index}]"),
                    )
                    .map(Option::unwrap_or_default)
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let overrides = PolicyOverrides {
        refresh_lead: optional_knob(k.refresh_lead.as_deref(), &field("refresh_lead"))?,
        watch_session_end: k.watch_session_end,
        idle_timeout: optional_knob(k.idle_timeout.as_deref(), &field("idle_timeout"))?,
        idle_warning_lead: optional_knob(
            k.idle_warning_lead.as_deref(),
            &field("idle_warning_lead"),
        )?,
        session_end_warning_leads,
        min_remaining_at_load: optional_knob(
            k.min_remaining_at_load.as_deref(),
            &field("min_remaining_at_load"),
        )?,
        min_remaining_on_return: optional_knob(
            k.min_remaining_on_return.as_deref(),
            &field("min_remaining_on_return"),
        )?,
        return_idle_gap: duration_field(k.return_idle_gap.as_deref(), &field("return_idle_gap"))?,
        reauth_in_place: k.reauth_in_place,
        autosave: k.autosave,
        save_drafts_before_sign_out: k.save_drafts_before_sign_out,
        retry_backoff_base: duration_field(
            k.retry_backoff_base.as_deref(),
            &field("retry_backoff_base"),
        )?,
        retry_backoff_cap: duration_field(
            k.retry_backoff_cap.as_deref(),
            &field("retry_backoff_cap"),
        )?,
        activity_broadcast_interval: duration_field(
            k.activity_broadcast_interval.as_deref(),
            &field("activity_broadcast_interval"),
        )?,
    };
    let policy = SessionPolicy::from_preset(preset)
        .with_overrides(&overrides)
        .map_err(policy_error)?;
    Ok((preset, policy))
}

fn validate_api(raw: RawApi) -> Result<ApiConfig, ConfigError> {
    let base_url =
        url_field(raw.base_url, "api.base_url")?.map(|url| url.trim_end_matches('/').to_owned());
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
    let request_timeout = duration_field(raw.request_timeout.as_deref(), "api.request_timeout")?
        .unwrap_or(Duration::from_secs(15));
    if request_timeout.is_zero() {
        return Err(ConfigError::new(
            "api.request_timeout",
            "is zero, so every call would time out",
            "Use a few seconds, e.g. \"15s\".",
        ));
    }
    Ok(ApiConfig {
        base_url,
        token,
        request_timeout,
    })
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
        assert_eq!(
            config.cognito.issuer(),
            "http://127.0.0.1:9229/local_4Xb9QkPz"
        );
        assert_eq!(
            config.cognito.jwks_url(),
            "http://127.0.0.1:9229/local_4Xb9QkPz/.well-known/jwks.json"
        );
        assert_eq!(config.cognito.endpoint_url(), "http://127.0.0.1:9229/");
        assert_eq!(
            config.cognito.refresh_token_validity,
            Duration::from_secs(1_200)
        );
        assert_eq!(config.cognito.request_timeout, Duration::from_secs(10));
        assert_eq!(config.preset, PolicyPreset::Protective);
        assert!(config.policy.reauth_in_place);
        assert_eq!(config.storage, TokenStorage::Session);
        assert_eq!(config.api.token, ApiToken::Id);
        assert_eq!(
            config.notes.len(),
            1,
            "20m is below Cognito's minimum: noted, accepted"
        );
        assert_eq!(
            config.cognito.sign_in_flow,
            SignInFlow::Password,
            "emulators get the password flow"
        );
        assert_eq!(config.password_policy, PasswordPolicy::default());
    }

    #[cfg(feature = "srp")]
    #[test]
    fn sign_in_flow_defaults_to_srp_on_aws_and_can_be_chosen() {
        let aws = r#"{"cognito":{"region":"eu-west-1","user_pool_id":"eu-west-1_AbC123","client_id":"abc123",
            "refresh_token_validity":"30d"FLOW}}"#;
        let flow = |text: &str| {
            AppConfig::from_json(&aws.replace("FLOW", text))
                .map(|config| config.cognito.sign_in_flow)
        };
        assert_eq!(flow(""), Ok(SignInFlow::Srp));
        assert_eq!(
            flow(r#","sign_in_flow":"password""#),
            Ok(SignInFlow::Password)
        );
        assert_eq!(flow(r#","sign_in_flow":"srp""#), Ok(SignInFlow::Srp));
        let local_srp = LOCAL.replace(
            r#""refresh_token_validity": "20m""#,
            r#""refresh_token_validity": "20m", "sign_in_flow": "srp""#,
        );
        assert_eq!(
            AppConfig::from_json(&local_srp)
                .unwrap()
                .cognito
                .sign_in_flow,
            SignInFlow::Srp
        );
        let error = flow(r#","sign_in_flow":"SRP_AUTH""#).unwrap_err();
        assert_eq!(error.field, "cognito.sign_in_flow");
        assert!(error.to_string().contains("\"srp\""), "{error}");
    }

    #[cfg(not(feature = "srp"))]
    #[test]
    fn without_the_srp_feature_an_srp_pool_is_refused_naming_the_field_and_the_fix() {
        let aws = r#"{"cognito":{"region":"eu-west-1","user_pool_id":"eu-west-1_AbC123","client_id":"abc123",
            "refresh_token_validity":"30d"FLOW}}"#;
        for flow in ["", r#","sign_in_flow":"srp""#] {
            let error = AppConfig::from_json(&aws.replace("FLOW", flow)).unwrap_err();
            assert_eq!(error.field, "cognito.sign_in_flow");
            assert!(error.to_string().contains("`srp` feature"), "{error}");
            assert!(error.to_string().contains("\"password\""), "{error}");
        }
        let password = AppConfig::from_json(&aws.replace("FLOW", r#","sign_in_flow":"password""#));
        assert_eq!(password.unwrap().cognito.sign_in_flow, SignInFlow::Password);
    }

    #[cfg(not(feature = "managed-login"))]
    #[test]
    fn without_the_managed_login_feature_a_hosted_pool_is_refused_naming_the_field_and_the_fix() {
        let error =
            hosted(r#","managed_login":{"domain":"https://x.auth.eu-west-1.amazoncognito.com"}"#)
                .unwrap_err();
        assert_eq!(error.field, "cognito.sign_in_flow");
        assert!(
            error.to_string().contains("`managed-login` feature"),
            "{error}"
        );
        assert!(error.to_string().contains("\"password\""), "{error}");
    }

    const AWS_HOSTED: &str = r#"{"cognito":{"region":"eu-west-1","user_pool_id":"eu-west-1_AbC123","client_id":"abc123",
        "refresh_token_validity":"30d","sign_in_flow":"hosted"MANAGED}}"#;

    fn hosted(managed: &str) -> Result<AppConfig, ConfigError> {
        AppConfig::from_json(&AWS_HOSTED.replace("MANAGED", managed))
    }

    #[test]
    fn the_api_request_timeout_defaults_to_fifteen_seconds_and_is_checked() {
        let with_api = |api: &str| {
            AppConfig::from_json(&LOCAL.replace(
                r#""refresh_token_validity": "20m"
        }"#,
                &format!(
                    r#""refresh_token_validity": "20m"
        }}, "api": {api}"#
                ),
            ))
        };
        let config = with_api(r#"{"base_url":"http://127.0.0.1:8787"}"#).unwrap();
        assert_eq!(config.api.request_timeout, Duration::from_secs(15));
        let config =
            with_api(r#"{"base_url":"http://127.0.0.1:8787","request_timeout":"3s"}"#).unwrap();
        assert_eq!(config.api.request_timeout, Duration::from_secs(3));
        for bad in ["0s", "3"] {
            let error = with_api(&format!(r#"{{"request_timeout":"{bad}"}}"#)).unwrap_err();
            assert_eq!(error.field, "api.request_timeout", "{bad}");
        }
    }

    #[cfg(feature = "managed-login")]
    #[test]
    fn managed_login_needs_the_pools_domain() {
        assert_eq!(
            hosted("").unwrap_err().field,
            "cognito.managed_login.domain"
        );
        assert_eq!(
            hosted(r#","managed_login":{}"#).unwrap_err().field,
            "cognito.managed_login.domain"
        );
        for bad in [
            "myapp.auth.eu-west-1.amazoncognito.com",
            "https://x.example/login",
            "https://x.example?a=1",
        ] {
            let error = hosted(&format!(r#","managed_login":{{"domain":"{bad}"}}"#)).unwrap_err();
            assert_eq!(error.field, "cognito.managed_login.domain", "{bad}");
        }
        // An unknown field is refused and named, not ignored.
        let error = hosted(r#","managed_login":{"domain":"https://x.example","colour":"red"}"#)
            .unwrap_err();
        assert_eq!(error.field, "cognito.managed_login.colour");
        assert!(error.fix.contains("redirect_uri"), "{error}");
    }

    #[cfg(feature = "managed-login")]
    #[test]
    fn managed_login_defaults_to_this_page_and_the_openid_scopes() {
        let config = hosted(
            r#","managed_login":{"domain":"https://myapp.auth.eu-west-1.amazoncognito.com/"}"#,
        )
        .unwrap();
        assert_eq!(config.cognito.sign_in_flow, SignInFlow::Hosted);
        let login = config
            .cognito
            .managed_login_at("https://app.example.com/notes/")
            .unwrap();
        assert_eq!(
            login.domain,
            "https://myapp.auth.eu-west-1.amazoncognito.com"
        );
        assert_eq!(login.redirect_uri, "https://app.example.com/notes/");
        assert_eq!(login.logout_uri, "https://app.example.com/notes/");
        assert_eq!(login.scopes, ["openid", "email", "profile"]);
        assert_eq!(login.identity_provider, None);
        // Against AWS the ID token must carry the nonce.
        assert_eq!(
            login.nonce_rule,
            crate::cognito::managed_login::NonceRule::Required
        );
    }

    #[cfg(feature = "managed-login")]
    #[test]
    fn managed_login_settings_are_read_and_checked() {
        let config = hosted(
            r#","managed_login":{"domain":"https://login.example.com","redirect_uri":"https://app.example.com/callback",
               "logout_uri":"https://app.example.com/bye","scopes":["openid","aws.cognito.signin.user.admin"],
               "identity_provider":" Google "}"#,
        )
        .unwrap();
        let login = config
            .cognito
            .managed_login_at("https://ignored.example/")
            .unwrap();
        assert_eq!(login.redirect_uri, "https://app.example.com/callback");
        assert_eq!(login.logout_uri, "https://app.example.com/bye");
        assert_eq!(login.scopes, ["openid", "aws.cognito.signin.user.admin"]);
        assert_eq!(login.identity_provider.as_deref(), Some("Google"));
        for scopes in [
            r#"[]"#,
            r#"["email"]"#,
            r#"["openid",""]"#,
            r#"["openid email"]"#,
        ] {
            let error = hosted(&format!(
                r#","managed_login":{{"domain":"https://login.example.com","scopes":{scopes}}}"#
            ))
            .unwrap_err();
            assert_eq!(error.field, "cognito.managed_login.scopes", "{scopes}");
        }
    }

    #[cfg(feature = "managed-login")]
    #[test]
    fn against_an_emulator_the_nonce_is_checked_only_when_present() {
        let local = LOCAL.replace(
            r#""refresh_token_validity": "20m""#,
            r#""refresh_token_validity": "20m", "sign_in_flow": "hosted",
               "managed_login": {"domain": "http://127.0.0.1:9229"}"#,
        );
        let config = AppConfig::from_json(&local).unwrap();
        let login = config
            .cognito
            .managed_login_at("http://127.0.0.1:8080/")
            .unwrap();
        assert_eq!(
            login.nonce_rule,
            crate::cognito::managed_login::NonceRule::IfPresent
        );
    }

    #[test]
    fn the_password_policy_is_read_and_bounded() {
        let with_policy = |policy: &str| {
            AppConfig::from_json(&LOCAL.replace(
                r#""refresh_token_validity": "20m""#,
                &format!(r#""refresh_token_validity": "20m", "password_policy": {policy}"#),
            ))
        };
        let config = with_policy(r#"{"min_length": 12, "require_symbols": false}"#).unwrap();
        assert_eq!(
            config.password_policy,
            PasswordPolicy {
                min_length: 12,
                require_symbols: false,
                ..PasswordPolicy::default()
            }
        );
        assert_eq!(
            with_policy(r#"{"min_length": 4}"#).unwrap_err().field,
            "cognito.password_policy.min_length"
        );
        assert_eq!(
            with_policy(r#"{"min_lenght": 8}"#).unwrap_err().field,
            "cognito.password_policy.min_lenght"
        );
    }

    // An AWS pool, whose default sign-in flow is SRP.
    #[cfg(feature = "srp")]
    #[test]
    fn real_cognito_defaults_to_the_regional_endpoint_and_issuer() {
        let config = AppConfig::from_json(
            r#"{"cognito":{"region":"eu-west-1","user_pool_id":"eu-west-1_AbC123","client_id":"abc123","refresh_token_validity":"30d"},
                "storage":"local","api":{"base_url":"https://api.example.com/","token":"access"},
                "session":{"preset":"strict","overrides":{"idle_timeout":"20m","session_end_warning_leads":["15m","2m"]}}}"#,
        )
        .expect("valid");
        assert_eq!(
            config.cognito.endpoint_url(),
            "https://cognito-idp.eu-west-1.amazonaws.com/"
        );
        assert_eq!(
            config.cognito.issuer(),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"
        );
        assert!(!config.cognito.endpoint_overridden());
        assert!(config.notes.is_empty());
        assert_eq!(config.storage, TokenStorage::Local);
        assert_eq!(
            config.api.base_url.as_deref(),
            Some("https://api.example.com")
        );
        assert_eq!(config.api.token, ApiToken::Access);
        assert_eq!(config.preset, PolicyPreset::Strict);
        assert_eq!(config.policy.idle_timeout, Some(Duration::from_secs(1_200)));
        assert_eq!(
            config.policy.session_end_warning_leads,
            vec![Duration::from_secs(900), Duration::from_secs(120)]
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
        assert_eq!(
            config.cognito.issuer(),
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"
        );
        assert_eq!(
            config.cognito.jwks_url(),
            "http://127.0.0.1:5055/us-east-1_abc/.well-known/jwks.json"
        );
    }

    #[test]
    fn broken_json_names_the_file_and_position() {
        let error = error_of("{\"cognito\": {");
        assert_eq!(error.field, "config.json");
        assert!(error.problem.contains("line 1"), "{}", error.problem);
        let error = error_of("{\n  \"storage\": \"local\",\n}");
        assert_eq!(error.field, "config.json");
        assert_eq!(
            error.problem,
            "is not valid: expected a key in quotes at line 3 column 1"
        );
        assert!(error.fix.contains("line and column"), "{}", error.fix);
    }

    #[test]
    fn each_required_field_is_named_when_missing() {
        assert_eq!(error_of("{}").field, "cognito");
        for (field, json) in [
            (
                "cognito.region",
                r#"{"cognito":{"user_pool_id":"a_b","client_id":"c","refresh_token_validity":"1h"}}"#,
            ),
            (
                "cognito.user_pool_id",
                r#"{"cognito":{"region":"us-east-1","client_id":"c","refresh_token_validity":"1h"}}"#,
            ),
            (
                "cognito.client_id",
                r#"{"cognito":{"region":"us-east-1","user_pool_id":"a_b","refresh_token_validity":"1h"}}"#,
            ),
            (
                "cognito.refresh_token_validity",
                r#"{"cognito":{"region":"us-east-1","user_pool_id":"a_b","client_id":"c"}}"#,
            ),
        ] {
            let error = error_of(json);
            assert_eq!(error.field, field);
            assert_eq!(error.problem, "is missing");
        }
    }

    #[test]
    fn drafts_are_kept_thirty_days_unless_configured() {
        let config = AppConfig::from_json(LOCAL).expect("valid");
        assert_eq!(config.drafts.max_age, Duration::from_secs(30 * 86_400));
        let with = |drafts: &str| {
            LOCAL.trim_end().trim_end_matches('}').to_owned() + &format!(r#","drafts":{drafts}}}"#)
        };
        let config = AppConfig::from_json(&with(r#"{"max_age":"12h"}"#)).expect("valid");
        assert_eq!(config.drafts.max_age, Duration::from_secs(12 * 3_600));
        let config = AppConfig::from_json(&with("{}")).expect("valid");
        assert_eq!(config.drafts.max_age, Duration::from_secs(30 * 86_400));
    }

    // An AWS pool, whose default sign-in flow is SRP.
    #[cfg(feature = "srp")]
    #[test]
    fn the_example_config_is_valid_and_documents_the_draft_max_age() {
        let example = include_str!("../../../config.example.json");
        let config = AppConfig::from_json(example).expect("config.example.json is valid");
        assert!(example.contains(r#""max_age""#));
        assert_eq!(config.drafts.max_age, Duration::from_secs(30 * 86_400));
    }

    #[test]
    fn a_bad_draft_max_age_names_the_field_and_the_fix() {
        let with = |drafts: &str| {
            LOCAL.trim_end().trim_end_matches('}').to_owned() + &format!(r#","drafts":{drafts}}}"#)
        };
        let no_unit = error_of(&with(r#"{"max_age":"30"}"#));
        assert_eq!(no_unit.field, "drafts.max_age");
        assert!(
            no_unit.problem.contains("without a unit"),
            "{}",
            no_unit.problem
        );
        let zero = error_of(&with(r#"{"max_age":"0s"}"#));
        assert_eq!(zero.field, "drafts.max_age");
        assert!(zero.fix.contains("30d"), "{}", zero.fix);
        let short = error_of(&with(r#"{"max_age":"59s"}"#));
        assert_eq!(short.field, "drafts.max_age");
        let misspelt = error_of(&with(r#"{"maxAge":"30d"}"#));
        assert_eq!(misspelt.field, "drafts.maxAge");
        assert_eq!(misspelt.fix, "Check its spelling: drafts takes max_age.");
    }

    #[test]
    fn misspelt_fields_are_refused_not_ignored() {
        let error = error_of(
            r#"{"cognito":{"region":"us-east-1","user_pool_id":"a_b","clientId":"c","refresh_token_validity":"1h"}}"#,
        );
        assert_eq!(error.field, "cognito.clientId");
        assert_eq!(error.problem, "is not a setting this app knows");
        assert!(error.fix.contains("client_id"), "{}", error.fix);
        let top = error_of(&LOCAL.replace(r#""cognito""#, r#""storage": "local", "Cognito""#));
        assert_eq!(top.field, "Cognito");
        assert_eq!(
            top.fix,
            "Check its spelling: config.json takes cognito, session, storage, api, drafts."
        );
        let knob = error_of(&LOCAL.replace(
            r#""cognito""#,
            r#""session": {"overrides": {"idle_timout": "20m"}}, "cognito""#,
        ));
        assert_eq!(knob.field, "session.overrides.idle_timout");
        assert!(knob.fix.contains("idle_timeout"), "{}", knob.fix);
    }

    #[test]
    fn every_setting_is_read_under_the_name_the_refusals_list() {
        for parent in [
            "",
            "drafts",
            "cognito",
            "cognito.managed_login",
            "cognito.password_policy",
            "session",
            "session.overrides",
            "api",
        ] {
            for name in known_settings(parent) {
                // `[7]` is of the wrong kind for every setting.
                let mut json = format!(r#"{{"{name}":[7]}}"#);
                for key in parent.rsplit('.').filter(|key| !key.is_empty()) {
                    json = format!(r#"{{"{key}":{json}}}"#);
                }
                let path = [parent, name].join(".");
                let error = error_of(&json);
                assert!(
                    error.field.starts_with(path.trim_start_matches('.'))
                        && error.problem != UNKNOWN_SETTING,
                    "{json}: {error}"
                );
            }
        }
    }

    #[test]
    fn a_value_of_the_wrong_kind_names_its_field() {
        for (field, problem, json) in [
            ("config.json", "is not an object", r#"["cognito"]"#),
            ("cognito", "is not an object", r#"{"cognito":"eu-west-1"}"#),
            (
                "cognito.region",
                "is not a string",
                r#"{"cognito":{"region":1,"user_pool_id":"a_b","client_id":"c","refresh_token_validity":"1h"}}"#,
            ),
            (
                "cognito.refresh_token_rotation",
                "is not true or false",
                r#"{"cognito":{"refresh_token_rotation":"yes"}}"#,
            ),
            (
                "cognito.password_policy.min_length",
                "is not a whole number from 0 up",
                r#"{"cognito":{"password_policy":{"min_length":"12"}}}"#,
            ),
            (
                "cognito.managed_login.scopes[1]",
                "is not a string",
                r#"{"cognito":{"managed_login":{"scopes":["openid",7]}}}"#,
            ),
            (
                "session.overrides.reauth_in_place",
                "is not true or false",
                r#"{"session":{"overrides":{"reauth_in_place":"yes"}}}"#,
            ),
            (
                "api",
                "is not an object",
                r#"{"api":"https://api.example.com"}"#,
            ),
        ] {
            let error = error_of(json);
            assert_eq!(
                (error.field.as_str(), error.problem.as_str()),
                (field, problem),
                "{json}"
            );
            assert!(error.fix.contains("config.example.json"), "{}", error.fix);
        }
    }

    // An AWS pool, whose default sign-in flow is SRP.
    #[cfg(feature = "srp")]
    #[test]
    fn bad_values_say_how_to_fix_them() {
        let base = |patch: &str| {
            format!(
                r#"{{"cognito":{{"region":"us-east-1","user_pool_id":"us-east-1_abc","client_id":"c1","refresh_token_validity":"30d"{patch}}}}}"#
            )
        };
        assert_eq!(
            error_of(&base(r#","endpoint":"localhost:9229""#)).field,
            "cognito.endpoint"
        );
        assert_eq!(
            error_of(&base(r#","request_timeout":"0s""#)).field,
            "cognito.request_timeout"
        );
        assert_eq!(
            error_of(&base(r#","request_timeout":"10""#)).field,
            "cognito.request_timeout"
        );
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

    // An AWS pool, whose default sign-in flow is SRP.
    #[cfg(feature = "srp")]
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

    // An AWS pool, whose default sign-in flow is SRP.
    #[cfg(feature = "srp")]
    #[test]
    fn policy_knobs_reach_the_policy_and_bad_combinations_name_the_knob() {
        let with = |overrides: &str| {
            format!(
                r#"{{"cognito":{{"region":"us-east-1","user_pool_id":"us-east-1_abc","client_id":"c1","refresh_token_validity":"30d"}},
                    "session":{{"preset":"strict","overrides":{overrides}}}}}"#
            )
        };
        let config = AppConfig::from_json(&with(
            r#"{"idle_timeout":"30m","refresh_lead":"off","reauth_in_place":true}"#,
        ))
        .expect("valid");
        assert_eq!(config.policy.idle_timeout, Some(Duration::from_secs(1_800)));
        assert_eq!(config.policy.refresh_lead, None);
        assert!(config.policy.reauth_in_place);
        let error = error_of(&with(r#"{"idle_timeout":"10m","idle_warning_lead":"11m"}"#));
        assert_eq!(error.field, "session.overrides.idle_warning_lead");
        assert!(
            error.problem.contains("shorter than `idle_timeout`"),
            "{}",
            error.problem
        );
        let zero = error_of(&with(r#"{"idle_timeout":"0s"}"#));
        assert_eq!(zero.field, "session.overrides.idle_timeout");
        let longer = error_of(&with(r#"{"session_end_warning_leads":["31d"]}"#));
        assert_eq!(longer.field, "session.overrides.session_end_warning_leads");
    }
}
