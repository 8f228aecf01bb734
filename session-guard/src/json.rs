//! JSON for everything the app reads and writes (`config.json`, Cognito's
//! answers, tokens and key sets, storage, messages between tabs, the notes
//! API), without a generic serializer.
//!
//! Text is parsed once into a [`Json`] tree by one small parser; types read
//! themselves from it ([`FromJson`]) and write themselves to it ([`ToJson`]).
//! Nothing is compiled per type but the few lines that name its fields,
//! which keeps the WebAssembly small, and every refusal names the field it
//! is about (`cognito.region is not a string`), which keeps errors useful.
//!
//! Input from outside is a claim, not a fact: the parser refuses what is not
//! strict JSON (trailing commas, comments, lone surrogates, control
//! characters in strings, an object naming a key twice, nesting deeper than
//! [`MAX_DEPTH`]) and never panics. A tree's `Debug` shows its shape, never
//! its strings, because those may be tokens.

use std::fmt;

/// How deeply arrays and objects may nest.
pub const MAX_DEPTH: usize = 128;

/// A parsed JSON value.
#[derive(Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number; read it with [`Json::as_u64`] or [`Json::as_i64`].
    Number(Number),
    /// A string, unescaped.
    String(String),
    /// An array, in document order.
    Array(Vec<Json>),
    /// An object; read its fields with [`Object::field`].
    Object(Object),
}

/// A JSON number: whole numbers exactly, anything else as written.
#[derive(Clone, PartialEq, Eq)]
pub enum Number {
    /// A whole number from 0 to `u64::MAX`.
    Whole(u64),
    /// A whole number below 0, down to `i64::MIN`.
    Negative(i64),
    /// A fraction, an exponent, or a whole number out of range: the text.
    Other(Box<str>),
}

/// A JSON object: its members in document order, each key once.
#[derive(Clone, PartialEq, Default)]
pub struct Object(Vec<(String, Json)>);

/// Why a JSON text or one of its fields was refused.
#[derive(Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Dotted path of the field (`cognito.region`, `keys[0].n`); empty for
    /// the document itself.
    pub path: String,
    /// What is wrong there.
    pub problem: Problem,
}

/// What is wrong at [`JsonError::path`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The text is not JSON.
    Syntax {
        /// What the parser expected or found.
        what: &'static str,
        /// Line of the error, from 1.
        line: u32,
        /// Column of the error in bytes, from 1.
        column: u32,
    },
    /// A required field is absent.
    Missing,
    /// The value has the wrong kind: "a string", "a whole number", …
    NotA(&'static str),
    /// The value has the right kind but is not acceptable.
    Invalid(&'static str),
}

impl JsonError {
    /// A required field is absent.
    pub fn missing(key: &str) -> Self {
        Self {
            path: key.to_owned(),
            problem: Problem::Missing,
        }
    }

    /// The value is not of the kind `expected` ("a string").
    pub fn not_a(expected: &'static str) -> Self {
        Self {
            path: String::new(),
            problem: Problem::NotA(expected),
        }
    }

    /// The value is of the right kind but not acceptable.
    pub fn invalid(why: &'static str) -> Self {
        Self {
            path: String::new(),
            problem: Problem::Invalid(why),
        }
    }

    /// The same error, as seen from the object or array holding it.
    pub fn within(mut self, key: &str) -> Self {
        self.path = if self.path.is_empty() {
            key.to_owned()
        } else if self.path.starts_with('[') {
            format!("{key}{}", self.path)
        } else {
            format!("{key}.{}", self.path)
        };
        self
    }

    fn at_index(self, index: usize) -> Self {
        self.within(&format!("[{index}]"))
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "the value"
        } else {
            &self.path
        };
        match &self.problem {
            Problem::Syntax { what, line, column } => {
                write!(f, "{what} at line {line} column {column}")
            }
            Problem::Missing => write!(f, "{path} is missing"),
            Problem::NotA(kind) => write!(f, "{path} is not {kind}"),
            Problem::Invalid(why) => write!(f, "{path}: {why}"),
        }
    }
}

impl fmt::Debug for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for JsonError {}

/// Parses a JSON text.
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        pos: 0,
    };
    parser.skip_space();
    let value = parser.value(0)?;
    parser.skip_space();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error("unexpected text after the JSON value"));
    }
    Ok(value)
}

