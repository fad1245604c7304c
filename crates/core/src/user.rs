//! Users of a tenant (SPEC §3): role, email, display name and password rules.

use std::fmt;
use std::str::FromStr;

use crate::ValidationError;
use crate::error::bounded_text;

/// A user's role in their tenant. Owners and admins run the tenant; agents only chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Owner,
    Admin,
    Agent,
}

impl Role {
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Agent => "agent",
        }
    }

    /// Owners and admins may manage the tenant.
    pub const fn is_admin(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        raw.parse()
            .map_err(|_| ValidationError::new("role", "must be one of: owner, admin, agent"))
    }
}

impl FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "owner" => Ok(Role::Owner),
            "admin" => Ok(Role::Admin),
            "agent" => Ok(Role::Agent),
            _ => Err(()),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An email address, trimmed and lowercased so that uniqueness per tenant is case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let value = raw.trim().to_lowercase();
        let valid = value.len() <= 254
            && email_address::EmailAddress::parse_with_options(
                &value,
                email_address::Options::default()
                    .without_display_text()
                    .without_domain_literal(),
            )
            .is_ok()
            && value
                .rsplit_once('@')
                .is_some_and(|(_, domain)| !domain.is_empty());
        if !valid {
            return Err(ValidationError::new(
                "email",
                "must be an email address like name@example.com",
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name shown to colleagues and, for agents, to visitors.
pub fn parse_display_name(raw: &str) -> Result<String, ValidationError> {
    bounded_text("display_name", raw, 1, 100)
}

/// Minimum password length; long passphrases are welcome up to the maximum, which only
/// bounds the cost of hashing.
pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A password as typed: checked for length, never trimmed (spaces are characters too).
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let len = raw.chars().count();
        if len < MIN_PASSWORD_CHARS {
            return Err(ValidationError::new(
                "password",
                format!("must be at least {MIN_PASSWORD_CHARS} characters"),
            ));
        }
        if len > MAX_PASSWORD_CHARS {
            return Err(ValidationError::new(
                "password",
                format!("must be at most {MAX_PASSWORD_CHARS} characters"),
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(
            EmailAddress::parse("  Ana@Example.COM ").unwrap().as_str(),
            "ana@example.com"
        );
    }

    #[test]
    fn invalid_emails_are_refused_on_the_email_field() {
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "Ana <ana@example.com>",
            "a b@example.com",
        ] {
            let err = EmailAddress::parse(bad).unwrap_err();
            assert_eq!(err.field, "email", "{bad:?}");
        }
    }

    #[test]
    fn only_owner_and_admin_are_admins() {
        assert!(Role::Owner.is_admin());
        assert!(Role::Admin.is_admin());
        assert!(!Role::Agent.is_admin());
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn passwords_have_a_minimum_length_and_are_redacted_in_debug() {
        assert!(Password::parse("short").is_err());
        let p = Password::parse("correct horse battery").unwrap();
        assert_eq!(format!("{p:?}"), "Password(<redacted>)");
    }

    proptest! {
        #[test]
        fn email_parse_never_panics(raw in ".*") {
            let _ = EmailAddress::parse(&raw);
        }

        #[test]
        fn a_parsed_email_parses_again_to_itself(local in "[a-z0-9.]{1,20}", domain in "[a-z]{1,10}\\.[a-z]{2,5}") {
            prop_assume!(!local.starts_with('.') && !local.ends_with('.') && !local.contains(".."));
            let email = EmailAddress::parse(&format!("{local}@{domain}")).unwrap();
            prop_assert_eq!(EmailAddress::parse(email.as_str()).unwrap(), email);
        }
    }
}
