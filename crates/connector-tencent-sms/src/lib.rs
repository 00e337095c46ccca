//! Tencent Cloud SMS connector for the SMS connector kit.
//!
//! Sends one-time codes with Tencent Cloud's `SendSms` (API version 2021-01-11), signed with
//! `TC3-HMAC-SHA256`. The config uses the field names of Logto's Tencent SMS connector, so an
//! existing config works unchanged, and adds:
//!
//! - `templateCode` as `{ "china": ..., "overseas": ... }`, so one connector serves mainland
//!   China numbers (domestic templates) and all others (international templates);
//! - `params`, the ordered payload keys that fill a template's `{1}`, `{2}`, ...
//!   (`["code"]` when absent), so nothing else in the payload reaches the SMS;
//! - `endpoint`, `timeoutMs` and `connectTimeoutMs`.
//!
//! A send succeeds only when Tencent reports `Ok` for the number sent; a per-number failure
//! inside a successful answer is an error.
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`config`] | [`TencentConfig`], its templates and regions |
//! | [`sign`] | the pure `TC3-HMAC-SHA256` signer, one value per stage |
//! | [`request`] | phone number normalization, template parameters, the signed request |
//! | [`response`] | answer parsing and the error code table |
//!
//! ```no_run
//! use connector_kit::{ConnectorFactory, SendMessageData, TemplateType};
//! use serde_json::json;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), connector_kit::ConnectorError> {
//!     let connector = connector_tencent_sms::factory().create(&json!({
//!         "accessKeyId": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
//!         "accessKeySecret": "your-secret-key",
//!         "signName": "腾讯云",
//!         "sdkAppId": "1400006666",
//!         "region": "ap-guangzhou",
//!         "templates": [
//!             { "usageType": "SignIn", "templateCode": "1110" },
//!             { "usageType": "Register", "templateCode": "1111" },
//!             { "usageType": "ForgotPassword", "templateCode": "1112" },
//!             { "usageType": "Generic", "templateCode": { "china": "1113", "overseas": "2113" } },
//!         ],
//!     }))?;
//!     let receipt = connector
//!         .send_message(&SendMessageData::code("13800138000", TemplateType::SignIn, "123456"))
//!         .await?;
//!     println!("sent: {}", receipt.message_id);
//!     Ok(())
//! }
//! ```
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
