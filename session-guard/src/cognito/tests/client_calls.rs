//! The API client against a recording fake transport: what it sends and how
//! it reads the answers.

use super::support::*;
use crate::cognito::{
    Challenge, CognitoClient, CognitoConfig, CognitoError, HttpResponse, RetryClass, Secret,
    TransportError,
};
use serde_json::{Value, json};
use std::time::Duration;

fn config() -> CognitoConfig {
    let mut config = CognitoConfig::new("eu-west-1", "eu-west-1_TestPool", CLIENT_ID);
    config.request_timeout = Duration::from_secs(7);
    config
}

fn client(transport: FakeTransport) -> CognitoClient<FakeTransport> {
    CognitoClient::new(config(), transport)
}

fn auth_result(refresh_token: Option<&str>) -> Value {
    let mut result = json!({
        "IdToken": "id-token-value",
        "AccessToken": "access-token-value",
        "ExpiresIn": 3600,
        "TokenType": "Bearer",
    });
    if let Some(refresh_token) = refresh_token {
        result["RefreshToken"] = json!(refresh_token);
    }
    json!({ "AuthenticationResult": result, "ChallengeParameters": {} })
}

#[test]
fn password_sign_in_sends_initiate_auth_and_returns_the_tokens() {
    let client = client(FakeTransport::ok(auth_result(Some("refresh-1"))));
    let tokens = block_on(client.initiate_auth_password("alice", &Secret::new("hunter2!")))
        .expect("signed in");

    let request = client.transport().only_request();
    assert_eq!(request.url, "https://cognito-idp.eu-west-1.amazonaws.com/");
    assert_eq!(
        request.target,
        "AWSCognitoIdentityProviderService.InitiateAuth"
    );
    assert_eq!(request.timeout, Duration::from_secs(7));
    assert_eq!(
        request.body,
        json!({
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": CLIENT_ID,
            "AuthParameters": { "USERNAME": "alice", "PASSWORD": "hunter2!" },
        })
    );
    assert_eq!(tokens.id_token.expose(), "id-token-value");
    assert_eq!(tokens.access_token.expose(), "access-token-value");
    assert_eq!(tokens.refresh_token.expose(), "refresh-1");
    assert_eq!(tokens.expires_in, Some(3600));
    assert_eq!(tokens.token_type.as_deref(), Some("Bearer"));
}

#[test]
fn cognito_local_answer_without_expires_in_and_token_type_is_accepted() {
    let answer = json!({ "AuthenticationResult": {
        "IdToken": "i", "AccessToken": "a", "RefreshToken": "r" } });
    let client = client(FakeTransport::ok(answer));
    let tokens = block_on(client.initiate_auth_password("alice", &Secret::new("pw"))).unwrap();
    assert_eq!((tokens.expires_in, tokens.token_type), (None, None));
}

#[test]
fn endpoint_override_is_used() {
    let mut config = config();
    config.endpoint = Some("http://127.0.0.1:9229/".to_owned());
    let client = CognitoClient::new(config, FakeTransport::ok(auth_result(Some("r"))));
    block_on(client.initiate_auth_password("alice", &Secret::new("pw"))).unwrap();
    assert_eq!(
        client.transport().only_request().url,
        "http://127.0.0.1:9229/"
    );
}

#[test]
fn refresh_sends_refresh_token_auth_and_keeps_the_old_refresh_token() {
    let client = client(FakeTransport::ok(auth_result(None)));
    let old = Secret::new("old-refresh-token");
    let tokens = block_on(client.refresh(&old)).expect("refreshed");

    let request = client.transport().only_request();
    assert_eq!(
        request.target,
        "AWSCognitoIdentityProviderService.InitiateAuth"
    );
    assert_eq!(
        request.body,
        json!({
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "ClientId": CLIENT_ID,
            "AuthParameters": { "REFRESH_TOKEN": "old-refresh-token" },
        })
    );
    assert_eq!(tokens.refresh_token, old);
    assert_eq!(tokens.id_token.expose(), "id-token-value");
}

#[test]
fn rotation_sends_get_tokens_from_refresh_token_and_returns_the_new_refresh_token() {
    let client = client(FakeTransport::ok(auth_result(Some("new-refresh-token"))));
    let tokens =
        block_on(client.get_tokens_from_refresh_token(&Secret::new("old-refresh-token"))).unwrap();

    let request = client.transport().only_request();
    assert_eq!(
        request.target,
        "AWSCognitoIdentityProviderService.GetTokensFromRefreshToken"
    );
    assert_eq!(
        request.body,
        json!({ "RefreshToken": "old-refresh-token", "ClientId": CLIENT_ID })
    );
    assert_eq!(tokens.refresh_token.expose(), "new-refresh-token");
}

