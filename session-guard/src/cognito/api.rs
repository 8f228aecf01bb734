//! Wire format of the Cognito Identity Provider JSON API calls this app makes.
//!
//! Request and response types deliberately derive no `Debug`: they carry
//! passwords and tokens as plain strings on their way to and from JSON.

use crate::json::{FromJson, Json, JsonError, ToJson};
use std::fmt;

/// The Cognito API actions the session manager uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    InitiateAuth,
    RespondToAuthChallenge,
    GetTokensFromRefreshToken,
    RevokeToken,
    GlobalSignOut,
    ForgotPassword,
    ConfirmForgotPassword,
    AssociateSoftwareToken,
    VerifySoftwareToken,
    SetUserMfaPreference,
    GetUser,
}

impl Action {
    /// The `X-Amz-Target` header value that selects this action.
    pub fn target(self) -> &'static str {
        match self {
            Self::InitiateAuth => "AWSCognitoIdentityProviderService.InitiateAuth",
            Self::RespondToAuthChallenge => {
                "AWSCognitoIdentityProviderService.RespondToAuthChallenge"
            }
            Self::GetTokensFromRefreshToken => {
                "AWSCognitoIdentityProviderService.GetTokensFromRefreshToken"
            }
            Self::RevokeToken => "AWSCognitoIdentityProviderService.RevokeToken",
            Self::GlobalSignOut => "AWSCognitoIdentityProviderService.GlobalSignOut",
            Self::ForgotPassword => "AWSCognitoIdentityProviderService.ForgotPassword",
            Self::ConfirmForgotPassword => {
                "AWSCognitoIdentityProviderService.ConfirmForgotPassword"
            }
            Self::AssociateSoftwareToken => {
                "AWSCognitoIdentityProviderService.AssociateSoftwareToken"
            }
            Self::VerifySoftwareToken => "AWSCognitoIdentityProviderService.VerifySoftwareToken",
            Self::SetUserMfaPreference => "AWSCognitoIdentityProviderService.SetUserMFAPreference",
            Self::GetUser => "AWSCognitoIdentityProviderService.GetUser",
        }
    }
}

/// What the app was trying to do. Finer than the API action because the same
/// error means different things per operation: `NotAuthorizedException` is a
/// wrong password on sign-in but a dead session on refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// InitiateAuth with USER_PASSWORD_AUTH.
    PasswordSignIn,
    /// InitiateAuth with USER_SRP_AUTH.
    SrpSignIn,
    /// RespondToAuthChallenge with the SRP proof (PASSWORD_VERIFIER).
    PasswordVerifier,
    /// RespondToAuthChallenge with the user's new password (NEW_PASSWORD_REQUIRED).
    NewPassword,
    /// InitiateAuth with REFRESH_TOKEN_AUTH.
    Refresh,
    /// GetTokensFromRefreshToken (refresh token rotation on).
    RotatingRefresh,
    /// RevokeToken on the refresh token.
    RevokeRefreshToken,
    /// GlobalSignOut with the access token.
    GlobalSignOut,
    /// ForgotPassword: a reset code is sent to the user.
    ForgotPassword,
    /// ConfirmForgotPassword: the code and the new password.
    ConfirmForgotPassword,
    /// RespondToAuthChallenge with an MFA code (SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP).
    MfaCode,
    /// RespondToAuthChallenge with the MFA type the user chose (SELECT_MFA_TYPE).
    MfaSelection,
    /// AssociateSoftwareToken with the MFA_SETUP challenge's session.
    MfaSetupAssociate,
    /// VerifySoftwareToken with the MFA_SETUP challenge's session.
    MfaSetupVerify,
    /// RespondToAuthChallenge MFA_SETUP once the authenticator app is verified.
    MfaSetupFinish,
    /// AssociateSoftwareToken with a signed-in user's access token.
    AuthenticatorAssociate,
    /// VerifySoftwareToken with a signed-in user's access token.
    AuthenticatorVerify,
    /// SetUserMFAPreference (authenticator app on or off).
    MfaPreference,
    /// GetUser with the access token: which second steps are on.
    MfaStatus,
}

