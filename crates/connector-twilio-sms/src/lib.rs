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

pub use config::{Credentials, Sender, TwilioConfig, TwilioTemplate};

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

    const ID: &'static str = "twilio-short-message-service";
    const TARGET: &'static str = "twilio-sms";
    const NAME: &'static str = "Twilio";
    const INFO: ProviderInfo = ProviderInfo {
        name: &[
            ("en", "Twilio SMS"),
            ("zh-CN", "Twilio 短信"),
            ("zh-TW", "Twilio 簡訊"),
            ("tr-TR", "Twilio SMS"),
            ("ko", "Twilio SMS"),
        ],
        description: &[
            (
                "en",
                "Sends verification codes by SMS through Twilio Programmable Messaging, worldwide.",
            ),
            (
                "zh-CN",
                "通过 Twilio Programmable Messaging 向全球手机号发送短信验证码。",
            ),
            (
                "zh-TW",
                "透過 Twilio Programmable Messaging 向全球手機號碼發送簡訊驗證碼。",
            ),
            (
                "tr-TR",
                "Doğrulama kodlarını Twilio Programmable Messaging üzerinden dünyanın her yerine SMS ile gönderir.",
            ),
            (
                "ko",
                "Twilio Programmable Messaging을 통해 전 세계 휴대폰 번호로 인증 코드를 SMS로 보냅니다.",
            ),
        ],
        logo: "./logo.svg",
    };
    const DEFAULT_ENDPOINT: &'static str = "https://api.twilio.com";
    const ENDPOINT_DESCRIPTION: &'static str = "The Twilio API origin. Change it only for a Twilio edge location or a local simulator; plain `http://` is accepted only for loopback hosts.";
    const SIGNING: &'static str = "HTTP Basic auth (Account SID and Auth Token)";
    const ERROR_MAPPINGS: &'static [ErrorMapping] = response::ERROR_MAPPINGS;
    const RESPONSE_HEADERS: &'static [&'static str] = &["twilio-request-id"];
    const README: &'static str = include_str!("../README.md");
    const LOGO_SVG: &'static str = include_str!("../logo.svg");

    fn http(config: &TwilioConfig) -> &HttpSettings<Self> {
        &config.http
    }

    fn build_request(
        config: &TwilioConfig,
        data: &SendMessageData,
        _context: &RequestContext,
    ) -> Result<HttpRequest, ConnectorError> {
        request::build_request(config, data)
    }

    fn rendered_text(
        config: &TwilioConfig,
        data: &SendMessageData,
    ) -> Result<Option<String>, ConnectorError> {
        request::rendered_text(config, data).map(Some)
    }

    fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError> {
        response::parse_response(response)
    }
}
