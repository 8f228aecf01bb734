//! Typed claims of Cognito's ID and access tokens.

use crate::json::{FromJson, Json, JsonError, Number};
use std::fmt;

/// The last second of the year 9999. Later times are refused: no token lives
/// that long, and the session core turns seconds into milliseconds.
pub const MAX_NUMERIC_DATE: u64 = 253_402_300_799;

/// A NumericDate claim (RFC 7519 §2) as whole seconds since the epoch: a
/// number from 0 up to [`MAX_NUMERIC_DATE`]; a fraction is dropped. A
/// fraction or an exponent is read from its digits exactly, without
/// floating point.
pub(crate) fn numeric_date(number: &Number) -> Option<u64> {
    let text = match number {
        Number::Whole(seconds) => return (*seconds <= MAX_NUMERIC_DATE).then_some(*seconds),
        Number::Negative(_) => return None,
        Number::Other(text) => text,
    };
    // JSON's grammar, as the parser checked it: -? int (. frac)? (e [+-]? exp)?
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, &**text),
    };
    let (mantissa, exponent) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // An exponent too long to read is as good as infinite.
    let exponent: i64 = exponent.parse().unwrap_or(if exponent.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    });
    // The value is `digits` × 10^(exponent - frac.len()).
    let digits: Vec<u8> = int
        .bytes()
        .chain(frac.bytes())
        .skip_while(|&digit| digit == b'0')
        .collect();
    if digits.is_empty() {
        return Some(0);
    }
    if negative {
        return None;
    }
    let whole_digits = (digits.len() as i64)
        .saturating_add(exponent)
        .saturating_sub(frac.len() as i64);
    // Thirteen digits or more is past the year 9999.
    if whole_digits > 12 {
        return None;
    }
    let whole = usize::try_from(whole_digits).unwrap_or(0);
    let seconds = (0..whole).fold(0, |seconds, index| {
        seconds * 10
            + digits
                .get(index)
                .map_or(0, |&digit| u64::from(digit - b'0'))
    });
    let fraction = digits.iter().skip(whole).any(|&digit| digit != b'0');
    (seconds < MAX_NUMERIC_DATE || (seconds == MAX_NUMERIC_DATE && !fraction)).then_some(seconds)
}

/// Which of the two JWTs a token is, as in its `token_use` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenUse {
    /// The ID token (`token_use` `id`): who the user is.
    Id,
    /// The access token (`token_use` `access`): what the bearer may do.
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
    /// The user's stable, unique id in the pool (`sub`): key per-user data on
    /// this, not on the username or email, which can change.
    pub sub: String,
    /// `cognito:username`.
    pub username: String,
    /// The user's `email`, if the pool stores one and the scopes include it.
    pub email: Option<String>,
    /// `cognito:groups`; empty when the user is in no group.
    pub groups: Vec<String>,
    /// When the user typed the password, in seconds since the epoch. The
    /// session's hard end is this plus the refresh token validity (some emulators reset it on refresh).
    pub auth_time: u64,
    /// When this token was issued (`iat`), in seconds since the Unix epoch.
    pub iat: u64,
    /// When this token expires (`exp`), in seconds since the Unix epoch.
    pub exp: u64,
    /// `nbf`, if the token has one (Cognito does not set it).
    pub nbf: Option<u64>,
    /// Ties all tokens of one sign-in together; absent from cognito-local.
    pub origin_jti: Option<String>,
    /// The `nonce` of the managed-login request this token answers.
    pub nonce: Option<String>,
    /// Always [`TokenUse::Id`] once verified.
    pub token_use: TokenUse,
    /// The app client id.
    pub aud: String,
}

/// Claims of a verified access token: what the app's API will accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessClaims {
    /// The user's stable id in the pool; equal to the ID token's `sub`.
    pub sub: String,
    /// `username`.
    pub username: String,
    /// The app client the token was issued to.
    pub client_id: String,
    /// The granted OAuth scopes, space separated (managed login), or
    /// `aws.cognito.signin.user.admin` after a sign-in by the API.
    pub scope: Option<String>,
    /// When the user last typed their password, in seconds since the epoch.
    pub auth_time: u64,
    /// When this token was issued, in seconds since the epoch.
    pub iat: u64,
    /// When this token expires, in seconds since the epoch.
    pub exp: u64,
    /// `nbf`, if the token has one (Cognito does not set it).
    pub nbf: Option<u64>,
    /// Ties all tokens of one sign-in together; absent from cognito-local.
    pub origin_jti: Option<String>,
}

/// `aud` may be a string or a list by the JWT spec; Cognito uses a string.
pub(crate) enum Audience {
    One(String),
    Many(Vec<String>),
}

impl FromJson for Audience {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        match value {
            Json::String(aud) => Ok(Self::One(aud.clone())),
            Json::Array(_) => Vec::from_json(value).map(Self::Many),
            _ => Err(JsonError::not_a("a string or a list of strings")),
        }
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
/// the one that is missing (`null` counts as missing). A claim of the wrong
/// kind makes the claims malformed. Times stay JSON numbers here; the
/// verifier reads them with [`numeric_date`].
pub(crate) struct RawClaims {
    pub exp: Option<Number>,
    pub iat: Option<Number>,
    pub nbf: Option<Number>,
    pub iss: Option<String>,
    pub sub: Option<String>,
    pub token_use: Option<String>,
    pub aud: Option<Audience>,
    pub client_id: Option<String>,
    pub auth_time: Option<Number>,
    /// `cognito:username`.
    pub cognito_username: Option<String>,
    pub username: Option<String>,
    pub email: Option<String>,
    /// `cognito:groups`.
    pub groups: Option<Vec<String>>,
    pub origin_jti: Option<String>,
    pub nonce: Option<String>,
    pub scope: Option<String>,
}

impl FromJson for RawClaims {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let claims = value.object_or_err()?;
        Ok(Self {
            exp: claims.field("exp")?,
            iat: claims.field("iat")?,
            nbf: claims.field("nbf")?,
            iss: claims.field("iss")?,
            sub: claims.field("sub")?,
            token_use: claims.field("token_use")?,
            aud: claims.field("aud")?,
            client_id: claims.field("client_id")?,
            auth_time: claims.field("auth_time")?,
            cognito_username: claims.field("cognito:username")?,
            username: claims.field("username")?,
            email: claims.field("email")?,
            groups: claims.field("cognito:groups")?,
            origin_jti: claims.field("origin_jti")?,
            nonce: claims.field("nonce")?,
            scope: claims.field("scope")?,
        })
    }
}
