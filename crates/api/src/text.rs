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

/// A character the service takes in free text: no control characters but tab and line feed.
const ALLOWED: &str = r"[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]";

/// Free text of at most `MAX` characters, possibly empty, without control characters.
pub type Bounded<const MAX: usize> = Checked<BoundedRule<MAX>>;

/// See [`Bounded`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundedRule<const MAX: usize>;

impl<const MAX: usize> TextRule for BoundedRule<MAX> {
    fn name() -> String {
        format!("string(text,{MAX})")
    }

    fn schema() -> MetaSchema {
        MetaSchema {
            max_length: Some(MAX),
            pattern: Some(format!("^{ALLOWED}*$")),
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
    /// What an API key may do.
    Scopes: "read", "write", "admin"
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
keywords!(
    /// Whose a canned response is.
    CannedScopes: "tenant", "personal"
);
keywords!(
    /// Whom a routing rule offers the chat to.
    TargetKinds: "agent", "team"
);

/// Declares a rule on a string's shape: a pattern and its length bounds in characters. The
/// pattern is written in the common part of the regular-expression dialects clients use
/// (ECMA-262, Python), and the service checks exactly the same rule.
macro_rules! shaped {
    ($(#[$doc:meta])* $name:ident($label:literal): $pattern:expr, $min:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name;
        impl TextRule for $name {
            fn name() -> String {
                concat!("string(", $label, ")").into()
            }
            fn schema() -> MetaSchema {
                let pattern: Option<&str> = $pattern;
                MetaSchema {
                    pattern: pattern.map(str::to_owned),
                    min_length: $min,
                    max_length: $max,
                    ..MetaSchema::new("string")
                }
            }
        }
    };
}

shaped!(
    /// A time of day, `HH:MM` from 00:00 to 23:59.
    TimeOfDay("time-of-day"): Some(switchboard_core::schedule::TIME_OF_DAY_PATTERN), None, None
);
shaped!(
    /// The end of an interval, `HH:MM` from 00:01 to 24:00.
    EndOfInterval("end-of-interval"): Some(switchboard_core::schedule::END_OF_INTERVAL_PATTERN), None, None
);
shaped!(
    /// A canned response's shortcut: 1 to 32 letters, digits, `-` or `_`, after an optional `/`.
    Shortcut("shortcut"): Some(switchboard_core::canned::SHORTCUT_PATTERN), None, None
);
shaped!(
    /// A date, `YYYY-MM-DD`.
    Date("date"): Some(switchboard_core::schedule::DATE_PATTERN), None, None
);
shaped!(
    /// A new password: 10 to 256 characters, spaces included.
    NewPassword("password"): None,
    Some(switchboard_core::user::MIN_PASSWORD_CHARS),
    Some(switchboard_core::user::MAX_PASSWORD_CHARS)
);
shaped!(
    /// A card's id: 1 to 64 letters, digits, `-` and `_`.
    CardId("card-id"): Some(switchboard_core::dialogue::CARD_ID_PATTERN), None, None
);
