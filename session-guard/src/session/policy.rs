//! Session policy as data: [`SessionPolicy`], its named presets
//! ([`PolicyPreset`]) and why a combination of knobs is refused
//! ([`PolicyError`]).
//!
//! Different deployments want different trade-offs between security and not
//! losing the user's work. Rather than code paths per deployment, the policy
//! is one struct of orthogonal knobs, with named presets for the article's
//! baseline, its two solutions, and ours.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

const SEC: Duration = Duration::from_secs(1);
const MIN: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

/// Upper bound of the automatic refresh lead (see [`SessionPolicy::refresh_lead`]).
pub const AUTO_REFRESH_LEAD_CAP: Duration = Duration::from_secs(5 * 60);

/// Every knob of session behaviour. Build with [`SessionPolicy::from_preset`]
/// and adjust its fields, then check them with [`SessionPolicy::validate`]
/// (`config.json`'s `session.overrides` do both).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    /// How long before the ID/access tokens expire to refresh them.
    /// `None` = automatic: the smaller of 5 minutes and a fifth of the
    /// token lifetime, so 10-second emulator tokens refresh 2 s early instead
    /// of looping.
    pub refresh_lead: Option<Duration>,
    /// Whether the core knows about the session's hard end at all. `false`
    /// is the naive baseline: it refreshes blindly until the provider refuses
    /// and then works on with the tokens in hand until they expire.
    pub watch_session_end: bool,
    /// Sign out after this long without activity in any tab. `None`: never.
    pub idle_timeout: Option<Duration>,
    /// Show the idle warning (with "Stay signed in") this long before the
    /// idle sign-out. Requires `idle_timeout`, and must be shorter.
    pub idle_warning_lead: Option<Duration>,
    /// Warn this long before the hard end (each entry is one reminder).
    pub session_end_warning_leads: Vec<Duration>,
    /// At page load, sign out ("session ending soon") if the hard end is
    /// closer than this, so new work starts in a fresh session.
    pub min_remaining_at_load: Option<Duration>,
    /// On the first activity after an idle gap of `return_idle_gap`, sign
    /// out ("session ending soon") if the hard end is closer than this.
    pub min_remaining_on_return: Option<Duration>,
    /// How long without activity counts as "away" for `min_remaining_on_return`.
    pub return_idle_gap: Duration,
    /// At the hard end (or on a definite rejection), ask for
    /// re-authentication in place, keeping the page and its work, instead
    /// of signing out.
    pub reauth_in_place: bool,
    /// Save drafts continuously: flush whenever they become dirty and when
    /// the page is hidden.
    pub autosave: bool,
    /// Flush drafts before every sign-out. Off only in the naive baseline,
    /// where that is exactly the loss the article describes.
    pub save_drafts_before_sign_out: bool,
    /// First retry delay after a network or server failure.
    pub retry_backoff_base: Duration,
    /// Longest retry delay.
    pub retry_backoff_cap: Duration,
    /// At most one activity broadcast (and persist) per this interval, so
    /// typing does not flood other tabs and storage. Clamped at run time to
    /// a quarter of the idle timeout so tabs never disagree by much.
    pub activity_broadcast_interval: Duration,
}

/// The named presets. `protective` is the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum PolicyPreset {
    /// Refresh only, blind to the hard end: the naive baseline.
    Standard,
    /// The article's first solution: refuse to start work near the hard end.
    SolutionOne,
    /// The article's second solution: 15-minute idle sign-out.
    Strict,
    /// Ours: autosave, warnings before the hard end, re-auth in place.
    #[default]
    Protective,
}

impl PolicyPreset {
    /// Every preset, in the order the documentation lists them.
    pub const ALL: [PolicyPreset; 4] = [
        PolicyPreset::Standard,
        PolicyPreset::SolutionOne,
        PolicyPreset::Strict,
        PolicyPreset::Protective,
    ];

