//! The `sms-connector` command, as a library so that its behaviour is testable in-process.
//!
//! | command | what it does |
//! | --- | --- |
//! | `list` | the built-in connectors |
//! | `schema <connector>` | a connector's config JSON Schema |
//! | `validate <connector> <config.json or ->` | every problem and warning in a config, or `valid`; `--strict` makes warnings errors |
//! | `send <connector> --config <file> --to <phone> ...` | sends one message, or prints it with `--dry-run` |
//! | `simulate [--host H] [--port P] [--credentials F] [--log F]` | runs the offline simulator of the three providers ([`connector_simulator`]) |
//! | `demo` | sends one code through each connector to an in-process simulator and shows it arrive |
//! | `console [--port 4000] [--config-dir DIR] [--simulator]` | a local web console: choose, configure, test and save a connector ([`console`]) |
//!
//! `<connector>` is an id (`twilio-short-message-service`) or a target (`twilio-sms`). Every
//! command takes `--json` and then answers one JSON document, failures included
//! ([`exit::Failure::to_json`]). Exit codes ([`exit`]): 0 success, 1 the send failed at the
//! provider, 2 usage error, 3 invalid config or input.
#![allow(
    clippy::print_stdout,
    reason = "a command-line tool prints its results"
)]

pub mod cli;
pub mod console;
pub mod demo;
pub mod exit;
pub mod input;
pub mod output;
pub mod send;

/// The workspace README's Rust examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
