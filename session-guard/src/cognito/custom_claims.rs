//! Claims of a verified ID token read into the app's own type (feature
//! `serde`): `custom:tenant`, `cognito:groups`, whatever the pool's
//! attributes or its pre-token-generation trigger put there.
//!
//! Only tokens that passed every check reach this (the session holds no
//! other kind, and [`VerifiedTokens`] is made by the verifier alone). The
//! verifier's JSON reader refuses a claim set that names a member twice, so
//! serde reads exactly the claims that were checked.

use base64ct::{Base64UrlUnpadded, Encoding};
use serde::de::DeserializeOwned;

use super::secret::Secret;
use super::tokens::VerifiedTokens;

/// Why the ID token's claims could not be read into the app's type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimsError {
    /// The claims are there but do not fit the type: a claim the type
    /// requires is missing, or one has another JSON type. `reason` is
    /// serde's, naming the member (`missing field \`custom:tenant\``).
    #[error("the ID token's claims do not fit the app's claims type: {reason}")]
    Mismatch {
        /// serde's description of the first mismatch.
        reason: String,
    },
    /// The token is not a JWT with a JSON payload. Never the case for a
    /// token the verifier accepted; kept apart so it cannot pass for a
    /// mismatch.
    #[error("the ID token has no readable claims")]
    Unreadable,
}

impl VerifiedTokens {
    /// The ID token's claims as the app's own type: its custom attributes,
    /// groups, or any claim this library does not name.
    ///
    /// ```
    /// # #[cfg(feature = "serde")] {
    /// #[derive(serde::Deserialize)]
    /// struct Claims {
    ///     #[serde(rename = "custom:tenant")]
    ///     tenant: String,
    ///     #[serde(rename = "cognito:groups", default)]
    ///     groups: Vec<String>,
    /// }
    /// # fn read(tokens: &session_guard::cognito::VerifiedTokens) -> Result<(), session_guard::cognito::ClaimsError> {
    /// let claims: Claims = tokens.claims()?;
    /// println!("tenant {} ({} groups)", claims.tenant, claims.groups.len());
    /// # Ok(()) }
    /// # }
    /// ```
    pub fn claims<T: DeserializeOwned>(&self) -> Result<T, ClaimsError> {
        id_token_claims(&self.id_token)
    }
}

/// The claims of `id_token`, which the caller knows was verified.
pub(crate) fn id_token_claims<T: DeserializeOwned>(id_token: &Secret) -> Result<T, ClaimsError> {
    let payload = id_token
        .expose()
        .split('.')
        .nth(1)
        .ok_or(ClaimsError::Unreadable)?;
    let json = Base64UrlUnpadded::decode_vec(payload).map_err(|_| ClaimsError::Unreadable)?;
    serde_json::from_slice(&json).map_err(|error| {
        if error.is_data() {
            ClaimsError::Mismatch {
                reason: error.to_string(),
            }
        } else {
            ClaimsError::Unreadable
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(claims: &str) -> Secret {
        let part = |text: &str| Base64UrlUnpadded::encode_string(text.as_bytes());
        Secret::new(format!(
            "{}.{}.{}",
            part(r#"{"alg":"RS256","kid":"k"}"#),
            part(claims),
            part("signature")
        ))
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct TenantClaims {
        sub: String,
        #[serde(rename = "custom:tenant")]
        tenant: String,
        #[serde(rename = "cognito:groups", default)]
        groups: Vec<String>,
    }

    #[test]
    fn custom_attributes_and_groups_read_into_the_apps_type() {
        let claims: TenantClaims = id_token_claims(&token(
            r#"{"sub":"u-1","custom:tenant":"acme","cognito:groups":["admins","staff"],"exp":1}"#,
        ))
        .unwrap();
        assert_eq!(
            claims,
            TenantClaims {
                sub: "u-1".into(),
                tenant: "acme".into(),
                groups: vec!["admins".into(), "staff".into()],
            }
        );
        let no_groups: TenantClaims =
            id_token_claims(&token(r#"{"sub":"u-2","custom:tenant":"acme"}"#)).unwrap();
        assert!(no_groups.groups.is_empty());
    }

    #[test]
    fn a_missing_or_mistyped_claim_is_named() {
        let missing = id_token_claims::<TenantClaims>(&token(r#"{"sub":"u-1"}"#)).unwrap_err();
        assert!(
            matches!(&missing, ClaimsError::Mismatch { reason } if reason.contains("custom:tenant")),
            "{missing}"
        );
        let mistyped =
            id_token_claims::<TenantClaims>(&token(r#"{"sub":7,"custom:tenant":"acme"}"#))
                .unwrap_err();
        assert!(
            matches!(mistyped, ClaimsError::Mismatch { .. }),
            "{mistyped}"
        );
    }

    #[test]
    fn a_token_without_a_json_payload_is_unreadable_not_a_mismatch() {
        for bad in ["not a token", "a.%%%.c", "a.bm90IGpzb24.c"] {
            assert_eq!(
                id_token_claims::<TenantClaims>(&Secret::new(bad)).unwrap_err(),
                ClaimsError::Unreadable,
                "{bad}"
            );
        }
    }
}
