//! Request and response bodies of the API, one file per resource. These are not the
//! store's entities: each is converted with `From`, so the wire format can stay fixed while
//! storage changes. Request bodies deny unknown fields, so a typo is an error instead of a
//! silent no-op.

macro_rules! list_type {
    ($(#[$doc:meta])* $name:ident, $item:ty) => {
        $(#[$doc])*
        #[derive(Debug, Object)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass as `cursor` to get the next page; `null` on the last page.
            pub next_cursor: Option<String>,
        }

        impl<T: Into<$item>> From<Page<T>> for $name {
            fn from(page: Page<T>) -> Self {
                Self {
                    items: page.items.into_iter().map(Into::into).collect(),
                    next_cursor: page.next_cursor.map(|c| c.to_string()),
                }
            }
        }
    };
}

mod account;
mod api_keys;
mod audit;
mod auth;
mod canned;
mod conversations;
mod dialogues;
mod live;
mod messages;
mod privacy;
mod routing;
mod schedules;
mod settings;
mod teams;
mod tenants;
mod users;
mod webhooks;

pub use account::*;
pub use api_keys::*;
pub use audit::*;
pub use auth::*;
pub use canned::*;
pub use conversations::*;
pub use dialogues::*;
pub use live::*;
pub use messages::*;
pub use privacy::*;
pub use routing::*;
pub use schedules::*;
pub use settings::*;
pub use teams::*;
pub use tenants::*;
pub use users::*;
pub use webhooks::*;
