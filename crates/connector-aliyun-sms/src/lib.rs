#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

pub mod config;
pub mod metadata;
pub mod request;
pub mod response;
pub mod sign;

use std::time::Duration;

use connector_kit::{
    ConnectorError, ConnectorMetadata, ErrorMapping, HttpOptions, HttpRequest, HttpResponse,
    Provider, RequestContext, SendMessageData, SendReceipt,
};

pub use config::{AliyunConfig, AliyunTemplate, AliyunTemplateType, TemplateCode};

/// The connector id.
pub const ID: &str = "aliyun-short-message-service";
/// The connector target.
pub const TARGET: &str = "aliyun-sms";

/// The Aliyun provider.
#[derive(Debug, Clone, Copy, Default)]
pub struct Aliyun;

/// A ready-to-send Aliyun connector.
pub type AliyunConnector = connector_kit::Connector<Aliyun>;

/// The Aliyun connector factory, for a registry.
pub fn factory() -> connector_kit::ProviderFactory<Aliyun> {
    connector_kit::ProviderFactory::new()
}

impl Provider for Aliyun {
    type Config = AliyunConfig;

    const ID: &'static str = ID;
    const TARGET: &'static str = TARGET;
    const ERROR_MAPPINGS: &'static [ErrorMapping] = response::ERROR_MAPPINGS;
    const SIGNING: &'static str =
        "Aliyun RPC signature (HMAC-SHA1 over the sorted parameters, AccessKey secret)";

    fn metadata() -> ConnectorMetadata {
        metadata::metadata()
    }

    fn http_options(config: &AliyunConfig) -> HttpOptions {
        HttpOptions {
            endpoint: config.endpoint.clone(),
            connect_timeout: Duration::from_millis(config.connect_timeout_ms),
            timeout: Duration::from_millis(config.timeout_ms),
        }
    }

    fn secrets(config: &AliyunConfig) -> Vec<&str> {
        vec![config.access_key_secret.expose()]
    }

    fn build_request(
        config: &AliyunConfig,
        data: &SendMessageData,
        context: &RequestContext,
    ) -> Result<HttpRequest, ConnectorError> {
        request::build_request(config, data, context)
    }

    fn parse_response(
        _config: &AliyunConfig,
        _data: &SendMessageData,
        response: &HttpResponse,
    ) -> Result<SendReceipt, ConnectorError> {
        response::parse_response(response)
    }
}
