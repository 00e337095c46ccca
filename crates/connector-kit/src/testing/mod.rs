//! Test support for provider crates (feature `testing`): the [`contract`] suite every provider
//! runs, a loopback [`CaptureServer`] with scripted answers, log capture, and [`problems`].

mod capture;
pub mod contract;

use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::error::ConnectorErrorCode;
use crate::factory::ConnectorFactory;

pub use capture::{CannedResponse, CaptureServer, RecordedRequest, form_pairs};
pub use contract::{Contract, run_contract};

/// Log lines captured from `tracing`, for tests that check what a send logs.
#[derive(Debug, Clone, Default)]
pub struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    /// Everything logged so far.
    pub fn contents(&self) -> String {
        self.0
            .lock()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }
}

/// Writes into a [`LogBuffer`].
#[derive(Debug)]
pub struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogWriter;

    fn make_writer(&'a self) -> Self::Writer {
        LogWriter(Arc::clone(&self.0))
    }
}

/// Captures every `tracing` event and span (with its fields, at close) on this thread until
/// the guard drops. Use with a current-thread runtime (`#[tokio::test]`).
pub fn capture_logs() -> (LogBuffer, tracing::subscriber::DefaultGuard) {
    let buffer = LogBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(buffer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    (buffer, guard)
}

/// Every problem a factory finds in an invalid config, as `path: message` lines. Panics when
/// the config is valid or fails with another code than `invalid_config`.
pub fn problems(factory: &dyn ConnectorFactory, config: &Value) -> Vec<String> {
    let error = match factory.validate_config(config) {
        Ok(_) => panic!("expected an invalid config, but it is valid: {config}"),
        Err(error) => error,
    };
    assert_eq!(error.code(), ConnectorErrorCode::InvalidConfig, "{error}");
    error
        .details()
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Every warning a factory gives a valid config, as `path: message` lines. Panics when the
/// config is invalid.
pub fn warnings(factory: &dyn ConnectorFactory, config: &Value) -> Vec<String> {
    match factory.validate_config(config) {
        Ok(warnings) => warnings.iter().map(ToString::to_string).collect(),
        Err(error) => panic!("expected a valid config: {error}"),
    }
}

/// The warnings a factory gives an invalid config beside its problems, as `path: message`
/// lines. Panics when the config is valid.
pub fn warnings_of_invalid(factory: &dyn ConnectorFactory, config: &Value) -> Vec<String> {
    match factory.validate_config(config) {
        Ok(_) => panic!("expected an invalid config, but it is valid: {config}"),
        Err(error) => error
            .details()
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect(),
    }
}
