//! Canned responses (SPEC §12.3): a shortcut an agent types after `/`, and a text with
//! variables the inbox fills in from the chat (`{visitor.first_name}`, `{visitor.email}`,
//! `{agent.display_name}`…). Rules only: what a shortcut may be, which variables exist, and how
//! a text is filled.

use crate::error::{ValidationError, bounded_text};

/// The longest shortcut.
pub const MAX_SHORTCUT_CHARS: usize = 32;
/// The longest text (a message's length).
pub const MAX_TEXT_CHARS: usize = 4000;

/// The variables a text may use, as written between braces.
pub const VARIABLES: [&str; 6] = [
    "visitor.first_name",
    "visitor.last_name",
    "visitor.name",
    "visitor.email",
    "visitor.company",
    "agent.display_name",
];

/// Whose a canned response is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every agent of the tenant sees it; admins manage it.
    Tenant,
    /// One user's own.
    Personal,
}

impl std::str::FromStr for Scope {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "tenant" => Ok(Scope::Tenant),
            "personal" => Ok(Scope::Personal),
            _ => Err(ValidationError::new(
                "scope",
                "must be \"tenant\" or \"personal\"",
            )),
        }
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Scope::Tenant => "tenant",
            Scope::Personal => "personal",
        })
    }
}

/// What a shortcut looks like: 1 to 32 ASCII letters, digits, `-` or `_`, after an optional
/// `/` (how the agent calls it, dropped). The API documents this very pattern.
pub const SHORTCUT_PATTERN: &str = "^/?[A-Za-z0-9_-]{1,32}$";

/// A shortcut (see [`SHORTCUT_PATTERN`]), kept in lower case.
pub fn parse_shortcut(raw: &str) -> Result<String, ValidationError> {
    let value = raw.strip_prefix('/').unwrap_or(raw);
    let len = value.chars().count();
    if len == 0 || len > MAX_SHORTCUT_CHARS {
        return Err(ValidationError::new(
            "shortcut",
            format!("must be 1 to {MAX_SHORTCUT_CHARS} characters"),
        ));
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(ValidationError::new(
            "shortcut",
            "may hold only letters a-z, digits, - and _ (no spaces)",
        ));
    }
    Ok(value.to_ascii_lowercase())
}

/// A text: 1 to 4,000 characters whose `{visitor.…}` and `{agent.…}` variables all exist.
pub fn parse_text(raw: &str) -> Result<String, ValidationError> {
    let value = bounded_text("text", raw, 1, MAX_TEXT_CHARS)?;
    for name in variables_in(&value) {
        if (name.starts_with("visitor.") || name.starts_with("agent."))
            && !VARIABLES.contains(&name)
        {
            return Err(ValidationError::new(
                "text",
                format!(
                    "{{{name}}} is not a variable; use one of {}",
                    VARIABLES
                        .iter()
                        .map(|v| format!("{{{v}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    Ok(value)
}

/// The names written between braces, in order.
fn variables_in(text: &str) -> impl Iterator<Item = &str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.trim()))
}

/// Fills a text's variables with `value(name)`; a variable without a value becomes empty
/// (its surrounding text stays), anything else in braces is kept as written.
pub fn fill(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.split_once('}') {
            Some((name, tail)) if VARIABLES.contains(&name.trim()) => {
                out.push_str(&value(name.trim()).unwrap_or_default());
                rest = tail;
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_single_words_in_lower_case() {
        assert_eq!(parse_shortcut("/Hello").as_deref(), Ok("hello"));
        assert_eq!(
            parse_shortcut("price-list_2").as_deref(),
            Ok("price-list_2")
        );
        for bad in [
            "",
            "/",
            " a",
            "two words",
            "a/b",
            "x<y",
            "ça",
            &"a".repeat(33),
        ] {
            assert_eq!(
                parse_shortcut(bad).unwrap_err().field,
                "shortcut",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn texts_name_only_known_variables() {
        assert!(parse_text("Hi {visitor.first_name}, I am {agent.display_name}.").is_ok());
        assert!(parse_text("A set {1, 2} is fine, and so is {weird").is_ok());
        let e = parse_text("Hi {visitor.firstname}").unwrap_err();
        assert_eq!(e.field, "text");
        assert!(
            e.message.contains("{visitor.firstname} is not a variable"),
            "{e}"
        );
        assert!(parse_text("  ").is_err());
    }

    #[test]
    fn filling_replaces_known_variables_and_keeps_the_rest() {
        let value = |name: &str| match name {
            "visitor.first_name" => Some("Léa".to_owned()),
            "agent.display_name" => Some("Bo".to_owned()),
            _ => None,
        };
        assert_eq!(
            fill(
                "Hi {visitor.first_name}, {agent.display_name} here {visitor.email}!",
                value
            ),
            "Hi Léa, Bo here !"
        );
        assert_eq!(
            fill("{x} {1,2} {visitor.first_name", value),
            "{x} {1,2} {visitor.first_name"
        );
    }
}
