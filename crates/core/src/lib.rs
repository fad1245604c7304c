#![forbid(unsafe_code)]
//! Domain types and pure rules of Switchboard. No I/O and no async runtime live here:
//! every value that crosses the edge of the system is parsed into one of these types first,
//! so an invalid email, slug or setting cannot exist further in.

pub mod attachment;
pub mod avatar;
pub mod brand;
pub mod canned;
pub mod dialogue;
pub mod error;
pub mod ids;
pub mod lifecycle;
pub mod locale;
pub mod origin;
pub mod page;
pub mod routing;
pub mod schedule;
pub mod scope;
pub mod settings;
pub mod tenant;
pub mod user;

pub use error::ValidationError;
pub use ids::{ApiKeyId, AuditEntryId, OperatorId, TeamId, TenantId, UserId};
pub use lifecycle::{
    Availability, AvailabilityReason, ConversationStatus, DeliveryStatus, EndReason, MessageKind,
    OfferClosed, OfferState, RequestStatus, Sender, WidgetStatus,
};
pub use locale::Locale;
