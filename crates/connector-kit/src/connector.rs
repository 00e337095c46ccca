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
use crate::error::{ConnectorError, ConnectorErrorCode, ErrorMapping};
use crate::http::{Endpoint, HttpRequest, HttpResponse};
use crate::message::SendMessageData;
use crate::metadata::ConnectorMetadata;

/// What a successful send returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendReceipt {
    /// The provider's id for the message (Twilio `sid`, Aliyun `BizId`, Tencent `SerialNo`).
    pub message_id: String,
    /// The provider's id for the request, when it gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
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

    /// Sends one message.
    async fn send_message(&self, data: &SendMessageData) -> Result<SendReceipt, ConnectorError>;
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
    /// The description of the config's `endpoint` key.
    const ENDPOINT_DESCRIPTION: &'static str;
    /// How requests are authenticated, in a few words, for the docs.
    const SIGNING: &'static str;
    /// The provider error codes this connector maps, and what each becomes.
    const ERROR_MAPPINGS: &'static [ErrorMapping];

    /// The config's endpoint and timeouts.
    fn http(config: &Self::Config) -> &HttpSettings<Self>;

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

    /// Turns the provider's answer into a receipt or a mapped error.
    fn parse_response(response: &HttpResponse) -> Result<SendReceipt, ConnectorError>;
}
