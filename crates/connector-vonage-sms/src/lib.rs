#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod config;
mod request;
mod response;
pub mod sign;

use connector_kit::{
    ConnectorError, ErrorMapping, HttpRequest, HttpResponse, HttpSettings, Provider, ProviderInfo,
    RequestContext, SendMessageData, SendReceipt,
};

pub use config::{SignatureMethod, VonageConfig, VonageTemplate};
pub use request::is_gsm7;

/// The Vonage provider.
#[derive(Debug, Clone, Copy, Default)]
pub struct Vonage;

/// A ready-to-send Vonage connector.
pub type VonageConnector = connector_kit::Connector<Vonage>;

/// The Vonage connector factory, for a registry.
pub fn factory() -> connector_kit::ProviderFactory<Vonage> {
    connector_kit::ProviderFactory::new()
}

impl Provider for Vonage {
    type Config = VonageConfig;

    const ID: &'static str = "vonage-short-message-service";
    const TARGET: &'static str = "vonage-sms";
    const NAME: &'static str = "Vonage";
    const INFO: ProviderInfo = ProviderInfo {
        name: &[
            ("en", "Vonage SMS"),
            ("zh-CN", "Vonage 短信"),
            ("zh-TW", "Vonage 簡訊"),
            ("tr-TR", "Vonage SMS"),
            ("ko", "Vonage SMS"),
        ],
        description: &[
            (
                "en",
                "Sends verification codes by SMS through the Vonage (formerly Nexmo) SMS API, worldwide.",
            ),
            (
                "zh-CN",
                "通过 Vonage（原 Nexmo）SMS API 向全球手机号发送短信验证码。",
            ),
            (
                "zh-TW",
                "透過 Vonage（原 Nexmo）SMS API 向全球手機號碼發送簡訊驗證碼。",
            ),
            (
                "tr-TR",
                "Doğrulama kodlarını Vonage (eski adıyla Nexmo) SMS API üzerinden dünyanın her yerine SMS ile gönderir.",
            ),
            (
                "ko",
                "Vonage(구 Nexmo) SMS API를 통해 전 세계 휴대폰 번호로 인증 코드를 SMS로 보냅니다.",
            ),
        ],
        logo: "./logo.svg",
    };
    const DEFAULT_ENDPOINT: &'static str = "https://rest.nexmo.com";
    const ENDPOINT_DESCRIPTION: &'static str = "The SMS API origin. Change it only for a local simulator or a proxy; plain `http://` is accepted only for loopback hosts.";
    const SIGNING: &'static str = "API key and secret in the form, or a signed request (`sig`: MD5 hash or HMAC-MD5/SHA-1/SHA-256/SHA-512 with the signature secret)";
    const ERROR_MAPPINGS: &'static [ErrorMapping] = response::ERROR_MAPPINGS;
    const README: &'static str = include_str!("../README.md");
    const LOGO_SVG: &'static str = include_str!("../logo.svg");

    fn http(config: &VonageConfig) -> &HttpSettings<Self> {
        &config.http
    }

    fn build_request(
        config: &VonageConfig,
        data: &SendMessageData,
        context: &RequestContext,
    ) -> Result<HttpRequest, ConnectorError> {
        request::build_request(config, data, context)
    }

    fn rendered_text(
        config: &VonageConfig,
        data: &SendMessageData,
    ) -> Result<Option<String>, ConnectorError> {
        request::rendered_text(config, data).map(Some)
    }

    fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError> {
        response::parse_response(response)
    }
}
