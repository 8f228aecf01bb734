//! The Cognito client and token verification in headless Chromium (fetch +
//! WebCrypto) against real emulators: cognito-local (the app's local
//! provider) and moto (closest to real Cognito's wire format). Run through
//! `make test-browser`, which starts and seeds both and passes their configs.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use session_guard::cognito::srp::{PasswordVerifierChallenge, SECRET_BYTES, SrpClient};
use session_guard::cognito::{
    CognitoClient, CognitoError, IssuedTokens, RefreshRejection, RetryClass, Secret, SignInFlow,
    SignInStep, TimeCheck, TokenError, TokenVerifier, VerificationSettings, VerifiedTokens,
};
use session_guard::config::AppConfig;
use session_guard::testing;
use session_guard::testing::{FetchTransport, WebCryptoVerifier};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::*;

fn cognito_local() -> AppConfig {
    emulator_config(
        option_env!("SG_COGNITO_LOCAL_CONFIG"),
        "SG_COGNITO_LOCAL_CONFIG",
        |_| {},
    )
}

fn moto() -> AppConfig {
    emulator_config(option_env!("SG_MOTO_CONFIG"), "SG_MOTO_CONFIG", |_| {})
}

fn client(config: &AppConfig) -> CognitoClient<FetchTransport> {
    CognitoClient::new(config.cognito.clone(), FetchTransport)
}

fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

async fn verify(config: &AppConfig, tokens: IssuedTokens) -> Result<VerifiedTokens, TokenError> {
    let mut verifier = TokenVerifier::new(
        VerificationSettings::from_config(&config.cognito),
        WebCryptoVerifier::default(),
    );
    let jwks_url = config.cognito.jwks_url();
    verifier
        .verify_tokens(
            tokens,
            TimeCheck::At {
                now_secs: now_secs(),
            },
            async || testing::get(&jwks_url, Duration::from_secs(5)).await,
        )
        .await
}

async fn sign_in(config: &AppConfig) -> IssuedTokens {
    client(config)
        .initiate_auth_password(EMAIL, &Secret::new(PASSWORD))
        .await
        .expect("the demo user signs in")
}

/// Re-encodes the token's payload with `email` changed, keeping the signature.
fn with_forged_email(token: &str, email: &str) -> String {
    let window = web_sys::window().unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    let mut payload = parts[1].replace('-', "+").replace('_', "/");
    while payload.len() % 4 != 0 {
        payload.push('=');
    }
    let json = window.atob(&payload).unwrap();
    let mut claims: serde_json::Value = serde_json::from_str(&json).unwrap();
    claims["email"] = email.into();
    let forged = window.btoa(&claims.to_string()).unwrap();
    let forged = forged
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_");
    format!("{}.{}.{}", parts[0], forged, parts[2])
}

// --- cognito-local ---------------------------------------------------------

#[wasm_bindgen_test]
async fn cognito_local_signs_in_and_real_tokens_verify_against_its_jwks() {
    let config = cognito_local();
    let verified = verify(&config, sign_in(&config).await)
        .await
        .expect("real tokens verify");
    assert_eq!(verified.id.email.as_deref(), Some(EMAIL));
    assert_eq!(verified.id.aud, config.cognito.client_id);
    assert_eq!(verified.access.client_id, config.cognito.client_id);
    assert!(verified.id.exp > verified.id.iat);
    assert!(
        !verified.refresh_token.is_empty(),
        "sign-in returns a refresh token"
    );
}

#[wasm_bindgen_test]
async fn cognito_local_wrong_password_and_unknown_user_are_typed_errors() {
    let config = cognito_local();
    let wrong = client(&config)
        .initiate_auth_password(EMAIL, &Secret::new("not-the-password"))
        .await
        .unwrap_err();
    assert_eq!(wrong, CognitoError::WrongCredentials, "{wrong}");
    // cognito-local hides whether the user exists ("User not authorized"),
    // like real Cognito with user existence errors prevented.
    let unknown = client(&config)
        .initiate_auth_password("nobody@example.com", &Secret::new(PASSWORD))
        .await
        .unwrap_err();
    assert_eq!(unknown, CognitoError::WrongCredentials, "{unknown}");
}

