//! The pool's password rules, as `config.json` states them.
//!
//! An unauthenticated browser cannot read a user pool's password policy
//! (DescribeUserPool needs AWS credentials), so the page that asks a new user
//! to choose a password takes the rules from the configuration, explains them
//! and checks them before sending. Cognito checks again and its refusal is
//! shown as well, so a configuration that is out of date cannot let a weak
//! password through; it can only make the hints less useful.

/// Cognito's password rules; the default is a new pool's default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// The shortest password allowed, in characters.
    pub min_length: usize,
    /// Whether a lower-case letter is required.
    pub require_lowercase: bool,
    /// Whether an upper-case letter is required.
    pub require_uppercase: bool,
    /// Whether a digit is required.
    pub require_numbers: bool,
    /// Whether one of [`COGNITO_SYMBOLS`] is required.
    pub require_symbols: bool,
}

/// The characters Cognito counts as symbols (plus the space, not at either end).
pub const COGNITO_SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-";

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_length: 8,
            require_lowercase: true,
            require_uppercase: true,
            require_numbers: true,
            require_symbols: true,
        }
    }
}

impl PasswordPolicy {
    /// The rules in words, one per line of the page.
    pub fn rules(&self) -> Vec<String> {
        let mut rules = vec![format!("At least {} characters", self.min_length)];
        let mut push = |on: bool, text: &str| {
            if on {
                rules.push(text.to_owned());
            }
        };
        push(self.require_lowercase, "A lower-case letter (a–z)");
        push(self.require_uppercase, "An upper-case letter (A–Z)");
        push(self.require_numbers, "A number (0–9)");
        push(
            self.require_symbols,
            "A symbol such as ! @ # $ % ^ & * - _ + = ?",
        );
        rules
    }

    /// What `password` still lacks, in the words of [`Self::rules`]; empty when it passes.
    pub fn unmet(&self, password: &str) -> Vec<String> {
        let has = |test: fn(char) -> bool| password.chars().any(test);
        let trimmed = password.trim_matches(' ');
        let has_symbol = COGNITO_SYMBOLS
            .chars()
            .any(|symbol| password.contains(symbol))
            || trimmed.contains(' ');
        let checks = [
            (password.chars().count() >= self.min_length, true),
            (has(|c| c.is_ascii_lowercase()), self.require_lowercase),
            (has(|c| c.is_ascii_uppercase()), self.require_uppercase),
            (has(|c| c.is_ascii_digit()), self.require_numbers),
            (has_symbol, self.require_symbols),
        ];
        let mut checks = checks.iter().filter(|(_, required)| *required);
        self.rules()
            .into_iter()
            .filter(|_| checks.next().is_some_and(|(met, _)| !met))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_a_new_pools_policy() {
        let policy = PasswordPolicy::default();
        assert!(policy.unmet("Demo-Passw0rd!").is_empty());
        assert_eq!(
            policy.unmet("short"),
            vec![
                "At least 8 characters",
                "An upper-case letter (A–Z)",
                "A number (0–9)",
                "A symbol such as ! @ # $ % ^ & * - _ + = ?"
            ]
        );
        assert_eq!(
            policy.unmet("lower case 1A"),
            Vec::<String>::new(),
            "an inner space is a symbol"
        );
        assert_eq!(policy.unmet(" Abcdefg1 ").len(), 1, "outer spaces are not");
    }

    #[test]
    fn switched_off_rules_are_neither_shown_nor_checked() {
        let policy = PasswordPolicy {
            min_length: 12,
            require_lowercase: true,
            require_uppercase: false,
            require_numbers: false,
            require_symbols: false,
        };
        assert_eq!(
            policy.rules(),
            vec!["At least 12 characters", "A lower-case letter (a–z)"]
        );
        assert_eq!(policy.unmet("abcdefghijk"), vec!["At least 12 characters"]);
        assert!(policy.unmet("abcdefghijkl").is_empty());
        assert_eq!(
            policy.unmet("ABCDEFGHIJKL"),
            vec!["A lower-case letter (a–z)"]
        );
    }
}
