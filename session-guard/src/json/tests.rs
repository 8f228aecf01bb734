use super::*;
use proptest::prelude::*;

fn syntax(text: &str) -> (&'static str, u32, u32) {
    match parse(text) {
        Err(JsonError {
            problem: Problem::Syntax { what, line, column },
            ..
        }) => (what, line, column),
        other => panic!("{text:?} parsed as {other:?}"),
    }
}

#[test]
fn reads_every_kind_of_value() {
    let value = parse(
        r#" {"a": [1, -2, 3.5, 1e3, true, false, null], "b": {"c": "d\n\u00e9\ud83d\ude00"}} "#,
    )
    .expect("valid JSON");
    let object = value.as_object().expect("an object");
    let a = object.get("a").and_then(Json::as_array).expect("an array");
    assert_eq!(a[0].as_u64(), Some(1));
    assert_eq!(a[1].as_i64(), Some(-2));
    assert_eq!(a[1].as_u64(), None);
    assert_eq!(a[2], Json::Number(Number::Other("3.5".into())));
    assert_eq!(a[3], Json::Number(Number::Other("1e3".into())));
    assert_eq!(a[4].as_bool(), Some(true));
    assert!(a[6].is_null());
    let b = object
        .get("b")
        .and_then(Json::as_object)
        .expect("an object");
    assert_eq!(
        b.get("c").and_then(Json::as_str),
        Some("d\n\u{e9}\u{1f600}")
    );
}

#[test]
fn whole_numbers_are_exact_to_their_limits() {
    assert_eq!(
        parse("18446744073709551615").unwrap().as_u64(),
        Some(u64::MAX)
    );
    assert_eq!(
        parse("-9223372036854775808").unwrap().as_i64(),
        Some(i64::MIN)
    );
    assert_eq!(
        parse("18446744073709551616").unwrap(),
        Json::Number(Number::Other("18446744073709551616".into()))
    );
    assert_eq!(parse("-0").unwrap().as_u64(), Some(0));
    assert_eq!(parse("0").unwrap().as_u64(), Some(0));
}

#[test]
fn numbers_beyond_a_double_are_kept_as_written_not_refused() {
    // serde_json refuses these ("number out of range"); the reader keeps the
    // text, and nothing that reads a number as a date or a count accepts it.
    for text in ["1e400", "-1e400", "123456789e999"] {
        let value = parse(text).unwrap();
        assert_eq!(value, Json::Number(Number::Other(text.into())), "{text}");
        assert_eq!(value.as_u64(), None);
        assert_eq!(value.as_i64(), None);
    }
}

