//! Tenants and plans (SPEC §2): the slug a tenant logs in with, its plan and its lifetime
//! engagement limit.

use std::fmt;
use std::str::FromStr;

use crate::ValidationError;
use crate::error::bounded_text;

/// The lifetime engagement limit a new `select` tenant gets when none is given.
pub const DEFAULT_ENGAGEMENT_LIMIT: u32 = 100;

/// A tenant's plan. On `select` live chat is an evaluation feature with a lifetime limit of
/// engagements; `prime` adds team retries on expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Plan {
    Select,
    Prime,
}

impl Plan {
    pub const fn as_str(self) -> &'static str {
        match self {
            Plan::Select => "select",
            Plan::Prime => "prime",
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, ValidationError> {
        raw.parse()
            .map_err(|_| ValidationError::new(field, "must be one of: select, prime"))
    }
}

impl FromStr for Plan {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "select" => Ok(Plan::Select),
            "prime" => Ok(Plan::Prime),
            _ => Err(()),
        }
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name a tenant is addressed by at login and in URLs: 2–63 characters of lowercase
/// letters, digits and inner hyphens, like a DNS label.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let value = raw.trim();
        let ok_chars = value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !(2..=63).contains(&value.len())
            || !ok_chars
            || value.starts_with('-')
            || value.ends_with('-')
        {
            return Err(ValidationError::new(
                "slug",
                "must be 2-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen",
            ));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A tenant's display name.
pub fn parse_tenant_name(raw: &str) -> Result<String, ValidationError> {
    bounded_text("name", raw, 1, 200)
}

/// The lifetime engagement limit: `None` is unlimited. A limit must be positive and fit a
/// 32-bit counter; zero would make live chat unusable, which is what revoking the plan is for.
pub fn parse_engagement_limit(raw: Option<i64>) -> Result<Option<u32>, ValidationError> {
    match raw {
        None => Ok(None),
        Some(n) => u32::try_from(n)
            .ok()
            .filter(|n| *n >= 1)
            .map(Some)
            .ok_or_else(|| {
                ValidationError::new(
                    "engagement_limit",
                    "must be a positive whole number, or null for unlimited",
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugs_are_lowercase_dns_labels() {
        assert!(Slug::parse("acme").is_ok());
        assert!(Slug::parse("acme-2").is_ok());
        for bad in [
            "",
            "a",
            "Acme",
            "-acme",
            "acme-",
            "ac me",
            "acmé",
            &"a".repeat(64),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn plans_parse_from_their_api_names() {
        assert_eq!(Plan::parse("plan", "select"), Ok(Plan::Select));
        assert_eq!(Plan::parse("plan", "prime"), Ok(Plan::Prime));
        assert_eq!(Plan::parse("plan", "gold").unwrap_err().field, "plan");
    }

    #[test]
    fn engagement_limit_must_be_positive_or_unlimited() {
        assert_eq!(parse_engagement_limit(None), Ok(None));
        assert_eq!(parse_engagement_limit(Some(100)), Ok(Some(100)));
        assert!(parse_engagement_limit(Some(0)).is_err());
        assert!(parse_engagement_limit(Some(-1)).is_err());
        assert!(parse_engagement_limit(Some(i64::from(u32::MAX) + 1)).is_err());
    }

    proptest! {
        #[test]
        fn a_parsed_slug_round_trips(raw in "[a-z0-9][a-z0-9-]{0,61}[a-z0-9]") {
            let slug = Slug::parse(&raw).unwrap();
            prop_assert_eq!(slug.as_str(), raw.as_str());
        }

        #[test]
        fn slug_parse_never_panics(raw in ".*") {
            let _ = Slug::parse(&raw);
        }
    }
}
