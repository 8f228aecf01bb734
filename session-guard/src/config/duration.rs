//! Human durations in `config.json` ("30d", "20m", "1h30m", "10s", "500ms").
//!
//! People configure Cognito validities in days and minutes, and test set-ups in
//! seconds; a bare number would leave the unit to guesswork, so a unit is required.

use std::time::Duration;

/// Why a duration string was refused; rendered next to the field's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("is empty; write a number with a unit, e.g. \"30d\", \"20m\" or \"10s\"")]
    Empty,
    #[error("\"{0}\" has a number without a unit; add one of ms, s, m, h, d (e.g. \"{0}s\")")]
    MissingUnit(String),
    #[error("\"{text}\" has an unknown unit \"{unit}\"; use ms, s, m, h or d")]
    UnknownUnit { text: String, unit: String },
    #[error(
        "\"{0}\" is not a duration; write a number with a unit, e.g. \"30d\", \"20m\" or \"1h30m\""
    )]
    Malformed(String),
    #[error("\"{0}\" is too long to represent")]
    Overflow(String),
}

/// Parses a human duration: one or more `<whole number><unit>` parts, units
/// `ms`, `s`, `m`, `h`, `d`, e.g. `"1h30m"`. Surrounding white space is ignored.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(DurationError::Empty);
    }
    let mut total_ms: u64 = 0;
    let mut rest = trimmed;
    while !rest.is_empty() {
        let digits_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits_end == 0 {
            return Err(DurationError::Malformed(trimmed.to_owned()));
        }
        let number: u64 = rest[..digits_end]
            .parse()
            .map_err(|_| DurationError::Overflow(trimmed.to_owned()))?;
        rest = &rest[digits_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        rest = &rest[unit_end..];
        let unit_ms: u64 = match unit {
            "" => return Err(DurationError::MissingUnit(trimmed.to_owned())),
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            other if other.chars().all(|c| c.is_ascii_alphabetic()) => {
                return Err(DurationError::UnknownUnit {
                    text: trimmed.to_owned(),
                    unit: other.to_owned(),
                });
            }
            _ => return Err(DurationError::Malformed(trimmed.to_owned())),
        };
        total_ms = number
            .checked_mul(unit_ms)
            .and_then(|ms| total_ms.checked_add(ms))
            .ok_or_else(|| DurationError::Overflow(trimmed.to_owned()))?;
    }
    Ok(Duration::from_millis(total_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_unit_and_combinations() {
        assert_eq!(parse_duration("30d"), Ok(Duration::from_secs(30 * 86_400)));
        assert_eq!(parse_duration("20m"), Ok(Duration::from_secs(1_200)));
        assert_eq!(parse_duration(" 10s "), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5_400)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
    }

    #[test]
    fn refuses_what_it_cannot_read_with_a_fix() {
        assert_eq!(parse_duration(""), Err(DurationError::Empty));
        assert_eq!(
            parse_duration("15"),
            Err(DurationError::MissingUnit("15".into()))
        );
        assert!(matches!(
            parse_duration("3w"),
            Err(DurationError::UnknownUnit { .. })
        ));
        assert!(matches!(
            parse_duration("m5"),
            Err(DurationError::Malformed(_))
        ));
        assert!(matches!(
            parse_duration("-5m"),
            Err(DurationError::Malformed(_))
        ));
        assert!(matches!(
            parse_duration("1.5h"),
            Err(DurationError::Malformed(_))
        ));
        assert!(matches!(
            parse_duration("99999999999999999999d"),
            Err(DurationError::Overflow(_))
        ));
        let message = parse_duration("15").unwrap_err().to_string();
        assert!(message.contains("\"15s\""), "{message}");
    }
}
