//! Typed claims of Cognito's ID and access tokens.

use serde::Deserialize;
use serde_json::Number;
use std::fmt;

/// The last second of the year 9999. Later times are refused: no token lives
/// that long, and the session core turns seconds into milliseconds.
pub const MAX_NUMERIC_DATE: u64 = 253_402_300_799;

/// A NumericDate claim (RFC 7519 §2) as whole seconds since the epoch: a
/// non-negative number up to [`MAX_NUMERIC_DATE`]; a fraction is dropped.
pub(crate) fn numeric_date(number: &Number) -> Option<u64> {
    let seconds = match number.as_u64() {
        Some(seconds) => seconds,
        None => {
            let seconds = number.as_f64()?;
            if !(seconds.is_finite() && (0.0..=MAX_NUMERIC_DATE as f64).contains(&seconds)) {
                return None;
            }
            seconds as u64
        }
    };
    (seconds <= MAX_NUMERIC_DATE).then_some(seconds)
}

/// Which of the two JWTs a token is, as in its `token_use` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenUse {
    Id,
    Access,
}

impl TokenUse {
    /// The `token_use` claim value.
    pub fn claim_value(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Access => "access",
        }
    }
}

impl fmt::Display for TokenUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Id => "ID token",
            Self::Access => "access token",
        })
    }
}

/// Claims of a verified ID token: who the user is, for the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdClaims {
    pub sub: String,
    /// `cognito:username`.
    pub username: String,
    pub email: Option<String>,
    /// `cognito:groups`; empty when the user is in no group.
    pub groups: Vec<String>,
    /// When the user typed the password. The session's hard end is this plus
    /// the refresh token validity (some emulators reset it on refresh).
    pub auth_time: u64,
    pub iat: u64,
    pub exp: u64,
    /// `nbf`, if the token has one (Cognito does not set it).
    pub nbf: Option<u64>,
    /// Ties all tokens of one sign-in together; absent from cognito-local.
    pub origin_jti: Option<String>,
    /// The `nonce` of the managed-login request this token answers.
    pub nonce: Option<String>,
    pub token_use: TokenUse,
    /// The app client id.
    pub aud: String,
}

/// Claims of a verified access token: what the app's API will accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessClaims {
    pub sub: String,
    /// `username`.
    pub username: String,
    pub client_id: String,
    pub scope: Option<String>,
    pub auth_time: u64,
    pub iat: u64,
    pub exp: u64,
    pub nbf: Option<u64>,
    pub origin_jti: Option<String>,
}

/// `aud` may be a string or a list by the JWT spec; Cognito uses a string.
/// (Read by hand rather than as an untagged enum, which would buffer the
/// value and link serde's generic buffering code into the build.)
pub(crate) enum Audience {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AudienceVisitor;

        impl<'de> serde::de::Visitor<'de> for AudienceVisitor {
            type Value = Audience;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Audience, E> {
                Ok(Audience::One(value.to_owned()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Audience, A::Error> {
                let mut all = Vec::new();
                while let Some(aud) = seq.next_element::<String>()? {
                    all.push(aud);
                }
                Ok(Audience::Many(all))
            }
        }

        deserializer.deserialize_any(AudienceVisitor)
    }
}

impl Audience {
    pub(crate) fn contains(&self, client_id: &str) -> bool {
        match self {
            Self::One(aud) => aud == client_id,
            Self::Many(auds) => auds.iter().any(|aud| aud == client_id),
        }
    }

    /// Shown in an error when the audience is wrong.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::One(aud) => aud.clone(),
            Self::Many(auds) => auds.join(","),
        }
    }
}

/// Every claim either token may carry, all optional, so the verifier can name
/// the one that is missing. Times stay JSON numbers here; the verifier reads
/// them with [`numeric_date`].
#[derive(Deserialize)]
pub(crate) struct RawClaims {
    #[serde(default)]
    pub exp: Option<Number>,
    #[serde(default)]
    pub iat: Option<Number>,
    #[serde(default)]
    pub nbf: Option<Number>,
    #[serde(default)]
    pub iss: Option<String>,
    #[serde(default)]
    pub sub: Option<String>,
    #[serde(default)]
    pub token_use: Option<String>,
    #[serde(default)]
    pub aud: Option<Audience>,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub auth_time: Option<Number>,
    #[serde(rename = "cognito:username", default)]
    pub cognito_username: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(rename = "cognito:groups", default)]
    pub groups: Option<Vec<String>>,
    #[serde(default)]
    pub origin_jti: Option<String>,
    #[serde(default)]
    pub nonce: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
}
