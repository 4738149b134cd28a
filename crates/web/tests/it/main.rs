//! The web application through its real router (`oneshot`), on a real
//! SQLite store: who may reach what, the portal's journeys, bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin;
mod api;
mod enrol;
mod harness;
mod input;
mod live_alerts;
mod login;
mod logs;
mod matrix;
mod portal;
mod readiness;
mod session;
mod video;
