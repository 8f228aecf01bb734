//! Leptos components. They render state and send inputs; no timing logic:
//! every deadline comes from the session core, and countdowns read the
//! driver's 1 Hz clock.

mod app;
mod authenticator_key;
mod authenticator_settings;
mod config_error;
mod forgot_password;
mod form;
mod mfa_step;
mod modal;
mod new_password_fields;
mod note_editor;
mod notes;
mod policy_view;
mod reauth_dialog;
mod shell;
mod sign_in;
mod sign_out_banner;
mod status_bar;
mod timeline;
mod warning_dialog;

pub use app::App;
pub use authenticator_key::AuthenticatorKey;
pub use authenticator_settings::AuthenticatorSettings;
pub use config_error::ConfigErrorPage;
pub use mfa_step::MfaStepForm;
pub use note_editor::{NoteEditor, NoteFields, SaveFuture, SaveNote, SaveOpenNote};
pub use notes::NotesWorkspace;
pub use policy_view::PolicyView;
pub use reauth_dialog::ReauthDialog;
pub use shell::SignedInShell;
pub use sign_in::SignInPage;
pub use sign_out_banner::{SignOutBanner, SignOutNotice};
pub use status_bar::{StatusBar, state_label};
pub use timeline::{SessionTimeline, TimelinePoints};
pub use warning_dialog::WarningDialog;
