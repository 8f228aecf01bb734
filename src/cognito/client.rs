//! The Cognito Identity Provider JSON API client, generic over its transport.

use super::api::{
    AUTH_FLOW_PASSWORD, AUTH_FLOW_REFRESH, AUTH_FLOW_SRP, AuthParameters, AuthResponse,
    AuthenticationResult, CHALLENGE_NEW_PASSWORD, CHALLENGE_PASSWORD_VERIFIER,
    GetTokensFromRefreshTokenRequest, GlobalSignOutRequest, InitiateAuthRequest, Operation,
    ConfirmForgotPasswordRequest, ForgotPasswordRequest, ForgotPasswordResponse,
    RespondToAuthChallengeRequest, RevokeTokenRequest,
};
use super::config::CognitoConfig;
use super::error::{Challenge, CognitoError};
use super::secret::Secret;
use super::srp::{PasswordVerifierChallenge, SrpClient, cognito_timestamp};
use super::tokens::IssuedTokens;
use super::transport::CognitoTransport;
use super::untrusted_text::describe_json_error;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fmt;

/// Where a sign-in stands after Cognito's answer.
pub enum SignInStep {
    /// Done: the user is signed in.
    SignedIn(IssuedTokens),
    /// First sign-in of an account an administrator created: the user must
    /// choose a password ([`CognitoClient::answer_new_password`]).
    NewPasswordRequired(NewPasswordChallenge),
}

/// A pending NEW_PASSWORD_REQUIRED: Cognito's opaque session for the answer.
#[derive(Clone)]
pub struct NewPasswordChallenge {
    session: Secret,
    username: String,
}

impl NewPasswordChallenge {
    /// The account's user name as Cognito knows it (`USER_ID_FOR_SRP`).
    pub fn username(&self) -> &str {
        &self.username
    }
}

