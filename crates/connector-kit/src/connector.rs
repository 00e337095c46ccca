//! The two traits: [`SmsConnector`], what a host holds, and [`Provider`], what a provider crate
//! implements once.
//!
//! - [`SmsConnector`] is object-safe, so `Box<dyn SmsConnector>` works.
//! - [`Provider`] is a provider's knowledge and nothing else: its config type, its name and
//!   defaults, its error table, a pure request builder and a response parser. The kit's
//!   [`Connector`](crate::Connector) turns any provider into an [`SmsConnector`], adding the
//!   HTTP client, timeouts, the retry rule, scrubbing and tracing
//!   ([`pipeline`](crate::pipeline)); [`ProviderFactory`](crate::ProviderFactory) describes
//!   it and creates instances from config JSON ([`factory`](crate::factory)).

use std::fmt;

use async_trait::async_trait;
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::clock::RequestContext;
use crate::config::HttpSettings;
use crate::error::{ConfigProblem, ConnectorError, ConnectorErrorCode, ErrorMapping};
use crate::http::{Endpoint, HttpRequest, HttpResponse};
use crate::message::SendMessageData;
use crate::metadata::ConnectorMetadata;

/// What a successful send returns.
///
/// A connector that sends through other connectors (the router) also says which one sent
/// (`via`) and what each one tried before it answered (`attempts`); both are left out of the
/// JSON when empty, so a provider's receipt reads as it always did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendReceipt {
    /// The provider's id for the message (Twilio `sid`, Aliyun `BizId`, Tencent `SerialNo`).
    pub message_id: String,
    /// The provider's id for the request, when it gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The member connector that sent the message, when the connector routes through others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// Each member tried, in order, when the connector routes through others: the last one
    /// sent, the ones before it provably did not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attempts: Vec<Attempt>,
    /// How the text went out (GSM-7 or UCS-2) and how many SMS segments it took, for
    /// connectors that send a text they render (the text itself, which holds the code, is
    /// not kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segments: Option<crate::segments::Segments>,
}

impl SendReceipt {
    /// A provider's receipt: its message id and, when it gives one, its request id.
    pub fn new(message_id: impl Into<String>, request_id: Option<String>) -> Self {
        Self {
            message_id: message_id.into(),
            request_id,
            ..Self::default()
        }
    }
}

/// One member tried by a routing connector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    /// The member's name in the routing config.
    pub member: String,
    /// Why the member did not send (`rate_limit_exceeded`, ...); `None` for the one that sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<ConnectorErrorCode>,
}

/// A configured connector, ready to send. Object-safe: hosts hold `Box<dyn SmsConnector>`.
#[async_trait]
pub trait SmsConnector: Send + Sync + fmt::Debug {
    /// The connector's metadata.
    fn metadata(&self) -> &ConnectorMetadata;

    /// Builds the exact request a send would make, without sending it (for dry runs).
    /// Connectors that do not speak HTTP answer `not_implemented`.
    fn prepare(&self, data: &SendMessageData) -> Result<HttpRequest, ConnectorError> {
        let _ = data;
        Err(ConnectorError::new(
            ConnectorErrorCode::NotImplemented,
            "this connector cannot show its request",
        ))
    }

    /// What a send would deliver, without sending: the rendered text and its encoding and
    /// segments for connectors that send their own text, and the request. Connectors that do
    /// not speak HTTP answer `not_implemented`.
    fn preview(&self, data: &SendMessageData) -> Result<Preview, ConnectorError> {
        Ok(Preview {
            text: None,
            segments: None,
            request: self.prepare(data)?,
        })
    }

    /// Sends one message.
    async fn send_message(&self, data: &SendMessageData) -> Result<SendReceipt, ConnectorError>;
}

/// What a send would deliver ([`SmsConnector::preview`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Preview {
    /// The text the recipient reads, when the connector renders it (Twilio); `None` when
    /// the provider renders its own approved template (Aliyun, Tencent Cloud).
    pub text: Option<String>,
    /// The text's encoding and segments, when the text is known.
    pub segments: Option<crate::segments::Segments>,
    /// The request a send would make (print it with `Display`: secrets are redacted).
    pub request: HttpRequest,
}

/// A phrase in English and other languages, as a constant: `("en", ...)` first, then
/// `(BCP-47 tag, phrase)` pairs.
pub type Phrases = &'static [(&'static str, &'static str)];

/// What a provider says about itself; the kit adds the id, target, README path and the
/// console form items to make the [`ConnectorMetadata`].
#[derive(Debug, Clone, Copy)]
pub struct ProviderInfo {
    /// The display name, English first.
    pub name: Phrases,
    /// What the connector does, English first.
    pub description: Phrases,
    /// The logo's path, relative to the provider's crate.
    pub logo: &'static str,
}

