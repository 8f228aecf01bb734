//! A token value that never shows up in logs.
//!
//! Session state is printed with `{:?}` in panics, test failures and the
//! driver's console logging; a bearer token in any of those is a credential
//! leak. `Secret` keeps the value but prints only its length.

use std::fmt;

use crate::json::{FromJson, Json, JsonError, ToJson};

/// An opaque credential (JWT or refresh token). The core never parses it.
///
/// It is written as the plain string on purpose: the driver persists token
/// sets to storage and shares them with other tabs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential (or a password the user typed).
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The raw value, for the one place that needs it (an HTTP header or a
    /// request body). Named so that it stands out in review.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Its length in bytes (what `Debug` shows).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it is empty (an empty form field).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl FromJson for Secret {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        String::from_json(value).map(Secret)
    }
}

impl ToJson for Secret {
    fn to_json(&self) -> Json {
        self.0.to_json()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<redacted, {} bytes>)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_the_value() {
        let s = Secret::new("eyJhbGciOiJSUzI1NiJ9.super-secret-payload");
        let printed = format!("{s:?}");
        assert_eq!(printed, "Secret(<redacted, 41 bytes>)");
        assert!(!printed.contains("super-secret"));
        let pretty = format!("{s:#?}");
        assert!(!pretty.contains("super-secret"));
    }

    #[test]
    fn expose_returns_the_value() {
        let s = Secret::new("abc");
        assert_eq!(s.expose(), "abc");
        assert_eq!(s.len(), 3);
        assert!(!s.is_empty());
    }
}