impl fmt::Debug for NewPasswordChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewPasswordChallenge")
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

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

    /// Signs in with username and password (InitiateAuth, USER_PASSWORD_AUTH),
    /// where only tokens are an acceptable answer: any challenge becomes
    /// [`CognitoError::ChallengeRequired`].
    pub async fn initiate_auth_password(
        &self,
        username: &str,
        password: &Secret,
    ) -> Result<IssuedTokens, CognitoError> {
        match self.sign_in_password(username, password).await? {
            SignInStep::SignedIn(tokens) => Ok(tokens),
            SignInStep::NewPasswordRequired(_) => Err(CognitoError::ChallengeRequired {
                challenge: Challenge::NewPasswordRequired,
            }),
        }
    }

    /// Signs in with USER_PASSWORD_AUTH: the password itself goes to Cognito.
    pub async fn sign_in_password(
        &self,
        username: &str,
        password: &Secret,
    ) -> Result<SignInStep, CognitoError> {
        let operation = Operation::PasswordSignIn;
        let request = InitiateAuthRequest {
            auth_flow: AUTH_FLOW_PASSWORD,
            client_id: &self.config.client_id,
            auth_parameters: AuthParameters {
                username: Some(username),
                password: Some(password.expose()),
                refresh_token: None,
                srp_a: None,
            },
        };
        let response: AuthResponse = self.call(operation, &request).await?;
        sign_in_step(operation, response, username)
    }

    /// Signs in with USER_SRP_AUTH: InitiateAuth with `A`, then the proof of
    /// the password for PASSWORD_VERIFIER. The password never leaves the
    /// browser. `srp` is used up: one secret per attempt ([`SrpClient::new`]
    /// with CSPRNG bytes, which may be computed ahead of time);
    /// `now_unix_seconds` is asked once, after the first answer, for the
    /// signed timestamp.
    pub async fn sign_in_srp(
        &self,
        username: &str,
        password: &Secret,
        srp: SrpClient,
        now_unix_seconds: impl FnOnce() -> u64,
    ) -> Result<SignInStep, CognitoError> {
        let large_a = srp.large_a_hex();
        let operation = Operation::SrpSignIn;
        let request = InitiateAuthRequest {
            auth_flow: AUTH_FLOW_SRP,
            client_id: &self.config.client_id,
            auth_parameters: AuthParameters {
                username: Some(username),
                password: None,
                refresh_token: None,
                srp_a: Some(&large_a),
            },
        };
        let response: AuthResponse = self.call(operation, &request).await?;
        if response.challenge_name.as_deref() != Some(CHALLENGE_PASSWORD_VERIFIER) {
            return sign_in_step(operation, response, username);
        }
        let parameter = |name: &'static str| {
            response
                .challenge_parameters
                .get(name)
                .map(String::as_str)
                .ok_or_else(|| CognitoError::MalformedResponse {
                    operation,
                    problem: format!("PASSWORD_VERIFIER without {name}"),
                })
        };
        let user_id = parameter("USER_ID_FOR_SRP")?;
        let secret_block = parameter("SECRET_BLOCK")?;
        let challenge = PasswordVerifierChallenge {
            salt_hex: parameter("SALT")?,
            b_hex: parameter("SRP_B")?,
            secret_block,
            user_id,
        };
        let session = response.session.as_deref().unwrap_or_default();
        let timestamp = cognito_timestamp(now_unix_seconds());
        let claim =
            srp.password_claim(&self.config.user_pool_id, &challenge, password, &timestamp)?;

        let operation = Operation::PasswordVerifier;
        let request = RespondToAuthChallengeRequest {
            challenge_name: CHALLENGE_PASSWORD_VERIFIER,
            client_id: &self.config.client_id,
            session,
            challenge_responses: BTreeMap::from([
                ("USERNAME", user_id),
                ("PASSWORD_CLAIM_SECRET_BLOCK", secret_block),
                ("TIMESTAMP", claim.timestamp.as_str()),
                ("PASSWORD_CLAIM_SIGNATURE", claim.signature.as_str()),
            ]),
        };
        let answer: AuthResponse = self.call(operation, &request).await?;
        sign_in_step(operation, answer, user_id)
    }

    /// Answers NEW_PASSWORD_REQUIRED with the password the user chose.
    pub async fn answer_new_password(
        &self,
        challenge: &NewPasswordChallenge,
        new_password: &Secret,
    ) -> Result<SignInStep, CognitoError> {
        let operation = Operation::NewPassword;
        let request = RespondToAuthChallengeRequest {
            challenge_name: CHALLENGE_NEW_PASSWORD,
            client_id: &self.config.client_id,
            session: challenge.session.expose(),
            challenge_responses: BTreeMap::from([
                ("USERNAME", challenge.username.as_str()),
                ("NEW_PASSWORD", new_password.expose()),
            ]),
        };
        let response: AuthResponse = self.call(operation, &request).await?;
        sign_in_step(operation, response, &challenge.username)
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
                srp_a: None,
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

    /// Starts a password reset (ForgotPassword): Cognito sends a code to the
    /// user's verified email or phone. Where it went (masked, e.g.
    /// `d***@e***.com`) when Cognito says.
    pub async fn forgot_password(&self, username: &str) -> Result<CodeDelivery, CognitoError> {
        let request = ForgotPasswordRequest {
            client_id: &self.config.client_id,
            username,
        };
        let response: ForgotPasswordResponse =
            self.call(Operation::ForgotPassword, &request).await?;
        let details = response.code_delivery_details.unwrap_or_default();
        Ok(CodeDelivery {
            destination: details.destination,
            medium: details.delivery_medium,
        })
    }

    /// Finishes a password reset with the code and the new password
    /// (ConfirmForgotPassword).
    pub async fn confirm_forgot_password(
        &self,
        username: &str,
        code: &str,
        new_password: &Secret,
    ) -> Result<(), CognitoError> {
        let request = ConfirmForgotPasswordRequest {
            client_id: &self.config.client_id,
            username,
            confirmation_code: code.trim(),
            password: new_password.expose(),
        };
        self.call::<serde_json::Value>(Operation::ConfirmForgotPassword, &request)
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

/// Where a reset code was sent, as Cognito reports it (masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeDelivery {
    pub destination: Option<String>,
    /// `EMAIL` or `SMS`.
    pub medium: Option<String>,
}

/// A sign-in answer: tokens, a NEW_PASSWORD_REQUIRED this app can answer, or
/// an error (any other challenge included).
fn sign_in_step(
    operation: Operation,
    response: AuthResponse,
    username: &str,
) -> Result<SignInStep, CognitoError> {
    if response.authentication_result.is_none()
        && response.challenge_name.as_deref() == Some(CHALLENGE_NEW_PASSWORD)
    {
        let session = response
            .session
            .ok_or_else(|| CognitoError::MalformedResponse {
                operation,
                problem: "NEW_PASSWORD_REQUIRED without a Session".to_owned(),
            })?;
        let parameters = &response.challenge_parameters;
        // A JSON array of attribute names, prefixed "userAttributes.".
        let required: Vec<String> = parameters
            .get("requiredAttributes")
            .and_then(|list| serde_json::from_str(list).ok())
            .unwrap_or_default();
        if !required.is_empty() {
            let names: Vec<&str> = required
                .iter()
                .map(|name| name.strip_prefix("userAttributes.").unwrap_or(name))
                .collect();
            return Err(CognitoError::NewPasswordNeedsAttributes {
                attributes: super::untrusted_text::excerpt(&names.join(", ")),
            });
        }
        let username = parameters
            .get("USER_ID_FOR_SRP")
            .cloned()
            .unwrap_or_else(|| username.to_owned());
        return Ok(SignInStep::NewPasswordRequired(NewPasswordChallenge {
            session: Secret::new(session),
            username,
        }));
    }
    let result = authentication_result(operation, response)?;
    token_set(operation, result, None).map(SignInStep::SignedIn)
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
