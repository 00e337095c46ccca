//! The `sms-connector` binary.

use std::process::ExitCode;

fn main() -> ExitCode {
    connector_cli::cli::main(std::env::args_os())
}
