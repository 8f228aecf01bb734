//! The banner on the sign-in page after a sign-out: why it happened, and
//! what was kept, so nobody wonders whether they did something wrong or
//! lost their work.

use std::time::Duration;

use leptos::prelude::*;

use crate::session::SignOutReason;

/// Why the last sign-out happened and which drafts survived it.
#[derive(Clone, Debug, PartialEq)]
pub struct SignOutNotice {
    /// Why the session ended.
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

    /// For the sign-in page, which anyone at the computer can see: how many
    /// drafts were kept, never their titles or text (they are shown only
    /// to the user who signs in). `None` if nothing was kept.
    pub fn kept_count_text(&self) -> Option<String> {
        match self.kept.len() {
            0 => None,
            1 => Some("One unsaved draft was kept on this device".to_owned()),
            n => Some(format!("{n} unsaved drafts were kept on this device")),
        }
    }

    /// "Your draft of 'Quarterly plan' was saved", or `None` if nothing was
    /// kept. Only for the signed-in user's own screen.
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
        SignOutReason::User
        | SignOutReason::UserDeletedDrafts
        | SignOutReason::SignedOutInAnotherTab => "info",
        _ => "warning",
    };
    let reason = notice.reason_text();
    let kept = notice.kept_count_text().map(|kept| {
        let after = if notice.kept.len() == 1 {
            "it will be offered back after its owner signs in."
        } else {
            "they will be offered back after their owner signs in."
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
