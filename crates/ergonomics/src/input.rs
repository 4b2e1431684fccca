//! JSON parsing with errors that name the offending field.
//!
//! Parsing happens in two steps: the text is first read as a generic JSON value (so a syntax
//! error is reported with its line and column), then that value is turned into the typed input
//! through `serde_path_to_error`, which records the path of the field being read when an error
//! happens. Field-level helpers below produce the human wording ("expected a number, got a
//! string", "angle 200 is outside -180..180"); this module only adds the path in front.
//!
//! Unknown fields are rejected (`deny_unknown_fields` on every input struct) so that a typo such as
//! `flexon_deg` is named instead of silently falling back to a default.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Why an input document was rejected. `Display` is always one line and names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// The text is not valid JSON.
    #[error("malformed JSON at line {line} column {column}: {message}")]
    MalformedJson {
        /// 1-based line of the syntax error.
        line: usize,
        /// 1-based column of the syntax error.
        column: usize,
        /// serde_json's description of the problem.
        message: String,
    },
    /// A required field is absent (`field` is its full dotted path).
    #[error("missing field `{field}`")]
    MissingField {
        /// Dotted path of the missing field, e.g. `neck.flexion_deg`.
        field: String,
    },
    /// A field that the contract does not define (usually a typo).
    #[error("unknown field `{field}`; expected one of {expected}")]
    UnknownField {
        /// Dotted path of the unexpected field.
        field: String,
        /// The field names allowed at that place, comma-separated.
        expected: String,
    },
    /// A field is present but its value is wrong (type, range or name).
    #[error("{}: {reason}", describe_place(field))]
    InvalidValue {
        /// Dotted path of the field; empty for the document itself.
        field: String,
        /// What is wrong, in plain words.
        reason: String,
    },
}

impl InputError {
    /// The dotted path of the field at fault (empty when the whole document is at fault or the
    /// JSON is malformed).
    pub fn field(&self) -> &str {
        match self {
            InputError::MalformedJson { .. } => "",
            InputError::MissingField { field }
            | InputError::UnknownField { field, .. }
            | InputError::InvalidValue { field, .. } => field,
        }
    }
}

fn describe_place(field: &str) -> String {
    if field.is_empty() {
        "input".to_owned()
    } else {
        format!("field `{field}`")
    }
}

/// Parse `json` into `T`, converting every failure into an [`InputError`] naming the field.
pub(crate) fn parse<T: DeserializeOwned>(json: &str) -> Result<T, InputError> {
    let value: Value = serde_json::from_str(json).map_err(|e| InputError::MalformedJson {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    if !value.is_object() {
        return Err(InputError::InvalidValue {
            field: String::new(),
            reason: format!("expected an object, got {}", kind_of(&value)),
        });
    }
    // serde's derived structs also accept arrays (fields by position); the contract has no
    // arrays, so an array where an object belongs is reported rather than silently accepted.
    let first_array = first_array_path(&value, "");
    let array_error = |field: String| InputError::InvalidValue {
        field,
        reason: "expected an object, got an array".to_owned(),
    };
    match serde_path_to_error::deserialize(value) {
        Ok(parsed) => match first_array {
            Some(field) => Err(array_error(field)),
            None => Ok(parsed),
        },
        Err(e) => {
            let mut path = Vec::new();
            let mut inside_array = false;
            for seg in e.path().iter() {
                match seg {
                    serde_path_to_error::Segment::Map { key } => path.push(key.clone()),
                    serde_path_to_error::Segment::Enum { variant } => path.push(variant.clone()),
                    serde_path_to_error::Segment::Seq { .. } => {
                        inside_array = true;
                        break;
                    }
                    serde_path_to_error::Segment::Unknown => {}
                }
            }
            let path = path.join(".");
            let msg = e.into_inner().to_string();
            if inside_array || msg.starts_with("invalid length") {
                Err(array_error(path))
            } else {
                Err(classify(&path, &msg))
            }
        }
    }
}

/// Dotted path of the first array in `v` (in document order), if any.
fn first_array_path(v: &Value, here: &str) -> Option<String> {
    match v {
        Value::Array(_) => Some(here.to_owned()),
        Value::Object(map) => map.iter().find_map(|(k, child)| {
            let path = if here.is_empty() {
                k.clone()
            } else {
                format!("{here}.{k}")
            };
            first_array_path(child, &path)
        }),
        _ => None,
    }
}

/// serde_json appends " at line L column C" to messages; we report the position separately.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() || path == name || path.ends_with(&format!(".{name}")) {
        // serde_path_to_error may or may not already include the offending key.
        if path.is_empty() {
            name.to_owned()
        } else {
            path.to_owned()
        }
    } else {
        format!("{path}.{name}")
    }
}