#[test]
fn renew_follows_the_rotation_setting() {
    let mut rotating = config();
    rotating.refresh_token_rotation = true;
    let client = CognitoClient::new(rotating, FakeTransport::ok(auth_result(Some("new"))));
    block_on(client.renew(&Secret::new("old"))).unwrap();
    assert!(
        client
            .transport()
            .only_request()
            .target
            .ends_with(".GetTokensFromRefreshToken")
    );

    let client = self::client(FakeTransport::ok(auth_result(None)));
    block_on(client.renew(&Secret::new("old"))).unwrap();
    assert!(
        client
            .transport()
            .only_request()
            .target
            .ends_with(".InitiateAuth")
    );
}

#[test]
fn revoke_token_sends_token_and_client_id() {
    let client = client(FakeTransport::ok(json!({})));
    block_on(client.revoke_token(&Secret::new("refresh-to-revoke"))).expect("revoked");
    let request = client.transport().only_request();
    assert_eq!(
        request.target,
        "AWSCognitoIdentityProviderService.RevokeToken"
    );
    assert_eq!(
        request.body,
        json!({ "Token": "refresh-to-revoke", "ClientId": CLIENT_ID })
    );
}

#[test]
fn global_sign_out_sends_the_access_token() {
    let client = client(FakeTransport::ok(json!({})));
    block_on(client.global_sign_out(&Secret::new("access-token-value"))).expect("signed out");
    let request = client.transport().only_request();
    assert_eq!(
        request.target,
        "AWSCognitoIdentityProviderService.GlobalSignOut"
    );
    assert_eq!(request.body, json!({ "AccessToken": "access-token-value" }));
}

#[test]
fn the_authenticator_status_is_read_from_get_user_with_the_access_token() {
    for (list, enabled) in [
        (json!(["SMS_MFA", "SOFTWARE_TOKEN_MFA"]), true),
        (json!(["SMS_MFA"]), false),
        (json!([]), false),
        (serde_json::Value::Null, false),
    ] {
        let client = client(FakeTransport::ok(
            json!({ "Username": "alice", "UserAttributes": [], "UserMFASettingList": list }),
        ));
        let answer = block_on(client.authenticator_enabled(&Secret::new("access-token-value")))
            .expect("answered");
        assert_eq!(answer, enabled, "{list}");
        let request = client.transport().only_request();
        assert_eq!(request.target, "AWSCognitoIdentityProviderService.GetUser");
        assert_eq!(request.body, json!({ "AccessToken": "access-token-value" }));
    }
    // A user with no MFA at all gets no list.
    let client = client(FakeTransport::ok(json!({ "Username": "alice" })));
    assert_eq!(
        block_on(client.authenticator_enabled(&Secret::new("a"))),
        Ok(false)
    );
}

#[test]
fn challenges_become_typed_errors() {
    for (name, challenge) in [
        ("NEW_PASSWORD_REQUIRED", Challenge::NewPasswordRequired),
        ("SMS_MFA", Challenge::SmsMfa),
        ("SOFTWARE_TOKEN_MFA", Challenge::SoftwareTokenMfa),
        ("CUSTOM_CHALLENGE", Challenge::CustomChallenge),
        ("MFA_SETUP", Challenge::MfaSetup),
        ("EMAIL_OTP", Challenge::EmailOtp),
    ] {
        let answer = json!({
            "ChallengeName": name,
            "Session": "opaque-session-value",
            "ChallengeParameters": { "USER_ID_FOR_SRP": "alice" },
        });
        let client = client(FakeTransport::ok(answer));
        let error =
            block_on(client.initiate_auth_password("alice", &Secret::new("pw"))).unwrap_err();
        assert_eq!(
            error,
            CognitoError::ChallengeRequired {
                challenge: challenge.clone()
            }
        );
        assert_eq!(error.retry_class(), RetryClass::DefiniteRejection);
        let message = error.to_string();
        assert!(message.contains(name), "{message}");
        assert!(!message.contains("opaque-session-value"));
        assert_eq!(challenge.name(), name);
    }
}

#[test]
fn service_errors_are_mapped_per_operation() {
    let rejected = || {
        FakeTransport::answering([Ok(HttpResponse::new(
            400,
            r#"{"__type":"NotAuthorizedException","message":"Refresh Token has been revoked"}"#,
        ))])
    };
    let error = block_on(client(rejected()).refresh(&Secret::new("r"))).unwrap_err();
    assert_eq!(
        error,
        CognitoError::RefreshTokenRejected {
            reason: crate::cognito::RefreshRejection::Revoked
        }
    );
    assert_eq!(error.retry_class(), RetryClass::DefiniteRejection);
}

