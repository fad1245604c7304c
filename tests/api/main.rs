//! End-to-end tests of the Switchboard server: real HTTP on a random port, a real database
//! per test (SQLite or PostgreSQL, see `helpers::backend`).

// Test code: a failed unwrap is a failed test, which is what we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_keys;
mod auth;
mod bad_input;
mod binary;
mod browser;
mod cdp;
mod chat;
mod cluster;
mod console;
mod console_admin;
mod console_browser;
mod csrf;
mod designer;
mod dialogues;
mod hardening;
mod helpers;
mod idempotency;
mod isolation;
mod journey;
mod live;
mod mail;
mod openapi;
#[path = "../support/pg.rs"]
mod pg;
mod platform;
mod preferences;
#[path = "../support/process.rs"]
mod process;
mod processes;
mod push;
mod push_browser;
mod receiver;
mod routing;
mod settings;
mod teams;
mod users;
mod webhooks;
mod ws_client;
