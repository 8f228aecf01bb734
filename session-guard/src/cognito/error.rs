//! Errors of the Cognito API client ([`CognitoError`]) and how the session
//! core should react to them ([`RetryClass`]), the extra sign-in steps
//! Cognito can ask for ([`Challenge`]) and why it refuses a refresh token
//! ([`RefreshRejection`]).

use super::api::{Operation, ServiceErrorBody};
use super::transport::{HttpResponse, TransportError};
use super::untrusted_text::excerpt;
use std::fmt;

/// What the session core should do after a failed call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryClass {
    /// The service said no (wrong password, revoked or expired refresh token,
    /// unknown user): retrying cannot help; sign out or ask the user.
    DefiniteRejection,
    /// The refresh token was already rotated out, most likely by another tab or
    /// a lost answer. The core should re-read storage for a newer token before
    /// giving up.
    RotationReuse,
    /// Nothing is known about the credentials (offline, timeout, throttled,
    /// server fault): keep the tokens and retry with backoff.
    Retryable,
}

/// An extra sign-in step Cognito asks for instead of issuing tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Challenge {
    /// `NEW_PASSWORD_REQUIRED`: an administrator created the account with a
    /// temporary password; the user chooses a new one before signing in.
    NewPasswordRequired,
    /// `SMS_MFA`: a code sent by text message.
    SmsMfa,
    /// `SOFTWARE_TOKEN_MFA`: a code from an authenticator app.
    SoftwareTokenMfa,
    /// `EMAIL_OTP`: a code sent by email.
    EmailOtp,
    /// `SELECT_MFA_TYPE`: the user picks which second step to use.
    SelectMfaType,
    /// `MFA_SETUP`: the pool requires a second step the account has not set
    /// up yet.
    MfaSetup,
    /// `CUSTOM_CHALLENGE`: a Lambda-defined step, which this library does not
    /// support.
    CustomChallenge,
    /// Any other `ChallengeName`, kept verbatim (shortened).
    Other(String),
}

impl Challenge {
    /// Maps Cognito's `ChallengeName`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "NEW_PASSWORD_REQUIRED" => Self::NewPasswordRequired,
            "SMS_MFA" => Self::SmsMfa,
            "SOFTWARE_TOKEN_MFA" => Self::SoftwareTokenMfa,
            "EMAIL_OTP" => Self::EmailOtp,
            "SELECT_MFA_TYPE" => Self::SelectMfaType,
            "MFA_SETUP" => Self::MfaSetup,
            "CUSTOM_CHALLENGE" => Self::CustomChallenge,
            other => Self::Other(excerpt(other)),
        }
    }

    /// The `ChallengeName` as Cognito spells it.
    pub fn name(&self) -> &str {
        match self {
            Self::NewPasswordRequired => "NEW_PASSWORD_REQUIRED",
            Self::SmsMfa => "SMS_MFA",
            Self::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
            Self::EmailOtp => "EMAIL_OTP",
            Self::SelectMfaType => "SELECT_MFA_TYPE",
            Self::MfaSetup => "MFA_SETUP",
            Self::CustomChallenge => "CUSTOM_CHALLENGE",
            Self::Other(name) => name,
        }
    }
}

impl fmt::Display for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NewPasswordRequired => f.write_str(
                "This account must choose a new password before it can sign in (NEW_PASSWORD_REQUIRED); \
                 sign in on the sign-in page to choose it.",
            ),
            Self::SmsMfa => f.write_str(
                "This account requires a code sent by text message to sign in (SMS_MFA); \
                 sign in on the sign-in page to enter it.",
            ),
            Self::SoftwareTokenMfa => f.write_str(
                "This account requires a code from an authenticator app to sign in (SOFTWARE_TOKEN_MFA); \
                 sign in on the sign-in page to enter it.",
            ),
            Self::EmailOtp => f.write_str(
                "This account requires a code sent by email to sign in (EMAIL_OTP); \
                 sign in on the sign-in page to enter it.",
            ),
            Self::SelectMfaType => f.write_str(
                "This account must choose how to confirm its sign-in (SELECT_MFA_TYPE); \
                 sign in on the sign-in page to choose.",
            ),
            Self::MfaSetup => f.write_str(
                "This account must set up a second sign-in step (MFA_SETUP) of a kind this app cannot set up; \
                 use the organisation's sign-in page or ask an administrator.",
            ),
            Self::CustomChallenge => f.write_str(
                "This user pool asks for a custom sign-in step (CUSTOM_CHALLENGE), which this app does not support.",
            ),
            Self::Other(name) => write!(
                f,
                "This user pool asks for an extra sign-in step ({name}) that this app does not support."
            ),
        }
    }
}

