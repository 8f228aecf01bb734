use proptest::prelude::*;

use super::*;

const CLIENT: &str = "5test0client0id0abcdefghij";
const NOW: i64 = 1_750_000_000_000;

fn login() -> ManagedLogin {
    ManagedLogin {
        domain: "https://myapp.auth.eu-west-1.amazoncognito.com".into(),
        redirect_uri: "https://app.example.com/".into(),
        logout_uri: "https://app.example.com/".into(),
        scopes: DEFAULT_SCOPES.iter().map(|s| s.to_string()).collect(),
        identity_provider: None,
        nonce_rule: NonceRule::Required,
    }
}

fn pending() -> PendingLogin {
    let mut random = [0u8; VERIFIER_BYTES + 2 * STATE_BYTES];
    for (i, byte) in random.iter_mut().enumerate() {
        *byte = i as u8;
    }
    PendingLogin::new(&random, NOW)
}

#[test]
fn the_authorize_url_carries_pkce_state_nonce_and_scopes() {
    let pending = pending();
    let url = login().authorize_url(CLIENT, &pending);
    let (base, query) = url.split_once('?').unwrap();
    assert_eq!(
        base,
        "https://myapp.auth.eu-west-1.amazoncognito.com/oauth2/authorize"
    );
    let params = url::parse_query(query);
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("response_type"), Some("code"));
    assert_eq!(get("client_id"), Some(CLIENT));
    assert_eq!(get("redirect_uri"), Some("https://app.example.com/"));
    assert_eq!(get("scope"), Some("openid email profile"));
    assert_eq!(get("state"), Some(pending.state.as_str()));
    assert_eq!(get("nonce"), Some(pending.nonce.as_str()));
    assert_eq!(get("code_challenge"), Some(pending.pkce_challenge.as_str()));
    assert_eq!(get("code_challenge_method"), Some("S256"));
    assert_eq!(get("identity_provider"), None);
    // The verifier itself never goes to the authorization endpoint.
    assert!(!url.contains(pending.pkce_verifier.expose()));
}

#[test]
fn an_identity_provider_skips_the_chooser() {
    let mut config = login();
    config.identity_provider = Some("Corporate SAML".into());
    let url = config.authorize_url(CLIENT, &pending());
    assert!(url.contains("identity_provider=Corporate%20SAML"), "{url}");
}

#[test]
fn every_login_gets_its_own_verifier_state_and_nonce() {
    let a = PendingLogin::new(&[1; VERIFIER_BYTES + 2 * STATE_BYTES], NOW);
    let mut other = [1; VERIFIER_BYTES + 2 * STATE_BYTES];
    other[0] = 2;
    other[VERIFIER_BYTES] = 2;
    other[VERIFIER_BYTES + STATE_BYTES] = 2;
    let b = PendingLogin::new(&other, NOW);
    assert_ne!(a.pkce_verifier, b.pkce_verifier);
    assert_ne!(a.state, b.state);
    assert_ne!(a.nonce, b.nonce);
    // State and nonce come from different bytes.
    let varied = pending();
    assert_ne!(varied.state, varied.nonce);
}

#[test]
fn a_matching_answer_gives_the_code_and_verifier() {
    let pending = pending();
    let answer = CallbackAnswer::parse(&format!("?code=the-code&state={}", pending.state)).unwrap();
    let accepted = pending.clone().accept(answer, NOW + 60_000).unwrap();
    assert_eq!(accepted.code, "the-code");
    assert_eq!(accepted.verifier, pending.pkce_verifier);
    assert_eq!(accepted.nonce, pending.nonce);
    assert!(!accepted.reauth);
}

#[test]
fn a_tampered_state_is_refused() {
    let pending = pending();
    let tampered = format!("{}x", pending.state);
    let answer = CallbackAnswer::parse(&format!("?code=c&state={tampered}")).unwrap();
    assert_eq!(
        pending.accept(answer, NOW),
        Err(ManagedLoginError::StateMismatch)
    );
}

#[test]
fn an_answer_after_fifteen_minutes_is_refused() {
    let pending = pending();
    let answer = CallbackAnswer::parse(&format!("?code=c&state={}", pending.state)).unwrap();
    assert_eq!(
        pending
            .clone()
            .accept(answer.clone(), NOW + MAX_PENDING_AGE_MS + 1),
        Err(ManagedLoginError::Expired)
    );
    assert!(pending.accept(answer, NOW + MAX_PENDING_AGE_MS).is_ok());
}