/// Parses a JSON text and reads a `T` from it.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, JsonError> {
    T::from_json(&parse(text)?)
}

/// Writes `value` as compact JSON text.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.to_json().write(&mut out);
    out
}

impl Json {
    /// An object from its members.
    pub fn object(members: Vec<(&str, Json)>) -> Json {
        Json::Object(Object(
            members
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value))
                .collect(),
        ))
    }

    /// An enum variant as serde writes it by default: `{"Name": content}`.
    pub fn tagged(name: &str, content: Json) -> Json {
        Json::object(vec![(name, content)])
    }

    /// An enum variant as serde writes it by default: `"Name"` for a
    /// variant without data (`None` content), `{"Name": content}` otherwise.
    pub fn as_tagged(&self) -> Option<(&str, Option<&Json>)> {
        match self {
            Json::String(name) => Some((name, None)),
            Json::Object(Object(members)) if members.len() == 1 => {
                Some((&members[0].0, Some(&members[0].1)))
            }
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Json::Object(object) => Some(object),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The text, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    /// The value, if this is `true` or `false`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// A whole number from 0 up; `None` for anything else (a fraction, a
    /// negative number, a string, `null`, …).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(Number::Whole(value)) => Some(*value),
            _ => None,
        }
    }

    /// A whole number that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Number(Number::Whole(value)) => i64::try_from(*value).ok(),
            Json::Number(Number::Negative(value)) => Some(*value),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// The object this value must be.
    pub fn object_or_err(&self) -> Result<&Object, JsonError> {
        self.as_object().ok_or(JsonError::not_a("an object"))
    }

    /// Appends this value as compact JSON text.
    pub fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(true) => out.push_str("true"),
            Json::Bool(false) => out.push_str("false"),
            Json::Number(Number::Whole(value)) => push_u64(out, *value),
            Json::Number(Number::Negative(value)) => {
                out.push('-');
                push_u64(out, value.unsigned_abs());
            }
            Json::Number(Number::Other(text)) => out.push_str(text),
            Json::String(text) => write_string(out, text),
            Json::Array(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(Object(members)) => {
                out.push('{');
                for (index, (key, value)) in members.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    write_string(out, key);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// The shape only: strings are shown by length, never by content.
impl fmt::Debug for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(value) => write!(f, "{value}"),
            Json::Number(Number::Whole(value)) => write!(f, "{value}"),
            Json::Number(Number::Negative(value)) => write!(f, "{value}"),
            Json::Number(Number::Other(text)) => f.write_str(text),
            Json::String(text) => write!(f, "<string of {} bytes>", text.len()),
            Json::Array(items) => f.debug_list().entries(items).finish(),
            Json::Object(object) => fmt::Debug::fmt(object, f),
        }
    }
}

impl fmt::Debug for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(key, value)| (key, value)))
            .finish()
    }
}

