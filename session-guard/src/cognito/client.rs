//! The Cognito Identity Provider JSON API client, generic over its transport.

use super::api::{
    AUTH_FLOW_PASSWORD, AUTH_FLOW_REFRESH, AccessTokenRequest, AssociateSoftwareTokenRequest,
    AssociateSoftwareTokenResponse, AuthParameters, AuthResponse, AuthenticationResult,
    CHALLENGE_MFA_SETUP, CHALLENGE_NEW_PASSWORD, CHALLENGE_SELECT_MFA_TYPE,
    CHALLENGE_SOFTWARE_TOKEN_MFA, ConfirmForgotPasswordRequest, ForgotPasswordRequest,
    ForgotPasswordResponse, GetTokensFromRefreshTokenRequest, GetUserResponse, InitiateAuthRequest,
    MfaSettings, Operation, RespondToAuthChallengeRequest, RevokeTokenRequest,
    SetUserMfaPreferenceRequest, VerifySoftwareTokenRequest, VerifySoftwareTokenResponse,
};
#[cfg(feature = "srp")]
use super::api::{AUTH_FLOW_SRP, CHALLENGE_PASSWORD_VERIFIER};
use super::config::CognitoConfig;
use super::error::{Challenge, CognitoError};
use super::mfa::{MfaChallenge, MfaStep, MfaType, TotpEnrolment};
use super::secret::Secret;
#[cfg(feature = "srp")]
use super::srp::{PasswordVerifierChallenge, SrpClient, cognito_timestamp};
use super::tokens::IssuedTokens;
use super::transport::CognitoTransport;
use crate::json::{FromJson, Json, ToJson};
use std::fmt;

/// Where a sign-in stands after Cognito's answer.
pub enum SignInStep {
    /// Done: the user is signed in.
    SignedIn(IssuedTokens),
    /// First sign-in of an account an administrator created: the user must
    /// choose a password ([`CognitoClient::answer_new_password`]).
    NewPasswordRequired(NewPasswordChallenge),
    /// The password was right; Cognito asks for a second factor
    /// ([`CognitoClient::answer_mfa_code`], [`CognitoClient::choose_mfa`],
    /// [`CognitoClient::begin_mfa_setup`]).
    Mfa(MfaChallenge),
}

