//! Exit codes, and the failure of a command: its stable code, its message, the config problems
//! and warnings behind it, and the exit code.

use connector_kit::{ConfigProblem, ConfigWarning, ConnectorError};
use serde_json::{Value, json};

/// Exit code of success.
pub const EXIT_OK: u8 = 0;
/// Exit code of a send that failed at the provider (or on the way to it): rejected,
/// throttled, timed out, unreachable.
pub const EXIT_SEND_FAILED: u8 = 1;
/// Exit code of bad usage: an unknown command, flag or connector, a missing or malformed
/// argument, flags that contradict each other.
pub const EXIT_USAGE: u8 = 2;
/// Exit code of invalid config or input: a config file that cannot be read, is not JSON or is
/// not a valid config, a phone number or code the connector refuses before any request.
pub const EXIT_INVALID: u8 = 3;

/// The exit codes as `--help` and the README show them.
pub const EXIT_CODES_HELP: &str = "Exit codes: 0 success; 1 the send failed at the provider \
(rejected, throttled, timed out, unreachable); 2 usage error (unknown command, flag or \
connector, malformed argument); 3 invalid config or input (unreadable or malformed config \
file, invalid config, a phone number or code the connector refuses).";

/// A command's failure (boxed, so that results stay small; its fields are those of
/// [`FailureReport`]).
#[derive(Debug)]
pub struct Failure(Box<FailureReport>);

impl std::ops::Deref for Failure {
    type Target = FailureReport;

    fn deref(&self) -> &FailureReport {
        &self.0
    }
}

impl std::ops::DerefMut for Failure {
    fn deref_mut(&mut self) -> &mut FailureReport {
        &mut self.0
    }
}

/// What a failure says.
#[derive(Debug)]
pub struct FailureReport {
    /// The exit code.
    pub exit: u8,
    /// A stable code: a connector error code (`invalid_config`, `rate_limit_exceeded`, ...),
    /// or one of the command's own (`usage`, `unknown_connector`, `unreadable_input`,
    /// `invalid_json`, `invalid_input`, `io`).
    pub code: String,
    /// What went wrong, in one line (or a heading, when there are problems).
    pub message: String,
    /// The config problems, each at its JSON pointer (or at the flag that set the value).
    pub problems: Vec<ConfigProblem>,
    /// What validation noticed beside the problems.
    pub warnings: Vec<ConfigWarning>,
    /// A connector error's details (provider code, request id, delivery), for `--json`.
    pub details: Option<Value>,
    /// Extra lines for people (a provider code, a request id), not part of the JSON.
    pub notes: Vec<String>,
    /// Whether the command's answer already said it all (the demo's JSON document), so that
    /// only the exit code remains.
    pub reported: bool,
}

impl Failure {
    /// A failure with a code, a message and an exit code, nothing else.
    pub fn new(exit: u8, code: &str, message: impl Into<String>) -> Self {
        Self(Box::new(FailureReport {
            exit,
            code: code.to_owned(),
            message: message.into(),
            problems: Vec::new(),
            warnings: Vec::new(),
            details: None,
            notes: Vec::new(),
            reported: false,
        }))
    }

    /// A usage error ([`EXIT_USAGE`]).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(EXIT_USAGE, "usage", message)
    }

    /// Invalid input ([`EXIT_INVALID`]) with its own code.
    pub fn invalid(code: &str, message: impl Into<String>) -> Self {
        Self::new(EXIT_INVALID, code, message)
    }

    /// The output could not be written.
    pub fn io(error: std::io::Error) -> Self {
        Self::new(
            EXIT_SEND_FAILED,
            "io",
            format!("could not write the output: {error}"),
        )
    }

    /// A connector error, with its code, details and config problems.
    pub fn connector(exit: u8, error: &ConnectorError) -> Self {
        let details = error.details();
        let mut failure = Self::new(exit, error.code().as_str(), error.message());
        failure.problems = details.problems.clone();
        failure.warnings = details.warnings.clone();
        if failure.problems.is_empty() {
            failure.message = error.message().to_owned();
        } else {
            failure.message = "invalid config".to_owned();
        }
        if let Some(code) = &details.provider_code {
            failure.notes.push(format!("provider code: {code}"));
        }
        if let Some(id) = &details.request_id {
            failure.notes.push(format!("request id: {id}"));
        }
        let mut value = serde_json::to_value(details).unwrap_or(Value::Null);
        if let Value::Object(object) = &mut value {
            // Problems and warnings are at the top of the JSON answer already.
            object.remove("problems");
            object.remove("warnings");
        }
        failure.details = Some(value);
        failure
    }

    /// The failure as the JSON answer every command gives with `--json`.
    pub fn to_json(&self) -> Value {
        let mut answer = json!({
            "ok": false,
            "exit": self.exit,
            "code": self.code,
            "message": self.message,
            "problems": self.problems,
            "warnings": self.warnings,
        });
        if let (Some(details), Value::Object(object)) = (&self.details, &mut answer) {
            object.insert("details".to_owned(), details.clone());
        }
        answer
    }
}

/// A tokio runtime for a command: one thread for a send, two for the servers.
pub fn runtime(threads: usize) -> Result<tokio::runtime::Runtime, Failure> {
    let mut builder = if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(threads);
        builder
    };
    builder.enable_all().build().map_err(|e| {
        Failure::new(
            EXIT_SEND_FAILED,
            "io",
            format!("cannot start the async runtime: {e}"),
        )
    })
}
