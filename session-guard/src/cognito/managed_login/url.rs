//! The little URL handling managed login needs: percent-encoding of query
//! values (RFC 3986) and lenient, panic-free parsing of a query string.

/// `value` with every byte outside RFC 3986's unreserved set encoded.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `name=value&...` with each value encoded.
pub fn encode_query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode_component(name), encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Decodes `%XX` escapes and `+` (a space in form encoding). A broken
/// escape is kept as written; bytes that are not UTF-8 become U+FFFD.
pub fn decode_component(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// The query's parameters, decoded, in order (a leading `?` is skipped).
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_component(name), decode_component(value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_but_unreserved() {
        assert_eq!(encode_component("openid email"), "openid%20email");
        assert_eq!(
            encode_component("https://app.example/x?a=1&b"),
            "https%3A%2F%2Fapp.example%2Fx%3Fa%3D1%26b"
        );
        assert_eq!(encode_component("aZ09-._~"), "aZ09-._~");
        assert_eq!(encode_component("é"), "%C3%A9");
    }

    #[test]
    fn decoding_round_trips_and_tolerates_broken_escapes() {
        for value in ["openid email", "a&b=c", "é ü", "%", "100%"] {
            assert_eq!(decode_component(&encode_component(value)), value);
        }
        assert_eq!(decode_component("a+b"), "a b");
        assert_eq!(decode_component("%"), "%");
        assert_eq!(decode_component("%4"), "%4");
        assert_eq!(decode_component("%zz"), "%zz");
        assert_eq!(decode_component("%FF"), "\u{FFFD}");
    }

    #[test]
    fn parses_a_query_in_order() {
        assert_eq!(
            parse_query("?code=abc&state=x%20y&empty=&flag"),
            vec![
                ("code".into(), "abc".into()),
                ("state".into(), "x y".into()),
                ("empty".into(), String::new()),
                ("flag".into(), String::new()),
            ]
        );
        assert!(parse_query("").is_empty());
        assert!(parse_query("?").is_empty());
    }
}
