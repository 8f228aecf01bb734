//! What a page reads from storage or another tab is a claim: in headless
//! Chromium against cognito-local, forged sessions planted before load and
//! forged messages on the tab channel neither sign anyone in nor extend a
//! session, and the user is told why when the stored session is refused.
#![cfg(target_arch = "wasm32")]

use base64ct::{Base64UrlUnpadded, Encoding};
use session_guard::cognito::Secret;
use session_guard::config::AppConfig;
use session_guard::session::{Millis, SessionSnapshot, SessionState, SignOutReason, TabMessage};
use session_guard::testing::{Clock, DriverOptions, PROTOCOL_VERSION, SessionDriver};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::*;

fn config() -> AppConfig {
    emulator_config(
        option_env!("SG_COGNITO_LOCAL_CONFIG"),
        "SG_COGNITO_LOCAL_CONFIG",
        |value| {
            // Strict mode's idle sign-out, without its page-load minimum (the
            // test pool's sessions are shorter than a day).
            value["session"]["preset"] = "strict".into();
            value["session"]["overrides"] = serde_json::json!({ "min_remaining_at_load": "off" });
            value["storage"] = "session".into();
        },
    )
}

fn options(channel: &str) -> DriverOptions {
    DriverOptions {
        clock: Clock::System,
        channel_name: channel.to_owned(),
        listen_to_page: false,
    }
}

/// A genuine session: signs in, returns what it stored, and leaves storage
/// holding it.
async fn genuine_snapshot(channel: &str) -> SessionSnapshot {
    clear_session_storage();
    let driver = SessionDriver::start(config(), options(channel));
    eventually("restore finished", || !driver.view().restoring).await;
    driver
        .sign_in(EMAIL, &Secret::new(PASSWORD))
        .await
        .expect("sign in");
    let snapshot = driver.store().load().expect("stored");
    driver.dispose();
    snapshot
}

fn plant(snapshot: &SessionSnapshot) {
    let probe = SessionDriver::start(config(), options(&unique_channel()));
    probe.dispose();
    // The stored entry exactly as the app writes it.
    let json = format!(
        r#"{{"v":{},"snapshot":{}}}"#,
        session_guard::testing::SCHEMA_VERSION,
        session_guard::json::to_string(snapshot)
    );
    probe
        .store()
        .tokens_area()
        .set(&probe.store().session_key(), &json)
        .unwrap();
}

/// The token with its payload edited by `edit`, header and signature kept.
fn with_payload(token: &Secret, edit: impl FnOnce(&mut serde_json::Value)) -> Secret {
    let parts: Vec<&str> = token.expose().split('.').collect();
    let payload = Base64UrlUnpadded::decode_vec(parts[1]).unwrap();
    let mut claims: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    edit(&mut claims);
    let payload = Base64UrlUnpadded::encode_string(claims.to_string().as_bytes());
    Secret::new(format!("{}.{}.{}", parts[0], payload, parts[2]))
}

