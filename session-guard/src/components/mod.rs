//! Ready-made, accessible components (feature `components`): the whole
//! session in one [`SessionGuard`], or its pieces (sign-in page with MFA and
//! forgotten password, expiry warning, re-authentication dialog, status bar,
//! session timeline, policy summary, authenticator settings) for an app
//! that lays them out itself. They render the session's signals and send
//! its actions; every deadline comes from the session core. Their classes
//! are styled by the optional `style/session-guard.css`. The MFA step and
//! the authenticator settings come with the `mfa` feature, the
//! managed-login button with `managed-login`, the timeline with `timeline`.

#[cfg(feature = "mfa")]
mod authenticator_key;
#[cfg(feature = "mfa")]
mod authenticator_settings;
mod config_error;
mod forgot_password;
mod form;
mod guard;
#[cfg(feature = "mfa")]
mod mfa_step;
mod modal;
mod new_password_fields;
mod policy_view;
mod reauth_dialog;
mod session_dialogs;
mod sign_in;
mod sign_out_banner;
mod status_bar;
#[cfg(feature = "timeline")]
mod timeline;
mod warning_dialog;

#[cfg(feature = "mfa")]
pub use authenticator_key::AuthenticatorKey;
#[cfg(feature = "mfa")]
pub use authenticator_settings::AuthenticatorSettings;
pub use config_error::ConfigErrorPage;
pub use guard::{SaveWork, SessionGuard, use_sign_out_notice};
#[cfg(feature = "mfa")]
pub use mfa_step::MfaStepForm;
pub use policy_view::PolicyView;
pub use reauth_dialog::{ManagedReauth, ReauthDialog};
pub use session_dialogs::SessionDialogs;
pub use sign_in::SignInPage;
pub use sign_out_banner::{SignOutBanner, SignOutNotice};
pub use status_bar::{StatusBar, state_label};
#[cfg(feature = "timeline")]
pub use timeline::{SessionTimeline, TimelinePoints};
pub use warning_dialog::WarningDialog;
