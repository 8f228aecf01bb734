//! Multi-factor sign-in: each challenge read from Cognito's answer and
//! answered with the right request, SELECT_MFA_TYPE then the chosen factor,
//! MFA_SETUP and EMAIL_OTP against a simulated Cognito that chains its
//! sessions (cognito-local has neither), the authenticator app in the
//! settings, and wrong, reused and expired codes named for the user.

use super::support::*;
use crate::cognito::{
    CognitoClient, CognitoConfig, CognitoError, CognitoTransport, HttpResponse, MfaChallenge,
    MfaStep, MfaType, RetryClass, Secret, SignInStep, TOTP_ISSUER, TransportError,
};
use serde_json::{Value, json};
use std::cell::RefCell;
use std::time::Duration;

const SESSION: &str = "challenge-session-1";

fn config() -> CognitoConfig {
    CognitoConfig::new("eu-west-1", "eu-west-1_TestPool", CLIENT_ID)
}

fn fake_client(transport: FakeTransport) -> CognitoClient<FakeTransport> {
    CognitoClient::new(config(), transport)
}

fn tokens() -> Value {
    json!({ "AuthenticationResult": {
        "IdToken": "id-token-value", "AccessToken": "access-token-value",
        "RefreshToken": "refresh-1" }, "ChallengeParameters": {} })
}

fn ok(body: Value) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse::new(200, body.to_string()))
}

fn refused(error_type: &str, message: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse::new(
        400,
        json!({ "__type": error_type, "message": message }).to_string(),
    ))
}

fn challenge(name: &str, parameters: Value) -> Value {
    json!({ "ChallengeName": name, "Session": SESSION, "ChallengeParameters": parameters })
}

/// Signs in with a password and returns the MFA challenge Cognito answered with.
fn mfa_after_password(client: &CognitoClient<FakeTransport>) -> MfaChallenge {
    match block_on(client.sign_in_password("ana@example.com", &Secret::new("Pw-123456!")))
        .expect("password accepted")
    {
        SignInStep::Mfa(challenge) => challenge,
        _ => panic!("expected an MFA step"),
    }
}

#[test]
fn each_code_challenge_is_read_and_answered_with_its_own_code_key() {
    for (name, factor, key, destination) in [
        (
            "SOFTWARE_TOKEN_MFA",
            MfaType::AuthenticatorApp,
            "SOFTWARE_TOKEN_MFA_CODE",
            None,
        ),
        (
            "SMS_MFA",
            MfaType::Sms,
            "SMS_MFA_CODE",
            Some("+*******1234"),
        ),
        (
            "EMAIL_OTP",
            MfaType::Email,
            "EMAIL_OTP_CODE",
            Some("a***@e***.com"),
        ),
    ] {
        let mut parameters = json!({ "USER_ID_FOR_SRP": "user-uuid-1" });
        if let Some(to) = destination {
            parameters["CODE_DELIVERY_DESTINATION"] = json!(to);
        }
        let client = fake_client(FakeTransport::answering([
            ok(challenge(name, parameters)),
            ok(tokens()),
        ]));
        let pending = mfa_after_password(&client);
        assert_eq!(
            pending.step(),
            &MfaStep::Code {
                factor,
                destination: destination.map(str::to_owned)
            }
        );
        assert_eq!(pending.account(), "ana@example.com");

        let step = block_on(client.answer_mfa_code(&pending, " 123 456 ")).expect("code accepted");
        assert!(matches!(step, SignInStep::SignedIn(_)));
        let requests = client.transport().requests.borrow();
        assert_eq!(requests.len(), 2);
        assert_eq!(
            requests[1].target,
            "AWSCognitoIdentityProviderService.RespondToAuthChallenge"
        );
        assert_eq!(
            requests[1].body,
            json!({
                "ChallengeName": name,
                "ClientId": CLIENT_ID,
                "Session": SESSION,
                "ChallengeResponses": { "USERNAME": "user-uuid-1", key: "123456" },
            })
        );
    }
}

