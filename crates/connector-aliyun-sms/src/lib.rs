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

pub use config::{
    AliyunConfig, AliyunTemplate, AliyunTemplateType, SignatureVersion, TemplateCode,
    TemplateCodeWording,
};

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

    const ID: &'static str = "aliyun-short-message-service";
    const TARGET: &'static str = "aliyun-sms";
    const NAME: &'static str = "Aliyun";
    const INFO: ProviderInfo = ProviderInfo {
        name: &[
            ("en", "Aliyun Short Message Service"),
            ("zh-CN", "阿里云短信服务"),
            ("zh-TW", "阿里雲簡訊服務"),
            ("tr-TR", "Aliyun Kısa Mesaj Hizmeti"),
            ("ko", "Aliyun 단문 메시지 서비스"),
        ],
        description: &[
            (
                "en",
                "Sends verification codes by SMS through Aliyun (Alibaba Cloud) Short Message Service, to mainland China and overseas numbers.",
            ),
            (
                "zh-CN",
                "通过阿里云短信服务向中国内地及海外手机号发送短信验证码。",
            ),
            (
                "zh-TW",
                "透過阿里雲簡訊服務向中國內地及海外手機號碼發送簡訊驗證碼。",
            ),
            (
                "tr-TR",
                "Doğrulama kodlarını Aliyun (Alibaba Cloud) Kısa Mesaj Hizmeti üzerinden Çin anakarası ve yurt dışı numaralara SMS ile gönderir.",
            ),
            (
                "ko",
                "Aliyun(Alibaba Cloud) 단문 메시지 서비스를 통해 중국 본토 및 해외 휴대폰 번호로 인증 코드를 SMS로 보냅니다.",
            ),
        ],
        logo: "./logo.svg",
    };
    const DEFAULT_ENDPOINT: &'static str = "https://dysmsapi.aliyuncs.com";
    const ENDPOINT_DESCRIPTION: &'static str = "The SMS API origin. The default, `https://dysmsapi.aliyuncs.com`, serves the China (Hangzhou) region. For traffic that is mostly to numbers outside mainland China, use the Singapore endpoint `https://dysmsapi.ap-southeast-1.aliyuncs.com` (and regionId `ap-southeast-1`). Plain `http://` is accepted only for loopback hosts, such as a local simulator.";
    const SIGNING: &'static str = "Aliyun RPC signature (HMAC-SHA1 over the sorted parameters, AccessKey secret), or with signatureVersion v3 the ACS3-HMAC-SHA256 signature";
    const ERROR_MAPPINGS: &'static [ErrorMapping] = response::ERROR_MAPPINGS;
    const RESPONSE_HEADERS: &'static [&'static str] = &["x-acs-request-id"];
    const README: &'static str = include_str!("../README.md");
    const LOGO_SVG: &'static str = include_str!("../logo.svg");

    fn http(config: &AliyunConfig) -> &HttpSettings<Self> {
        &config.http
    }

    fn build_request(
        config: &AliyunConfig,
        data: &SendMessageData,
        context: &RequestContext,
    ) -> Result<HttpRequest, ConnectorError> {
        request::build_request(config, data, context)
    }

    fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError> {
        response::parse_response(response)
    }
}