    /// The name used in `config.json` (`session.preset`) and by
    /// [`FromStr`]: `standard`, `solution_one`, `strict`, `protective`.
    pub fn name(self) -> &'static str {
        match self {
            PolicyPreset::Standard => "standard",
            PolicyPreset::SolutionOne => "solution_one",
            PolicyPreset::Strict => "strict",
            PolicyPreset::Protective => "protective",
        }
    }
}

impl fmt::Display for PolicyPreset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PolicyPreset {
    type Err = PolicyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PolicyPreset::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| PolicyError::UnknownPreset(s.to_owned()))
    }
}

/// Overrides for any knob; `None` leaves the preset's value. For knobs that
/// can be switched off, `Some(None)` switches them off.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct PolicyOverrides {
    pub refresh_lead: Option<Option<Duration>>,
    pub watch_session_end: Option<bool>,
    pub idle_timeout: Option<Option<Duration>>,
    pub idle_warning_lead: Option<Option<Duration>>,
    pub session_end_warning_leads: Option<Vec<Duration>>,
    pub min_remaining_at_load: Option<Option<Duration>>,
    pub min_remaining_on_return: Option<Option<Duration>>,
    pub return_idle_gap: Option<Duration>,
    pub reauth_in_place: Option<bool>,
    pub autosave: Option<bool>,
    pub save_drafts_before_sign_out: Option<bool>,
    pub retry_backoff_base: Option<Duration>,
    pub retry_backoff_cap: Option<Duration>,
    pub activity_broadcast_interval: Option<Duration>,
}

/// A policy or configuration the core refuses, with what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// `session.preset` names no preset; the message lists the valid names.
    #[error("unknown policy preset {0:?}; use one of: standard, solution_one, strict, protective")]
    UnknownPreset(String),
    /// A duration of zero; leave the knob unset, or switch it off where it
    /// can be.
    #[error("`{knob}` must be longer than zero (leave it unset or switch it off instead)")]
    ZeroDuration {
        /// The knob, as `config.json` names it.
        knob: &'static str,
    },
    /// The idle warning would come before the user is idle: shorten
    /// `idle_warning_lead` or lengthen `idle_timeout`.
    #[error(
        "`idle_warning_lead` ({}) must be shorter than `idle_timeout` ({}), \
         or the warning would appear before the user is even idle",
        human(*lead), human(*idle_timeout)
    )]
    IdleWarningNotShorterThanIdleTimeout {
        /// The configured `idle_warning_lead`.
        lead: Duration,
        /// The configured `idle_timeout`.
        idle_timeout: Duration,
    },
    /// An idle warning without an idle sign-out to warn about.
    #[error(
        "`idle_warning_lead` is set but `idle_timeout` is off; set an idle timeout or remove the warning"
    )]
    IdleWarningWithoutIdleTimeout,
    /// The longest retry delay is shorter than the first one.
    #[error(
        "`retry_backoff_cap` ({}) must not be shorter than `retry_backoff_base` ({})",
        human(*cap), human(*base)
    )]
    BackoffCapBelowBase {
        /// The configured first retry delay.
        base: Duration,
        /// The configured longest retry delay.
        cap: Duration,
    },
    /// A knob about the session's hard end (its warnings, the checks at load
    /// and on return, re-authentication in place) with
    /// `watch_session_end` off.
    #[error(
        "`{knob}` needs `watch_session_end = true`; the baseline that ignores the session end cannot act on it"
    )]
    RequiresWatchingSessionEnd {
        /// The knob that needs the session end.
        knob: &'static str,
    },
    /// The tokens would be due for refresh as soon as they arrive: shorten
    /// `refresh_lead` or leave it automatic.
    #[error(
        "`refresh_lead` ({}) must be shorter than the token lifetime ({}), \
         or every refresh would immediately be due again",
        human(*lead), human(*lifetime)
    )]
    RefreshLeadNotShorterThanTokenLifetime {
        /// The configured `refresh_lead`.
        lead: Duration,
        /// The lifetime of the ID and access tokens.
        lifetime: Duration,
    },
    /// `cognito.refresh_token_validity` cannot be a real Cognito app
    /// client's: copy the app client's setting.
    #[error(
        "`refresh_token_validity` ({}) is outside what Cognito allows (60 minutes to 10 years); \
         fix the app client setting, or override the endpoint if this is an emulator",
        human(*validity)
    )]
    RefreshValidityOutOfCognitoRange {
        /// The configured `cognito.refresh_token_validity`.
        validity: Duration,
    },
    /// A duration that no session could reach, since every session ends
    /// at `refresh_token_validity`.
    #[error("`{knob}` ({}) must be shorter than `refresh_token_validity` ({})", human(*value), human(*validity))]
    LongerThanSession {
        /// The knob, as `config.json` names it.
        knob: &'static str,
        /// Its configured value.
        value: Duration,
        /// The session's length, `cognito.refresh_token_validity`.
        validity: Duration,
    },
}