/// A provider, implemented once against its own config type.
pub trait Provider: Send + Sync + Sized + 'static {
    /// The typed config. It serializes back to the config JSON it came from, so that a
    /// config built in Rust is checked by exactly the rules config JSON is.
    type Config: DeserializeOwned + Serialize + JsonSchema + fmt::Debug + Send + Sync + 'static;

    /// The connector id, e.g. `twilio-short-message-service`.
    const ID: &'static str;
    /// The target, e.g. `twilio-sms`.
    const TARGET: &'static str;
    /// The provider's name in messages and descriptions: "Twilio", "Tencent Cloud".
    const NAME: &'static str;
    /// Name, description and logo.
    const INFO: ProviderInfo;
    /// The API origin a config uses unless it sets `endpoint`; when
    /// [`Provider::ENDPOINT_DERIVED`], an example of the origins [`Provider::endpoint`]
    /// derives.
    const DEFAULT_ENDPOINT: &'static str;
    /// Whether the origin of a config without `endpoint` follows from its other keys (AWS:
    /// from the region), through [`Provider::endpoint`]. The schema then shows
    /// [`Provider::DEFAULT_ENDPOINT`] as an example, not as a default a console would fill in.
    const ENDPOINT_DERIVED: bool = false;
    /// Whether `endpoint` is the whole URL requests go to, path and query included, and
    /// required ([`Endpoint::parse_url`]): the HTTP connector's, whose endpoint is the
    /// operator's own service. [`Provider::DEFAULT_ENDPOINT`] is then only an example.
    const ENDPOINT_IS_URL: bool = false;
    /// The description of the config's `endpoint` key.
    const ENDPOINT_DESCRIPTION: &'static str;
    /// How requests are authenticated, in a few words, for the docs.
    const SIGNING: &'static str;
    /// The provider error codes this connector maps, and what each becomes.
    const ERROR_MAPPINGS: &'static [ErrorMapping];
    /// The answer headers the provider reads (lower case), e.g. `twilio-request-id`: the
    /// client keeps only these and `retry-after`, so that a send does not copy every header
    /// of every answer.
    const RESPONSE_HEADERS: &'static [&'static str] = &[];
    /// The provider crate's generated README (Markdown), for consoles that show it beside
    /// the form: `include_str!("../README.md")`. Empty when the crate ships none.
    const README: &'static str = "";
    /// The logo as SVG text, for consoles that embed it: `include_str!("../logo.svg")`.
    /// Empty when the crate ships none.
    const LOGO_SVG: &'static str = "";

    /// The config's endpoint and timeouts.
    fn http(config: &Self::Config) -> &HttpSettings<Self>;

    /// The problems of a config that its schema accepts but that cannot work, which a
    /// schema cannot say (the HTTP connector's unknown placeholders), each with its JSON
    /// pointer; none by default. Checked after the schema, by every way of making a
    /// connector.
    fn check_config(config: &Self::Config) -> Vec<ConfigProblem> {
        let _ = config;
        Vec::new()
    }

    /// The origin a config sends to: its `endpoint`, or the provider's default. A provider
    /// with [`Provider::ENDPOINT_DERIVED`] overrides it to derive the default from the config
    /// when [`HttpSettings::explicit_endpoint`] is `None`; its request builder uses the same
    /// function.
    fn endpoint(config: &Self::Config) -> Endpoint {
        Self::http(config).endpoint.clone()
    }

    /// Builds and signs the request for one message. Pure: no I/O, no clock, no randomness
    /// beyond `context`.
    fn build_request(
        config: &Self::Config,
        data: &SendMessageData,
        context: &RequestContext,
    ) -> Result<HttpRequest, ConnectorError>;

    /// The text the recipient will read, for providers that send a text the connector
    /// renders (Twilio); `None` (the default) for providers that render an approved template
    /// themselves. Pure, like [`Provider::build_request`].
    fn rendered_text(
        config: &Self::Config,
        data: &SendMessageData,
    ) -> Result<Option<String>, ConnectorError> {
        let _ = (config, data);
        Ok(None)
    }

    /// Turns the provider's answer into a receipt or a mapped error.
    fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError>;

    /// What the send pipeline calls with the answer: [`Provider::parse_response`], unless
    /// the provider reads answers as its config says (the HTTP connector's
    /// `messageIdPointer`) or names the message after its request (`context`, which built
    /// it).
    fn read_response(
        config: &Self::Config,
        context: &RequestContext,
        response: &HttpResponse,
    ) -> Result<SendReceipt, ConnectorError> {
        let _ = (config, context);
        Self::parse_response(response)
    }
}