/// Why Cognito refused a refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshRejection {
    /// Revoked by RevokeToken, GlobalSignOut or an administrator.
    Revoked,
    /// Past the pool's refresh token validity, counted from the original sign-in.
    Expired,
    /// Not a refresh token of this app client.
    Invalid,
    /// Another `NotAuthorizedException` (e.g. the user was disabled); message kept.
    Other(String),
}

impl fmt::Display for RefreshRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Revoked => {
                f.write_str("this session was ended (the refresh token has been revoked)")
            }
            Self::Expired => f.write_str("this session has reached its maximum length"),
            Self::Invalid => f.write_str("the saved session is not valid for this app"),
            Self::Other(message) => write!(f, "the sign-in service ended this session ({message})"),
        }
    }
}

impl RefreshRejection {
    fn from_message(message: &str) -> Self {
        let lower = message.to_ascii_lowercase();
        if lower.contains("revoked") {
            Self::Revoked
        } else if lower.contains("expired") {
            Self::Expired
        } else if lower.contains("invalid refresh token") {
            Self::Invalid
        } else {
            Self::Other(excerpt(message))
        }
    }
}

/// A failed Cognito call, in words a user can act on.
///
/// Messages never contain a token or a request body; service messages are
/// shortened excerpts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CognitoError {
    /// The username or password is wrong (pools that hide whether a user
    /// exists answer this for unknown users too). The user types them again.
    #[error("Incorrect username or password.")]
    WrongCredentials,
    /// No such user (only pools that reveal it). The user checks the
    /// username or signs up.
    #[error("No account exists with this username.")]
    UserNotFound,
    /// The account exists but was never confirmed; the user confirms it
    /// with the code they were sent (outside this library), then signs in.
    #[error(
        "This account is not confirmed yet; confirm it with the code you were sent, then sign in."
    )]
    UserNotConfirmed,
    /// An administrator asked for a password reset: offer the forgotten
    /// password flow.
    #[error("The password of this account must be reset before you can sign in.")]
    PasswordResetRequired,
    /// Cognito asks for a sign-in step the caller cannot complete here
    /// (e.g. a re-authentication that meets an MFA challenge, or a
    /// `CUSTOM_CHALLENGE`); the message says where to complete it.
    #[error("{challenge}")]
    ChallengeRequired {
        /// The step Cognito asked for.
        challenge: Challenge,
    },
    /// The new password of NEW_PASSWORD_REQUIRED breaks the pool's password policy.
    #[error(
        "The new password was not accepted: {message} Choose another one that follows the rules shown."
    )]
    NewPasswordRejected {
        /// Cognito's explanation, shortened.
        message: String,
    },
    /// The challenge's `Session` ran out (Cognito gives a few minutes).
    #[error("The time to complete this sign-in step ran out; please sign in again.")]
    ChallengeExpired,
    /// NEW_PASSWORD_REQUIRED also wants attributes this app does not ask for.
    #[error(
        "This account must also provide {attributes} when it chooses its password, which this app cannot ask for; \
         ask an administrator to set them, then sign in again."
    )]
    NewPasswordNeedsAttributes {
        /// The required attributes, comma separated.
        attributes: String,
    },
    /// The SRP proof could not be computed from what Cognito sent.
    #[error("{0}")]
    #[cfg(feature = "srp")]
    Srp(#[from] super::srp::SrpError),
    /// A `NotAuthorizedException` not covered by a more specific variant
    /// (e.g. "User is disabled.").
    #[error("The sign-in service refused the {operation}: {message}")]
    NotAuthorized {
        /// The call that was refused.
        operation: Operation,
        /// Cognito's message, shortened.
        message: String,
    },
    /// The refresh token no longer works: the session is over and the user
    /// signs in again (their drafts are kept under the protective policy).
    #[error("Please sign in again: {reason}.")]
    RefreshTokenRejected {
        /// Why Cognito refused it.
        reason: RefreshRejection,
    },
    /// With refresh token rotation, a token that was already exchanged for a
    /// new one ([`RetryClass::RotationReuse`]): another tab most likely holds
    /// the newer token, so look for it in storage before signing out.
    #[error("Please sign in again: this session was already renewed elsewhere.")]
    RefreshTokenReused,
    /// GlobalSignOut refused the access token (expired or already revoked).
    #[error("The sign-in service no longer accepts this session's access token ({message}).")]
    AccessTokenRejected {
        /// Cognito's message, shortened.
        message: String,
    },
    /// Throttled, or too many failed attempts (`TooManyRequestsException`,
    /// `LimitExceededException`, `TooManyFailedAttemptsException`, HTTP 429):
    /// the user waits a moment before trying again.
    #[error("Too many attempts; wait a moment and try again.")]
    TooManyRequests,
    /// A reset (or verification) code that does not match the latest one sent.
    #[error(
        "That code is not right; check the latest message you were sent and type its code again."
    )]
    WrongCode,
    /// The reset or verification code is too old: ask for a new one.
    #[error("That code has expired; ask for a new one.")]
    CodeExpired,
    /// A wrong code for a second sign-in step (authenticator app, SMS or email).
    #[error(
        "That code is not right. Type the code your authenticator app shows now, or the one in the latest message you were sent."
    )]
    WrongMfaCode,
    /// An authenticator code that was already used once (Cognito takes each once).
    #[error(
        "That code was already used; wait for your authenticator app to show the next one and type it."
    )]
    MfaCodeReused,
    /// Too many wrong codes: Cognito ends the sign-in attempt.
    #[error("Too many wrong codes. Wait a few minutes, then sign in again.")]
    TooManyCodeAttempts,
    /// What was typed cannot be a code (empty, too long, punctuation).
    #[error("Type the code as digits, for example 123456.")]
    CodeMalformed,
    /// The user has no authenticator app to verify or turn on.
    #[error("No authenticator app is set up for this account; add one first.")]
    AuthenticatorNotSetUp,
    /// Any other service error, with its type and message kept for support.
    #[error("The sign-in service could not complete the {operation} ({error_type}: {message}).")]
    Service {
        /// The call that failed.
        operation: Operation,
        /// The HTTP status (5xx is retryable, see [`CognitoError::retry_class`]).
        status: u16,
        /// Cognito's `__type`, without its namespace (e.g. `InvalidParameterException`).
        error_type: String,
        /// Cognito's message, shortened.
        message: String,
    },
    /// A non-2xx answer without a Cognito error document (a proxy, a gateway).
    #[error("The sign-in service answered the {operation} with HTTP {status}; try again later.")]
    HttpStatus {
        /// The call that failed.
        operation: Operation,
        /// The HTTP status.
        status: u16,
    },
    /// The request did not reach Cognito (offline, DNS, CORS): retryable;
    /// the tokens are kept.
    #[error("Could not reach the sign-in service ({reason}); check your connection and try again.")]
    Network {
        /// The transport's short description; never the request body.
        reason: String,
    },
    /// No answer within the request timeout: retryable.
    #[error("The sign-in service did not answer in time; try again.")]
    Timeout,
    /// The caller cancelled the request (signed out, page hidden, newer
    /// refresh); nothing to show the user.
    #[error("The request to the sign-in service was cancelled.")]
    Cancelled,
    /// A 2xx answer that is not JSON or lacks a required field.
    #[error(
        "The sign-in service sent an answer to the {operation} that this app cannot read ({problem}); try again later."
    )]
    MalformedResponse {
        /// The call whose answer could not be read.
        operation: Operation,
        /// What is missing or wrong.
        problem: String,
    },
}

