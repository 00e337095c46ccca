//! The contract every SMS connector implements.
//!
//! `connector-kit` holds no provider knowledge. It defines:
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`metadata`] | [`ConnectorMetadata`] in Logto's JSON shape, and console form items derived from a config schema |
//! | [`config`] | schema generation, validation that reports every problem with its JSON pointer, the [`Secret`] type |
//! | [`message`] | [`SendMessageData`], the nine [`TemplateType`]s and template lookup with the `Generic` fallback |
//! | [`template`] | `{{code}}` placeholder rendering |
//! | [`error`] | [`ConnectorErrorCode`] (Logto's codes) and [`ConnectorError`] |
//! | [`connector`] | the [`SmsConnector`] trait, the typed [`Provider`] layer, factories and the [`Registry`] |
//! | [`http`] | endpoints, the pure [`HttpRequest`] value, and the shared HTTP client |
//! | [`stub`] | [`StubConnector`], a test double |
//!
//! A host creates connectors from stored config JSON through a [`ConnectorFactory`] and sends
//! with [`SmsConnector::send_message`]. A provider crate implements [`Provider`] once.
#![doc(test(attr(deny(warnings))))]

pub mod clock;
pub mod config;
pub mod connector;
pub mod error;
pub mod http;
pub mod message;
pub mod metadata;
pub mod stub;
pub mod template;
#[cfg(feature = "testing")]
pub mod testing;

pub use clock::{RequestContext, UtcDateTime};
pub use config::{Secret, parse_config, require_usage_types, schema_for, validate};
pub use connector::{
    Connector, ConnectorFactory, Provider, ProviderFactory, Registry, SendReceipt, SmsConnector,
};
pub use error::{
    ConfigProblem, ConnectorError, ConnectorErrorCode, Delivery, ErrorDetails, ErrorMapping,
};
pub use http::{
    Endpoint, HttpClient, HttpHeader, HttpMethod, HttpOptions, HttpRequest, HttpResponse,
};
pub use message::{
    SendMessageData, SendMessagePayload, TemplateType, UsageTemplate, find_template,
};
pub use metadata::{ConnectorMetadata, ConnectorType, FormItem, FormItemType, LocalizedText};
pub use stub::StubConnector;
pub use template::render;
