//! Settings from command-line flags, environment variables and the app's
//! `config.json`.
//!
//! Precedence for each value: a flag, then its environment variable, then
//! `--config` (the app's config.json), then the derived default.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub const USAGE: &str = "\
usage: notes-api [--listen ADDR] [--config CONFIG_JSON]
                 [--issuer ISS] [--jwks-url URL] [--jwks-ca-file PEM] [--client-id ID]
                 [--database URL] [--max-database-mb MB] [--import-json PATH]
                 [--allow-origin ORIGIN]...

  --listen ADDR          address to bind (default 127.0.0.1:8787; port 0 picks one).
                         The first stdout line is `listening on http://HOST:PORT`.
  --config PATH          the app's config.json: cognito.issuer, jwks_url and
                         client_id are read from it (issuer defaults to
                         endpoint + \"/\" + user_pool_id, else the regional
                         https://cognito-idp.REGION.amazonaws.com/POOL)
  --issuer ISS           expected `iss` of ID tokens
  --jwks-url URL         the user pool's JWKS (default ISS/.well-known/jwks.json);
                         https, or plain http from a loopback host only
  --jwks-ca-file PEM     also trust these CA certificates for the JWKS
                         (default: the web PKI roots only)
  --client-id ID         expected `aud` (the app client id)
  --database URL         sqlite://PATH (created and migrated at start),
                         sqlite::memory:, or postgres://USER:PASS@HOST:PORT/DB
                         (default sqlite://notes.db)
  --max-database-mb MB   SQLite only: saves that would grow the file past MB
                         megabytes are refused (503, as on a full disk) while
                         reads and deletes go on (default: no cap)
  --import-json PATH     import the JSON data file of earlier versions once
                         (ids and versions kept; a second import adds nothing)
  --allow-origin ORIGIN  an origin allowed by CORS; repeatable (default *)

Each flag may instead come from the environment: NOTES_API_LISTEN,
NOTES_API_CONFIG, NOTES_API_ISSUER, NOTES_API_JWKS_URL, NOTES_API_JWKS_CA_FILE,
NOTES_API_CLIENT_ID, NOTES_API_DATABASE, NOTES_API_MAX_DATABASE_MB,
NOTES_API_IMPORT_JSON, NOTES_API_ALLOW_ORIGIN (comma-separated).";

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";
pub const DEFAULT_DATABASE: &str = "sqlite://notes.db";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub listen: SocketAddr,
    pub issuer: String,
    pub jwks_url: String,
    pub client_id: String,
    /// Extra CA certificates (PEM file) for the JWKS download.
    pub jwks_ca_file: Option<PathBuf>,
    /// `sqlite://…` or `postgres://…`.
    pub database: String,
    /// SQLite only: the cap on the database file, in megabytes.
    pub max_database_mb: Option<u64>,
    /// The JSON data file of earlier versions, imported once.
    pub import_json: Option<PathBuf>,
    /// Empty means any origin.
    pub allow_origins: Vec<String>,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("help requested")]
    Help,
    #[error("{0}")]
    Invalid(String),
}

fn invalid(message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid(message.into())
}

/// What the app's config.json says about the user pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolSettings {
    pub issuer: String,
    pub jwks_url: String,
    pub client_id: String,
}

#[derive(Deserialize)]
struct AppConfig {
    cognito: Option<CognitoSection>,
}

#[derive(Deserialize)]
struct CognitoSection {
    region: Option<String>,
    user_pool_id: Option<String>,
    client_id: Option<String>,
    endpoint: Option<String>,
    issuer: Option<String>,
    jwks_url: Option<String>,
}

/// Reads the pool settings from the app's config.json text, with the app's
/// defaults for `issuer` and `jwks_url`.
pub fn pool_from_app_config(json: &str, origin: &str) -> Result<PoolSettings, ConfigError> {
    let config: AppConfig = serde_json::from_str(json)
        .map_err(|error| invalid(format!("{origin} is not the app's config.json: {error}")))?;
    let cognito = config
        .cognito
        .ok_or_else(|| invalid(format!("{origin} has no \"cognito\" section")))?;
    let field = |value: Option<String>, name: &str| {
        value
            .filter(|value| !value.trim().is_empty())
            .ok_or_else(|| invalid(format!("{origin}: cognito.{name} is missing")))
    };
    let client_id = field(cognito.client_id, "client_id")?;
    let issuer = match cognito.issuer.filter(|issuer| !issuer.is_empty()) {
        Some(issuer) => issuer,
        None => {
            let pool = field(cognito.user_pool_id, "user_pool_id")?;
            match cognito.endpoint.filter(|endpoint| !endpoint.is_empty()) {
                Some(endpoint) => format!("{}/{pool}", endpoint.trim_end_matches('/')),
                None => {
                    let region = field(cognito.region, "region")?;
                    format!("https://cognito-idp.{region}.amazonaws.com/{pool}")
                }
            }
        }
    };
    let issuer = issuer.trim_end_matches('/').to_owned();
    let jwks_url = cognito
        .jwks_url
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| default_jwks_url(&issuer));
    Ok(PoolSettings {
        issuer,
        jwks_url,
        client_id,
    })
}