/// A duration for people: "15 min", "2 h", "10 s", "250 ms".
pub(crate) fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms == 0 {
        "0 s".to_owned()
    } else if ms.is_multiple_of(86_400_000) {
        format!("{} d", ms / 86_400_000)
    } else if ms.is_multiple_of(3_600_000) {
        format!("{} h", ms / 3_600_000)
    } else if ms.is_multiple_of(60_000) {
        format!("{} min", ms / 60_000)
    } else if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}

impl SessionPolicy {
    /// The knobs of a named preset (each preset is valid as it is). To
    /// adjust one, change its fields and check the result with
    /// [`validate`](Self::validate).
    ///
    /// ```
    /// use session_guard::session::{PolicyPreset, SessionPolicy};
    /// use std::time::Duration;
    ///
    /// let mut policy = SessionPolicy::from_preset(PolicyPreset::Strict);
    /// assert_eq!(policy.idle_timeout, Some(Duration::from_secs(15 * 60)));
    /// policy.idle_timeout = Some(Duration::from_secs(30 * 60));
    /// policy.validate().expect("a longer idle timeout keeps the warning shorter");
    /// ```
    pub fn from_preset(preset: PolicyPreset) -> SessionPolicy {
        let base = SessionPolicy {
            refresh_lead: None,
            watch_session_end: true,
            idle_timeout: None,
            idle_warning_lead: None,
            session_end_warning_leads: Vec::new(),
            min_remaining_at_load: None,
            min_remaining_on_return: None,
            return_idle_gap: 10 * MIN,
            reauth_in_place: false,
            autosave: false,
            save_drafts_before_sign_out: true,
            retry_backoff_base: 2 * SEC,
            retry_backoff_cap: 2 * MIN,
            activity_broadcast_interval: 15 * SEC,
        };
        match preset {
            PolicyPreset::Standard => SessionPolicy {
                watch_session_end: false,
                save_drafts_before_sign_out: false,
                ..base
            },
            PolicyPreset::SolutionOne => SessionPolicy {
                min_remaining_at_load: Some(60 * MIN),
                min_remaining_on_return: Some(60 * MIN),
                ..base
            },
            PolicyPreset::Strict => SessionPolicy {
                idle_timeout: Some(15 * MIN),
                idle_warning_lead: Some(2 * MIN),
                min_remaining_at_load: Some(24 * HOUR),
                ..base
            },
            PolicyPreset::Protective => SessionPolicy {
                session_end_warning_leads: vec![15 * MIN, 2 * MIN],
                reauth_in_place: true,
                autosave: true,
                ..base
            },
        }
    }

