//! What tests and the benchmark read: counters and performance marks.

use super::*;

/// Counters the tests and benchmarks read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DriverStats {
    /// Refreshes this tab sent to the provider.
    pub provider_refreshes: u32,
    /// Refreshes this tab skipped because storage already had newer tokens.
    pub adopted_from_storage: u32,
    /// Inputs fed to the session core.
    pub inputs: u32,
    /// Token-carrying messages from other tabs refused by verification.
    pub refused_claims: u32,
    /// Writes of the session to storage that failed (quota, disabled).
    pub storage_failures: u32,
}

impl SessionDriver {
    pub(super) fn bump(&self, change: impl FnOnce(&mut DriverStats)) {
        let mut stats = self.inner.stats.get();
        change(&mut stats);
        self.inner.stats.set(stats);
    }
}

/// Where the idle policy stood before an input: with the events the input
/// produced, it tells whether the idle warning appeared or the idle sign-out
/// happened, and how late after its deadline (performance marks that the
/// benchmark reads).
pub(super) struct IdleProgress {
    deadline: Option<Millis>,
    warned: bool,
}

impl IdleProgress {
    pub(super) fn of(machine: &SessionMachine) -> Self {
        Self {
            deadline: machine.idle_deadline(),
            warned: machine
                .current_warning()
                .is_some_and(|warning| warning.kind == WarningKind::Idle),
        }
    }

    /// Marks what `events` did to the idle policy, at local instant `now`.
    pub(super) fn mark(&self, events: &[SessionEvent], policy: &SessionPolicy, now: Millis) {
        let Some(deadline) = self.deadline else {
            return;
        };
        for event in events {
            match event {
                SessionEvent::WarningShown(warning) | SessionEvent::WarningChanged(warning)
                    if warning.kind == WarningKind::Idle && !self.warned =>
                {
                    if let Some(lead) = policy.idle_warning_lead {
                        mark_deadline(IDLE_WARNING_MARK, warning.deadline.minus(lead).0, now.0);
                    }
                }
                SessionEvent::SignedOut(SignOutReason::Idle) => {
                    mark_deadline(IDLE_SIGN_OUT_MARK, deadline.0, now.0);
                }
                _ => {}
            }
        }
    }
}
