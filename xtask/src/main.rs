//! Maintainer tasks, run as `cargo xtask <task>`.
//!
//! - `cargo xtask docs`: regenerates `schemas/`, each provider crate's `README.md` and
//!   `docs/connectors.md` from the code.
//! - `cargo xtask docs --check`: fails, naming each stale or orphaned file, when any of them
//!   differs from what the code generates. CI runs it.
//! - `cargo xtask bench [--quick]`: runs the criterion benches and the load benchmark and
//!   regenerates `docs/benchmarks.md` and `docs/benchmarks.svg` from the results. Not in CI:
//!   the numbers are this machine's.
#![allow(clippy::print_stdout, reason = "a maintainer tool prints what it did")]

mod bench;
mod docs;
mod markdown;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["docs"] => report(docs::generate(false)),
        ["docs", "--check"] => report(docs::generate(true)),
        ["bench"] => report(bench::run(false)),
        ["bench", "--quick"] => report(bench::run(true)),
        _ => {
            eprintln!("usage: cargo xtask docs [--check]\n       cargo xtask bench [--quick]");
            ExitCode::from(2)
        }
    }
}

fn report(result: Result<Vec<String>, String>) -> ExitCode {
    match result {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
