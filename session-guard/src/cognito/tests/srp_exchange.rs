//! The SRP sign-in as a whole against a simulated Cognito: what goes over the
//! wire, and whether the proof checks out on the server's side of SRP-6a
//! (`S = (A·v^u)^b`), which the client never computes.

use super::support::*;
use crate::cognito::srp::modular::{Modulus, Residue, wide_from_be};
use crate::cognito::srp::{
    SECRET_BYTES, SrpClient, cognito_timestamp, derive_key, generator, hex, hmac, n_bytes,
    parse_hex, pool_name, sha256, signed_bytes,
};
use crate::cognito::{
    CognitoClient, CognitoConfig, CognitoError, HttpResponse, Secret, SignInStep,
};
use base64ct::{Base64, Encoding};
use hmac::Mac;
use serde_json::{Value, json};

const POOL_ID: &str = "eu-west-1_TestPool";
const USER_ID: &str = "0f1e2d3c-aaaa-bbbb-cccc-123456789abc";
const PASSWORD: &str = "Correct-Horse-9";
const NOW_SECS: u64 = 1_796_441_400;
const SESSION_1: &str = "session-after-initiate";
const SESSION_2: &str = "session-after-verifier";

/// Cognito's side of SRP for one user, with a fixed `b`.
struct Server {
    modulus: Modulus,
    salt: Vec<u8>,
    verifier: Residue,
    small_b: Vec<u32>,
    large_b: Residue,
    secret_block: String,
}

impl Server {
    /// Registers `password` (v = g^x) and prepares B = k·v + g^b.
    fn new(password: &str) -> Self {
        let modulus = Modulus::from_be_bytes(&n_bytes());
        let salt = sha256(&[b"salt"])[..16].to_vec();
        let x = x_of(&salt, password);
        let verifier = modulus.pow(&generator(), &wide_from_be(&x));
        let small_b = wide_from_be(&sha256(&[b"server secret b"]));
        let k = k_of(&modulus);
        let k_v = modulus.mul(&k, &verifier);
        let g_b = modulus.pow(&generator(), &small_b);
        // k·v + g^b = g^b − (0 − k·v)
        let large_b = modulus.sub(&g_b, &modulus.sub(&Residue::small(0), &k_v));
        Server {
            modulus,
            salt,
            verifier,
            small_b,
            large_b,
            secret_block: Base64::encode_string(&sha256(&[b"secret block"]).repeat(8)),
        }
    }

    fn password_verifier_challenge(&self) -> Value {
        json!({
            "ChallengeName": "PASSWORD_VERIFIER",
            "Session": SESSION_1,
            "ChallengeParameters": {
                "SALT": hex(&self.salt),
                "SRP_B": hex(&self.large_b.to_be_bytes()),
                "SECRET_BLOCK": self.secret_block,
                "USER_ID_FOR_SRP": USER_ID,
                "USERNAME": USER_ID,
            },
        })
    }

    /// What Cognito checks: the signature the client sent, recomputed from
    /// `S = (A·v^u)^b mod N`.
    fn accepts(&self, large_a_hex: &str, timestamp: &str, signature: &str) -> bool {
        let modulus = &self.modulus;
        let a_bytes = parse_hex(large_a_hex).unwrap();
        let u = sha256(&[
            &signed_bytes(&a_bytes),
            &signed_bytes(&self.large_b.to_be_bytes()),
        ]);
        let a = modulus.reduce_be(&a_bytes);
        let v_u = modulus.pow(&self.verifier, &wide_from_be(&u));
        let s = modulus.pow(&modulus.mul(&a, &v_u), &self.small_b);
        let key = derive_key(&signed_bytes(&s.to_be_bytes()), &signed_bytes(&u));
        let mut mac = hmac(&key);
        mac.update(pool_name(POOL_ID).as_bytes());
        mac.update(USER_ID.as_bytes());
        mac.update(&Base64::decode_vec(&self.secret_block).unwrap());
        mac.update(timestamp.as_bytes());
        Base64::encode_string(&mac.finalize().into_bytes()) == signature
    }
}