#[wasm_bindgen_test]
async fn cognito_local_refresh_gives_new_verified_tokens_for_the_same_user() {
    let config = cognito_local();
    let tokens = sign_in(&config).await;
    let refresh_token = tokens.refresh_token.clone();
    let first = verify(&config, tokens).await.unwrap();
    let renewed = client(&config)
        .refresh(&refresh_token)
        .await
        .expect("refresh succeeds");
    assert_eq!(
        renewed.refresh_token, refresh_token,
        "REFRESH_TOKEN_AUTH keeps the refresh token"
    );
    let second = verify(&config, renewed)
        .await
        .expect("refreshed tokens verify");
    assert_eq!(second.id.sub, first.id.sub);
}

#[wasm_bindgen_test]
async fn cognito_local_revoked_refresh_token_is_a_definite_rejection() {
    let config = cognito_local();
    let refresh_token = sign_in(&config).await.refresh_token;
    client(&config)
        .revoke_token(&refresh_token)
        .await
        .expect("RevokeToken succeeds");
    let error = client(&config).refresh(&refresh_token).await.unwrap_err();
    assert_eq!(
        error.retry_class(),
        RetryClass::DefiniteRejection,
        "{error}"
    );
}

#[wasm_bindgen_test]
async fn cognito_local_token_with_a_changed_payload_is_rejected() {
    let config = cognito_local();
    let mut tokens = sign_in(&config).await;
    tokens.id_token = Secret::new(with_forged_email(
        tokens.id_token.expose(),
        "attacker@example.com",
    ));
    let error = verify(&config, tokens).await.unwrap_err();
    assert!(
        matches!(error, TokenError::BadSignature { .. }),
        "{error:?}"
    );
    assert!(
        !error.to_string().contains("attacker"),
        "the error must not echo token contents: {error}"
    );
}

#[wasm_bindgen_test]
async fn an_unreachable_provider_is_a_retryable_network_error() {
    let mut config = cognito_local();
    config.cognito.endpoint = Some("http://127.0.0.1:9/".into());
    let error = client(&config)
        .initiate_auth_password(EMAIL, &Secret::new(PASSWORD))
        .await
        .unwrap_err();
    assert!(matches!(error, CognitoError::Network { .. }), "{error:?}");
    assert_eq!(error.retry_class(), RetryClass::Retryable);
}

// --- moto (the conformance tier) -------------------------------------------

#[wasm_bindgen_test]
async fn moto_tokens_carry_the_aws_issuer_and_verify_with_the_local_jwks() {
    let config = moto();
    assert!(
        config
            .cognito
            .issuer()
            .starts_with("https://cognito-idp.us-east-1.amazonaws.com/")
    );
    let tokens = sign_in(&config).await;
    assert_eq!(tokens.token_type.as_deref(), Some("Bearer"));
    let verified = verify(&config, tokens).await.expect("moto tokens verify");
    assert_eq!(verified.id.email.as_deref(), Some(EMAIL));
    assert!(verified.id.origin_jti.is_some());
}

#[wasm_bindgen_test]
async fn moto_refresh_and_global_sign_out_then_refresh_is_revoked() {
    let config = moto();
    let tokens = sign_in(&config).await;
    let refresh_token = tokens.refresh_token.clone();
    let renewed = client(&config)
        .refresh(&refresh_token)
        .await
        .expect("refresh succeeds");
    verify(&config, renewed.clone())
        .await
        .expect("refreshed tokens verify");
    client(&config)
        .global_sign_out(&renewed.access_token)
        .await
        .expect("GlobalSignOut succeeds");
    let error = client(&config).refresh(&refresh_token).await.unwrap_err();
    assert_eq!(
        error,
        CognitoError::RefreshTokenRejected {
            reason: RefreshRejection::Revoked
        },
        "{error}"
    );
    assert_eq!(error.retry_class(), RetryClass::DefiniteRejection);
}