impl CognitoError {
    /// How the session core should react: see [`RetryClass`].
    pub fn retry_class(&self) -> RetryClass {
        match self {
            Self::RefreshTokenReused => RetryClass::RotationReuse,
            Self::Network { .. }
            | Self::Timeout
            | Self::Cancelled
            | Self::TooManyRequests
            | Self::HttpStatus { .. }
            | Self::MalformedResponse { .. } => RetryClass::Retryable,
            Self::Service {
                status, error_type, ..
            } if *status >= 500 || is_server_fault_type(error_type) => RetryClass::Retryable,
            Self::WrongCredentials
            | Self::UserNotFound
            | Self::UserNotConfirmed
            | Self::PasswordResetRequired
            | Self::ChallengeRequired { .. }
            | Self::NewPasswordRejected { .. }
            | Self::ChallengeExpired
            | Self::WrongCode
            | Self::CodeExpired
            | Self::WrongMfaCode
            | Self::MfaCodeReused
            | Self::TooManyCodeAttempts
            | Self::CodeMalformed
            | Self::AuthenticatorNotSetUp
            | Self::NewPasswordNeedsAttributes { .. }
            | Self::NotAuthorized { .. }
            | Self::RefreshTokenRejected { .. }
            | Self::AccessTokenRejected { .. }
            | Self::Service { .. } => RetryClass::DefiniteRejection,
            #[cfg(feature = "srp")]
            Self::Srp(_) => RetryClass::DefiniteRejection,
        }
    }

