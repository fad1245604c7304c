//! The one validation error every parser returns: which field is at fault and why,
//! in words a person can act on.

use std::fmt;

/// A value was refused at the edge. `field` names the input field (as the client wrote it),
/// `message` says what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub field: String,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The same error reported under another field name, e.g. `admin.email` for a nested form.
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ValidationError {}

/// Trims `raw` and checks its length in characters (not bytes) lies in `min..=max`
/// and that it holds no control characters.
pub fn bounded_text(
    field: &str,
    raw: &str,
    min: usize,
    max: usize,
) -> Result<String, ValidationError> {
    let value = raw.trim();
    let len = value.chars().count();
    if len < min {
        return Err(if min == 1 {
            ValidationError::new(field, "must not be empty")
        } else {
            ValidationError::new(field, format!("must be at least {min} characters"))
        });
    }
    if len > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_text_trims_and_counts_characters_not_bytes() {
        assert_eq!(bounded_text("f", "  été  ", 1, 3).as_deref(), Ok("été"));
        assert!(bounded_text("f", "   ", 1, 3).is_err());
        assert!(bounded_text("f", "abcd", 1, 3).is_err());
        assert!(bounded_text("f", "a\u{0}b", 1, 3).is_err());
    }
}