#[test]
fn transport_failures_are_retryable() {
    for (failure, expected) in [
        (TransportError::Timeout, CognitoError::Timeout),
        (TransportError::Cancelled, CognitoError::Cancelled),
        (
            TransportError::Network {
                reason: "Failed to fetch".to_owned(),
            },
            CognitoError::Network {
                reason: "Failed to fetch".to_owned(),
            },
        ),
    ] {
        let client = client(FakeTransport::answering([Err(failure)]));
        let error = block_on(client.refresh(&Secret::new("r"))).unwrap_err();
        assert_eq!(error, expected);
        assert_eq!(error.retry_class(), RetryClass::Retryable);
    }
}

#[test]
fn malformed_success_answers_are_reported_without_their_content() {
    for body in [
        "<html>proxy login</html>".to_owned(),
        json!({ "AuthenticationResult": { "AccessToken": "secret-access", "RefreshToken": "r" } })
            .to_string(),
        json!({ "AuthenticationResult": { "IdToken": "secret-id", "RefreshToken": "r" } })
            .to_string(),
        json!({ "AuthenticationResult": { "IdToken": "secret-id", "AccessToken": "secret-access" } })
            .to_string(),
        json!({ "AuthenticationResult": { "IdToken": ["secret-id"], "AccessToken": "secret-access" } })
            .to_string(),
        json!({}).to_string(),
    ] {
        let client = client(FakeTransport::answering([Ok(HttpResponse::new(200, body.clone()))]));
        let error = block_on(client.initiate_auth_password("alice", &Secret::new("pw"))).unwrap_err();
        assert!(
            matches!(error, CognitoError::MalformedResponse { .. }),
            "{body}: {error:?}"
        );
        assert_eq!(error.retry_class(), RetryClass::Retryable);
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("secret-"), "{shown}");
    }
}

#[test]
fn answers_are_read_strictly_where_a_field_matters() {
    let sign_in = |answer: Value| {
        let client = client(FakeTransport::ok(answer));
        block_on(client.initiate_auth_password("alice", &Secret::new("pw")))
    };
    // Fields the app does not read, and null for an optional one, are fine.
    let tokens = sign_in(json!({
        "AuthenticationResult": {
            "IdToken": "id-token-value", "AccessToken": "access-token-value",
            "RefreshToken": "r", "ExpiresIn": null, "NewDeviceMetadata": { "DeviceKey": "k" },
        },
        "ChallengeName": null,
        "Session": null,
    }))
    .expect("signed in");
    assert_eq!((tokens.expires_in, tokens.token_type), (None, None));
    for answer in [
        json!({ "AuthenticationResult": { "IdToken": "i", "AccessToken": "a", "RefreshToken": "r", "ExpiresIn": "3600" } }),
        json!({ "AuthenticationResult": { "IdToken": "i", "AccessToken": "a", "RefreshToken": "r", "ExpiresIn": 3600.0 } }),
        json!({ "AuthenticationResult": { "IdToken": "i", "AccessToken": "a", "RefreshToken": "r", "ExpiresIn": -1 } }),
        json!({ "AuthenticationResult": { "IdToken": "i", "AccessToken": "a", "RefreshToken": "r", "TokenType": 1 } }),
        json!({ "AuthenticationResult": "tokens" }),
        json!({ "ChallengeName": "SMS_MFA", "Session": "s", "ChallengeParameters": null }),
        json!({ "ChallengeName": "SMS_MFA", "Session": "s", "ChallengeParameters": { "CODE_DELIVERY_DESTINATION": 5 } }),
        json!({ "ChallengeName": ["SMS_MFA"], "Session": "s" }),
        json!(["tokens"]),
    ] {
        assert!(
            matches!(
                sign_in(answer.clone()),
                Err(CognitoError::MalformedResponse { .. })
            ),
            "{answer}"
        );
    }
    // A challenge answer without ChallengeParameters has none.
    let error =
        sign_in(json!({ "ChallengeName": "CUSTOM_CHALLENGE", "Session": "s" })).unwrap_err();
    assert_eq!(
        error,
        CognitoError::ChallengeRequired {
            challenge: Challenge::CustomChallenge
        }
    );
}

#[test]
fn answers_without_content_are_read_as_any_json() {
    for (body, accepted) in [
        ("{}", true),
        ("[1, {\"a\": null}]", true),
        ("", false),
        ("{} x", false),
    ] {
        let client = client(FakeTransport::answering([Ok(HttpResponse::new(200, body))]));
        let result = block_on(client.global_sign_out(&Secret::new("access-token-value")));
        assert_eq!(result.is_ok(), accepted, "{body}");
    }
}
