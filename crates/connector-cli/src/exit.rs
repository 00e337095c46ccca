//! Exit codes, and the failure of a command: what to print on stderr and the code to exit with.

/// Exit code of a failed send.
pub const EXIT_SEND_FAILED: u8 = 1;
/// Exit code of bad usage or invalid input.
pub const EXIT_INVALID: u8 = 2;

/// A command's failure: what to print on stderr and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub exit: u8,
    /// The lines to print on stderr.
    pub message: String,
}

impl Failure {
    /// A failure of bad usage or invalid input ([`EXIT_INVALID`]).
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            exit: EXIT_INVALID,
            message: message.into(),
        }
    }
}
