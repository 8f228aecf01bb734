//! Amazon Cognito user pools: the JSON API client and token verification.
//!
//! Everything here is transport independent and clock free, so it compiles
//! for `wasm32-unknown-unknown` and is tested natively. The browser side
//! supplies three things: a [`CognitoTransport`] (fetch), a
//! [`SignatureVerifier`] (WebCrypto) and a JWKS download closure for
//! [`TokenVerifier`]. Native builds (the notes API) verify signatures with
//! `NativeRsaVerifier`, which exists only off wasm.

pub(crate) mod api;
pub(crate) mod claims;
pub(crate) mod client;
pub(crate) mod config;
#[cfg(feature = "serde")]
pub(crate) mod custom_claims;
pub(crate) mod error;
pub(crate) mod jwks;
mod jws;
// Driven by the browser driver (wasm, feature `managed-login`); other
// builds compile it for the tests and for `ManagedLoginError`.
#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "managed-login")),
    allow(dead_code)
)]
pub(crate) mod managed_login;
pub(crate) mod mfa;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) mod native_rsa;
pub(crate) mod secret;
#[cfg(feature = "srp")]
pub mod srp;
pub(crate) mod token_error;
pub(crate) mod token_times;
pub(crate) mod tokens;
pub(crate) mod transport;
mod untrusted_text;
pub(crate) mod verify;

pub use api::Operation;
pub use claims::{AccessClaims, IdClaims, TokenUse};
pub use client::{
    AUTHENTICATOR_DEVICE_NAME, CodeDelivery, CognitoClient, NewPasswordChallenge, SignInStep,
};
pub use config::{
    CognitoConfig, DEFAULT_CLOCK_LEEWAY_SECS, DEFAULT_REFRESH_TOKEN_VALIDITY,
    DEFAULT_REQUEST_TIMEOUT, ManagedLoginConfig, SignInFlow,
};
#[cfg(feature = "serde")]
pub use custom_claims::ClaimsError;
pub use error::{Challenge, CognitoError, RefreshRejection, RetryClass};
pub use jwks::{Jwk, JwkSet, JwksCache, JwksError, KeyLookup, MIN_RSA_MODULUS_BITS};
pub use jws::MAX_TOKEN_BYTES;
pub use managed_login::ManagedLoginError;
pub use mfa::{MfaChallenge, MfaStep, MfaType, TOTP_ISSUER, TotpEnrolment};
#[cfg(not(target_arch = "wasm32"))]
pub use native_rsa::NativeRsaVerifier;
pub use secret::Secret;
pub use token_error::TokenError;
pub use token_times::{TokenTimes, check_token_times};
pub use tokens::{IssuedTokens, VerifiedTokens};
pub use transport::{CONTENT_TYPE, CognitoTransport, HttpResponse, TARGET_HEADER, TransportError};
pub use verify::{
    ACCEPTED_ALGORITHM, SignatureCheckError, SignatureVerifier, TimeCheck, TokenVerifier,
    VerificationSettings,
};

// The native tests sign tokens with the `rsa` crate, a native-only dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
