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

/// Names what is wrong with a JSON document without quoting any of it.
pub(crate) fn describe_json_error(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match error.classify() {
        Category::Io => "it could not be read",
        Category::Syntax => "it is not valid JSON",
        Category::Data => "a field has the wrong type",
        Category::Eof => "it is cut short",
    };
    format!("{what} at line {} column {}", error.line(), error.column())
}