impl Operation {
    pub(crate) fn action(self) -> Action {
        match self {
            Self::PasswordSignIn | Self::SrpSignIn | Self::Refresh => Action::InitiateAuth,
            Self::PasswordVerifier | Self::NewPassword => Action::RespondToAuthChallenge,
            Self::RotatingRefresh => Action::GetTokensFromRefreshToken,
            Self::RevokeRefreshToken => Action::RevokeToken,
            Self::GlobalSignOut => Action::GlobalSignOut,
            Self::ForgotPassword => Action::ForgotPassword,
            Self::ConfirmForgotPassword => Action::ConfirmForgotPassword,
            Self::MfaCode | Self::MfaSelection | Self::MfaSetupFinish => {
                Action::RespondToAuthChallenge
            }
            Self::MfaSetupAssociate | Self::AuthenticatorAssociate => {
                Action::AssociateSoftwareToken
            }
            Self::MfaSetupVerify | Self::AuthenticatorVerify => Action::VerifySoftwareToken,
            Self::MfaPreference => Action::SetUserMfaPreference,
            Self::MfaStatus => Action::GetUser,
        }
    }

    /// Whether this operation is a step of a sign-in started with a
    /// password (its `Session` can run out, its codes can be wrong).
    pub fn is_mfa_sign_in_step(self) -> bool {
        matches!(
            self,
            Self::MfaCode
                | Self::MfaSelection
                | Self::MfaSetupAssociate
                | Self::MfaSetupVerify
                | Self::MfaSetupFinish
        )
    }

    /// Whether this operation checks the user's password (so a refusal means
    /// wrong credentials).
    pub fn checks_password(self) -> bool {
        matches!(
            self,
            Self::PasswordSignIn | Self::SrpSignIn | Self::PasswordVerifier
        )
    }

    /// Whether this operation presents a refresh token (so a rejection ends the session).
    pub fn uses_refresh_token(self) -> bool {
        matches!(self, Self::Refresh | Self::RotatingRefresh)
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::PasswordSignIn | Self::SrpSignIn | Self::PasswordVerifier => "sign-in",
            Self::NewPassword => "password change",
            Self::Refresh | Self::RotatingRefresh => "session renewal",
            Self::RevokeRefreshToken => "token revocation",
            Self::GlobalSignOut => "sign-out",
            Self::ForgotPassword | Self::ConfirmForgotPassword => "password reset",
            Self::MfaCode | Self::MfaSelection | Self::MfaSetupFinish => "sign-in",
            Self::MfaSetupAssociate | Self::MfaSetupVerify => "authenticator app set-up",
            Self::AuthenticatorAssociate | Self::AuthenticatorVerify => "authenticator app set-up",
            Self::MfaPreference => "sign-in settings change",
            Self::MfaStatus => "sign-in settings check",
        })
    }
}

/// `AuthFlow` of a plain password sign-in (the password goes to Cognito).
pub const AUTH_FLOW_PASSWORD: &str = "USER_PASSWORD_AUTH";
/// `AuthFlow` of an SRP sign-in (only a proof of the password goes to Cognito).
#[cfg_attr(not(feature = "srp"), allow(dead_code))]
pub const AUTH_FLOW_SRP: &str = "USER_SRP_AUTH";
/// `ChallengeName` of the SRP proof.
#[cfg_attr(not(feature = "srp"), allow(dead_code))]
pub const CHALLENGE_PASSWORD_VERIFIER: &str = "PASSWORD_VERIFIER";
/// `ChallengeName` of a first sign-in that must choose a password.
pub const CHALLENGE_NEW_PASSWORD: &str = "NEW_PASSWORD_REQUIRED";
/// `ChallengeName` of a code from an authenticator app.
pub const CHALLENGE_SOFTWARE_TOKEN_MFA: &str = "SOFTWARE_TOKEN_MFA";
/// `ChallengeName` of a code sent by text message.
pub const CHALLENGE_SMS_MFA: &str = "SMS_MFA";
/// `ChallengeName` of a code sent by email.
pub const CHALLENGE_EMAIL_OTP: &str = "EMAIL_OTP";
/// `ChallengeName` of a choice between the user's MFA types.
pub const CHALLENGE_SELECT_MFA_TYPE: &str = "SELECT_MFA_TYPE";
/// `ChallengeName` of a user who must set up MFA during sign-in.
pub const CHALLENGE_MFA_SETUP: &str = "MFA_SETUP";
/// `AuthFlow` of a refresh without rotation.
pub const AUTH_FLOW_REFRESH: &str = "REFRESH_TOKEN_AUTH";

