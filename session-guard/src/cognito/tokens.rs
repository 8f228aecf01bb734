//! Token bundles: as issued by Cognito, and after verification.

use super::claims::{AccessClaims, IdClaims};
use super::secret::Secret;
use crate::session::{Millis, SessionUser, TokenSet};

/// The tokens of one successful sign-in or renewal, not yet verified.
///
/// `refresh_token` is always the one to store from now on: a fresh one after
/// sign-in or rotation, the one that was presented after a plain
/// REFRESH_TOKEN_AUTH (which issues none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedTokens {
    /// The ID token (a JWT).
    pub id_token: Secret,
    /// The access token (a JWT).
    pub access_token: Secret,
    /// The opaque refresh token to keep (see above).
    pub refresh_token: Secret,
    /// Lifetime of the access token in seconds, when Cognito says it
    /// (cognito-local does not); the token's own `exp` is authoritative.
    pub expires_in: Option<u64>,
    /// Usually `Bearer`; absent from cognito-local.
    pub token_type: Option<String>,
}

/// Tokens whose signatures and claims passed every check, with the decoded
/// claims the UI and the session core work from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedTokens {
    /// The ID token's claims.
    pub id: IdClaims,
    /// The access token's claims.
    pub access: AccessClaims,
    /// The ID token as sent, for `Authorization` headers.
    pub id_token: Secret,
    /// The access token as sent.
    pub access_token: Secret,
    /// The refresh token that came with them (opaque; not verifiable).
    pub refresh_token: Secret,
}

impl VerifiedTokens {
    /// What the session core holds of these tokens: the secrets, the user
    /// and the times on the provider's clock. The set expires when the first
    /// of the two tokens does: the app's API gets the ID token and Cognito
    /// the access token, and neither may be handed out expired.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the browser driver's
    pub(crate) fn session_tokens(&self) -> TokenSet {
        TokenSet {
            id_token: self.id_token.clone(),
            access_token: self.access_token.clone(),
            refresh_token: Some(self.refresh_token.clone()),
            issued_at: Millis::from_unix_secs(self.id.iat as i64),
            expires_at: Millis::from_unix_secs(self.id.exp.min(self.access.exp) as i64),
            auth_time: Millis::from_unix_secs(self.id.auth_time as i64),
            user: SessionUser {
                sub: self.id.sub.clone(),
                username: self.id.username.clone(),
                email: self.id.email.clone(),
                groups: self.id.groups.clone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::TokenUse;

    fn verified(id_exp: u64, access_exp: u64) -> VerifiedTokens {
        VerifiedTokens {
            id: IdClaims {
                sub: "u-1".into(),
                username: "alice".into(),
                email: Some("alice@example.com".into()),
                groups: vec!["staff".into()],
                auth_time: 1_000,
                iat: 2_000,
                exp: id_exp,
                nbf: None,
                origin_jti: None,
                nonce: None,
                token_use: TokenUse::Id,
                aud: "client".into(),
            },
            access: AccessClaims {
                sub: "u-1".into(),
                username: "alice".into(),
                client_id: "client".into(),
                scope: None,
                auth_time: 1_000,
                iat: 2_000,
                exp: access_exp,
                nbf: None,
                origin_jti: None,
            },
            id_token: Secret::new("id"),
            access_token: Secret::new("access"),
            refresh_token: Secret::new("refresh"),
        }
    }

    #[test]
    fn the_session_holds_the_tokens_until_the_first_of_the_two_expires() {
        for (id_exp, access_exp, expires) in [(5_600, 5_000, 5_000), (5_000, 5_600, 5_000)] {
            let tokens = verified(id_exp, access_exp).session_tokens();
            assert_eq!(tokens.expires_at, Millis::from_unix_secs(expires));
            assert_eq!(tokens.issued_at, Millis::from_unix_secs(2_000));
            assert_eq!(tokens.auth_time, Millis::from_unix_secs(1_000));
        }
        let tokens = verified(5_000, 5_000).session_tokens();
        assert_eq!(tokens.user.username, "alice");
        assert_eq!(tokens.user.groups, vec!["staff".to_owned()]);
        assert_eq!(tokens.refresh_token, Some(Secret::new("refresh")));
    }
}
