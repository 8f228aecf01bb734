//! Token and password values: the session core's [`Secret`], so a token read
//! from Cognito is the same value the core persists and shares, and no
//! `Debug` output anywhere can print one.

pub use crate::session::Secret;