/// InitiateAuth request body.
pub(crate) struct InitiateAuthRequest<'a> {
    pub auth_flow: &'static str,
    pub client_id: &'a str,
    pub auth_parameters: AuthParameters<'a>,
}

impl ToJson for InitiateAuthRequest<'_> {
    fn to_json(&self) -> Json {
        let parameters = &self.auth_parameters;
        // Only the keys of the chosen flow are sent.
        let members = [
            ("USERNAME", parameters.username),
            ("PASSWORD", parameters.password),
            ("REFRESH_TOKEN", parameters.refresh_token),
            ("SRP_A", parameters.srp_a),
        ];
        Json::object(vec![
            ("AuthFlow", self.auth_flow.to_json()),
            ("ClientId", self.client_id.to_json()),
            ("AuthParameters", present(&members)),
        ])
    }
}

/// `AuthParameters` of InitiateAuth; only the keys of the chosen flow are sent.
pub(crate) struct AuthParameters<'a> {
    pub username: Option<&'a str>,
    pub password: Option<&'a str>,
    pub refresh_token: Option<&'a str>,
    pub srp_a: Option<&'a str>,
}

/// An object of the members that have a value (the others are left out).
fn present(members: &[(&str, Option<&str>)]) -> Json {
    Json::object(
        members
            .iter()
            .filter_map(|&(key, value)| Some((key, value?.to_json())))
            .collect(),
    )
}

/// RespondToAuthChallenge request body.
pub(crate) struct RespondToAuthChallengeRequest<'a> {
    pub challenge_name: &'static str,
    pub client_id: &'a str,
    pub session: &'a str,
    /// Sent in the order given: every caller lists them in name order.
    pub challenge_responses: Vec<(&'static str, &'a str)>,
}

impl ToJson for RespondToAuthChallengeRequest<'_> {
    fn to_json(&self) -> Json {
        let responses = self.challenge_responses.iter();
        Json::object(vec![
            ("ChallengeName", self.challenge_name.to_json()),
            ("ClientId", self.client_id.to_json()),
            ("Session", self.session.to_json()),
            (
                "ChallengeResponses",
                Json::object(
                    responses
                        .map(|(key, value)| (*key, value.to_json()))
                        .collect(),
                ),
            ),
        ])
    }
}

/// GetTokensFromRefreshToken request body.
pub(crate) struct GetTokensFromRefreshTokenRequest<'a> {
    pub refresh_token: &'a str,
    pub client_id: &'a str,
}

impl ToJson for GetTokensFromRefreshTokenRequest<'_> {
    fn to_json(&self) -> Json {
        Json::object(vec![
            ("RefreshToken", self.refresh_token.to_json()),
            ("ClientId", self.client_id.to_json()),
        ])
    }
}

/// RevokeToken request body.
pub(crate) struct RevokeTokenRequest<'a> {
    pub token: &'a str,
    pub client_id: &'a str,
}

impl ToJson for RevokeTokenRequest<'_> {
    fn to_json(&self) -> Json {
        Json::object(vec![
            ("Token", self.token.to_json()),
            ("ClientId", self.client_id.to_json()),
        ])
    }
}

/// Body of GlobalSignOut and GetUser: the access token alone.
pub(crate) struct AccessTokenRequest<'a> {
    pub access_token: &'a str,
}

impl ToJson for AccessTokenRequest<'_> {
    fn to_json(&self) -> Json {
        Json::object(vec![("AccessToken", self.access_token.to_json())])
    }
}