    /// Maps a non-2xx answer of `operation` to an error.
    ///
    /// The type is read from the body's `__type` (response headers are not
    /// readable cross-origin), with any `namespace#` prefix or `:url` suffix removed.
    pub fn from_error_response(operation: Operation, response: &HttpResponse) -> Self {
        let status = response.status;
        let Some((error_type, message)) = parse_error_body(&response.body) else {
            return if status == 429 {
                Self::TooManyRequests
            } else {
                Self::HttpStatus { operation, status }
            };
        };
        let on_sign_in = operation.checks_password();
        let on_new_password = matches!(
            operation,
            Operation::NewPassword | Operation::ConfirmForgotPassword
        );
        match error_type.as_str() {
            "InvalidPasswordException" | "InvalidParameterException" if on_new_password => {
                Self::NewPasswordRejected { message }
            }
            "NotAuthorizedException" | "CodeMismatchException" | "ExpiredCodeException"
                if (operation == Operation::NewPassword || operation.is_mfa_sign_in_step())
                    && message.to_ascii_lowercase().contains("session") =>
            {
                Self::ChallengeExpired
            }
            "NotAuthorizedException" | "TooManyFailedAttemptsException"
                if operation.is_mfa_sign_in_step()
                    && (error_type == "TooManyFailedAttemptsException"
                        || message.to_ascii_lowercase().contains("attempts exceeded")) =>
            {
                Self::TooManyCodeAttempts
            }
            "ExpiredCodeException"
                if is_mfa_code_operation(operation)
                    && message.to_ascii_lowercase().contains("already been used") =>
            {
                Self::MfaCodeReused
            }
            "CodeMismatchException" | "EnableSoftwareTokenMFAException"
                if is_mfa_code_operation(operation) =>
            {
                Self::WrongMfaCode
            }
            "SoftwareTokenMFANotFoundException" => Self::AuthenticatorNotSetUp,
            "CodeMismatchException" => Self::WrongCode,
            "ExpiredCodeException" => Self::CodeExpired,
            "NotAuthorizedException" if on_sign_in => {
                let lower = message.to_ascii_lowercase();
                // cognito-local answers an unknown user with "User not
                // authorized"; real Cognito (with user existence errors
                // prevented) says "Incorrect username or password." Either
                // way the user needs to check both.
                if lower.contains("incorrect username or password")
                    || lower.contains("user not authorized")
                {
                    Self::WrongCredentials
                } else if lower.contains("attempts exceeded") {
                    Self::TooManyRequests
                } else {
                    Self::NotAuthorized { operation, message }
                }
            }
            // cognito-local answers a wrong password with this instead of NotAuthorized.
            "InvalidPasswordException" if on_sign_in => Self::WrongCredentials,
            "NotAuthorizedException" if operation.uses_refresh_token() => {
                Self::RefreshTokenRejected {
                    reason: RefreshRejection::from_message(&message),
                }
            }
            "NotAuthorizedException" if operation == Operation::GlobalSignOut => {
                Self::AccessTokenRejected { message }
            }
            "NotAuthorizedException" => Self::NotAuthorized { operation, message },
            "UserNotFoundException" => Self::UserNotFound,
            "UserNotConfirmedException" => Self::UserNotConfirmed,
            "PasswordResetRequiredException" => Self::PasswordResetRequired,
            "RefreshTokenReuseException" => Self::RefreshTokenReused,
            "TooManyRequestsException"
            | "LimitExceededException"
            | "TooManyFailedAttemptsException" => Self::TooManyRequests,
            _ => Self::Service {
                operation,
                status,
                error_type,
                message,
            },
        }
    }
}

impl From<TransportError> for CognitoError {
    fn from(error: TransportError) -> Self {
        match error {
            TransportError::Network { reason } => Self::Network {
                reason: excerpt(&reason),
            },
            TransportError::Timeout => Self::Timeout,
            TransportError::Cancelled => Self::Cancelled,
        }
    }
}

/// Operations that send a code of a second sign-in step.
fn is_mfa_code_operation(operation: Operation) -> bool {
    matches!(
        operation,
        Operation::MfaCode
            | Operation::MfaSetupVerify
            | Operation::AuthenticatorVerify
            | Operation::MfaPreference
    )
}

/// Error types that report a fault on Cognito's side whatever the status.
fn is_server_fault_type(error_type: &str) -> bool {
    matches!(error_type, "InternalErrorException" | "ServiceUnavailable")
}

/// `(type, message)` of a Cognito error document, or `None` if the body is not one.
fn parse_error_body(body: &str) -> Option<(String, String)> {
    let parsed: ServiceErrorBody = crate::json::from_str(body).ok()?;
    let raw_type = parsed.error_type?;
    let after_namespace = raw_type
        .rsplit_once('#')
        .map_or(raw_type.as_str(), |(_, t)| t);
    let bare_type = after_namespace
        .split_once(':')
        .map_or(after_namespace, |(t, _)| t)
        .trim();
    if bare_type.is_empty() {
        return None;
    }
    let message = parsed.message.unwrap_or_default();
    Some((excerpt(bare_type), excerpt(&message)))
}
