//! Facts about the deployment that are not policy.
//!
//! The core cannot read the refresh token's validity from the token (it is
//! opaque), so it comes from configuration, mirroring the Cognito app client
//! setting. Emulators run sessions of seconds, which Cognito would refuse;
//! the endpoint decides whether that is an error or a note.

use std::fmt;
use std::time::Duration;

use super::policy::{PolicyError, SessionPolicy};

/// Cognito's allowed refresh token validity: 60 minutes ..= 10 years.
pub const COGNITO_MIN_REFRESH_VALIDITY: Duration = Duration::from_secs(60 * 60);
pub const COGNITO_MAX_REFRESH_VALIDITY: Duration = Duration::from_secs(3650 * 24 * 60 * 60);

/// Where the refresh requests go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum IdentityEndpoint {
    /// The real Amazon Cognito: its limits apply.
    #[default]
    Cognito,
    /// An overridden endpoint (emulator, local test server): anything goes.
    Overridden,
}

/// What the session core must know about the app client and the service,
/// beside the policy: read from `config.json` into [`AppConfig::settings`](crate::config::AppConfig::settings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionSettings {
    /// The app client's refresh token validity: the session's hard end is
    /// the original sign-in plus this.
    pub refresh_token_validity: Duration,
    /// Whether Cognito's own limits apply.
    pub endpoint: IdentityEndpoint,
    /// The app client's ID/access token validity, when known, to check the
    /// refresh lead against it.
    pub access_token_validity: Option<Duration>,
    /// How long a refresh may take. A refresh that could not finish before
    /// the hard end is not started (it would be refused anyway).
    pub refresh_budget: Duration,
    /// How long a refresh may stay unanswered (waiting for another tab's
    /// lock, then the request) before the core counts it as a network
    /// failure and retries: no refresh can leave a tab "Refreshing" for good.
    pub refresh_answer_limit: Duration,
}

/// What a refresh may wait for: another tab's request under the lock and
/// this tab's own, each bounded by the request timeout, plus a margin.
pub(crate) fn refresh_answer_limit_for(request_timeout: Duration) -> Duration {
    request_timeout * 2 + Duration::from_secs(5)
}

impl SessionSettings {
    /// Settings for real Cognito with this refresh token validity, the
    /// token validity unknown and 10-second request budgets.
    pub fn new(refresh_token_validity: Duration) -> Self {
        SessionSettings {
            refresh_token_validity,
            endpoint: IdentityEndpoint::Cognito,
            access_token_validity: None,
            refresh_budget: Duration::from_secs(10),
            refresh_answer_limit: refresh_answer_limit_for(Duration::from_secs(10)),
        }
    }

    /// Checks the settings against Cognito's limits and `policy`.
    ///
    /// Returns a note for the driver to log when a value is only acceptable
    /// because the endpoint is overridden.
    pub fn validate(&self, policy: &SessionPolicy) -> Result<Option<SettingsNote>, PolicyError> {
        policy.validate()?;
        let validity = self.refresh_token_validity;
        if validity.is_zero() {
            return Err(PolicyError::ZeroDuration {
                knob: "refresh_token_validity",
            });
        }
        if let (Some(lead), Some(lifetime)) = (policy.refresh_lead, self.access_token_validity)
            && lead >= lifetime
        {
            return Err(PolicyError::RefreshLeadNotShorterThanTokenLifetime { lead, lifetime });
        }
        let mut leads: Vec<(&'static str, Duration)> = policy
            .session_end_warning_leads
            .iter()
            .map(|d| ("session_end_warning_leads", *d))
            .collect();
        leads.extend(
            policy
                .min_remaining_on_return
                .map(|d| ("min_remaining_on_return", d)),
        );
        // min_remaining_at_load may equal the validity (strict: "less than a
        // day" with a one-day session means every reload signs out; that is
        // the article's trade-off, not a configuration error).
        if let Some((knob, value)) = leads.into_iter().find(|(_, d)| *d >= validity) {
            return Err(PolicyError::LongerThanSession {
                knob,
                value,
                validity,
            });
        }
        let in_range =
            (COGNITO_MIN_REFRESH_VALIDITY..=COGNITO_MAX_REFRESH_VALIDITY).contains(&validity);
        match (in_range, self.endpoint) {
            (true, _) => Ok(None),
            (false, IdentityEndpoint::Cognito) => {
                Err(PolicyError::RefreshValidityOutOfCognitoRange { validity })
            }
            (false, IdentityEndpoint::Overridden) => {
                Ok(Some(SettingsNote::RefreshValidityOutsideCognitoRange {
                    validity,
                }))
            }
        }
    }
}

/// Something acceptable but worth a line in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingsNote {
    /// The refresh token validity is outside what Cognito allows (60
    /// minutes to 10 years), accepted because the endpoint is overridden
    /// (an emulator).
    RefreshValidityOutsideCognitoRange {
        /// The configured validity.
        validity: Duration,
    },
}

