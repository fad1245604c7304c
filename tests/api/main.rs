//! End-to-end tests of the Switchboard server: real HTTP on a random port, a real database
//! per test (SQLite or PostgreSQL, see `helpers::backend`). A file per subject; what the
//! files share is in `helpers/`, and no test file imports another.

// Test code: a failed unwrap is a failed test, which is what we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_keys;
mod at_rest;
mod auth;
mod bad_input;
mod binary;
mod browser;
mod cascade;
mod chat;
mod cluster;
mod concurrent_writes;
mod consistency;
mod console;
mod console_admin;
mod console_browser;
mod csrf;
mod designer;
mod designer_browser;
mod dialogues;
mod drills;
mod geoip;
mod hardening;
mod helpers;
mod idempotency;
mod isolation;
mod journey;
mod live;
mod locales;
mod lockout;
mod mail;
mod no_dead_end;
mod openapi;
mod outbound;
mod outbox;
mod password_reset;
mod platform;
mod preferences;
mod privacy;
mod processes;
mod push;
mod push_browser;
mod queue;
mod rate_limits;
mod redis_trouble;
mod require_two_factor;
mod revocation;
mod routing;
mod schedules;
mod sessions;
mod settings;
mod supervision;
mod teams;
mod transfer;
mod two_factor;
mod users;
mod webhooks;
mod widget_browser;
mod widget_safety;
mod widget_storage;
mod workspace;
mod workspace_browser;