/// The name an authenticator app enrolled here is given in Cognito.
pub const AUTHENTICATOR_DEVICE_NAME: &str = "Authenticator app";

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
    /// A client of the user pool and app client in `config`, sending through
    /// `transport`.
    pub fn new(config: CognitoConfig, transport: T) -> Self {
        Self { config, transport }
    }

    /// The pool and app client this client talks to.
    pub fn config(&self) -> &CognitoConfig {
        &self.config
    }

    /// The transport requests go through.
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
            SignInStep::Mfa(mfa) => Err(CognitoError::ChallengeRequired {
                challenge: mfa.as_challenge(),
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
        sign_in_step(operation, response, username, username)
    }

    /// Signs in with USER_SRP_AUTH: InitiateAuth with `A`, then the proof of
    /// the password for PASSWORD_VERIFIER. The password never leaves the
    /// browser. `srp` is used up: one secret per attempt ([`SrpClient::new`]
    /// with CSPRNG bytes, which may be computed ahead of time);
    /// `now_unix_seconds` is asked once, after the first answer, for the
    /// signed timestamp.
    #[cfg(feature = "srp")]
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
            return sign_in_step(operation, response, username, username);
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
            challenge_responses: vec![
                ("PASSWORD_CLAIM_SECRET_BLOCK", secret_block),
                ("PASSWORD_CLAIM_SIGNATURE", claim.signature.as_str()),
                ("TIMESTAMP", claim.timestamp.as_str()),
                ("USERNAME", user_id),
            ],
        };
        let answer: AuthResponse = self.call(operation, &request).await?;
        sign_in_step(operation, answer, username, user_id)
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
            challenge_responses: vec![
                ("NEW_PASSWORD", new_password.expose()),
                ("USERNAME", challenge.username.as_str()),
            ],
        };
        let response: AuthResponse = self.call(operation, &request).await?;
        sign_in_step(
            operation,
            response,
            &challenge.username,
            &challenge.username,
        )
    }

    /// Answers SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP with the code the
    /// user typed. Any other step is refused without a call.
    pub async fn answer_mfa_code(
        &self,
        challenge: &MfaChallenge,
        code: &str,
    ) -> Result<SignInStep, CognitoError> {
        let MfaStep::Code { factor, .. } = challenge.step else {
            return Err(CognitoError::ChallengeRequired {
                challenge: challenge.as_challenge(),
            });
        };
        let code = normalized_code(code)?;
        let operation = Operation::MfaCode;
        let request = RespondToAuthChallengeRequest {
            challenge_name: factor.challenge_name(),
            client_id: &self.config.client_id,
            session: challenge.session.expose(),
            challenge_responses: vec![
                (factor.code_key(), code.as_str()),
                ("USERNAME", challenge.username.as_str()),
            ],
        };
        let response: AuthResponse = self.call(operation, &request).await?;
        sign_in_step(operation, response, &challenge.account, &challenge.username)
    }

    /// Answers SELECT_MFA_TYPE with the factor the user chose; Cognito then
    /// asks for that factor's code (and sends it, for SMS and email).
    pub async fn choose_mfa(
        &self,
        challenge: &MfaChallenge,
        choice: MfaType,
    ) -> Result<SignInStep, CognitoError> {
        let offered =
            matches!(&challenge.step, MfaStep::Choose { options } if options.contains(&choice));
        if !offered {
            return Err(CognitoError::ChallengeRequired {
                challenge: challenge.as_challenge(),
            });
        }
        let operation = Operation::MfaSelection;
        let request = RespondToAuthChallengeRequest {
            challenge_name: CHALLENGE_SELECT_MFA_TYPE,
            client_id: &self.config.client_id,
            session: challenge.session.expose(),
            challenge_responses: vec![
                ("ANSWER", choice.challenge_name()),
                ("USERNAME", challenge.username.as_str()),
            ],
        };
        let response: AuthResponse = self.call(operation, &request).await?;
        sign_in_step(operation, response, &challenge.account, &challenge.username)
    }

    /// MFA_SETUP, first half: a new authenticator secret for the user
    /// signing in (AssociateSoftwareToken with the challenge's session).
    pub async fn begin_mfa_setup(
        &self,
        challenge: &MfaChallenge,
    ) -> Result<TotpEnrolment, CognitoError> {
        if challenge.step != MfaStep::SetUpAuthenticator {
            return Err(CognitoError::ChallengeRequired {
                challenge: challenge.as_challenge(),
            });
        }
        let operation = Operation::MfaSetupAssociate;
        let request = AssociateSoftwareTokenRequest {
            access_token: None,
            session: Some(challenge.session.expose()),
        };
        let response: AssociateSoftwareTokenResponse = self.call(operation, &request).await?;
        let secret = enrolment_secret(operation, response.secret_code)?;
        Ok(TotpEnrolment {
            secret,
            // Cognito hands out a new session; the old one still works if it does not.
            session: Some(
                response
                    .session
                    .map(Secret::new)
                    .unwrap_or_else(|| challenge.session.clone()),
            ),
        })
    }

    /// MFA_SETUP, second half: the first code from the app proves it is set
    /// up (VerifySoftwareToken with the session), then the sign-in goes on
    /// (RespondToAuthChallenge MFA_SETUP).
    pub async fn finish_mfa_setup(
        &self,
        challenge: &MfaChallenge,
        enrolment: &TotpEnrolment,
        code: &str,
    ) -> Result<SignInStep, CognitoError> {
        let code = normalized_code(code)?;
        let session = enrolment
            .session
            .as_ref()
            .unwrap_or(&challenge.session)
            .clone();
        let operation = Operation::MfaSetupVerify;
        let request = VerifySoftwareTokenRequest {
            access_token: None,
            session: Some(session.expose()),
            user_code: &code,
            friendly_device_name: AUTHENTICATOR_DEVICE_NAME,
        };
        let verified: VerifySoftwareTokenResponse = self.call(operation, &request).await?;
        check_verified(operation, verified.status.as_deref())?;
        let session = verified.session.map(Secret::new).unwrap_or(session);

        let operation = Operation::MfaSetupFinish;
        let request = RespondToAuthChallengeRequest {
            challenge_name: CHALLENGE_MFA_SETUP,
            client_id: &self.config.client_id,
            session: session.expose(),
            challenge_responses: vec![("USERNAME", challenge.username.as_str())],
        };
        let response: AuthResponse = self.call(operation, &request).await?;
        sign_in_step(operation, response, &challenge.account, &challenge.username)
    }

    /// A signed-in user starts adding an authenticator app
    /// (AssociateSoftwareToken with the access token).
    pub async fn associate_authenticator(
        &self,
        access_token: &Secret,
    ) -> Result<TotpEnrolment, CognitoError> {
        let operation = Operation::AuthenticatorAssociate;
        let request = AssociateSoftwareTokenRequest {
            access_token: Some(access_token.expose()),
            session: None,
        };
        let response: AssociateSoftwareTokenResponse = self.call(operation, &request).await?;
        Ok(TotpEnrolment {
            secret: enrolment_secret(operation, response.secret_code)?,
            session: None,
        })
    }

    /// The first code from the new app (VerifySoftwareToken with the access token).
    pub async fn verify_authenticator(
        &self,
        access_token: &Secret,
        code: &str,
    ) -> Result<(), CognitoError> {
        let code = normalized_code(code)?;
        let operation = Operation::AuthenticatorVerify;
        let request = VerifySoftwareTokenRequest {
            access_token: Some(access_token.expose()),
            session: None,
            user_code: &code,
            friendly_device_name: AUTHENTICATOR_DEVICE_NAME,
        };
        let verified: VerifySoftwareTokenResponse = self.call(operation, &request).await?;
        check_verified(operation, verified.status.as_deref())
    }

    /// Turns sign-in with the authenticator app on (and preferred) or off
    /// (SetUserMFAPreference).
    pub async fn set_authenticator_mfa(
        &self,
        access_token: &Secret,
        enabled: bool,
    ) -> Result<(), CognitoError> {
        let request = SetUserMfaPreferenceRequest {
            access_token: access_token.expose(),
            software_token_mfa_settings: MfaSettings {
                enabled,
                preferred_mfa: enabled,
            },
        };
        self.call::<Json>(Operation::MfaPreference, &request)
            .await
            .map(drop)
    }

    /// Whether sign-in asks this user for an authenticator app's code
    /// (GetUser with the access token: SOFTWARE_TOKEN_MFA among the user's
    /// MFA settings).
    pub async fn authenticator_enabled(&self, access_token: &Secret) -> Result<bool, CognitoError> {
        let request = AccessTokenRequest {
            access_token: access_token.expose(),
        };
        let response: GetUserResponse = self.call(Operation::MfaStatus, &request).await?;
        Ok(response
            .mfa_setting_list
            .unwrap_or_default()
            .iter()
            .any(|method| method == CHALLENGE_SOFTWARE_TOKEN_MFA))
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
        self.call::<Json>(Operation::RevokeRefreshToken, &request)
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
        self.call::<Json>(Operation::ConfirmForgotPassword, &request)
            .await
            .map(drop)
    }

    /// Signs the user out on every device (GlobalSignOut).
    pub async fn global_sign_out(&self, access_token: &Secret) -> Result<(), CognitoError> {
        let request = AccessTokenRequest {
            access_token: access_token.expose(),
        };
        self.call::<Json>(Operation::GlobalSignOut, &request)
            .await
            .map(drop)
    }

    /// Sends one call and decodes a 2xx answer as `R`; anything else becomes a
    /// [`CognitoError`].
    async fn call<R: FromJson>(
        &self,
        operation: Operation,
        request: &impl ToJson,
    ) -> Result<R, CognitoError> {
        let response = self
            .transport
            .post(
                &self.config.endpoint_url(),
                operation.action().target(),
                crate::json::to_string(request),
                self.config.request_timeout,
            )
            .await?;
        if !response.is_success() {
            return Err(CognitoError::from_error_response(operation, &response));
        }
        // The error names a field or a place in the text, never a value.
        crate::json::from_str(&response.body).map_err(|error| CognitoError::MalformedResponse {
            operation,
            problem: error.to_string(),
        })
    }
}