    /// The preset with `overrides` applied, validated.
    pub(crate) fn with_overrides(
        mut self,
        o: &PolicyOverrides,
    ) -> Result<SessionPolicy, PolicyError> {
        fn set<T: Clone>(slot: &mut T, v: &Option<T>) {
            if let Some(v) = v {
                *slot = v.clone();
            }
        }
        set(&mut self.refresh_lead, &o.refresh_lead);
        set(&mut self.watch_session_end, &o.watch_session_end);
        set(&mut self.idle_timeout, &o.idle_timeout);
        set(&mut self.idle_warning_lead, &o.idle_warning_lead);
        set(
            &mut self.session_end_warning_leads,
            &o.session_end_warning_leads,
        );
        set(&mut self.min_remaining_at_load, &o.min_remaining_at_load);
        set(
            &mut self.min_remaining_on_return,
            &o.min_remaining_on_return,
        );
        set(&mut self.return_idle_gap, &o.return_idle_gap);
        set(&mut self.reauth_in_place, &o.reauth_in_place);
        set(&mut self.autosave, &o.autosave);
        set(
            &mut self.save_drafts_before_sign_out,
            &o.save_drafts_before_sign_out,
        );
        set(&mut self.retry_backoff_base, &o.retry_backoff_base);
        set(&mut self.retry_backoff_cap, &o.retry_backoff_cap);
        set(
            &mut self.activity_broadcast_interval,
            &o.activity_broadcast_interval,
        );
        self.validate()?;
        Ok(self)
    }

