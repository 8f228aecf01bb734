//! Access tokens without the `aws.cognito.signin.user.admin` scope, as a
//! managed-login app client that does not grant it issues them. The
//! emulators always grant it, so the proxy re-issues their access tokens
//! with the scope removed, signed with cognito-local's own key (published
//! in its JWKS), so the app verifies them like any other.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::{BigUint, RsaPrivateKey};
use serde_json::Value;
use sha2::Sha256;

use crate::repo_root;

pub const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// cognito-local's signing key, from the JWK its package ships.
pub fn cognito_local_key() -> RsaPrivateKey {
    let path = repo_root().join("node_modules/cognito-local/lib/keys/cognitoLocal.private.json");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let json: Value = serde_json::from_str(&text).expect("cognito-local's key is JSON");
    let number = |name: &str| {
        let text = json["jwk"][name].as_str().expect("a JWK member");
        BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(text).expect("base64url"))
    };
    RsaPrivateKey::from_components(
        number("n"),
        number("e"),
        number("d"),
        vec![number("p"), number("q")],
    )
    .expect("a valid RSA key")
}

/// `token` with the admin scope taken out of its `scope` claim (the rest
/// kept, `openid` if nothing is left), re-signed with `key`.
pub fn without_admin_scope(token: &str, key: &RsaPrivateKey) -> Option<String> {
    let mut parts = token.split('.');
    let (header, payload) = (parts.next()?, parts.next()?);
    let mut claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    let kept: Vec<&str> = claims["scope"]
        .as_str()
        .unwrap_or_default()
        .split(' ')
        .filter(|scope| !scope.is_empty() && *scope != ADMIN_SCOPE)
        .collect();
    let scope = if kept.is_empty() {
        "openid".to_owned()
    } else {
        kept.join(" ")
    };
    claims["scope"] = Value::String(scope);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).ok()?);
    let signed = format!("{header}.{payload}");
    let signature = SigningKey::<Sha256>::new(key.clone()).sign(signed.as_bytes());
    Some(format!(
        "{signed}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    ))
}

/// A Cognito or `/oauth2/token` answer with its access token re-issued
/// without the admin scope; `None` if it carries no access token.
pub fn answer_without_admin_scope(body: &[u8], key: &RsaPrivateKey) -> Option<Vec<u8>> {
    let mut json: Value = serde_json::from_slice(body).ok()?;
    let slot = if json["AuthenticationResult"]["AccessToken"].is_string() {
        &mut json["AuthenticationResult"]["AccessToken"]
    } else if json["access_token"].is_string() {
        &mut json["access_token"]
    } else {
        return None;
    };
    let token = without_admin_scope(slot.as_str()?, key)?;
    *slot = Value::String(token);
    serde_json::to_vec(&json).ok()
}