fn default_jwks_url(issuer: &str) -> String {
    format!("{issuer}/.well-known/jwks.json")
}

#[derive(Default)]
struct Given {
    listen: Option<String>,
    config: Option<String>,
    issuer: Option<String>,
    jwks_url: Option<String>,
    client_id: Option<String>,
    jwks_ca_file: Option<String>,
    database: Option<String>,
    max_database_mb: Option<String>,
    import_json: Option<String>,
    allow_origins: Vec<String>,
}

impl Settings {
    /// `args` without the program name; `env` looks up a variable.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let mut given = Given::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "-h" || arg == "--help" {
                return Err(ConfigError::Help);
            }
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => {
                    (flag.to_owned(), Some(value.to_owned()))
                }
                _ => (arg.clone(), None),
            };
            let slot = match flag.as_str() {
                "--listen" => &mut given.listen,
                "--config" => &mut given.config,
                "--issuer" => &mut given.issuer,
                "--jwks-url" => &mut given.jwks_url,
                "--client-id" => &mut given.client_id,
                "--jwks-ca-file" => &mut given.jwks_ca_file,
                "--database" => &mut given.database,
                "--max-database-mb" => &mut given.max_database_mb,
                "--import-json" => &mut given.import_json,
                "--data-file" => {
                    return Err(invalid(
                        "--data-file is gone: notes are kept in a database now. Pass \
                         --database sqlite://PATH (or postgres://...) and, once, \
                         --import-json OLD_FILE to bring the old notes over",
                    ));
                }
                "--allow-origin" => {
                    let value = inline
                        .or_else(|| args.next())
                        .ok_or_else(|| missing_value(&flag))?;
                    given.allow_origins.push(value);
                    continue;
                }
                _ => return Err(invalid(format!("unknown argument {arg:?}"))),
            };
            *slot = Some(
                inline
                    .or_else(|| args.next())
                    .ok_or_else(|| missing_value(&flag))?,
            );
        }
        let from_env = |slot: &mut Option<String>, name: &str| {
            if slot.is_none() {
                *slot = env(name).filter(|value| !value.is_empty());
            }
        };
        from_env(&mut given.listen, "NOTES_API_LISTEN");
        from_env(&mut given.config, "NOTES_API_CONFIG");
        from_env(&mut given.issuer, "NOTES_API_ISSUER");
        from_env(&mut given.jwks_url, "NOTES_API_JWKS_URL");
        from_env(&mut given.client_id, "NOTES_API_CLIENT_ID");
        from_env(&mut given.jwks_ca_file, "NOTES_API_JWKS_CA_FILE");
        from_env(&mut given.database, "NOTES_API_DATABASE");
        from_env(&mut given.max_database_mb, "NOTES_API_MAX_DATABASE_MB");
        from_env(&mut given.import_json, "NOTES_API_IMPORT_JSON");
        if given.allow_origins.is_empty()
            && let Some(origins) = env("NOTES_API_ALLOW_ORIGIN")
        {
            given.allow_origins = origins
                .split(',')
                .map(str::trim)
                .filter(|origin| !origin.is_empty())
                .map(str::to_owned)
                .collect();
        }
        Self::resolve(given)
    }

    fn resolve(given: Given) -> Result<Self, ConfigError> {
        let listen_text = given.listen.as_deref().unwrap_or(DEFAULT_LISTEN);
        let listen: SocketAddr = listen_text.parse().map_err(|_| {
            invalid(format!(
                "--listen {listen_text:?} is not HOST:PORT with an IP host, e.g. 127.0.0.1:0"
            ))
        })?;
        let pool = match &given.config {
            Some(path) => Some(read_app_config(Path::new(path))?),
            None => None,
        };
        let issuer = given
            .issuer
            .or_else(|| pool.as_ref().map(|pool| pool.issuer.clone()))
            .ok_or_else(|| invalid("the issuer is not set: pass --issuer or --config"))?
            .trim_end_matches('/')
            .to_owned();
        let client_id = given
            .client_id
            .or_else(|| pool.as_ref().map(|pool| pool.client_id.clone()))
            .ok_or_else(|| invalid("the app client id is not set: pass --client-id or --config"))?;
        let jwks_url = given
            .jwks_url
            .or_else(|| pool.as_ref().map(|pool| pool.jwks_url.clone()))
            .unwrap_or_else(|| default_jwks_url(&issuer));
        crate::verify::check_jwks_url(&jwks_url).map_err(invalid)?;
        let max_database_mb = given
            .max_database_mb
            .map(|text| match text.trim().parse::<u64>() {
                Ok(mb) if (1..=u64::MAX >> 20).contains(&mb) => Ok(mb),
                _ => Err(invalid(format!(
                    "--max-database-mb {text:?} is not a whole number of megabytes, e.g. 1024"
                ))),
            })
            .transpose()?;
        Ok(Settings {
            listen,
            issuer,
            jwks_url,
            client_id,
            jwks_ca_file: given.jwks_ca_file.map(PathBuf::from),
            database: given
                .database
                .unwrap_or_else(|| DEFAULT_DATABASE.to_owned()),
            max_database_mb,
            import_json: given.import_json.map(PathBuf::from),
            allow_origins: given.allow_origins,
        })
    }
}