fn x_of(salt: &[u8], password: &str) -> [u8; 32] {
    let identity = sha256(&[
        pool_name(POOL_ID).as_bytes(),
        USER_ID.as_bytes(),
        b":",
        password.as_bytes(),
    ]);
    sha256(&[&signed_bytes(salt), &identity])
}

fn k_of(modulus: &Modulus) -> Residue {
    modulus.reduce_be(&sha256(&[&signed_bytes(&n_bytes()), &signed_bytes(&[2])]))
}

fn tokens() -> Value {
    json!({ "AuthenticationResult": {
        "IdToken": "id-token-value", "AccessToken": "access-token-value",
        "RefreshToken": "refresh-1", "ExpiresIn": 3600, "TokenType": "Bearer" } })
}

fn answer(status: u16, body: Value) -> Result<HttpResponse, crate::cognito::TransportError> {
    Ok(HttpResponse::new(status, body.to_string()))
}

fn cognito(
    answers: Vec<Result<HttpResponse, crate::cognito::TransportError>>,
) -> CognitoClient<FakeTransport> {
    CognitoClient::new(
        CognitoConfig::new("eu-west-1", POOL_ID, CLIENT_ID),
        FakeTransport::answering(answers),
    )
}

fn random() -> [u8; SECRET_BYTES] {
    let mut random = [0u8; SECRET_BYTES];
    random.copy_from_slice(&sha256(&[b"client a"]).repeat(4));
    random
}

fn sign_in(
    client: &CognitoClient<FakeTransport>,
    password: &str,
) -> Result<SignInStep, CognitoError> {
    block_on(client.sign_in_srp(
        "alice@example.com",
        &Secret::new(password),
        SrpClient::new(&random()).unwrap(),
        || NOW_SECS,
    ))
}

