//! Every Cognito error the app distinguishes, from status + body to variant,
//! message and retry class.

use crate::cognito::{CognitoError, HttpResponse, Operation, RefreshRejection, RetryClass};
use serde_json::json;

fn map(operation: Operation, status: u16, error_type: &str, message: &str) -> CognitoError {
    let body = json!({ "__type": error_type, "message": message }).to_string();
    CognitoError::from_error_response(operation, &HttpResponse::new(status, body))
}

fn map_body(operation: Operation, status: u16, body: &str) -> CognitoError {
    CognitoError::from_error_response(operation, &HttpResponse::new(status, body))
}

use Operation::{GlobalSignOut, PasswordSignIn, Refresh, RevokeRefreshToken, RotatingRefresh};

#[test]
fn sign_in_errors() {
    let cases = [
        (
            "NotAuthorizedException",
            "Incorrect username or password.",
            CognitoError::WrongCredentials,
        ),
        // cognito-local's answer to an unknown user.
        (
            "NotAuthorizedException",
            "User not authorized",
            CognitoError::WrongCredentials,
        ),
        // cognito-local's answer to a wrong password.
        (
            "InvalidPasswordException",
            "Invalid password",
            CognitoError::WrongCredentials,
        ),
        (
            "UserNotFoundException",
            "User does not exist.",
            CognitoError::UserNotFound,
        ),
        (
            "UserNotConfirmedException",
            "User is not confirmed.",
            CognitoError::UserNotConfirmed,
        ),
        (
            "PasswordResetRequiredException",
            "Password reset required for the user",
            CognitoError::PasswordResetRequired,
        ),
        (
            "NotAuthorizedException",
            "Password attempts exceeded",
            CognitoError::TooManyRequests,
        ),
        (
            "TooManyRequestsException",
            "Too many requests",
            CognitoError::TooManyRequests,
        ),
        (
            "LimitExceededException",
            "Attempt limit exceeded",
            CognitoError::TooManyRequests,
        ),
        (
            "NotAuthorizedException",
            "User is disabled.",
            CognitoError::NotAuthorized {
                operation: PasswordSignIn,
                message: "User is disabled.".to_owned(),
            },
        ),
    ];
    for (error_type, message, expected) in cases {
        assert_eq!(
            map(PasswordSignIn, 400, error_type, message),
            expected,
            "{error_type}"
        );
    }
}

#[test]
fn refresh_errors() {
    for operation in [Refresh, RotatingRefresh] {
        let cases = [
            ("Refresh Token has been revoked", RefreshRejection::Revoked),
            ("Refresh Token has expired", RefreshRejection::Expired),
            ("Invalid Refresh Token", RefreshRejection::Invalid),
            (
                "User is disabled.",
                RefreshRejection::Other("User is disabled.".to_owned()),
            ),
        ];
        for (message, reason) in cases {
            let error = map(operation, 400, "NotAuthorizedException", message);
            assert_eq!(
                error,
                CognitoError::RefreshTokenRejected { reason },
                "{message}"
            );
            assert_eq!(error.retry_class(), RetryClass::DefiniteRejection);
            assert!(error.to_string().starts_with("Please sign in again"));
        }
        let reused = map(
            operation,
            400,
            "RefreshTokenReuseException",
            "Refresh token has been reused",
        );
        assert_eq!(reused, CognitoError::RefreshTokenReused);
        assert_eq!(reused.retry_class(), RetryClass::RotationReuse);
    }
}

#[test]
fn sign_out_errors() {
    assert_eq!(
        map(
            GlobalSignOut,
            400,
            "NotAuthorizedException",
            "Access Token has been revoked"
        ),
        CognitoError::AccessTokenRejected {
            message: "Access Token has been revoked".to_owned()
        }
    );
    // moto answers RevokeToken with a 500.
    let error = map_body(RevokeRefreshToken, 500, "Internal Server Error");
    assert_eq!(
        error,
        CognitoError::HttpStatus {
            operation: RevokeRefreshToken,
            status: 500
        }
    );
    assert_eq!(error.retry_class(), RetryClass::Retryable);
}

#[test]
fn type_prefixes_and_suffixes_are_stripped() {
    for error_type in [
        "com.amazonaws.cognito.identity.idp.model#NotAuthorizedException",
        "NotAuthorizedException:http://internal.amazon.com/coral/com.amazonaws.cognito.identity.idp.model/",
        "aws.cognito#NotAuthorizedException:extra",
    ] {
        assert_eq!(
            map(
                PasswordSignIn,
                400,
                error_type,
                "Incorrect username or password."
            ),
            CognitoError::WrongCredentials,
            "{error_type}"
        );
    }
    // Some AWS front ends capitalise the message key.
    let body = r#"{"__type":"NotAuthorizedException","Message":"Refresh Token has expired"}"#;
    assert_eq!(
        map_body(Refresh, 400, body),
        CognitoError::RefreshTokenRejected {
            reason: RefreshRejection::Expired
        }
    );
}

