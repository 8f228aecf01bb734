//! Endpoint, issuer and JWKS URL defaults and the emulators' overrides.

use crate::cognito::{CognitoConfig, DEFAULT_CLOCK_LEEWAY_SECS, VerificationSettings};

#[test]
fn aws_defaults() {
    let config = CognitoConfig::new("eu-west-1", "eu-west-1_Pool", "client");
    assert_eq!(
        config.endpoint_url(),
        "https://cognito-idp.eu-west-1.amazonaws.com/"
    );
    assert_eq!(
        config.issuer(),
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool"
    );
    assert_eq!(
        config.jwks_url(),
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool/.well-known/jwks.json"
    );
    assert_eq!(config.clock_leeway_secs, DEFAULT_CLOCK_LEEWAY_SECS);
    assert!(!config.refresh_token_rotation);
}

#[test]
fn cognito_local_overrides_endpoint_and_issuer() {
    let mut config = CognitoConfig::new("local", "local_Pool", "client");
    config.endpoint = Some("http://127.0.0.1:9229/".to_owned());
    config.issuer = Some("http://127.0.0.1:9229/local_Pool".to_owned());
    assert_eq!(config.endpoint_url(), "http://127.0.0.1:9229/");
    assert_eq!(
        config.jwks_url(),
        "http://127.0.0.1:9229/local_Pool/.well-known/jwks.json"
    );
}

#[test]
fn moto_keeps_the_aws_issuer_but_serves_keys_locally() {
    let mut config = CognitoConfig::new("us-east-1", "us-east-1_Moto", "client");
    config.endpoint = Some("http://127.0.0.1:5000/".to_owned());
    config.jwks_url = Some("http://127.0.0.1:5000/us-east-1_Moto/.well-known/jwks.json".to_owned());
    config.clock_leeway_secs = 5;
    let settings = VerificationSettings::from_config(&config);
    assert_eq!(
        settings.issuer,
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Moto"
    );
    assert_eq!(settings.client_id, "client");
    assert_eq!(settings.clock_leeway_secs, 5);
    assert_eq!(
        config.jwks_url(),
        "http://127.0.0.1:5000/us-east-1_Moto/.well-known/jwks.json"
    );
}