#[test]
fn an_error_answer_is_named_for_the_user() {
    let answer =
        CallbackAnswer::parse("?error=access_denied&error_description=User+cancelled&state=s")
            .unwrap();
    let refused = pending().accept(answer, NOW).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "The sign-in page answered \"access_denied\": User cancelled. Try signing in again."
    );
}

#[test]
fn a_page_opened_without_an_answer_is_not_a_callback() {
    assert_eq!(CallbackAnswer::parse(""), None);
    assert_eq!(CallbackAnswer::parse("?note=3"), None);
    assert!(matches!(
        CallbackAnswer::parse("?code=abc"),
        Some(CallbackAnswer::Error { .. })
    ));
}

#[test]
fn the_code_stays_out_of_debug_output() {
    let answer = CallbackAnswer::parse("?code=secret-code&state=s").unwrap();
    assert!(!format!("{answer:?}").contains("secret-code"));
}

#[test]
fn the_token_request_exchanges_the_code_with_the_verifier() {
    let pending = pending();
    let body = login().token_request_body(CLIENT, "the code", &pending.pkce_verifier);
    let params = url::parse_query(&body);
    assert_eq!(
        params,
        vec![
            ("grant_type".into(), "authorization_code".into()),
            ("client_id".into(), CLIENT.into()),
            ("code".into(), "the code".into()),
            ("redirect_uri".into(), "https://app.example.com/".into()),
            (
                "code_verifier".into(),
                pending.pkce_verifier.expose().into()
            ),
        ]
    );
    assert_eq!(
        login().token_url(),
        "https://myapp.auth.eu-west-1.amazoncognito.com/oauth2/token"
    );
}

