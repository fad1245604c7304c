#![forbid(unsafe_code)]
//! Reaching people and systems outside Switchboard. For now: webhooks — where a tenant may
//! point them (http(s) only, never the server's own network unless the deployment allows
//! it), how deliveries are signed, and sending one.

pub mod push;
pub mod webhook;
