//! Form errors shown beside their fields, built from the service's errors.

use std::collections::HashMap;

use switchboard_i18n::Texts;
use switchboard_service::ServiceError;

/// What a form says when its user made too many attempts (a rate limit).
pub fn wait_message(wait: std::time::Duration, tx: Texts) -> String {
    tx.t1("form-wait", "seconds", wait.as_secs().max(1))
}

#[derive(Debug, Default)]
pub struct FormErrors {
    fields: HashMap<String, String>,
    /// An error not tied to one field (a permission refused, a failure on our side).
    pub general: Option<String>,
}

impl FormErrors {
    /// The message for `field`, or "" when it has none (templates test `is_empty`).
    pub fn of(&self, field: &str) -> &str {
        self.fields.get(field).map(String::as_str).unwrap_or("")
    }

    /// The message of the first field whose name starts with `prefix` (list items are named
    /// `field[i]`), or "".
    pub fn first_with_prefix(&self, prefix: &str) -> &str {
        self.fields
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .min_by(|a, b| a.0.cmp(b.0))
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_none()
    }

    /// Puts a message beside `field` (a check the form itself makes).
    pub fn add(&mut self, field: &str, message: String) {
        self.fields.insert(field.to_owned(), message);
    }

    pub fn general(message: impl Into<String>) -> Self {
        Self {
            general: Some(message.into()),
            ..Self::default()
        }
    }

    /// Maps a service error to messages in the reader's language. Field names of the API
    /// (`admin.email`) are used as they are; forms name their inputs the same way. The
    /// service's own words for a refusal (the API's problem details) stay English.
    pub fn from_service(err: ServiceError, tx: Texts) -> Self {
        let mut errors = Self::default();
        match err {
            ServiceError::Validation(v) => {
                let message = format!("{} {}", humanize(&v.field), v.message);
                errors.fields.insert(v.field, message);
            }
            ServiceError::Conflict { field, message } => {
                errors.fields.insert(field, capitalize(&message));
            }
            ServiceError::NotFound => errors.general = Some(tx.t("form-gone")),
            ServiceError::Unauthorized(m)
            | ServiceError::Forbidden(m)
            | ServiceError::OtpRequired(m)
            | ServiceError::TwoFactorRequired(m) => {
                errors.general = Some(capitalize(m));
            }
            ServiceError::RateLimited(wait) => errors.general = Some(wait_message(wait, tx)),
            ServiceError::Unavailable(e) => {
                tracing::warn!(error = %e, "a dependency is unavailable");
                errors.general = Some(tx.t("form-unavailable"));
            }
            ServiceError::Internal(e) => {
                tracing::error!(error = %e, "internal error in the console");
                errors.general = Some(tx.t("form-internal"));
            }
        }
        if errors.fields.len() == 1 && errors.general.is_none() {
            errors.general = Some(tx.t("form-correct-below"));
        }
        errors
    }
}

fn humanize(field: &str) -> String {
    let last = field.rsplit('.').next().unwrap_or(field);
    capitalize(&last.replace('_', " "))
}

pub(crate) fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::ValidationError;

    #[test]
    fn a_validation_error_lands_beside_its_field() {
        let errors = FormErrors::from_service(
            ValidationError::new("admin.email", "must be an email address").into(),
            Texts::default(),
        );
        assert_eq!(errors.of("admin.email"), "Email must be an email address");
        assert_eq!(errors.of("slug"), "");
        assert!(errors.general.is_some());
    }
}