impl Object {
    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.0
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
    }

    /// Reads field `key`. An absent field is an error unless `T` has an
    /// absent value (`Option` is `None`); errors name the field.
    pub fn field<T: FromJson>(&self, key: &str) -> Result<T, JsonError> {
        match self.get(key) {
            Some(value) => T::from_json(value).map_err(|error| error.within(key)),
            None => T::absent().ok_or_else(|| JsonError::missing(key)),
        }
    }

    /// Reads field `key`, or `T::default()` when it is absent or `null`.
    pub fn field_or_default<T: FromJson + Default>(&self, key: &str) -> Result<T, JsonError> {
        match self.get(key) {
            None | Some(Json::Null) => Ok(T::default()),
            Some(value) => T::from_json(value).map_err(|error| error.within(key)),
        }
    }

    /// The members in document order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Json)> {
        self.0.iter().map(|(key, value)| (key.as_str(), value))
    }

    /// The first member whose key is not one of `known`, if any.
    pub fn unknown_key(&self, known: &[&str]) -> Option<&str> {
        self.0
            .iter()
            .map(|(key, _)| key.as_str())
            .find(|key| !known.contains(key))
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A type read from a JSON value.
///
/// ```
/// use session_guard::json::{self, FromJson, Json, JsonError, ToJson};
///
/// struct Note {
///     title: String,
///     pinned: bool,
/// }
///
/// impl FromJson for Note {
///     fn from_json(value: &Json) -> Result<Self, JsonError> {
///         let object = value.object_or_err()?;
///         Ok(Note {
///             title: object.field("title")?,
///             pinned: object.field_or_default("pinned")?,
///         })
///     }
/// }
///
/// impl ToJson for Note {
///     fn to_json(&self) -> Json {
///         Json::object(vec![
///             ("title", self.title.to_json()),
///             ("pinned", self.pinned.to_json()),
///         ])
///     }
/// }
///
/// let note: Note = json::from_str(r#"{"title": "Groceries"}"#).unwrap();
/// assert!(!note.pinned);
/// assert_eq!(json::to_string(&note), r#"{"title":"Groceries","pinned":false}"#);
///
/// let error = json::from_str::<Note>(r#"{"title": 7}"#).err().unwrap();
/// assert_eq!(error.path, "title");
/// ```
pub trait FromJson: Sized {
    /// Reads a `Self` from `value`. Refuse with [`JsonError::not_a`] or
    /// [`JsonError::invalid`]; [`Object::field`] adds the field's name to
    /// the path of errors from nested values.
    fn from_json(value: &Json) -> Result<Self, JsonError>;

    /// The value of an absent field; `None` makes the field required.
    fn absent() -> Option<Self> {
        None
    }
}

/// A type written as a JSON value.
pub trait ToJson {
    /// The JSON value of `self`.
    fn to_json(&self) -> Json;
}

impl FromJson for Json {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        Ok(value.clone())
    }
}

impl FromJson for String {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or(JsonError::not_a("a string"))
    }
}

/// Any number, as written (a NumericDate claim is read from it later).
impl FromJson for Number {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        match value {
            Json::Number(number) => Ok(number.clone()),
            _ => Err(JsonError::not_a("a number")),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        value.as_bool().ok_or(JsonError::not_a("true or false"))
    }
}

impl FromJson for u64 {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        value
            .as_u64()
            .ok_or(JsonError::not_a("a whole number from 0 up"))
    }
}

impl FromJson for u32 {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        value
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or(JsonError::not_a("a whole number from 0 to 4294967295"))
    }
}

impl FromJson for i64 {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        value.as_i64().ok_or(JsonError::not_a("a whole number"))
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        match value {
            Json::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }

    fn absent() -> Option<Self> {
        Some(None)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let items = value.as_array().ok_or(JsonError::not_a("an array"))?;
        items
            .iter()
            .enumerate()
            .map(|(index, item)| T::from_json(item).map_err(|error| error.at_index(index)))
            .collect()
    }
}

impl ToJson for Json {
    fn to_json(&self) -> Json {
        self.clone()
    }
}

impl ToJson for str {
    fn to_json(&self) -> Json {
        Json::String(self.to_owned())
    }
}

