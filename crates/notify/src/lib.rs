#![forbid(unsafe_code)]
//! Reaching people and systems outside Switchboard: webhooks (where a tenant may point them
//! — http(s) only, never the server's own network unless the deployment allows it — how
//! deliveries are signed, sending one), Web Push to agents' browsers, and email.

pub mod mail;
pub mod outbound;
pub mod push;
pub mod webhook;
