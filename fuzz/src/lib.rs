//! What the fuzz targets share: serde_json's reading of a text kept in
//! document order (so member order and repeated names can be compared with
//! the app's reader), and the strings a text holds.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A JSON value as serde_json reads it, members in document order and
/// repeated names kept.
#[derive(Clone, Debug, PartialEq)]
pub enum Ordered {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    String(String),
    Array(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OrderedVisitor)
    }
}

struct OrderedVisitor;

impl<'de> Visitor<'de> for OrderedVisitor {
    type Value = Ordered;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Ordered, E> {
        Ok(Ordered::Null)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Ordered, E> {
        Ok(Ordered::Bool(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Ordered, E> {
        Ok(Ordered::U64(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Ordered, E> {
        Ok(Ordered::I64(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Ordered, E> {
        Ok(Ordered::F64(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Ordered, E> {
        Ok(Ordered::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Ordered, E> {
        Ok(Ordered::String(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Ordered::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
        let mut members = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Ordered>()? {
            members.push((key, value));
        }
        Ok(Ordered::Object(members))
    }
}

/// serde_json's reading of `text`, in document order.
pub fn serde_read(text: &str) -> Result<Ordered, serde_json::Error> {
    serde_json::from_str(text)
}

/// serde_json's reading of a text the app's reader accepted: `None` only
/// for the one refusal that is a deliberate difference (a number too large
/// for an `f64`, see the `json_vs_serde` target); any other refusal is a
/// disagreement and panics.
pub fn serde_read_accepted(text: &str) -> Option<Ordered> {
    match serde_read(text) {
        Ok(value) => Some(value),
        Err(error) if error.to_string().contains("number out of range") => None,
        Err(error) => panic!("serde_json refuses what the app's reader accepts: {error}"),
    }
}

impl Ordered {
    /// Whether some object in this value names a member twice.
    pub fn repeats_a_name(&self) -> bool {
        match self {
            Ordered::Array(items) => items.iter().any(Ordered::repeats_a_name),
            Ordered::Object(members) => {
                members
                    .iter()
                    .enumerate()
                    .any(|(i, (key, _))| members[..i].iter().any(|(other, _)| other == key))
                    || members.iter().any(|(_, value)| value.repeats_a_name())
            }
            _ => false,
        }
    }

    /// Every string in this value, member names included.
    pub fn strings(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_strings(&mut out);
        out
    }

    fn collect_strings<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Ordered::String(text) => out.push(text),
            Ordered::Array(items) => items.iter().for_each(|item| item.collect_strings(out)),
            Ordered::Object(members) => {
                for (key, value) in members {
                    out.push(key);
                    value.collect_strings(out);
                }
            }
            _ => {}
        }
    }
}

/// Strings longer than an error message's excerpt (80 characters) found in
/// any of `texts` read as JSON (strings nested in JSON strings included):
/// none of them may appear whole in a message shown to the user.
pub fn long_strings(texts: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending: Vec<String> = texts.iter().map(|text| (*text).to_owned()).collect();
    let mut rounds = 0;
    while let Some(text) = pending.pop() {
        rounds += 1;
        if rounds > 64 {
            break;
        }
        if let Ok(value) = serde_read(&text) {
            for string in value.strings() {
                if string.chars().count() > 80 {
                    out.push(string.to_owned());
                }
                pending.push(string.to_owned());
            }
        }
    }
    out
}

/// Splits `text` at the first line break: the first line and the rest.
pub fn first_line(text: &str) -> (&str, &str) {
    text.split_once('\n').unwrap_or((text, ""))
}