/// An unsigned (`alg: none`) token with the same claims.
fn alg_none(token: &Secret) -> Secret {
    let parts: Vec<&str> = token.expose().split('.').collect();
    let header = Base64UrlUnpadded::encode_string(br#"{"alg":"none","typ":"JWT"}"#);
    Secret::new(format!("{header}.{}.", parts[1]))
}

fn later_by_an_hour(claims: &mut serde_json::Value) {
    for claim in ["exp", "auth_time", "iat"] {
        let value = claims[claim].as_i64().unwrap();
        claims[claim] = (value + 3600).into();
    }
}

/// Starts a page on what storage holds and waits for its decision.
async fn reload() -> SessionDriver {
    let driver = SessionDriver::start(config(), options(&unique_channel()));
    eventually("restore finished", || !driver.view().restoring).await;
    driver
}

async fn assert_refused_at_load(forged: SessionSnapshot, what: &str) {
    plant(&forged);
    let driver = reload().await;
    let view = driver.view();
    assert_eq!(view.state, SessionState::SignedOut, "{what}: not signed in");
    assert_eq!(view.tokens, None, "{what}: no tokens held");
    assert_eq!(
        view.last_sign_out,
        Some(SignOutReason::StoredSessionRefused),
        "{what}: the user is told why"
    );
    assert!(driver.store().load().is_none(), "{what}: cleared");
    driver.dispose();
}

#[wasm_bindgen_test]
async fn a_stored_token_with_its_payload_changed_is_refused_at_load() {
    let mut forged = genuine_snapshot(&unique_channel()).await;
    forged.tokens.id_token = with_payload(&forged.tokens.id_token, later_by_an_hour);
    forged.tokens.access_token = with_payload(&forged.tokens.access_token, later_by_an_hour);
    assert_refused_at_load(forged, "payload changed").await;
}

#[wasm_bindgen_test]
async fn a_stored_alg_none_token_is_refused_at_load() {
    let mut forged = genuine_snapshot(&unique_channel()).await;
    forged.tokens.id_token = alg_none(&forged.tokens.id_token);
    forged.tokens.access_token = alg_none(&forged.tokens.access_token);
    assert_refused_at_load(forged, "alg none").await;
}

#[wasm_bindgen_test]
async fn a_planted_key_set_does_not_make_a_token_signed_with_its_key_acceptable() {
    let mut forged = genuine_snapshot(&unique_channel()).await;
    let attacker = AttackerKey::generate().await;
    // The attacker's key set replaces the stored copy of the pool's keys.
    let probe = SessionDriver::start(config(), options(&unique_channel()));
    probe.dispose();
    probe.store().save_jwks(&attacker.jwks());
    forged.tokens.id_token = attacker
        .resign(&forged.tokens.id_token, |claims| {
            claims["sub"] = "someone-else".into();
            claims["email"] = "admin@example.com".into();
        })
        .await;
    forged.tokens.access_token = attacker
        .resign(&forged.tokens.access_token, |claims| {
            claims["sub"] = "someone-else".into();
        })
        .await;
    assert_refused_at_load(forged, "planted key set").await;
}

#[wasm_bindgen_test]
async fn a_stored_session_start_and_activity_moved_later_do_not_extend_the_session() {
    let genuine = genuine_snapshot(&unique_channel()).await;
    // What the genuine session shows after a plain reload.
    plant(&genuine);
    let honest = reload().await;
    let honest_end = honest.view().session_end.expect("restored");
    honest.dispose();

    let mut forged = genuine.clone();
    let hour = 3_600_000;
    forged.session_started_at = Millis(forged.session_started_at.0 + hour);
    forged.tokens.auth_time = Millis(forged.tokens.auth_time.0 + hour);
    forged.last_activity = Millis(js_sys::Date::now() as i64 + 10 * hour);
    plant(&forged);
    let driver = reload().await;
    let view = driver.view();
    assert_eq!(
        view.state,
        SessionState::Active,
        "genuine tokens are restored"
    );
    let end = view.session_end.unwrap();
    assert!(
        (end.0 - honest_end.0).abs() < 2_000,
        "the hard end stays where it was: {end:?} vs {honest_end:?}"
    );
    let idle = config().policy.idle_timeout.unwrap().as_millis() as i64;
    let latest_idle = js_sys::Date::now() as i64 + idle;
    assert!(
        view.idle_deadline.unwrap().0 <= latest_idle,
        "a future last activity counts as now at the latest"
    );
    driver.dispose();
}

#[wasm_bindgen_test]
async fn forged_tokens_on_the_tab_channel_change_nothing() {
    let channel = unique_channel();
    clear_session_storage();
    let driver = SessionDriver::start(config(), options(&channel));
    eventually("restore finished", || !driver.view().restoring).await;
    driver
        .sign_in(EMAIL, &Secret::new(PASSWORD))
        .await
        .expect("sign in");
    let before = driver.view();
    let genuine = driver.store().load().unwrap();

    let mut payload_changed = genuine.clone();
    payload_changed.tokens.id_token = with_payload(&genuine.tokens.id_token, later_by_an_hour);
    payload_changed.tokens.access_token =
        with_payload(&genuine.tokens.access_token, later_by_an_hour);
    payload_changed.tokens.issued_at = Millis(genuine.tokens.issued_at.0 + 3_600_000);
    let mut unsigned = genuine.clone();
    unsigned.tokens.id_token = alg_none(&genuine.tokens.id_token);
    unsigned.tokens.access_token = alg_none(&genuine.tokens.access_token);
    unsigned.tokens.issued_at = Millis(genuine.tokens.issued_at.0 + 3_600_000);

    let sender = web_sys::BroadcastChannel::new(&channel).unwrap();
    for snapshot in [payload_changed, unsigned] {
        for message in [
            TabMessage::TokensRefreshed {
                snapshot: snapshot.clone(),
            },
            TabMessage::SignedIn {
                snapshot: snapshot.clone(),
            },
        ] {
            // The message exactly as a tab of the app sends it.
            let envelope = format!(
                r#"{{"v":{PROTOCOL_VERSION},"event":{{"Session":{}}}}}"#,
                session_guard::json::to_string(&message)
            );
            sender.post_message(&envelope.into()).unwrap();
        }
    }
    eventually("all four were checked and refused", || {
        driver.stats().refused_claims == 4
    })
    .await;
    let after = driver.view();
    assert_eq!(after.tokens, before.tokens, "the tokens in hand are kept");
    assert_eq!(after.session_end, before.session_end);
    assert_eq!(after.user, before.user);
    assert_eq!(after.state, SessionState::Active);
    sender.close();
    driver.dispose();
}

/// An RSA key of the attacker's, made with WebCrypto.
struct AttackerKey {
    private: web_sys::CryptoKey,
    jwk: serde_json::Value,
}

impl AttackerKey {
    async fn generate() -> Self {
        let subtle = subtle();
        let algorithm = js_object(serde_json::json!({
            "name": "RSASSA-PKCS1-v1_5",
            "modulusLength": 2048,
            "hash": "SHA-256",
        }));
        let exponent = js_sys::Uint8Array::from(&[1u8, 0, 1][..]);
        js_sys::Reflect::set(&algorithm, &"publicExponent".into(), &exponent).unwrap();
        let usages = js_sys::Array::of2(&"sign".into(), &"verify".into());
        let pair = JsFuture::from(
            subtle
                .generate_key_with_object(&algorithm, true, &usages)
                .unwrap(),
        )
        .await
        .unwrap();
        let get = |name: &str| -> web_sys::CryptoKey {
            js_sys::Reflect::get(&pair, &name.into())
                .unwrap()
                .unchecked_into()
        };
        let public = get("publicKey");
        let exported = JsFuture::from(subtle.export_key("jwk", &public).unwrap())
            .await
            .unwrap();
        let jwk: serde_json::Value = serde_json::from_str(
            &js_sys::JSON::stringify(&exported)
                .unwrap()
                .as_string()
                .unwrap(),
        )
        .unwrap();
        Self {
            private: get("privateKey"),
            jwk,
        }
    }

    fn jwks(&self) -> String {
        serde_json::json!({ "keys": [{
            "kid": "attacker-key", "kty": "RSA", "alg": "RS256", "use": "sig",
            "n": self.jwk["n"], "e": self.jwk["e"],
        }]})
        .to_string()
    }

    /// `token`'s claims, edited, signed with this key under its own kid.
    async fn resign(&self, token: &Secret, edit: impl FnOnce(&mut serde_json::Value)) -> Secret {
        let edited = with_payload(token, edit);
        let payload = edited.expose().split('.').nth(1).unwrap().to_owned();
        let header = Base64UrlUnpadded::encode_string(
            br#"{"alg":"RS256","kid":"attacker-key","typ":"JWT"}"#,
        );
        let signing_input = format!("{header}.{payload}");
        let signature = JsFuture::from(
            subtle()
                .sign_with_str_and_u8_array(
                    "RSASSA-PKCS1-v1_5",
                    &self.private,
                    &mut signing_input.clone().into_bytes(),
                )
                .unwrap(),
        )
        .await
        .unwrap();
        let signature = js_sys::Uint8Array::new(&signature).to_vec();
        Secret::new(format!(
            "{signing_input}.{}",
            Base64UrlUnpadded::encode_string(&signature)
        ))
    }
}

fn subtle() -> web_sys::SubtleCrypto {
    web_sys::window().unwrap().crypto().unwrap().subtle()
}

fn js_object(value: serde_json::Value) -> js_sys::Object {
    js_sys::JSON::parse(&value.to_string())
        .unwrap()
        .unchecked_into()
}
