//! A connector that sends nothing: it records every message, and can be scripted to fail.
//!
//! ```
//! use connector_kit::{ConnectorErrorCode, SendMessageData, SmsConnector, StubConnector, TemplateType};
//!
//! # tokio_test_block(async {
//! let stub = StubConnector::new_ok();
//! let receipt = stub.send_message(&SendMessageData::code("+15550100", TemplateType::SignIn, "123456")).await?;
//! assert_eq!(receipt.message_id, "stub-1");
//! assert_eq!(stub.messages()[0].payload.code.as_deref(), Some("123456"));
//!
//! let failing = StubConnector::new_error(ConnectorErrorCode::RateLimitExceeded);
//! let error = failing.send_message(&SendMessageData::code("+15550100", TemplateType::SignIn, "1")).await.unwrap_err();
//! assert_eq!(error.code(), ConnectorErrorCode::RateLimitExceeded);
//! # Ok::<(), connector_kit::ConnectorError>(())
//! # });
//! # fn tokio_test_block<F: std::future::Future<Output = Result<(), connector_kit::ConnectorError>>>(f: F) {
//! #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f).unwrap();
//! # }
//! ```

use std::sync::Mutex;

use async_trait::async_trait;

use crate::connector::{SendReceipt, SmsConnector};
use crate::error::{ConnectorError, ConnectorErrorCode};
use crate::message::SendMessageData;
use crate::metadata::{ConnectorMetadata, LocalizedText};

/// A test double for [`SmsConnector`].
#[derive(Debug)]
pub struct StubConnector {
    metadata: ConnectorMetadata,
    fail_with: Option<ConnectorErrorCode>,
    sent: Mutex<Vec<SendMessageData>>,
}

impl StubConnector {
    fn with(fail_with: Option<ConnectorErrorCode>) -> Self {
        Self {
            metadata: ConnectorMetadata {
                id: "stub-short-message-service".into(),
                target: "stub-sms".into(),
                platform: None,
                name: LocalizedText::new("Stub SMS", []),
                description: LocalizedText::new("Records messages instead of sending them.", []),
                logo: String::new(),
                logo_dark: None,
                readme: String::new(),
                form_items: Vec::new(),
            },
            fail_with,
            sent: Mutex::new(Vec::new()),
        }
    }

    /// A stub whose sends succeed.
    pub fn new_ok() -> Self {
        Self::with(None)
    }

    /// A stub whose sends fail with `code` (and record nothing).
    pub fn new_error(code: ConnectorErrorCode) -> Self {
        Self::with(Some(code))
    }

    /// The messages sent so far.
    pub fn messages(&self) -> Vec<SendMessageData> {
        self.sent.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

#[async_trait]
impl SmsConnector for StubConnector {
    fn metadata(&self) -> &ConnectorMetadata {
        &self.metadata
    }

    async fn send_message(&self, data: &SendMessageData) -> Result<SendReceipt, ConnectorError> {
        if let Some(code) = self.fail_with {
            return Err(ConnectorError::new(
                code,
                format!("stub scripted to fail with {code}"),
            ));
        }
        let mut sent = self
            .sent
            .lock()
            .map_err(|_| ConnectorError::general("stub connector state is poisoned"))?;
        sent.push(data.clone());
        Ok(SendReceipt::new(format!("stub-{}", sent.len()), None))
    }
}
