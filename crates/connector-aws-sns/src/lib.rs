#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod config;
mod request;
mod response;
pub mod sign;

use connector_kit::{
    ConnectorError, Endpoint, ErrorMapping, HttpRequest, HttpResponse, HttpSettings, Provider,
    ProviderInfo, RequestContext, SendMessageData, SendReceipt,
};

pub use config::{SmsType, SnsConfig, SnsTemplate};

/// The Amazon SNS provider.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sns;

/// A ready-to-send AWS SNS connector.
pub type SnsConnector = connector_kit::Connector<Sns>;

/// The AWS SNS connector factory, for a registry.
pub fn factory() -> connector_kit::ProviderFactory<Sns> {
    connector_kit::ProviderFactory::new()
}

impl Provider for Sns {
    type Config = SnsConfig;

    const ID: &'static str = "aws-sns-short-message-service";
    const TARGET: &'static str = "aws-sns-sms";
    const NAME: &'static str = "Amazon SNS";
    const INFO: ProviderInfo = ProviderInfo {
        name: &[
            ("en", "AWS SNS SMS"),
            ("zh-CN", "AWS SNS 短信"),
            ("zh-TW", "AWS SNS 簡訊"),
            ("tr-TR", "AWS SNS SMS"),
            ("ko", "AWS SNS SMS"),
        ],
        description: &[
            (
                "en",
                "Sends verification codes by SMS through Amazon Simple Notification Service (SNS), worldwide.",
            ),
            (
                "zh-CN",
                "通过 Amazon Simple Notification Service (SNS) 向全球手机号发送短信验证码。",
            ),
            (
                "zh-TW",
                "透過 Amazon Simple Notification Service (SNS) 向全球手機號碼發送簡訊驗證碼。",
            ),
            (
                "tr-TR",
                "Doğrulama kodlarını Amazon Simple Notification Service (SNS) üzerinden dünyanın her yerine SMS ile gönderir.",
            ),
            (
                "ko",
                "Amazon Simple Notification Service(SNS)를 통해 전 세계 휴대폰 번호로 인증 코드를 SMS로 보냅니다.",
            ),
        ],
        logo: "./logo.svg",
    };
    const DEFAULT_ENDPOINT: &'static str = "https://sns.us-east-1.amazonaws.com";
    const ENDPOINT_DERIVED: bool = true;
    const ENDPOINT_DESCRIPTION: &'static str = "The SNS API origin. Leave it out to use the region's endpoint, `https://sns.<region>.amazonaws.com` (`.amazonaws.com.cn` in the China regions); set it for a VPC endpoint or a local simulator. Plain `http://` is accepted only for loopback hosts.";
    const SIGNING: &'static str = "AWS Signature Version 4 (AWS4-HMAC-SHA256, service sns)";
    const ERROR_MAPPINGS: &'static [ErrorMapping] = response::ERROR_MAPPINGS;
    const RESPONSE_HEADERS: &'static [&'static str] = &["x-amzn-requestid"];
    const README: &'static str = include_str!("../README.md");
    const LOGO_SVG: &'static str = include_str!("../logo.svg");

    fn http(config: &SnsConfig) -> &HttpSettings<Self> {
        &config.http
    }

    fn endpoint(config: &SnsConfig) -> Endpoint {
        // The schema's region pattern makes the regional endpoint valid; should a config
        // built in Rust bypass it, the client falls back to the settings' endpoint, and the
        // request builder reports the bad region before anything is sent.
        config
            .endpoint()
            .unwrap_or_else(|_| config.http.endpoint.clone())
    }

    fn build_request(
        config: &SnsConfig,
        data: &SendMessageData,
        context: &RequestContext,
    ) -> Result<HttpRequest, ConnectorError> {
        request::build_request(config, data, context)
    }

    fn rendered_text(
        config: &SnsConfig,
        data: &SendMessageData,
    ) -> Result<Option<String>, ConnectorError> {
        request::rendered_text(config, data).map(Some)
    }

    fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError> {
        response::parse_response(response)
    }
}