#[test]
fn select_mfa_type_offers_the_known_factors_then_answers_the_chosen_one() {
    let client = fake_client(FakeTransport::answering([
        ok(challenge(
            "SELECT_MFA_TYPE",
            json!({ "USER_ID_FOR_SRP": "user-uuid-1",
                    "MFAS_CAN_CHOOSE": "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\",\"WEB_AUTHN\"]" }),
        )),
        ok(json!({ "ChallengeName": "SMS_MFA", "Session": "session-2",
                   "ChallengeParameters": { "USER_ID_FOR_SRP": "user-uuid-1",
                                            "CODE_DELIVERY_DESTINATION": "+*******1234" } })),
        ok(tokens()),
    ]));
    let pending = mfa_after_password(&client);
    assert_eq!(
        pending.step(),
        &MfaStep::Choose {
            options: vec![MfaType::Sms, MfaType::AuthenticatorApp]
        }
    );
    // A factor that was not offered is refused without a call.
    assert!(block_on(client.choose_mfa(&pending, MfaType::Email)).is_err());
    assert_eq!(client.transport().requests.borrow().len(), 1);

    let SignInStep::Mfa(sms) = block_on(client.choose_mfa(&pending, MfaType::Sms)).expect("chosen")
    else {
        panic!("the chosen factor's code step follows")
    };
    assert!(matches!(
        sms.step(),
        MfaStep::Code {
            factor: MfaType::Sms,
            ..
        }
    ));
    block_on(client.answer_mfa_code(&sms, "654321")).expect("signed in");

    let requests = client.transport().requests.borrow();
    assert_eq!(
        requests[1].body,
        json!({
            "ChallengeName": "SELECT_MFA_TYPE",
            "ClientId": CLIENT_ID,
            "Session": SESSION,
            "ChallengeResponses": { "USERNAME": "user-uuid-1", "ANSWER": "SMS_MFA" },
        })
    );
    assert_eq!(requests[2].body["Session"], "session-2");
    assert_eq!(
        requests[2].body["ChallengeResponses"]["SMS_MFA_CODE"],
        "654321"
    );
}

#[test]
fn select_mfa_type_without_a_known_factor_is_a_malformed_answer() {
    let client = fake_client(FakeTransport::ok(challenge(
        "SELECT_MFA_TYPE",
        json!({ "MFAS_CAN_CHOOSE": "[\"WEB_AUTHN\"]" }),
    )));
    let error = block_on(client.sign_in_password("ana", &Secret::new("pw"))).err();
    assert!(
        matches!(error, Some(CognitoError::MalformedResponse { .. })),
        "{error:?}"
    );
}

#[test]
fn mfa_setup_that_cannot_use_an_authenticator_app_is_explained() {
    let client = fake_client(FakeTransport::ok(challenge(
        "MFA_SETUP",
        json!({ "MFAS_CAN_SETUP": "[\"EMAIL_OTP\"]" }),
    )));
    let error = block_on(client.sign_in_password("ana", &Secret::new("pw"))).err();
    let Some(CognitoError::ChallengeRequired { challenge }) = error else {
        panic!("expected a typed challenge error, got {error:?}")
    };
    assert_eq!(challenge.name(), "MFA_SETUP");
}

/// A Cognito that runs one sign-in with MFA the way the service does:
/// every answer names a new session, and only the latest one is accepted.
struct SimulatedCognito {
    /// What InitiateAuth answers after the password (MFA_SETUP, SELECT_MFA_TYPE, …).
    first_challenge: Value,
    state: RefCell<ServerState>,
    pub requests: RefCell<Vec<(String, Value)>>,
}

#[derive(Default)]
struct ServerState {
    session_number: u32,
    /// The session the next call must present.
    live_session: Option<String>,
    /// The authenticator secret being set up, and whether its code was proven.
    secret: Option<String>,
    verified: bool,
    /// The code sent by email, when one was.
    email_code: Option<String>,
    wrong_codes: u32,
}

/// The code the simulated authenticator app shows "now".
const APP_CODE: &str = "287082";
const EMAIL_CODE: &str = "90210";
const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

impl SimulatedCognito {
    fn new(first_challenge: Value) -> Self {
        Self {
            first_challenge,
            state: RefCell::default(),
            requests: RefCell::default(),
        }
    }

    fn new_session(state: &mut ServerState) -> String {
        state.session_number += 1;
        let session = format!("server-session-{}", state.session_number);
        state.live_session = Some(session.clone());
        session
    }

