//! The banner on the sign-in page after a sign-out: why it happened, and
//! what was kept, so nobody wonders whether they did something wrong or
//! lost their work.

use std::time::Duration;

use leptos::prelude::*;

use crate::session::SignOutReason;

/// Why the last sign-out happened and which drafts survived it.
#[derive(Clone, Debug, PartialEq)]
pub struct SignOutNotice {
    pub reason: SignOutReason,
    /// The configured idle timeout, named in the idle message.
    pub idle_timeout: Option<Duration>,
    /// Labels of the drafts kept for this user ("Quarterly plan").
    pub kept: Vec<String>,
}

impl SignOutNotice {
    /// "You were signed out after 15 minutes without activity."
    pub fn reason_text(&self) -> String {
        self.reason.message(self.idle_timeout)
    }

    /// "Your draft of 'Quarterly plan' was saved", or `None` if nothing was kept.
    pub fn kept_text(&self) -> Option<String> {
        let quoted: Vec<String> = self.kept.iter().map(|label| format!("'{label}'")).collect();
        match quoted.as_slice() {
            [] => None,
            [one] => Some(format!("Your draft of {one} was saved")),
            [init @ .., last] => Some(format!(
                "Your drafts of {} and {last} were saved",
                init.join(", ")
            )),
        }
    }
}

/// The sign-out banner (`.sign-out-banner`, a polite status message).
#[component]
pub fn SignOutBanner(notice: SignOutNotice) -> impl IntoView {
    let tone = match notice.reason {
        SignOutReason::User | SignOutReason::SignedOutInAnotherTab => "info",
        _ => "warning",
    };
    let reason = notice.reason_text();
    let kept = notice.kept_text().map(|kept| {
        let after = if notice.kept.len() == 1 {
            "it will be back in the editor after you sign in."
        } else {
            "they will be back in the editor after you sign in."
        };
        view! { <p class="sign-out-kept">{format!("{kept}; {after}")}</p> }
    });
    view! {
        <div class=format!("sign-out-banner {tone}") role="status" data-reason=notice.reason.key()>
            <p class="sign-out-reason">{reason}</p>
            {kept}
        </div>
    }
}