#[wasm_bindgen_test]
async fn moto_error_shapes_of_wrong_password_and_unknown_user() {
    let config = moto();
    let wrong = client(&config)
        .initiate_auth_password(EMAIL, &Secret::new("not-the-password"))
        .await
        .unwrap_err();
    assert_eq!(wrong, CognitoError::WrongCredentials, "{wrong}");
    let unknown = client(&config)
        .initiate_auth_password("nobody@example.com", &Secret::new(PASSWORD))
        .await
        .unwrap_err();
    assert_eq!(unknown, CognitoError::UserNotFound, "{unknown}");
}

fn srp_random() -> [u8; SECRET_BYTES] {
    let mut random = [0u8; SECRET_BYTES];
    web_sys::window()
        .unwrap()
        .crypto()
        .unwrap()
        .get_random_values_with_u8_array(&mut random)
        .unwrap();
    random
}

#[wasm_bindgen_test]
async fn moto_srp_sign_in_runs_the_whole_exchange_and_gives_verified_tokens() {
    let config = moto();
    assert_eq!(
        config.cognito.sign_in_flow,
        SignInFlow::Srp,
        "the seeded moto config picks SRP"
    );
    let step = client(&config)
        .sign_in_srp(
            EMAIL,
            &Secret::new(PASSWORD),
            SrpClient::new(&srp_random()).unwrap(),
            now_secs,
        )
        .await
        .expect("moto answers InitiateAuth and PASSWORD_VERIFIER");
    let SignInStep::SignedIn(tokens) = step else {
        panic!("expected tokens, got the new-password step")
    };
    let verified = verify(&config, tokens).await.expect("moto's tokens verify");
    // moto copies the USERNAME of the PASSWORD_VERIFIER answer (the user id,
    // as the SDKs send it) into the `email` claim, so compare the subject.
    let by_password = verify(&config, sign_in(&config).await).await.unwrap();
    assert_eq!(
        verified.id.sub, by_password.id.sub,
        "the same user signed in"
    );
}

#[wasm_bindgen_test]
async fn moto_srp_sign_in_of_an_unknown_user_is_a_typed_error() {
    let error = client(&moto())
        .sign_in_srp(
            "nobody@example.com",
            &Secret::new(PASSWORD),
            SrpClient::new(&srp_random()).unwrap(),
            now_secs,
        )
        .await
        .err()
        .expect("unknown user");
    assert!(
        matches!(
            error,
            CognitoError::UserNotFound | CognitoError::WrongCredentials
        ),
        "{error:?}"
    );
}

/// The SRP arithmetic in this browser's wasm: A = g^a, then x, S (two more
/// 3072-bit exponentiations), the key and the signature. Printed for the
/// benchmark notes; correctness is the native known-answer tests' job, this
/// only checks the wasm build computes the same proof twice.
#[wasm_bindgen_test]
fn srp_proof_computation_time_in_the_browser() {
    let performance = web_sys::window().unwrap().performance().unwrap();
    let challenge = PasswordVerifierChallenge {
        salt_hex: "f3a1b2c3d4e5f60718293a4b5c6d7e8f",
        b_hex: &"7e".repeat(384),
        secret_block: "c2VjcmV0IGJsb2Nr",
        user_id: "7a1f3c2e-5b6d-4e8f-9a0b-1c2d3e4f5a6b",
    };
    let random = srp_random();
    let (mut prepare, mut prove, mut signatures) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..5 {
        let start = performance.now();
        let srp = SrpClient::new(&random).unwrap();
        let prepared = performance.now();
        let claim = srp
            .password_claim(
                "us-east-1_Pool",
                &challenge,
                &Secret::new(PASSWORD),
                "Sun Nov 29 05:22:45 UTC 2026",
            )
            .unwrap();
        prove.push(performance.now() - prepared);
        prepare.push(prepared - start);
        signatures.push(claim.signature);
    }
    assert!(signatures.windows(2).all(|pair| pair[0] == pair[1]));
    let median = |times: &mut Vec<f64>| {
        times.sort_by(f64::total_cmp);
        format!(
            "median {:.1} ms (min {:.1}, max {:.1})",
            times[2], times[0], times[4]
        )
    };
    web_sys::console::log_1(
        &format!(
            "SRP in this build over 5 runs: A = g^a (prepared while the user types) {}; proof after the challenge {}",
            median(&mut prepare),
            median(&mut prove)
        )
        .into(),
    );
}