#[test]
fn the_token_answer_is_read_and_its_errors_named() {
    let tokens = parse_token_answer(
        200,
        r#"{"id_token":"i","access_token":"a","refresh_token":"r","expires_in":3600,"token_type":"Bearer"}"#,
    )
    .unwrap();
    assert_eq!(tokens.id_token.expose(), "i");
    assert_eq!(tokens.refresh_token.expose(), "r");
    assert_eq!(
        parse_token_answer(400, r#"{"error":"invalid_grant"}"#),
        Err(ManagedLoginError::ExchangeRefused("invalid_grant".into()))
    );
    assert_eq!(
        parse_token_answer(502, "<html>"),
        Err(ManagedLoginError::ExchangeRefused("HTTP 502".into()))
    );
    assert!(matches!(
        parse_token_answer(200, r#"{"id_token":"i","access_token":"a"}"#),
        Err(ManagedLoginError::BadTokenAnswer(_))
    ));
}

#[test]
fn the_logout_url_ends_the_managed_login_session() {
    assert_eq!(
        login().logout_url(CLIENT),
        format!(
            "https://myapp.auth.eu-west-1.amazoncognito.com/logout?client_id={CLIENT}&logout_uri=https%3A%2F%2Fapp.example.com%2F"
        )
    );
}

#[test]
fn the_nonce_is_required_against_aws_and_checked_when_present_elsewhere() {
    assert!(check_nonce(NonceRule::Required, "n", Some("n")).is_ok());
    assert_eq!(
        check_nonce(NonceRule::Required, "n", None),
        Err(ManagedLoginError::NonceMismatch)
    );
    assert_eq!(
        check_nonce(NonceRule::Required, "n", Some("m")),
        Err(ManagedLoginError::NonceMismatch)
    );
    assert!(check_nonce(NonceRule::IfPresent, "n", None).is_ok());
    assert_eq!(
        check_nonce(NonceRule::IfPresent, "n", Some("m")),
        Err(ManagedLoginError::NonceMismatch)
    );
}

#[test]
fn sign_out_everywhere_needs_the_admin_scope() {
    assert!(ManagedLogin::allows_global_sign_out(Some(
        "openid aws.cognito.signin.user.admin email"
    )));
    assert!(!ManagedLogin::allows_global_sign_out(Some(
        "openid email profile"
    )));
    assert!(!ManagedLogin::allows_global_sign_out(None));
}

proptest! {
    /// Whatever lands in the address bar, reading it never panics, and an
    /// answer is only ever accepted with this tab's exact state.
    #[test]
    fn hostile_answers_never_panic_and_never_pass_without_the_state(query in ".{0,200}") {
        let pending = pending();
        if let Some(answer) = CallbackAnswer::parse(&query) {
            if let Ok(accepted) = pending.clone().accept(answer, NOW) {
                prop_assert!(query.contains(&pending.state) || query.contains(&url::encode_component(&pending.state)));
                prop_assert!(!accepted.code.is_empty());
            }
        }
    }

    #[test]
    fn hostile_token_answers_never_panic(status in 0u16..600, body in ".{0,200}") {
        let _ = parse_token_answer(status, &body);
    }

    #[test]
    fn query_values_round_trip(value in ".{0,64}") {
        let query = url::encode_query(&[("v", value.as_str())]);
        prop_assert_eq!(url::parse_query(&query), vec![("v".to_string(), value)]);
    }
}

/// The pending login as this tab has always kept it in storage.
const STORED_PENDING: &str = r#"{"state":"ICEiIyQlJicoKSorLC0uLw","nonce":"MDEyMzQ1Njc4OTo7PD0-Pw","pkce_verifier":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8","pkce_challenge":"6oZqdX5MOLq_qBJ8vppAnT4fk6AP8UiP9zX8-Rev_9A","started_at":1750000000000,"reauth":false}"#;

#[test]
fn the_pending_login_keeps_its_stored_form() {
    let pending = pending();
    assert_eq!(crate::json::to_string(&pending), STORED_PENDING);
    assert_eq!(
        crate::json::from_str::<PendingLogin>(STORED_PENDING).unwrap(),
        pending
    );
    let reauth = pending.clone().for_reauth();
    let stored = crate::json::to_string(&reauth);
    assert_eq!(
        stored,
        STORED_PENDING.replace(r#""reauth":false"#, r#""reauth":true"#)
    );
    assert_eq!(
        crate::json::from_str::<PendingLogin>(&stored).unwrap(),
        reauth
    );
}

#[test]
fn a_pending_login_without_reauth_is_a_plain_sign_in_and_a_damaged_one_is_refused() {
    let without = STORED_PENDING.replace(r#","reauth":false"#, "");
    assert_eq!(
        crate::json::from_str::<PendingLogin>(&without).unwrap(),
        pending()
    );
    let with_extra = STORED_PENDING.replace(r#""reauth""#, r#""later":1,"reauth""#);
    assert_eq!(
        crate::json::from_str::<PendingLogin>(&with_extra).unwrap(),
        pending()
    );
    for damaged in [
        STORED_PENDING.replace(r#""reauth":false"#, r#""reauth":null"#),
        STORED_PENDING.replace("1750000000000", r#""1750000000000""#),
        STORED_PENDING.replace("1750000000000", "1750000000000.5"),
        STORED_PENDING.replace(r#""pkce_verifier":"#, r#""verifier":"#),
        STORED_PENDING.replace(r#""state":"ICEiIyQlJicoKSorLC0uLw""#, r#""state":null"#),
        "[]".to_owned(),
        String::new(),
    ] {
        assert!(
            crate::json::from_str::<PendingLogin>(&damaged).is_err(),
            "{damaged}"
        );
    }
}

#[test]
fn the_token_answer_is_read_strictly_and_ignores_what_it_does_not_need() {
    let tokens = parse_token_answer(
        200,
        r#"{"id_token":"i","access_token":"a","refresh_token":"r","expires_in":null,"scope":"openid"}"#,
    )
    .unwrap();
    assert_eq!((tokens.expires_in, tokens.token_type), (None, None));
    for body in [
        r#"{"id_token":"i","access_token":"a","refresh_token":"r","expires_in":"3600"}"#,
        r#"{"id_token":"i","access_token":"a","refresh_token":"r","expires_in":-1}"#,
        r#"{"id_token":"i","access_token":"a","refresh_token":["r"]}"#,
        r#"{"id_token":"i","access_token":"a","refresh_token":"r","token_type":1}"#,
    ] {
        assert_eq!(
            parse_token_answer(200, body),
            Err(ManagedLoginError::BadTokenAnswer(
                "it is not the expected JSON".into()
            )),
            "{body}"
        );
    }
    assert_eq!(
        parse_token_answer(200, r#"{"id_token":"i","refresh_token":"r"}"#),
        Err(ManagedLoginError::BadTokenAnswer(
            "it has no access_token".into()
        ))
    );
    for (body, named) in [
        (
            r#"{"error":"invalid_grant","error_description":"x"}"#,
            "invalid_grant",
        ),
        (r#"{"error":5}"#, "HTTP 400"),
        (r#"{"error":null}"#, "HTTP 400"),
        (r#"{"error_description":"x"}"#, "HTTP 400"),
    ] {
        assert_eq!(
            parse_token_answer(400, body),
            Err(ManagedLoginError::ExchangeRefused(named.into())),
            "{body}"
        );
    }
}
