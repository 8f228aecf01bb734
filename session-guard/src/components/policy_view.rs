//! A small read-only settings view: the active policy preset and every knob,
//! so whoever tries the presets can see what each one does.

use std::time::Duration;

use leptos::prelude::*;

use crate::session::policy::human;
use crate::session::{PolicyPreset, SessionPolicy};

fn preset_summary(preset: PolicyPreset) -> &'static str {
    match preset {
        PolicyPreset::Standard => {
            "Refresh only: tokens are renewed, and the session's hard end comes unannounced."
        }
        PolicyPreset::SolutionOne => {
            "Do not start work near the hard end: sign out at page load or on return from idle \
             if the session ends within the minimum."
        }
        PolicyPreset::Strict => {
            "Sign out after a period without activity (with a warning to extend), and at page \
             load if the session ends within a day."
        }
        PolicyPreset::Protective => {
            "Keep working: drafts are saved continuously, warnings come before the hard end, \
             and you sign in again in place without leaving the page."
        }
    }
}

fn optional(value: Option<Duration>) -> String {
    value.map(human).unwrap_or_else(|| "off".to_owned())
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_owned()
}

/// The policy as a definition list (`#policy-view`).
#[component]
pub fn PolicyView(
    preset: PolicyPreset,
    policy: SessionPolicy,
    /// The configured refresh-token validity: the session's maximum length.
    refresh_token_validity: Duration,
) -> impl IntoView {
    let leads = if policy.session_end_warning_leads.is_empty() {
        "none".to_owned()
    } else {
        policy
            .session_end_warning_leads
            .iter()
            .map(|lead| format!("{} before", human(*lead)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rows: Vec<(&str, String)> = vec![
        (
            "Session length (refresh token validity)",
            human(refresh_token_validity),
        ),
        (
            "Refresh lead",
            policy.refresh_lead.map(human).unwrap_or_else(|| {
                "automatic (part of the token lifetime, at most 5 min)".to_owned()
            }),
        ),
        (
            "Watch the session's hard end",
            yes_no(policy.watch_session_end),
        ),
        ("Idle timeout", optional(policy.idle_timeout)),
        ("Idle warning lead", optional(policy.idle_warning_lead)),
        ("Session-end warnings", leads),
        (
            "Minimum session left at page load",
            optional(policy.min_remaining_at_load),
        ),
        (
            "Minimum session left on return",
            optional(policy.min_remaining_on_return),
        ),
        (
            "Away this long counts as a return",
            human(policy.return_idle_gap),
        ),
        ("Sign in again in place", yes_no(policy.reauth_in_place)),
        ("Autosave drafts", yes_no(policy.autosave)),
        (
            "Save drafts before a sign-out",
            yes_no(policy.save_drafts_before_sign_out),
        ),
        (
            "Retry when offline",
            format!(
                "from {} up to {}",
                human(policy.retry_backoff_base),
                human(policy.retry_backoff_cap)
            ),
        ),
        (
            "Share activity between tabs every",
            human(policy.activity_broadcast_interval),
        ),
    ];
    view! {
        <section class="policy-view" id="policy-view" aria-labelledby="policy-view-title">
            <h2 id="policy-view-title">"Session policy: " <code class="policy-preset">{preset.name()}</code></h2>
            <p class="policy-summary">{preset_summary(preset)}</p>
            <dl class="policy-knobs">
                {rows
                    .into_iter()
                    .map(|(name, value)| view! {
                        <div class="knob">
                            <dt>{name}</dt>
                            <dd>{value}</dd>
                        </div>
                    })
                    .collect_view()}
            </dl>
            <p class="policy-hint">"Choose a preset or override any knob in config.json under \"session\"."</p>
        </section>
    }
}
