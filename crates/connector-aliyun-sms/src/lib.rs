//! Aliyun (Alibaba Cloud) Short Message Service connector: `SendSms` (API version
//! 2017-05-25) signed with Aliyun's RPC signature (HMAC-SHA1).
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`config`] | [`AliyunConfig`], in Logto's field names, with the mainland/overseas template codes |
//! | [`metadata`] | the connector's metadata |
//! | [`sign`] | the pure RPC signer, one type per stage |
//! | [`request`] | the pure request builder: phone routing, `TemplateParam`, the signed form |
//! | [`response`] | answer parsing and the Aliyun-to-kit [`ERROR_MAPPINGS`](response::ERROR_MAPPINGS) |
//!
//! Mainland China numbers (`+86`, `0086`, `86` or, unless `strictPhoneRegionNumberCheck` is
//! on, a bare 11-digit number starting with 1) are sent with a template's `china` code; every
//! other number, written with `+` or `00`, with its `overseas` code.
//!
//! A dry run, with a fixed clock and nonce so that the output is stable:
//!
//! ```
//! use connector_aliyun_sms::AliyunConnector;
//! use connector_kit::{RequestContext, SendMessageData, TemplateType};
//!
//! let connector = AliyunConnector::from_json(&serde_json::json!({
//!     "accessKeyId": "LTAI5tExampleAccessKeyId",
//!     "accessKeySecret": "your-aliyun-access-key-secret",
//!     "signName": "Acme",
//!     "templates": [
//!         {"usageType": "SignIn", "templateCode": "SMS_1"},
//!         {"usageType": "Register", "templateCode": "SMS_2"},
//!         {"usageType": "ForgotPassword", "templateCode": "SMS_3"},
//!         {"usageType": "Generic", "templateCode": {"china": "SMS_4", "overseas": "SMS_5"}},
//!     ],
//! }))?;
//! let message = SendMessageData::code("+85291234567", TemplateType::MfaVerification, "123456");
//! let request = connector.prepare_with(&message, &RequestContext::fixed(1_700_000_000, "n-1"))?;
//! let body = String::from_utf8_lossy(&request.body);
//! assert!(body.contains("PhoneNumbers=85291234567&"));
//! assert!(body.contains("TemplateCode=SMS_5&"));
//! assert!(!body.contains("your-aliyun-access-key-secret"));
//! # Ok::<(), connector_kit::ConnectorError>(())
//! ```
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