/// Turn serde's message for the failure at `path` into an [`InputError`].
fn classify(path: &str, msg: &str) -> InputError {
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default();
        return InputError::MissingField {
            field: join(path, name),
        };
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or_default();
        let expected = rest
            .split_once("expected ")
            .map(|(_, e)| e.replace('`', "").replace("one of ", ""))
            .unwrap_or_else(|| "no fields here".to_owned());
        return InputError::UnknownField {
            field: join(path, name),
            expected,
        };
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        // Only reached for objects (our own helpers word scalar errors themselves).
        if let Some((got, expected)) = rest.split_once(", expected ") {
            return InputError::InvalidValue {
                field: path.to_owned(),
                reason: format!(
                    "expected {}, got {}",
                    plain_expected(expected),
                    plain_unexpected(got)
                ),
            };
        }
    }
    InputError::InvalidValue {
        field: path.to_owned(),
        reason: msg.to_owned(),
    }
}

fn plain_expected(serde_expected: &str) -> String {
    if serde_expected.starts_with("struct ") || serde_expected.contains("map") {
        "an object".to_owned()
    } else {
        serde_expected.to_owned()
    }
}

fn plain_unexpected(serde_unexpected: &str) -> &'static str {
    let s = serde_unexpected;
    if s.starts_with("string") {
        "a string"
    } else if s.starts_with("boolean") {
        "true/false"
    } else if s.starts_with("integer") || s.starts_with("floating") {
        "a number"
    } else if s.starts_with("sequence") {
        "an array"
    } else if s.starts_with("map") {
        "an object"
    } else if s.starts_with("null") || s.starts_with("unit") {
        "null"
    } else {
        "something else"
    }
}

/// The JSON kind of a value, in words for error messages.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn number<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    match Value::deserialize(d)? {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| D::Error::custom("number is not representable")),
        other => Err(D::Error::custom(format!(
            "expected a number, got {}",
            kind_of(&other)
        ))),
    }
}

/// A joint angle in degrees: a number in −180..=180.
pub(crate) fn angle<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = number(d)?;
    if (-180.0..=180.0).contains(&v) {
        Ok(v)
    } else {
        Err(D::Error::custom(format!("angle {v} is outside -180..180")))
    }
}

/// A weight in kilograms: a number ≥ 0.
pub(crate) fn kilograms<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = number(d)?;
    if v >= 0.0 {
        Ok(v)
    } else {
        Err(D::Error::custom(format!("weight {v} kg is negative")))
    }
}

/// Hours per day: a number in 0..=24.
pub(crate) fn hours_per_day<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = number(d)?;
    if v < 0.0 {
        Err(D::Error::custom(format!("{v} hours a day is negative")))
    } else if v > 24.0 {
        Err(D::Error::custom(format!("{v} hours a day is more than 24")))
    } else {
        Ok(v)
    }
}

/// Minutes at a stretch: a number in 0..=1440 (a stretch cannot be longer than a day).
pub(crate) fn minutes<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = number(d)?;
    if v < 0.0 {
        Err(D::Error::custom(format!("{v} minutes is negative")))
    } else if v > 1440.0 {
        Err(D::Error::custom(format!(
            "{v} minutes is more than a day (1440)"
        )))
    } else {
        Ok(v)
    }
}

/// A yes/no field: JSON `true` or `false` only (no strings, numbers or null).
pub(crate) fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match Value::deserialize(d)? {
        Value::Bool(b) => Ok(b),
        other => Err(D::Error::custom(format!(
            "expected true or false, got {}",
            kind_of(&other)
        ))),
    }
}

/// Define a closed set of named values (positions, patterns…) read from JSON strings, with an
/// error naming the allowed names when the value is not one of them.
macro_rules! named_values {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name used in JSON.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        #[cfg(feature = "openapi")]
        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                ::utoipa::openapi::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl ::utoipa::ToSchema for $name {}

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use ::serde::de::Error as _;
                let names = [$($text),+].join(", ");
                match ::serde_json::Value::deserialize(d)? {
                    ::serde_json::Value::String(s) => match s.as_str() {
                        $($text => Ok($name::$variant),)+
                        _ => Err(D::Error::custom(format!(
                            concat!("unknown ", $what, " {:?}; expected one of {}"), s, names
                        ))),
                    },
                    other => Err(D::Error::custom(format!(
                        concat!("expected a ", $what, " name (one of {}), got {}"),
                        names,
                        $crate::input::kind_of(&other)
                    ))),
                }
            }
        }
    };
}
pub(crate) use named_values;
