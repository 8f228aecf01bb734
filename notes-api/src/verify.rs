//! Cognito ID token verification for the notes API: the app's own
//! [`TokenVerifier`] (one rulebook for the browser and the API, documented in
//! `session_guard::cognito::verify`) with the native RS256 backend, fed by a
//! JWKS cache shared between concurrent requests.
//!
//! What the API adds is the key supply: keys are downloaded (over HTTPS with
//! rustls and the web PKI roots; plain http only from a loopback host) on
//! first use and
//! again when a token names an unknown `kid`, one download at a time, and
//! after a download that still lacked a `kid` further unknown kids are
//! refused without downloading for a while (so a stream of made-up kids
//! cannot turn the API into a JWKS download loop).

use session_guard::cognito::{
    JwkSet, JwksError, KeyLookup, NativeRsaVerifier, TimeCheck, TokenVerifier, TransportError,
    VerificationSettings,
};
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub use session_guard::cognito::TokenError;

/// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds.
pub const LEEWAY_SECS: u64 = 5;
/// How long unknown kids are refused without a download after a download
/// that still lacked one.
pub const DEFAULT_REFETCH_COOLDOWN: Duration = Duration::from_secs(10);
pub const MAX_JWKS_BYTES: usize = 256 * 1024;
pub const JWKS_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a request's token was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The token was refused (answered 401 `invalid_token`). Never one of
    /// the two "could not check" kinds below.
    #[error(transparent)]
    Token(TokenError),
    /// The user pool's keys could not be loaded: not the token's fault (503).
    #[error(transparent)]
    Jwks(JwksError),
    /// A published key could not be used by the RSA backend (e.g. a modulus
    /// over 4096 bits): not the token's fault either (503).
    #[error("the signature could not be checked: {reason}")]
    SignatureCheck { reason: String },
}

impl From<TokenError> for VerifyError {
    fn from(error: TokenError) -> Self {
        match error {
            TokenError::KeySetUnavailable { source, .. } => Self::Jwks(source),
            TokenError::SignatureCheckUnavailable { reason, .. } => Self::SignatureCheck { reason },
            refused => Self::Token(refused),
        }
    }
}

/// What a verified ID token says about its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub sub: String,
    pub iat: u64,
    pub exp: u64,
}

enum KeySource {
    Http {
        client: reqwest::Client,
        url: String,
    },
    /// A fixed JWKS document (tests and offline use).
    Fixed(String),
}

/// Verifies Cognito ID tokens; shared by all requests.
pub struct Verifier {
    tokens: TokenVerifier<NativeRsaVerifier>,
    source: KeySource,
    keys: RwLock<JwkSet>,
    /// Serialises downloads; holds when the last refetch missed a kid.
    refresh: tokio::sync::Mutex<Option<Instant>>,
    refetch_cooldown: Duration,
    fetches: AtomicU64,
}

/// Why a JWKS URL is not used.
///
/// The keys decide whose tokens are accepted: anyone who can change them in
/// transit can sign in as any user. So they come over HTTPS, except from the
/// machine itself (an emulator on loopback), where there is no path to tamper
/// with.
pub fn check_jwks_url(url: &str) -> Result<reqwest::Url, String> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|error| format!("the JWKS URL {url:?} is not a URL: {error}"))?;
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if is_loopback(&parsed) => Ok(parsed),
        "http" => Err(format!(
            "the JWKS URL {url} is plain http to a host that is not loopback: anyone on the network \
             path could swap the user pool's signing keys and sign in as any user. Use https:// \
             (plain http is accepted only for 127.0.0.0/8, ::1 and localhost, e.g. an emulator)"
        )),
        other => Err(format!(
            "the JWKS URL {url} uses {other}:, not https:// (or http:// on loopback)"
        )),
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// How the JWKS is downloaded.
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct JwksOptions {
    /// Certificate authorities trusted besides the web PKI roots (PEM): a
    /// private CA in front of a JWKS mirror, or a test's own CA.
    pub extra_roots_pem: Vec<Vec<u8>>,
    /// How long one download may take in all (default [`JWKS_TIMEOUT`]).
    pub timeout: Option<Duration>,
}

impl Verifier {
    /// Keys are downloaded from `jwks_url` on first use: https with the web
    /// PKI roots, or plain http from a loopback host.
    pub fn new(issuer: &str, client_id: &str, jwks_url: &str) -> Result<Self, String> {
        Self::with_options(issuer, client_id, jwks_url, &JwksOptions::default())
    }

