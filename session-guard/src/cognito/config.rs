//! Where the user pool lives and how strictly its tokens are checked.

use std::time::Duration;

/// How long a Cognito call may take before the transport gives up. Sign-in is
/// interactive, so a user should not stare at a spinner for longer than this.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Tolerated difference between the local clock and Cognito's when checking
/// `exp` and `iat`. Small on purpose: the session core corrects real skew
/// itself (see [`crate::cognito::TimeCheck::Skip`]).
pub const DEFAULT_CLOCK_LEEWAY_SECS: u64 = 60;

/// Cognito's default refresh token validity for a new app client.
pub const DEFAULT_REFRESH_TOKEN_VALIDITY: Duration = Duration::from_secs(30 * 86_400);

/// How the sign-in page proves the password to Cognito.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignInFlow {
    /// `USER_SRP_AUTH`: only a proof leaves the browser. What app clients made
    /// in the AWS console or by Amplify allow, so the default for AWS.
    Srp,
    /// `USER_PASSWORD_AUTH`: the password is sent (over TLS). Needed for
    /// cognito-local, which has no SRP; the default when `endpoint` is set.
    Password,
    /// Managed login (the Hosted UI) with the authorization code flow and
    /// PKCE: for pools with social or SAML providers, passkeys or MFA set up
    /// on Cognito's pages. See [`ManagedLoginConfig`].
    Hosted,
}

impl SignInFlow {
    /// As written in `config.json`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Srp => "srp",
            Self::Password => "password",
            Self::Hosted => "hosted",
        }
    }
}

/// The pool's managed login, as configured (`cognito.managed_login`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedLoginConfig {
    /// The pool's domain, e.g. `https://myapp.auth.eu-west-1.amazoncognito.com`
    /// or a custom domain; no trailing slash.
    pub domain: String,
    /// Callback URL; `None` means the app's own page.
    pub redirect_uri: Option<String>,
    /// Sign-out URL; `None` means the app's own page.
    pub logout_uri: Option<String>,
    /// The OAuth scopes to ask for (`openid email profile` unless configured;
    /// add `aws.cognito.signin.user.admin` for "sign out everywhere").
    pub scopes: Vec<String>,
    /// An identity provider name that skips Cognito's chooser.
    pub identity_provider: Option<String>,
}

/// Settings for one Cognito user pool app client.
///
/// The endpoint, issuer and JWKS URL are separate overrides because the
/// emulators disagree: cognito-local uses `http://127.0.0.1:<port>/<pool>` as
/// issuer and serves the JWKS there, while moto puts the AWS-style issuer in
/// tokens but serves the JWKS locally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitoConfig {
    /// AWS region of the pool, e.g. `eu-west-1`.
    pub region: String,
    /// The user pool id, e.g. `eu-west-1_AbCdEf123`.
    pub user_pool_id: String,
    /// The app client id (public client: no client secret in a browser).
    pub client_id: String,
    /// Cognito API endpoint override (an emulator); `None` means AWS.
    pub endpoint: Option<String>,
    /// Expected `iss` override; `None` means the AWS issuer for the pool.
    pub issuer: Option<String>,
    /// JWKS URL override; `None` means `<issuer>/.well-known/jwks.json`.
    pub jwks_url: Option<String>,
    /// Passed to the transport with every call.
    pub request_timeout: Duration,
    /// USER_SRP_AUTH, USER_PASSWORD_AUTH or managed login.
    pub sign_in_flow: SignInFlow,
    /// The pool's managed login, when configured.
    pub managed_login: Option<ManagedLoginConfig>,
    /// The app client rotates refresh tokens, so renewals must use
    /// GetTokensFromRefreshToken and store the new refresh token it returns.
    pub refresh_token_rotation: bool,
    /// Leeway for `exp`/`iat` checks against local time.
    pub clock_leeway_secs: u64,
    /// The app client's refresh token validity. With the original sign-in's
    /// `auth_time` it fixes the session's hard end, which the refresh token
    /// itself does not say.
    pub refresh_token_validity: Duration,
}

impl CognitoConfig {
    /// A configuration for a pool on AWS with default timeout and leeway.
    pub fn new(
        region: impl Into<String>,
        user_pool_id: impl Into<String>,
        client_id: impl Into<String>,
    ) -> Self {
        Self {
            region: region.into(),
            user_pool_id: user_pool_id.into(),
            client_id: client_id.into(),
            endpoint: None,
            issuer: None,
            jwks_url: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            sign_in_flow: SignInFlow::Srp,
            managed_login: None,
            refresh_token_rotation: false,
            clock_leeway_secs: DEFAULT_CLOCK_LEEWAY_SECS,
            refresh_token_validity: DEFAULT_REFRESH_TOKEN_VALIDITY,
        }
    }

    /// True when the endpoint is overridden (an emulator or a proxy).
    pub fn endpoint_overridden(&self) -> bool {
        self.endpoint.is_some()
    }

    /// The URL every Cognito Identity Provider call is POSTed to.
    pub fn endpoint_url(&self) -> String {
        match &self.endpoint {
            Some(url) => url.clone(),
            None => format!("https://cognito-idp.{}.amazonaws.com/", self.region),
        }
    }

    /// The `iss` every accepted token must carry.
    pub fn issuer(&self) -> String {
        match &self.issuer {
            Some(issuer) => issuer.clone(),
            None => format!(
                "https://cognito-idp.{}.amazonaws.com/{}",
                self.region, self.user_pool_id
            ),
        }
    }

    /// Managed login for a page at `page_url` (the default redirect and
    /// sign-out URL), or `None` when none is configured. The `nonce` is
    /// required in ID tokens from AWS; an emulator endpoint (cognito-local
    /// does not echo it) only has it checked when present.
    #[cfg_attr(
        not(all(target_arch = "wasm32", feature = "managed-login")),
        allow(dead_code)
    )]
    pub(crate) fn managed_login_at(
        &self,
        page_url: &str,
    ) -> Option<crate::cognito::managed_login::ManagedLogin> {
        use crate::cognito::managed_login::{ManagedLogin, NonceRule};
        let config = self.managed_login.as_ref()?;
        Some(ManagedLogin {
            domain: config.domain.trim_end_matches('/').to_owned(),
            redirect_uri: config
                .redirect_uri
                .clone()
                .unwrap_or_else(|| page_url.to_owned()),
            logout_uri: config
                .logout_uri
                .clone()
                .unwrap_or_else(|| page_url.to_owned()),
            scopes: config.scopes.clone(),
            identity_provider: config.identity_provider.clone(),
            nonce_rule: if self.endpoint_overridden() {
                NonceRule::IfPresent
            } else {
                NonceRule::Required
            },
        })
    }

    /// Where the pool's public signing keys are published.
    pub fn jwks_url(&self) -> String {
        match &self.jwks_url {
            Some(url) => url.clone(),
            None => format!("{}/.well-known/jwks.json", self.issuer()),
        }
    }
}
