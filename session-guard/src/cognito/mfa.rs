//! Multi-factor sign-in: the MFA challenges Cognito answers a correct
//! password with, and the authenticator-app (TOTP) secret a user enrols.
//!
//! A challenge carries Cognito's opaque `Session`, which is as good as a
//! half-finished sign-in: it never shows in `Debug` output.

use super::api::{
    CHALLENGE_EMAIL_OTP, CHALLENGE_MFA_SETUP, CHALLENGE_SELECT_MFA_TYPE, CHALLENGE_SMS_MFA,
    CHALLENGE_SOFTWARE_TOKEN_MFA,
};
use super::error::Challenge;
use super::secret::Secret;
use std::fmt;

/// Shown as the issuer in authenticator apps (`otpauth://totp/<issuer>:…`).
pub const TOTP_ISSUER: &str = "Session Guard";

/// A second factor Cognito can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MfaType {
    /// A time-based code from an authenticator app (`SOFTWARE_TOKEN_MFA`).
    AuthenticatorApp,
    /// A code sent by text message (`SMS_MFA`).
    Sms,
    /// A code sent by email (`EMAIL_OTP`).
    Email,
}

impl MfaType {
    /// Cognito's name, as in `MFAS_CAN_CHOOSE` and the `ANSWER` of SELECT_MFA_TYPE.
    pub fn challenge_name(self) -> &'static str {
        match self {
            Self::AuthenticatorApp => CHALLENGE_SOFTWARE_TOKEN_MFA,
            Self::Sms => CHALLENGE_SMS_MFA,
            Self::Email => CHALLENGE_EMAIL_OTP,
        }
    }

    /// The factor of a Cognito challenge name; `None` for other names.
    pub fn from_challenge_name(name: &str) -> Option<Self> {
        match name {
            CHALLENGE_SOFTWARE_TOKEN_MFA => Some(Self::AuthenticatorApp),
            CHALLENGE_SMS_MFA => Some(Self::Sms),
            CHALLENGE_EMAIL_OTP => Some(Self::Email),
            _ => None,
        }
    }

    /// The key of the code in `ChallengeResponses`.
    pub(crate) fn code_key(self) -> &'static str {
        match self {
            Self::AuthenticatorApp => "SOFTWARE_TOKEN_MFA_CODE",
            Self::Sms => "SMS_MFA_CODE",
            Self::Email => "EMAIL_OTP_CODE",
        }
    }

    /// How the choice reads to a user.
    pub fn label(self) -> &'static str {
        match self {
            Self::AuthenticatorApp => "Authenticator app",
            Self::Sms => "Text message (SMS)",
            Self::Email => "Email",
        }
    }
}

/// What the user must do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MfaStep {
    /// Type a code: from the authenticator app, or the one sent to
    /// `destination` (masked by Cognito, e.g. `+*******1234`).
    Code {
        /// Where the code comes from.
        factor: MfaType,
        /// Where it was sent, masked; `None` for the authenticator app.
        destination: Option<String>,
    },
    /// Choose one of these factors (SELECT_MFA_TYPE).
    Choose {
        /// The factors the user may choose from, in Cognito's order.
        options: Vec<MfaType>,
    },
    /// Set up an authenticator app before the sign-in can finish (MFA_SETUP).
    SetUpAuthenticator,
}

/// A pending MFA challenge of a sign-in.
#[derive(Clone, PartialEq, Eq)]
pub struct MfaChallenge {
    pub(crate) step: MfaStep,
    pub(crate) session: Secret,
    /// The user name to send back (`USER_ID_FOR_SRP`, or what was typed).
    pub(crate) username: String,
    /// The name the user signed in with, for the authenticator app's label.
    pub(crate) account: String,
}

impl MfaChallenge {
    /// What the user must do next.
    pub fn step(&self) -> &MfaStep {
        &self.step
    }

    /// The name the user signed in with.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The challenge as the typed error of a call that only accepts tokens.
    pub fn as_challenge(&self) -> Challenge {
        let name = match &self.step {
            MfaStep::Code { factor, .. } => factor.challenge_name(),
            MfaStep::Choose { .. } => CHALLENGE_SELECT_MFA_TYPE,
            MfaStep::SetUpAuthenticator => CHALLENGE_MFA_SETUP,
        };
        Challenge::from_name(name)
    }
}

impl fmt::Debug for MfaChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MfaChallenge")
            .field("step", &self.step)
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

/// An authenticator app being enrolled: the shared TOTP secret (base32, as
/// Cognito sent it) and, during an MFA_SETUP sign-in, the session to go on with.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpEnrolment {
    pub(crate) secret: Secret,
    pub(crate) session: Option<Secret>,
}

impl TotpEnrolment {
    /// An enrolment of a signed-in user (no challenge session), from the
    /// base32 secret AssociateSoftwareToken returned.
    pub fn from_secret(secret: Secret) -> Self {
        Self {
            secret,
            session: None,
        }
    }

    /// The secret, for the enrolment screen only (typed into an app that
    /// cannot scan the QR code).
    pub fn secret(&self) -> &str {
        self.secret.expose()
    }

    /// The secret in groups of four, easier to type.
    pub fn secret_grouped(&self) -> String {
        let chars: Vec<char> = self.secret.expose().chars().collect();
        chars
            .chunks(4)
            .map(|group| group.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The key URI authenticator apps scan:
    /// `otpauth://totp/<issuer>:<account>?secret=…&issuer=…`.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        format!(
            "otpauth://totp/{}:{}?secret={}&issuer={}",
            percent_encode(issuer),
            percent_encode(account),
            percent_encode(self.secret.expose()),
            percent_encode(issuer)
        )
    }
}

impl fmt::Debug for TotpEnrolment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TotpEnrolment")
            .field("secret", &self.secret)
            .field("session", &self.session)
            .finish()
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}
