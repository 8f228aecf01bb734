//! Wire format of the Cognito Identity Provider JSON API calls this app makes.
//!
//! Request and response types deliberately derive no `Debug`: they carry
//! passwords and tokens as plain strings on their way to and from JSON.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Prefix of the `X-Amz-Target` header value for every action.
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService";

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
    /// The action name as Cognito spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::InitiateAuth => "InitiateAuth",
            Self::RespondToAuthChallenge => "RespondToAuthChallenge",
            Self::GetTokensFromRefreshToken => "GetTokensFromRefreshToken",
            Self::RevokeToken => "RevokeToken",
            Self::GlobalSignOut => "GlobalSignOut",
            Self::ForgotPassword => "ForgotPassword",
            Self::ConfirmForgotPassword => "ConfirmForgotPassword",
            Self::AssociateSoftwareToken => "AssociateSoftwareToken",
            Self::VerifySoftwareToken => "VerifySoftwareToken",
            Self::SetUserMfaPreference => "SetUserMFAPreference",
            Self::GetUser => "GetUser",
        }
    }

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

/// What the app was trying to do. Finer than [`Action`] because the same
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
    pub fn action(self) -> Action {
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
pub const AUTH_FLOW_SRP: &str = "USER_SRP_AUTH";
/// `ChallengeName` of the SRP proof.
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
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct InitiateAuthRequest<'a> {
    pub auth_flow: &'static str,
    pub client_id: &'a str,
    pub auth_parameters: AuthParameters<'a>,
}

/// `AuthParameters` of InitiateAuth; only the keys of the chosen flow are sent.
#[derive(Serialize)]
pub(crate) struct AuthParameters<'a> {
    #[serde(rename = "USERNAME", skip_serializing_if = "Option::is_none")]
    pub username: Option<&'a str>,
    #[serde(rename = "PASSWORD", skip_serializing_if = "Option::is_none")]
    pub password: Option<&'a str>,
    #[serde(rename = "REFRESH_TOKEN", skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<&'a str>,
    #[serde(rename = "SRP_A", skip_serializing_if = "Option::is_none")]
    pub srp_a: Option<&'a str>,
}

/// RespondToAuthChallenge request body.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct RespondToAuthChallengeRequest<'a> {
    pub challenge_name: &'static str,
    pub client_id: &'a str,
    pub session: &'a str,
    pub challenge_responses: BTreeMap<&'static str, &'a str>,
}

/// GetTokensFromRefreshToken request body.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct GetTokensFromRefreshTokenRequest<'a> {
    pub refresh_token: &'a str,
    pub client_id: &'a str,
}

/// RevokeToken request body.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct RevokeTokenRequest<'a> {
    pub token: &'a str,
    pub client_id: &'a str,
}

/// GlobalSignOut request body.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct GlobalSignOutRequest<'a> {
    pub access_token: &'a str,
}

/// ForgotPassword request body.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ForgotPasswordRequest<'a> {
    pub client_id: &'a str,
    pub username: &'a str,
}

/// ForgotPassword answer: where the code went.
#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ForgotPasswordResponse {
    #[serde(default)]
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CodeDeliveryDetails {
    pub destination: Option<String>,
    pub delivery_medium: Option<String>,
}

/// ConfirmForgotPassword request body.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ConfirmForgotPasswordRequest<'a> {
    pub client_id: &'a str,
    pub username: &'a str,
    pub confirmation_code: &'a str,
    pub password: &'a str,
}

/// AssociateSoftwareToken request body: either the access token of a
/// signed-in user or the session of an MFA_SETUP challenge.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AssociateSoftwareTokenRequest<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<&'a str>,
}

/// AssociateSoftwareToken answer: the TOTP secret (base32) and, in the
/// MFA_SETUP form, the session to continue with.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AssociateSoftwareTokenResponse {
    #[serde(default)]
    pub secret_code: Option<String>,
    #[serde(default)]
    pub session: Option<String>,
}

/// VerifySoftwareToken request body.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct VerifySoftwareTokenRequest<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<&'a str>,
    pub user_code: &'a str,
    pub friendly_device_name: &'a str,
}

/// VerifySoftwareToken answer: `SUCCESS` or `ERROR`, and in the MFA_SETUP
/// form the session for the final RespondToAuthChallenge.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct VerifySoftwareTokenResponse {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub session: Option<String>,
}

/// SetUserMFAPreference request body (only the authenticator app is changed).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct SetUserMfaPreferenceRequest<'a> {
    pub access_token: &'a str,
    pub software_token_mfa_settings: MfaSettings,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct GetUserRequest<'a> {
    pub access_token: &'a str,
}

/// The part of GetUser's answer the settings need.
#[derive(Deserialize)]
pub(crate) struct GetUserResponse {
    #[serde(rename = "UserMFASettingList", default)]
    pub mfa_setting_list: Option<Vec<String>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct MfaSettings {
    pub enabled: bool,
    pub preferred_mfa: bool,
}

/// Answer of InitiateAuth and GetTokensFromRefreshToken: either tokens or a
/// challenge (the latter only from InitiateAuth).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AuthResponse {
    #[serde(default)]
    pub authentication_result: Option<AuthenticationResult>,
    #[serde(default)]
    pub challenge_name: Option<String>,
    /// Opaque state to send back with the challenge's answer.
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub challenge_parameters: BTreeMap<String, String>,
}

/// `AuthenticationResult`. Everything optional so a missing field becomes a
/// typed "malformed answer" instead of an opaque serde message; cognito-local
/// omits `ExpiresIn` and `TokenType`, and refreshes omit `RefreshToken`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AuthenticationResult {
    #[serde(default)]
    pub id_token: Option<String>,
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub token_type: Option<String>,
}

/// Error document of a failed call: `{"__type": "...", "message": "..."}`.
#[derive(Deserialize)]
pub(crate) struct ServiceErrorBody {
    #[serde(rename = "__type", default)]
    pub error_type: Option<String>,
    #[serde(alias = "Message", default)]
    pub message: Option<String>,
}
