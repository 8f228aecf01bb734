//! The Cognito Identity Provider JSON API client, generic over its transport.

use super::api::{
    AUTH_FLOW_PASSWORD, AUTH_FLOW_REFRESH, AuthParameters, AuthResponse, AuthenticationResult,
    GetTokensFromRefreshTokenRequest, GlobalSignOutRequest, InitiateAuthRequest, Operation,
    RevokeTokenRequest,
};
use super::config::CognitoConfig;
use super::error::{Challenge, CognitoError};
use super::secret::Secret;
use super::tokens::IssuedTokens;
use super::transport::CognitoTransport;
use super::untrusted_text::describe_json_error;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Calls Cognito for one app client.
///
/// Every method is one HTTP call; no retries, no timers, no storage. The
/// session core decides what to do with an error via
/// [`CognitoError::retry_class`]. Timeouts are enforced by the transport with
/// [`CognitoConfig::request_timeout`]; dropping a returned future cancels it.
#[derive(Debug, Clone)]
pub struct CognitoClient<T> {
    config: CognitoConfig,
    transport: T,
}

impl<T: CognitoTransport> CognitoClient<T> {
    pub fn new(config: CognitoConfig, transport: T) -> Self {
        Self { config, transport }
    }

    pub fn config(&self) -> &CognitoConfig {
        &self.config
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Signs in with username and password (InitiateAuth, USER_PASSWORD_AUTH).
    ///
    /// A challenge (new password, MFA, custom) becomes
    /// [`CognitoError::ChallengeRequired`]: this app does not answer challenges.
    pub async fn initiate_auth_password(
        &self,
        username: &str,
        password: &Secret,
    ) -> Result<IssuedTokens, CognitoError> {
        let operation = Operation::PasswordSignIn;
        let request = InitiateAuthRequest {
            auth_flow: AUTH_FLOW_PASSWORD,
            client_id: &self.config.client_id,
            auth_parameters: AuthParameters {
                username: Some(username),
                password: Some(password.expose()),
                refresh_token: None,
            },
        };
        let response: AuthResponse = self.call(operation, &request).await?;
        let result = authentication_result(operation, response)?;
        token_set(operation, result, None)
    }

    /// Renews the ID and access tokens (InitiateAuth, REFRESH_TOKEN_AUTH).
    ///
    /// Cognito issues no new refresh token here, so the returned set carries
    /// `refresh_token` unchanged.
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<IssuedTokens, CognitoError> {
        let operation = Operation::Refresh;
        let request = InitiateAuthRequest {
            auth_flow: AUTH_FLOW_REFRESH,
            client_id: &self.config.client_id,
            auth_parameters: AuthParameters {
                username: None,
                password: None,
                refresh_token: Some(refresh_token.expose()),
            },
        };
        let response: AuthResponse = self.call(operation, &request).await?;
        let result = authentication_result(operation, response)?;
        token_set(operation, result, Some(refresh_token))
    }

    /// Renews all three tokens (GetTokensFromRefreshToken), for app clients
    /// with refresh token rotation. The returned refresh token replaces the
    /// presented one, which Cognito will answer with
    /// [`CognitoError::RefreshTokenReused`] from now on.
    pub async fn get_tokens_from_refresh_token(
        &self,
        refresh_token: &Secret,
    ) -> Result<IssuedTokens, CognitoError> {
        let operation = Operation::RotatingRefresh;
        let request = GetTokensFromRefreshTokenRequest {
            refresh_token: refresh_token.expose(),
            client_id: &self.config.client_id,
        };
        let response: AuthResponse = self.call(operation, &request).await?;
        let result = authentication_result(operation, response)?;
        // A pool with rotation switched off answers without a new refresh token:
        // the old one then stays valid, so keep it.
        token_set(operation, result, Some(refresh_token))
    }

    /// Renews the tokens the way the configuration says: rotation on means
    /// GetTokensFromRefreshToken, off means REFRESH_TOKEN_AUTH.
    pub async fn renew(&self, refresh_token: &Secret) -> Result<IssuedTokens, CognitoError> {
        if self.config.refresh_token_rotation {
            self.get_tokens_from_refresh_token(refresh_token).await
        } else {
            self.refresh(refresh_token).await
        }
    }

    /// Revokes the refresh token and the tokens issued from it (RevokeToken),
    /// so a copy left in storage elsewhere cannot be used after sign-out.
    pub async fn revoke_token(&self, refresh_token: &Secret) -> Result<(), CognitoError> {
        let request = RevokeTokenRequest {
            token: refresh_token.expose(),
            client_id: &self.config.client_id,
        };
        self.call::<serde_json::Value>(Operation::RevokeRefreshToken, &request)
            .await
            .map(drop)
    }

    /// Signs the user out on every device (GlobalSignOut).
    pub async fn global_sign_out(&self, access_token: &Secret) -> Result<(), CognitoError> {
        let request = GlobalSignOutRequest {
            access_token: access_token.expose(),
        };
        self.call::<serde_json::Value>(Operation::GlobalSignOut, &request)
            .await
            .map(drop)
    }

    /// Sends one call and decodes a 2xx answer as `R`; anything else becomes a
    /// [`CognitoError`].
    async fn call<R: DeserializeOwned>(
        &self,
        operation: Operation,
        request: &impl Serialize,
    ) -> Result<R, CognitoError> {
        let body = serde_json::to_string(request).map_err(|_| CognitoError::MalformedResponse {
            operation,
            problem: "the request could not be encoded".to_owned(),
        })?;
        let response = self
            .transport
            .post(
                &self.config.endpoint_url(),
                operation.action().target(),
                body,
                self.config.request_timeout,
            )
            .await?;
        if !response.is_success() {
            return Err(CognitoError::from_error_response(operation, &response));
        }
        // The serde message is not used: it can quote values from the body, i.e. tokens.
        serde_json::from_str(&response.body).map_err(|error| CognitoError::MalformedResponse {
            operation,
            problem: describe_json_error(&error),
        })
    }
}

/// The `AuthenticationResult`, or the challenge / missing-field error.
fn authentication_result(
    operation: Operation,
    response: AuthResponse,
) -> Result<AuthenticationResult, CognitoError> {
    match (response.authentication_result, response.challenge_name) {
        (Some(result), _) => Ok(result),
        (None, Some(name)) => Err(CognitoError::ChallengeRequired {
            challenge: Challenge::from_name(&name),
        }),
        (None, None) => Err(CognitoError::MalformedResponse {
            operation,
            problem: "neither tokens nor a challenge".to_owned(),
        }),
    }
}

/// Builds the token set; `presented_refresh_token` is kept when the answer has none.
fn token_set(
    operation: Operation,
    result: AuthenticationResult,
    presented_refresh_token: Option<&Secret>,
) -> Result<IssuedTokens, CognitoError> {
    let missing = |field: &str| CognitoError::MalformedResponse {
        operation,
        problem: format!("no {field}"),
    };
    let id_token = result.id_token.ok_or_else(|| missing("IdToken"))?;
    let access_token = result.access_token.ok_or_else(|| missing("AccessToken"))?;
    let refresh_token = match (result.refresh_token, presented_refresh_token) {
        (Some(issued), _) => Secret::new(issued),
        (None, Some(presented)) => presented.clone(),
        (None, None) => return Err(missing("RefreshToken")),
    };
    Ok(IssuedTokens {
        id_token: Secret::new(id_token),
        access_token: Secret::new(access_token),
        refresh_token,
        expires_in: result.expires_in,
        token_type: result.token_type,
    })
}
