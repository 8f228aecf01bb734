//! A refused token as the API reports it: the `/stats` counter it is counted
//! under and the message of the 401 answer. The rules themselves are the app
//! crate's; this is only how an API client is told which one failed.

use session_guard::cognito::TokenError;

/// Every counter, so `/stats` can show zeros too.
pub const KINDS: &[&str] = &[
    "malformed",
    "unsupported_alg",
    "unknown_kid",
    "weak_key",
    "bad_signature",
    "not_id_token",
    "wrong_issuer",
    "wrong_audience",
    "expired",
    "not_yet_valid",
    "issued_in_future",
    "missing_claim",
];

/// The `/stats` counter a refusal is counted under (one of [`KINDS`]).
pub fn kind(error: &TokenError) -> &'static str {
    match error {
        TokenError::TooLarge { .. }
        | TokenError::Malformed { .. }
        | TokenError::CriticalHeader { .. }
        | TokenError::MissingKeyId { .. } => "malformed",
        TokenError::UnsupportedAlgorithm { .. } => "unsupported_alg",
        TokenError::UnknownKeyId { .. } => "unknown_kid",
        TokenError::WeakKey { .. } => "weak_key",
        TokenError::BadSignature { .. } => "bad_signature",
        TokenError::WrongTokenUse { .. } => "not_id_token",
        TokenError::WrongIssuer { .. } => "wrong_issuer",
        TokenError::WrongAudience { .. } | TokenError::WrongClientId { .. } => "wrong_audience",
        TokenError::Expired { .. } => "expired",
        TokenError::NotYetValid { .. } => "not_yet_valid",
        TokenError::IssuedInFuture { .. } => "issued_in_future",
        TokenError::MissingClaim { .. } => "missing_claim",
        // Not refusals: the API answers these 503 (`VerifyError::Jwks`,
        // `VerifyError::SignatureCheck`) or never meets them (a subject
        // mismatch needs an ID and an access token). Counted as malformed
        // should one ever be passed here.
        TokenError::KeySetUnavailable { .. }
        | TokenError::SignatureCheckUnavailable { .. }
        | TokenError::SubjectMismatch => "malformed",
        // A refusal a later verifier adds: counted, never let through.
        _ => "malformed",
    }
}

/// The 401 message: which check failed, for an API client. Quotes nothing
/// from the token except a short, harmless `alg` or `token_use`.
pub fn message(error: &TokenError) -> String {
    match error {
        TokenError::TooLarge { .. } => {
            "the token is malformed: it is far larger than a Cognito token".to_owned()
        }
        TokenError::Malformed { problem, .. } => format!("the token is malformed: {problem}"),
        TokenError::CriticalHeader { .. } => {
            "the token is malformed: it has critical header extensions".to_owned()
        }
        TokenError::MissingKeyId { .. } => {
            "the token is malformed: its header has no kid".to_owned()
        }
        TokenError::UnsupportedAlgorithm { alg, .. } => format!(
            "the token's algorithm {} is not accepted; only RS256 is",
            printable(alg)
        ),
        TokenError::UnknownKeyId { .. } => {
            "no key in the user pool's JWKS matches the token's kid".to_owned()
        }
        TokenError::WeakKey { bits, minimum, .. } => format!(
            "the token's signing key is a {bits}-bit RSA key; at least {minimum} bits are required"
        ),
        TokenError::BadSignature { .. } => {
            "the token's signature does not verify (altered, or signed by another key)".to_owned()
        }
        TokenError::WrongTokenUse { found, .. } if found == "access" => {
            "this is an access token; the notes API accepts only ID tokens (token_use \"id\")"
                .to_owned()
        }
        TokenError::WrongTokenUse { .. } => {
            "the token's token_use is not \"id\"; the notes API accepts only ID tokens".to_owned()
        }
        TokenError::WrongIssuer { expected, .. } => {
            format!("the token was not issued by the configured user pool ({expected})")
        }
        TokenError::WrongAudience { expected, .. } | TokenError::WrongClientId { expected, .. } => {
            format!("the token's audience is not this app client ({expected})")
        }
        TokenError::Expired { .. } => "the token has expired".to_owned(),
        TokenError::NotYetValid { .. } => "the token's nbf is in the future".to_owned(),
        TokenError::IssuedInFuture { .. } => "the token's iat is in the future".to_owned(),
        TokenError::MissingClaim { claim, .. } => format!("the token has no valid {claim} claim"),
        TokenError::KeySetUnavailable { .. }
        | TokenError::SignatureCheckUnavailable { .. }
        | TokenError::SubjectMismatch => error.to_string(),
        _ => "the token was refused".to_owned(),
    }
}

/// An attacker-chosen value quoted in a message, or a placeholder when it is
/// long or odd.
fn printable(value: &str) -> String {
    if !value.is_empty() && value.len() <= 16 && value.chars().all(|c| c.is_ascii_alphanumeric()) {
        format!("\"{value}\"")
    } else {
        "(unrecognised)".to_owned()
    }
}
