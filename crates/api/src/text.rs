//! `Text`: a JSON string and nothing else. poem-openapi's `String` also takes numbers and
//! booleans (`5` becomes `"5"`); request bodies use `Text` so a wrong type is refused as such.

use std::borrow::Cow;

use poem_openapi::registry::{MetaSchema, MetaSchemaRef};
use poem_openapi::types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type};
use serde_json::Value;

/// Any string.
pub type Text = Checked<Plain>;

/// See [`Text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plain;

impl TextRule for Plain {
    fn name() -> String {
        "string".into()
    }

    fn schema() -> MetaSchema {
        MetaSchema::new("string")
    }
}

/// What a checked string field's schema documents: its choices, or its shape.
pub trait TextRule: std::fmt::Debug + Clone + PartialEq + Eq + Send + Sync + 'static {
    /// The schema's name (unique per rule).
    fn name() -> String;
    fn schema() -> MetaSchema;
}

/// A JSON string whose schema documents a rule (the choices of a keyword, a non-blank name),
/// so that a client generator and a fuzzer know what is accepted. Any string parses: the
/// service checks the value and answers 422 naming the field, as for every other rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked<R: TextRule>(pub String, std::marker::PhantomData<R>);

/// A string field with a fixed set of values.
pub type Keyword<R> = Checked<R>;
/// A name of at most `MAX` characters, not blank.
pub type NonBlank<const MAX: usize> = Checked<NonBlankRule<MAX>>;

impl<R: TextRule> Checked<R> {
    pub fn new(value: String) -> Self {
        Checked(value, std::marker::PhantomData)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An optional field as the optional `String` the service takes.
    pub fn into_option(t: Option<Self>) -> Option<String> {
        t.map(|t| t.0)
    }
}

impl<R: TextRule> Type for Checked<R> {
    const IS_REQUIRED: bool = true;
    type RawValueType = String;
    type RawElementValueType = String;

    fn name() -> Cow<'static, str> {
        R::name().into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(R::schema()))
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(&self.0)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(std::iter::once(&self.0))
    }
}

impl<R: TextRule> ParseFromJSON for Checked<R> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(s)) => Ok(Checked(s, std::marker::PhantomData)),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl<R: TextRule> ToJSON for Checked<R> {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

/// An IANA time zone name the server knows (`Europe/Paris`).
pub type TimeZoneName = Checked<TimeZones>;

/// See [`TimeZoneName`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeZones;

impl TextRule for TimeZones {
    fn name() -> String {
        "string(time-zone)".into()
    }

    fn schema() -> MetaSchema {
        MetaSchema {
            enum_items: switchboard_core::schedule::zone_names()
                .map(|z| Value::String(z.to_owned()))
                .collect(),
            ..MetaSchema::new("string")
        }
    }
}

/// See [`NonBlank`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonBlankRule<const MAX: usize>;

impl<const MAX: usize> TextRule for NonBlankRule<MAX> {
    fn name() -> String {
        format!("string(name,{MAX})")
    }

    /// As the service checks a name: 1 to `MAX` characters once trimmed, at least one not
    /// white space, no control characters but tab and line feed.
    fn schema() -> MetaSchema {
        const ALLOWED: &str = r"[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]";
        const SHOWN: &str = r"[^\s\u0000-\u001f\u007f-\u009f]";
        MetaSchema {
            min_length: Some(1),
            max_length: Some(MAX),
            pattern: Some(format!("^{ALLOWED}*{SHOWN}{ALLOWED}*$")),
            ..MetaSchema::new("string")
        }
    }
}

/// Declares a keyword rule: a marker type and its values (the schema's `enum`).
macro_rules! keywords {
    ($(#[$doc:meta])* $name:ident: $($value:literal),+) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name;
        impl TextRule for $name {
            fn name() -> String {
                format!("string({})", [$($value),+].join("|"))
            }
            fn schema() -> MetaSchema {
                MetaSchema {
                    enum_items: vec![$(Value::String($value.to_owned())),+],
                    ..MetaSchema::new("string")
                }
            }
        }
    };
}

keywords!(
    /// An agent's availability.
    Availabilities: "available", "away", "offline"
);
keywords!(
    /// A user's role.
    Roles: "owner", "admin", "agent"
);
keywords!(
    /// A plan.
    Plans: "select", "prime"
);
keywords!(
    /// How a live-chat request is routed.
    RoutingModes: "round_robin", "agent", "custom_rules", "team"
);
keywords!(
    /// What a capture card asks for.
    CaptureFields: "first_name", "last_name", "email", "job_title", "company", "phone"
);
keywords!(
    /// A day of the week.
    Weekdays: "mon", "tue", "wed", "thu", "fri", "sat", "sun"
);
