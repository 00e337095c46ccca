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

pub use config::{Region, TemplateCode, TemplateCodeWording, TencentConfig, TencentTemplate};

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

    const ID: &'static str = "tencent-short-message-service";
    const TARGET: &'static str = "tencent-sms";
    const NAME: &'static str = "Tencent Cloud";
    const INFO: ProviderInfo = ProviderInfo {
        name: &[
            ("en", "Tencent Cloud SMS"),
            ("zh-CN", "腾讯云短信"),
            ("zh-TW", "騰訊雲簡訊"),
            ("tr-TR", "Tencent Cloud SMS"),
            ("ko", "Tencent Cloud SMS"),
        ],
        description: &[
            (
                "en",
                "Sends verification codes by SMS through Tencent Cloud SMS, to mainland China and international numbers.",
            ),
            (
                "zh-CN",
                "通过腾讯云短信向中国大陆及境外手机号发送短信验证码。",
            ),
            (
                "zh-TW",
                "透過騰訊雲簡訊向中國大陸及境外手機號碼發送簡訊驗證碼。",
            ),
            (
                "tr-TR",
                "Doğrulama kodlarını Tencent Cloud SMS üzerinden Çin anakarası ve uluslararası numaralara SMS ile gönderir.",
            ),
            (
                "ko",
                "Tencent Cloud SMS를 통해 중국 본토 및 해외 휴대폰 번호로 인증 코드를 SMS로 보냅니다.",
            ),
        ],
        logo: "./logo.svg",
    };
    const DEFAULT_ENDPOINT: &'static str = "https://sms.tencentcloudapi.com";
    const ENDPOINT_DESCRIPTION: &'static str = "The Tencent Cloud API origin. The default lets the nearest region answer; a regional host is `https://sms.<region>.tencentcloudapi.com` (for example `https://sms.ap-guangzhou.tencentcloudapi.com`), and accounts on the international site may use `https://sms.intl.tencentcloudapi.com`. Plain `http://` is accepted only for loopback hosts, such as a local simulator.";
    const SIGNING: &'static str =
        "TC3-HMAC-SHA256 (Tencent Cloud API signature v3; SecretId and SecretKey)";
    const ERROR_MAPPINGS: &'static [ErrorMapping] = response::ERROR_MAPPINGS;
    const README: &'static str = include_str!("../README.md");
    const LOGO_SVG: &'static str = include_str!("../logo.svg");

    fn http(config: &TencentConfig) -> &HttpSettings<Self> {
        &config.http
    }

    fn build_request(
        config: &TencentConfig,
        data: &SendMessageData,
        context: &RequestContext,
    ) -> Result<HttpRequest, ConnectorError> {
        request::build_request(config, data, context)
    }

    fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError> {
        response::parse_response(response)
    }
}