    /// Checks that the knobs make sense together.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let nonzero = |knob: &'static str, d: Option<Duration>| match d {
            Some(d) if d.is_zero() => Err(PolicyError::ZeroDuration { knob }),
            _ => Ok(()),
        };
        nonzero("refresh_lead", self.refresh_lead)?;
        nonzero("idle_timeout", self.idle_timeout)?;
        nonzero("idle_warning_lead", self.idle_warning_lead)?;
        for lead in &self.session_end_warning_leads {
            nonzero("session_end_warning_leads", Some(*lead))?;
        }
        nonzero("min_remaining_at_load", self.min_remaining_at_load)?;
        nonzero("min_remaining_on_return", self.min_remaining_on_return)?;
        nonzero("return_idle_gap", Some(self.return_idle_gap))?;
        nonzero("retry_backoff_base", Some(self.retry_backoff_base))?;
        nonzero("retry_backoff_cap", Some(self.retry_backoff_cap))?;
        nonzero(
            "activity_broadcast_interval",
            Some(self.activity_broadcast_interval),
        )?;

        match (self.idle_warning_lead, self.idle_timeout) {
            (Some(_), None) => return Err(PolicyError::IdleWarningWithoutIdleTimeout),
            (Some(lead), Some(idle_timeout)) if lead >= idle_timeout => {
                return Err(PolicyError::IdleWarningNotShorterThanIdleTimeout {
                    lead,
                    idle_timeout,
                });
            }
            _ => {}
        }
        if self.retry_backoff_cap < self.retry_backoff_base {
            return Err(PolicyError::BackoffCapBelowBase {
                base: self.retry_backoff_base,
                cap: self.retry_backoff_cap,
            });
        }
        if !self.watch_session_end {
            let needs = [
                (
                    "session_end_warning_leads",
                    !self.session_end_warning_leads.is_empty(),
                ),
                (
                    "min_remaining_at_load",
                    self.min_remaining_at_load.is_some(),
                ),
                (
                    "min_remaining_on_return",
                    self.min_remaining_on_return.is_some(),
                ),
                ("reauth_in_place", self.reauth_in_place),
            ];
            if let Some((knob, _)) = needs.into_iter().find(|(_, used)| *used) {
                return Err(PolicyError::RequiresWatchingSessionEnd { knob });
            }
        }
        Ok(())
    }

    /// The refresh lead for tokens of `lifetime`: the configured one, or
    /// the automatic one. Never the whole lifetime, even if misconfigured,
    /// so a refresh can never be immediately due again (no loop).
    pub fn refresh_lead_for(&self, lifetime: Duration) -> Duration {
        let auto = AUTO_REFRESH_LEAD_CAP.min(lifetime / 5);
        match self.refresh_lead {
            Some(lead) if lead < lifetime => lead,
            Some(_) => auto,
            None => auto,
        }
    }

    /// The activity broadcast interval actually used.
    pub fn effective_broadcast_interval(&self) -> Duration {
        match self.idle_timeout {
            Some(idle) => self
                .activity_broadcast_interval
                .min(idle / 4)
                .max(Duration::from_millis(1)),
            None => self.activity_broadcast_interval,
        }
    }
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy::from_preset(PolicyPreset::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preset_names_round_trip() {
        for p in PolicyPreset::ALL {
            assert_eq!(p.to_string().parse::<PolicyPreset>(), Ok(p));
        }
        assert_eq!("solution_one".parse(), Ok(PolicyPreset::SolutionOne));
        let err = "Strict".parse::<PolicyPreset>().unwrap_err();
        assert!(
            err.to_string()
                .contains("standard, solution_one, strict, protective")
        );
    }

    #[test]
    fn protective_is_the_default() {
        assert_eq!(PolicyPreset::default(), PolicyPreset::Protective);
        assert_eq!(
            SessionPolicy::default(),
            SessionPolicy::from_preset(PolicyPreset::Protective)
        );
    }

    #[test]
    fn every_preset_is_valid() {
        for p in PolicyPreset::ALL {
            SessionPolicy::from_preset(p)
                .validate()
                .unwrap_or_else(|e| panic!("{p}: {e}"));
        }
    }

    #[test]
    fn presets_have_the_article_values() {
        let standard = SessionPolicy::from_preset(PolicyPreset::Standard);
        assert!(!standard.watch_session_end && !standard.save_drafts_before_sign_out);
        assert_eq!(standard.idle_timeout, None);

        let one = SessionPolicy::from_preset(PolicyPreset::SolutionOne);
        assert_eq!(one.min_remaining_at_load, Some(60 * MIN));
        assert_eq!(one.min_remaining_on_return, Some(60 * MIN));
        assert_eq!(one.return_idle_gap, 10 * MIN);

        let strict = SessionPolicy::from_preset(PolicyPreset::Strict);
        assert_eq!(strict.idle_timeout, Some(15 * MIN));
        assert_eq!(strict.idle_warning_lead, Some(2 * MIN));
        assert_eq!(strict.min_remaining_at_load, Some(24 * HOUR));

        let ours = SessionPolicy::from_preset(PolicyPreset::Protective);
        assert_eq!(ours.session_end_warning_leads, vec![15 * MIN, 2 * MIN]);
        assert!(ours.reauth_in_place && ours.autosave && ours.save_drafts_before_sign_out);
        assert_eq!(ours.idle_timeout, None);
    }

    #[test]
    fn auto_refresh_lead_is_a_fifth_capped_at_five_minutes() {
        let p = SessionPolicy::default();
        assert_eq!(p.refresh_lead_for(60 * MIN), 5 * MIN);
        assert_eq!(p.refresh_lead_for(10 * SEC), 2 * SEC);
        assert_eq!(p.refresh_lead_for(10 * MIN), 2 * MIN);
    }

    #[test]
    fn a_configured_lead_not_shorter_than_the_lifetime_falls_back_to_auto() {
        let p = SessionPolicy {
            refresh_lead: Some(10 * MIN),
            ..SessionPolicy::default()
        };
        assert_eq!(p.refresh_lead_for(60 * MIN), 10 * MIN);
        assert_eq!(p.refresh_lead_for(10 * SEC), 2 * SEC);
    }

    #[test]
    fn overrides_apply_and_can_switch_knobs_off() {
        let p = SessionPolicy::from_preset(PolicyPreset::Strict)
            .with_overrides(&PolicyOverrides {
                idle_timeout: Some(Some(30 * MIN)),
                idle_warning_lead: Some(None),
                autosave: Some(true),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(p.idle_timeout, Some(30 * MIN));
        assert_eq!(p.idle_warning_lead, None);
        assert!(p.autosave);
        assert_eq!(p.min_remaining_at_load, Some(24 * HOUR));
    }

    #[test]
    fn warning_lead_longer_than_idle_timeout_is_rejected_naming_the_knob() {
        let err = SessionPolicy::from_preset(PolicyPreset::Strict)
            .with_overrides(&PolicyOverrides {
                idle_warning_lead: Some(Some(20 * MIN)),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(
            err,
            PolicyError::IdleWarningNotShorterThanIdleTimeout {
                lead: 20 * MIN,
                idle_timeout: 15 * MIN
            }
        );
        let msg = err.to_string();
        assert!(
            msg.contains("idle_warning_lead") && msg.contains("20 min") && msg.contains("15 min"),
            "{msg}"
        );
    }

    #[test]
    fn zero_durations_are_rejected() {
        let cases: Vec<(PolicyOverrides, &str)> = vec![
            (
                PolicyOverrides {
                    idle_timeout: Some(Some(Duration::ZERO)),
                    ..Default::default()
                },
                "idle_timeout",
            ),
            (
                PolicyOverrides {
                    refresh_lead: Some(Some(Duration::ZERO)),
                    ..Default::default()
                },
                "refresh_lead",
            ),
            (
                PolicyOverrides {
                    retry_backoff_base: Some(Duration::ZERO),
                    ..Default::default()
                },
                "retry_backoff_base",
            ),
            (
                PolicyOverrides {
                    session_end_warning_leads: Some(vec![MIN, Duration::ZERO]),
                    ..Default::default()
                },
                "session_end_warning_leads",
            ),
            (
                PolicyOverrides {
                    return_idle_gap: Some(Duration::ZERO),
                    ..Default::default()
                },
                "return_idle_gap",
            ),
        ];
        for (o, knob) in cases {
            let err = SessionPolicy::default().with_overrides(&o).unwrap_err();
            assert_eq!(err, PolicyError::ZeroDuration { knob });
            assert!(err.to_string().contains(knob));
        }
    }

    #[test]
    fn idle_warning_without_idle_timeout_is_rejected() {
        let err = SessionPolicy::default()
            .with_overrides(&PolicyOverrides {
                idle_warning_lead: Some(Some(MIN)),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(err, PolicyError::IdleWarningWithoutIdleTimeout);
    }

    #[test]
    fn backoff_cap_below_base_is_rejected() {
        let err = SessionPolicy::default()
            .with_overrides(&PolicyOverrides {
                retry_backoff_base: Some(MIN),
                retry_backoff_cap: Some(SEC),
                ..Default::default()
            })
            .unwrap_err();
        assert!(matches!(err, PolicyError::BackoffCapBelowBase { .. }));
    }

    #[test]
    fn blind_baseline_cannot_use_session_end_knobs() {
        let err = SessionPolicy::from_preset(PolicyPreset::Protective)
            .with_overrides(&PolicyOverrides {
                watch_session_end: Some(false),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(
            err,
            PolicyError::RequiresWatchingSessionEnd {
                knob: "session_end_warning_leads"
            }
        );
    }

    #[test]
    fn broadcast_interval_is_clamped_to_short_idle_timeouts() {
        let p = SessionPolicy::from_preset(PolicyPreset::Strict)
            .with_overrides(&PolicyOverrides {
                idle_timeout: Some(Some(8 * SEC)),
                idle_warning_lead: Some(Some(2 * SEC)),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(p.effective_broadcast_interval(), 2 * SEC);
        assert_eq!(
            SessionPolicy::default().effective_broadcast_interval(),
            15 * SEC
        );
    }

    #[test]
    fn human_durations() {
        assert_eq!(human(15 * MIN), "15 min");
        assert_eq!(human(2 * HOUR), "2 h");
        assert_eq!(human(Duration::from_millis(250)), "250 ms");
        assert_eq!(human(90 * SEC), "90 s");
    }
}
