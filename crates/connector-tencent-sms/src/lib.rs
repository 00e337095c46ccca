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

pub use config::{Region, TemplateCode, TencentConfig, TencentTemplate};

/// The connector id.
pub const ID: &str = "tencent-short-message-service";
/// The connector target.
pub const TARGET: &str = "tencent-sms";

/// The Tencent Cloud SMS provider.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tencent;

/// A ready-to-send Tencent Cloud SMS connector.
pub type TencentConnector = connector_kit::Connector<Tencent>;

/// The Tencent Cloud SMS connector factory, for a registry.
pub fn factory() -> connector_kit::ProviderFactory<Tencent> {
    connector_kit::ProviderFactory::new()
}

impl Provider for Tencent {
    type Config = TencentConfig;

    const ID: &'static str = ID;
    const TARGET: &'static str = TARGET;
    const ERROR_MAPPINGS: &'static [ErrorMapping] = response::ERROR_MAPPINGS;
    const SIGNING: &'static str =
        "TC3-HMAC-SHA256 (Tencent Cloud API signature v3; SecretId and SecretKey)";

    fn metadata() -> ConnectorMetadata {
        metadata::metadata()
    }

    fn http_options(config: &TencentConfig) -> HttpOptions {
        HttpOptions {
            endpoint: config.endpoint.clone(),
            connect_timeout: Duration::from_millis(config.connect_timeout_ms),
            timeout: Duration::from_millis(config.timeout_ms),
        }
    }

    fn secrets(config: &TencentConfig) -> Vec<&str> {
        vec![config.access_key_secret.expose()]
    }

    fn build_request(
        config: &TencentConfig,
        data: &SendMessageData,
        context: &RequestContext,
    ) -> Result<HttpRequest, ConnectorError> {
        request::build_request(config, data, context)
    }

    fn parse_response(
        _config: &TencentConfig,
        data: &SendMessageData,
        response: &HttpResponse,
    ) -> Result<SendReceipt, ConnectorError> {
        response::parse_response(data, response)
    }
}