    fn answer(&self, action: &str, body: &Value) -> (u16, Value) {
        let mut state = self.state.borrow_mut();
        let expired = (
            400,
            json!({ "__type": "NotAuthorizedException", "message": "Invalid session for the user, session is expired." }),
        );
        if action != "InitiateAuth" && body["Session"].as_str() != state.live_session.as_deref() {
            return expired;
        }
        match action {
            "InitiateAuth" => {
                let mut answer = self.first_challenge.clone();
                answer["Session"] = json!(Self::new_session(&mut state));
                (200, answer)
            }
            "AssociateSoftwareToken" => {
                state.secret = Some(SECRET.to_owned());
                (
                    200,
                    json!({ "SecretCode": SECRET, "Session": Self::new_session(&mut state) }),
                )
            }
            "VerifySoftwareToken" => {
                if state.secret.is_none() {
                    return (
                        400,
                        json!({ "__type": "InvalidParameterException", "message": "no token" }),
                    );
                }
                if body["UserCode"] != APP_CODE {
                    return (
                        400,
                        json!({ "__type": "EnableSoftwareTokenMFAException",
                                          "message": "Code mismatch and fail enable Software Token MFA" }),
                    );
                }
                state.verified = true;
                (
                    200,
                    json!({ "Status": "SUCCESS", "Session": Self::new_session(&mut state) }),
                )
            }
            "RespondToAuthChallenge" => {
                let responses = &body["ChallengeResponses"];
                match body["ChallengeName"].as_str().unwrap_or_default() {
                    "MFA_SETUP" if state.verified && responses["USERNAME"] == "user-uuid-1" => {
                        state.live_session = None;
                        (200, tokens())
                    }
                    "SELECT_MFA_TYPE" if responses["ANSWER"] == "EMAIL_OTP" => {
                        state.email_code = Some(EMAIL_CODE.to_owned());
                        let session = Self::new_session(&mut state);
                        (
                            200,
                            json!({ "ChallengeName": "EMAIL_OTP", "Session": session,
                                      "ChallengeParameters": { "USER_ID_FOR_SRP": "user-uuid-1",
                                          "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
                                          "CODE_DELIVERY_DESTINATION": "a***@e***.com" } }),
                        )
                    }
                    "EMAIL_OTP" => {
                        if responses["EMAIL_OTP_CODE"].as_str() == state.email_code.as_deref() {
                            state.live_session = None;
                            return (200, tokens());
                        }
                        state.wrong_codes += 1;
                        if state.wrong_codes >= 3 {
                            state.live_session = None;
                            return (
                                400,
                                json!({ "__type": "NotAuthorizedException",
                                                  "message": "Password attempts exceeded" }),
                            );
                        }
                        (
                            400,
                            json!({ "__type": "CodeMismatchException",
                                      "message": "Invalid code received for user" }),
                        )
                    }
                    _ => (
                        400,
                        json!({ "__type": "InvalidParameterException", "message": "unexpected answer" }),
                    ),
                }
            }
            _ => (
                400,
                json!({ "__type": "UnknownOperationException", "message": action }),
            ),
        }
    }
}

impl CognitoTransport for SimulatedCognito {
    async fn post(
        &self,
        _url: &str,
        target: &str,
        body: String,
        _timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        let action = target.rsplit('.').next().unwrap_or_default().to_owned();
        let body: Value = serde_json::from_str(&body).expect("JSON request");
        self.requests
            .borrow_mut()
            .push((action.clone(), body.clone()));
        let (status, answer) = self.answer(&action, &body);
        Ok(HttpResponse::new(status, answer.to_string()))
    }
}

fn simulated(first_challenge: Value) -> CognitoClient<SimulatedCognito> {
    CognitoClient::new(config(), SimulatedCognito::new(first_challenge))
}

fn first_step(client: &CognitoClient<SimulatedCognito>) -> MfaChallenge {
    match block_on(client.sign_in_password("ana@example.com", &Secret::new("Pw-123456!")))
        .expect("password accepted")
    {
        SignInStep::Mfa(challenge) => challenge,
        _ => panic!("expected an MFA step"),
    }
}