/// Where a reset code was sent, as Cognito reports it (masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeDelivery {
    /// Where the code went, masked by Cognito (e.g. `j***@e***`).
    pub destination: Option<String>,
    /// `EMAIL` or `SMS`.
    pub medium: Option<String>,
}

/// A sign-in answer: tokens, a challenge this app can answer
/// (NEW_PASSWORD_REQUIRED or an MFA step), or an error (any other challenge
/// included). `account` is what the user typed; `username` what to send
/// back when Cognito does not name the user (`USER_ID_FOR_SRP`).
fn sign_in_step(
    operation: Operation,
    response: AuthResponse,
    account: &str,
    username: &str,
) -> Result<SignInStep, CognitoError> {
    let name = match response.challenge_name.clone() {
        Some(name) if response.authentication_result.is_none() => name,
        _ => {
            let result = authentication_result(operation, response)?;
            return token_set(operation, result, None).map(SignInStep::SignedIn);
        }
    };
    let name = name.as_str();
    let step = match name {
        CHALLENGE_NEW_PASSWORD => None,
        CHALLENGE_SELECT_MFA_TYPE => {
            let options: Vec<MfaType> = response
                .challenge_parameters
                .get("MFAS_CAN_CHOOSE")
                .and_then(|list| crate::json::from_str::<Vec<String>>(list).ok())
                .unwrap_or_default()
                .iter()
                .filter_map(|name| MfaType::from_challenge_name(name))
                .collect();
            if options.is_empty() {
                return Err(CognitoError::MalformedResponse {
                    operation,
                    problem: "SELECT_MFA_TYPE without a type this app knows".to_owned(),
                });
            }
            Some(MfaStep::Choose { options })
        }
        CHALLENGE_MFA_SETUP => {
            // Only an authenticator app can be set up here; a pool that
            // offers only email set-up needs the managed login.
            let can_set_up: Option<Vec<String>> = response
                .challenge_parameters
                .get("MFAS_CAN_SETUP")
                .and_then(|list| crate::json::from_str(list).ok());
            if let Some(types) = can_set_up
                && !types
                    .iter()
                    .any(|t| t == MfaType::AuthenticatorApp.challenge_name())
            {
                return Err(CognitoError::ChallengeRequired {
                    challenge: Challenge::from_name(CHALLENGE_MFA_SETUP),
                });
            }
            Some(MfaStep::SetUpAuthenticator)
        }
        other => match MfaType::from_challenge_name(other) {
            Some(factor) => Some(MfaStep::Code {
                factor,
                destination: response
                    .challenge_parameters
                    .get("CODE_DELIVERY_DESTINATION")
                    .map(|to| super::untrusted_text::excerpt(to)),
            }),
            None => {
                return Err(CognitoError::ChallengeRequired {
                    challenge: Challenge::from_name(other),
                });
            }
        },
    };
    let session = response
        .session
        .clone()
        .ok_or_else(|| CognitoError::MalformedResponse {
            operation,
            problem: format!("{} without a Session", super::untrusted_text::excerpt(name)),
        })?;
    let parameters = &response.challenge_parameters;
    let username = parameters
        .get("USER_ID_FOR_SRP")
        .cloned()
        .unwrap_or_else(|| username.to_owned());
    if let Some(step) = step {
        return Ok(SignInStep::Mfa(MfaChallenge {
            step,
            session: Secret::new(session),
            username,
            account: account.to_owned(),
        }));
    }
    // A JSON array of attribute names, prefixed "userAttributes.".
    let required: Vec<String> = parameters
        .get("requiredAttributes")
        .and_then(|list| crate::json::from_str(list).ok())
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
    Ok(SignInStep::NewPasswordRequired(NewPasswordChallenge {
        session: Secret::new(session),
        username,
    }))
}

/// A code as typed (spaces and dashes allowed), or why it cannot be one.
fn normalized_code(code: &str) -> Result<String, CognitoError> {
    let digits: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.is_empty() || digits.len() > 8 || !digits.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(CognitoError::CodeMalformed);
    }
    Ok(digits)
}

/// The base32 secret of an AssociateSoftwareToken answer.
fn enrolment_secret(operation: Operation, secret: Option<String>) -> Result<Secret, CognitoError> {
    match secret {
        Some(secret) if !secret.is_empty() => Ok(Secret::new(secret)),
        _ => Err(CognitoError::MalformedResponse {
            operation,
            problem: "no SecretCode".to_owned(),
        }),
    }
}

/// VerifySoftwareToken says `SUCCESS`, or the code did not prove the app.
fn check_verified(operation: Operation, status: Option<&str>) -> Result<(), CognitoError> {
    match status {
        Some("SUCCESS") => Ok(()),
        Some(_) => Err(CognitoError::WrongMfaCode),
        None => Err(CognitoError::MalformedResponse {
            operation,
            problem: "no Status".to_owned(),
        }),
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
