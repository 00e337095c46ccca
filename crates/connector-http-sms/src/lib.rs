#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

mod config;
mod request;
mod response;
pub mod sign;

use connector_kit::{
    ConfigProblem, ConnectorError, ErrorMapping, HttpRequest, HttpResponse, HttpSettings, Provider,
    ProviderInfo, RequestContext, SendMessageData, SendReceipt,
};

pub use config::{
    HttpConfig, HttpTemplate, HttpTemplateWording, MAX_BODY_TEMPLATE_BYTES, MAX_HEADERS,
    RESERVED_HEADERS,
};

/// The generic HTTP provider: the operator's own service.
#[derive(Debug, Clone, Copy, Default)]
pub struct Http;

/// A ready-to-send HTTP connector.
pub type HttpConnector = connector_kit::Connector<Http>;

/// The HTTP connector factory, for a registry.
pub fn factory() -> connector_kit::ProviderFactory<Http> {
    connector_kit::ProviderFactory::new()
}

impl Provider for Http {
    type Config = HttpConfig;

    const ID: &'static str = "http-short-message-service";
    const TARGET: &'static str = "http-sms";
    const NAME: &'static str = "the HTTP service";
    const INFO: ProviderInfo = ProviderInfo {
        name: &[
            ("en", "HTTP SMS"),
            ("zh-CN", "HTTP 短信"),
            ("zh-TW", "HTTP 簡訊"),
            ("tr-TR", "HTTP SMS"),
            ("ko", "HTTP SMS"),
        ],
        description: &[
            (
                "en",
                "Sends verification codes through your own HTTP service: a JSON POST, optionally signed with Standard Webhooks.",
            ),
            (
                "zh-CN",
                "通过你自己的 HTTP 服务发送短信验证码：以 JSON POST 请求，可选 Standard Webhooks 签名。",
            ),
            (
                "zh-TW",
                "透過你自己的 HTTP 服務發送簡訊驗證碼：以 JSON POST 請求，可選 Standard Webhooks 簽章。",
            ),
            (
                "tr-TR",
                "Doğrulama kodlarını kendi HTTP hizmetiniz üzerinden gönderir: isteğe bağlı Standard Webhooks imzalı bir JSON POST.",
            ),
            (
                "ko",
                "자체 HTTP 서비스를 통해 인증 코드를 보냅니다: JSON POST 요청이며, Standard Webhooks 서명을 선택할 수 있습니다.",
            ),
        ],
        logo: "./logo.svg",
    };
    const DEFAULT_ENDPOINT: &'static str = "https://sms-gateway.example.com/send";
    const ENDPOINT_IS_URL: bool = true;
    const ENDPOINT_DESCRIPTION: &'static str = "The URL of your service that receives each message (path and query included). It is shown in dry runs and errors: put credentials in headers, not in the URL. Plain `http://` is accepted only for loopback hosts.";
    const SIGNING: &'static str = "Standard Webhooks signature (`webhook-signature: v1,<HMAC-SHA256>`) with the signing secret, and any headers you configure";
    const ERROR_MAPPINGS: &'static [ErrorMapping] = response::ERROR_MAPPINGS;
    const RESPONSE_HEADERS: &'static [&'static str] = response::REQUEST_ID_HEADERS;
    const README: &'static str = include_str!("../README.md");
    const LOGO_SVG: &'static str = include_str!("../logo.svg");

    fn http(config: &HttpConfig) -> &HttpSettings<Self> {
        &config.http
    }

    fn check_config(config: &HttpConfig) -> Vec<ConfigProblem> {
        config::problems(config)
    }

    fn build_request(
        config: &HttpConfig,
        data: &SendMessageData,
        context: &RequestContext,
    ) -> Result<HttpRequest, ConnectorError> {
        request::build_request(config, data, context)
    }

    fn rendered_text(
        config: &HttpConfig,
        data: &SendMessageData,
    ) -> Result<Option<String>, ConnectorError> {
        request::rendered_text(config, data)
    }

    /// The answer read without a config: any 2xx is success, with no message id.
    fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError> {
        response::read_response(None, String::new(), response)
    }

    fn read_response(
        config: &HttpConfig,
        context: &RequestContext,
        response: &HttpResponse,
    ) -> Result<SendReceipt, ConnectorError> {
        response::read_response(
            config.message_id_pointer.as_deref(),
            request::message_id(context),
            response,
        )
    }
}