/// ForgotPassword request body.
pub(crate) struct ForgotPasswordRequest<'a> {
    pub client_id: &'a str,
    pub username: &'a str,
}

impl ToJson for ForgotPasswordRequest<'_> {
    fn to_json(&self) -> Json {
        Json::object(vec![
            ("ClientId", self.client_id.to_json()),
            ("Username", self.username.to_json()),
        ])
    }
}

/// ForgotPassword answer: where the code went.
pub(crate) struct ForgotPasswordResponse {
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

impl FromJson for ForgotPasswordResponse {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let object = value.object_or_err()?;
        Ok(Self {
            code_delivery_details: object.field("CodeDeliveryDetails")?,
        })
    }
}

#[derive(Default)]
pub(crate) struct CodeDeliveryDetails {
    pub destination: Option<String>,
    pub delivery_medium: Option<String>,
}

impl FromJson for CodeDeliveryDetails {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let object = value.object_or_err()?;
        Ok(Self {
            destination: object.field("Destination")?,
            delivery_medium: object.field("DeliveryMedium")?,
        })
    }
}

/// ConfirmForgotPassword request body.
pub(crate) struct ConfirmForgotPasswordRequest<'a> {
    pub client_id: &'a str,
    pub username: &'a str,
    pub confirmation_code: &'a str,
    pub password: &'a str,
}

impl ToJson for ConfirmForgotPasswordRequest<'_> {
    fn to_json(&self) -> Json {
        Json::object(vec![
            ("ClientId", self.client_id.to_json()),
            ("Username", self.username.to_json()),
            ("ConfirmationCode", self.confirmation_code.to_json()),
            ("Password", self.password.to_json()),
        ])
    }
}

/// AssociateSoftwareToken request body: either the access token of a
/// signed-in user or the session of an MFA_SETUP challenge.
pub(crate) struct AssociateSoftwareTokenRequest<'a> {
    pub access_token: Option<&'a str>,
    pub session: Option<&'a str>,
}

impl ToJson for AssociateSoftwareTokenRequest<'_> {
    fn to_json(&self) -> Json {
        present(&[
            ("AccessToken", self.access_token),
            ("Session", self.session),
        ])
    }
}

/// AssociateSoftwareToken answer: the TOTP secret (base32) and, in the
/// MFA_SETUP form, the session to continue with.
pub(crate) struct AssociateSoftwareTokenResponse {
    pub secret_code: Option<String>,
    pub session: Option<String>,
}

impl FromJson for AssociateSoftwareTokenResponse {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let object = value.object_or_err()?;
        Ok(Self {
            secret_code: object.field("SecretCode")?,
            session: object.field("Session")?,
        })
    }
}

/// VerifySoftwareToken request body.
pub(crate) struct VerifySoftwareTokenRequest<'a> {
    pub access_token: Option<&'a str>,
    pub session: Option<&'a str>,
    pub user_code: &'a str,
    pub friendly_device_name: &'a str,
}

impl ToJson for VerifySoftwareTokenRequest<'_> {
    fn to_json(&self) -> Json {
        present(&[
            ("AccessToken", self.access_token),
            ("Session", self.session),
            ("UserCode", Some(self.user_code)),
            ("FriendlyDeviceName", Some(self.friendly_device_name)),
        ])
    }
}

/// VerifySoftwareToken answer: `SUCCESS` or `ERROR`, and in the MFA_SETUP
/// form the session for the final RespondToAuthChallenge.
pub(crate) struct VerifySoftwareTokenResponse {
    pub status: Option<String>,
    pub session: Option<String>,
}

impl FromJson for VerifySoftwareTokenResponse {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let object = value.object_or_err()?;
        Ok(Self {
            status: object.field("Status")?,
            session: object.field("Session")?,
        })
    }
}

/// SetUserMFAPreference request body (only the authenticator app is changed).
pub(crate) struct SetUserMfaPreferenceRequest<'a> {
    pub access_token: &'a str,
    pub software_token_mfa_settings: MfaSettings,
}

