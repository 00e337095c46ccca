//! The contract every SMS connector implements.
//!
//! `connector-kit` holds no provider knowledge. Each module has one concern:
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`connector`] | the two traits: [`SmsConnector`] (what a host holds) and [`Provider`] (what a provider crate implements) |
//! | [`pipeline`] | [`Connector`], which turns a provider into a connector: retries, the backstop timeout, scrubbing, tracing |
//! | [`factory`] | [`ConnectorFactory`], [`ProviderFactory`] and the [`Registry`] |
//! | [`schema`] | schema generation and [`SchemaView`], the one reader of schemas |
//! | [`checker`] | validation that reports every problem with its JSON pointer, and warnings |
//! | `lint` | the template rules: deprecated, unknown and duplicate usage types, texts without `{{code}}` |
//! | [`suggest`] | "did you mean": the known name closest to a mistyped one |
//! | [`config`] | what configs share: [`HttpSettings`] (endpoint, timeouts), [`RegionalCode`] (mainland China or overseas) |
//! | [`secret`] | [`Secret`], a config value that is never printed |
//! | [`segments`] | how a text is encoded (GSM-7 or UCS-2) and into how many SMS segments it is split |
//! | [`phone`] | phone numbers: E.164 parsing, the mainland China test, masking |
//! | [`metadata`] | [`ConnectorMetadata`] in Logto's JSON shape, and console form items |
//! | [`message`] | [`SendMessageData`], the nine [`TemplateType`]s and the `Generic` fallback |
//! | [`template`] | `{{code}}` placeholder rendering |
//! | [`error`] | [`ConnectorErrorCode`] (Logto's codes), [`ConnectorError`], provider error tables |
//! | [`http`] | endpoints, the pure [`HttpRequest`] value, and the shared HTTP client |
//! | [`clock`] | the request time and nonce, fixed in tests |
//! | [`digest`] | SHA-256 and HMAC-SHA256 steps shared by the AWS, Tencent Cloud and Aliyun signers |
//! | [`stub`] | [`StubConnector`], a test double |
//! | `testing` | (feature `testing`) the contract suite every provider runs, and a loopback capture server |
//!
//! A host creates connectors from stored config JSON through a [`ConnectorFactory`] and sends
//! with [`SmsConnector::send_message`]. A provider crate implements [`Provider`] once.
#![doc(test(attr(deny(warnings))))]

/// The crate README, compiled as a doctest so that its example cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub mod checker;
pub mod clock;
pub mod config;
pub mod connector;
pub mod digest;
pub mod error;
pub mod factory;
pub mod http;
mod lint;
pub mod message;
pub mod metadata;
pub mod phone;
pub mod pipeline;
pub mod schema;
pub mod secret;
pub mod segments;
pub mod stub;
pub mod suggest;
pub mod template;
#[cfg(feature = "testing")]
pub mod testing;
mod transport;

pub use checker::{Report, Validated, check, parse_config, validate};
pub use clock::{RequestContext, UtcDateTime};
pub use config::{CodeWording, HttpSettings, RegionalCode, TextTemplate, TextWording};
pub use connector::{Attempt, Preview, Provider, ProviderInfo, SendReceipt, SmsConnector};
pub use error::{
    ConfigProblem, ConfigWarning, ConnectorError, ConnectorErrorCode, Delivery, ErrorDetails,
    ErrorMapping, ProviderFailure, WarningKind,
};
pub use factory::{ConnectorFactory, ProviderFactory, Registry};
pub use http::{Endpoint, HttpHeader, HttpMethod, HttpOptions, HttpRequest, HttpResponse};
pub use message::{
    SendMessageData, SendMessagePayload, TemplateType, UsageTemplate, find_template, locale_chain,
    template_for,
};
pub use metadata::{ConnectorMetadata, ConnectorType, FormItem, FormItemType, LocalizedText};
pub use phone::{PhoneNumber, PhoneRules};
pub use pipeline::Connector;
pub use schema::{
    SchemaView, choices, filled, filled_or_empty, json_forms_ui_schema, require_usage_types,
    schema_for,
};
pub use secret::Secret;
pub use segments::{Encoding, Segments};
pub use stub::StubConnector;
pub use template::{placeholders, render, render_with};
