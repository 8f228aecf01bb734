//! Text that came from the network (service messages, claim values) on its way
//! into an error message.
//!
//! Such text is shown to users and may be logged, so it is cut short: a hostile
//! or broken server cannot fill the UI, and a token stuffed into a claim
//! cannot be echoed whole.

/// Longest excerpt kept, in characters.
const MAX_EXCERPT_CHARS: usize = 80;

/// `value` with control characters replaced and cut to a short excerpt.
pub(crate) fn excerpt(value: &str) -> String {
    let mut out: String = value
        .chars()
        .take(MAX_EXCERPT_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if value.chars().nth(MAX_EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}