impl fmt::Display for SettingsNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsNote::RefreshValidityOutsideCognitoRange { validity } => write!(
                f,
                "refresh_token_validity {} is outside Cognito's 60 min..10 years; \
                 accepted because the endpoint is overridden (emulator)",
                super::policy::human(*validity)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::policy::{PolicyOverrides, PolicyPreset};

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn cognito_range_is_enforced_for_the_real_endpoint() {
        let p = SessionPolicy::from_preset(PolicyPreset::Standard);
        assert_eq!(SessionSettings::new(60 * MIN).validate(&p), Ok(None));
        assert_eq!(
            SessionSettings::new(COGNITO_MAX_REFRESH_VALIDITY).validate(&p),
            Ok(None)
        );
        let err = SessionSettings::new(59 * MIN).validate(&p).unwrap_err();
        assert!(matches!(
            err,
            PolicyError::RefreshValidityOutOfCognitoRange { .. }
        ));
        assert!(err.to_string().contains("refresh_token_validity"));
        assert!(
            SessionSettings::new(COGNITO_MAX_REFRESH_VALIDITY + MIN)
                .validate(&p)
                .is_err()
        );
    }

    #[test]
    fn overridden_endpoint_accepts_short_sessions_with_a_note() {
        let p = SessionPolicy::from_preset(PolicyPreset::Standard);
        let s = SessionSettings {
            endpoint: IdentityEndpoint::Overridden,
            ..SessionSettings::new(Duration::from_secs(30))
        };
        let note = s.validate(&p).unwrap().expect("a note to log");
        assert!(note.to_string().contains("30 s"));
    }

    #[test]
    fn refresh_lead_not_shorter_than_token_lifetime_is_rejected() {
        let p = SessionPolicy::default()
            .with_overrides(&PolicyOverrides {
                refresh_lead: Some(Some(60 * MIN)),
                ..Default::default()
            })
            .unwrap();
        let s = SessionSettings {
            access_token_validity: Some(60 * MIN),
            ..SessionSettings::new(24 * 60 * MIN)
        };
        assert_eq!(
            s.validate(&p),
            Err(PolicyError::RefreshLeadNotShorterThanTokenLifetime {
                lead: 60 * MIN,
                lifetime: 60 * MIN
            })
        );
        let s = SessionSettings {
            access_token_validity: Some(61 * MIN),
            ..s
        };
        assert_eq!(s.validate(&p), Ok(None));
    }

    #[test]
    fn warnings_longer_than_the_session_are_rejected() {
        let s = SessionSettings {
            endpoint: IdentityEndpoint::Overridden,
            ..SessionSettings::new(10 * MIN)
        };
        let err = s.validate(&SessionPolicy::default()).unwrap_err();
        assert!(matches!(
            err,
            PolicyError::LongerThanSession {
                knob: "session_end_warning_leads",
                ..
            }
        ));
    }
}
