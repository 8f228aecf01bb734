//! What is wrong with `config.json`, said so that whoever deploys the app can fix it.

use std::fmt;

/// A problem with the runtime configuration. It names the field (as a path,
/// e.g. `cognito.client_id`), what is wrong, and how to fix it; it is shown
/// on the configuration error page instead of a blank page or a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Dotted path of the offending field, or `config.json` for the whole file.
    pub field: String,
    /// What is wrong, in plain words.
    pub problem: String,
    /// What to do about it.
    pub fix: String,
}

impl ConfigError {
    /// A refusal of `field`, saying what is wrong and how to fix it.
    pub fn new(
        field: impl Into<String>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}. {}", self.field, self.problem, self.fix)
    }
}

impl std::error::Error for ConfigError {}
