//! Typed identifiers. Every id is a UUID (v7 when we mint it, so ids sort by creation time and
//! serve as pagination cursors); the newtype keeps a team id from being passed where a user id is due.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// A tenant: the account of one company; all its data is scoped by this id.
    TenantId
);
id_type!(
    /// A user of a tenant (owner, admin or agent).
    UserId
);
id_type!(
    /// A team of agents inside one tenant.
    TeamId
);
id_type!(
    /// A tenant API key.
    ApiKeyId
);
id_type!(
    /// An entry of a tenant's audit log.
    AuditEntryId
);
id_type!(
    /// A platform operator (the only cross-tenant role).
    OperatorId
);
