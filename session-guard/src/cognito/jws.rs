//! A JWT in JWS compact serialization, split and decoded under the
//! verifier's structural rules before anything in it is trusted.
//!
//! The rules, in the order they are applied:
//! - at most [`MAX_TOKEN_BYTES`], checked before any parsing;
//! - exactly three parts of strict base64url (no padding, no `+` or `/`);
//! - header and claims are JSON objects in which no member name appears
//!   twice (the app's JSON parser refuses any object that repeats one).
//!   RFC 7515 §5.2 and RFC 7519 §4 allow either refusing duplicates or
//!   reading the last one; refusing is the only choice that cannot make two
//!   parsers read different claims from one signed token;
//! - the header's `alg` is [`ACCEPTED_ALGORITHM`], checked before any key is
//!   looked up, so `none`, HS256 and the rest never reach a JWKS download
//!   or the crypto;
//! - the header has no `crit` member: it lists extensions the verifier must
//!   understand, and this one implements none;
//! - the header names its key (`kid`).

use super::claims::TokenUse;
use super::token_error::TokenError;
use super::untrusted_text::excerpt;
use super::verify::ACCEPTED_ALGORITHM;
use crate::json::{FromJson, Json, JsonError};
use base64ct::{Base64UrlUnpadded, Encoding};

/// The longest token read, in bytes. Cognito's tokens are a few KB; the
/// cap keeps a hostile bearer value from costing more than a glance.
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// A token whose structure and header passed the rules above, with its
/// claims still undecoded and its signature unchecked.
pub(crate) struct UntrustedJws<'a> {
    /// The header's `kid`, non-empty.
    pub kid: String,
    /// `header.payload` as sent: the bytes the signature covers.
    pub signing_input: &'a str,
    /// The decoded payload (JSON, not yet read).
    pub payload: Vec<u8>,
    pub signature: Vec<u8>,
}

/// The header members the verifier reads; others are ignored.
struct JoseHeader {
    alg: Option<String>,
    kid: Option<String>,
    /// Whether the header has a `crit` member, whatever its value.
    critical: bool,
}

impl FromJson for JoseHeader {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let object = value.object_or_err()?;
        Ok(Self {
            alg: object.field("alg")?,
            kid: object.field("kid")?,
            critical: object.get("crit").is_some(),
        })
    }
}

/// Splits and decodes `token` (a `kind` token), applying the rules above.
pub(crate) fn parse(kind: TokenUse, token: &str) -> Result<UntrustedJws<'_>, TokenError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(TokenError::TooLarge {
            kind,
            limit_bytes: MAX_TOKEN_BYTES,
        });
    }
    let malformed = |problem: &str| TokenError::Malformed {
        kind,
        problem: problem.to_owned(),
    };
    let mut parts = token.split('.');
    let (Some(header_part), Some(payload_part), Some(signature_part), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed("it does not have three dot-separated parts"));
    };
    let not_base64 = |_| malformed("a part is not base64url");
    let header_json = Base64UrlUnpadded::decode_vec(header_part).map_err(not_base64)?;
    let header: JoseHeader = decode_object(kind, "header", &header_json)?;
    let alg = header
        .alg
        .ok_or_else(|| malformed("its header has no alg"))?;
    if alg != ACCEPTED_ALGORITHM {
        return Err(TokenError::UnsupportedAlgorithm {
            kind,
            alg: excerpt(&alg),
        });
    }
    if header.critical {
        return Err(TokenError::CriticalHeader { kind });
    }
    let kid = header
        .kid
        .filter(|kid| !kid.is_empty())
        .ok_or(TokenError::MissingKeyId { kind })?;
    let payload = Base64UrlUnpadded::decode_vec(payload_part).map_err(not_base64)?;
    let signature = Base64UrlUnpadded::decode_vec(signature_part).map_err(not_base64)?;
    Ok(UntrustedJws {
        kid,
        signing_input: &token[..header_part.len() + 1 + payload_part.len()],
        payload,
        signature,
    })
}

/// Reads the JSON object `json` (the token's `part`, for messages) as `T`.
/// A member name given twice is refused by the parser (names are compared
/// unescaped, so "s\u0075b" repeats "sub").
pub(crate) fn decode_object<T: FromJson>(
    kind: TokenUse,
    part: &str,
    json: &[u8],
) -> Result<T, TokenError> {
    let malformed = |problem: String| TokenError::Malformed { kind, problem };
    let text = std::str::from_utf8(json)
        .map_err(|_| malformed(format!("its {part} is not UTF-8 text")))?;
    crate::json::from_str(text).map_err(|error| malformed(format!("its {part}: {error}")))
}