#[test]
fn other_service_errors_keep_type_and_message() {
    let error = map(
        PasswordSignIn,
        400,
        "ResourceNotFoundException",
        "User pool client abc does not exist.",
    );
    assert_eq!(
        error,
        CognitoError::Service {
            operation: PasswordSignIn,
            status: 400,
            error_type: "ResourceNotFoundException".to_owned(),
            message: "User pool client abc does not exist.".to_owned(),
        }
    );
    assert_eq!(error.retry_class(), RetryClass::DefiniteRejection);
    assert!(error.to_string().contains("ResourceNotFoundException"));
    assert!(
        error
            .to_string()
            .contains("User pool client abc does not exist.")
    );

    let internal = map(Refresh, 500, "InternalErrorException", "Internal error");
    assert_eq!(internal.retry_class(), RetryClass::Retryable);
    let internal_400 = map(Refresh, 400, "InternalErrorException", "Internal error");
    assert_eq!(internal_400.retry_class(), RetryClass::Retryable);
    // Cognito's own messages are plain text, but a huge one is cut short.
    let long = "x".repeat(5000);
    let error = map(Refresh, 400, "SomethingException", &long);
    assert!(error.to_string().len() < 400);
}

#[test]
fn non_json_and_typeless_bodies_map_to_the_status() {
    for (status, body, class) in [
        (502, "<html>Bad Gateway</html>", RetryClass::Retryable),
        (503, "", RetryClass::Retryable),
        (400, "not json", RetryClass::Retryable),
        (400, r#"{"message":"no type"}"#, RetryClass::Retryable),
        (403, r#"{"__type":""}"#, RetryClass::Retryable),
    ] {
        let error = map_body(Refresh, status, body);
        assert_eq!(
            error,
            CognitoError::HttpStatus {
                operation: Refresh,
                status
            },
            "{body}"
        );
        assert_eq!(error.retry_class(), class);
        assert!(!error.to_string().contains(body) || body.is_empty());
    }
    assert_eq!(
        map_body(Refresh, 429, "slow down"),
        CognitoError::TooManyRequests
    );
}

#[test]
fn retry_classes() {
    use CognitoError as E;
    let definite = [
        E::WrongCredentials,
        E::UserNotFound,
        E::UserNotConfirmed,
        E::PasswordResetRequired,
        E::RefreshTokenRejected {
            reason: RefreshRejection::Revoked,
        },
        E::AccessTokenRejected {
            message: String::new(),
        },
    ];
    for error in definite {
        assert_eq!(
            error.retry_class(),
            RetryClass::DefiniteRejection,
            "{error:?}"
        );
    }
    let retryable = [
        E::TooManyRequests,
        E::Timeout,
        E::Cancelled,
        E::Network {
            reason: String::new(),
        },
        E::Service {
            operation: Refresh,
            status: 503,
            error_type: "ServiceUnavailableException".to_owned(),
            message: String::new(),
        },
    ];
    for error in retryable {
        assert_eq!(error.retry_class(), RetryClass::Retryable, "{error:?}");
    }
}

#[test]
fn an_error_document_is_read_strictly() {
    let expired = || CognitoError::RefreshTokenRejected {
        reason: RefreshRejection::Expired,
    };
    // Other members are ignored; a null message is no message.
    let body =
        r#"{"__type":"NotAuthorizedException","message":"Refresh Token has expired","x":[1]}"#;
    assert_eq!(map_body(Refresh, 400, body), expired());
    let body = r#"{"__type":"UserNotFoundException","message":null}"#;
    assert_eq!(map_body(Refresh, 400, body), CognitoError::UserNotFound);
    // A document naming its message twice, or with members of the wrong
    // kind, is not a Cognito error document.
    for body in [
        r#"{"__type":"NotAuthorizedException","message":"a","Message":"b"}"#,
        r#"{"__type":"NotAuthorizedException","message":5}"#,
        r#"{"__type":5,"message":"Refresh Token has expired"}"#,
        r#"{"__type":"NotAuthorizedException","__type":"UserNotFoundException"}"#,
        r#"["NotAuthorizedException"]"#,
    ] {
        assert_eq!(
            map_body(Refresh, 400, body),
            CognitoError::HttpStatus {
                operation: Refresh,
                status: 400
            },
            "{body}"
        );
    }
}
