//! A JWT in JWS compact serialization, split and decoded under the
//! verifier's structural rules before anything in it is trusted.
//!
//! The rules, in the order they are applied:
//! - at most [`MAX_TOKEN_BYTES`], checked before any parsing;
//! - exactly three parts of strict base64url (no padding, no `+` or `/`);
//! - header and claims are JSON objects in which no member name appears
//!   twice. RFC 7515 §5.2 and RFC 7519 §4 allow either refusing duplicates or
//!   reading the last one; refusing is the only choice that cannot make two
//!   parsers read different claims from one signed token (serde's derived
//!   structs refuse a repeated known field while a JSON map keeps the last);
//! - the header's `alg` is [`ACCEPTED_ALGORITHM`], checked before any key is
//!   looked up, so `none`, HS256 and the rest never reach a JWKS download
//!   or the crypto;
//! - the header has no `crit` member: it lists extensions the verifier must
//!   understand, and this one implements none;
//! - the header names its key (`kid`).

use super::claims::TokenUse;
use super::token_error::TokenError;
use super::untrusted_text::{describe_json_error, excerpt};
use super::verify::ACCEPTED_ALGORITHM;
use base64ct::{Base64UrlUnpadded, Encoding};
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::collections::HashSet;
use std::fmt;

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
#[derive(Deserialize)]
struct JoseHeader {
    #[serde(default)]
    alg: Option<String>,
    #[serde(default)]
    kid: Option<String>,
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
    let (header, names) = decode_object::<JoseHeader>(kind, "header", &header_json)?;
    let alg = header
        .alg
        .ok_or_else(|| malformed("its header has no alg"))?;
    if alg != ACCEPTED_ALGORITHM {
        return Err(TokenError::UnsupportedAlgorithm {
            kind,
            alg: excerpt(&alg),
        });
    }
    if names.contains("crit") {
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

/// Reads the JSON object `json` (the token's `part`, for messages) as `T`,
/// refusing a member name that appears twice. Also answers the member names.
pub(crate) fn decode_object<T: DeserializeOwned>(
    kind: TokenUse,
    part: &str,
    json: &[u8],
) -> Result<(T, HashSet<String>), TokenError> {
    let malformed = |problem: String| TokenError::Malformed { kind, problem };
    let names: MemberNames = serde_json::from_slice(json)
        .map_err(|error| malformed(format!("its {part}: {}", describe_json_error(&error))))?;
    if let Some(name) = names.duplicate {
        return Err(malformed(format!(
            "its {part} has the member {:?} twice",
            excerpt(&name)
        )));
    }
    let value = serde_json::from_slice(json)
        .map_err(|error| malformed(format!("its {part}: {}", describe_json_error(&error))))?;
    Ok((value, names.names))
}

/// The member names of a JSON object, and the first name given twice.
struct MemberNames {
    names: HashSet<String>,
    duplicate: Option<String>,
}

impl<'de> Deserialize<'de> for MemberNames {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Names;
        impl<'de> Visitor<'de> for Names {
            type Value = MemberNames;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MemberNames, A::Error> {
                let mut names = HashSet::new();
                let mut duplicate = None;
                // Names arrive unescaped, so "s\u0075b" repeats "sub".
                while let Some(name) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    if names.contains(&name) {
                        duplicate.get_or_insert(name);
                    } else {
                        names.insert(name);
                    }
                }
                Ok(MemberNames { names, duplicate })
            }
        }
        deserializer.deserialize_map(Names)
    }
}
