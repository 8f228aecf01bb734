//! The exact text of every request body sent to Cognito's JSON API: field
//! names as Cognito spells them, in the order they have always been sent,
//! and only the keys of the chosen flow.

use crate::cognito::api::{
    AccessTokenRequest, AssociateSoftwareTokenRequest, AuthParameters,
    ConfirmForgotPasswordRequest, ForgotPasswordRequest, GetTokensFromRefreshTokenRequest,
    InitiateAuthRequest, MfaSettings, RespondToAuthChallengeRequest, RevokeTokenRequest,
    SetUserMfaPreferenceRequest, VerifySoftwareTokenRequest,
};
use crate::json::to_string as text;

const PASSWORD: &str = "pa\"ss\\word\n\u{1}é😀";

#[test]
fn initiate_auth_sends_only_the_keys_of_its_flow() {
    let parameters = |username, password, refresh_token, srp_a| AuthParameters {
        username,
        password,
        refresh_token,
        srp_a,
    };
    let request = |auth_flow, auth_parameters| InitiateAuthRequest {
        auth_flow,
        client_id: "client-1",
        auth_parameters,
    };
    assert_eq!(
        text(&request(
            "USER_PASSWORD_AUTH",
            parameters(Some("alice"), Some(PASSWORD), None, None)
        )),
        r#"{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"client-1","AuthParameters":{"USERNAME":"alice","PASSWORD":"pa\"ss\\word\n\u0001é😀"}}"#
    );
    assert_eq!(
        text(&request(
            "USER_SRP_AUTH",
            parameters(Some("alice"), None, None, Some("0a1b"))
        )),
        r#"{"AuthFlow":"USER_SRP_AUTH","ClientId":"client-1","AuthParameters":{"USERNAME":"alice","SRP_A":"0a1b"}}"#
    );
    assert_eq!(
        text(&request(
            "REFRESH_TOKEN_AUTH",
            parameters(None, None, Some("refresh-1"), None)
        )),
        r#"{"AuthFlow":"REFRESH_TOKEN_AUTH","ClientId":"client-1","AuthParameters":{"REFRESH_TOKEN":"refresh-1"}}"#
    );
}

#[test]
fn challenge_answers_send_their_responses_in_the_order_given() {
    let request = RespondToAuthChallengeRequest {
        challenge_name: "PASSWORD_VERIFIER",
        client_id: "client-1",
        session: "session-1",
        challenge_responses: vec![
            ("PASSWORD_CLAIM_SECRET_BLOCK", "block"),
            ("PASSWORD_CLAIM_SIGNATURE", "signature"),
            ("TIMESTAMP", "Mon Jun 9 12:00:00 UTC 2025"),
            ("USERNAME", "user-1"),
        ],
    };
    assert_eq!(
        text(&request),
        r#"{"ChallengeName":"PASSWORD_VERIFIER","ClientId":"client-1","Session":"session-1","ChallengeResponses":{"PASSWORD_CLAIM_SECRET_BLOCK":"block","PASSWORD_CLAIM_SIGNATURE":"signature","TIMESTAMP":"Mon Jun 9 12:00:00 UTC 2025","USERNAME":"user-1"}}"#
    );
}

#[test]
fn token_and_password_calls_send_cognitos_field_names() {
    assert_eq!(
        text(&GetTokensFromRefreshTokenRequest {
            refresh_token: "refresh-1",
            client_id: "client-1",
        }),
        r#"{"RefreshToken":"refresh-1","ClientId":"client-1"}"#
    );
    assert_eq!(
        text(&RevokeTokenRequest {
            token: "refresh-1",
            client_id: "client-1",
        }),
        r#"{"Token":"refresh-1","ClientId":"client-1"}"#
    );
    // GlobalSignOut and GetUser.
    assert_eq!(
        text(&AccessTokenRequest {
            access_token: "access-1",
        }),
        r#"{"AccessToken":"access-1"}"#
    );
    assert_eq!(
        text(&ForgotPasswordRequest {
            client_id: "client-1",
            username: "alice",
        }),
        r#"{"ClientId":"client-1","Username":"alice"}"#
    );
    assert_eq!(
        text(&ConfirmForgotPasswordRequest {
            client_id: "client-1",
            username: "alice",
            confirmation_code: "123456",
            password: PASSWORD,
        }),
        r#"{"ClientId":"client-1","Username":"alice","ConfirmationCode":"123456","Password":"pa\"ss\\word\n\u0001é😀"}"#
    );
}

#[test]
fn authenticator_calls_send_the_access_token_or_the_session() {
    assert_eq!(
        text(&AssociateSoftwareTokenRequest {
            access_token: Some("access-1"),
            session: None,
        }),
        r#"{"AccessToken":"access-1"}"#
    );
    assert_eq!(
        text(&AssociateSoftwareTokenRequest {
            access_token: None,
            session: Some("session-1"),
        }),
        r#"{"Session":"session-1"}"#
    );
    assert_eq!(
        text(&VerifySoftwareTokenRequest {
            access_token: Some("access-1"),
            session: None,
            user_code: "123456",
            friendly_device_name: "Authenticator app",
        }),
        r#"{"AccessToken":"access-1","UserCode":"123456","FriendlyDeviceName":"Authenticator app"}"#
    );
    assert_eq!(
        text(&VerifySoftwareTokenRequest {
            access_token: None,
            session: Some("session-1"),
            user_code: "123456",
            friendly_device_name: "Authenticator app",
        }),
        r#"{"Session":"session-1","UserCode":"123456","FriendlyDeviceName":"Authenticator app"}"#
    );
    for (enabled, flag) in [(true, "true"), (false, "false")] {
        assert_eq!(
            text(&SetUserMfaPreferenceRequest {
                access_token: "access-1",
                software_token_mfa_settings: MfaSettings {
                    enabled,
                    preferred_mfa: enabled,
                },
            }),
            format!(
                r#"{{"AccessToken":"access-1","SoftwareTokenMfaSettings":{{"Enabled":{flag},"PreferredMfa":{flag}}}}}"#
            )
        );
    }
}