#[test]
fn srp_sign_in_proves_the_password_without_sending_it() {
    let server = Server::new(PASSWORD);
    let client = cognito(vec![
        answer(200, server.password_verifier_challenge()),
        answer(200, tokens()),
    ]);
    let step = sign_in(&client, PASSWORD).expect("signed in");
    let SignInStep::SignedIn(tokens) = step else {
        panic!("expected tokens")
    };
    assert_eq!(tokens.refresh_token.expose(), "refresh-1");

    let requests = client.transport().requests.borrow().clone();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert!(
            !request.body.to_string().contains(PASSWORD),
            "the password never goes on the wire"
        );
        assert_eq!(request.body["ClientId"], CLIENT_ID);
    }
    let initiate = &requests[0];
    assert_eq!(
        initiate.target,
        "AWSCognitoIdentityProviderService.InitiateAuth"
    );
    assert_eq!(initiate.body["AuthFlow"], "USER_SRP_AUTH");
    assert_eq!(
        initiate.body["AuthParameters"]["USERNAME"],
        "alice@example.com"
    );
    let large_a = initiate.body["AuthParameters"]["SRP_A"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        initiate.body["AuthParameters"].as_object().unwrap().len(),
        2
    );
    assert!(
        large_a.len() > 700 && !large_a.starts_with('0'),
        "A is hex of a 3072-bit number"
    );

    let respond = &requests[1];
    assert_eq!(
        respond.target,
        "AWSCognitoIdentityProviderService.RespondToAuthChallenge"
    );
    assert_eq!(respond.body["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(respond.body["Session"], SESSION_1);
    let responses = &respond.body["ChallengeResponses"];
    assert_eq!(responses["USERNAME"], USER_ID, "answers as USER_ID_FOR_SRP");
    assert_eq!(
        responses["PASSWORD_CLAIM_SECRET_BLOCK"],
        server.secret_block
    );
    assert_eq!(responses["TIMESTAMP"], cognito_timestamp(NOW_SECS));
    assert_eq!(responses["TIMESTAMP"], "Sat Dec 5 03:30:00 UTC 2026");
    assert!(server.accepts(
        &large_a,
        responses["TIMESTAMP"].as_str().unwrap(),
        responses["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap()
    ));
    // Sent in name order, as Cognito's own SDKs send them.
    let at = |key: &str| respond.text.find(&format!("\"{key}\":")).expect(key);
    assert!(
        at("PASSWORD_CLAIM_SECRET_BLOCK") < at("PASSWORD_CLAIM_SIGNATURE")
            && at("PASSWORD_CLAIM_SIGNATURE") < at("TIMESTAMP")
            && at("TIMESTAMP") < at("USERNAME"),
        "{}",
        respond.text
    );
}

#[test]
fn a_wrong_password_gives_a_proof_the_server_refuses() {
    let server = Server::new(PASSWORD);
    let refusal =
        json!({"__type": "NotAuthorizedException", "message": "Incorrect username or password."});
    let client = cognito(vec![
        answer(200, server.password_verifier_challenge()),
        answer(400, refusal),
    ]);
    let error = sign_in(&client, "Wrong-Horse-9").err().unwrap();
    assert_eq!(error, CognitoError::WrongCredentials);
    let requests = client.transport().requests.borrow().clone();
    let responses = &requests[1].body["ChallengeResponses"];
    assert!(
        !server.accepts(
            requests[0].body["AuthParameters"]["SRP_A"]
                .as_str()
                .unwrap(),
            responses["TIMESTAMP"].as_str().unwrap(),
            responses["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap()
        )
    );
}

fn new_password_challenge(required: &[&str]) -> Value {
    json!({
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": SESSION_2,
        "ChallengeParameters": {
            "USER_ID_FOR_SRP": USER_ID,
            "requiredAttributes": serde_json::to_string(required).unwrap(),
            "userAttributes": "{\"email\":\"alice@example.com\"}",
        },
    })
}

#[test]
fn a_first_sign_in_asks_for_a_new_password_and_then_signs_in() {
    let server = Server::new(PASSWORD);
    let client = cognito(vec![
        answer(200, server.password_verifier_challenge()),
        answer(200, new_password_challenge(&[])),
        answer(200, tokens()),
    ]);
    let SignInStep::NewPasswordRequired(challenge) = sign_in(&client, PASSWORD).unwrap() else {
        panic!("expected the new-password step")
    };
    assert_eq!(challenge.username(), USER_ID);
    assert!(
        !format!("{challenge:?}").contains(SESSION_2),
        "Debug hides Cognito's session"
    );

    let step =
        block_on(client.answer_new_password(&challenge, &Secret::new("Brand-New-Passw0rd!")));
    assert!(matches!(step, Ok(SignInStep::SignedIn(_))));
    let requests = client.transport().requests.borrow().clone();
    assert_eq!(
        requests[2].body,
        json!({
            "ChallengeName": "NEW_PASSWORD_REQUIRED",
            "ClientId": CLIENT_ID,
            "Session": SESSION_2,
            "ChallengeResponses": { "USERNAME": USER_ID, "NEW_PASSWORD": "Brand-New-Passw0rd!" },
        })
    );
}

#[test]
fn the_password_flow_also_reaches_the_new_password_step() {
    let client = cognito(vec![answer(200, new_password_challenge(&[]))]);
    let step = block_on(client.sign_in_password("alice@example.com", &Secret::new("Temp-1234!")));
    assert!(matches!(step, Ok(SignInStep::NewPasswordRequired(_))));
}

#[test]
fn new_password_refusals_say_what_to_do() {
    let server = Server::new(PASSWORD);
    let policy = json!({"__type": "InvalidPasswordException",
        "message": "Password does not conform to policy: Password must have symbol characters"});
    let expired = json!({"__type": "NotAuthorizedException",
        "message": "Invalid session for the user, session is expired."});
    for (refusal, expected) in [
        (
            policy,
            "The new password was not accepted: Password does not conform to policy: Password must have symbol characters",
        ),
        (
            expired,
            "The time to complete this sign-in step ran out; please sign in again.",
        ),
    ] {
        let client = cognito(vec![
            answer(200, server.password_verifier_challenge()),
            answer(200, new_password_challenge(&[])),
            answer(400, refusal),
        ]);
        let SignInStep::NewPasswordRequired(challenge) = sign_in(&client, PASSWORD).unwrap() else {
            panic!("expected the new-password step")
        };
        let error = block_on(client.answer_new_password(&challenge, &Secret::new("short")))
            .err()
            .unwrap();
        assert!(error.to_string().starts_with(expected), "{error}");
        assert!(!error.to_string().contains("short"));
    }
}

#[test]
fn required_attributes_and_other_challenges_are_explained() {
    let server = Server::new(PASSWORD);
    let client = cognito(vec![
        answer(200, server.password_verifier_challenge()),
        answer(
            200,
            new_password_challenge(&["userAttributes.given_name", "userAttributes.phone_number"]),
        ),
    ]);
    let error = sign_in(&client, PASSWORD).err().unwrap();
    assert_eq!(
        error,
        CognitoError::NewPasswordNeedsAttributes {
            attributes: "given_name, phone_number".to_owned()
        }
    );

    let custom =
        json!({"ChallengeName": "CUSTOM_CHALLENGE", "Session": "s", "ChallengeParameters": {}});
    let custom_client = cognito(vec![
        answer(200, server.password_verifier_challenge()),
        answer(200, custom),
    ]);
    let error = sign_in(&custom_client, PASSWORD).err().unwrap();
    assert!(error.to_string().contains("CUSTOM_CHALLENGE"), "{error}");
}

#[test]
fn an_srp_sign_in_continues_with_the_second_step_and_answers_it_as_the_srp_user() {
    let server = Server::new(PASSWORD);
    let mfa =
        json!({"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": "s", "ChallengeParameters": {}});
    let client = cognito(vec![
        answer(200, server.password_verifier_challenge()),
        answer(200, mfa),
        answer(200, tokens()),
    ]);
    let Ok(SignInStep::Mfa(challenge)) = sign_in(&client, PASSWORD) else {
        panic!("the proof is followed by the MFA step")
    };
    assert_eq!(challenge.account(), "alice@example.com");
    let step = block_on(client.answer_mfa_code(&challenge, "123456")).expect("signed in");
    assert!(matches!(step, SignInStep::SignedIn(_)));
    let requests = client.transport().requests.borrow();
    assert_eq!(
        requests[2].body["ChallengeResponses"],
        json!({ "USERNAME": USER_ID, "SOFTWARE_TOKEN_MFA_CODE": "123456" })
    );
    assert_eq!(requests[2].body["Session"], "s");
}

#[test]
fn a_broken_or_unsafe_challenge_stops_before_answering() {
    let server = Server::new(PASSWORD);
    let mut zero_b = server.password_verifier_challenge();
    zero_b["ChallengeParameters"]["SRP_B"] = json!("00");
    let mut no_salt = server.password_verifier_challenge();
    no_salt["ChallengeParameters"]
        .as_object_mut()
        .unwrap()
        .remove("SALT");
    for (challenge, expected) in [
        (zero_b, "B mod N is 0"),
        (no_salt, "PASSWORD_VERIFIER without SALT"),
    ] {
        let client = cognito(vec![answer(200, challenge)]);
        let error = sign_in(&client, PASSWORD).err().unwrap();
        assert!(error.to_string().contains(expected), "{error}");
        assert_eq!(
            client.transport().requests.borrow().len(),
            1,
            "no proof is sent"
        );
    }
}
