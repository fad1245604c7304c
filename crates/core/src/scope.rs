//! What an API key may do (SPEC §12.4): `read` (GET calls outside the admin areas), `write`
//! (read, and changes to conversations, offers and messages), `admin` (everything an admin
//! may do). A key holds one or more; `admin` includes the others, `write` includes `read`.

use crate::ValidationError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ApiScope {
    Read,
    Write,
    Admin,
}

impl ApiScope {
    pub const ALL: [ApiScope; 3] = [ApiScope::Read, ApiScope::Write, ApiScope::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            ApiScope::Read => "read",
            ApiScope::Write => "write",
            ApiScope::Admin => "admin",
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<ApiScope, ValidationError> {
        ApiScope::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or_else(|| ValidationError::new(field, "must be read, write or admin"))
    }
}

/// The API areas only an admin acts on (any method), and those an admin changes (GET is a
/// read there).
const ADMIN_ONLY: [&str; 5] = ["audit-log", "privacy", "api-keys", "webhooks", "platform"];
const ADMIN_CHANGES: [&str; 6] = [
    "users",
    "teams",
    "settings",
    "routing-rules",
    "dialogues",
    "schedules",
];

/// The scope a call needs: `path` is the request's (`/api/v1/users/…`, or `/users/…` within
/// the API's routes).
pub fn needed(method: &str, path: &str) -> ApiScope {
    let area = path
        .trim_start_matches("/api/v1")
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    let reading = matches!(method, "GET" | "HEAD" | "OPTIONS");
    if ADMIN_ONLY.contains(&area) || (!reading && ADMIN_CHANGES.contains(&area)) {
        ApiScope::Admin
    } else if reading {
        ApiScope::Read
    } else {
        ApiScope::Write
    }
}

/// Whether a key holding `scopes` may make the call.
pub fn allows(scopes: &[ApiScope], needed: ApiScope) -> bool {
    scopes.iter().any(|s| *s >= needed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scope_allows_its_calls_and_those_below() {
        use ApiScope::*;
        assert_eq!(needed("GET", "/api/v1/conversations"), Read);
        assert_eq!(needed("POST", "/api/v1/conversations/x/messages"), Write);
        assert_eq!(needed("GET", "/api/v1/users"), Read);
        assert_eq!(needed("PATCH", "/api/v1/users/x"), Admin);
        assert_eq!(needed("GET", "/api/v1/audit-log"), Admin);
        assert_eq!(needed("DELETE", "/api/v1/privacy/visitors"), Admin);
        assert_eq!(needed("PATCH", "/settings"), Admin);
        assert_eq!(needed("POST", "/offers/x/accept"), Write);
        assert!(allows(&[Read], Read));
        assert!(!allows(&[Read], Write));
        assert!(allows(&[Write], Read));
        assert!(!allows(&[Write], Admin));
        assert!(allows(&[Admin], Write));
        assert!(ApiScope::parse("scopes[0]", "root").is_err());
    }
}
