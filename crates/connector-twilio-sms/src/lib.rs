#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

pub mod config;
pub mod metadata;
pub mod request;
pub mod response;
pub mod sign;

use connector_kit::{
    ConnectorError, ConnectorMetadata, ErrorMapping, HttpOptions, HttpRequest, HttpResponse,
    Provider, RequestContext, SendMessageData, SendReceipt,
};
use std::time::Duration;

pub use config::{TwilioConfig, TwilioTemplate};

/// The connector id.
pub const ID: &str = "twilio-short-message-service";
/// The connector target.
pub const TARGET: &str = "twilio-sms";

/// The Twilio provider.
#[derive(Debug, Clone, Copy, Default)]
pub struct Twilio;

/// A ready-to-send Twilio connector.
pub type TwilioConnector = connector_kit::Connector<Twilio>;

/// The Twilio connector factory, for a registry.
pub fn factory() -> connector_kit::ProviderFactory<Twilio> {
    connector_kit::ProviderFactory::new()
}

impl Provider for Twilio {
    type Config = TwilioConfig;

    const ID: &'static str = ID;
    const TARGET: &'static str = TARGET;
    const ERROR_MAPPINGS: &'static [ErrorMapping] = response::ERROR_MAPPINGS;
    const SIGNING: &'static str = "HTTP Basic auth (Account SID and Auth Token)";

    fn metadata() -> ConnectorMetadata {
        metadata::metadata()
    }

    fn http_options(config: &TwilioConfig) -> HttpOptions {
        HttpOptions {
            endpoint: config.endpoint.clone(),
            connect_timeout: Duration::from_millis(config.connect_timeout_ms),
            timeout: Duration::from_millis(config.timeout_ms),
        }
    }

    fn secrets(config: &TwilioConfig) -> Vec<&str> {
        vec![config.auth_token.expose()]
    }

    fn build_request(
        config: &TwilioConfig,
        data: &SendMessageData,
        _context: &RequestContext,
    ) -> Result<HttpRequest, ConnectorError> {
        request::build_request(config, data)
    }

    fn parse_response(
        _config: &TwilioConfig,
        _data: &SendMessageData,
        response: &HttpResponse,
    ) -> Result<SendReceipt, ConnectorError> {
        response::parse_response(response)
    }
}
