//! Choosing a password: the new password twice and the pool's rules as a
//! live checklist (with screen-reader text), shared by the first sign-in
//! (NEW_PASSWORD_REQUIRED) and the forgotten-password reset.

use leptos::prelude::*;

use crate::config::PasswordPolicy;

/// What the form needs to know about the typed passwords.
#[derive(Clone, Copy)]
pub struct NewPasswordInput {
    pub new_password: RwSignal<String>,
    pub confirm: RwSignal<String>,
    /// The rules the typed password does not meet yet.
    pub unmet: Memo<Vec<String>>,
    /// Set after a first submit, so the fields only complain from then on.
    pub attempted: RwSignal<bool>,
}

impl NewPasswordInput {
    pub fn new(policy: &PasswordPolicy) -> Self {
        let new_password = RwSignal::new(String::new());
        let policy = policy.clone();
        Self {
            new_password,
            confirm: RwSignal::new(String::new()),
            unmet: Memo::new(move |_| new_password.with(|text| policy.unmet(text))),
            attempted: RwSignal::new(false),
        }
    }

    /// The two typed passwords differ (once the second one is typed).
    pub fn mismatch(&self) -> bool {
        self.confirm
            .with(|c| !c.is_empty() && self.new_password.with(|p| p != c))
    }

    /// Why the passwords cannot be sent yet, in words for the form.
    pub fn problem(&self) -> Option<&'static str> {
        if !self.unmet.get_untracked().is_empty() {
            Some("The new password does not follow all of the rules below yet.")
        } else if self.new_password.get_untracked() != self.confirm.get_untracked() {
            Some("The two passwords differ; type the same new password twice.")
        } else {
            None
        }
    }
}

/// The two password fields and the rules checklist. `error_id` is the id
/// of the form's error area, which the fields are described by.
#[component]
pub fn NewPasswordFields(
    input: NewPasswordInput,
    policy: PasswordPolicy,
    error_id: &'static str,
) -> impl IntoView {
    let NewPasswordInput {
        new_password,
        confirm,
        unmet,
        attempted,
    } = input;
    let rule_items = policy
        .rules()
        .into_iter()
        .map(|rule| {
            let met = {
                let rule = rule.clone();
                Memo::new(move |_| unmet.with(|missing| !missing.contains(&rule)))
            };
            view! {
                <li class:met=move || met.get()>
                    <span class="rule-state" aria-hidden="true">{move || if met.get() { "✓ " } else { "• " }}</span>
                    {rule}
                    <span class="visually-hidden">{move || if met.get() { " (met)" } else { " (not yet)" }}</span>
                </li>
            }
        })
        .collect_view();
    let described = format!("password-rules {error_id}");
    view! {
        <label for="new-password">"New password"</label>
        <input id="new-password" name="new-password" type="password" autocomplete="new-password" required
            prop:value=move || new_password.get() on:input=move |event| new_password.set(event_target_value(&event))
            aria-invalid=move || (attempted.get() && !unmet.with(Vec::is_empty)).to_string()
            aria-describedby=described/>
        <ul class="password-rules" id="password-rules" aria-label="Password rules">{rule_items}</ul>
        <label for="confirm-password">"Type it again"</label>
        <input id="confirm-password" name="confirm-password" type="password" autocomplete="new-password" required
            prop:value=move || confirm.get() on:input=move |event| confirm.set(event_target_value(&event))
            aria-invalid=move || input.mismatch().to_string()
            aria-describedby=error_id/>
        {move || input.mismatch().then(|| view! { <p class="field-hint">"The two passwords differ."</p> })}
    }
}