#[test]
fn refuses_what_is_not_strict_json_and_says_where() {
    assert_eq!(syntax(""), ("unexpected end of the text", 1, 1));
    assert_eq!(
        syntax("{\n  \"a\": 1,\n}"),
        ("expected a key in quotes", 3, 1)
    );
    assert_eq!(syntax("[1, 2,]"), ("expected a JSON value", 1, 7));
    assert_eq!(syntax("{\"a\": 1, \"a\": 2}"), ("a key given twice", 1, 10));
    assert_eq!(syntax("01"), ("a number with a leading zero", 1, 1));
    assert_eq!(syntax("1."), ("expected a digit after `.`", 1, 3));
    assert_eq!(syntax("-"), ("expected a digit", 1, 2));
    assert_eq!(syntax("1e"), ("expected a digit in the exponent", 1, 3));
    assert_eq!(
        syntax("\"a\u{1}\""),
        ("a control character in a string", 1, 3)
    );
    assert_eq!(syntax(r#""\ud800""#).0, "a lone surrogate in \\u escapes");
    assert_eq!(syntax(r#""\udc00""#).0, "a lone surrogate in \\u escapes");
    assert_eq!(syntax(r#""\x""#), ("an unknown escape in a string", 1, 3));
    assert_eq!(
        syntax("\"abc"),
        ("a string without its closing quote", 1, 5)
    );
    assert_eq!(
        syntax("true false"),
        ("unexpected text after the JSON value", 1, 6)
    );
    assert_eq!(syntax("// note\n{}"), ("expected a JSON value", 1, 1));
    assert_eq!(syntax("tru"), ("expected a JSON value", 1, 1));
    assert_eq!(syntax("{\"é\": x}"), ("expected a JSON value", 1, 7));
}

#[test]
fn nesting_is_limited_without_exhausting_the_stack() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(parse(&deep(MAX_DEPTH)).is_ok());
    assert_eq!(syntax(&deep(MAX_DEPTH + 1)).0, "nested too deeply");
    assert_eq!(syntax(&"{\"a\":".repeat(100_000)).0, "nested too deeply");
}

#[test]
fn writes_compact_json_that_reads_back() {
    let value = Json::object(vec![
        (
            "text",
            "quote \" backslash \\ newline \n tab \t bell \u{7} é 😀".to_json(),
        ),
        ("whole", 18_446_744_073_709_551_615u64.to_json()),
        ("negative", (-42i64).to_json()),
        ("flag", true.to_json()),
        ("nothing", None::<String>.to_json()),
        ("list", vec![1u64, 2].to_json()),
    ]);
    let text = to_string(&value);
    assert_eq!(
        text,
        r#"{"text":"quote \" backslash \\ newline \n tab \t bell \u0007 é 😀","whole":18446744073709551615,"negative":-42,"flag":true,"nothing":null,"list":[1,2]}"#
    );
    assert_eq!(parse(&text).unwrap(), value);
}

#[test]
fn fields_name_themselves_in_errors() {
    let value = parse(r#"{"cognito": {"region": 5, "keys": [{"n": "a"}, {"n": 1}]}}"#).unwrap();
    let cognito = value
        .as_object()
        .unwrap()
        .get("cognito")
        .unwrap()
        .as_object()
        .unwrap();
    let region = cognito
        .field::<String>("region")
        .unwrap_err()
        .within("cognito");
    assert_eq!(region.to_string(), "cognito.region is not a string");
    let missing = cognito
        .field::<String>("client_id")
        .unwrap_err()
        .within("cognito");
    assert_eq!(missing.to_string(), "cognito.client_id is missing");
    assert_eq!(cognito.field::<Option<String>>("client_id"), Ok(None));
    assert_eq!(cognito.field_or_default::<u64>("client_id"), Ok(0));

    struct Key;
    impl FromJson for Key {
        fn from_json(value: &Json) -> Result<Self, JsonError> {
            value.object_or_err()?.field("n").map(|_: String| Key)
        }
    }
    let keys = cognito
        .field::<Vec<Key>>("keys")
        .map(|keys| keys.len())
        .unwrap_err();
    assert_eq!(keys.to_string(), "keys[1].n is not a string");
    assert_eq!(cognito.unknown_key(&["region", "keys"]), None);
    assert_eq!(cognito.unknown_key(&["region"]), Some("keys"));
}

#[test]
fn enum_variants_read_and_write_as_serde_does() {
    assert_eq!(
        parse(r#""Idle""#).unwrap().as_tagged(),
        Some(("Idle", None))
    );
    let tagged = Json::tagged("Refreshed", 5u64.to_json());
    assert_eq!(to_string(&tagged), r#"{"Refreshed":5}"#);
    assert_eq!(
        tagged.as_tagged(),
        Some(("Refreshed", Some(&5u64.to_json())))
    );
    assert_eq!(parse(r#"{"a": 1, "b": 2}"#).unwrap().as_tagged(), None);
}

#[test]
fn debug_output_never_shows_strings() {
    let value = parse(r#"{"id_token": "eyJhbGciOi.secret.part", "exp": 5}"#).unwrap();
    let shown = format!("{value:?}");
    assert!(!shown.contains("eyJ"), "{shown}");
    assert!(
        shown.contains("exp") && shown.contains("<string of 22 bytes>"),
        "{shown}"
    );
}

fn arbitrary_json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<u64>().prop_map(|n| n.to_json()),
        any::<i64>().prop_map(|n| n.to_json()),
        any::<String>().prop_map(Json::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|members| Json::Object(Object(members.into_iter().collect()))),
        ]
    })
}

proptest! {
    #[test]
    fn parsing_arbitrary_text_never_panics(text in any::<String>()) {
        let _ = parse(&text);
    }

    #[test]
    fn parsing_json_like_text_never_panics(text in "[\\[\\]{}\",:0-9eE+\\-.\\\\u tnrfalsd]{0,64}") {
        let _ = parse(&text);
    }

    #[test]
    fn what_is_written_reads_back_the_same(value in arbitrary_json()) {
        prop_assert_eq!(parse(&to_string(&value)).unwrap(), value);
    }
}