fn missing_value(flag: &str) -> ConfigError {
    invalid(format!("{flag} needs a value"))
}

fn read_app_config(path: &Path) -> Result<PoolSettings, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| invalid(format!("--config {}: {error}", path.display())))?;
    pool_from_app_config(&text, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Settings, ConfigError> {
        Settings::parse(args.iter().map(|arg| arg.to_string()), |_| None)
    }

    #[test]
    fn cognito_local_config_derives_issuer_and_jwks_from_the_endpoint() {
        let pool = pool_from_app_config(
            r#"{"cognito":{"region":"us-east-1","user_pool_id":"local_6rr0PPXD","client_id":"abc123",
               "endpoint":"http://127.0.0.1:9229/","refresh_token_validity":"20m"},"storage":"session"}"#,
            "config.json",
        )
        .unwrap();
        assert_eq!(pool.issuer, "http://127.0.0.1:9229/local_6rr0PPXD");
        assert_eq!(
            pool.jwks_url,
            "http://127.0.0.1:9229/local_6rr0PPXD/.well-known/jwks.json"
        );
        assert_eq!(pool.client_id, "abc123");
    }

    #[test]
    fn real_cognito_config_uses_the_regional_issuer() {
        let pool = pool_from_app_config(
            r#"{"cognito":{"region":"eu-west-1","user_pool_id":"eu-west-1_AbC","client_id":"abc"}}"#,
            "config.json",
        )
        .unwrap();
        assert_eq!(
            pool.issuer,
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"
        );
        assert_eq!(
            pool.jwks_url,
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC/.well-known/jwks.json"
        );
    }

    #[test]
    fn explicit_issuer_and_jwks_url_win_in_the_app_config() {
        let pool = pool_from_app_config(
            r#"{"cognito":{"region":"us-east-1","user_pool_id":"us-east-1_abc","client_id":"abc",
               "endpoint":"http://127.0.0.1:5055",
               "issuer":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
               "jwks_url":"http://127.0.0.1:5055/us-east-1_abc/.well-known/jwks.json"}}"#,
            "config.json",
        )
        .unwrap();
        assert_eq!(
            pool.issuer,
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"
        );
        assert_eq!(
            pool.jwks_url,
            "http://127.0.0.1:5055/us-east-1_abc/.well-known/jwks.json"
        );
    }

    #[test]
    fn a_config_without_client_id_says_so() {
        let error =
            pool_from_app_config(r#"{"cognito":{"region":"x","user_pool_id":"y"}}"#, "c.json")
                .unwrap_err();
        assert_eq!(error.to_string(), "c.json: cognito.client_id is missing");
    }

    #[test]
    fn flags_parse_in_both_forms_and_default_the_jwks_url() {
        let settings = parse(&[
            "--listen",
            "127.0.0.1:0",
            "--issuer=http://127.0.0.1:9229/pool/",
            "--client-id",
            "abc",
            "--allow-origin",
            "http://127.0.0.1:8080",
            "--allow-origin=http://localhost:8080",
            "--database",
            "sqlite:///tmp/notes.db",
            "--import-json=/tmp/notes.json",
        ])
        .unwrap();
        assert_eq!(settings.listen.port(), 0);
        assert_eq!(settings.issuer, "http://127.0.0.1:9229/pool");
        assert_eq!(
            settings.jwks_url,
            "http://127.0.0.1:9229/pool/.well-known/jwks.json"
        );
        assert_eq!(
            settings.allow_origins,
            ["http://127.0.0.1:8080", "http://localhost:8080"]
        );
        assert_eq!(settings.database, "sqlite:///tmp/notes.db");
        assert_eq!(settings.import_json, Some(PathBuf::from("/tmp/notes.json")));
    }

    #[test]
    fn flags_beat_environment_variables() {
        let env = |name: &str| match name {
            "NOTES_API_ISSUER" => Some("http://127.0.0.1:9229/env-issuer".to_owned()),
            "NOTES_API_CLIENT_ID" => Some("env-client".to_owned()),
            "NOTES_API_ALLOW_ORIGIN" => Some("http://a:1, http://b:2".to_owned()),
            _ => None,
        };
        let settings =
            Settings::parse(["--client-id".to_owned(), "flag-client".to_owned()], env).unwrap();
        assert_eq!(settings.issuer, "http://127.0.0.1:9229/env-issuer");
        assert_eq!(settings.client_id, "flag-client");
        assert_eq!(settings.allow_origins, ["http://a:1", "http://b:2"]);
        assert_eq!(settings.listen.to_string(), DEFAULT_LISTEN);
    }

    #[test]
    fn a_real_pool_takes_its_keys_over_https() {
        let settings = parse(&[
            "--issuer",
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC",
            "--client-id",
            "a",
        ])
        .unwrap();
        assert_eq!(
            settings.jwks_url,
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC/.well-known/jwks.json"
        );
        assert_eq!(settings.database, DEFAULT_DATABASE);
    }

    #[test]
    fn plain_http_jwks_is_accepted_from_loopback_hosts_only() {
        for url in [
            "http://127.0.0.1:9229/p/.well-known/jwks.json",
            "http://127.8.9.10/jwks.json",
            "http://[::1]:5055/jwks.json",
            "http://localhost:9229/jwks.json",
            "http://LOCALHOST/jwks.json",
        ] {
            let settings = parse(&[
                "--issuer",
                "http://i",
                "--client-id",
                "a",
                "--jwks-url",
                url,
            ]);
            assert!(settings.is_ok(), "{url}: {settings:?}");
        }
        for url in [
            "http://cognito-idp.eu-west-1.amazonaws.com/p/.well-known/jwks.json",
            "http://10.0.0.1/jwks.json",
            "http://[::2]/jwks.json",
            "http://localhost.example.com/jwks.json",
            "http://127.0.0.1.example.com/jwks.json",
        ] {
            let error = parse(&[
                "--issuer",
                "http://i",
                "--client-id",
                "a",
                "--jwks-url",
                url,
            ])
            .unwrap_err()
            .to_string();
            assert!(error.contains("not loopback"), "{url}: {error}");
            assert!(error.contains("Use https://"), "{url}: {error}");
        }
        let error = parse(&[
            "--issuer",
            "http://i",
            "--client-id",
            "a",
            "--jwks-url",
            "ftp://x/j",
        ])
        .unwrap_err()
        .to_string();
        assert!(error.contains("not https://"), "{error}");
    }

    #[test]
    fn the_database_size_cap_is_whole_megabytes_from_a_flag_or_the_environment() {
        let base = ["--issuer", "http://127.0.0.1:9229/p", "--client-id", "a"];
        assert_eq!(parse(&base).unwrap().max_database_mb, None);
        let flagged = [&base[..], &["--max-database-mb", "512"]].concat();
        assert_eq!(parse(&flagged).unwrap().max_database_mb, Some(512));
        let env = |name: &str| (name == "NOTES_API_MAX_DATABASE_MB").then(|| "64".to_owned());
        let settings = Settings::parse(base.map(str::to_owned), env).unwrap();
        assert_eq!(settings.max_database_mb, Some(64));
        for bad in ["0", "-1", "1.5", "1GB", ""] {
            let args = [&base[..], &["--max-database-mb", bad]].concat();
            let error = parse(&args).unwrap_err().to_string();
            assert!(error.contains("--max-database-mb"), "{bad:?}: {error}");
        }
    }

    #[test]
    fn the_old_data_file_flag_says_how_to_move_to_a_database() {
        let error = parse(&["--data-file", "notes.json"])
            .unwrap_err()
            .to_string();
        assert!(error.contains("--import-json"), "{error}");
        assert!(error.contains("--database"), "{error}");
    }

    #[test]
    fn missing_values_and_unknown_flags_are_errors() {
        assert_eq!(parse(&["--help"]), Err(ConfigError::Help));
        assert!(
            parse(&["--issuer"])
                .unwrap_err()
                .to_string()
                .contains("--issuer needs a value")
        );
        assert!(
            parse(&["--verbose"])
                .unwrap_err()
                .to_string()
                .contains("unknown argument")
        );
        assert!(
            parse(&["--client-id", "a"])
                .unwrap_err()
                .to_string()
                .contains("issuer is not set")
        );
        assert!(
            parse(&[
                "--listen",
                "localhost:80",
                "--issuer",
                "http://i",
                "--client-id",
                "a"
            ])
            .unwrap_err()
            .to_string()
            .contains("--listen")
        );
    }
}