impl ToJson for SetUserMfaPreferenceRequest<'_> {
    fn to_json(&self) -> Json {
        let settings = &self.software_token_mfa_settings;
        Json::object(vec![
            ("AccessToken", self.access_token.to_json()),
            (
                "SoftwareTokenMfaSettings",
                Json::object(vec![
                    ("Enabled", settings.enabled.to_json()),
                    ("PreferredMfa", settings.preferred_mfa.to_json()),
                ]),
            ),
        ])
    }
}

pub(crate) struct MfaSettings {
    pub enabled: bool,
    pub preferred_mfa: bool,
}

/// The part of GetUser's answer the settings need.
pub(crate) struct GetUserResponse {
    pub mfa_setting_list: Option<Vec<String>>,
}

impl FromJson for GetUserResponse {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let object = value.object_or_err()?;
        Ok(Self {
            mfa_setting_list: object.field("UserMFASettingList")?,
        })
    }
}

/// Answer of InitiateAuth and GetTokensFromRefreshToken: either tokens or a
/// challenge (the latter only from InitiateAuth).
pub(crate) struct AuthResponse {
    pub authentication_result: Option<AuthenticationResult>,
    pub challenge_name: Option<String>,
    /// Opaque state to send back with the challenge's answer.
    pub session: Option<String>,
    pub challenge_parameters: ChallengeParameters,
}

impl FromJson for AuthResponse {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let object = value.object_or_err()?;
        Ok(Self {
            authentication_result: object.field("AuthenticationResult")?,
            challenge_name: object.field("ChallengeName")?,
            session: object.field("Session")?,
            challenge_parameters: object.field("ChallengeParameters")?,
        })
    }
}

/// `ChallengeParameters`: names and their string values, as Cognito sent
/// them (a handful; looked up by name).
#[derive(Default)]
pub(crate) struct ChallengeParameters(Vec<(String, String)>);

impl ChallengeParameters {
    pub fn get(&self, name: &str) -> Option<&String> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }
}

/// An object whose values are all strings. Absent means none; anything
/// else must be such an object (`null` included, which is not one).
impl FromJson for ChallengeParameters {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let members = value.as_object().map(|object| {
            object
                .iter()
                .map(|(key, value)| Some((key.to_owned(), value.as_str()?.to_owned())))
                .collect()
        });
        members
            .flatten()
            .map(ChallengeParameters)
            .ok_or(JsonError::not_a("an object of strings"))
    }

    fn absent() -> Option<Self> {
        Some(Self::default())
    }
}

/// `AuthenticationResult`. Everything optional so a missing field becomes a
/// typed "malformed answer" naming it; cognito-local omits `ExpiresIn` and
/// `TokenType`, and refreshes omit `RefreshToken`.
pub(crate) struct AuthenticationResult {
    pub id_token: Option<String>,
    pub access_token: Option<String>,
    pub refresh_token: Option<String>,
    pub expires_in: Option<u64>,
    pub token_type: Option<String>,
}

impl FromJson for AuthenticationResult {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let object = value.object_or_err()?;
        Ok(Self {
            id_token: object.field("IdToken")?,
            access_token: object.field("AccessToken")?,
            refresh_token: object.field("RefreshToken")?,
            expires_in: object.field("ExpiresIn")?,
            token_type: object.field("TokenType")?,
        })
    }
}

/// Error document of a failed call: `{"__type": "...", "message": "..."}`.
pub(crate) struct ServiceErrorBody {
    pub error_type: Option<String>,
    pub message: Option<String>,
}

impl FromJson for ServiceErrorBody {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let object = value.object_or_err()?;
        // Some AWS front ends capitalise the key; a document with both is
        // not one this app can read.
        let message = match (object.get("message"), object.get("Message")) {
            (Some(_), Some(_)) => return Err(JsonError::invalid("the message is given twice")),
            (None, Some(_)) => "Message",
            _ => "message",
        };
        Ok(Self {
            error_type: object.field("__type")?,
            message: object.field(message)?,
        })
    }
}