#[test]
fn mfa_setup_enrols_an_authenticator_app_with_the_challenge_session_and_signs_in() {
    let client = simulated(json!({
        "ChallengeName": "MFA_SETUP",
        "ChallengeParameters": { "USER_ID_FOR_SRP": "user-uuid-1",
                                 "MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]" },
    }));
    let pending = first_step(&client);
    assert_eq!(pending.step(), &MfaStep::SetUpAuthenticator);

    let enrolment = block_on(client.begin_mfa_setup(&pending)).expect("a secret to enrol");
    assert_eq!(enrolment.secret(), SECRET);
    assert_eq!(
        enrolment.otpauth_uri(TOTP_ISSUER, pending.account()),
        format!(
            "otpauth://totp/Session%20Guard:ana%40example.com?secret={SECRET}&issuer=Session%20Guard"
        )
    );

    // A wrong first code: named, and the sign-in can go on.
    let wrong = block_on(client.finish_mfa_setup(&pending, &enrolment, "000000")).err();
    assert_eq!(wrong, Some(CognitoError::WrongMfaCode));
    let step = block_on(client.finish_mfa_setup(&pending, &enrolment, APP_CODE)).expect("set up");
    assert!(matches!(step, SignInStep::SignedIn(_)));

    let requests = client.transport().requests.borrow();
    let actions: Vec<&str> = requests.iter().map(|(action, _)| action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "InitiateAuth",
            "AssociateSoftwareToken",
            "VerifySoftwareToken",
            "VerifySoftwareToken",
            "RespondToAuthChallenge"
        ]
    );
    assert_eq!(requests[1].1, json!({ "Session": "server-session-1" }));
    assert_eq!(
        requests[3].1,
        json!({ "Session": "server-session-2", "UserCode": APP_CODE,
                "FriendlyDeviceName": "Authenticator app" })
    );
    assert_eq!(
        requests[4].1,
        json!({ "ChallengeName": "MFA_SETUP", "ClientId": CLIENT_ID, "Session": "server-session-3",
                "ChallengeResponses": { "USERNAME": "user-uuid-1" } })
    );
}

#[test]
fn an_mfa_setup_whose_session_ran_out_says_to_sign_in_again() {
    let client = simulated(json!({
        "ChallengeName": "MFA_SETUP",
        "ChallengeParameters": { "USER_ID_FOR_SRP": "user-uuid-1" },
    }));
    let pending = first_step(&client);
    let enrolment = block_on(client.begin_mfa_setup(&pending)).expect("a secret");
    // Another sign-in replaced the session the enrolment holds.
    let _ = first_step(&client);
    let error = block_on(client.finish_mfa_setup(&pending, &enrolment, APP_CODE)).err();
    assert_eq!(error, Some(CognitoError::ChallengeExpired));
    assert!(
        CognitoError::ChallengeExpired
            .to_string()
            .contains("sign in again")
    );
}

#[test]
fn email_otp_is_chosen_then_answered_and_too_many_wrong_codes_end_the_attempt() {
    let select = json!({
        "ChallengeName": "SELECT_MFA_TYPE",
        "ChallengeParameters": { "USER_ID_FOR_SRP": "user-uuid-1",
                                 "MFAS_CAN_CHOOSE": "[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]" },
    });
    let client = simulated(select.clone());
    let pending = first_step(&client);
    let SignInStep::Mfa(email) =
        block_on(client.choose_mfa(&pending, MfaType::Email)).expect("chosen")
    else {
        panic!("the email code step follows")
    };
    assert_eq!(
        email.step(),
        &MfaStep::Code {
            factor: MfaType::Email,
            destination: Some("a***@e***.com".to_owned())
        }
    );
    assert_eq!(
        block_on(client.answer_mfa_code(&email, "11111")).err(),
        Some(CognitoError::WrongMfaCode)
    );
    let step = block_on(client.answer_mfa_code(&email, EMAIL_CODE)).expect("signed in");
    assert!(matches!(step, SignInStep::SignedIn(_)));
    assert_eq!(
        client
            .transport()
            .requests
            .borrow()
            .last()
            .map(|(_, body)| body["ChallengeResponses"].clone()),
        Some(json!({ "USERNAME": "user-uuid-1", "EMAIL_OTP_CODE": EMAIL_CODE }))
    );

    let client = simulated(select);
    let pending = first_step(&client);
    let Ok(SignInStep::Mfa(email)) = block_on(client.choose_mfa(&pending, MfaType::Email)) else {
        panic!("the email code step follows")
    };
    let mut errors = Vec::new();
    for _ in 0..3 {
        errors.push(block_on(client.answer_mfa_code(&email, "00000")).err());
    }
    assert_eq!(
        errors,
        [
            Some(CognitoError::WrongMfaCode),
            Some(CognitoError::WrongMfaCode),
            Some(CognitoError::TooManyCodeAttempts)
        ]
    );
    assert!(
        CognitoError::TooManyCodeAttempts
            .to_string()
            .contains("sign in again")
    );
}

