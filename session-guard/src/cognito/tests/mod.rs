//! Native tests of the Cognito module; `support` holds the test doubles.

mod client_calls;
mod config_urls;
mod error_mapping;
mod key_set;
mod mfa;
mod never_panics;
mod redaction;
#[cfg(feature = "srp")]
mod srp;
#[cfg(feature = "srp")]
mod srp_exchange;
mod support;
mod token_rules;
mod verification;
mod wire_format;
