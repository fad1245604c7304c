#![forbid(unsafe_code)]
//! Wiring of the `switchboard` binary: configuration, telemetry and the HTTP application.
//! A library too, so that tests start the very same application on a random port.

pub mod app;
pub mod config;
pub mod metrics;
pub mod telemetry;
