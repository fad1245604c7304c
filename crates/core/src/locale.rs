//! The languages Switchboard speaks (issue 17). The texts themselves are the catalogue's
//! (`switchboard-i18n`); here only which language, as stored and as asked for.

use crate::ValidationError;

/// A language Switchboard speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    En,
    Fr,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Fr];

    /// Its tag (`en`, `fr`), as stored, sent and put in `<html lang>`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
        }
    }

    /// The language a tag names (`fr`, `fr-CA`, `EN-gb`…), if Switchboard speaks it.
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "fr" => Some(Locale::Fr),
            _ => None,
        }
    }

    /// A value a client sent for `field`: exactly `en` or `fr`.
    pub fn from_field(field: &str, value: &str) -> Result<Locale, ValidationError> {
        Locale::ALL
            .into_iter()
            .find(|l| l.as_str() == value)
            .ok_or_else(|| ValidationError::new(field, "must be \"en\" or \"fr\""))
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_loosely_and_fields_strictly() {
        assert_eq!(Locale::parse("fr-CA"), Some(Locale::Fr));
        assert_eq!(Locale::parse("EN-gb"), Some(Locale::En));
        assert_eq!(Locale::parse("de"), None);
        assert_eq!(Locale::parse(""), None);
        assert_eq!(Locale::from_field("locale", "fr"), Ok(Locale::Fr));
        assert!(Locale::from_field("locale", "FR").is_err());
        assert!(Locale::from_field("locale", "de").is_err());
    }
}