impl ToJson for String {
    fn to_json(&self) -> Json {
        Json::String(self.clone())
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Json {
        Json::Bool(*self)
    }
}

impl ToJson for u64 {
    fn to_json(&self) -> Json {
        Json::Number(Number::Whole(*self))
    }
}

impl ToJson for u32 {
    fn to_json(&self) -> Json {
        Json::Number(Number::Whole(u64::from(*self)))
    }
}

impl ToJson for i64 {
    fn to_json(&self) -> Json {
        match u64::try_from(*self) {
            Ok(whole) => Json::Number(Number::Whole(whole)),
            Err(_) => Json::Number(Number::Negative(*self)),
        }
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Json {
        match self {
            Some(value) => value.to_json(),
            None => Json::Null,
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Json {
        Json::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Json {
        (**self).to_json()
    }
}

fn push_u64(out: &mut String, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    for &digit in &digits[start..] {
        out.push(char::from(digit));
    }
}

/// Appends `text` as a JSON string literal.
pub(crate) fn write_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(char::from(HEX[(c as usize) >> 4]));
                out.push(char::from(HEX[(c as usize) & 0xf]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, what: &'static str) -> JsonError {
        let before = &self.bytes[..self.pos.min(self.bytes.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        // Columns count characters, not bytes.
        let column = before[line_start..]
            .iter()
            .filter(|&&b| b & 0xc0 != 0x80)
            .count()
            + 1;
        JsonError {
            path: String::new(),
            problem: Problem::Syntax {
                what,
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
            },
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn literal(&mut self, word: &'static [u8], value: Json) -> Result<Json, JsonError> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a JSON value"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        match self.peek() {
            None => Err(self.error("unexpected end of the text")),
            Some(b'n') => self.literal(b"null", Json::Null),
            Some(b't') => self.literal(b"true", Json::Bool(true)),
            Some(b'f') => self.literal(b"false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => self.array(depth + 1),
            Some(b'{') => self.object(depth + 1),
            Some(_) => Err(self.error("expected a JSON value")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_space();
            items.push(self.value(depth)?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.pos += 1;
        let mut members: Vec<(String, Json)> = Vec::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(Object(members)));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a key in quotes"));
            }
            let key_at = self.pos;
            let key = self.string()?;
            if members.iter().any(|(name, _)| *name == key) {
                self.pos = key_at;
                return Err(self.error("a key given twice"));
            }
            self.skip_space();
            if self.peek() != Some(b':') {
                return Err(self.error("expected `:`"));
            }
            self.pos += 1;
            self.skip_space();
            let value = self.value(depth)?;
            members.push((key, value));
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(Object(members)));
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.error("expected four hex digits after \\u")),
            };
            value = value * 16 + u32::from(digit);
            self.pos += 1;
        }
        Ok(value)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.extend_from_slice(&self.bytes[start..self.pos]);
            match self.peek() {
                None => return Err(self.error("a string without its closing quote")),
                Some(b'"') => {
                    self.pos += 1;
                    // The input is a `str` and escapes push whole characters.
                    return String::from_utf8(out).map_err(|_| self.error("invalid UTF-8"));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escaped = self.peek();
                    self.pos += 1;
                    let c = match escaped {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let first = self.hex4()?;
                            let code = if (0xd800..0xdc00).contains(&first) {
                                if !self.bytes[self.pos..].starts_with(b"\\u") {
                                    return Err(self.error("a lone surrogate in \\u escapes"));
                                }
                                self.pos += 2;
                                let second = self.hex4()?;
                                if !(0xdc00..0xe000).contains(&second) {
                                    return Err(self.error("a lone surrogate in \\u escapes"));
                                }
                                0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
                            } else {
                                first
                            };
                            char::from_u32(code)
                                .ok_or_else(|| self.error("a lone surrogate in \\u escapes"))?
                        }
                        _ => {
                            self.pos -= 1;
                            return Err(self.error("an unknown escape in a string"));
                        }
                    };
                    let mut buffer = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
                }
                Some(_) => return Err(self.error("a control character in a string")),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let int_start = self.pos;
        match self.digits() {
            0 => return Err(self.error("expected a digit")),
            n if n > 1 && self.bytes[int_start] == b'0' => {
                self.pos = int_start;
                return Err(self.error("a number with a leading zero"));
            }
            _ => {}
        }
        let int_end = self.pos;
        let mut whole = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            whole = false;
            if self.digits() == 0 {
                return Err(self.error("expected a digit after `.`"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            whole = false;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("expected a digit in the exponent"));
            }
        }
        let text = &self.bytes[start..self.pos];
        // Digits, sign, `.` and `e` only: always ASCII.
        let text = std::str::from_utf8(text).unwrap_or_default();
        if whole {
            let mut value: u64 = 0;
            let mut fits = true;
            for &digit in &self.bytes[int_start..int_end] {
                match value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(u64::from(digit - b'0')))
                {
                    Some(next) => value = next,
                    None => {
                        fits = false;
                        break;
                    }
                }
            }
            if fits && !negative {
                return Ok(Json::Number(Number::Whole(value)));
            }
            if fits && value <= i64::MIN.unsigned_abs() {
                let negative_value = if value == i64::MIN.unsigned_abs() {
                    i64::MIN
                } else {
                    -(value as i64)
                };
                if negative_value == 0 {
                    return Ok(Json::Number(Number::Whole(0)));
                }
                return Ok(Json::Number(Number::Negative(negative_value)));
            }
        }
        Ok(Json::Number(Number::Other(text.into())))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
