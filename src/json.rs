//! Reading JSON that comes from outside (the notes server, storage)
//! leniently and cheaply: a field that is not what it should be counts as
//! absent instead of failing the whole answer, and nothing is built into a
//! generic `serde_json::Value` (whose deserializer would be linked into the
//! build for a couple of fields).

use serde::Deserializer;
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// `deserialize_with` for an `Option<u64>` field: a whole number from 0 up
/// is `Some`; anything else (a string, a negative or fractional number,
/// `null`, an object) is `None`.
pub fn whole_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    struct WholeNumber;

    impl<'de> Visitor<'de> for WholeNumber {
        type Value = Option<u64>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
            Ok(Some(value))
        }
        fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
            Ok(u64::try_from(value).ok())
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }

    deserializer.deserialize_any(WholeNumber)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Tagged {
        #[serde(default, deserialize_with = "super::whole_number")]
        n: Option<u64>,
    }

    fn read(json: &str) -> Option<u64> {
        serde_json::from_str::<Tagged>(json).expect("an object").n
    }

    #[test]
    fn only_a_whole_number_from_zero_up_counts() {
        assert_eq!(read(r#"{"n": 5}"#), Some(5));
        assert_eq!(read(r#"{"n": 0}"#), Some(0));
        assert_eq!(read(r#"{"n": 18446744073709551615}"#), Some(u64::MAX));
        for other in [
            r#"{"n": -1}"#,
            r#"{"n": 5.5}"#,
            r#"{"n": "5"}"#,
            r#"{"n": null}"#,
            r#"{"n": true}"#,
            r#"{"n": [5]}"#,
            r#"{"n": {"n": 5}}"#,
            r#"{}"#,
        ] {
            assert_eq!(read(other), None, "{other}");
        }
    }
}