#[test]
fn the_settings_enrol_verify_and_turn_the_authenticator_app_on_and_off() {
    let client = fake_client(FakeTransport::answering([
        ok(json!({ "SecretCode": SECRET })),
        ok(json!({ "Status": "SUCCESS" })),
        ok(json!({})),
        ok(json!({})),
    ]));
    let access = Secret::new("access-token-value");
    let enrolment = block_on(client.associate_authenticator(&access)).expect("secret");
    assert_eq!(
        enrolment.secret_grouped(),
        "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"
    );
    block_on(client.verify_authenticator(&access, "287 082")).expect("verified");
    block_on(client.set_authenticator_mfa(&access, true)).expect("on");
    block_on(client.set_authenticator_mfa(&access, false)).expect("off");

    let requests = client.transport().requests.borrow();
    let targets: Vec<&str> = requests.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "AWSCognitoIdentityProviderService.AssociateSoftwareToken",
            "AWSCognitoIdentityProviderService.VerifySoftwareToken",
            "AWSCognitoIdentityProviderService.SetUserMFAPreference",
            "AWSCognitoIdentityProviderService.SetUserMFAPreference",
        ]
    );
    assert_eq!(
        requests[0].body,
        json!({ "AccessToken": "access-token-value" })
    );
    assert_eq!(
        requests[1].body,
        json!({ "AccessToken": "access-token-value", "UserCode": "287082",
                "FriendlyDeviceName": "Authenticator app" })
    );
    assert_eq!(
        requests[2].body,
        json!({ "AccessToken": "access-token-value",
                "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": true } })
    );
    assert_eq!(
        requests[3].body,
        json!({ "AccessToken": "access-token-value",
                "SoftwareTokenMfaSettings": { "Enabled": false, "PreferredMfa": false } })
    );
}

#[test]
fn wrong_reused_and_expired_codes_are_named_for_the_user() {
    let cases = [
        (
            refused("CodeMismatchException", "Invalid code received for user"),
            CognitoError::WrongMfaCode,
        ),
        (
            refused(
                "ExpiredCodeException",
                "Your software token has already been used once.",
            ),
            CognitoError::MfaCodeReused,
        ),
        (
            refused(
                "NotAuthorizedException",
                "Invalid session for the user, session is expired.",
            ),
            CognitoError::ChallengeExpired,
        ),
        (
            refused("ExpiredCodeException", "Invalid code provided"),
            CognitoError::CodeExpired,
        ),
        (
            refused("TooManyFailedAttemptsException", "Too many attempts"),
            CognitoError::TooManyCodeAttempts,
        ),
    ];
    for (answer, expected) in cases {
        let client = fake_client(FakeTransport::answering([
            ok(challenge(
                "SOFTWARE_TOKEN_MFA",
                json!({ "USER_ID_FOR_SRP": "u" }),
            )),
            answer,
        ]));
        let pending = mfa_after_password(&client);
        let error = block_on(client.answer_mfa_code(&pending, "123456")).err();
        assert_eq!(error.as_ref(), Some(&expected));
        assert_eq!(expected.retry_class(), RetryClass::DefiniteRejection);
    }
    // In the settings a wrong first code is the same mistake.
    let client = fake_client(FakeTransport::answering([refused(
        "EnableSoftwareTokenMFAException",
        "Code mismatch and fail enable Software Token MFA",
    )]));
    let error = block_on(client.verify_authenticator(&Secret::new("a"), "123456")).err();
    assert_eq!(error, Some(CognitoError::WrongMfaCode));
    // Nothing typed, or not a code: refused before any call.
    let client = fake_client(FakeTransport::answering([ok(challenge(
        "SMS_MFA",
        json!({}),
    ))]));
    let pending = mfa_after_password(&client);
    for typed in ["", "   ", "12345678901", "12;34"] {
        assert_eq!(
            block_on(client.answer_mfa_code(&pending, typed)).err(),
            Some(CognitoError::CodeMalformed)
        );
    }
    assert_eq!(client.transport().requests.borrow().len(), 1);
}

#[test]
fn sessions_codes_and_secrets_never_show_in_debug_output_or_errors() {
    let client = fake_client(FakeTransport::answering([
        ok(challenge(
            "SOFTWARE_TOKEN_MFA",
            json!({ "USER_ID_FOR_SRP": "u" }),
        )),
        refused("CodeMismatchException", "Invalid code received for user"),
    ]));
    let pending = mfa_after_password(&client);
    assert!(!format!("{pending:?}").contains(SESSION));
    let error = block_on(client.answer_mfa_code(&pending, "123456"))
        .err()
        .expect("a wrong code is refused");
    assert!(!format!("{error:?} {error}").contains("123456"));

    let client = fake_client(FakeTransport::answering([ok(
        json!({ "SecretCode": SECRET }),
    )]));
    let enrolment = block_on(client.associate_authenticator(&Secret::new("a"))).expect("secret");
    assert!(!format!("{enrolment:?}").contains("JBSW"), "{enrolment:?}");
}