    /// As [`Verifier::new`], with extra trusted roots or another timeout.
    pub fn with_options(
        issuer: &str,
        client_id: &str,
        jwks_url: &str,
        options: &JwksOptions,
    ) -> Result<Self, String> {
        check_jwks_url(jwks_url)?;
        let timeout = options.timeout.unwrap_or(JWKS_TIMEOUT);
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .timeout(timeout)
            .connect_timeout(timeout)
            // A redirect could lead off https; Cognito's JWKS never redirects.
            .redirect(reqwest::redirect::Policy::none())
            // The keys come straight from the pool, never via a proxy taken
            // from the environment.
            .no_proxy();
        for pem in &options.extra_roots_pem {
            let roots = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|error| format!("the extra root certificate is not PEM: {error}"))?;
            if roots.is_empty() {
                return Err("the extra root certificate file holds no certificate".to_owned());
            }
            for root in roots {
                builder = builder.add_root_certificate(root);
            }
        }
        let client = builder
            .build()
            .map_err(|error| format!("cannot set up the JWKS client: {error}"))?;
        Ok(Self::with_source(
            issuer,
            client_id,
            KeySource::Http {
                client,
                url: jwks_url.to_owned(),
            },
        ))
    }

    /// Keys come from this JWKS document instead of a download.
    pub fn with_jwks(issuer: &str, client_id: &str, jwks_json: &str) -> Self {
        Self::with_source(issuer, client_id, KeySource::Fixed(jwks_json.to_owned()))
    }

    fn with_source(issuer: &str, client_id: &str, source: KeySource) -> Self {
        let settings = VerificationSettings {
            issuer: issuer.to_owned(),
            client_id: client_id.to_owned(),
            clock_leeway_secs: LEEWAY_SECS,
        };
        Self {
            tokens: TokenVerifier::new(settings, NativeRsaVerifier),
            source,
            keys: RwLock::new(JwkSet::default()),
            refresh: tokio::sync::Mutex::new(None),
            refetch_cooldown: DEFAULT_REFETCH_COOLDOWN,
            fetches: AtomicU64::new(0),
        }
    }

    pub fn with_refetch_cooldown(mut self, cooldown: Duration) -> Self {
        self.refetch_cooldown = cooldown;
        self
    }

    /// How many times the JWKS has been loaded.
    pub fn jwks_fetches(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    /// Where the keys come from, for log lines.
    pub fn jwks_source(&self) -> &str {
        match &self.source {
            KeySource::Http { url, .. } => url,
            KeySource::Fixed(_) => "(fixed JWKS)",
        }
    }

    /// Verifies the bearer `token` as an ID token of the configured user pool
    /// and app client at `now` (seconds since the epoch).
    pub async fn verify(&self, token: &str, now: u64) -> Result<Identity, VerifyError> {
        let claims = self
            .tokens
            .verify_id_token_with_keys(token, TimeCheck::At { now_secs: now }, async |kid| {
                self.key(kid).await
            })
            .await?;
        Ok(Identity {
            sub: claims.sub,
            iat: claims.iat,
            exp: claims.exp,
        })
    }

    /// The key for `kid`: from the cache, else after one (re)download.
    async fn key(&self, kid: &str) -> Result<KeyLookup, JwksError> {
        if let Some(found) = self.cached(kid) {
            return Ok(found);
        }
        let mut last_miss = self.refresh.lock().await;
        // Another request may have downloaded the keys while this one waited.
        if let Some(found) = self.cached(kid) {
            return Ok(found);
        }
        let unknown = KeyLookup::Unknown {
            kid: kid.to_owned(),
        };
        if last_miss.is_some_and(|at| at.elapsed() < self.refetch_cooldown) {
            return Ok(unknown);
        }
        let keys = self.load().await?;
        *self.keys.write().expect("key cache lock") = keys;
        Ok(self.cached(kid).unwrap_or_else(|| {
            *last_miss = Some(Instant::now());
            unknown
        }))
    }

    fn cached(&self, kid: &str) -> Option<KeyLookup> {
        let keys = self.keys.read().expect("key cache lock");
        keys.find(kid).cloned().map(KeyLookup::Found)
    }

    /// Loads the key set, parsed by the app crate's rules ([`JwkSet::parse`]:
    /// RSA signing keys for RS256 only).
    async fn load(&self) -> Result<JwkSet, JwksError> {
        self.fetches.fetch_add(1, Ordering::Relaxed);
        match &self.source {
            KeySource::Fixed(json) => JwkSet::parse(json),
            KeySource::Http { client, url } => JwkSet::parse(&download(client, url).await?),
        }
    }
}

async fn download(client: &reqwest::Client, url: &str) -> Result<String, JwksError> {
    let unreachable = |error: reqwest::Error| {
        JwksError::Transport(if error.is_timeout() {
            TransportError::Timeout
        } else {
            TransportError::Network {
                reason: error.without_url().to_string(),
            }
        })
    };
    let response = client.get(url).send().await.map_err(unreachable)?;
    if !response.status().is_success() {
        return Err(JwksError::HttpStatus {
            status: response.status().as_u16(),
        });
    }
    let too_large = || JwksError::Malformed {
        problem: format!("it is larger than {MAX_JWKS_BYTES} bytes"),
    };
    if response
        .content_length()
        .is_some_and(|length| length > MAX_JWKS_BYTES as u64)
    {
        return Err(too_large());
    }
    // Read at most the cap, whatever the server claims.
    let mut response = response;
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
        if body.len() + chunk.len() > MAX_JWKS_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    String::from_utf8(body).map_err(|_| JwksError::Malformed {
        problem: "it is not UTF-8 text".to_owned(),
    })
}
