//! Ready-made, accessible components (feature `components`): the whole
//! session in one [`SessionGuard`], or its pieces (sign-in page with MFA and
//! forgotten password, expiry warning, re-authentication dialog, status bar,
//! session timeline, policy summary, authenticator settings) for an app
//! that lays them out itself. They render the session's signals and send
//! its actions; every deadline comes from the session core. Their classes
//! are styled by the optional `style/session-guard.css`.

mod authenticator_key;
mod authenticator_settings;
mod config_error;
mod forgot_password;
mod form;
mod guard;
mod mfa_step;
mod modal;
mod new_password_fields;
mod policy_view;
mod reauth_dialog;
mod session_dialogs;
mod sign_in;
mod sign_out_banner;
mod status_bar;
mod timeline;
mod warning_dialog;

pub use authenticator_key::AuthenticatorKey;
pub use authenticator_settings::AuthenticatorSettings;
pub use config_error::ConfigErrorPage;
pub use guard::{SaveWork, SessionGuard, use_sign_out_notice};
pub use mfa_step::MfaStepForm;
pub use policy_view::PolicyView;
pub use reauth_dialog::{ManagedReauth, ReauthDialog};
pub use session_dialogs::SessionDialogs;
pub use sign_in::SignInPage;
pub use sign_out_banner::{SignOutBanner, SignOutNotice};
pub use status_bar::{StatusBar, state_label};
pub use timeline::{SessionTimeline, TimelinePoints};
pub use warning_dialog::WarningDialog;
